/**
 * The server's rule catalogue against the spec (server-rules.md), both ways: every spec rule has a rule
 * (in the catalogue, or a RuleDef/RuleText beside its check) or is listed as kept by others, and every rule
 * id is in the spec or one of Parley's own (LOCAL_RULE_IDS). The spec is read from the copy in
 * test/fixtures (refreshed from ../shared by `npm run fixtures:refresh`); a missing copy fails the test.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LOCAL_RULE_IDS, RULES, SPEC_RULES_KEPT_BY_OTHERS } from '../../../electron/core/server/rules';
import { CLIENT_ASSERTION_CHECK_RULES } from '../../../electron/core/server/checks/client-assertion';
import { REQUEST_OBJECT_CHECK_RULES } from '../../../electron/core/server/checks/request-object';
import { ruleCatalogue } from '../../../shared/explain/rule-catalogue';
import * as redirectRules from '../../../shared/jwt/redirect-uri';
import * as registrationRules from '../../../shared/jwt/rules/client-registration';

const SPEC = fileURLToPath(new URL('../../fixtures/spec/server-rules.md', import.meta.url));

/** The rule ids the spec defines: each rule starts a list item with its bold id (`- **JAR-5 ...`). */
function specIds(): Set<string> {
  if (!existsSync(SPEC)) throw new Error(`${SPEC} is missing: run \`npm run fixtures:refresh\` to copy it from ../shared/spec`);
  return new Set([...readFileSync(SPEC, 'utf8').matchAll(/^- \*\*([A-Z]{1,4}-\d+)\b/gm)].map((m) => m[1]!));
}

/** The ids of the exported rules of a module (RuleTexts and lists of them). */
function exportedIds(module: Record<string, unknown>): string[] {
  const id = (value: unknown) => (typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string' ? [(value as { id: string }).id] : []);
  return Object.values(module).flatMap((value) => (Array.isArray(value) ? value.flatMap(id) : id(value)));
}

const spec = specIds();
const catalogueIds = Object.keys(RULES);
const ruleIds = new Set([
  ...catalogueIds,
  ...CLIENT_ASSERTION_CHECK_RULES.map((r) => r.id),
  ...REQUEST_OBJECT_CHECK_RULES.map((r) => r.id),
  ...ruleCatalogue().map((r) => r.id),
  ...exportedIds(redirectRules),
  ...exportedIds(registrationRules),
]);
const local = new Set<string>(LOCAL_RULE_IDS);
const keptByOthers = Object.keys(SPEC_RULES_KEPT_BY_OTHERS);

describe('server rule catalogue › held against server-rules.md', () => {
  it('reads the spec (the enumeration itself works)', () => {
    for (const id of ['E-7', 'JAR-1', 'PAR-19', 'AZR-9', 'PKJ-17', 'TOK-9', 'MGC-9', 'CRD-15', 'FAP-10']) expect(spec.has(id), id).toBe(true);
    expect(spec.size).toBeGreaterThan(140);
  });

  it('files every rule under its own id', () => {
    expect(Object.entries(RULES).filter(([key, rule]) => key !== rule.id)).toEqual([]);
  });

  it('every spec rule has a rule, or is listed as kept by others', () => {
    expect([...spec].filter((id) => !ruleIds.has(id) && !keptByOthers.includes(id))).toEqual([]);
  });

  it('lists as kept by others only spec rules that have no rule of their own', () => {
    expect(keptByOthers.filter((id) => !spec.has(id) || ruleIds.has(id))).toEqual([]);
  });

  it("every rule id is in the spec or one of Parley's own ids", () => {
    expect([...ruleIds].filter((id) => !spec.has(id) && !local.has(id))).toEqual([]);
  });

  it("Parley's own ids are not spec ids, and each one is in the catalogue", () => {
    expect([...local].filter((id) => spec.has(id) || !catalogueIds.includes(id))).toEqual([]);
  });
});
