/**
 * A bounded map with per-entry expiry, for authorization codes, PAR request_uris, seen jti values and
 * tokens. It can never grow past `maxEntries`, whatever clients send: expired entries are swept first,
 * then the oldest entries are evicted (Map keeps insertion order). Every store and its bound: docs/bounds.md.
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

/**
 * A bounded set of keys with per-key expiry: a TtlStore<true> without a value object per entry, for the
 * stores that only remember that a key was seen (jti replay caches, revoked grants). Each entry is one Map
 * slot holding the expiry as a small integer (milliseconds since the set was created), about 100 bytes
 * with a 43-character key instead of about 160: the assertion jti cache at its bound of 100,000 entries
 * is about 10 MB (docs/bounds.md). Same API and eviction as TtlStore.
 */
export class TtlSet {
  /** key → expiry in ms relative to #origin (a small integer for 24 days, so V8 stores it unboxed). */
  readonly #entries = new Map<string, number>();
  readonly #origin = nowMs();

  constructor(
    readonly maxEntries: number,
    readonly name: string,
  ) {}

  /** Remembers `key` until `expiresAt` (ms since the epoch). */
  set(key: string, _value: true, expiresAt: number): void {
    this.#entries.delete(key);
    if (this.#entries.size >= this.maxEntries) this.#evict();
    this.#entries.set(key, expiresAt - this.#origin);
  }

  /** true when present and not expired, else undefined (TtlStore<true>.get). */
  get(key: string): true | undefined {
    const at = this.#entries.get(key);
    return at === undefined || at + this.#origin <= nowMs() ? undefined : true;
  }

  /** The entry even when expired, or undefined when absent. */
  peek(key: string): { value: true; expired: boolean } | undefined {
    const at = this.#entries.get(key);
    return at === undefined ? undefined : { value: true, expired: at + this.#origin <= nowMs() };
  }

  /** True when present and not expired. */
  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** Removes a key; returns whether it was present. */
  delete(key: string): boolean {
    return this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Drops expired entries; if still full, drops the oldest tenth. */
  #evict(): void {
    const now = nowMs() - this.#origin;
    for (const [k, at] of this.#entries) if (at <= now) this.#entries.delete(k);
    if (this.#entries.size < this.maxEntries) return;
    const drop = Math.max(1, Math.floor(this.maxEntries / 10));
    let i = 0;
    for (const k of this.#entries.keys()) {
      if (i++ >= drop) break;
      this.#entries.delete(k);
    }
  }
}
