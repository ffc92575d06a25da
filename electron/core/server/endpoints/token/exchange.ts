/**
 * What the steps of one /oauth/token request share (steps.ts): the request, then what each step
 * establishes for the next (the parameters, the authenticated client, the grant's record, the body).
 */
import type { FastifyRequest } from 'fastify';
import type { JWTPayload } from 'jose';
import type { ServerContext } from '../../context';
import type { Params } from '../../checks/params';
import type { ClientAuthResult } from '../../checks/client-auth';
import type { CheckedProof } from '../../dpop';
import type { ClientCertificate } from '../../mtls';
import type { AuthorizationCode, RefreshGrant } from '../../state/memory';
import type { UserView } from '../../state/types';
import type { StepContext } from '../../steps';
import type { TraceRecorder } from '../../trace';
import type { TokenResponse } from './issue';

/** RFC 8693 token exchange (Auth0's On-Behalf-Of exchange, DA9). */
export const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';

/** The grant types /oauth/token serves. */
export type GrantType = 'authorization_code' | 'client_credentials' | 'refresh_token' | typeof TOKEN_EXCHANGE;

export class TokenExchange implements StepContext {
  params: Params = {};
  grantType: GrantType = 'authorization_code';
  auth!: ClientAuthResult;
  /** authorization_code: the code's record. */
  code!: AuthorizationCode;
  /** refresh_token: the refresh token's grant. */
  refresh!: RefreshGrant;
  /** The user of a code or refresh grant. */
  user!: UserView;
  /** token exchange: the verified subject token's claims. */
  subject: JWTPayload = {};
  /** client_credentials and token exchange: the audience and the scopes granted for it. */
  audience = '';
  scope = '';
  body!: TokenResponse;
  /** DPoP: the proof that passed phase A (absent: none sent, or DPoP off for the tenant). */
  proof: CheckedProof | undefined;
  /** DPN-1, DPN-6: the client is under the nonce policy (a public client sending a proof): every answer carries DPoP-Nonce. */
  noncePolicy = false;
  /** DPN-3: the nonce policy applies because the subject token of a token exchange was issued under DPN-1. */
  subjectNoncePolicy = false;
  /** The mTLS client certificate of the connection (over https, when the client presented one). */
  certificate: ClientCertificate | undefined;
  /** DPB-1: the thumbprint the access token is bound to (undefined: a Bearer token). */
  jkt: string | undefined;
  /** DPB-1 for an mTLS API (DA5): the certificate thumbprint the access token is bound to (`cnf.x5t#S256`). */
  x5t: string | undefined;

  constructor(
    readonly request: FastifyRequest,
    readonly ctx: ServerContext,
  ) {}

  get trace(): TraceRecorder {
    return this.request.trace;
  }
}
