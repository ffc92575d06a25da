/** The kind of a JWT a flow step recorded, for runs recorded before steps carried it. */
import type { FlowJwt, FlowJwtKind } from '../../../../shared/schemas/flows';

/** The English labels electron/core/flows/jwts-in.ts has always recorded, and the kind each names. */
const KIND_BY_LABEL: Readonly<Record<string, FlowJwtKind>> = {
  'Request object': 'requestObject',
  'Client assertion': 'clientAssertion',
  'ID token': 'idToken',
  'Access token': 'accessToken',
  'Logout token': 'logoutToken',
};

/** The JWT's kind: the recorded one, else the one its (older, English) label names; undefined for another parameter. */
export function jwtKindOf(jwt: Pick<FlowJwt, 'label' | 'kind'>): FlowJwtKind | undefined {
  return jwt.kind ?? (Object.hasOwn(KIND_BY_LABEL, jwt.label) ? KIND_BY_LABEL[jwt.label] : undefined);
}

/** The form or query parameters whose JWT Parley names (electron/core/flows/jwts-in.ts records the same kinds). */
const KIND_BY_PARAMETER: Readonly<Record<string, FlowJwtKind>> = {
  request: 'requestObject',
  client_assertion: 'clientAssertion',
  id_token: 'idToken',
  access_token: 'accessToken',
  logout_token: 'logoutToken',
};

/** The kind of the JWT a parameter carries (a paused request's fields), or undefined for another parameter. */
export function jwtKindOfParameter(name: string): FlowJwtKind | undefined {
  return Object.hasOwn(KIND_BY_PARAMETER, name) ? KIND_BY_PARAMETER[name] : undefined;
}
