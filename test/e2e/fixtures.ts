/**
 * Playwright fixtures: every test gets its own web-mode Parley (a real Node process running the core and
 * serving the built renderer) over its own temporary data directory.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test as base } from '@playwright/test';

/** What web mode prints when ready (`--json`). */
export interface ReadyLine {
  url: string;
  issuer?: string;
  management?: { client_id: string; client_secret: string; audience: string };
  users?: { email: string; password: string }[];
  dataDir: string;
}

/** A running web-mode Parley. */
export interface ParleyProcess {
  /** The first launch URL; it works once (one page, which keeps working across reloads). */
  url: string;
  ready: ReadyLine;
  origin: string;
  dataDir: string;
  /** Asks for another launch URL the way a user does (a line on standard input), for another page or context. */
  newLaunchUrl(): Promise<string>;
  /** Stops the process (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
}

/** Starts `electron/cli/web.ts --json` and resolves once it prints its ready line. */
export async function launchParley(dataDir: string, env: Record<string, string> = {}): Promise<ParleyProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'electron/cli/web.ts', '--port', '0', '--server-port', '0', '--data-dir', dataDir, '--json'],
    {
      cwd: process.cwd(),
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  // Every stdout line is JSON: the ready line first, then one {"url"} per line written to stdin.
  const waiting: { resolve: (line: string) => void; reject: (e: Error) => void }[] = [];
  const lines = createInterface({ input: child.stdout! });
  lines.on('line', (line) => waiting.shift()?.resolve(line));
  child.once('exit', (code) => {
    for (const waiter of waiting.splice(0)) waiter.reject(new Error(`web mode exited with ${code}\n${stderr}`));
  });
  const nextLine = (what: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`web mode printed no ${what} in 30 s\n${stderr}`)), 30_000);
      waiting.push({
        resolve: (line) => {
          clearTimeout(timer);
          try {
            resolve(JSON.parse(line) as Record<string, unknown>);
          } catch {
            reject(new Error(`unexpected line instead of the ${what}: ${line}\n${stderr}`));
          }
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
    });
  const ready = (await nextLine('ready line')) as unknown as ReadyLine;
  return {
    url: ready.url,
    ready,
    origin: new URL(ready.url).origin,
    dataDir,
    async newLaunchUrl() {
      const next = nextLine('new launch URL');
      child.stdin!.write('\n');
      const { url } = await next;
      if (typeof url !== 'string') throw new Error(`web mode answered a request for a launch URL without one: ${JSON.stringify(url)}`);
      return url;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Where screenshots land, to be looked at. */
export const SCREENSHOT_DIR = join(process.cwd(), 'test-results', 'screenshots');
mkdirSync(SCREENSHOT_DIR, { recursive: true });

export const test = base.extend<{ workDir: string; parley: ParleyProcess }>({
  // eslint-disable-next-line no-empty-pattern
  workDir: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-e2e-'));
    await use(dir);
    rmSync(dir, { recursive: true, force: true });
  },
  parley: async ({ workDir }, use) => {
    const parley = await launchParley(join(workDir, 'data'));
    await use(parley);
    await parley.stop();
  },
});

export { expect } from '@playwright/test';
