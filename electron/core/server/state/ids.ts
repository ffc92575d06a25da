/**
 * Identifiers in Auth0's formats: client ids are 32 letters and digits, credential ids are `cred_` plus
 * 22 letters and digits (O3), client grants `cgr_…`, users `auth0|…`. All come from random.ts.
 */
import { randomBytes, randomToken } from '../../random';

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `length` uniformly random base62 characters. */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      // 248 = 4 × 62: bytes above it are dropped so every character is equally likely (no modulo bias).
      if (byte < 248) out += BASE62[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

/** A new client id: 32 letters and digits, as Auth0's. */
export function newClientId(): string {
  return randomBase62(32);
}

/** A new client secret: 64 base64url characters (384 bits), the length Auth0 uses. */
export function newClientSecret(): string {
  return randomToken(48);
}

/** A new credential id: `cred_` + 22 letters and digits (CRD-10). */
export function newCredentialId(): string {
  return `cred_${randomBase62(22)}`;
}

/** A new client grant id, `cgr_` + 16 letters and digits like Auth0's. */
export function newGrantId(): string {
  return `cgr_${randomBase62(16)}`;
}

/** A new resource server (API) id: 24 hex characters like Auth0's. */
export function newResourceServerId(): string {
  return randomBytes(12).toString('hex');
}

/** A new database user id, `auth0|` + 24 hex-like characters like Auth0's database users. */
export function newUserId(): string {
  return `auth0|${randomBytes(12).toString('hex')}`;
}

/** A random password of letters and digits only, so it can be typed, pasted into a URL or a shell unquoted. */
export function newPassword(): string {
  return randomBase62(20);
}
