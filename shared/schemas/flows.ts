/**
 * Flows (ARCHITECTURE.md §7): the targets a user runs authorization flows against, and the record of
 * each run, step by step, with every HTTP exchange (secrets redacted before anything is stored or sent).
 */
import { z } from 'zod';
import type { RequestTrace } from './server';

const vaultKeyId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'not a key id');
const isoDate = z.iso.datetime();

/** How the client authenticates at the PAR and token endpoints. */
export const flowAuthMethodSchema = z.enum(['none', 'client_secret_basic', 'client_secret_post', 'private_key_jwt']);
/** How the client authenticates at the PAR and token endpoints. */
export type FlowAuthMethod = z.infer<typeof flowAuthMethodSchema>;

/** An issuer URL: http(s), no query or fragment; kept exactly as given (trailing slash included or not). */
export const issuerSchema = z
  .string()
  .trim()
  .max(2048)
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'https:' || u.protocol === 'http:') && u.search === '' && u.hash === '';
    } catch {
      return false;
    }
  }, 'not an http(s) issuer URL without query or fragment');

/**
 * An extra CA certificate (PEM; several may follow one another) trusted for one target's requests on top
 * of the system's. The core reads each certificate and names what is wrong (electron/core/http/transport.ts).
 */
export const extraCaSchema = z
  .string()
  .trim()
  .max(65_536)
  .regex(/^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----$/, 'not a PEM certificate (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----)');

/** An authorization server and a client registered there. */
export const flowTargetSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not a target id'),
    name: z.string().trim().min(1).max(100),
    issuer: issuerSchema,
    client_id: z.string().min(1).max(256),
    auth: z
      .object({
        method: flowAuthMethodSchema,
        /** The vault key that signs client assertions (private_key_jwt). */
        keyId: vaultKeyId.optional(),
        /** Whether a client secret is in the vault's secret store (the secret itself never leaves it). */
        hasSecret: z.boolean(),
      })
      .strict(),
    redirect_uri: z.url().max(2048),
    scope: z.string().max(1024),
    audience: z.string().max(2048).optional(),
    /** The vault key that signs request objects (JAR). */
    jarKeyId: vaultKeyId.optional(),
    /** True for a client of the embedded server: its issuer follows the running server. */
    embedded: z.boolean(),
    /**
     * Keep the sign-in browser's session (cookies, storage) from one run to the next, so the issuer may
     * skip its sign-in and consent pages (SSO demos). Off or absent: every run starts with a fresh session.
     */
    keepSession: z.boolean().optional(),
    /** A CA certificate (PEM) trusted for this target's discovery, PAR, token and JWKS requests: a development issuer's. */
    extraCa: extraCaSchema.optional(),
    /**
     * DPoP (RFC 9449): PAR, token and userinfo requests carry a proof signed with this vault key, and the
     * access token is used with the DPoP scheme. `bindCode` also sends the key's thumbprint as `dpop_jkt`
     * (authorize parameters, PAR body, request object), binding the authorization code to the key.
     */
    dpop: z.object({ keyId: vaultKeyId, bindCode: z.boolean() }).strict().optional(),
  })
  .strict();
/** An authorization server and a client registered there. */
export type FlowTarget = z.infer<typeof flowTargetSchema>;

/** What a flow does. */
export const flowKindSchema = z.enum(['jar', 'par', 'par+jar', 'plain', 'client_credentials']);
/** What a flow does. */
export type FlowKind = z.infer<typeof flowKindSchema>;

/**
 * What a JWT a step recorded is, as a stable id: the UI names it in its own language from this, never
 * from `label` (English, and kept as it is because stored history, cases and lookups match on it).
 */
export const FLOW_JWT_KINDS = ['requestObject', 'clientAssertion', 'idToken', 'accessToken', 'logoutToken'] as const;
/** A recorded JWT's kind. */
export type FlowJwtKind = (typeof FLOW_JWT_KINDS)[number];

/** A JWT sent or received in a step. `kind` is absent in history recorded before it existed, and for a JWT in a parameter Parley has no name for. */
export interface FlowJwt {
  label: string;
  token: string;
  kind?: FlowJwtKind;
}

/** A stored FlowJwt. */
export const flowJwtSchema = z.object({ label: z.string(), token: z.string(), kind: z.enum(FLOW_JWT_KINDS).optional() }) satisfies z.ZodType<FlowJwt>;

/**
 * The steps of a flow, in order. `refresh` is never part of a run as started: each "Refresh tokens" on a finished
 * run appends one (grant_type=refresh_token, with a DPoP proof for DPoP targets).
 */
export const FLOW_STEP_NAMES = ['discover', 'build', 'push', 'authorize', 'callback', 'exchange', 'verify', 'refresh'] as const;
/** A step's name. */
export type FlowStepName = (typeof FLOW_STEP_NAMES)[number];

/** Closed list of reasons a step fails (the message says it in words). */
export const FLOW_ERROR_CODES = [
  'issuer_unreachable',
  'tls_failure',
  'timeout',
  'not_json',
  'discovery_invalid',
  /** The core's request policy refused a URL, a redirect or a body (electron/core/http/request-policy.ts). */
  'request_refused',
  'http_error',
  'par_rejected',
  'authorization_rejected',
  'authorization_error',
  'state_mismatch',
  'issuer_mismatch',
  'callback_invalid',
  'token_rejected',
  'id_token_invalid',
  /** The userinfo endpoint refused the access token (DPoP targets use it with the bound token). */
  'userinfo_rejected',
  'configuration',
  'cancelled',
  'internal',
] as const;
/** A reason a step failed. */
export type FlowErrorCode = (typeof FLOW_ERROR_CODES)[number];

/** One HTTP request and its response, secrets redacted. */
export interface FlowExchange {
  request: { method: string; url: string; headers: Record<string, string>; body?: string };
  response?: { status: number; headers: Record<string, string>; body?: string };
  durationMs: number;
}

/** One step of a run. */
export interface FlowStep {
  id: string;
  name: FlowStepName;
  status: 'pending' | 'running' | 'ok' | 'failed' | 'cancelled';
  startedAt?: string;
  durationMs?: number;
  exchange?: FlowExchange;
  /** JWTs sent or received in this step (request objects, client assertions, ID tokens…). */
  jwts: FlowJwt[];
  /** Embedded server only: the ids of the traces of the requests this step made. */
  serverTraceIds: string[];
  /**
   * Embedded server only: those traces themselves (every rule applied, failures first), kept with the run
   * so the rules stay next to the request after the server's bounded log has moved on. Traces hold no secrets.
   */
  serverTraces?: RequestTrace[];
  error?: { code: FlowErrorCode; message: string };
  detail?: Record<string, unknown>;
  /** Step-through: how long the step waited at its pause(s); `durationMs` excludes it. */
  pausedMs?: number;
  /**
   * Requests the step made besides its own, in the order sent: the PAR sent again because its request_uri
   * expired during a pause; a request the server answered with a DPoP nonce challenge (the step's own
   * exchange is then the retry); the userinfo call that uses a DPoP-bound access token (verify step).
   */
  extraExchanges?: FlowExtraExchange[];
}

/** What an extra request was. */
export const FLOW_EXTRA_PURPOSES = ['par', 'token', 'userinfo'] as const;
/**
 * Why it was sent: `request_uri_expired` (PAR again), `use_dpop_nonce` (the first attempt, answered with a
 * nonce challenge; the retry follows), `access_token_check` (userinfo with the access token).
 */
export const FLOW_EXTRA_REASONS = ['request_uri_expired', 'use_dpop_nonce', 'access_token_check'] as const;

/** A request a step made besides its own, and why. */
export interface FlowExtraExchange {
  purpose: (typeof FLOW_EXTRA_PURPOSES)[number];
  reason: (typeof FLOW_EXTRA_REASONS)[number];
  exchange: FlowExchange;
  jwts: FlowJwt[];
  /** Embedded server only: its traces of the request. */
  serverTraces?: RequestTrace[];
}

/** How a run was started: PKCE on or off, and claims merged over the built request object. */
export interface FlowRunOptions {
  pkce: boolean;
  jarClaims?: Record<string, unknown>;
  /** Step-through: the run pauses before each request until `flows.next` (trainer's kit). */
  stepThrough?: boolean;
}

/**
 * Where a step-through run waits: the request it is about to send (redacted exactly like a recorded
 * exchange: a `[redacted]` form value stays the real secret when sent), editable before `flows.next`.
 */
export interface FlowPause {
  /** The step whose request is next. */
  step: FlowStepName;
  /** What the request is for, e.g. 'discovery', 'par', 'authorize', 'token', 'jwks'. */
  purpose: FlowPausePurpose;
  request: { method: 'GET' | 'POST'; url: string; headers: Record<string, string>; form?: Record<string, string> };
  /** JAR kinds, before the request object is sent (push, or authorize by value): its claims, editable; edited claims are re-signed. */
  requestObjectClaims?: Record<string, unknown>;
  /**
   * PAR kinds, before authorize: what was already pushed, and when its request_uri expires (the core's
   * clock at the server's answer + `expires_in`). Resuming once it has expired pushes again.
   */
  pushed?: { at: string; requestUri: string; expiresIn?: number; expiresAt?: string };
}

/** What a paused request is for. */
export type FlowPausePurpose = 'discovery' | 'par' | 'authorize' | 'token' | 'jwks';

/** Edits applied to a paused request by `flows.next`. */
export interface FlowPauseEdits {
  /** authorize: replaces the query parameters; POSTs: replaces the form. A `[redacted]` value keeps the real secret. */
  form?: Record<string, string>;
  /** Replaces the request object's claims (re-signed with the target's JAR key). */
  requestObjectClaims?: Record<string, unknown>;
}

/** One run of a flow. */
export interface FlowRun {
  id: string;
  kind: FlowKind;
  targetId: string;
  /** How the run was started (to re-run it the same way). */
  options: FlowRunOptions;
  status: 'waiting-for-browser' | 'paused' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  startedAt: string;
  finishedAt?: string;
  authorizeUrl?: string;
  /** Step-through only, while status is 'paused'. */
  paused?: FlowPause;
  steps: FlowStep[];
  idTokenClaims?: Record<string, unknown>;
}

const headersSchema = z.record(z.string(), z.string());

/** A stored RequestTrace (shared/schemas/server.ts). */
const requestTraceSchema = z.object({
  id: z.string(),
  at: z.string(),
  method: z.string(),
  endpoint: z.string(),
  path: z.string(),
  clientId: z.string().optional(),
  status: z.number().int(),
  error: z.string().optional(),
  errorDescription: z.string().optional(),
  failedRule: z.string().optional(),
  rules: z.array(
    z.object({
      id: z.string(),
      passed: z.boolean(),
      summary: z.string(),
      message: z.string(),
      fix: z.string(),
      source: z.string(),
      expected: z.string().optional(),
      actual: z.string().optional(),
      note: z.string().optional(),
      guarantee: z.boolean().optional(),
    }),
  ),
  durationMs: z.number(),
  clockOffsetSeconds: z.number().int().optional(),
}) satisfies z.ZodType<RequestTrace>;

/** A stored FlowExchange. */
export const flowExchangeSchema = z.object({
  request: z.object({ method: z.string(), url: z.string(), headers: headersSchema, body: z.string().optional() }),
  response: z.object({ status: z.number().int(), headers: headersSchema, body: z.string().optional() }).optional(),
  durationMs: z.number(),
});

/** A stored FlowStep. */
export const flowStepSchema = z.object({
  id: z.string(),
  name: z.enum(FLOW_STEP_NAMES),
  status: z.enum(['pending', 'running', 'ok', 'failed', 'cancelled']),
  startedAt: isoDate.optional(),
  durationMs: z.number().optional(),
  exchange: flowExchangeSchema.optional(),
  jwts: z.array(flowJwtSchema),
  serverTraceIds: z.array(z.string()),
  serverTraces: z.array(requestTraceSchema).optional(),
  error: z.object({ code: z.enum(FLOW_ERROR_CODES), message: z.string() }).optional(),
  detail: z.record(z.string(), z.unknown()).optional(),
  pausedMs: z.number().optional(),
  extraExchanges: z
    .array(
      z.object({
        purpose: z.enum(FLOW_EXTRA_PURPOSES),
        reason: z.enum(FLOW_EXTRA_REASONS),
        exchange: flowExchangeSchema,
        jwts: z.array(flowJwtSchema),
        serverTraces: z.array(requestTraceSchema).optional(),
      }),
    )
    .optional(),
});

/** A stored FlowRun. */
export const flowRunSchema = z.object({
  id: z.string(),
  kind: flowKindSchema,
  targetId: z.string(),
  // Runs kept before options were recorded read as the defaults.
  options: z
    .object({ pkce: z.boolean(), jarClaims: z.record(z.string(), z.unknown()).optional(), stepThrough: z.boolean().optional() })
    .default({ pkce: true }),
  status: z.enum(['waiting-for-browser', 'paused', 'running', 'succeeded', 'failed', 'cancelled']),
  startedAt: isoDate,
  finishedAt: isoDate.optional(),
  authorizeUrl: z.string().optional(),
  steps: z.array(flowStepSchema),
  idTokenClaims: z.record(z.string(), z.unknown()).optional(),
});

/** What an issuer's discovery document says it supports (the target dialog's "Check issuer"). */
export interface IssuerSummary {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  pushed_authorization_request_endpoint?: string;
  jwks_uri?: string;
  request_object_signing_alg_values_supported?: string[];
  token_endpoint_auth_methods_supported?: string[];
  require_pushed_authorization_requests?: boolean;
  /** The algorithms the issuer accepts DPoP proofs signed with (RFC 9449 §5.1); absent: it publishes none. */
  dpop_signing_alg_values_supported?: string[];
}
