/**
 * The rule model shared by the embedded server and the composer's live lint: one rule set, the same ids
 * (from ../shared/spec/server-rules.md), the same words. A rule evaluates a context and returns a verdict;
 * the server records every verdict in the request's trace and answers the first failure with the rule's
 * wire error; the lint lists every failure.
 */

/** Which behaviour to emulate: Auth0's documented and observed behaviour, or RFC 9101/9126/FAPI 2.0 where they differ. */
export type ServerProfile = 'auth0' | 'strict';

/** The OAuth error a failing rule puts on the wire (the trace carries the detail). */
export interface WireFailure {
  status: number;
  error: string;
  /** Generic on purpose for authentication failures (E-8): the specific reason is in the trace. */
  description: string;
}

/** What one rule concluded about one request. */
export type Verdict =
  | { passed: true; expected?: string; actual?: string; /** a pass that deserves a look: Compose lists it as a warning */ note?: string }
  | { passed: false; expected: string; actual: string; /** overrides the rule's summary for this failure */ message?: string };

/**
 * A rule's words: the one shape every rule has, whether it is a RuleDef below (its check travels with it)
 * or a rule the server checks inline against the request and its stored state (the server's catalogue,
 * electron/core/server/rules.ts, keyed by id).
 */
export interface RuleText {
  /** The id in server-rules.md (or one of Parley's own ids), e.g. `JAR-11`. */
  readonly id: string;
  /** One plain-language sentence of what the rule requires. */
  readonly summary: string;
  /** Spec or vendor source, e.g. `RFC 9101 §4; Auth0 JAR docs (A1)`. */
  readonly source: string;
  /** What to change so that the rule passes (absent: the rule names nothing the caller can change). */
  readonly fix?: string;
}

/** A rule with its check: its words, the wire error when it fails, and a pure function of a context. */
export interface RuleDef<C> extends RuleText {
  /** What to change so that the rule passes ('' when there is nothing to say). */
  readonly fix: string;
  readonly wire: WireFailure;
  /** Returns a verdict, or `null` when the rule does not apply to this context (it is then not traced). */
  evaluate(ctx: C): Verdict | null;
}

/** A rule's verdict as recorded in a trace or listed by the lint. */
export interface RuleOutcome {
  id: string;
  passed: boolean;
  summary: string;
  message: string;
  fix: string;
  source: string;
  expected?: string;
  actual?: string;
  /**
   * On a passed rule: why it passed although a stricter reading would refuse it (e.g. JAR-6 accepting a
   * request object with no `typ` in the Auth0 profile). The trace shows it; Compose's lint shows a warning.
   */
  note?: string;
  /**
   * On a passed rule: the endpoint holds it by construction (PAR-14: the request_uri is 256 bits from the
   * CSPRNG), declared once on the endpoint rather than checked per request (electron/core/server/steps.ts).
   * Readers that do not know the flag show it as a pass.
   */
  guarantee?: boolean;
}

/** Evaluates one rule; `null` when it does not apply. */
export function evaluateRule<C>(rule: RuleDef<C>, ctx: C): RuleOutcome | null {
  const verdict = rule.evaluate(ctx);
  return verdict === null ? null : toOutcome(rule, verdict);
}

/** A rule's verdict as an outcome. */
export function toOutcome<C>(rule: RuleDef<C>, verdict: Verdict): RuleOutcome {
  const outcome: RuleOutcome = {
    id: rule.id,
    passed: verdict.passed,
    summary: rule.summary,
    message: verdict.passed ? rule.summary : (verdict.message ?? rule.summary),
    fix: rule.fix,
    source: rule.source,
  };
  if (verdict.expected !== undefined) outcome.expected = verdict.expected;
  if (verdict.actual !== undefined) outcome.actual = verdict.actual;
  if (verdict.passed && verdict.note !== undefined) outcome.note = verdict.note;
  return outcome;
}

/** Evaluates every rule (the lint): all outcomes, failures first, in rule order. */
export function evaluateAll<C>(rules: readonly RuleDef<C>[], ctx: C): RuleOutcome[] {
  const outcomes = rules.map((r) => evaluateRule(r, ctx)).filter((o): o is RuleOutcome => o !== null);
  return [...outcomes.filter((o) => !o.passed), ...outcomes.filter((o) => o.passed)];
}

/** Renders a value for `expected`/`actual`: strings as they are, everything else as JSON, `(absent)` for undefined. */
export function show(value: unknown): string {
  if (value === undefined) return '(absent)';
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
