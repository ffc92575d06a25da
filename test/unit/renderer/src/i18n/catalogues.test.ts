/**
 * The UI catalogues stay complete and consistent: the same keys in every language, no empty value, the
 * same interpolation placeholders, and every literal key the renderer passes to `t()` present in English.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { labelGap } from '../../../../../renderer/src/i18n/format';
import { LANGUAGES } from '../../../../../shared/schemas/settings';

const repo = fileURLToPath(new URL('../../../../../', import.meta.url));
const rendererSrc = join(repo, 'renderer/src');
const localesDir = join(rendererSrc, 'i18n/locales');

type Flat = Map<string, unknown>;

function flatten(value: unknown, prefix = '', out: Flat = new Map()): Flat {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out.set(prefix, value);
  }
  return out;
}

function load(language: string): Flat {
  return flatten(JSON.parse(readFileSync(join(localesDir, `${language}.json`), 'utf8')) as unknown);
}

/** The names inside {{…}}, sorted and deduplicated ("{{date, datetime}}" counts as "date"). */
function placeholders(text: string): string[] {
  const names = [...text.matchAll(/\{\{\s*([^},\s]+)[^}]*\}\}/g)].map((m) => m[1] ?? '');
  return [...new Set(names)].sort();
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Literal keys passed to t(): `t('a.b')`, `t("a.b", {...})`, `i18n.t('a.b')`, and `<Trans i18nKey="a.b">`. */
function literalKeys(source: string): string[] {
  const calls = [...source.matchAll(/\bt\(\s*(['"])((?:(?!\1)[^\\\n])+)\1/g)].map((m) => m[2] ?? '');
  const trans = [...source.matchAll(/\bi18nKey=(['"])([\w.]+)\1/g)].map((m) => m[2] ?? '');
  return [...calls, ...trans];
}

const catalogues = new Map(LANGUAGES.map((language) => [language, load(language)] as const));
const english = catalogues.get('en')!;

const PLURAL = /_(zero|one|two|few|many|other)$/;

/** The plural forms i18next looks up for a language (`_one`/`_other`; Japanese has only `_other`). */
function pluralForms(language: string): string[] {
  const categories = new Intl.PluralRules(language).resolvedOptions().pluralCategories as string[];
  return ['one', 'other'].filter((c) => categories.includes(c));
}

/** A catalogue's keys with every plural key replaced by the forms that language needs (`a_one` → `a_one`, `a_other`). */
function expectedKeys(keys: Iterable<string>, language: string): Set<string> {
  const out = new Set<string>();
  for (const key of keys) {
    const plural = PLURAL.exec(key);
    if (!plural) out.add(key);
    else for (const form of pluralForms(language)) out.add(`${key.slice(0, plural.index)}_${form}`);
  }
  return out;
}

/** A key as t() names it: `a_one`/`a_other` are the plural forms of `a`. */
function baseKey(key: string): string {
  return key.replace(PLURAL, '');
}

describe('UI catalogues › completeness', () => {
  it('has exactly one catalogue per language of the contract', () => {
    const files = readdirSync(localesDir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.replace(/\.json$/, ''))
      .sort();
    expect(files).toEqual([...LANGUAGES].sort());
  });

  for (const [a, catalogueA] of catalogues) {
    for (const [b, catalogueB] of catalogues) {
      if (a === b) continue;
      it(`${b} has every key of ${a} (plural keys in the forms ${b} needs)`, () => {
        const missing = [...expectedKeys(catalogueA.keys(), b)].filter((key) => !catalogueB.has(key));
        expect(missing, `keys of ${a}.json missing from ${b}.json`).toEqual([]);
      });
    }
  }

  for (const [language, catalogue] of catalogues) {
    it(`${language} has exactly the plural forms its language uses (${pluralForms(language)
      .map((f) => `_${f}`)
      .join(', ')})`, () => {
      const bases = new Set([...catalogue.keys()].filter((key) => PLURAL.test(key)).map(baseKey));
      const wrong: string[] = [];
      for (const base of bases) {
        const forms = [...catalogue.keys()].filter((key) => baseKey(key) === base && PLURAL.test(key)).map((key) => key.slice(base.length + 1));
        if (forms.sort().join() !== pluralForms(language).sort().join()) wrong.push(`${base}: ${forms.join(', ')}`);
        if (catalogue.has(base)) wrong.push(`${base}: also a singular key`);
      }
      expect(wrong).toEqual([]);
    });

    it(`${language} has no empty or non-string value`, () => {
      const bad = [...catalogue].filter(([, value]) => typeof value !== 'string' || value.trim() === '').map(([key]) => key);
      expect(bad, `empty or non-string values in ${language}.json`).toEqual([]);
    });
  }
});

describe('UI catalogues › sentences with an element inside (<Trans>)', () => {
  // "Drop a file on this area, or [Choose a file]" was a sentence cut in two keys; ja-JP must end with the verb
  // after the button, so the button is a tag inside one whole sentence in every language.
  const tags = (text: string) => [...text.matchAll(/<(\w+)>/g)].map((m) => m[1]).sort();
  for (const language of LANGUAGES) {
    it(`${language}: keys.import.dropHint holds the file button as <choose>…</choose>, and every tagged string has English's tags`, () => {
      expect(String(catalogues.get(language)!.get('keys.import.dropHint'))).toMatch(/<choose>[^<]+<\/choose>/);
      const mismatched = [...english]
        .filter(([, v]) => typeof v === 'string' && /<\w+>/.test(v))
        .filter(([key, v]) => JSON.stringify(tags(String(catalogues.get(language)!.get(key) ?? ''))) !== JSON.stringify(tags(String(v))))
        .map(([key]) => key);
      expect(mismatched).toEqual([]);
    });
  }
});

describe('UI catalogues › interpolation', () => {
  for (const [language, catalogue] of catalogues) {
    if (language === 'en') continue;
    it(`${language} uses the same {{placeholders}} as English`, () => {
      const differing: string[] = [];
      for (const [key, value] of english) {
        const other = catalogue.get(key);
        if (typeof value !== 'string' || typeof other !== 'string') continue;
        const expected = placeholders(value).join(',');
        const actual = placeholders(other).join(',');
        if (expected !== actual) differing.push(`${key}: en {${expected}} vs ${language} {${actual}}`);
      }
      expect(differing).toEqual([]);
    });
  }

  it('placeholders are recognised, with or without a format', () => {
    expect(placeholders('{{b}} and {{a}} and {{ a }} and {{date, datetime}}')).toEqual(['a', 'b', 'date']);
  });
});

describe('UI catalogues › keys used by the renderer', () => {
  const files = sourceFiles(rendererSrc);
  const used = new Map<string, string[]>();
  for (const file of files) {
    for (const key of literalKeys(readFileSync(file, 'utf8'))) {
      used.set(key, [...(used.get(key) ?? []), relative(repo, file)]);
    }
  }

  it('finds the t() calls (the scan itself works)', () => {
    expect(literalKeys(`t('a.b'); t("c.d", { x }); i18n.t('e') ; format('no'); t(\`dyn\`)`)).toEqual(['a.b', 'c.d', 'e']);
    expect(literalKeys(`<Trans i18nKey="f.g" t={t} />`)).toEqual(['f.g']);
    expect(used.size).toBeGreaterThan(50);
  });

  it('every literal t() key in renderer/src exists in en.json', () => {
    const missing = [...used]
      .filter(([key]) => typeof english.get(key) !== 'string' && typeof english.get(`${key}_other`) !== 'string')
      .map(([key, where]) => `${key} (${where.join(', ')})`);
    expect(missing).toEqual([]);
  });

  // The one exception: the rule-value table (renderer/src/i18n/rule-values.ts) looks its own section up by
  // key, the keys being the table's rows; test/unit/renderer/src/i18n/rule-values.test.ts checks that section instead.
  const RULE_VALUES_MODULE = join(rendererSrc, 'i18n/rule-values.ts');

  it('no t() call builds its key at run time (the scan could not check it)', () => {
    const dynamic = files.filter((file) => file !== RULE_VALUES_MODULE && /\bt\(\s*`/.test(readFileSync(file, 'utf8'))).map((file) => relative(repo, file));
    expect(dynamic).toEqual([]);
    expect(readFileSync(RULE_VALUES_MODULE, 'utf8')).toMatch(/\bt\(`ruleValues\.\$\{/);
  });

  it('every key in en.json is used somewhere in renderer/src', () => {
    const unused = [...english.keys()].filter((key) => !used.has(key) && !used.has(baseKey(key)) && !key.startsWith('ruleValues.'));
    expect(unused).toEqual([]);
  });
});

describe('UI catalogues › counted strings have plural forms', () => {
  // "1 requests", "1 différences", "All 1 rules passed": a sentence holding {{count}} agrees with it only
  // through i18next's plural forms, so every such string is a plural key, in every language.
  for (const [language, catalogue] of catalogues) {
    it(`${language}: every string with {{count}} is a plural form (key_one/key_other)`, () => {
      const singular = [...catalogue]
        .filter(([key, value]) => typeof value === 'string' && placeholders(value).includes('count') && !PLURAL.test(key))
        .map(([key]) => key);
      expect(singular).toEqual([]);
    });
  }

  it('every t() call of a plural key passes `count` (the number its noun agrees with)', () => {
    const plural = new Set([...english.keys()].filter((key) => PLURAL.test(key)).map(baseKey));
    const without: string[] = [];
    for (const file of sourceFiles(rendererSrc)) {
      const source = readFileSync(file, 'utf8');
      for (const m of source.matchAll(/\bt\(\s*(['"])([\w.]+)\1\s*(?:,\s*\{([^}]*)\})?/g)) {
        const key = m[2] ?? '';
        if (plural.has(key) && !/\bcount\b/.test(m[3] ?? '')) without.push(`${key} (${relative(repo, file)})`);
      }
    }
    expect(plural.size).toBeGreaterThan(10);
    expect(without).toEqual([]);
  });

  it('in every language, no count of 1 meets a plural noun, and no count of 0 or 2 a singular one (spot checks)', async () => {
    const { createInstance } = await import('i18next');
    const i18n = createInstance();
    await i18n.init({
      resources: Object.fromEntries(LANGUAGES.map((l) => [l, { translation: JSON.parse(readFileSync(join(localesDir, `${l}.json`), 'utf8')) as object }])),
      lng: 'en',
      fallbackLng: false,
      interpolation: { escapeValue: false },
    });
    const en = i18n.getFixedT('en');
    const fr = i18n.getFixedT('fr-CA');
    const ja = i18n.getFixedT('ja-JP');
    expect(en('server.logs.summary', { count: 1, max: 500 })).toMatch(/^1 request, /);
    expect(en('server.logs.summary', { count: 2, max: 500 })).toMatch(/^2 requests, /);
    expect(fr('server.logs.summary', { count: 1, max: 500 })).toMatch(/^1 requête, /);
    expect(fr('server.logs.summary', { count: 0, max: 500 })).toMatch(/^0 requête, /);
    expect(fr('server.logs.cleared', { count: 1 })).toBe('Journaux vidés (1 requête supprimée).');
    expect([
      en('inspect.compare.differences', { count: 1 }),
      fr('inspect.compare.differences', { count: 1 }),
      fr('inspect.compare.differences', { count: 3 }),
    ]).toEqual(['1 difference', '1 différence', '3 différences']);
    expect(en('explain.verdict.passed', { count: 1 })).toBe('1 rule passed.');
    expect(en('explain.verdict.passed', { count: 19 })).toBe('All 19 rules passed.');
    expect(fr('explain.verdict.passed', { count: 1 })).toBe('1 règle respectée.');
    expect(en('explain.verdict.failed', { rule: 'JAR-11', failed: 1, count: 1 })).toBe('JAR-11 fails — 1 of 1 rule failed.');
    expect(fr('inspect.lint.summaryFailed', { failed: 2, count: 1 })).toBe('2 en échec, 1 réussie');
    expect(fr('inspect.lint.summaryPassed', { count: 1 })).toBe('1 vérification réussie');
    expect(en('inspect.lint.summaryPassed', { count: 1 })).toBe('1 check passed');
    expect(fr('inspect.errors.wrongPartCount', { count: 1 })).toMatch(/^Le jeton a 1 partie séparée /);
    expect(en('explain.errors.jwtParts', { count: 2 })).toMatch(/the token has 2 dot-separated parts;/);
    expect(fr('compose.breakIt.summary', { count: 1, total: 6 })).toBe('1 sur 6 conforme à la spécification');
    expect(fr('server.apis.permissionsCount', { count: 0, total: 4 })).toBe('0 sélectionnée sur 4');
    expect(ja('explain.verdict.passed', { count: 1 })).toBe('ルール1件すべてに合格しました。');
  });
});

/** A language's UI catalogue and its rule-text catalogue (renderer/src/i18n/rules), whose sentences share the screens. */
function withRuleTexts(language: (typeof LANGUAGES)[number]): Flat {
  const rules = flatten(JSON.parse(readFileSync(join(rendererSrc, `i18n/rules/${language}.json`), 'utf8')) as unknown, `rules/${language}.json`);
  return new Map([...catalogues.get(language)!, ...rules]);
}

describe('UI and rule-text catalogues › punctuation (shared/design/i18n-terminology.md)', () => {
  const JP = '\\u3040-\\u30ff\\u4e00-\\u9fff\\u3000-\\u303f\\uff01-\\uff60';
  const fr = withRuleTexts('fr-CA');
  const ja = withRuleTexts('ja-JP');

  it('covers the rule texts too (the scan reads both catalogues)', () => {
    expect([...fr.keys()].filter((k) => k.startsWith('rules/fr-CA.json.rules.')).length).toBeGreaterThan(100);
    expect([...ja.keys()].filter((k) => k.startsWith('rules/ja-JP.json.rules.')).length).toBeGreaterThan(100);
  });
  const offending = (catalogue: Flat, pattern: RegExp) =>
    [...catalogue].filter(([, v]) => typeof v === 'string' && pattern.test(v)).map(([k, v]) => `${k}: ${String(v)}`);

  it('fr-CA: a no-break space (never an ordinary one) before ":" and inside « »; ’ for apostrophes', () => {
    expect(offending(fr, / :/)).toEqual([]);
    expect(offending(fr, /« | »/)).toEqual([]);
    expect(offending(fr, /[A-Za-zÀ-ÿ]'[A-Za-zÀ-ÿ]/)).toEqual([]);
  });

  it('ja-JP: full-width ：（）, and no half-width space between Japanese and Latin text, digits or placeholders', () => {
    expect(offending(ja, new RegExp(`[${JP}] ?:`))).toEqual([]);
    expect(offending(ja, new RegExp(`[${JP}] ?\\(|\\) ?[${JP}]`))).toEqual([]);
    expect(offending(ja, new RegExp(`[${JP}] +[A-Za-z0-9{]|[A-Za-z0-9}] +[${JP}]`))).toEqual([]);
  });

  it('numbers follow the UI language, not the system locale (i18next formats {{n, number}})', async () => {
    const { createInstance } = await import('i18next');
    const i18n = createInstance();
    await i18n.init({
      resources: Object.fromEntries(LANGUAGES.map((l) => [l, { translation: JSON.parse(readFileSync(join(localesDir, `${l}.json`), 'utf8')) as object }])),
      lng: 'en',
      fallbackLng: false,
    });
    expect(i18n.getFixedT('fr-CA')('inspect.decoded.size', { count: 1234567 })).toBe(`${new Intl.NumberFormat('fr-CA').format(1234567)} octets`);
    expect(i18n.getFixedT('en')('inspect.decoded.size', { count: 1234567 })).toBe('1,234,567 bytes');
    expect(i18n.getFixedT('ja-JP')('inspect.decoded.size', { count: 1234567 })).toBe('1,234,567バイト');
  });

  it('no renderer code formats numbers or dates in the system locale (toLocaleString() without a language)', () => {
    const bare = sourceFiles(rendererSrc)
      .filter((file) => /\.toLocale(?:Date|Time)?String\(\s*\)/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(repo, file));
    expect(bare).toEqual([]);
  });

  it('no renderer code joins a list with ", " inside a sentence (Intl.ListFormat via renderer/src/i18n/list.ts)', () => {
    const joined = sourceFiles(rendererSrc)
      .filter((file) => /\bt\(\s*'[\w.]+'\s*,\s*\{[^}]*\.join\(\s*(['"])[,、] ?\1\s*\)/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(repo, file));
    expect(joined).toEqual([]);
    // Nor shows one as text: a list of values reads "a、b、c" in Japanese and "a, b et c" in French.
    // The exported programs (features/flows/export/code) are code with English comments, not UI text: their lists stay ', '.
    const programWriters = join(rendererSrc, 'features', 'flows', 'export', 'code');
    const shown = sourceFiles(rendererSrc)
      .filter((file) => !file.startsWith(programWriters))
      .filter((file) => /\.join\(\s*(['"])[,、] ?\1\s*\)/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(repo, file));
    expect(shown).toEqual([]);
  });

  it('no JSX puts a fixed half-width space after a label that ends in "：" in ja-JP (labelGap in renderer/src/i18n/format.ts)', () => {
    // `{t('server.trace.source')} {…}` or `…</strong> <span>` renders "出典： …" in Japanese.
    const endsInColon = (key: string) => /：$/.test(String(ja.get(key) ?? ''));
    const spaced = sourceFiles(rendererSrc).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/\{t\('([\w.]+)'\)\}(?:<\/\w+>)?(?: |\s*\{' '\})/g)]
        .filter((m) => endsInColon(m[1]!))
        .map((m) => `${relative(repo, file)}: ${m[0]}`),
    );
    expect(spaced).toEqual([]);
    expect([labelGap('ja-JP'), labelGap('fr-CA'), labelGap('en')]).toEqual(['', ' ', ' ']);
  });
});

describe('UI catalogues › plural forms through i18next', () => {
  it('counts agree with their noun: "1 problème", "2 problèmes", "1 problem", "問題1件"', async () => {
    const { createInstance } = await import('i18next');
    const i18n = createInstance();
    await i18n.init({
      resources: Object.fromEntries(LANGUAGES.map((l) => [l, { translation: JSON.parse(readFileSync(join(localesDir, `${l}.json`), 'utf8')) as object }])),
      lng: 'en',
      fallbackLng: false,
    });
    const problems = (lng: string, count: number) => i18n.getFixedT(lng)('compose.lint.problems', { count });
    expect([problems('en', 1), problems('en', 2)]).toEqual(['1 problem', '2 problems']);
    expect([problems('fr-CA', 1), problems('fr-CA', 2)]).toEqual(['1 problème', '2 problèmes']);
    expect([problems('ja-JP', 1), problems('ja-JP', 3)]).toEqual(['問題1件', '問題3件']);
  });
});
