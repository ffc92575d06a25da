/**
 * Parallel Management API writes lose nothing: 200 clients created at once, then, all at the same time,
 * a PATCH of every client and a second one (another member) of half of them, credentials created, more clients created
 * and client grants added. Every write that was acknowledged (2xx) must be visible in GET and in
 * the client files after a reload from disk. Each write reads a client's record, changes it and writes it
 * back, so a lost update (a read-modify-write interleaved with another) would show here.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerDirectory } from '../../electron/core/server/management/directory';
import { confStoreFactory } from '../../electron/core/store/document-store';
import type { Harness } from '../unit/electron/core/server/management/helpers';
import { startServer } from '../unit/electron/core/server/management/helpers';
import type { StoreNotice } from '../../shared/schemas/app';

const N = 200;
const LATE = 30;
let h: Harness;
let token: string;

beforeAll(async () => {
  h = await startServer();
  token = await h.token();
}, 60_000);
afterAll(async () => {
  await h?.close();
});

interface Created {
  client_id: string;
}

async function write(method: string, path: string, body: unknown): Promise<{ status: number; json: () => unknown }> {
  const res = await h.call(method, path, { body, token });
  return { status: res.status, json: () => res.json() };
}

describe('Robustness › parallel Management API writes', () => {
  it(`keeps every acknowledged write of ${N} parallel creates, then parallel PATCHes, credentials, creates and grants`, { timeout: 180_000 }, async () => {
    // Phase 1: N creates at once.
    const creates = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        write('POST', '/api/v2/clients', { name: `parallel-${i}`, app_type: 'regular_web', callbacks: [`https://app${i}.example.com/cb`] }),
      ),
    );
    expect(creates.map((r) => r.status)).toEqual(Array.from({ length: N }, () => 201));
    const ids = creates.map((r) => (r.json() as Created).client_id);
    expect(new Set(ids).size).toBe(N);

    // Phase 2, all concurrently: two PATCHes of different members per client, credentials, creates, grants.
    const pems = Array.from({ length: 8 }, () =>
      generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    );
    const credentialTargets = ids.slice(0, 40);
    const grantTargets = ids.slice(40, 80);
    const ops: Promise<{ kind: string; i: number; status: number; json: () => unknown }>[] = [];
    const tag = <T extends { status: number; json: () => unknown }>(kind: string, i: number, p: Promise<T>) =>
      p.then((r) => ({ kind, i, status: r.status, json: r.json }));
    ids.forEach((id, i) => {
      ops.push(tag('description', i, write('PATCH', `/api/v2/clients/${id}`, { description: `described-${i}` })));
      // Half the clients get a second, concurrent PATCH of another member: both must survive.
      if (i % 2 === 0) ops.push(tag('logout', i, write('PATCH', `/api/v2/clients/${id}`, { allowed_logout_urls: [`https://app${i}.example.com/bye`] })));
    });
    credentialTargets.forEach((id, i) =>
      ops.push(
        tag(
          'credential',
          i,
          write('POST', `/api/v2/clients/${id}/credentials`, { name: `cred-${i}`, credential_type: 'public_key', pem: pems[i % pems.length], alg: 'RS256' }),
        ),
      ),
    );
    grantTargets.forEach((id, i) =>
      ops.push(tag('grant', i, write('POST', '/api/v2/client-grants', { client_id: id, audience: `https://api${i}.example.com/`, scope: [`read:thing${i}`] }))),
    );
    for (let i = 0; i < LATE; i++)
      ops.push(tag('create', i, write('POST', '/api/v2/clients', { name: `late-${i}`, app_type: 'spa', callbacks: [`https://late${i}.example.com/cb`] })));
    const results = await Promise.all(ops);
    const failures = results.filter((r) => r.status >= 300);
    expect(failures.map((r) => `${r.kind} ${r.i}: ${r.status}`)).toEqual([]);

    const credentialIds = results.filter((r) => r.kind === 'credential').map((r) => ({ i: r.i, id: (r.json() as { id: string }).id }));
    const grantIds = results.filter((r) => r.kind === 'grant').map((r) => ({ i: r.i, id: (r.json() as { id: string }).id }));
    const lateIds = results.filter((r) => r.kind === 'create').map((r) => (r.json() as Created).client_id);

    /** Checks a directory view (the live server, then one reloaded from disk) against every acknowledged write. */
    const expectAll = (
      clients: Record<string, unknown>[],
      credentialsOf: (clientId: string) => { id: string; name: string }[],
      grants: { id: string; client_id: string }[],
    ) => {
      const byId = new Map(clients.map((c) => [c.client_id as string, c]));
      ids.forEach((id, i) => {
        const c = byId.get(id);
        expect(c, `client ${i}`).toBeDefined();
        expect(c!.name).toBe(`parallel-${i}`);
        expect(c!.description, `client ${i} description`).toBe(`described-${i}`);
        expect(c!.allowed_logout_urls ?? [], `client ${i} logout URLs`).toEqual(i % 2 === 0 ? [`https://app${i}.example.com/bye`] : []);
        expect(c!.callbacks).toEqual([`https://app${i}.example.com/cb`]);
      });
      for (const id of lateIds) expect(byId.has(id)).toBe(true);
      for (const { i, id } of credentialIds) expect(credentialsOf(credentialTargets[i]!).map((c) => c.id)).toContain(id);
      const grantSet = new Set(grants.map((g) => g.id));
      for (const { id } of grantIds) expect(grantSet.has(id)).toBe(true);
    };

    // Over HTTP.
    // The list endpoints page (at most 100 per page, Auth0's maximum): read every page.
    const all = async <T>(path: string): Promise<T[]> => {
      const out: T[] = [];
      for (let page = 0; ; page++) {
        const batch = (await h.call('GET', `${path}?per_page=100&page=${page}`, { token })).json<T[]>();
        out.push(...batch);
        if (batch.length < 100) return out;
      }
    };
    const listed = await all<Record<string, unknown>>('/api/v2/clients');
    expect(listed.length).toBe(N + LATE + 1);
    const credentialsOverHttp = new Map<string, { id: string; name: string }[]>();
    for (const id of credentialTargets) credentialsOverHttp.set(id, (await h.call('GET', `/api/v2/clients/${id}/credentials`, { token })).json());
    const grantsOverHttp = await all<{ id: string; client_id: string }>('/api/v2/client-grants');
    expectAll(listed, (id) => credentialsOverHttp.get(id) ?? [], grantsOverHttp);

    // From disk: a fresh directory over the same files, as after a restart.
    const notices: StoreNotice[] = [];
    const reloaded = new ServerDirectory(confStoreFactory(h.dir), notices);
    expect(notices).toEqual([]);
    expectAll(reloaded.listClients() as unknown as Record<string, unknown>[], (id) => reloaded.listCredentials(id), reloaded.listClientGrants());
  });
});
