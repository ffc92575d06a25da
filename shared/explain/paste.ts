/**
 * Paste a customer's request: an /authorize URL, a PAR body or a bare JWT is recognised, its JWTs found,
 * and the whole explained against a chosen profile with no server set up — the request-level rules the
 * server applies before any JWT (AZR-9, JAR-1, JAR-2, AZR-1, AZR-2, PAR-4, PAR-6, PKJ-1, PKJ-2), then the
 * shared lint of each JWT, then its signature against the pasted key (verified by the core: `jwt.verify`).
 * Pure and browser-safe: it never throws for any text.
 */
import type { RuleOutcome } from '../jwt/rule';
import type { ProfileId } from '../jwt/profiles';
import { decodeCompactJwt, JwtDecodeError } from '../jwt/decode';
import type { VerifyResult } from '../schemas/jwt';
import type { ExplainNote, Explanation, ExplainSubject, LintTarget, OutcomeGroup } from './explain';
import { explainGroups, lintTokenGroup, signatureGroup, underIssuer } from './explain';

/** The role of a pasted JWT. */
export type PastedRole = 'requestObject' | 'clientAssertion';

/** What the pasted text was recognised as. */
export type PastedInput =
  | {
      kind: 'authorize-url';
      /** The URL without its query (origin and path). */
      endpoint: string;
      /** Every query parameter in order, repeats included (AZR-9). */
      params: [string, string][];
    }
  | { kind: 'par-body'; params: [string, string][] }
  | { kind: 'jwt'; token: string; role: PastedRole };

/** Why a text (or a key) could not be read. `params` fill the UI's sentence. */
export type PasteErrorCode =
  | 'empty'
  | 'not-url'
  | 'url-no-query'
  | 'not-form'
  | 'form-encoding'
  | 'jwe'
  | 'json-jws'
  | 'jwt-parts'
  | 'jwt-undecodable'
  | 'unrecognised'
  | 'key-format'
  | 'key-private'
  | 'key-json'
  | 'key-not-jwk'
  | 'key-pem';

/** A problem with the pasted text or key: a code, an English sentence, and the values the sentence names. */
export interface PasteError {
  code: PasteErrorCode;
  message: string;
  params: Record<string, string>;
}

/** The outcome of reading a pasted text. */
export type PasteParse = { ok: true; input: PastedInput } | { ok: false; error: PasteError };

const JWT_CHARS = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]*)+$/;
const MAX_PASTE = 1_000_000;

function failure(code: PasteErrorCode, message: string, params: Record<string, string> = {}): PasteParse {
  return { ok: false, error: { code, message, params } };
}

function shorten(text: string, max = 40): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Splits a form-encoded text into its pairs (`+` is a space), or says which part is not `name=value`. */
function formPairs(text: string): [string, string][] | PasteParse {
  const pairs: [string, string][] = [];
  for (const chunk of text.split('&')) {
    if (chunk === '') continue;
    const at = chunk.indexOf('=');
    if (at <= 0) return failure('not-form', `“${shorten(chunk)}” is not name=value: a form body is name=value pairs joined by &.`, { chunk: shorten(chunk) });
    try {
      const decode = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
      pairs.push([decode(chunk.slice(0, at)), decode(chunk.slice(at + 1))]);
    } catch {
      return failure('form-encoding', `“${shorten(chunk)}” has a malformed percent-encoding (a % not followed by two hex digits).`, { chunk: shorten(chunk) });
    }
  }
  return pairs;
}

function normalizeTyp(typ: unknown): string {
  if (typeof typ !== 'string') return '';
  const lower = typ.toLowerCase();
  return lower.startsWith('application/') ? lower.slice('application/'.length) : lower;
}

/**
 * Guesses whether a decoded JWT is a request object or a client assertion: explicit typing first
 * (RFC 9101 §10.8), then authorization parameters, then the assertion's shape (iss = sub, a jti).
 */
export function detectRole(header: Record<string, unknown>, payload: Record<string, unknown>): PastedRole {
  if (normalizeTyp(header['typ']) === 'oauth-authz-req+jwt') return 'requestObject';
  const requestClaims = ['response_type', 'redirect_uri', 'scope', 'state', 'nonce', 'code_challenge', 'client_id'];
  if (requestClaims.some((name) => Object.hasOwn(payload, name))) return 'requestObject';
  if (typeof payload['sub'] === 'string' && payload['sub'] === payload['iss']) return 'clientAssertion';
  return 'requestObject';
}

/** Reads a bare JWT: 3 parts that decode; a JWE, another part count or undecodable parts are refused clearly. */
function readJwt(text: string): PasteParse {
  const parts = text.split('.').length;
  if (parts === 5)
    return failure(
      'jwe',
      'The token has 5 parts: it is an encrypted JWT (JWE). Only signed JWTs (JWS, 3 parts) can be explained; JAR-9: encrypted request objects are not supported.',
    );
  if (parts !== 3) return failure('jwt-parts', `The token has ${parts} dot-separated parts; a JWT has 3 (header.payload.signature).`, { parts: String(parts) });
  try {
    const { header, payload } = decodeCompactJwt(text, { maxBytes: MAX_PASTE * 2 });
    return { ok: true, input: { kind: 'jwt', token: text, role: detectRole(header, payload) } };
  } catch (e) {
    const reason = e instanceof JwtDecodeError ? e.message : String(e);
    return failure('jwt-undecodable', `The token is not a readable JWT: ${reason}.`, { reason });
  }
}

/**
 * Recognises a pasted text: an authorization URL (`https://…/authorize?…`, `/authorize?…` or a bare
 * `?query`), a form-encoded PAR body (`request=…&client_assertion=…`), or a bare JWT. Never throws.
 */
export function parsePasted(raw: string): PasteParse {
  const text = raw.trim();
  if (text === '') return failure('empty', 'Nothing was pasted.');
  if (text.length > MAX_PASTE) return failure('unrecognised', 'The text is larger than 1 MB.');
  if (text.startsWith('{'))
    return failure(
      'json-jws',
      'The text is JSON: paste a compact JWT (header.payload.signature), a URL or a form body. A JWS JSON serialization is not accepted.',
    );
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text) || text.startsWith('/')) {
    let url: URL;
    try {
      url = new URL(text, 'https://authorization-server.invalid');
    } catch {
      return failure('not-url', 'The text starts like a URL but is not a valid URL.');
    }
    if (/\s/.test(text)) return failure('not-url', 'The URL contains spaces or line breaks; a URL has them percent-encoded.');
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return failure('not-url', `The URL's scheme ${url.protocol} is not http or https.`);
    if (url.search === '' || url.search === '?')
      return failure('url-no-query', 'The URL has no query string: an authorization request carries its parameters after “?”.');
    const pairs = formPairs(url.search.slice(1));
    if (!Array.isArray(pairs)) return pairs;
    const endpoint = text.startsWith('/') ? url.pathname : `${url.origin}${url.pathname}`;
    return { ok: true, input: { kind: 'authorize-url', endpoint, params: pairs } };
  }
  if (text.startsWith('?')) {
    const pairs = formPairs(text.slice(1));
    if (!Array.isArray(pairs)) return pairs;
    return { ok: true, input: { kind: 'authorize-url', endpoint: '', params: pairs } };
  }
  if (JWT_CHARS.test(text)) return readJwt(text);
  if (text.includes('=')) {
    if (/\s/.test(text)) return failure('not-form', 'The form body contains spaces or line breaks; in a form body they are encoded (+ or %20).');
    const pairs = formPairs(text);
    if (!Array.isArray(pairs)) return pairs;
    return { ok: true, input: { kind: 'par-body', params: pairs } };
  }
  return failure('unrecognised', 'The text is not a URL, not a form body (name=value&…) and not a JWT (header.payload.signature).');
}

/** The first value of each parameter. */
export function firstValues(params: readonly [string, string][]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of params) if (!Object.hasOwn(out, name)) out[name] = value;
  return out;
}

/** Non-empty value of a parameter (the server treats an empty value as absent: RFC 6749 §3.1). */
function param(params: readonly [string, string][], name: string): string | undefined {
  const value = params.find(([n]) => n === name)?.[1];
  return value === undefined || value === '' ? undefined : value;
}

/** The JWTs a pasted input carries, in the order the server reads them (the client's assertion first at PAR). */
export function pastedJwts(input: PastedInput, roleOverride?: PastedRole): { role: PastedRole; token: string }[] {
  if (input.kind === 'jwt') return [{ role: roleOverride ?? input.role, token: input.token }];
  const out: { role: PastedRole; token: string }[] = [];
  const assertion = param(input.params, 'client_assertion');
  const request = param(input.params, 'request');
  if (input.kind === 'par-body' && assertion !== undefined) out.push({ role: 'clientAssertion', token: assertion });
  if (request !== undefined) out.push({ role: 'requestObject', token: request });
  return out;
}

function decodedPayload(token: string | undefined): Record<string, unknown> | undefined {
  if (token === undefined) return undefined;
  try {
    return decodeCompactJwt(token.trim(), { maxBytes: MAX_PASTE * 2 }).payload;
  } catch {
    return undefined;
  }
}

function claim(payload: Record<string, unknown> | undefined, name: string): string | undefined {
  const value = payload?.[name];
  if (typeof value === 'string' && value !== '') return value;
  if (name === 'aud' && Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

/** The expected values the input suggests; every one can be changed before explaining. */
export interface PasteExpectations {
  /** The authorization server's issuer (JAR-11, PKJ-8). */
  issuer: string;
  /** The URL receiving a client assertion (PKJ-8): the PAR endpoint for a PAR body, else the token endpoint. */
  audience: string;
  /** The client's client_id (JAR-2, JAR-10, PAR-11, PKJ-3). */
  clientId: string;
}

/**
 * The server an /authorize URL was sent to (`https://host/` for `https://host/authorize`), offered as a
 * suggestion the user picks explicitly; `''` for a PAR body, a bare JWT or a relative URL. Never a JWT's
 * aud: a request object whose aud names the wrong domain would otherwise be judged against itself.
 */
export function serverOfUrl(input: PastedInput): string {
  if (input.kind !== 'authorize-url' || !/^https?:\/\//.test(input.endpoint)) return '';
  return input.endpoint.replace(/\/(v1\/)?authorize\/?$/, '/');
}

/**
 * The expected values to prefill: the client_id from the parameters, else the JWTs; the audience a client
 * assertion may name (PKJ-8: the PAR endpoint for a PAR body, else the token endpoint) under the issuer
 * given. The issuer itself is never prefilled from the input (it comes from the user, a saved target or a
 * discovery document): until it is given, the rules that need it are not evaluated.
 */
export function expectationsFor(input: PastedInput, roleOverride?: PastedRole, issuer = ''): PasteExpectations {
  const jwts = pastedJwts(input, roleOverride);
  const requestObject = decodedPayload(jwts.find((j) => j.role === 'requestObject')?.token);
  const assertion = decodedPayload(jwts.find((j) => j.role === 'clientAssertion')?.token);
  const params = input.kind === 'jwt' ? [] : input.params;
  const clientId =
    param(params, 'client_id') ?? claim(assertion, 'sub') ?? claim(requestObject, 'client_id') ?? claim(requestObject, 'iss') ?? claim(assertion, 'iss') ?? '';
  const audience = issuer.trim() === '' ? '' : underIssuer(issuer.trim(), input.kind === 'par-body' ? 'oauth/par' : 'oauth/token');
  return { issuer: issuer.trim(), audience, clientId };
}

// ---------- Request-level rules ----------

function outcome(
  id: string,
  passed: boolean,
  rule: { summary: string; fix: string; source: string },
  expected: string,
  actual: string,
  message?: string,
): RuleOutcome {
  return {
    id,
    passed,
    summary: rule.summary,
    message: passed ? rule.summary : (message ?? rule.summary),
    fix: rule.fix,
    source: rule.source,
    expected,
    actual,
  };
}

/** The request-level rules, worded as the server words them (electron/core/server/…). */
export const REQUEST_LEVEL_RULES = {
  'AZR-9': { summary: 'Each parameter appears at most once.', fix: 'Send each parameter once.', source: 'RFC 6749 §3.1, §3.2' },
  'JAR-1': {
    summary: 'request and request_uri are not both present.',
    fix: 'Send either the request object (request) or a pushed request_uri, not both.',
    source: 'RFC 9101 §5; OIDC Core §6',
  },
  'JAR-2': {
    summary: 'The query carries client_id even when a request object is used.',
    fix: 'Add client_id to the query string next to request.',
    source: 'RFC 9101 §5; Auth0 JAR docs (A1)',
  },
  'AZR-1': {
    summary: 'request_uri is one this server issued at its PAR endpoint (urn:ietf:params:oauth:request_uri:…); an http(s) request_uri is never fetched.',
    fix: 'Push the request to the PAR endpoint and send the request_uri it returns.',
    source: 'OIDC Core §6.2; RFC 9126 §2.2; Auth0 discovery (A16)',
  },
  'AZR-2': { summary: 'client_id is sent with request_uri.', fix: 'Send client_id next to request_uri.', source: 'RFC 9126 §4; Auth0 PAR API (A5)' },
  'AZQ-0': {
    summary: 'The request carries the client_id of a registered application.',
    fix: 'Add client_id to the request.',
    source: 'RFC 6749 §4.1.1, §4.1.2.1',
  },
  'PAR-6': {
    summary: 'request_uri is not accepted at the PAR endpoint.',
    fix: 'Send the parameters (or a request object), not a request_uri.',
    source: 'RFC 9126 §2.1',
  },
  'PAR-4': {
    summary: 'The client authenticates at the PAR endpoint; public clients cannot push requests.',
    fix: 'Authenticate with the client secret (client_id and client_secret, or an Authorization: Basic header) or a private_key_jwt client_assertion.',
    source: 'RFC 9126 §2, §2.1; Auth0 PAR (A3: public applications are not supported)',
  },
  'PKJ-1': {
    summary: 'client_assertion_type is exactly urn:ietf:params:oauth:client-assertion-type:jwt-bearer and comes with one client_assertion.',
    fix: 'Send client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer together with client_assertion.',
    source: 'RFC 7523 §2.2; RFC 7521 §4.2',
  },
  'PKJ-2': {
    summary: 'The client uses one authentication mechanism only (no secret or Basic header alongside an assertion).',
    fix: 'Send either client_assertion, or client_secret, or an Authorization: Basic header — not several.',
    source: 'RFC 6749 §2.3',
  },
} as const;

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const PAR_URN = 'urn:ietf:params:oauth:request_uri:';

function duplicates(params: readonly [string, string][]): RuleOutcome {
  const counts = new Map<string, number>();
  for (const [name] of params) counts.set(name, (counts.get(name) ?? 0) + 1);
  const repeated = [...counts].filter(([, n]) => n > 1);
  if (repeated.length === 0) return outcome('AZR-9', true, REQUEST_LEVEL_RULES['AZR-9'], 'each parameter once', `${counts.size} distinct parameters`);
  const actual = repeated.map(([name, n]) => `${name} ${n} times`).join(', ');
  const names = repeated.map(([name]) => name).join(', ');
  return outcome(
    'AZR-9',
    false,
    REQUEST_LEVEL_RULES['AZR-9'],
    'each parameter once',
    actual,
    `${names} ${repeated.length === 1 ? 'appears' : 'appear'} more than once; the server refuses the request (invalid_request).`,
  );
}

/** The request-level rules of an /authorize URL, in the server's order (assemble.ts). */
function authorizeChecks(params: readonly [string, string][]): RuleOutcome[] {
  const out: RuleOutcome[] = [duplicates(params)];
  const request = param(params, 'request');
  const requestUri = param(params, 'request_uri');
  const clientId = param(params, 'client_id');
  const shape =
    request !== undefined && requestUri !== undefined ? 'both' : request !== undefined ? 'request' : requestUri !== undefined ? 'request_uri' : 'neither';
  out.push(
    outcome(
      'JAR-1',
      shape !== 'both',
      REQUEST_LEVEL_RULES['JAR-1'],
      'request or request_uri, not both',
      shape,
      'The URL carries both request and request_uri; the server refuses it (invalid_request: request and request_uri parameters must not be used together).',
    ),
  );
  if (clientId === undefined) {
    if (request !== undefined)
      out.push(
        outcome(
          'JAR-2',
          false,
          REQUEST_LEVEL_RULES['JAR-2'],
          'client_id in the query',
          '(absent)',
          'The query has no client_id; it is required next to request (invalid_request: Missing required parameter: client_id).',
        ),
      );
    else if (requestUri !== undefined)
      out.push(
        outcome(
          'AZR-2',
          false,
          REQUEST_LEVEL_RULES['AZR-2'],
          'client_id in the query',
          '(absent)',
          'The query has no client_id; it is required next to request_uri.',
        ),
      );
    else
      out.push(
        outcome(
          'AZQ-0',
          false,
          REQUEST_LEVEL_RULES['AZQ-0'],
          'client_id',
          '(absent)',
          'The request has no client_id (invalid_request: Missing required parameter: client_id).',
        ),
      );
  } else if (requestUri !== undefined && request === undefined) {
    out.push(outcome('AZR-2', true, REQUEST_LEVEL_RULES['AZR-2'], 'client_id in the query', clientId));
  } else if (request === undefined) {
    out.push(outcome('AZQ-0', true, REQUEST_LEVEL_RULES['AZQ-0'], 'client_id', clientId));
  }
  if (requestUri !== undefined) {
    const pushed = requestUri.startsWith(PAR_URN);
    out.push(
      outcome(
        'AZR-1',
        pushed,
        REQUEST_LEVEL_RULES['AZR-1'],
        `${PAR_URN}…`,
        shorten(requestUri, 80),
        /^https?:/i.test(requestUri)
          ? 'The request_uri is an http(s) URL; the server never fetches one (request_uri_not_supported).'
          : 'The request_uri is not one a PAR endpoint issued (request_uri_not_supported).',
      ),
    );
  }
  return out;
}

/**
 * The client-authentication rules of a PAR or token request body (PKJ-1, PKJ-2), in the server's order
 * (client-auth.ts). `basicAuth`: the request also carried an Authorization: Basic header (a HAR shows
 * headers; a pasted body does not).
 */
export function clientAuthChecks(params: readonly [string, string][], basicAuth = false): RuleOutcome[] {
  const out: RuleOutcome[] = [];
  const assertion = param(params, 'client_assertion');
  const assertionType = param(params, 'client_assertion_type');
  const secret = param(params, 'client_secret');
  if (assertion !== undefined || assertionType !== undefined) {
    if (assertionType !== JWT_BEARER) {
      out.push(
        outcome(
          'PKJ-1',
          false,
          REQUEST_LEVEL_RULES['PKJ-1'],
          JWT_BEARER,
          assertionType ?? '(absent)',
          assertionType === undefined
            ? 'The body has a client_assertion but no client_assertion_type.'
            : `client_assertion_type is "${shorten(assertionType, 80)}", not ${JWT_BEARER}.`,
        ),
      );
    } else if (assertion === undefined) {
      out.push(
        outcome(
          'PKJ-1',
          false,
          REQUEST_LEVEL_RULES['PKJ-1'],
          'a JWT in client_assertion',
          '(absent)',
          'The body has client_assertion_type but no client_assertion.',
        ),
      );
    } else {
      out.push(outcome('PKJ-1', true, REQUEST_LEVEL_RULES['PKJ-1'], JWT_BEARER, assertionType));
    }
    const other = secret !== undefined ? 'client_secret' : basicAuth ? 'an Authorization: Basic header' : undefined;
    out.push(
      outcome(
        'PKJ-2',
        other === undefined,
        REQUEST_LEVEL_RULES['PKJ-2'],
        'one authentication mechanism',
        other === undefined ? 'client_assertion' : `client_assertion and ${other}`,
        other === 'client_secret'
          ? 'The body carries both a client_assertion and a client_secret; use one mechanism (invalid_request).'
          : 'The request carries both a client_assertion and an Authorization: Basic header; use one mechanism (invalid_request).',
      ),
    );
  }
  return out;
}

/** The request-level rules of a PAR body, in the server's order (par/index.ts, client-auth.ts). */
function parChecks(params: readonly [string, string][], basicAuth = false): RuleOutcome[] {
  const out: RuleOutcome[] = [duplicates(params)];
  const requestUri = param(params, 'request_uri');
  out.push(
    outcome(
      'PAR-6',
      requestUri === undefined,
      REQUEST_LEVEL_RULES['PAR-6'],
      'no request_uri',
      requestUri === undefined ? '(absent)' : 'request_uri sent',
      'The body carries a request_uri; the PAR endpoint refuses it (invalid_request).',
    ),
  );
  const assertion = param(params, 'client_assertion');
  const secret = param(params, 'client_secret');
  const clientId = param(params, 'client_id');
  out.push(...clientAuthChecks(params, basicAuth));
  if (assertion !== undefined) {
    out.push(outcome('PAR-4', true, REQUEST_LEVEL_RULES['PAR-4'], 'client authentication', 'private_key_jwt (client_assertion)'));
  } else if (secret !== undefined) {
    out.push(
      clientId === undefined
        ? outcome(
            'PAR-4',
            false,
            REQUEST_LEVEL_RULES['PAR-4'],
            'client_id and client_secret',
            'client_secret without client_id',
            'The body has a client_secret but no client_id (client_secret_post needs both).',
          )
        : outcome('PAR-4', true, REQUEST_LEVEL_RULES['PAR-4'], 'client authentication', 'client_secret_post'),
    );
  } else if (basicAuth) {
    out.push(outcome('PAR-4', true, REQUEST_LEVEL_RULES['PAR-4'], 'client authentication', 'client_secret_basic (Authorization: Basic)'));
  } else {
    out.push(
      outcome(
        'PAR-4',
        false,
        REQUEST_LEVEL_RULES['PAR-4'],
        'client authentication (client_assertion, client_secret or Basic)',
        clientId === undefined ? 'no client_id, no client authentication' : 'client_id only',
        'The body carries no client authentication (no client_assertion, no client_secret). Unless it came with an Authorization: Basic header (not part of a pasted body), the server refuses it: public clients cannot push requests (invalid_client).',
      ),
    );
  }
  return out;
}

/** What to explain a pasted input against. */
export interface PasteOptions extends PasteExpectations {
  profile: ProfileId;
  /** Seconds since the epoch. */
  now: number;
  /** Overrides the detected role of a bare JWT. */
  role?: PastedRole;
  /** The core's `jwt.verify` verdicts against the pasted key, by role; absent or null when no key was given. */
  signatures?: Partial<Record<PastedRole, VerifyResult | null>>;
  /** The request also carried an Authorization: Basic header (known from a HAR; a pasted body has no headers). */
  basicAuth?: boolean;
}

/**
 * The full explanation of a pasted input: request-level rules first, then for each JWT (the client
 * assertion before the request object at PAR) its lint with the chosen profile and its signature.
 */
export function explainPasted(input: PastedInput, options: PasteOptions): Explanation {
  const groups: OutcomeGroup[] = [];
  const notes: ExplainNote[] = [];
  const requestSubject: ExplainSubject = { kind: 'request' };
  if (input.kind === 'authorize-url') groups.push({ outcomes: authorizeChecks(input.params), subject: requestSubject });
  if (input.kind === 'par-body') groups.push({ outcomes: parChecks(input.params, options.basicAuth === true), subject: requestSubject });

  const params = input.kind === 'jwt' ? [] : input.params;
  const target: LintTarget = {
    issuer: options.issuer,
    clientId: options.clientId,
    profile: options.profile,
    now: options.now,
    endpoint: input.kind === 'par-body' ? 'par' : 'authorize',
    ...(input.kind === 'authorize-url' ? { outerParams: firstValues(params) } : {}),
    ...(options.audience === '' ? {} : { endpointUrl: options.audience }),
    ...(param(params, 'client_id') === undefined ? {} : { clientIdParam: param(params, 'client_id')! }),
  };
  const jwts = pastedJwts(input, options.role);
  for (const { role, token } of jwts) {
    const subject: ExplainSubject = { kind: role };
    groups.push(lintTokenGroup(role, token, target, subject));
    const signature = signatureGroup(role, token, options.signatures?.[role], notes);
    if (signature) groups.push(signature);
  }
  if (jwts.length === 0) {
    const requestUri = param(params, 'request_uri');
    notes.push({ code: requestUri !== undefined && input.kind === 'authorize-url' ? 'pushed-request' : 'no-jwt' });
  }
  // One note per kind is enough: a bad key stops every signature check alike.
  const seen = new Set<string>();
  const unique = notes.filter((n) => {
    const key = n.code === 'key-invalid' ? n.code : `${n.code}:${n.subject?.kind ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { ...explainGroups(groups, unique), evaluatedAt: options.now };
}

// ---------- Keys ----------

/**
 * A quick look at a pasted key before the core reads it: PEM (public key or certificate) or JSON (a JWK
 * or a JWKS). `null` when it looks usable; the core still has the last word (`jwt.verify`).
 */
export function checkKeyText(raw: string): PasteError | null {
  const text = raw.trim();
  if (text === '') return null;
  if (text.startsWith('-----BEGIN')) {
    const label = /^-----BEGIN ([A-Z0-9 ]+)-----/.exec(text)?.[1] ?? '';
    if (label.includes('PRIVATE KEY'))
      return { code: 'key-private', message: `The key is a ${label}: paste the public key, the certificate or the JWKS instead.`, params: { label } };
    if (!text.includes(`-----END ${label}-----`))
      return { code: 'key-pem', message: `The PEM ${label} has no matching -----END ${label}----- line.`, params: { label } };
    if (!['PUBLIC KEY', 'RSA PUBLIC KEY', 'CERTIFICATE'].includes(label))
      return { code: 'key-pem', message: `The PEM is a ${label}; paste a PUBLIC KEY or a CERTIFICATE.`, params: { label } };
    return null;
  }
  if (text.startsWith('{')) {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      return {
        code: 'key-json',
        message: `The key is not valid JSON (${e instanceof Error ? e.message : 'parse error'}).`,
        params: { reason: e instanceof Error ? e.message : 'parse error' },
      };
    }
    const record = doc as Record<string, unknown>;
    if (Array.isArray(record['keys']) || typeof record['kty'] === 'string') {
      if (typeof record['d'] === 'string')
        return { code: 'key-private', message: 'The JWK holds a private key (it has "d"): paste its public half.', params: { label: 'JWK' } };
      return null;
    }
    return { code: 'key-not-jwk', message: 'The JSON is neither a JWK (no "kty") nor a JWKS (no "keys" array).', params: {} };
  }
  return { code: 'key-format', message: 'The key is neither PEM (-----BEGIN PUBLIC KEY----- or CERTIFICATE) nor JSON (a JWK or a JWKS).', params: {} };
}
