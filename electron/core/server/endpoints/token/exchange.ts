/**
 * What the steps of one /oauth/token request share (steps.ts): the request, then what each step
 * establishes for the next (the parameters, the authenticated client, the grant's record, the body).
 */
import type { FastifyRequest } from 'fastify';
import type { ServerContext } from '../../context';
import type { Params } from '../../checks/params';
import type { ClientAuthResult } from '../../checks/client-auth';
import type { CheckedProof } from '../../dpop';
import type { AuthorizationCode, RefreshGrant } from '../../state/memory';
import type { UserView } from '../../state/types';
import type { StepContext } from '../../steps';
import type { TraceRecorder } from '../../trace';
import type { TokenResponse } from './issue';

/** The grant types /oauth/token serves. */
export type GrantType = 'authorization_code' | 'client_credentials' | 'refresh_token';

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
  /** client_credentials: the audience and the scopes granted for it. */
  audience = '';
  scope = '';
  body!: TokenResponse;
  /** DPoP: the proof that passed phase A (absent: none sent, or DPoP off for the tenant). */
  proof: CheckedProof | undefined;
  /** DPN-1, DPN-6: the client is under the nonce policy (a public client sending a proof): every answer carries DPoP-Nonce. */
  noncePolicy = false;
  /** DPB-1: the thumbprint the access token is bound to (undefined: a Bearer token). */
  jkt: string | undefined;

  constructor(
    readonly request: FastifyRequest,
    readonly ctx: ServerContext,
  ) {}

  get trace(): TraceRecorder {
    return this.request.trace;
  }
}
