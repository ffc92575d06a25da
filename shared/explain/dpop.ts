/**
 * Explaining a DPoP proof (dpop-rules.md §11 "Explainer"): a pasted proof with the request line it was
 * sent with, judged by the rules the embedded server runs (shared/jwt/lint.ts lintDpopProof, failures
 * first), plus the three views no other tool gives: the `htu` lens (the server's URL beside the proof's,
 * component by component, the differing part and its usual cause named), the clock line (proof `iat`,
 * server time, the window, the skew measured from a response `Date`), and a flow step's nonce history
 * (challenge, retry, rotation). Pure and browser-safe, so the app and the command line share it.
 */
import type { ProfileId } from '../jwt/profiles';
import { decodeCompactJwt } from '../jwt/decode';
import { compareHtu } from '../jwt/dpop-htu';
import type { HtuCause, HtuComponents, HtuPart } from '../jwt/dpop-htu';
import { jwkThumbprint, publicJwkProblem, publicMembers } from '../jwt/dpop-keys';
import { lintDpopProof } from '../jwt/lint';
import { dpopPolicyFor } from '../jwt/rules/dpop-proof';
import type { RuleOutcome } from '../jwt/rule';
import type { FlowExchange, FlowStep } from '../schemas/flows';
import type { Explanation } from './explain';
import { explainOutcomes } from './explain';

// ---------- The request line ----------

/** The request a proof was sent with: `POST https://tenant.example.com/oauth/token`. */
export interface DpopRequestLine {
  method: string;
  url: string;
}

/** Why a request line could not be read. */
export type RequestLineErrorCode = 'line-empty' | 'line-format' | 'line-url';

export type RequestLineParse = { ok: true; line: DpopRequestLine } | { ok: false; code: RequestLineErrorCode; message: string };

/**
 * Reads `METHOD URL` (an HTTP version after it, as copied from a log or a HAR viewer, is allowed). The method
 * is kept as written: DPP-8 compares it exactly, so a lowercase `post` is the user's to see, not to fix.
 */
export function parseRequestLine(text: string): RequestLineParse {
  const trimmed = text.trim();
  if (trimmed === '')
    return { ok: false, code: 'line-empty', message: 'Give the request the proof was sent with, e.g. POST https://tenant.example.com/oauth/token.' };
  const parts = trimmed.split(/\s+/);
  if (parts.length < 2 || parts.length > 3 || (parts.length === 3 && !/^HTTP\/\d(\.\d)?$/i.test(parts[2]!)) || !/^[A-Za-z]+$/.test(parts[0]!)) {
    return { ok: false, code: 'line-format', message: 'A request line is a method and an absolute URL, e.g. POST https://tenant.example.com/oauth/token.' };
  }
  const [method, url] = parts as [string, string];
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, code: 'line-url', message: `${url.slice(0, 80)} is not an absolute http(s) URL.` };
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    return { ok: false, code: 'line-url', message: `${url.slice(0, 80)} is not an absolute http(s) URL.` };
  return { ok: true, line: { method, url } };
}

// ---------- The htu lens ----------

/** A component row of the lens. */
export type HtuLensPart = 'scheme' | 'host' | 'port' | 'path' | 'query' | 'fragment';

/** One row: the server's value beside the proof's, and whether this is where they differ. */
export interface HtuLensRow {
  part: HtuLensPart;
  expected: string;
  actual: string;
  /** The first differing component (the one to fix). */
  differs: boolean;
  /** A query or fragment in the proof: stripped before comparing, never the cause (DPP-9). */
  ignored: boolean;
}

/** The lens: both URLs normalised, the rows, and (when they differ) which part and the usual cause. */
export interface HtuLens {
  equal: boolean;
  /** The URL the server computed, normalised (the request line's URL without query or fragment). */
  expected: string;
  /** The proof's `htu`, normalised, or as written when it is not a URL. */
  actual: string;
  /** Absent when the proof's `htu` is not an absolute http(s) URL. */
  rows: HtuLensRow[];
  differs?: Exclude<HtuPart, 'query' | 'fragment'>;
  cause?: HtuCause;
  /** The proof wrote out a default port (`:443`), normalised away: accepted. */
  defaultPortWritten?: string;
}

const ROW_PARTS: readonly HtuLensPart[] = ['scheme', 'host', 'port', 'path', 'query', 'fragment'];

function rowValue(c: HtuComponents | undefined, part: HtuLensPart): string {
  return c === undefined ? '' : c[part];
}

/**
 * The `htu` lens for the URL a request went to and a proof's `htu` (compareHtu does the comparing, so the
 * lens and the DPP-9 verdict never disagree). A trailing-slash difference marks the path row.
 */
export function htuLens(serverUrl: string, proofHtu: string): HtuLens {
  const cmp = compareHtu(serverUrl, proofHtu);
  const marked: HtuLensPart | undefined = cmp.differs === 'trailing-slash' ? 'path' : cmp.differs === 'url' ? undefined : cmp.differs;
  const rows =
    cmp.expected === undefined || cmp.actual === undefined
      ? []
      : ROW_PARTS.map((part) => ({
          part,
          // The server's URL is compared without query and fragment: its side shows none.
          expected: part === 'query' || part === 'fragment' ? '' : rowValue(cmp.expected, part),
          actual: rowValue(cmp.actual, part),
          differs: part === marked,
          ignored: (part === 'query' || part === 'fragment') && rowValue(cmp.actual, part) !== '',
        }));
  const lens: HtuLens = { equal: cmp.equal, expected: cmp.expected?.normalised ?? serverUrl, actual: cmp.actual?.normalised ?? proofHtu, rows };
  if (cmp.differs !== undefined) lens.differs = cmp.differs;
  if (cmp.cause !== undefined) lens.cause = cmp.cause;
  if (cmp.actual?.defaultPortWritten !== undefined) lens.defaultPortWritten = cmp.actual.defaultPortWritten;
  return lens;
}

// ---------- The clock line ----------

/** The proof's `iat` against the server's time and window (DPP-10), and the skew a response `Date` shows. */
export interface ClockLine {
  iat: number;
  /** The server's time the proof was judged at (evaluate-at), seconds. */
  serverTime: number;
  /** iat − serverTime: negative when the proof is older. */
  delta: number;
  pastSeconds: number;
  futureSeconds: number;
  /** Where iat lies: inside the window, too old, or too far ahead. */
  position: 'inside' | 'too-old' | 'too-new';
  /** The response's `Date`, seconds, when given. */
  responseDate?: number;
  /** iat − the response's Date: how far the client's clock was from the server's (the Date has 1 s resolution). */
  measuredSkew?: number;
}

/** Reads an HTTP `Date` header (IMF-fixdate, or ISO 8601 as some logs rewrite it); undefined when it is not a time. */
export function parseHttpDate(text: string): number | undefined {
  const trimmed = text.trim().replace(/^date:\s*/i, '');
  if (trimmed === '') return undefined;
  const ms = Date.parse(trimmed);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

/** The clock line of a proof whose `iat` is a number. */
export function clockLine(iat: number, serverTime: number, window: { pastSeconds: number; futureSeconds: number }, responseDate?: number): ClockLine {
  const delta = iat - serverTime;
  const position = delta < -window.pastSeconds ? 'too-old' : delta > window.futureSeconds ? 'too-new' : 'inside';
  const line: ClockLine = { iat, serverTime, delta, pastSeconds: window.pastSeconds, futureSeconds: window.futureSeconds, position };
  if (responseDate !== undefined) {
    line.responseDate = responseDate;
    line.measuredSkew = iat - responseDate;
  }
  return line;
}

// ---------- The proof's claims ----------

/** What Inspect and Explain show of a proof: its claims and its key's RFC 7638 thumbprint. */
export interface DpopProofSummary {
  typ?: string;
  alg?: string;
  htm?: string;
  htu?: string;
  iat?: number;
  jti?: string;
  ath?: string;
  nonce?: string;
  /** The thumbprint of the header's jwk, when it is a public key. */
  thumbprint?: string;
  /** Why the jwk has no thumbprint (private members, not a key). */
  jwkProblem?: string;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Whether a decoded header is a DPoP proof's (`typ` dpop+jwt, RFC 7515 comparison). */
export function isDpopProofHeader(header: Record<string, unknown>): boolean {
  const typ = str(header['typ'])?.toLowerCase();
  return typ === 'dpop+jwt' || typ === 'application/dpop+jwt';
}

/** Whether a compact token is a DPoP proof (its header's typ), so Explain's request box can point to the DPoP card. */
export function isDpopProofToken(token: string): boolean {
  const decoded = decodeQuietly(token.trim());
  return decoded !== undefined && isDpopProofHeader(decoded.header);
}

/** The proof's claims and thumbprint; never throws (a jwk that is not a key gives `jwkProblem`). */
export async function summariseDpopProof(header: Record<string, unknown>, payload: Record<string, unknown>): Promise<DpopProofSummary> {
  const out: DpopProofSummary = {};
  const set = <K extends keyof DpopProofSummary>(key: K, value: DpopProofSummary[K] | undefined) => {
    if (value !== undefined) out[key] = value;
  };
  set('typ', str(header['typ']));
  set('alg', str(header['alg']));
  for (const name of ['htm', 'htu', 'jti', 'ath', 'nonce'] as const) set(name, str(payload[name]));
  if (typeof payload['iat'] === 'number') out.iat = payload['iat'];
  const jwk = header['jwk'];
  const problem = publicJwkProblem(jwk);
  if (problem !== undefined) {
    out.jwkProblem = problem;
    return out;
  }
  try {
    out.thumbprint = await jwkThumbprint(publicMembers(jwk as Record<string, unknown>));
  } catch (e) {
    out.jwkProblem = e instanceof Error ? e.message : String(e);
  }
  return out;
}

/** The key a `cnf.jkt` names: a vault key whose thumbprint matches, by name, else none. */
export function boundKeyName(jkt: string, keys: readonly { name: string; thumbprint: string }[]): string | undefined {
  return keys.find((k) => k.thumbprint === jkt)?.name;
}

/** An access token's DPoP binding (`cnf.jkt`, DPB-2), when it has one. */
export function tokenJkt(payload: Record<string, unknown>): string | undefined {
  return cnfMember(payload, 'jkt');
}

/**
 * An access token's client-certificate binding (`cnf.x5t#S256`, RFC 8705 §3.1), when it has one. Auth0 types
 * such a token `DPoP` too (disagreement 2 of dpop-rules.md), so `token_type` never says which binding it is.
 */
export function tokenX5t(payload: Record<string, unknown>): string | undefined {
  return cnfMember(payload, 'x5t#S256');
}

function cnfMember(payload: Record<string, unknown>, name: string): string | undefined {
  const cnf = payload['cnf'];
  if (typeof cnf !== 'object' || cnf === null || Array.isArray(cnf)) return undefined;
  return str((cnf as Record<string, unknown>)[name]);
}

// ---------- The explanation ----------

/**
 * The DPoP views an explanation carries (`Explanation.dpop`), so whatever takes the explanation out (Copy as
 * Markdown, the command line) writes them with the rules: the lens and the clock line of a pasted proof, the
 * nonce history of a flow step.
 */
export interface ExplanationDpop {
  lens?: HtuLens;
  clock?: ClockLine;
  /** The response's Date could not be read (the skew is then not measured). */
  dateUnreadable?: boolean;
  nonces?: NonceEvent[];
}

/** What is pasted on Explain's DPoP card. */
export interface DpopExplainInput {
  proof: string;
  /** `POST https://tenant.example.com/oauth/token`. */
  requestLine: string;
  /** The access token sent with the proof (hashed for `ath`; never kept). */
  accessToken?: string;
  /** The server's latest `DPoP-Nonce`. */
  nonce?: string;
  /** The thumbprint the grant or token is bound to (`dpop_jkt`, `cnf.jkt`). */
  expectedJkt?: string;
  /** The response's `Date` header, for the measured skew. */
  responseDate?: string;
  /** The server's time, seconds. */
  now: number;
  profile?: ProfileId;
}

/** The DPoP explanation: the rules (failures first), the lens, the clock line and the proof's claims. */
export interface DpopExplained {
  explanation: Explanation;
  /** The rules' outcomes in the order they ran (the command line prints them so, with their notes). */
  outcomes: RuleOutcome[];
  request: DpopRequestLine;
  /** Absent when the proof has no string `htu`. */
  lens?: HtuLens;
  /** Absent when the proof has no numeric `iat`. */
  clock?: ClockLine;
  /** Absent when the proof does not decode. */
  proof?: DpopProofSummary;
  /** The response's Date could not be read (the skew is then not measured). */
  dateUnreadable?: boolean;
}

export type DpopExplainResult = { ok: true; result: DpopExplained } | { ok: false; code: RequestLineErrorCode | 'proof-empty'; message: string };

function decodeQuietly(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } | undefined {
  try {
    return decodeCompactJwt(token, { maxBytes: 64 * 1024 });
  } catch {
    return undefined;
  }
}

/**
 * Explains a pasted DPoP proof for the request it was sent with: every rule of the server (lintDpopProof),
 * failures first, as every explanation is (so Copy as Markdown works), with the lens and the clock line.
 * Empty text fields count as not given. Never rejects.
 */
export async function explainDpopProof(input: DpopExplainInput): Promise<DpopExplainResult> {
  const proof = input.proof.trim();
  if (proof === '') return { ok: false, code: 'proof-empty', message: 'Paste the DPoP proof (the value of the DPoP header).' };
  const line = parseRequestLine(input.requestLine);
  if (!line.ok) return line;
  const given = (value: string | undefined) => (value !== undefined && value.trim() !== '' ? value.trim() : undefined);
  const accessToken = given(input.accessToken);
  const nonce = given(input.nonce);
  const expectedJkt = given(input.expectedJkt);
  const outcomes = await lintDpopProof(proof, {
    method: line.line.method,
    url: line.line.url,
    now: input.now,
    ...(input.profile !== undefined ? { profile: input.profile } : {}),
    ...(accessToken !== undefined ? { accessToken } : {}),
    ...(nonce !== undefined ? { nonce } : {}),
    ...(expectedJkt !== undefined ? { expectedJkt } : {}),
  });
  const explanation: Explanation = { ...explainOutcomes(outcomes), evaluatedAt: input.now };
  const result: DpopExplained = { explanation, outcomes: [...outcomes], request: line.line };
  const decoded = decodeQuietly(proof);
  if (decoded !== undefined) {
    result.proof = await summariseDpopProof(decoded.header, decoded.payload);
    const htu = result.proof.htu;
    if (htu !== undefined) result.lens = htuLens(line.line.url, htu);
    const iat = result.proof.iat;
    if (iat !== undefined) {
      const dateText = given(input.responseDate);
      const date = dateText === undefined ? undefined : parseHttpDate(dateText);
      if (dateText !== undefined && date === undefined) result.dateUnreadable = true;
      result.clock = clockLine(iat, input.now, dpopPolicyFor(input.profile), date);
    }
  }
  const dpop: ExplanationDpop = {
    ...(result.lens === undefined ? {} : { lens: result.lens }),
    ...(result.clock === undefined ? {} : { clock: result.clock }),
    ...(result.dateUnreadable === true ? { dateUnreadable: true } : {}),
  };
  if (Object.keys(dpop).length > 0) explanation.dpop = dpop;
  return { ok: true, result };
}

// ---------- A flow step's nonce history ----------

/** One event of a step's nonce history, in the order it happened. */
export type NonceEvent =
  /** A request sent with no DPoP proof at all (flagged: the server could not bind or challenge it). */
  | { kind: 'sent-without-proof'; attempt: number }
  /** A request sent with a proof; `nonce` is the proof's, absent when it carried none. */
  | { kind: 'sent'; attempt: number; nonce?: string }
  /** The server answered with a nonce challenge (400 use_dpop_nonce, or 401 with a DPoP challenge). */
  | { kind: 'challenge'; attempt: number; status: number; nonce: string }
  /** The server's `DPoP-Nonce` changed from the one it gave before (DPN-5 rotation). */
  | { kind: 'rotation'; attempt: number; from: string; to: string }
  /** The request was answered (not a challenge). */
  | { kind: 'answered'; attempt: number; status: number };

function header(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (headers === undefined) return undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

function isChallenge(exchange: FlowExchange): boolean {
  const response = exchange.response;
  if (response === undefined || header(response.headers, 'dpop-nonce') === undefined) return false;
  if (response.status === 400 && /"error"\s*:\s*"use_dpop_nonce"/.test(response.body ?? '')) return true;
  return response.status === 401 && /\b(use_dpop_nonce|invalid_dpop_nonce)\b/.test(header(response.headers, 'www-authenticate') ?? '');
}

/**
 * The nonce history of a flow step: its nonce-challenged first attempts (extra exchanges with reason
 * `use_dpop_nonce`, in order) then its own exchange (the retry). Null when the step did not use DPoP.
 */
export function nonceHistory(step: Pick<FlowStep, 'exchange' | 'extraExchanges'>): NonceEvent[] | null {
  const attempts = [
    ...(step.extraExchanges ?? []).filter((x) => x.reason === 'use_dpop_nonce').map((x) => x.exchange),
    ...(step.exchange ? [step.exchange] : []),
  ];
  const usesDpop = attempts.some((x) => header(x.request.headers, 'dpop') !== undefined || header(x.response?.headers, 'dpop-nonce') !== undefined);
  if (!usesDpop) return null;
  const events: NonceEvent[] = [];
  let lastNonce: string | undefined;
  attempts.forEach((exchange, i) => {
    const attempt = i + 1;
    const proof = header(exchange.request.headers, 'dpop');
    if (proof === undefined) events.push({ kind: 'sent-without-proof', attempt });
    else {
      const nonce = str(decodeQuietly(proof)?.payload['nonce']);
      events.push(nonce === undefined ? { kind: 'sent', attempt } : { kind: 'sent', attempt, nonce });
    }
    const response = exchange.response;
    if (response === undefined) return;
    const issued = header(response.headers, 'dpop-nonce');
    if (issued !== undefined && lastNonce !== undefined && issued !== lastNonce) events.push({ kind: 'rotation', attempt, from: lastNonce, to: issued });
    if (isChallenge(exchange)) events.push({ kind: 'challenge', attempt, status: response.status, nonce: issued! });
    else events.push({ kind: 'answered', attempt, status: response.status });
    if (issued !== undefined) lastNonce = issued;
  });
  return events;
}
