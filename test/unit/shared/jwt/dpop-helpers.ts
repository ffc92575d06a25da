/**
 * Builders for the DPoP tests: real keys generated at test time (EC P-256, RSA, Ed25519), real signed
 * proofs, and a context built by the same `buildDpopProofContext` the server and the lint use.
 */
import { createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import { base64url, CompactSign, exportJWK, generateKeyPair } from 'jose';
import type { CryptoKey, JWK } from 'jose';
import type { DpopPolicy, DpopProofContext, DpopProofInput } from '../../../../shared/jwt/rules/dpop-proof';
import { buildDpopProofContext, DPOP_POLICIES } from '../../../../shared/jwt/rules/dpop-proof';

/** 2026-01-01T00:00:00Z, in seconds. */
export const NOW = 1_767_225_600;
export const TOKEN_URL = 'https://tenant.example.com/oauth/token';
export const USERINFO_URL = 'https://tenant.example.com/userinfo';

/** A key pair with its public JWK. */
export interface ProofKey {
  alg: string;
  privateKey: CryptoKey;
  jwk: JWK;
  /** The private JWK (for the "private key in the header" attack). */
  privateJwk: JWK;
}

/** A fresh key pair for `alg`. */
export async function proofKey(
  alg: 'ES256' | 'ES384' | 'RS256' | 'PS256' | 'EdDSA' | 'Ed25519' = 'ES256',
  options: { modulusLength?: number } = {},
): Promise<ProofKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, {
    extractable: true,
    ...(options.modulusLength ? { modulusLength: options.modulusLength } : {}),
  });
  const jwk = await exportJWK(publicKey);
  const privateJwk = await exportJWK(privateKey);
  return { alg, privateKey, jwk, privateJwk };
}

/**
 * An RSA key below jose's own 2048-bit floor (for DPP-4's size rule), from Node's crypto; its private key
 * is a KeyObject, which jose signs with.
 */
export function smallRsaKey(bits = 1024): ProofKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return {
    alg: 'RS256',
    privateKey: privateKey as unknown as CryptoKey,
    jwk: publicKey.export({ format: 'jwk' }) as JWK,
    privateJwk: privateKey.export({ format: 'jwk' }) as JWK,
  };
}

/**
 * A proof jose refuses to produce (an unknown `crit`, an RSA key under 2048 bits), signed with Node's
 * crypto over the JWS signing input (RFC 7515 §5.1): ES256 in the JWS (IEEE P1363) form, or RS256.
 */
export function signRaw(key: ProofKey, header: Record<string, unknown>, payload: Record<string, unknown>): string {
  const input = `${base64url.encode(JSON.stringify(header))}.${base64url.encode(JSON.stringify(payload))}`;
  const privateKey = createPrivateKey({ key: key.privateJwk as never, format: 'jwk' });
  const signature =
    key.alg === 'ES256' ? sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' }) : sign('sha256', Buffer.from(input), privateKey);
  return `${input}.${base64url.encode(signature)}`;
}

/** A signed proof; `header`/`payload` patch the defaults (`undefined` removes a member). */
export async function signProof(
  key: ProofKey,
  opts: { header?: Record<string, unknown>; payload?: Record<string, unknown>; signWith?: CryptoKey | Uint8Array } = {},
): Promise<string> {
  const header = patch({ typ: 'dpop+jwt', alg: key.alg, jwk: key.jwk }, opts.header);
  const payload = patch({ jti: `jti-${Math.random().toString(36).slice(2)}`, htm: 'POST', htu: TOKEN_URL, iat: NOW }, opts.payload);
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader(header as { alg: string }).sign(opts.signWith ?? key.privateKey);
}

/** An unsigned compact JWT (alg none, or anything the signer would refuse). */
export function unsignedProof(header: Record<string, unknown>, payload: Record<string, unknown>, signature = ''): string {
  const part = (v: unknown) => base64url.encode(JSON.stringify(v));
  return `${part(header)}.${part(payload)}.${signature}`;
}

function patch(base: Record<string, unknown>, changes: Record<string, unknown> | undefined): Record<string, unknown> {
  const out = { ...base };
  for (const [k, v] of Object.entries(changes ?? {})) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
}

/** A context for a proof at the token endpoint (POST, TOKEN_URL, NOW, Auth0 policy) unless overridden. */
export function context(proof: string | readonly string[], overrides: Partial<Omit<DpopProofInput, 'proof'>> = {}): Promise<DpopProofContext> {
  return buildDpopProofContext({ proof, endpoint: 'token', method: 'POST', url: TOKEN_URL, now: NOW, policy: DPOP_POLICIES.auth0 as DpopPolicy, ...overrides });
}
