/**
 * The whitelist constructor of case files. It reads its sources — a run, its target, the embedded
 * client, credentials — field by field, by name, and never spreads or clones an object it was given, so
 * whatever else those objects hold (a client secret, a private key, a refresh token, a field added later)
 * cannot reach the file. Public keys are re-derived from the key material given (a private key given by
 * mistake yields only its public half), certificates are re-encoded alone, and the result is parsed
 * with the strict `parley-case/1` schema before it leaves.
 */
import type { KeyObject } from 'node:crypto';
import { X509Certificate, createPublicKey } from 'node:crypto';
import { ParleyError } from '../../../shared/errors';
import type { CaseCredential, CaseExchange, CaseFile, CaseStep } from '../../../shared/schemas/case';
import { CASE_FORMAT, caseFileSchema } from '../../../shared/schemas/case';
import type { FlowExchange, FlowRun, FlowStep, FlowTarget } from '../../../shared/schemas/flows';
import type { RequestTrace, ServerSettings } from '../../../shared/schemas/server';
import { caseJwt, headerOf, sanitizeBody, sanitizeHeaders, sanitizeParamRecord, sanitizeUrl } from './sanitize';

/** A credential as the exporter found it (the embedded directory's, or a vault key's public half). */
export interface CredentialSource {
  slots: ('private_key_jwt' | 'signed_request_object')[];
  kid: string;
  alg: string;
  name: string;
  expires_at: string | null;
  /** The key: a KeyObject or a PEM. Only its public half is ever written. */
  key: KeyObject | string;
  /** A certificate for the key, if one is known. */
  certificatePem?: string | null | undefined;
}

/** Everything a case file is built from. Objects may hold more than their types say: only named fields are read. */
export interface CaseSources {
  parleyVersion: string;
  exportedAt: string;
  run: FlowRun;
  target: FlowTarget;
  /** The issuer the run talked to (its discovery document's), or the target's. */
  issuer: string;
  /** The embedded server's client (Management API JSON). */
  client?: Record<string, unknown> | undefined;
  /** The embedded server's client grants of this client. */
  grants?: readonly { audience: string; scope: readonly string[] }[] | undefined;
  serverSettings?: ServerSettings | undefined;
  credentials: readonly CredentialSource[];
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const bool = (value: unknown): boolean | undefined => (typeof value === 'boolean' ? value : undefined);
const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

/** Adds `key: value` only when value is defined (exactOptionalPropertyTypes). */
function put<T extends object, K extends string, V>(target: T, key: K, value: V | undefined): void {
  if (value !== undefined) (target as Record<string, unknown>)[key] = value;
}

/** A JSON value rebuilt from scratch (claims the user composed, ID token claims): plain data only. */
function jsonCopy(value: unknown, depth = 0): unknown {
  if (depth > 20) return null;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) return value.slice(0, 1000).map((v) => jsonCopy(v, depth + 1));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>).slice(0, 1000)) out[k] = jsonCopy(v, depth + 1);
    return out;
  }
  return null;
}

function jsonRecord(value: unknown): Record<string, unknown> | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  return jsonCopy(value) as Record<string, unknown>;
}

/** A server trace, field by field (traces hold no secrets, but nothing unnamed passes either). */
export function caseTrace(t: RequestTrace): RequestTrace {
  const out: RequestTrace = {
    id: String(t.id),
    at: String(t.at),
    method: String(t.method),
    endpoint: String(t.endpoint),
    path: String(t.path),
    status: Number(t.status),
    rules: (Array.isArray(t.rules) ? t.rules : []).map((r) => {
      const rule: RequestTrace['rules'][number] = {
        id: String(r.id),
        passed: r.passed === true,
        summary: String(r.summary),
        message: String(r.message),
        fix: String(r.fix),
        source: String(r.source),
      };
      put(rule, 'expected', str(r.expected));
      put(rule, 'actual', str(r.actual));
      return rule;
    }),
    durationMs: Number(t.durationMs),
  };
  put(out, 'clientId', str(t.clientId));
  put(out, 'error', str(t.error));
  put(out, 'errorDescription', str(t.errorDescription));
  put(out, 'failedRule', str(t.failedRule));
  const offset = num(t.clockOffsetSeconds);
  if (offset !== undefined && offset !== 0) out.clockOffsetSeconds = Math.trunc(offset);
  return out;
}

/** An HTTP exchange: method, sanitized URL, safe headers, sanitized bodies. */
function caseExchange(e: FlowExchange): CaseExchange {
  const request: CaseExchange['request'] = {
    method: String(e.request.method).slice(0, 16),
    url: sanitizeUrl(e.request.url),
    headers: sanitizeHeaders(e.request.headers),
  };
  put(request, 'body', sanitizeBody(e.request.body, headerOf(e.request.headers, 'content-type')));
  const out: CaseExchange = { request, durationMs: Number(e.durationMs) || 0 };
  if (e.response) {
    const response: NonNullable<CaseExchange['response']> = { status: Number(e.response.status), headers: sanitizeHeaders(e.response.headers) };
    put(response, 'body', sanitizeBody(e.response.body, headerOf(e.response.headers, 'content-type')));
    out.response = response;
  }
  return out;
}

type DetailValue = NonNullable<CaseStep['detail']>[string];

/** The details a step records that a case keeps, by step; everything else (a PKCE verifier…) is left out. */
function caseDetail(step: FlowStep): CaseStep['detail'] | undefined {
  const d = step.detail;
  if (!d || typeof d !== 'object') return undefined;
  const out: Record<string, DetailValue> = {};
  const keep = (key: string, value: DetailValue | undefined) => {
    if (value !== undefined) out[key] = value;
  };
  const text = (key: string) => {
    const v = d[key];
    return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null ? v : undefined;
  };
  switch (step.name) {
    case 'discover':
      for (const key of ['issuer', 'authorization_endpoint', 'token_endpoint', 'pushed_authorization_request_endpoint']) keep(key, text(key));
      break;
    case 'build':
      keep('parameters', sanitizeParamRecord(d['parameters']));
      break;
    case 'push':
      keep('request_uri', str(d['request_uri']));
      keep('expires_in', num(d['expires_in']));
      break;
    case 'authorize':
      if (typeof d['url'] === 'string') keep('url', sanitizeUrl(d['url']));
      break;
    case 'callback':
      if (typeof d['callbackUrl'] === 'string') keep('callbackUrl', sanitizeUrl(d['callbackUrl']));
      break;
    case 'exchange':
      for (const key of ['token_type', 'scope', 'expires_in']) keep(key, text(key));
      break;
    case 'verify':
      keep('checked', strings(d['checked']));
      break;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function caseStep(step: FlowStep): CaseStep {
  const out: CaseStep = {
    name: step.name,
    status: step.status,
    jwts: (Array.isArray(step.jwts) ? step.jwts : []).flatMap((j) => {
      const kept = caseJwt(j.label, j.token);
      return kept ? [kept] : [];
    }),
  };
  put(out, 'startedAt', str(step.startedAt));
  put(out, 'durationMs', num(step.durationMs));
  if (step.exchange) out.exchange = caseExchange(step.exchange);
  if (Array.isArray(step.serverTraces)) out.serverTraces = step.serverTraces.map(caseTrace);
  if (step.error) out.error = { code: step.error.code, message: String(step.error.message) };
  put(out, 'detail', caseDetail(step));
  return out;
}

/** The SPKI PEM of a key's public half (a private key given by mistake yields its public key only). */
export function publicPemOf(key: KeyObject | string): string {
  const object = typeof key === 'string' ? createPublicKey(key) : key.type === 'private' ? createPublicKey(key) : key;
  return object.export({ type: 'spki', format: 'pem' }).toString();
}

function caseCredential(c: CredentialSource): CaseCredential {
  const out: CaseCredential = {
    slots: [...new Set(c.slots.filter((s) => s === 'private_key_jwt' || s === 'signed_request_object'))],
    kid: String(c.kid),
    alg: String(c.alg),
    name: String(c.name),
    expires_at: typeof c.expires_at === 'string' ? c.expires_at : null,
    publicKeyPem: publicPemOf(c.key),
  };
  if (typeof c.certificatePem === 'string' && c.certificatePem.includes('-----BEGIN CERTIFICATE-----')) {
    try {
      // Re-encoded from the parsed certificate: only the certificate itself, whatever surrounded it.
      out.certificatePem = new X509Certificate(c.certificatePem).toString();
    } catch {
      // An unreadable certificate is simply not part of the case.
    }
  }
  return out;
}

function caseClient(client: Record<string, unknown>, grants: CaseSources['grants']): NonNullable<CaseFile['client']> {
  const method = str(client['token_endpoint_auth_method']);
  const jwt = client['jwt_configuration'] as Record<string, unknown> | null | undefined;
  const sro = client['signed_request_object'] as Record<string, unknown> | null | undefined;
  const cam = client['client_authentication_methods'] as Record<string, unknown> | null | undefined;
  const out: NonNullable<CaseFile['client']> = {
    name: str(client['name']) ?? '',
    callbacks: strings(client['callbacks']),
    grant_types: strings(client['grant_types']),
    private_key_jwt: typeof cam === 'object' && cam !== null && typeof cam['private_key_jwt'] === 'object' && cam['private_key_jwt'] !== null,
    grants: (grants ?? []).map((g) => ({ audience: String(g.audience), scope: strings(g.scope) })),
  };
  put(out, 'app_type', str(client['app_type']));
  if (method === 'none' || method === 'client_secret_post' || method === 'client_secret_basic') out.token_endpoint_auth_method = method;
  const alg = str(jwt?.['alg']);
  if (alg === 'HS256' || alg === 'RS256' || alg === 'PS256') out.jwt_alg = alg;
  put(out, 'signed_request_object_required', bool(sro?.['required']));
  put(out, 'require_pushed_authorization_requests', bool(client['require_pushed_authorization_requests']));
  const level = client['compliance_level'];
  if (
    level === null ||
    level === 'none' ||
    level === 'fapi1_adv_mtls_par' ||
    level === 'fapi1_adv_pkj_par' ||
    level === 'fapi2_sp_pkj_mtls' ||
    level === 'fapi2_sp_mtls_mtls'
  )
    out.compliance_level = level;
  put(out, 'oidc_conformant', bool(client['oidc_conformant']));
  put(out, 'is_first_party', bool(client['is_first_party']));
  return out;
}

/** Builds a case file from its sources, then checks it against the strict schema. */
export function buildCaseFile(sources: CaseSources): CaseFile {
  const { run, target } = sources;
  const caseTarget: CaseFile['target'] = {
    name: String(target.name),
    issuer: String(target.issuer),
    client_id: String(target.client_id),
    authMethod: target.auth.method,
    redirect_uri: String(target.redirect_uri),
    scope: String(target.scope),
    embedded: target.embedded === true,
  };
  put(caseTarget, 'audience', str(target.audience));

  const options: CaseFile['run']['options'] = { pkce: run.options.pkce !== false };
  put(options, 'jarClaims', jsonRecord(run.options.jarClaims));
  const caseRun: CaseFile['run'] = {
    id: String(run.id),
    kind: run.kind,
    status: run.status,
    startedAt: String(run.startedAt),
    options,
    steps: run.steps.map(caseStep),
  };
  put(caseRun, 'finishedAt', str(run.finishedAt));
  if (typeof run.authorizeUrl === 'string') caseRun.authorizeUrl = sanitizeUrl(run.authorizeUrl);
  put(caseRun, 'idTokenClaims', jsonRecord(run.idTokenClaims));

  const file: CaseFile = {
    format: CASE_FORMAT,
    parley: { version: String(sources.parleyVersion) },
    exportedAt: String(sources.exportedAt),
    issuer: String(sources.issuer),
    target: caseTarget,
    credentials: sources.credentials.map(caseCredential),
    run: caseRun,
  };
  if (sources.client) file.client = caseClient(sources.client, sources.grants);
  const s = sources.serverSettings;
  if (s) {
    file.serverSettings = {
      profile: s.profile,
      parEnabled: s.parEnabled,
      parRequired: s.parRequired,
      issParameter: s.issParameter,
      jarReplayCheck: s.jarReplayCheck,
      loopbackAnyPort: s.loopbackAnyPort,
      consent: s.consent,
      clockOffsetSeconds: s.clockOffsetSeconds,
    };
  }

  const checked = caseFileSchema.safeParse(file);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new ParleyError(
      'INTERNAL',
      `The case file could not be built: ${issue ? `${issue.path.map(String).join('.') || '(file)'}: ${issue.message}` : 'invalid'}.`,
    );
  }
  return checked.data;
}
