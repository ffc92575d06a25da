/**
 * DPoP (RFC 9449) on the client side of a flow: proofs signed with a vault key (the private key never
 * leaves the vault; the proof's header carries the public JWK), the latest server nonce per origin, and
 * the one retry a nonce challenge allows (../shared/spec/dpop-rules.md §11).
 */
import { createHash } from 'node:crypto';
import type { FlowExchange, FlowJwt, FlowTarget } from '../../../shared/schemas/flows';
import type { PublicJwk, SigningAlg } from '../../../shared/schemas/keys';
import { nowSeconds } from '../clock';
import { randomToken } from '../random';
import type { Vault } from '../vault';
import { FlowStepError } from './flow-error';
import type { FlowFetch, FlowRequest, FlowResponse } from './http-exchange';
import { sendRecorded } from './http-exchange';
import { algTheServerLists } from './server-algs';

/**
 * The algorithms tried for a key, in order of preference: the key's own list (ES256 for P-256, ES384 for
 * P-384), except that for RSA PS256 comes before RS256 (FAPI 2 allows PS256 only; Auth0 lists RS256).
 */
const RSA_PREFERENCE: readonly SigningAlg[] = ['PS256', 'RS256', 'PS384', 'RS384', 'PS512', 'RS512'];

/** The key a run signs its proofs with: the vault key, the alg chosen, its public JWK and RFC 7638 thumbprint. */
export interface DpopKey {
  keyId: string;
  alg: SigningAlg;
  /** The public JWK as the proof header carries it: the required members only (no kid, alg or use). */
  jwk: Record<string, string>;
  /** base64url SHA-256 thumbprint (RFC 7638): `dpop_jkt`, and the `cnf.jkt` of a bound token. */
  thumbprint: string;
}

/** The required public members of a JWK (RFC 7638 §3.2), in the order a proof header shows them. */
function publicMembers(jwk: PublicJwk): Record<string, string> {
  const pick = (names: readonly string[]): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const name of names) {
      const value = (jwk as unknown as Record<string, unknown>)[name];
      if (typeof value === 'string') out[name] = value;
    }
    return out;
  };
  if (jwk.kty === 'RSA') return pick(['kty', 'e', 'n']);
  return jwk.kty === 'OKP' ? pick(['crv', 'kty', 'x']) : pick(['kty', 'crv', 'x', 'y']);
}

/**
 * The target's DPoP key, with the alg the server accepts (`dpop_signing_alg_values_supported`). A server
 * that lists algorithms but none the key can sign with is refused here, before any request carries a
 * proof it would reject. A server that lists none is tried with the key's preferred alg.
 */
export function dpopKeyOf(vault: Vault, target: FlowTarget, serverAlgs: readonly string[] | undefined): DpopKey {
  const keyId = target.dpop?.keyId;
  if (!keyId) throw new FlowStepError('configuration', 'DPoP needs a vault key to sign proofs with: choose one in the target.');
  const key = vault.get(keyId);
  if (!key.hasPrivateKey) throw new FlowStepError('configuration', `The DPoP key "${key.name}" has no private key in the vault, so it cannot sign proofs.`);
  const ordered = key.kty === 'RSA' ? RSA_PREFERENCE.filter((a) => key.algs.includes(a)) : key.algs;
  const alg = algTheServerLists(key, ordered, 'DPoP proofs', 'dpop_signing_alg_values_supported', serverAlgs);
  return { keyId, alg, jwk: publicMembers(key.publicJwk), thumbprint: key.thumbprint };
}

/** `htu`: the request URL without query and fragment, otherwise as the request is sent (RFC 9449 §4.2). */
export function htuOf(url: string): string {
  const u = new URL(url);
  u.search = '';
  u.hash = '';
  return u.href;
}

/** `ath`: base64url SHA-256 of the access token's ASCII bytes, exactly as sent after `DPoP ` (RFC 9449 §4.2). */
export function athOf(accessToken: string): string {
  return createHash('sha256').update(accessToken, 'ascii').digest('base64url');
}

/** What a proof is for. */
export interface ProofRequest {
  htm: 'GET' | 'POST';
  url: string;
  /** Resource requests (userinfo): the access token the proof is bound to through `ath`. */
  accessToken?: string;
  nonce?: string;
}

/** A fresh proof (new jti, iat from the core's clock) signed in the vault. */
export async function signProof(vault: Vault, key: DpopKey, request: ProofRequest): Promise<string> {
  const payload: Record<string, unknown> = { jti: randomToken(16), htm: request.htm, htu: htuOf(request.url), iat: nowSeconds() };
  if (request.nonce !== undefined) payload['nonce'] = request.nonce;
  if (request.accessToken !== undefined) payload['ath'] = athOf(request.accessToken);
  return (await vault.sign(key.keyId, { alg: key.alg, typ: 'dpop+jwt', jwk: key.jwk }, payload)).jws;
}

/** Nonces per server (origin) for one run: the latest `DPoP-Nonce` any response gave (RFC 9449 §8). */
export class DpopNonces {
  readonly #byOrigin = new Map<string, string>();

  get(url: string): string | undefined {
    return this.#byOrigin.get(new URL(url).origin);
  }

  /** Keeps the response's `DPoP-Nonce`, success or error alike (Auth0 sends one on 200s too, DPN-5). */
  update(url: string, response: FlowResponse): void {
    const nonce = response.headers.get('dpop-nonce');
    if (nonce) this.#byOrigin.set(new URL(url).origin, nonce);
  }
}

/**
 * Whether a response is a nonce challenge (RFC 9449 §8, §9): 400 `use_dpop_nonce` from the authorization
 * server (token, PAR), or 401 whose `WWW-Authenticate` says `DPoP error="use_dpop_nonce"` from a resource
 * (userinfo; Auth0's APIs may say `invalid_dpop_nonce`, DPN-9), with a `DPoP-Nonce` to retry with.
 */
export function nonceChallenge(response: FlowResponse): string | undefined {
  const nonce = response.headers.get('dpop-nonce');
  if (!nonce) return undefined;
  if (response.status === 400) {
    try {
      const body: unknown = JSON.parse(response.text);
      if ((body as { error?: unknown } | null)?.error === 'use_dpop_nonce') return nonce;
    } catch {
      return undefined;
    }
    return undefined;
  }
  if (response.status === 401) {
    const challenge = response.headers.get('www-authenticate') ?? '';
    if (/(^|,)\s*DPoP\b/i.test(challenge) && /\berror\s*=\s*"?(use_dpop_nonce|invalid_dpop_nonce)"?/i.test(challenge)) return nonce;
  }
  return undefined;
}

/** The label a recorded proof carries: the header's name (protocol text in every language). */
export const PROOF_LABEL = 'DPoP';

/** What a run needs to send a request with a proof. */
export interface DpopSending {
  vault: Vault;
  key: DpopKey;
  nonces: DpopNonces;
  /** Resource requests: the access token the proof's `ath` hashes. */
  accessToken?: string;
  /** The challenged first attempt, recorded by the caller as an exchange of its own before the retry. */
  onChallenge: (exchange: FlowExchange) => void;
  /**
   * The request as resent: the same body (code and code_verifier included, DPB-8) but a fresh client
   * assertion, whose jti the server has already seen once (RFC 7523 §3).
   */
  beforeRetry?: (request: FlowRequest) => Promise<FlowRequest>;
}

/** The proof a recorded exchange carried (its `dpop` header), as a FlowJwt; none without one. */
export function proofsOf(exchange: FlowExchange): FlowJwt[] {
  const proof = exchange.request.headers['dpop'];
  return proof ? [{ label: PROOF_LABEL, token: proof }] : [];
}

/**
 * Sends `request` with a fresh proof carrying the origin's latest nonce; on a nonce challenge, hands the
 * challenged exchange to `onChallenge` and sends the request ONCE more, with a new proof (new jti and iat,
 * the server's nonce) and, through `beforeRetry`, a new client assertion. A second challenge is returned
 * as the answer: an error to show, not a loop. Every response's `DPoP-Nonce` is kept for its origin.
 */
export async function sendWithProof(fetchFn: FlowFetch, request: FlowRequest, signal: AbortSignal, dpop: DpopSending): Promise<FlowResponse> {
  const send = async (request: FlowRequest): Promise<FlowResponse> => {
    const nonce = dpop.nonces.get(request.url);
    const proof = await signProof(dpop.vault, dpop.key, {
      htm: request.method,
      url: request.url,
      ...(dpop.accessToken === undefined ? {} : { accessToken: dpop.accessToken }),
      ...(nonce === undefined ? {} : { nonce }),
    });
    const response = await sendRecorded(fetchFn, { ...request, headers: { ...(request.headers ?? {}), dpop: proof } }, signal);
    dpop.nonces.update(request.url, response);
    return response;
  };
  const first = await send(request);
  if (nonceChallenge(first) === undefined) return first;
  dpop.onChallenge(first.exchange);
  return send(dpop.beforeRetry ? await dpop.beforeRetry(request) : request);
}
