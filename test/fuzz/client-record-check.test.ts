/**
 * The clients' store reads 10,000 client files at start-up through a cheaper check than its zod schema
 * (looksLikeStoredRecord, state/client-records.ts), falling back to the schema for anything the check does not
 * recognise. The check must never accept what the schema refuses: fuzzed here (fast-check, fixed seeds) over
 * real records the store wrote, with one to three members changed to values at and around every bound, of the
 * wrong type, removed, or added (unknown keys, own `__proto__`). And it must recognise every kind of record the
 * store writes, or start-up silently falls back to the slow path.
 */
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLIENTS_FOLDER, clientRecordSchema, looksLikeStoredRecord } from '../../electron/core/server/state/client-records';
import { ServerDirectory } from '../../electron/core/server/management/directory';
import { confStoreFactory } from '../../electron/core/store/document-store';
import { tempDataDir } from '../unit/electron/core/server/management/helpers';
import { fuzzParams } from './harness';

/** The files the store wrote, parsed. */
let records: unknown[] = [];

beforeAll(async () => {
  const dir = tempDataDir();
  const d = new ServerDirectory(confStoreFactory(dir), []);
  const pem = (): string => generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
  await d.createClient({ name: 'spa', app_type: 'spa' });
  const web = await d.createClient({
    name: 'web',
    description: 'a web app',
    app_type: 'regular_web',
    callbacks: ['https://app.example.com/callback'],
    allowed_logout_urls: ['https://app.example.com/'],
    web_origins: ['https://app.example.com'],
    client_metadata: { team: 'ci' },
    jwt_configuration: { alg: 'PS256', lifetime_in_seconds: 600 },
  });
  const a = await d.createCredential(web.client_id, { name: 'a', credential_type: 'public_key', pem: pem(), alg: 'RS256' });
  const b = await d.createCredential(web.client_id, {
    name: 'b',
    credential_type: 'public_key',
    pem: pem(),
    alg: 'PS256',
    expires_at: '2099-01-01T00:00:00.000Z',
  });
  await d.updateClient(web.client_id, {
    token_endpoint_auth_method: null,
    client_authentication_methods: { private_key_jwt: { credentials: [{ id: a.id }] } },
    signed_request_object: { required: true, credentials: [{ id: b.id }] },
  });
  await d.updateClient(web.client_id, { require_pushed_authorization_requests: true, compliance_level: 'fapi1_adv_pkj_par' });
  await d.createClientGrant({ client_id: web.client_id, audience: 'https://api.example.com/', scope: ['read:x', 'write:x'] });
  const m2m = await d.createClient({ name: 'm2m', app_type: 'non_interactive', token_endpoint_auth_method: 'client_secret_basic' });
  await d.createClientGrant({ client_id: m2m.client_id, audience: 'https://api.example.com/', scope: [] });
  const folder = join(dir, CLIENTS_FOLDER);
  records = readdirSync(folder).map((name) => JSON.parse(readFileSync(join(folder, name), 'utf8')) as unknown);
}, 60_000);

/** Strings at and around the schema's bounds, in ASCII and in UTF-16 surrogate pairs (zod counts code units). */
const lengths = [0, 1, 63, 64, 65, 127, 128, 129, 139, 140, 141, 254, 255, 256, 279, 280, 281, 2047, 2048, 2049];
const tricky: unknown[] = [
  ...lengths.map((n) => 'x'.repeat(n)),
  ...lengths.map((n) => '😀'.repeat(Math.ceil(n / 2))),
  ...[0, -1, 1.5, -0, 2 ** 53, -(2 ** 53), Number.MAX_SAFE_INTEGER, 1e308],
  null,
  true,
  false,
  [],
  {},
  ['x'],
  [1],
  [null],
  Array.from({ length: 3 }, () => 'cred_a'),
  ...['public_key', 'certificate', 'RS256', 'RS384', 'RS512', 'PS256', 'HS256', 'none', 'spa', 'rotating', 'expiring', 'management'],
  ...['cred_', 'cred_abc', 'cred_a-b', 'cred_' + 'a'.repeat(65), '-----BEGIN PUBLIC KEY-----', '-----BEGIN PUBLIC KEY-----PRIVATE', 'PRIVATE'],
];

type Mutation = { kind: 'set'; path: number; value: unknown } | { kind: 'delete'; path: number } | { kind: 'add'; path: number; key: string; value: unknown };

const value = fc.oneof(fc.constantFrom(...tricky), fc.jsonValue({ maxDepth: 2 }));
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), path: fc.nat(), value }),
  fc.record({ kind: fc.constant('delete' as const), path: fc.nat() }),
  fc.record({
    kind: fc.constant('add' as const),
    path: fc.nat(),
    key: fc.oneof(fc.constantFrom('__proto__', 'constructor', 'extra', 'client_id', 'version', 'pem', 'scope'), fc.string({ maxLength: 6 })),
    value,
  }),
);

/** Every object and array inside `root`, with the key that leads to each member. */
function members(root: unknown): { parent: Record<string, unknown> | unknown[]; key: string | number }[] {
  const out: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      v.forEach((x, i) => {
        out.push({ parent: v, key: i });
        walk(x);
      });
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        out.push({ parent: v as Record<string, unknown>, key: k });
        walk(x);
      }
    }
  };
  walk(root);
  return out;
}

function mutate(record: unknown, changes: Mutation[]): unknown {
  const copy = structuredClone(record);
  for (const change of changes) {
    const all = members(copy);
    const at = all[change.path % all.length]!;
    const target = at.parent as Record<string | number, unknown>;
    if (change.kind === 'set') target[at.key] = structuredClone(change.value);
    else if (change.kind === 'delete') {
      if (Array.isArray(at.parent)) at.parent.splice(at.key as number, 1);
      else delete target[at.key];
    } else {
      // An own property, as JSON.parse makes `"__proto__": …`; into the member's object, or the member itself.
      const into =
        at.parent[at.key as never] !== null && typeof at.parent[at.key as never] === 'object' && !Array.isArray(at.parent[at.key as never])
          ? (at.parent[at.key as never] as object)
          : at.parent;
      if (Array.isArray(into)) into.push(structuredClone(change.value));
      else Object.defineProperty(into, change.key, { value: structuredClone(change.value), enumerable: true, writable: true, configurable: true });
    }
  }
  return copy;
}

describe('Client store › the start-up check of a client file', () => {
  it('recognises every kind of record the store writes (so start-up takes the cheap path)', () => {
    expect(records.length).toBe(3);
    for (const r of records) {
      expect(clientRecordSchema.safeParse(r).success).toBe(true);
      expect(looksLikeStoredRecord(r)).toBe(true);
    }
  });

  it('never accepts a record the schema refuses: every member set to every boundary value, removed, or joined by a key', () => {
    let tried = 0;
    for (const record of records) {
      const count = members(record).length;
      for (let path = 0; path < count; path++) {
        const changes: Mutation[] = [
          { kind: 'delete', path },
          ...tricky.map((v) => ({ kind: 'set' as const, path, value: v })),
          ...['__proto__', 'extra', 'id'].map((key) => ({ kind: 'add' as const, path, key, value: 'x' })),
        ];
        for (const change of changes) {
          const candidate = mutate(record, [change]);
          tried++;
          if (looksLikeStoredRecord(candidate)) expect(clientRecordSchema.safeParse(candidate).success, JSON.stringify(change).slice(0, 200)).toBe(true);
        }
      }
    }
    expect(tried).toBeGreaterThan(5000);
  });

  it('never accepts a record the schema refuses (one to three members changed, removed or added at random)', () => {
    let refused = 0;
    fc.assert(
      fc.property(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 3 }), (pick, changes) => {
        const candidate = mutate(records[pick % records.length], changes);
        const schemaAccepts = clientRecordSchema.safeParse(candidate).success;
        if (!schemaAccepts) refused++;
        if (looksLikeStoredRecord(candidate)) expect(schemaAccepts, JSON.stringify(candidate).slice(0, 400)).toBe(true);
      }),
      fuzzParams(0x15c0de, 4000),
    );
    // The mutations do reach the schema's bounds: most candidates are invalid.
    expect(refused).toBeGreaterThan(1000);
  });
});
