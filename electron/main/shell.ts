/**
 * The Electron shell's lifecycle: what must happen before `ready` (scheme privileges, single-instance
 * lock, data directory, process-wide guards), what only works after it (protocol handler, safeStorage,
 * the core, IPC, the window), and closing the core before the process exits.
 */
import { join } from 'node:path';
import { app, dialog, net, powerMonitor, screen, session } from 'electron';
import type { BrowserWindow } from 'electron';
import { createCore } from '../core/host/core';
import { chromiumFetch } from '../core/http/chromium-transport';
import type { Core } from '../core/host/core';
import type { SafeStorageProtector } from '../core/vault';
import type { DocumentStoreFactory } from '../core/store/document-store';
import { registerAppProtocol, registerAppScheme } from './app-protocol';
import { forwardEvents, registerIpc } from './ipc';
import { confirmPrivateExport } from './export-confirmation';
import { FlowWindowLauncher } from './flow-window';
import { createMainWindow, focusWindow } from './main-window';
import { ShellCommandMailbox } from '../../shared/ipc/shell-commands';
import { AppLog, routeConsoleTo } from './app-log';
import { Desktop, themedBackground } from './desktop';
import { PROTOCOL, caseFile, parseDeepLink } from './launch-args';
import { WINDOW_STATE_FILE, initialBounds, loadWindowState, trackWindowState } from './window-state';
import { shellPaths, useDataDir } from './paths';
import { createSafeStorageProtector } from './safe-storage-protector';
import { installPermissionPolicy, installWebContentsGuard } from './security';
import { TrustedSenders } from './trusted-sender';
import type { Settings } from '../../shared/schemas/settings';

/** What the entry point passes in. */
export interface ShellOptions {
  /** Directory of the built main bundle (out/main); the preload and renderer are found next to it. */
  readonly mainDir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly platform: NodeJS.Platform;
  /** The document store over the data directory (electron-store in the real app). */
  readonly storeFactory: (dataDir: string) => DocumentStoreFactory;
  /** The command line to open links and case files from (process.argv by default) and its directory. */
  readonly argv?: readonly string[];
  readonly cwd?: string;
}

/** The started shell, for the entry point and tests. */
export interface RunningShell {
  readonly core: Core;
  readonly dataDir: string;
  readonly trusted: TrustedSenders;
  /** The menu, theme and open requests (links, case files, a second launch's arguments). */
  readonly desktop: Desktop;
  /** The log file (Help › Show logs). */
  readonly logFile: string;
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
    // The first instance gets this one's arguments through its `second-instance` event.
    app.quit();
    return undefined;
  }
  const appLog = new AppLog({ dir: app.getPath('logs') });
  routeConsoleTo(appLog);
  console.info(`[parley] Parley ${app.getVersion()} starting (${options.platform}); data in ${dataDir}`);
  // Packaged only: a development build registering itself would take the links from an installed Parley.
  if (app.isPackaged) app.setAsDefaultProtocolClient(PROTOCOL);

  const trusted = new TrustedSenders();
  let mainWindow: BrowserWindow | undefined;
  // Set once the core is up: a link or file opened before that waits in the mailbox for the first window.
  const windows: { open?: () => void } = {};
  const mailbox = new ShellCommandMailbox();
  const desktop = new Desktop({
    platform: options.platform,
    dataDir,
    logFile: appLog.path,
    mailbox,
    mainWindow: () => mainWindow,
    showMainWindow: () => {
      if (mainWindow === undefined) windows.open?.();
      else focusWindow(mainWindow);
    },
    log: (line) => console.info(line),
  });
  // A packaged app's argv is [app, …args]; `electron <app> …args` in development has the app's path second.
  const argvSkip = app.isPackaged ? 1 : 2;
  installWebContentsGuard();
  // Registered before ready: macOS hands over the link or file that launched the app that early.
  app.on('open-url', (event, url) => {
    event.preventDefault();
    void desktop.open([parseDeepLink(url)]);
  });
  app.on('open-file', (event, path) => {
    event.preventDefault();
    void desktop.open([caseFile(path)]);
  });
  app.on('second-instance', (_event, argv, workingDirectory) => {
    focusWindow(mainWindow);
    void desktop.openArgv(argv, workingDirectory, argvSkip);
  });
  app.on('window-all-closed', () => {
    if (options.platform !== 'darwin') app.quit();
  });

  await app.whenReady();
  installPermissionPolicy(session.defaultSession, (contents) => trusted.has(contents));
  registerAppProtocol(paths.renderer);

  let provideKeychain: (protector: SafeStorageProtector | undefined) => void = () => {};
  const keychain = new Promise<SafeStorageProtector | undefined>((resolve) => (provideKeychain = resolve));
  let core: Core;
  try {
    core = await createCore({
      dataDir,
      mode: 'electron',
      version: app.getVersion(),
      storeFactory: options.storeFactory(dataDir),
      // Settled after the main window exists (below): the first keychain call may show a Keychain prompt.
      protector: keychain,
      // A keychain vault has no passphrase: a private export is confirmed natively, where the renderer cannot answer.
      confirmPrivateExport: (key) => confirmPrivateExport(key, mainWindow, options.platform),
      // The embedded authorization server starts with the app (saved port, 4747 by default; PARLEY_SERVER_PORT overrides).
      server: process.env['PARLEY_SERVER_PORT'] === undefined ? {} : { port: Number(process.env['PARLEY_SERVER_PORT']) },
      // Flows sign in inside a flow window (a child of the main window) that captures the redirect: no loopback listener.
      // The embedded server's https leaf is accepted there (its local CA is not in Chromium's store).
      browserLauncher: new FlowWindowLauncher({ parent: () => mainWindow, trustedCertificate: (url) => core?.server.trustedLeaf(url) ?? null }),
      // The core's HTTP goes through Chromium's network stack: the system proxy and the OS certificate store
      // apply. (A target's extra CA is trusted through Node's stack instead: see http/chromium-transport.ts.)
      fetch: chromiumFetch({ request: (o) => net.request(o), resolveProxy: (url) => session.defaultSession.resolveProxy(url) }),
      // What the menu, links and opened files ask of the renderer waits here until it takes it.
      shellCommands: mailbox,
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
  // The screen locking or the machine going to sleep locks the vault at once, whatever the idle time.
  powerMonitor.on('lock-screen', () => core.idleLock.lockNow());
  powerMonitor.on('suspend', () => core.idleLock.lockNow());
  // The theme applies natively before the window exists (its background is the theme's: no white flash).
  const settings = await core.dispatch('settings.get', {});
  // The menu's labels follow the UI language, as the renderer does (settings.changed switches both).
  const saved = settings.ok ? (settings.value as Settings) : undefined;
  desktop.attachCore(core.dispatch, saved?.theme ?? 'system', saved?.language ?? 'system');
  core.events.subscribe((event) => {
    if (event.name === 'settings.changed' && event.payload.theme !== desktop.theme) desktop.applyTheme(event.payload.theme);
    if (event.name === 'settings.changed' && event.payload.language !== desktop.language) desktop.applyLanguage(event.payload.language);
  });

  const windowStateFile = join(dataDir, WINDOW_STATE_FILE);
  const log = (line: string): void => console.warn(line);
  const openMainWindow = (): void => {
    const bounds = initialBounds(
      loadWindowState(windowStateFile, log),
      // The primary display first: a window whose monitor is gone opens there.
      [screen.getPrimaryDisplay(), ...screen.getAllDisplays()].map((d) => d.workArea),
    );
    const window = createMainWindow({ preloadPath: paths.preload, trusted, bounds, backgroundColor: themedBackground() });
    trackWindowState(window, windowStateFile, log);
    window.on('closed', () => {
      if (mainWindow === window) mainWindow = undefined;
    });
    mainWindow = window;
  };
  windows.open = openMainWindow;
  openMainWindow();
  // Only now the keychain: on macOS its first use may prompt, and the prompt needs the app's window behind it.
  provideKeychain(await createSafeStorageProtector(options.platform));
  await core.vaultReady;
  // What the first launch's command line asks to open (links and case files on Windows and Linux).
  void desktop.openArgv(options.argv ?? process.argv, options.cwd ?? process.cwd(), argvSkip);
  // macOS keeps the app running with no window; clicking the dock icon opens one again.
  app.on('activate', () => {
    if (mainWindow === undefined) openMainWindow();
  });

  return { core, dataDir, trusted, desktop, logFile: appLog.path, mainWindow: () => mainWindow };
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
