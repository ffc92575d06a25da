/**
 * The renderer's one API client. In Electron it talks to `window.parley` (exposed by the preload);
 * in web mode it talks to the web bridge: POST /api/op/<name> with the JSON input, events as JSON lines
 * streamed from /api/events. Both carry `Authorization: Bearer <session>`: the page opened from a launch
 * URL receives the session once (see takeSession), and no cookie is involved, since browsers send
 * 127.0.0.1's cookies to servers on every port.
 */
import type { OpInput, OpName, OpOutput, ParleyEvent } from '../../../shared/ipc/contract';
import type { ParleyBridge } from '../../../shared/ipc/bridge';
import type { Result } from '../../../shared/ipc/result';
import type { WireError } from '../../../shared/errors';

declare global {
  interface Window {
    parley?: ParleyBridge;
  }
}

/** An operation failed; carries the wire error's stable code. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: WireError['code'];
  readonly details: Record<string, unknown> | undefined;
  constructor(error: WireError) {
    super(error.message);
    this.code = error.code;
    this.details = error.details;
  }
}

/** Where the tab keeps its session: sessionStorage is per origin (so per port) and per tab. */
const SESSION_KEY = 'parley.session';

/**
 * This tab's session. The page served for a launch URL carries it once in `<meta name="parley-session">`;
 * it moves to sessionStorage so a reload keeps working, and the spent launch token leaves the address bar
 * (a reload of the launch URL itself would be refused).
 */
function takeSession(): string | null {
  const meta = document.querySelector<HTMLMetaElement>('meta[name="parley-session"]');
  let session: string | null = null;
  if (meta) {
    session = meta.content;
    meta.remove();
    const url = new URL(window.location.href);
    url.searchParams.delete('token');
    window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
  }
  try {
    if (session) window.sessionStorage.setItem(SESSION_KEY, session);
    else session = window.sessionStorage.getItem(SESSION_KEY);
  } catch {
    // Storage blocked by the browser's settings: the session lives in this page only; a reload needs a new link.
  }
  return session;
}

/** Calls `onLine` with each complete line of a streamed body, until the stream ends. */
async function readLines(body: ReadableStream<Uint8Array>, onLine: (line: string) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffered += decoder.decode(value, { stream: true });
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  }
}

function webBridge(): ParleyBridge {
  const session = takeSession();
  const authorization: Record<string, string> = session ? { authorization: `Bearer ${session}` } : {};
  const listeners = new Set<(event: ParleyEvent) => void>();
  let streaming = false;
  const deliver = (line: string) => {
    if (line.trim() === '') return; // keep-alive
    let event: ParleyEvent;
    try {
      event = JSON.parse(line) as ParleyEvent;
    } catch {
      return;
    }
    for (const listener of listeners) listener(event);
  };
  // EventSource cannot send headers, so events come over fetch; like EventSource, it reconnects when the
  // stream drops (Parley restarting, a sleeping laptop), and gives up only when the session is refused.
  const ensureStream = () => {
    if (streaming) return;
    streaming = true;
    void (async () => {
      let delay = 500;
      for (;;) {
        try {
          const response = await fetch('/api/events', { headers: authorization, credentials: 'omit', cache: 'no-store' });
          if (response.status === 401) return;
          if (response.ok && response.body) {
            delay = 500;
            await readLines(response.body, deliver);
          }
        } catch {
          // Unreachable or cut off: try again below.
        }
        await new Promise((resolve) => window.setTimeout(resolve, delay));
        delay = Math.min(delay * 2, 10_000);
      }
    })();
  };
  const invoke = async (name: OpName, input: unknown): Promise<Result<unknown>> => {
    let response: Response;
    try {
      response = await fetch(`/api/op/${encodeURIComponent(name)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...authorization },
        body: JSON.stringify(input ?? {}),
        credentials: 'omit',
      });
    } catch (e) {
      return { ok: false, error: { code: 'INTERNAL', message: `Parley's web host is unreachable (${e instanceof Error ? e.message : String(e)}).` } };
    }
    try {
      return (await response.json()) as Result<unknown>;
    } catch {
      return { ok: false, error: { code: 'INTERNAL', message: `Parley's web host answered ${response.status} without a JSON body.` } };
    }
  };
  return {
    host: 'web',
    invoke: invoke as ParleyBridge['invoke'],
    subscribe(listener) {
      ensureStream();
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Which bridge a page talks through: the preload's, the web host's, or none (an app page without its preload). */
export type BridgeKind = 'preload' | 'web' | 'missing';

/**
 * Chooses the bridge. The app's pages are served from `app://` (electron/main/app-protocol.ts) and web
 * mode's from http://127.0.0.1. An app page without `window.parley` lost its preload: the web bridge there
 * would POST to app:// and report "web host answered 405 without a JSON body", which names nothing the user
 * can act on; so the page gets a bridge that says what is wrong.
 */
export function bridgeKind(page: { hasPreloadBridge: boolean; protocol: string }): BridgeKind {
  if (page.hasPreloadBridge) return 'preload';
  return page.protocol === 'app:' ? 'missing' : 'web';
}

/** What every call answers when the app's bridge is missing (the renderer shows its translation, errors.BRIDGE_MISSING). */
export const BRIDGE_MISSING_MESSAGE =
  "Parley's app bridge is missing (the preload script did not load), so this window cannot reach Parley. Restart Parley; if it happens again, reinstall it and report the problem with the log file (Help › Show logs).";

/** The bridge of an app page whose preload did not load: every call fails with BRIDGE_MISSING, no event comes. */
export function missingBridge(): ParleyBridge {
  const invoke = async (): Promise<Result<unknown>> => ({ ok: false, error: { code: 'BRIDGE_MISSING', message: BRIDGE_MISSING_MESSAGE } });
  return {
    host: 'electron',
    invoke: invoke as ParleyBridge['invoke'],
    subscribe: () => () => undefined,
  };
}

let bridge: ParleyBridge | undefined;

/** The bridge for this host: Electron's preload object when present, else the web bridge (see bridgeKind). */
export function getBridge(): ParleyBridge {
  if (bridge) return bridge;
  const kind = bridgeKind({ hasPreloadBridge: window.parley !== undefined, protocol: window.location.protocol });
  bridge = kind === 'preload' ? window.parley! : kind === 'missing' ? missingBridge() : webBridge();
  return bridge;
}

/** Calls an operation and returns its value, or throws an ApiError with the wire error's code. */
export async function call<N extends OpName>(name: N, input: OpInput<N>): Promise<OpOutput<N>> {
  const result = await getBridge().invoke(name, input);
  if (!result.ok) throw new ApiError(result.error);
  return result.value;
}

/** Subscribes to every core event. */
export function subscribe(listener: (event: ParleyEvent) => void): () => void {
  return getBridge().subscribe(listener);
}
