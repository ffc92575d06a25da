/**
 * How the command line prints an explanation: a text report for people (coloured only on a terminal) or
 * one JSON document for scripts. The words are the rules' own (summary, message, expected, actual, fix,
 * source: the same outcomes the UI shows); only the frame around them is the command line's.
 */
import type { Explanation, ExplainItem, ExplainNote, ExplainSubject } from '../../../shared/explain/explain';
import { isoSeconds } from '../../../shared/explain/evaluate-at';
import { SUBJECT_NAMES, explanationText, sourceText } from '../../../shared/explain/text';
import type { ExplainedExchange, HarProfileReason } from '../../../shared/har/explain';
import type { HarExchangeKind, HarImport, HarJwtRole, HarRemoved } from '../../../shared/har/import';

/** Exit codes scripts can rely on (documented in --help and the README). */
export const EXIT = {
  /** Every rule evaluated passed (or decode / sign succeeded). */
  ok: 0,
  /** At least one rule failed. */
  failed: 1,
  /** Bad input or usage: nothing was judged. */
  usage: 2,
  /** No rule failed, but some could not be evaluated (e.g. no --issuer): not a pass. */
  notEvaluated: 3,
} as const;

/** The exit code of an explanation. */
export function exitCodeOf(explanation: Explanation): number {
  if (explanation.verdict.failed > 0) return EXIT.failed;
  if (explanation.verdict.notEvaluated > 0) return EXIT.notEvaluated;
  return EXIT.ok;
}

/**
 * Whether to colour a stream: never when NO_COLOR is set (no-color.org), else as FORCE_COLOR says
 * (0 or false: no), else only on a terminal — a pipe or a file gets plain text.
 */
export function colourFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  return stream.isTTY === true;
}

/** ANSI styles, or plain text when colour is off. */
export function styles(on: boolean) {
  const wrap = (open: number, close: number) => (text: string) => (on ? `\u001b[${open}m${text}\u001b[${close}m` : text);
  return { red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39), dim: wrap(2, 22), bold: wrap(1, 22) };
}

function subjectName(subject: ExplainSubject | undefined): string {
  if (subject === undefined) return '';
  return subject.label ?? SUBJECT_NAMES[subject.kind];
}

/** What the user can do about a rule not evaluated, in the command line's terms. */
const NOT_EVALUATED_HINT = 'not evaluated: give the expected issuer with --issuer (the token’s own aud is never used: it is what is being checked)';

/** A note in the command line's words (the UI's sentences name its own buttons and boxes). */
export function noteText(note: ExplainNote): string {
  const subject = subjectName(note.subject);
  switch (note.code) {
    case 'no-rules':
      return 'No rule applied to this request.';
    case 'signature-not-checked':
      return `${subject}: signature not checked (no key given). Give the client’s public key, certificate or JWKS with --key to check it.`;
    case 'key-invalid':
      return `Signatures not checked: the key could not be used. ${note.detail ?? ''}`.trim();
    case 'no-jwt':
      return 'The request carries no request object and no client assertion: only the request-level rules apply.';
    case 'pushed-request':
      return 'The request points at a pushed request (request_uri): its parameters are on the server. Explain the PAR body to see them.';
  }
}

/** The one-line verdict, in the command line's terms when a rule was not evaluated. */
export function verdictLine(explanation: Explanation): string {
  const { verdict, items } = explanation;
  if (verdict.failed > 0 || verdict.notEvaluated === 0) return verdict.text;
  const ids = items.filter((i) => i.status === 'not-evaluated').map((i) => i.id);
  return `No rule failed: ${verdict.passed} passed, ${verdict.notEvaluated} not evaluated (${ids.join(', ')}: give --issuer).`;
}

/** What the explanation was judged against, for the header line and the JSON. */
export interface ExplainContext {
  command: 'explain' | 'lint';
  input: { kind: string; from: string; jwts: string[] };
  profile: string;
  issuer: string;
  clientId: string;
  audience: string;
  at: 'now' | 'iat' | 'typed';
  key: string | null;
}

/** A source as Copy as plain text writes it (shared/explain/text): each document followed by its link. */
function sourceLinks(item: ExplainItem): string {
  return sourceText(item.sourceParts, 'plain');
}

/**
 * `--markdown`: the explanation as the app's Copy as Markdown makes it (shared/explain/text.ts, English),
 * headed by what was explained; secrets are removed from the text as in the app.
 */
export function renderMarkdown(explanation: Explanation, ctx: ExplainContext): string {
  const against = [`profile ${ctx.profile}`, `issuer ${ctx.issuer || '(not given)'}`];
  return explanationText(explanation, { format: 'markdown', title: `parley ${ctx.command}: ${ctx.input.kind} (${ctx.input.from}), ${against.join(', ')}` });
}

/** The text report: the verdict, what it was judged against, every rule (failures first), then the notes. */
export function renderText(explanation: Explanation, ctx: ExplainContext, colour: boolean): string {
  const s = styles(colour);
  const subjects = new Set(explanation.items.map((i) => i.subject?.kind ?? ''));
  const showSubject = subjects.size > 1;
  const width = Math.max(0, ...explanation.items.map((i) => i.id.length));
  const lines: string[] = [];
  const { verdict } = explanation;
  const headline = verdictLine(explanation);
  lines.push(s.bold(verdict.failed > 0 ? s.red(headline) : verdict.notEvaluated > 0 ? s.yellow(headline) : s.green(headline)));
  const against = [`profile ${ctx.profile}`, `issuer ${ctx.issuer || '(not given)'}`, `client_id ${ctx.clientId || '(none)'}`];
  if (ctx.audience) against.push(`audience ${ctx.audience}`);
  if (explanation.evaluatedAt !== undefined)
    against.push(
      `evaluated at ${isoSeconds(explanation.evaluatedAt)} (${ctx.at === 'iat' ? 'the token’s iat' : ctx.at === 'typed' ? 'the time given' : 'now'})`,
    );
  lines.push(s.dim(against.join(' · ')), '');
  for (const item of explanation.items) {
    const id = item.id.padEnd(width);
    const about = showSubject && item.subject ? `${subjectName(item.subject)}: ` : '';
    if (item.status === 'failed') {
      lines.push(`${s.red('✗')} ${s.bold(s.red(id))}  ${about}${item.message}`);
      if (item.message !== item.sentence) lines.push(`    ${s.dim('rule    ')}  ${item.sentence}`);
      if (item.expected !== undefined) lines.push(`    ${s.dim('expected')}  ${item.expected}`);
      if (item.actual !== undefined) lines.push(`    ${s.dim('actual  ')}  ${item.actual}`);
      if (item.fix) lines.push(`    ${s.dim('fix     ')}  ${item.fix}`);
      lines.push(`    ${s.dim('source  ')}  ${sourceLinks(item)}`);
    } else if (item.status === 'not-evaluated') {
      lines.push(`${s.yellow('?')} ${s.yellow(id)}  ${about}${item.sentence}`);
      lines.push(`    ${s.dim(NOT_EVALUATED_HINT)}`);
    } else {
      lines.push(`${s.green('✓')} ${s.green(id)}  ${about}${item.sentence}`);
    }
  }
  if (explanation.notes.length > 0) {
    lines.push('', 'Notes:');
    for (const note of explanation.notes) lines.push(`  - ${noteText(note)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** An explanation's items and notes as the JSON documents print them. */
function explanationJson(explanation: Explanation) {
  return {
    verdict: { ...explanation.verdict, text: verdictLine(explanation) },
    items: explanation.items.map((item) => ({
      id: item.id,
      status: item.status,
      ...(item.reason === undefined ? {} : { reason: item.reason }),
      subject: item.subject?.kind ?? null,
      summary: item.sentence,
      message: item.message,
      expected: item.expected ?? null,
      actual: item.actual ?? null,
      source: item.source,
      sources: item.sourceParts,
      fix: item.fix,
    })),
    notes: explanation.notes.map((note) => ({ code: note.code, subject: note.subject?.kind ?? null, text: noteText(note) })),
  };
}

/** The JSON document `--json` prints: the context, the verdict, every item (failures first), the notes. */
export function renderJson(explanation: Explanation, ctx: ExplainContext, exitCode: number): string {
  const { verdict, items, notes } = explanationJson(explanation);
  const doc = {
    command: ctx.command,
    input: ctx.input,
    profile: ctx.profile,
    issuer: ctx.issuer === '' ? null : ctx.issuer,
    clientId: ctx.clientId === '' ? null : ctx.clientId,
    audience: ctx.audience === '' ? null : ctx.audience,
    key: ctx.key,
    evaluatedAt: explanation.evaluatedAt === undefined ? null : isoSeconds(explanation.evaluatedAt),
    evaluatedAtFrom: ctx.at,
    exitCode,
    verdict,
    items,
    notes,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

// ---------- HAR files ----------

/** The exit code of a HAR's explanations: 1 if any rule failed, else 3 if any was not evaluated, else 0. */
export function harExitCode(explained: readonly ExplainedExchange[]): number {
  const codes = explained.map((e) => exitCodeOf(e.explanation));
  if (codes.includes(EXIT.failed)) return EXIT.failed;
  if (codes.includes(EXIT.notEvaluated)) return EXIT.notEvaluated;
  return EXIT.ok;
}

const EXCHANGE_NAMES: Record<HarExchangeKind, string> = {
  discovery: 'discovery',
  jwks: 'JWKS',
  authorize: 'authorization request',
  par: 'pushed authorization request (PAR)',
  token: 'token request',
  userinfo: 'userinfo',
};

const JWT_NAMES: Record<HarJwtRole, string> = {
  requestObject: 'request object',
  clientAssertion: 'client assertion',
  dpopProof: 'DPoP proof',
  idToken: 'ID token',
  accessToken: 'access token',
};

const PROFILE_REASONS: Record<HarProfileReason, string> = {
  given: 'given with --profile',
  'auth0-domain': 'an Auth0 tenant',
  'auth0-custom-domain': 'flagged as an Auth0 custom domain',
  'okta-domain': 'an Okta org',
  other: 'not Auth0 or Okta: the standards as written',
};

/** What the removals were, grouped: `client_secret (entry 4 request body)`, `cookie ×3`… */
function removedSummary(removed: readonly HarRemoved[]): string[] {
  const byKind = new Map<string, HarRemoved[]>();
  for (const r of removed) byKind.set(r.kind, [...(byKind.get(r.kind) ?? []), r]);
  return [...byKind].map(([kind, list]) => {
    const places = [...new Set(list.map((r) => `#${r.entry + 1} ${r.where}`))];
    const shown = places.slice(0, 4).join('; ');
    return `${kind}${list.length > 1 ? ` ×${list.length}` : ''} (${shown}${places.length > 4 ? `; +${places.length - 4} more` : ''})`;
  });
}

/** What a HAR explanation is about, for its header and JSON. */
export interface HarContext {
  from: string;
  imported: HarImport;
}

function harHeadline(explained: readonly ExplainedExchange[]): string {
  const failed = explained.filter((e) => e.explanation.verdict.failed > 0);
  const pending = explained.filter((e) => e.explanation.verdict.failed === 0 && e.explanation.verdict.notEvaluated > 0);
  const judged = explained.filter((e) => e.explanation.items.length > 0).length;
  const n = (k: number, word: string) => `${k} ${word}${k === 1 ? '' : 's'}`;
  if (explained.length === 0) return 'No OAuth exchange found in the file.';
  if (failed.length > 0) {
    const first = failed[0]!;
    return `${n(failed.length, 'exchange')} of ${explained.length} failed: first ${first.explanation.verdict.first?.id ?? ''} at #${first.exchange.entry + 1} (${EXCHANGE_NAMES[first.exchange.kind]}).`;
  }
  if (pending.length > 0) return `No rule failed in ${n(explained.length, 'exchange')}; ${pending.length} not fully evaluated (give --issuer).`;
  return `No rule failed: ${n(explained.length, 'exchange')} found, ${judged} judged by the rules.`;
}

/** The text report of a HAR: what was found and removed, then each exchange (the rules as `explain` prints them). */
export function renderHarText(explained: readonly ExplainedExchange[], ctx: HarContext, colour: boolean): string {
  const s = styles(colour);
  const { imported } = ctx;
  const code = harExitCode(explained);
  const headline = harHeadline(explained);
  const lines: string[] = [s.bold(code === EXIT.failed ? s.red(headline) : code === EXIT.notEvaluated ? s.yellow(headline) : s.green(headline))];
  lines.push(
    s.dim(
      `${ctx.from} (${imported.creator}): ${imported.exchanges.length} OAuth ${imported.exchanges.length === 1 ? 'exchange' : 'exchanges'} in ${imported.entries} entries; ${imported.ignored} other ${imported.ignored === 1 ? 'entry' : 'entries'} ignored.`,
    ),
  );
  lines.push(
    imported.removed.length === 0
      ? s.dim('Removed on the way in: nothing (no secret found in the OAuth exchanges).')
      : `Removed on the way in: ${removedSummary(imported.removed).join(', ')}.`,
  );
  for (const e of explained) {
    const x = e.exchange;
    lines.push('', s.bold(`#${x.entry + 1} ${x.method} ${x.endpoint}${e.answer === null ? '' : ` → ${e.answer}`}`));
    const about = [EXCHANGE_NAMES[x.kind], x.startedAt ?? 'no time'];
    if (e.explanation.items.length > 0) about.push(`profile ${e.profile} (${PROFILE_REASONS[e.profileReason]})`, `issuer ${e.issuer || '(not given)'}`);
    lines.push(s.dim(about.join(' · ')));
    for (const jwt of x.jwts) lines.push(s.dim(`  ${JWT_NAMES[jwt.role]} in ${jwt.where}${jwt.signatureRemoved ? ' (signature removed)' : ''}`));
    if (x.jwts.some((j) => j.role === 'dpopProof')) lines.push(s.dim('  DPoP proofs are listed, not judged: the DPoP rules are not in the shared rules yet.'));
    if (e.explanation.items.length === 0) {
      lines.push(s.dim('  No rule applies to this exchange.'));
      continue;
    }
    const ctxOne: ExplainContext = {
      command: 'explain',
      input: { kind: x.kind, from: ctx.from, jwts: x.jwts.map((j) => j.role) },
      profile: e.profile,
      issuer: e.issuer,
      clientId: '',
      audience: '',
      at: 'typed',
      key: null,
    };
    // The per-exchange report is explain's own, indented; its first line (the verdict) stays.
    const body = renderText(e.explanation, ctxOne, colour).trimEnd().split('\n');
    lines.push(...[body[0]!, ...body.slice(3)].map((l) => (l === '' ? '' : `  ${l}`)));
  }
  return `${lines.join('\n')}\n`;
}

/** `--markdown` for a HAR: the headline and what was removed, then each exchange judged by rules, as Copy as Markdown makes it. */
export function renderHarMarkdown(explained: readonly ExplainedExchange[], ctx: HarContext): string {
  const { imported } = ctx;
  const parts = [
    `**${harHeadline(explained)}**\n`,
    `Removed on the way in: ${imported.removed.length === 0 ? 'nothing' : removedSummary(imported.removed).join(', ')}.\n`,
  ];
  for (const e of explained) {
    if (e.explanation.items.length === 0) continue;
    const x = e.exchange;
    parts.push(
      explanationText(e.explanation, {
        format: 'markdown',
        title: `#${x.entry + 1} ${x.method} ${x.endpoint}${e.answer === null ? '' : ` → ${e.answer}`} (${EXCHANGE_NAMES[x.kind]}, profile ${e.profile})`,
      }),
    );
  }
  return parts.join('\n');
}

/** The JSON document of a HAR: the file, what was removed, each exchange with its explanation. */
export function renderHarJson(explained: readonly ExplainedExchange[], ctx: HarContext, exitCode: number): string {
  const { imported } = ctx;
  const doc = {
    command: 'explain',
    input: {
      kind: 'har',
      from: ctx.from,
      creator: imported.creator,
      version: imported.version,
      entries: imported.entries,
      ignored: imported.ignored,
      issuers: imported.issuers,
    },
    exitCode,
    verdict: {
      text: harHeadline(explained),
      exchanges: explained.length,
      failed: explained.filter((e) => e.explanation.verdict.failed > 0).length,
      notEvaluated: explained.filter((e) => e.explanation.verdict.failed === 0 && e.explanation.verdict.notEvaluated > 0).length,
    },
    removed: imported.removed,
    exchanges: explained.map((e) => ({
      entry: e.exchange.entry,
      kind: e.exchange.kind,
      method: e.exchange.method,
      url: e.exchange.url,
      startedAt: e.exchange.startedAt,
      status: e.exchange.response?.status ?? null,
      answer: e.answer,
      issuer: e.issuer === '' ? null : e.issuer,
      profile: e.profile,
      profileReason: e.profileReason,
      jwts: e.exchange.jwts,
      evaluatedAt: e.explanation.evaluatedAt === undefined ? null : isoSeconds(e.explanation.evaluatedAt),
      ...explanationJson(e.explanation),
    })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
