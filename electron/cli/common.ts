/**
 * What the command-line hosts share: the package version, the default data directory, the vault
 * passphrase for automation (a file, stdin, or the environment), and graceful shutdown.
 */
import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { Core } from '../core/host/core';
import { isParleyError } from '../../shared/errors';

/** The repository root (this file is electron/cli/common.ts). */
export const REPO_ROOT = new URL('../../', import.meta.url);

/** Parley's version from package.json. */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('package.json', REPO_ROOT), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
}

/** The default data directory of a headless or web-mode Parley: PARLEY_DATA_DIR, else the platform's data folder. */
export function defaultDataDir(kind: 'web' | 'server'): string {
  const fromEnv = process.env['PARLEY_DATA_DIR'];
  if (fromEnv) return fromEnv;
  const name = kind === 'web' ? 'parley-web' : 'parley-server';
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', name);
  if (process.platform === 'win32') return join(process.env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'), name);
  return join(process.env['XDG_DATA_HOME'] ?? join(homedir(), '.local', 'share'), name);
}

/** Where the automation passphrase came from, to name it in errors. */
export type PassphraseSource = '--passphrase-file' | '--passphrase-stdin' | 'PARLEY_PASSPHRASE';

/** The vault passphrase given for automation, and where it came from. */
export interface GivenPassphrase {
  passphrase: string;
  source: PassphraseSource;
}

// A passphrase is one line; anything longer than the contract accepts is not one.
const MAX_PASSPHRASE_BYTES = 1024;

/** The passphrase in a file's or stdin's text: its first line (the newline `echo` or an editor adds is not part of it). */
function oneLine(text: string, source: PassphraseSource): string {
  const passphrase = text.split(/\r?\n/, 1)[0] ?? '';
  if (passphrase === '') fail(`${source} gave an empty passphrase`);
  if (Buffer.byteLength(passphrase) > MAX_PASSPHRASE_BYTES) fail(`${source} gave more than ${MAX_PASSPHRASE_BYTES} bytes; it must hold the passphrase alone`);
  return passphrase;
}

/** The first line of standard input; the rest stays for the command (web mode reads launch-URL requests there). */
function readFirstStdinLine(): Promise<string> {
  return new Promise((resolve) => {
    const lines = createInterface({ input: process.stdin, terminal: false });
    let first: string | undefined;
    lines.once('line', (line) => {
      first = line;
      lines.close();
    });
    lines.once('close', () => resolve(first ?? ''));
  });
}

/**
 * The vault passphrase for automation: `--passphrase-file FILE`, `--passphrase-stdin`, or PARLEY_PASSPHRASE
 * (at most one). The variable is removed from this process's environment either way so no child inherits
 * it, but /proc/<pid>/environ of this process and of the shell that exported it keeps the value it started
 * with: prefer the file (mode 0600) or stdin, which leave no trace in the environment or the command line.
 * Only the first line of a file or of stdin is read (a trailing newline is not part of the passphrase).
 */
export async function givenPassphrase(args: { 'passphrase-file'?: string; 'passphrase-stdin'?: boolean }): Promise<GivenPassphrase | undefined> {
  const fromEnv = process.env['PARLEY_PASSPHRASE'];
  delete process.env['PARLEY_PASSPHRASE'];
  const file = args['passphrase-file'];
  const given = [file !== undefined, args['passphrase-stdin'] === true, Boolean(fromEnv)].filter(Boolean).length;
  if (given > 1) fail('give the vault passphrase one way only: --passphrase-file, --passphrase-stdin or PARLEY_PASSPHRASE');
  if (file !== undefined) {
    let text: string;
    try {
      if ((statSync(file).mode & 0o077) !== 0 && process.platform !== 'win32') {
        console.error(`parley: warning: ${file} can be read by other users; keep it readable by you only (chmod 600).`);
      }
      text = readFileSync(file, 'utf8');
    } catch (e) {
      fail(`--passphrase-file ${file} could not be read`, e);
    }
    return { passphrase: oneLine(text, '--passphrase-file'), source: '--passphrase-file' };
  }
  if (args['passphrase-stdin'] === true) return { passphrase: oneLine(await readFirstStdinLine(), '--passphrase-stdin'), source: '--passphrase-stdin' };
  return fromEnv ? { passphrase: fromEnv, source: 'PARLEY_PASSPHRASE' } : undefined;
}

/** Unlocks (or first sets up) a passphrase vault with the automation passphrase. */
export async function unlockWith(core: Core, passphrase: string): Promise<void> {
  const status = core.vault.status();
  if (status.protector !== 'passphrase') return;
  if (status.state === 'uninitialized') await core.vault.setup(passphrase);
  else if (status.state === 'locked') await core.vault.unlock(passphrase);
}

/** Closes everything once on SIGINT/SIGTERM, then exits. */
export function onShutdown(close: () => Promise<void>): void {
  let closing = false;
  const handler = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    close()
      .catch((e: unknown) => console.error(`[parley] error while shutting down after ${signal}:`, e))
      .finally(() => process.exit(0));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

/** Prints an error the user can act on and exits with status 1. */
export function fail(message: string, error?: unknown): never {
  const detail = error === undefined ? '' : isParleyError(error) ? `: ${error.message}` : error instanceof Error ? `: ${error.message}` : `: ${String(error)}`;
  console.error(`parley: ${message}${detail}`);
  process.exit(1);
}

/** Parses a TCP port argument (0 = any free port). */
export function parsePort(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a whole number from 0 to 65535, not ${JSON.stringify(value)}`);
  return port;
}

/** The options every Parley command takes. */
const SHARED_OPTIONS = {
  port: { type: 'string' },
  'data-dir': { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/**
 * Parses a command's arguments: the shared --port, --data-dir, --json, --help plus the command's own string,
 * boolean and repeatable string options. --help prints the usage and exits 0; a bad argument is named, with
 * the usage, and exits 1.
 */
export function parseCommandLine<K extends string, B extends string = never, L extends string = never>(
  ownStringOptions: readonly K[],
  usage: string,
  ownBooleanOptions: readonly B[] = [],
  ownListOptions: readonly L[] = [],
): { port?: string; 'data-dir'?: string; json: boolean } & Partial<Record<K, string>> & Partial<Record<B, boolean>> & Partial<Record<L, string[]>> {
  const options = {
    ...SHARED_OPTIONS,
    ...Object.fromEntries(ownStringOptions.map((name) => [name, { type: 'string' as const }])),
    ...Object.fromEntries(ownBooleanOptions.map((name) => [name, { type: 'boolean' as const }])),
    ...Object.fromEntries(ownListOptions.map((name) => [name, { type: 'string' as const, multiple: true }])),
  };
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    values = parseArgs({ options, strict: true }).values as Record<string, string | boolean | string[] | undefined>;
  } catch (e) {
    fail(`${e instanceof Error ? e.message : String(e)}\n\n${usage}`);
  }
  if (values['help']) {
    console.log(usage);
    process.exit(0);
  }
  return values as { port?: string; 'data-dir'?: string; json: boolean } & Partial<Record<K, string>> &
    Partial<Record<B, boolean>> &
    Partial<Record<L, string[]>>;
}
