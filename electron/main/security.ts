/**
 * Process-wide guards (ARCHITECTURE.md §5): the one set of `webPreferences` every window is created with,
 * no `<webview>`, no popup windows by default, and every permission denied in every session.
 * Window-specific rules (navigation) live in main-window.ts and flow-window.ts.
 */
import { app } from 'electron';
import type { Session, WebContents, WebPreferences } from 'electron';
import { isAppUrl } from './app-origin';

/**
 * The one permission granted, and only to the app window's main frame on the app origin: the async
 * clipboard write behind "Copy" buttons. Chromium routes `navigator.clipboard.writeText` through it and
 * rejects with NotAllowedError when it is denied; it still needs a user gesture and never reads the clipboard.
 */
export const ALLOWED_APP_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

/** What differs between windows: the app window's preload, the flow window's session partition. */
export type WindowWebPreferences = Pick<WebPreferences, 'preload' | 'partition'>;

/**
 * The hardened `webPreferences` of every Parley window (the app window and flow windows alike), so the
 * two cannot drift: context isolation, the sandbox, no Node anywhere, web security on, no insecure
 * content, no `<webview>`, no navigation by drag and drop, no spellchecker (it sends words to a service
 * on some platforms), and dialogs a page cannot repeat to trap the user.
 */
export function hardenedWebPreferences(specific: WindowWebPreferences = {}): WebPreferences {
  return {
    ...specific,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
  };
}

/** Decides whether web contents belong to an app window (see TrustedSenders). */
export type IsAppContents = (contents: WebContents | null) => boolean;

/** The single permission decision shared by the request and check handlers. */
export function isPermissionAllowed(
  contents: WebContents | null,
  permission: string,
  requestingUrl: string | undefined,
  isMainFrame: boolean,
  isAppContents: IsAppContents,
): boolean {
  return ALLOWED_APP_PERMISSIONS.has(permission) && isMainFrame && isAppUrl(requestingUrl) && isAppContents(contents);
}

/** Installs the deny-by-default permission policy on a session. */
export function applyPermissionPolicy(session: Session, isAppContents: IsAppContents): void {
  session.setPermissionRequestHandler((contents, permission, callback, details) => {
    callback(isPermissionAllowed(contents, permission, details.requestingUrl, details.isMainFrame, isAppContents));
  });
  session.setPermissionCheckHandler((contents, permission, requestingOrigin, details) =>
    isPermissionAllowed(contents, permission, details.requestingUrl ?? requestingOrigin, details.isMainFrame, isAppContents),
  );
  // WebHID, WebUSB, Web Serial: no device is ever granted.
  session.setDevicePermissionHandler(() => false);
}

/**
 * Applies to every web contents the process creates, before any window-specific handler: `<webview>`
 * can never attach, and `window.open` is denied unless a window installs its own handler afterwards.
 */
export function installWebContentsGuard(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}

/** Applies the permission policy to every session, including partitions created later (flow windows). */
export function installPermissionPolicy(defaultSession: Session, isAppContents: IsAppContents): void {
  applyPermissionPolicy(defaultSession, isAppContents);
  app.on('session-created', (session) => applyPermissionPolicy(session, isAppContents));
}
