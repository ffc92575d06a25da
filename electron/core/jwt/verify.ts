/**
 * The contract's `jwt.verify`: checks a compact JWS's signature against the keys of a source and says
 * which key matched or precisely why none did. Only the signature is judged here; claims (exp, aud…) are
 * the rules' business. `alg: none` and HMAC are refused before any key is touched (RFC 8725 §3.1, §3.2).
 */
import type { KeyObject } from 'node:crypto';
import { compactVerify, errors } from 'jose';
import type { CandidateOutcome, VerifyCandidate, VerifyFailure, VerifyKeySource, VerifyResult } from '../../../shared/schemas/jwt';
import type { DecodedJwt } from '../../../shared/jwt/decode';
import { JwtDecodeError, decodeCompactJwt } from '../../../shared/jwt/decode';
import type { KeyCandidate, KeySourceDeps } from './key-sources';
import { loadSourceKeys } from './key-sources';

/** What `verifyJwt` reads keys from: the vault, the embedded server, and an HTTP fetcher. */
export type VerifyDeps = KeySourceDeps;

/** The size cap of a token to verify (the contract's input cap, plus headroom for multi-byte text). */
export const VERIFY_MAX_BYTES = 1_100_000;

const RSA_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
const EC_ALGS: Record<string, { crv: string; alg: string }> = {
  prime256v1: { crv: 'P-256', alg: 'ES256' },
  secp384r1: { crv: 'P-384', alg: 'ES384' },
  secp521r1: { crv: 'P-521', alg: 'ES512' },
};

/** The algs a public key can verify and how to name it (RFC 7518 §3.1: the alg fixes the key type and curve). */
function keyFit(key: KeyObject): { algs: string[]; kind: string } {
  const type = key.asymmetricKeyType;
  if (type === 'rsa') return { algs: RSA_ALGS, kind: 'an RSA key' };
  // An RSA-PSS (id-RSASSA-PSS) key is restricted to PSS by its own parameters.
  if (type === 'rsa-pss') return { algs: RSA_ALGS.filter((a) => a.startsWith('PS')), kind: 'an RSA-PSS key' };
  if (type === 'ec') {
    const curve = EC_ALGS[key.asymmetricKeyDetails?.namedCurve ?? ''];
    if (curve) return { algs: [curve.alg], kind: `an EC ${curve.crv} key` };
    return { algs: [], kind: `an EC key on an unsupported curve (${key.asymmetricKeyDetails?.namedCurve ?? 'unknown'})` };
  }
  return { algs: [], kind: `a ${type ?? 'unknown'} key` };
}

interface Header {
  alg: string | null;
  kid: string | null;
}

/** Verifies `token` with the keys of `source`; never throws for a bad token or source (vault errors propagate). */
export async function verifyJwt(token: string, source: VerifyKeySource, deps: VerifyDeps): Promise<VerifyResult> {
  let decoded: DecodedJwt;
  try {
    decoded = decodeCompactJwt(token, { maxBytes: VERIFY_MAX_BYTES });
  } catch (e) {
    if (!(e instanceof JwtDecodeError)) throw e;
    return refuse({ alg: null, kid: null }, 'malformed', `The token is malformed: ${e.message}.`, '');
  }
  const rawAlg = decoded.header['alg'];
  const rawKid = decoded.header['kid'];
  const header: Header = { alg: typeof rawAlg === 'string' ? rawAlg : null, kid: typeof rawKid === 'string' ? rawKid : null };
  if (header.alg === null) return refuse(header, 'malformed', 'The token is malformed: its header has no alg string.', '');
  if (rawKid !== undefined && header.kid === null) return refuse(header, 'malformed', 'The token is malformed: its header kid is not a string.', '');
  // Refused before loading keys, so an unsigned or HMAC token never causes a fetch or a verification attempt.
  if (header.alg.toLowerCase() === 'none') return refuse(header, 'alg-none', 'The token is unsigned (alg none), so there is no signature to verify.', '');
  if (decoded.signatureB64 === '') return refuse(header, 'alg-none', `The token has an empty signature although its alg is ${header.alg}.`, '');
  if (/^HS\d+$/i.test(header.alg)) {
    return refuse(
      header,
      'symmetric-alg',
      `The token uses ${header.alg}, a symmetric (HMAC) algorithm that only the shared secret can verify; Parley never verifies HMAC with a public key (RFC 8725).`,
      '',
    );
  }

  const loaded = await loadSourceKeys(source, deps);
  if (!loaded.ok) return refuse(header, loaded.failure, loaded.message, loaded.description);
  return judge(token, header, header.alg, loaded.keys, loaded.description);
}

/** Tries the candidates in turn: kid, then alg fit, then the signature itself. */
async function judge(token: string, header: Header, alg: string, keys: KeyCandidate[], description: string): Promise<VerifyResult> {
  const outcomes = new Map<KeyCandidate, CandidateOutcome>();
  const usable = keys.filter((k) => k.key !== null);
  for (const k of keys) if (k.key === null) outcomes.set(k, 'unsupported-key');
  const listed = (): VerifyCandidate[] => keys.map((k) => toCandidate(k, outcomes.get(k) ?? 'unsupported-key'));
  const fail = (failure: VerifyFailure, message: string): VerifyResult => ({ ...refuse(header, failure, message, description), candidates: listed() });

  if (usable.length === 0) {
    const problems = keys.map((k) => `${k.label}: ${k.problem ?? 'unusable'}`).join('; ');
    return fail(
      'no-keys',
      keys.length === 0 ? `There are no keys in ${description}.` : `None of the keys in ${description} can verify a signature (${problems}).`,
    );
  }

  // A key without a kid (a pasted PEM or certificate) was chosen by the user and is not excluded by the token's kid.
  const byKid = header.kid === null ? usable : usable.filter((k) => k.kid === null || k.kid === header.kid);
  for (const k of usable) if (!byKid.includes(k)) outcomes.set(k, 'kid-mismatch');
  if (byKid.length === 0) {
    const kids = usable.map((k) => k.kid).filter((k): k is string => k !== null);
    return fail('kid-mismatch', `No key has kid ${header.kid ?? ''}; ${description} has ${kids.length === 1 ? 'kid' : 'kids'} ${kids.join(', ')}.`);
  }

  const mismatches: string[] = [];
  const fitting = byKid.filter((k) => {
    const fit = keyFit(k.key!);
    if (!fit.algs.includes(alg)) {
      mismatches.push(`${k.label} is ${fit.kind}${fit.algs.length > 0 ? ` (${fit.algs.join(', ')})` : ''}`);
      return false;
    }
    if (k.alg !== null && k.alg !== alg) {
      mismatches.push(`${k.label} is bound to alg ${k.alg}`);
      return false;
    }
    return true;
  });
  for (const k of byKid) if (!fitting.includes(k)) outcomes.set(k, 'alg-mismatch');
  if (fitting.length === 0) return fail('alg-mismatch', `The token's alg ${alg} fits none of the keys: ${mismatches.join('; ')}.`);

  let matched: KeyCandidate | null = null;
  const keyProblems: string[] = [];
  for (const k of fitting) {
    try {
      await compactVerify(token, k.key!, { algorithms: [alg] });
      outcomes.set(k, 'matched');
      matched ??= k;
    } catch (e) {
      if (e instanceof errors.JWSSignatureVerificationFailed) {
        outcomes.set(k, 'bad-signature');
      } else if (e instanceof errors.JWSInvalid || e instanceof errors.JOSENotSupported) {
        // A token-level refusal (an unsupported `crit`, a bad `b64`) is the same for every key.
        return fail('malformed', `The token is malformed: ${e.message}.`);
      } else {
        // jose refuses some keys outright (e.g. RSA under 2048 bits): the key, not the signature, is at fault.
        outcomes.set(k, 'unsupported-key');
        keyProblems.push(`${k.label}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
  if (matched) {
    return {
      valid: true,
      alg,
      kid: header.kid,
      matched: toCandidate(matched, 'matched'),
      failure: null,
      message: `The signature is valid: it verifies with ${matched.label} (${alg}).`,
      candidates: listed(),
      sourceDescription: description,
    };
  }
  const tried = fitting.filter((k) => outcomes.get(k) === 'bad-signature');
  if (tried.length === 0) return fail('source-invalid', `No key could be used to verify: ${keyProblems.join('; ')}.`);
  const which = tried.length === 1 ? tried[0]!.label : `any of ${tried.length} keys (${tried.map((k) => k.label).join(', ')})`;
  return fail('bad-signature', `The signature does not verify with ${which}: the token was altered after signing or was signed by a different key.`);
}

function toCandidate(k: KeyCandidate, outcome: CandidateOutcome): VerifyCandidate {
  return { label: k.label, kid: k.kid, thumbprint: k.thumbprint, alg: k.alg, outcome };
}

function refuse(header: Header, failure: VerifyFailure, message: string, sourceDescription: string): VerifyResult {
  return { valid: false, alg: header.alg, kid: header.kid, matched: null, failure, message, candidates: [], sourceDescription };
}
