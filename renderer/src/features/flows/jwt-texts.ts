/**
 * A recorded JWT named in the UI language. The name and every sentence that holds it are whole catalogue
 * entries per kind (French articles and contractions differ: « l’objet de requête », « du jeton d’ID »),
 * never an English label inserted into a translated sentence. A JWT in a parameter Parley has no name for
 * keeps the parameter's name, which is protocol text in every language.
 */
import type { TFunction } from 'i18next';
import { jwtKindOf } from './jwt-kind';
import type { FlowJwt } from '../../../../shared/schemas/flows';

/** The texts that name a JWT. `code` is true when `name` is a parameter's name (shown as code). */
export interface JwtTexts {
  name: string;
  /** "Open the ID token in Inspect" (a link's text). */
  open: string;
  /** "ID token (decoded)" (a heading). */
  decoded: string;
  copyHeader: string;
  copyPayload: string;
  code: boolean;
}

/** The texts of a recorded JWT, from its kind (or, in older history, the English label that names it). */
export function jwtTexts(t: TFunction, jwt: Pick<FlowJwt, 'label' | 'kind'>): JwtTexts {
  switch (jwtKindOf(jwt)) {
    case 'requestObject':
      return {
        name: t('flows.jwt.requestObject.name'),
        open: t('flows.jwt.requestObject.open'),
        decoded: t('flows.jwt.requestObject.decoded'),
        copyHeader: t('flows.jwt.requestObject.copyHeader'),
        copyPayload: t('flows.jwt.requestObject.copyPayload'),
        code: false,
      };
    case 'clientAssertion':
      return {
        name: t('flows.jwt.clientAssertion.name'),
        open: t('flows.jwt.clientAssertion.open'),
        decoded: t('flows.jwt.clientAssertion.decoded'),
        copyHeader: t('flows.jwt.clientAssertion.copyHeader'),
        copyPayload: t('flows.jwt.clientAssertion.copyPayload'),
        code: false,
      };
    case 'idToken':
      return {
        name: t('flows.jwt.idToken.name'),
        open: t('flows.jwt.idToken.open'),
        decoded: t('flows.jwt.idToken.decoded'),
        copyHeader: t('flows.jwt.idToken.copyHeader'),
        copyPayload: t('flows.jwt.idToken.copyPayload'),
        code: false,
      };
    case 'accessToken':
      return {
        name: t('flows.jwt.accessToken.name'),
        open: t('flows.jwt.accessToken.open'),
        decoded: t('flows.jwt.accessToken.decoded'),
        copyHeader: t('flows.jwt.accessToken.copyHeader'),
        copyPayload: t('flows.jwt.accessToken.copyPayload'),
        code: false,
      };
    case 'logoutToken':
      return {
        name: t('flows.jwt.logoutToken.name'),
        open: t('flows.jwt.logoutToken.open'),
        decoded: t('flows.jwt.logoutToken.decoded'),
        copyHeader: t('flows.jwt.logoutToken.copyHeader'),
        copyPayload: t('flows.jwt.logoutToken.copyPayload'),
        code: false,
      };
    case undefined: {
      const label = jwt.label;
      return {
        name: label,
        open: t('flows.run.openInInspect', { label }),
        decoded: t('flows.sequence.jwt', { label }),
        copyHeader: t('flows.sequence.copyHeader', { label }),
        copyPayload: t('flows.sequence.copyPayload', { label }),
        code: true,
      };
    }
  }
}
