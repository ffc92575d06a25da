/**
 * The HAR panel's model (renderer/src/features/har/har-model.ts) on imports made by the real reader
 * (shared/har/import.ts) from HAR files built here: removals counted per kind (a request's cookies once,
 * though the reader reports its Cookie header and its cookies list), each exchange's row, the client's
 * key found in the file by the kid its request object names, and the progress of the two passes.
 */
import { generateKeyPair, exportJWK, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { importHar } from '../../../../../../shared/har/import';
import {
  canReproduce,
  caseInput,
  exchangeRow,
  keyFromHar,
  progressRatio,
  pushedFor,
  removedCounts,
} from '../../../../../../renderer/src/features/har/har-model';

const ISSUER = 'https://tenant.example.com/';

function entry(
  method: string,
  url: string,
  extra: {
    headers?: [string, string][];
    cookies?: [string, string][];
    body?: string;
    status?: number;
    resHeaders?: [string, string][];
    resBody?: string;
    at?: string;
  } = {},
) {
  return {
    startedDateTime: extra.at ?? '2026-12-07T10:00:00.000Z',
    time: 12,
    request: {
      method,
      url,
      httpVersion: 'HTTP/1.1',
      headers: (extra.headers ?? []).map(([name, value]) => ({ name, value })),
      queryString: [],
      cookies: (extra.cookies ?? []).map(([name, value]) => ({ name, value })),
      ...(extra.body === undefined ? {} : { postData: { mimeType: 'application/x-www-form-urlencoded', text: extra.body } }),
      headersSize: -1,
      bodySize: -1,
    },
    response: {
      status: extra.status ?? 200,
      statusText: '',
      httpVersion: 'HTTP/1.1',
      headers: (extra.resHeaders ?? []).map(([name, value]) => ({ name, value })),
      cookies: [],
      content: { size: 0, mimeType: 'application/json', ...(extra.resBody === undefined ? {} : { text: extra.resBody }) },
      redirectURL: '',
      headersSize: -1,
      bodySize: -1,
    },
    cache: {},
    timings: { send: 0, wait: 12, receive: 0 },
  };
}

async function fixture() {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'client-key-2026-12', use: 'sig' };
  const requestObject = await new SignJWT({ client_id: 'app123', response_type: 'code', redirect_uri: 'https://app.example.com/cb', scope: 'openid' })
    .setProtectedHeader({ alg: 'RS256', kid: jwk.kid })
    .setIssuer('app123')
    .setAudience('https://wrong.example/')
    .setIssuedAt()
    .setExpirationTime('5m')
    .setJti('j-1')
    .sign(privateKey);
  const har = {
    log: {
      version: '1.2',
      creator: { name: 'WebInspector', version: '537.36' },
      entries: [
        entry('GET', `${ISSUER}.well-known/openid-configuration`, {
          resBody: JSON.stringify({
            issuer: ISSUER,
            authorization_endpoint: `${ISSUER}authorize`,
            token_endpoint: `${ISSUER}oauth/token`,
            pushed_authorization_request_endpoint: `${ISSUER}oauth/par`,
          }),
        }),
        // The client's own jwks_uri, fetched in the same session.
        entry('GET', 'https://app.example.com/.well-known/jwks.json', { resBody: JSON.stringify({ keys: [jwk] }) }),
        entry('POST', `${ISSUER}oauth/par`, {
          headers: [
            ['Content-Type', 'application/x-www-form-urlencoded'],
            ['Cookie', 'did=s3cr3t-cookie; auth0=other; lang=en'],
          ],
          cookies: [
            ['did', 's3cr3t-cookie'],
            ['auth0', 'other'],
            ['lang', 'en'],
          ],
          body: `client_id=app123&client_secret=s3cr3t-client&request=${requestObject}`,
          status: 400,
          resBody: JSON.stringify({ error: 'invalid_request_object', error_description: 'aud is wrong' }),
        }),
        entry('GET', `${ISSUER}authorize?client_id=app123&response_type=code&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb`, {
          status: 302,
          resHeaders: [['Location', 'https://app.example.com/cb?error=access_denied&state=x']],
        }),
        entry('POST', `${ISSUER}oauth/token`, {
          headers: [['Content-Type', 'application/x-www-form-urlencoded']],
          body: 'grant_type=refresh_token&refresh_token=s3cr3t-refresh&client_id=app123&client_secret=s3cr3t-client-2',
          resBody: JSON.stringify({ access_token: 'opaque', refresh_token: 's3cr3t-refresh-2', token_type: 'Bearer' }),
        }),
        entry('GET', 'https://app.example.com/app.js'),
      ],
    },
  };
  return { imported: importHar(JSON.stringify(har)), jwk };
}

describe('HAR panel model', () => {
  it('counts removals per kind, a request’s cookies once, the worst kinds first', async () => {
    const { imported } = await fixture();
    expect(removedCounts(imported.removed)).toEqual([
      { kind: 'client_secret', count: 2 },
      { kind: 'refresh_token', count: 2 },
      { kind: 'access_token_signature', count: 1 },
      { kind: 'cookie', count: 3 },
    ]);
  });

  it('lists each exchange with kind, method, host and path, status and time; a redirect carrying error= counts as failed', async () => {
    const { imported } = await fixture();
    expect(imported.exchanges.map(exchangeRow)).toEqual([
      {
        kind: 'discovery',
        method: 'GET',
        host: 'tenant.example.com',
        path: '/.well-known/openid-configuration',
        status: 200,
        startedAt: '2026-12-07T10:00:00.000Z',
        failed: false,
      },
      {
        kind: 'jwks',
        method: 'GET',
        host: 'app.example.com',
        path: '/.well-known/jwks.json',
        status: 200,
        startedAt: '2026-12-07T10:00:00.000Z',
        failed: false,
      },
      { kind: 'par', method: 'POST', host: 'tenant.example.com', path: '/oauth/par', status: 400, startedAt: '2026-12-07T10:00:00.000Z', failed: true },
      { kind: 'authorize', method: 'GET', host: 'tenant.example.com', path: '/authorize', status: 302, startedAt: '2026-12-07T10:00:00.000Z', failed: true },
      { kind: 'token', method: 'POST', host: 'tenant.example.com', path: '/oauth/token', status: 200, startedAt: '2026-12-07T10:00:00.000Z', failed: false },
    ]);
    expect(imported.exchanges.map(canReproduce)).toEqual([false, false, true, true, true]);
  });

  it('finds the client’s key in the file by the kid its request object names, and only then', async () => {
    const { imported, jwk } = await fixture();
    const par = imported.exchanges.find((x) => x.kind === 'par')!;
    const found = keyFromHar(imported, par);
    expect(found).not.toBeNull();
    expect((JSON.parse(found!) as { keys: { kid: string; n: string }[] }).keys[0]).toMatchObject({ kid: jwk.kid, n: jwk.n });
    // The authorization request carries no JWT: nothing names a key.
    expect(
      keyFromHar(
        imported,
        imported.exchanges.find((x) => x.kind === 'authorize')!,
      ),
    ).toBeNull();
  });

  it('finds the PAR exchange an authorization request by request_uri refers to, by the request_uri its answer gave', () => {
    const uri = 'urn:ietf:params:oauth:request_uri:abc123';
    const har = {
      log: {
        version: '1.2',
        creator: { name: 'WebInspector', version: '537.36' },
        entries: [
          entry('POST', `${ISSUER}oauth/par`, {
            body: 'client_id=app123&response_type=code',
            status: 201,
            resBody: JSON.stringify({ request_uri: 'urn:ietf:params:oauth:request_uri:other', expires_in: 30 }),
          }),
          entry('POST', `${ISSUER}oauth/par`, {
            body: 'client_id=app123&response_type=code&scope=openid',
            status: 201,
            resBody: JSON.stringify({ request_uri: uri, expires_in: 30 }),
          }),
          entry('GET', `${ISSUER}authorize?client_id=app123&request_uri=${encodeURIComponent(uri)}`, {
            status: 302,
            resHeaders: [['Location', 'https://app.example.com/cb?error=access_denied']],
          }),
          entry('GET', `${ISSUER}authorize?client_id=app123&response_type=code`, {
            status: 302,
            resHeaders: [['Location', 'https://app.example.com/cb?error=access_denied']],
          }),
        ],
      },
    };
    const imported = importHar(JSON.stringify(har));
    const [, second, byUri, plain] = imported.exchanges;
    expect(pushedFor(imported, byUri!)).toBe(second);
    expect(pushedFor(imported, plain!)).toBeNull();
    expect(pushedFor(imported, second!)).toBeNull();
  });

  it('hands the core the stripped exchange, no secret in it', async () => {
    const { imported } = await fixture();
    const sent = JSON.stringify(imported.exchanges.filter(canReproduce).map(caseInput));
    for (const secret of ['s3cr3t-cookie', 's3cr3t-client', 's3cr3t-refresh']) expect(sent).not.toContain(secret);
    expect(caseInput(imported.exchanges.find((x) => x.kind === 'par')!)).toMatchObject({ kind: 'par', method: 'POST', response: { status: 400 } });
  });

  it('reports progress over the two passes, none while the file is read and parsed', () => {
    expect(progressRatio({ phase: 'reading', done: 0, total: 5_000_000 })).toBeNull();
    expect(progressRatio({ phase: 'parsing', done: 0, total: 0 })).toBeNull();
    expect(progressRatio({ phase: 'discovery', done: 500, total: 1000 })).toBeCloseTo(0.1);
    expect(progressRatio({ phase: 'exchanges', done: 0, total: 1000 })).toBeCloseTo(0.2);
    expect(progressRatio({ phase: 'exchanges', done: 1000, total: 1000 })).toBe(1);
  });
});
