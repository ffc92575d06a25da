/**
 * X.509 certificates: parsing a pasted certificate and issuing a self-signed one for a vault key,
 * with @peculiar/x509 over Node's WebCrypto.
 */
// tsyringe (under @peculiar/x509) needs the Reflect metadata API before it loads.
import 'reflect-metadata';
import type * as X509 from '@peculiar/x509';
import type { KeyObject } from 'node:crypto';
import { createPublicKey, webcrypto } from 'node:crypto';
import { ParleyError } from '../../../shared/errors';
import { now, nowMs } from '../clock';
import { randomBytes } from '../random';
import type { KeyShape } from './algorithms';
import type { StoredCertificate } from './vault-document';

let x509Module: Promise<typeof X509> | undefined;

/** Loads @peculiar/x509 once, on first use (most sessions never touch a certificate), over Node's WebCrypto. */
function loadX509(): Promise<typeof X509> {
  x509Module ??= (async () => {
    const x509 = await import('@peculiar/x509');
    x509.cryptoProvider.set(webcrypto as unknown as X509Crypto);
    return x509;
  })();
  return x509Module;
}

/** A parsed certificate: what is stored, its public key, and its subject CN (a default key name). */
export interface ParsedCertificate extends StoredCertificate {
  publicKey: KeyObject;
  commonName: string | null;
}

/** Parses a DER certificate; MALFORMED_KEY when it is not one. */
export async function parseCertificate(der: Buffer): Promise<ParsedCertificate> {
  const x509 = await loadX509();
  let cert: X509.X509Certificate;
  try {
    cert = new x509.X509Certificate(Uint8Array.from(der));
  } catch (cause) {
    throw new ParleyError('MALFORMED_KEY', `The certificate could not be parsed (${cause instanceof Error ? cause.message : 'invalid DER'}).`, { cause });
  }
  let publicKey: KeyObject;
  let notBefore: string;
  let notAfter: string;
  try {
    publicKey = createPublicKey({ key: Buffer.from(cert.publicKey.rawData), format: 'der', type: 'spki' });
    notBefore = cert.notBefore.toISOString();
    notAfter = cert.notAfter.toISOString();
  } catch (cause) {
    throw new ParleyError('MALFORMED_KEY', "The certificate's public key or validity dates could not be read.", { cause });
  }
  let selfSigned = false;
  try {
    selfSigned = cert.subject === cert.issuer && (await cert.isSelfSigned());
  } catch {
    // A signature algorithm WebCrypto cannot verify says nothing about the key; report "not self-signed".
  }
  return {
    pem: cert.toString('pem').replace(/\r\n/g, '\n').trim() + '\n',
    info: { subject: cert.subject, issuer: cert.issuer, serialNumber: cert.serialNumber, notBefore, notAfter, selfSigned },
    publicKey,
    commonName: cert.subjectName.getField('CN')[0] ?? null,
  };
}

/** What a self-signed certificate is issued for. */
export interface SelfSignedRequest {
  privateKey: KeyObject;
  publicKey: KeyObject;
  shape: KeyShape;
  commonName: string;
  days: number;
}

// X.520 caps commonName at 64 characters; longer key names are cut rather than producing a certificate strict parsers reject.
const MAX_CN = 64;

/** Issues a self-signed certificate: RS256 for RSA, ES256/ES384 for EC, Ed25519 (RFC 8410) for OKP; random positive 128-bit serial. */
export async function createSelfSignedCertificate(request: SelfSignedRequest): Promise<ParsedCertificate> {
  const x509 = await loadX509();
  const { shape } = request;
  const importParams =
    shape.kty === 'RSA' ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } : shape.kty === 'OKP' ? { name: 'Ed25519' } : { name: 'ECDSA', namedCurve: shape.crv };
  const signingAlgorithm =
    shape.kty === 'RSA'
      ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }
      : shape.kty === 'OKP'
        ? { name: 'Ed25519' }
        : { name: 'ECDSA', hash: shape.crv === 'P-256' ? 'SHA-256' : 'SHA-384' };

  const pkcs8 = request.privateKey.export({ type: 'pkcs8', format: 'der' });
  let signingKey: webcrypto.CryptoKey;
  try {
    signingKey = await webcrypto.subtle.importKey('pkcs8', pkcs8, importParams, false, ['sign']);
  } finally {
    pkcs8.fill(0);
  }
  const verifyKey = await webcrypto.subtle.importKey('spki', request.publicKey.export({ type: 'spki', format: 'der' }), importParams, true, ['verify']);

  const serial = randomBytes(16);
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x40; // positive and without a leading zero byte (RFC 5280 §4.1.2.2)
  const keys = { privateKey: signingKey, publicKey: verifyKey } as unknown as CryptoKeyPairLike<typeof x509>;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial.toString('hex'),
    name: [{ CN: [request.commonName.slice(0, MAX_CN)] }],
    notBefore: now(),
    notAfter: new Date(nowMs() + request.days * 86_400_000),
    signingAlgorithm,
    keys,
    // No KeyUsage extension: without keyCertSign, OpenSSL would not accept the certificate as its own
    // issuer, and verifiers that pin a self-signed certificate (RFC 8705 §2.2) do exactly that.
    extensions: [new x509.BasicConstraintsExtension(false, undefined, true), await x509.SubjectKeyIdentifierExtension.create(keys.publicKey)],
  });
  return parseCertificate(Buffer.from(cert.rawData));
}

// The DOM `Crypto` type @peculiar/x509 names, whichever lib a tsconfig loads; Node's webcrypto is it at run time.
type X509Crypto = Parameters<typeof X509.cryptoProvider.set>[1];
// Node's webcrypto.CryptoKey and the DOM CryptoKey that @peculiar/x509's typings name are the same at run time.
type CryptoKeyPairLike<M extends typeof X509> = Parameters<M['X509CertificateGenerator']['createSelfSigned']>[0]['keys'];
