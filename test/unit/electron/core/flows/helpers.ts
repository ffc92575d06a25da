/**
 * Set-up for flow tests: a REAL core (vault, embedded server, contract dispatch) over a temp data
 * directory, keys generated through the contract, and a test launcher at the browser boundary only: it
 * drives the real sign-in form with fetch and cookies, then returns the callback URL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import type { Core } from '../../../../../electron/core/host/core';
import { createCore } from '../../../../../electron/core/host/core';
import type { BrowserLauncher, BrowserOpenOptions, BrowserOutcome } from '../../../../../electron/core/flows/browser-launcher';
import type { CoreFetch } from '../../../../../electron/core/http/request-policy';
import type { FlowRun } from '../../../../../shared/schemas/flows';
import type { ServerSettings } from '../../../../../shared/schemas/server';
import { Browser, hiddenFields } from '../server/endpoints/helpers';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** The redirect URI test targets use (nothing listens there: the test launcher stops at the redirect). */
export const REDIRECT = 'http://127.0.0.1:53999/callback';

/** A launcher whose behaviour each test sets. */
export class TestLauncher implements BrowserLauncher {
  /** What the next open() does; by default, sign in through the real form. */
  next: (url: string, redirectUri: string, signal: AbortSignal) => Promise<BrowserOutcome> = (url) => this.signIn(url);
  readonly opened: string[] = [];
  /** What the engine told the launcher about each run it opened, in order. */
  readonly openOptions: (BrowserOpenOptions | undefined)[] = [];
  core!: Core;
  /** The browser's transport (a fetch trusting the local CA when the server serves https). */
  browserFetch: (url: string, init: RequestInit) => Promise<Response> = fetch;

  /** Called by the engine. */
  open(url: string, redirectUri: string, signal: AbortSignal, options?: BrowserOpenOptions): Promise<BrowserOutcome> {
    this.opened.push(url);
    this.openOptions.push(options);
    return this.next(url, redirectUri, signal);
  }

  /** Follows the authorize URL through the login (and consent) forms; an error page is a closed tab. */
  async signIn(startUrl: string): Promise<BrowserOutcome> {
    const base = this.core.server.running!.urls.issuer;
    const user = this.core.server.directory.bootstrapInfo().users[0]!;
    const browser = new Browser(this.browserFetch);
    let url = startUrl;
    let res = await browser.fetch(url);
    for (let hops = 0; hops < 10; hops++) {
      if (res.status === 302 || res.status === 303) {
        url = new URL(res.headers.get('location')!, base).href;
        if (!url.startsWith(base)) return { callbackUrl: url };
        res = await browser.fetch(url);
        continue;
      }
      const html = await res.text();
      if (res.status !== 200) return { cancelled: true };
      const fields = hiddenFields(html);
      if (url.includes('/u/login')) {
        res = await browser.postForm(`${base}u/login`, { ...fields, email: user.email, password: user.password });
        url = `${base}u/login`;
      } else if (url.includes('/u/consent')) {
        res = await browser.postForm(`${base}u/consent`, { ...fields, action: 'accept' });
        url = `${base}u/consent`;
      } else {
        return { cancelled: true };
      }
    }
    throw new Error('too many redirects');
  }
}

/** A core with a vault, two RSA keys, and an embedded-server client using them for JAR and private_key_jwt. */
export interface FlowHarness {
  core: Core;
  dir: string;
  launcher: TestLauncher;
  jarKeyId: string;
  authKeyId: string;
  clientId: string;
  /** Dispatches and unwraps, throwing the wire error on failure. */
  call<T>(name: string, input?: unknown): Promise<T>;
  /** Starts a run and waits for it to finish. */
  run(targetId: string, kind: FlowRun['kind'], extra?: Record<string, unknown>): Promise<FlowRun>;
}

/** Builds the harness; `fetch` is the core's transport (Node's fetch by default); `serverSettings` are saved at start. */
export async function flowHarness(options: { fetch?: CoreFetch; serverSettings?: Partial<ServerSettings> } = {}): Promise<FlowHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-flows-'));
  dirs.push(dir);
  const launcher = new TestLauncher();
  const server = { port: 0, ...(options.serverSettings ? { settings: options.serverSettings } : {}) };
  const core = await createCore({
    dataDir: dir,
    mode: 'web',
    version: 't',
    scrypt: { N: 1024, r: 8, p: 1 },
    server,
    browserLauncher: launcher,
    log: () => {},
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  launcher.core = core;
  const call = async <T>(name: string, input: unknown = {}): Promise<T> => {
    const result = await core.dispatch(name, input);
    if (!result.ok) throw Object.assign(new Error(`${name}: ${result.error.code} ${result.error.message}`), result.error);
    return result.value as T;
  };
  await call('vault.setup', { passphrase: 'correct horse battery staple' });
  const jarKey = await call<{ id: string }>('keys.generate', { name: 'jar', spec: { kty: 'RSA', modulusLength: 2048 }, usages: ['jar'] });
  const authKey = await call<{ id: string }>('keys.generate', { name: 'auth', spec: { kty: 'RSA', modulusLength: 2048 }, usages: ['client-auth'] });
  const client = await call<{ client_id: string }>('server.createClient', {
    body: {
      name: 'Flow App',
      app_type: 'regular_web',
      callbacks: ['https://app.example.com/callback'],
      grant_types: ['authorization_code', 'client_credentials'],
      token_endpoint_auth_method: 'client_secret_post',
    },
  });
  await call('server.createCredential', {
    clientId: client.client_id,
    fromVaultKey: { keyId: jarKey.id, name: 'jar', alg: 'RS256' },
    attachTo: 'signed_request_object',
  });
  await call('server.createCredential', {
    clientId: client.client_id,
    fromVaultKey: { keyId: authKey.id, name: 'pkj', alg: 'RS256' },
    attachTo: 'private_key_jwt',
  });
  return {
    core,
    dir,
    launcher,
    jarKeyId: jarKey.id,
    authKeyId: authKey.id,
    clientId: client.client_id,
    call,
    async run(targetId, kind, extra = {}) {
      const started = await call<FlowRun>('flows.start', { targetId, kind, ...extra });
      return core.flows.settled(started.id);
    },
  };
}

/** The step of a run by name. */
export function stepOf(run: FlowRun, name: FlowRun['steps'][number]['name']): FlowRun['steps'][number] {
  const step = run.steps.find((s) => s.name === name);
  if (!step) throw new Error(`no ${name} step`);
  return step;
}
