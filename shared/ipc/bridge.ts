/**
 * The shape a host exposes to the renderer. In Electron the preload puts it on `window.parley`;
 * in web mode the renderer builds the same object over HTTP (events as streamed JSON lines). Operations
 * are called by their contract name (`invoke('keys.list', {})`; the renderer's `call` wraps it).
 */
import type { OpInput, OpName, OpOutput, ParleyEvent } from './contract';
import type { Result } from './result';

/** The IPC channel an operation travels on. */
export const opChannel = (name: OpName): string => `parley:op:${name}`;
/** The IPC channel events travel on. */
export const EVENT_CHANNEL = 'parley:event';

/** What the renderer talks to, whatever the host. */
export interface ParleyBridge {
  readonly host: 'electron' | 'web';
  /** Calls an operation by name. */
  invoke<N extends OpName>(name: N, input: OpInput<N>): Promise<Result<OpOutput<N>>>;
  /** Subscribes to every event; returns the unsubscribe function. */
  subscribe(listener: (event: ParleyEvent) => void): () => void;
}
