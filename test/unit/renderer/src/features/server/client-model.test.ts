import { describe, expect, it } from 'vitest';
import type { KeySummary } from '../../../../../../shared/schemas/keys';
import type { RequestTrace, ServerClient, ServerCredential } from '../../../../../../shared/schemas/server';
import {
  assignBody,
  authMethodBody,
  authMethodOf,
  createClientBody,
  dateInputToIso,
  eligibleVaultKeys,
  enableClientCredentialsBody,
  enablePrivateKeyJwtBody,
  hasClientCredentials,
  isCertificatePem,
  isExpired,
  isoToDateInput,
  issuerUrl,
  jarBody,
  orderedRules,
  parseLines,
  reusesKeyAcrossSlots,
  revertToSecretBody,
  scopeOptions,
  slotHasRoom,
  slotIds,
  slotsOf,
} from '../../../../../../renderer/src/features/server/client-model';

function client(extra: Partial<ServerClient> = {}): ServerClient {
  return { client_id: 'abcDEF123456', name: 'App', app_type: 'regular_web', token_endpoint_auth_method: 'client_secret_post', ...extra };
}

function credential(id: string, kid = `kid-${id}`): ServerCredential {
  return {
    id,
    credential_type: 'public_key',
    kid,
    alg: 'RS256',
    name: id,
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: '2026-01-01T00:00:00.000Z',
    expires_at: null,
  };
}

function key(thumbprint: string, extra: Partial<KeySummary> = {}): KeySummary {
  return {
    id: `key-${thumbprint}`,
    name: thumbprint,
    kty: 'RSA',
    size: 2048,
    algs: ['RS256'],
    usages: [],
    thumbprint,
    hasPrivateKey: true,
    createdAt: '2026-01-01T00:00:00.000Z',
    expiresAt: null,
    certificate: null,
    warnings: [],
    ...extra,
  };
}

const pkj = (ids: string[]) => ({ client_authentication_methods: { private_key_jwt: { credentials: ids.map((id) => ({ id })) } } });

describe('Server client model › authentication method', () => {
  it('reads the method: Private Key JWT wins, a missing method defaults to Client Secret (Post)', () => {
    expect(authMethodOf(client())).toBe('client_secret_post');
    expect(authMethodOf(client({ token_endpoint_auth_method: 'none' }))).toBe('none');
    expect(authMethodOf(client({ token_endpoint_auth_method: undefined, ...pkj(['cred_a']) }))).toBe('private_key_jwt');
    expect(authMethodOf(client({ token_endpoint_auth_method: undefined }))).toBe('client_secret_post');
    expect(authMethodOf(client({ client_authentication_methods: null }))).toBe('client_secret_post');
  });

  it('sends the MGC-5 bodies to switch to Private Key JWT and back', () => {
    expect(enablePrivateKeyJwtBody(['cred_a'])).toEqual({
      token_endpoint_auth_method: null,
      client_authentication_methods: { private_key_jwt: { credentials: [{ id: 'cred_a' }] } },
    });
    expect(revertToSecretBody('client_secret_post')).toEqual({ client_authentication_methods: null, token_endpoint_auth_method: 'client_secret_post' });
    expect(authMethodBody(client(), 'private_key_jwt', ['cred_a'])).toEqual(enablePrivateKeyJwtBody(['cred_a']));
    expect(authMethodBody(client({ token_endpoint_auth_method: undefined, ...pkj(['cred_a']) }), 'client_secret_basic')).toEqual({
      client_authentication_methods: null,
      token_endpoint_auth_method: 'client_secret_basic',
    });
    expect(authMethodBody(client(), 'client_secret_basic')).toEqual({ token_endpoint_auth_method: 'client_secret_basic' });
    expect(authMethodBody(client(), 'client_secret_post')).toBeNull();
  });
});

describe('Server client model › slots', () => {
  const c = client({
    token_endpoint_auth_method: undefined,
    ...pkj(['cred_a', 'cred_b']),
    signed_request_object: { required: true, credentials: [{ id: 'cred_b' }] },
  });

  it('lists the credentials of each slot and the slots of a credential', () => {
    expect(slotIds(c, 'private_key_jwt')).toEqual(['cred_a', 'cred_b']);
    expect(slotIds(c, 'signed_request_object')).toEqual(['cred_b']);
    expect(slotsOf(c, 'cred_b')).toEqual(['private_key_jwt', 'signed_request_object']);
    expect(slotsOf(c, 'cred_c')).toEqual([]);
    expect(slotIds(client({ signed_request_object: null }), 'signed_request_object')).toEqual([]);
  });

  it('allows at most two credentials per slot (MGC-4)', () => {
    expect(slotHasRoom(c, 'private_key_jwt')).toBe(false);
    expect(slotHasRoom(c, 'signed_request_object')).toBe(true);
  });

  it('assigns with references only, keeping `required` by sending only the credentials (MGC-3, MGC-8)', () => {
    expect(assignBody(c, { signed_request_object: ['cred_b', 'cred_c'] })).toEqual({
      signed_request_object: { credentials: [{ id: 'cred_b' }, { id: 'cred_c' }] },
    });
    expect(assignBody(c, { private_key_jwt: ['cred_a'] })).toEqual(pkj(['cred_a']));
    expect(assignBody(c, { private_key_jwt: ['cred_a', 'cred_b'], signed_request_object: ['cred_b'] })).toBeNull();
  });

  it('switches the method when a credential goes to the Private Key JWT slot of a secret client (MGC-5)', () => {
    expect(assignBody(client(), { private_key_jwt: ['cred_a'], signed_request_object: [] })).toEqual(enablePrivateKeyJwtBody(['cred_a']));
  });

  it('builds the JAR switch, with the credential to assign when the slot is empty', () => {
    expect(jarBody(true)).toEqual({ signed_request_object: { required: true } });
    expect(jarBody(true, 'cred_a')).toEqual({ signed_request_object: { required: true, credentials: [{ id: 'cred_a' }] } });
    expect(jarBody(false)).toEqual({ signed_request_object: { required: false } });
  });
});

describe('Server client model › create, inputs and dates', () => {
  it('creates public clients without authentication and confidential ones with a secret', () => {
    expect(createClientBody({ name: 'SPA', appType: 'spa', callbacks: ['http://127.0.0.1:3000/cb'] })).toEqual({
      name: 'SPA',
      app_type: 'spa',
      callbacks: ['http://127.0.0.1:3000/cb'],
      token_endpoint_auth_method: 'none',
    });
    expect(createClientBody({ name: 'Web', appType: 'regular_web', callbacks: [] }).token_endpoint_auth_method).toBe('client_secret_post');
  });

  it('reads callback URLs one per line', () => {
    expect(parseLines(' https://a.example/cb \r\n\n  http://127.0.0.1:8080/cb\n ')).toEqual(['https://a.example/cb', 'http://127.0.0.1:8080/cb']);
  });

  it('round-trips a date input through ISO, at the end of the local day', () => {
    const iso = dateInputToIso('2031-05-13');
    expect(iso).not.toBeNull();
    expect(isoToDateInput(iso)).toBe('2031-05-13');
    expect(dateInputToIso('13/05/2031')).toBeNull();
    expect(isoToDateInput(null)).toBe('');
  });

  it('tells expired credentials and certificates apart', () => {
    expect(isExpired({ expires_at: null })).toBe(false);
    expect(isExpired({ expires_at: '2020-01-01T00:00:00.000Z' })).toBe(true);
    expect(isExpired({ expires_at: '2999-01-01T00:00:00.000Z' })).toBe(false);
    expect(isCertificatePem('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----')).toBe(true);
    expect(isCertificatePem('-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----')).toBe(false);
  });

  it('offers only RSA vault keys of 2048 to 4096 bits', () => {
    const keys = [key('a'), key('b', { size: 1024 }), key('c', { kty: 'EC', size: undefined, crv: 'P-256', algs: ['ES256'] }), key('d', { size: 4096 })];
    expect(eligibleVaultKeys(keys).map((k) => k.thumbprint)).toEqual(['a', 'd']);
  });

  it('joins the issuer and a well-known path with one slash', () => {
    expect(issuerUrl('http://127.0.0.1:4747/', '.well-known/jwks.json')).toBe('http://127.0.0.1:4747/.well-known/jwks.json');
    expect(issuerUrl('http://127.0.0.1:4747', '/.well-known/openid-configuration')).toBe('http://127.0.0.1:4747/.well-known/openid-configuration');
  });
});

describe('Server client model › reuse of one key for JAR and client authentication', () => {
  it('warns when the vault key is marked for the other use only', () => {
    const context = { vaultKeys: [key('tp-jar', { usages: ['jar'] })], clients: [], credentials: {} };
    expect(reusesKeyAcrossSlots('tp-jar', 'private_key_jwt', context)).toBe(true);
    expect(reusesKeyAcrossSlots('tp-jar', 'signed_request_object', context)).toBe(false);
  });

  it('warns when a credential with the same kid sits in the other slot of any known client', () => {
    const other = client({ client_id: 'other-client', signed_request_object: { credentials: [{ id: 'cred_x' }] } });
    const context = { vaultKeys: [], clients: [other], credentials: { 'other-client': [credential('cred_x', 'tp-shared')] } };
    expect(reusesKeyAcrossSlots('tp-shared', 'private_key_jwt', context)).toBe(true);
    expect(reusesKeyAcrossSlots('tp-shared', 'signed_request_object', context)).toBe(false);
    expect(reusesKeyAcrossSlots('tp-else', 'private_key_jwt', context)).toBe(false);
  });
});

describe('Server client model › traces', () => {
  it('orders rules failures first, each group in the order applied', () => {
    const rule = (id: string, passed: boolean) => ({ id, passed, summary: id, message: id, fix: '', source: '' });
    const trace: RequestTrace = {
      id: 't',
      at: '2026-01-01T00:00:00.000Z',
      method: 'POST',
      endpoint: 'par',
      path: '/oauth/par',
      status: 400,
      rules: [rule('A', true), rule('B', false), rule('C', true), rule('D', false)],
      durationMs: 3,
    };
    expect(orderedRules(trace).map((r) => r.id)).toEqual(['B', 'D', 'A', 'C']);
  });
});

describe('Server screen model › client credentials and API scopes', () => {
  it('tells whether client_credentials is among the grant types, and adds it once', () => {
    expect(hasClientCredentials(client({ grant_types: ['authorization_code', 'client_credentials'] }))).toBe(true);
    expect(hasClientCredentials(client({ grant_types: ['authorization_code'] }))).toBe(false);
    expect(hasClientCredentials(client())).toBe(false);
    expect(enableClientCredentialsBody(client({ grant_types: ['authorization_code', 'refresh_token'] }))).toEqual({
      grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
    });
    expect(enableClientCredentialsBody(client())).toEqual({ grant_types: ['client_credentials'] });
  });

  it('offers the API’s scopes, then any other scope the grant holds', () => {
    expect(scopeOptions(['read:clients', 'read:users'], ['update:client', 'read:users'])).toEqual(['read:clients', 'read:users', 'update:client']);
    expect(scopeOptions(['a'])).toEqual(['a']);
  });
});
