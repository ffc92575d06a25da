/**
 * DPoP test set-up: real keys generated at test time, real proofs signed with jose (and, for the shapes jose
 * refuses to produce — alg none, an unknown crit — signed with Node's crypto), the real embedded server of
 * ../auth/helpers.ts, and the code / token requests the DPoP tests repeat.
 */
import { createHash, generateKeyPairSync, randomUUID, sign as nodeSign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import type { JWK, JWTPayload } from 'jose';
import { nowSeconds } from '../../../../../../electron/core/clock';
import { rawRequest } from '../../../../../helpers/http';
import type { RawResponse } from '../../../../../helpers/http';
import type { RequestTrace } from '../../../../../../shared/schemas/server';
import type { Harness, TestClient } from '../endpoints/helpers';
import { Browser, CALLBACK, authorizeUrl, form, pkce, signIn } from '../endpoints/helpers';

/** A DPoP key pair: the private key, its public JWK and RFC 7638 thumbprint. */
export interface DpopKey {
  alg: string;
  privateKey: CryptoKey | KeyObject;
  jwk: JWK;
  jkt: string;
}

/** A fresh DPoP key (ES256 / P-256 by default, what every Auth0 SDK uses). */
export async function dpopKey(alg = 'ES256', options: { modulusLength?: number; crv?: string } = {}): Promise<DpopKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true, ...options });
  const jwk = await exportJWK(publicKey);
  return { alg, privateKey, jwk, jkt: await calculateJwkThumbprint(jwk) };
}

/** What a proof says; anything left out gets the correct value. */
export interface ProofOptions {
  htm?: string;
  htu: string;
  iat?: number | string;
  jti?: string;
  nonce?: string;
  /** The access token to hash into `ath`. */
  accessToken?: string;
  /** Claims to add or override (undefined removes one). */
  claims?: Record<string, unknown>;
  /** Protected-header members to add or override. */
  header?: Record<string, unknown>;
  /** Sign with this key instead (the header still names `key`'s jwk). */
  signWith?: DpopKey;
}

/** `ath`: base64url SHA-256 of the access token (RFC 9449 §4.2), computed independently of the server's code. */
export function ath(accessToken: string): string {
  return createHash('sha256').update(accessToken, 'ascii').digest('base64url');
}

function claimsOf(options: ProofOptions): JWTPayload {
  const claims: Record<string, unknown> = { jti: options.jti ?? randomUUID(), htm: options.htm ?? 'POST', htu: options.htu, iat: options.iat ?? nowSeconds() };
  if (options.nonce !== undefined) claims.nonce = options.nonce;
  if (options.accessToken !== undefined) claims.ath = ath(options.accessToken);
  for (const [k, v] of Object.entries(options.claims ?? {})) {
    if (v === undefined) delete claims[k];
    else claims[k] = v;
  }
  return claims as JWTPayload;
}

/** A real DPoP proof signed with jose. */
export async function proof(key: DpopKey, options: ProofOptions): Promise<string> {
  const header = { alg: key.alg, typ: 'dpop+jwt', jwk: key.jwk, ...options.header };
  return new SignJWT(claimsOf(options)).setProtectedHeader(header as { alg: string }).sign((options.signWith ?? key).privateKey);
}

/**
 * A compact JWS over any header, for what jose refuses to sign (an unknown `crit`, `alg: none`, RSA-1024):
 * SHA-256 with Node's crypto (ES256 or RS256 by the key's type), or unsigned without a key.
 */
export function rawProof(header: Record<string, unknown>, options: ProofOptions, signer?: KeyObject): string {
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(claimsOf(options))).toString('base64url')}`;
  if (signer === undefined) return `${input}.`;
  const signature =
    signer.asymmetricKeyType === 'ec'
      ? nodeSign('sha256', Buffer.from(input), { key: signer, dsaEncoding: 'ieee-p1363' })
      : nodeSign('sha256', Buffer.from(input), signer);
  return `${input}.${signature.toString('base64url')}`;
}

/** An EC P-256 key as Node KeyObjects with its public JWK (for rawProof). */
export function nodeEcKey(): { privateKey: KeyObject; jwk: JWK } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { privateKey, jwk: publicKey.export({ format: 'jwk' }) as JWK };
}

/** Where each harness's trace list stood when the last request was sent (see `traceOf`). */
const marks = new WeakMap<Harness, number>();

/** Notes that a request is about to be sent: `traceOf` then looks only at traces recorded after this point. */
export function mark(h: Harness): void {
  marks.set(h, h.traces.length);
}

/**
 * The trace of the last request sent to an endpoint (after `mark`): traces are recorded when the response has
 * been sent, so a test that reads the response may look before its own trace exists; this waits for it.
 */
export async function traceOf(h: Harness, endpoint: string): Promise<RequestTrace> {
  const since = marks.get(h) ?? 0;
  for (let i = 0; i < 200; i++) {
    const found = h.traces
      .slice(since)
      .filter((t) => t.endpoint === endpoint)
      .at(-1);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no trace for ${endpoint}`);
}

/** Runs /authorize through sign-in for `client` and returns the code (PKCE when a verifier is given). */
export async function codeFor(h: Harness, client: TestClient, extra: Record<string, string> = {}): Promise<string> {
  const cb = await signIn(
    h,
    new Browser(),
    authorizeUrl(h, {
      client_id: client.client_id,
      response_type: 'code',
      redirect_uri: CALLBACK,
      scope: 'openid profile email offline_access',
      state: 's',
      ...extra,
    }),
  );
  const code = cb.searchParams.get('code');
  if (!code) throw new Error(`no code: ${cb.href}`);
  return code;
}

/** A code and its PKCE verifier for a public client. */
export async function publicCode(h: Harness, client: TestClient, extra: Record<string, string> = {}): Promise<{ code: string; verifier: string }> {
  const { verifier, challenge } = pkce();
  const code = await codeFor(h, client, { code_challenge: challenge, code_challenge_method: 'S256', ...extra });
  return { code, verifier };
}

/** POST /oauth/token with an optional DPoP header. */
export function token(h: Harness, fields: Record<string, string>, dpop?: string): Promise<Response> {
  mark(h);
  return form(`${h.base}oauth/token`, fields, dpop === undefined ? {} : { dpop });
}

/** The client-authentication fields of a client (secret or public). */
export function credentialsOf(client: TestClient): Record<string, string> {
  return client.client_secret === undefined ? { client_id: client.client_id } : { client_id: client.client_id, client_secret: client.client_secret };
}

/** The code-exchange fields. */
export function codeFields(client: TestClient, code: string, verifier?: string): Record<string, string> {
  return {
    grant_type: 'authorization_code',
    redirect_uri: CALLBACK,
    code,
    ...credentialsOf(client),
    ...(verifier === undefined ? {} : { code_verifier: verifier }),
  };
}

/** A raw POST (headers fetch() forbids: Host, a repeated DPoP field). */
export function rawPost(h: Harness, path: string, fields: Record<string, string>, headers: Record<string, string | string[]>): Promise<RawResponse> {
  const port = Number(new URL(h.base).port);
  mark(h);
  return rawRequest(port, {
    method: 'POST',
    path,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(headers as Record<string, string>) },
    body: new URLSearchParams(fields).toString(),
  });
}

/** The token URL the server computes (from configuration). */
export const tokenUrl = (h: Harness): string => `${h.base}oauth/token`;
export const parUrl = (h: Harness): string => `${h.base}oauth/par`;
export const userinfoUrl = (h: Harness): string => `${h.base}userinfo`;

/** Asserts a rule's outcome in the trace of the last request to an endpoint, and returns that trace. */
export async function expectRule(h: Harness, endpoint: string, id: string, passed: boolean): Promise<RequestTrace> {
  const trace = await traceOf(h, endpoint);
  if (!trace.rules.some((r) => r.id === id && r.passed === passed))
    throw new Error(`${id} ${passed ? 'passed' : 'failed'} not in ${JSON.stringify(trace.rules.map((r) => `${r.id}:${r.passed}`))}`);
  return trace;
}
