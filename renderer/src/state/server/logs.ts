/** The server slice's request log: the traces the Logs tab shows, kept current by `server.trace` events. */
import type { RequestTrace } from '../../../../shared/schemas/server';
import { traceHostTimeMs } from '../../../../shared/schemas/trace-time';
import type { HarCreator } from '../../../../shared/har/export';
import { redactText } from '../../../../shared/redact/secrets';
import { call } from '../../api/client';
import type { ServerTools } from './tools';

/** The Logs tab's filters; empty strings mean "any". */
export interface LogFilter {
  endpoint: string;
  clientId: string;
  failedOnly: boolean;
}

/** The most traces the renderer keeps (the core keeps more; older ones are one filter away). */
export const MAX_LOGS = 500;

/** Logs state, under `server`. */
export interface LogsState {
  /** Newest first, at most MAX_LOGS, matching `logFilter`. */
  logs: RequestTrace[];
  logsLoaded: boolean;
  logsError: unknown;
  logFilter: LogFilter;
  /** The free-text search over the traces shown (`searchTraces`); the renderer's own, never sent to the core. */
  logQuery: string;
}

/** Logs actions. */
export interface LogsActions {
  loadLogs(): Promise<void>;
  setLogFilter(patch: Partial<LogFilter>): void;
  setLogQuery(query: string): void;
  /** Adds a live trace from `server.trace`. */
  onServerTrace(trace: RequestTrace): void;
  clearLogs(): Promise<number>;
}

export const emptyLogs: LogsState = {
  logs: [],
  logsLoaded: false,
  logsError: null,
  logFilter: { endpoint: '', clientId: '', failedOnly: false },
  logQuery: '',
};

/** Whether a trace matches the Logs filters (the core applies the same ones to `server.listLogs`). */
export function traceMatches(trace: RequestTrace, filter: LogFilter): boolean {
  if (filter.endpoint && trace.endpoint !== filter.endpoint) return false;
  if (filter.clientId && trace.clientId !== filter.clientId) return false;
  if (filter.failedOnly && trace.status < 400) return false;
  return true;
}

/** Merges traces newest first, without duplicates, capped at MAX_LOGS. */
export function mergeTraces(...lists: readonly RequestTrace[][]): RequestTrace[] {
  const seen = new Set<string>();
  const merged: RequestTrace[] = [];
  for (const trace of lists.flat()) {
    if (seen.has(trace.id)) continue;
    seen.add(trace.id);
    merged.push(trace);
  }
  // By the host's clock: a trace's `at` is the server's simulated time, which moves when its clock offset does.
  // The sort is stable for equal instants.
  merged.sort((a, b) => traceHostTimeMs(b) - traceHostTimeMs(a));
  return merged.slice(0, MAX_LOGS);
}

/**
 * Whether a trace is a Management API call that changed something, or a dynamic registration (/oidc/register
 * creates a client), so the lists are stale.
 */
function changedManagementData(trace: RequestTrace): boolean {
  return (trace.endpoint.startsWith('management') || trace.endpoint === 'register') && trace.method !== 'GET' && trace.status < 400;
}

let logsSeq = 0;
/** Live traces received while a `server.listLogs` is in flight; merged into its answer. */
let liveDuringLoad: RequestTrace[] | null = null;

/** The logs actions. */
export function logsActions({ set, get, patch, scheduleRefresh }: ServerTools): LogsActions {
  return {
    async loadLogs() {
      const seq = ++logsSeq;
      const filter = get().server.logFilter;
      liveDuringLoad = [];
      try {
        const traces = await call('server.listLogs', {
          limit: MAX_LOGS,
          ...(filter.endpoint ? { endpoint: filter.endpoint } : {}),
          ...(filter.clientId ? { clientId: filter.clientId } : {}),
          ...(filter.failedOnly ? { failedOnly: true } : {}),
        });
        if (seq !== logsSeq) return;
        const live = liveDuringLoad;
        liveDuringLoad = null;
        patch({ logs: mergeTraces(live, traces), logsLoaded: true, logsError: null });
      } catch (e) {
        if (seq !== logsSeq) return;
        liveDuringLoad = null;
        patch({ logsLoaded: true, logsError: e });
      }
    },
    setLogQuery(query) {
      patch({ logQuery: query });
    },
    setLogFilter(next) {
      const logFilter = { ...get().server.logFilter, ...next };
      // Keep what is already shown and matches, so the table does not blink while the core answers.
      set((s) => ({ server: { ...s.server, logFilter, logs: s.server.logs.filter((t) => traceMatches(t, logFilter)) } }));
      void get().loadLogs();
    },
    onServerTrace(trace) {
      if (traceMatches(trace, get().server.logFilter)) {
        liveDuringLoad?.push(trace);
        set((s) => ({ server: { ...s.server, logs: mergeTraces([trace], s.server.logs) } }));
      }
      if (changedManagementData(trace)) scheduleRefresh();
    },
    async clearLogs() {
      const { cleared } = await call('server.clearLogs', {});
      logsSeq++;
      liveDuringLoad = null;
      patch({ logs: [], logsLoaded: true, logsError: null });
      return cleared;
    },
  };
}

// ---------- Search ----------

/**
 * What a search term can be: a rule id (of a rule that failed: the "Failed rule" column and the failures
 * in the trace), a client's client_id, a client assertion's or request object's jti, a pushed request's
 * request_uri, or the error (its code, or words of its description).
 */
export type LogSearchKind = 'rule' | 'client' | 'jti' | 'request_uri' | 'error';

/** The prefixes that narrow a term to one kind (`rule:JAR-11`, `client_id:abc`). */
const PREFIXES: Readonly<Record<string, LogSearchKind>> = {
  rule: 'rule',
  client: 'client',
  client_id: 'client',
  jti: 'jti',
  request_uri: 'request_uri',
  error: 'error',
};

/** One term of a query: its kind when prefixed, the text to find (lower-cased). */
interface SearchTerm {
  kind: LogSearchKind | null;
  text: string;
}

/** A query as terms: whitespace separates them, every term must match (`client:abc JAR-11`). */
export function parseLogQuery(query: string): SearchTerm[] {
  return query
    .trim()
    .split(/\s+/)
    .filter((word) => word !== '')
    .map((word) => {
      const colon = word.indexOf(':');
      const kind = colon > 0 ? PREFIXES[word.slice(0, colon).toLowerCase()] : undefined;
      // `urn:ietf:params:…` has colons too: only a known prefix narrows the term.
      return kind === undefined ? { kind: null, text: word.toLowerCase() } : { kind, text: word.slice(colon + 1).toLowerCase() };
    })
    .filter((term) => term.text !== '');
}

/** A value a trace matched by, for the row to show (`jti` `a1b2…`). */
export interface LogMatch {
  kind: LogSearchKind;
  value: string;
}

const REQUEST_URI = /urn:ietf:params:oauth:request_uri:[A-Za-z0-9._~-]+/g;
/** The rules' values that are a jti: `jti abc already used`, or the assertion's own jti as the actual of its jti rule. */
const JTI_IN_TEXT = /\bjti\s+"?([^\s"]+)"?\s+(?:already|seen)\b/;
const NOT_A_JTI = new Set(['first use', '(absent)', '(empty)']);

/** The searchable values of a trace, by kind. Identifiers are whole values; the error's description is text. */
export function traceSearchValues(trace: RequestTrace): { ids: LogMatch[]; description: string | null } {
  const ids: LogMatch[] = [];
  const add = (kind: LogSearchKind, value: string | undefined) => {
    if (value && !ids.some((m) => m.kind === kind && m.value === value)) ids.push({ kind, value });
  };
  add('rule', trace.failedRule);
  for (const rule of trace.rules) if (!rule.passed) add('rule', rule.id);
  add('client', trace.clientId);
  add('error', trace.error);
  for (const rule of trace.rules) {
    for (const text of [rule.expected, rule.actual, rule.message]) for (const m of (text ?? '').matchAll(REQUEST_URI)) add('request_uri', m[0]);
    const actual = rule.actual ?? '';
    const said = JTI_IN_TEXT.exec(actual);
    if (said) add('jti', said[1]);
    else if (/\bjti\b/.test(rule.expected ?? '') && !NOT_A_JTI.has(actual) && /^"?[^\s"]+"?$/.test(actual)) add('jti', actual.replace(/^"|"$/g, ''));
  }
  return { ids, description: trace.errorDescription ?? null };
}

/**
 * What of a trace a query matches, or null when it does not match. An identifier (rule id, client_id, jti,
 * request_uri, error code) matches only as a whole value, case-insensitively: `abc` does not find the
 * client `abc123`, and `JAR-1` does not find `JAR-11`. The error's description matches by substring. A
 * term without a prefix may match any kind; with one, only its kind. An empty query matches every trace.
 */
export function matchTrace(trace: RequestTrace, terms: readonly SearchTerm[]): LogMatch[] | null {
  if (terms.length === 0) return [];
  const { ids, description } = traceSearchValues(trace);
  const matched: LogMatch[] = [];
  for (const term of terms) {
    const byId = ids.filter((m) => (term.kind === null || term.kind === m.kind) && m.value.toLowerCase() === term.text);
    const byText = (term.kind === null || term.kind === 'error') && description !== null && description.toLowerCase().includes(term.text);
    if (byId.length === 0 && !byText) return null;
    for (const m of byId) if (!matched.includes(m)) matched.push(m);
    if (byId.length === 0 && description !== null) matched.push({ kind: 'error', value: description });
  }
  return matched;
}

/** The traces a query matches, in order, each with what it matched by. */
export function searchTraces(traces: readonly RequestTrace[], query: string): { trace: RequestTrace; matches: LogMatch[] }[] {
  const terms = parseLogQuery(query);
  const out: { trace: RequestTrace; matches: LogMatch[] }[] = [];
  for (const trace of traces) {
    const matches = matchTrace(trace, terms);
    if (matches !== null) out.push({ trace, matches });
  }
  return out;
}

// ---------- Export ----------

/** What an export of the logs says about itself. */
export interface LogsExportContext {
  issuer: string;
  creator: HarCreator;
  /** When it was made (ISO 8601). */
  exportedAt: string;
  filter: LogFilter;
  query: string;
}

/**
 * The traces shown (filtered and searched) as one JSON document: what was exported, then the traces as the
 * core gave them (no headers, no bodies). The text passes the free-text redaction all the same: a rule's
 * value can quote a URL or a token.
 */
export function logsJson(traces: readonly RequestTrace[], ctx: LogsExportContext): string {
  const doc = {
    exportedBy: `${ctx.creator.name} ${ctx.creator.version}`,
    exportedAt: ctx.exportedAt,
    issuer: ctx.issuer,
    filter: { ...ctx.filter, query: ctx.query },
    count: traces.length,
    traces,
  };
  return redactText(`${JSON.stringify(doc, null, 2)}\n`);
}

/** The traces shown as HAR 1.2 (shared/har/export), oldest first; the HAR code is loaded when first asked for (it is not in the first chunk). */
export async function logsHar(traces: readonly RequestTrace[], ctx: LogsExportContext): Promise<string> {
  const { harFromTraces } = await import('../../../../shared/har/export');
  return `${JSON.stringify(harFromTraces(traces, ctx.issuer, ctx.creator), null, 2)}\n`;
}

/** A file name for an export: `parley-logs-2026-12-07T18-30-00.json`. */
export function logsFileName(exportedAt: string, extension: 'json' | 'har'): string {
  return `parley-logs-${exportedAt.slice(0, 19).replace(/:/g, '-')}.${extension}`;
}
