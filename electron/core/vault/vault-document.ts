/**
 * The schema of `vault.json`. It holds only public data and ciphertext: public JWKs, thumbprints,
 * certificates, and each private key sealed under the data key. openDocument parses every read with
 * this schema, so a hand-edited or damaged file is moved aside instead of half-trusted.
 */
import { z } from 'zod';
import { EC_CURVES, keyUsageSchema, OKP_CURVES } from '../../../shared/schemas/keys';

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not base64');
const base64url = z.string().regex(/^[A-Za-z0-9_-]+$/, 'not base64url');
const isoDate = z.iso.datetime();

/** AES-256-GCM output: IV, ciphertext and tag, each base64. */
export const sealedSchema = z.object({ iv: base64, ciphertext: base64, tag: base64 });
/** AES-256-GCM output: IV, ciphertext and tag, each base64. */
export type Sealed = z.infer<typeof sealedSchema>;

const powerOfTwo = (n: number): boolean => Number.isInteger(Math.log2(n));

/**
 * scrypt cost parameters. The bounds cap the memory a stored file can make unlock allocate
 * (128 · N · r bytes: 4 GiB at the extremes) while still admitting the low costs tests use.
 */
export const scryptParamsSchema = z.object({
  N: z
    .number()
    .int()
    .min(2)
    .max(2 ** 20)
    .refine(powerOfTwo, 'N must be a power of two'),
  r: z.number().int().min(1).max(32),
  p: z.number().int().min(1).max(16),
});
/** scrypt cost parameters. */
export type ScryptParams = z.infer<typeof scryptParamsSchema>;

/** The data key wrapped by Electron safeStorage (an opaque string the protector understands). */
export const safeStorageProtectionSchema = z.object({ kind: z.literal('safeStorage'), wrappedDataKey: z.string().min(1).max(10_000) });
/** The data key wrapped by Electron safeStorage. */
export type SafeStorageProtection = z.infer<typeof safeStorageProtectionSchema>;

/** The data key sealed with a scrypt-derived key; the salt and cost live beside it so they can change. */
export const passphraseProtectionSchema = z.object({
  kind: z.literal('passphrase'),
  kdf: scryptParamsSchema.extend({ name: z.literal('scrypt'), salt: base64 }),
  wrappedDataKey: sealedSchema,
});
/** The data key sealed with a scrypt-derived key. */
export type PassphraseProtection = z.infer<typeof passphraseProtectionSchema>;

/** How the data key is protected. */
export const protectionSchema = z.discriminatedUnion('kind', [safeStorageProtectionSchema, passphraseProtectionSchema]);
/** How the data key is protected. */
export type Protection = z.infer<typeof protectionSchema>;

/** A public JWK reduced to the RFC 7638 required members: what the thumbprint is computed over. */
export const storedPublicJwkSchema = z.discriminatedUnion('kty', [
  z.object({ kty: z.literal('RSA'), n: base64url, e: base64url }),
  z.object({ kty: z.literal('EC'), crv: z.enum(EC_CURVES), x: base64url, y: base64url }),
  // Ed25519 keys (added later): a new member of the union, so files holding only RSA and EC keys read as before.
  z.object({ kty: z.literal('OKP'), crv: z.enum(OKP_CURVES), x: base64url }),
]);
/** A public JWK reduced to the RFC 7638 required members. */
export type StoredPublicJwk = z.infer<typeof storedPublicJwkSchema>;

/** Facts of a certificate, computed once when it is paired (self-signed checking is asynchronous). */
export const certificateInfoSchema = z.object({
  subject: z.string(),
  issuer: z.string(),
  serialNumber: z.string(),
  notBefore: isoDate,
  notAfter: isoDate,
  selfSigned: z.boolean(),
});

/** A certificate paired with a key. */
export const storedCertificateSchema = z.object({
  pem: z.string().startsWith('-----BEGIN CERTIFICATE-----'),
  info: certificateInfoSchema,
});
/** A certificate paired with a key. */
export type StoredCertificate = z.infer<typeof storedCertificateSchema>;

/**
 * One key as stored. `privateKey` is the PKCS#8 DER sealed under the data key with the record's id and a
 * digest of its metadata as AAD (sealed-key.ts); a public-only record carries `integrity` (an empty message
 * sealed with the same AAD) instead. Records written before the metadata was bound lack `integrity` and
 * sealed with the id alone; unlock re-seals them once, only when the wrapped data key says the vault is that
 * old (data-key.ts), so such a record in a newer vault is refused rather than trusted.
 */
export const keyRecordSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'not a key id'),
  name: z.string().min(1).max(100),
  publicJwk: storedPublicJwkSchema,
  thumbprint: base64url,
  usages: z.array(keyUsageSchema).max(3),
  createdAt: isoDate,
  certificate: storedCertificateSchema.nullable(),
  privateKey: sealedSchema.nullable(),
  integrity: sealedSchema.optional(),
});
/** One key as stored. */
export type KeyRecord = z.infer<typeof keyRecordSchema>;

/** One stored secret (a client secret of a flow target): sealed under the data key with `secret:<id>` as AAD. */
export const secretRecordSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'not a secret id'),
  sealed: sealedSchema,
});
/** One stored secret. */
export type SecretRecord = z.infer<typeof secretRecordSchema>;

/** The whole vault file. `secrets` is absent in files written before the secret store existed. */
export const vaultDocumentSchema = z
  .object({
    version: z.literal(1),
    protection: protectionSchema.nullable(),
    keys: z.array(keyRecordSchema),
    secrets: z.array(secretRecordSchema).optional(),
  })
  .superRefine((doc, ctx) => {
    // Keys without a data key could never be decrypted: such a file is damaged, not merely empty.
    if (doc.protection === null && doc.keys.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['protection'], message: 'keys are stored but the vault has no data key' });
    }
    if (doc.protection === null && (doc.secrets?.length ?? 0) > 0) {
      ctx.addIssue({ code: 'custom', path: ['protection'], message: 'secrets are stored but the vault has no data key' });
    }
    const ids = new Set<string>();
    const thumbprints = new Set<string>();
    doc.keys.forEach((key, i) => {
      if (ids.has(key.id)) ctx.addIssue({ code: 'custom', path: ['keys', i, 'id'], message: 'duplicate key id' });
      if (thumbprints.has(key.thumbprint)) ctx.addIssue({ code: 'custom', path: ['keys', i, 'thumbprint'], message: 'duplicate key' });
      ids.add(key.id);
      thumbprints.add(key.thumbprint);
    });
  });
/** The whole vault file. */
export type VaultDocument = z.infer<typeof vaultDocumentSchema>;

/** A vault that has never been set up. */
export function emptyVaultDocument(): VaultDocument {
  return { version: 1, protection: null, keys: [] };
}
