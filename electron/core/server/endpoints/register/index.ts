/**
 * `POST /oidc/register` — Auth0's Dynamic Application Registration (OpenID Connect Dynamic Client Registration
 * 1.0, RFC 7591). Open registration, as Auth0's: no token, but only while the tenant flag
 * `enable_dynamic_client_registration` is on (PATCH /api/v2/tenants/settings, or the `dynamicClientRegistration`
 * server setting; off by default, as at Auth0). The registered client is a third-party client created by the
 * Management API's own code (directory.createClient), so it is validated like one, traced with the same MGC
 * rules, and listed with the other clients (GET /api/v2/clients, the Server screen).
 *
 * Metadata Auth0 documents: `client_name`, `redirect_uris` (required), `token_endpoint_auth_method` (`none`
 * or `client_secret_post`, the default), `grant_types` (default `authorization_code`). Other RFC 7591 metadata
 * is ignored, as RFC 7591 §2 lets a server do. DPC-13: `dpop_bound_access_tokens` (RFC 9449 §5.2) is not in
 * Auth0's documentation; the Auth0 profile ignores it (traced with a note), the strict profile maps it to
 * `require_proof_of_possession` and echoes it.
 *
 * The answer is 201 with `client_name`, `client_id`, `client_secret` (not for `none`), `redirect_uris` and
 * `client_secret_expires_at: 0` (Auth0: the secret never expires). Errors are RFC 7591 §3.2.2's
 * (`invalid_redirect_uri`, `invalid_client_metadata`), with the Management API's message as description.
 * The 403 for a tenant without the flag is Parley's wording: Auth0's is not documented.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerContext } from '../../context';
import { isStrict } from '../../checks/outcome';
import { ManagementError, OAuthError } from '../../errors';
import type { JsonObject } from '../../management/payload';
import type { ClientJson } from '../../state/client-shape';
import type { StepContext, StepResult } from '../../steps';
import { defineSteps, refuse, runSteps } from '../../steps';
import type { TraceRecorder } from '../../trace';
import { passWithNote } from '../../recording';
import { DPOP_RULES } from '../../rules-dpop';
import { bodyKind } from '../body';

/** The token endpoint methods Auth0's registration takes. */
const AUTH_METHODS = ['none', 'client_secret_post'] as const;

/** What the steps of one registration share. */
class Registration implements StepContext {
  metadata: JsonObject = {};
  /** DPC-13 in the strict profile: the client's require_proof_of_possession; undefined: not sent or ignored. */
  popRequired: boolean | undefined;
  authMethod = 'client_secret_post';
  created!: ClientJson;

  constructor(
    readonly request: FastifyRequest,
    readonly ctx: ServerContext,
  ) {}

  get trace(): TraceRecorder {
    return this.request.trace;
  }
}

/** DPC-13's texts in the trace (translated in the UI's ruleValues table). */
export const DPC_13_TEXTS = {
  jsonObject: 'a JSON object sent as application/json (RFC 7591 §3.1)',
  mapped: 'a boolean, mapped to require_proof_of_possession (strict profile)',
  ignored: 'ignored in the Auth0 profile',
  ignoredNote:
    'Ignored, as Auth0 does not document dpop_bound_access_tokens: the client is registered with require_proof_of_possession false. The strict profile maps it to require_proof_of_possession.',
} as const;

const metadataError = (description: string) => ({ status: 400, error: 'invalid_client_metadata', description });

function enabled(r: Registration): StepResult {
  if (r.ctx.settings().dynamicClientRegistration !== true) throw refuse('false');
  return 'true';
}

function jsonObjectBody(r: Registration): StepResult {
  const body = r.request.body;
  const type = String(r.request.headers['content-type'] ?? '(absent)');
  if (bodyKind(r.request) !== 'json') throw refuse(type);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw refuse(String(JSON.stringify(body)).slice(0, 80));
  r.metadata = body as JsonObject;
  return type;
}

function dpopBound(r: Registration): StepResult {
  const value = r.metadata.dpop_bound_access_tokens;
  if (value === undefined) return '(absent)';
  if (!isStrict(r.ctx)) {
    passWithNote(r.trace, DPOP_RULES['DPC-13'], DPC_13_TEXTS.ignored, JSON.stringify(value), DPC_13_TEXTS.ignoredNote);
    return undefined;
  }
  if (typeof value !== 'boolean') throw refuse(JSON.stringify(value));
  r.popRequired = value;
  return `require_proof_of_possession = ${value}`;
}

function redirectUris(r: Registration): StepResult {
  const uris = r.metadata.redirect_uris;
  if (uris === undefined) throw refuse('(absent)');
  if (Array.isArray(uris) && uris.length === 0) throw refuse('[]');
  // Each URI is checked with the callbacks when the client is created (RED-3 and the URL checks).
  return JSON.stringify(uris).slice(0, 500);
}

function authMethod(r: Registration): StepResult {
  const method = r.metadata.token_endpoint_auth_method ?? 'client_secret_post';
  if (typeof method !== 'string' || !(AUTH_METHODS as readonly string[]).includes(method)) throw refuse(JSON.stringify(method).slice(0, 100));
  r.authMethod = method;
  return method;
}

async function create(r: Registration): Promise<StepResult> {
  const m = r.metadata;
  const method = r.authMethod;
  const body: JsonObject = {
    // client_name is optional in RFC 7591 but a client needs a name; Auth0's default is not documented.
    name: m.client_name ?? 'My App',
    app_type: method === 'none' ? 'spa' : 'regular_web',
    // Auth0 registers third-party applications (its Dynamic Application Registration guide).
    is_first_party: false,
    callbacks: m.redirect_uris,
    token_endpoint_auth_method: method,
    grant_types: m.grant_types ?? ['authorization_code'],
    ...(r.popRequired === undefined ? {} : { require_proof_of_possession: r.popRequired }),
  };
  try {
    r.created = await r.ctx.directory.createClient(body, r.trace);
  } catch (e) {
    // The Management API's validation has recorded its rule; the wire speaks RFC 7591 with the same words.
    if (!(e instanceof ManagementError)) throw e;
    // Property paths are renamed back to the registration's metadata names (callbacks → redirect_uris).
    const field = e.field?.path ?? '';
    const described = e.message.replace(/property callbacks\b/, 'property redirect_uris').replace(/property name\b/, 'property client_name');
    throw new OAuthError(400, field.startsWith('callbacks') ? 'invalid_redirect_uri' : 'invalid_client_metadata', described, e.ruleId);
  }
  r.request.trace.clientId = r.created.client_id;
  return undefined;
}

export const REGISTER_STEPS = defineSteps<Registration>({
  steps: [
    {
      name: 'dynamic registration enabled',
      rule: DPOP_RULES['DPC-13'],
      expected: 'flags.enable_dynamic_client_registration = true',
      wire: {
        status: 403,
        error: 'access_denied',
        description: 'Dynamic client registration is disabled for this tenant (flags.enable_dynamic_client_registration)',
      },
      run: enabled,
    },
    {
      name: 'JSON body',
      rule: DPOP_RULES['DPC-13'],
      expected: DPC_13_TEXTS.jsonObject,
      wire: metadataError('The registration request must be a JSON object sent as application/json'),
      run: jsonObjectBody,
    },
    {
      name: 'redirect_uris',
      rule: DPOP_RULES['DPC-13'],
      expected: 'redirect_uris',
      wire: { status: 400, error: 'invalid_redirect_uri', description: 'redirect_uris is required (at least one URI)' },
      run: redirectUris,
    },
    {
      name: 'token_endpoint_auth_method',
      rule: 'MGC-7',
      expected: AUTH_METHODS.join(' | '),
      wire: metadataError(`token_endpoint_auth_method must be one of ${AUTH_METHODS.join(', ')}`),
      run: authMethod,
    },
    {
      name: 'dpop_bound_access_tokens',
      rule: DPOP_RULES['DPC-13'],
      expected: DPC_13_TEXTS.mapped,
      wire: metadataError('dpop_bound_access_tokens must be a boolean'),
      run: dpopBound,
    },
    { name: 'create the third-party client', run: create },
  ],
});

async function register(request: FastifyRequest, reply: FastifyReply, ctx: ServerContext): Promise<FastifyReply> {
  const r = new Registration(request, ctx);
  await runSteps(REGISTER_STEPS, r);
  const c = r.created;
  const answer: JsonObject = {
    client_name: c.name,
    client_id: c.client_id,
    ...(typeof c.client_secret === 'string' && c.token_endpoint_auth_method !== 'none' ? { client_secret: c.client_secret } : {}),
    redirect_uris: c.callbacks ?? [],
    client_secret_expires_at: 0,
    token_endpoint_auth_method: c.token_endpoint_auth_method,
    grant_types: c.grant_types,
    ...(r.popRequired === undefined ? {} : { dpop_bound_access_tokens: r.popRequired }),
  };
  return reply.code(201).header('cache-control', 'no-store').send(answer);
}

/** Registers POST /oidc/register. */
export function registerRegistration(app: FastifyInstance, ctx: ServerContext): void {
  app.post('/oidc/register', { config: { endpoint: 'register', errors: 'oauth' } }, (request, reply) => register(request, reply, ctx));
}
