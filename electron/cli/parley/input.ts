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
  /** `standard input`, `file x.jwt`, `HAR file x.har`, or `the argument`. */
  from: string;
  /** Read as a HAR file (its name ends in .har). */
  har?: true;
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

/** The largest HAR file read (a HAR holds every response body: 100 MB is hours of browsing). */
export const MAX_HAR_BYTES = 100 * 1024 * 1024;

/** A file name the user most likely meant as a file (so a missing one is reported as missing, not as text). */
const FILE_LIKE = /^[^?&=\s]*\.(jwt|jws|txt|json|har|pem|jwk|jwks|body|url)$/i;

/**
 * A HAR file's text. The size is checked before a byte is read, so a file past MAX_HAR_BYTES is refused
 * at once, whatever its size, instead of being loaded to be judged.
 */
export function readHarFile(path: string): GivenText {
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new CliError(`HAR file ${path} is not a file`);
    size = stat.size;
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`HAR file ${path} could not be read (${describeFsError(e)})`);
  }
  if (size > MAX_HAR_BYTES) {
    throw new CliError(
      `HAR file ${path} is ${megabytes(size)}; the limit is ${megabytes(MAX_HAR_BYTES)}. Record only the sign-in (DevTools: clear the Network panel, sign in, then save as HAR), or remove other requests first`,
    );
  }
  return { text: readTextFile(path, 'HAR file', MAX_HAR_BYTES), from: `HAR file ${path}`, har: true };
}

/**
 * The text a positional argument stands for: `-` reads standard input, an existing file is read (a
 * `.har` one up to MAX_HAR_BYTES), anything else is the text itself.
 */
export async function readGiven(arg: string, what = 'the input'): Promise<GivenText> {
  if (arg === '-') return { text: await readStdin(), from: 'standard input' };
  if (/\.har$/i.test(arg) && arg.length < 4096) return readHarFile(arg);
  if (arg.length < 4096 && existsSync(arg)) return { text: readTextFile(arg, 'file', MAX_INPUT_BYTES), from: `file ${arg}` };
  if (FILE_LIKE.test(arg)) throw new CliError(`file ${arg} could not be read (no such file)`);
  if (Buffer.byteLength(arg) > MAX_INPUT_BYTES) throw new CliError(`${what} is larger than ${megabytes(MAX_INPUT_BYTES)}, the limit`);
  return { text: arg, from: 'the argument' };
}

/** Whether a text is meant as a HAR document: JSON with a top-level "log" (a broken one is then named as such). */
export function looksLikeHar(text: string): boolean {
  const head = text.trimStart().slice(0, 200);
  return /^\{\s*"log"\s*:/.test(head);
}
