/**
 * What the renderer may see of a stored key: public facts, dates and warnings. No function here is
 * ever given private material, so none can leak it.
 */
import type { KeyObject } from 'node:crypto';
import type { KeyDetail, KeySummary, KeyWarning } from '../../../shared/schemas/keys';
import { algsFor } from './algorithms';
import { publicPem, publishedJwk } from './key-export';
import { shapeOf } from './key-facts';
import type { KeyRecord } from './vault-document';

/** The warnings to show beside a key at time `atMs`. */
export function warningsOf(record: KeyRecord, atMs: number): KeyWarning[] {
  const warnings: KeyWarning[] = [];
  // Separate keys per purpose limit the damage of one compromise and let each rotate on its own schedule.
  if (record.usages.includes('jar') && record.usages.includes('client-auth')) warnings.push('reused-for-jar-and-client-auth');
  const notAfter = record.certificate ? Date.parse(record.certificate.info.notAfter) : null;
  // expiresAt is the certificate's notAfter, so today both warnings fire together; they stay distinct
  // in the contract because a key could later carry its own expiry.
  if (notAfter !== null && notAfter <= atMs) warnings.push('certificate-expired', 'key-expired');
  if (record.privateKey === null) warnings.push('public-only');
  return warnings;
}

/** A stored key as listed. */
export function toSummary(record: KeyRecord, publicKey: KeyObject, atMs: number): KeySummary {
  const shape = shapeOf(publicKey);
  return {
    id: record.id,
    name: record.name,
    kty: shape.kty,
    ...(shape.kty === 'RSA' ? { size: shape.size } : { crv: shape.crv }),
    algs: algsFor(shape),
    usages: [...record.usages],
    thumbprint: record.thumbprint,
    hasPrivateKey: record.privateKey !== null,
    createdAt: record.createdAt,
    expiresAt: record.certificate?.info.notAfter ?? null,
    certificate: record.certificate ? { ...record.certificate.info } : null,
    warnings: warningsOf(record, atMs),
  };
}

/** A stored key with its public material, for the detail view. */
export function toDetail(record: KeyRecord, publicKey: KeyObject, atMs: number): KeyDetail {
  const summary = toSummary(record, publicKey, atMs);
  return {
    ...summary,
    publicJwk: publishedJwk(record.publicJwk, record.thumbprint, summary.algs),
    publicPem: publicPem(publicKey),
    certificatePem: record.certificate?.pem ?? null,
  };
}
