/**
 * The flow window: Electron's browser boundary for the flow engine. Each run gets a new window over an
 * in-memory session partition of its own (a fresh cookie jar, so the issuer shows its sign-in and consent
 * pages every time, and cleared when the run ends), sandboxed and without a preload, that shows the
 * authorize page and stops the browser at the redirect URI before the callback is requested, handing its
 * URL back. A target may keep the session between runs instead (SSO demos): its runs share one partition.
 */
import { BrowserWindow, session } from 'electron';
import type { BrowserWindowConstructorOptions, CallbackResponse, OnBeforeRequestListenerDetails, OnCompletedListenerDetails, Session } from 'electron';
import type { BrowserLauncher, BrowserOpenOptions, BrowserOutcome } from '../core/flows/browser-launcher';
import { FlowStepError } from '../core/flows/flow-error';
import { hardenedWebPreferences } from './security';

/**
 * The base name of flow windows' session partitions: in memory (no `persist:`), apart from the app's default
 * session. A run gets `parley-flow-<runId>`; runs of a target that keeps its session share `parley-flow`.
 */
export const FLOW_PARTITION = 'parley-flow';

/** The title of a flow window; pages cannot replace it. */
export const FLOW_WINDOW_TITLE = 'Parley — sign in';

/** What the flow window needs from the shell. */
export interface FlowWindowOptions {
  /** The window flow windows are children of (the main window), read at each run; none when undefined. */
  readonly parent?: () => BrowserWindow | undefined;
  /** The base name of the session partitions (FLOW_PARTITION by default). */
  readonly partition?: string;
  /**
   * The one certificate (PEM) accepted at `url` although Chromium does not trust it: the embedded server's
   * https leaf, issued by the data directory's local CA (EmbeddedServer.trustedLeaf). Null for any other URL.
   */
  readonly trustedCertificate?: (url: string) => string | null;
}

/** A PEM's base64 body, for comparing two encodings of one certificate. */
function pemBody(pem: string): string {
  return pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
}

/**
 * The partition a run's window uses: `base-<runId>` (a fresh session, only this run's) unless the run keeps
 * the session, then `base` itself, shared by every such run while the app runs (still in memory).
 */
export function flowPartition(base: string, options: Pick<BrowserOpenOptions, 'runId' | 'keepSession'>): string {
  return options.keepSession ? base : `${base}-${options.runId}`;
}

/** The constructor options of a flow window; exported so the security-relevant ones can be asserted. */
export function flowWindowOptions(partition: string, parent: BrowserWindow | undefined): BrowserWindowConstructorOptions {
  return {
    width: 600,
    height: 760,
    minWidth: 400,
    minHeight: 480,
    title: FLOW_WINDOW_TITLE,
    autoHideMenuBar: true,
    ...(parent === undefined ? {} : { parent }),
    // No preload: sign-in pages get no bridge to Parley.
    webPreferences: hardenedWebPreferences({ partition }),
  };
}

/**
 * The parts of a URL a redirect is recognised by: scheme, host, port and path; the query and fragment
 * (the authorization response) are ignored, and default ports are dropped by the URL parser.
 */
function redirectKey(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  return JSON.stringify([parsed.protocol, parsed.hostname.toLowerCase(), parsed.port, parsed.pathname]);
}

/** True when `url` is a navigation to `redirectUri` (same scheme, host, port and path), whatever its query. */
export function matchesRedirect(url: string, redirectUri: string): boolean {
  const key = redirectKey(url);
  return key !== undefined && key === redirectKey(redirectUri);
}

/** Chromium's net error for a navigation that was stopped (by Parley's own interception, say). */
const ERR_ABORTED = -3;
/** A 4xx/5xx answer with an empty body: Chromium shows its own error page instead of a blank one. */
const ERR_HTTP_RESPONSE_CODE_FAILURE = -379;

/**
 * Names a main-frame load failure the way the rest of a flow does (net error codes: Chromium's
 * net/base/net_error_list.h; -200 to -299 are certificate errors). `status` is the main frame's last HTTP
 * status, when one was seen.
 */
export function loadFailure(url: string, code: number, description: string, status?: number): FlowStepError {
  let host = url;
  try {
    host = new URL(url).host;
  } catch {
    // keep the URL as given
  }
  const reason = `${description || 'error'} (${code})`;
  if (code <= -200 && code > -300)
    return new FlowStepError('tls_failure', `The TLS connection to ${host} failed (${reason}): its certificate is not trusted or does not match the host.`);
  if (code === -7 || code === -118) return new FlowStepError('timeout', `${host} did not answer in time (${reason}).`);
  if (code === ERR_HTTP_RESPONSE_CODE_FAILURE) {
    // The server did answer: with an error status and an empty body, which Chromium replaces by its own page.
    const answered = status === undefined ? 'an error status' : `HTTP ${status}`;
    return new FlowStepError(
      'http_error',
      `The sign-in page at ${host} answered with ${answered} and no page (${reason}): the server refused the request without saying why; its logs should.`,
    );
  }
  return new FlowStepError('issuer_unreachable', `The sign-in page at ${host} could not be loaded (${reason}): check the URL and that the server is running.`);
}

/** A run waiting for its redirect, found by the id of its window's web contents. */
interface PendingFlow {
  readonly redirectUri: string;
  /** Resolves the run with the callback URL (once; later calls do nothing). */
  capture(url: string): void;
  /** The HTTP status of the main frame's last response, for naming a load failure. */
  status: number | undefined;
}

/** A navigation event of `will-navigate` / `will-redirect` (Electron ≥ 25 puts the details on the event). */
interface NavigationEvent {
  readonly url: string;
  readonly isMainFrame: boolean;
  preventDefault(): void;
}

/** Opens the authorize page in a flow window and captures the redirect to the redirect URI. */
export class FlowWindowLauncher implements BrowserLauncher {
  readonly #partition: string;
  readonly #parent: () => BrowserWindow | undefined;
  readonly #trustedCertificate: (url: string) => string | null;
  readonly #pending = new Map<number, PendingFlow>();
  /** Sessions with webRequest listeners installed, and how many pending runs use each. */
  readonly #listening = new Map<Session, number>();
  /** Names the fresh session of a run opened without a run id (a caller outside the engine). */
  #unnamedRuns = 0;

  constructor(options: FlowWindowOptions = {}) {
    this.#partition = options.partition ?? FLOW_PARTITION;
    this.#parent = options.parent ?? (() => undefined);
    this.#trustedCertificate = options.trustedCertificate ?? (() => null);
  }

  /**
   * Shows `url` in a new flow window; resolves with the redirect's URL, or cancelled when the window closed
   * or `signal` aborted. The window's session is the run's own unless `options.keepSession`.
   */
  open(url: string, redirectUri: string, signal: AbortSignal, options?: BrowserOpenOptions): Promise<BrowserOutcome> {
    if (!isWebUrl(url)) {
      return Promise.reject(new FlowStepError('configuration', `The authorization endpoint ${url} is not an http(s) URL, so Parley will not open it.`));
    }
    if (redirectKey(redirectUri) === undefined) {
      return Promise.reject(new FlowStepError('configuration', `The redirect URI ${redirectUri} is not an absolute URI.`));
    }
    if (signal.aborted) return Promise.resolve({ cancelled: true });

    const keepSession = options?.keepSession === true;
    const partition = flowPartition(this.#partition, { keepSession, runId: options?.runId ?? `run${++this.#unnamedRuns}` });
    const flowSession = session.fromPartition(partition);
    denyEverything(flowSession);
    const parent = this.#parent();
    const window = new BrowserWindow(flowWindowOptions(partition, parent === undefined || parent.isDestroyed() ? undefined : parent));
    const contents = window.webContents;
    const contentsId = contents.id;

    return new Promise<BrowserOutcome>((resolve, reject) => {
      let settled = false;
      const finish = (outcome: BrowserOutcome | FlowStepError): void => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        this.#pending.delete(contentsId);
        this.#release(flowSession);
        if (outcome instanceof FlowStepError) reject(outcome);
        else resolve(outcome);
        // destroy, not close: a page's beforeunload cannot keep the window open.
        if (!window.isDestroyed()) window.destroy();
        // The run's own session is never used again: drop its cookies and storage now, not at quit.
        if (!keepSession) forget(flowSession);
      };
      const onAbort = (): void => finish({ cancelled: true });
      const capture = (callbackUrl: string): void => finish({ callbackUrl });
      const pending: PendingFlow = { redirectUri, capture, status: undefined };

      const onNavigation = (event: NavigationEvent): void => {
        if (!matchesRedirect(event.url, redirectUri)) return;
        // Never let any frame load the redirect URI: the authorization response is Parley's.
        event.preventDefault();
        if (event.isMainFrame) capture(event.url);
      };
      contents.on('will-redirect', onNavigation);
      contents.on('will-navigate', onNavigation);
      contents.on('did-fail-load', (_event, code, description, validatedUrl, isMainFrame) => {
        if (!isMainFrame) return;
        // A redirect the interceptors missed (a custom scheme Chromium cannot load) is still the callback.
        if (matchesRedirect(validatedUrl, redirectUri)) return capture(validatedUrl);
        // ERR_ABORTED is a navigation Parley stopped itself; any other failure ends the run with its reason.
        if (code !== ERR_ABORTED) finish(loadFailure(validatedUrl, code, description, pending.status));
      });
      // The main frame's HTTP status, should its load fail afterwards (an error status with no page, -379).
      contents.on('did-navigate', (_event, _url, httpResponseCode) => {
        if (typeof httpResponseCode === 'number' && httpResponseCode > 0) pending.status = httpResponseCode;
      });
      contents.on('certificate-error', (event, certUrl, _error, certificate, callback) => {
        event.preventDefault();
        // Only the embedded server's own leaf, exactly, at its own origin (pinned, not its CA): everything else is refused.
        const pinned = this.#trustedCertificate(certUrl);
        callback(pinned !== null && typeof certificate?.data === 'string' && pemBody(certificate.data) === pemBody(pinned));
      });
      contents.on('will-prevent-unload', (event) => event.preventDefault());
      contents.setWindowOpenHandler(() => ({ action: 'deny' }));
      window.on('page-title-updated', (event) => event.preventDefault());
      window.once('closed', () => finish({ cancelled: true }));
      signal.addEventListener('abort', onAbort);

      this.#pending.set(contentsId, pending);
      this.#hold(flowSession);
      contents.loadURL(url).catch((e: unknown) => {
        // Also rejects when the redirect was stopped or the window closed; those are not failures.
        if (!settled) console.warn('[parley] the authorization page failed to load:', e instanceof Error ? e.message : e);
      });
    });
  }

  /** Cancels requests to a pending run's redirect URI and captures its main-frame navigation. */
  readonly #onBeforeRequest = (details: OnBeforeRequestListenerDetails, callback: (response: CallbackResponse) => void): void => {
    const pending = this.#pending.get(details.webContentsId ?? details.webContents?.id ?? -1);
    if (pending === undefined || !matchesRedirect(details.url, pending.redirectUri)) {
      callback({});
      return;
    }
    callback({ cancel: true });
    if (details.resourceType === 'mainFrame') pending.capture(details.url);
  };

  /** Records the main frame's HTTP status (Chromium replaces an empty error answer by its own page). */
  readonly #onCompleted = (details: OnCompletedListenerDetails): void => {
    const pending = this.#pending.get(details.webContentsId ?? details.webContents?.id ?? -1);
    if (pending !== undefined && details.resourceType === 'mainFrame' && details.statusCode > 0) pending.status = details.statusCode;
  };

  /**
   * Installs the session's webRequest listeners for a pending run. A session has one listener per event,
   * and runs that keep their session share one: the listeners stay until its last pending run ends.
   */
  #hold(flowSession: Session): void {
    const count = this.#listening.get(flowSession) ?? 0;
    if (count === 0) {
      flowSession.webRequest.onBeforeRequest(this.#onBeforeRequest);
      flowSession.webRequest.onCompleted(this.#onCompleted);
    }
    this.#listening.set(flowSession, count + 1);
  }

  /** Removes the session's listeners (null) once no pending run uses it. */
  #release(flowSession: Session): void {
    const count = (this.#listening.get(flowSession) ?? 0) - 1;
    if (count > 0) {
      this.#listening.set(flowSession, count);
      return;
    }
    this.#listening.delete(flowSession);
    flowSession.webRequest.onBeforeRequest(null);
    flowSession.webRequest.onCompleted(null);
  }
}

/** Clears a finished run's session: cookies, storage, cache and HTTP auth (nothing of it is kept). */
function forget(flowSession: Session): void {
  Promise.all([flowSession.clearStorageData(), flowSession.clearCache(), flowSession.clearAuthCache()]).catch((e: unknown) =>
    console.warn('[parley] clearing a flow window session failed:', e instanceof Error ? e.message : e),
  );
}

/** Denies every permission and device on the flow session: sign-in pages get nothing from Parley. */
function denyEverything(flowSession: Session): void {
  flowSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  flowSession.setPermissionCheckHandler(() => false);
  flowSession.setDevicePermissionHandler(() => false);
}

function isWebUrl(url: string): boolean {
  try {
    const protocol = new URL(url).protocol;
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}
