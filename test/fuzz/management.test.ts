/**
 * Fuzzing the Management API over real HTTP (fast-check, fixed seeds, bounded runs): random JSON bodies
 * (random shapes, wrong types, deep nesting, __proto__/constructor keys, non-JSON), near-valid Auth0 bodies
 * with one to three members changed, content types and query strings, to every /api/v2 route. Every answer
 * is well-formed (never 5xx, every 4xx in Auth0's `{statusCode, error, message, errorCode}` shape), and
 * whatever was accepted is still a valid data directory afterwards: the client files and users.json reopen
 * without a notice.
 */
import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ServerDirectory } from '../../electron/core/server/management/directory';
import { confStoreFactory } from '../../electron/core/store/document-store';
import type { FuzzRequest, FuzzServer, RouteInfo } from './harness';
import { CALLBACK, FUZZ_TEST_TIMEOUT, expectWellFormed, fitPath, fuzzParams, guardFuzzRuns, send, startFuzzServer } from './harness';
import { contentTypes, encodedPairs, jsonBodyText } from './arbitraries';
import type { StoreNotice } from '../../shared/schemas/app';

const TEST_TIMEOUT = FUZZ_TEST_TIMEOUT;

let s: FuzzServer;
let routes: RouteInfo[];
const pems: string[] = [];

beforeAll(async () => {
  s = await startFuzzServer();
  routes = s.routes.filter((r) => r.style === 'management');
  for (let i = 0; i < 3; i++) pems.push(generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString());
}, 60_000);

guardFuzzRuns(() => s);

/** The route's path with ids filled: mostly existing ones, except for DELETE until the last test (the others need them). */
function fill(route: RouteInfo, pick: number, method: string, mayDelete = false): string {
  return route.path.replace(/:([a-z_]+)/g, (_m, name: string) => {
    const pool = name === 'credential_id' ? s.ids.credential : name === 'user_id' ? s.ids.user : name === 'grant_id' ? s.ids.grant : s.ids.client;
    const real = pick % 5 !== 4 && pool.length > 0 && (method !== 'DELETE' || mayDelete);
    return real ? encodeURIComponent(pool[pick % pool.length]!) : encodeURIComponent(`x${pick}`);
  });
}

async function call(route: RouteInfo, method: string, req: FuzzRequest): Promise<number> {
  const res = await send(s.port, req);
  expectWellFormed(route.methods.includes(method) ? 'management' : 'any', req, res);
  return res.status;
}

const auth = () => ({ authorization: `Bearer ${s.managementToken}` });

describe('Fuzz › Management API', () => {
  it('random JSON bodies to every route that takes one', { timeout: TEST_TIMEOUT }, async () => {
    const writes = routes.flatMap((r) => r.methods.filter((m) => m === 'POST' || m === 'PATCH' || m === 'DELETE').map((m) => ({ route: r, method: m })));
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        fc.nat(),
        jsonBodyText,
        fc.oneof({ weight: 8, arbitrary: fc.constant('application/json') }, { weight: 2, arbitrary: contentTypes }),
        async (which, pick, body, type) => {
          const { route, method } = writes[which % writes.length]!;
          await call(route, method, { method, path: fill(route, pick, method), headers: { ...auth(), 'content-type': type }, body });
        },
      ),
      fuzzParams(0xa0a0, 800),
    );
  });

  it('near-valid Auth0 bodies with one to three members changed', { timeout: TEST_TIMEOUT }, async () => {
    const [clientId] = s.ids.client as [string];
    const cred = (i: number, extra: Record<string, unknown> = {}) => ({
      name: `k${i}`,
      credential_type: 'public_key',
      pem: pems[i % pems.length],
      alg: 'RS256',
      ...extra,
    });
    const templates: { method: string; path: string; body: () => Record<string, unknown> }[] = [
      {
        method: 'POST',
        path: '/api/v2/clients',
        body: () => ({
          name: 'Fuzzed',
          app_type: 'regular_web',
          callbacks: [CALLBACK],
          grant_types: ['authorization_code', 'refresh_token'],
          token_endpoint_auth_method: 'client_secret_post',
          jwt_configuration: { alg: 'RS256', lifetime_in_seconds: 36000 },
          refresh_token: { rotation_type: 'rotating', expiration_type: 'expiring', token_lifetime: 3600 },
          client_metadata: { a: 'b' },
        }),
      },
      {
        method: 'POST',
        path: '/api/v2/clients',
        body: () => ({
          name: 'Fuzzed PKJ',
          app_type: 'non_interactive',
          client_authentication_methods: { private_key_jwt: { credentials: [cred(0)] } },
          signed_request_object: { required: true, credentials: [cred(1)] },
          require_pushed_authorization_requests: true,
          compliance_level: 'fapi2_sp_pkj_mtls',
        }),
      },
      {
        method: 'PATCH',
        path: `/api/v2/clients/${clientId}`,
        body: () => ({
          name: 'Renamed',
          callbacks: [CALLBACK, 'https://other.example/cb'],
          allowed_logout_urls: ['https://app.example.com/'],
          oidc_conformant: true,
          description: 'd',
        }),
      },
      {
        method: 'PATCH',
        path: `/api/v2/clients/${clientId}`,
        body: () => ({
          token_endpoint_auth_method: null,
          client_authentication_methods: { private_key_jwt: { credentials: [{ id: s.ids.credential[0] ?? 'cred_x' }] } },
        }),
      },
      { method: 'POST', path: `/api/v2/clients/${clientId}/credentials`, body: () => cred(2, { expires_at: '2999-01-01T00:00:00.000Z' }) },
      {
        method: 'PATCH',
        path: `/api/v2/clients/${s.keyClient.client_id}/credentials/${s.ids.credential[0] ?? 'cred_x'}`,
        body: () => ({ expires_at: '2999-01-01T00:00:00.000Z' }),
      },
      { method: 'POST', path: '/api/v2/client-grants', body: () => ({ client_id: clientId, audience: 'https://api.example.com/', scope: ['read:things'] }) },
      {
        method: 'POST',
        path: '/api/v2/users',
        body: () => ({
          email: 'fuzz@example.com',
          password: 'correct horse battery staple',
          connection: 'Username-Password-Authentication',
          name: 'Fuzz',
          email_verified: true,
        }),
      },
    ];
    const leaf = fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
      fc.constant(0).map(() => ({})),
      fc.constant(0).map(() => []),
      fc.constant('x'.repeat(3000)),
      fc.constantFrom(...pems),
      fc.constant('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----'),
    );
    const editArb = fc.record({ kind: fc.constantFrom('set', 'delete', 'add', 'deep'), at: fc.nat(), key: fc.string({ maxLength: 12 }), value: leaf });
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.array(editArb, { minLength: 1, maxLength: 3 }), async (which, edits) => {
        const t = templates[which % templates.length]!;
        const body = t.body();
        for (const e of edits) {
          // Walk to a nested object (deep edits) or stay at the top, then change one member.
          let target: Record<string, unknown> = body;
          if (e.kind === 'deep') {
            const nested = Object.values(body).filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null);
            const inner = nested[e.at % Math.max(1, nested.length)];
            if (inner) target = Array.isArray(inner) && typeof inner[0] === 'object' && inner[0] !== null ? (inner[0] as Record<string, unknown>) : inner;
          }
          const keys = Object.keys(target);
          const key = keys.length > 0 && e.kind !== 'add' ? keys[e.at % keys.length]! : e.key;
          if (e.kind === 'delete') delete target[key];
          else target[key] = e.value;
        }
        const route = routes.find((r) => new RegExp(`^${r.path.replace(/:[a-z_]+/g, '[^/]+')}$`).test(t.path))!;
        await call(route, t.method, { method: t.method, path: t.path, headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify(body) });
      }),
      fuzzParams(0xc11e, 800),
    );
  });

  it('query strings, ids and methods on every route', { timeout: TEST_TIMEOUT }, async () => {
    const listy = fc.array(
      fc.tuple(
        fc.constantFrom('page', 'per_page', 'include_totals', 'fields', 'include_fields', 'client_id', 'audience', 'q', 'from', 'take'),
        fc.oneof(
          fc.constantFrom('0', '-1', '1e9', '100', '101', 'true', 'false', 'client_id,name', ',,,', 'signing_keys', 'NaN', ''),
          fc.string({ maxLength: 20 }),
        ),
      ),
      { maxLength: 6 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        fc.nat(),
        fc.oneof(
          listy.map((p) => new URLSearchParams(p).toString()),
          encodedPairs(),
        ),
        fc.constantFrom('GET', 'HEAD', 'DELETE', 'PUT', 'POST', 'PATCH'),
        async (which, pick, query, method) => {
          const route = routes[which % routes.length]!;
          const headers: Record<string, string> = auth();
          await call(route, method, { method, path: fitPath(`${fill(route, pick, method, true)}?${query}`, headers), headers });
        },
      ),
      fuzzParams(0x0e17, 500),
    );
  });

  it('leaves a data directory that reopens without a notice', async () => {
    const res = await send(s.port, { method: 'GET', path: '/api/v2/clients', headers: auth() });
    expect(res.status).toBe(200);
    const notices: StoreNotice[] = [];
    const reopened = new ServerDirectory(confStoreFactory(s.dir), notices);
    expect(notices).toEqual([]);
    expect(
      reopened
        .listClients()
        .map((c) => c.client_id)
        .sort(),
    ).toEqual((JSON.parse(res.body) as { client_id: string }[]).map((c) => c.client_id).sort());
  });
});
