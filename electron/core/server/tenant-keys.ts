/**
 * The tenant's own signing key (ID tokens, JWT access tokens), published in the JWKS.
 * It is generated at each start and kept only in memory: the data directory never holds a private key in
 * the clear, and a local emulator loses nothing that matters when its keys rotate on restart (relying
 * parties re-fetch the JWKS on an unknown `kid`, as they must with Auth0's rotation).
 */
import { constants, generateKeyPair, sign as signBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { calculateJwkThumbprint, jwtVerify } from 'jose';
import type { JWK, JWTPayload } from 'jose';

const generate = promisify(generateKeyPair);

/** The tenant's signing key pair and its public JWKS. */
export class TenantKeys {
  private constructor(
    readonly kid: string,
    readonly alg: 'RS256',
    readonly privateKey: KeyObject,
    readonly publicKey: KeyObject,
    readonly publicJwk: JWK,
  ) {}

  /** Generates a fresh RSA-2048 key (RS256). */
  static async create(): Promise<TenantKeys> {
    const { privateKey, publicKey } = await generate('rsa', { modulusLength: 2048 });
    const jwk = publicKey.export({ format: 'jwk' }) as JWK;
    const kid = await calculateJwkThumbprint(jwk, 'sha256');
    // No `alg` member: the same key signs RS256 and PS256 ID tokens (jwt_configuration.alg), and A14 allows omitting it.
    return new TenantKeys(kid, 'RS256', privateKey, publicKey, { kty: 'RSA', n: jwk.n!, e: jwk.e!, kid, use: 'sig' });
  }

  /** The JWKS document (DSC-6): public members only. */
  jwks(): { keys: JWK[] } {
    return { keys: [{ ...this.publicJwk }] };
  }

  /** The encoded protected header of RS256 `typ: JWT` tokens, built once. */
  #defaultHeader: string | undefined;

  /**
   * Signs a JWT with the tenant key: RS256 by default, PS256 for ID tokens configured so (IDT-4). The
   * compact JWS is built here and signed with Node's synchronous RSA sign on the KeyObject: the same bytes
   * jose's SignJWT produced (header {alg, typ, kid}, payload as JSON.stringify gives it), without its
   * WebCrypto round trip (docs/performance.md).
   */
  async sign(payload: JWTPayload, typ = 'JWT', alg: 'RS256' | 'PS256' = this.alg): Promise<string> {
    const isDefault = typ === 'JWT' && alg === 'RS256';
    const header = (isDefault ? this.#defaultHeader : undefined) ?? Buffer.from(JSON.stringify({ alg, typ, kid: this.kid })).toString('base64url');
    if (isDefault) this.#defaultHeader = header;
    const input = `${header}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
    const key =
      alg === 'PS256' ? { key: this.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST } : this.privateKey;
    return `${input}.${signBytes('sha256', Buffer.from(input, 'utf8'), key).toString('base64url')}`;
  }

  /** Verifies a JWT this tenant issued (an access token), with the expected issuer and audience. */
  async verify(token: string, options: { issuer: string; audience?: string; currentDate?: Date }): Promise<JWTPayload> {
    const { payload } = await jwtVerify(token, this.publicKey, {
      algorithms: [this.alg],
      issuer: options.issuer,
      ...(options.audience ? { audience: options.audience } : {}),
      ...(options.currentDate ? { currentDate: options.currentDate } : {}),
    });
    return payload;
  }
}
