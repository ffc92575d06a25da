/**
 * Explains the OAuth exchanges of an imported HAR with the shared rules, the way Explain explains a pasted
 * request (shared/explain/paste.ts): an /authorize URL and a PAR body with their request-level rules and
 * the lint of their request objects and client assertions; a token request with its client-authentication
 * rules (PKJ-1, PKJ-2) and its client assertion. Discovery, JWKS and userinfo exchanges have no rule; they
 * are listed with what the server answered. Each exchange is judged as of its own time (the entry's
 * startedDateTime), under the profile its issuer calls for. Pure and browser-safe.
 */
import type { Explanation, OutcomeGroup, ExplainNote } from '../explain/explain';
import { explainGroups, lintTokenGroup, profileForIssuer, signatureGroup } from '../explain/explain';
import type { PastedInput, PastedRole } from '../explain/paste';
import { clientAuthChecks, expectationsFor, explainPasted } from '../explain/paste';
import type { ProfileId } from '../jwt/profiles';
import type { VerifyResult } from '../schemas/jwt';
import type { HarExchange, HarImport } from './import';

/** Why an exchange was judged under its profile. */
export type HarProfileReason =
  /** The user chose it (`--profile`). */
  | 'given'
  /** The server is an Auth0 tenant (`*.auth0.com`). */
  | 'auth0-domain'
  /** The user flagged the server's host as an Auth0 custom domain. */
  | 'auth0-custom-domain'
  /** The server is an Okta org (`*.okta.com`, `*.oktapreview.com`…): the okta profile's JWT rules. */
  | 'okta-domain'
  /** Any other server: the standards as written (RFC 9101 / RFC 9126 / FAPI 2.0). */
  | 'other';

/** What to explain an import against. */
export interface HarExplainOptions {
  /** A profile for every exchange, instead of the one chosen by issuer. */
  profile?: ProfileId;
  /** Hosts the user says are Auth0 custom domains (`login.example.com`): judged under the auth0 profile. */
  auth0Domains?: readonly string[];
  /** The issuer, when the file has no discovery document for the server (JAR-11, PKJ-8 need it). */
  issuer?: string;
  /** Seconds since the epoch, for exchanges whose entry has no startedDateTime. */
  now: number;
  /** Signature checks (the core's `jwt.verify`) of an exchange's JWTs against the client's key, by entry index. */
  signatures?: ReadonlyMap<number, Partial<Record<PastedRole, VerifyResult | null>>>;
}

/** One exchange, explained. */
export interface ExplainedExchange {
  exchange: HarExchange;
  profile: ProfileId;
  profileReason: HarProfileReason;
  /** The issuer it was judged against ('' when neither the file nor the user gave one). */
  issuer: string;
  /** What the server answered, in one line: `400 invalid_request: …`, `302 to the redirect_uri with an error`… */
  answer: string | null;
  explanation: Explanation;
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return '';
  }
}

/** The profile an exchange is judged under, and why: the one given, else by the server's host. */
export function harProfileFor(
  serverUrl: string,
  options: Pick<HarExplainOptions, 'profile' | 'auth0Domains'>,
): { profile: ProfileId; reason: HarProfileReason } {
  if (options.profile !== undefined) return { profile: options.profile, reason: 'given' };
  const host = hostOf(serverUrl);
  if ((options.auth0Domains ?? []).some((d) => d.trim().toLowerCase() === host)) return { profile: 'auth0', reason: 'auth0-custom-domain' };
  const profile = profileForIssuer(serverUrl);
  // profileForIssuer falls back to auth0 for a URL it cannot read; a HAR's URLs were read already.
  if (profile === 'auth0' && host !== '') return { profile, reason: 'auth0-domain' };
  if (profile === 'okta') return { profile, reason: 'okta-domain' };
  return { profile: 'strict', reason: 'other' };
}

/** The server's answer in one line, secrets already stripped. */
function answerOf(exchange: HarExchange): string | null {
  const res = exchange.response;
  if (res === null) return null;
  if (res.status === 0) return 'no response (the request failed or was cancelled)';
  const location = res.headers.find((h) => h.name.toLowerCase() === 'location')?.value;
  if (res.status >= 300 && res.status < 400 && location !== undefined) {
    try {
      const params = new URL(location, exchange.url).searchParams;
      const error = params.get('error');
      if (error !== null) return `${res.status} redirect with error=${error}${params.get('error_description') ? `: ${params.get('error_description')}` : ''}`;
      if (params.has('code')) return `${res.status} redirect with an authorization code (removed)`;
    } catch {
      // A Location that is not a URL: said as a plain redirect below.
    }
    return `${res.status} redirect`;
  }
  if (res.body !== undefined && res.body.trimStart().startsWith('{')) {
    try {
      const doc = JSON.parse(res.body) as Record<string, unknown>;
      if (typeof doc['error'] === 'string')
        return `${res.status} ${doc['error']}${typeof doc['error_description'] === 'string' ? `: ${doc['error_description']}` : ''}`;
    } catch {
      // Not JSON after all: the status alone.
    }
  }
  return String(res.status);
}

function param(params: readonly [string, string][], name: string): string | undefined {
  const value = params.find(([n]) => n === name)?.[1];
  return value === undefined || value === '' ? undefined : value;
}

/** Explains one exchange. */
export function explainHarExchange(exchange: HarExchange, options: HarExplainOptions): ExplainedExchange {
  const issuer = options.issuer?.trim() || exchange.issuer;
  const { profile, reason } = harProfileFor(issuer || exchange.endpoint, options);
  const started = exchange.startedAt === null ? Number.NaN : Date.parse(exchange.startedAt);
  const now = Number.isFinite(started) ? Math.floor(started / 1000) : options.now;
  const params = exchange.request.params;
  let explanation: Explanation;
  if (exchange.kind === 'authorize' || exchange.kind === 'par') {
    const input: PastedInput = exchange.kind === 'authorize' ? { kind: 'authorize-url', endpoint: exchange.endpoint, params } : { kind: 'par-body', params };
    const clientId = expectationsFor(input, undefined, issuer).clientId;
    explanation = explainPasted(input, {
      issuer,
      // A client assertion at PAR may name the URL it was sent to (RFC 9126 §2); the file says which it was.
      audience: exchange.kind === 'par' ? exchange.endpoint : '',
      clientId,
      profile,
      now,
      signatures: options.signatures?.get(exchange.entry) ?? {},
      basicAuth: exchange.request.basicAuth,
    });
  } else if (exchange.kind === 'token') {
    const groups: OutcomeGroup[] = [{ outcomes: clientAuthChecks(params, exchange.request.basicAuth), subject: { kind: 'request' } }];
    const notes: ExplainNote[] = [];
    const assertion = param(params, 'client_assertion');
    if (assertion !== undefined) {
      const clientId = param(params, 'client_id') ?? expectationsFor({ kind: 'par-body', params }).clientId;
      groups.push(
        lintTokenGroup('clientAssertion', assertion, {
          issuer,
          clientId,
          profile,
          now,
          tokenEndpoint: exchange.endpoint,
          endpointUrl: exchange.endpoint,
          ...(param(params, 'client_id') === undefined ? {} : { clientIdParam: param(params, 'client_id')! }),
        }),
      );
      const signature = signatureGroup('clientAssertion', assertion, options.signatures?.get(exchange.entry)?.clientAssertion, notes);
      if (signature) groups.push(signature);
    }
    explanation = { ...explainGroups(groups, notes), evaluatedAt: now };
  } else {
    explanation = explainGroups([]);
  }
  return { exchange, profile, profileReason: reason, issuer, answer: answerOf(exchange), explanation };
}

/** Explains every exchange of an import, in the file's order. */
export function explainHar(imported: HarImport, options: HarExplainOptions): ExplainedExchange[] {
  return imported.exchanges.map((exchange) => explainHarExchange(exchange, options));
}
