/**
 * The first-ten-minutes models (issue 18), without React: the name Generate key proposes, the vault key and
 * slot Add credential starts from, and the defaults a new flow target takes from its application.
 */
import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import type { KeySummary } from '../../../../../shared/schemas/keys';
import type { ServerClient } from '../../../../../shared/schemas/server';
import { proposedKeyName } from '../../../../../renderer/src/features/keys/key-labels';
import { startingVaultKey } from '../../../../../renderer/src/features/server/client-model';
import { applicationDefaults } from '../../../../../renderer/src/features/flows/target-form';

const words: Record<string, string> = { 'keys.usage.jar': 'JAR signing', 'keys.usage.clientAuth': 'Client authentication', 'keys.usage.other': 'Other' };
const t = ((key: string, options?: Record<string, unknown>) =>
  key === 'keys.type.rsa'
    ? `RSA ${String(options?.size)}`
    : key === 'keys.type.ec'
      ? `EC ${String(options?.curve)}`
      : (words[key] ?? key)) as unknown as TFunction;

function key(id: string, usages: KeySummary['usages'], extra: Partial<KeySummary> = {}): KeySummary {
  return {
    id,
    name: id,
    kty: 'RSA',
    size: 2048,
    algs: ['RS256'],
    usages,
    thumbprint: `tp-${id}`,
    hasPrivateKey: true,
    createdAt: '2026-01-01T00:00:00.000Z',
    expiresAt: null,
    certificate: null,
    warnings: [],
    ...extra,
  };
}
const app = (extra: Partial<ServerClient> = {}): ServerClient => ({
  client_id: 'app1',
  name: 'App',
  app_type: 'regular_web',
  token_endpoint_auth_method: 'client_secret_post',
  ...extra,
});

describe('Generate key › proposed name', () => {
  it('names the type, the usages and the month-day', () => {
    const day = new Date(2026, 11, 7);
    expect(proposedKeyName(t, { kty: 'RSA', modulusLength: 2048 }, ['jar'], day)).toBe('RSA 2048 · JAR signing · 12-07');
    expect(proposedKeyName(t, { kty: 'EC', crv: 'P-256' }, ['jar', 'client-auth'], new Date(2026, 0, 3))).toBe(
      'EC P-256 · JAR signing + Client authentication · 01-03',
    );
    expect(proposedKeyName(t, { kty: 'RSA', modulusLength: 4096 }, [], day)).toBe('RSA 4096 · 12-07');
  });
});

describe('Add credential › starting key', () => {
  const jar = key('jar', ['jar']);
  const auth = key('auth', ['client-auth']);
  const ec = key('ec', ['jar'], { kty: 'EC', size: undefined, crv: 'P-256' });

  it('takes the vault key whose usage fits the slot, attached to that slot', () => {
    expect(startingVaultKey([auth, jar], app(), 'signed_request_object', [])).toEqual({ keyId: 'jar', attach: 'signed_request_object' });
    expect(startingVaultKey([jar, auth], app(), 'private_key_jwt', [])).toEqual({ keyId: 'auth', attach: 'private_key_jwt' });
  });

  it('without a slot in mind, the first key not yet on the application picks it: JAR first, then Private Key JWT', () => {
    expect(startingVaultKey([auth, jar], app(), 'none', [])).toEqual({ keyId: 'jar', attach: 'signed_request_object' });
    expect(startingVaultKey([auth, jar], app(), 'none', ['tp-jar'])).toEqual({ keyId: 'auth', attach: 'private_key_jwt' });
  });

  it('skips keys Auth0 cannot register (EC) and full slots; null when nothing fits', () => {
    expect(startingVaultKey([ec], app(), 'signed_request_object', [])).toBeNull();
    const full = app({ signed_request_object: { credentials: [{ id: 'c1' }, { id: 'c2' }] } });
    expect(startingVaultKey([jar, auth], full, 'none', [])).toEqual({ keyId: 'auth', attach: 'private_key_jwt' });
    expect(startingVaultKey([key('other', ['other'])], app(), 'none', [])).toBeNull();
  });
});

describe('New target › defaults from the application', () => {
  const keys = [key('jar', ['jar']), key('auth', ['client-auth']), key('public', ['jar'], { hasPrivateKey: false })];
  const credentials = [
    { id: 'cj', kid: 'tp-jar' },
    { id: 'ca', kid: 'tp-auth' },
    { id: 'cp', kid: 'tp-public' },
  ];

  it('takes Private Key JWT and the keys registered in each slot', () => {
    const application = app({
      client_authentication_methods: { private_key_jwt: { credentials: [{ id: 'ca' }] } },
      signed_request_object: { credentials: [{ id: 'cj' }] },
    });
    expect(applicationDefaults(application, credentials, keys)).toEqual({ method: 'private_key_jwt', authKeyId: 'auth', jarKeyId: 'jar' });
  });

  it('keeps the secret method and offers no key the vault cannot sign with', () => {
    expect(applicationDefaults(app({ signed_request_object: { credentials: [{ id: 'cp' }] } }), credentials, keys)).toEqual({ method: 'client_secret_post' });
  });
});
