/**
 * Explain: one ordered explanation of why a request or token passes or fails, wherever one appears (a
 * flow step, a server log entry, the Inspect screen, a pasted customer request). Pure and browser-safe.
 *
 * The rules come from the embedded server's trace when the server saw the request, or from the shared
 * lint (shared/jwt) otherwise: the same ids (server-rules.md), the same English sentences. Failures come
 * first, in the order the server applies them, so the rule on top is the one the server would answer with.
 */
import type { RuleOutcome } from '../jwt/rule';
import type { ProfileId } from '../jwt/profiles';
import { lintClientAssertion, lintRequestObject } from '../jwt/lint';
import { decodeCompactJwt } from '../jwt/decode';
import type { FlowRun, FlowStep, FlowTarget } from '../schemas/flows';
import type { VerifyResult } from '../schemas/jwt';
import type { RequestTrace } from '../schemas/server';
import type { ExplanationDpop } from './dpop';
import type { SourcePart } from './sources';
import { sourceParts } from './sources';

export type { SourcePart } from './sources';
export { rfcHref, sourceParts } from './sources';

/** What an item is about: the request as a whole, one of its JWTs, or one HTTP exchange (a trace). */
export type SubjectKind = 'request' | 'requestObject' | 'clientAssertion' | 'idToken' | 'accessToken' | 'http';

/** The subject of an item; `label` names an HTTP exchange (`POST /oauth/par → 400`). */
export interface ExplainSubject {
  kind: SubjectKind;
  label?: string;
}

/**
 * Why a rule was not evaluated. Explain's third state, beside passed and failed: it exists only here, in
 * the explanation of a request no server saw (the shared rules and the server's traces keep two states).
 */
export type NotEvaluatedReason =
  /** The expected issuer was not given (by the user, a saved target or a discovery document): JAR-11, PKJ-8. */
  'issuer-missing';

/** What an item concluded: the rule passed, failed, or could not be evaluated (`reason` says why). */
export type ItemStatus = 'passed' | 'failed' | 'not-evaluated';

/** One rule, explained. */
export interface ExplainItem {
  /** The rule id of server-rules.md, e.g. `JAR-11`. */
  id: string;
  /** True only when the rule passed (a rule not evaluated did not pass). */
  passed: boolean;
  status: ItemStatus;
  /** Why the rule was not evaluated (status `not-evaluated` only). */
  reason?: NotEvaluatedReason;
  /** The rule in one plain-language sentence (what it requires). */
  sentence: string;
  /** What happened in this request (the sentence again when it passed). */
  message: string;
  expected?: string;
  actual?: string;
  /** The spec or vendor source as written in the rule. */
  source: string;
  /** The source split into parts, RFC sections linked to rfc-editor.org. */
  sourceParts: SourcePart[];
  /** What to change to make it pass (empty for rules without one). */
  fix: string;
  subject?: ExplainSubject;
}

/** Something the explanation could not cover, as a code the UI words. */
export type ExplainNoteCode =
  /** No rule applied (e.g. a discovery request). */
  | 'no-rules'
  /** No key was given, so the signature of this subject was not checked. */
  | 'signature-not-checked'
  /** The key could not be read (the message says why); signatures were not checked. */
  | 'key-invalid'
  /** The request has no request object and no client assertion: only the request-level rules apply. */
  | 'no-jwt'
  /** The request points at a pushed request (request_uri): its content is on the server, not in the URL. */
  | 'pushed-request';

/** A note under the explanation. */
export interface ExplainNote {
  code: ExplainNoteCode;
  subject?: ExplainSubject;
  /** Detail in English (from the core), e.g. why a key could not be read. */
  detail?: string;
}

/** The one-line verdict. */
export interface ExplainVerdict {
  /** No rule failed and every rule was evaluated: only then does the explanation say "all rules passed". */
  ok: boolean;
  failed: number;
  passed: number;
  /** Rules that could not be evaluated (e.g. no expected issuer given). */
  notEvaluated: number;
  /** The failing rule on top. */
  first: { id: string; message: string } | null;
  /** The verdict in one English line (for exports and logs; the UI words it from the numbers). */
  text: string;
}

/**
 * An explanation: the verdict, then every rule (failures first, the first failing on top, then the rules
 * not evaluated, then the passes), then notes.
 */
export interface Explanation {
  verdict: ExplainVerdict;
  items: ExplainItem[];
  notes: ExplainNote[];
  /** The time the time rules were evaluated at, in seconds since the epoch (a pasted request only). */
  evaluatedAt?: number;
  /** DPoP's views beside the rules (a pasted proof's htu lens and clock line, a step's nonce history). */
  dpop?: ExplanationDpop;
}

/** A group of outcomes about one subject, in the order they were applied. */
export interface OutcomeGroup {
  outcomes: readonly RuleOutcome[];
  subject?: ExplainSubject;
  /** The rule that decided the answer (a trace's `failedRule`): put on top when it failed. */
  decidedBy?: string;
  /** Rules of this subject that could not be evaluated, with why (listed after the failures). */
  notEvaluated?: readonly { outcome: RuleOutcome; reason: NotEvaluatedReason }[];
}

/** One outcome as an explanation item. */
export function toItem(outcome: RuleOutcome, subject?: ExplainSubject): ExplainItem {
  const item: ExplainItem = {
    id: outcome.id,
    passed: outcome.passed,
    status: outcome.passed ? 'passed' : 'failed',
    sentence: outcome.summary,
    message: outcome.message || outcome.summary,
    source: outcome.source,
    sourceParts: sourceParts(outcome.source, outcome.id),
    fix: outcome.fix,
  };
  if (outcome.expected !== undefined) item.expected = outcome.expected;
  if (outcome.actual !== undefined) item.actual = outcome.actual;
  if (subject !== undefined) item.subject = subject;
  return item;
}

/** A rule that could not be evaluated, as an item: its sentence and source, no expected/actual, no verdict. */
export function notEvaluatedItem(outcome: RuleOutcome, reason: NotEvaluatedReason, subject?: ExplainSubject): ExplainItem {
  const item: ExplainItem = {
    id: outcome.id,
    passed: false,
    status: 'not-evaluated',
    reason,
    sentence: outcome.summary,
    message: outcome.summary,
    source: outcome.source,
    sourceParts: sourceParts(outcome.source, outcome.id),
    fix: outcome.fix,
  };
  if (subject !== undefined) item.subject = subject;
  return item;
}

const REASON_TEXT: Record<NotEvaluatedReason, string> = {
  'issuer-missing': 'give the expected issuer (type it, pick a saved target, or check a discovery URL)',
};

function verdictOf(items: readonly ExplainItem[]): ExplainVerdict {
  const failed = items.filter((i) => i.status === 'failed').length;
  const notEvaluated = items.filter((i) => i.status === 'not-evaluated').length;
  const passed = items.length - failed - notEvaluated;
  const top = items[0];
  const first = top !== undefined && top.status === 'failed' ? { id: top.id, message: top.message } : null;
  const rules = (n: number) => `${n} ${n === 1 ? 'rule' : 'rules'}`;
  const pending = items.filter((i) => i.status === 'not-evaluated');
  // Never "all rules passed" while a rule is not evaluated: the missing input may be the real cause.
  const text =
    items.length === 0
      ? 'No rule applied.'
      : first !== null
        ? `${first.id} failed: ${first.message} (${failed} of ${rules(items.length)} failed${notEvaluated > 0 ? `, ${notEvaluated} not evaluated` : ''}).`
        : notEvaluated > 0
          ? `${passed} passed, ${notEvaluated} not evaluated (${pending.map((i) => `${i.id}: ${REASON_TEXT[i.reason ?? 'issuer-missing']}`).join('; ')}).`
          : `All ${rules(passed)} passed.`;
  return { ok: failed === 0 && notEvaluated === 0, failed, passed, notEvaluated, first, text };
}

/**
 * Builds an explanation from groups of outcomes, each in the order its rules were applied: every failure
 * before every pass, the order otherwise kept, and a group's deciding rule (the trace's `failedRule`)
 * before the other failures of its group.
 */
export function explainGroups(groups: readonly OutcomeGroup[], notes: readonly ExplainNote[] = []): Explanation {
  const failures: ExplainItem[] = [];
  const pending: ExplainItem[] = [];
  const passes: ExplainItem[] = [];
  for (const group of groups) {
    for (const { outcome, reason } of group.notEvaluated ?? []) pending.push(notEvaluatedItem(outcome, reason, group.subject));
    const groupFailures: ExplainItem[] = [];
    let decided: ExplainItem | undefined;
    for (const outcome of group.outcomes) {
      const item = toItem(outcome, group.subject);
      if (item.passed) passes.push(item);
      else if (decided === undefined && group.decidedBy !== undefined && item.id === group.decidedBy) decided = item;
      else groupFailures.push(item);
    }
    failures.push(...(decided ? [decided] : []), ...groupFailures);
  }
  const items = [...failures, ...pending, ...passes];
  const allNotes = [...notes];
  if (items.length === 0 && !allNotes.some((n) => n.code === 'no-rules')) allNotes.push({ code: 'no-rules' });
  return { verdict: verdictOf(items), items, notes: allNotes };
}

/** Explains plain outcomes (a lint), failures first. */
export function explainOutcomes(outcomes: readonly RuleOutcome[], subject?: ExplainSubject): Explanation {
  return explainGroups([subject === undefined ? { outcomes } : { outcomes, subject }]);
}

/** How a trace is named as a subject: `POST /oauth/par → 400`. */
export function traceLabel(trace: Pick<RequestTrace, 'method' | 'path' | 'status'>): string {
  return `${trace.method} ${trace.path} → ${trace.status}`;
}

/** Explains one or more server traces (a step may have made several requests), in request order. */
export function explainTraces(traces: readonly RequestTrace[]): Explanation {
  return explainGroups(
    traces.map((trace) => ({
      outcomes: trace.rules,
      subject: { kind: 'http', label: traceLabel(trace) },
      ...(trace.failedRule === undefined ? {} : { decidedBy: trace.failedRule }),
    })),
  );
}

/** Explains one server trace. */
export function explainTrace(trace: RequestTrace): Explanation {
  return explainTraces([trace]);
}

// ---------- Signatures ----------

/** The kind of token a signature belongs to. */
export type TokenRole = 'requestObject' | 'clientAssertion' | 'idToken' | 'accessToken';

/** The signature rules Explain adds for a verified token (the server traces them as JAR-8 and PKJ-13). */
export const SIGNATURE_RULES: Record<TokenRole, { id: string; noun: string; source: string; fix: string }> = {
  requestObject: {
    id: 'JAR-8',
    noun: 'request object',
    source: 'RFC 9101 §6.2',
    fix: "Sign with the private key matching a credential attached to the client's signed_request_object (the key given here).",
  },
  clientAssertion: {
    id: 'PKJ-13',
    noun: 'client assertion',
    source: 'RFC 7523 §3 item 9',
    fix: "Sign with the private key matching one of the client's active private_key_jwt credentials (the key given here).",
  },
  idToken: {
    id: 'IDT-4',
    noun: 'ID token',
    source: 'OpenID Connect Core 1.0 §3.1.3.7; RFC 7515 §5.2',
    fix: "Verify with the issuer's published JWKS: the token is signed with the tenant key whose kid is in its header.",
  },
  accessToken: {
    id: 'IDT-4',
    noun: 'access token',
    source: 'RFC 7515 §5.2; RFC 9068 §4',
    fix: "Verify with the issuer's published JWKS: the token is signed with the tenant key whose kid is in its header.",
  },
};

/** What a verification failure means for the fix, beyond the rule's own. */
function failureFix(result: VerifyResult, base: string): string {
  switch (result.failure) {
    case 'kid-mismatch':
      return `Set the header kid to the kid of the registered key, or omit kid. ${base}`;
    case 'alg-mismatch':
      return `Sign with an alg that fits the key (RS256, RS384 or PS256 for RSA; ES256 for P-256). ${base}`;
    case 'alg-none':
    case 'symmetric-alg':
      return 'Sign with an asymmetric algorithm (RS256, PS256, ES256…) and the private key of a registered credential.';
    case 'malformed':
      return 'Send the token exactly as the signer produced it: header.payload.signature, base64url without padding.';
    case 'no-keys':
    case 'source-invalid':
    case 'fetch-failed':
      return 'Give a public key that can verify signatures: a PEM public key or certificate, an RSA or EC JWK, or a JWKS.';
    default:
      return base;
  }
}

function failureActual(result: VerifyResult): string {
  switch (result.failure) {
    case 'bad-signature':
      return 'the signature does not verify';
    case 'kid-mismatch':
      return `kid ${result.kid ?? '(none)'} is not among the keys`;
    case 'alg-mismatch':
      return `alg ${result.alg ?? '(none)'} fits none of the keys`;
    case 'alg-none':
      return 'unsigned (alg none)';
    case 'symmetric-alg':
      return `${result.alg ?? 'HS*'} (HMAC)`;
    case 'malformed':
      return 'malformed token';
    case 'no-keys':
      return 'no usable key';
    case 'fetch-failed':
      return 'the keys could not be fetched';
    case 'source-invalid':
      return 'the key could not be read';
    default:
      return 'not verified';
  }
}

/** A signature verification (`jwt.verify`) as a rule outcome: JAR-8, PKJ-13, or IDT-4 for tokens the server issues. */
export function signatureOutcome(role: TokenRole, result: VerifyResult): RuleOutcome {
  const rule = SIGNATURE_RULES[role];
  const summary = `The ${rule.noun}'s signature verifies with the client's registered key.`;
  const expected = `a valid ${result.alg === null ? '' : `${result.alg} `}signature by ${result.sourceDescription || 'the given key'}`;
  if (result.valid) {
    return {
      id: rule.id,
      passed: true,
      summary,
      message: result.message || summary,
      fix: rule.fix,
      source: rule.source,
      expected,
      actual: `verified by ${result.matched?.label ?? 'the key'}`,
    };
  }
  return {
    id: rule.id,
    passed: false,
    summary,
    message: result.message,
    fix: failureFix(result, rule.fix),
    source: rule.source,
    expected,
    actual: failureActual(result),
  };
}

/** Whether a token decodes (a signature is only meaningful for one that does). */
function decodes(token: string): boolean {
  try {
    decodeCompactJwt(token.trim(), { maxBytes: 1_100_000 });
    return true;
  } catch {
    return false;
  }
}

/** A token's signature group, or a note when it was not checked. */
export function signatureGroup(role: TokenRole, token: string, result: VerifyResult | null | undefined, notes: ExplainNote[]): OutcomeGroup | null {
  const subject: ExplainSubject = { kind: role };
  // A token that does not decode already fails JWT-1 / JAR-9; its signature adds nothing.
  if (!decodes(token)) return null;
  if (result === undefined || result === null) {
    notes.push({ code: 'signature-not-checked', subject });
    return null;
  }
  if (result.failure === 'source-invalid' || result.failure === 'fetch-failed') {
    notes.push({ code: 'key-invalid', subject, detail: result.message });
    return null;
  }
  return { outcomes: [signatureOutcome(role, result)], subject };
}

/**
 * Explains a lint (Inspect): the token's outcomes in their role, then its signature when it was verified
 * (a key that could not be read becomes a note).
 */
export function explainLint(role: TokenRole, outcomes: readonly RuleOutcome[], verification?: VerifyResult | null): Explanation {
  const subject: ExplainSubject = { kind: role };
  const groups: OutcomeGroup[] = [{ outcomes, subject }];
  const notes: ExplainNote[] = [];
  if (verification) {
    if (verification.failure === 'source-invalid' || verification.failure === 'fetch-failed')
      notes.push({ code: 'key-invalid', subject, detail: verification.message });
    else groups.push({ outcomes: [signatureOutcome(role, verification)], subject });
  }
  return explainGroups(groups, notes);
}

// ---------- Lint of a token (Inspect, remote flow steps) ----------

/** What the shared lint needs to judge a token for a server it did not see. */
export interface LintTarget {
  /** The authorization server's issuer (JAR-11, PKJ-8). */
  issuer: string;
  /** The client's client_id (JAR-10, PAR-11). */
  clientId: string;
  profile: ProfileId;
  /** Seconds since the epoch: when the token was sent. */
  now: number;
  /** The token endpoint (PKJ-8); defaults to `{issuer}oauth/token`. */
  tokenEndpoint?: string;
  /** The URL that received the token (PKJ-8 accepts it as aud by default); defaults to the token endpoint. */
  endpointUrl?: string;
  /** Where a request object was sent. */
  endpoint?: 'authorize' | 'par';
  /** The query parameters next to a request object at /authorize (JAR-2, JAR-17). */
  outerParams?: Readonly<Record<string, string>>;
  /** The `client_id` form parameter next to a client assertion (PKJ-3). */
  clientIdParam?: string;
}

/** `{issuer}` + a path, with exactly one slash between them. */
export function underIssuer(issuer: string, path: string): string {
  return `${issuer.replace(/\/+$/, '')}/${path}`;
}

/** A stand-in issuer to run the lint with when none was given; the rules that read it are not evaluated. */
const NO_ISSUER = 'https://issuer-not-given.invalid/';
/** The rules that compare a claim with the expected issuer (the request object's aud, the assertion's aud). */
export const ISSUER_RULES: ReadonlySet<string> = new Set(['JAR-11', 'PKJ-8']);

/**
 * A token's lint as a group. Without an expected issuer, the rules that need it are listed as not
 * evaluated instead of being judged against a guess: an issuer guessed from the token's own aud would
 * make a wrong aud pass (the answer taken from the question).
 */
export function lintTokenGroup(
  role: 'requestObject' | 'clientAssertion',
  token: string,
  target: LintTarget,
  subject: ExplainSubject = { kind: role },
): OutcomeGroup {
  if (target.issuer.trim() !== '') return { outcomes: lintToken(role, token, target), subject };
  const outcomes = lintToken(role, token, { ...target, issuer: NO_ISSUER });
  return {
    outcomes: outcomes.filter((o) => !ISSUER_RULES.has(o.id)),
    subject,
    notEvaluated: outcomes.filter((o) => ISSUER_RULES.has(o.id)).map((outcome) => ({ outcome, reason: 'issuer-missing' as const })),
  };
}

/** Lints one token in its role with the shared rules (request object or client assertion). */
export function lintToken(role: 'requestObject' | 'clientAssertion', token: string, target: LintTarget): RuleOutcome[] {
  if (role === 'requestObject') {
    return lintRequestObject(token, {
      issuer: target.issuer,
      clientId: target.clientId,
      profile: target.profile,
      now: target.now,
      endpoint: target.endpoint ?? 'authorize',
      ...(target.outerParams === undefined ? {} : { outerParams: target.outerParams }),
    });
  }
  const tokenEndpoint = target.tokenEndpoint || underIssuer(target.issuer, 'oauth/token');
  return lintClientAssertion(token, {
    issuer: target.issuer,
    tokenEndpoint,
    endpointUrl: target.endpointUrl || tokenEndpoint,
    profile: target.profile,
    now: target.now,
    ...(target.clientIdParam === undefined ? {} : { clientIdParam: target.clientIdParam }),
  });
}

/** The role of a JWT a flow step recorded, from its label (electron/core/flows/jwts-in.ts). */
export function roleOfLabel(label: string): TokenRole | null {
  switch (label.toLowerCase()) {
    case 'request object':
    case 'request':
      return 'requestObject';
    case 'client assertion':
    case 'client_assertion':
      return 'clientAssertion';
    case 'id token':
    case 'id_token':
      return 'idToken';
    case 'access token':
    case 'access_token':
      return 'accessToken';
    default:
      return null;
  }
}

// ---------- Flow steps ----------

/** The profile that fits a remote issuer: Auth0's for Auth0 tenants, Okta's for Okta orgs, else RFC 9101 (strict). */
export function profileForIssuer(issuer: string): ProfileId {
  let host: string;
  try {
    host = new URL(issuer).hostname.toLowerCase();
  } catch {
    return 'auth0';
  }
  if (/(^|\.)auth0(app)?\.com$/.test(host)) return 'auth0';
  if (/(^|\.)(okta|oktapreview|okta-emea|okta-gov)\.com$/.test(host)) return 'okta';
  return 'strict';
}

/** What a flow step is judged against. */
export interface StepContext {
  issuer: string;
  clientId: string;
  profile: ProfileId;
  tokenEndpoint?: string;
}

function stringOf(record: Record<string, unknown> | undefined, name: string): string | undefined {
  const value = record?.[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The context of a run's steps: the issuer and token endpoint discovery reported (else the target's),
 * the target's client_id, and the profile that fits — the embedded server's own setting for an embedded
 * target, the issuer's vendor for a remote one.
 */
export function stepContextFor(
  run: Pick<FlowRun, 'steps'>,
  target: Pick<FlowTarget, 'issuer' | 'client_id' | 'embedded'> | undefined,
  embeddedProfile: ProfileId = 'auth0',
): StepContext {
  const discovered = run.steps.find((s) => s.name === 'discover')?.detail;
  const issuer = stringOf(discovered, 'issuer') ?? target?.issuer ?? '';
  const tokenEndpoint = stringOf(discovered, 'token_endpoint');
  return {
    issuer,
    clientId: target?.client_id ?? '',
    profile: target?.embedded ? embeddedProfile : profileForIssuer(issuer),
    ...(tokenEndpoint === undefined ? {} : { tokenEndpoint }),
  };
}

function formParams(body: string | undefined): Record<string, string> | undefined {
  if (body === undefined || body.trim().startsWith('{')) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(body)) out[k] ??= v;
  return out;
}

function withoutQuery(url: string): { url: string; query: Record<string, string> } | undefined {
  try {
    const u = new URL(url);
    const query: Record<string, string> = {};
    for (const [k, v] of u.searchParams) query[k] ??= v;
    return { url: `${u.origin}${u.pathname}`, query };
  } catch {
    return undefined;
  }
}

/** Whether a flow step has something to explain: a trace with rules, or a request object or client assertion. */
export function canExplainStep(step: Pick<FlowStep, 'serverTraces' | 'jwts'>): boolean {
  if ((step.serverTraces ?? []).some((t) => t.rules.length > 0)) return true;
  return step.jwts.some((j) => {
    const role = roleOfLabel(j.label);
    return role === 'requestObject' || role === 'clientAssertion';
  });
}

/**
 * Explains a flow step: the embedded server's traces when it has them; otherwise the shared lint of the
 * request objects and client assertions it sent, judged as of the step's start. `null` when the step
 * has nothing to explain (no trace with rules, no such JWT).
 */
export function explainFlowStep(step: FlowStep, ctx: StepContext): Explanation | null {
  const traces = (step.serverTraces ?? []).filter((t) => t.rules.length > 0);
  if (traces.length > 0) return explainTraces(traces);
  const jwts = step.jwts
    .map((j) => ({ role: roleOfLabel(j.label), token: j.token }))
    .filter((j): j is { role: 'requestObject' | 'clientAssertion'; token: string } => j.role === 'requestObject' || j.role === 'clientAssertion');
  if (jwts.length === 0) return null;
  const started = step.startedAt === undefined ? Number.NaN : Date.parse(step.startedAt);
  const now = Math.floor((Number.isFinite(started) ? started : Date.now()) / 1000);
  const request = step.exchange?.request;
  const sentTo = request ? withoutQuery(request.url) : undefined;
  const form = formParams(request?.body);
  const target: LintTarget = {
    issuer: ctx.issuer,
    clientId: ctx.clientId,
    profile: ctx.profile,
    now,
    endpoint: step.name === 'push' ? 'par' : 'authorize',
    ...(ctx.tokenEndpoint === undefined ? {} : { tokenEndpoint: ctx.tokenEndpoint }),
    ...(sentTo === undefined ? {} : { endpointUrl: sentTo.url }),
    ...(step.name === 'authorize' && sentTo !== undefined ? { outerParams: sentTo.query } : {}),
    ...(form?.client_id === undefined ? {} : { clientIdParam: form.client_id }),
  };
  // The server authenticates the client before it reads the request object (PAR: RFC 9126 §2.1).
  const order = { clientAssertion: 0, requestObject: 1 } as const;
  const sorted = [...jwts].sort((a, b) => order[a.role] - order[b.role]);
  return explainGroups(sorted.map((j) => lintTokenGroup(j.role, j.token, target)));
}
