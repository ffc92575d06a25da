/**
 * Files a user can save from a key: public PEM (SPKI), public JWK, JWKS, the certificate, and the
 * private key, the last only as passphrase-encrypted PKCS#8.
 */
import type { KeyObject } from 'node:crypto';
import type { ExportedFile, PublicJwk, SigningAlg } from '../../../shared/schemas/keys';
import { encryptPkcs8 } from './encrypted-pkcs8';
import type { StoredPublicJwk } from './vault-document';

const PEM_MIME = 'application/x-pem-file';

/** A filesystem-safe slug of a key name ("Auth0 JAR key #2" → "auth0-jar-key-2"). */
export function slug(name: string): string {
  const s = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return s === '' ? 'key' : s;
}

/** The public JWK as published: `kid` = RFC 7638 thumbprint, `alg` = the key's first algorithm, `use: 'sig'`. */
export function publishedJwk(jwk: StoredPublicJwk, thumbprint: string, algs: readonly SigningAlg[]): PublicJwk {
  return { ...jwk, kid: thumbprint, ...(algs[0] === undefined ? {} : { alg: algs[0] }), use: 'sig' };
}

/** The SPKI PEM of a public key. */
export function publicPem(publicKey: KeyObject): string {
  return publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

/** The public key as a PEM file. */
export function publicPemFile(name: string, publicKey: KeyObject): ExportedFile {
  return { filename: `${slug(name)}.public.pem`, mimeType: PEM_MIME, content: publicPem(publicKey) };
}

/** The public key as a JWK file. */
export function publicJwkFile(name: string, jwk: PublicJwk): ExportedFile {
  return { filename: `${slug(name)}.jwk.json`, mimeType: 'application/jwk+json', content: `${JSON.stringify(jwk, null, 2)}\n` };
}

/** The public key as a one-key JWKS file, ready for a client's `jwks` or a tenant upload. */
export function jwksFile(name: string, jwk: PublicJwk): ExportedFile {
  return { filename: `${slug(name)}.jwks.json`, mimeType: 'application/jwk-set+json', content: `${JSON.stringify({ keys: [jwk] }, null, 2)}\n` };
}

/** A certificate as a PEM file. */
export function certificateFile(name: string, pem: string): ExportedFile {
  return { filename: `${slug(name)}.cert.pem`, mimeType: PEM_MIME, content: pem };
}

/**
 * The private key as encrypted PKCS#8 PEM (PBES2: PBKDF2-HMAC-SHA256, 600,000 iterations, AES-256-CBC):
 * the only form in which private material leaves the vault.
 */
export async function encryptedPrivateKeyFile(name: string, privateKey: KeyObject, passphrase: string): Promise<ExportedFile> {
  const content = await encryptPkcs8(privateKey, passphrase);
  return { filename: `${slug(name)}.private.pem`, mimeType: PEM_MIME, content };
}
