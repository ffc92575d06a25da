import { z } from 'zod';

/**
 * JWS algorithms Parley signs with (RFC 7518; EdDSA from RFC 8037 and its fully specified name Ed25519 from
 * RFC 9864, both Ed25519 signatures). Symmetric and `none` are never offered.
 */
export const SIGNING_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'EdDSA', 'Ed25519'] as const;
/** A JWS algorithm Parley signs with. */
export type SigningAlg = (typeof SIGNING_ALGS)[number];
/** Schema of a signing algorithm. */
export const signingAlgSchema = z.enum(SIGNING_ALGS);

/** What a key is for. The seeds advise separate key pairs for JAR and client authentication. */
export const KEY_USAGES = ['jar', 'client-auth', 'other'] as const;
/** What a key is for. */
export type KeyUsage = (typeof KEY_USAGES)[number];
/** Schema of a key usage. */
export const keyUsageSchema = z.enum(KEY_USAGES);

/** RSA sizes and EC curves Parley generates. */
export const RSA_SIZES = [2048, 3072, 4096] as const;
/** EC curves Parley generates and imports. */
export const EC_CURVES = ['P-256', 'P-384'] as const;
/** OKP curves (RFC 8037) Parley generates and imports: Ed25519 only (for DPoP proofs; X25519 does not sign). */
export const OKP_CURVES = ['Ed25519'] as const;

/** What to generate. */
export const keySpecSchema = z.discriminatedUnion('kty', [
  z.object({ kty: z.literal('RSA'), modulusLength: z.union([z.literal(2048), z.literal(3072), z.literal(4096)]) }),
  z.object({ kty: z.literal('EC'), crv: z.enum(EC_CURVES) }),
  z.object({ kty: z.literal('OKP'), crv: z.enum(OKP_CURVES) }),
]);
/** What to generate. */
export type KeySpec = z.infer<typeof keySpecSchema>;

/** Warnings shown beside a key. */
export const KEY_WARNINGS = ['reused-for-jar-and-client-auth', 'certificate-expired', 'key-expired', 'public-only'] as const;
/** A warning shown beside a key. */
export type KeyWarning = (typeof KEY_WARNINGS)[number];

/** A public JWK as the renderer sees it (never `d`, `p`, `q`, `dp`, `dq`, `qi`). */
export interface PublicJwk {
  kty: 'RSA' | 'EC' | 'OKP';
  kid?: string;
  alg?: string;
  use?: string;
  n?: string;
  e?: string;
  crv?: string;
  x?: string;
  y?: string;
}

/** Facts of an X.509 certificate paired with a key. */
export interface CertificateInfo {
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  selfSigned: boolean;
}

/** What the renderer sees of a key in a list: no private material, ever. */
export interface KeySummary {
  id: string;
  name: string;
  kty: 'RSA' | 'EC' | 'OKP';
  /** RSA modulus length in bits. */
  size?: number;
  /** EC or OKP curve. */
  crv?: 'P-256' | 'P-384' | 'Ed25519';
  /** Algorithms this key can sign with. */
  algs: SigningAlg[];
  usages: KeyUsage[];
  /** RFC 7638 SHA-256 JWK thumbprint, base64url: the `kid` Auth0 assigns. */
  thumbprint: string;
  hasPrivateKey: boolean;
  createdAt: string;
  expiresAt: string | null;
  certificate: CertificateInfo | null;
  warnings: KeyWarning[];
}

/** A key's public material, for the detail view and exports. */
export interface KeyDetail extends KeySummary {
  publicJwk: PublicJwk;
  publicPem: string;
  certificatePem: string | null;
}

/** A file the user can save. */
export interface ExportedFile {
  filename: string;
  mimeType: string;
  content: string;
}

/**
 * Result of an import: a new key; a certificate paired with a key already in the vault; or a private key
 * added to a public-only entry with the same thumbprint.
 */
export interface ImportResult {
  action: 'created' | 'paired-certificate' | 'added-private-key';
  key: KeySummary;
}

/** Progress of a long-running job such as a 4096-bit RSA generation. */
export interface JobProgress {
  jobId: string;
  kind: 'generate-key';
  label: string;
  state: 'running' | 'done' | 'failed';
  keyId?: string;
}
