/**
 * The browser boundary: the engine never opens a browser itself. A host gives it a launcher — Electron's
 * flow BrowserWindow that intercepts the redirect, a loopback listener (RFC 8252) in web mode, or a test
 * driver — which shows the authorize URL and returns the URL the browser was redirected to.
 */

/** The outcome of the browser step. */
export type BrowserOutcome = { callbackUrl: string } | { cancelled: true };

/** Shows the authorization page and captures the redirect to `redirectUri`. */
export interface BrowserLauncher {
  /** Resolves with the callback URL, or cancelled when the user closed the window or `signal` aborted. */
  open(url: string, redirectUri: string, signal: AbortSignal): Promise<BrowserOutcome>;
}
