/**
 * The shape a host exposes to the renderer. In Electron the preload puts it on `window.parley`;
 * in web mode the renderer builds the same object over HTTP and server-sent events.
 */
import type { OpInput, OpName, OpOutput, ParleyEvent } from './contract';
import { OP_NAMES } from './contract';
import type { Result } from './result';

/** The IPC channel an operation travels on. */
export const opChannel = (name: OpName): string => `parley:op:${name}`;
/** The IPC channel events travel on. */
export const EVENT_CHANNEL = 'parley:event';

/** A function per operation, grouped by domain: `bridge.keys.list({})`. */
export type GroupedOperations = {
  [D in OpName extends `${infer G}.${string}` ? G : never]: {
    [N in OpName as N extends `${D}.${infer F}` ? F : never]: (input: OpInput<N>) => Promise<Result<OpOutput<N>>>;
  };
};

/** What the renderer talks to, whatever the host. */
export interface ParleyBridge {
  readonly host: 'electron' | 'web';
  /** Calls an operation by name. */
  invoke<N extends OpName>(name: N, input: OpInput<N>): Promise<Result<OpOutput<N>>>;
  /** Subscribes to every event; returns the unsubscribe function. */
  subscribe(listener: (event: ParleyEvent) => void): () => void;
  /** Named functions grouped by domain, derived from the contract. */
  readonly ops: GroupedOperations;
}

/** Builds the grouped named functions from a generic invoker; used by the preload and the web client. */
export function groupOperations(invoke: (name: OpName, input: unknown) => Promise<Result<unknown>>): GroupedOperations {
  const groups: Record<string, Record<string, (input: unknown) => Promise<Result<unknown>>>> = {};
  for (const name of OP_NAMES) {
    const [domain, fn] = name.split('.') as [string, string];
    (groups[domain] ??= {})[fn] = (input: unknown) => invoke(name, input ?? {});
  }
  return groups as unknown as GroupedOperations;
}
