/**
 * Signature checks for the command line: the core's `verifyJwt` with only the sources a terminal has (a
 * key file's text, a JWKS URL). There is no vault and no embedded server here; the network goes through
 * the core's fetch-json (its request policy: https, or http to this machine only; bodies capped).
 * Loaded on demand (only with --key), so a plain explain does not load the certificate parser.
 */
import type { VerifyKeySource, VerifyResult } from '../../../shared/schemas/jwt';
import type { VerifyDeps } from '../../core/jwt/verify';
import { verifyJwt } from '../../core/jwt/verify';

const DEPS: VerifyDeps = {
  vault: {
    get() {
      throw new Error('the command line has no vault: give the key as a file');
    },
  },
  server: { running: null, directory: { getClient: () => undefined, slotCredentials: () => [] } },
  fetch: (url, init) => fetch(url, init),
};

/** Verifies a token with a source; the result names the key by the file (or URL) it came from. */
export async function verifyWith(token: string, source: VerifyKeySource, name: string): Promise<VerifyResult> {
  const result = await verifyJwt(token, source, DEPS);
  if (source.kind !== 'text') return result;
  // The core words a text source as pasted (the UI's paste box); here it came from a file.
  const named = (text: string) => text.replace(/\bpasted (text|JWKS)\b/g, name).replace(/\bpasted (public key|JWK)\b/g, `the $1 in ${name}`);
  return {
    ...result,
    message: named(result.message),
    sourceDescription: named(result.sourceDescription),
    ...(result.matched ? { matched: { ...result.matched, label: named(result.matched.label) } } : {}),
    candidates: result.candidates.map((c) => ({ ...c, label: named(c.label) })),
  };
}
