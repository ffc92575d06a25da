/**
 * HAR import: finds the OAuth exchanges of any issuer in a HAR file (discovery, JWKS, /authorize, PAR,
 * token, userinfo), keeps them with their secrets stripped, and lists what was removed (the kind and
 * where, never the value). Every other entry (pages, scripts, the sign-in form with its password) is
 * dropped unread beyond its URL and counted. Pure and browser-safe: the CLI runs it now, and the
 * renderer can run it in a Web Worker, driving `importHarSteps` chunk by chunk to show progress.
 *
 * How an entry is recognised: by the endpoints a discovery document in the same file publishes, else by
 * the paths issuers use (Auth0 `/authorize`, `/oauth/par`, `/oauth/token`, `/userinfo`; Okta `/v1/…`;
 * Keycloak `/protocol/openid-connect/…`; Entra `/oauth2/v2.0/…`) and the parameters it carries.
 */
import { decodeCompactJwt } from '../jwt/decode';
import { redactBody, redactHeaderList, redactPairs, redactUrl, REDACTED } from '../redact/secrets';
import type { HarPair, ReadEntry } from './har';
import { readHarEntry, readHarLog } from './har';

/** What an exchange is. */
export type HarExchangeKind = 'discovery' | 'jwks' | 'authorize' | 'par' | 'token' | 'userinfo';

/** The role of a JWT found in an exchange. */
export type HarJwtRole = 'requestObject' | 'clientAssertion' | 'dpopProof' | 'idToken' | 'accessToken';

/** A JWT an exchange carried (after stripping: an access token has no signature). */
export interface HarJwt {
  role: HarJwtRole;
  token: string;
  /** Where it was: `query request`, `body client_assertion`, `header DPoP`, `response id_token`. */
  where: string;
  /** True when the signature was removed (an access token: a bearer credential). */
  signatureRemoved?: true;
}

/** One OAuth exchange, secrets stripped. */
export interface HarExchange {
  /** The entry's index in log.entries (0-based). */
  entry: number;
  kind: HarExchangeKind;
  /** When the request started (the entry's startedDateTime), or null when the file has none. */
  startedAt: string | null;
  method: string;
  /** The URL, secret parameters redacted. */
  url: string;
  /** The URL without its query: the endpoint. */
  endpoint: string;
  /** The issuer a discovery document in the file gives for this endpoint's server, else ''. */
  issuer: string;
  request: {
    headers: HarPair[];
    /** Query parameters (authorize) or form parameters (PAR, token), in order, repeats kept. */
    params: [string, string][];
    contentType: string;
    body?: string;
    /** Whether the client authenticated with an Authorization: Basic header. */
    basicAuth: boolean;
  };
  response: { status: number; headers: HarPair[]; contentType: string; body?: string } | null;
  jwts: HarJwt[];
}

/** What kind of secret was removed. */
export type HarRemovedKind =
  | 'client_secret'
  | 'password'
  | 'code'
  | 'code_verifier'
  | 'refresh_token'
  | 'access_token_signature'
  | 'authorization_header'
  | 'cookie'
  | 'set-cookie'
  | 'private_key';

/** One removal: the kind, the entry and where in it; never the value. */
export interface HarRemoved {
  kind: HarRemovedKind;
  entry: number;
  where: string;
}

/** The result of an import. */
export interface HarImport {
  /** The exporter, e.g. `WebInspector 537.36` or `Postman 11`. */
  creator: string;
  version: string;
  /** Entries in the file. */
  entries: number;
  exchanges: HarExchange[];
  /** Entries that are not OAuth exchanges: dropped. */
  ignored: number;
  removed: HarRemoved[];
  /** The issuers discovery documents in the file name. */
  issuers: string[];
}

/** Progress of an import, yielded between chunks. */
export interface HarProgress {
  phase: 'discovery' | 'exchanges';
  done: number;
  total: number;
}

/** How an import is run. */
export interface HarImportOptions {
  /** Entries handled between two progress reports (default 200). */
  chunk?: number;
}

const DISCOVERY_PATH = /\/\.well-known\/(openid-configuration|oauth-authorization-server)(\/|$)/;
const PATHS: readonly [HarExchangeKind, RegExp][] = [
  ['jwks', /(\/\.well-known\/jwks\.json|\/v1\/keys|\/protocol\/openid-connect\/certs|\/discovery\/(v2\.0\/)?keys|\/jwks)\/?$/],
  ['par', /(\/oauth\/par|\/v1\/par|\/par|\/protocol\/openid-connect\/ext\/par\/request)\/?$/],
  ['token', /(\/oauth\/token|\/v1\/token|\/oauth2\/(v2\.0\/)?token|\/protocol\/openid-connect\/token|\/token)\/?$/],
  ['userinfo', /(\/userinfo|\/protocol\/openid-connect\/userinfo)\/?$/],
  ['authorize', /(\/authorize|\/protocol\/openid-connect\/auth)\/?$/],
];
const DISCOVERY_ENDPOINTS: readonly [HarExchangeKind, string][] = [
  ['authorize', 'authorization_endpoint'],
  ['par', 'pushed_authorization_request_endpoint'],
  ['token', 'token_endpoint'],
  ['userinfo', 'userinfo_endpoint'],
  ['jwks', 'jwks_uri'],
];
const AUTHORIZE_PARAMS = ['client_id', 'response_type', 'request', 'request_uri'];
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'];

/** An endpoint URL without query or fragment, for comparison. */
function endpointOf(url: string): string | null {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
  } catch {
    return null;
  }
}

function header(headers: readonly HarPair[], name: string): string | undefined {
  return headers.find((h) => h.name.toLowerCase() === name)?.value;
}

/** A response's text, decoded when the exporter stored it as base64 (DevTools does for some types). */
function contentText(content: NonNullable<ReadEntry['response']>['content']): string | undefined {
  const text = content?.text ?? undefined;
  if (text === undefined) return undefined;
  if (content?.encoding !== 'base64') return text;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(atob(text), (c) => c.charCodeAt(0)));
  } catch {
    return undefined;
  }
}

/** The endpoints discovery documents publish, by kind, and each document's issuer. */
interface Discovered {
  byEndpoint: Map<string, { kind: HarExchangeKind; issuer: string }>;
  issuerByOrigin: Map<string, string>;
  issuers: string[];
}

function readDiscovery(entry: unknown, found: Discovered): void {
  const e = entry as { request?: { url?: unknown }; response?: { status?: unknown; content?: { text?: unknown; encoding?: unknown } } } | null;
  const url = typeof e?.request?.url === 'string' ? e.request.url : '';
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return;
  }
  if (!DISCOVERY_PATH.test(path) || e?.response?.status !== 200) return;
  const text = contentText(e.response.content as NonNullable<ReadEntry['response']>['content']);
  if (text === undefined) return;
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return;
  }
  const issuer = typeof doc['issuer'] === 'string' ? doc['issuer'] : '';
  if (issuer === '') return;
  if (!found.issuers.includes(issuer)) found.issuers.push(issuer);
  for (const [kind, member] of DISCOVERY_ENDPOINTS) {
    const value = doc[member];
    const endpoint = typeof value === 'string' ? endpointOf(value) : null;
    if (endpoint !== null) found.byEndpoint.set(endpoint, { kind, issuer });
  }
  try {
    found.issuerByOrigin.set(new URL(url).origin, issuer);
  } catch {
    // The URL was read above.
  }
}

/** What an entry is, or null for an entry that is not an OAuth exchange. */
function classify(entry: ReadEntry, found: Discovered): { kind: HarExchangeKind; issuer: string } | null {
  const method = entry.request.method.toUpperCase();
  if (method === 'OPTIONS') return null;
  let url: URL;
  try {
    url = new URL(entry.request.url);
  } catch {
    return null;
  }
  const origin = url.origin;
  const issuer = found.issuerByOrigin.get(origin) ?? '';
  if (DISCOVERY_PATH.test(url.pathname)) return { kind: 'discovery', issuer };
  const published = found.byEndpoint.get(`${origin}${url.pathname.replace(/\/+$/, '')}`);
  let kind = published?.kind ?? PATHS.find(([, re]) => re.test(url.pathname))?.[0] ?? null;
  if (kind === null) return null;
  // A path alone is weak evidence: an authorize page carries OAuth parameters, PAR and token are POSTs.
  if (published === undefined) {
    if (kind === 'authorize' && !AUTHORIZE_PARAMS.some((p) => url.searchParams.has(p))) kind = null;
    if ((kind === 'par' || kind === 'token') && method !== 'POST') kind = null;
  }
  return kind === null ? null : { kind, issuer: published?.issuer ?? issuer };
}

/** A JWKS with any private member removed (a JWKS endpoint publishing `d` is a leak Parley does not keep). */
function publicJwks(text: string, removed: (kind: HarRemovedKind, where: string) => void): string {
  let doc: { keys?: unknown };
  try {
    doc = JSON.parse(text) as { keys?: unknown };
  } catch {
    return text;
  }
  if (!Array.isArray(doc.keys)) return text;
  let changed = false;
  const keys = doc.keys.map((k: unknown) => {
    if (typeof k !== 'object' || k === null) return k;
    const entries = Object.entries(k);
    const kept = entries.filter(([name]) => !PRIVATE_JWK_MEMBERS.includes(name));
    if (kept.length === entries.length) return k;
    changed = true;
    removed('private_key', 'response body (a private JWK member)');
    return Object.fromEntries(kept);
  });
  return changed ? JSON.stringify({ ...doc, keys }) : text;
}

const REMOVED_KINDS: Record<string, HarRemovedKind> = {
  client_secret: 'client_secret',
  password: 'password',
  code: 'code',
  code_verifier: 'code_verifier',
  refresh_token: 'refresh_token',
  access_token: 'access_token_signature',
  authorization: 'authorization_header',
  cookie: 'cookie',
  'set-cookie': 'set-cookie',
};

function isJws(value: string | undefined): value is string {
  if (value === undefined || value === '' || value === REDACTED) return false;
  try {
    decodeCompactJwt(value, { maxBytes: 2_200_000 });
    return true;
  } catch {
    return false;
  }
}

/** Reads, classifies and strips one entry; null when it is not an OAuth exchange. */
function exchangeOf(raw: unknown, index: number, found: Discovered, removedList: HarRemoved[]): HarExchange | null {
  // Every entry is checked (a broken one is named), but only an OAuth exchange is kept, stripped.
  const entry = readHarEntry(raw, index);
  const what = classify(entry, found);
  if (what === null) return null;
  const removedIn = (where: string) => (name: string) => removedList.push({ kind: REMOVED_KINDS[name] ?? 'client_secret', entry: index, where });
  const removed = (kind: HarRemovedKind, where: string) => removedList.push({ kind, entry: index, where });

  const req = entry.request;
  const url = redactUrl(req.url, removedIn('request URL'));
  const basicAuth = /^basic\s/i.test(header(req.headers, 'authorization') ?? '');
  const headers = redactHeaderList(req.headers, removedIn('request headers'));
  if (req.cookies.length > 0) removed('cookie', `request cookies (${req.cookies.length})`);
  const contentType = header(req.headers, 'content-type') ?? req.postData?.mimeType ?? '';
  let body: string | undefined;
  if (req.postData?.text != null) {
    body = redactBody(req.postData.text, contentType || 'application/x-www-form-urlencoded', removedIn('request body'));
  } else if (req.postData?.params != null) {
    // Postman-style: the form as a list of pairs, not as text.
    const pairs = redactPairs(
      req.postData.params.map((p) => ({ name: p.name, value: p.value ?? '' })),
      removedIn('request body'),
    );
    body = new URLSearchParams(pairs.map((p): [string, string] => [p.name, p.value])).toString();
  }
  const endpoint = endpointOf(url) ?? url;
  let params: [string, string][] = [];
  if (what.kind === 'authorize') params = [...new URL(url).searchParams];
  else if (body !== undefined && !body.trimStart().startsWith('{')) params = [...new URLSearchParams(body)];

  let response: HarExchange['response'] = null;
  const res = entry.response;
  if (res != null) {
    const resHeaders = redactHeaderList(res.headers, removedIn('response headers'));
    if (res.cookies.length > 0) removed('set-cookie', `response cookies (${res.cookies.length})`);
    const resType = header(res.headers, 'content-type') ?? res.content?.mimeType ?? '';
    let resBody = contentText(res.content);
    if (resBody !== undefined) {
      resBody = redactBody(resBody, resType.includes('json') || resBody.trimStart().startsWith('{') ? 'application/json' : resType, removedIn('response body'));
      if (what.kind === 'jwks') resBody = publicJwks(resBody, removed);
    }
    if (res.redirectURL) redactUrl(res.redirectURL, removedIn('response redirectURL'));
    response = { status: res.status, headers: resHeaders, contentType: resType, ...(resBody === undefined ? {} : { body: resBody }) };
  }

  const jwts: HarJwt[] = [];
  const source = what.kind === 'authorize' ? 'query' : 'body';
  for (const [name, value] of params) {
    if (name === 'request' && isJws(value)) jwts.push({ role: 'requestObject', token: value, where: `${source} request` });
    if (name === 'client_assertion' && isJws(value)) jwts.push({ role: 'clientAssertion', token: value, where: `${source} client_assertion` });
  }
  const dpop = header(req.headers, 'dpop');
  if (isJws(dpop)) jwts.push({ role: 'dpopProof', token: dpop, where: 'header DPoP' });
  if (what.kind === 'token' && response?.body !== undefined) {
    try {
      const doc = JSON.parse(response.body) as Record<string, unknown>;
      const idToken = typeof doc['id_token'] === 'string' ? doc['id_token'] : undefined;
      if (isJws(idToken)) jwts.push({ role: 'idToken', token: idToken, where: 'response id_token' });
      const accessToken = typeof doc['access_token'] === 'string' ? doc['access_token'] : undefined;
      if (isJws(accessToken)) jwts.push({ role: 'accessToken', token: accessToken, where: 'response access_token', signatureRemoved: true });
    } catch {
      // Not JSON: an error page; nothing to read.
    }
  }

  return {
    entry: index,
    kind: what.kind,
    startedAt: entry.startedDateTime ?? null,
    method: req.method.toUpperCase(),
    url,
    endpoint,
    issuer: what.issuer,
    request: { headers, params, contentType, ...(body === undefined ? {} : { body }), basicAuth },
    response,
    jwts,
  };
}

/**
 * The import as steps: yields progress between chunks of entries and returns the result. A Web Worker
 * drives it with `next()` and posts each progress; the one JSON.parse of the file happens first.
 * Throws `HarReadError` (naming the problem) for a file that is not a readable HAR.
 */
export function* importHarSteps(text: string, options: HarImportOptions = {}): Generator<HarProgress, HarImport, void> {
  const chunk = Math.max(1, options.chunk ?? 200);
  const log = readHarLog(text);
  const total = log.entries.length;
  const found: Discovered = { byEndpoint: new Map(), issuerByOrigin: new Map(), issuers: [] };
  // First pass: the discovery documents, so that every endpoint they publish is recognised wherever it is.
  for (let i = 0; i < total; i++) {
    readDiscovery(log.entries[i], found);
    if ((i + 1) % chunk === 0) yield { phase: 'discovery', done: i + 1, total };
  }
  const exchanges: HarExchange[] = [];
  const removed: HarRemoved[] = [];
  for (let i = 0; i < total; i++) {
    const exchange = exchangeOf(log.entries[i], i, found, removed);
    if (exchange !== null) exchanges.push(exchange);
    if ((i + 1) % chunk === 0) yield { phase: 'exchanges', done: i + 1, total };
  }
  return { creator: log.creator, version: log.version, entries: total, exchanges, ignored: total - exchanges.length, removed, issuers: found.issuers };
}

/** The whole import at once (the CLI; a worker may drive importHarSteps instead). */
export function importHar(text: string, options: HarImportOptions = {}): HarImport {
  const steps = importHarSteps(text, options);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}
