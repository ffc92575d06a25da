/**
 * A bounded map with per-entry expiry, for authorization codes, PAR request_uris, seen jti values and
 * tokens. It can never grow past `maxEntries`, whatever clients send: expired entries are swept first,
 * then the oldest entries are evicted (Map keeps insertion order). Every store and its bound: docs/bounds.md.
 */
import { nowMs } from '../../clock';

/**
 * Makes room in a full map: every expired entry goes first; then, if less than a tenth of the bound came
 * free, the oldest live entries go until a tenth is free. A sweep is therefore followed by at least
 * maxEntries/10 inserts without one: amortised O(1) per insert. (Sweeping only until there was room made a
 * full scan per insert while entries expired one by one — 10,000 entries scanned per pushed request once
 * the PAR store was full.) The caller counts sweeps.
 */
function makeRoom<T>(entries: Map<string, T>, maxEntries: number, expired: (value: T) => boolean): void {
  for (const [k, v] of entries) if (expired(v)) entries.delete(k);
  const target = maxEntries - Math.max(1, Math.floor(maxEntries / 10));
  let excess = entries.size - target;
  if (excess <= 0) return;
  for (const k of entries.keys()) {
    if (excess-- <= 0) break;
    entries.delete(k);
  }
}

/** A bounded TTL map. */
export class TtlStore<V> {
  readonly #entries = new Map<string, { value: V; expiresAt: number }>();
  #sweeps = 0;

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

  /** Makes room (makeRoom): expired entries first, then the oldest live ones down to nine tenths of the bound. */
  #evict(): void {
    const now = nowMs();
    this.#sweeps += 1;
    makeRoom(this.#entries, this.maxEntries, (e) => e.expiresAt <= now);
  }

  /** How many times a full store made room (for tests: it stays near inserts / (maxEntries / 10)). */
  get sweeps(): number {
    return this.#sweeps;
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
  #sweeps = 0;
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

  /** Makes room (makeRoom): expired entries first, then the oldest live ones down to nine tenths of the bound. */
  #evict(): void {
    const now = nowMs() - this.#origin;
    this.#sweeps += 1;
    makeRoom(this.#entries, this.maxEntries, (at) => at <= now);
  }

  /** As TtlStore.sweeps. */
  get sweeps(): number {
    return this.#sweeps;
  }
}
