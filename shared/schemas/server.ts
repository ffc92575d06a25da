/**
 * What the renderer and the core share about the embedded server: settings, traces, and the Auth0-shaped
 * objects of its Management API (clients, credentials, users). Secrets never appear in these types.
 */
import { z } from 'zod';
import type { RuleOutcome } from '../jwt/rule';

/** The largest simulated clock offset, either way: ten years. */
export const MAX_CLOCK_OFFSET_SECONDS = 3650 * 24 * 3600;

/** The embedded server's settings schema (persisted in `server.json`). */
export const serverSettingsSchema = z.object({
  /** `auth0` (default) or `strict` (RFC 9101 / RFC 9126 / FAPI 2.0 where they differ). */
  profile: z.enum(['auth0', 'strict']),
  /** RED-2: accept any port for loopback redirect URIs (RFC 8252 §7.3). Off: Auth0 compares exactly. */
  loopbackAnyPort: z.boolean(),
  /** Show the consent step after sign-in. */
  consent: z.boolean(),
  /** PAR-18: tenant-level "Allow Pushed Authorization Requests". */
  parEnabled: z.boolean(),
  /** AZR-8: tenant-level "Require Pushed Authorization Requests". */
  parRequired: z.boolean(),
  /** DSC-5 / RFC 9207: `iss` in authorization responses. */
  issParameter: z.boolean(),
  /** JAR-14: reject a repeated request-object `jti` (off in Auth0 mode). */
  jarReplayCheck: z.boolean(),
  /**
   * DPC-10: the tenant's DPoP switch (Auth0's Early Access flag). Absent (every file saved before it) means on;
   * off, `DPoP` headers and `dpop_jkt` are ignored and Bearer tokens issued.
   */
  dpopEnabled: z.boolean().optional(),
  /**
   * Auth0's tenant flag `enable_dynamic_client_registration` (PATCH /api/v2/tenants/settings): POST /oidc/register
   * registers third-party clients without a token (DPC-13). Absent (every file saved before it) means off, Auth0's default.
   */
  dynamicClientRegistration: z.boolean().optional(),
  /**
   * Simulated clock offset in seconds (reproducing iat/exp and expired-credential reports): every check of
   * the server and the time of its traces read the host clock plus this. Up to ±10 years, so that importing
   * a case file can set the server's clock back to the moment of a months-old request.
   */
  clockOffsetSeconds: z.number().int().min(-MAX_CLOCK_OFFSET_SECONDS).max(MAX_CLOCK_OFFSET_SECONDS),
  /** The port the app starts the server on (0: any free port). */
  port: z.number().int().min(0).max(65535),
  /**
   * Serve over TLS with a certificate from the data directory's local CA (issuer `https://127.0.0.1:PORT/`);
   * applied on the next restart, like the port. Absent in files saved before it existed: off.
   */
  https: z.boolean(),
});

/** The embedded server's settings. */
export type ServerSettings = z.infer<typeof serverSettingsSchema>;

/** One request's trace: every rule the server applied, passed or failed. */
export interface RequestTrace {
  id: string;
  at: string;
  method: string;
  /** The endpoint's name, e.g. `par`, `authorize`, `token`, `management.clients`. */
  endpoint: string;
  path: string;
  clientId?: string;
  status: number;
  /** The OAuth `error` (or Management `errorCode`) when the request failed. */
  error?: string;
  errorDescription?: string;
  /** The id of the rule that decided the failure, if any. */
  failedRule?: string;
  rules: RuleOutcome[];
  durationMs: number;
  /**
   * The server's simulated clock offset when it handled the request, when not 0. `at` is in the server's
   * (simulated) time; `at - clockOffsetSeconds` is the host's time.
   */
  clockOffsetSeconds?: number;
}

// In a module of its own, without zod, for the renderer's first chunk; re-exported for everyone else.
export { traceHostTimeMs } from './trace-time';

/** A credential as the Management API returns it: exactly these eight fields, never a PEM (CRD-10). */
export interface ServerCredential {
  id: string;
  credential_type: 'public_key';
  kid: string;
  alg: 'RS256' | 'RS384' | 'PS256';
  name: string;
  created_at: string;
  updated_at: string;
  expires_at: string | null;
}

/** A client (application) as the Management API returns it, minus its secret. */
export interface ServerClient {
  client_id: string;
  name: string;
  app_type?: string;
  is_first_party?: boolean;
  callbacks?: string[];
  grant_types?: string[];
  token_endpoint_auth_method?: 'none' | 'client_secret_post' | 'client_secret_basic';
  client_authentication_methods?: { private_key_jwt?: { credentials: { id: string }[] } } | null;
  signed_request_object?: { required?: boolean; credentials?: { id: string }[] } | null;
  require_pushed_authorization_requests?: boolean;
  jwt_configuration?: { alg?: string; lifetime_in_seconds?: number; secret_encoded?: boolean };
  /** True for the Management API's own client, created at first start. */
  parley_management?: boolean;
  [field: string]: unknown;
}

/** A local user of the sign-in page (no password). */
export interface ServerUser {
  user_id: string;
  email: string;
  name: string;
  email_verified: boolean;
  created_at: string;
}

/** The embedded server's state as the UI shows it. */
export interface ServerStatus {
  running: boolean;
  issuer: string | null;
  port: number | null;
  settings: ServerSettings;
  /** Why it is not running, when it failed to start (e.g. the port is taken). */
  error: string | null;
  /** The Management API client and audience (the secret is never sent to the renderer). */
  management: { client_id: string; audience: string } | null;
  memory: Record<string, number>;
  /** When serving https: the local CA's certificate file, which clients must trust (no key, no secret). */
  tls: { caFile: string } | null;
}

/** A client grant as Auth0's Management API returns it (POST/GET /api/v2/client-grants). */
export interface ServerClientGrant {
  id: string;
  client_id: string;
  /** The API identifier; the Management API's is `{issuer}api/v2/` (its current port). */
  audience: string;
  scope: string[];
}

/** An API the embedded server issues client_credentials access tokens for. */
export interface ServerApi {
  audience: string;
  /** The server's own Management API (its scopes are those the Management API checks); otherwise an API known only from its grants. */
  management: boolean;
  /** The scopes the API defines: the Management API's own, or those granted for a custom API. */
  scopes: string[];
}

/** An API's sender-constraining policy as the Management API stores it (dpop-rules.md DPC-2..5). */
export interface ProofOfPossession {
  mechanism: 'dpop' | 'mtls' | 'none';
  required: boolean;
  required_for?: 'all_clients' | 'public_clients';
}

/** A resource server (an Auth0 "API") as GET /api/v2/resource-servers returns it. */
export interface ServerResourceServer {
  id: string;
  name: string;
  identifier: string;
  signing_alg: string;
  token_lifetime: number;
  allow_offline_access: boolean;
  /** Absent: never set; null: removed (DPC-6, DPC-7). */
  proof_of_possession?: ProofOfPossession | null;
}

/** `server.listClientGrants`: the grants in Auth0's shape, and the APIs a grant can be for. */
export interface ClientGrantList {
  client_grants: ServerClientGrant[];
  apis: ServerApi[];
}
