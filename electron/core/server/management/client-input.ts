/**
 * Validates POST and PATCH /api/v2/clients bodies field by field, with Auth0's payload-validation words.
 * Slots differ by operation: on create they hold full credential objects (MGC-2), on update only
 * `{id}` references (MGC-3). Rules that depend on the stored client (MGC-3 ownership, MGC-5, MGC-6, CRD-8,
 * CRD-9) are applied in client-merge.ts, once the request is known to be well-formed.
 */
import { isDeepStrictEqual } from 'node:util';
import { forbiddenScheme } from '../../../../shared/jwt/redirect-uri';
import type { SecretAuthMethod } from '../state/types';
import { APP_TYPES, COMPLIANCE_LEVELS, ID_TOKEN_ALGS, SECRET_AUTH_METHODS } from '../state/client-shape';
import type { RefreshTokenSettings, StoredClient } from '../state/client-shape';
import { parseCredentialInput } from './credential-input';
import type { CredentialInput } from './credential-input';
import type { Field, JsonObject } from './payload';
import { failed } from './rule-sink';
import { RULES } from '../rules';
import { DPOP_RULES } from '../rules-dpop';
import { pass } from '../recording';

/** Which operation a body is for. */
export type ClientOperation = 'create' | 'update';

/** A slot's credentials: created from full objects (create) or referenced by id (update). */
export type SlotInput = { create: CredentialInput[] } | { ids: string[] };

/** The jwt_configuration members sent. */
export interface JwtConfigurationInput {
  secret_encoded?: boolean;
  alg?: (typeof ID_TOKEN_ALGS)[number];
  lifetime_in_seconds?: number;
}

/** A validated client body: only the properties that were sent. `null` clears the nullable ones. */
export interface ClientInput {
  simple: Partial<Pick<StoredClient, SimpleKey>>;
  jwt_configuration?: JwtConfigurationInput;
  refresh_token?: Partial<RefreshTokenSettings>;
  token_endpoint_auth_method?: SecretAuthMethod | null;
  client_authentication_methods?: { private_key_jwt: SlotInput } | null;
  signed_request_object?: { required?: boolean; credentials?: SlotInput } | null;
  compliance_level?: StoredClient['compliance_level'];
  client_metadata?: Record<string, string>;
}

type SimpleKey =
  | 'name'
  | 'description'
  | 'app_type'
  | 'logo_uri'
  | 'is_first_party'
  | 'is_token_endpoint_ip_header_trusted'
  | 'oidc_conformant'
  | 'sso_disabled'
  | 'cross_origin_authentication'
  | 'callbacks'
  | 'allowed_logout_urls'
  | 'allowed_origins'
  | 'web_origins'
  | 'initiate_login_uri'
  | 'grant_types'
  | 'custom_login_page_on'
  | 'require_pushed_authorization_requests'
  | 'require_proof_of_possession';

const BOOLEANS = [
  'is_first_party',
  'is_token_endpoint_ip_header_trusted',
  'oidc_conformant',
  'sso_disabled',
  'cross_origin_authentication',
  'custom_login_page_on',
] as const;
const URL_LISTS = ['callbacks', 'allowed_logout_urls', 'allowed_origins', 'web_origins'] as const;
const URLS = ['logo_uri', 'initiate_login_uri'] as const;

/** Every property a client body may have. */
export const CLIENT_PROPS = [
  'name',
  'description',
  'app_type',
  ...BOOLEANS,
  'jwt_configuration',
  ...URL_LISTS,
  ...URLS,
  'grant_types',
  'token_endpoint_auth_method',
  'refresh_token',
  'client_authentication_methods',
  'signed_request_object',
  'require_pushed_authorization_requests',
  'require_proof_of_possession',
  'compliance_level',
  'client_metadata',
] as const;

/** Grant types Auth0 knows. */
export const GRANT_TYPES = [
  'authorization_code',
  'implicit',
  'refresh_token',
  'client_credentials',
  'password',
  'http://auth0.com/oauth/grant-type/password-realm',
  'http://auth0.com/oauth/grant-type/passwordless/otp',
  'http://auth0.com/oauth/grant-type/mfa-oob',
  'http://auth0.com/oauth/grant-type/mfa-otp',
  'http://auth0.com/oauth/grant-type/mfa-recovery-code',
  'urn:ietf:params:oauth:grant-type:device_code',
  'urn:ietf:params:oauth:grant-type:jwt-bearer',
  'urn:ietf:params:oauth:grant-type:token-exchange',
  'urn:openid:params:grant-type:ciba',
] as const;

function absoluteUrl(value: string, field: Field): void {
  let ok = false;
  try {
    ok = value === '' || new URL(value).protocol.length > 1;
  } catch {
    ok = false;
  }
  if (!ok) throw field.error(`Object didn't pass validation for format absolute-uri-or-empty: ${value}`, 'an absolute URI', value);
}

/** The URL lists the server redirects browsers to: a scheme that runs code or reads local files is refused (RED-3). */
const REDIRECT_LISTS: readonly string[] = ['callbacks', 'allowed_logout_urls'];

function redirectUrl(value: string, field: Field): void {
  absoluteUrl(value, field);
  const scheme = forbiddenScheme(value);
  if (scheme !== undefined) {
    throw field
      .as(RULES['RED-3'])
      .error(
        `URL scheme "${scheme}" is not allowed: ${value}`,
        'an http(s) URL, or a private-use scheme of a native app',
        value,
        'Register the https (or loopback http) URL of the application, or its native app scheme.',
      );
  }
}

function parseJwtConfiguration(value: unknown, field: Field): JwtConfigurationInput {
  const obj = field.object(value, ['alg', 'lifetime_in_seconds', 'secret_encoded']);
  const out: JwtConfigurationInput = {};
  if (obj.alg !== undefined) out.alg = field.at('alg').oneOf(obj.alg, ID_TOKEN_ALGS);
  if (obj.lifetime_in_seconds !== undefined) out.lifetime_in_seconds = field.at('lifetime_in_seconds').integer(obj.lifetime_in_seconds, 0, 36_000_000);
  if (obj.secret_encoded !== undefined) out.secret_encoded = field.at('secret_encoded').boolean(obj.secret_encoded);
  return out;
}

function parseRefreshToken(value: unknown, field: Field): Partial<RefreshTokenSettings> {
  const keys = [
    'rotation_type',
    'expiration_type',
    'leeway',
    'token_lifetime',
    'infinite_token_lifetime',
    'infinite_idle_token_lifetime',
    'idle_token_lifetime',
  ];
  const obj = field.object(value, keys);
  const out: Partial<RefreshTokenSettings> = {};
  if (obj.rotation_type !== undefined) out.rotation_type = field.at('rotation_type').oneOf(obj.rotation_type, ['rotating', 'non-rotating'] as const);
  if (obj.expiration_type !== undefined) out.expiration_type = field.at('expiration_type').oneOf(obj.expiration_type, ['expiring', 'non-expiring'] as const);
  for (const key of ['leeway', 'token_lifetime', 'idle_token_lifetime'] as const) {
    if (obj[key] !== undefined) out[key] = field.at(key).integer(obj[key], 0, 315_360_000);
  }
  for (const key of ['infinite_token_lifetime', 'infinite_idle_token_lifetime'] as const) {
    if (obj[key] !== undefined) out[key] = field.at(key).boolean(obj[key]);
  }
  return out;
}

async function parseSlot(value: unknown, field: Field, op: ClientOperation): Promise<SlotInput> {
  // At most 2 per slot (MGC-4), checked before anything inside the items so the message is Auth0's.
  const items = field.as(RULES['MGC-4']).array(value, 2);
  pass(field.sink, RULES['MGC-4'], 'at most 2 credentials', `${items.length} on ${field.path}`);
  if (op === 'create') {
    const create: CredentialInput[] = [];
    for (const [i, item] of items.entries()) create.push(await parseCredentialInput(item, field.at(i, RULES['MGC-2'])));
    pass(field.sink, RULES['MGC-2'], 'full credential objects', `${create.length} on ${field.path}`);
    return { create };
  }
  const ids = items.map((item, i) => {
    const ref = field.at(i, RULES['MGC-3']).object(item, ['id']);
    field.at(i, RULES['MGC-3']).required(ref, 'id');
    return field.at(i, RULES['MGC-3']).at('id').string(ref.id, 1, 64);
  });
  return { ids };
}

/** The nested `client_authentication_methods.jwt_configuration` of Auth0's Private Key JWT guide, merged into the body's own. */
function hoistJwtConfiguration(nested: JwtConfigurationInput, top: JwtConfigurationInput | undefined, field: Field): JwtConfigurationInput {
  if (top !== undefined && !isDeepStrictEqual(top, nested)) {
    throw failed(field.sink, RULES['MGC-6'], 'jwt_configuration is given twice (top level and inside client_authentication_methods) with different values', {
      expected: 'one jwt_configuration',
      actual: `${JSON.stringify(top)} vs ${JSON.stringify(nested)}`,
      fix: 'Send jwt_configuration once, at the top level of the body.',
    });
  }
  pass(
    field.sink,
    RULES['MGC-6'],
    'jwt_configuration at the top level',
    `taken from client_authentication_methods.jwt_configuration (as written in Auth0's Configure Private Key JWT guide): ${JSON.stringify(nested)}`,
  );
  return nested;
}

/** Validates a client body for `op`. */
export async function parseClientBody(body: unknown, field: Field, op: ClientOperation): Promise<ClientInput> {
  const obj: JsonObject = field.object(body, CLIENT_PROPS);
  const input: ClientInput = { simple: {} };
  const s = input.simple;
  if (op === 'create') field.required(obj, 'name');
  if (obj.name !== undefined) s.name = field.at('name').string(obj.name, 1, 255);
  if (obj.description !== undefined) s.description = field.at('description').string(obj.description, 0, 140);
  if (obj.app_type !== undefined) s.app_type = field.at('app_type').oneOf(obj.app_type, APP_TYPES);
  for (const key of BOOLEANS) if (obj[key] !== undefined) s[key] = field.at(key).boolean(obj[key]);
  for (const key of URL_LISTS)
    if (obj[key] !== undefined) s[key] = field.at(key).strings(obj[key], 100, REDIRECT_LISTS.includes(key) ? redirectUrl : absoluteUrl);
  for (const key of URLS) {
    if (obj[key] === undefined) continue;
    const url = field.at(key).string(obj[key], 0, 2048);
    absoluteUrl(url, field.at(key));
    s[key] = url;
  }
  if (obj.grant_types !== undefined) {
    s.grant_types = field.at('grant_types').strings(obj.grant_types, 32, (g, f) => {
      if (!(GRANT_TYPES as readonly string[]).includes(g)) throw f.error(`Invalid value ${JSON.stringify(g)}`, GRANT_TYPES.join(' | '), g);
    });
  }
  if (obj.jwt_configuration !== undefined) input.jwt_configuration = parseJwtConfiguration(obj.jwt_configuration, field.at('jwt_configuration'));
  if (obj.refresh_token !== undefined) input.refresh_token = parseRefreshToken(obj.refresh_token, field.at('refresh_token'));
  if (obj.client_metadata !== undefined) {
    const f = field.at('client_metadata');
    const raw = obj.client_metadata;
    // Any key is allowed; the object() call only checks that it is an object.
    const meta = f.object(raw, typeof raw === 'object' && raw !== null ? Object.keys(raw) : []);
    input.client_metadata = Object.fromEntries(Object.entries(meta).map(([k, v]) => [k, f.at(k).string(v, 0, 255)]));
  }

  if (obj.require_pushed_authorization_requests !== undefined) {
    s.require_pushed_authorization_requests = field
      .at('require_pushed_authorization_requests', RULES['MGC-9'])
      .boolean(obj.require_pushed_authorization_requests);
    pass(field.sink, RULES['MGC-9'], 'a boolean', String(s.require_pushed_authorization_requests));
  }
  if (obj.require_proof_of_possession !== undefined) {
    s.require_proof_of_possession = field.at('require_proof_of_possession', DPOP_RULES['DPC-1']).boolean(obj.require_proof_of_possession);
    pass(field.sink, DPOP_RULES['DPC-1'], 'a boolean', String(s.require_proof_of_possession));
  }
  if (obj.compliance_level !== undefined) {
    input.compliance_level = obj.compliance_level === null ? null : field.at('compliance_level', RULES['MGC-9']).oneOf(obj.compliance_level, COMPLIANCE_LEVELS);
    pass(field.sink, RULES['MGC-9'], `null | ${COMPLIANCE_LEVELS.join(' | ')}`, String(input.compliance_level));
  }

  if (obj.token_endpoint_auth_method !== undefined) {
    const f = field.at('token_endpoint_auth_method', RULES['MGC-7']);
    if (obj.token_endpoint_auth_method === null) input.token_endpoint_auth_method = null;
    else if (obj.token_endpoint_auth_method === 'private_key_jwt') {
      throw f.error(
        'Invalid value "private_key_jwt"',
        SECRET_AUTH_METHODS.join(' | '),
        'private_key_jwt',
        'Set client_authentication_methods.private_key_jwt.credentials and send token_endpoint_auth_method: null.',
      );
    } else input.token_endpoint_auth_method = f.oneOf(obj.token_endpoint_auth_method, SECRET_AUTH_METHODS);
    pass(field.sink, RULES['MGC-7'], `null | ${SECRET_AUTH_METHODS.join(' | ')}`, String(input.token_endpoint_auth_method));
  }

  if (obj.client_authentication_methods !== undefined && obj.client_authentication_methods !== null) {
    const f = field.at('client_authentication_methods');
    const cam = f.object(obj.client_authentication_methods, ['private_key_jwt', 'jwt_configuration']);
    f.required(cam, 'private_key_jwt');
    const pkj = f.at('private_key_jwt').object(cam.private_key_jwt, ['credentials']);
    f.at('private_key_jwt').required(pkj, 'credentials');
    input.client_authentication_methods = { private_key_jwt: await parseSlot(pkj.credentials, f.at('private_key_jwt').at('credentials'), op) };
    if (cam.jwt_configuration !== undefined) {
      input.jwt_configuration = hoistJwtConfiguration(parseJwtConfiguration(cam.jwt_configuration, f.at('jwt_configuration')), input.jwt_configuration, f);
    }
  } else if (obj.client_authentication_methods === null) input.client_authentication_methods = null;

  if (obj.signed_request_object !== undefined && obj.signed_request_object !== null) {
    const f = field.at('signed_request_object');
    const sro = f.object(obj.signed_request_object, ['required', 'credentials']);
    const out: { required?: boolean; credentials?: SlotInput } = {};
    if (sro.required !== undefined) out.required = f.at('required').boolean(sro.required);
    if (sro.credentials !== undefined) out.credentials = await parseSlot(sro.credentials, f.at('credentials'), op);
    input.signed_request_object = out;
  } else if (obj.signed_request_object === null) input.signed_request_object = null;

  return input;
}
