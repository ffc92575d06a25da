/**
 * A stored client (application) and its three faces: Auth0's Management API JSON (fields in the order the
 * recordings show), the UI's copy without secrets, and the ClientView the Authentication API reads.
 * Defaults on create follow the recordings (TestAccClientCanSetDefaultAuthMethodOnCreate and others).
 */
import { z } from 'zod';
import type { ServerClient } from '../../../../shared/schemas/server';
import type { ClientView, SecretAuthMethod } from './types';

/** Auth0's application types. */
export const APP_TYPES = ['regular_web', 'spa', 'native', 'non_interactive'] as const;
/** Values of token_endpoint_auth_method (MGC-7): private_key_jwt is not one of them. */
export const SECRET_AUTH_METHODS: readonly SecretAuthMethod[] = ['none', 'client_secret_post', 'client_secret_basic'];
/** ID token signing algorithms (jwt_configuration.alg). */
export const ID_TOKEN_ALGS = ['HS256', 'RS256', 'PS256'] as const;
/** Auth0 compliance levels (MGC-9). */
export const COMPLIANCE_LEVELS = ['none', 'fapi1_adv_mtls_par', 'fapi1_adv_pkj_par', 'fapi2_sp_pkj_mtls', 'fapi2_sp_mtls_mtls'] as const;

const refreshTokenSchema = z
  .object({
    rotation_type: z.enum(['rotating', 'non-rotating']),
    expiration_type: z.enum(['expiring', 'non-expiring']),
    leeway: z.number().int(),
    token_lifetime: z.number().int(),
    infinite_token_lifetime: z.boolean(),
    infinite_idle_token_lifetime: z.boolean(),
    idle_token_lifetime: z.number().int(),
  })
  .strict();

/** Auth0's refresh_token settings block. */
export type RefreshTokenSettings = z.infer<typeof refreshTokenSchema>;

const urls = z.array(z.string().max(2048)).max(100);

/** A client as stored in clients.json. The secret is kept even while private_key_jwt hides it (it returns on revert, O3). */
export const storedClientSchema = z
  .object({
    client_id: z.string().min(1).max(128),
    client_secret: z.string().min(1),
    name: z.string().max(255),
    description: z.string().max(140).optional(),
    app_type: z.enum(APP_TYPES).optional(),
    logo_uri: z.string().max(2048).optional(),
    is_first_party: z.boolean(),
    is_token_endpoint_ip_header_trusted: z.boolean(),
    oidc_conformant: z.boolean(),
    jwt_configuration: z
      .object({ secret_encoded: z.boolean(), alg: z.enum(ID_TOKEN_ALGS).optional(), lifetime_in_seconds: z.number().int().optional() })
      .strict(),
    sso_disabled: z.boolean(),
    cross_origin_authentication: z.boolean(),
    callbacks: urls.optional(),
    allowed_logout_urls: urls.optional(),
    allowed_origins: urls.optional(),
    web_origins: urls.optional(),
    initiate_login_uri: z.string().max(2048).optional(),
    grant_types: z.array(z.string().max(256)).max(32),
    custom_login_page_on: z.boolean(),
    token_endpoint_auth_method: z.enum(['none', 'client_secret_post', 'client_secret_basic']).nullable(),
    refresh_token: refreshTokenSchema,
    /** Present while private_key_jwt is on; the ids of the attached credentials. */
    client_authentication_methods: z
      .object({ private_key_jwt: z.object({ credentials: z.array(z.string()).max(2) }).strict() })
      .strict()
      .optional(),
    /** Absent until first set (MGC-8). */
    signed_request_object: z
      .object({ required: z.boolean().optional(), credentials: z.array(z.string()).max(2).optional() })
      .strict()
      .optional(),
    require_pushed_authorization_requests: z.boolean().optional(),
    compliance_level: z.enum(COMPLIANCE_LEVELS).nullable().optional(),
    /** DPC-1: absent until first set; read back as false. */
    require_proof_of_possession: z.boolean().optional(),
    client_metadata: z.record(z.string(), z.string().max(255)).optional(),
    created_at: z.string(),
    /** The Management API's own client, created at first start. */
    parley_management: z.literal(true).optional(),
  })
  .strict();

/** A stored client. */
export type StoredClient = z.infer<typeof storedClientSchema>;

/** The default token_endpoint_auth_method: public app types have no secret to send. */
export function defaultAuthMethod(appType: string | undefined): SecretAuthMethod {
  return appType === 'spa' || appType === 'native' ? 'none' : 'client_secret_post';
}

/** Auth0's default grant types (O3); a client without a secret cannot use client_credentials. */
export function defaultGrantTypes(method: SecretAuthMethod | null): string[] {
  return method === 'none' ? ['authorization_code', 'implicit', 'refresh_token'] : ['authorization_code', 'implicit', 'refresh_token', 'client_credentials'];
}

/** Auth0's refresh_token defaults; an OIDC-conformant native app gets shorter lifetimes (O3). */
export function defaultRefreshToken(appType: string | undefined, oidcConformant: boolean): RefreshTokenSettings {
  const native = appType === 'native' && oidcConformant;
  return {
    rotation_type: 'non-rotating',
    expiration_type: 'non-expiring',
    leeway: 0,
    token_lifetime: native ? 2_592_000 : 31_557_600,
    infinite_token_lifetime: true,
    infinite_idle_token_lifetime: true,
    idle_token_lifetime: native ? 1_296_000 : 2_592_000,
  };
}

/** True while private_key_jwt is the client's authentication method. */
export function usesPrivateKeyJwt(c: StoredClient): boolean {
  return c.client_authentication_methods !== undefined;
}

/** The Management API JSON of a client. */
export type ClientJson = Record<string, unknown> & { client_id: string; name: string };

/**
 * Auth0's JSON for a client, in the recordings' field order. `client_secret` and `token_endpoint_auth_method`
 * drop out while private_key_jwt is on and come back on revert (MGC-7, O3); optional fields appear only once set.
 */
export function clientJson(c: StoredClient, options: { secrets: boolean }): ClientJson {
  const pkj = usesPrivateKeyJwt(c);
  const out: Record<string, unknown> = { name: c.name };
  if (c.description !== undefined) out.description = c.description;
  out.client_id = c.client_id;
  if (options.secrets && !pkj) out.client_secret = c.client_secret;
  if (c.app_type !== undefined) out.app_type = c.app_type;
  if (c.logo_uri !== undefined) out.logo_uri = c.logo_uri;
  out.is_first_party = c.is_first_party;
  out.is_token_endpoint_ip_header_trusted = c.is_token_endpoint_ip_header_trusted;
  out.oidc_conformant = c.oidc_conformant;
  const jwt: Record<string, unknown> = { secret_encoded: c.jwt_configuration.secret_encoded };
  if (c.jwt_configuration.alg !== undefined) jwt.alg = c.jwt_configuration.alg;
  if (c.jwt_configuration.lifetime_in_seconds !== undefined) jwt.lifetime_in_seconds = c.jwt_configuration.lifetime_in_seconds;
  out.jwt_configuration = jwt;
  out.sso_disabled = c.sso_disabled;
  out.cross_origin_authentication = c.cross_origin_authentication;
  for (const key of ['callbacks', 'allowed_logout_urls', 'allowed_origins', 'web_origins', 'initiate_login_uri'] as const) {
    if (c[key] !== undefined) out[key] = Array.isArray(c[key]) ? [...c[key]] : c[key];
  }
  out.grant_types = [...c.grant_types];
  out.custom_login_page_on = c.custom_login_page_on;
  if (!pkj && c.token_endpoint_auth_method !== null) out.token_endpoint_auth_method = c.token_endpoint_auth_method;
  out.refresh_token = { ...c.refresh_token };
  if (c.client_authentication_methods) {
    out.client_authentication_methods = { private_key_jwt: { credentials: c.client_authentication_methods.private_key_jwt.credentials.map((id) => ({ id })) } };
  }
  if (c.signed_request_object) {
    const sro: Record<string, unknown> = {};
    if (c.signed_request_object.required !== undefined) sro.required = c.signed_request_object.required;
    if (c.signed_request_object.credentials !== undefined) sro.credentials = c.signed_request_object.credentials.map((id) => ({ id }));
    out.signed_request_object = sro;
  }
  if (c.require_pushed_authorization_requests !== undefined) out.require_pushed_authorization_requests = c.require_pushed_authorization_requests;
  if (c.compliance_level !== undefined) out.compliance_level = c.compliance_level;
  // DPC-1: Auth0's reads show the field, false by default (Terraform recordings, DO9).
  out.require_proof_of_possession = c.require_proof_of_possession ?? false;
  if (c.client_metadata !== undefined) out.client_metadata = { ...c.client_metadata };
  return out as ClientJson;
}

/** The UI's copy: the same JSON without any secret, marking the Management API's own client. */
export function clientUiJson(c: StoredClient): ServerClient {
  const json = clientJson(c, { secrets: false }) as ServerClient;
  return c.parley_management ? { ...json, parley_management: true } : json;
}

/** What the Authentication API reads (state/types.ts). */
export function clientView(c: StoredClient): ClientView {
  const pkj = usesPrivateKeyJwt(c);
  return {
    client_id: c.client_id,
    name: c.name,
    app_type: c.app_type ?? 'regular_web',
    is_first_party: c.is_first_party,
    client_secret: pkj ? undefined : c.client_secret,
    token_endpoint_auth_method: pkj ? null : c.token_endpoint_auth_method,
    private_key_jwt: pkj,
    callbacks: [...(c.callbacks ?? [])],
    allowed_logout_urls: [...(c.allowed_logout_urls ?? [])],
    allowed_origins: [...(c.allowed_origins ?? [])],
    web_origins: [...(c.web_origins ?? [])],
    grant_types: [...c.grant_types],
    // An absent alg is treated as RS256, as Auth0's dashboard creates applications (ClientView's contract).
    id_token_alg: c.jwt_configuration.alg ?? 'RS256',
    id_token_lifetime_seconds: c.jwt_configuration.lifetime_in_seconds ?? 36_000,
    signed_request_object: c.signed_request_object ? { required: c.signed_request_object.required ?? false } : null,
    require_pushed_authorization_requests: c.require_pushed_authorization_requests ?? false,
    compliance_level: c.compliance_level === undefined || c.compliance_level === 'none' ? null : c.compliance_level,
    require_proof_of_possession: c.require_proof_of_possession ?? false,
    is_management_client: c.parley_management === true,
    ...(c.refresh_token.rotation_type === 'rotating' ? { refresh_rotation: { leeway_seconds: Math.max(0, c.refresh_token.leeway) } } : {}),
  };
}
