/**
 * The embedded server as the app runs it: started at launch, restartable (a port change applies on
 * restart), and never fatal — if the port is taken the app still starts and the Server screen says why.
 * Settings and the client/user directory outlive restarts of the HTTP server.
 */
import type { ServerSettings, ServerStatus } from '../../../shared/schemas/server';
import { ParleyError } from '../../../shared/errors';
import type { EventBus } from '../events';
import type { DocumentStoreFactory } from '../store/document-store';
import type { AuthServer } from './app';
import { startAuthServer } from './app';
import { ServerSettingsStore } from './settings';
import { ServerDirectory } from './management/directory';
import type { LocalTls } from './tls/local-ca';
import { ensureLocalTls } from './tls/local-ca';
import type { StoreNotice } from '../../../shared/schemas/app';

/** How the host starts the embedded server. */
export interface EmbeddedServerOptions {
  store: DocumentStoreFactory;
  notices: StoreNotice[];
  events: EventBus;
  /** Overrides the saved port for this launch only (tests and `--server-port`); 0 = any free port. */
  port?: number;
  /** Settings applied and saved at start (e.g. `--profile strict`). */
  settings?: Partial<ServerSettings>;
  /** Settings for this launch only, not saved (`--https`, `--skip-consent`, `--clock-offset`; ServerSettingsStore). */
  launchSettings?: Partial<ServerSettings>;
  /**
   * The data directory: its `tls/` folder holds the local CA and the leaf when https is on
   * (tls/local-ca.ts). Without it, https cannot start (the status says so).
   */
  dataDir?: string;
  /** Extra names for the https certificate and the Host check (`--host-name`). */
  hostNames?: readonly string[];
  /** Rate limits and sign-in throttling (PAR-19, SES-7); default true. Off: the benchmark, `--rate-limits off`. */
  rateLimits?: boolean;
  log?: (message: string) => void;
}

/** Owns the embedded server's lifecycle. */
export class EmbeddedServer {
  readonly settingsStore: ServerSettingsStore;
  readonly directory: ServerDirectory;
  #server: AuthServer | null = null;
  #tls: LocalTls | null = null;
  #error: string | null = null;
  #portOverride: number | undefined;
  readonly #options: EmbeddedServerOptions;

  constructor(options: EmbeddedServerOptions) {
    this.#options = options;
    this.#portOverride = options.port;
    this.settingsStore = new ServerSettingsStore(options.store, options.notices);
    if (options.settings && Object.keys(options.settings).length > 0) this.settingsStore.update(options.settings);
    if (options.launchSettings && Object.keys(options.launchSettings).length > 0) this.settingsStore.setLaunchSettings(options.launchSettings);
    this.directory = new ServerDirectory(options.store, options.notices);
  }

  /** Starts the HTTP server; a failure (port taken…) is kept as the status's error, never thrown. */
  async start(): Promise<ServerStatus> {
    if (this.#server) return this.status();
    const port = this.#portOverride ?? this.settingsStore.get().port;
    try {
      // The certificate first: a CA that cannot be read stops the start before anything listens.
      const tls = this.settingsStore.get().https ? await this.#ensureTls() : null;
      this.#server = await startAuthServer({
        store: this.#options.store,
        notices: this.#options.notices,
        port,
        settingsStore: this.settingsStore,
        directory: this.directory,
        onTrace: (trace) => this.#options.events.emit('server.trace', trace),
        // Headless (`npm run server`, tests, the benchmark) nobody listens: traces are then built only when read.
        onTraceActive: () => this.#options.events.size > 0,
        ...(this.#options.rateLimits === undefined ? {} : { rateLimits: this.#options.rateLimits }),
        ...(tls ? { tls: { certPem: tls.certPem, keyPem: tls.keyPem } } : {}),
        ...(this.#options.hostNames ? { hostNames: this.#options.hostNames } : {}),
        ...(this.#options.log ? { log: this.#options.log } : {}),
      });
      this.#tls = tls;
      this.#error = null;
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      this.#error =
        code === 'EADDRINUSE'
          ? `Port ${port} on 127.0.0.1 is already in use. Choose another port in the server settings, then restart the server.`
          : `The server could not start: ${e instanceof Error ? e.message : String(e)}`;
    }
    this.#emit();
    return this.status();
  }

  /** Stops and starts again (applies a changed port). */
  async restart(): Promise<ServerStatus> {
    await this.stop();
    // A restart asked for by the user uses the saved port, not a one-launch override.
    this.#portOverride = undefined;
    return this.start();
  }

  /** The local CA and leaf of this data directory (created on first use). */
  async #ensureTls(): Promise<LocalTls> {
    const dataDir = this.#options.dataDir;
    if (dataDir === undefined) throw new Error('HTTPS needs a data directory for its certificate authority, and this server was started without one.');
    return ensureLocalTls(dataDir, this.#options.hostNames ?? []);
  }

  /**
   * The local CA certificate (PEM) the running https server's leaf chains to, or null on http: what the
   * core's own fetch trusts for this issuer (flows, Check issuer, Inspect).
   */
  trustedCa(): { issuer: string; caPem: string } | null {
    return this.#server && this.#tls ? { issuer: this.#server.urls.issuer, caPem: this.#tls.caPem } : null;
  }

  /**
   * The https leaf (PEM) served at `url`'s origin, when `url` is on this server: the Electron flow window
   * accepts exactly this certificate there (Chromium does not know the local CA). Null otherwise.
   */
  trustedLeaf(url: string): string | null {
    if (!this.#server || !this.#tls) return null;
    try {
      return new URL(url).origin === new URL(this.#server.urls.issuer).origin ? this.#tls.certPem : null;
    } catch {
      return null;
    }
  }

  /** Stops the HTTP server. */
  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    this.#tls = null;
    if (server) await server.close();
    this.#emit();
  }

  /** Applies a settings change; a port change waits for a restart. */
  updateSettings(patch: Partial<ServerSettings>): ServerStatus {
    this.settingsStore.update(patch);
    this.#emit();
    return this.status();
  }

  /** The running server, or SERVER_NOT_RUNNING. */
  requireRunning(): AuthServer {
    if (!this.#server) throw new ParleyError('SERVER_NOT_RUNNING', this.#error ?? 'The embedded server is not running.');
    return this.#server;
  }

  /** The running server, if any. */
  get running(): AuthServer | null {
    return this.#server;
  }

  /** What the UI shows. */
  status(): ServerStatus {
    const server = this.#server;
    const info = server ? this.directory.bootstrapInfo() : null;
    return {
      running: server !== null,
      issuer: server?.urls.issuer ?? null,
      port: server?.port ?? null,
      settings: this.settingsStore.get(),
      error: this.#error,
      management: server && info ? { client_id: info.management.client_id, audience: server.urls.managementAudience } : null,
      memory: server ? server.ctx.memory.sizes() : {},
      tls: server && this.#tls ? { caFile: this.#tls.caFile } : null,
    };
  }

  #emit(): void {
    this.#options.events.emit('server.changed', this.status());
  }
}
