/**
 * The query parameters Auth0's list and read endpoints take, minimally: `fields`/`include_fields`
 * (which, as recorded, never filters out `signing_keys`), and `page`/`per_page`/`include_totals`.
 */
import { ManagementError } from '../errors';

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
  const names = fields
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  const include = text(query, 'include_fields') !== 'false';
  // Recorded: `fields=client_id` still returns signing_keys (TestAccClientCanSetDefaultAuthMethodOnCreate).
  return Object.fromEntries(Object.entries(obj).filter(([k]) => (include ? names.includes(k) || k === 'signing_keys' : !names.includes(k))));
}

/** What a list request asks for: the slice `[start, start + limit)` and whether to wrap it with totals. */
export interface Paging {
  page: number;
  perPage: number;
  start: number;
  includeTotals: boolean;
}

// Auth0's reference: "Number of results per page. Default value is 50, maximum value is 100" and "Page index of
// the results to return. First page is 0." Its validator's messages (z-schema) name the value and the bound.
const PER_PAGE = 'per_page (Number of results per page. Default value is 50, maximum value is 100)';
const PAGE = 'page (Page index of the results to return. First page is 0.)';

function queryError(detail: string, property: string): ManagementError {
  return new ManagementError(400, 'invalid_query_string', `Query validation error: '${detail}' on property ${property}.`);
}

function integer(raw: string, property: string, min: number, max: number): number {
  if (!/^-?\d+$/.test(raw.trim()))
    throw queryError(`Expected type integer but found type ${raw.trim() === '' || Number.isNaN(Number(raw)) ? 'string' : 'number'}`, property);
  const n = Number(raw);
  if (n < min) throw queryError(`Value ${n} is less than minimum ${min}`, property);
  if (n > max) throw queryError(`Value ${n} is greater than maximum ${max}`, property);
  return n;
}

/**
 * Reads `page`, `per_page` and `include_totals` as Auth0's list endpoints do: 50 per page by default, at most
 * 100, pages from 0; a value out of range or not an integer is Auth0's 400 `invalid_query_string`, never clamped.
 */
export function paging(query: Query): Paging {
  const rawPerPage = text(query, 'per_page');
  const rawPage = text(query, 'page');
  const perPage = rawPerPage === undefined ? 50 : integer(rawPerPage, PER_PAGE, 1, 100);
  const page = rawPage === undefined ? 0 : integer(rawPage, PAGE, 0, Number.MAX_SAFE_INTEGER);
  return { page, perPage, start: page * perPage, includeTotals: text(query, 'include_totals') === 'true' };
}

/** A page of a list; with `include_totals=true` wrapped as Auth0 does (`{start, limit, length, total, <key>}`). */
export function pageResult<T>(slice: T[], total: number, p: Paging, key: string): T[] | Record<string, unknown> {
  if (!p.includeTotals) return slice;
  return { start: p.start, limit: p.perPage, length: slice.length, total, [key]: slice };
}

/** Pages a whole list held in memory. */
export function page<T>(items: readonly T[], query: Query, key: string): T[] | Record<string, unknown> {
  const p = paging(query);
  return pageResult(items.slice(p.start, p.start + p.perPage), items.length, p, key);
}

/** GET /api/v2/connections's filters: `strategy` (repeated or one) and `name`. */
export function connectionFilter(query: Query): { strategies?: string[]; name?: string } {
  const raw = query.strategy;
  const strategies = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw.filter((s): s is string => typeof s === 'string') : undefined;
  const name = text(query, 'name');
  return { ...(strategies === undefined ? {} : { strategies }), ...(name === undefined ? {} : { name }) };
}

const TAKE = 'take (The total amount of entries to retrieve when using the from parameter. Defaults to 50.)';

/**
 * Checkpoint pagination (`from`, `take`), as Auth0's connection list offers it beside page/per_page and
 * node-auth0 7 uses it: `from` is the id of the first item of the page (opaque to callers), the answer
 * `{ <key>: [...], next? }`, with `next` only while items remain. `include_totals` is ignored here, as Auth0 does.
 */
export function checkpoint<T extends Record<string, unknown>>(items: readonly T[], query: Query, key: string): Record<string, unknown> {
  const rawTake = text(query, 'take');
  const take = rawTake === undefined ? 50 : integer(rawTake, TAKE, 1, 100);
  const from = text(query, 'from');
  let start = 0;
  if (from !== undefined && from !== '') {
    start = items.findIndex((item) => item.id === from);
    if (start < 0) throw new ManagementError(400, 'invalid_query_string', `Query validation error: 'Invalid value' on property from.`);
  }
  const slice = items.slice(start, start + take);
  const next = items[start + take]?.id;
  return { [key]: slice, ...(typeof next === 'string' ? { next } : {}) };
}
