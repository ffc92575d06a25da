/** A screen's name as the navigation shows it: the window's title, the command palette, the shortcuts sheet. */
import type { TFunction } from 'i18next';
import type { Screen } from './route';

/** The screen's name in the UI language. */
export function screenName(t: TFunction, screen: Screen): string {
  switch (screen) {
    case 'keys':
      return t('nav.keys');
    case 'compose':
      return t('nav.compose');
    case 'inspect':
      return t('nav.inspect');
    case 'explain':
      return t('nav.explain');
    case 'flows':
      return t('nav.flows');
    case 'server':
      return t('nav.server');
    case 'settings':
      return t('nav.settings');
  }
}
