/**
 * Which tokens open the Management API (issue #13, item 1). Auth0 gives a signed-in user's token for the
 * Management audience only the `*:current_user*` scopes ("Get Management API Access Tokens for Single-Page
 * Applications"), and the client-level operations need a client-credentials token. Here: a real sign-in
 * through the form asking for `read:clients delete:clients` gets neither scope (TKQ-6) and its token is
 * refused (MGC-10); a client-credentials token stops working once its client grant or its client is
 * deleted, and only the scopes still granted count; the Management client's own token keeps working.
 */
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from '../../../../../helpers/http';
import type { RawResponse } from '../../../../../helpers/http';
import type { Harness, TestClient } from '../endpoints/helpers';
import { Browser, CALLBACK, authorizeUrl, expectFailed, expectPassed, form, signIn, startServer } from '../endpoints/helpers';

let h: Harness;
let app: TestClient;
beforeAll(async () => {
  h = await startServer({ consent: false });
  app = await h.client();
});
afterAll(async () => {
  await h.close();
});

const tokenUrl = () => `${h.base}oauth/token`;
const audience = () => h.server.urls.managementAudience;

function api(method: string, path: string, token: string): Promise<RawResponse> {
  return rawRequest(h.server.port, { method, path, headers: { authorization: `Bearer ${token}` } });
}

function mgmtError(res: RawResponse): { statusCode: number; error: string; message: string; errorCode: string } {
  const body = res.json<{ statusCode: number; error: string; message: string; errorCode: string }>();
  expect(Object.keys(body)).toEqual(['statusCode', 'error', 'message', 'errorCode']);
  expect(body.statusCode).toBe(res.status);
  return body;
}

/** A user's tokens for the Management audience, through the real sign-in form and the code exchange. */
async function userTokens(scope: string): Promise<{ access_token: string; scope: string; refresh_token?: string }> {
  const cb = await signIn(
    h,
    new Browser(),
    authorizeUrl(h, { client_id: app.client_id, response_type: 'code', redirect_uri: CALLBACK, scope, audience: audience(), state: 's' }),
  );
  const code = cb.searchParams.get('code');
  if (!code) throw new Error(`no code: ${cb.href}`);
  const res = await form(tokenUrl(), {
    grant_type: 'authorization_code',
    code,
    redirect_uri: CALLBACK,
    client_id: app.client_id,
    client_secret: app.client_secret!,
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { access_token: string; scope: string; refresh_token?: string };
}

async function clientToken(clientId: string, secret: string): Promise<string> {
  const res = await form(tokenUrl(), { grant_type: 'client_credentials', client_id: clientId, client_secret: secret, audience: audience() });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

describe('Management API › a signed-in user’s token (TKQ-6, MGC-10)', () => {
  it('asking for read:clients delete:clients at /authorize gets neither: only openid and *:current_user* scopes survive', async () => {
    const tokens = await userTokens('openid profile offline_access read:clients delete:clients read:current_user update:current_user_metadata');
    expect(tokens.scope.split(' ').sort()).toEqual(['offline_access', 'openid', 'profile', 'read:current_user', 'update:current_user_metadata']);
    const claims = decodeJwt(tokens.access_token);
    expect(claims.aud).toEqual([audience(), h.server.urls.userinfo]);
    expect(String(claims.scope).split(' ')).not.toContain('read:clients');
    expect(String(claims.scope).split(' ')).not.toContain('delete:clients');
    await expectPassed(h, 'token', 'TKQ-6');
    // A refresh cannot win them back either.
    const refreshed = await form(tokenUrl(), {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token!,
      client_id: app.client_id,
      client_secret: app.client_secret!,
      scope: 'openid read:clients',
    });
    expect(refreshed.status).toBe(200);
    expect(((await refreshed.json()) as { scope: string }).scope).toBe('openid');
  });

  it('GET /api/v2/clients with that token is a 403 in Auth0’s shape, and lists no client secret', async () => {
    const tokens = await userTokens('openid read:clients delete:clients');
    const res = await api('GET', '/api/v2/clients', tokens.access_token);
    expect(res.status).toBe(403);
    expect(mgmtError(res)).toMatchObject({ error: 'Forbidden', errorCode: 'insufficient_scope' });
    expect(res.body).not.toContain('client_secret');
    const trace = await expectFailed(h, 'management.clients', 'MGC-10');
    expect(trace.failedRule).toBe('MGC-10');
  });

  it('a user token that does carry read:clients (signed by the tenant key, as issued before this fix) is still refused: only client-credentials tokens count', async () => {
    const iat = Math.floor(Date.now() / 1000);
    const forged = await h.server.ctx.keys.sign({
      iss: h.base,
      sub: 'auth0|someone',
      aud: [audience(), h.server.urls.userinfo],
      azp: app.client_id,
      scope: 'openid read:clients delete:clients',
      iat,
      exp: iat + 600,
    });
    const res = await api('GET', '/api/v2/clients', forged);
    expect(res.status).toBe(403);
    expect(mgmtError(res).errorCode).toBe('insufficient_scope');
    const del = await api('DELETE', `/api/v2/clients/${app.client_id}`, forged);
    expect(del.status).toBe(403);
    expect(h.server.ctx.directory.getClient(app.client_id)).toBeDefined();
  });
});

describe('Management API › client-credentials tokens follow their grant (MGC-10)', () => {
  it('the Management client’s own token lists the clients (the legitimate path keeps working)', async () => {
    const { client_id, client_secret } = h.server.ctx.directory.bootstrapInfo().management;
    const token = await clientToken(client_id, client_secret);
    const res = await api('GET', '/api/v2/clients', token);
    expect(res.status, res.body).toBe(200);
    await expectPassed(h, 'management.clients', 'MGC-10');
  });

  it('a token whose client grant was deleted stops working (401), and a narrowed grant narrows the token at once', async () => {
    const other = await h.client({ name: 'Grant holder' });
    const grant = await h.server.ctx.directory.createClientGrant({ client_id: other.client_id, audience: audience(), scope: ['read:clients', 'read:users'] });
    const token = await clientToken(other.client_id, other.client_secret!);
    expect((await api('GET', '/api/v2/clients', token)).status).toBe(200);
    // Narrowed: the grant now holds read:users only; the token's read:clients no longer counts.
    await h.server.ctx.directory.deleteClientGrant(grant.id);
    await h.server.ctx.directory.createClientGrant({ client_id: other.client_id, audience: audience(), scope: ['read:users'] });
    const narrowed = await api('GET', '/api/v2/clients', token);
    expect(narrowed.status).toBe(403);
    expect(mgmtError(narrowed).errorCode).toBe('insufficient_scope');
    expect((await api('GET', '/api/v2/users', token)).status).toBe(200);
    // Revoked: no grant at all.
    const current = h.server.ctx.directory.listClientGrants().find((g) => g.client_id === other.client_id)!;
    await h.server.ctx.directory.deleteClientGrant(current.id);
    const revoked = await api('GET', '/api/v2/users', token);
    expect(revoked.status).toBe(401);
    expect(mgmtError(revoked)).toMatchObject({ error: 'Unauthorized', errorCode: 'invalid_token' });
    expect(revoked.headers['www-authenticate']).toContain('invalid_token');
    await expectFailed(h, 'management.users', 'MGC-10');
  });

  it('a token of a deleted client stops working (401)', async () => {
    const other = await h.client({ name: 'Doomed' });
    await h.server.ctx.directory.createClientGrant({ client_id: other.client_id, audience: audience(), scope: ['read:clients'] });
    const token = await clientToken(other.client_id, other.client_secret!);
    expect((await api('GET', '/api/v2/clients', token)).status).toBe(200);
    await h.server.ctx.directory.deleteClient(other.client_id);
    const res = await api('GET', '/api/v2/clients', token);
    expect(res.status).toBe(401);
    expect(mgmtError(res).errorCode).toBe('invalid_token');
  });

  it('a client-credentials token whose sub and azp disagree is refused (401)', async () => {
    const { client_id } = h.server.ctx.directory.bootstrapInfo().management;
    const iat = Math.floor(Date.now() / 1000);
    const odd = await h.server.ctx.keys.sign({
      iss: h.base,
      sub: `${client_id}@clients`,
      aud: audience(),
      azp: app.client_id,
      gty: 'client-credentials',
      scope: 'read:clients',
      iat,
      exp: iat + 600,
    });
    const res = await api('GET', '/api/v2/clients', odd);
    expect(res.status).toBe(401);
    expect(mgmtError(res).errorCode).toBe('invalid_token');
  });
});
