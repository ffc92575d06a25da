/**
 * The server's rule catalogue against the spec (server-rules.md), both ways: every spec rule has a rule
 * (in the catalogue, or a RuleDef/RuleText beside its check) or is listed as kept by others, and every rule
 * id is in the spec or one of Parley's own (LOCAL_RULE_IDS). The spec is read from the copy in
 * test/fixtures (refreshed from ../shared by `npm run fixtures:refresh`); a missing copy fails the test.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LOCAL_RULE_IDS, RULES, SPEC_RULES_KEPT_BY_OTHERS } from '../../../../../electron/core/server/rules';
import { CLIENT_ASSERTION_CHECK_RULES } from '../../../../../electron/core/server/checks/client-assertion';
import { REQUEST_OBJECT_CHECK_RULES } from '../../../../../electron/core/server/checks/request-object';
import { ruleCatalogue } from '../../../../../renderer/src/features/explain/rule-catalogue';
import * as redirectRules from '../../../../../shared/jwt/redirect-uri';
import * as registrationRules from '../../../../../shared/jwt/rules/client-registration';
import { DPOP_RULES, DPOP_SPEC_RULES_KEPT_BY_OTHERS } from '../../../../../electron/core/server/rules-dpop';
import { DPOP_JKT_FORMAT_RULE, DPOP_PROOF_RULES } from '../../../../../shared/jwt/rules/dpop-proof';

const SPEC = fileURLToPath(new URL('../../../../fixtures/spec/server-rules.md', import.meta.url));

/** The rule ids the spec defines: each rule starts a list item with its bold id (`- **JAR-5 ...`). */
function specIds(): Set<string> {
  if (!existsSync(SPEC)) throw new Error(`${SPEC} is missing: run \`npm run fixtures:refresh\` to copy it from ../shared/spec`);
  return new Set([...readFileSync(SPEC, 'utf8').matchAll(/^- \*\*([A-Z]{1,4}-\d+)\b/gm)].map((m) => m[1]!));
}

/** The ids of the exported rules of a module (RuleTexts and lists of them). */
function exportedIds(module: Record<string, unknown>): string[] {
  const id = (value: unknown) =>
    typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string' ? [(value as { id: string }).id] : [];
  return Object.values(module).flatMap((value) => (Array.isArray(value) ? value.flatMap(id) : id(value)));
}

const spec = specIds();
const catalogueIds = Object.keys(RULES);
const ruleIds = new Set([
  ...catalogueIds,
  ...CLIENT_ASSERTION_CHECK_RULES.map((r) => r.id),
  ...REQUEST_OBJECT_CHECK_RULES.map((r) => r.id),
  // The rule reference also lists the DPoP proof rules; dpop-rules.md holds those (below).
  ...ruleCatalogue()
    .map((r) => r.id)
    .filter((id) => !DPOP_PROOF_RULES.some((r) => r.id === id) && id !== DPOP_JKT_FORMAT_RULE.id),
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

const DPOP_SPEC = fileURLToPath(new URL('../../../../fixtures/spec/dpop-rules.md', import.meta.url));

describe('DPoP rules › held against dpop-rules.md', () => {
  if (!existsSync(DPOP_SPEC)) throw new Error(`${DPOP_SPEC} is missing: run \`npm run fixtures:refresh\` to copy it from ../shared/spec`);
  const dpopSpec = new Set([...readFileSync(DPOP_SPEC, 'utf8').matchAll(/^- \*\*([A-Z]{1,4}-\d+)\b/gm)].map((m) => m[1]!));
  const dpopRuleIds = new Set([...Object.keys(DPOP_RULES), ...DPOP_PROOF_RULES.map((r) => r.id), DPOP_JKT_FORMAT_RULE.id]);
  const dpopKept = Object.keys(DPOP_SPEC_RULES_KEPT_BY_OTHERS);

  it('reads the spec (the enumeration itself works)', () => {
    for (const id of ['ED-1', 'DPP-1', 'DPP-16', 'DPB-18', 'DPN-10', 'DPC-14']) expect(dpopSpec.has(id), id).toBe(true);
    expect(dpopSpec.size).toBe(62);
  });

  it('files every catalogue rule under its own id', () => {
    expect(Object.entries(DPOP_RULES).filter(([key, rule]) => key !== rule.id)).toEqual([]);
  });

  it('every spec rule has a rule (RuleDef or catalogue), or is listed as kept by others', () => {
    expect([...dpopSpec].filter((id) => !dpopRuleIds.has(id) && !dpopKept.includes(id))).toEqual([]);
  });

  it('lists as kept by others only spec rules that have no rule of their own', () => {
    expect(dpopKept.filter((id) => !dpopSpec.has(id) || dpopRuleIds.has(id))).toEqual([]);
  });

  it('every DPoP rule id is in the spec, once: a RuleDef is not also in the catalogue, nor in the server catalogue', () => {
    expect([...dpopRuleIds].filter((id) => !dpopSpec.has(id))).toEqual([]);
    const defs = [...DPOP_PROOF_RULES.map((r) => r.id), DPOP_JKT_FORMAT_RULE.id];
    expect(defs.filter((id, i) => defs.indexOf(id) !== i || Object.hasOwn(DPOP_RULES, id))).toEqual([]);
    expect([...dpopRuleIds].filter((id) => Object.hasOwn(RULES, id))).toEqual([]);
  });
});
