/**
 * Issue #13 item 8: `npm run web` takes the vault passphrase from a file or standard input, so it never sits
 * in the process's environment (/proc/<pid>/environ keeps what a process started with, whatever it deletes
 * later) or on its command line. Spawned for real, as automation would.
 */
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openVault } from '../core/vault/helpers';

const PASSPHRASE = 'automation passphrase for the cli test';
const dir = mkdtempSync(join(tmpdir(), 'parley-cli-passphrase-'));
const children: ChildProcess[] = [];

beforeAll(() => {
  // web mode serves the built renderer; the README's `npm test` builds it only for the end-to-end tests, after these.
  if (!existsSync(join(process.cwd(), 'out', 'renderer', 'index.html'))) execFileSync('npm', ['run', 'build:renderer', '--silent'], { stdio: 'inherit' });
}, 180_000);

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

interface Ready {
  url: string;
  vault: string;
}

/** Starts web mode and resolves with the process and its ready line. */
function startWeb(args: string[], stdin?: string, env: NodeJS.ProcessEnv = process.env): Promise<{ child: ChildProcess; ready: Ready }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'electron/cli/web.ts', '--port', '0', '--server-port', '0', '--json', ...args], {
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(child);
  if (stdin !== undefined) child.stdin!.write(stdin);
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line in 30 s: ${stderr}`)), 30_000);
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve({ child, ready: JSON.parse(line) as Ready });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}: ${stderr}`));
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** What /proc says of a process: its environment block and its argv. */
function procOf(pid: number): { environ: string; cmdline: string } {
  return { environ: readFileSync(`/proc/${pid}/environ`, 'latin1'), cmdline: readFileSync(`/proc/${pid}/cmdline`, 'latin1') };
}

describe('Web mode › vault passphrase for automation', () => {
  it('--passphrase-file sets up the vault, then unlocks it; the passphrase is in neither /proc/<pid>/environ nor argv', async () => {
    const dataDir = join(dir, 'file');
    const file = join(dir, 'passphrase.txt');
    writeFileSync(file, `${PASSPHRASE}\n`, { mode: 0o600 });
    const env = { ...process.env };
    delete env['PARLEY_PASSPHRASE'];

    const first = await startWeb(['--data-dir', dataDir, '--passphrase-file', file], undefined, env);
    expect(first.ready.vault).toBe('unlocked');
    const proc = procOf(first.child.pid!);
    expect(proc.environ).not.toContain(PASSPHRASE);
    expect(proc.cmdline).not.toContain(PASSPHRASE);
    await stop(first.child);

    // The vault on disk is protected by exactly that passphrase (the trailing newline is not part of it).
    const { vault } = openVault(dataDir);
    await vault.unlock(PASSPHRASE);
    expect(vault.status().state).toBe('unlocked');

    const second = await startWeb(['--data-dir', dataDir, '--passphrase-file', file], undefined, env);
    expect(second.ready.vault).toBe('unlocked');
    await stop(second.child);
  });

  it('--passphrase-stdin reads the first line of standard input, and stays out of the environment', async () => {
    const { child, ready } = await startWeb(['--data-dir', join(dir, 'stdin'), '--passphrase-stdin'], `${PASSPHRASE}\n`);
    expect(ready.vault).toBe('unlocked');
    expect(procOf(child.pid!).environ).not.toContain(PASSPHRASE);
    await stop(child);
  });

  it('PARLEY_PASSPHRASE still works, and is exactly what stays readable in /proc/<pid>/environ (the documented risk)', async () => {
    const { child, ready } = await startWeb(['--data-dir', join(dir, 'env')], undefined, { ...process.env, PARLEY_PASSPHRASE: PASSPHRASE });
    expect(ready.vault).toBe('unlocked');
    expect(procOf(child.pid!).environ).toContain(`PARLEY_PASSPHRASE=${PASSPHRASE}`);
    await stop(child);
  });

  it('names a missing passphrase file and refuses two sources at once', async () => {
    await expect(startWeb(['--data-dir', join(dir, 'missing'), '--passphrase-file', join(dir, 'no-such-file')])).rejects.toThrow(
      /--passphrase-file .*no-such-file could not be read/,
    );
    const file = join(dir, 'both.txt');
    writeFileSync(file, PASSPHRASE, { mode: 0o600 });
    await expect(startWeb(['--data-dir', join(dir, 'both'), '--passphrase-file', file, '--passphrase-stdin'], `${PASSPHRASE}\n`)).rejects.toThrow(
      /one way only/,
    );
  });
});
