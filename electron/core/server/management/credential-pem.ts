/**
 * Reads a credential's `pem` (CRD-2, CRD-3): an RSA public key (SPKI `PUBLIC KEY` or PKCS#1
 * `RSA PUBLIC KEY`) or an X.509 `CERTIFICATE`, whose public key is used. Private keys, other key types,
 * damaged armour and sizes outside 2048–4096 bits are refused. Only the canonical SPKI PEM of the public
 * key is kept; the RFC 7638 thumbprint identifies the key (duplicate check, default kid).
 */
import type { KeyObject } from 'node:crypto';
import { createPublicKey } from 'node:crypto';
import { calculateJwkThumbprint } from 'jose';
import { ParleyError } from '../../../../shared/errors';
import { parseCertificate } from '../../vault/certificate';
import { extractPemBlocks } from '../../vault/pem-blocks';
import { failed } from './rule-sink';
import { RULES } from '../rules';
import { pass } from '../recording';
import type { RuleSink } from '../recording';

/** RSA modulus bounds (CRD-3, A8). */
export const RSA_MIN_BITS = 2048;
export const RSA_MAX_BITS = 4096;

/** What a valid `pem` yields. */
export interface ParsedPem {
  publicKey: KeyObject;
  /** The public key as canonical SPKI PEM: what is stored. */
  spkiPem: string;
  /** RFC 7638 SHA-256 thumbprint of `{e,kty,n}`, base64url (43 characters). */
  thumbprint: string;
  bits: number;
  source: 'public_key' | 'certificate';
  /** The certificate's notAfter, when `pem` is a certificate. */
  notAfter?: string;
}

const PUBLIC_LABELS = ['PUBLIC KEY', 'RSA PUBLIC KEY', 'CERTIFICATE'] as const;
// PKCS#8, PKCS#1, SEC 1, OpenSSH and encrypted private keys all say PRIVATE KEY in their armour.
const PRIVATE_ARMOUR = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;
const FIX = 'Paste the public key (openssl rsa -pubout) or the certificate, with its newlines JSON-escaped as \\n.';

function bad(sink: RuleSink, message: string, actual: string): Error {
  return failed(sink, RULES['CRD-2'], message, { expected: 'an RSA public key or X.509 certificate in PEM', actual, fix: FIX });
}

/** Parses and checks `pem` (CRD-2, CRD-3); records both rules. */
export async function parseCredentialPem(pem: string, sink: RuleSink): Promise<ParsedPem> {
  // A private key is refused before anything else looks at it, even next to a public key or damaged.
  if (PRIVATE_ARMOUR.test(pem)) {
    throw bad(sink, 'invalid certificate/public key: pem contains a private key; upload only the public key or certificate', 'a private key');
  }
  let blocks;
  try {
    blocks = extractPemBlocks(pem);
  } catch (e) {
    throw bad(sink, `invalid certificate/public key: ${e instanceof ParleyError ? e.message : 'malformed PEM'}`, 'malformed PEM');
  }
  if (blocks.length !== 1) {
    throw bad(
      sink,
      `invalid certificate/public key: pem must hold exactly one public key or certificate (found ${blocks.length} PEM blocks)`,
      `${blocks.length} PEM blocks`,
    );
  }
  const block = blocks[0]!;
  if (!(PUBLIC_LABELS as readonly string[]).includes(block.label)) {
    throw bad(sink, `invalid certificate/public key: unsupported PEM block "${block.label}"`, block.label);
  }

  let publicKey: KeyObject;
  let notAfter: string | undefined;
  try {
    if (block.label === 'CERTIFICATE') {
      const cert = await parseCertificate(block.der);
      publicKey = cert.publicKey;
      notAfter = cert.info.notAfter;
    } else {
      publicKey = createPublicKey({ key: block.der, format: 'der', type: block.label === 'PUBLIC KEY' ? 'spki' : 'pkcs1' });
    }
  } catch {
    throw bad(sink, 'invalid certificate/public key: the PEM contents could not be decoded', `undecodable ${block.label}`);
  }
  if (publicKey.asymmetricKeyType !== 'rsa') {
    throw bad(
      sink,
      `invalid certificate/public key: only RSA keys are supported (got ${publicKey.asymmetricKeyType ?? 'unknown'})`,
      `${publicKey.asymmetricKeyType ?? 'unknown'} key`,
    );
  }
  pass(sink, RULES['CRD-2'], 'an RSA public key or X.509 certificate in PEM', block.label === 'CERTIFICATE' ? 'X.509 certificate (RSA)' : `RSA ${block.label}`);

  const bits = publicKey.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < RSA_MIN_BITS || bits > RSA_MAX_BITS) {
    throw failed(sink, RULES['CRD-3'], `RSA key size must be between ${RSA_MIN_BITS} and ${RSA_MAX_BITS} bits`, {
      expected: `${RSA_MIN_BITS}–${RSA_MAX_BITS} bits`,
      actual: `${bits} bits`,
      fix: 'Generate a new key: openssl genrsa -out private.pem 2048',
    });
  }
  pass(sink, RULES['CRD-3'], `${RSA_MIN_BITS}–${RSA_MAX_BITS} bits`, `${bits} bits`);

  const jwk = publicKey.export({ format: 'jwk' });
  const thumbprint = await calculateJwkThumbprint({ kty: 'RSA', n: jwk.n!, e: jwk.e! }, 'sha256');
  const spkiPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return { publicKey, spkiPem, thumbprint, bits, source: block.label === 'CERTIFICATE' ? 'certificate' : 'public_key', ...(notAfter ? { notAfter } : {}) };
}
