/**
 * What every endpoint of the embedded server receives: the issuer and endpoint URLs, settings, the client
 * and user directories, the tenant keys, the bounded in-memory stores, and the trace log.
 */
import type { ServerDirectory } from './state/directory';
import type { MemoryStores } from './state/memory';
import type { ServerSettings } from './settings';
import type { TenantKeys } from './tenant-keys';
import type { TraceLog } from './trace';

/** The server's endpoint URLs, derived from the issuer. */
export interface ServerUrls {
  /** `http://127.0.0.1:PORT/` (or https) — with the trailing slash (IDT-1, JAR-11). */
  issuer: string;
  authorize: string;
  token: string;
  par: string;
  userinfo: string;
  revoke: string;
  jwks: string;
  login: string;
  logout: string;
  /** The Management API's audience: `{issuer}api/v2/`. */
  managementAudience: string;
}

/** Builds the URLs from an issuer with its trailing slash. */
export function serverUrls(issuer: string): ServerUrls {
  return {
    issuer,
    authorize: `${issuer}authorize`,
    token: `${issuer}oauth/token`,
    par: `${issuer}oauth/par`,
    userinfo: `${issuer}userinfo`,
    revoke: `${issuer}oauth/revoke`,
    jwks: `${issuer}.well-known/jwks.json`,
    login: `${issuer}u/login`,
    logout: `${issuer}v2/logout`,
    managementAudience: `${issuer}api/v2/`,
  };
}

/** The shared context of every endpoint. */
export interface ServerContext {
  /** The URLs; fixed once the server listens. */
  readonly urls: ServerUrls;
  /** The settings in force now (they can change while running). */
  settings(): ServerSettings;
  /** Clients, credentials, users, grants (persisted), with the Management API's write operations. */
  readonly directory: ServerDirectory;
  readonly keys: TenantKeys;
  readonly memory: MemoryStores;
  readonly traces: TraceLog;
  /**
   * Whether rate limits and sign-in throttling apply (PAR-19, SES-7). True except for a server started with
   * `rateLimits: false`: the benchmark (bench/parley-server.ts, docs/performance.md) and `npm run server --
   * --rate-limits off` (CI suites).
   */
  readonly rateLimits: boolean;
}
