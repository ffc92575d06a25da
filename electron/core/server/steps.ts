/**
 * Declarative endpoints: an endpoint is a list of named steps over one context object (the request, the
 * client once authenticated, the assembled parameters, ...), run in order by `runSteps`, like the action
 * stacks of node-oidc-provider (`lib/actions/authorization/index.js`). A step does its work and either
 * returns (the runner records its rule as passed, with the texts it returned) or throws its failure (the
 * runner records it and answers with the rule's wire error); it never interleaves recording with the work.
 *
 * Outcomes an endpoint holds by construction (PAR-14: the request_uri is 256 bits from the CSPRNG) are
 * declared once as guarantees beside the steps; the runner records each in the trace, marked `guarantee`,
 * at the point its step has run, so the trace reads as it always did.
 *
 * Everything is resolved once, when the endpoint is defined: a request allocates no closure per step, and a
 * pass is recorded as the rule and its two texts (trace.ts keeps them lazily).
 */
import type { RuleText } from '../../../shared/jwt/rule';
import type { Failure, InlineFailure, RuleRef } from './checks/outcome';
import { fail, ruleText } from './checks/outcome';
import { OAuthError } from './errors';
import { recordFailure } from './recording';
import type { TraceRecorder } from './trace';
import { GuaranteedRule } from './trace';

/** What every step context holds: the request's trace. */
export interface StepContext {
  readonly trace: TraceRecorder;
}

/** The texts of a pass whose expected text depends on the request. */
export interface Passed {
  expected: string;
  actual: string;
}

/** What a step returns: its rule's actual text (the expected is the step's), both texts, or nothing to record. */
export type StepResult = string | Passed | undefined;

/** One named step of an endpoint. */
export interface Step<C> {
  /** Says what the step does, as a reader of the endpoint sees it (also in a failure's stack when it throws). */
  readonly name: string;
  /** The rule this step decides: recorded as passed with what `run` returns, or failed by `refuse`. */
  readonly rule?: RuleRef;
  /** The rule's expected text, when it does not depend on the request. */
  readonly expected?: string;
  /** The wire error of `refuse` in this step (a `refuse` may name another); a function when it depends on the request (the profile). */
  readonly wire?: InlineFailure | ((c: C) => InlineFailure);
  readonly run: (c: C) => StepResult | Promise<StepResult>;
  /**
   * A check this step calls failed with an OAuth error (and recorded its own rule): the actual text (or
   * both texts) with which this step's rule fails too, or undefined when it does not (PAR-9 around the
   * RED-* checks).
   */
  readonly failed?: (c: C, e: OAuthError) => StepResult;
}

/** An outcome the endpoint holds by construction, declared once. */
export interface Guarantee<C> {
  readonly rule: RuleRef;
  /** What the rule wants: a fixed text, or one read from the context (the profile). */
  readonly expected: string | ((c: C, e: OAuthError | undefined) => string);
  /** What this request got: a fixed text, or one read from the context (and the error, with `onFailure`). */
  readonly actual: string | ((c: C, e: OAuthError | undefined) => string);
  /** The step after which it is recorded (default: after the last), so that the trace keeps its order. */
  readonly after?: string;
  /**
   * Recorded when its step fails with an OAuth error (for which `when` holds) rather than when it has run:
   * a property of the failure answers (E-2: invalid_grant is 403, or 400 in the strict profile).
   */
  readonly onFailure?: boolean;
  /** Whether it applies to this request (default: always). */
  readonly when?: (c: C, e: OAuthError | undefined) => boolean;
}

/**
 * A step refusing its own rule: the runner records the failure with the step's rule, its expected text and
 * its wire error, each replaceable here. Not an Error: nothing reads its stack, and a refusal is common
 * input, not a bug.
 */
export class Refusal {
  constructor(
    readonly actual: string,
    readonly instead: Partial<Omit<Failure, 'rule' | 'actual'>> = {},
  ) {}
}

/** Refuses the running step's rule with this actual text (`throw refuse(…)`). */
export function refuse(actual: string, instead?: Partial<Omit<Failure, 'rule' | 'actual'>>): Refusal {
  return new Refusal(actual, instead);
}

interface ResolvedGuarantee<C> {
  readonly marker: GuaranteedRule;
  readonly expected: string | ((c: C, e: OAuthError | undefined) => string);
  readonly actual: string | ((c: C, e: OAuthError | undefined) => string);
  readonly when: ((c: C, e: OAuthError | undefined) => boolean) | undefined;
}

interface ResolvedStep<C> {
  readonly step: Step<C>;
  readonly rule: RuleText | undefined;
  /** The guarantees recorded once this step has run. */
  readonly guarantees: readonly ResolvedGuarantee<C>[];
  /** The guarantees recorded when this step fails with an OAuth error. */
  readonly failureGuarantees: readonly ResolvedGuarantee<C>[];
}

/** An endpoint's steps and guarantees, resolved once (`defineSteps`). */
export interface EndpointSteps<C> {
  readonly steps: readonly ResolvedStep<C>[];
  /** Every guarantee, in declaration order (docs and tests read them). */
  readonly guarantees: readonly Guarantee<C>[];
}

/** Resolves an endpoint's steps and guarantees; throws at load time on a guarantee placed after an unknown step. */
export function defineSteps<C extends StepContext>(definition: { steps: readonly Step<C>[]; guarantees?: readonly Guarantee<C>[] }): EndpointSteps<C> {
  const guarantees = definition.guarantees ?? [];
  const names = new Set(definition.steps.map((s) => s.name));
  if (names.size !== definition.steps.length) throw new Error('Two steps of one endpoint share a name');
  for (const g of guarantees)
    if (g.after !== undefined && !names.has(g.after)) throw new Error(`Guarantee ${ruleText(g.rule).id} is placed after an unknown step "${g.after}"`);
  const last = definition.steps[definition.steps.length - 1]?.name;
  const resolve = (g: Guarantee<C>): ResolvedGuarantee<C> => ({
    marker: new GuaranteedRule(ruleText(g.rule)),
    expected: g.expected,
    actual: g.actual,
    when: g.when,
  });
  const steps = definition.steps.map((step) => {
    const mine = guarantees.filter((g) => (g.after ?? last) === step.name);
    return {
      step,
      rule: step.rule === undefined ? undefined : ruleText(step.rule),
      guarantees: mine.filter((g) => g.onFailure !== true).map(resolve),
      failureGuarantees: mine.filter((g) => g.onFailure === true).map(resolve),
    };
  });
  return Object.freeze({ steps, guarantees });
}

/** Runs the steps in order; the first failure stops the rest (its OAuthError propagates to the error handler). */
export async function runSteps<C extends StepContext>(endpoint: EndpointSteps<C>, c: C): Promise<void> {
  const steps = endpoint.steps;
  for (let i = 0; i < steps.length; i++) {
    const resolved = steps[i]!;
    const step = resolved.step;
    let result: StepResult;
    try {
      const returned = step.run(c);
      // Only an async step is awaited: a synchronous one costs no microtask.
      result = returned instanceof Promise ? await returned : returned;
    } catch (e) {
      throw stepFailure(resolved, c, e);
    }
    if (result !== undefined && resolved.rule !== undefined) {
      if (typeof result === 'string') c.trace.passRule(resolved.rule, step.expected, result);
      else c.trace.passRule(resolved.rule, result.expected, result.actual);
    }
    if (resolved.guarantees.length > 0) recordGuarantees(resolved.guarantees, c, undefined);
  }
}

function recordGuarantees<C extends StepContext>(guarantees: readonly ResolvedGuarantee<C>[], c: C, e: OAuthError | undefined): void {
  for (let j = 0; j < guarantees.length; j++) {
    const g = guarantees[j]!;
    if (g.when !== undefined && !g.when(c, e)) continue;
    c.trace.guaranteed(g.marker, typeof g.expected === 'string' ? g.expected : g.expected(c, e), typeof g.actual === 'string' ? g.actual : g.actual(c, e));
  }
}

/** What a step's throw becomes: a refusal is recorded and answered; an OAuth error may fail the step's rule too; anything else (a bug) goes on untouched. */
function stepFailure<C extends StepContext>(resolved: ResolvedStep<C>, c: C, e: unknown): unknown {
  const step = resolved.step;
  if (e instanceof Refusal) {
    const wire = e.instead.wire ?? (typeof step.wire === 'function' ? step.wire(c) : step.wire);
    const expected = e.instead.expected ?? step.expected;
    if (resolved.rule === undefined || wire === undefined || expected === undefined)
      return new Error(`Step "${step.name}" refused without a rule, an expected text or a wire error`);
    const failure: Failure = { rule: resolved.rule, expected, actual: e.actual, wire };
    if (e.instead.message !== undefined) failure.message = e.instead.message;
    e = fail(c.trace, failure);
  } else if (e instanceof OAuthError && step.failed !== undefined && resolved.rule !== undefined) {
    const texts = step.failed(c, e);
    if (typeof texts === 'string' && step.expected !== undefined) recordFailure(c.trace, resolved.rule, step.expected, texts);
    else if (typeof texts === 'object') recordFailure(c.trace, resolved.rule, texts.expected, texts.actual);
  }
  if (e instanceof OAuthError && resolved.failureGuarantees.length > 0) recordGuarantees(resolved.failureGuarantees, c, e);
  return e;
}
