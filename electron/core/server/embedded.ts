/**
 * The embedded server as the app runs it: started at launch, restartable (a port change applies on
 * restart), and never fatal — if the port is taken the app still starts and the Server screen says why.
 * Settings and the client/user directory outlive restarts of the HTTP server.
 */
import type { StoreNotice } from '../../../shared/ipc/contract';
import type { ServerSettings, ServerStatus } from '../../../shared/schemas/server';
import { ParleyError } from '../../../shared/errors';
import type { EventBus } from '../events';
import type { DocumentStoreFactory } from '../store/document-store';
import type { AuthServer } from './app';
import { startAuthServer } from './app';
import { ServerSettingsStore } from './settings';
import { ServerDirectory } from './state/directory';

/** How the host starts the embedded server. */
export interface EmbeddedServerOptions {
  store: DocumentStoreFactory;
  notices: StoreNotice[];
  events: EventBus;
  /** Overrides the saved port for this launch only (tests and `--server-port`); 0 = any free port. */
  port?: number;
  /** Settings applied and saved at start (e.g. `--profile strict`). */
  settings?: Partial<ServerSettings>;
  /** Per-client rate limits (PAR-19); default true. Only the benchmark turns them off (AuthServerOptions.rateLimits). */
  rateLimits?: boolean;
  log?: (message: string) => void;
}

/** Owns the embedded server's lifecycle. */
export class EmbeddedServer {
  readonly settingsStore: ServerSettingsStore;
  readonly directory: ServerDirectory;
  #server: AuthServer | null = null;
  #error: string | null = null;
  #portOverride: number | undefined;
  readonly #options: EmbeddedServerOptions;

  constructor(options: EmbeddedServerOptions) {
    this.#options = options;
    this.#portOverride = options.port;
    this.settingsStore = new ServerSettingsStore(options.store, options.notices);
    if (options.settings && Object.keys(options.settings).length > 0) this.settingsStore.update(options.settings);
    this.directory = new ServerDirectory(options.store, options.notices);
  }

  /** Starts the HTTP server; a failure (port taken…) is kept as the status's error, never thrown. */
  async start(): Promise<ServerStatus> {
    if (this.#server) return this.status();
    const port = this.#portOverride ?? this.settingsStore.get().port;
    try {
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
        ...(this.#options.log ? { log: this.#options.log } : {}),
      });
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

  /** Stops the HTTP server. */
  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = null;
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
  get server(): AuthServer | null {
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
    };
  }

  #emit(): void {
    this.#options.events.emit('server.changed', this.status());
  }
}
