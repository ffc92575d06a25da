/**
 * A bounded map with per-entry expiry, for authorization codes, PAR request_uris, seen jti values and
 * tokens. It can never grow past `maxEntries`, whatever clients send: expired entries are swept first,
 * then the oldest entries are evicted (Map keeps insertion order).
 */
import { nowMs } from '../../clock';

/** A bounded TTL map. */
export class TtlStore<V> {
  readonly #entries = new Map<string, { value: V; expiresAt: number }>();

  constructor(
    readonly maxEntries: number,
    readonly name: string,
  ) {}

  /** Stores a value until `expiresAt` (ms since the epoch). */
  set(key: string, value: V, expiresAt: number): void {
    this.#entries.delete(key);
    if (this.#entries.size >= this.maxEntries) this.#evict();
    this.#entries.set(key, { value, expiresAt });
  }

  /** The value, or undefined when absent or expired. */
  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= nowMs()) return undefined;
    return entry.value;
  }

  /** The value even when expired (for a clear "expired" error), or undefined when absent. */
  peek(key: string): { value: V; expired: boolean } | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    return { value: entry.value, expired: entry.expiresAt <= nowMs() };
  }

  /** True when present and not expired. */
  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** Removes a key; returns whether it was present. */
  delete(key: string): boolean {
    return this.#entries.delete(key);
  }

  /** Removes every entry whose value matches. */
  deleteWhere(predicate: (value: V) => boolean): number {
    let n = 0;
    for (const [k, e] of this.#entries) if (predicate(e.value) && this.#entries.delete(k)) n++;
    return n;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Drops expired entries; if still full, drops the oldest tenth. */
  #evict(): void {
    const now = nowMs();
    for (const [k, e] of this.#entries) if (e.expiresAt <= now) this.#entries.delete(k);
    if (this.#entries.size < this.maxEntries) return;
    const drop = Math.max(1, Math.floor(this.maxEntries / 10));
    let i = 0;
    for (const k of this.#entries.keys()) {
      if (i++ >= drop) break;
      this.#entries.delete(k);
    }
  }
}
