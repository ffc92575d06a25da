/**
 * The server's trace log: the sealed recorders of the last requests (trace.ts), kept in a bounded ring and
 * streamed to the renderer.
 */
import type { RequestTrace } from '../../../shared/schemas/server';
import type { TraceEntry } from './trace';

/**
 * The bounded in-memory log of traces (oldest dropped first), a ring: adding is O(1) however full it is.
 * It keeps each request's recorder as it was sealed and builds the full trace only when someone reads it
 * (list, get, or a subscriber that is listening), so a busy server keeps a few objects per request.
 * Bound: `capacity` traces, 1000 by default (docs/bounds.md).
 */
export class TraceLog {
  /** Slot i holds the trace added (i - head) mod capacity places after the oldest one. */
  #ring: (TraceEntry | undefined)[] = [];
  #head = 0;
  #size = 0;
  readonly #listeners = new Map<(t: RequestTrace) => void, (() => boolean) | undefined>();

  constructor(readonly capacity = 1000) {}

  /** Adds a trace (a sealed recorder, or a full trace) and notifies the subscribers that are listening. */
  add(trace: TraceEntry | RequestTrace): void {
    const entry: TraceEntry = 'toTrace' in trace ? trace : fullEntry(trace);
    if (this.#size < this.capacity) {
      this.#ring[(this.#head + this.#size) % this.capacity] = entry;
      this.#size += 1;
    } else {
      this.#ring[this.#head] = entry;
      this.#head = (this.#head + 1) % this.capacity;
    }
    for (const [listener, active] of this.#listeners) {
      if (active === undefined || active()) listener(entry.toTrace());
    }
  }

  /** The i-th newest entry (0 = newest). */
  #newest(i: number): TraceEntry {
    return this.#ring[(this.#head + this.#size - 1 - i) % this.capacity]!;
  }

  /** Newest first, filtered. */
  list(filter: { endpoint?: string; clientId?: string; failedOnly?: boolean; limit?: number } = {}): RequestTrace[] {
    const out: RequestTrace[] = [];
    const limit = filter.limit ?? this.capacity;
    for (let i = 0; i < this.#size && out.length < limit; i++) {
      const t = this.#newest(i);
      if (filter.endpoint && t.endpoint !== filter.endpoint) continue;
      if (filter.clientId && t.clientId !== filter.clientId) continue;
      if (filter.failedOnly && t.status < 400) continue;
      out.push(t.toTrace());
    }
    return out;
  }

  /** A trace by id. */
  get(id: string): RequestTrace | undefined {
    for (let i = 0; i < this.#size; i++) {
      const t = this.#newest(i);
      if (t.id === id) return t.toTrace();
    }
    return undefined;
  }

  /**
   * Subscribes to new traces. `active`, when given, is asked at each trace: a subscriber that is not
   * listening at the moment (no window open) does not make the log build every trace.
   */
  subscribe(listener: (t: RequestTrace) => void, active?: () => boolean): () => void {
    this.#listeners.set(listener, active);
    return () => this.#listeners.delete(listener);
  }

  /** Empties the log. */
  clear(): void {
    this.#ring = [];
    this.#head = 0;
    this.#size = 0;
  }

  get size(): number {
    return this.#size;
  }
}

function fullEntry(trace: RequestTrace): TraceEntry {
  return { id: trace.id, endpoint: trace.endpoint, clientId: trace.clientId, status: trace.status, toTrace: () => trace };
}
