/**
 * HAR import and export, the pure core (shared/har): reading names the problem with a broken file;
 * exchanges of any issuer are found and stripped, with a list of what was removed; the import can be
 * driven chunk by chunk (a Web Worker's progress); an export of a real run and of real server traces is
 * HAR 1.2 by the published JSON schema (har-schema, checked with ajv).
 */
import { createRequire } from 'node:module';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HarReadError, readHarLog } from '../../../../shared/har/har';
import type { Har } from '../../../../shared/har/har';
import { importHar, importHarSteps } from '../../../../shared/har/import';
import type { HarProgress } from '../../../../shared/har/import';
import { explainHar, harProfileFor } from '../../../../shared/har/explain';
import { harFromRun, harFromTraces } from '../../../../shared/har/export';
import type { FlowRun, FlowTarget } from '../../../../shared/schemas/flows';
import type { RequestTrace } from '../../../../shared/schemas/server';
import type { FlowHarness } from '../../electron/core/flows/helpers';
import { flowHarness, REDIRECT } from '../../electron/core/flows/helpers';

const require = createRequire(import.meta.url);

/** A validator of HAR 1.2 documents: har-schema's JSON Schema (draft-06) with formats checked. */
function harValidator() {
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json') as object);
  addFormats(ajv);
  const schemas = require('har-schema') as Record<string, { $id: string }>;
  for (const schema of Object.values(schemas)) ajv.addSchema(schema);
  return (doc: unknown) => {
    const validate = ajv.getSchema('har.json#')!;
    const ok = validate(doc);
    return { ok, errors: JSON.stringify(validate.errors ?? []) };
  };
}

function entry(
  method: string,
  url: string,
  extra: {
    headers?: [string, string][];
    body?: string;
    mime?: string;
    status?: number;
    response?: string;
    resHeaders?: [string, string][];
    cookies?: string[];
  } = {},
) {
  return {
    startedDateTime: '2026-12-07T14:03:11.000Z',
    time: 12,
    request: {
      method,
      url,
      httpVersion: 'HTTP/1.1',
      cookies: (extra.cookies ?? []).map((name) => ({ name, value: `cookie-value-${name}` })),
      headers: (extra.headers ?? []).map(([name, value]) => ({ name, value })),
      queryString: [],
      ...(extra.body === undefined ? {} : { postData: { mimeType: extra.mime ?? 'application/x-www-form-urlencoded', text: extra.body } }),
      headersSize: -1,
      bodySize: -1,
    },
    response: {
      status: extra.status ?? 200,
      statusText: '',
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: (extra.resHeaders ?? [['content-type', 'application/json']]).map(([name, value]) => ({ name, value })),
      content: { size: 0, mimeType: 'application/json', ...(extra.response === undefined ? {} : { text: extra.response }) },
      redirectURL: '',
      headersSize: -1,
      bodySize: -1,
    },
    cache: {},
    timings: { send: 0, wait: 10, receive: 0 },
  };
}

const har = (entries: unknown[]) => JSON.stringify({ log: { version: '1.2', creator: { name: 'test', version: '1' }, entries } });

describe('HAR › reading names the problem', () => {
  it('a truncated file, a non-JSON file, a non-HAR JSON, a HAR without entries, an entry without a URL', () => {
    const good = har([entry('GET', 'https://idp.example.com/.well-known/openid-configuration', { response: '{"issuer":"https://idp.example.com/"}' })]);
    const cases: [string, string, RegExp][] = [
      [good.slice(0, Math.floor(good.length / 2)), 'truncated', /ends in the middle of its JSON .* cut short/],
      ['hello, world', 'not-json', /not JSON .* a HAR file is the JSON/],
      ['   ', 'empty', /empty/],
      ['{"keys":[{"kty":"RSA"}]}', 'not-har', /JSON but not a HAR: it has no "log" \(its members: keys\)/],
      ['[1,2]', 'not-har', /it is an array/],
      ['{"log":{"version":"1.2"}}', 'no-entries', /has no log\.entries/],
      ['{"log":{"entries":{}}}', 'no-entries', /log\.entries is an object, not an array/],
      [har([{ request: { method: 'GET' }, response: { status: 200 } }]), 'entry-invalid', /^log\.entries\[0\]\.request\.url: /],
    ];
    for (const [text, code, message] of cases) {
      let caught: unknown;
      try {
        importHar(text);
      } catch (e) {
        caught = e;
      }
      expect(caught, text.slice(0, 40)).toBeInstanceOf(HarReadError);
      expect((caught as HarReadError).code).toBe(code);
      expect((caught as HarReadError).message).toMatch(message);
    }
  });

  it('reads the envelope of a large file without looking into its entries', () => {
    const log = readHarLog(har(Array.from({ length: 3 }, () => ({ anything: true }))));
    expect(log.entries).toHaveLength(3);
    expect(log.creator).toBe('test 1');
  });
});

describe('HAR › import', () => {
  const issuer = 'https://login.example.org/';
  const secret = `sec-${randomBytes(8).toString('hex')}`;
  const refresh = `rt-${randomBytes(8).toString('hex')}`;
  const code = `code-${randomBytes(8).toString('hex')}`;
  const verifier = `ver-${randomBytes(16).toString('hex')}`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const cookie = `sid=${randomBytes(8).toString('hex')}`;
  let text: string;
  let accessToken: string;
  let assertion: string;

  beforeAll(async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const now = Math.floor(Date.parse('2026-12-07T14:03:11Z') / 1000);
    accessToken = await new SignJWT({ iss: issuer, sub: 'u', aud: 'api', iat: now, exp: now + 600 })
      .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt' })
      .sign(privateKey);
    assertion = await new SignJWT({ iss: 'app', sub: 'app', aud: `${issuer}oauth2/token`, iat: now, exp: now + 60, jti: 'j1' })
      .setProtectedHeader({ alg: 'PS256' })
      .sign(privateKey);
    // Another issuer's layout (discovery names the endpoints: no Auth0 paths here).
    const discovery = {
      issuer,
      authorization_endpoint: `${issuer}oauth2/auth`,
      token_endpoint: `${issuer}oauth2/token`,
      userinfo_endpoint: `${issuer}me`,
      jwks_uri: `${issuer}keys.json`,
    };
    text = har([
      entry('GET', 'https://cdn.example.org/app.js', { resHeaders: [['content-type', 'text/javascript']], response: 'console.log(1)' }),
      entry('GET', `${issuer}.well-known/openid-configuration`, { response: JSON.stringify(discovery) }),
      entry(
        'GET',
        `${issuer}oauth2/auth?client_id=app&response_type=code&redirect_uri=https%3A%2F%2Fapp.example.org%2Fcb&scope=openid&code_challenge=x&code_challenge_method=S256`,
        {
          status: 302,
          resHeaders: [
            ['location', `https://app.example.org/cb?code=${code}&state=s`],
            ['set-cookie', cookie],
          ],
          cookies: ['sid'],
        },
      ),
      entry('POST', `${issuer}u/login`, { body: `email=a%40b.c&password=${password}` }),
      entry('POST', `${issuer}oauth2/token`, {
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          code_verifier: verifier,
          client_id: 'app',
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: assertion,
        }).toString(),
        headers: [
          ['content-type', 'application/x-www-form-urlencoded'],
          ['DPoP', assertion],
          ['cookie', cookie],
        ],
        response: JSON.stringify({ access_token: accessToken, refresh_token: refresh, token_type: 'Bearer', expires_in: 600 }),
      }),
      entry('POST', `${issuer}oauth2/token`, {
        body: `grant_type=client_credentials&client_id=app&client_secret=${secret}`,
        response: JSON.stringify({ error: 'invalid_client', error_description: 'bad secret' }),
        status: 401,
      }),
      entry('GET', `${issuer}me`, { headers: [['authorization', `Bearer ${accessToken}`]], response: '{"sub":"u"}' }),
      entry('GET', `${issuer}keys.json`, { response: JSON.stringify({ keys: [{ kty: 'oct', k: 'c2VjcmV0', kid: 'leak' }] }) }),
      entry('OPTIONS', `${issuer}oauth2/token`, {}),
    ]);
  });

  it('finds every exchange of an issuer it has never seen, by its discovery document, and drops the rest', () => {
    const imported = importHar(text);
    expect(imported.exchanges.map((x) => [x.entry, x.kind])).toEqual([
      [1, 'discovery'],
      [2, 'authorize'],
      [4, 'token'],
      [5, 'token'],
      [6, 'userinfo'],
      [7, 'jwks'],
    ]);
    expect(imported.ignored).toBe(3);
    expect(imported.issuers).toEqual([issuer]);
    expect(imported.exchanges.every((x) => x.issuer === issuer)).toBe(true);
    const token = imported.exchanges.find((x) => x.entry === 4)!;
    expect(token.jwts.map((j) => [j.role, j.where])).toEqual([
      ['clientAssertion', 'body client_assertion'],
      ['dpopProof', 'header DPoP'],
      ['accessToken', 'response access_token'],
    ]);
    expect(token.jwts.find((j) => j.role === 'accessToken')!.token).toBe(`${accessToken.split('.').slice(0, 2).join('.')}.`);
  });

  it('strips every secret and says what was removed and where, never the value', () => {
    const imported = importHar(text);
    const kept = JSON.stringify(imported);
    for (const value of [secret, refresh, code, verifier, password, cookie, accessToken, accessToken.split('.')[2]!, 'c2VjcmV0'])
      expect(kept).not.toContain(value);
    expect(kept).toContain(assertion);
    const removed = imported.removed.map((r) => `${r.kind}@${r.entry}:${r.where}`);
    expect(removed).toEqual(
      expect.arrayContaining([
        'code@2:response headers',
        'set-cookie@2:response headers',
        'cookie@2:request cookies (1)',
        'code@4:request body',
        'code_verifier@4:request body',
        'cookie@4:request headers',
        'refresh_token@4:response body',
        'access_token_signature@4:response body',
        'client_secret@5:request body',
        'authorization_header@6:request headers',
        'private_key@7:response body (a private JWK member)',
      ]),
    );
    // The sign-in form's password is in an entry that is not kept at all.
    expect(imported.removed.some((r) => r.entry === 3)).toBe(false);
  });

  it('yields progress between chunks, so a worker can report it, and ends with the same result', () => {
    const steps = importHarSteps(text, { chunk: 2 });
    const progress: HarProgress[] = [];
    let next = steps.next();
    while (!next.done) {
      progress.push(next.value);
      next = steps.next();
    }
    expect(progress).toEqual([
      { phase: 'discovery', done: 2, total: 9 },
      { phase: 'discovery', done: 4, total: 9 },
      { phase: 'discovery', done: 6, total: 9 },
      { phase: 'discovery', done: 8, total: 9 },
      { phase: 'exchanges', done: 2, total: 9 },
      { phase: 'exchanges', done: 4, total: 9 },
      { phase: 'exchanges', done: 6, total: 9 },
      { phase: 'exchanges', done: 8, total: 9 },
    ]);
    expect(next.value).toEqual(importHar(text));
  });

  it('explains each exchange under the profile its issuer calls for, at its own time', () => {
    const explained = explainHar(importHar(text), { now: 0 });
    const token = explained.find((e) => e.exchange.entry === 4)!;
    expect(token.profile).toBe('strict');
    expect(token.profileReason).toBe('other');
    expect(token.explanation.evaluatedAt).toBe(Math.floor(Date.parse('2026-12-07T14:03:11Z') / 1000));
    // The assertion's aud is the token endpoint: strict (FAPI 2.0) wants the issuer, so PKJ-8 fails.
    expect(token.explanation.verdict.first?.id).toBe('PKJ-8');
    expect(token.explanation.items.find((i) => i.id === 'PKJ-1')?.status).toBe('passed');
    const refused = explained.find((e) => e.exchange.entry === 5)!;
    expect(refused.answer).toBe('401 invalid_client: bad secret');
    expect(explained.find((e) => e.exchange.kind === 'userinfo')!.explanation.notes.map((n) => n.code)).toEqual(['no-rules']);
    // The same file, with the host flagged as an Auth0 custom domain: Auth0 accepts the token endpoint as aud.
    const auth0 = explainHar(importHar(text), { now: 0, auth0Domains: ['login.example.org'] }).find((e) => e.exchange.entry === 4)!;
    expect([auth0.profile, auth0.profileReason]).toEqual(['auth0', 'auth0-custom-domain']);
    expect(auth0.explanation.items.find((i) => i.id === 'PKJ-8')?.status).toBe('passed');
  });

  it('counts an Authorization: Basic header as client authentication: PAR-4 passes, and beside an assertion PKJ-2 fails', () => {
    const basic = `Basic ${Buffer.from(`app:${secret}`).toString('base64')}`;
    const tenant = 'https://acme.eu.auth0.com/';
    const doc = har([
      entry('POST', `${tenant}oauth/par`, {
        headers: [
          ['content-type', 'application/x-www-form-urlencoded'],
          ['Authorization', basic],
        ],
        body: 'client_id=app&response_type=code&redirect_uri=https%3A%2F%2Fapp.example.org%2Fcb&scope=openid',
        status: 201,
        response: '{"request_uri":"urn:ietf:params:oauth:request_uri:x","expires_in":30}',
      }),
      entry('POST', `${tenant}oauth/token`, {
        headers: [['authorization', basic]],
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: assertion,
        }).toString(),
      }),
    ]);
    const imported = importHar(doc);
    expect(JSON.stringify(imported)).not.toContain(basic.slice(6));
    const [par, token] = explainHar(imported, { now: 0, issuer: tenant });
    expect([par!.profile, par!.profileReason]).toEqual(['auth0', 'auth0-domain']);
    expect(par!.explanation.items.find((i) => i.id === 'PAR-4')).toMatchObject({ status: 'passed', actual: 'client_secret_basic (Authorization: Basic)' });
    expect(token!.explanation.items.find((i) => i.id === 'PKJ-2')).toMatchObject({
      status: 'failed',
      actual: 'client_assertion and an Authorization: Basic header',
    });
  });

  it('chooses the profile by issuer: Auth0 tenants, Okta orgs, anything else strict, or the one given', () => {
    expect(harProfileFor('https://acme.eu.auth0.com/', {})).toEqual({ profile: 'auth0', reason: 'auth0-domain' });
    expect(harProfileFor('https://acme.okta.com/oauth2/default', {})).toEqual({ profile: 'okta', reason: 'okta-domain' });
    expect(harProfileFor('https://keycloak.example.com/realms/x', {})).toEqual({ profile: 'strict', reason: 'other' });
    expect(harProfileFor('https://login.acme.com/', { auth0Domains: ['LOGIN.acme.com'] })).toEqual({ profile: 'auth0', reason: 'auth0-custom-domain' });
    expect(harProfileFor('https://acme.eu.auth0.com/', { profile: 'fapi2' })).toEqual({ profile: 'fapi2', reason: 'given' });
  });
});

describe('HAR › export', () => {
  let h: FlowHarness;
  let run: FlowRun;
  let clientSecret: string;
  const validate = harValidator();

  beforeAll(async () => {
    h = await flowHarness();
    const issuer = h.core.server.running!.urls.issuer;
    const created = await h.call<{ client_id: string }>('server.createClient', {
      body: {
        name: 'Secret App',
        app_type: 'regular_web',
        callbacks: [],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    });
    clientSecret = (h.core.server.directory.getClientJson(created.client_id) as unknown as { client_secret: string }).client_secret;
    await h.call<FlowTarget>('flows.saveTarget', {
      target: {
        id: 'post',
        name: 'Secret post',
        issuer,
        client_id: created.client_id,
        auth: { method: 'client_secret_post', hasSecret: false },
        redirect_uri: REDIRECT,
        scope: 'openid offline_access',
        embedded: true,
      },
      secret: clientSecret,
    });
    run = await h.run('post', 'par');
  }, 60_000);
  afterAll(async () => {
    await h.core.close();
  });

  it('writes a run as valid HAR 1.2, one entry per exchange, secrets redacted as in flows', () => {
    expect(run.status).toBe('succeeded');
    const doc: Har = harFromRun(run, { name: 'Parley', version: 't' });
    const result = validate(doc);
    expect(result.ok, result.errors).toBe(true);
    const urls = doc.log.entries.map((e) => `${e.request.method} ${new URL(e.request.url).pathname}`);
    expect(urls).toEqual(
      expect.arrayContaining(['GET /.well-known/openid-configuration', 'POST /oauth/par', 'GET /authorize', 'POST /oauth/token', 'GET /.well-known/jwks.json']),
    );
    const text = JSON.stringify(doc);
    expect(text).not.toContain(clientSecret);
    expect(text).toContain('client_secret=%5Bredacted%5D');
    expect(text).toContain('code=%5Bredacted%5D');
    // The browser's part: the authorization request, answered by the redirect it reached (code redacted).
    const authorize = doc.log.entries.find((e) => new URL(e.request.url).pathname === '/authorize')!;
    expect(authorize.response.status).toBe(302);
    expect(authorize.response.redirectURL).toMatch(/^http:\/\/127\.0\.0\.1:53999\/callback\?.*\bcode=%5Bredacted%5D/);
    // What the export holds reads back through the import, exchange by exchange.
    const back = importHar(text);
    expect(back.exchanges.map((x) => x.kind)).toEqual(expect.arrayContaining(['discovery', 'par', 'authorize', 'token', 'jwks']));
  });

  it("writes the server log as valid HAR 1.2 with each trace's rules", async () => {
    const traces = await h.call<RequestTrace[]>('server.listLogs', {});
    expect(traces.length).toBeGreaterThan(2);
    const doc = harFromTraces(traces, h.core.server.running!.urls.issuer, { name: 'Parley', version: 't' });
    const result = validate(doc);
    expect(result.ok, result.errors).toBe(true);
    expect(doc.log.entries).toHaveLength(traces.length);
    const par = doc.log.entries.find((e) => e.request.url.endsWith('/oauth/par'))!;
    expect(par.response.status).toBe(201);
    expect((par['_parleyRules'] as { id: string }[]).map((r) => r.id)).toContain('PAR-4');
    expect(JSON.stringify(doc)).not.toContain(clientSecret);
  });

  it('the validator refuses what is not HAR (so the passes above mean something)', () => {
    const doc = harFromRun(run, { name: 'Parley', version: 't' }) as unknown as { log: { entries: { request: Record<string, unknown> }[] } };
    delete doc.log.entries[0]!.request['headers'];
    expect(validate(doc).ok).toBe(false);
  });
});
