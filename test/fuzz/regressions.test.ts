/**
 * The exact inputs the fuzz tests found answered wrongly, kept so the fixes stay fixed. Each names what
 * the server did before its fix.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import type { FuzzResponse, FuzzServer } from './harness';
import { CALLBACK, answerProblem, send, startFuzzServer } from './harness';

let s: FuzzServer;
beforeAll(async () => {
  s = await startFuzzServer();
}, 60_000);
afterAll(async () => {
  await s?.close();
});

const PEM_SCOPE =
  '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAw0Xa2mmDWykRvVxt1kjF\nQgGZXYifADvvY6A0Bo4hv3Bcai0trYxnvB+OWWGlykS847ZkYWF/LnyO1tj+SdfC\nQd1jOnFM1oiENqjXh6JsF0AyO9Th6Q70sSgC6GihMLh5l4iXE+aSCDSSspQK5qog\nnak9kdZk6RzHobJJ4rzub5wjCA0xq+9pC3hER3e9PhBMrQbjhS1v4LvVR7EgqAX/\nxyxePQmuntxRw/BimyxEIReZrxyU7WeUonfGF2aKnuC4MG2xO8Zf0Y8KCtTRepTo\nmlvLYMSdx+Be+Ef77SRqbN3RZGP33OfsMN3ky1jmUXJ96WcW5PT0AAl1FX+2XiqX\n/wIDAQAB\n-----END PUBLIC KEY-----\n';

function management(method: string, path: string, body: unknown): Promise<FuzzResponse> {
  return send(s.port, {
    method,
    path,
    headers: { authorization: `Bearer ${s.managementToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

function expectManagement400(res: FuzzResponse, message: RegExp): void {
  expect(answerProblem('management', 'POST', res)).toBeUndefined();
  expect(res.status).toBe(400);
  expect((JSON.parse(res.body) as { errorCode: string; message: string }).message).toMatch(message);
}

describe('Fuzz regressions › Management API', () => {
  it('a client grant scope the stored grant cannot hold is a 400, not a 500 from the failed save', async () => {
    // Was: 500 server_error (ZodError in clients.json's schema: scope items are 1..280 characters).
    const client_id = s.secretClient.client_id;
    expectManagement400(
      await management('POST', '/api/v2/client-grants', { client_id, audience: 'https://api.example.com/', scope: [PEM_SCOPE] }),
      /scope\[0\].*maximum 280|maximum 280/,
    );
    expectManagement400(await management('POST', '/api/v2/client-grants', { client_id, audience: 'https://api.example.com/', scope: [''] }), /minimum 1/);
    // The limits themselves are accepted.
    const ok = await management('POST', '/api/v2/client-grants', { client_id, audience: 'https://api.example.com/', scope: ['x'.repeat(280)] });
    expect(ok.status).toBe(201);
    expect(s.logs).toEqual([]);
  });

  it('an email that grows past 254 characters when lower-cased is a 400, not a 500', async () => {
    // Was: 500 server_error (the length was checked before toLowerCase; 'İ' lower-cases to two characters).
    const email = `a@${'İ'.repeat(200)}`;
    expect(email.length).toBeLessThanOrEqual(254);
    expectManagement400(await management('POST', '/api/v2/users', { email, password: 'correct horse battery staple' }), /too long/);
    expect(s.logs).toEqual([]);
  });
});

describe('Fuzz regressions › browser pages answer HTML', () => {
  it('a repeated parameter on the sign-in page is the HTML error page, not OAuth JSON', async () => {
    // Was: 400 application/json {"error":"invalid_request","error_description":"__proto__ parameter must not be provided twice"}.
    for (const path of [
      '/u/login?__proto__=x&__proto__=y',
      '/u/consent?state=a&state=b',
      '/v2/logout?returnTo=a&returnTo=b',
      '/oidc/logout?client_id=%00&client_id=x',
    ]) {
      const res = await send(s.port, { method: 'GET', path });
      expect(answerProblem('html', 'GET', res), path).toBeUndefined();
      expect(res.status).toBe(400);
      expect(res.body).toContain('must not be provided twice');
    }
  });

  it('a repeated form field posted to the sign-in page is the HTML error page', async () => {
    // Was: JSON (the fuzz input: client_assertion_type sent twice to POST /u/login).
    const res = await send(s.port, {
      method: 'POST',
      path: '/u/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=a.b.c&client_assertion_type=',
    });
    expect(answerProblem('html', 'POST', res)).toBeUndefined();
    expect(res.status).toBe(400);
  });
});

/** One request written on a raw socket (Node's client refuses invalid percent-encoding in a path). */
function rawGet(path: string): Promise<FuzzResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(s.port, '127.0.0.1');
    let text = '';
    socket.on('data', (c: Buffer) => (text += c.toString('utf8')));
    socket.on('end', () => {
      const end = text.indexOf('\r\n\r\n');
      const headers: Record<string, string> = {};
      for (const line of text.slice(0, end).split('\r\n').slice(1))
        headers[line.slice(0, line.indexOf(':')).toLowerCase()] = line.slice(line.indexOf(':') + 1).trim();
      resolve({ status: Number(text.slice(9, 12)), headers, body: text.slice(end + 4) });
    });
    socket.on('error', reject);
    socket.end(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nConnection: close\r\n\r\n`);
  });
}

describe('Fuzz regressions › router errors', () => {
  it('a path that is not valid percent-encoding is answered in the error style of its path', async () => {
    // Was: 400 {"error":"Bad Request","code":"FST_ERR_BAD_URL",...} (Fastify's own shape) on every path.
    const html = await rawGet('/authorize%ZZ');
    expect(answerProblem('html', 'GET', html)).toBeUndefined();
    expect(html.status).toBe(400);
    const oauth = await rawGet('/oauth/token%');
    expect(answerProblem('oauth', 'GET', oauth)).toBeUndefined();
    const management = await rawGet('/api/v2/clients/%ZZ');
    expect(answerProblem('management', 'GET', management)).toBeUndefined();
    expect(management.status).toBe(400);
  });

  it('a path parameter over the router limit is a Management error, not Fastify JSON', async () => {
    // Was: 400 {"error":"Bad Request","code":"FST_ERR_MAX_PARAM_LENGTH",...}.
    const res = await send(s.port, { method: 'GET', path: `/api/v2/clients/${'a'.repeat(300)}`, headers: { authorization: `Bearer ${s.managementToken}` } });
    expect(res.status).toBe(414);
    expect(JSON.parse(res.body)).toMatchObject({ statusCode: 414, error: 'URI Too Long' });
    expect(answerProblem('management', 'GET', res)).toBeUndefined();
  });
});

describe('Fuzz regressions › authorization error redirects', () => {
  it('does not echo a state refused for its length (the Location would outgrow what browsers read)', async () => {
    // Was: 302 with the 60,000-character state echoed (a 390 KB Location for 'é'), past Chromium's 256 KB header limit.
    const form = new URLSearchParams([
      ['client_id', s.secretClient.client_id],
      ['response_type', 'code'],
      ['redirect_uri', CALLBACK],
      ['scope', 'openid'],
      ['state', 'é'.repeat(60_000)],
    ]);
    const res = await send(s.port, {
      method: 'POST',
      path: '/authorize',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    expect(res.status).toBe(302);
    const location = new URL(String(res.headers.location));
    expect(location.searchParams.get('error_description')).toBe('state is too long');
    expect(location.searchParams.has('state')).toBe(false);
    // A state within the limit (4096 characters) is still echoed exactly (RFC 6749 §4.1.2.1).
    const ok = new URLSearchParams([
      ['client_id', s.secretClient.client_id],
      ['response_type', 'bogus'],
      ['redirect_uri', CALLBACK],
      ['state', 'é'.repeat(4096)],
    ]);
    const echoed = await send(s.port, {
      method: 'POST',
      path: '/authorize',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: ok.toString(),
    });
    expect(echoed.status).toBe(302);
    expect(new URL(String(echoed.headers.location)).searchParams.get('state')).toBe('é'.repeat(4096));
  });
});
