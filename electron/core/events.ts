/**
 * The core's typed event bus. Hosts subscribe and forward events to the renderer
 * (Electron: webContents.send; web mode: server-sent events).
 */
import type { EventName, EventPayload, ParleyEvent } from '../../shared/ipc/contract';

/** Receives every event. */
export type EventListener = (event: ParleyEvent) => void;

/** A small synchronous typed emitter; a throwing listener never breaks the emitter or other listeners. */
export class EventBus {
  readonly #listeners = new Set<EventListener>();

  /** Emits an event to every listener. */
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    const event = { name, payload } as ParleyEvent;
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (e) {
        console.error('[parley] event listener failed:', e instanceof Error ? e.message : e);
      }
    }
  }

  /** Subscribes; returns the unsubscribe function. */
  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** How many listeners are subscribed (used to bound web-bridge connections). */
  get size(): number {
    return this.#listeners.size;
  }
}
