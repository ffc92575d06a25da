/**
 * How the command line prints an explanation: a text report for people (coloured only on a terminal) or
 * one JSON document for scripts. The words are the rules' own (summary, message, expected, actual, fix,
 * source: the same outcomes the UI shows); only the frame around them is the command line's.
 */
import type { Explanation, ExplainItem, ExplainNote, ExplainSubject } from '../../../shared/explain/explain';
import { isoSeconds } from '../../../shared/explain/evaluate-at';

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

const SUBJECT_NAMES: Record<ExplainSubject['kind'], string> = {
  request: 'Request',
  requestObject: 'Request object',
  clientAssertion: 'Client assertion',
  idToken: 'ID token',
  accessToken: 'Access token',
  http: 'HTTP exchange',
};

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

function sourceLinks(item: ExplainItem): string {
  const links = item.sourceParts.filter((p) => p.href !== undefined).map((p) => p.href!);
  return links.length === 0 ? item.source : `${item.source}  ${links.map((l) => `<${l}>`).join(' ')}`;
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
  if (explanation.evaluatedAt !== undefined) against.push(`evaluated at ${isoSeconds(explanation.evaluatedAt)} (${ctx.at === 'iat' ? 'the token’s iat' : ctx.at === 'typed' ? 'the time given' : 'now'})`);
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

/** The JSON document `--json` prints: the context, the verdict, every item (failures first), the notes. */
export function renderJson(explanation: Explanation, ctx: ExplainContext, exitCode: number): string {
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
  return `${JSON.stringify(doc, null, 2)}\n`;
}
