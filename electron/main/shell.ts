/**
 * The Electron shell's lifecycle: what must happen before `ready` (scheme privileges, single-instance
 * lock, data directory, process-wide guards), what only works after it (protocol handler, safeStorage,
 * the core, IPC, the window), and closing the core before the process exits.
 */
import { app, dialog, session } from 'electron';
import type { BrowserWindow } from 'electron';
import { createCore } from '../core/host/core';
import type { Core } from '../core/host/core';
import type { DocumentStoreFactory } from '../core/store/document-store';
import { registerAppProtocol, registerAppScheme } from './app-protocol';
import { forwardEvents, registerIpc } from './ipc';
import { confirmPrivateExport } from './export-confirmation';
import { FlowWindowLauncher } from './flow-window';
import { createMainWindow, focusWindow } from './main-window';
import { installMenu } from './menu';
import { shellPaths, useDataDir } from './paths';
import { createSafeStorageProtector } from './safe-storage-protector';
import { installPermissionPolicy, installWebContentsGuard } from './security';
import { TrustedSenders } from './trusted-sender';

/** What the entry point passes in. */
export interface ShellOptions {
  /** Directory of the built main bundle (out/main); the preload and renderer are found next to it. */
  readonly mainDir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly platform: NodeJS.Platform;
  /** The document store over the data directory (electron-store in the real app). */
  readonly storeFactory: (dataDir: string) => DocumentStoreFactory;
}

/** The started shell, for the entry point and tests. */
export interface RunningShell {
  readonly core: Core;
  readonly dataDir: string;
  readonly trusted: TrustedSenders;
  mainWindow(): BrowserWindow | undefined;
}

/** How long quitting waits for the core to close before giving up on it. */
const CLOSE_TIMEOUT_MS = 5000;

/**
 * Starts the shell. Resolves with the running shell, or undefined when another instance owns the data
 * directory (this one quits and the other is focused) or the core could not start (reported, then exit).
 */
export async function startShell(options: ShellOptions): Promise<RunningShell | undefined> {
  const paths = shellPaths(options.mainDir);
  const dataDir = useDataDir(options.env);
  registerAppScheme();
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return undefined;
  }

  const trusted = new TrustedSenders();
  let mainWindow: BrowserWindow | undefined;
  installWebContentsGuard();
  app.on('second-instance', () => focusWindow(mainWindow));
  app.on('window-all-closed', () => {
    if (options.platform !== 'darwin') app.quit();
  });

  await app.whenReady();
  installPermissionPolicy(session.defaultSession, (contents) => trusted.has(contents));
  registerAppProtocol(paths.renderer);
  installMenu(options.platform, 'Parley');

  let core: Core;
  try {
    core = await createCore({
      dataDir,
      mode: 'electron',
      version: app.getVersion(),
      storeFactory: options.storeFactory(dataDir),
      protector: createSafeStorageProtector(options.platform),
      // A keychain vault has no passphrase: a private export is confirmed natively, where the renderer cannot answer.
      confirmPrivateExport: (key) => confirmPrivateExport(key, mainWindow, options.platform),
      // The embedded authorization server starts with the app (saved port, 4747 by default; PARLEY_SERVER_PORT overrides).
      server: process.env['PARLEY_SERVER_PORT'] === undefined ? {} : { port: Number(process.env['PARLEY_SERVER_PORT']) },
      // Flows sign in inside a flow window (a child of the main window) that captures the redirect: no loopback listener.
      browserLauncher: new FlowWindowLauncher({ parent: () => mainWindow }),
    });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    console.error('[parley] the core failed to start:', e);
    dialog.showErrorBox('Parley could not start', `${message}\n\nData directory: ${dataDir}`);
    app.exit(1);
    return undefined;
  }

  registerIpc(core.dispatch, (event) => trusted.isTrusted(event));
  forwardEvents(core.events, () => trusted.targets());
  closeCoreOnQuit(core);

  const openMainWindow = (): void => {
    const window = createMainWindow({ preloadPath: paths.preload, trusted });
    window.on('closed', () => {
      if (mainWindow === window) mainWindow = undefined;
    });
    mainWindow = window;
  };
  openMainWindow();
  // macOS keeps the app running with no window; clicking the dock icon opens one again.
  app.on('activate', () => {
    if (mainWindow === undefined) openMainWindow();
  });

  return { core, dataDir, trusted, mainWindow: () => mainWindow };
}

/** Delays the exit until the core has closed (vault locked, stores flushed), bounded by a timeout. */
function closeCoreOnQuit(core: Core): void {
  let state: 'open' | 'closing' | 'closed' = 'open';
  app.on('will-quit', (event) => {
    if (state === 'closed') return;
    event.preventDefault();
    if (state === 'closing') return;
    state = 'closing';
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((done) => {
      timer = setTimeout(() => {
        console.error(`[parley] the core did not close within ${CLOSE_TIMEOUT_MS} ms; exiting anyway`);
        done();
      }, CLOSE_TIMEOUT_MS);
    });
    Promise.race([core.close(), timeout])
      .catch((e: unknown) => console.error('[parley] closing the core failed:', e))
      .finally(() => {
        clearTimeout(timer);
        state = 'closed';
        app.quit();
      });
  });
}
