/**
 * Decoding through the worker. One worker for the screen, requests matched by id; should the worker be
 * unavailable (a host without Worker, or it failed to load) the decode runs on the main thread instead.
 */
import type { DecodeOutcome } from './decode-core';

/** The main-thread decode, loaded only if it is needed: the decoder (momoa, the JWT rules) stays out of the first chunk. */
function decodeHere(text: string): Promise<DecodeOutcome> {
  return import('./decode-core').then((m) => m.decodeForInspect(text));
}

interface Pending {
  resolve(outcome: DecodeOutcome): void;
  text: string;
}

let worker: Worker | null | undefined;
let nextId = 1;
const pending = new Map<number, Pending>();

function fallBack(): void {
  worker?.terminate();
  worker = null;
  for (const [id, request] of pending) {
    pending.delete(id);
    void decodeHere(request.text).then(request.resolve);
  }
}

function getWorker(): Worker | null {
  if (worker !== undefined) return worker;
  try {
    worker = new Worker(new URL('./decode.worker.ts', import.meta.url), { type: 'module', name: 'parley-decode' });
  } catch {
    worker = null;
    return worker;
  }
  worker.addEventListener('message', (event: MessageEvent<{ id: number; outcome: DecodeOutcome }>) => {
    const request = pending.get(event.data.id);
    if (!request) return;
    pending.delete(event.data.id);
    request.resolve(event.data.outcome);
  });
  worker.addEventListener('error', fallBack);
  worker.addEventListener('messageerror', fallBack);
  return worker;
}

/** Decodes a pasted token off the main thread. Never rejects. */
export function decodeInWorker(text: string): Promise<DecodeOutcome> {
  const target = getWorker();
  if (!target) return decodeHere(text);
  return new Promise((resolve) => {
    const id = nextId++;
    pending.set(id, { resolve, text });
    target.postMessage({ id, text });
  });
}
