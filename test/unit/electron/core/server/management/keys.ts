/**
 * Key material generated at test time: RSA key pairs (cached per test file, generation is slow), keys of
 * sizes Auth0 refuses (built from a JWK, no primes needed for a public key), EC/Ed25519 keys, and X.509
 * certificates with chosen validity, issued with @peculiar/x509.
 */
// tsyringe (under @peculiar/x509) needs the Reflect metadata API before it loads.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import type { KeyObject } from 'node:crypto';
import { createPublicKey, generateKeyPairSync, randomBytes, webcrypto } from 'node:crypto';
import { calculateJwkThumbprint } from 'jose';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[1]);

/** An RSA key pair with its PEM forms and RFC 7638 thumbprint. */
export interface RsaPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** SPKI `PUBLIC KEY` PEM. */
  spki: string;
  /** PKCS#1 `RSA PUBLIC KEY` PEM. */
  pkcs1: string;
  /** PKCS#8 `PRIVATE KEY` PEM (must never be accepted). */
  pkcs8: string;
  thumbprint: string;
}

const pool: RsaPair[] = [];

async function makePair(bits: number): Promise<RsaPair> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  const jwk = publicKey.export({ format: 'jwk' });
  return {
    privateKey,
    publicKey,
    spki: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    pkcs1: publicKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    pkcs8: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    thumbprint: await calculateJwkThumbprint({ kty: 'RSA', n: jwk.n!, e: jwk.e! }, 'sha256'),
  };
}

/** The i-th 2048-bit RSA pair of this test file (generated on first use, then reused). */
export async function rsa(i: number): Promise<RsaPair> {
  while (pool.length <= i) pool.push(await makePair(2048));
  return pool[i]!;
}

/** A fresh RSA pair of `bits` bits (slow above 2048). */
export function freshRsa(bits: number): Promise<RsaPair> {
  return makePair(bits);
}

/** An SPKI PEM of an "RSA key" whose modulus has exactly `bits` bits (random odd n: fine for a size check). */
export function rsaPublicPemOfSize(bits: number): string {
  const n = randomBytes(bits / 8);
  n[0] = n[0]! | 0x80;
  n[n.length - 1] = n[n.length - 1]! | 1;
  return createPublicKey({ key: { kty: 'RSA', n: n.toString('base64url'), e: 'AQAB' }, format: 'jwk' })
    .export({ type: 'spki', format: 'pem' })
    .toString();
}

/** An EC P-256 public key PEM. */
export function ecPublicPem(): string {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

/** An Ed25519 public key PEM. */
export function ed25519PublicPem(): string {
  return generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

/** A self-signed certificate for `pair`, valid from `notBefore` to `notAfter`. */
export async function certificate(pair: RsaPair, notBefore: Date, notAfter: Date, cn = 'Parley test'): Promise<string> {
  const alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  const privateKey = await webcrypto.subtle.importKey('pkcs8', pair.privateKey.export({ type: 'pkcs8', format: 'der' }), alg, false, ['sign']);
  const publicKey = await webcrypto.subtle.importKey('spki', pair.publicKey.export({ type: 'spki', format: 'der' }), alg, true, ['verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: `CN=${cn}`,
    notBefore,
    notAfter,
    signingAlgorithm: alg,
    keys: { privateKey, publicKey } as unknown as Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[0]['keys'],
  });
  return cert.toString('pem');
}

/** The public key PEM of Auth0's Configure Private Key JWT guide (a real 2048-bit RSA key, seed text). */
export const SEED_GUIDE_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA53VzmIVVZZWyNm266l82
mnoDc9g/snXklax5kChEhqK/WnTUvuXP4Gd4THj8rchxgUGKXd4PF3SUcKyn/qPm
Tet0idVHk2PwP//FOVgYo5Lb04js0pgZkbyB/WjuMp1w+yMuSn0NYAP7Q9U7DfTb
jmox8OQt4tCB4m7UrJghGqT8jkPyZO/Ka6/XsyjTYPOUL3t3PD7JShVAgo1mAY6g
Sr4SORywIiuHsg+59ad7MXGy78LirhtqAcDECKF7VZpxMuEjMLg3o2yzNUeWI2Mg
IF+t0HbO1E387fvLcuSyai1yWbSr1PXyiB2aXyDpbD4u7d3ux4ahU2opH11lBqvx
+wIDAQAB
-----END PUBLIC KEY-----`;
