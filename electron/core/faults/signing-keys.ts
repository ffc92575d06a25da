/**
 * The keys a Break-it run signs with. The composed token's key is a vault key, and so is the "other slot"
 * key when the vault has a second RSA key meant for that slot; otherwise the runner makes one RSA key in
 * memory for the life of the core (it never reaches the vault or the disk, and only its public key is
 * registered, on the scratch application). Either way every signature is made by jose with a real private
 * key: the vault signs with its own, the in-memory key signs with jose directly.
 */
import type { KeyObject } from 'node:crypto';
import { generateKeyPair } from 'node:crypto';
import { CompactSign, calculateJwkThumbprint, exportJWK } from 'jose';
import type { CompactJWSHeaderParameters } from 'jose';
import { ParleyError } from '../../../shared/errors';
import type { OtherSlotKey } from '../../../shared/faults/cases';
import type { KeySummary, KeyUsage, SigningAlg } from '../../../shared/schemas/keys';
import type { Vault } from '../vault';

/** A protected header with a signing alg. */
export type FaultHeader = Record<string, unknown> & { alg: SigningAlg };

/** A key the run signs with. */
export interface FaultSigningKey {
  /** The RFC 7638 thumbprint: the kid Auth0 (and the embedded server) gives its credential (CRD-7). */
  readonly kid: string;
  /** The SPKI PEM registered as the credential (and, for the HS256 case, used as the HMAC secret). */
  readonly pem: string;
  readonly origin: OtherSlotKey;
  sign(header: FaultHeader, payload: Record<string, unknown>): Promise<string>;
}

/** A vault key (the private key stays in the vault; only `vault.sign` touches it). */
export function vaultSigningKey(vault: Vault, summary: KeySummary): FaultSigningKey {
  const detail = vault.get(summary.id);
  return {
    kid: detail.thumbprint,
    pem: detail.publicPem,
    origin: { source: 'vault', id: detail.id, name: detail.name },
    sign: async (header, payload) => (await vault.sign(summary.id, header, payload)).jws,
  };
}

/** Whether a vault key can be registered as an Auth0 credential and sign: RSA with its private half. */
export function isUsableRsa(key: KeySummary): boolean {
  return key.kty === 'RSA' && key.hasPrivateKey;
}

/** Refuses a key Break it cannot use, with the reason. */
export function requireUsableRsa(key: KeySummary): void {
  if (key.kty !== 'RSA')
    throw new ParleyError(
      'UNSUPPORTED_KEY',
      `"${key.name}" is an ${key.kty} key; Auth0 application credentials are RSA keys only, so Break it needs an RSA key.`,
    );
  if (!key.hasPrivateKey) throw new ParleyError('KEY_HAS_NO_PRIVATE_PART', `"${key.name}" has no private key in the vault, so nothing can be signed with it.`);
}

/** Another vault key meant for `usage` (first in the vault's order), if there is one. */
export function otherVaultKey(keys: readonly KeySummary[], excludeId: string, usage: KeyUsage): KeySummary | undefined {
  return keys.find((k) => k.id !== excludeId && isUsableRsa(k) && k.usages.includes(usage));
}

function generateRsa(): Promise<{ privateKey: KeyObject; publicKey: KeyObject }> {
  return new Promise((resolve, reject) => {
    generateKeyPair('rsa', { modulusLength: 2048, publicExponent: 0x10001 }, (err, publicKey, privateKey) =>
      err ? reject(err) : resolve({ publicKey, privateKey }),
    );
  });
}

/** Makes an RSA-2048 key that lives only in memory. */
export async function ephemeralSigningKey(): Promise<FaultSigningKey> {
  const { privateKey, publicKey } = await generateRsa();
  const kid = await calculateJwkThumbprint(await exportJWK(publicKey), 'sha256');
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return {
    kid,
    pem,
    origin: { source: 'ephemeral' },
    sign: (header, payload) =>
      new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader(header as CompactJWSHeaderParameters).sign(privateKey),
  };
}
