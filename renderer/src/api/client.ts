/**
 * The renderer's one API client. In Electron it talks to `window.parley` (exposed by the preload);
 * in web mode it talks to the web bridge: POST /api/op/<name> with the JSON input, events over
 * server-sent events at /api/events. The per-launch token travels as an HttpOnly cookie the bridge set
 * when the launch URL was opened, so no script can read it.
 */
import type { OpInput, OpName, OpOutput, ParleyEvent } from '../../../shared/ipc/contract';
import type { ParleyBridge } from '../../../shared/ipc/bridge';
import { groupOperations } from '../../../shared/ipc/bridge';
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

function webBridge(): ParleyBridge {
  const listeners = new Set<(event: ParleyEvent) => void>();
  let source: EventSource | undefined;
  const ensureSource = () => {
    if (source) return;
    source = new EventSource('/api/events');
    source.onmessage = (message: MessageEvent<string>) => {
      let event: ParleyEvent;
      try {
        event = JSON.parse(message.data) as ParleyEvent;
      } catch {
        return;
      }
      for (const listener of listeners) listener(event);
    };
  };
  const invoke = async (name: OpName, input: unknown): Promise<Result<unknown>> => {
    let response: Response;
    try {
      response = await fetch(`/api/op/${encodeURIComponent(name)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(input ?? {}),
        credentials: 'same-origin',
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
      ensureSource();
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    ops: groupOperations(invoke),
  };
}

let bridge: ParleyBridge | undefined;

/** The bridge for this host: Electron's preload object when present, else the web bridge. */
export function getBridge(): ParleyBridge {
  return (bridge ??= window.parley ?? webBridge());
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
