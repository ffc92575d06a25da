/**
 * An explanation as text to take out of Parley (issue 19, "Take explanations out"): Markdown or plain text,
 * ready to paste into a ticket. The failing rules first (id, what happened, the rule's sentence, expected
 * and actual, the source with its links, the fix), then the rules not evaluated, then one line for the
 * passes, then the notes. The words come from `ExplanationWords`: English (the rules' own text, as the
 * command line prints it) by default, the UI language in the renderer (its words are built from the same
 * catalogues the Explain view shows). The whole text passes through `redactText` last, so a secret quoted in
 * a rule's value (a code in a redirect, a client_secret in a form) never reaches the clipboard.
 * Pure and browser-safe: the renderer and the CLI (`parley explain --markdown`) both run it.
 */
import { redactText } from '../redact/secrets';
import type { DpopTextWords } from './dpop-text';
import { ENGLISH_DPOP_WORDS, dpopTextLines } from './dpop-text';
import type { ExplainItem, ExplainNote, Explanation, ExplainSubject } from './explain';
import type { SourcePart } from './sources';

export type ExplanationTextFormat = 'markdown' | 'plain';

/** One rule's words in a language. */
export interface ItemWords {
  /** What happened (the failure's sentence in English; the translated summary elsewhere). */
  message: string;
  /** The rule's sentence (what it requires). */
  summary: string;
  fix: string;
  /** In a translated text, the failure's English sentence when it says more than the summary. */
  detail: string | null;
}

/** The words a text is made of: the labels and the sentences, in one language. */
export interface ExplanationWords {
  /** The one-line verdict. */
  verdict(explanation: Explanation): string;
  item(item: ExplainItem): ItemWords;
  /** An expected or actual value, translated where the language has its fixed phrases. */
  value(text: string): string;
  /** The name of an item's subject, or null (an HTTP exchange keeps its own label). */
  subject(subject: ExplainSubject | undefined): string | null;
  /** Why a rule was not evaluated, as a sentence saying what to give. */
  notEvaluated(item: ExplainItem): string;
  note(note: ExplainNote): string;
  /** The one line for the passes: `Rules passed: 12`. */
  passed(count: number): string;
  /** Labels, each with its own colon where the language writes one. */
  labels: { rule: string; expected: string; actual: string; source: string; fix: string; detail: string; notEvaluated: string };
  /** What separates a label from its text: a space, or nothing (Japanese). */
  gap: string;
  /** The DPoP views' words (the htu lens, the clock line, the nonce history). */
  dpop: DpopTextWords;
}

/** A subject's English name (the command line's text report names them the same way). */
export const SUBJECT_NAMES: Record<ExplainSubject['kind'], string> = {
  request: 'Request',
  requestObject: 'Request object',
  clientAssertion: 'Client assertion',
  idToken: 'ID token',
  accessToken: 'Access token',
  http: 'HTTP exchange',
};

const ENGLISH_NOTES: Record<ExplainNote['code'], string> = {
  'no-rules': 'No rule applied to this request.',
  'signature-not-checked': '{subject}: signature not checked (no key given).',
  'key-invalid': 'Signatures not checked: the key could not be used. {detail}',
  'no-jwt': 'The request carries no request object and no client assertion: only the request-level rules apply.',
  'pushed-request': 'The request points at a pushed request (request_uri): its parameters are on the server.',
};

/** English: the rules' own sentences and values, as the server's traces and the command line have them. */
export const ENGLISH_WORDS: ExplanationWords = {
  verdict: (explanation) => explanation.verdict.text,
  item: (item) => ({ message: item.message, summary: item.sentence, fix: item.fix, detail: null }),
  value: (text) => text,
  subject: (subject) => (subject === undefined ? null : (subject.label ?? SUBJECT_NAMES[subject.kind])),
  notEvaluated: () => 'Not evaluated: give the expected issuer (the token’s own aud is never used: it is what is being checked).',
  note: (note) => {
    const subject = note.subject === undefined ? '' : (note.subject.label ?? SUBJECT_NAMES[note.subject.kind]);
    return ENGLISH_NOTES[note.code]
      .replace('{subject}', subject)
      .replace('{detail}', note.detail ?? '')
      .trim();
  },
  passed: (count) => `Rules passed: ${count}`,
  labels: {
    rule: 'Rule:',
    expected: 'Expected:',
    actual: 'Actual:',
    source: 'Source:',
    fix: 'How to fix:',
    detail: 'In the server’s words:',
    notEvaluated: 'Not evaluated',
  },
  gap: ' ',
  dpop: ENGLISH_DPOP_WORDS,
};

/** Options of `explanationText`. */
export interface ExplanationTextOptions {
  format: ExplanationTextFormat;
  words?: ExplanationWords;
  /** A heading: what was explained (`POST /oauth/par → 400`, a flow step). */
  title?: string;
}

/** A value as inline code, with a fence longer than any run of backticks inside it. */
function code(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** Text that Markdown would read as markup: `*`, `_`, `[`, `<` and friends escaped (backticks in a rule's sentence are kept: they are code). */
function prose(text: string): string {
  return text.replace(/([\\*_[\]<>#|])/g, '\\$1');
}

/** A rule's own sentence: its backticks and underscores are meant (code, parameter names); only `<` could start HTML. */
function sentence(text: string): string {
  return text.replace(/</g, '\\<');
}

/** A link a reader outside the app can follow: Parley's own `#/explain?rule=` links mean nothing in a ticket. */
function external(part: SourcePart): string | undefined {
  return part.href !== undefined && /^https?:\/\//.test(part.href) ? part.href : undefined;
}

/** A source with its documents linked: `[RFC 9101 §4](https://…)` in Markdown, `RFC 9101 §4 <https://…>` in plain text. */
export function sourceText(parts: readonly SourcePart[], format: ExplanationTextFormat): string {
  return parts
    .map((part) => {
      const href = external(part);
      if (format === 'markdown') return href === undefined ? prose(part.text) : `[${prose(part.text)}](${href})`;
      return href === undefined ? part.text : `${part.text} <${href}>`;
    })
    .join('');
}

/** One line per fact of an item, each `label text`, in the order a ticket reads them. */
function facts(item: ExplainItem, words: ExplanationWords, format: ExplanationTextFormat): string[] {
  const w = words.item(item);
  const { labels, gap } = words;
  const md = format === 'markdown';
  const text = (t: string) => (md ? prose(t) : t);
  const said = (t: string) => (md ? sentence(t) : t);
  const value = (t: string) => (md ? code(words.value(t)) : words.value(t));
  const lines: string[] = [];
  if (item.status === 'not-evaluated') lines.push(text(words.notEvaluated(item)));
  if (w.detail) lines.push(`${labels.detail}${gap}${text(w.detail)}`);
  if (w.summary && w.summary !== w.message) lines.push(`${labels.rule}${gap}${said(w.summary)}`);
  if (item.status === 'failed') {
    if (item.expected !== undefined) lines.push(`${labels.expected}${gap}${value(item.expected)}`);
    if (item.actual !== undefined) lines.push(`${labels.actual}${gap}${value(item.actual)}`);
  }
  if (item.source) lines.push(`${labels.source}${gap}${sourceText(item.sourceParts, format)}`);
  if (item.status === 'failed' && w.fix) lines.push(`${labels.fix}${gap}${said(w.fix)}`);
  return lines;
}

/** An item's first line: mark, id, subject when there are several, what happened. */
function headline(item: ExplainItem, words: ExplanationWords, format: ExplanationTextFormat, showSubject: boolean): string {
  const w = words.item(item);
  const subject = showSubject ? words.subject(item.subject) : null;
  const pending = item.status === 'not-evaluated';
  if (format === 'markdown') {
    const about = subject === null ? '' : ` (${code(subject)})`;
    return `**${code(item.id)}**${pending ? ` — ${prose(words.labels.notEvaluated)}` : ''}${about}: ${sentence(w.message)}`;
  }
  const about = subject === null ? '' : ` [${subject}]`;
  return `${pending ? '?' : '✗'} ${item.id}${pending ? ` (${words.labels.notEvaluated})` : ''}${about}: ${w.message}`;
}

/**
 * The explanation as Markdown or plain text: the title and verdict, then the DPoP views when the explanation
 * has them (the htu lens, the clock line, the nonce history), then each rule not passed (the first failing on top) with its facts, then `Rules passed: N` with their ids on one line, then the notes.
 * Secrets are removed from the result (`redactText`).
 */
export function explanationText(explanation: Explanation, options: ExplanationTextOptions): string {
  const { format, title } = options;
  const words = options.words ?? ENGLISH_WORDS;
  const md = format === 'markdown';
  const subjects = new Set(explanation.items.map((i) => `${i.subject?.kind ?? ''}:${i.subject?.label ?? ''}`));
  const showSubject = subjects.size > 1;
  const open = explanation.items.filter((i) => i.status !== 'passed');
  const passed = explanation.items.filter((i) => i.status === 'passed');
  const lines: string[] = [];
  if (title) lines.push(md ? `### ${prose(title)}` : title, '');
  lines.push(md ? `**${prose(words.verdict(explanation))}**` : words.verdict(explanation));
  const dpop = dpopTextLines(explanation.dpop, words.dpop, { markdown: md, value: md ? code : (t) => t, prose: md ? prose : (t) => t });
  if (dpop.length > 0) lines.push('', ...dpop);
  if (open.length > 0) lines.push('');
  open.forEach((item, index) => {
    if (md) {
      const marker = `${index + 1}. `;
      lines.push(`${marker}${headline(item, words, format, showSubject)}`);
      for (const fact of facts(item, words, format)) lines.push(`${' '.repeat(marker.length)}- ${fact}`);
    } else {
      if (index > 0) lines.push('');
      lines.push(headline(item, words, format, showSubject));
      for (const fact of facts(item, words, format)) lines.push(`  ${fact}`);
    }
  });
  if (passed.length > 0) {
    const ids = [...new Set(passed.map((i) => i.id))];
    lines.push('', `${words.passed(passed.length)} (${ids.map((id) => (md ? code(id) : id)).join(', ')})`);
  }
  if (explanation.notes.length > 0) {
    lines.push('');
    for (const note of explanation.notes) lines.push(`- ${md ? prose(words.note(note)) : words.note(note)}`);
  }
  return redactText(`${lines.join('\n')}\n`);
}
