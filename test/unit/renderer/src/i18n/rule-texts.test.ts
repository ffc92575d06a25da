/**
 * The rule texts in fr-CA and ja-JP (renderer/src/i18n/rules): every rule the embedded server traces or the
 * lint and Explain apply has its summary (and its fix, when it has one) in each translated language, so no
 * rule's sentence stays English inside a translated screen (issue 18). The rules themselves keep their
 * English (the server's traces, the CLI and logs show it); the renderer looks the translation up by id.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ruleCatalogue } from '../../../../../renderer/src/features/explain/rule-catalogue';
import { lintClientAssertion, lintRequestObject } from '../../../../../shared/jwt';
import { LOCAL_RULE_IDS, RULES as SERVER_RULES } from '../../../../../electron/core/server/rules';
import { DPOP_RULES } from '../../../../../electron/core/server/rules-dpop';
import { DPOP_JKT_FORMAT_RULE, DPOP_PROOF_RULES } from '../../../../../shared/jwt/rules/dpop-proof';
import { RULE_TEXT_CATALOGUES, ruleWords } from '../../../../../renderer/src/i18n/rule-text';
import { NOW, assertionContext, jarContext } from '../../../shared/jwt/helpers';

const repo = fileURLToPath(new URL('../../../../../', import.meta.url));
const TRANSLATED = ['fr-CA', 'ja-JP'] as const;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/**
 * Every rule: the server's catalogues (electron/core/server/rules.ts and rules-dpop.ts, every rule it checks
 * inline), the DPoP proof RuleDefs (shared/jwt/rules/dpop-proof.ts, read from their lists), the rule lists
 * Explain applies (the same enumeration as test/unit/shared/explain/support.test.ts), and the RuleDefs and
 * RuleTexts declared beside their checks (shared/jwt, shared/explain, and the server's own RuleDefs in
 * checks/), found in the source by their `id: 'XXX-n'` literal, with whether their object literal has a `fix`.
 */
function allRules(): Map<string, { hasFix: boolean; where: string }> {
  const rules = new Map<string, { hasFix: boolean; where: string }>();
  const add = (id: string, hasFix: boolean, where: string) => {
    const known = rules.get(id);
    rules.set(id, { hasFix: (known?.hasFix ?? false) || hasFix, where: known?.where ?? where });
  };
  for (const r of ruleCatalogue()) add(r.id, r.fix !== '', 'renderer/src/features/explain/rule-catalogue');
  for (const r of Object.values<{ id: string; fix?: string }>(SERVER_RULES)) add(r.id, Boolean(r.fix), 'server/rules');
  for (const id of LOCAL_RULE_IDS) add(id, false, 'server/rules LOCAL_RULE_IDS');
  // rules-dpop.ts files its rules under their ids (no `id: '…'` literal for the scan below to find).
  for (const r of Object.values<{ id: string; fix?: string }>(DPOP_RULES)) add(r.id, Boolean(r.fix), 'server/rules-dpop');
  for (const r of [...DPOP_PROOF_RULES, DPOP_JKT_FORMAT_RULE]) add(r.id, Boolean(r.fix), 'shared/jwt/rules/dpop-proof');
  for (const dir of ['electron/core/server', 'shared/jwt', 'shared/explain']) {
    for (const file of sourceFiles(join(repo, dir))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bid: '([A-Z]{1,4}-\d+)'([\s\S]*?)(?:\n\s*\}|\s\})/g)) {
        add(m[1]!, /\bfix: /.test(m[2] ?? ''), relative(repo, file));
      }
    }
  }
  return rules;
}

const RULES = allRules();

describe('rule texts › every rule in every translated language', () => {
  it('finds the rules (the enumeration itself works)', () => {
    for (const id of ['JAR-11', 'PKJ-8', 'JWT-2', 'RED-1', 'SES-7', 'CRD-3', 'TKQ-6', 'DSC-4', 'MGC-10', 'AZQ-0']) expect(RULES.has(id), id).toBe(true);
    expect(RULES.get('RED-1')?.hasFix).toBe(true);
    expect(RULES.get('DSC-1')?.hasFix).toBe(false);
    expect(RULES.size).toBeGreaterThan(140);
  });

  it("finds the DPoP rules: the server's DPoP catalogue and the proof RuleDefs (issue 17)", () => {
    for (const id of ['ED-3', 'DPP-1', 'DPP-13', 'DPP-16', 'DPB-1', 'DPB-5', 'DPB-12', 'DPN-4', 'DPC-14']) expect(RULES.has(id), id).toBe(true);
    for (const r of [...Object.values<{ id: string }>(DPOP_RULES), ...DPOP_PROOF_RULES, DPOP_JKT_FORMAT_RULE]) expect(RULES.has(r.id), r.id).toBe(true);
    expect(RULES.get('DPB-18')?.hasFix).toBe(true);
    expect(RULES.get('DPP-11')?.hasFix).toBe(true);
    expect(RULES.get('DPC-1')?.hasFix).toBe(false);
  });

  for (const language of TRANSLATED) {
    const catalogue = RULE_TEXT_CATALOGUES[language]!;

    it(`${language} has the summary of every rule, and its fix when it has one`, () => {
      const missing: string[] = [];
      for (const [id, { hasFix, where }] of RULES) {
        const entry = catalogue.rules[id];
        if (!entry?.summary.trim()) missing.push(`${id} summary (${where})`);
        else if (hasFix && !entry.fix?.trim()) missing.push(`${id} fix (${where})`);
      }
      expect(missing).toEqual([]);
    });

    it(`${language} has no text for a rule that does not exist`, () => {
      expect(Object.keys(catalogue.rules).filter((id) => !RULES.has(id))).toEqual([]);
    });

    it(`${language} uses no placeholder but {{token}}, and names both tokens`, () => {
      const texts = Object.values(catalogue.rules).flatMap((e) => [
        e.summary,
        e.fix ?? '',
        ...Object.values(e.byToken ?? {}).flatMap((v) => [v.summary ?? '', v.fix ?? '']),
      ]);
      const others = texts.flatMap((t) => [...t.matchAll(/\{\{\s*([^}\s]+)\s*\}\}/g)].map((m) => m[1])).filter((name) => name !== 'token');
      expect(others).toEqual([]);
      expect(catalogue.tokens.requestObject.trim()).not.toBe('');
      expect(catalogue.tokens.clientAssertion.trim()).not.toBe('');
    });
  }

  it('fr-CA rule texts use ’ and a no-break space before ":" (the seed\'s convention)', () => {
    const texts = Object.entries(RULE_TEXT_CATALOGUES['fr-CA']!.rules).flatMap(([id, e]) => [`${id}: ${e.summary}`, `${id}: ${e.fix ?? ''}`]);
    expect(texts.filter((t) => /[A-Za-zÀ-ÿ]'[A-Za-zÀ-ÿ]/.test(t))).toEqual([]);
    expect(texts.filter((t) => / :/.test(t))).toEqual([]);
  });

  it('ja-JP rule texts use full-width （）and ：next to Japanese, with no space around Latin text', () => {
    const jp = '[\\u3040-\\u30ff\\u4e00-\\u9fff]';
    const bad = new RegExp(`${jp}[():]|[()]${jp}|${jp} | ${jp}`);
    const texts = Object.entries(RULE_TEXT_CATALOGUES['ja-JP']!.rules).flatMap(([id, e]) => [`${id}: ${e.summary}`, `${id}: ${e.fix ?? ''}`]);
    expect(texts.filter((t) => bad.test(t.replace(/^[A-Z]+-\d+: /, '')))).toEqual([]);
  });
});

describe('rule texts › what the screens show', () => {
  // A request object signed with HMAC for the wrong audience, and an unsigned assertion that expired: many
  // rules fail, the others pass, in both token kinds.
  const { header: roHeader, payload: roPayload, ...roContext } = jarContext({ header: { alg: 'HS256' }, payload: { aud: 'https://wrong.example/' } });
  const requestObject = lintRequestObject({ header: roHeader, payload: roPayload }, roContext);
  const { header: caHeader, payload: caPayload, ...caContext } = assertionContext({ header: { alg: 'none' }, payload: { exp: NOW - 60 } });
  const assertion = lintClientAssertion({ header: caHeader, payload: caPayload }, caContext);

  it('lints produce outcomes to look at (the fixture works)', () => {
    expect(requestObject.some((o) => !o.passed)).toBe(true);
    expect(assertion.some((o) => !o.passed)).toBe(true);
  });

  for (const language of TRANSLATED) {
    it(`${language}: every lint outcome's summary and fix are translated, never the English`, () => {
      for (const outcome of [...requestObject, ...assertion]) {
        const words = ruleWords(language, outcome);
        expect(words.summaryLang, outcome.id).toBeUndefined();
        expect(words.fixLang, outcome.id).toBeUndefined();
        expect(words.summary, outcome.id).not.toBe(outcome.summary);
        expect(words.message, outcome.id).toBe(words.summary);
        if (outcome.fix) expect(words.fix, outcome.id).not.toBe(outcome.fix);
        expect(words.summary, outcome.id).not.toMatch(/\{\{/);
      }
    });
  }

  it('names the token a shared JWT rule is about, in the UI language', () => {
    const ro = requestObject.find((o) => o.id === 'JWT-2')!;
    const ca = assertion.find((o) => o.id === 'JWT-2')!;
    expect(ruleWords('fr-CA', ro).summary).toContain('objet de requête');
    expect(ruleWords('fr-CA', ca).summary).toContain('assertion client');
    expect(ruleWords('ja-JP', ro).summary).toContain('要求オブジェクト');
    expect(ruleWords('ja-JP', ca).summary).toContain('クライアントアサーション');
  });

  it("keeps the failure's own English sentence as a detail when it says more than the summary", () => {
    const jwt2 = requestObject.find((o) => o.id === 'JWT-2')!;
    expect(jwt2.message).not.toBe(jwt2.summary);
    expect(ruleWords('fr-CA', jwt2).detail).toBe(jwt2.message);
    expect(ruleWords('en', jwt2)).toMatchObject({ message: jwt2.message, summary: jwt2.summary, detail: null, summaryLang: undefined });
  });

  it('shows no English detail for a passed rule (its sentence repeats the summary and the values)', () => {
    const passed = {
      id: 'JAR-8',
      passed: true,
      summary: "The request object's signature verifies with the client's registered key.",
      message: 'The signature is valid: it verifies with kid customer-key-1 (RS256).',
    };
    expect(ruleWords('ja-JP', passed).detail).toBeNull();
    expect(ruleWords('ja-JP', { ...passed, passed: false }).detail).toBe(passed.message);
  });

  it("falls back to the outcome's English, marked as English, for a rule the catalogue lacks", () => {
    const words = ruleWords('ja-JP', { id: 'ZZZ-1', summary: 'Some new rule.', message: 'Some new rule.', fix: 'Do this.' });
    expect(words).toMatchObject({ summary: 'Some new rule.', fix: 'Do this.', summaryLang: 'en', fixLang: 'en' });
  });

  it('shows no fix where the rule has none', () => {
    expect(ruleWords('fr-CA', { id: 'PAR-5', summary: 'The client must use the same authentication method at /oauth/token as at PAR.' }).fix).toBe('');
  });
});

describe('rule texts › one term per concept, the same as the UI catalogues', () => {
  const ui = (language: string) => readFileSync(join(repo, 'renderer/src/i18n/locales', `${language}.json`), 'utf8');

  it('ja-JP calls the request object 要求オブジェクト (Auth0: 要求), never リクエストオブジェクト', () => {
    expect(RULE_TEXT_CATALOGUES['ja-JP']!.tokens.requestObject).toBe('要求オブジェクト');
    expect(ui('ja-JP')).not.toContain('リクエストオブジェクト');
    expect(JSON.stringify(RULE_TEXT_CATALOGUES['ja-JP'])).not.toContain('リクエスト');
  });

  it('fr-CA says "jeton d’ID" (Auth0\'s term), never "jeton d’identité"', () => {
    expect(ui('fr-CA')).not.toMatch(/jetons? d[’']identité/i);
    expect(ui('fr-CA')).toContain('jeton d’ID');
  });
});
