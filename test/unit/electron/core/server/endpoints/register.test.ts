/**
 * POST /oidc/register (Auth0's Dynamic Application Registration; OIDC DCR / RFC 7591) against the real server:
 * off by default, on with the tenant flag; the registered client is a third-party client with Auth0's answer
 * shape, listed with the others and usable at /oauth/token. DPC-13 (dpop_bound_access_tokens) is in
 * ../dpop/connections-registration.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../management/helpers';
import { lastTrace, startServer } from '../management/helpers';
import { rawRequest } from '../../../../../helpers/http';

type Json = Record<string, unknown>;
let h: Harness;
beforeAll(async () => {
  h = await startServer();
});
afterAll(async () => {
  await h.close();
});

const register = (body: unknown, headers: Record<string, string> = {}) => h.call('POST', '/oidc/register', { body, token: null, headers });
const enable = (on: boolean) => h.call('PATCH', '/api/v2/tenants/settings', { body: { flags: { enable_dynamic_client_registration: on } } });

describe('POST /oidc/register', () => {
  it('is refused while the tenant flag is off (the default), creating nothing', async () => {
    const before = h.directory.clientCount();
    const res = await register({ client_name: 'Nope', redirect_uris: ['https://rp.example.com/cb'] });
    expect(res.status).toBe(403);
    expect(res.json<Json>()).toEqual({
      error: 'access_denied',
      error_description: 'Dynamic client registration is disabled for this tenant (flags.enable_dynamic_client_registration)',
    });
    expect((await lastTrace(h)).failedRule).toBe('DPC-13');
    expect(h.directory.clientCount()).toBe(before);
  });

  it('registers a third-party client without a token: 201 with Auth0’s fields, listed like any client, usable at /oauth/token', async () => {
    await enable(true);
    const res = await register({ client_name: 'My Dynamic Application', redirect_uris: ['https://application.example.com/callback'] });
    expect(res.status).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json<Json>();
    expect(body).toEqual({
      client_name: 'My Dynamic Application',
      client_id: expect.stringMatching(/^[A-Za-z0-9]{32}$/),
      client_secret: expect.any(String),
      redirect_uris: ['https://application.example.com/callback'],
      client_secret_expires_at: 0,
      token_endpoint_auth_method: 'client_secret_post',
      grant_types: ['authorization_code'],
    });
    const clientId = String(body.client_id);
    const read = (await h.call('GET', `/api/v2/clients/${clientId}`)).json<Json>();
    expect(read).toMatchObject({ name: 'My Dynamic Application', is_first_party: false, callbacks: ['https://application.example.com/callback'] });
    expect(h.directory.listClientsForUi().map((c) => c.client_id)).toContain(clientId);

    // The secret authenticates: an unknown code is invalid_grant, not invalid_client.
    const token = await rawRequest(h.port, {
      method: 'POST',
      path: '/oauth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: clientId,
        client_secret: String(body.client_secret),
        code: 'unknown',
        redirect_uri: 'https://application.example.com/callback',
      }).toString(),
    });
    expect(token.json<Json>().error).toBe('invalid_grant');
  });

  it('registers a SPA (token_endpoint_auth_method none) without a secret', async () => {
    await enable(true);
    const res = await register({ client_name: 'SPA', redirect_uris: ['https://spa.example.com/'], token_endpoint_auth_method: 'none' });
    expect(res.status).toBe(201);
    const body = res.json<Json>();
    expect(body.client_secret).toBeUndefined();
    expect(body.token_endpoint_auth_method).toBe('none');
    expect(h.directory.getClientJson(String(body.client_id))).toMatchObject({ app_type: 'spa', token_endpoint_auth_method: 'none' });
  });

  it('answers RFC 7591 errors: missing or bad redirect_uris, an unsupported auth method, a non-JSON body', async () => {
    await enable(true);
    const missing = await register({ client_name: 'x' });
    expect(missing.status).toBe(400);
    expect(missing.json<Json>()).toEqual({ error: 'invalid_redirect_uri', error_description: 'redirect_uris is required (at least one URI)' });
    expect((await register({ redirect_uris: [] })).json<Json>().error).toBe('invalid_redirect_uri');
    expect((await lastTrace(h)).failedRule).toBe('DPC-13');

    const scheme = await register({ redirect_uris: ['javascript:alert(1)'] });
    expect(scheme.status).toBe(400);
    const e = scheme.json<Json>();
    expect(e.error).toBe('invalid_redirect_uri');
    expect(String(e.error_description)).toContain('redirect_uris');
    expect((await lastTrace(h)).failedRule).toMatch(/^MGC-|^RED-/);

    const name = await register({ client_name: 42, redirect_uris: ['https://rp.example.com/cb'] });
    expect(name.json<Json>()).toEqual({
      error: 'invalid_client_metadata',
      error_description: "Payload validation error: 'Expected type string but found type integer' on property client_name.",
    });

    const method = await register({ redirect_uris: ['https://rp.example.com/cb'], token_endpoint_auth_method: 'private_key_jwt' });
    expect(method.json<Json>()).toEqual({
      error: 'invalid_client_metadata',
      error_description: 'token_endpoint_auth_method must be one of none, client_secret_post',
    });
    expect((await lastTrace(h)).failedRule).toBe('MGC-7');

    const form = await register('client_name=x', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(400);
    expect(form.json<Json>().error).toBe('invalid_client_metadata');
    expect((await lastTrace(h)).failedRule).toBe('DPC-13');
  });
});
