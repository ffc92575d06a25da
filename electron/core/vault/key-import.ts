/**
 * Recognizes what was pasted and reads it into key material: PEM (PKCS#8, PKCS#1, SEC1, encrypted
 * PKCS#8, SPKI, PKCS#1 public, X.509 certificate), a JWK, or a one-key JWKS. A paste may carry a key
 * and its certificate; they must belong together.
 */
import type { KeyObject } from 'node:crypto';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { ParleyError } from '../../../shared/errors';
import type { ParsedCertificate } from './certificate';
import { parseCertificate } from './certificate';
import { decryptPkcs8 } from './encrypted-pkcs8';
import { readJwkText } from './jwk-input';
import type { PemBlock } from './pem-blocks';
import { extractPemBlocks, hasPemArmour } from './pem-blocks';

/** What a paste held. `publicKey` is always set: from the private key, a public key, or the certificate. */
export interface ImportedMaterial {
  privateKey: KeyObject | null;
  publicKey: KeyObject;
  certificate: ParsedCertificate | null;
  /** A default name: the JWK `kid` or the certificate's CN. */
  nameHint: string | null;
}

const PRIVATE_LABELS = new Set(['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY', 'ENCRYPTED PRIVATE KEY']);
const PUBLIC_LABELS = new Set(['PUBLIC KEY', 'RSA PUBLIC KEY']);
// `openssl ecparam -genkey` prints the curve parameters before the SEC1 key; they add nothing.
const IGNORED_LABELS = new Set(['EC PARAMETERS']);

/** Reads pasted text; MALFORMED_KEY / UNSUPPORTED_KEY / PASSPHRASE_REQUIRED / WRONG_PASSPHRASE name the problem. */
export async function readImportText(text: string, passphrase?: string): Promise<ImportedMaterial> {
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const jwk = readJwkText(trimmed);
    return { privateKey: jwk.privateKey, publicKey: jwk.publicKey, certificate: null, nameHint: jwk.kid };
  }
  if (!hasPemArmour(trimmed)) {
    throw new ParleyError('MALFORMED_KEY', 'No PEM block or JSON found: paste a PEM key or certificate ("-----BEGIN …-----") or a JWK.');
  }
  return readPem(extractPemBlocks(trimmed), passphrase);
}

async function readPem(blocks: PemBlock[], passphrase: string | undefined): Promise<ImportedMaterial> {
  const privates: KeyObject[] = [];
  const publics: KeyObject[] = [];
  const certificates: ParsedCertificate[] = [];
  for (const block of blocks) {
    if (PRIVATE_LABELS.has(block.label)) privates.push(await readPrivate(block, passphrase));
    else if (PUBLIC_LABELS.has(block.label)) publics.push(readPublic(block));
    else if (block.label === 'CERTIFICATE') certificates.push(await parseCertificate(block.der));
    else if (!IGNORED_LABELS.has(block.label)) throw unsupportedBlock(block.label);
  }
  if (privates.length > 1) throw new ParleyError('MALFORMED_KEY', `The paste holds ${privates.length} private keys; import one at a time.`);
  if (publics.length > 1) throw new ParleyError('MALFORMED_KEY', `The paste holds ${publics.length} public keys; import one at a time.`);

  const privateKey = privates[0] ?? null;
  const pastedPublic = publics[0];
  const publicKey = privateKey ? createPublicKey(privateKey) : (pastedPublic ?? certificates[0]?.publicKey);
  if (publicKey === undefined) throw new ParleyError('MALFORMED_KEY', 'The paste holds no key or certificate, only parameters.');
  if (pastedPublic && !pastedPublic.equals(publicKey)) {
    throw new ParleyError('MALFORMED_KEY', 'The public key does not belong to the private key pasted with it.');
  }

  // With a chain, the certificate for this key is the one carrying its public key (normally the first).
  const certificate = certificates.find((c) => c.publicKey.equals(publicKey)) ?? null;
  if (certificates.length > 0 && certificate === null) {
    throw new ParleyError('MALFORMED_KEY', `The certificate does not match the ${privateKey ? 'private' : 'public'} key: their public keys differ.`);
  }
  return { privateKey, publicKey, certificate, nameHint: certificate?.commonName ?? null };
}

async function readPrivate(block: PemBlock, passphrase: string | undefined): Promise<KeyObject> {
  const encrypted = block.label === 'ENCRYPTED PRIVATE KEY' || block.headers.some((h) => /^Proc-Type:.*ENCRYPTED/i.test(h));
  if (encrypted && (passphrase === undefined || passphrase === '')) {
    throw new ParleyError('PASSPHRASE_REQUIRED', 'This private key is encrypted: enter its passphrase to import it.');
  }
  // PKCS#8 encryption names its own key-derivation cost: read it and refuse an extreme one before deriving
  // anything (encrypted-pkcs8.ts). Legacy "Proc-Type: 4,ENCRYPTED" PEM derives its key with one MD5 round.
  if (block.label === 'ENCRYPTED PRIVATE KEY') return decryptPkcs8(block.der, block.pem, passphrase ?? '');
  try {
    return createPrivateKey(encrypted ? { key: block.pem, format: 'pem', passphrase } : { key: block.pem, format: 'pem' });
  } catch (cause) {
    if (encrypted) {
      throw new ParleyError('WRONG_PASSPHRASE', 'The passphrase does not decrypt this private key (or the encrypted key is damaged).', { cause });
    }
    throw new ParleyError('MALFORMED_KEY', `The "${block.label}" block is not a valid ${describeLabel(block.label)} private key.`, { cause });
  }
}

function readPublic(block: PemBlock): KeyObject {
  try {
    return createPublicKey({ key: block.pem, format: 'pem' });
  } catch (cause) {
    throw new ParleyError('MALFORMED_KEY', `The "${block.label}" block is not a valid ${describeLabel(block.label)} public key.`, { cause });
  }
}

function describeLabel(label: string): string {
  switch (label) {
    case 'PRIVATE KEY':
      return 'PKCS#8';
    case 'RSA PRIVATE KEY':
    case 'RSA PUBLIC KEY':
      return 'PKCS#1';
    case 'EC PRIVATE KEY':
      return 'SEC1';
    case 'PUBLIC KEY':
      return 'SPKI';
    default:
      return label;
  }
}

function unsupportedBlock(label: string): ParleyError {
  if (label === 'OPENSSH PRIVATE KEY') {
    return new ParleyError(
      'UNSUPPORTED_KEY',
      'OpenSSH private keys are not supported; convert it with `ssh-keygen -p -m PKCS8 -f <file>` and paste the result.',
    );
  }
  return new ParleyError('UNSUPPORTED_KEY', `PEM blocks labelled "${label}" are not supported; paste a private key, public key or certificate.`, {
    details: { label },
  });
}
