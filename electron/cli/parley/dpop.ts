/**
 * `parley lint <PROOF> --as dpop-proof --htm METHOD --htu URL [--ath-token TOKEN] [--nonce N] [--jkt JKT]`:
 * a DPoP proof judged for the request it is for, by the rule modules the embedded server runs
 * (shared/jwt/lint.ts lintDpopProof). Same exit codes and report shape as the other lints: every rule,
 * failures first, with expected, actual, fix and source.
 */
import { parseArgs } from 'node:util';
import { lintDpopProof } from '../../../shared/jwt/lint';
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
  htm: { type: 'string' },
  htu: { type: 'string' },
  'ath-token': { type: 'string' },
  nonce: { type: 'string' },
  jkt: { type: 'string' },
  profile: { type: 'string' },
  at: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** `--at`: now, epoch seconds or an ISO 8601 time, in seconds. */
function atOption(value: string | undefined): number {
  if (value === undefined || value === 'now') return Date.now() / 1000;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value);
  const ms = Date.parse(value);
  if (Number.isNaN(ms))
    throw new CliError(`--at ${JSON.stringify(value.slice(0, 40))} is not a time: use now, epoch seconds or ISO 8601 (2026-12-07T14:03:11Z)`);
  return ms / 1000;
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
  const htm = values.htm;
  const htu = values.htu;
  if (htm === undefined || htu === undefined) throw new CliError('lint --as dpop-proof: give the request the proof is for with --htm METHOD and --htu URL');
  let url: URL;
  try {
    url = new URL(htu);
  } catch {
    throw new CliError(`--htu must be the absolute URL of the request (e.g. https://tenant.example.com/oauth/token), not ${JSON.stringify(htu.slice(0, 80))}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new CliError(`--htu must be an http(s) URL, not ${JSON.stringify(htu.slice(0, 80))}`);
  const profile = values.profile ?? 'auth0';
  if (!Object.hasOwn(PROFILES, profile)) throw new CliError(`--profile must be one of ${Object.keys(PROFILES).join(', ')}, not ${JSON.stringify(profile)}`);
  const now = atOption(values.at);
  const given = await readGiven(positionals[0]!, 'the proof');
  const outcomes = await lintDpopProof(given.text, {
    method: htm,
    url: htu,
    now,
    profile: profile as ProfileId,
    ...(values['ath-token'] !== undefined ? { accessToken: values['ath-token'] } : {}),
    ...(values.nonce !== undefined ? { nonce: values.nonce } : {}),
    ...(values.jkt !== undefined ? { expectedJkt: values.jkt } : {}),
  });
  const code = outcomes.some((o) => !o.passed) ? EXIT.failed : EXIT.ok;
  const request = {
    htm,
    htu,
    profile,
    algs: dpopPolicyFor(profile as ProfileId).algs,
    evaluatedAt: new Date(Math.floor(now) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
  // The access token is a secret: it is hashed for ath and never printed.
  const input = { from: given.from, accessToken: values['ath-token'] !== undefined, nonce: values.nonce ?? null, jkt: values.jkt ?? null };
  if (values.json === true) {
    await write(
      `${JSON.stringify({ command: 'lint', input: { kind: 'dpop-proof', ...input }, request, exitCode: code, items: outcomes.map(item) }, null, 2)}\n`,
    );
  } else {
    await write(renderText(outcomes, request, colourFor(process.stdout)));
  }
  return code;
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

function renderText(outcomes: readonly RuleOutcome[], request: { htm: string; htu: string; profile: string; evaluatedAt: string }, colour: boolean): string {
  const s = styles(colour);
  const failed = outcomes.filter((o) => !o.passed).length;
  const width = Math.max(0, ...outcomes.map((o) => o.id.length));
  const lines = [
    s.bold(failed > 0 ? s.red(`DPoP proof: ${failed} rule${failed === 1 ? '' : 's'} failed`) : s.green('DPoP proof: every rule passed')),
    s.dim(`for ${request.htm} ${request.htu} · profile ${request.profile} · evaluated at ${request.evaluatedAt}`),
    '',
  ];
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
