/**
 * The contract's client-grant operations (server.listClientGrants / createClientGrant / deleteClientGrant)
 * over a REAL core: they go through the same directory methods as /api/v2/client-grants, so a grant made
 * on the Server screen lets the client through client_credentials at /oauth/token (private_key_jwt and
 * client_secret_post), its deletion brings back TKQ-4, refusals carry the Management API's exact errors,
 * and every write lands in the log as a `dashboard` request.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../../../../electron/core/host/core';
import { createCore } from '../../../../../../electron/core/host/core';
import { MANAGEMENT_SCOPES } from '../../../../../../electron/core/server/state/grants';
import type { WireError } from '../../../../../../shared/errors';
import type { ClientGrantList, RequestTrace, ServerClientGrant } from '../../../../../../shared/schemas/server';

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

let dir: string;
let core: Core;
let issuer: string;
let audience: string;
let mgmtToken: string;
/** A client authenticating with private_key_jwt. */
let pkj: { client_id: string; key: KeyObject };
/** A client authenticating with client_secret_post. */
let post: { client_id: string; client_secret: string };

async function call<T>(name: string, input: unknown = {}): Promise<T> {
  const result = await core.dispatch(name, input);
  if (!result.ok) throw Object.assign(new Error(`${name}: ${result.error.code} ${result.error.message}`), { wire: result.error });
  return result.value as T;
}

/** The wire error of an operation that must fail. */
async function refusal(name: string, input: unknown): Promise<WireError> {
  const result = await core.dispatch(name, input);
  if (result.ok) throw new Error(`${name} succeeded: ${JSON.stringify(result.value)}`);
  return result.error;
}

/** A Management API call with a token holding every scope. */
async function mgmt(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> | undefined }> {
  const res = await fetch(`${issuer}${path.slice(1)}`, {
    method,
    headers: { authorization: `Bearer ${mgmtToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

async function assertion(clientId: string, key: KeyObject): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iss: clientId, sub: clientId, aud: issuer, iat: now, exp: now + 60, jti: randomBytes(12).toString('base64url') })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
    .sign(key);
}

/** A client_credentials token request for the Management API. */
async function token(auth: Record<string, string>, scope?: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${issuer}oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', audience, ...(scope ? { scope } : {}), ...auth }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const pkjAuth = async () => ({ client_id: pkj.client_id, client_assertion_type: JWT_BEARER, client_assertion: await assertion(pkj.client_id, pkj.key) });
const postAuth = async () => ({ client_id: post.client_id, client_secret: post.client_secret });

/** The newest trace of an endpoint for a client (traces are recorded once the response has been sent). */
async function lastTrace(endpoint: string, clientId: string): Promise<RequestTrace> {
  for (let i = 0; i < 50; i++) {
    const found = core.server.running!.ctx.traces.list({ endpoint, clientId, limit: 1 })[0];
    if (found) return found;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no ${endpoint} trace for ${clientId}`);
}

function claims(jwt: unknown): Record<string, unknown> {
  return JSON.parse(Buffer.from(String(jwt).split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parley-grants-'));
  core = await createCore({ dataDir: dir, mode: 'web', version: 't', scrypt: { N: 1024, r: 8, p: 1 }, server: { port: 0 }, log: () => {} });
  issuer = core.server.running!.urls.issuer;
  audience = core.server.running!.urls.managementAudience;

  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const created = await call<{ client_id: string }>('server.createClient', {
    body: {
      name: 'M2M with Private Key JWT',
      app_type: 'non_interactive',
      grant_types: ['client_credentials'],
      client_authentication_methods: { private_key_jwt: { credentials: [{ name: 'pkj', credential_type: 'public_key', pem, alg: 'RS256' }] } },
    },
  });
  pkj = { client_id: created.client_id, key: privateKey };
  const secretClient = await call<{ client_id: string }>('server.createClient', {
    body: { name: 'M2M with a secret', app_type: 'non_interactive', grant_types: ['client_credentials'], token_endpoint_auth_method: 'client_secret_post' },
  });
  post = {
    client_id: secretClient.client_id,
    client_secret: (core.server.directory.getClientJson(secretClient.client_id) as unknown as { client_secret: string }).client_secret,
  };

  const management = core.server.directory.bootstrapInfo().management;
  const res = await fetch(`${issuer}oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: management.client_id, client_secret: management.client_secret, audience }),
  });
  mgmtToken = ((await res.json()) as { access_token: string }).access_token;
});

afterAll(async () => {
  await core.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Server ops › client grants unlock client_credentials', () => {
  for (const [method, auth, who] of [
    ['private_key_jwt', pkjAuth, () => pkj.client_id],
    ['client_secret_post', postAuth, () => post.client_id],
  ] as const) {
    it(`create → list → token (${method}) → delete → TKQ-4 again`, async () => {
      const clientId = who();
      // No grant yet: the token endpoint refuses with TKQ-4.
      const before = await token(await auth());
      expect(before.status).toBe(403);
      expect(before.body).toMatchObject({
        error: 'access_denied',
        error_description: `Client is not authorized to access "${audience}". You need to create a "client-grant" associated to this API.`,
      });
      expect((await lastTrace('token', clientId)).failedRule).toBe('TKQ-4');

      const grant = await call<ServerClientGrant>('server.createClientGrant', { client_id: clientId, audience, scope: ['read:clients', 'read:users'] });
      expect(grant).toEqual({ id: expect.stringMatching(/^cgr_[A-Za-z0-9]{16}$/), client_id: clientId, audience, scope: ['read:clients', 'read:users'] });

      const listed = await call<ClientGrantList>('server.listClientGrants', { clientId });
      expect(listed.client_grants).toEqual([grant]);
      // The same list as GET /api/v2/client-grants?client_id=…
      expect((await mgmt('GET', `/api/v2/client-grants?client_id=${clientId}`)).json).toEqual([grant]);

      const ok = await token(await auth(), 'read:clients create:clients');
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      expect(ok.body.token_type).toBe('Bearer');
      expect(claims(ok.body.access_token)).toMatchObject({ aud: audience, sub: `${clientId}@clients`, scope: 'read:clients' });
      const passed = await lastTrace('token', clientId);
      expect(passed.status).toBe(200);
      expect(passed.rules.find((r) => r.id === 'TKQ-4')?.passed).toBe(true);

      expect(await call('server.deleteClientGrant', { grantId: grant.id, confirm: true })).toEqual({ deleted: grant.id });
      expect((await call<ClientGrantList>('server.listClientGrants', { clientId })).client_grants).toEqual([]);
      const after = await token(await auth());
      expect(after.status).toBe(403);
      expect(after.body.error).toBe('access_denied');
      expect((await lastTrace('token', clientId)).failedRule).toBe('TKQ-4');
    });
  }
});

describe('Server ops › same validation and errors as /api/v2/client-grants', () => {
  const cases: [string, () => Record<string, unknown>][] = [
    ['a relative audience', () => ({ client_id: post.client_id, audience: 'api/v2', scope: [] })],
    ['an unknown client', () => ({ client_id: 'NoSuchClient0000000000000000000', audience, scope: [] })],
    ['an empty client_id', () => ({ client_id: '', audience, scope: [] })],
  ];
  for (const [what, body] of cases) {
    it(`refuses ${what} with the Management API's message and code`, async () => {
      const http = await mgmt('POST', '/api/v2/client-grants', body());
      expect(http.status).toBeGreaterThanOrEqual(400);
      const wire = await refusal('server.createClientGrant', body());
      expect(wire.code).toBe('SERVER_REJECTED');
      expect(wire.message).toBe(http.json!.message);
      expect(wire.details).toMatchObject({ statusCode: http.status, errorCode: http.json!.errorCode });
    });
  }

  it('refuses a second grant for the same client and audience (409), and deleting an unknown grant (404)', async () => {
    const grant = await call<ServerClientGrant>('server.createClientGrant', { client_id: post.client_id, audience, scope: ['read:users'] });
    const http = await mgmt('POST', '/api/v2/client-grants', { client_id: post.client_id, audience, scope: [] });
    expect(http.status).toBe(409);
    const wire = await refusal('server.createClientGrant', { client_id: post.client_id, audience, scope: [] });
    expect(wire).toMatchObject({ code: 'SERVER_REJECTED', message: http.json!.message, details: { statusCode: 409, errorCode: 'client_grant_conflict' } });

    await call('server.deleteClientGrant', { grantId: grant.id, confirm: true });
    const gone = await mgmt('DELETE', `/api/v2/client-grants/${grant.id}`);
    expect(gone.status).toBe(404);
    expect(await refusal('server.deleteClientGrant', { grantId: grant.id, confirm: true })).toMatchObject({
      code: 'SERVER_REJECTED',
      message: gone.json!.message,
      details: { statusCode: 404, errorCode: 'inexistent_client_grant' },
    });
  });

  it('requires confirm: true to delete', async () => {
    expect((await refusal('server.deleteClientGrant', { grantId: 'cgr_x' })).code).toBe('INVALID_INPUT');
  });
});

describe('Server ops › the APIs and the log', () => {
  it('lists the Management API with every scope it checks, then custom audiences known from their grants', async () => {
    const custom = await mgmt('POST', '/api/v2/client-grants', {
      client_id: pkj.client_id,
      audience: 'https://api.example.com/',
      scope: ['read:orders', 'write:orders'],
    });
    expect(custom.status).toBe(201);
    try {
      const all = await call<ClientGrantList>('server.listClientGrants', {});
      expect(all.apis[0]).toEqual({ audience, management: true, scopes: [...MANAGEMENT_SCOPES] });
      expect(all.apis.slice(1)).toEqual([{ audience: 'https://api.example.com/', management: false, scopes: ['read:orders', 'write:orders'] }]);
      // Without a filter, every grant (the bootstrap Management client's included); with one, the client's only.
      expect(all.client_grants.some((g) => g.client_id === core.server.directory.bootstrapInfo().management.client_id)).toBe(true);
      expect((await call<ClientGrantList>('server.listClientGrants', { clientId: post.client_id })).client_grants).toEqual([]);
    } finally {
      await call('server.deleteClientGrant', { grantId: String(custom.json!.id), confirm: true });
    }
  });

  it('records each write as a dashboard request, refusals with their error', async () => {
    const grant = await call<ServerClientGrant>('server.createClientGrant', { client_id: post.client_id, audience, scope: [] });
    const traces = () => core.server.running!.ctx.traces.list({ endpoint: 'dashboard', clientId: post.client_id });
    expect(traces()[0]).toMatchObject({ method: 'POST', path: '/api/v2/client-grants', status: 201 });
    await refusal('server.createClientGrant', { client_id: post.client_id, audience, scope: [] });
    expect(traces()[0]).toMatchObject({ method: 'POST', status: 409, error: 'client_grant_conflict' });
    await call('server.deleteClientGrant', { grantId: grant.id, confirm: true });
    expect(traces()[0]).toMatchObject({ method: 'DELETE', path: `/api/v2/client-grants/${grant.id}`, status: 204 });
  });
});
