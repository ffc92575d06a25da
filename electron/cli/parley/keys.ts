/**
 * Keys from files, for the command line (no vault): the public key a signature is verified with (a PEM
 * public key or certificate, a JWK or a JWKS, or a JWKS URL), and the private key `parley sign` signs with
 * (PEM PKCS#8, PKCS#1 or SEC1, or a private JWK). A private key given where a public one suffices is turned
 * into its public half here, so only public material reaches the verifier; key material is never printed.
 */
import type { KeyObject } from 'node:crypto';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import type { VerifyKeySource } from '../../../shared/schemas/jwt';
import { CliError, readTextFile } from './input';

/** A key file is a few kilobytes; a JWKS a few dozen. */
const MAX_KEY_BYTES = 1_000_000;

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

function reason(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The key source of `--key`: a JWKS URL (fetched under the core's request policy) or a file's text. */
export function verificationSource(arg: string): { source: VerifyKeySource; name: string } {
  if (/^https?:\/\//i.test(arg)) return { source: { kind: 'jwksUrl', url: arg }, name: arg };
  const text = readTextFile(arg, '--key', MAX_KEY_BYTES);
  return { source: { kind: 'text', text: publicOnly(text, arg) }, name: arg };
}

/**
 * The text with every PEM private key replaced by its public key (SPKI). A JWK's or a JWKS's private
 * members are dropped by the core's key reader itself (key-sources.ts), so JSON is left as it is.
 */
function publicOnly(text: string, file: string): string {
  if (!text.trimStart().startsWith('-----BEGIN')) return text;
  return text.replace(PEM_BLOCK, (pem, label: string) => {
    if (!label.includes('PRIVATE KEY')) return pem;
    if (label === 'ENCRYPTED PRIVATE KEY')
      throw new CliError(`--key ${file} is an encrypted private key; give its public key or certificate instead (openssl pkey -in ${file} -pubout)`);
    try {
      return createPublicKey(pem).export({ type: 'spki', format: 'pem' }).toString();
    } catch (e) {
      throw new CliError(`--key ${file} holds a ${label} that could not be read (${reason(e)})`);
    }
  });
}

/** A key to sign with, and the kid its JWK named (if any). */
export interface SigningKey {
  key: KeyObject;
  kid: string | undefined;
}

/** Reads the private key of `parley sign --key FILE`: PEM (PKCS#8, PKCS#1, SEC1), a private JWK, or a JWKS holding one. */
export function signingKey(file: string, kid: string | undefined): SigningKey {
  const text = readTextFile(file, '--key', MAX_KEY_BYTES).trim();
  if (text.startsWith('-----BEGIN')) {
    const blocks = [...text.matchAll(PEM_BLOCK)];
    if (blocks.length === 0) throw new CliError(`--key ${file}: the PEM has no matching -----END----- line`);
    const labels = blocks.map((b) => b[1]!);
    if (labels.includes('ENCRYPTED PRIVATE KEY'))
      throw new CliError(`--key ${file} is an encrypted private key; decrypt it first (openssl pkey -in ${file} -out plain.pem)`);
    const block = blocks.find((b) => b[1]!.includes('PRIVATE KEY'));
    if (block === undefined)
      throw new CliError(
        `--key ${file} holds ${labels.join(', ')}, not a private key; signing needs the PRIVATE KEY (PKCS#8), RSA PRIVATE KEY or EC PRIVATE KEY`,
      );
    try {
      return { key: createPrivateKey(block[0]), kid };
    } catch (e) {
      throw new CliError(`--key ${file}: the ${block[1]!} could not be read (${reason(e)})`);
    }
  }
  if (text.startsWith('{')) {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw new CliError(`--key ${file} is not valid JSON (${reason(e)})`);
    }
    const record = (doc ?? {}) as Record<string, unknown>;
    const jwks = Array.isArray(record['keys']) ? (record['keys'] as unknown[]) : null;
    const jwks0 = jwks ?? [record];
    const privates = jwks0.filter(
      (k): k is Record<string, unknown> => typeof k === 'object' && k !== null && typeof (k as Record<string, unknown>)['d'] === 'string',
    );
    const chosen = kid === undefined ? privates : privates.filter((k) => k['kid'] === kid);
    if (jwks === null && typeof record['kty'] !== 'string')
      throw new CliError(`--key ${file}: the JSON is neither a JWK (no "kty") nor a JWKS (no "keys" array)`);
    if (privates.length === 0) throw new CliError(`--key ${file} holds no private key (a JWK with "d"); signing needs the private key`);
    if (chosen.length !== 1) {
      throw new CliError(
        kid === undefined ? `--key ${file} holds ${privates.length} private keys; choose one with --kid` : `--key ${file} has no private key with kid ${kid}`,
      );
    }
    const jwk = chosen[0]!;
    try {
      const key = createPrivateKey({ key: jwk as { kty: string }, format: 'jwk' });
      return { key, kid: kid ?? (typeof jwk['kid'] === 'string' ? jwk['kid'] : undefined) };
    } catch (e) {
      throw new CliError(`--key ${file}: the JWK is not a usable private key (${reason(e)})`);
    }
  }
  throw new CliError(`--key ${file} is neither PEM (-----BEGIN … PRIVATE KEY-----) nor JSON (a JWK or a JWKS)`);
}

const EC_ALGS: Record<string, string> = { prime256v1: 'ES256', secp384r1: 'ES384', secp521r1: 'ES512', secp256k1: 'ES256K' };

/** The algorithm a key signs with unless `--alg` says otherwise. */
export function defaultAlg(key: KeyObject): string {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return 'RS256';
    case 'rsa-pss':
      return 'PS256';
    case 'ec': {
      const alg = EC_ALGS[key.asymmetricKeyDetails?.namedCurve ?? ''];
      if (alg) return alg;
      throw new CliError(`the EC key's curve ${key.asymmetricKeyDetails?.namedCurve ?? '(unknown)'} has no JWS algorithm`);
    }
    case 'ed25519':
    case 'ed448':
      return 'EdDSA';
    default:
      throw new CliError(`a ${key.asymmetricKeyType ?? 'symmetric'} key cannot sign a JWT here; give an RSA, EC or Ed25519 private key`);
  }
}
