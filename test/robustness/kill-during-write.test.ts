/**
 * Killing the headless server (`npm run server`, a real child process) with SIGKILL while Management API
 * writes stream in, at seeded-random points, several times over the same data directory. After every kill:
 * every JSON file in the data directory, and every client's file in clients/, parses and passes its schema
 * (the stores write atomically: temp file, fsync, rename), and the restarted server still has every write
 * that was acknowledged (2xx) before the kill. Writes in flight at the kill may or may not have landed; none
 * may be half-applied. The first run starts from an older Parley's clients.json, which is migrated.
 */
import { generateKeyPairSync } from 'node:crypto';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { ServerSettingsStore } from '../../electron/core/server/settings';
import { CLIENTS_FOLDER, clientRecordSchema, recordFileName } from '../../electron/core/server/state/client-records';
import { ServerDirectory } from '../../electron/core/server/management/directory';
import { confStoreFactory } from '../../electron/core/store/document-store';
import type { StoreNotice } from '../../shared/schemas/app';

interface Ready {
  issuer: string;
  management: { client_id: string; client_secret: string; audience: string };
}

const KILLS = 3;
const WORKERS = 6;
const SEED = 0x5eed;
const root = mkdtempSync(join(tmpdir(), 'parley-kill-'));
const dataDir = join(root, 'data');
const children = new Set<ChildProcess>();
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

/** A small seeded PRNG (mulberry32): the kill points are random but the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function startServer(): Promise<{ child: ChildProcess; ready: Ready; exited: Promise<NodeJS.Signals | number | null> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'electron/cli/server.ts', '--port', '0', '--data-dir', dataDir, '--json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve(signal ?? code);
    }),
  );
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line in 60 s: ${stderr}`)), 60_000);
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve({ child, ready: JSON.parse(line) as Ready, exited });
    });
    void exited.then((how) => reject(new Error(`the server exited (${String(how)}) before its ready line: ${stderr}`)));
  });
}

async function managementToken(ready: Ready): Promise<string> {
  const res = await fetch(`${ready.issuer}oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: ready.management.client_id,
      client_secret: ready.management.client_secret,
      audience: ready.management.audience,
    }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** What the server acknowledged, across all runs. */
interface Acked {
  /** client_id → the highest description sequence number acknowledged (-1: created, never patched). */
  clients: Map<string, number>;
  /** credential id → its client. */
  credentials: Map<string, string>;
  users: Set<string>;
}

/** Every JSON file parses; each document passes its schema (opened on a copy, so nothing is moved aside here). */
function expectValidDataDir(): void {
  const names = readdirSync(dataDir);
  const json = names.filter((n) => n.endsWith('.json'));
  expect(json).toEqual(expect.arrayContaining(['users.json']));
  expect(json).not.toContain('clients.json'); // migrated at the first start
  for (const name of json) expect(() => JSON.parse(readFileSync(join(dataDir, name), 'utf8')), name).not.toThrow();
  const clientFiles = readdirSync(join(dataDir, CLIENTS_FOLDER));
  for (const name of clientFiles.filter((n) => n.endsWith('.json'))) {
    const record = clientRecordSchema.safeParse(JSON.parse(readFileSync(join(dataDir, CLIENTS_FOLDER, name), 'utf8')));
    expect(record.success, name).toBe(true);
    expect(recordFileName(record.data!.client.client_id)).toBe(name);
  }
  expect([...names, ...clientFiles].filter((n) => n.includes('.corrupt-'))).toEqual([]);
  const copy = mkdtempSync(join(root, 'check-'));
  cpSync(dataDir, copy, { recursive: true });
  const notices: StoreNotice[] = [];
  new ServerDirectory(confStoreFactory(copy), notices);
  new ServerSettingsStore(confStoreFactory(copy), notices);
  expect(notices).toEqual([]);
}

/** The restarted server has every acknowledged write (a patch may have been overtaken by a later, unacknowledged one). */
async function expectAcknowledged(ready: Ready, token: string, acked: Acked): Promise<void> {
  const auth = { authorization: `Bearer ${token}` };
  // The list endpoints page (at most 100 per page, Auth0's maximum): read every page.
  const all = async <T>(path: string): Promise<T[]> => {
    const out: T[] = [];
    for (let page = 0; ; page++) {
      const batch = (await (await fetch(`${ready.issuer}${path}?per_page=100&page=${page}`, { headers: auth })).json()) as T[];
      out.push(...batch);
      if (batch.length < 100) return out;
    }
  };
  const clients = await all<{ client_id: string; description?: string }>('api/v2/clients');
  const byId = new Map(clients.map((c) => [c.client_id, c]));
  for (const [id, seq] of acked.clients) {
    const c = byId.get(id);
    expect(c, `acknowledged client ${id}`).toBeDefined();
    if (seq >= 0) expect(Number(c!.description?.slice(1)), `description of ${id}`).toBeGreaterThanOrEqual(seq);
  }
  const byClient = new Map<string, string[]>();
  for (const [id, client] of acked.credentials) byClient.set(client, [...(byClient.get(client) ?? []), id]);
  for (const [client, ids] of byClient) {
    const listed = (await (await fetch(`${ready.issuer}api/v2/clients/${client}/credentials`, { headers: auth })).json()) as { id: string }[];
    expect(listed.map((c) => c.id)).toEqual(expect.arrayContaining(ids));
  }
  const users = await all<{ email: string }>('api/v2/users');
  expect(users.map((u) => u.email)).toEqual(expect.arrayContaining([...acked.users]));
}

/** clients.json as Parley wrote it before one file per client: one client with a client grant. */
function legacyDocument(clientId: string): Record<string, unknown> {
  const at = '2026-01-01T00:00:00.000Z';
  return {
    version: 1,
    clients: [
      {
        client_id: clientId,
        client_secret: 'legacy-secret-0123456789abcdefghijklmnopqrstuvwxyz',
        name: 'Legacy',
        app_type: 'non_interactive',
        is_first_party: true,
        is_token_endpoint_ip_header_trusted: false,
        oidc_conformant: false,
        jwt_configuration: { secret_encoded: false, lifetime_in_seconds: 36000 },
        sso_disabled: false,
        cross_origin_authentication: false,
        grant_types: ['client_credentials'],
        custom_login_page_on: true,
        token_endpoint_auth_method: 'client_secret_post',
        refresh_token: {
          rotation_type: 'non-rotating',
          expiration_type: 'non-expiring',
          leeway: 0,
          token_lifetime: 31557600,
          infinite_token_lifetime: true,
          infinite_idle_token_lifetime: true,
          idle_token_lifetime: 2592000,
        },
        created_at: at,
      },
    ],
    credentials: [],
    grants: [{ id: 'cgr_legacy1', client_id: clientId, audience: 'https://api.example.com/', scope: ['read:things'], created_at: at }],
  };
}

describe('Robustness › SIGKILL during writes', () => {
  it(`keeps a valid data directory and every acknowledged write across ${KILLS} kills at random points`, { timeout: 240_000 }, async () => {
    const random = prng(SEED);
    const pems = Array.from({ length: 4 }, () =>
      generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    );
    const acked: Acked = { clients: new Map(), credentials: new Map(), users: new Set() };
    let ackedTotal = 0;
    // An older Parley's data directory: one clients.json for every client. The first start migrates it.
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'clients.json'), JSON.stringify(legacyDocument('legacy-client-1')));
    acked.clients.set('legacy-client-1', -1);

    for (let run = 0; run <= KILLS; run++) {
      const { child, ready, exited } = await startServer();
      const token = await managementToken(ready);
      if (run > 0) await expectAcknowledged(ready, token, acked);
      // A write the kill interrupted leaves its temp file; opening the documents removed it.
      expect([...readdirSync(dataDir), ...readdirSync(join(dataDir, CLIENTS_FOLDER))].filter((n) => n.includes('.tmp-'))).toEqual([]);
      if (run === KILLS) {
        child.kill('SIGTERM');
        expect(await exited).toBe(0);
        break;
      }

      // Stream writes from several workers until `killAfter` more have been acknowledged, then SIGKILL.
      const killAfter = 15 + Math.floor(random() * 45);
      const target = ackedTotal + killAfter;
      let killed = false;
      const kill = (): void => {
        if (killed) return;
        killed = true;
        child.kill('SIGKILL');
      };
      const ack = (): void => {
        ackedTotal += 1;
        if (ackedTotal >= target) kill();
      };
      const call = async (method: string, path: string, body: unknown): Promise<Record<string, unknown> | undefined> => {
        try {
          const res = await fetch(`${ready.issuer}${path}`, {
            method,
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify(body),
            signal: AbortSignal.timeout(30_000),
          });
          if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
          return (await res.json()) as Record<string, unknown>;
        } catch (e) {
          if (killed) return undefined; // in flight at the kill: its outcome is unknown
          throw e;
        }
      };
      const worker = async (w: number): Promise<void> => {
        const mine: string[] = [];
        for (let n = 0; !killed; n++) {
          const pick = random();
          if (mine.length === 0 || pick < 0.35) {
            const created = await call('POST', 'api/v2/clients', {
              name: `run${run}-w${w}-${n}`,
              app_type: 'regular_web',
              callbacks: [`https://w${w}.example.com/cb`],
            });
            if (created === undefined) return;
            const id = created.client_id as string;
            mine.push(id);
            acked.clients.set(id, -1);
            ack();
          } else if (pick < 0.8) {
            const id = mine[Math.floor(random() * mine.length)]!;
            const seq = n;
            if ((await call('PATCH', `api/v2/clients/${id}`, { description: `v${seq}` })) === undefined) return;
            acked.clients.set(id, Math.max(acked.clients.get(id) ?? -1, seq));
            ack();
          } else if (pick < 0.95) {
            const id = mine[Math.floor(random() * mine.length)]!;
            if ([...acked.credentials.values()].filter((c) => c === id).length >= pems.length) continue;
            const used = [...acked.credentials.values()].filter((c) => c === id).length;
            const cred = await call('POST', `api/v2/clients/${id}/credentials`, {
              name: `c${n}`,
              credential_type: 'public_key',
              pem: pems[used],
              alg: 'RS256',
            });
            if (cred === undefined) return;
            acked.credentials.set(cred.id as string, id);
            ack();
          } else {
            const email = `run${run}-w${w}-${n}@example.com`;
            if ((await call('POST', 'api/v2/users', { email, password: 'correct horse battery staple' })) === undefined) return;
            acked.users.add(email);
            ack();
          }
        }
      };
      await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
      expect(await exited).toBe('SIGKILL');
      expectValidDataDir();
    }
    expect(acked.clients.size).toBeGreaterThan(KILLS * 5);
  });
});

describe('Robustness › what an interrupted write leaves', () => {
  it('is removed when the store is next opened; the records themselves are read as they were', async () => {
    const dir = join(root, 'leftovers');
    mkdirSync(dir);
    const first = new ServerDirectory(confStoreFactory(dir), []);
    const kept = await first.createClient({ name: 'kept', app_type: 'non_interactive' });
    const clientsDir = join(dir, CLIENTS_FOLDER);
    const file = recordFileName(kept.client_id);
    // What atomically leaves when the process dies between writing its temp file and renaming it.
    writeFileSync(join(clientsDir, `${file}.tmp-1795383350abc123`), '{"version":1,"client":{"client_id":"half-writ');
    writeFileSync(join(dir, 'users.json.tmp-17953833501f2e3d'), '');
    writeFileSync(join(clientsDir, `${file}.corrupt-2026-01-01`), 'kept for the user');
    const notices: StoreNotice[] = [];
    const directory = new ServerDirectory(confStoreFactory(dir), notices);
    expect(notices).toEqual([]);
    expect(directory.listClients().map((c) => c.name)).toEqual(['kept']);
    expect(readdirSync(dir).filter((n) => n.includes('.tmp-'))).toEqual([]);
    expect(readdirSync(clientsDir).sort()).toEqual([file, `${file}.corrupt-2026-01-01`]);
  });
});
