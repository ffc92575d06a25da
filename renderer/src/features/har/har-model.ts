/**
 * What the HAR panel shows of an import, computed without React: the removals counted by kind (one line,
 * "Removed: 2 cookies, 1 password…"), each exchange's row (kind, method, host and path, status, time),
 * the client's public key when the file itself holds it (a JWKS response with the kid the exchange's JWT
 * names), and the exchange as the core's `har.caseFromExchange` takes it. Types only from shared/har, so
 * nothing here pulls zod into the screen's chunk (the worker reads the file).
 */
import type { HarExchange, HarImport, HarRemoved, HarRemovedKind } from '../../../../shared/har/import';
import { decodeCompactJwt } from '../../../../shared/jwt/decode';

/** The kinds of removal in the order the summary names them (the worst first). */
export const REMOVED_KINDS: readonly HarRemovedKind[] = [
  'client_secret',
  'password',
  'private_key',
  'refresh_token',
  'code',
  'code_verifier',
  'authorization_header',
  'access_token_signature',
  'cookie',
  'set-cookie',
];

/** How many of each kind were removed (only kinds with at least one), in REMOVED_KINDS order. */
export function removedCounts(removed: readonly HarRemoved[]): { kind: HarRemovedKind; count: number }[] {
  const counts = new Map<HarRemovedKind, number>();
  // A request's cookies are reported twice, as its Cookie header and as its HAR `cookies` list ("request
  // cookies (3)"): per entry, the larger of the two is the number of cookies it carried.
  const cookies = new Map<string, { header: number; list: number }>();
  for (const r of removed) {
    if (r.kind === 'cookie' || r.kind === 'set-cookie') {
      const key = `${r.kind} ${r.entry}`;
      const seen = cookies.get(key) ?? { header: 0, list: 0 };
      const listed = /\((\d+)\)$/.exec(r.where);
      if (listed) seen.list += Number(listed[1]);
      else seen.header += 1;
      cookies.set(key, seen);
      continue;
    }
    counts.set(r.kind, (counts.get(r.kind) ?? 0) + 1);
  }
  for (const [key, seen] of cookies) {
    const kind = key.startsWith('set-cookie') ? 'set-cookie' : 'cookie';
    counts.set(kind, (counts.get(kind) ?? 0) + Math.max(seen.header, seen.list));
  }
  return REMOVED_KINDS.filter((k) => (counts.get(k) ?? 0) > 0).map((kind) => ({ kind, count: counts.get(kind)! }));
}

/** One row of the exchange list. */
export interface ExchangeRow {
  kind: HarExchange['kind'];
  method: string;
  host: string;
  path: string;
  /** The response status, or null when none was recorded (0: the request failed). */
  status: number | null;
  /** When it started, as the file says (ISO), or null. */
  startedAt: string | null;
  /** An error answer (status ≥ 400, 0, or a redirect carrying error=). */
  failed: boolean;
}

/** The row of an exchange. */
export function exchangeRow(exchange: HarExchange): ExchangeRow {
  let host = '';
  let path = exchange.endpoint;
  try {
    const url = new URL(exchange.url);
    host = url.host;
    path = url.pathname;
  } catch {
    // The endpoint as the import kept it.
  }
  const status = exchange.response?.status ?? null;
  const location = exchange.response?.headers.find((h) => h.name.toLowerCase() === 'location')?.value ?? '';
  let redirectError = false;
  try {
    redirectError = status !== null && status >= 300 && status < 400 && new URL(location, exchange.url).searchParams.has('error');
  } catch {
    redirectError = false;
  }
  return {
    kind: exchange.kind,
    method: exchange.method,
    host,
    path,
    status,
    startedAt: exchange.startedAt,
    failed: status === 0 || (status !== null && status >= 400) || redirectError,
  };
}

/** The exchanges a case can be made of (a request the embedded server judges). */
export function canReproduce(exchange: HarExchange): boolean {
  return exchange.kind === 'authorize' || exchange.kind === 'par' || exchange.kind === 'token';
}

function kidsOf(exchange: HarExchange): string[] {
  const kids: string[] = [];
  for (const jwt of exchange.jwts) {
    if (jwt.role !== 'requestObject' && jwt.role !== 'clientAssertion') continue;
    try {
      const kid = decodeCompactJwt(jwt.token, { maxBytes: 1_100_000 }).header['kid'];
      if (typeof kid === 'string') kids.push(kid);
    } catch {
      // A token that does not decode names no kid.
    }
  }
  return kids;
}

/**
 * The client's public key when the file holds it: a JWKS response (the client's jwks_uri fetched in the
 * same session) with a key whose kid the exchange's request object or client assertion names. Private
 * members were removed on import; the JWKS is returned as the file had it otherwise.
 */
export function keyFromHar(imported: HarImport, exchange: HarExchange): string | null {
  const kids = kidsOf(exchange);
  if (kids.length === 0) return null;
  for (const candidate of imported.exchanges) {
    if (candidate.kind !== 'jwks' || candidate.response?.body === undefined) continue;
    try {
      const doc = JSON.parse(candidate.response.body) as { keys?: { kid?: unknown }[] };
      if (Array.isArray(doc.keys) && doc.keys.some((k) => typeof k?.kid === 'string' && kids.includes(k.kid))) return candidate.response.body;
    } catch {
      // Not JSON: not a key set.
    }
  }
  return null;
}

/** The exchange as `har.caseFromExchange` takes it. */
export function caseInput(exchange: HarExchange) {
  const { request, response } = exchange;
  return {
    kind: exchange.kind as 'authorize' | 'par' | 'token',
    method: exchange.method,
    url: exchange.url,
    startedAt: exchange.startedAt,
    request: { headers: request.headers, basicAuth: request.basicAuth, ...(request.body === undefined ? {} : { body: request.body }) },
    response:
      response === null ? null : { status: response.status, headers: response.headers, ...(response.body === undefined ? {} : { body: response.body }) },
  };
}

/** The largest file the panel reads (the CLI's limit too): past it, the one JSON.parse would hold the worker for long and use gigabytes. */
export const MAX_HAR_BYTES = 100 * 1024 * 1024;

/** How far an import is, 0…1, or null while the step has no count (reading the file, parsing its JSON). */
export function progressRatio(progress: { phase: 'reading' | 'parsing' | 'discovery' | 'exchanges'; done: number; total: number }): number | null {
  if (progress.phase === 'reading' || progress.phase === 'parsing' || progress.total <= 0) return null;
  // Two passes over the entries: discovery documents first, then the exchanges (the longer one).
  const share = Math.min(1, progress.done / progress.total);
  return progress.phase === 'discovery' ? share * 0.2 : 0.2 + share * 0.8;
}

/** For an authorization request by `request_uri`: the PAR exchange whose answer gave that request_uri, if the file has it. */
export function pushedFor(imported: HarImport, exchange: HarExchange): HarExchange | null {
  if (exchange.kind !== 'authorize') return null;
  const uri = exchange.request.params.find(([name]) => name === 'request_uri')?.[1];
  if (uri === undefined || uri === '') return null;
  return (
    imported.exchanges.find((candidate) => {
      if (candidate.kind !== 'par' || candidate.response?.body === undefined) return false;
      try {
        return (JSON.parse(candidate.response.body) as { request_uri?: unknown }).request_uri === uri;
      } catch {
        return false;
      }
    }) ?? null
  );
}
