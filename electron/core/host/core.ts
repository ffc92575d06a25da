/**
 * Composes the core: stores, vault, settings, the event bus, and the dispatcher over the contract.
 * Every host (Electron main, web mode, tests) creates exactly this and only carries its operations.
 */
import { mkdirSync } from 'node:fs';
import type { AppInfo, StoreNotice } from '../../../shared/ipc/contract';
import { ShellCommandMailbox } from '../../../shared/ipc/shell-commands';
import { EventBus } from '../events';
import { SettingsStore } from '../settings';
import type { DocumentStoreFactory } from '../store/document-store';
import { confStoreFactory } from '../store/document-store';
import type { ExportSubject, SafeStorageProtector } from '../vault';
import { securityLog, Vault } from '../vault';
import type { ServerSettings } from '../../../shared/schemas/server';
import { EmbeddedServer } from '../server/embedded';
import type { Dispatch, Handlers } from './dispatch';
import { createDispatcher } from './dispatch';
import { serverHandlers } from './server-handlers';
import { verifyJwt } from '../jwt/verify';
import type { BrowserLauncher } from '../flows/browser-launcher';
import { FlowEngine } from '../flows/flow-engine';
import { FlowHistory } from '../flows/flow-history';
import { FlowTargets } from '../flows/flow-targets';
import { LoopbackLauncher } from '../flows/loopback-launcher';
import { flowHandlers } from './flow-handlers';
import { caseHandlers } from '../cases/case-handlers';
import { faultHandlers } from '../faults';
import type { CoreFetch } from '../http/request-policy';
import { withRequestPolicy } from '../http/request-policy';

/** How a host creates the core. */
export interface CoreOptions {
  dataDir: string;
  mode: AppInfo['mode'];
  version: string;
  /** electron-store in Electron; conf (the default) elsewhere. */
  storeFactory?: DocumentStoreFactory;
  /** Electron safeStorage when the OS offers real protection; otherwise the vault uses a passphrase. */
  protector?: SafeStorageProtector;
  /**
   * Electron only: the main process's OS-level confirmation of a private-key export (a native dialog, Touch
   * ID where offered), asked for a keychain vault, which has no passphrase to prove the user is there.
   */
  confirmPrivateExport?: (key: ExportSubject) => Promise<boolean>;
  /** Lowers scrypt's cost in tests only. */
  scrypt?: { N: number; r: number; p: number };
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
   * The transport of the core's outgoing HTTP requests (flows, Check issuer, jwt.verify's remote keys);
   * Node's fetch by default. The request policy (http/request-policy.ts) is applied around it.
   */
  fetch?: CoreFetch;
  /** Electron only: where the shell leaves commands for the renderer (menu, links, opened case files). */
  shellCommands?: ShellCommandMailbox;
}

/** The running core. */
export interface Core {
  readonly dispatch: Dispatch;
  readonly events: EventBus;
  readonly vault: Vault;
  readonly server: EmbeddedServer;
  readonly flows: FlowEngine;
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
  await vault.init();
  const server = new EmbeddedServer({
    store,
    notices,
    events,
    ...(options.server?.port === undefined ? {} : { port: options.server.port }),
    ...(options.server?.settings ? { settings: options.server.settings } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  if (options.server) await server.start();
  // One policed fetch for every outgoing request (each use applies the policy too, so no path bypasses it).
  const coreFetch = withRequestPolicy(options.fetch ?? ((url, init) => fetch(url, init)));
  const flowTargets = new FlowTargets(store, notices, vault, server);
  const flowHistory = new FlowHistory(store, notices);
  const flows = new FlowEngine({
    vault,
    server,
    events,
    targets: flowTargets,
    history: flowHistory,
    launcher: options.browserLauncher ?? new LoopbackLauncher(),
    fetch: coreFetch,
    ...(options.log ? { log: options.log } : {}),
  });
  const shellCommands = options.shellCommands ?? new ShellCommandMailbox();
  shellCommands.onPost(() => events.emit('shell.commands', {}));
  const info: AppInfo = { name: 'Parley', version: options.version, mode: options.mode, dataDir: options.dataDir, platform: process.platform };

  const handlers: Handlers = {
    'app.info': () => info,
    'settings.get': () => settings.get(),
    'settings.update': (input) => {
      const updated = settings.update(input);
      // The other side hears it: the shell (window background, menu) and every window or tab.
      events.emit('settings.changed', updated);
      return updated;
    },
    'shell.takeCommands': () => shellCommands.take(),
    'vault.status': () => vault.status(),
    'vault.setup': (input) => vault.setup(input.passphrase),
    'vault.unlock': (input) => vault.unlock(input.passphrase ?? ''),
    'vault.lock': () => vault.lock(),
    'vault.changePassphrase': (input) => vault.changePassphrase(input.current, input.next),
    'keys.list': () => vault.list(),
    'keys.get': (input) => vault.get(input.id),
    'keys.generate': (input) => vault.generate(input),
    'keys.import': (input) => vault.importKey(input),
    'keys.exportPublic': (input) => vault.exportPublic(input.id, input.format),
    'keys.exportCertificate': (input) => vault.exportCertificate(input.id, input.days, input.commonName),
    'keys.exportPrivate': (input) => vault.exportPrivate(input.id, input.passphrase, input.vaultPassphrase === undefined ? {} : { vaultPassphrase: input.vaultPassphrase }),
    'keys.rename': (input) => vault.rename(input.id, input.name),
    'keys.setUsages': (input) => vault.setUsages(input.id, input.usages),
    'keys.delete': (input) => vault.delete(input.id),
    'keys.sign': (input) => vault.sign(input.id, input.header, input.payload),
    ...serverHandlers(server, vault),
    'jwt.verify': (input) => verifyJwt(input.token, input.source, { vault, server, fetch: coreFetch }),
    ...flowHandlers(flows, flowTargets, flowHistory, coreFetch),
    ...caseHandlers(
      { version: options.version, runs: flows, targets: flowTargets, directory: server.directory, settings: () => server.settingsStore.get(), vault },
      { server, ...(options.log ? { log: options.log } : {}) },
    ),
    ...faultHandlers(server, vault),
  };

  return {
    dispatch: createDispatcher(handlers, options.log),
    events,
    vault,
    server,
    flows,
    info,
    async close() {
      await flows.close();
      await server.stop();
      if (vault.status().state === 'unlocked') vault.lock();
    },
  };
}
