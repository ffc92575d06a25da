/**
 * Turns what the app was asked to open (launch-args.ts) into commands for the renderer: a case file is
 * read here, size-checked, and handed over whole, so the renderer runs the same preview-then-Apply import
 * as its Import case button (`cases.preview` decides whether it is a case at all). Plain Node.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ShellCommand } from '../../shared/ipc/shell-commands';
import type { LaunchRequest } from './launch-args';

/** The most a case file may hold (the core's `cases.preview` limit). */
export const MAX_CASE_BYTES = 1_500_000;

/** The command for one request; a file that cannot be opened becomes a `problem`, never a throw. */
export async function commandFor(request: LaunchRequest, log: (line: string) => void): Promise<ShellCommand> {
  switch (request.kind) {
    case 'inspect':
      // The token itself is never logged.
      log('[parley] opening a token in Inspect from a parley:// link');
      return { command: 'inspect', token: request.token };
    case 'rejected':
      log(`[parley] not opened: ${request.subject} (${request.reason})`);
      return { command: 'problem', problem: request.problem, subject: request.subject, detail: request.reason };
    case 'case':
      return readCase(request.path, log);
  }
}

async function readCase(path: string, log: (line: string) => void): Promise<ShellCommand> {
  const fileName = basename(path);
  try {
    const info = await stat(path);
    if (!info.isFile()) throw Object.assign(new Error('it is not a file'), { code: 'EISDIR' });
    if (info.size > MAX_CASE_BYTES) {
      log(`[parley] case file not opened: ${path} is ${info.size} bytes (at most ${MAX_CASE_BYTES})`);
      return { command: 'problem', problem: 'case-too-large', subject: fileName, detail: `${info.size} bytes` };
    }
    const json = await readFile(path, 'utf8');
    log(`[parley] opening case file ${path}`);
    return { command: 'open-case', fileName, json };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'the file does not exist'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'it is a folder'
            : e instanceof Error
              ? e.message
              : String(e);
    log(`[parley] case file not opened: ${path}: ${reason}`);
    return { command: 'problem', problem: 'unreadable-case', subject: fileName, detail: reason };
  }
}
