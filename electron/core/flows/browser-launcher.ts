/**
 * The browser boundary: the engine never opens a browser itself. A host gives it a launcher — Electron's
 * flow BrowserWindow that intercepts the redirect, a loopback listener (RFC 8252) in web mode, or a test
 * driver — which shows the authorize URL and returns the URL the browser was redirected to.
 */

/** The outcome of the browser step. */
export type BrowserOutcome = { callbackUrl: string } | { cancelled: true };

/** What a launcher is told about the run it shows the authorization page for. */
export interface BrowserOpenOptions {
  /** The run's id: a launcher with sessions of its own names the run's fresh session after it. */
  readonly runId: string;
  /**
   * The target's "keep the session between runs": reuse the browser session (cookies) of earlier runs,
   * so the issuer may skip sign-in and consent. False: this run starts signed out, with a fresh session.
   */
  readonly keepSession: boolean;
}

/** Shows the authorization page and captures the redirect to `redirectUri`. */
export interface BrowserLauncher {
  /** Resolves with the callback URL, or cancelled when the user closed the window or `signal` aborted. */
  open(url: string, redirectUri: string, signal: AbortSignal, options?: BrowserOpenOptions): Promise<BrowserOutcome>;
}
