/**
 * The composer's model, free of React: drafts (a JOSE header and a JWT payload as plain JSON), the claims
 * each mode's form knows, the profiles each mode offers, which algs a key and a profile allow, the
 * templates (from the Auth0 JAR and private_key_jwt pages), and the URLs a signed token is sent with.
 */
import type { JsonObject, ProfileId } from '../../../../shared/jwt';
import { profileOf } from '../../../../shared/jwt';
import type { KeySummary, KeyUsage, SigningAlg } from '../../../../shared/schemas/keys';
import { SIGNING_ALGS } from '../../../../shared/schemas/keys';
import type { ComposeMode, Draft } from '../../state/compose-slice';

// The shapes the store keeps are declared with it (state/ never imports features/); the model uses them.
export type { AssertionEndpoint, ComposeMode, Draft, JarEndpoint } from '../../state/compose-slice';

/** The `client_assertion_type` of RFC 7523 §2.2. */
export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** The profiles offered per mode (Okta only for assertions: its `aud` is the token endpoint). */
export const PROFILES_BY_MODE: Readonly<Record<ComposeMode, readonly ProfileId[]>> = {
  jar: ['auth0', 'strict', 'fapi1', 'fapi2'],
  assertion: ['auth0', 'strict', 'fapi2', 'okta'],
};

/** The key usage each mode wants. */
export const USAGE_BY_MODE: Readonly<Record<ComposeMode, KeyUsage>> = { jar: 'jar', assertion: 'client-auth' };

/** The `typ` values offered per mode. */
export const TYPS_BY_MODE: Readonly<Record<ComposeMode, readonly string[]>> = {
  jar: ['oauth-authz-req+jwt', 'jwt'],
  assertion: ['JWT'],
};

/** How a claim's text field reads and writes its value. */
export type ClaimKind = 'string' | 'date' | 'aud';

/** A claim the form has a field for. */
export interface ClaimSpec {
  name: string;
  kind: ClaimKind;
  /** Offers a "Generate" button (random base64url). */
  generate?: boolean;
}

/** The request-object claims the form shows, in order (the seed's list and the Auth0 /authorize parameters). */
export const JAR_CLAIMS: readonly ClaimSpec[] = [
  { name: 'iss', kind: 'string' },
  { name: 'aud', kind: 'aud' },
  { name: 'client_id', kind: 'string' },
  { name: 'response_type', kind: 'string' },
  { name: 'redirect_uri', kind: 'string' },
  { name: 'scope', kind: 'string' },
  { name: 'audience', kind: 'string' },
  { name: 'state', kind: 'string', generate: true },
  { name: 'nonce', kind: 'string', generate: true },
  { name: 'code_challenge', kind: 'string' },
  { name: 'code_challenge_method', kind: 'string' },
  { name: 'iat', kind: 'date' },
  { name: 'nbf', kind: 'date' },
  { name: 'exp', kind: 'date' },
  { name: 'jti', kind: 'string', generate: true },
];

/** The client-assertion claims the form shows, in order (RFC 7523 §3). */
export const ASSERTION_CLAIMS: readonly ClaimSpec[] = [
  { name: 'iss', kind: 'string' },
  { name: 'sub', kind: 'string' },
  { name: 'aud', kind: 'aud' },
  { name: 'jti', kind: 'string', generate: true },
  { name: 'iat', kind: 'date' },
  { name: 'exp', kind: 'date' },
];

/** The claims the form has fields for in a mode. */
export function claimsFor(mode: ComposeMode): readonly ClaimSpec[] {
  return mode === 'jar' ? JAR_CLAIMS : ASSERTION_CLAIMS;
}

/** The claims without a field of their own (shown as custom rows), in payload order. */
export function customClaimNames(mode: ComposeMode, payload: JsonObject): string[] {
  const known = new Set(claimsFor(mode).map((c) => c.name));
  return Object.keys(payload).filter((name) => !known.has(name));
}

/** A claim as a text field shows it: strings as they are, absent as empty, anything else as JSON. */
export function claimText(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? '';
}

/** Reads a field's text back into a claim value; `undefined` removes the claim. */
export function claimValue(text: string, kind: ClaimKind | 'json'): unknown {
  if (text === '') return undefined;
  if (kind === 'date') {
    const trimmed = text.trim();
    // A number stays a number; anything else is kept as typed so the lint can say what is wrong with it.
    return /^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : text;
  }
  if (kind === 'aud' || kind === 'json') {
    const trimmed = text.trim();
    const looksJson = kind === 'aud' ? trimmed.startsWith('[') : /^[[{"\d-]|^(true|false|null)$/.test(trimmed);
    if (looksJson) {
      try {
        return JSON.parse(trimmed) as unknown;
      } catch {
        return text;
      }
    }
  }
  return text;
}

/** Sets (or, with `undefined`, removes) a member, keeping the other members' order. */
export function withMember(object: JsonObject, name: string, value: unknown): JsonObject {
  if (value === undefined) {
    const { [name]: _removed, ...rest } = object;
    return rest;
  }
  return { ...object, [name]: value };
}

/** An issuer as the rules compare it: trimmed, with its trailing slash (JAR-11 compares exactly). */
export function normalizeIssuer(issuer: string): string {
  const trimmed = issuer.trim();
  if (trimmed === '') return '';
  return trimmed.endsWith('/') ? trimmed : `${trimmed}/`;
}

/** The token endpoint of an issuer (Auth0's path). */
export function tokenEndpointOf(issuer: string): string {
  return `${issuer}oauth/token`;
}

/** The PAR endpoint of an issuer (Auth0's path). */
export function parEndpointOf(issuer: string): string {
  return `${issuer}oauth/par`;
}

/** The `aud` a client assertion carries for a profile: the token endpoint for Okta-style profiles, else the issuer. */
export function assertionAudience(issuer: string, profile: ProfileId): string {
  return profileOf(profile).clientAssertion.audience === 'token-endpoint' ? tokenEndpointOf(issuer) : issuer;
}

/** Why a signing alg is not offered. */
export type HiddenReason = 'key' | 'profile';

/** The algs offered for a key and profile, and why the others are hidden. */
export interface AlgChoice {
  allowed: SigningAlg[];
  hidden: { alg: SigningAlg; reason: HiddenReason }[];
}

/** The algs the key can sign with AND the profile accepts for the mode. */
export function algChoice(key: Pick<KeySummary, 'algs'> | null, profile: ProfileId, mode: ComposeMode): AlgChoice {
  const policy = profileOf(profile);
  const profileAlgs: readonly string[] = mode === 'jar' ? policy.requestObject.algs : policy.clientAssertion.algs;
  const allowed: SigningAlg[] = [];
  const hidden: AlgChoice['hidden'] = [];
  for (const alg of SIGNING_ALGS) {
    if (key && !key.algs.includes(alg)) hidden.push({ alg, reason: 'key' });
    else if (!profileAlgs.includes(alg)) hidden.push({ alg, reason: 'profile' });
    else allowed.push(alg);
  }
  return { allowed, hidden };
}

/** The alg a new draft starts with: RS256 when allowed (the seed's choice), else the first allowed. */
export function preferredAlg(allowed: readonly SigningAlg[]): SigningAlg | undefined {
  return allowed.includes('RS256') ? 'RS256' : allowed[0];
}

/** Whether a key suits a mode, and whether it is shared between JAR and client authentication. */
export function usageProblems(key: Pick<KeySummary, 'usages'>, mode: ComposeMode): { mismatch: boolean; reused: boolean } {
  return {
    mismatch: !key.usages.includes(USAGE_BY_MODE[mode]),
    reused: key.usages.includes('jar') && key.usages.includes('client-auth'),
  };
}

// ---------- Randomness, PKCE ----------

/** base64url without padding (RFC 4648 §5). */
export function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** `n` random bytes in base64url (16 bytes → 22 characters, well under JAR-14's 64). */
export function randomToken(n = 16): string {
  return base64url(crypto.getRandomValues(new Uint8Array(n)));
}

/** A PKCE pair (RFC 7636): a 43-character verifier from 32 random bytes and its S256 challenge. */
export async function generatePkce(): Promise<{ verifier: string; challenge: string }> {
  const verifier = randomToken(32);
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return { verifier, challenge: base64url(new Uint8Array(digest)) };
}

// ---------- Templates ----------

/** The templates offered. */
export const TEMPLATE_IDS = ['jar-code', 'par-jar', 'assertion'] as const;
/** A template. */
export type TemplateId = (typeof TEMPLATE_IDS)[number];

/** The mode a template composes in. */
export function templateMode(id: TemplateId): ComposeMode {
  return id === 'assertion' ? 'assertion' : 'jar';
}

/** What a template is filled with. */
export interface TemplateInput {
  issuer: string;
  clientId: string;
  profile: ProfileId;
  /** The key's thumbprint, used as `kid`. */
  kid: string | undefined;
  alg: SigningAlg | undefined;
  /** Seconds. */
  now: number;
  /** For `par-jar`: the S256 challenge of a fresh PKCE pair. */
  codeChallenge?: string;
  /** The client's first registered callback, when the client is known (else the docs' placeholder). */
  redirectUri?: string;
}

/** The redirect_uri of Auth0's JAR example, used when the client's callbacks are unknown. */
export const PLACEHOLDER_REDIRECT_URI = 'https://myapp.com/callback';
/** How long a fresh draft is valid: `exp` = `iat` + 5 minutes (a request object is used at once). */
export const DRAFT_LIFETIME_SECONDS = 300;

/** Fills a template: the seed's Node example, the PAR + JAR curl's object, or a private_key_jwt assertion. */
export function buildTemplate(id: TemplateId, input: TemplateInput): Draft {
  const { issuer, clientId, kid, alg, now } = input;
  const header = (typ: string): JsonObject => {
    let h: JsonObject = { alg: alg ?? 'RS256', typ };
    if (kid) h = { ...h, kid };
    return h;
  };
  if (id === 'assertion') {
    return {
      header: header('JWT'),
      payload: { iss: clientId, sub: clientId, aud: assertionAudience(issuer, input.profile), jti: randomToken(), iat: now, exp: now + DRAFT_LIFETIME_SECONDS },
    };
  }
  const payload: JsonObject = {
    iss: clientId,
    aud: issuer,
    client_id: clientId,
    response_type: 'code',
    scope: 'openid profile',
    redirect_uri: input.redirectUri ?? PLACEHOLDER_REDIRECT_URI,
    nonce: randomToken(),
    // iat, exp and jti: the strict and FAPI profiles require exp and jti, and a request object without
    // them cannot be told apart from a replay once logged (JAR-13, JAR-14).
    iat: now,
    exp: now + DRAFT_LIFETIME_SECONDS,
    jti: randomToken(),
  };
  if (id === 'jar-code') return { header: header('oauth-authz-req+jwt'), payload };
  return {
    header: header('oauth-authz-req+jwt'),
    payload: { ...payload, state: randomToken(), code_challenge: input.codeChallenge ?? '', code_challenge_method: 'S256' },
  };
}

/** Replaces the claims that named the previous client (iss, sub, client_id) with the new one. */
export function retargetClient(payload: JsonObject, previous: string, next: string): JsonObject {
  if (previous === next) return payload;
  let out = payload;
  for (const name of ['iss', 'sub', 'client_id']) {
    if (out[name] === previous) out = { ...out, [name]: next };
  }
  return out;
}

/**
 * Points `redirect_uri` at the new client's first callback when it held a default that the new client has
 * not registered (the docs' placeholder, or one of the previous client's callbacks); a URI the user typed
 * stays, and the lint says whether it is registered.
 */
export function retargetRedirectUri(payload: JsonObject, previousCallbacks: readonly string[], nextCallbacks: readonly string[]): JsonObject {
  const current = payload.redirect_uri;
  const first = nextCallbacks[0];
  if (first === undefined || typeof current !== 'string' || nextCallbacks.includes(current)) return payload;
  if (current !== PLACEHOLDER_REDIRECT_URI && !previousCallbacks.includes(current)) return payload;
  return { ...payload, redirect_uri: first };
}

/** Replaces an `aud` that was the previous default with the new default. */
export function retargetAudience(payload: JsonObject, previous: string, next: string): JsonObject {
  if (previous === next || payload.aud !== previous) return payload;
  return { ...payload, aud: next };
}

// ---------- Sending ----------

/** `{issuer}authorize?client_id=…&request=…` (RFC 9101 §5.1). */
export function authorizeUrl(issuer: string, clientId: string, jws: string): string {
  return `${issuer}authorize?client_id=${encodeURIComponent(clientId)}&request=${encodeURIComponent(jws)}`;
}

/** The seed's PAR + JAR curl, with the signed object (client authentication left as a placeholder). */
export function parCurl(issuer: string, clientId: string, jws: string): string {
  return [
    `curl --location '${parEndpointOf(issuer)}' \\`,
    `--header 'Content-Type: application/x-www-form-urlencoded' \\`,
    `--data-urlencode 'client_id=${clientId}' \\`,
    `--data-urlencode 'client_secret={YOUR_CLIENT_SECRET}' \\`,
    `--data-urlencode 'request=${jws}'`,
  ].join('\n');
}

/** The form fields of RFC 7523 §2.2, one per line. */
export function assertionFormFields(jws: string): string {
  return `client_assertion_type=${encodeURIComponent(CLIENT_ASSERTION_TYPE)}\nclient_assertion=${encodeURIComponent(jws)}`;
}

/** The Inspect screen's address for a token. */
export function inspectHref(jws: string): string {
  return `#/inspect?token=${encodeURIComponent(jws)}`;
}

/** Seconds since the epoch. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
