/**
 * The query parameters Auth0's list and read endpoints take, minimally: `fields`/`include_fields`
 * (which, as recorded, never filters out `signing_keys`), and `page`/`per_page`/`include_totals`.
 */

/** The raw query of a request. */
export type Query = Record<string, unknown>;

function text(query: Query, key: string): string | undefined {
  const v = query[key];
  return typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined;
}

/** Applies `fields`/`include_fields` to one object. */
export function pickFields<T extends Record<string, unknown>>(obj: T, query: Query): Record<string, unknown> {
  const fields = text(query, 'fields');
  if (!fields) return obj;
  const names = fields.split(',').map((f) => f.trim()).filter(Boolean);
  const include = text(query, 'include_fields') !== 'false';
  // Recorded: `fields=client_id` still returns signing_keys (TestAccClientCanSetDefaultAuthMethodOnCreate).
  return Object.fromEntries(Object.entries(obj).filter(([k]) => (include ? names.includes(k) || k === 'signing_keys' : !names.includes(k))));
}

/** Pages a list; with `include_totals=true` wraps it as Auth0 does (`{start, limit, length, total, <key>}`). */
export function page<T>(items: T[], query: Query, key: string): T[] | Record<string, unknown> {
  const perPage = Math.min(100, Math.max(1, Number.parseInt(text(query, 'per_page') ?? '50', 10) || 50));
  const pageNo = Math.max(0, Number.parseInt(text(query, 'page') ?? '0', 10) || 0);
  const paged = text(query, 'page') !== undefined || text(query, 'per_page') !== undefined;
  const slice = paged ? items.slice(pageNo * perPage, (pageNo + 1) * perPage) : items;
  if (text(query, 'include_totals') !== 'true') return slice;
  return { start: paged ? pageNo * perPage : 0, limit: paged ? perPage : items.length, length: slice.length, total: items.length, [key]: slice };
}
