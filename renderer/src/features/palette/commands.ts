/**
 * What the command palette lists: every screen, the current screen's main action (the button marked
 * `data-main-action`: Sign, Run, Explain), the shortcuts sheet, the guided tour, the theme and Lock. Built
 * when the palette opens, so it shows what can be done now; filtering is a pure function for the tests.
 */
import type { TFunction } from 'i18next';
import type { Screen } from '../../app/route';
import { SCREENS } from '../../app/route';
import { screenName } from '../../app/screen-name';
import type { ThemePreference } from '../../../../shared/schemas/settings';
import { SHORTCUTS, shortcutLabel } from './shortcuts';
import type { ShortcutAction } from './shortcuts';

/** One entry of the palette. */
export interface PaletteCommand {
  readonly id: string;
  readonly label: string;
  /** Its shortcut as the user reads it, if it has one. */
  readonly shortcut?: string;
  run(): void;
}

/** The selector of a screen's main action (Mod+Enter), inside the screen shown. */
export const MAIN_ACTION_SELECTOR = '#main [data-main-action]';

/** The shown screen's main action button, if it has one and it can be pressed now. */
export function mainActionButton(root: ParentNode = document): HTMLButtonElement | null {
  const button = root.querySelector<HTMLButtonElement>(MAIN_ACTION_SELECTOR);
  if (!button || button.disabled || button.getAttribute('aria-disabled') === 'true') return null;
  return button;
}

function themeName(t: TFunction, theme: ThemePreference): string {
  switch (theme) {
    case 'light':
      return t('settings.theme.light');
    case 'dark':
      return t('settings.theme.dark');
    case 'system':
      return t('settings.theme.system');
  }
}

/** What the commands act on. */
export interface PaletteTargets {
  readonly t: TFunction;
  readonly mac: boolean;
  navigate(screen: Screen): void;
  /** The label of the shown screen's main action, or null when it has none (or it cannot run now). */
  mainAction: { label: string; run(): void } | null;
  openSheet(): void;
  startTour(): void;
  setTheme(theme: ThemePreference): void;
  /** Present only when the vault can be locked (a passphrase to unlock it again). */
  lock?: () => void;
}

function labelOf(action: ShortcutAction, mac: boolean): string | undefined {
  const spec = SHORTCUTS.find((s) => JSON.stringify(s.action) === JSON.stringify(action));
  return spec?.accelerators[0] === undefined ? undefined : shortcutLabel(spec.accelerators[0], mac);
}

/** The palette's commands, in the order it lists them. */
export function paletteCommands(targets: PaletteTargets): PaletteCommand[] {
  const { t, mac } = targets;
  const commands: PaletteCommand[] = [];
  const main = targets.mainAction;
  if (main) commands.push({ id: 'main', label: main.label, shortcut: labelOf({ kind: 'main' }, mac), run: main.run });
  for (const screen of SCREENS) {
    commands.push({
      id: `screen:${screen}`,
      label: t('palette.goTo', { screen: screenName(t, screen) }),
      shortcut: labelOf({ kind: 'screen', screen }, mac),
      run: () => targets.navigate(screen),
    });
  }
  commands.push({ id: 'sheet', label: t('palette.shortcuts'), shortcut: shortcutLabel('Shift+/', mac), run: targets.openSheet });
  commands.push({ id: 'tour', label: t('tour.settings.start'), run: targets.startTour });
  for (const theme of ['light', 'dark', 'system'] as const) {
    commands.push({ id: `theme:${theme}`, label: t('palette.theme', { theme: themeName(t, theme) }), run: () => targets.setTheme(theme) });
  }
  if (targets.lock) commands.push({ id: 'lock', label: t('vault.lock'), run: targets.lock });
  return commands;
}

/** Normalises for matching: case, accents and width ("É" finds "e", full-width letters their ASCII forms). */
function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The commands whose label holds every word of the query, in their order. */
export function filterCommands(commands: readonly PaletteCommand[], query: string): PaletteCommand[] {
  const words = fold(query)
    .split(/\s+/)
    .filter((w) => w !== '');
  return commands.filter((command) => {
    const label = fold(command.label);
    return words.every((word) => label.includes(word));
  });
}
