/**
 * Words for the composer's choices. Every label goes through a literal `t()` key (so the catalogue test
 * sees it), and each switch is exhaustive (a new profile or template fails the typecheck here).
 */
import type { TFunction } from 'i18next';
import type { ProfileId } from '../../../../shared/jwt';
import type { TemplateId } from './compose-model';

/** A profile's name, with the mode's wording where it matters (Okta is offered for assertions). */
export function profileLabel(t: TFunction, profile: ProfileId): string {
  switch (profile) {
    case 'auth0':
      return t('compose.profile.auth0');
    case 'strict':
      return t('compose.profile.strict');
    case 'fapi1':
      return t('compose.profile.fapi1');
    case 'fapi2':
      return t('compose.profile.fapi2');
    case 'okta':
      return t('compose.profile.okta');
  }
}

/** A template's name. */
export function templateLabel(t: TFunction, id: TemplateId): string {
  switch (id) {
    case 'jar-code':
      return t('compose.templates.jarCode');
    case 'par-jar':
      return t('compose.templates.parJar');
    case 'assertion':
      return t('compose.templates.assertion');
  }
}
