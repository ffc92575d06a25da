/**
 * Where the command line's text comes from: the argument itself, a file it names, or standard input
 * (`-`). Every source is capped (MAX_INPUT_BYTES) before it is decoded, so a huge paste or a stray binary
 * file is refused with a sentence instead of filling memory; the text must be UTF-8.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';

/** A problem with what the user gave: the message names it; the exit code is 2 (bad input or usage). */
export class CliError extends Error {
  override readonly name = 'CliError';
}

/** The largest input read from an argument, a file or standard input. */
export const MAX_INPUT_BYTES = 2 * 1024 * 1024;

/** Text and where it came from (to name it in messages). */
export interface GivenText {
  text: string;
  /** `standard input`, `file x.jwt`, or `the argument`. */
  from: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}

function decode(bytes: Uint8Array, from: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new CliError(`${from} is not UTF-8 text (is it a binary file?)`);
  }
}

/** Standard input, read to its end unless it passes `max` bytes (then it is refused, not truncated). */
export async function readStdin(max = MAX_INPUT_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > max) {
      process.stdin.destroy();
      throw new CliError(`standard input is larger than ${megabytes(max)}, the limit`);
    }
    chunks.push(chunk);
  }
  return decode(Buffer.concat(chunks), 'standard input');
}

/** A file's text, refused when it is missing, not a file, larger than `max` or not UTF-8. */
export function readTextFile(path: string, what: string, max = MAX_INPUT_BYTES): string {
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new CliError(`${what} ${path} is not a file`);
    size = stat.size;
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`${what} ${path} could not be read (${describeFsError(e)})`);
  }
  if (size > max) throw new CliError(`${what} ${path} is ${megabytes(size)}; the limit is ${megabytes(max)}`);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new CliError(`${what} ${path} could not be read (${describeFsError(e)})`);
  }
  return decode(bytes, `${what} ${path}`);
}

function describeFsError(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a folder';
  return e instanceof Error ? e.message : String(e);
}

/** HAR support is a later task: until then a .har file (or a HAR document) is refused by name. */
export const HAR_NOT_AVAILABLE = 'HAR import is not available yet: give a JWT, an /authorize URL or a PAR body (from the HAR entry’s request)';

/** A file name the user most likely meant as a file (so a missing one is reported as missing, not as text). */
const FILE_LIKE = /^[^?&=\s]*\.(jwt|jws|txt|json|har|pem|jwk|jwks|body|url)$/i;

/**
 * The text a positional argument stands for: `-` reads standard input, an existing file is read, anything
 * else is the text itself. A `.har` name or a HAR document is refused (HAR_NOT_AVAILABLE).
 */
export async function readGiven(arg: string, what = 'the input'): Promise<GivenText> {
  let given: GivenText;
  if (arg === '-') {
    given = { text: await readStdin(), from: 'standard input' };
  } else if (/\.har$/i.test(arg)) {
    throw new CliError(HAR_NOT_AVAILABLE);
  } else if (arg.length < 4096 && existsSync(arg)) {
    given = { text: readTextFile(arg, 'file', MAX_INPUT_BYTES), from: `file ${arg}` };
  } else if (FILE_LIKE.test(arg)) {
    throw new CliError(`file ${arg} could not be read (no such file)`);
  } else {
    if (Buffer.byteLength(arg) > MAX_INPUT_BYTES) throw new CliError(`${what} is larger than ${megabytes(MAX_INPUT_BYTES)}, the limit`);
    given = { text: arg, from: 'the argument' };
  }
  if (looksLikeHar(given.text)) throw new CliError(HAR_NOT_AVAILABLE);
  return given;
}

/** A HAR document: JSON whose `log` has `entries` (HAR 1.2). */
function looksLikeHar(text: string): boolean {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('{') || !trimmed.includes('"log"')) return false;
  try {
    const doc = JSON.parse(trimmed) as { log?: { entries?: unknown } } | null;
    return Array.isArray(doc?.log?.entries);
  } catch {
    return false;
  }
}
