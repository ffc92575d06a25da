/**
 * The CI switches of `npm run server` (issue #15), through the real CLI: spawned, its ready line read, then
 * driven over HTTP(S). --https (with ca_file on the ready line and a certificate the CA verifies),
 * --rate-limits off (PAR-19 and SES-7), --clock-offset, --skip-consent, and bad values refused before listening.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { Browser } from '../../../helpers/browser';
import { hiddenFields } from '../core/server/endpoints/helpers';

interface Ready {
  issuer: string;
  management: { client_id: string; client_secret: string; audience: string };
  users: { email: string; password: string }[];
  dataDir: string;
  ca_file?: string;
}

type Fetch = (url: string, init: RequestInit) => Promise<Response>;

const dir = mkdtempSync(join(tmpdir(), 'parley-switches-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

function spawnCli(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'electron/cli/server.ts', '--port', '0', '--json', '--data-dir', join(dir, `d${++n}`), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function startServer(args: string[]): Promise<{ child: ChildProcess; ready: Ready }> {
  const child = spawnCli(args);
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => resolve({ child, ready: JSON.parse(line) as Ready }));
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${stderr}`)));
  });
}

/** Runs the CLI expecting it to refuse: its exit code and standard error. */
async function refused(args: string[]): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const child = spawnCli(args);
  let stderr = '';
  let stdout = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, stderr, stdout };
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function withServer(args: string[], body: (ready: Ready) => Promise<void>): Promise<void> {
  const { child, ready } = await startServer(args);
  try {
    await body(ready);
  } finally {
    await stop(child);
  }
}

function form(f: Fetch, url: string, fields: Record<string, string>): Promise<Response> {
  return f(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
}

async function token(f: Fetch, ready: Ready): Promise<string> {
  const res = await form(f, `${ready.issuer}oauth/token`, {
    grant_type: 'client_credentials',
    client_id: ready.management.client_id,
    client_secret: ready.management.client_secret,
    audience: ready.management.audience,
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

const CALLBACK = 'https://app.example.com/callback';

/** A web application created through the Management API; returns its id and secret. */
async function webApp(f: Fetch, ready: Ready): Promise<{ client_id: string; client_secret: string }> {
  const res = await f(`${ready.issuer}api/v2/clients`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await token(f, ready)}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: `App ${n}`,
      app_type: 'regular_web',
      callbacks: [CALLBACK],
      token_endpoint_auth_method: 'client_secret_post',
      grant_types: ['authorization_code'],
    }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { client_id: string; client_secret: string };
}

/** Opens /authorize in a new browser, reaches the sign-in page, posts a password: the answer to the POST. */
async function signIn(f: Fetch, ready: Ready, clientId: string, password: string): Promise<Response> {
  const browser = new Browser(f);
  const start = await browser.fetch(
    `${ready.issuer}authorize?${new URLSearchParams({ client_id: clientId, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid', state: 's' })}`,
  );
  expect(start.status).toBe(302);
  const page = await browser.fetch(new URL(start.headers.get('location')!, ready.issuer).href);
  const fields = hiddenFields(await page.text());
  return browser.postForm(`${ready.issuer}u/login`, { ...fields, email: ready.users[0]!.email, password });
}

describe('npm run server › --https', () => {
  it('serves https with ca_file on the ready line; a client with that CA completes discovery and client credentials', async () => {
    await withServer(['--https', '--host-name', 'parley.test'], async (ready) => {
      expect(ready.issuer).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
      expect(ready.management.audience).toBe(`${ready.issuer}api/v2/`);
      expect(ready.ca_file).toBe(join(ready.dataDir, 'tls', 'ca.pem'));
      const agent = new Agent({ connect: { ca: readFileSync(ready.ca_file!, 'utf8') } });
      const trusted: Fetch = async (url, init) =>
        (await undiciFetch(url, { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher: agent })) as unknown as Response;
      const doc = (await (await trusted(`${ready.issuer}.well-known/openid-configuration`, {})).json()) as { issuer: string; token_endpoint: string };
      expect(doc.issuer).toBe(ready.issuer);
      expect(doc.token_endpoint).toBe(`${ready.issuer}oauth/token`);
      const access = await token(trusted, ready);
      expect(JSON.parse(Buffer.from(access.split('.')[1]!, 'base64url').toString()).aud).toBe(`${ready.issuer}api/v2/`);
      // The extra name is in the certificate and passes the Host check.
      const port = new URL(ready.issuer).port;
      const named = await undiciFetch(`https://127.0.0.1:${port}/.well-known/openid-configuration`, {
        dispatcher: new Agent({ connect: { ca: readFileSync(ready.ca_file!, 'utf8'), servername: 'parley.test' } }),
        headers: { host: `parley.test:${port}` },
      });
      expect(named.status).toBe(200);
    });
  });

  it('keeps the ready line of a plain-http server exactly as it was (no ca_file)', async () => {
    await withServer([], async (ready) => {
      expect(Object.keys(ready).sort()).toEqual(['dataDir', 'issuer', 'management', 'users']);
      expect(ready.issuer).toMatch(/^http:\/\//);
    });
  });

  it('refuses --host-name without --https, and a host name that is not one', async () => {
    expect((await refused(['--host-name', 'parley.test'])).stderr).toContain('give --https too');
    const bad = await refused(['--https', '--host-name', 'not a name']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('is not a DNS name or an IP address');
    expect(bad.stdout).toBe('');
  });
});

describe('npm run server › --rate-limits off', () => {
  it('pushes more than 60 PAR requests in 10 s without 429 (PAR-19)', async () => {
    await withServer(['--rate-limits', 'off'], async (ready) => {
      const app = await webApp(fetch, ready);
      const statuses: number[] = [];
      for (let i = 0; i < 65; i++) {
        const res = await form(fetch, `${ready.issuer}oauth/par`, {
          client_id: app.client_id,
          client_secret: app.client_secret,
          response_type: 'code',
          redirect_uri: CALLBACK,
          scope: 'openid',
        });
        statuses.push(res.status);
      }
      expect(statuses.filter((s) => s !== 201)).toEqual([]);
    });
  });

  it('never blocks a user after consecutive wrong passwords (SES-7), and the right one then signs in', async () => {
    await withServer(['--rate-limits', 'off', '--skip-consent'], async (ready) => {
      const app = await webApp(fetch, ready);
      for (let i = 0; i < 11; i++) expect((await signIn(fetch, ready, app.client_id, 'wrong password')).status).toBe(400);
      const ok = await signIn(fetch, ready, app.client_id, ready.users[0]!.password);
      expect(ok.status).toBe(302);
      expect(ok.headers.get('location')).toMatch(/^https:\/\/app\.example\.com\/callback\?code=/);
    });
  });

  it('refuses a value other than on or off', async () => {
    const r = await refused(['--rate-limits', 'maybe']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--rate-limits must be on or off');
  });
});

describe('npm run server › --clock-offset and --skip-consent', () => {
  it('--clock-offset -5m: tokens are issued five minutes in the past', async () => {
    await withServer(['--clock-offset', '-5m'], async (ready) => {
      const before = Math.floor(Date.now() / 1000);
      const iat = JSON.parse(Buffer.from((await token(fetch, ready)).split('.')[1]!, 'base64url').toString()).iat as number;
      expect(before - iat).toBeGreaterThanOrEqual(299);
      expect(before - iat).toBeLessThan(400);
    });
  });

  it('refuses an offset that is not seconds or a duration, before listening', async () => {
    const r = await refused(['--clock-offset', '5 minutes']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--clock-offset must be whole seconds or a duration');
    expect(r.stdout).toBe('');
  });

  it('without --skip-consent the sign-in goes to consent; with it, straight back to the application', async () => {
    await withServer([], async (ready) => {
      const app = await webApp(fetch, ready);
      const res = await signIn(fetch, ready, app.client_id, ready.users[0]!.password);
      expect(res.headers.get('location')).toContain('/u/consent');
    });
    await withServer(['--skip-consent'], async (ready) => {
      const app = await webApp(fetch, ready);
      const res = await signIn(fetch, ready, app.client_id, ready.users[0]!.password);
      expect(res.headers.get('location')).toMatch(/^https:\/\/app\.example\.com\/callback\?code=/);
    });
  });
});
