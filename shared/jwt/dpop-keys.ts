/**
 * The key side of DPoP (dpop-rules.md DPP-4..6, DPP-13, DPB-2, DPB-5): which `alg` fits which embedded
 * `jwk`, whether a `jwk` is a public key, the RFC 7638 thumbprint that `cnf.jkt` and `dpop_jkt` carry, the
 * `ath` of an access token, and the proof's signature check. Every cryptographic step is jose or WebCrypto;
 * browser-safe (no `node:*`), so the server, Compose's lint and Inspect share it.
 */
import { base64url, calculateJwkThumbprint, compactVerify, errors, importJWK } from 'jose';
import type { JWK } from 'jose';

/** JWK members that only a private (or symmetric) key has (RFC 7518 §6.2.2, §6.3.2, §6.4; RFC 8037 §2). */
export const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

/** The public members each key type needs (RFC 7638 §3.2: also the members of its thumbprint). */
const PUBLIC_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  EC: ['crv', 'x', 'y'],
  RSA: ['e', 'n'],
  OKP: ['crv', 'x'],
};

/** Which key each DPoP `alg` needs (RFC 7518 §3.1, RFC 8037 §3.1, RFC 9864 for `Ed25519`). */
const ALG_KEYS: Readonly<Record<string, { kty: string; crv?: string }>> = {
  ES256: { kty: 'EC', crv: 'P-256' },
  ES384: { kty: 'EC', crv: 'P-384' },
  ES512: { kty: 'EC', crv: 'P-521' },
  RS256: { kty: 'RSA' },
  RS384: { kty: 'RSA' },
  RS512: { kty: 'RSA' },
  PS256: { kty: 'RSA' },
  PS384: { kty: 'RSA' },
  PS512: { kty: 'RSA' },
  EdDSA: { kty: 'OKP', crv: 'Ed25519' },
  Ed25519: { kty: 'OKP', crv: 'Ed25519' },
};

/** DPP-4 `[REC]`: the smallest RSA modulus accepted. */
export const MIN_RSA_BITS = 2048;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The size of an RSA modulus in bits, from its base64url `n`; undefined when `n` is not base64url. */
export function rsaModulusBits(n: unknown): number | undefined {
  if (typeof n !== 'string' || !/^[A-Za-z0-9_-]+$/.test(n)) return undefined;
  let bytes: Uint8Array;
  try {
    bytes = base64url.decode(n);
  } catch {
    return undefined;
  }
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  if (i === bytes.length) return 0;
  return (bytes.length - i) * 8 - (Math.clz32(bytes[i]!) - 24);
}

/** A short name of a JWK's key, for messages ("EC P-384", "RSA 1024 bits", "oct"). */
export function describeJwk(jwk: unknown): string {
  if (!isObject(jwk)) return 'no key';
  const kty = typeof jwk['kty'] === 'string' ? jwk['kty'] : '(no kty)';
  if (kty === 'RSA') {
    const bits = rsaModulusBits(jwk['n']);
    return bits === undefined ? 'RSA' : `RSA ${bits} bits`;
  }
  return typeof jwk['crv'] === 'string' ? `${kty} ${jwk['crv']}` : kty;
}

/**
 * DPP-4: why `alg` cannot be used with `jwk` (undefined when it fits): the key type and curve the alg
 * names, and an RSA modulus of at least 2048 bits. Only for algs the function knows (the allow-list check
 * is the rule's); a `jwk` that is not an object is DPP-5's.
 */
export function algKeyMismatch(alg: string, jwk: unknown): string | undefined {
  const needs = ALG_KEYS[alg];
  if (needs === undefined || !isObject(jwk)) return undefined;
  const wanted = needs.crv ? `${needs.kty} ${needs.crv}` : needs.kty;
  if (jwk['kty'] !== needs.kty || (needs.crv !== undefined && jwk['crv'] !== needs.crv)) {
    return `${alg} needs an ${wanted} key; the proof's jwk is ${describeJwk(jwk)}`;
  }
  if (needs.kty === 'RSA') {
    const bits = rsaModulusBits(jwk['n']);
    if (bits !== undefined && bits < MIN_RSA_BITS) return `${alg} needs an RSA key of at least ${MIN_RSA_BITS} bits; the proof's jwk has ${bits}`;
  }
  return undefined;
}

/** DPP-5: why `jwk` is not a usable public key (undefined when it is). */
export function publicJwkProblem(jwk: unknown): string | undefined {
  if (jwk === undefined) return 'the header has no jwk';
  if (!isObject(jwk)) return 'the jwk header is not a JSON object';
  const privateMembers = PRIVATE_JWK_MEMBERS.filter((m) => Object.hasOwn(jwk, m));
  if (privateMembers.length > 0) return `the jwk holds private key material (${privateMembers.join(', ')})`;
  const kty = jwk['kty'];
  if (typeof kty !== 'string') return 'the jwk has no kty';
  const members = Object.hasOwn(PUBLIC_MEMBERS, kty) ? PUBLIC_MEMBERS[kty]! : undefined;
  if (members === undefined) return `the jwk's kty ${JSON.stringify(kty.slice(0, 20))} is not EC, RSA or OKP`;
  const missing = members.filter((m) => typeof jwk[m] !== 'string');
  if (missing.length > 0) return `the ${kty} jwk lacks ${missing.join(', ')}`;
  if (kty === 'OKP' && jwk['crv'] !== 'Ed25519') return `the OKP jwk's crv ${JSON.stringify(String(jwk['crv']).slice(0, 20))} is not Ed25519`;
  return undefined;
}

/** The public members of a JWK (what is imported and hashed): kty and the members of its type, nothing else. */
export function publicMembers(jwk: Record<string, unknown>): JWK {
  const kty = jwk['kty'] as string;
  const out: Record<string, unknown> = { kty };
  for (const m of PUBLIC_MEMBERS[kty] ?? []) out[m] = jwk[m];
  return out as JWK;
}

/**
 * The RFC 7638 SHA-256 thumbprint of a public JWK, base64url (43 characters): `cnf.jkt` of a bound access
 * token (DPB-2), the `dpop_jkt` a client sends (DPB-5), and "bound to key X" in Inspect. Private members
 * are never hashed (RFC 7638 uses the required public members only), so a private JWK gives its public
 * key's thumbprint. Throws jose's error for a JWK that is not a key.
 */
export function jwkThumbprint(jwk: JWK): Promise<string> {
  return calculateJwkThumbprint(jwk, 'sha256');
}

/** DPB-5: a `dpop_jkt` is a base64url SHA-256 thumbprint: exactly 43 characters of the base64url alphabet. */
export function isJktFormat(value: unknown): boolean {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value);
}

/** DPP-13: base64url (no padding) of SHA-256 over the ASCII bytes of the access token as sent. */
export async function accessTokenHash(accessToken: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(accessToken));
  return base64url.encode(new Uint8Array(digest));
}

/** The outcome of the proof's signature check (DPP-6). */
export type ProofSignature = { valid: true } | { valid: false; reason: string };

/**
 * DPP-6: verifies a compact proof with its embedded key, and only that key. Call it only once DPP-4 and
 * DPP-5 passed (the alg is allowed and fits, the jwk is public): the key imported is the jwk's public
 * members, restricted to `alg`. jose refuses unknown `crit` members and `b64: false` (JWT-3, X-D14).
 */
export async function verifyProofSignature(token: string, jwk: Record<string, unknown>, alg: string): Promise<ProofSignature> {
  let key: Awaited<ReturnType<typeof importJWK>>;
  try {
    key = await importJWK(publicMembers(jwk), alg);
  } catch (e) {
    return { valid: false, reason: `the jwk cannot be used as an ${alg} key (${e instanceof Error ? e.message : String(e)})` };
  }
  try {
    await compactVerify(token, key, { algorithms: [alg] });
    return { valid: true };
  } catch (e) {
    if (e instanceof errors.JWSSignatureVerificationFailed) return { valid: false, reason: 'the signature does not verify with the embedded jwk' };
    if (e instanceof errors.JOSEError) return { valid: false, reason: e.message };
    throw e;
  }
}
