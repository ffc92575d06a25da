/**
 * The UI catalogues stay complete and consistent: the same keys in every language, no empty value, the
 * same interpolation placeholders, and every literal key the renderer passes to `t()` present in English.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../../shared/ipc/contract';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
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

/** Literal keys passed to t(): `t('a.b')`, `t("a.b", {...})`, `i18n.t('a.b')`. */
function literalKeys(source: string): string[] {
  return [...source.matchAll(/\bt\(\s*(['"])((?:(?!\1)[^\\\n])+)\1/g)].map((m) => m[2] ?? '');
}

const catalogues = new Map(LANGUAGES.map((language) => [language, load(language)] as const));
const english = catalogues.get('en')!;

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
      it(`${b} has every key of ${a}`, () => {
        const missing = [...catalogueA.keys()].filter((key) => !catalogueB.has(key));
        expect(missing, `keys of ${a}.json missing from ${b}.json`).toEqual([]);
      });
    }
  }

  for (const [language, catalogue] of catalogues) {
    it(`${language} has no empty or non-string value`, () => {
      const bad = [...catalogue].filter(([, value]) => typeof value !== 'string' || value.trim() === '').map(([key]) => key);
      expect(bad, `empty or non-string values in ${language}.json`).toEqual([]);
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
    expect(used.size).toBeGreaterThan(50);
  });

  it('every literal t() key in renderer/src exists in en.json', () => {
    const missing = [...used].filter(([key]) => typeof english.get(key) !== 'string').map(([key, where]) => `${key} (${where.join(', ')})`);
    expect(missing).toEqual([]);
  });

  it('no t() call builds its key at run time (the scan could not check it)', () => {
    const dynamic = files.filter((file) => /\bt\(\s*`/.test(readFileSync(file, 'utf8'))).map((file) => relative(repo, file));
    expect(dynamic).toEqual([]);
  });

  it('every key in en.json is used somewhere in renderer/src', () => {
    const unused = [...english.keys()].filter((key) => !used.has(key));
    expect(unused).toEqual([]);
  });
});
