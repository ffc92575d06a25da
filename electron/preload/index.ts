/**
 * The preload: exposes `window.parley` (the ParleyBridge) and nothing else. It runs sandboxed, so it is
 * bundled into one CommonJS file whose only `require` is `electron`, and it uses only `contextBridge`
 * and `ipcRenderer`. Operation names are checked against the contract here too, so the renderer cannot
 * reach an arbitrary IPC channel through this object.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRenderer, IpcRendererEvent } from 'electron';
import { EVENT_NAMES, OP_NAMES } from '../../shared/ipc/contract';
import type { OpName, ParleyEvent } from '../../shared/ipc/contract';
import { EVENT_CHANNEL, opChannel } from '../../shared/ipc/bridge';
import type { ParleyBridge } from '../../shared/ipc/bridge';
import type { Result } from '../../shared/ipc/result';

/** The part of `ipcRenderer` the bridge uses. */
export type BridgeIpc = Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>;

const KNOWN_OPS: ReadonlySet<string> = new Set(OP_NAMES);
const KNOWN_EVENTS: ReadonlySet<string> = new Set(EVENT_NAMES);

function isParleyEvent(value: unknown): value is ParleyEvent {
  return typeof value === 'object' && value !== null && KNOWN_EVENTS.has((value as { name?: unknown }).name as string) && 'payload' in value;
}

/** Builds the bridge over an ipcRenderer; the bridge never throws and never leaks the IpcRendererEvent. */
export function createElectronBridge(ipc: BridgeIpc) {
  const call = async (name: OpName, input: unknown): Promise<Result<unknown>> => {
    if (!KNOWN_OPS.has(name)) {
      return { ok: false, error: { code: 'UNKNOWN_OPERATION', message: `Unknown operation: ${String(name).slice(0, 100)}` } };
    }
    try {
      return (await ipc.invoke(opChannel(name), input)) as Result<unknown>;
    } catch (e) {
      // Only reached when the main process has no handler or crashed mid-call: handlers return Results.
      return { ok: false, error: { code: 'INTERNAL', message: e instanceof Error ? e.message : 'The main process did not answer.' } };
    }
  };

  return {
    host: 'electron',
    invoke: call as ParleyBridge['invoke'],
    subscribe(listener: (event: ParleyEvent) => void): () => void {
      if (typeof listener !== 'function') throw new TypeError('subscribe expects a function');
      const forward = (_event: IpcRendererEvent, payload: unknown): void => {
        if (isParleyEvent(payload)) listener(payload);
      };
      ipc.on(EVENT_CHANNEL, forward);
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        ipc.removeListener(EVENT_CHANNEL, forward);
      };
    },
  } satisfies ParleyBridge;
}

contextBridge.exposeInMainWorld('parley', createElectronBridge(ipcRenderer));
