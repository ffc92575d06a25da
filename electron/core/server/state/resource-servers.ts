/**
 * Resource servers (Auth0's "APIs"), only as far as DPoP needs them (dpop-rules.md §6, DPC-2..8): an
 * identifier (the `audience` of token requests) and its sender-constraining policy `proof_of_possession`,
 * which DPB-1 reads at /oauth/token. Persisted in `resource-servers.json`; created, read, updated and
 * deleted through `/api/v2/resource-servers` with Auth0's scopes and payload-validation errors.
 */
import { z } from 'zod';
import type { StoreNotice } from '../../../../shared/schemas/app';
import type { DocumentStoreFactory } from '../../store/document-store';
import { openDocument } from '../../store/document-store';
import { ManagementError } from '../errors';
import type { JsonObject } from '../management/payload';
import { root } from '../management/payload';
import { failed } from '../management/rule-sink';
import type { RuleSink } from '../recording';
import { pass } from '../recording';
import { DPOP_RULES } from '../rules-dpop';
import { newResourceServerId } from './ids';
import { now } from '../../clock';

/** DPC-2..5: the sender-constraining policy as Auth0 stores it. */
export const proofOfPossessionSchema = z
  .object({
    mechanism: z.enum(['dpop', 'mtls', 'none']),
    required: z.boolean(),
    required_for: z.enum(['all_clients', 'public_clients']).optional(),
  })
  .strict();

/** The sender-constraining policy of an API. */
export type ProofOfPossession = z.infer<typeof proofOfPossessionSchema>;

const storedResourceServerSchema = z
  .object({
    id: z.string().min(1).max(64),
    name: z.string().max(200),
    identifier: z.string().min(1).max(600),
    signing_alg: z.enum(['RS256', 'HS256', 'PS256']),
    token_lifetime: z.number().int(),
    allow_offline_access: z.boolean(),
    /** Absent: never set (DPC-6 writes no default); null: removed (DPC-7). */
    proof_of_possession: proofOfPossessionSchema.nullable().optional(),
    created_at: z.string(),
  })
  .strict();

type StoredResourceServer = z.infer<typeof storedResourceServerSchema>;

const documentSchema = z.object({ version: z.literal(1), resource_servers: z.array(storedResourceServerSchema).max(10_000) });

/** The largest number of APIs a tenant holds (bounded like every store). */
export const MAX_RESOURCE_SERVERS = 10_000;

const CREATE_FIELDS = ['name', 'identifier', 'signing_alg', 'token_lifetime', 'allow_offline_access', 'proof_of_possession'];
const UPDATE_FIELDS = CREATE_FIELDS.filter((f) => f !== 'identifier');

/**
 * DPC-3..5: validates `proof_of_possession` (an object, or null to remove it). Auth0's payload-validation
 * words for the shape; the mtls + public_clients refusal in its own sentence (DPC-5).
 */
export function parseProofOfPossession(value: unknown, sink: RuleSink): ProofOfPossession | null {
  if (value === null) {
    pass(sink, DPOP_RULES['DPC-7'], 'null removes sender constraining', 'removed');
    return null;
  }
  const field = root(sink, DPOP_RULES['DPC-4']).at('proof_of_possession');
  const obj = field.object(value, ['mechanism', 'required', 'required_for']);
  field.required(obj, 'mechanism');
  field.required(obj, 'required');
  pass(sink, DPOP_RULES['DPC-4'], 'mechanism and required present', 'both present');
  const mechanismField = field.at('mechanism', DPOP_RULES['DPC-3']);
  const mechanism = obj.mechanism;
  if (mechanism !== 'dpop' && mechanism !== 'mtls' && mechanism !== 'none')
    throw mechanismField.error(
      'Invalid value',
      'dpop | mtls | none',
      typeof mechanism === 'string' ? mechanism.slice(0, 100) : typeof mechanism,
      'Send mechanism "dpop" or "mtls", or proof_of_possession: null.',
    );
  pass(sink, DPOP_RULES['DPC-3'], 'dpop | mtls | none', mechanism);
  const required = field.at('required').boolean(obj.required);
  const out: ProofOfPossession = { mechanism, required };
  if (obj.required_for !== undefined) {
    const requiredFor = field.at('required_for', DPOP_RULES['DPC-5']).oneOf(obj.required_for, ['all_clients', 'public_clients'] as const);
    if (mechanism === 'mtls' && requiredFor === 'public_clients') {
      throw failed(sink, DPOP_RULES['DPC-5'], 'required_for public_clients is not supported with mtls', {
        expected: 'all_clients with mtls',
        actual: 'public_clients',
      });
    }
    out.required_for = requiredFor;
  }
  pass(sink, DPOP_RULES['DPC-5'], 'all_clients | public_clients (all_clients only with mtls)', out.required_for ?? '(absent: all_clients)');
  return out;
}

/** Auth0's JSON of an API: what was stored, proof_of_possession echoed as written (DPC-6). */
function resourceServerJson(r: StoredResourceServer): JsonObject {
  const out: JsonObject = {
    id: r.id,
    name: r.name,
    identifier: r.identifier,
    allow_offline_access: r.allow_offline_access,
    token_lifetime: r.token_lifetime,
    signing_alg: r.signing_alg,
  };
  if (r.proof_of_possession !== undefined) out.proof_of_possession = r.proof_of_possession === null ? null : { ...r.proof_of_possession };
  return out;
}

function notFound(): ManagementError {
  return new ManagementError(404, 'inexistent_resource_server', 'The resource server does not exist');
}

/** The tenant's APIs. */
export class ResourceServerStore {
  readonly #doc;

  constructor(store: DocumentStoreFactory, notices: StoreNotice[]) {
    this.#doc = openDocument(store, 'resource-servers', documentSchema, () => ({ version: 1 as const, resource_servers: [] }), notices);
  }

  #all(): StoredResourceServer[] {
    return this.#doc.value.resource_servers;
  }

  #find(idOrIdentifier: string): StoredResourceServer | undefined {
    return this.#all().find((r) => r.id === idOrIdentifier || r.identifier === idOrIdentifier);
  }

  #save(next: StoredResourceServer[]): void {
    this.#doc.save({ version: 1, resource_servers: next });
  }

  /** POST /api/v2/resource-servers. */
  create(body: unknown, sink: RuleSink): JsonObject {
    const field = root(sink, DPOP_RULES['DPC-2']);
    const obj = field.object(body, CREATE_FIELDS);
    field.required(obj, 'identifier');
    const identifier = field.at('identifier').string(obj.identifier, 1, 600);
    if (this.#find(identifier)) throw new ManagementError(409, 'operation_not_supported', 'A resource server with the same identifier already exists', 'DPC-2');
    if (this.#all().length >= MAX_RESOURCE_SERVERS) throw new ManagementError(429, 'too_many_entities', `At most ${MAX_RESOURCE_SERVERS} resource servers`);
    const stored: StoredResourceServer = {
      id: newResourceServerId(),
      name: obj.name === undefined ? identifier : field.at('name').string(obj.name, 1, 200),
      identifier,
      signing_alg: obj.signing_alg === undefined ? 'RS256' : field.at('signing_alg').oneOf(obj.signing_alg, ['RS256', 'HS256', 'PS256'] as const),
      token_lifetime: obj.token_lifetime === undefined ? 86_400 : field.at('token_lifetime').integer(obj.token_lifetime, 1, 2_592_000),
      allow_offline_access: obj.allow_offline_access === undefined ? false : field.at('allow_offline_access').boolean(obj.allow_offline_access),
      created_at: now().toISOString(),
    };
    if (obj.proof_of_possession !== undefined) stored.proof_of_possession = parseProofOfPossession(obj.proof_of_possession, sink);
    pass(sink, DPOP_RULES['DPC-2'], 'proof_of_possession on create (create:resource_servers)', obj.proof_of_possession === undefined ? '(not sent)' : 'stored');
    this.#save([...this.#all(), stored]);
    pass(sink, DPOP_RULES['DPC-6'], 'echoed as stored, no default written', JSON.stringify(stored.proof_of_possession ?? '(absent)'));
    return resourceServerJson(stored);
  }

  /** PATCH /api/v2/resource-servers/{id}: an object replaces the whole policy, null removes it (DPC-7). */
  update(id: string, body: unknown, sink: RuleSink): JsonObject {
    const current = this.#find(id);
    if (!current) throw notFound();
    const field = root(sink, DPOP_RULES['DPC-2']);
    const obj = field.object(body, UPDATE_FIELDS);
    const next: StoredResourceServer = { ...current };
    if (obj.name !== undefined) next.name = field.at('name').string(obj.name, 1, 200);
    if (obj.signing_alg !== undefined) next.signing_alg = field.at('signing_alg').oneOf(obj.signing_alg, ['RS256', 'HS256', 'PS256'] as const);
    if (obj.token_lifetime !== undefined) next.token_lifetime = field.at('token_lifetime').integer(obj.token_lifetime, 1, 2_592_000);
    if (obj.allow_offline_access !== undefined) next.allow_offline_access = field.at('allow_offline_access').boolean(obj.allow_offline_access);
    if (obj.proof_of_possession !== undefined) {
      next.proof_of_possession = parseProofOfPossession(obj.proof_of_possession, sink);
      pass(sink, DPOP_RULES['DPC-2'], 'proof_of_possession on update (update:resource_servers)', 'replaced');
    }
    this.#save(this.#all().map((r) => (r.id === current.id ? next : r)));
    pass(sink, DPOP_RULES['DPC-6'], 'echoed as stored, no default written', JSON.stringify(next.proof_of_possession ?? '(absent)'));
    return resourceServerJson(next);
  }

  /** GET /api/v2/resource-servers/{id} (the id, or the identifier as Auth0 also accepts). */
  get(id: string): JsonObject {
    const found = this.#find(id);
    if (!found) throw notFound();
    return resourceServerJson(found);
  }

  list(): JsonObject[] {
    return this.#all().map(resourceServerJson);
  }

  delete(id: string): void {
    const found = this.#find(id);
    if (!found) throw notFound();
    this.#save(this.#all().filter((r) => r.id !== found.id));
  }

  /** Whether an API with this identifier exists (the audience of a token exchange, DA9). */
  has(identifier: string): boolean {
    return this.#all().some((r) => r.identifier === identifier);
  }

  /** DPB-1's question: the policy of the API with this identifier (undefined: no such API, or never set). */
  proofOfPossession(identifier: string): ProofOfPossession | null | undefined {
    return this.#all().find((r) => r.identifier === identifier)?.proof_of_possession;
  }
}
