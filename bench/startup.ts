/**
 * Start time of the headless server (issue #15: "ready in ≤ 400 ms"), measured the way a CI job meets it:
 * spawn `node out/server/parley-server.js --port 0 --json` with a fresh data directory and time until its
 * ready line is on stdout; the same for oidc-provider (bench/oidc-provider-start.mjs). The two alternate,
 * N times each; the report gives the median (min–max). Built first (`npm run build:server`) so the file
 * measured is the current source.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Spread } from './report';
import { spread } from './report';

/** What the report shows. */
export interface StartupResult {
  runs: number;
  /** A first start: the data directory is created (clients.json, users.json, the Management client). */
  parleyFirstMs: Spread;
  /** A start over the data directory of an earlier start, as a CI job restarting the server. */
  parleyAgainMs: Spread;
  oidcProviderMs: Spread;
}

/** Milliseconds from spawn to the first stdout line. */
function timeToReadyLine(args: string[]): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let buffered = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdout.on('data', (c: Buffer) => {
      buffered += c.toString();
      if (!buffered.includes('\n')) return;
      const ms = performance.now() - started;
      child.once('exit', () => resolvePromise(ms));
      child.kill('SIGTERM');
    });
    child.once('exit', (code) => {
      if (!buffered.includes('\n')) reject(new Error(`${args.join(' ')} exited with ${code} before its ready line: ${stderr}`));
    });
  });
}

/** Builds the server, then measures `runs` starts of each. */
export async function measureStartup(runs: number, log: (m: string) => void): Promise<StartupResult> {
  const built = spawnSync(process.execPath, [resolve('node_modules/vite/bin/vite.js'), 'build', '--config', 'vite.server.config.ts'], { encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`npm run build:server failed: ${built.stderr}`);
  const entry = resolve('out/server/parley-server.js');
  const reference = resolve('bench/oidc-provider-start.mjs');
  const scratch = mkdtempSync(join(tmpdir(), 'parley-bench-start-'));
  const first: number[] = [];
  const again: number[] = [];
  const oidc: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const dataDir = join(scratch, `d${i}`);
      first.push(await timeToReadyLine([entry, '--port', '0', '--json', '--data-dir', dataDir]));
      again.push(await timeToReadyLine([entry, '--port', '0', '--json', '--data-dir', dataDir]));
      oidc.push(await timeToReadyLine([reference]));
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const result = { runs, parleyFirstMs: spread(first), parleyAgainMs: spread(again), oidcProviderMs: spread(oidc) };
  log(
    `start-up: parley-server ${result.parleyAgainMs.median.toFixed(0)} ms (first start ${result.parleyFirstMs.median.toFixed(0)} ms), oidc-provider ${result.oidcProviderMs.median.toFixed(0)} ms (medians of ${runs})`,
  );
  return result;
}
