/**
 * What the Authentication API needs to know about clients, credentials and users, independent of how the
 * Management API stores them. The directory (management/directory.ts) implements these interfaces.
 */
import type { KeyObject } from 'node:crypto';

/** Client authentication methods Auth0's `token_endpoint_auth_method` can hold. */
export type SecretAuthMethod = 'none' | 'client_secret_post' | 'client_secret_basic';

/** Algorithms a client credential can have (CRD-4). */
export type CredentialAlg = 'RS256' | 'RS384' | 'PS256';

/** The two credential slots (JWT-10): client assertions, and request objects. */
export type CredentialSlot = 'private_key_jwt' | 'signed_request_object';

/** A client as the Authentication API sees it. */
export interface ClientView {
  client_id: string;
  name: string;
  app_type: string;
  is_first_party: boolean;
  /** Present unless the client authenticates with private_key_jwt (MGC-7). */
  client_secret: string | undefined;
  /** `null` when private_key_jwt is on (MGC-5). */
  token_endpoint_auth_method: SecretAuthMethod | null;
  /** True when `client_authentication_methods.private_key_jwt` is configured. */
  private_key_jwt: boolean;
  callbacks: string[];
  allowed_logout_urls: string[];
  /** Allowed Origins (CORS) and Allowed Web Origins: the origins a browser app may call /oauth/token from (ED-3). */
  allowed_origins: string[];
  web_origins: string[];
  grant_types: string[];
  /** `jwt_configuration.alg` (ID token signing): RS256 by default. */
  id_token_alg: 'RS256' | 'PS256' | 'HS256';
  id_token_lifetime_seconds: number;
  /** `signed_request_object`, when configured. */
  signed_request_object: { required: boolean } | null;
  require_pushed_authorization_requests: boolean;
  compliance_level: string | null;
  /** DPC-1: `require_proof_of_possession` (false unless set): no token is issued to it without a DPoP proof (DPB-1). */
  require_proof_of_possession: boolean;
  /** Marks the Management API's own client (created at first start). */
  is_management_client: boolean;
  /**
   * `refresh_token.rotation_type: 'rotating'`: every refresh answers with a new refresh token, and the one it
   * replaces may be reused for `leeway` seconds (Auth0's reuse interval). Absent for a non-rotating client.
   */
  refresh_rotation?: { leeway_seconds: number };
}

/** A credential attached to a client slot, with its public key parsed once (never re-parsed per request). */
export interface CredentialView {
  id: string;
  client_id: string;
  kid: string;
  alg: CredentialAlg;
  name: string;
  /** ISO 8601, or null for never. */
  expires_at: string | null;
  publicKey: KeyObject;
}

/** A local user of the sign-in page. */
export interface UserView {
  user_id: string;
  email: string;
  name: string;
  email_verified: boolean;
}

/** Read access to clients and credentials, for the Authentication API. */
export interface ClientDirectory {
  getClient(clientId: string): ClientView | undefined;
  /** The credentials attached to a slot of a client, expired ones included (callers skip them: PKJ-14). */
  slotCredentials(clientId: string, slot: CredentialSlot): CredentialView[];
  /** Scopes granted to a client for an API audience (client grants), e.g. the Management API. */
  grantedScopes(clientId: string, audience: string): string[] | undefined;
}

/** Read access to users, for the sign-in page, ID tokens and /userinfo. */
export interface UserDirectory {
  getUser(userId: string): UserView | undefined;
  /** The user when the email and password match, else undefined (constant-time password check). */
  authenticate(email: string, password: string): Promise<UserView | undefined>;
}
