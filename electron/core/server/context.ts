/**
 * What every endpoint of the embedded server receives: the issuer and endpoint URLs, settings, the client
 * and user directories, the tenant keys, the bounded in-memory stores, and the trace log.
 */
import type { EndpointState } from './endpoints/state';
import type { ServerDirectory } from './management/directory';
import type { MemoryStores } from './state/memory';
import type { ServerSettings } from './settings';
import type { TenantKeys } from './tenant-keys';
import type { TraceLog } from './trace-log';
import type { ServerUrls } from './urls';

/** The shared context of every endpoint. */
export interface ServerContext {
  /** The URLs; fixed once the server listens. */
  readonly urls: ServerUrls;
  /** The settings in force now (they can change while running). */
  settings(): ServerSettings;
  /** Saves a settings change made through the Management API (PATCH /api/v2/tenants/settings); returns the settings in force. */
  updateSettings(patch: Partial<ServerSettings>): ServerSettings;
  /** Clients, credentials, users, grants (persisted), with the Management API's write operations. */
  readonly directory: ServerDirectory;
  readonly keys: TenantKeys;
  readonly memory: MemoryStores;
  readonly traces: TraceLog;
  /** What the Authentication API endpoints keep besides `memory`: browser sessions, sign-in throttling, PAR windows. */
  readonly endpointState: EndpointState;
  /**
   * Whether rate limits and sign-in throttling apply (PAR-19, SES-7). True except for a server started with
   * `rateLimits: false`: the benchmark (bench/parley-server.ts, docs/performance.md) and `npm run server --
   * --rate-limits off` (CI suites).
   */
  readonly rateLimits: boolean;
}
