/**
 * Turns a validated client body into the stored client: defaults on create, Auth0's merge rules on update
 * (MGC-8), and the rules that need the whole client or its credentials (MGC-3, MGC-5, MGC-6, CRD-7..9).
 * Everything here is synchronous, so a read-modify-write of the document cannot interleave with another.
 */
import { now } from '../../clock';
import { defaultAuthMethod, defaultGrantTypes, defaultRefreshToken, usesPrivateKeyJwt } from '../state/client-shape';
import type { StoredClient } from '../state/client-shape';
import type { ClientInput, SlotInput } from './client-input';
import type { CredentialInput } from './credential-input';
import type { StoredCredential } from '../state/credential-shape';
import { newClientId, newClientSecret, newCredentialId } from '../state/ids';
import { failed } from './rule-sink';
import { RULES } from '../rules';
import { pass } from '../recording';
import type { RuleSink } from '../recording';

/** The most credential records one client can hold (CRD-8). */
export const MAX_CREDENTIALS_PER_CLIENT = 4;

/** A stored credential for `clientId` from a validated body (created unattached, CRD-11). */
export function newStoredCredential(clientId: string, input: CredentialInput): StoredCredential {
  const at = now().toISOString();
  return {
    id: newCredentialId(),
    client_id: clientId,
    credential_type: 'public_key',
    kid: input.kid ?? input.pem.thumbprint,
    thumbprint: input.pem.thumbprint,
    alg: input.alg,
    name: input.name,
    created_at: at,
    updated_at: at,
    expires_at: input.expires_at,
    pem: input.pem.spkiPem,
    source: input.pem.source,
  };
}

/** CRD-8, CRD-9 and kid uniqueness for `incoming` credentials joining a client that holds `existing`. */
export function checkPool(existing: readonly StoredCredential[], incoming: readonly CredentialInput[], sink: RuleSink): void {
  const total = existing.length + incoming.length;
  if (total > MAX_CREDENTIALS_PER_CLIENT) {
    throw failed(sink, RULES['CRD-8'], 'A client can have a maximum of 4 credentials.', {
      expected: `at most ${MAX_CREDENTIALS_PER_CLIENT} credentials`,
      actual: `${total} credentials`,
      fix: 'Delete a credential that is no longer attached (rotate: create, attach, then delete the old one).',
    });
  }
  pass(sink, RULES['CRD-8'], `at most ${MAX_CREDENTIALS_PER_CLIENT} credentials`, `${total} credentials`);
  const thumbprints = existing.map((c) => c.thumbprint);
  const kids = existing.map((c) => c.kid);
  for (const c of incoming) {
    if (thumbprints.includes(c.pem.thumbprint)) {
      throw failed(sink, RULES['CRD-9'], 'credentials contains public keys that already exist in client', {
        expected: 'a public key not yet registered on this client',
        actual: `key with thumbprint ${c.pem.thumbprint} already registered`,
        fix: 'Use a separate key pair per credential (and per use: JAR vs private_key_jwt).',
      });
    }
    const kid = c.kid ?? c.pem.thumbprint;
    // Two credentials with one kid would make key selection (JWT-10) ambiguous.
    if (kids.includes(kid)) {
      throw failed(sink, RULES['CRD-7'], `kid ${kid} is already used by another credential of this client`, {
        expected: 'a kid unique within the client',
        actual: kid,
      });
    }
    thumbprints.push(c.pem.thumbprint);
    kids.push(kid);
  }
  pass(sink, RULES['CRD-9'], 'each public key once per client', `${thumbprints.length} distinct keys`);
}

/** Resolves update references (MGC-3): each id must be a credential of this client, listed once. */
function resolveRefs(slot: SlotInput, path: string, owned: readonly StoredCredential[], sink: RuleSink): string[] {
  if (!('ids' in slot)) throw new Error('resolveRefs expects references');
  const seen = new Set<string>();
  for (const id of slot.ids) {
    if (!owned.some((c) => c.id === id)) {
      throw failed(sink, RULES['MGC-3'], `credential ${id} does not exist on this client`, {
        expected: `a credential id of this client (${owned.map((c) => c.id).join(', ') || 'none'})`,
        actual: id,
        fix: 'Create the credential with POST /api/v2/clients/{id}/credentials first, then reference its id.',
      });
    }
    if (seen.has(id)) throw failed(sink, RULES['MGC-3'], `credential ${id} is listed twice in ${path}`, { expected: 'distinct ids', actual: id });
    seen.add(id);
  }
  pass(sink, RULES['MGC-3'], 'ids of credentials of this client', `${path}: ${slot.ids.join(', ') || '(empty)'}`);
  return [...slot.ids];
}

/** MGC-5, MGC-6, PKJ-15 and the grant-type rule on the client as it would be saved. */
function checkClient(c: StoredClient, sink: RuleSink): void {
  const pkj = usesPrivateKeyJwt(c);
  if (pkj && c.token_endpoint_auth_method !== null) {
    throw failed(sink, RULES['MGC-5'], 'token_endpoint_auth_method must be null when client_authentication_methods is set', {
      expected: 'token_endpoint_auth_method: null with client_authentication_methods',
      actual: `token_endpoint_auth_method: ${c.token_endpoint_auth_method}`,
      fix: 'Send "token_endpoint_auth_method": null together with client_authentication_methods (or client_authentication_methods: null to go back to a secret).',
    });
  }
  if (!pkj && c.token_endpoint_auth_method === null) {
    throw failed(sink, RULES['MGC-5'], 'token_endpoint_auth_method is required when client_authentication_methods is not set', {
      expected: 'a token_endpoint_auth_method, or client_authentication_methods',
      actual: 'neither',
      fix: 'Send token_endpoint_auth_method (e.g. client_secret_post) together with client_authentication_methods: null.',
    });
  }
  pass(
    sink,
    RULES['MGC-5'],
    'exactly one of the two',
    pkj ? 'client_authentication_methods.private_key_jwt' : `token_endpoint_auth_method: ${c.token_endpoint_auth_method}`,
  );

  if (pkj && c.jwt_configuration.alg === 'HS256') {
    throw failed(sink, RULES['MGC-6'], 'HS256 is not supported with private_key_jwt', {
      expected: 'jwt_configuration.alg RS256 or PS256',
      actual: 'HS256',
      fix: 'Set "jwt_configuration": {"alg": "RS256"}: without a client secret, ID tokens cannot be HMAC-signed.',
    });
  }
  if (pkj) pass(sink, RULES['MGC-6'], 'not HS256', c.jwt_configuration.alg ?? '(unset: RS256)');

  const jar = c.signed_request_object?.credentials ?? [];
  const shared = (c.client_authentication_methods?.private_key_jwt.credentials ?? []).filter((id) => jar.includes(id));
  if (shared.length > 0) {
    throw failed(sink, RULES['CRD-9'], `credential ${shared[0]} cannot be attached to both private_key_jwt and signed_request_object`, {
      expected: 'separate credentials per use (PKJ-15)',
      actual: `${shared.join(', ')} in both slots`,
      fix: 'Register a separate key pair for JAR and for private_key_jwt.',
    });
  }

  if (c.token_endpoint_auth_method === 'none' && c.grant_types.includes('client_credentials')) {
    throw failed(sink, RULES['E-7'], 'Invalid grant types: client_credentials', {
      expected: 'no client_credentials grant for a public client (token_endpoint_auth_method none)',
      actual: c.grant_types.join(', '),
    });
  }
}

/** A new client from a create body, with the credentials its slots create (MGC-2). */
export function buildClient(input: ClientInput, sink: RuleSink): { client: StoredClient; credentials: StoredCredential[] } {
  const s = input.simple;
  const clientId = newClientId();
  const cam = input.client_authentication_methods ?? undefined;
  const sro = input.signed_request_object ?? undefined;
  const incoming = [
    ...(cam && 'create' in cam.private_key_jwt ? cam.private_key_jwt.create : []),
    ...(sro?.credentials && 'create' in sro.credentials ? sro.credentials.create : []),
  ];
  checkPool([], incoming, sink);
  const credentials = incoming.map((c) => newStoredCredential(clientId, c));
  const pkjCount = cam && 'create' in cam.private_key_jwt ? cam.private_key_jwt.create.length : 0;

  if (cam && input.token_endpoint_auth_method !== undefined && input.token_endpoint_auth_method !== null) {
    throw failed(sink, RULES['MGC-5'], 'token_endpoint_auth_method must be null when client_authentication_methods is set', {
      expected: 'no token_endpoint_auth_method with client_authentication_methods',
      actual: `token_endpoint_auth_method: ${input.token_endpoint_auth_method}`,
      fix: 'Leave token_endpoint_auth_method out when creating a private_key_jwt client.',
    });
  }
  const method = cam ? null : input.token_endpoint_auth_method === undefined ? defaultAuthMethod(s.app_type) : input.token_endpoint_auth_method;
  const jwt = input.jwt_configuration;
  const client: StoredClient = {
    client_id: clientId,
    client_secret: newClientSecret(),
    name: s.name ?? '',
    ...(s.description !== undefined ? { description: s.description } : {}),
    ...(s.app_type !== undefined ? { app_type: s.app_type } : {}),
    ...(s.logo_uri !== undefined ? { logo_uri: s.logo_uri } : {}),
    is_first_party: s.is_first_party ?? true,
    is_token_endpoint_ip_header_trusted: s.is_token_endpoint_ip_header_trusted ?? false,
    oidc_conformant: s.oidc_conformant ?? false,
    // Recordings: without jwt_configuration Auth0 fills secret_encoded and a 10 h lifetime; with one, only secret_encoded is added.
    jwt_configuration: jwt
      ? {
          secret_encoded: jwt.secret_encoded ?? false,
          ...(jwt.alg ? { alg: jwt.alg } : {}),
          ...(jwt.lifetime_in_seconds !== undefined ? { lifetime_in_seconds: jwt.lifetime_in_seconds } : {}),
        }
      : { secret_encoded: false, lifetime_in_seconds: 36_000 },
    sso_disabled: s.sso_disabled ?? false,
    cross_origin_authentication: s.cross_origin_authentication ?? false,
    ...(s.callbacks ? { callbacks: s.callbacks } : {}),
    ...(s.allowed_logout_urls ? { allowed_logout_urls: s.allowed_logout_urls } : {}),
    ...(s.allowed_origins ? { allowed_origins: s.allowed_origins } : {}),
    ...(s.web_origins ? { web_origins: s.web_origins } : {}),
    ...(s.initiate_login_uri !== undefined ? { initiate_login_uri: s.initiate_login_uri } : {}),
    grant_types: s.grant_types ?? defaultGrantTypes(method),
    custom_login_page_on: s.custom_login_page_on ?? true,
    token_endpoint_auth_method: method,
    refresh_token: { ...defaultRefreshToken(s.app_type, s.oidc_conformant ?? false), ...input.refresh_token },
    ...(cam ? { client_authentication_methods: { private_key_jwt: { credentials: credentials.slice(0, pkjCount).map((c) => c.id) } } } : {}),
    ...(sro
      ? {
          signed_request_object: {
            ...(sro.required !== undefined ? { required: sro.required } : {}),
            ...(sro.credentials ? { credentials: credentials.slice(pkjCount).map((c) => c.id) } : {}),
          },
        }
      : {}),
    ...(s.require_pushed_authorization_requests !== undefined ? { require_pushed_authorization_requests: s.require_pushed_authorization_requests } : {}),
    ...(s.require_proof_of_possession !== undefined ? { require_proof_of_possession: s.require_proof_of_possession } : {}),
    ...(input.compliance_level !== undefined ? { compliance_level: input.compliance_level } : {}),
    ...(input.client_metadata ? { client_metadata: input.client_metadata } : {}),
    created_at: now().toISOString(),
  };
  checkClient(client, sink);
  if (credentials.length > 0) pass(sink, RULES['CRD-10'], 'created and attached', credentials.map((c) => c.id).join(', '));
  return { client, credentials };
}

/** The client after a PATCH body; `owned` are the client's credentials (MGC-3). */
export function applyClientPatch(current: StoredClient, input: ClientInput, owned: readonly StoredCredential[], sink: RuleSink): StoredClient {
  const next: StoredClient = { ...current, ...input.simple };
  if (input.jwt_configuration) next.jwt_configuration = { ...current.jwt_configuration, ...input.jwt_configuration };
  if (input.refresh_token) next.refresh_token = { ...current.refresh_token, ...input.refresh_token };
  if (input.client_metadata) next.client_metadata = { ...current.client_metadata, ...input.client_metadata };
  if (input.compliance_level !== undefined) next.compliance_level = input.compliance_level;
  if (input.token_endpoint_auth_method !== undefined) next.token_endpoint_auth_method = input.token_endpoint_auth_method;

  if (input.client_authentication_methods === null) delete next.client_authentication_methods;
  else if (input.client_authentication_methods) {
    const path = 'client_authentication_methods.private_key_jwt.credentials';
    next.client_authentication_methods = {
      private_key_jwt: { credentials: resolveRefs(input.client_authentication_methods.private_key_jwt, path, owned, sink) },
    };
  }

  if (input.signed_request_object === null) {
    delete next.signed_request_object;
    pass(sink, RULES['MGC-8'], 'null clears signed_request_object', 'cleared');
  } else if (input.signed_request_object) {
    // Merge, not replace: {"required": true} alone keeps the attached credentials (O3).
    const sro = { ...current.signed_request_object };
    if (input.signed_request_object.required !== undefined) sro.required = input.signed_request_object.required;
    if (input.signed_request_object.credentials)
      sro.credentials = resolveRefs(input.signed_request_object.credentials, 'signed_request_object.credentials', owned, sink);
    next.signed_request_object = sro;
    pass(sink, RULES['MGC-8'], 'merged into the existing signed_request_object', JSON.stringify(sro));
  }
  checkClient(next, sink);
  return next;
}
