/**
 * A tenant of any size (issue #15): the cost of one Management API write at 10 clients and at 10,000, and the
 * start-up time over a data directory of 10,000 clients. Part of `npm run bench` (before the scenarios), or
 * alone: `npx tsx bench/tenant-size.ts` (`--samples N`, default 200).
 *
 * Writes are timed through HTTP (POST /api/v2/clients with a real Management token, one at a time, as a CI
 * suite creating a client per test does). The tenant is filled up to 10,000 in-process (the directory's own
 * createClient: the same store code, without HTTP) so the run takes a minute, not ten. Start-up is timed twice:
 * opening the data directory (every client file read and validated) with listen, in this process; and a whole
 * `npm run server` process to its ready line (the built out/server/parley-server.js when present, else tsx).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { EventBus } from '../electron/core/events';
import { EmbeddedServer } from '../electron/core/server/embedded';
import { ServerDirectory } from '../electron/core/server/management/directory';
import { confStoreFactory } from '../electron/core/store/document-store';
import type { Spread } from './report';
import { spread } from './report';

/** What the report shows. */
export interface TenantSizeResult {
  samples: number;
  createAt10Ms: Spread;
  createAt10kMs: Spread;
  clientsAtEnd: number;
  /** The client store alone: every client file read, parsed and validated. */
  openStoreMs: Spread;
  openAndListenMs: Spread;
  processReadyMs: Spread;
  /** The 1-minute load average before and after the run: the machine is shared, so numbers depend on it. */
  loadBefore: number;
  loadAfter: number;
}

async function managementToken(server: EmbeddedServer): Promise<{ issuer: string; token: string }> {
  const running = server.requireRunning();
  const info = server.directory.bootstrapInfo();
  const res = await fetch(`${running.urls.issuer}oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: info.management.client_id,
      client_secret: info.management.client_secret,
      audience: running.urls.managementAudience,
    }),
  });
  if (res.status !== 200) throw new Error(`token: ${res.status} ${await res.text()}`);
  return { issuer: running.urls.issuer, token: ((await res.json()) as { access_token: string }).access_token };
}

async function timeCreates(server: EmbeddedServer, n: number, tag: string): Promise<number[]> {
  const { issuer, token } = await managementToken(server);
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const body = JSON.stringify({ name: `${tag}-${i}`, app_type: 'regular_web', callbacks: [`https://app${i}.example.com/callback`] });
    const started = performance.now();
    const res = await fetch(`${issuer}api/v2/clients`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body,
    });
    await res.arrayBuffer();
    times.push(performance.now() - started);
    if (res.status !== 201) throw new Error(`create: ${res.status}`);
  }
  return times;
}

function open(dataDir: string): EmbeddedServer {
  return new EmbeddedServer({ store: confStoreFactory(dataDir), notices: [], events: new EventBus(), port: 0, log: () => {} });
}

function processReady(dataDir: string): Promise<number> {
  const built = resolve('out/server/parley-server.js');
  const args = existsSync(built) ? [built] : ['--import', 'tsx', resolve('electron/cli/server.ts')];
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...args, '--port', '0', '--json', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (!out.includes('\n')) return;
      const ms = performance.now() - started;
      child.once('exit', () => resolvePromise(ms));
      child.kill('SIGTERM');
    });
    child.once('exit', (code) => {
      if (!out.includes('\n')) reject(new Error(`the server exited with ${code} before its ready line: ${err}`));
    });
  });
}

/** Runs the scenario in a scratch data directory. */
export async function measureTenantSize(log: (m: string) => void, samples = 200): Promise<TenantSizeResult> {
  const loadBefore = loadavg()[0]!;
  const scratch = mkdtempSync(join(tmpdir(), 'parley-bench-tenant-'));
  try {
    const dataDir = join(scratch, 'data');
    let server = open(dataDir);
    await server.start();
    for (let i = 0; i < 9; i++) await server.directory.createClient({ name: `seed-${i}`, app_type: 'spa' });
    await timeCreates(server, 20, 'warm');
    // The first measure starts at 10 clients; deleting the warm-up clients keeps it there.
    for (const c of server.directory.listClients().filter((x) => x.name.startsWith('warm-'))) await server.directory.deleteClient(c.client_id);
    const at10 = await timeCreates(server, samples, 'small');
    log(`tenant size: create at 10 clients, median ${spread(at10).median.toFixed(2)} ms`);
    const target = 10_000 - samples;
    const fillStart = performance.now();
    while (server.directory.clientCount() < target) {
      await server.directory.createClient({
        name: `fill-${server.directory.clientCount()}`,
        app_type: 'regular_web',
        callbacks: ['https://fill.example.com/callback'],
      });
    }
    log(`tenant size: filled to ${target} clients in ${((performance.now() - fillStart) / 1000).toFixed(1)} s`);
    const at10k = await timeCreates(server, samples, 'large');
    log(`tenant size: create at ~10,000 clients, median ${spread(at10k).median.toFixed(2)} ms`);
    const clientsAtEnd = server.directory.clientCount();
    await server.stop();

    const storeTimes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      new ServerDirectory(confStoreFactory(dataDir), []);
      storeTimes.push(performance.now() - started);
    }
    const openTimes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      server = open(dataDir);
      await server.start();
      openTimes.push(performance.now() - started);
      await server.stop();
    }
    const readyTimes: number[] = [];
    for (let i = 0; i < 5; i++) readyTimes.push(await processReady(dataDir));
    log(
      `tenant size: ${clientsAtEnd} clients: client store ${spread(storeTimes).median.toFixed(0)} ms, open + listen median ${spread(openTimes).median.toFixed(0)} ms, process to ready line median ${spread(readyTimes).median.toFixed(0)} ms`,
    );
    return {
      samples,
      createAt10Ms: spread(at10),
      createAt10kMs: spread(at10k),
      clientsAtEnd,
      openStoreMs: spread(storeTimes),
      openAndListenMs: spread(openTimes),
      processReadyMs: spread(readyTimes),
      loadBefore,
      loadAfter: loadavg()[0]!,
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** One line per measure, for the report. */
export function tenantSizeLines(r: TenantSizeResult): string[] {
  const f = (s: Spread): string => `${s.median.toFixed(2)} ms (${s.min.toFixed(2)}–${s.max.toFixed(2)})`;
  return [
    `Create a client through the API (median, min–max of ${r.samples}): at 10 clients ${f(r.createAt10Ms)}; at ${r.clientsAtEnd - r.samples}–${r.clientsAtEnd} clients ${f(r.createAt10kMs)}.`,
    `Start-up with ${r.clientsAtEnd} clients: the client store alone ${f(r.openStoreMs)}; the server opened and listening ${f(r.openAndListenMs)}; the whole process to its ready line ${f(r.processReadyMs)}.`,
    `Load average (1 min) ${r.loadBefore.toFixed(2)} before, ${r.loadAfter.toFixed(2)} after, on ${availableParallelism()} CPUs.`,
  ];
}

if (process.argv[1] && resolve(process.argv[1]) === resolve('bench/tenant-size.ts')) {
  const i = process.argv.indexOf('--samples');
  const result = await measureTenantSize((m) => console.error(`[bench] ${m}`), i > 0 ? Number(process.argv[i + 1]) : 200);
  console.log(tenantSizeLines(result).join('\n'));
}
