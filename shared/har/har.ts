/**
 * HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/): the types Parley writes, and the reading of a
 * file someone else wrote. Reading is lenient where exporters differ and strict where Parley needs a
 * field: Chromium's DevTools, Firefox, Playwright, Insomnia and Postman-style converters all write
 * `log.entries[].request.{method,url}` and `response.status`, but some leave out `cache`, `timings`,
 * `headersSize` or `queryString`, or give a form body as `postData.params` instead of `postData.text`.
 *
 * A file is read in two steps so that a large one can be read in a Web Worker with progress: `readHarLog`
 * parses the text and checks the envelope (one JSON.parse, the only step that cannot be split), then each
 * entry is checked on its own (`readHarEntry`) by whoever walks them (shared/har/import.ts does it in
 * chunks). Every failure is a `HarReadError` whose message names the problem and, for an entry, its index.
 */
import { z } from 'zod';

/** A name/value pair (headers, query parameters, cookies, form parameters). */
export interface HarPair {
  name: string;
  value: string;
  comment?: string;
}

/** A HAR 1.2 request. */
export interface HarRequest {
  method: string;
  url: string;
  httpVersion: string;
  cookies: HarPair[];
  headers: HarPair[];
  queryString: HarPair[];
  postData?: { mimeType: string; text?: string; params?: { name: string; value?: string }[] };
  headersSize: number;
  bodySize: number;
  comment?: string;
}

/** A HAR 1.2 response. */
export interface HarResponse {
  status: number;
  statusText: string;
  httpVersion: string;
  cookies: HarPair[];
  headers: HarPair[];
  content: { size: number; mimeType: string; text?: string; encoding?: string; compression?: number };
  redirectURL: string;
  headersSize: number;
  bodySize: number;
  comment?: string;
}

/** A HAR 1.2 entry. Members starting with `_` are an exporter's own (HAR 1.2 §"Custom fields"). */
export interface HarEntry {
  startedDateTime: string;
  time: number;
  request: HarRequest;
  response: HarResponse;
  cache: Record<string, never>;
  timings: { send: number; wait: number; receive: number; blocked?: number; dns?: number; connect?: number; ssl?: number };
  pageref?: string;
  serverIPAddress?: string;
  comment?: string;
  [custom: `_${string}`]: unknown;
}

/** A HAR 1.2 document. */
export interface Har {
  log: {
    version: string;
    creator: { name: string; version: string; comment?: string };
    browser?: { name: string; version: string };
    pages?: unknown[];
    entries: HarEntry[];
    comment?: string;
  };
}

/** Why a file could not be read as HAR. */
export type HarReadErrorCode = 'empty' | 'truncated' | 'not-json' | 'not-har' | 'no-entries' | 'entry-invalid';

/** A file that is not a readable HAR: `message` names the problem (and the entry, when one is at fault). */
export class HarReadError extends Error {
  override readonly name = 'HarReadError';
  constructor(
    readonly code: HarReadErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const pair = z.object({
  name: z.string(),
  value: z
    .string()
    .nullish()
    .transform((v) => v ?? ''),
});
const pairs = z
  .array(pair)
  .nullish()
  .transform((v) => v ?? []);

/** What Parley reads of an entry: the rest is ignored (and never kept). */
const entrySchema = z.object({
  startedDateTime: z.string().optional(),
  time: z.number().optional(),
  request: z.object({
    method: z.string().min(1),
    url: z.string().min(1),
    headers: pairs,
    queryString: pairs,
    cookies: pairs,
    postData: z
      .object({
        mimeType: z.string().nullish(),
        text: z.string().nullish(),
        params: z.array(z.object({ name: z.string(), value: z.string().nullish() })).nullish(),
      })
      .nullish(),
  }),
  response: z
    .object({
      status: z.number().int(),
      headers: pairs,
      cookies: pairs,
      content: z.object({ mimeType: z.string().nullish(), text: z.string().nullish(), encoding: z.string().nullish() }).nullish(),
      redirectURL: z.string().nullish(),
    })
    .nullish(),
});

/** An entry as Parley reads it. */
export type ReadEntry = z.infer<typeof entrySchema>;

/** The log's envelope: its entries are checked one by one later. */
export interface ReadLog {
  version: string;
  creator: string;
  entries: unknown[];
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * Parses a HAR file's text and checks its envelope (`{"log":{"entries":[…]}}`). A file cut short (a
 * download or a copy that stopped) is told apart from one that is not JSON at all, by its end: JSON that
 * opened with `{` and does not close is truncated, whatever the parser's own message says.
 */
export function readHarLog(text: string): ReadLog {
  const trimmed = text.trim();
  if (trimmed === '') throw new HarReadError('empty', 'the file is empty');
  let doc: unknown;
  try {
    doc = JSON.parse(trimmed);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    if (trimmed.startsWith('{') && !trimmed.endsWith('}')) {
      throw new HarReadError(
        'truncated',
        `the file ends in the middle of its JSON (after ${trimmed.length.toLocaleString('en')} characters): it was cut short; export or copy the HAR again`,
      );
    }
    throw new HarReadError('not-json', `the file is not JSON (${reason}); a HAR file is the JSON that DevTools' "Save all as HAR" writes`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw new HarReadError('not-har', `the file is JSON but not a HAR: it is ${describe(doc)}, a HAR is an object with a "log"`);
  const log = (doc as Record<string, unknown>)['log'];
  if (log === undefined) {
    const keys = Object.keys(doc).slice(0, 5);
    throw new HarReadError('not-har', `the file is JSON but not a HAR: it has no "log" (its members: ${keys.length === 0 ? 'none' : keys.join(', ')})`);
  }
  if (typeof log !== 'object' || log === null || Array.isArray(log)) throw new HarReadError('not-har', `the file's "log" is ${describe(log)}, not an object`);
  const record = log as Record<string, unknown>;
  if (!Object.hasOwn(record, 'entries')) throw new HarReadError('no-entries', 'the HAR has no log.entries: there are no requests in it');
  const entries = record['entries'];
  if (!Array.isArray(entries)) throw new HarReadError('no-entries', `the HAR's log.entries is ${describe(entries)}, not an array of requests`);
  const creator = record['creator'] as { name?: unknown; version?: unknown } | undefined;
  const creatorName = typeof creator?.name === 'string' ? `${creator.name}${typeof creator.version === 'string' ? ` ${creator.version}` : ''}` : 'unknown';
  return { version: typeof record['version'] === 'string' ? record['version'] : '', creator: creatorName, entries };
}

/** Checks one entry; the error names its index and the field at fault. */
export function readHarEntry(entry: unknown, index: number): ReadEntry {
  const parsed = entrySchema.safeParse(entry);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const path = ['entries', index, ...issue.path]
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
    .join('')
    .replace(/^\./, '');
  throw new HarReadError('entry-invalid', `log.${path}: ${issue.message.toLowerCase()}`);
}
