/**
 * Discovery and JWKS (DSC-1..6), compared with the captured Auth0 tenant document.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from './helpers';
import { expectPassed, startServer } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await startServer();
});
afterAll(async () => {
  await h.close();
});
afterEach(() => {
  h.settings({ profile: 'auth0', parRequired: false, issParameter: false, parEnabled: true });
});

const captured = (
  JSON.parse(readFileSync(fileURLToPath(new URL('../../../../../fixtures/auth0/Auth0DiscoveryDocument_nextjs-auth0.json', import.meta.url)), 'utf8')) as {
    interactions: { response_body: Record<string, unknown> }[];
  }
).interactions[0]!.response_body;

async function discovery(path = '.well-known/openid-configuration'): Promise<Record<string, unknown>> {
  const res = await fetch(`${h.base}${path}`);
  expect(res.status).toBe(200);
  expect(res.headers.get('cache-control')).toBe('no-store');
  return (await res.json()) as Record<string, unknown>;
}

describe('Discovery › DSC-1 issuer and endpoints', () => {
  it('publishes the issuer with its trailing slash and every endpoint at Auth0’s paths', async () => {
    const doc = await discovery();
    expect(doc.issuer).toBe(h.base);
    expect(String(doc.issuer).endsWith('/')).toBe(true);
    expect(doc).toMatchObject({
      authorization_endpoint: `${h.base}authorize`,
      token_endpoint: `${h.base}oauth/token`,
      jwks_uri: `${h.base}.well-known/jwks.json`,
      pushed_authorization_request_endpoint: `${h.base}oauth/par`,
      userinfo_endpoint: `${h.base}userinfo`,
      revocation_endpoint: `${h.base}oauth/revoke`,
      end_session_endpoint: `${h.base}oidc/logout`,
    });
    await expectPassed(h, 'discovery', 'DSC-1');
  });

  it('serves the same document at the RFC 8414 alias', async () => {
    expect(await discovery('.well-known/oauth-authorization-server')).toEqual(await discovery());
  });

  it('keeps the captured Auth0 document’s keys for everything it implements', async () => {
    const doc = await discovery();
    const notImplemented = ['device_authorization_endpoint', 'mfa_challenge_endpoint', 'backchannel_logout_supported', 'backchannel_logout_session_supported'];
    for (const key of Object.keys(captured).filter((k) => !notImplemented.includes(k))) expect(doc, key).toHaveProperty(key);
  });
});

describe('Discovery › DSC-2..4 methods and flags', () => {
  it('DSC-2: advertises private_key_jwt with RS256, RS384, PS256; the strict profile lists only the PS256 it accepts (PKJ-6)', async () => {
    const doc = await discovery();
    expect(doc.token_endpoint_auth_methods_supported).toEqual(captured.token_endpoint_auth_methods_supported);
    expect(doc.token_endpoint_auth_signing_alg_values_supported).toEqual(['RS256', 'RS384', 'PS256']);
    expect((await expectPassed(h, 'discovery', 'DSC-2')).rules.find((r) => r.id === 'DSC-2')?.expected).toBe('private_key_jwt; RS256, RS384, PS256');
    h.settings({ profile: 'strict' });
    expect((await discovery()).token_endpoint_auth_signing_alg_values_supported).toEqual(['PS256']);
    // The trace's expected value follows the profile too (it said RS256, RS384, PS256 in strict mode as well).
    const strict = (await expectPassed(h, 'discovery', 'DSC-2')).rules.find((r) => r.id === 'DSC-2');
    expect(strict?.expected).toBe('private_key_jwt; PS256');
    expect(strict?.actual).toContain('["PS256"]');
  });

  it('DSC-3: S256 and plain in Auth0 mode, S256 only in the strict profile', async () => {
    expect((await discovery()).code_challenge_methods_supported).toEqual(['S256', 'plain']);
    h.settings({ profile: 'strict' });
    expect((await discovery()).code_challenge_methods_supported).toEqual(['S256']);
  });

  it('DSC-4: request_parameter_supported is false in Auth0 mode (as captured) and true in the strict profile', async () => {
    const doc = await discovery();
    expect(doc.request_parameter_supported).toBe(false);
    expect(doc.request_uri_parameter_supported).toBe(false);
    expect(doc.request_object_signing_alg_values_supported).toBeUndefined();
    h.settings({ profile: 'strict' });
    const strict = await discovery();
    expect(strict.request_parameter_supported).toBe(true);
    // JAR-5: the strict profile accepts PS256, ES256 and EdDSA, of which an (RSA) credential can carry PS256.
    expect(strict.request_object_signing_alg_values_supported).toEqual(['PS256']);
    await expectPassed(h, 'discovery', 'DSC-4');
  });
});

describe('Discovery › DSC-5 switches', () => {
  it('adds require_pushed_authorization_requests and authorization_response_iss_parameter_supported only when on', async () => {
    const off = await discovery();
    expect(off).not.toHaveProperty('require_pushed_authorization_requests');
    expect(off).not.toHaveProperty('authorization_response_iss_parameter_supported');
    h.settings({ parRequired: true, issParameter: true });
    expect(await discovery()).toMatchObject({ require_pushed_authorization_requests: true, authorization_response_iss_parameter_supported: true });
  });

  it('drops the PAR endpoint when PAR is off for the tenant (PAR-18)', async () => {
    h.settings({ parEnabled: false });
    expect(await discovery()).not.toHaveProperty('pushed_authorization_request_endpoint');
  });
});

describe('JWKS › DSC-6', () => {
  it('publishes only the tenant’s public signing key, never private members or client credentials', async () => {
    const res = await fetch(`${h.base}.well-known/jwks.json`);
    const { keys } = (await res.json()) as { keys: Record<string, unknown>[] };
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'RSA', kid: h.server.ctx.keys.kid, use: 'sig' });
    // The one tenant key signs RS256 and PS256 ID tokens, so the JWK does not pin an alg (A14 allows omitting it).
    expect(keys[0]).not.toHaveProperty('alg');
    for (const k of keys) for (const p of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(k).not.toHaveProperty(p);
    await expectPassed(h, 'jwks', 'DSC-6');
  });
});
