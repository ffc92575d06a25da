/**
 * Set-up for Management API tests: the real embedded server (startAuthServer) on 127.0.0.1 over a temp
 * data directory, a Management token minted with the tenant key (as the client_credentials grant issues
 * them), and an HTTP helper.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import type { RequestTrace } from '../../../../../../shared/schemas/server';
import { startAuthServer } from '../../../../../../electron/core/server/app';
import type { ServerContext } from '../../../../../../electron/core/server/context';
import type { ServerUrls } from '../../../../../../electron/core/server/urls';
import type { ServerDirectory } from '../../../../../../electron/core/server/management/directory';
import { BOOTSTRAP_SCOPES } from '../../../../../../electron/core/server/state/grants';
import { confStoreFactory } from '../../../../../../electron/core/store/document-store';
import type { RawResponse } from '../../../../../helpers/http';
import { rawRequest } from '../../../../../helpers/http';
import type { StoreNotice } from '../../../../../../shared/schemas/app';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A new temp data directory, removed after the file's tests. */
export function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'parley-mgmt-'));
  dirs.push(dir);
  return dir;
}

/** Every Management scope, as the bootstrap client's grant holds them. */
export const ALL_SCOPES = BOOTSTRAP_SCOPES.join(' ');

/** A running server under test. */
export interface Harness {
  readonly dir: string;
  readonly port: number;
  readonly urls: ServerUrls;
  readonly ctx: ServerContext;
  readonly directory: ServerDirectory;
  readonly notices: StoreNotice[];
  /** Every finished request's trace, oldest first. */
  readonly traces: RequestTrace[];
  /**
   * A Management API access token signed by the tenant key, as the client_credentials grant issues it to the
   * bootstrap Management client (whose grant holds every scope, so `scope` decides; MGC-10 checks the grant).
   */
  token(scope?: string, claims?: Record<string, unknown>): Promise<string>;
  /** Sends a request; a non-string body is sent as JSON. `token: null` sends no Authorization header. */
  call(method: string, path: string, options?: { body?: unknown; token?: string | null; headers?: Record<string, string> }): Promise<RawResponse>;
  close(): Promise<void>;
}

/** Starts the server over `dir` (a fresh temp directory by default). */
export async function startServer(dir = tempDataDir()): Promise<Harness> {
  const notices: StoreNotice[] = [];
  const traces: RequestTrace[] = [];
  const server = await startAuthServer({ store: confStoreFactory(dir), notices, port: 0, onTrace: (t) => traces.push(t), log: () => {} });
  const { ctx, port } = server;
  const harness: Harness = {
    dir,
    port,
    notices,
    traces,
    get urls() {
      return ctx.urls;
    },
    ctx,
    directory: ctx.directory,
    async token(scope = ALL_SCOPES, claims = {}) {
      // Real time, not clock.ts: jose checks exp against the real clock even when a test freezes the app's.
      const iat = Math.floor(Date.now() / 1000);
      const clientId = ctx.directory.bootstrapInfo().management.client_id;
      return ctx.keys.sign({
        iss: ctx.urls.issuer,
        aud: ctx.urls.managementAudience,
        sub: `${clientId}@clients`,
        azp: clientId,
        gty: 'client-credentials',
        scope,
        iat,
        exp: iat + 3600,
        ...claims,
      });
    },
    async call(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.token !== null) headers.authorization ??= `Bearer ${options.token ?? (await harness.token())}`;
      let body: string | undefined;
      if (options.body !== undefined) {
        body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
        headers['content-type'] ??= 'application/json';
      }
      return rawRequest(port, { method, path, headers, ...(body === undefined ? {} : { body }) });
    },
    close: () => server.close(),
  };
  return harness;
}

/** Every file under `dir`, with its text. */
export function filesIn(dir: string): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesIn(path));
    else out.push({ path, text: readFileSync(path, 'utf8') });
  }
  return out;
}

/** The traces of requests to `path` (without query), newest last. */
export function tracesFor(h: Harness, method: string, path: string): RequestTrace[] {
  return h.traces.filter((t) => t.method === method && t.path === path);
}

/** Waits until the trace of the last request has been recorded (onResponse runs after the reply is sent). */
export async function lastTrace(h: Harness): Promise<RequestTrace> {
  for (let i = 0; i < 50 && h.traces.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, 20));
  const t = h.traces.at(-1);
  if (!t) throw new Error('no trace recorded');
  return t;
}

/** Asserts Auth0's Management error shape and returns the body. */
export function mgmtError(res: RawResponse): { statusCode: number; error: string; message: string; errorCode: string } {
  const body = res.json<{ statusCode: number; error: string; message: string; errorCode: string }>();
  if (Object.keys(body).join(',') !== 'statusCode,error,message,errorCode' || body.statusCode !== res.status) {
    throw new Error(`not a Management API error body: ${res.status} ${res.body}`);
  }
  return body;
}
