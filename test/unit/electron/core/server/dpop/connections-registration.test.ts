/**
 * DPC-12 (enterprise connections' `options.dpop_signing_alg`, Auth0 as DPoP client upstream: DA10, DO8) and
 * DPC-13 (`dpop_bound_access_tokens` at dynamic registration, RFC 9449 §5.2) against the real server over
 * HTTP: status, body, the value read back, and the rule in the trace.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestTrace } from '../../../../../../shared/schemas/server';
import type { Harness } from '../management/helpers';
import { lastTrace, mgmtError, startServer } from '../management/helpers';

let h: Harness;
beforeAll(async () => {
  h = await startServer();
});
afterAll(async () => {
  await h.close();
});

type Json = Record<string, unknown>;
let n = 0;
const name = () => `upstream-${++n}`;

/** The last outcome of `id` in the trace (registration records DPC-13 once per step). */
function outcome(trace: RequestTrace, id: string) {
  return trace.rules.filter((r) => r.id === id).at(-1);
}

async function createConnection(body: Json): Promise<{ status: number; json: Json }> {
  const res = await h.call('POST', '/api/v2/connections', { body: { name: name(), ...body } });
  return { status: res.status, json: res.json<Json>() };
}

describe('DPC-12 enterprise connections store and return options.dpop_signing_alg', () => {
  it.each(['ES256', 'ES384', 'ES512', 'Ed25519'])('stores %s on an oidc connection, returns it on create and read, and passes DPC-12', async (alg) => {
    const created = await createConnection({
      strategy: 'oidc',
      options: { client_id: 'upstream-client', issuer: 'https://idp.example.com/', dpop_signing_alg: alg },
    });
    expect(created.status).toBe(201);
    expect(created.json.options).toEqual({ client_id: 'upstream-client', issuer: 'https://idp.example.com/', dpop_signing_alg: alg });
    expect(outcome(await lastTrace(h), 'DPC-12')).toMatchObject({ passed: true });
    expect(outcome(await lastTrace(h), 'DPC-12')?.note).toBeUndefined();
    const read = (await h.call('GET', `/api/v2/connections/${String(created.json.id)}`)).json<Json>();
    expect((read.options as Json).dpop_signing_alg).toBe(alg);
  });

  it('sets it on an okta connection with PATCH (update:connections), where options replaces the whole object', async () => {
    const created = await createConnection({ strategy: 'okta', options: { domain: 'acme.okta.com', client_id: 'okta-client' } });
    const id = String(created.json.id);
    const patched = await h.call('PATCH', `/api/v2/connections/${id}`, {
      body: { options: { dpop_signing_alg: 'ES384' } },
      token: await h.token('update:connections'),
    });
    expect(patched.status).toBe(200);
    // DA10: "If you PATCH the options parameter, the entire options object is overridden."
    expect(patched.json<Json>().options).toEqual({ dpop_signing_alg: 'ES384' });
    expect(outcome(await lastTrace(h), 'DPC-12')).toMatchObject({ passed: true, actual: '{"strategy":"okta","dpop_signing_alg":"ES384"}' });
    const denied = await h.call('PATCH', `/api/v2/connections/${id}`, { body: { options: {} }, token: await h.token('read:connections') });
    expect(denied.status).toBe(403);
    expect(mgmtError(denied).errorCode).toBe('insufficient_scope');
    // DA10 "Disable DPoP": options without dpop_signing_alg.
    const off = (await h.call('PATCH', `/api/v2/connections/${id}`, { body: { options: {} } })).json<Json>();
    expect(off.options).toEqual({});
    expect((h.directory.getConnectionJson(id).options as Json).dpop_signing_alg).toBeUndefined();
  });

  it('stores another value (RS256) as Auth0 does, and traces that DPoP upstream is silently disabled', async () => {
    const created = await createConnection({ strategy: 'oidc', options: { dpop_signing_alg: 'RS256' } });
    expect(created.status).toBe(201);
    expect((created.json.options as Json).dpop_signing_alg).toBe('RS256');
    const rule = outcome(await lastTrace(h), 'DPC-12');
    expect(rule).toMatchObject({ passed: true, actual: '{"strategy":"oidc","dpop_signing_alg":"RS256"}' });
    expect(rule?.note).toMatch(/silently disables DPoP/);
  });

  it('notes that a non-oidc/okta connection never uses it', async () => {
    const created = await createConnection({ strategy: 'samlp', options: { dpop_signing_alg: 'ES256' } });
    expect(created.status).toBe(201);
    expect(outcome(await lastTrace(h), 'DPC-12')?.note).toMatch(/only on oidc and okta connections/);
  });

  it('refuses a value that is not a string with Auth0’s payload-validation error, failing DPC-12', async () => {
    const res = await h.call('POST', '/api/v2/connections', { body: { name: name(), strategy: 'oidc', options: { dpop_signing_alg: 256 } } });
    expect(res.status).toBe(400);
    expect(mgmtError(res)).toMatchObject({
      errorCode: 'invalid_body',
      message: "Payload validation error: 'Expected type string but found type integer' on property options.dpop_signing_alg.",
    });
    expect((await lastTrace(h)).failedRule).toBe('DPC-12');
  });
});

describe('DPC-13 dynamic registration: dpop_bound_access_tokens ignored in the Auth0 profile, mapped in the strict profile', () => {
  const register = (body: Json) => h.call('POST', '/oidc/register', { body, token: null });

  it('Auth0 profile: ignores it (a note in the trace) and registers a client without require_proof_of_possession', async () => {
    await h.call('PATCH', '/api/v2/tenants/settings', { body: { flags: { enable_dynamic_client_registration: true } } });
    const res = await register({ client_name: 'DCR auth0', redirect_uris: ['https://rp.example.com/cb'], dpop_bound_access_tokens: true });
    expect(res.status).toBe(201);
    const body = res.json<Json>();
    expect(body.dpop_bound_access_tokens).toBeUndefined();
    expect(h.directory.getClientJson(String(body.client_id)).require_proof_of_possession).toBe(false);
    const rule = outcome(await lastTrace(h), 'DPC-13');
    expect(rule?.note).toMatch(/Ignored/);
  });

  it('strict profile: maps true to require_proof_of_possession, echoes it, and refuses a non-boolean', async () => {
    h.ctx.updateSettings({ profile: 'strict', dynamicClientRegistration: true });
    try {
      const res = await register({ client_name: 'DCR strict', redirect_uris: ['https://rp.example.com/cb'], dpop_bound_access_tokens: true });
      expect(res.status).toBe(201);
      const body = res.json<Json>();
      expect(body.dpop_bound_access_tokens).toBe(true);
      expect(outcome(await lastTrace(h), 'DPC-13')).toMatchObject({ passed: true, actual: 'require_proof_of_possession = true' });
      const read = (await h.call('GET', `/api/v2/clients/${String(body.client_id)}`)).json<Json>();
      expect(read.require_proof_of_possession).toBe(true);

      const bad = await register({ redirect_uris: ['https://rp.example.com/cb'], dpop_bound_access_tokens: 'yes' });
      expect(bad.status).toBe(400);
      expect(bad.json<Json>()).toEqual({ error: 'invalid_client_metadata', error_description: 'dpop_bound_access_tokens must be a boolean' });
      const trace = await lastTrace(h);
      expect(trace.failedRule).toBe('DPC-13');
    } finally {
      h.ctx.updateSettings({ profile: 'auth0' });
    }
  });
});
