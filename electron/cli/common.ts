/**
 * What the command-line hosts share: the package version, the default data directory, the
 * passphrase from the environment, and graceful shutdown.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
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

/**
 * Unlocks (or first sets up) the vault with PARLEY_PASSPHRASE, for automation. The variable is removed
 * from the environment afterwards so no child process inherits it.
 */
export async function unlockFromEnvironment(core: Core): Promise<void> {
  const passphrase = process.env['PARLEY_PASSPHRASE'];
  delete process.env['PARLEY_PASSPHRASE'];
  if (!passphrase) return;
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
 * Parses a command's arguments: the shared --port, --data-dir, --json, --help plus the command's own string
 * options. --help prints the usage and exits 0; a bad argument is named, with the usage, and exits 1.
 */
export function parseCommandLine<K extends string>(
  ownStringOptions: readonly K[],
  usage: string,
): { port?: string; 'data-dir'?: string; json: boolean } & Partial<Record<K, string>> {
  const options = { ...SHARED_OPTIONS, ...Object.fromEntries(ownStringOptions.map((name) => [name, { type: 'string' as const }])) };
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ options, strict: true }).values as Record<string, string | boolean | undefined>;
  } catch (e) {
    fail(`${e instanceof Error ? e.message : String(e)}\n\n${usage}`);
  }
  if (values['help']) {
    console.log(usage);
    process.exit(0);
  }
  return values as { port?: string; 'data-dir'?: string; json: boolean } & Partial<Record<K, string>>;
}
