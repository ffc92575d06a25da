/**
 * `cases.preview` and `cases.import`: what a case file would create on this machine's embedded server,
 * shown before anything is applied; then the recorded scenario recreated and replayed.
 *
 * 1. The client is created UNDER ITS RECORDED client_id (directory.importClient, a Parley-only capability:
 *    the recorded JWTs carry that id as iss, sub and client_id), with the recorded configuration, then its
 *    credentials from the case's public keys (same kid, same alg, same expires_at — a past one included,
 *    through directory.setCredentialExpiry), attached to the slots they were in. If anything is refused,
 *    the half-made client is deleted again. An existing client with that id is replaced only on request.
 *    Its client grants are recreated EXCEPT for a Management API audience: a case file is input from
 *    someone else, and such a grant would let whoever holds the case's private keys manage this server.
 *    The preview and the result say which grants were left out.
 * 2. The replay runs at the recorded time of the failing request (its trace's time, else the response's
 *    Date header, else when the step started): the offset is the replay context's own. The server's clock
 *    setting is not touched — a file must not change how this server judges every other request.
 * 3. The failing step's recorded request — the PAR body or the token request with the JWTs as sent, or
 *    the authorize URL — is sent again to the server's own endpoints (replay-server.ts), answering as the
 *    recorded issuer and with the recorded rule settings (profile, PAR, replay check…). The client secret,
 *    which a case never carries, is the recreated client's own.
 */
import { ParleyError } from '../../../shared/errors';
import type {
  CaseExchange,
  CaseFile,
  CaseGrantPlan,
  CaseImportPreview,
  CaseImportResult,
  CaseReplayedRequest,
  CaseRuleOutcome,
  CaseStep,
} from '../../../shared/schemas/case';
import { CASE_REMOVED } from '../../../shared/schemas/case';
import type { RequestTrace } from '../../../shared/schemas/server';
import { MAX_CLOCK_OFFSET_SECONDS } from '../../../shared/schemas/server';
import { nowMs } from '../clock';
import { REDACTED } from '../flows/redact';
import type { AuthServer } from '../server/app';
import type { ServerContext } from '../server/context';
import { serverUrls } from '../server/urls';
import type { EmbeddedServer } from '../server/embedded';
import { ManagementError } from '../server/errors';
import { MemoryStores } from '../server/state/memory';
import { EndpointState } from '../server/endpoints/state';
import { TraceLog } from '../server/trace-log';
import { TraceRecorder } from '../server/trace';
import { parseCaseFile } from './case-file';
import type { ReplayServer } from './replay-server';
import { createReplayServer } from './replay-server';

/** What the import needs. */
export interface CaseImportDeps {
  server: EmbeddedServer;
  log?: (message: string) => void;
}

/** Auth0's caller-kid pattern (CRD-7): a recorded kid outside it cannot be registered. */
const KID_PATTERN = /^[0-9a-zA-Z\-_]{10,64}$/;

/** Runs a directory write as the dashboard does: traced in the server's log, a refusal as SERVER_REJECTED. */
async function dashboard<T>(
  server: EmbeddedServer,
  method: string,
  path: string,
  status: number,
  clientId: string,
  run: (trace: TraceRecorder) => T | Promise<T>,
): Promise<T> {
  const trace = new TraceRecorder(method, 'dashboard', path, server.settingsStore.get().clockOffsetSeconds);
  trace.clientId = clientId;
  const log = server.running?.ctx.traces;
  try {
    const value = await run(trace);
    log?.add(trace.finish(status));
    return value;
  } catch (e) {
    if (e instanceof ManagementError) {
      log?.add(trace.finish(e.statusCode, { error: e.errorCode, description: e.message }));
      throw new ParleyError('SERVER_REJECTED', `The case's client could not be recreated: ${e.message}`, {
        details: { statusCode: e.statusCode, errorCode: e.errorCode },
        cause: e,
      });
    }
    log?.add(trace.finish(500, { error: 'error', description: e instanceof Error ? e.message : String(e) }));
    throw e;
  }
}

/** The Management API body of the recreated client (no credentials: they are added afterwards). */
function clientBody(file: CaseFile, usesPrivateKeyJwt: boolean): Record<string, unknown> {
  const t = file.target;
  const c = file.client;
  const body: Record<string, unknown> = {
    name: (c?.name || `${t.name} (case)`).slice(0, 128),
    app_type: c?.app_type ?? (file.run.kind === 'client_credentials' ? 'non_interactive' : 'regular_web'),
    callbacks: [...new Set([...(c?.callbacks ?? []), ...(file.run.kind === 'client_credentials' ? [] : [t.redirect_uri])])],
    grant_types: c && c.grant_types.length > 0 ? c.grant_types : file.run.kind === 'client_credentials' ? ['client_credentials'] : ['authorization_code'],
  };
  const method = c?.token_endpoint_auth_method ?? (t.authMethod === 'private_key_jwt' ? undefined : t.authMethod);
  if (!usesPrivateKeyJwt && method) body['token_endpoint_auth_method'] = method;
  if (c?.jwt_alg) body['jwt_configuration'] = { alg: c.jwt_alg };
  if (c?.require_pushed_authorization_requests !== undefined) body['require_pushed_authorization_requests'] = c.require_pushed_authorization_requests;
  if (c?.compliance_level !== undefined) body['compliance_level'] = c.compliance_level;
  if (c?.oidc_conformant !== undefined) body['oidc_conformant'] = c.oidc_conformant;
  if (c?.is_first_party !== undefined) body['is_first_party'] = c.is_first_party;
  return body;
}

/**
 * True for a Management API audience: this server's own, or any issuer's `/api/v2/` (Auth0's), since the
 * replay plays the recorded issuer and a case's issuer may be this machine under another name.
 */
export function isManagementAudience(audience: string, ownAudience: string | undefined): boolean {
  if (ownAudience !== undefined && audience.replace(/\/?$/, '/') === ownAudience.replace(/\/?$/, '/')) return true;
  try {
    return /^\/api\/v2\/?$/i.test(new URL(audience).pathname);
  } catch {
    return false;
  }
}

/** The case's grants, each marked created or left out. */
function grantPlan(server: EmbeddedServer, file: CaseFile): CaseGrantPlan[] {
  const own = server.running?.urls.managementAudience;
  return (file.client?.grants ?? []).map((g) =>
    isManagementAudience(g.audience, own)
      ? { audience: g.audience, scope: [...g.scope], imported: false, reason: 'management-api' as const }
      : { audience: g.audience, scope: [...g.scope], imported: true },
  );
}

/** The replay's clock offset (seconds): its "now" is the recorded time, within the server's bounds. */
function replayOffset(recordedMs: number): number {
  return Math.max(-MAX_CLOCK_OFFSET_SECONDS, Math.min(MAX_CLOCK_OFFSET_SECONDS, Math.round((recordedMs - nowMs()) / 1000)));
}

/** Whether the recreated client authenticates with private_key_jwt (it must have a credential for it). */
function usesPrivateKeyJwtOf(file: CaseFile): boolean {
  const pkjCredentials = file.credentials.filter((c) => c.slots.includes('private_key_jwt'));
  return (file.client ? file.client.private_key_jwt : file.target.authMethod === 'private_key_jwt') && pkjCredentials.length > 0;
}

/** Creates the client, its credentials and slots, and the grants the plan imports; deletes it again if anything fails. */
async function recreateClient(server: EmbeddedServer, file: CaseFile, grants: CaseGrantPlan[]): Promise<void> {
  const directory = server.directory;
  const clientId = file.target.client_id;
  const base = `/api/v2/clients/${clientId}`;
  for (const c of file.credentials) {
    if (!KID_PATTERN.test(c.kid)) {
      throw new ParleyError(
        'SERVER_REJECTED',
        `The credential "${c.name}" has the kid ${JSON.stringify(c.kid.slice(0, 80))}, which Auth0 does not accept (CRD-7: [0-9a-zA-Z-_]{10,64}); it cannot be recreated.`,
      );
    }
  }
  const usesPrivateKeyJwt = usesPrivateKeyJwtOf(file);
  await dashboard(server, 'POST', '/api/v2/clients', 201, clientId, (trace) => directory.importClient(clientId, clientBody(file, usesPrivateKeyJwt), trace));
  try {
    const pkj: { id: string }[] = [];
    const sro: { id: string }[] = [];
    for (const c of file.credentials) {
      const body = { credential_type: 'public_key', name: c.name, pem: c.publicKeyPem, alg: c.alg, kid: c.kid };
      const created = await dashboard(server, 'POST', `${base}/credentials`, 201, clientId, (trace) => directory.createCredential(clientId, body, trace));
      if (c.expires_at !== null) {
        const expiresAt = c.expires_at;
        await dashboard(server, 'PATCH', `${base}/credentials/${created.id}`, 200, clientId, (trace) =>
          directory.setCredentialExpiry(clientId, created.id, expiresAt, trace),
        );
      }
      if (c.slots.includes('private_key_jwt')) pkj.push({ id: created.id });
      if (c.slots.includes('signed_request_object')) sro.push({ id: created.id });
    }
    const patch: Record<string, unknown> = {};
    if (usesPrivateKeyJwt) {
      patch['client_authentication_methods'] = { private_key_jwt: { credentials: pkj } };
      patch['token_endpoint_auth_method'] = null;
    }
    const required = file.client?.signed_request_object_required;
    if (sro.length > 0 || required !== undefined)
      patch['signed_request_object'] = { ...(sro.length > 0 ? { credentials: sro } : {}), ...(required === undefined ? {} : { required }) };
    if (Object.keys(patch).length > 0) await dashboard(server, 'PATCH', base, 200, clientId, (trace) => directory.updateClient(clientId, patch, trace));
    for (const grant of grants) {
      if (!grant.imported) continue;
      // Grants matter only to a client_credentials replay; one the directory refuses is left out.
      try {
        await directory.createClientGrant({ client_id: clientId, audience: grant.audience, scope: grant.scope });
      } catch {
        // (an audience that is not an absolute URI, say)
      }
    }
  } catch (e) {
    await directory.deleteClient(clientId).catch(() => undefined);
    throw e;
  }
}

/** The step whose server request decided a failure: a failed callback was decided at /authorize. */
function decisiveStepName(failed: CaseStep): CaseStep['name'] {
  return failed.name === 'callback' ? 'authorize' : failed.name;
}

function stepOf(file: CaseFile, name: CaseStep['name']): CaseStep | undefined {
  return file.run.steps.find((s) => s.name === name);
}

function failedTrace(step: CaseStep | undefined): RequestTrace | undefined {
  return step?.serverTraces?.find((t) => t.failedRule !== undefined);
}

/** The recorded time of the failing request (ms): its trace, else the response's Date, else when its step started. */
function recordedTimeMs(file: CaseFile): number {
  const failed = file.run.steps.find((s) => s.status === 'failed');
  const step = failed ? stepOf(file, decisiveStepName(failed)) : [...file.run.steps].reverse().find((s) => s.startedAt !== undefined);
  const trace = failedTrace(step) ?? step?.serverTraces?.at(-1);
  const candidates = [trace?.at, step?.exchange?.response?.headers['date'], step?.startedAt, failed?.startedAt, file.run.startedAt];
  for (const c of candidates) {
    const ms = c === undefined ? Number.NaN : Date.parse(c);
    if (!Number.isNaN(ms)) return ms;
  }
  return nowMs();
}

function outcomeOf(trace: RequestTrace | undefined): CaseRuleOutcome | null {
  if (!trace?.failedRule) return null;
  const rule = trace.rules.find((r) => r.id === trace.failedRule);
  return { ruleId: trace.failedRule, message: rule?.message ?? trace.errorDescription ?? '' };
}

/** The issuer with its trailing slash (the embedded server's URLs are built under it). */
function withSlash(issuer: string): string {
  return issuer.endsWith('/') ? issuer : `${issuer}/`;
}

/** The context the replay answers in: the running server's, as the recorded issuer, at the recorded time, with fresh memory. */
function replayContext(running: AuthServer, file: CaseFile, offsetSeconds: number): ServerContext {
  const base = running.ctx;
  const recorded = file.serverSettings;
  return {
    ...base,
    urls: serverUrls(withSlash(file.issuer)),
    settings: () => {
      const current = base.settings();
      // The recorded rule settings, and the replay's own clock (the recorded time, not the recorded offset).
      const rules = recorded ? (({ clockOffsetSeconds: _recordedOffset, ...r }) => r)(recorded) : {};
      return { ...current, ...rules, clockOffsetSeconds: offsetSeconds };
    },
    memory: new MemoryStores(),
    traces: new TraceLog(50),
    // Its own sessions and sign-in state: a replay never signs a browser in to the running server.
    endpointState: new EndpointState(),
  };
}

/** Rebuilds a recorded request for the replay: removed values dropped, the client secret the new client's own. */
function replayRequest(exchange: CaseExchange, clientId: string, secret: () => string | undefined): { headers: Record<string, string>; body: string } {
  const headers: Record<string, string> = {};
  const type = exchange.request.headers['content-type'];
  if (type) headers['content-type'] = type;
  const authorization = exchange.request.headers['authorization'];
  const s = secret();
  if (authorization?.toLowerCase().startsWith('basic') && s) {
    const enc = (v: string): string => encodeURIComponent(v).replace(/%20/g, '+');
    headers['authorization'] = `Basic ${Buffer.from(`${enc(clientId)}:${enc(s)}`).toString('base64')}`;
  }
  const out = new URLSearchParams();
  for (const [name, value] of new URLSearchParams(exchange.request.body ?? '')) {
    if (value === CASE_REMOVED || value === REDACTED) {
      if (name === 'client_secret' && s) out.append(name, s);
      continue;
    }
    out.append(name, value);
  }
  return { headers, body: out.toString() };
}

async function replayFailingStep(
  file: CaseFile,
  server: EmbeddedServer,
  running: AuthServer,
  offsetSeconds: number,
  log: (m: string) => void,
): Promise<CaseImportResult['replay']> {
  const failed = file.run.steps.find((s) => s.status === 'failed');
  const none = { recorded: null, replayed: null, sameRule: false, sameMessage: false, requests: [] as CaseReplayedRequest[] };
  if (!failed) return { status: 'nothing-failed', ...none };
  const decisive = decisiveStepName(failed);
  const recorded = outcomeOf(failedTrace(stepOf(file, decisive)));
  if (decisive !== 'push' && decisive !== 'authorize' && decisive !== 'exchange')
    return { status: 'not-replayable', reason: 'client-side-step', ...none, recorded };

  const clientId = file.target.client_id;
  const secret = () => {
    const json = server.directory.getClientJson(clientId) as unknown as { client_secret?: unknown };
    return typeof json.client_secret === 'string' ? json.client_secret : undefined;
  };
  const requests: CaseReplayedRequest[] = [];
  let replayer: ReplayServer | undefined;
  const send = async (step: CaseReplayedRequest['step'], request: Parameters<ReplayServer['send']>[0]) => {
    replayer ??= await createReplayServer(replayContext(running, file, offsetSeconds), log);
    const answer = await replayer.send(request);
    requests.push({ step, method: request.method, path: request.path, status: answer.status, trace: answer.trace });
    return answer;
  };
  const pushAgain = async () => {
    const exchange = stepOf(file, 'push')?.exchange;
    if (!exchange) return undefined;
    return send('push', { method: 'POST', path: '/oauth/par', ...replayRequest(exchange, clientId, secret) });
  };

  try {
    if (decisive === 'push') {
      if (!(await pushAgain())) return { status: 'not-replayable', reason: 'not-recorded', ...none, recorded };
    } else if (decisive === 'exchange') {
      const exchange = stepOf(file, 'exchange')?.exchange;
      if (!exchange) return { status: 'not-replayable', reason: 'not-recorded', ...none, recorded };
      if (new URLSearchParams(exchange.request.body ?? '').get('grant_type') !== 'client_credentials')
        return { status: 'not-replayable', reason: 'needs-authorization-code', ...none, recorded };
      await send('exchange', { method: 'POST', path: '/oauth/token', ...replayRequest(exchange, clientId, secret) });
    } else {
      const recordedUrl = file.run.authorizeUrl ?? stepOf(file, 'authorize')?.detail?.['url'];
      if (typeof recordedUrl !== 'string' || recordedUrl === CASE_REMOVED) return { status: 'not-replayable', reason: 'not-recorded', ...none, recorded };
      const query = new URLSearchParams();
      for (const [name, value] of new URL(recordedUrl).searchParams) if (value !== CASE_REMOVED && value !== REDACTED) query.append(name, value);
      let proceed = true;
      if (query.has('request_uri')) {
        // A pushed request lives 30 seconds on one server: push the recorded request again for a fresh request_uri.
        const pushed = await pushAgain();
        const uri = pushed && pushed.status === 201 ? (JSON.parse(pushed.body) as { request_uri?: unknown }).request_uri : undefined;
        if (typeof uri === 'string') query.set('request_uri', uri);
        else proceed = pushed !== undefined ? false : proceed;
      }
      if (proceed) await send('authorize', { method: 'GET', path: '/authorize', query });
    }
  } finally {
    await replayer?.close();
  }

  const replayed = outcomeOf(requests.at(-1)?.trace);
  const sameRule = recorded !== null && replayed !== null && recorded.ruleId === replayed.ruleId;
  return { status: 'replayed', recorded, replayed, sameRule, sameMessage: sameRule && recorded?.message === replayed?.message, requests };
}

/** The client as the import creates it (the Management API body, before credentials), for the preview. */
function previewClient(file: CaseFile): CaseImportPreview['client'] {
  const usesPrivateKeyJwt = usesPrivateKeyJwtOf(file);
  const body = clientBody(file, usesPrivateKeyJwt);
  const method = body['token_endpoint_auth_method'];
  return {
    name: String(body['name']),
    app_type: String(body['app_type']),
    grant_types: [...(body['grant_types'] as string[])],
    token_endpoint_auth_method: usesPrivateKeyJwt ? 'private_key_jwt' : typeof method === 'string' ? method : null,
    private_key_jwt: usesPrivateKeyJwt,
    callbacks: [...(body['callbacks'] as string[])],
  };
}

/** What importing the case would create, and the time its replay would run at; nothing is applied. */
export function previewCase(deps: CaseImportDeps, json: string): CaseImportPreview {
  const file = parseCaseFile(json);
  const recordedMs = recordedTimeMs(file);
  const failed = file.run.steps.find((s) => s.status === 'failed');
  return {
    parleyVersion: file.parley.version,
    exportedAt: file.exportedAt,
    kind: file.run.kind,
    targetName: file.target.name,
    issuer: file.issuer,
    clientId: file.target.client_id,
    clientExists: deps.server.directory.getClient(file.target.client_id) !== undefined,
    client: previewClient(file),
    credentials: file.credentials.map((c) => ({ kid: c.kid, alg: c.alg, name: c.name, slots: [...c.slots], expires_at: c.expires_at })),
    grants: grantPlan(deps.server, file),
    recordedAt: new Date(recordedMs).toISOString(),
    clockOffsetSeconds: replayOffset(recordedMs),
    failedStep: failed?.name ?? null,
    recordedError: failed?.error?.message ?? null,
  };
}

/** Imports a case file: recreate the client (no Management API grant), replay at the recorded time. */
export async function importCase(deps: CaseImportDeps, json: string, options: { replaceClient?: boolean | undefined } = {}): Promise<CaseImportResult> {
  const file = parseCaseFile(json);
  const { server } = deps;
  const running = server.requireRunning();
  const clientId = file.target.client_id;
  let replacedClient = false;
  if (server.directory.getClient(clientId)) {
    if (!options.replaceClient) {
      throw new ParleyError(
        'INVALID_INPUT',
        `The embedded server already has a client with the client_id ${clientId}. Replace it to import this case: its configuration and credentials become those of the case.`,
        {
          details: { reason: 'client-exists', clientId },
        },
      );
    }
    await dashboard(server, 'DELETE', `/api/v2/clients/${clientId}`, 204, clientId, (trace) => server.directory.deleteClient(clientId, trace));
    replacedClient = true;
  }
  const grants = grantPlan(server, file);
  await recreateClient(server, file, grants);

  const recordedMs = recordedTimeMs(file);
  const offset = replayOffset(recordedMs);
  const replay = await replayFailingStep(file, server, running, offset, deps.log ?? (() => {}));
  const failed = file.run.steps.find((s) => s.status === 'failed');
  return {
    summary: {
      parleyVersion: file.parley.version,
      exportedAt: file.exportedAt,
      kind: file.run.kind,
      targetName: file.target.name,
      issuer: file.issuer,
      clientId,
      replacedClient,
      credentials: file.credentials.map((c) => ({ kid: c.kid, alg: c.alg, slots: [...c.slots], expires_at: c.expires_at })),
      grants,
      recordedAt: new Date(recordedMs).toISOString(),
      clockOffsetSeconds: offset,
      failedStep: failed?.name ?? null,
      recordedError: failed?.error?.message ?? null,
    },
    replay,
  };
}
