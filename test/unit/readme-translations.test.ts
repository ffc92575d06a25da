/**
 * README.fr-CA.md and README.ja-JP.md (issue #17: "README and screens in en, fr-CA and ja-JP") are short
 * translations: what Parley is, how to start it, and the DPoP part of README.md in full. Translations drift
 * silently, so this test holds them to the product rather than to the English wording: the npm scripts they
 * name exist, the rule ids exist in the specs (or are Parley's own), relative links resolve, the `parley` flags
 * are in the CLI's help, every UI label they quote is a value of that language's catalogue, and every DPoP rule
 * id README.md names is named in each translation too (README.md's DPoP parts grow; a translation that falls
 * behind fails here). The checks are plain functions over text, so the last test plants mistakes in a copy and
 * shows each is caught.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LOCAL_RULE_IDS } from '../../electron/core/server/rules';
import { SCRATCH_PUBLIC_CLIENT_NAME } from '../../electron/core/faults/scratch-client';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFileSync(join(repo, path), 'utf8');

/** Each translation, the catalogue its labels come from, and how it quotes a label. */
const TRANSLATIONS = [
  { file: 'README.fr-CA.md', locale: 'fr-CA', quotes: [/«([^«»]+)»/g] },
  { file: 'README.ja-JP.md', locale: 'ja-JP', quotes: [/［([^［］]+)］/g, /「([^「」]+)」/g] },
] as const;

/**
 * Quoted text that is not a UI label, each with its reason. Only the name the server gives Break it's public
 * scratch application, which is English in every language (it is data, shown as Auth0 would show a client name).
 */
const NON_UI_QUOTES: ReadonlyMap<string, string> = new Map([[SCRATCH_PUBLIC_CLIENT_NAME, "Break it's public scratch application's name"]]);

/** npm's own commands (not package.json scripts) a README may name. */
const NPM_BUILTINS = new Set(['install', 'ci']);

/** The DPoP families of dpop-rules.md: proof, binding, nonce, configuration, edge cases and the X-D rows. */
const DPOP_ID = /\b(?:DP[PBNC]-\d+|ED-\d+|X-D\d+)\b/g;

/** Prose only: fenced code blocks and inline code removed (a quote or id inside code is not prose). */
function prose(text: string): string {
  return text.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`]*`/g, '');
}

/** Same spacing everywhere: fr-CA's no-break spaces and line wraps inside a quote become one space. */
function normalize(text: string): string {
  return text
    .replace(/[\u00a0\u202f\s]+/g, ' ')
    .replace(/^ | $/g, '')
    .trim();
}

function flatValues(node: unknown, out: string[] = []): string[] {
  if (typeof node === 'string') out.push(node);
  else if (node !== null && typeof node === 'object') for (const value of Object.values(node)) flatValues(value, out);
  return out;
}

/** A catalogue value as a pattern: `{{name}}` (and a space beside it) stands for any text, the README's `<nom>`. */
function labelPattern(value: string): RegExp {
  const parts = normalize(value).split(/ ?\{\{\w+\}\} ?/);
  return new RegExp(`^${parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('(?: ?.*? ?)')}$`, 'u');
}

function unknownLabels(text: string, quotes: readonly RegExp[], catalogue: readonly string[]): string[] {
  // A value that is only placeholders and punctuation (`{{name}} ({{id}})`) would match any label: not a label.
  const words = /\p{L}{2}|[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
  const patterns = catalogue.filter((value) => words.test(value.replace(/\{\{\w+\}\}/g, ''))).map(labelPattern);
  const body = prose(text);
  const labels = quotes.flatMap((quote) => [...body.matchAll(quote)].map((m) => normalize(m[1]!)));
  return labels.filter((label) => !NON_UI_QUOTES.has(label) && !patterns.some((p) => p.test(label)));
}

function unknownScripts(text: string, scripts: readonly string[]): string[] {
  const named = [...text.matchAll(/\bnpm (run )?([a-z][\w:-]*)/g)].map((m) => ({ run: m[1] !== undefined, name: m[2]! }));
  return named.filter(({ run, name }) => !scripts.includes(name) && (run || !NPM_BUILTINS.has(name))).map(({ name }) => name);
}

/** The rule ids of the specs: `- **DPP-1 …` list items and `| X-D1 |` table rows. */
function specRuleIds(): Set<string> {
  const ids = new Set<string>(LOCAL_RULE_IDS);
  for (const spec of ['server-rules.md', 'dpop-rules.md']) {
    const text = read(join('test', 'fixtures', 'spec', spec));
    for (const m of text.matchAll(/^- \*\*([A-Z]{1,4}-\d+)\b/gm)) ids.add(m[1]!);
    for (const m of text.matchAll(/^\| (X-D\d+) \|/gm)) ids.add(m[1]!);
  }
  return ids;
}

function unknownRuleIds(text: string, known: ReadonlySet<string>): string[] {
  const prefixes = new Set([...known].map((id) => id.replace(/\d+$/, '')));
  const named = [...text.matchAll(/\b(?:X-D|[A-Z]{2,4}-)\d+\b/g)].map((m) => m[0]);
  return named.filter((id) => prefixes.has(id.replace(/\d+$/, '')) && !known.has(id));
}

/** GitHub's heading anchors: lower case, punctuation dropped (Latin and CJK alike), spaces as hyphens. */
function anchors(markdown: string): Set<string> {
  const headings = [...prose(markdown.replace(/`([^`\n]*)`/g, '$1')).matchAll(/^#{1,6} (.+)$/gm)].map((m) => m[1]!);
  return new Set(
    headings.map((h) =>
      h
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\p{M} _-]/gu, '')
        .replace(/ /g, '-'),
    ),
  );
}

function brokenLinks(text: string, from: string): string[] {
  const links = [...prose(text).matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
  return links
    .filter((link) => !/^[a-z][a-z+.-]*:/i.test(link))
    .filter((link) => {
      const [path, anchor] = link.split('#') as [string, string | undefined];
      const target = path === '' ? from : join(dirname(from), path);
      if (!existsSync(join(repo, target))) return true;
      return anchor !== undefined && target.endsWith('.md') && !anchors(read(target)).has(anchor);
    });
}

/** The CLI's help text: the USAGE template of electron/cli/parley.ts, which `parley --help` prints. */
function cliHelp(): string {
  const usage = /const USAGE = `([\s\S]*?)`;/.exec(read('electron/cli/parley.ts'));
  if (!usage) throw new Error('electron/cli/parley.ts has no USAGE text: update this test to find the help text');
  return usage[1]!;
}

/**
 * The `parley` flags a translation names: in code that runs `parley`, and anywhere in its command-line section
 * (the one whose heading names `parley`). Other commands' flags (`npm run server -- --port`, `curl --cert`) are
 * not `parley`'s.
 */
function unknownCliFlags(text: string, help: string): string[] {
  const cliSections = [...text.matchAll(/^(#{2,6}) .*parley[^\n]*\n([\s\S]*?)(?=^#{1,6} |(?![\s\S]))/gm)].map((m) => m[2]!);
  const parleyCode = [...text.matchAll(/^parley [^\n]*(?:\\\n[^\n]*)*/gm), ...text.matchAll(/`parley [^`]*`/g)].map((m) => m[0]);
  const flags = [...cliSections, ...parleyCode].flatMap((part) => [...part.matchAll(/(?<![\w-])--[a-z][\w-]*/g)].map((m) => m[0]));
  return [...new Set(flags)].filter((flag) => !new RegExp(`(?<![\\w-])${flag}(?![\\w-])`).test(help));
}

function dpopIds(text: string): Set<string> {
  return new Set(text.match(DPOP_ID) ?? []);
}

const english = read('README.md');
const scripts = Object.keys((JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts);
const known = specRuleIds();
const help = cliHelp();
const catalogue = (locale: string) => flatValues(JSON.parse(read(`renderer/src/i18n/locales/${locale}.json`)));

describe('README translations (issue #17: README in en, fr-CA and ja-JP)', () => {
  it('README.md links both translations at its top', () => {
    const top = english.split('\n').slice(0, 5).join('\n');
    expect(top).toContain('](README.fr-CA.md)');
    expect(top).toContain('](README.ja-JP.md)');
  });

  describe.each(TRANSLATIONS)('$file', ({ file, locale, quotes }) => {
    const text = read(file);

    it('says the English README is the complete reference, and links it', () => {
      expect(text.split('\n').slice(0, 12).join('\n')).toContain('](README.md)');
    });

    it('names only npm scripts package.json has', () => {
      expect(text).toMatch(/\bnpm run web\b/);
      expect(unknownScripts(text, scripts)).toEqual([]);
    });

    it('names only rule ids of the specs (or Parley’s own server rules)', () => {
      expect(unknownRuleIds(text, known)).toEqual([]);
    });

    it('names every DPoP rule id README.md names (its DPoP parts are all translated)', () => {
      const missing = [...dpopIds(english)].filter((id) => !dpopIds(text).has(id));
      expect(dpopIds(english).size).toBeGreaterThan(10);
      expect(missing).toEqual([]);
    });

    it('links only to files (and headings) that exist', () => {
      expect(brokenLinks(text, file)).toEqual([]);
    });

    it('names only `parley` flags its --help lists', () => {
      expect(text).toContain('--as dpop-proof');
      expect(unknownCliFlags(text, help)).toEqual([]);
    });

    it(`quotes only UI labels the ${locale} catalogue has`, () => {
      const body = prose(text);
      expect(quotes.flatMap((q) => [...body.matchAll(q)]).length).toBeGreaterThan(20);
      expect(unknownLabels(text, quotes, catalogue(locale))).toEqual([]);
    });
  });

  it('catches drift: a planted wrong label, flag, script, rule id, link and a missing DPoP id', () => {
    const fr = read('README.fr-CA.md');
    const planted = fr
      .replace(/«\s*Loupe htu\s*»/, '« Lentille htu »')
      .replace('--nonce "$NONCE"', '--nonce-value "$NONCE"')
      .replace('npm run web ', 'npm run webmode ')
      .replace('(DPP-8)', '(DPP-8, DPP-99)')
      .replace('](README.md#https)', '](README.md#https-only)')
      .replace(/DPB-15/g, 'DPB-1');
    expect(unknownLabels(planted, TRANSLATIONS[0].quotes, catalogue('fr-CA'))).toEqual(['Lentille htu']);
    expect(unknownCliFlags(planted, help)).toEqual(['--nonce-value']);
    expect(unknownScripts(planted, scripts)).toEqual(['webmode']);
    expect(unknownRuleIds(planted, known)).toEqual(['DPP-99']);
    expect(brokenLinks(planted, 'README.fr-CA.md')).toEqual(['README.md#https-only']);
    expect([...dpopIds(english)].filter((id) => !dpopIds(planted).has(id))).toEqual(['DPB-15']);

    const ja = read('README.ja-JP.md').replace('［htuレンズ］', '［htu拡大鏡］');
    expect(unknownLabels(ja, TRANSLATIONS[1].quotes, catalogue('ja-JP'))).toEqual(['htu拡大鏡']);
  });
});
