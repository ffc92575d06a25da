/**
 * Signature verification as the Inspect screen asks for it and the core answers it: which key source to
 * try, and a verdict that says which key matched or why none did.
 */
import { z } from 'zod';

const keyId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'not a key id');

/** Where to find the verification key(s). */
export const verifyKeySourceSchema = z.discriminatedUnion('kind', [
  /** A key in the vault (its public half). */
  z.object({ kind: z.literal('vault'), keyId }).strict(),
  /** Pasted text: a PEM public key, an X.509 certificate, a JWK, or a whole JWKS. */
  z.object({ kind: z.literal('text'), text: z.string().min(1).max(1_000_000) }).strict(),
  /** The embedded server's own JWKS (tokens it issued: ID tokens, access tokens). */
  z.object({ kind: z.literal('server') }).strict(),
  /** A client's credentials registered on the embedded server (request objects, client assertions). */
  z.object({ kind: z.literal('serverCredentials'), clientId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) }).strict(),
  /** A JWKS URL, fetched by the core. */
  z.object({ kind: z.literal('jwksUrl'), url: z.string().url().max(2048) }).strict(),
  /** An issuer: discovery, then its jwks_uri. */
  z.object({ kind: z.literal('issuer'), issuer: z.string().url().max(2048) }).strict(),
]);

/** Where to find the verification key(s). */
export type VerifyKeySource = z.infer<typeof verifyKeySourceSchema>;

/** Why one candidate key did or did not verify the token. */
export type CandidateOutcome = 'matched' | 'kid-mismatch' | 'alg-mismatch' | 'bad-signature' | 'unsupported-key';

/** One key that was considered. */
export interface VerifyCandidate {
  /** How the UI names it: the vault key's name, `kid …`, `credential …`. */
  label: string;
  kid: string | null;
  /** RFC 7638 thumbprint of the candidate's public key. */
  thumbprint: string;
  alg: string | null;
  outcome: CandidateOutcome;
}

/** Why the token as a whole did not verify. */
export type VerifyFailure =
  'malformed' | 'alg-none' | 'symmetric-alg' | 'no-keys' | 'kid-mismatch' | 'alg-mismatch' | 'bad-signature' | 'fetch-failed' | 'source-invalid';

/** The verdict. */
export interface VerifyResult {
  valid: boolean;
  /** The token's header alg and kid. */
  alg: string | null;
  kid: string | null;
  /** The key that verified it. */
  matched: VerifyCandidate | null;
  failure: VerifyFailure | null;
  /** A sentence naming the reason, e.g. "No key has kid abc; the JWKS has kids x, y". */
  message: string;
  candidates: VerifyCandidate[];
  /** Where the keys came from (the JWKS URL actually fetched, for an issuer). */
  sourceDescription: string;
}
