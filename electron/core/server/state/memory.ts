/**
 * Everything the server keeps only in memory, each with an expiry and a hard size bound, so no request can
 * make them grow without limit (ARCHITECTURE.md §6). Bounds are documented here and in docs/bounds.md
 * (tested in test/unit/electron/core/server/bounds.test.ts).
 */
import { DPOP_JTI_BOUND, DpopJtiCache } from './dpop-jti';
import { DpopNonces } from './dpop-nonces';
import { TtlSet, TtlStore } from './ttl-store';

/** A pending or finished authorization request, after assembly and validation (RFC 9101 §6.3, RFC 9126 §4). */
export interface AuthorizationRequest {
  client_id: string;
  redirect_uri: string;
  response_type: string;
  response_mode?: string;
  scope: string;
  state?: string;
  nonce?: string;
  audience?: string;
  code_challenge?: string;
  code_challenge_method?: 'S256' | 'plain';
  max_age?: number;
  prompt?: string;
  /** How the request arrived: plain query, JAR by value, PAR (plain), PAR carrying a JAR. */
  via: 'query' | 'jar' | 'par' | 'par+jar';
  /** Custom `ext-` parameters kept from PAR (PAR-10). */
  extra: Record<string, string>;
  /** DPB-5/DPB-6: the DPoP key thumbprint the code is bound to (the `dpop_jkt` parameter, or the PAR proof's key). */
  dpop_jkt?: string;
}

/** A pushed request behind a `request_uri` (PAR-13..16, AZR-1..4). */
export interface PushedRequest {
  request: AuthorizationRequest;
  /** The client that pushed it (PAR-15). */
  client_id: string;
  /** The authentication method used at PAR (PAR-5). */
  auth_method: string;
  used: boolean;
}

/** An interactive login transaction, from /authorize to the callback (kept past the PAR lifetime: AZR-4). */
export interface LoginTransaction {
  request: AuthorizationRequest;
  user_id?: string;
  auth_time?: number;
  consented?: boolean;
}

/** An issued authorization code (TOK-1..3). */
export interface AuthorizationCode {
  request: AuthorizationRequest;
  user_id: string;
  auth_time: number;
  /** Set once redeemed; a second redemption revokes what it issued (TOK-2). */
  redeemed: boolean;
  /** The grant id shared by every token issued from this code, for revocation. */
  grant_id: string;
  /** The client authentication method used at PAR, if the request was pushed (PAR-5). */
  par_auth_method?: string;
  /** DPB-11: the browser session an online refresh token issued for this code is tied to (scope online_access). */
  session_id?: string;
}

/** A refresh token's grant. */
export interface RefreshGrant {
  client_id: string;
  user_id: string;
  scope: string;
  audience?: string;
  grant_id: string;
  auth_time: number;
  nonce?: string;
  /** DPB-9: the DPoP key thumbprint the refresh token is bound to (copied on every use, never dropped). */
  jkt?: string;
  /** DPB-11: an online refresh token (scope online_access) lives only while this browser session does (DA12). */
  session_id?: string;
  /** Issued to a rotating client: one member of its grant's family (endpoints/token/rotation.ts). */
  rotating?: true;
  /** When this rotating token was first exchanged for a new one (ms); reuse after the client's leeway revokes the family. */
  rotated_at?: number;
  /** The refresh token most recently issued in exchange for this one. */
  successor?: string;
}

/** An issued access token (opaque id → what /userinfo may return). */
export interface AccessGrant {
  client_id: string;
  user_id?: string;
  scope: string;
  grant_id?: string;
}

/** The documented bounds (docs/bounds.md). */
export const MEMORY_BOUNDS = {
  /** Authorization codes: 10 minutes (60 s in strict mode), at most 10,000. */
  codes: 10_000,
  /** PAR request_uris: 30 s, at most 10,000. */
  pushedRequests: 10_000,
  /** Login transactions: 30 minutes, at most 10,000. */
  logins: 10_000,
  /** Seen client-assertion jti values (PKJ-12): until exp + skew, at most 100,000. */
  assertionJtis: 100_000,
  /** Seen request-object jti values (JAR-14, strict switch): at most 100,000. */
  requestObjectJtis: 100_000,
  /** Refresh tokens: 30 days, at most 10,000. */
  refreshTokens: 10_000,
  /** Revoked grant ids: 1 day, at most 10,000. */
  revokedGrants: 10_000,
  /** Seen DPoP proofs (DPP-11): (thumbprint, jti) until iat + past window + future skew, at most 100,000. */
  dpopJtis: DPOP_JTI_BOUND,
  /** jti of access tokens issued to a public client under the nonce policy (DPN-3): until the token's exp, at most 100,000. */
  nonceIssuedTokens: 100_000,
} as const;

/** The bounded in-memory stores of one server. */
export class MemoryStores {
  readonly codes = new TtlStore<AuthorizationCode>(MEMORY_BOUNDS.codes, 'authorization codes');
  readonly pushedRequests = new TtlStore<PushedRequest>(MEMORY_BOUNDS.pushedRequests, 'pushed requests');
  readonly logins = new TtlStore<LoginTransaction>(MEMORY_BOUNDS.logins, 'login transactions');
  /** Keyed by a hash of client_id + jti (PKJ-12). */
  readonly assertionJtis = new TtlSet(MEMORY_BOUNDS.assertionJtis, 'client assertion jti');
  readonly requestObjectJtis = new TtlSet(MEMORY_BOUNDS.requestObjectJtis, 'request object jti');
  readonly refreshTokens = new TtlStore<RefreshGrant>(MEMORY_BOUNDS.refreshTokens, 'refresh tokens');
  readonly revokedGrants = new TtlSet(MEMORY_BOUNDS.revokedGrants, 'revoked grants');
  /** DPP-11: one-time proof jti, shared by every endpoint (a replay at another endpoint is a replay too). */
  readonly dpopJtis = new DpopJtiCache(MEMORY_BOUNDS.dpopJtis);
  /**
   * DPN-3: the jti of every access token issued to a public client under the nonce policy (DPN-1), until it
   * expires, so that a token exchange of such a token asks its caller for a nonce too. A server record, not a
   * claim in the token: the token's holders never see or shape it.
   */
  readonly nonceIssuedTokens = new TtlSet(MEMORY_BOUNDS.nonceIssuedTokens, 'access tokens issued under the nonce policy');
  /**
   * DPN-5: the tenant's DPoP nonces. Stateless (HMAC of a per-start secret and the time step), so nothing
   * grows; they do not survive a restart and a client recovers with one retry.
   */
  readonly dpopNonces = new DpopNonces({ scope: 'tenant' });

  /** Current sizes, for the UI and the soak benchmark. */
  sizes(): Record<string, number> {
    return {
      codes: this.codes.size,
      pushedRequests: this.pushedRequests.size,
      logins: this.logins.size,
      assertionJtis: this.assertionJtis.size,
      requestObjectJtis: this.requestObjectJtis.size,
      refreshTokens: this.refreshTokens.size,
      revokedGrants: this.revokedGrants.size,
      dpopJtis: this.dpopJtis.size,
      nonceIssuedTokens: this.nonceIssuedTokens.size,
    };
  }
}
