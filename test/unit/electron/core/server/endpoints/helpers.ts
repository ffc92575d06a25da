/**
 * Set-up for Authentication API tests: the REAL embedded server (app.ts's startAuthServer) over a temp data
 * directory, clients created through the directory with Auth0 JSON bodies, RSA keys generated at test
 * time, a tiny cookie-keeping browser over fetch (redirect: 'manual'), signing helpers for client assertions
 * and request objects, and trace lookups.
 */
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import type { JWTPayload } from 'jose';
import { afterAll, expect } from 'vitest';
import type { AuthServer } from '../../../../../../electron/core/server/app';
import { startAuthServer } from '../../../../../../electron/core/server/app';
import { confStoreFactory } from '../../../../../../electron/core/store/document-store';
import type { RequestTrace, ServerSettings } from '../../../../../../shared/schemas/server';
import type { RuleOutcome } from '../../../../../../shared/jwt/rule';
import { Browser } from '../../../../../helpers/browser';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** The JWT-bearer assertion type (RFC 7523 §2.2). */
export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** The default callback of test clients. */
export const CALLBACK = 'https://app.example.com/callback';

/** An RSA key pair for a credential. */
export interface TestKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  pem: string;
}

/** A fresh RSA-2048 key pair. */
export function rsaKey(): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey, publicKey, pem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

/** A created client: its id, its secret when it has one, and the keys of its slots. */
export interface TestClient {
  client_id: string;
  client_secret?: string;
  /** The private_key_jwt key, when configured. */
  pkj?: TestKey;
  /** The signed_request_object key, when configured. */
  jar?: TestKey;
  /** The alg of its credentials. */
  alg: 'RS256' | 'PS256';
}

/** A running server under test. */
export interface Harness {
  server: AuthServer;
  readonly base: string;
  readonly traces: RequestTrace[];
  settings(patch: Partial<ServerSettings>): void;
  /** Creates a client from an Auth0 POST /api/v2/clients body (plus test keys for the slots). */
  client(body?: Record<string, unknown>, keys?: { pkj?: TestKey; jar?: TestKey; jarRequired?: boolean; alg?: 'RS256' | 'PS256' }): Promise<TestClient>;
  /** The demo user's email and password. */
  user(): { email: string; password: string };
  close(): Promise<void>;
}

/** Starts the real server on a free port (over https with `tls`: a certificate of tls/local-ca.ts). */
export async function startServer(settings: Partial<ServerSettings> = {}, tls?: { certPem: string; keyPem: string }): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-auth-'));
  dirs.push(dir);
  const traces: RequestTrace[] = [];
  const server = await startAuthServer({
    store: confStoreFactory(dir),
    notices: [],
    port: 0,
    settings,
    onTrace: (t) => traces.push(t),
    log: () => {},
    ...(tls ? { tls } : {}),
  });
  return {
    server,
    traces,
    get base() {
      return server.urls.issuer;
    },
    settings(patch) {
      server.settingsStore.update(patch);
    },
    async client(body = {}, keys = {}) {
      // Public clients (token_endpoint_auth_method none) cannot hold client_credentials (Auth0 refuses it).
      const grants =
        body.token_endpoint_auth_method === 'none' ? ['authorization_code', 'refresh_token'] : ['authorization_code', 'refresh_token', 'client_credentials'];
      const full: Record<string, unknown> = {
        name: 'Test App',
        app_type: 'regular_web',
        callbacks: [CALLBACK],
        token_endpoint_auth_method: 'client_secret_post',
        grant_types: grants,
        ...body,
      };
      if (keys.pkj) {
        full.client_authentication_methods = {
          private_key_jwt: { credentials: [{ name: 'pkj', credential_type: 'public_key', pem: keys.pkj.pem, alg: keys.alg ?? 'RS256' }] },
        };
        delete full.token_endpoint_auth_method;
      }
      if (keys.jar)
        full.signed_request_object = {
          ...(keys.jarRequired ? { required: true } : {}),
          credentials: [{ name: 'jar', credential_type: 'public_key', pem: keys.jar.pem, alg: keys.alg ?? 'RS256' }],
        };
      const created = (await server.ctx.directory.createClient(full)) as unknown as { client_id: string; client_secret?: string };
      return {
        client_id: created.client_id,
        alg: keys.alg ?? 'RS256',
        ...(created.client_secret ? { client_secret: created.client_secret } : {}),
        ...(keys.pkj ? { pkj: keys.pkj } : {}),
        ...(keys.jar ? { jar: keys.jar } : {}),
      };
    },
    user() {
      const u = server.ctx.directory.bootstrapInfo().users[0];
      if (!u) throw new Error('no demo user');
      return u;
    },
    close: () => server.close(),
  };
}

/** The newest trace of an endpoint (waits a moment: traces are recorded when the response has been sent). */
export async function lastTrace(h: Harness, endpoint?: string): Promise<RequestTrace> {
  for (let i = 0; i < 50; i++) {
    const found = [...h.traces].reverse().find((t) => endpoint === undefined || t.endpoint === endpoint);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no trace for ${endpoint ?? 'any endpoint'}`);
}

/** Resets the collected traces (so lastTrace finds this test's request). */
export function clearTraces(h: Harness): void {
  h.traces.length = 0;
}

/** A rule's outcome in a trace. */
export function rule(trace: RequestTrace, id: string, passed?: boolean): RuleOutcome | undefined {
  return trace.rules.find((r) => r.id === id && (passed === undefined || r.passed === passed));
}

/** Asserts that a rule failed in the newest trace of the endpoint. */
export async function expectFailed(h: Harness, endpoint: string, id: string): Promise<RequestTrace> {
  const trace = await lastTrace(h, endpoint);
  expect(rule(trace, id, false), `${id} failed in ${JSON.stringify(trace.rules.map((r) => `${r.id}:${r.passed}`))}`).toBeDefined();
  return trace;
}

/** Asserts that a rule passed in the newest trace of the endpoint. */
export async function expectPassed(h: Harness, endpoint: string, id: string): Promise<RequestTrace> {
  const trace = await lastTrace(h, endpoint);
  expect(rule(trace, id, true), `${id} passed in ${JSON.stringify(trace.rules.map((r) => `${r.id}:${r.passed}`))}`).toBeDefined();
  return trace;
}

/** A client assertion (RFC 7523) signed by the client's private_key_jwt key. */
export async function assertion(h: Harness, c: TestClient, claims: JWTPayload = {}, aud?: string): Promise<string> {
  const key = c.pkj;
  if (!key) throw new Error('client has no private_key_jwt key');
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iss: c.client_id, sub: c.client_id, aud: aud ?? h.base, iat: now, exp: now + 60, jti: randomBytes(12).toString('base64url'), ...claims })
    .setProtectedHeader({ alg: c.alg, typ: 'JWT' })
    .sign(key.privateKey);
}

/** A request object (RFC 9101) signed by the client's signed_request_object key. */
export async function requestObject(h: Harness, c: TestClient, claims: JWTPayload = {}, key?: KeyObject): Promise<string> {
  const signer = key ?? c.jar?.privateKey;
  if (!signer) throw new Error('client has no request-object key');
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    iss: c.client_id,
    aud: h.base,
    client_id: c.client_id,
    response_type: 'code',
    redirect_uri: CALLBACK,
    scope: 'openid profile email',
    state: 'st-jar',
    nonce: 'n-jar',
    iat: now,
    exp: now + 120,
    ...claims,
  })
    .setProtectedHeader({ alg: c.alg, typ: 'oauth-authz-req+jwt' })
    .sign(signer);
}

/** A PKCE pair (S256). */
export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export { Browser };

/** A form-encoded POST. */
export function form(url: string, fields: Record<string, string | string[]>, headers: Record<string, string> = {}): Promise<Response> {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body, redirect: 'manual' });
}

/** A JSON error body. */
export async function oauthError(res: Response): Promise<{ error: string; error_description: string }> {
  return (await res.json()) as { error: string; error_description: string };
}

/** The hidden fields of the first form of a page. */
export function hiddenFields(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) out[m[1]!] = m[2]!.replace(/&amp;/g, '&').replace(/&quot;/g, '"');
  return out;
}

/** Resolves a Location header against the server. */
export function location(h: Harness, res: Response): string {
  const loc = res.headers.get('location');
  if (!loc) throw new Error(`no Location (status ${res.status})`);
  return new URL(loc, h.base).href;
}

/**
 * Drives /authorize through the real sign-in form (and consent when shown) to the final redirect to the
 * client. Returns the callback URL.
 */
export async function signIn(h: Harness, browser: Browser, startUrl: string, options: { consent?: 'accept' | 'decline' } = {}): Promise<URL> {
  let url = startUrl;
  let res = await browser.fetch(url);
  for (let hops = 0; hops < 8; hops++) {
    if (res.status === 302) {
      url = location(h, res);
      if (!url.startsWith(h.base)) return new URL(url);
      res = await browser.fetch(url);
      continue;
    }
    const html = await res.text();
    if (res.status !== 200) throw new Error(`unexpected ${res.status} at ${url}: ${html}`);
    const fields = hiddenFields(html);
    if (url.includes('/u/login')) {
      const u = h.user();
      res = await browser.postForm(`${h.base}u/login`, { ...fields, email: u.email, password: u.password });
      url = `${h.base}u/login`;
    } else if (url.includes('/u/consent')) {
      res = await browser.postForm(`${h.base}u/consent`, { ...fields, action: options.consent ?? 'accept' });
      url = `${h.base}u/consent`;
    } else {
      throw new Error(`unexpected page ${url}`);
    }
  }
  throw new Error('too many redirects');
}

/** Builds an /authorize URL. */
export function authorizeUrl(h: Harness, params: Record<string, string>): string {
  return `${h.base}authorize?${new URLSearchParams(params).toString()}`;
}
