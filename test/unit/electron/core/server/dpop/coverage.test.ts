/**
 * Every rule id and every attack row (X-D) of the DPoP spec (test/fixtures/spec/dpop-rules.md) has a test in
 * this folder: the describe titles name the ids they cover, and this test reads them. An id the embedded
 * server does not emulate is listed below with the reason, so that the gap is visible here and not silent.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SPEC = fileURLToPath(new URL('../../../../../fixtures/spec/dpop-rules.md', import.meta.url));
const HERE = fileURLToPath(new URL('.', import.meta.url));

/** Spec ids the embedded server does not emulate (yet), and why; each still has its catalogue entry. */
const NOT_EMULATED: Record<string, string> = {};

function specIds(): { rules: string[]; attacks: string[] } {
  const text = readFileSync(SPEC, 'utf8');
  return {
    rules: [...new Set([...text.matchAll(/^- \*\*([A-Z]{1,4}-\d+)\b/gm)].map((m) => m[1]!))],
    attacks: [...new Set([...text.matchAll(/^\| (X-D\d+) \|/gm)].map((m) => m[1]!))],
  };
}

/** The ids named in the describe titles of this folder's tests. */
function testedIds(): Set<string> {
  const ids = new Set<string>();
  for (const file of readdirSync(HERE).filter((f) => f.endsWith('.test.ts') && f !== 'coverage.test.ts')) {
    for (const m of readFileSync(`${HERE}${file}`, 'utf8').matchAll(/describe\('([^']+)'/g)) {
      for (const id of m[1]!.matchAll(/\b(?:ED|DPP|DPB|DPN|DPC|X-D)-?\d+\b/g)) ids.add(id[0]);
    }
  }
  return ids;
}

describe('DPoP tests › every rule id and X-D row of dpop-rules.md has a describe', () => {
  const spec = specIds();
  const tested = testedIds();

  it('reads the spec (62 rule ids, 26 attack rows)', () => {
    expect(spec.rules.length).toBeGreaterThanOrEqual(60);
    expect(spec.attacks).toHaveLength(26);
  });

  it('covers every rule id, except those listed as not emulated', () => {
    expect(spec.rules.filter((id) => !tested.has(id) && !(id in NOT_EMULATED))).toEqual([]);
  });

  it('covers every X-D row', () => {
    expect(spec.attacks.filter((id) => !tested.has(id))).toEqual([]);
  });

  it('lists as not emulated only spec ids without a test', () => {
    expect(Object.keys(NOT_EMULATED).filter((id) => tested.has(id) || !spec.rules.includes(id))).toEqual([]);
  });
});
