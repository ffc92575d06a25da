/**
 * Passphrase-encrypted PKCS#8 (RFC 5958 EncryptedPrivateKeyInfo) in both directions, without Node's
 * KeyObject.export cipher option, which always uses PBKDF2 with OpenSSL's 2,048 iterations.
 *
 * - Export: PBES2 (RFC 8018 §6.2) with PBKDF2-HMAC-SHA256 at 600,000 iterations (OWASP's 2023 figure) and
 *   AES-256-CBC. PBKDF2-SHA256 rather than scrypt because every PKCS#8 reader takes it (OpenSSL, Java,
 *   Go, Python's cryptography); OpenSSL refuses scrypt costs above 32 MB by default.
 * - Import: the parameters are read first, and a file whose key derivation would cost more than the caps
 *   below is refused with an error naming the cost. PBES2 files are then decrypted here with Node's
 *   asynchronous pbkdf2/scrypt (on libuv's thread pool, never blocking the event loop) and createDecipheriv;
 *   other schemes (PBES1, PKCS#12 PBE, unusual PBES2 ciphers) go to createPrivateKey under a lower cap,
 *   since OpenSSL derives their keys synchronously.
 *
 * The DER structures are built and parsed with @peculiar/asn1-schema; the schema classes are declared by
 * applying its property decorators as functions (this build does not compile legacy decorators).
 */
import type { KeyObject } from 'node:crypto';
import { createCipheriv, createDecipheriv, createPrivateKey, pbkdf2, scrypt } from 'node:crypto';
import { AsnConvert, AsnIntegerBigIntConverter, AsnProp, AsnPropTypes, OctetString } from '@peculiar/asn1-schema';
import { EncryptedData, EncryptedPrivateKeyInfo } from '@peculiar/asn1-pkcs8';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { ParleyError } from '../../../shared/errors';
import { randomBytes } from '../random';

/** PBKDF2 iterations of an export. */
export const EXPORT_ITERATIONS = 600_000;
/** The most PBKDF2 iterations an imported PBES2 file may ask for (derived off the event loop). */
export const MAX_PBKDF2_ITERATIONS = 10_000_000;
/** The most memory an imported file's scrypt parameters may ask for (128 · r · (N + p) bytes). */
export const MAX_SCRYPT_BYTES = 256 * 1024 * 1024;
/** The most iterations of a scheme OpenSSL derives synchronously (PBES1, PKCS#12 PBE, rare PBES2 ciphers). */
export const MAX_SYNC_ITERATIONS = 1_000_000;

export const OID = {
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  scrypt: '1.3.6.1.4.1.11591.4.11',
  hmacWithSHA1: '1.2.840.113549.2.7',
  hmacWithSHA256: '1.2.840.113549.2.9',
  aes256Cbc: '2.16.840.1.101.3.4.1.42',
} as const;

/** PRF OIDs (RFC 8018 appendix B.1) → Node digest names. */
const PRFS: Readonly<Record<string, string>> = {
  [OID.hmacWithSHA1]: 'sha1',
  '1.2.840.113549.2.8': 'sha224',
  [OID.hmacWithSHA256]: 'sha256',
  '1.2.840.113549.2.10': 'sha384',
  '1.2.840.113549.2.11': 'sha512',
};

/** PBES2 encryption schemes decrypted here (RFC 8018 appendix B.2; NIST AES OIDs) → Node cipher, key bytes, IV bytes. */
const CIPHERS: Readonly<Record<string, { name: string; keyBytes: number; ivBytes: number }>> = {
  '2.16.840.1.101.3.4.1.2': { name: 'aes-128-cbc', keyBytes: 16, ivBytes: 16 },
  '2.16.840.1.101.3.4.1.22': { name: 'aes-192-cbc', keyBytes: 24, ivBytes: 16 },
  [OID.aes256Cbc]: { name: 'aes-256-cbc', keyBytes: 32, ivBytes: 16 },
  '1.2.840.113549.3.7': { name: 'des-ede3-cbc', keyBytes: 24, ivBytes: 8 },
};

type PropOptions = Parameters<typeof AsnProp>[0];

/** Declares the ASN.1 fields of a schema class, in order (what `@AsnProp` does as a decorator). */
function fields(target: { prototype: object }, props: [string, PropOptions][]): void {
  for (const [name, options] of props) AsnProp(options)(target.prototype, name);
}

const INTEGER = { type: AsnPropTypes.Integer, converter: AsnIntegerBigIntConverter } as const;

/** PBES2-params ::= SEQUENCE { keyDerivationFunc AlgorithmIdentifier, encryptionScheme AlgorithmIdentifier } */
export class Pbes2Params {
  keyDerivationFunc = new AlgorithmIdentifier();
  encryptionScheme = new AlgorithmIdentifier();
}
fields(Pbes2Params, [
  ['keyDerivationFunc', { type: AlgorithmIdentifier }],
  ['encryptionScheme', { type: AlgorithmIdentifier }],
]);

/** PBKDF2-params (RFC 8018 appendix A.2); only the `specified` salt choice, which is all anyone writes. */
export class Pbkdf2Params {
  salt = new OctetString();
  iterationCount = 0n;
  keyLength?: bigint;
  prf?: AlgorithmIdentifier;
}
fields(Pbkdf2Params, [
  ['salt', { type: OctetString }],
  ['iterationCount', INTEGER],
  ['keyLength', { ...INTEGER, optional: true }],
  ['prf', { type: AlgorithmIdentifier, optional: true }],
]);

/** scrypt-params (RFC 7914 §7.1). */
export class ScryptParams {
  salt = new OctetString();
  costParameter = 0n;
  blockSize = 0n;
  parallelizationParameter = 0n;
  keyLength?: bigint;
}
fields(ScryptParams, [
  ['salt', { type: OctetString }],
  ['costParameter', INTEGER],
  ['blockSize', INTEGER],
  ['parallelizationParameter', INTEGER],
  ['keyLength', { ...INTEGER, optional: true }],
]);

/** PBEParameter (PKCS#5 PBES1) and pkcs-12PbeParams share this shape: a salt and an iteration count. */
export class PbeParams {
  salt = new OctetString();
  iterations = 0n;
}
fields(PbeParams, [
  ['salt', { type: OctetString }],
  ['iterations', INTEGER],
]);

function pem(label: string, der: Buffer): string {
  return `-----BEGIN ${label}-----\n${
    der
      .toString('base64')
      .match(/.{1,64}/g)
      ?.join('\n') ?? ''
  }\n-----END ${label}-----\n`;
}

function pbkdf2Async(passphrase: string, salt: Buffer, iterations: number, keyBytes: number, digest: string): Promise<Buffer> {
  return new Promise((resolve, reject) => pbkdf2(passphrase, salt, iterations, keyBytes, digest, (err, key) => (err ? reject(err) : resolve(key))));
}

function scryptAsync(passphrase: string, salt: Buffer, keyBytes: number, N: number, r: number, p: number): Promise<Buffer> {
  const maxmem = 128 * r * (N + p) + 1024 * 1024;
  return new Promise((resolve, reject) => scrypt(passphrase, salt, keyBytes, { N, r, p, maxmem }, (err, key) => (err ? reject(err) : resolve(key))));
}

/**
 * The private key as an encrypted PKCS#8 PEM: PBES2, PBKDF2-HMAC-SHA256 (600,000 iterations, 16-byte salt),
 * AES-256-CBC (random IV). The clear DER and the derived key are wiped once used.
 */
export async function encryptPkcs8(privateKey: KeyObject, passphrase: string): Promise<string> {
  const salt = randomBytes(16);
  const iv = randomBytes(16);
  const kek = await pbkdf2Async(passphrase, salt, EXPORT_ITERATIONS, 32, 'sha256');
  const der = privateKey.export({ type: 'pkcs8', format: 'der' });
  let ciphertext: Buffer;
  try {
    const cipher = createCipheriv('aes-256-cbc', kek, iv);
    ciphertext = Buffer.concat([cipher.update(der), cipher.final()]);
  } finally {
    der.fill(0);
    kek.fill(0);
  }
  const kdf = Object.assign(new Pbkdf2Params(), {
    salt: new OctetString(salt),
    iterationCount: BigInt(EXPORT_ITERATIONS),
    prf: new AlgorithmIdentifier({ algorithm: OID.hmacWithSHA256, parameters: null }),
  });
  const params = Object.assign(new Pbes2Params(), {
    keyDerivationFunc: new AlgorithmIdentifier({ algorithm: OID.pbkdf2, parameters: AsnConvert.serialize(kdf) }),
    encryptionScheme: new AlgorithmIdentifier({ algorithm: OID.aes256Cbc, parameters: AsnConvert.serialize(new OctetString(iv)) }),
  });
  const info = new EncryptedPrivateKeyInfo({
    encryptionAlgorithm: new AlgorithmIdentifier({ algorithm: OID.pbes2, parameters: AsnConvert.serialize(params) }),
    encryptedData: new EncryptedData(ciphertext),
  });
  return pem('ENCRYPTED PRIVATE KEY', Buffer.from(AsnConvert.serialize(info)));
}

function malformed(what: string, cause?: unknown): ParleyError {
  return new ParleyError('MALFORMED_KEY', `The encrypted private key could not be read: ${what}.`, cause === undefined ? undefined : { cause });
}

function parse<T>(der: ArrayBuffer | Uint8Array, target: new () => T, what: string): T {
  try {
    return AsnConvert.parse(der, target);
  } catch (cause) {
    throw malformed(`its ${what} are not valid DER`, cause);
  }
}

function paramsOf(algorithm: AlgorithmIdentifier, what: string): ArrayBuffer {
  if (!algorithm.parameters) throw malformed(`its ${what} has no parameters`);
  return algorithm.parameters;
}

function tooCostly(what: string): ParleyError {
  return new ParleyError(
    'UNSUPPORTED_KEY',
    `The encrypted private key asks for ${what}; Parley refuses files this costly to decrypt. Re-encrypt it with a lower cost (for example \`openssl pkcs8 -topk8 -v2 aes-256-cbc -iter 600000\`).`,
  );
}

function wrongPassphrase(cause?: unknown): ParleyError {
  return new ParleyError(
    'WRONG_PASSPHRASE',
    'The passphrase does not decrypt this private key (or the encrypted key is damaged).',
    cause === undefined ? undefined : { cause },
  );
}

/** A derived key for a PBES2 key derivation function, after checking its cost. */
async function deriveFor(kdf: AlgorithmIdentifier, passphrase: string, keyBytes: number, sync: boolean): Promise<Buffer | 'checked'> {
  if (kdf.algorithm === OID.pbkdf2) {
    const params = parse(paramsOf(kdf, 'PBKDF2 function'), Pbkdf2Params, 'PBKDF2 parameters');
    const cap = sync ? MAX_SYNC_ITERATIONS : MAX_PBKDF2_ITERATIONS;
    if (params.iterationCount < 1n) throw malformed('its PBKDF2 iteration count is not positive');
    if (params.iterationCount > BigInt(cap)) throw tooCostly(`${params.iterationCount} PBKDF2 iterations (at most ${cap.toLocaleString('en')} are accepted)`);
    if (sync) return 'checked';
    const digest = PRFS[params.prf?.algorithm ?? OID.hmacWithSHA1];
    if (digest === undefined)
      throw new ParleyError('UNSUPPORTED_KEY', `The encrypted private key uses an unknown PBKDF2 function (${params.prf?.algorithm ?? '?'}).`);
    if (params.keyLength !== undefined && params.keyLength !== BigInt(keyBytes)) throw malformed('its PBKDF2 key length does not match its cipher');
    return pbkdf2Async(passphrase, Buffer.from(params.salt.buffer), Number(params.iterationCount), keyBytes, digest);
  }
  if (kdf.algorithm === OID.scrypt) {
    const params = parse(paramsOf(kdf, 'scrypt function'), ScryptParams, 'scrypt parameters');
    const { costParameter: N, blockSize: r, parallelizationParameter: p } = params;
    if (N < 2n || r < 1n || p < 1n) throw malformed('its scrypt parameters are out of range');
    const bytes = 128n * r * (N + p);
    if (bytes > BigInt(MAX_SCRYPT_BYTES) || p > 16n) {
      throw tooCostly(`scrypt with N=${N}, r=${r}, p=${p} (${bytes / 1048576n} MB; at most ${MAX_SCRYPT_BYTES / 1048576} MB and p ≤ 16 are accepted)`);
    }
    if (sync) return 'checked';
    if (params.keyLength !== undefined && params.keyLength !== BigInt(keyBytes)) throw malformed('its scrypt key length does not match its cipher');
    return scryptAsync(passphrase, Buffer.from(params.salt.buffer), keyBytes, Number(N), Number(r), Number(p));
  }
  throw new ParleyError('UNSUPPORTED_KEY', `The encrypted private key uses an unknown key derivation function (${kdf.algorithm}); use PBKDF2 or scrypt.`);
}

/** The clear PKCS#8 DER of a PBES2 file with a cipher decrypted here, or null to let OpenSSL handle the scheme. */
async function decryptPbes2(info: EncryptedPrivateKeyInfo, passphrase: string): Promise<Buffer | null> {
  const params = parse(paramsOf(info.encryptionAlgorithm, 'PBES2 scheme'), Pbes2Params, 'PBES2 parameters');
  const cipher = CIPHERS[params.encryptionScheme.algorithm];
  if (cipher === undefined) {
    await deriveFor(params.keyDerivationFunc, passphrase, 0, true);
    return null;
  }
  const iv = Buffer.from(parse(paramsOf(params.encryptionScheme, 'cipher'), OctetString, 'cipher parameters').buffer);
  if (iv.length !== cipher.ivBytes) throw malformed(`its ${cipher.name} IV has ${iv.length} bytes, not ${cipher.ivBytes}`);
  const key = (await deriveFor(params.keyDerivationFunc, passphrase, cipher.keyBytes, false)) as Buffer;
  try {
    const decipher = createDecipheriv(cipher.name, key, iv);
    return Buffer.concat([decipher.update(Buffer.from(info.encryptedData.buffer)), decipher.final()]);
  } catch (cause) {
    // A bad padding block: the usual sign of a wrong passphrase.
    throw wrongPassphrase(cause);
  } finally {
    key.fill(0);
  }
}

/**
 * Decrypts an `ENCRYPTED PRIVATE KEY` block (its DER and PEM); UNSUPPORTED_KEY when its key derivation
 * costs more than the caps, WRONG_PASSPHRASE when the passphrase does not decrypt it.
 */
export async function decryptPkcs8(der: Buffer, pemText: string, passphrase: string): Promise<KeyObject> {
  const info = parse(der, EncryptedPrivateKeyInfo, 'contents');
  let clear: Buffer | null = null;
  if (info.encryptionAlgorithm.algorithm === OID.pbes2) {
    clear = await decryptPbes2(info, passphrase);
  } else {
    // PBES1 and PKCS#12 PBE schemes: OpenSSL derives the key synchronously, so only the cost is checked here.
    const params = parse(paramsOf(info.encryptionAlgorithm, 'encryption scheme'), PbeParams, 'encryption parameters');
    if (params.iterations > BigInt(MAX_SYNC_ITERATIONS)) {
      throw tooCostly(`${params.iterations} iterations (at most ${MAX_SYNC_ITERATIONS.toLocaleString('en')} are accepted for this scheme)`);
    }
  }
  try {
    return clear === null ? createPrivateKey({ key: pemText, format: 'pem', passphrase }) : createPrivateKey({ key: clear, format: 'der', type: 'pkcs8' });
  } catch (cause) {
    throw wrongPassphrase(cause);
  } finally {
    clear?.fill(0);
  }
}
