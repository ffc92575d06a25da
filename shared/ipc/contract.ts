/**
 * The one typed contract between the core and every host (Electron IPC, web bridge) and the renderer.
 * Each operation is declared once: name → zod input schema → result type. The types it carries (the wire
 * types) are declared in shared/schemas, never here. Adding an operation is one entry here plus its
 * handler in electron/core/operations/<domain>.ts; hosts, the preload and the renderer client derive
 * from this table.
 */
import { z } from 'zod';
import type { AppInfo, VaultStatus } from '../schemas/app';
import type { Settings } from '../schemas/settings';
import { idleLockSchema, languagePreferenceSchema, themePreferenceSchema } from '../schemas/settings';
import type { ExportedFile, ImportResult, JobProgress, KeyDetail, KeySummary } from '../schemas/keys';
import type {
  ClientGrantList,
  RequestTrace,
  ServerClient,
  ServerClientGrant,
  ServerCredential,
  ServerResourceServer,
  ServerStatus,
  ServerUser,
} from '../schemas/server';
import { serverSettingsSchema } from '../schemas/server';
import type { VerifyResult } from '../schemas/jwt';
import { verifyKeySourceSchema } from '../schemas/jwt';
import { keySpecSchema, keyUsageSchema, signingAlgSchema } from '../schemas/keys';
import type { FlowRun, FlowTarget, IssuerSummary } from '../schemas/flows';
import { extraCaSchema, flowKindSchema, flowTargetSchema, issuerSchema } from '../schemas/flows';
import type { CaseExport, CaseImportPreview, CaseImportResult } from '../schemas/case';
import type { FaultRun } from '../faults/cases';
import type { ShellCommand } from './shell-commands';

/** An operation's declaration: the input schema and, as a phantom, the result type. */
export interface OpDef<I extends z.ZodType, O> {
  readonly input: I;
  /** Phantom: never read at run time, only carries the result type. */
  readonly output: O;
}

/** An event stream's declaration: its payload type, as a phantom. */
export interface EventDef<P> {
  readonly payload: P;
}

function op<O>() {
  return <I extends z.ZodType>(input: I): OpDef<I, O> => ({ input, output: undefined as unknown as O });
}

function event<P>(): EventDef<P> {
  return { payload: undefined as unknown as P };
}

const empty = z.object({}).strict();
/** A HAR header (name and value, as the file has them). */
const harPair = z.object({ name: z.string().max(256), value: z.string().max(8192) }).strict();
/** An exchange of an imported HAR file, stripped (shared/har/import.ts HarExchange, the parts a case reads). */
const harCaseExchange = z
  .object({
    kind: z.enum(['authorize', 'par', 'token']),
    method: z.string().min(1).max(16),
    url: z.string().min(1).max(1_100_000),
    startedAt: z.string().max(64).nullable(),
    request: z.object({ headers: z.array(harPair).max(200), body: z.string().max(1_100_000).optional(), basicAuth: z.boolean() }).strict(),
    response: z
      .object({ status: z.number().int(), headers: z.array(harPair).max(200), body: z.string().max(1_100_000).optional() })
      .strict()
      .nullable(),
  })
  .strict();
const keyId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'not a key id');
const keyName = z.string().trim().min(1, 'a name is required').max(100, 'a name has at most 100 characters');
const passphrase = z.string().min(8, 'a passphrase has at least 8 characters').max(1024, 'a passphrase has at most 1024 characters');
const clientId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not a client_id');
const credentialId = z.string().regex(/^cred_[A-Za-z0-9]{1,64}$/, 'not a credential id');
/** A Management API JSON body, validated by the server's own Management API rules. */
const managementBody = z.record(z.string(), z.unknown());
const flowId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not an id');
const usages = z
  .array(keyUsageSchema)
  .max(3)
  .transform((u) => [...new Set(u)]);

/** Every operation of the contract. */
export const operations = {
  'app.info': op<AppInfo>()(empty),

  'settings.get': op<Settings>()(empty),
  'settings.update': op<Settings>()(
    z.object({ language: languagePreferenceSchema.optional(), theme: themePreferenceSchema.optional(), idleLockMinutes: idleLockSchema.optional() }).strict(),
  ),
  /** What the desktop shell asked of the renderer (menu, `parley://` links, opened case files) and is still waiting; the mailbox is emptied. */
  'shell.takeCommands': op<ShellCommand[]>()(empty),

  'vault.status': op<VaultStatus>()(empty),
  'vault.setup': op<VaultStatus>()(z.object({ passphrase: passphrase.optional() }).strict()),
  // A keychain (safeStorage) vault unlocks without a passphrase.
  'vault.unlock': op<VaultStatus>()(z.object({ passphrase: z.string().max(1024).optional() }).strict()),
  'vault.lock': op<VaultStatus>()(empty),
  'vault.changePassphrase': op<VaultStatus>()(z.object({ current: z.string().min(1).max(1024), next: passphrase }).strict()),

  'keys.list': op<KeySummary[]>()(empty),
  'keys.get': op<KeyDetail>()(z.object({ id: keyId }).strict()),
  'keys.generate': op<KeySummary>()(z.object({ name: keyName, spec: keySpecSchema, usages }).strict()),
  'keys.import': op<ImportResult>()(
    z
      .object({
        name: keyName.optional(),
        text: z.string().min(1, 'nothing to import').max(1_000_000, 'the input is larger than 1 MB'),
        passphrase: z.string().max(1024).optional(),
        usages: usages.optional(),
      })
      .strict(),
  ),
  'keys.exportPublic': op<ExportedFile>()(z.object({ id: keyId, format: z.enum(['pem', 'jwk', 'jwks']) }).strict()),
  'keys.exportCertificate': op<ExportedFile>()(
    z
      .object({
        id: keyId,
        days: z.number().int().min(1).max(3650),
        commonName: z.string().trim().min(1).max(64).optional(),
      })
      .strict(),
  ),
  // `passphrase` encrypts the file; `vaultPassphrase` proves, per export, that the vault's owner asks (a
  // passphrase vault requires it; a keychain vault asks the OS instead, through the Electron main process).
  'keys.exportPrivate': op<ExportedFile>()(
    z.object({ id: keyId, confirm: z.literal(true), passphrase, vaultPassphrase: z.string().max(1024).optional() }).strict(),
  ),
  'keys.rename': op<KeySummary>()(z.object({ id: keyId, name: keyName }).strict()),
  'keys.setUsages': op<KeySummary>()(z.object({ id: keyId, usages }).strict()),
  'keys.delete': op<{ deleted: string }>()(z.object({ id: keyId, confirm: z.literal(true) }).strict()),
  'keys.sign': op<{ jws: string }>()(
    z
      .object({
        id: keyId,
        header: z.record(z.string(), z.unknown()).and(z.object({ alg: signingAlgSchema })),
        payload: z.union([z.record(z.string(), z.unknown()), z.string().max(1_000_000)]),
      })
      .strict(),
  ),

  // The embedded authorization server. Client and credential bodies are Auth0 Management API JSON and go
  // through exactly the same validation as POST/PATCH /api/v2/... (the UI mirrors Auth0's dashboard).
  'server.status': op<ServerStatus>()(empty),
  'server.updateSettings': op<ServerStatus>()(serverSettingsSchema.partial().strict()),
  'server.restart': op<ServerStatus>()(empty),
  'server.listClients': op<ServerClient[]>()(empty),
  'server.createClient': op<ServerClient>()(z.object({ body: managementBody }).strict()),
  'server.updateClient': op<ServerClient>()(z.object({ clientId, body: managementBody }).strict()),
  'server.deleteClient': op<{ deleted: string }>()(z.object({ clientId, confirm: z.literal(true) }).strict()),
  'server.listCredentials': op<ServerCredential[]>()(z.object({ clientId }).strict()),
  /** Creates a credential from a PEM body, or from a vault key's public key (the private key stays in the vault). */
  'server.createCredential': op<ServerCredential>()(
    z
      .object({
        clientId,
        body: managementBody.optional(),
        fromVaultKey: z
          .object({
            keyId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
            name: z.string().trim().min(1).max(128),
            alg: z.enum(['RS256', 'RS384', 'PS256']),
            expires_at: z.string().max(64).nullable().optional(),
            /** Export a self-signed certificate for the key and use parse_expiry_from_cert. */
            asCertificateDays: z.number().int().min(1).max(3650).optional(),
          })
          .strict()
          .optional(),
        /** Attach the new credential to a slot of the client right away. */
        attachTo: z.enum(['private_key_jwt', 'signed_request_object']).optional(),
      })
      .strict()
      .refine((v) => (v.body === undefined) !== (v.fromVaultKey === undefined), 'give either body or fromVaultKey'),
  ),
  'server.updateCredential': op<ServerCredential>()(
    z
      .object({
        clientId,
        credentialId,
        expires_at: z.string().max(64).nullable(),
        /**
         * Parley only ("Make expired"): accept a past expires_at, to reproduce an expired credential (PKJ-14).
         * Without it the change goes through CRD-5 like Auth0's PATCH, which refuses a date in the past.
         */
        simulateExpiry: z.literal(true).optional(),
      })
      .strict(),
  ),
  'server.deleteCredential': op<{ deleted: string }>()(z.object({ clientId, credentialId, confirm: z.literal(true) }).strict()),
  // Client grants (which APIs an application may get client_credentials tokens for). Bounds here are looser than
  // the Management API's, so its own validation (and Auth0's messages) decides.
  'server.listClientGrants': op<ClientGrantList>()(z.object({ clientId: clientId.optional() }).strict()),
  'server.createClientGrant': op<ServerClientGrant>()(
    z.object({ client_id: z.string().max(1024), audience: z.string().max(8192), scope: z.array(z.string().max(4096)).max(1000) }).strict(),
  ),
  'server.deleteClientGrant': op<{ deleted: string }>()(z.object({ grantId: z.string().min(1).max(256), confirm: z.literal(true) }).strict()),
  // APIs (resource servers): the same store and validation as /api/v2/resource-servers (DPC-2..8).
  'server.listResourceServers': op<ServerResourceServer[]>()(empty),
  'server.createResourceServer': op<ServerResourceServer>()(z.object({ body: managementBody }).strict()),
  'server.updateResourceServer': op<ServerResourceServer>()(z.object({ id: z.string().min(1).max(600), body: managementBody }).strict()),
  'server.listUsers': op<ServerUser[]>()(empty),
  'server.createUser': op<ServerUser>()(
    z.object({ email: z.string().email().max(254), password: z.string().min(8).max(256), name: z.string().trim().max(128).optional() }).strict(),
  ),
  'server.deleteUser': op<{ deleted: string }>()(z.object({ userId: z.string().min(1).max(128), confirm: z.literal(true) }).strict()),
  'server.listLogs': op<RequestTrace[]>()(
    z
      .object({
        endpoint: z.string().max(64).optional(),
        clientId: clientId.optional(),
        failedOnly: z.boolean().optional(),
        limit: z.number().int().min(1).max(1000).optional(),
      })
      .strict(),
  ),
  'server.clearLogs': op<{ cleared: number }>()(empty),

  // JWTs: verification runs in the core (it may fetch a JWKS or a discovery document, which the renderer's CSP forbids).
  'jwt.verify': op<VerifyResult>()(z.object({ token: z.string().min(1).max(1_100_000), source: verifyKeySourceSchema }).strict()),

  // Break it (fault injection, shared/faults/cases.ts): mutated copies of a composed request object or client
  // assertion, signed in the core with vault keys and sent to the embedded server; one row per case.
  'faults.run': op<FaultRun>()(
    z
      .object({
        kind: z.enum(['request_object', 'client_assertion', 'dpop_proof']),
        claims: z.record(z.string(), z.unknown()),
        header: z.record(z.string(), z.unknown()).optional(),
        keyId,
        /** Where request objects are sent (the composer's choice); client assertions always go with a PAR request. */
        endpoint: z.enum(['authorize', 'par']).optional(),
      })
      .strict(),
  ),

  // Flows (ARCHITECTURE.md §7): the client side of JAR, PAR and PAR+JAR flows against any issuer. A run
  // proceeds in the core after flows.start returns; every step change is a flows.updated event.
  'flows.listTargets': op<FlowTarget[]>()(empty),
  /** Saves a target; `secret` (a client secret) goes to the vault's secret store, never into flows.json. */
  'flows.saveTarget': op<FlowTarget>()(z.object({ target: flowTargetSchema, secret: z.string().min(1).max(1024).optional() }).strict()),
  'flows.deleteTarget': op<{ deleted: string }>()(z.object({ id: flowId }).strict()),
  /** Fetches an issuer's discovery document (in the core: the renderer's CSP forbids it) and sums up what it supports. */
  'flows.discover': op<IssuerSummary>()(z.object({ issuer: issuerSchema, extraCa: extraCaSchema.optional() }).strict()),
  /** Starts a run; `jarClaims` are merged over the built request object, to try a deliberately broken request. */
  'flows.start': op<FlowRun>()(
    z
      .object({
        targetId: flowId,
        kind: flowKindSchema,
        pkce: z.boolean().default(true),
        jarClaims: z.record(z.string(), z.unknown()).optional(),
        stepThrough: z.boolean().optional(),
      })
      .strict(),
  ),
  /** Step-through: sends the paused request, with the user's edits, and runs on to the next pause. */
  'flows.next': op<FlowRun>()(
    z
      .object({
        runId: flowId,
        edits: z
          .object({
            form: z.record(z.string().max(256), z.string().max(1_100_000)).optional(),
            requestObjectClaims: z.record(z.string(), z.unknown()).optional(),
          })
          .strict()
          .optional(),
      })
      .strict(),
  ),
  'flows.cancel': op<FlowRun>()(z.object({ runId: flowId }).strict()),
  /**
   * A finished run's refresh token (kept in the core, never sent out) redeemed at the token endpoint: a `refresh`
   * step appended to the run, with a DPoP proof by the run's key, or by `dpopKeyId` to show a binding refused.
   */
  'flows.refresh': op<FlowRun>()(z.object({ runId: flowId, dpopKeyId: z.string().min(1).max(64).optional() }).strict()),
  'flows.get': op<FlowRun>()(z.object({ runId: flowId }).strict()),
  'flows.history': op<FlowRun[]>()(empty),
  'flows.deleteRun': op<{ deleted: string }>()(z.object({ runId: flowId }).strict()),

  // Case files (shared/schemas/case.ts): a finished run exported without secrets, and imported on another
  // machine, where the client is recreated from its public keys (never with a Management API grant) and
  // the failing request replayed at the recorded time (the replay's clock only: the server's setting is
  // left as it was). `cases.preview` says what an import would create, before anything is applied.
  'cases.export': op<CaseExport>()(z.object({ runId: flowId }).strict()),
  'cases.preview': op<CaseImportPreview>()(
    z.object({ json: z.string().min(1, 'the case file is empty').max(1_500_000, 'a case file has at most 1.5 MB') }).strict(),
  ),
  'cases.import': op<CaseImportResult>()(
    z
      .object({
        json: z.string().min(1, 'the case file is empty').max(1_500_000, 'a case file has at most 1.5 MB'),
        /** Replace a client of the embedded server that has the case's client_id. */
        replaceClient: z.boolean().optional(),
      })
      .strict(),
  ),

  // HAR import (shared/har): one exchange of a customer's HAR file, stripped in the renderer's worker, made
  // into a case file (the same whitelist constructor as a run's) with the client's public key if given;
  // the renderer then previews and imports it with `cases.preview` / `cases.import`.
  'har.caseFromExchange': op<CaseExport>()(
    z
      .object({
        exchange: harCaseExchange,
        /** For an authorization request by `request_uri`: the PAR exchange that pushed it (replayed first, for a fresh request_uri). */
        pushed: harCaseExchange.optional(),
        issuer: z.string().max(2048),
        profile: z.enum(['auth0', 'strict', 'fapi1', 'fapi2', 'okta']),
        /** The client's public key: PEM, certificate, JWK or JWKS. */
        key: z.string().max(65_536, 'a key has at most 64 KB').optional(),
      })
      .strict(),
  ),
} as const;

/** Every event stream of the contract. */
export const events = {
  'vault.changed': event<VaultStatus>(),
  'keys.changed': event<{ reason: 'generated' | 'imported' | 'updated' | 'deleted' | 'locked' | 'unlocked'; id?: string }>(),
  'jobs.progress': event<JobProgress>(),
  'server.changed': event<ServerStatus>(),
  'server.trace': event<RequestTrace>(),
  'flows.updated': event<FlowRun>(),
  /** Settings changed (from the Settings screen or the app menu's theme items). */
  'settings.changed': event<Settings>(),
  /** The shell left commands in the mailbox: take them with `shell.takeCommands`. */
  'shell.commands': event<Record<string, never>>(),
} as const;

/** The name of an operation. */
export type OpName = keyof typeof operations;
/** The (pre-validation) input an operation accepts. */
export type OpInput<N extends OpName> = z.input<(typeof operations)[N]['input']>;
/** The input after validation, as the core receives it. */
export type OpParsedInput<N extends OpName> = z.output<(typeof operations)[N]['input']>;
/** The result of an operation. */
export type OpOutput<N extends OpName> = (typeof operations)[N]['output'];
/** The name of an event stream. */
export type EventName = keyof typeof events;
/** The payload of an event. */
export type EventPayload<E extends EventName> = (typeof events)[E]['payload'];
/** An event as it travels to the renderer. */
export type ParleyEvent = { [E in EventName]: { name: E; payload: EventPayload<E> } }[EventName];

/** The names of every operation, in declaration order. */
export const OP_NAMES = Object.keys(operations) as OpName[];
/** The names of every event stream. */
export const EVENT_NAMES = Object.keys(events) as EventName[];

/** True when `name` is an operation of the contract. */
export function isOpName(name: unknown): name is OpName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(operations, name);
}
