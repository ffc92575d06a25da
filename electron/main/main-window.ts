/**
 * The app window: sandboxed, context-isolated, no Node, served from the app origin, and unable to
 * navigate away or open windows. https links go to the system browser; nothing else leaves the app.
 */
import { BrowserWindow, shell } from 'electron';
import type { BrowserWindowConstructorOptions, WebContents } from 'electron';
import { APP_ENTRY_URL, isAppUrl, isHttpsUrl } from './app-origin';
import { hardenedWebPreferences } from './security';
import type { TrustedSenders } from './trusted-sender';
import type { InitialBounds } from './window-state';
import { DEFAULT_SIZE, MIN_SIZE } from './window-state';

/** What the main window needs from the shell. */
export interface MainWindowDeps {
  /** Absolute path of the bundled preload (out/preload/index.cjs). */
  readonly preloadPath: string;
  /** The registry the IPC sender check reads; the window registers itself there. */
  readonly trusted: TrustedSenders;
  /** The URL to load; the app entry unless a test says otherwise. */
  readonly url?: string;
  /** Remembered size, position and maximised state (window-state.ts); the default size otherwise. */
  readonly bounds?: InitialBounds;
  /** The page background before the renderer paints: the theme's, so a dark window never flashes white. */
  readonly backgroundColor?: string;
}

/** The constructor options of the app window; exported so the security-relevant ones can be asserted. */
export function mainWindowOptions(preloadPath: string, looks: Pick<MainWindowDeps, 'bounds' | 'backgroundColor'> = {}): BrowserWindowConstructorOptions {
  const { bounds } = looks;
  return {
    width: bounds?.width ?? DEFAULT_SIZE.width,
    height: bounds?.height ?? DEFAULT_SIZE.height,
    ...(bounds?.x === undefined || bounds.y === undefined ? {} : { x: bounds.x, y: bounds.y }),
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false,
    title: 'Parley',
    backgroundColor: looks.backgroundColor ?? '#ffffff',
    webPreferences: hardenedWebPreferences({ preload: preloadPath }),
  };
}

/** Creates, guards, registers and loads the app window. */
export function createMainWindow(deps: MainWindowDeps): BrowserWindow {
  const window = new BrowserWindow(mainWindowOptions(deps.preloadPath, deps));
  guardAppContents(window.webContents);
  deps.trusted.add(window.webContents);
  // maximize() also shows the window, over the remembered normal bounds (what un-maximising returns to).
  window.once('ready-to-show', () => (deps.bounds?.maximized ? window.maximize() : window.show()));
  window.webContents.loadURL(deps.url ?? APP_ENTRY_URL).catch((e: unknown) => {
    console.error('[parley] the app window failed to load:', e instanceof Error ? e.message : e);
  });
  return window;
}

/** Denies every navigation off the app origin and every new window; hands https links to the system browser. */
export function guardAppContents(contents: WebContents): void {
  const denyForeign = (event: { url: string; preventDefault(): void }): void => {
    if (!isAppUrl(event.url)) event.preventDefault();
  };
  contents.on('will-navigate', denyForeign);
  contents.on('will-frame-navigate', denyForeign);
  contents.on('will-redirect', denyForeign);
  contents.setWindowOpenHandler(({ url }) => {
    if (isHttpsUrl(url)) {
      shell.openExternal(url).catch((e: unknown) => {
        console.warn('[parley] could not open the link in the system browser:', e instanceof Error ? e.message : e);
      });
    }
    return { action: 'deny' };
  });
}

/** Brings a window to the front, restoring it when minimised (used when a second instance starts). */
export function focusWindow(window: BrowserWindow | undefined): void {
  if (window === undefined || window.isDestroyed()) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}
