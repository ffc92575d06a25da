/**
 * Web mode's browser step: the core listens on the redirect_uri's loopback port, and the renderer opens
 * the authorize URL in a new tab once the run waits for the browser. Browsers only let a click open a
 * tab, and the URL arrives later (after discovery, and the push for PAR), so the click opens a blank tab
 * at once and the tab is sent to the URL when it is known; if popups are blocked, a plain
 * `window.open(url, '_blank', 'noopener')` is tried then, and the timeline offers a link as a last resort.
 *
 * The tab cannot be watched for being closed (as Electron's flow window is): web mode serves the UI with
 * `Cross-Origin-Opener-Policy: same-origin` (electron/web/security.ts), so once the tab navigates to the
 * authorization server its handle reads `closed` at once. A run whose tab was closed waits for its
 * callback until Cancel; the timeline keeps the authorize link meanwhile.
 */
import type { FlowRun } from '../../../shared/schemas/flows';

interface PendingTab {
  tab: Window | null;
  /** Null until flows.start has answered. */
  runId: string | null;
}

let pending: PendingTab | null = null;

/** Called from the Run flow click, before flows.start: opens a blank tab while the click still counts. */
export function prepareAuthorizeTab(): void {
  discardAuthorizeTab();
  let tab: Window | null = null;
  try {
    tab = window.open('about:blank', '_blank');
  } catch {
    tab = null;
  }
  if (tab) {
    try {
      tab.opener = null;
    } catch {
      // Some browsers refuse; the tab only ever shows the authorization server anyway.
    }
  }
  pending = { tab, runId: null };
}

/** flows.start answered: the pending tab belongs to this run. */
export function bindAuthorizeTab(runId: string): void {
  if (pending) pending.runId = runId;
}

/** flows.start failed, or the tab is no longer wanted: closes the blank tab. */
export function discardAuthorizeTab(): void {
  if (pending?.tab && !pending.tab.closed) pending.tab.close();
  pending = null;
}

/** Applies a run update: sends the tab to the authorize URL, or closes it if the run ended before. */
export function onRunForTab(run: FlowRun): void {
  if (!pending) return;
  if (pending.runId !== null && pending.runId !== run.id) return;
  if (run.status === 'waiting-for-browser' && run.authorizeUrl) {
    const { tab } = pending;
    pending = null;
    if (tab && !tab.closed) tab.location.href = run.authorizeUrl;
    else window.open(run.authorizeUrl, '_blank', 'noopener');
    return;
  }
  if (pending.runId === run.id && (run.status === 'succeeded' || run.status === 'failed' || run.status === 'cancelled')) discardAuthorizeTab();
}
