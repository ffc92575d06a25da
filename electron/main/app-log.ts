/**
 * The app's log file (`parley.log` under Electron's logs folder; Help › Show logs), so a user can attach
 * it to a bug report. The main process's console (its own lines and the core's host log) is copied here,
 * redacted first: the flows' redaction (secret form, query and JSON fields, Authorization headers), and
 * beyond it every JWT and PEM block and token-carrying parameter, since a log line is never something to
 * inspect. Rotated by size: `parley.log`, `parley.1.log`, `parley.2.log` (oldest), 1 MB each by default.
 * Plain Node; a log that cannot be written is reported once on stderr and never stops the app.
 */
import { appendFileSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import { REDACTED, SECRET_FIELDS, redactUrl } from '../core/flows/redact';

/** Parameter and member names whose values never reach the log (on top of the flows' secret fields). */
const LOG_SECRET_FIELDS: ReadonlySet<string> = new Set([
  ...SECRET_FIELDS,
  'token',
  'access_token',
  'id_token',
  'logout_token',
  'client_assertion',
  'assertion',
  'request',
  'passphrase',
  'vaultPassphrase',
  'secret',
  'private_key',
  'd',
]);

const names = [...LOG_SECRET_FIELDS].map((n) => n.replace(/[^A-Za-z0-9_]/g, '')).join('|');
/** `name=value` in a query, a form body or free text. */
const PARAM = new RegExp(`(^|[?&\\s;,(])(${names})=([^&\\s#"',;)]+)`, 'g');
/** `"name": "value"` in JSON. */
const JSON_MEMBER = new RegExp(`("(?:${names})"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'g');
/** A compact JWS or JWE: its header is base64url JSON, so it starts with `ey`. */
const JWT = /\bey[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*){0,2}/g;
const PEM = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?(?:-----END \1-----|$)/g;
const AUTHORIZATION = /\b(authorization"?\s*[:=]\s*"?)(\w+)\s+[^\s",]+/gi;
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi;

/** A log line with every secret the log must not hold replaced. */
export function redactLogText(text: string): string {
  return text
    .replace(PEM, (_m, label: string) => `[${label.trim().toLowerCase()} ${REDACTED}]`)
    .replace(JWT, `[token ${REDACTED}]`)
    .replace(URL_IN_TEXT, (url) => redactUrl(url))
    .replace(AUTHORIZATION, (_m, name: string, scheme: string) => `${name}${scheme} ${REDACTED}`)
    .replace(PARAM, (_m, before: string, name: string) => `${before}${name}=${REDACTED}`)
    .replace(JSON_MEMBER, (_m, member: string) => `${member}"${REDACTED}"`);
}

/** How the log is kept. */
export interface AppLogOptions {
  /** The folder (Electron's `logs` path). */
  readonly dir: string;
  /** Rotate when the current file would grow past this (bytes). */
  readonly maxBytes?: number;
  /** How many files are kept, the current one included. */
  readonly files?: number;
  /**
   * The wall clock. Not the core's clock (electron/core/clock.ts), whose offset simulates the embedded
   * server's skew: a bug report needs real times.
   */
  readonly now?: () => Date;
  /** Where a failure to write is reported (once). */
  readonly onError?: (message: string) => void;
}

/** The rotating, redacted log file. */
export class AppLog {
  /** The current file. */
  readonly path: string;
  readonly #dir: string;
  readonly #maxBytes: number;
  readonly #files: number;
  readonly #now: () => Date;
  readonly #onError: (message: string) => void;
  #size: number | undefined;
  #failed = false;

  constructor(options: AppLogOptions) {
    this.#dir = options.dir;
    this.#maxBytes = options.maxBytes ?? 1024 * 1024;
    this.#files = Math.max(1, options.files ?? 3);
    this.#now = options.now ?? (() => new Date());
    this.#onError = options.onError ?? ((m) => process.stderr.write(`${m}\n`));
    this.path = this.file(0);
  }

  /** The n-th file: 0 is the current one, the highest the oldest. */
  file(n: number): string {
    return join(this.#dir, n === 0 ? 'parley.log' : `parley.${n}.log`);
  }

  /** Appends one line (redacted, timestamped, level-tagged). */
  write(level: string, message: string): void {
    const line = `${this.#now().toISOString()} ${level.toUpperCase().padEnd(5)} ${redactLogText(message).replace(/\r?\n(?!$)/g, '\n    ')}\n`;
    try {
      if (this.#size === undefined) {
        mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
        this.#size = sizeOf(this.path);
      }
      const bytes = Buffer.byteLength(line);
      if (this.#size > 0 && this.#size + bytes > this.#maxBytes) this.#rotate();
      appendFileSync(this.path, line, { mode: 0o600 });
      this.#size += bytes;
    } catch (e) {
      // A full disk or a read-only folder must not take the app down; say it once.
      this.#size = undefined;
      if (!this.#failed) this.#onError(`[parley] cannot write the log file ${this.path}: ${e instanceof Error ? e.message : String(e)}`);
      this.#failed = true;
    }
  }

  #rotate(): void {
    rmSync(this.file(this.#files - 1), { force: true });
    for (let n = this.#files - 2; n >= 0; n--) {
      if (exists(this.file(n))) renameSync(this.file(n), this.file(n + 1));
    }
    this.#size = 0;
  }
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

type ConsoleMethod = 'debug' | 'log' | 'info' | 'warn' | 'error';
const METHODS: readonly ConsoleMethod[] = ['debug', 'log', 'info', 'warn', 'error'];

/**
 * Copies everything written through `target`'s methods to the log (after the console has it, unchanged).
 * Returns the function that puts the console back.
 */
export function teeConsole(log: Pick<AppLog, 'write'>, target: Pick<Console, ConsoleMethod> = console): () => void {
  const originals = METHODS.map((m) => [m, target[m]] as const);
  for (const [method, original] of originals) {
    target[method] = (...args: unknown[]) => {
      original.apply(target, args);
      log.write(method === 'log' ? 'info' : method, format(...args));
    };
  }
  return () => {
    for (const [method, original] of originals) target[method] = original;
  };
}

let consoleLog: AppLog | undefined;
let consoleRouted = false;

/**
 * Sends the process's console to `log` from now on (the shell's one call; a later call replaces the
 * file, so the console is wrapped once however many times a test starts a shell).
 */
export function routeConsoleTo(log: AppLog): void {
  consoleLog = log;
  if (consoleRouted) return;
  consoleRouted = true;
  teeConsole({ write: (level, message) => consoleLog?.write(level, message) });
}
