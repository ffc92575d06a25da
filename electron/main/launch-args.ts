/**
 * What the app was asked to open: `parley://` links and `.parleycase` files, from the command line (first
 * launch, or a second launch handing over its arguments), from macOS's `open-url` and `open-file`, or from
 * the File menu. Plain Node (no `electron`), so every odd input is unit-tested: anything that is not
 * exactly a known link or a case file becomes a `rejected` request with the reason, never an action.
 */
import { basename, extname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { ShellProblem } from '../../shared/ipc/shell-commands';

/** The app's URL scheme (registered as the default protocol client, and in electron-builder.yml). */
export const PROTOCOL = 'parley';
/** The extension of case files (registered as a file association in electron-builder.yml). */
export const CASE_EXTENSION = '.parleycase';

/** One thing to open. */
export type LaunchRequest =
  | { kind: 'inspect'; token: string }
  | { kind: 'case'; path: string }
  /** Not acted on: `subject` says what it was, safe to show and log (a link's token is never in it). */
  | { kind: 'rejected'; problem: ShellProblem; subject: string; reason: string };

/** A compact JWS or JWE (3 or 5 base64url parts), the only thing Inspect takes from a link. */
const tokenSchema = z
  .string()
  .max(64_000, 'the token is longer than 64,000 characters')
  .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]*){2}(\.[A-Za-z0-9_-]*){0,2}$/, 'the token is not a compact JWT (base64url parts separated by dots)');

/** A case file named by a link: an absolute path or a `file:` URL, ending in `.parleycase`. */
const caseFileSchema = z
  .string()
  .min(1, 'the file is empty')
  .max(4096, 'the path is longer than 4096 characters')
  .transform((value, ctx) => {
    let path = value;
    if (/^file:/i.test(value)) {
      try {
        // A file URL with a host is a network share (on Windows a UNC path, which would send credentials).
        const host = new URL(value).hostname;
        if (host !== '' && host !== 'localhost') throw new Error('remote');
        path = fileURLToPath(value);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'the file URL is not a local file' });
        return z.NEVER;
      }
    }
    if (/^[\\/]{2}/.test(path)) {
      ctx.addIssue({ code: 'custom', message: 'the file must be on this computer, not a network share' });
      return z.NEVER;
    }
    if (!isAbsolute(path)) {
      ctx.addIssue({ code: 'custom', message: 'the file must be an absolute path' });
      return z.NEVER;
    }
    return path;
  });

/** Drops everything but the link's scheme, host and parameter names: safe to show and log. */
export function describeLink(url: string): string {
  try {
    const u = new URL(url);
    const names = [...new Set(u.searchParams.keys())].slice(0, 5).map((n) => n.slice(0, 32));
    return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname.slice(0, 64)}${names.length ? `?${names.map((n) => `${n}=…`).join('&')}` : ''}`;
  } catch {
    return `${url.slice(0, 16).replace(/[^\x20-\x7e]/g, '?')}…`;
  }
}

function rejectLink(url: string, reason: string): LaunchRequest {
  return { kind: 'rejected', problem: 'bad-link', subject: describeLink(url), reason };
}

/**
 * A `parley://` link: `parley://inspect?token=<JWT>` or `parley://case?file=<absolute path or file: URL>`.
 * The host names the action (`parley://inspect/?token=` is accepted too, as some systems add the slash).
 */
export function parseDeepLink(url: string): LaunchRequest {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return rejectLink(url, 'it is not a URL');
  }
  if (u.protocol !== `${PROTOCOL}:`) return rejectLink(url, `it is not a ${PROTOCOL}:// link`);
  const action = u.host.toLowerCase();
  const path = u.pathname.replace(/\/+$/, '');
  if (path !== '') return rejectLink(url, `unknown path "${path.slice(0, 64)}"`);
  const params = u.searchParams;
  switch (action) {
    case 'inspect': {
      if (params.getAll('token').length !== 1) return rejectLink(url, 'it needs exactly one token parameter');
      const token = tokenSchema.safeParse(params.get('token'));
      return token.success ? { kind: 'inspect', token: token.data } : rejectLink(url, token.error.issues[0]?.message ?? 'bad token');
    }
    case 'case': {
      if (params.getAll('file').length !== 1) return rejectLink(url, 'it needs exactly one file parameter');
      const file = caseFileSchema.safeParse(params.get('file'));
      if (!file.success) return rejectLink(url, file.error.issues[0]?.message ?? 'bad file');
      return caseFile(file.data);
    }
    default:
      return rejectLink(url, action === '' ? 'it names no action' : `unknown action "${action.slice(0, 32)}"`);
  }
}

/** A path that should be a case file: accepted only with the `.parleycase` extension. */
export function caseFile(path: string): LaunchRequest {
  if (extname(path).toLowerCase() !== CASE_EXTENSION) {
    return { kind: 'rejected', problem: 'not-a-case-file', subject: basename(path), reason: `only ${CASE_EXTENSION} files are opened` };
  }
  return { kind: 'case', path };
}

/** What the shell knows of the process it reads arguments from. */
export interface ArgvContext {
  /**
   * How many leading entries are the program, not arguments: 1 for a packaged app (`parley …`), 2 when
   * run as `electron <app> …` (development), where the second is the app's path.
   */
  readonly skip: number;
  /** The directory relative paths are resolved against (the launching process's). */
  readonly cwd: string;
}

/** What a command line asks for, and the arguments ignored (switches excepted), for a log line. */
export function requestsFromArgv(argv: readonly string[], context: ArgvContext): { requests: LaunchRequest[]; ignored: string[] } {
  const requests: LaunchRequest[] = [];
  const ignored: string[] = [];
  for (const arg of argv.slice(context.skip)) {
    // Chromium and Electron switches (and a `--` separator) are the runtime's, not requests.
    if (arg.startsWith('-')) continue;
    if (arg.toLowerCase().startsWith(`${PROTOCOL}:`)) requests.push(parseDeepLink(arg));
    else if (extname(arg).toLowerCase() === CASE_EXTENSION) requests.push(caseFile(resolve(context.cwd, arg)));
    else ignored.push(arg.length > 80 ? `${arg.slice(0, 80)}…` : arg);
  }
  return { requests, ignored };
}
