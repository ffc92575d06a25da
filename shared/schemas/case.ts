/**
 * Case files (`parley-case/1`): one JSON file that carries a recorded flow run to another machine — the
 * target and client configuration, the client's PUBLIC keys and certificates, the composed claims, the
 * JWTs as sent, the timeline with the embedded server's traces, and the Parley version that wrote it.
 *
 * A case file is built by a whitelist constructor (electron/core/cases/case-builder.ts) that copies only
 * the fields named here, and it is parsed with these strict schemas on the way out and on the way in: an
 * unknown member (a `client_secret`, say) makes the file invalid rather than travelling along.
 *
 * What is never in a case file: client secrets, private keys, passwords, refresh tokens, authorization
 * codes and PKCE verifiers (one-time credentials), cookies, and access tokens' signatures (an access token
 * is a bearer credential: its header and claims are kept for diagnosis, its signature is removed, so the
 * copy in the file can be read but not used). Request objects, client assertions and ID tokens are kept
 * exactly as sent: they are signed statements, not secrets, and re-verifying them is the point of a case.
 */
import { z } from 'zod';
import { FLOW_ERROR_CODES, FLOW_STEP_NAMES, flowAuthMethodSchema, flowKindSchema } from './flows';
import type { RequestTrace } from './server';

/** The format (and version) a case file declares. */
export const CASE_FORMAT = 'parley-case/1';

/** What replaces a value the case file does not carry (a secret, or anything not known to be safe). */
export const CASE_REMOVED = '[removed]';

const isoDate = z.iso.datetime({ offset: true });
const text = (max: number) => z.string().max(max);
const headersSchema = z.record(text(256), text(8192));
const jsonValue: z.ZodType<unknown> = z.unknown();

/** A trace as a case file keeps it (the same fields as a RequestTrace, nothing more). */
export const caseTraceSchema = z
  .object({
    id: text(128),
    at: isoDate,
    method: text(16),
    endpoint: text(64),
    path: text(2048),
    clientId: text(256).optional(),
    status: z.number().int(),
    error: text(256).optional(),
    errorDescription: text(4096).optional(),
    failedRule: text(64).optional(),
    rules: z
      .array(
        z
          .object({
            id: text(64),
            passed: z.boolean(),
            summary: text(4096),
            message: text(4096),
            fix: text(4096),
            source: text(1024),
            expected: text(8192).optional(),
            actual: text(8192).optional(),
          })
          .strict(),
      )
      .max(500),
    durationMs: z.number(),
    clockOffsetSeconds: z.number().int().optional(),
  })
  .strict() satisfies z.ZodType<RequestTrace>;

/** One HTTP exchange, sanitized: known-safe headers, parameters and members only. */
export const caseExchangeSchema = z
  .object({
    request: z.object({ method: text(16), url: text(1_100_000), headers: headersSchema, body: text(1_100_000).optional() }).strict(),
    response: z
      .object({ status: z.number().int(), headers: headersSchema, body: text(1_100_000).optional() })
      .strict()
      .optional(),
    durationMs: z.number(),
  })
  .strict();

/** A JWT as recorded: request objects, client assertions and ID tokens as sent; access tokens without their signature. */
export const caseJwtSchema = z.object({ label: text(64), token: text(1_100_000), signatureRemoved: z.boolean().optional() }).strict();

/** One step of the recorded timeline. */
export const caseStepSchema = z
  .object({
    name: z.enum(FLOW_STEP_NAMES),
    status: z.enum(['pending', 'running', 'ok', 'failed', 'cancelled']),
    startedAt: isoDate.optional(),
    durationMs: z.number().optional(),
    exchange: caseExchangeSchema.optional(),
    jwts: z.array(caseJwtSchema).max(20),
    serverTraces: z.array(caseTraceSchema).max(50).optional(),
    error: z
      .object({ code: z.enum(FLOW_ERROR_CODES), message: text(8192) })
      .strict()
      .optional(),
    detail: z
      .record(
        text(64),
        z.union([z.string().max(1_100_000), z.number(), z.boolean(), z.null(), z.array(text(2048)).max(100), z.record(text(128), text(1_100_000))]),
      )
      .optional(),
  })
  .strict();

/** The target as configured (no vault key ids, no secret: whether one is used shows in `authMethod`). */
export const caseTargetSchema = z
  .object({
    name: text(100),
    issuer: text(2048),
    client_id: z.string().min(1).max(256),
    authMethod: flowAuthMethodSchema,
    redirect_uri: text(2048),
    scope: text(1024),
    audience: text(2048).optional(),
    /** Whether the run went to Parley's embedded server (its traces are then in the steps). */
    embedded: z.boolean(),
  })
  .strict();

/** The embedded server client's configuration, as far as the rules read it. */
export const caseClientSchema = z
  .object({
    name: text(256),
    app_type: text(64).optional(),
    callbacks: z.array(text(2048)).max(100),
    grant_types: z.array(text(256)).max(20),
    token_endpoint_auth_method: z.enum(['none', 'client_secret_post', 'client_secret_basic']).optional(),
    /** private_key_jwt is on (the credentials attached to it are those with slot `private_key_jwt`). */
    private_key_jwt: z.boolean(),
    jwt_alg: z.enum(['HS256', 'RS256', 'PS256']).optional(),
    signed_request_object_required: z.boolean().optional(),
    require_pushed_authorization_requests: z.boolean().optional(),
    compliance_level: z.enum(['none', 'fapi1_adv_mtls_par', 'fapi1_adv_pkj_par', 'fapi2_sp_pkj_mtls', 'fapi2_sp_mtls_mtls']).nullable().optional(),
    oidc_conformant: z.boolean().optional(),
    is_first_party: z.boolean().optional(),
    grants: z.array(z.object({ audience: text(2048), scope: z.array(text(256)).max(200) }).strict()).max(50),
  })
  .strict();

/** A public key of the client, with the slots it was attached to. Only `PUBLIC KEY` and `CERTIFICATE` PEM blocks. */
export const caseCredentialSchema = z
  .object({
    slots: z
      .array(z.enum(['private_key_jwt', 'signed_request_object']))
      .min(1)
      .max(2),
    kid: z.string().min(1).max(128),
    alg: text(16),
    name: text(128),
    expires_at: isoDate.nullable(),
    publicKeyPem: z
      .string()
      .max(16_384)
      .refine((p) => p.startsWith('-----BEGIN PUBLIC KEY-----') && !p.includes('PRIVATE'), 'only an SPKI "PUBLIC KEY" PEM block'),
    certificatePem: z
      .string()
      .max(65_536)
      .refine((p) => p.startsWith('-----BEGIN CERTIFICATE-----') && !p.includes('PRIVATE'), 'only a "CERTIFICATE" PEM block')
      .optional(),
  })
  .strict();

/** The embedded server's settings that decide its rules, at export time. */
export const caseServerSettingsSchema = z
  .object({
    profile: z.enum(['auth0', 'strict']),
    parEnabled: z.boolean(),
    parRequired: z.boolean(),
    issParameter: z.boolean(),
    jarReplayCheck: z.boolean(),
    loopbackAnyPort: z.boolean(),
    consent: z.boolean(),
    clockOffsetSeconds: z.number().int(),
  })
  .strict();

/** A case file. */
export const caseFileSchema = z
  .object({
    format: z.literal(CASE_FORMAT),
    parley: z.object({ version: text(64) }).strict(),
    exportedAt: isoDate,
    /** The issuer the run talked to, as its discovery document published it. */
    issuer: text(2048),
    target: caseTargetSchema,
    client: caseClientSchema.optional(),
    serverSettings: caseServerSettingsSchema.optional(),
    credentials: z.array(caseCredentialSchema).max(4),
    run: z
      .object({
        id: text(128),
        kind: flowKindSchema,
        status: z.enum(['waiting-for-browser', 'paused', 'running', 'succeeded', 'failed', 'cancelled']),
        startedAt: isoDate,
        finishedAt: isoDate.optional(),
        /** The composed claims: PKCE on or off, and the claims merged over the built request object. */
        options: z.object({ pkce: z.boolean(), jarClaims: z.record(text(256), jsonValue).optional() }).strict(),
        authorizeUrl: text(1_100_000).optional(),
        steps: z.array(caseStepSchema).max(10),
        idTokenClaims: z.record(text(256), jsonValue).optional(),
      })
      .strict(),
  })
  .strict();

/** A case file. */
export type CaseFile = z.infer<typeof caseFileSchema>;
/** A case file's credential. */
export type CaseCredential = z.infer<typeof caseCredentialSchema>;
/** A case file's step. */
export type CaseStep = z.infer<typeof caseStepSchema>;
/** A case file's exchange. */
export type CaseExchange = z.infer<typeof caseExchangeSchema>;

/** What `cases.export` returns: the file's suggested name and its text. */
export interface CaseExport {
  fileName: string;
  json: string;
}

/** A rule outcome as the case view compares it. */
export interface CaseRuleOutcome {
  ruleId: string;
  message: string;
}

/** One request the import replayed against the embedded server, with the server's trace. */
export interface CaseReplayedRequest {
  step: 'push' | 'authorize' | 'exchange';
  method: string;
  path: string;
  status: number;
  trace: RequestTrace;
}

/** A client grant of the case, and whether an import creates it. */
export interface CaseGrantPlan {
  audience: string;
  scope: string[];
  /** False for a Management API audience: never imported (the case's keys would get Management access). */
  imported: boolean;
  reason?: 'management-api';
}

/** What importing a case file would create (`cases.preview`), shown before anything is applied. */
export interface CaseImportPreview {
  parleyVersion: string;
  exportedAt: string;
  kind: CaseFile['run']['kind'];
  targetName: string;
  issuer: string;
  clientId: string;
  /** The embedded server already has a client with this client_id: importing replaces it. */
  clientExists: boolean;
  /** The client as it would be created. */
  client: { name: string; app_type: string; grant_types: string[]; token_endpoint_auth_method: string | null; private_key_jwt: boolean; callbacks: string[] };
  credentials: { kid: string; alg: string; name: string; slots: string[]; expires_at: string | null }[];
  grants: CaseGrantPlan[];
  /** The recorded time of the failing request. */
  recordedAt: string;
  /** The clock offset the replay runs at (the server's own clock setting is not changed). */
  clockOffsetSeconds: number;
  failedStep: CaseStep['name'] | null;
  recordedError: string | null;
}

/** What importing a case file did, and what replaying its failing step showed. */
export interface CaseImportResult {
  summary: {
    parleyVersion: string;
    exportedAt: string;
    kind: CaseFile['run']['kind'];
    targetName: string;
    issuer: string;
    clientId: string;
    /** Whether the client existed and was replaced (the import was asked to). */
    replacedClient: boolean;
    credentials: { kid: string; alg: string; slots: string[]; expires_at: string | null }[];
    /** The case's client grants: those created, and those left out (Management API audiences). */
    grants: CaseGrantPlan[];
    /** The recorded time of the failing request, which the replay runs at. */
    recordedAt: string;
    /** The replay's clock offset; the server's own clock setting is left as it was. */
    clockOffsetSeconds: number;
    /** The step that failed in the recording, if any. */
    failedStep: CaseStep['name'] | null;
    /** Its error as recorded. */
    recordedError: string | null;
  };
  replay: {
    /** `replayed`; `not-replayable` (e.g. an exchange needs a code from a sign-in); `nothing-failed`. */
    status: 'replayed' | 'not-replayable' | 'nothing-failed';
    /**
     * Why it was not replayed: the step failed in Parley itself (discover, build, verify), the exchange
     * needs the authorization code of a sign-in (a case never carries one), or no request was recorded.
     */
    reason?: 'client-side-step' | 'needs-authorization-code' | 'not-recorded';
    /** The recorded server trace's failed rule (embedded targets), or null. */
    recorded: CaseRuleOutcome | null;
    /** The failed rule of the replayed request, or null when it passed. */
    replayed: CaseRuleOutcome | null;
    /** The same rule failed. */
    sameRule: boolean;
    /** ... with the same explanation. */
    sameMessage: boolean;
    requests: CaseReplayedRequest[];
  };
}
