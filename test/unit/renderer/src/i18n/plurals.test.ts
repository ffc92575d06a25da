/**
 * Counted strings beyond `{{count}}` (issue 19, "i18next plurals for every counted string"): a number
 * interpolated under another name ("At least {{min}} characters", "{{size}} bits") reads "1 characters"
 * when it is 1, and French and Japanese cannot agree with it either. So a placeholder followed by a counted
 * noun must be `{{count}}` in a plural key (key_one/key_other; ja-JP key_other), which
 * catalogues.test.ts then checks in every language and at every t() call.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../../../../shared/schemas/settings';

const repo = join(import.meta.dirname, '../../../../..');
const rendererSrc = join(repo, 'renderer/src');
const localesDir = join(rendererSrc, 'i18n/locales');
const load = (language: string): unknown => JSON.parse(readFileSync(join(localesDir, `${language}.json`), 'utf8'));

/** Every string of a catalogue by its dotted key. */
function strings(value: unknown, prefix = ''): [string, string][] {
  if (typeof value === 'string') return [[prefix, value]];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => strings(v, prefix ? `${prefix}.${k}` : k));
}

/**
 * Nouns a number counts in Parley's sentences, in the plural (a sentence written for several reads "1 bits"
 * when the number is 1). Units written as symbols (ms, s, h, KB) do not agree, and are not here.
 */
const COUNTED =
  /^(?:characters|bits|bytes|credentials|keys|hours|minutes|seconds|days|requests|rules|parameters|problems|warnings|differences|checks|cases|parts|items|entries|runs|users|applications|tokens|claims|steps|exchanges|findings|errors|times|matches|results|values|files|commands)\b/;

const PLURAL_KEY = /_(?:zero|one|two|few|many|other)$/;

/** Placeholders that are words, not numbers, before such a noun: the JWT's part ("header claims", "payload differences"). */
const WORDS = new Set(['part']);

/**
 * The English strings where a placeholder other than a plural key's `{{count}}` is followed by a counted noun.
 * Not flagged: a range ("{{min}}–{{max}} bits": the noun agrees with the upper bound, always several) and a
 * partitive ("{{count}} of {{total}} requests": the noun agrees with the count, which is the plural key's).
 */
export function uncountedNumbers(catalogue: unknown): string[] {
  const found: string[] = [];
  for (const [key, text] of strings(catalogue)) {
    // ruleValues is the table that recognises the server's English wire texts (renderer/src/i18n/rule-values.ts):
    // its English side is the text as the server writes it, matched as a pattern, not a sentence of the UI.
    if (key.startsWith('ruleValues.')) continue;
    for (const m of text.matchAll(/\{\{\s*(\w+)\s*(?:,[^}]*)?\}\}(?=\s+(\S+))/g)) {
      const [, name, next] = m;
      const before = text.slice(0, m.index);
      if (!COUNTED.test(next ?? '') || WORDS.has(name ?? '') || before.endsWith('–') || /\bof $/.test(before)) continue;
      if (name === 'count' && PLURAL_KEY.test(key)) continue;
      found.push(`${key}: ${text}`);
    }
  }
  return found;
}

describe('UI catalogues › every counted number has plural forms', () => {
  it('no English string counts a noun with a number that is not a plural key’s {{count}}', () => {
    expect(uncountedNumbers(load('en'))).toEqual([]);
  });

  it('the check finds a number counting a noun outside a plural key (the scan itself works)', () => {
    expect(
      uncountedNumbers({
        a: { hint: 'At least {{min}} characters.', size: '{{bytes, number}} bytes', ok_one: '{{count}} request', ok_other: '{{count}} requests' },
      }),
    ).toEqual(['a.hint: At least {{min}} characters.', 'a.size: {{bytes, number}} bytes']);
    expect(uncountedNumbers({ a: '{{min}}–{{max}} bits', b_other: '{{count}} of {{total}} requests', c: '{{ms}} ms' })).toEqual([]);
  });

  it('1 and 2 agree with their noun in every language, numbers formatted in the UI language', async () => {
    const { createInstance } = await import('i18next');
    const i18n = createInstance();
    await i18n.init({
      resources: Object.fromEntries(LANGUAGES.map((l) => [l, { translation: load(l) as object }])),
      lng: 'en',
      fallbackLng: false,
      interpolation: { escapeValue: false },
    });
    const en = i18n.getFixedT('en');
    const fr = i18n.getFixedT('fr-CA');
    const ja = i18n.getFixedT('ja-JP');
    expect([en('vault.setup.tooShort', { count: 1 }), en('vault.setup.tooShort', { count: 12 })]).toEqual([
      'Use at least 1 character.',
      'Use at least 12 characters.',
    ]);
    expect([fr('vault.setup.tooShort', { count: 1 }), fr('vault.setup.tooShort', { count: 12 })]).toEqual([
      'Utilisez au moins 1 caractère.',
      'Utilisez au moins 12 caractères.',
    ]);
    expect(ja('vault.setup.tooShort', { count: 1 })).toBe('1文字以上で入力してください。');
    expect([en('keys.detail.bits', { count: 1 }), en('keys.detail.bits', { count: 2048 })]).toEqual(['1 bit', '2048 bits']);
    expect([en('server.clock.tooFar', { count: 1 }), fr('server.clock.tooFar', { count: 1 }), fr('server.clock.tooFar', { count: 48 })]).toEqual([
      'The offset is at most 1 hour.',
      'Le décalage est d’au plus 1 heure.',
      'Le décalage est d’au plus 48 heures.',
    ]);
    expect([en('server.creds.full', { count: 1 }), en('server.creds.full', { count: 2 })]).toEqual([
      'An application can have at most 1 credential. Delete it to add another.',
      'An application can have at most 2 credentials. Delete one to add another.',
    ]);
    expect([en('inspect.decoded.size', { count: 1 }), fr('inspect.decoded.size', { count: 1 }), en('inspect.errors.tooLarge', { count: 1048576 })]).toEqual([
      '1 byte',
      '1 octet',
      'The token is larger than 1,048,576 bytes, the most Inspect decodes.',
    ]);
    expect(fr('inspect.errors.tooLarge', { count: 1048576 })).toBe(
      `Le jeton dépasse ${new Intl.NumberFormat('fr-CA').format(1048576)} octets, le maximum que décode l’écran Inspecter.`,
    );
  });
});

/** The renderer's source files. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

describe('numbers and dates in the UI language', () => {
  it('no renderer code makes an Intl formatter, or calls toLocale…String, without the UI language', () => {
    // catalogues.test.ts refuses the bare `toLocaleString()`; an explicit `undefined` or an empty call is the same system locale.
    const systemLocale =
      /new Intl\.(?:NumberFormat|DateTimeFormat|RelativeTimeFormat|ListFormat|PluralRules)\(\s*(?:undefined\b|\))|\.toLocale(?:Date|Time)?String\(\s*undefined\b/;
    const found = sourceFiles(rendererSrc)
      .filter((file) => systemLocale.test(readFileSync(file, 'utf8')))
      .map((file) => relative(repo, file));
    expect(found).toEqual([]);
    expect(systemLocale.test('new Intl.NumberFormat(undefined, { style: "unit" })')).toBe(true);
    expect(systemLocale.test('new Intl.DateTimeFormat(language, {})')).toBe(false);
  });

  it('durations are numbers in the UI language: "1,234 ms", "1 234 ms"', async () => {
    const { createInstance } = await import('i18next');
    const i18n = createInstance();
    await i18n.init({
      resources: Object.fromEntries(LANGUAGES.map((l) => [l, { translation: load(l) as object }])),
      lng: 'en',
      fallbackLng: false,
      interpolation: { escapeValue: false },
    });
    expect(i18n.getFixedT('en')('flows.run.duration', { ms: 1234 })).toBe('1,234 ms');
    expect(i18n.getFixedT('fr-CA')('server.trace.ms', { ms: 1234 })).toBe(`${new Intl.NumberFormat('fr-CA').format(1234)} ms`);
  });
});
