/**
 * Validates credential bodies: the POST body (and each full object inside a client create, MGC-2) against
 * CRD-1..7, and the PATCH body against CRD-13 and CRD-5. Only checks that need no stored state live here;
 * the pool limit and duplicate keys (CRD-8, CRD-9) are checked where the client's credentials are known.
 */
import { nowMs } from '../../clock';
import type { CredentialAlg } from '../state/types';
import { parseCredentialPem } from './credential-pem';
import type { ParsedPem } from './credential-pem';
import type { Field } from './payload';
import { failed } from './rule-sink';
import { RULES } from '../rules';
import { pass } from '../recording';

/** Algorithms a credential may declare (CRD-4). */
export const CREDENTIAL_ALGS: readonly CredentialAlg[] = ['RS256', 'RS384', 'PS256'];

/** Auth0's credential types; only public_key is supported here (CRD-1). */
const CREDENTIAL_TYPES = ['public_key', 'cert_subject_dn', 'x509_cert'] as const;

/** The caller-supplied kid pattern (CRD-7, O1). */
const KID_PATTERN = /^[0-9a-zA-Z\-_]{10,64}$/;

// JSON-schema `date-time` (RFC 3339): a full date, a time, and an offset.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

const CREATE_PROPS = ['credential_type', 'name', 'pem', 'alg', 'expires_at', 'parse_expiry_from_cert', 'kid'] as const;

/** A valid credential body, ready to be stored once the client-level rules pass. */
export interface CredentialInput {
  name: string;
  alg: CredentialAlg;
  /** Caller kid, or undefined for the thumbprint. */
  kid: string | undefined;
  /** Millisecond ISO string, or null (never expires). */
  expires_at: string | null;
  pem: ParsedPem;
}

/** Parses `expires_at` (CRD-5): a date-time in the future, normalised to millisecond ISO (`…:13Z` → `…:13.000Z`). */
export function parseExpiresAt(value: unknown, field: Field): string | null {
  if (value === null) return null;
  const text = field.string(value, 1, 64);
  const ms = DATE_TIME.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw field.error(`Object didn't pass validation for format date-time: ${text}`, 'an ISO 8601 date-time, e.g. 2030-08-20T19:10:06.299Z', text);
  }
  if (ms <= nowMs()) {
    throw failed(field.sink, RULES['CRD-5'], 'expires_at must be a date in the future', {
      expected: `after ${new Date(nowMs()).toISOString()}`,
      actual: new Date(ms).toISOString(),
      fix: 'Give a future date, or leave expires_at out for a credential that never expires.',
    });
  }
  const iso = new Date(ms).toISOString();
  pass(field.sink, RULES['CRD-5'], 'a future ISO 8601 date-time', iso);
  return iso;
}

/** Validates a full credential object (POST /credentials, or one item of a slot on client create). */
export async function parseCredentialInput(body: unknown, field: Field): Promise<CredentialInput> {
  const obj = field.object(body, CREATE_PROPS);

  field.required(obj, 'credential_type');
  const type = field.at('credential_type', RULES['CRD-1']).oneOf(obj.credential_type, CREDENTIAL_TYPES);
  if (type !== 'public_key') {
    throw failed(field.sink, RULES['CRD-1'], `credential_type ${type} is not supported: only public_key credentials (private_key_jwt and JAR) are`, {
      expected: 'public_key',
      actual: type,
      fix: 'mTLS credentials (x509_cert, cert_subject_dn) are not emulated by Parley.',
    });
  }
  pass(field.sink, RULES['CRD-1'], 'public_key', type);

  const name = obj.name === undefined ? '' : field.at('name').string(obj.name, 0, 128);
  const alg = obj.alg === undefined ? 'RS256' : field.at('alg', RULES['CRD-4']).oneOf(obj.alg, CREDENTIAL_ALGS);
  pass(field.sink, RULES['CRD-4'], CREDENTIAL_ALGS.join(' | '), obj.alg === undefined ? 'RS256 (default)' : alg);

  const kid = obj.kid === undefined ? undefined : field.at('kid', RULES['CRD-7']).pattern(obj.kid, KID_PATTERN, '^[0-9a-zA-Z-_]{10,64}$');
  const parseExpiry = obj.parse_expiry_from_cert === undefined ? false : field.at('parse_expiry_from_cert', RULES['CRD-6']).boolean(obj.parse_expiry_from_cert);
  const hasExpiresAt = obj.expires_at !== undefined && obj.expires_at !== null;
  // Only `true` together with an expiry conflicts: recorded traffic sends `false` with expires_at (disagreement 7).
  if (parseExpiry && hasExpiresAt) {
    throw failed(field.sink, RULES['CRD-6'], 'parse_expiry_from_cert and expires_at are mutually exclusive', {
      expected: 'parse_expiry_from_cert: true, or expires_at, not both',
      actual: 'both',
      fix: 'Drop expires_at to take the certificate notAfter, or drop parse_expiry_from_cert.',
    });
  }
  let expiresAt = obj.expires_at === undefined ? null : parseExpiresAt(obj.expires_at, field.at('expires_at', RULES['CRD-5']));

  field.required(obj, 'pem');
  const pemText = field.at('pem', RULES['CRD-2']).string(obj.pem, 1, 16_384);
  const pem = await parseCredentialPem(pemText, field.sink);

  if (parseExpiry) {
    if (pem.notAfter === undefined) {
      throw failed(field.sink, RULES['CRD-6'], 'parse_expiry_from_cert requires a certificate, but pem is a public key', {
        expected: 'an X.509 CERTIFICATE',
        actual: 'a public key',
        fix: 'Upload the certificate, or set expires_at yourself.',
      });
    }
    const notAfter = Date.parse(pem.notAfter);
    if (notAfter <= nowMs()) {
      throw failed(field.sink, RULES['CRD-6'], `the certificate has expired (notAfter ${new Date(notAfter).toISOString()})`, {
        expected: 'a certificate that has not expired',
        actual: `notAfter ${new Date(notAfter).toISOString()}`,
        fix: 'Issue a new certificate for the key.',
      });
    }
    // notAfter has whole seconds; toISOString gives the `.000Z` form Auth0 returns (O3).
    expiresAt = new Date(notAfter).toISOString();
    pass(field.sink, RULES['CRD-6'], 'expires_at = certificate notAfter', expiresAt);
  }
  pass(field.sink, RULES['CRD-7'], kid === undefined ? 'RFC 7638 thumbprint' : '[0-9a-zA-Z-_]{10,64}', kid ?? pem.thumbprint);
  return { name, alg, kid, expires_at: expiresAt, pem };
}

/** Validates a credential PATCH body (CRD-13): only `expires_at`, a future date-time or null; `{}` changes nothing. */
export function parseCredentialPatch(body: unknown, field: Field): { expires_at?: string | null } {
  const obj = field.as(RULES['CRD-13']).object(body, ['expires_at']);
  pass(field.sink, RULES['CRD-13'], 'only expires_at', Object.keys(obj).join(', ') || '(nothing)');
  if (obj.expires_at === undefined) return {};
  return { expires_at: parseExpiresAt(obj.expires_at, field.at('expires_at', RULES['CRD-5'])) };
}
