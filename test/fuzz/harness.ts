/**
 * Set-up shared by the HTTP fuzz tests: the REAL embedded server (startAuthServer) on 127.0.0.1 port 0 over
 * a temp data directory, seeded with a confidential client, a private_key_jwt + JAR client and a user so
 * that fuzzed inputs reach the deep branches; the route table read from the Fastify instance itself (so an
 * endpoint added later is fuzzed without editing these tests); an HTTP client with a per-request timeout
 * (a hang is a failure, not a stuck test); and the one definition of "a well-formed answer".
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, afterEach, expect } from 'vitest';
import type { AuthServer } from '../../electron/core/server/app';
import { startAuthServer } from '../../electron/core/server/app';
import { BOOTSTRAP_SCOPES } from '../../electron/core/server/state/grants';
import { confStoreFactory } from '../../electron/core/store/document-store';

/** Every request gets this long to be answered; far above any legitimate answer, even on a loaded machine. */
export const REQUEST_TIMEOUT_MS = 20_000;

/**
 * fast-check parameters: a fixed seed and a bounded run in `npm test`. To explore further by hand, set
 * FUZZ_SEED (mixed into every seed) and FUZZ_RUNS (a multiplier), e.g. `FUZZ_SEED=7 FUZZ_RUNS=10 npx vitest run test/unit/fuzz`;
 * a failure prints its seed and counterexample, to be kept as a regression test (regressions.test.ts).
 */
export function fuzzParams(seed: number, numRuns: number): { seed: number; numRuns: number } {
  const mix = Number(process.env.FUZZ_SEED ?? 0);
  const factor = Number(process.env.FUZZ_RUNS ?? 1);
  return { seed: (seed ^ (mix * 0x9e3779b1)) | 0, numRuns: Math.max(1, Math.round(numRuns * (Number.isFinite(factor) ? factor : 1))) };
}

/** A fuzz test's own timeout: generous (a loaded machine), and scaled with FUZZ_RUNS. */
export const FUZZ_TEST_TIMEOUT = 180_000 * Math.max(1, Number(process.env.FUZZ_RUNS ?? 1) || 1);

/** The callback every seeded client registers. */
export const CALLBACK = 'https://app.example.com/callback';

/** How a route reports errors (app.ts ErrorStyle), or 'any' for a route this table does not know yet. */
export type Style = 'oauth' | 'management' | 'html' | 'any';

/** One route of the running server. */
export interface RouteInfo {
  /** The Fastify path, e.g. `/api/v2/clients/:id/credentials/:credential_id`. */
  path: string;
  methods: string[];
  style: Style;
}

/** The error style of a path (mirrors the `errors` config each endpoint sets). */
export function styleOf(path: string): Style {
  if (path.startsWith('/api/')) return 'management';
  if (path.startsWith('/oauth/') || path === '/userinfo' || path === '/oidc/register' || path.startsWith('/.well-known/')) return 'oauth';
  if (path === '/authorize' || path.startsWith('/u/') || path === '/v2/logout' || path === '/oidc/logout') return 'html';
  return 'any';
}

/**
 * The routes of a Fastify instance, parsed from `printRoutes({ commonPrefix: false })`: one line per node,
 * `├── /path (GET, HEAD)`, nested four columns per level under its parent's full path.
 */
export function routesOf(server: AuthServer): RouteInfo[] {
  const tree = server.app.printRoutes({ commonPrefix: false });
  const stack: string[] = [];
  const out: RouteInfo[] = [];
  for (const line of tree.split('\n')) {
    const m = /^((?:[│ ] {3})*)[├└]── (\S+)(?: \(([A-Z, ]+)\))?\s*$/u.exec(line);
    if (!m) continue;
    const depth = [...m[1]!].length / 4;
    const path = `${depth === 0 ? '' : stack[depth - 1]!}${m[2]!}`;
    stack[depth] = path;
    stack.length = depth + 1;
    if (m[3]) out.push({ path, methods: m[3].split(',').map((s) => s.trim()), style: styleOf(path) });
  }
  return out;
}

/**
 * Node's HTTP parser refuses a request line plus headers over 16 KB (431, answered by Fastify's generic
 * client-error handler before any route runs; the raw-socket tests cover that). Routed fuzzing stays below:
 * the path is cut to what the headers leave of a 15,000-byte budget.
 */
export function fitPath(path: string, headers: Record<string, string> = {}): string {
  const used = Object.entries(headers).reduce((n, [k, v]) => n + k.length + v.length + 4, 0);
  return path.slice(0, Math.max(1, 15_000 - used));
}

/** A response as the fuzz tests look at it. */
export interface FuzzResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request to send. Header values must be what Node's HTTP client accepts (no CR, LF, NUL). */
export interface FuzzRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** With FUZZ_STATS=1, how often each route answered each status (to see what the fuzzing reaches). */
export const STATS = new Map<string, number>();
function tally(req: FuzzRequest, status: number): void {
  const path = (req.path.split('?')[0] ?? '').replace(/^(\/api\/v2\/[a-z-]+)\/[^/]+/, '$1/:id').replace(/credentials\/[^/]+/, 'credentials/:credential_id');
  const key = `${req.method} ${path} ${status}`;
  STATS.set(key, (STATS.get(key) ?? 0) + 1);
}

/** Prints STATS (FUZZ_STATS=1 only). */
export function printStats(): void {
  if (process.env.FUZZ_STATS)
    console.log(
      [...STATS]
        .sort()
        .map(([k, v]) => `${k}: ${v}`)
        .join('\n'),
    );
}

/**
 * Response headers are read with a browser's allowance (Chromium: 256 KB), not Node's 16 KB: an error
 * redirect legitimately echoes `state` (up to 4096 characters, AZQ-3) in its Location.
 */
const MAX_RESPONSE_HEADER_BYTES = 256 * 1024;

const agent = new Agent({ keepAlive: true, maxSockets: 8 });

/** Sends a request to 127.0.0.1:port; rejects when no complete answer arrives within REQUEST_TIMEOUT_MS (a hang). */
export function send(port: number, req: FuzzRequest): Promise<FuzzResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host: `127.0.0.1:${port}`, ...req.headers };
    if (req.body !== undefined && headers['content-length'] === undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
    const timer = setTimeout(() => {
      r.destroy();
      reject(new Error(`HANG: no answer within ${REQUEST_TIMEOUT_MS} ms to ${req.method} ${req.path.slice(0, 200)}`));
    }, REQUEST_TIMEOUT_MS);
    const r = httpRequest({ host: '127.0.0.1', port, method: req.method, path: req.path, headers, agent, maxHeaderSize: MAX_RESPONSE_HEADER_BYTES }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        clearTimeout(timer);
        if (process.env.FUZZ_STATS) tally(req, res.statusCode ?? 0);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
    r.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`${req.method} ${req.path.slice(0, 200)}: ${e.message} (the server dropped the connection?)`));
    });
    if (req.body !== undefined) r.write(req.body);
    r.end();
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function contentType(res: FuzzResponse): string {
  return String(res.headers['content-type'] ?? '').toLowerCase();
}

/** Why a 4xx body is not an OAuth error (`{error, error_description}` JSON), or undefined when it is. */
function oauthProblem(res: FuzzResponse): string | undefined {
  if (!contentType(res).startsWith('application/json')) return `content-type ${contentType(res) || '(none)'} is not JSON`;
  const body = parseJson(res.body);
  if (!isObject(body)) return 'the body is not a JSON object';
  if (typeof body.error !== 'string' || body.error === '') return 'no error code';
  if (typeof body.error_description !== 'string') return 'no error_description';
  const extra = Object.keys(body).filter((k) => k !== 'error' && k !== 'error_description');
  return extra.length > 0 ? `extra members ${extra.join(',')}` : undefined;
}

/** Why a 4xx body is not Auth0's Management error (`{statusCode, error, message, errorCode?}`), or undefined. */
function managementProblem(res: FuzzResponse): string | undefined {
  if (!contentType(res).startsWith('application/json')) return `content-type ${contentType(res) || '(none)'} is not JSON`;
  const body = parseJson(res.body);
  if (!isObject(body)) return 'the body is not a JSON object';
  if (body.statusCode !== res.status) return `statusCode ${String(body.statusCode)} is not the HTTP status`;
  if (typeof body.error !== 'string' || typeof body.message !== 'string') return 'no error/message strings';
  if (body.errorCode !== undefined && typeof body.errorCode !== 'string') return 'errorCode is not a string';
  const extra = Object.keys(body).filter((k) => !['statusCode', 'error', 'message', 'errorCode'].includes(k));
  return extra.length > 0 ? `extra members ${extra.join(',')}` : undefined;
}

/** Why a 4xx body is not an HTML page, or undefined. */
function htmlProblem(res: FuzzResponse): string | undefined {
  if (!contentType(res).startsWith('text/html')) return `content-type ${contentType(res) || '(none)'} is not HTML`;
  return /^<!doctype html>/i.test(res.body.trimStart()) ? undefined : 'the body is not an HTML document';
}

/**
 * What a well-formed answer is. Never 5xx. A 4xx carries the error body of the route's style (OAuth JSON,
 * Auth0 Management JSON, or an HTML page; 'any' accepts whichever of the three it is); a HEAD answer has
 * no body to judge. A 3xx names where to go. 2xx is what a fuzzed input earns when it happens to be valid.
 * Returns the problem, or undefined.
 */
export function answerProblem(style: Style, method: string, res: FuzzResponse): string | undefined {
  if (res.status >= 500 || res.status < 100) return `status ${res.status}`;
  if (res.status >= 300 && res.status < 400) return res.headers.location ? undefined : `${res.status} without Location`;
  if (res.status < 400 || method === 'HEAD') return undefined;
  const checks = { oauth: oauthProblem, management: managementProblem, html: htmlProblem };
  if (style !== 'any') {
    const problem = checks[style](res);
    return problem === undefined ? undefined : `${res.status} ${style} error body: ${problem}`;
  }
  return Object.values(checks).some((check) => check(res) === undefined) ? undefined : `${res.status} body is none of the error shapes`;
}

/** Asserts a well-formed answer; the message carries the request so a failure names its input exactly. */
export function expectWellFormed(style: Style, req: FuzzRequest, res: FuzzResponse): void {
  const problem = answerProblem(style, req.method, res);
  if (problem !== undefined) {
    const shown = { ...req, body: typeof req.body === 'string' ? req.body.slice(0, 2000) : req.body === undefined ? undefined : `<${req.body.length} bytes>` };
    throw new Error(
      `${problem}\nrequest: ${JSON.stringify(shown)}\nresponse: ${res.status} ${JSON.stringify(res.headers['content-type'])} ${res.body.slice(0, 500)}`,
    );
  }
}

/** A running server prepared for fuzzing. */
export interface FuzzServer {
  server: AuthServer;
  port: number;
  /** The data directory (removed by close()). */
  dir: string;
  /** The issuer, with its trailing slash. */
  base: string;
  routes: RouteInfo[];
  /** Every line the server logged: an unexpected error (a 5xx) is logged, so this must stay empty. */
  logs: string[];
  /** A Management API token with every scope, and the Management API audience. */
  managementToken: string;
  managementAudience: string;
  /** A client_secret_post client. */
  secretClient: { client_id: string; client_secret: string };
  /** A private_key_jwt client with a JAR credential; its keys sign valid tokens to mutate. */
  keyClient: { client_id: string; key: KeyObject; kid?: string };
  /** Ids that exist, so fuzzed path parameters sometimes hit real objects. */
  ids: { client: string[]; credential: string[]; user: string[]; grant: string[] };
  /** A valid client assertion and request object of keyClient (fresh each call). */
  validAssertion(): Promise<string>;
  validRequestObject(claims?: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

/** Starts the server and seeds it. */
export async function startFuzzServer(): Promise<FuzzServer> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-fuzz-'));
  const logs: string[] = [];
  const server = await startAuthServer({ store: confStoreFactory(dir), notices: [], port: 0, log: (m) => logs.push(m) });
  const { ctx } = server;
  const base = ctx.urls.issuer;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const jar = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jarPem = jar.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const callbacks = [CALLBACK];
  const secret = (await ctx.directory.createClient({
    name: 'Fuzz secret',
    app_type: 'regular_web',
    callbacks,
    allowed_logout_urls: ['https://app.example.com/'],
    token_endpoint_auth_method: 'client_secret_post',
    grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
  })) as unknown as { client_id: string; client_secret: string };
  const keyed = (await ctx.directory.createClient({
    name: 'Fuzz keys',
    app_type: 'regular_web',
    callbacks,
    allowed_logout_urls: ['https://app.example.com/'],
    grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
    client_authentication_methods: { private_key_jwt: { credentials: [{ name: 'pkj', credential_type: 'public_key', pem, alg: 'RS256' }] } },
    signed_request_object: { credentials: [{ name: 'jar', credential_type: 'public_key', pem: jarPem, alg: 'RS256' }] },
  })) as unknown as { client_id: string };
  // A client grant so that client_credentials tokens are issued (the 200 path, not only its refusals).
  await ctx.directory.createClientGrant({ client_id: secret.client_id, audience: ctx.urls.managementAudience, scope: ['read:clients', 'read:users'] });
  const credentials = ctx.directory.listCredentials(keyed.client_id);
  const management = ctx.directory.bootstrapInfo().management.client_id;
  // The Management client's own grant stays out of the fuzzed ids: deleting it would turn every later Management call into a 401 (MGC-10).
  const grants = ctx.directory.listClientGrants().filter((g) => g.client_id !== management);
  const users = ctx.directory.listUsers() as unknown as { user_id: string }[];
  const iat = Math.floor(Date.now() / 1000);
  const managementToken = await ctx.keys.sign({
    iss: base,
    aud: ctx.urls.managementAudience,
    sub: `${management}@clients`,
    azp: management,
    gty: 'client-credentials',
    scope: BOOTSTRAP_SCOPES.join(' '),
    iat,
    exp: iat + 3600,
  });
  const now = () => Math.floor(Date.now() / 1000);
  return {
    server,
    port: server.port,
    dir,
    base,
    routes: routesOf(server),
    logs,
    managementToken,
    managementAudience: ctx.urls.managementAudience,
    secretClient: { client_id: secret.client_id, client_secret: secret.client_secret },
    keyClient: { client_id: keyed.client_id, key: privateKey, ...(credentials[0]?.kid ? { kid: credentials[0].kid } : {}) },
    ids: {
      client: [secret.client_id, keyed.client_id],
      credential: credentials.map((c) => c.id),
      user: users.map((u) => u.user_id),
      grant: grants.map((g) => g.id),
    },
    validAssertion: () =>
      new SignJWT({ iss: keyed.client_id, sub: keyed.client_id, aud: base, iat: now(), exp: now() + 120, jti: randomBytes(12).toString('base64url') })
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
        .sign(privateKey),
    validRequestObject: (claims = {}) =>
      new SignJWT({
        iss: keyed.client_id,
        aud: base,
        client_id: keyed.client_id,
        response_type: 'code',
        redirect_uri: callbacks[0],
        scope: 'openid',
        state: 's',
        nonce: 'n',
        iat: now(),
        exp: now() + 120,
        ...claims,
      })
        .setProtectedHeader({ alg: 'RS256', typ: 'oauth-authz-req+jwt' })
        .sign(jar.privateKey),
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The checks that end the endpoint and Management fuzz files, registered in one place: after each test
 * the server logged no unexpected error (sendError logs every 5xx path) and no built-in prototype changed;
 * after them all, the stats and the server are closed. `server` reads the file's server (its beforeAll starts it).
 */
export function guardFuzzRuns(server: () => FuzzServer | undefined): void {
  const prototypes = prototypeSnapshot();
  afterEach(() => {
    expect(server()?.logs).toEqual([]);
    expect(prototypeSnapshot()).toBe(prototypes);
  });
  afterAll(async () => {
    printStats();
    await server()?.close();
  });
}

/** The own property names of the built-in prototypes, to prove no input polluted them. */
export function prototypeSnapshot(): string {
  return [Object.prototype, Array.prototype, Function.prototype, String.prototype].map((p) => Object.getOwnPropertyNames(p).sort().join(',')).join('|');
}

/** The hidden fields of a page's form (the sign-in and consent pages carry state and csrf). */
export function hiddenFields(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
    out[m[1]!] = m[2]!
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  return out;
}

/** The `name=value` pairs a response sets, as one Cookie header. */
export function cookiesOf(res: FuzzResponse): string {
  const set = res.headers['set-cookie'];
  return (Array.isArray(set) ? set : set ? [set] : []).map((c) => c.split(';')[0]!).join('; ');
}
