/**
 * `parley explain file.har` on real-shaped HAR files made here from real flows against the embedded
 * server: (a) a HAR recorded by a real Chromium (Playwright's recordHar, the same HAR 1.2 DevTools writes)
 * while a page pushes a signed request (PAR + JAR + private_key_jwt), signs in through the real form and
 * redeems the code; (b) a Postman-style export (forms as postData.params, no cache) of everything the
 * flow engine and its browser sent, recorded at their transports. Every exchange is found and explained;
 * the secrets in the file (the real password, cookies, code and verifier, the Basic credential, plus a
 * planted client_secret and refresh token) never reach the CLI's text or JSON, nor any file it writes.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, SignJWT } from 'jose';
import { chromium } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoreFetch } from '../../../../electron/core/http/request-policy';
import type { FlowTarget } from '../../../../shared/schemas/flows';
import type { Harness, TestClient, TestKey } from '../../electron/core/server/endpoints/helpers';
import { startServer } from '../../electron/core/server/endpoints/helpers';
import type { FlowHarness } from '../../electron/core/flows/helpers';
import { flowHarness, REDIRECT } from '../../electron/core/flows/helpers';

const root = mkdtempSync(join(tmpdir(), 'parley-har-'));
const outDir = join(root, 'out');
const entry = join(outDir, 'parley.js');
const work = join(root, 'work');
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

beforeAll(() => {
  const vite = join(process.cwd(), 'node_modules', 'vite', 'bin', 'vite.js');
  const built = spawnSync(process.execPath, [vite, 'build', '--config', 'vite.cli.config.ts', '--outDir', outDir], { encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`the CLI build failed: ${built.stderr}${built.stdout}`);
  spawnSync('mkdir', ['-p', work]);
}, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built bin in a folder of its own (to see any file it writes), output piped. */
function parley(args: string[]): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env['NO_COLOR'];
  delete env['FORCE_COLOR'];
  const child = spawn(process.execPath, [entry, ...args], { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

interface HarDoc {
  exitCode: number;
  input: { kind: string; creator: string; entries: number; ignored: number };
  removed: { kind: string; entry: number; where: string }[];
  exchanges: {
    entry: number;
    kind: string;
    profile: string;
    profileReason: string;
    issuer: string | null;
    answer: string | null;
    jwts: { role: string }[];
    verdict: { failed: number; notEvaluated: number; first: { id: string } | null };
    items: { id: string; status: string }[];
  }[];
}

/** Every run's output and the folder it ran in hold none of the secrets. */
function expectNoSecrets(runs: Run[], secrets: string[]): void {
  const files = readdirSync(work);
  expect(files).toEqual([]);
  for (const run of runs)
    for (const secret of secrets) expect(`${run.stdout}${run.stderr}`, `a secret (${secret.slice(0, 6)}…) reached the output`).not.toContain(secret);
}

function keyPair(): TestKey {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { publicKey, privateKey, pem: publicKey.export({ type: 'spki', format: 'pem' }).toString() } as TestKey;
}

describe('HAR › a Chromium recording of a real sign-in (PAR + JAR + private_key_jwt)', () => {
  let h: Harness;
  let c: TestClient;
  let callback: Server;
  let callbackUrl: string;
  const harPath = join(root, 'chromium.har');
  const plantedPath = join(root, 'chromium-planted.har');
  const jwksPath = join(root, 'client-jwks.json');
  const secrets: string[] = [];
  const plantedSecret = `planted-secret-${randomBytes(12).toString('hex')}`;
  const plantedRefresh = `planted-rt-${randomBytes(12).toString('hex')}`;

  beforeAll(async () => {
    callback = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end('<!doctype html><title>callback</title><p>signed in</p>');
    });
    await new Promise<void>((resolve) => callback.listen(0, '127.0.0.1', resolve));
    callbackUrl = `http://127.0.0.1:${(callback.address() as AddressInfo).port}/callback`;
    h = await startServer();
    c = await h.client({ callbacks: [callbackUrl] }, { pkj: keyPair(), jar: keyPair() });
    writeFileSync(
      jwksPath,
      JSON.stringify({
        keys: [
          { ...(await exportJWK(c.pkj!.publicKey)), kid: 'pkj' },
          { ...(await exportJWK(c.jar!.publicKey)), kid: 'jar' },
        ],
      }),
    );

    const now = Math.floor(Date.now() / 1000);
    const assertion = (aud: string) =>
      new SignJWT({ iss: c.client_id, sub: c.client_id, aud, iat: now, exp: now + 60, jti: randomBytes(12).toString('base64url') })
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
        .sign(c.pkj!.privateKey);
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const requestObject = await new SignJWT({
      iss: c.client_id,
      aud: h.base,
      client_id: c.client_id,
      response_type: 'code',
      redirect_uri: callbackUrl,
      scope: 'openid profile email offline_access',
      state: 'st',
      nonce: 'nn',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      iat: now,
      nbf: now,
      exp: now + 120,
    })
      .setProtectedHeader({ alg: 'RS256', typ: 'oauth-authz-req+jwt' })
      .sign(c.jar!.privateKey);

    const browser = await chromium.launch({ executablePath: process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
    try {
      const context = await browser.newContext({ recordHar: { path: harPath, content: 'embed' } });
      const page = await context.newPage();
      // The app's page: discovery, then the push, from the issuer's own origin (no CORS involved).
      await page.goto(`${h.base}.well-known/openid-configuration`);
      const parBody = new URLSearchParams({
        client_id: c.client_id,
        client_assertion_type: JWT_BEARER,
        client_assertion: await assertion(h.base),
        request: requestObject,
      }).toString();
      const pushed = await page.evaluate(
        async ({ url, body }) => (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body })).json(),
        { url: `${h.base}oauth/par`, body: parBody },
      );
      const requestUri = (pushed as { request_uri: string }).request_uri;
      expect(requestUri).toMatch(/^urn:ietf:params:oauth:request_uri:/);
      // The sign-in, as a person does it.
      await page.goto(`${h.base}authorize?${new URLSearchParams({ client_id: c.client_id, request_uri: requestUri })}`);
      const user = h.user();
      await page.fill('input[name=email]', user.email);
      await page.fill('input[name=password]', user.password);
      secrets.push(user.password);
      await Promise.all([page.waitForURL((u) => u.href.startsWith(callbackUrl) || u.pathname.includes('/u/consent')), page.click('button[type=submit]')]);
      if (page.url().includes('/u/consent')) await Promise.all([page.waitForURL((u) => u.href.startsWith(callbackUrl)), page.click('button[value=accept]')]);
      const code = new URL(page.url()).searchParams.get('code');
      expect(code).toBeTruthy();
      secrets.push(code!, verifier);
      // Back on the issuer's origin: redeem the code, read the user, fetch the keys.
      await page.goto(`${h.base}.well-known/openid-configuration`);
      const tokenBody = new URLSearchParams({
        grant_type: 'authorization_code',
        code: code!,
        code_verifier: verifier,
        redirect_uri: callbackUrl,
        client_id: c.client_id,
        client_assertion_type: JWT_BEARER,
        client_assertion: await assertion(h.base),
      }).toString();
      const tokens = (await page.evaluate(
        async ({ url, body }) => (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body })).json(),
        { url: `${h.base}oauth/token`, body: tokenBody },
      )) as { access_token: string; refresh_token?: string; id_token: string };
      expect(tokens.id_token).toBeTruthy();
      secrets.push(tokens.access_token.split('.')[2]!);
      if (tokens.refresh_token) secrets.push(tokens.refresh_token);
      await page.evaluate(async ({ url, at }) => (await fetch(url, { headers: { authorization: `Bearer ${at}` } })).text(), {
        url: `${h.base}userinfo`,
        at: tokens.access_token,
      });
      await page.evaluate(async (url) => (await fetch(url)).text(), `${h.base}.well-known/jwks.json`);
      const cookies = await context.cookies();
      expect(cookies.length).toBeGreaterThan(0);
      for (const cookie of cookies) secrets.push(cookie.value);
      await context.close();
    } finally {
      await browser.close();
    }
    // The same file with a client_secret and a refresh token planted in the token exchange.
    const doc = JSON.parse(readFileSync(harPath, 'utf8')) as {
      log: { entries: { request: { url: string; postData?: { text?: string } }; response: { content: { text?: string; encoding?: string } } }[] };
    };
    const token = doc.log.entries.find((e) => e.request.url.endsWith('/oauth/token'))!;
    token.request.postData!.text += `&client_secret=${plantedSecret}`;
    const text = token.response.content.encoding === 'base64' ? Buffer.from(token.response.content.text!, 'base64').toString() : token.response.content.text!;
    token.response.content = { ...token.response.content, text: JSON.stringify({ ...JSON.parse(text), refresh_token: plantedRefresh }) };
    delete token.response.content.encoding;
    writeFileSync(plantedPath, JSON.stringify(doc, null, 2));
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    await new Promise((resolve) => callback?.close(resolve));
  });

  it('holds the secrets the CLI must strip (so their absence below means something)', () => {
    const raw = readFileSync(harPath, 'utf8') + readFileSync(plantedPath, 'utf8');
    for (const [i, secret] of [...secrets, plantedSecret, plantedRefresh].entries()) expect(raw, `secret ${i}`).toContain(secret);
  });

  it('finds and explains every exchange; all rules pass under the Auth0 profile with the client keys (exit 0)', async () => {
    const run = await parley(['explain', harPath, '--auth0-domain', '127.0.0.1', '--key', jwksPath, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as HarDoc;
    expect(doc.input.kind).toBe('har');
    expect(doc.exchanges.map((x) => x.kind)).toEqual(['discovery', 'par', 'authorize', 'discovery', 'token', 'userinfo', 'jwks']);
    expect(doc.input.ignored).toBeGreaterThan(0);
    const par = doc.exchanges.find((x) => x.kind === 'par')!;
    expect([par.profile, par.profileReason, par.issuer]).toEqual(['auth0', 'auth0-custom-domain', h.base]);
    expect(par.jwts.map((j) => j.role)).toEqual(['clientAssertion', 'requestObject']);
    expect(par.items.map((i) => i.id)).toEqual(expect.arrayContaining(['PAR-4', 'PKJ-1', 'PKJ-8', 'PKJ-13', 'JAR-8', 'JAR-11']));
    expect(doc.exchanges.flatMap((x) => x.items).every((i) => i.status === 'passed')).toBe(true);
    const token = doc.exchanges.find((x) => x.kind === 'token')!;
    expect(token.jwts.map((j) => j.role)).toEqual(expect.arrayContaining(['clientAssertion', 'idToken', 'accessToken']));
    expect(doc.removed.map((r) => r.kind)).toEqual(expect.arrayContaining(['code', 'code_verifier', 'access_token_signature', 'authorization_header']));
    expectNoSecrets([run], secrets);
  });

  it('names the failing rule when the file shows one (a client_secret beside the assertion: PKJ-2, exit 1), secrets stripped from text and JSON', async () => {
    const text = await parley(['explain', plantedPath, '--auth0-domain', '127.0.0.1']);
    const json = await parley(['explain', plantedPath, '--auth0-domain', '127.0.0.1', '--json']);
    expect(text.code).toBe(1);
    expect(json.code).toBe(1);
    expect(text.stdout.split('\n')[0]).toMatch(/^1 exchange of 7 failed: first PKJ-2 at #\d+ \(token request\)\./);
    expect(text.stdout).toMatch(/Removed on the way in: .*client_secret/);
    expect(text.stdout).toMatch(/refresh_token/);
    const doc = JSON.parse(json.stdout) as HarDoc;
    expect(doc.exchanges.find((x) => x.kind === 'token')!.verdict.first?.id).toBe('PKJ-2');
    expect(doc.removed.map((r) => r.kind)).toEqual(expect.arrayContaining(['client_secret', 'refresh_token']));
    expectNoSecrets([text, json], [...secrets, plantedSecret, plantedRefresh]);
    const original = await parley(['explain', harPath, '--auth0-domain', '127.0.0.1']);
    expectNoSecrets([original], secrets);
  });

  it('judges a server that is not Auth0 by the standards: without the flag, RS256 fails the strict profile', async () => {
    const run = await parley(['explain', harPath, '--json']);
    expect(run.code).toBe(1);
    const doc = JSON.parse(run.stdout) as HarDoc;
    const par = doc.exchanges.find((x) => x.kind === 'par')!;
    expect([par.profile, par.profileReason]).toEqual(['strict', 'other']);
    expect(par.items.filter((i) => i.status === 'failed').map((i) => i.id)).toEqual(expect.arrayContaining(['JAR-5']));
  });
});

describe('HAR › a Postman-style export of a real flow run', () => {
  let h: FlowHarness;
  const recorded: {
    started: string;
    ms: number;
    method: string;
    url: string;
    reqHeaders: [string, string][];
    reqBody?: string;
    status: number;
    resHeaders: [string, string][];
    resBody: string;
  }[] = [];
  const harPath = join(root, 'postman.har');
  let clientSecret = '';
  const plantedRefresh = `planted-rt-${randomBytes(12).toString('hex')}`;

  /** A transport that records every exchange as sent and received (secrets included), then answers as fetch does. */
  const recording: CoreFetch = async (url, init) => {
    const started = new Date();
    const response = await fetch(url, init);
    const resBody = await response.clone().text();
    recorded.push({
      started: started.toISOString(),
      ms: Date.now() - started.getTime(),
      method: (init.method ?? 'GET').toUpperCase(),
      url,
      reqHeaders: [...new Headers(init.headers)],
      ...(init.body == null ? {} : { reqBody: String(init.body) }),
      status: response.status,
      resHeaders: [...response.headers],
      resBody,
    });
    return response;
  };

  beforeAll(async () => {
    h = await flowHarness({ fetch: recording });
    h.launcher.browserFetch = recording;
    const issuer = h.core.server.running!.urls.issuer;
    await h.call<FlowTarget>('flows.saveTarget', {
      target: {
        id: 'pkj',
        name: 'Embedded PKJ',
        issuer,
        client_id: h.clientId,
        auth: { method: 'private_key_jwt', keyId: h.authKeyId, hasSecret: false },
        redirect_uri: REDIRECT,
        scope: 'openid profile email',
        jarKeyId: h.jarKeyId,
        embedded: true,
      },
    });
    const created = await h.call<{ client_id: string }>('server.createClient', {
      body: {
        name: 'Secret App',
        app_type: 'regular_web',
        callbacks: [],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    });
    clientSecret = (h.core.server.directory.getClientJson(created.client_id) as unknown as { client_secret: string }).client_secret;
    await h.call<FlowTarget>('flows.saveTarget', {
      target: {
        id: 'basic',
        name: 'Embedded secret',
        issuer,
        client_id: created.client_id,
        auth: { method: 'client_secret_basic', hasSecret: false },
        redirect_uri: REDIRECT,
        scope: 'openid',
        embedded: true,
      },
      secret: clientSecret,
    });
    expect((await h.run('pkj', 'par+jar')).status).toBe('succeeded');
    expect((await h.run('basic', 'plain')).status).toBe('succeeded');
    // Shaped as Postman writes it: forms as postData.params, no cache, no headers sizes.
    const entries = recorded.map((r) => {
      const form = r.reqBody !== undefined && /x-www-form-urlencoded/.test(r.reqHeaders.find(([n]) => n === 'content-type')?.[1] ?? '');
      let resBody = r.resBody;
      if (r.url.endsWith('/oauth/token') && r.status === 200) resBody = JSON.stringify({ ...JSON.parse(resBody), refresh_token: plantedRefresh });
      return {
        startedDateTime: r.started,
        time: r.ms,
        request: {
          method: r.method,
          url: r.url,
          httpVersion: 'HTTP/1.1',
          headers: r.reqHeaders.map(([name, value]) => ({ name, value })),
          queryString: [...new URL(r.url).searchParams].map(([name, value]) => ({ name, value })),
          cookies: [],
          ...(r.reqBody === undefined
            ? {}
            : form
              ? {
                  postData: {
                    mimeType: 'application/x-www-form-urlencoded',
                    params: [...new URLSearchParams(r.reqBody)].map(([name, value]) => ({ name, value })),
                  },
                }
              : { postData: { mimeType: 'text/plain', text: r.reqBody } }),
        },
        response: {
          status: r.status,
          statusText: '',
          httpVersion: 'HTTP/1.1',
          headers: r.resHeaders.map(([name, value]) => ({ name, value })),
          cookies: [],
          content: { size: resBody.length, mimeType: r.resHeaders.find(([n]) => n === 'content-type')?.[1] ?? 'text/plain', text: resBody },
        },
        timings: { send: 0, wait: r.ms, receive: 0 },
      };
    });
    writeFileSync(harPath, JSON.stringify({ log: { version: '1.2', creator: { name: 'Postman', version: '11.20.0' }, entries } }, null, 2));
  }, 120_000);
  afterAll(async () => {
    await h?.core.close();
  });

  it('holds the real secrets of the run: the password, cookies, code, verifier, the Basic credential', () => {
    const raw = readFileSync(harPath, 'utf8');
    const user = h.core.server.directory.bootstrapInfo().users[0]!;
    // The client secret travels in the Basic header (client_secret_basic), base64-encoded with the client_id.
    for (const secret of [user.password, plantedRefresh, 'code_verifier']) expect(raw).toContain(secret);
    expect(raw).toMatch(/"name": "cookie"/);
    expect(raw).toMatch(/"name": "authorization",\s*"value": "Basic /);
  });

  it('finds and explains every exchange of both runs; nothing secret reaches the text or the JSON', async () => {
    const json = await parley(['explain', harPath, '--auth0-domain', '127.0.0.1', '--json']);
    const text = await parley(['explain', harPath, '--auth0-domain', '127.0.0.1']);
    // Signatures are not checked without --key: no rule failed, nothing left unevaluated (the issuer is in the file).
    expect(json.code, json.stderr).toBe(0);
    expect(text.code).toBe(0);
    const doc = JSON.parse(json.stdout) as HarDoc;
    expect(doc.input.creator).toBe('Postman 11.20.0');
    const kinds = doc.exchanges.map((x) => x.kind);
    expect(kinds.filter((k) => k === 'discovery')).toHaveLength(2);
    expect(kinds.filter((k) => k === 'par')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'authorize').length).toBeGreaterThanOrEqual(2);
    expect(kinds.filter((k) => k === 'token')).toHaveLength(2);
    expect(kinds.filter((k) => k === 'jwks')).toHaveLength(2);
    const par = doc.exchanges.find((x) => x.kind === 'par')!;
    expect(par.items.map((i) => i.id)).toEqual(expect.arrayContaining(['PAR-4', 'PKJ-1', 'PKJ-2', 'JAR-11', 'PKJ-8']));
    expect(doc.exchanges.flatMap((x) => x.items).every((i) => i.status === 'passed')).toBe(true);
    // The Basic-authenticated token request: PKJ rules do not apply, the credential was removed.
    // The password was in the sign-in form's entry, which is not kept at all; the rest is stripped from the exchanges.
    expect(doc.removed.map((r) => r.kind)).toEqual(expect.arrayContaining(['code', 'code_verifier', 'refresh_token', 'authorization_header']));
    expect(text.stdout).toMatch(/^No rule failed: \d+ exchanges found, \d+ judged by the rules\./);
    const user = h.core.server.directory.bootstrapInfo().users[0]!;
    const basic = recorded.flatMap((r) => r.reqHeaders).find(([n, v]) => n === 'authorization' && v.startsWith('Basic '))![1];
    const cookies = recorded
      .flatMap((r) => r.reqHeaders)
      .filter(([n]) => n === 'cookie')
      .map(([, v]) => v);
    const codes = recorded
      .flatMap((r) => (r.reqBody ? [...new URLSearchParams(r.reqBody)] : []))
      .filter(([n]) => n === 'code' || n === 'code_verifier')
      .map(([, v]) => v);
    expect(codes.length).toBeGreaterThanOrEqual(4);
    expectNoSecrets([json, text], [user.password, clientSecret, basic.slice('Basic '.length), plantedRefresh, ...cookies, ...codes]);
  });
});
