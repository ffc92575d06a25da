/**
 * `parley lint <PROOF> --as dpop-proof --request "METHOD URL" [--access-token T] [--nonce N] [--jkt JKT]
 * [--server-time WHEN] [--response-date DATE]`: a DPoP proof judged for the request it was sent with, as
 * Explain's DPoP card judges it (shared/explain/dpop.ts explainDpopProof: the rule modules the embedded server
 * runs), with the two views no other tool prints: the `htu` lens (the URL the server computed beside the
 * proof's `htu`, the differing part and its usual cause) and the clock line (iat, server time, window, the skew
 * measured from a response Date). Text, `--json` or `--markdown` (as Copy as Markdown makes it); the same
 * exit codes as the other lints. The access token is hashed for `ath` and never printed.
 */
import { parseArgs } from 'node:util';
import type { ClockLine, DpopExplained, HtuLens } from '../../../shared/explain/dpop';
import { explainDpopProof, parseHttpDate, parseRequestLine } from '../../../shared/explain/dpop';
import { ENGLISH_DPOP_WORDS, dpopTextLines } from '../../../shared/explain/dpop-text';
import { isoSeconds } from '../../../shared/explain/evaluate-at';
import { explanationText } from '../../../shared/explain/text';
import type { ProfileId } from '../../../shared/jwt/profiles';
import { PROFILES } from '../../../shared/jwt/profiles';
import { dpopPolicyFor } from '../../../shared/jwt/rules/dpop-proof';
import type { RuleOutcome } from '../../../shared/jwt/rule';
import { CliError, readGiven } from './input';
import { EXIT, colourFor, styles } from './render';

/** Whether `lint` arguments ask for the DPoP proof lint (`--as dpop-proof` or `--as=dpop-proof`). */
export function isDpopLint(args: readonly string[]): boolean {
  return args.some((a, i) => a === '--as=dpop-proof' || (a === '--as' && args[i + 1] === 'dpop-proof'));
}

const OPTIONS = {
  as: { type: 'string' },
  request: { type: 'string' },
  method: { type: 'string' },
  url: { type: 'string' },
  // The first spellings (the proof's claim names), kept: --htm is --method, --htu is --url.
  htm: { type: 'string' },
  htu: { type: 'string' },
  'access-token': { type: 'string' },
  'ath-token': { type: 'string' },
  nonce: { type: 'string' },
  jkt: { type: 'string' },
  profile: { type: 'string' },
  'server-time': { type: 'string' },
  at: { type: 'string' },
  'response-date': { type: 'string' },
  json: { type: 'boolean' },
  markdown: { type: 'boolean' },
} as const;

/** `--server-time` (or `--at`): now, epoch seconds or an ISO 8601 time, in seconds. */
function serverTimeOption(name: string, value: string | undefined): number {
  if (value === undefined || value === 'now') return Date.now() / 1000;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value);
  const ms = Date.parse(value);
  if (Number.isNaN(ms))
    throw new CliError(`--${name} ${JSON.stringify(value.slice(0, 40))} is not a time: use now, epoch seconds or ISO 8601 (2026-12-07T14:03:11Z)`);
  return ms / 1000;
}

/** One of two spellings of an option; both given is a usage error (they could disagree). */
function either(values: Record<string, unknown>, name: string, old: string): string | undefined {
  const a = values[name];
  const b = values[old];
  if (typeof a === 'string' && typeof b === 'string') throw new CliError(`lint --as dpop-proof: --${name} or --${old}, not both`);
  return typeof a === 'string' ? a : typeof b === 'string' ? b : undefined;
}

/** The request line from `--request "METHOD URL"`, or `--method` and `--url`. */
function requestLine(values: Record<string, unknown>): string {
  const request = typeof values['request'] === 'string' ? values['request'] : undefined;
  const method = either(values, 'method', 'htm');
  const url = either(values, 'url', 'htu');
  if (request !== undefined && (method !== undefined || url !== undefined))
    throw new CliError('lint --as dpop-proof: give the request once: --request "METHOD URL", or --method and --url');
  if (request !== undefined) return request;
  if (method === undefined || url === undefined)
    throw new CliError(
      'lint --as dpop-proof: give the request the proof was sent with: --request "POST https://tenant.example.com/oauth/token", or --method METHOD and --url URL',
    );
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError(`--url must be the absolute URL of the request (e.g. https://tenant.example.com/oauth/token), not ${JSON.stringify(url.slice(0, 80))}`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new CliError(`--url must be an http(s) URL, not ${JSON.stringify(url.slice(0, 80))}`);
  if (!/^[A-Za-z]+$/.test(method)) throw new CliError(`--method must be an HTTP method (e.g. POST), not ${JSON.stringify(method.slice(0, 40))}`);
  return `${method} ${url}`;
}

/** Runs the DPoP lint; `write` prints (and waits for stdout). */
export async function lintDpopCommand(args: string[], write: (text: string) => Promise<void>): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    throw new CliError(`lint --as dpop-proof: ${e instanceof Error ? e.message : String(e)} (parley --help lists the options)`);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new CliError('lint --as dpop-proof: give one proof (the text, a file, or - for standard input)');
  if (values.json === true && values.markdown === true) throw new CliError('lint: --json or --markdown, not both');
  const line = requestLine(values);
  const checked = parseRequestLine(line);
  if (!checked.ok) throw new CliError(`--request ${JSON.stringify(line.slice(0, 80))}: ${checked.message}`);
  const profile = values.profile ?? 'auth0';
  if (!Object.hasOwn(PROFILES, profile)) throw new CliError(`--profile must be one of ${Object.keys(PROFILES).join(', ')}, not ${JSON.stringify(profile)}`);
  const timeName = values['server-time'] !== undefined ? 'server-time' : 'at';
  const now = serverTimeOption(timeName, either(values, 'server-time', 'at'));
  const responseDate = values['response-date'];
  if (responseDate !== undefined && parseHttpDate(responseDate) === undefined)
    throw new CliError(
      `--response-date ${JSON.stringify(responseDate.slice(0, 60))} is not a time: give the response's Date header (Mon, 07 Dec 2026 14:03:11 GMT)`,
    );
  const accessToken = either(values, 'access-token', 'ath-token');
  const given = await readGiven(positionals[0]!, 'the proof');
  const out = await explainDpopProof({
    proof: given.text,
    requestLine: line,
    now,
    profile: profile as ProfileId,
    ...(accessToken !== undefined ? { accessToken } : {}),
    ...(values.nonce !== undefined ? { nonce: values.nonce } : {}),
    ...(values.jkt !== undefined ? { expectedJkt: values.jkt } : {}),
    ...(responseDate !== undefined ? { responseDate } : {}),
  });
  if (!out.ok) throw new CliError(`${given.from}: ${out.message}`);
  const result = out.result;
  const code = result.outcomes.some((o) => !o.passed) ? EXIT.failed : EXIT.ok;
  const request = {
    method: result.request.method,
    url: result.request.url,
    profile,
    algs: dpopPolicyFor(profile as ProfileId).algs,
    evaluatedAt: isoSeconds(Math.floor(now)),
  };
  // The access token is a secret: it is hashed for ath and never printed.
  const input = { from: given.from, accessToken: accessToken !== undefined, nonce: values.nonce ?? null, jkt: values.jkt ?? null };
  if (values.json === true) {
    const doc = {
      command: 'lint',
      input: { kind: 'dpop-proof', ...input },
      request,
      exitCode: code,
      lens: result.lens === undefined ? null : lensJson(result.lens),
      clock: result.clock === undefined ? null : clockJson(result.clock),
      items: result.outcomes.map(item),
    };
    await write(`${JSON.stringify(doc, null, 2)}\n`);
  } else if (values.markdown === true) {
    // As Copy as Markdown makes it (the lens and the clock line above the rules); secrets removed.
    await write(
      explanationText(result.explanation, {
        format: 'markdown',
        title: `parley lint: DPoP proof (${given.from}) for ${request.method} ${request.url}, profile ${profile}`,
      }),
    );
  } else {
    await write(renderText(result, request, colourFor(process.stdout)));
  }
  return code;
}

function lensJson(lens: HtuLens) {
  return {
    equal: lens.equal,
    serverUrl: lens.expected,
    proofHtu: lens.actual,
    differs: lens.differs ?? null,
    cause: lens.cause ?? null,
    causeText: lens.cause === undefined ? null : ENGLISH_DPOP_WORDS.lens.cause(lens.cause),
    defaultPortWritten: lens.defaultPortWritten ?? null,
    rows: lens.rows.map((r) => ({ part: r.part, server: r.expected, proof: r.actual, differs: r.differs, ignored: r.ignored })),
  };
}

function clockJson(clock: ClockLine) {
  return {
    iat: clock.iat,
    iatTime: isoSeconds(clock.iat),
    serverTime: isoSeconds(clock.serverTime),
    delta: clock.delta,
    window: { pastSeconds: clock.pastSeconds, futureSeconds: clock.futureSeconds },
    position: clock.position,
    responseDate: clock.responseDate === undefined ? null : isoSeconds(clock.responseDate),
    measuredSkew: clock.measuredSkew ?? null,
  };
}

function item(o: RuleOutcome) {
  return {
    id: o.id,
    status: o.passed ? 'passed' : 'failed',
    summary: o.summary,
    message: o.message,
    expected: o.expected ?? null,
    actual: o.actual ?? null,
    note: o.note ?? null,
    fix: o.fix,
    source: o.source,
  };
}

/** The text report: the verdict and the request, the lens and the clock line, then every rule in the order it ran. */
function renderText(result: DpopExplained, request: { method: string; url: string; profile: string; evaluatedAt: string }, colour: boolean): string {
  const s = styles(colour);
  const { outcomes } = result;
  const failed = outcomes.filter((o) => !o.passed).length;
  const width = Math.max(0, ...outcomes.map((o) => o.id.length));
  const lines = [
    s.bold(failed > 0 ? s.red(`DPoP proof: ${failed} rule${failed === 1 ? '' : 's'} failed`) : s.green('DPoP proof: every rule passed')),
    s.dim(`for ${request.method} ${request.url} · profile ${request.profile} · evaluated at ${request.evaluatedAt}`),
    '',
  ];
  const views = dpopTextLines(result.explanation.dpop, ENGLISH_DPOP_WORDS, { markdown: false, value: (t) => t, prose: (t) => t });
  if (views.length > 0) lines.push(...views.map((l) => (l.startsWith(' ') || l === '' ? l : s.bold(l))), '');
  for (const o of outcomes) {
    const id = o.id.padEnd(width);
    if (!o.passed) {
      lines.push(`${s.red('✗')} ${s.bold(s.red(id))}  ${o.message}`);
      if (o.expected !== undefined) lines.push(`    ${s.dim('expected')}  ${o.expected}`);
      if (o.actual !== undefined) lines.push(`    ${s.dim('actual  ')}  ${o.actual}`);
      if (o.fix) lines.push(`    ${s.dim('fix     ')}  ${o.fix}`);
      lines.push(`    ${s.dim('source  ')}  ${o.source}`);
    } else {
      lines.push(`${s.green('✓')} ${s.green(id)}  ${o.summary}`);
      if (o.note !== undefined) lines.push(`    ${s.yellow('note    ')}  ${o.note}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
