/**
 * A stored client credential and how the Management API shows it: exactly eight fields in Auth0's order,
 * never the PEM (CRD-10). The stored PEM is the canonical SPKI public key; the schema refuses anything else,
 * so a private key can never be written to clients.json even by a bug upstream.
 */
import { z } from 'zod';
import type { ServerCredential } from '../../../../shared/schemas/server';

/** A credential as stored in clients.json. */
export const storedCredentialSchema = z
  .object({
    id: z.string().regex(/^cred_[A-Za-z0-9]{1,64}$/),
    client_id: z.string().min(1).max(128),
    credential_type: z.literal('public_key'),
    kid: z.string().min(1).max(128),
    /** RFC 7638 thumbprint: the key's identity for the duplicate rule (CRD-9), whatever the kid. */
    thumbprint: z.string().min(1).max(128),
    alg: z.enum(['RS256', 'RS384', 'PS256']),
    name: z.string().max(128),
    created_at: z.string(),
    updated_at: z.string(),
    expires_at: z.string().nullable(),
    /** SPKI public key PEM. */
    pem: z.string().refine((p) => p.startsWith('-----BEGIN PUBLIC KEY-----') && !p.includes('PRIVATE'), 'only an SPKI public key may be stored'),
    /** What was uploaded: the public key itself, or a certificate (the UI says which). */
    source: z.enum(['public_key', 'certificate']),
  })
  .strict();

/** A stored credential. */
export type StoredCredential = z.infer<typeof storedCredentialSchema>;

/** The credential as Auth0 returns it (CRD-10, O3): these eight fields, this order; the wire type the renderer reads too. */
export type CredentialJson = ServerCredential;

/** The public JSON of a stored credential. */
export function credentialJson(c: StoredCredential): CredentialJson {
  return {
    id: c.id,
    credential_type: c.credential_type,
    kid: c.kid,
    alg: c.alg,
    name: c.name,
    created_at: c.created_at,
    updated_at: c.updated_at,
    expires_at: c.expires_at,
  };
}
