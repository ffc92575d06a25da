/**
 * Composes the core: stores, vault, settings, the event bus, the embedded server, the flow engine, then
 * the operations (operations/) and their dispatcher. This file only wires: every operation's handler is
 * in operations/<domain>.ts. Every host (Electron main, web mode, tests) creates exactly this and only
 * carries its operations.
 */
import { mkdirSync } from 'node:fs';
import type { AppInfo, StoreNotice, VaultStatus } from '../../../shared/schemas/app';
import { ShellCommandMailbox } from '../../../shared/ipc/shell-commands';
import type { ServerSettings } from '../../../shared/schemas/server';
import { EventBus } from '../events';
import { SettingsStore } from '../settings';
import type { DocumentStoreFactory } from '../store/document-store';
import { confStoreFactory } from '../store/document-store';
import type { ExportSubject, IdleTimers, SafeStorageProtector } from '../vault';
import { IdleLock, securityLog, Vault } from '../vault';
import { EmbeddedServer } from '../server/embedded';
import { trustEmbeddedCa } from '../server/tls/embedded-trust';
import type { BrowserLauncher } from '../flows/browser-launcher';
import { FlowEngine } from '../flows/flow-engine';
import { FlowHistory } from '../flows/flow-history';
import { FlowTargets } from '../flows/flow-targets';
import { LoopbackLauncher } from '../flows/loopback-launcher';
import type { CoreFetch } from '../http/request-policy';
import { coreTransport } from '../http/transport';
import type { Dispatch } from '../operations';
import { createDispatcher, operations } from '../operations';

/** How a host creates the core. */
export interface CoreOptions {
  dataDir: string;
  mode: AppInfo['mode'];
  version: string;
  /** electron-store in Electron; conf (the default) elsewhere. */
  storeFactory?: DocumentStoreFactory;
  /**
   * Electron safeStorage when the OS offers real protection; otherwise the vault uses a passphrase. A promise
   * when the host asks the keychain only later (VaultOptions.protector).
   */
  protector?: SafeStorageProtector | Promise<SafeStorageProtector | undefined>;
  /**
   * Electron only: the main process's OS-level confirmation of a private-key export (a native dialog, Touch
   * ID where offered), asked for a keychain vault, which has no passphrase to prove the user is there.
   */
  confirmPrivateExport?: (key: ExportSubject) => Promise<boolean>;
  /** Lowers scrypt's cost in tests only. */
  scrypt?: { N: number; r: number; p: number };
  /** The idle lock's timers; tests drive their own with the frozen clock (clock.ts). */
  idleTimers?: IdleTimers;
  log?: (message: string) => void;
  /**
   * Starts the embedded authorization server at launch (the app and web mode do; unit tests of other
   * parts leave it off). `port` overrides the saved port for this launch; 0 = any free port.
   */
  server?: { port?: number; settings?: Partial<ServerSettings> };
  /**
   * Shows the authorize page of a flow and captures the callback: Electron's flow window; by default a
   * loopback listener (RFC 8252) while the renderer opens the URL from the `flows.updated` event.
   */
  browserLauncher?: BrowserLauncher;
  /**
   * The transport of the core's outgoing HTTP requests (flows, Check issuer, jwt.verify's remote keys,
   * Break it): Chromium's net in the app (http/chromium-transport.ts); by default Node's, honouring
   * HTTPS_PROXY / HTTP_PROXY / NO_PROXY (http/node-transport.ts). The request policy
   * (http/request-policy.ts) is applied around it.
   */
  fetch?: CoreFetch;
  /**
   * The transport for a target naming an extra CA certificate: trusts those PEM certificates on top of
   * the defaults. Node's by default (the app too: Chromium's net takes no CA per request).
   */
  fetchWithCa?: (pems: readonly string[]) => CoreFetch;
  /** Where the default transports read HTTPS_PROXY / HTTP_PROXY / NO_PROXY / NODE_EXTRA_CA_CERTS; process.env by default. */
  networkEnv?: NodeJS.ProcessEnv;
  /** Electron only: where the shell leaves commands for the renderer (menu, links, opened case files). */
  shellCommands?: ShellCommandMailbox;
}

/** The running core. */
export interface Core {
  readonly dispatch: Dispatch;
  readonly events: EventBus;
  readonly vault: Vault;
  /**
   * Settles once the vault has used its keychain at start (set itself up or unlocked). With a `protector`
   * promise, createCore does not wait for it: the app settles the promise after its window exists.
   */
  readonly vaultReady: Promise<VaultStatus>;
  readonly server: EmbeddedServer;
  readonly flows: FlowEngine;
  /** Locks the vault after the idle time; `lockNow()` is for the OS locking or sleeping (the Electron shell). */
  readonly idleLock: IdleLock;
  readonly info: AppInfo;
  /** Locks the vault (forgetting keys in memory) and releases resources. */
  close(): Promise<void>;
}

/** Creates the core over a data directory. */
export async function createCore(options: CoreOptions): Promise<Core> {
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const store = options.storeFactory ?? confStoreFactory(options.dataDir);
  const notices: StoreNotice[] = [];
  const events = new EventBus();
  const settings = new SettingsStore(store, notices);
  const vault = new Vault({
    store,
    events,
    notices,
    ...(options.protector ? { protector: options.protector } : {}),
    ...(options.scrypt ? { scrypt: options.scrypt } : {}),
    ...(options.confirmPrivateExport ? { confirmPrivateExport: options.confirmPrivateExport } : {}),
    audit: securityLog(options.dataDir, options.mode, options.log),
  });
  const vaultReady = vault.init();
  if (!(options.protector instanceof Promise)) await vaultReady;
  const idleLock = new IdleLock(vault, events, { minutes: settings.get().idleLockMinutes, ...(options.idleTimers ? { timers: options.idleTimers } : {}) });
  const server = new EmbeddedServer({
    store,
    notices,
    events,
    // Where the local CA lives when the server serves https (server/tls/local-ca.ts).
    dataDir: options.dataDir,
    ...(options.server?.port === undefined ? {} : { port: options.server.port }),
    ...(options.server?.settings ? { settings: options.server.settings } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  if (options.server) await server.start();
  // One policed transport for every outgoing request (each use applies the policy too, so no path bypasses it).
  // Requests to the embedded server over https trust its local CA (server/tls/embedded-trust.ts).
  const transport = trustEmbeddedCa(coreTransport({ fetch: options.fetch, fetchWithCa: options.fetchWithCa, env: options.networkEnv }), server);
  const flowTargets = new FlowTargets(store, notices, vault, server);
  const flowHistory = new FlowHistory(store, notices);
  const flows = new FlowEngine({
    vault,
    server,
    events,
    targets: flowTargets,
    history: flowHistory,
    launcher: options.browserLauncher ?? new LoopbackLauncher(),
    fetch: transport.fetch,
    fetchFor: (target) => transport.forExtraCa(target.extraCa),
    ...(options.log ? { log: options.log } : {}),
  });
  const shellCommands = options.shellCommands ?? new ShellCommandMailbox();
  shellCommands.onPost(() => events.emit('shell.commands', {}));
  const info: AppInfo = { name: 'Parley', version: options.version, mode: options.mode, dataDir: options.dataDir, platform: process.platform };

  const handlers = operations({
    info,
    settings,
    idleLock,
    events,
    shellCommands,
    vault,
    server,
    flows,
    flowTargets,
    flowHistory,
    transport,
    ...(options.log ? { log: options.log } : {}),
  });

  const dispatch = createDispatcher(handlers, options.log);
  return {
    // Every host's calls pass here, so the idle lock sees them all (and locks first when the time is up).
    dispatch: (name, input) => {
      idleLock.beforeOperation(name);
      return dispatch(name, input);
    },
    events,
    vault,
    server,
    flows,
    idleLock,
    vaultReady,
    info,
    async close() {
      idleLock.dispose();
      await flows.close();
      await server.stop();
      await transport.close();
      if (vault.status().state === 'unlocked') vault.lock();
    },
  };
}
