/**
 * Lazy traces (electron/core/server/trace.ts): a passing rule is kept as (rule, context) and its sentence,
 * expected and actual are made when the trace is read. These tests pin what that must preserve: the
 * outcomes read later equal the ones made at once, in order, with inline passes and failures mixed in;
 * a context changed after its check is caught (check mode) or cannot turn a pass into a failure (normal
 * mode); the log builds traces only for a subscriber that is listening.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { RuleDef } from '../../../../../shared/jwt/rule';
import { evaluateRule } from '../../../../../shared/jwt/rule';
import { MAX_TRACE_OUTCOMES, MAX_TRACE_TEXT, TraceDivergenceError, TraceRecorder } from '../../../../../electron/core/server/trace';
import { TraceLog } from '../../../../../electron/core/server/trace-log';
import { OAuthError } from '../../../../../electron/core/server/errors';
import type { RequestTrace } from '../../../../../electron/core/server/trace';

const wire = { status: 400, error: 'invalid_request', description: 'bad' };

/** A rule whose verdict depends on its context: passes while n ≤ limit. */
const AT_MOST: RuleDef<{ n: number; limit: number }> = {
  id: 'T-1',
  summary: 'n is at most the limit.',
  fix: 'Lower n.',
  source: 'test',
  wire,
  evaluate: ({ n, limit }) =>
    n <= limit
      ? { passed: true, expected: `≤ ${limit}`, actual: String(n) }
      : { passed: false, expected: `≤ ${limit}`, actual: String(n), message: `n is ${n}.` },
};
const NOT_APPLICABLE: RuleDef<unknown> = { id: 'T-2', summary: 'never applies', fix: '', source: 'test', wire, evaluate: () => null };
/** Passes while n is even (a second rule on AT_MOST's context). */
const EVEN: RuleDef<{ n: number; limit: number }> = {
  id: 'T-4',
  summary: 'n is even.',
  fix: 'Add one.',
  source: 'test',
  wire: { status: 401, error: 'invalid_client', description: 'odd' },
  evaluate: ({ n }) =>
    n % 2 === 0
      ? { passed: true, expected: 'an even n', actual: String(n) }
      : { passed: false, expected: 'an even n', actual: String(n), message: `${n} is odd.` },
};
const LONG: RuleDef<{ text: string }> = { id: 'T-3', summary: 'long', fix: '', source: 'test', wire, evaluate: ({ text }) => ({ passed: true, actual: text }) };

const initial = TraceRecorder.checkLazyVerdicts;
afterEach(() => {
  TraceRecorder.checkLazyVerdicts = initial;
});

describe('lazy traces', () => {
  for (const checked of [false, true]) {
    it(`read later, the outcomes equal the ones made at once, in order (check mode ${checked ? 'on' : 'off'})`, () => {
      TraceRecorder.checkLazyVerdicts = checked;
      const t = new TraceRecorder('POST', 'par', '/oauth/par');
      const contexts = [
        { n: 1, limit: 5 },
        { n: 5, limit: 5 },
      ];
      expect(t.evaluate(AT_MOST, contexts[0]!)).toBe(true);
      expect(t.evaluate(NOT_APPLICABLE, {})).toBe(true);
      t.passRule({ id: 'PAR-3', summary: 'inline', source: 'test' }, 'at most 10240 bytes', '812 bytes');
      t.passRule({ id: 'PAR-9', summary: 'inline, no texts', source: 'test' });
      expect(t.evaluate(AT_MOST, contexts[1]!)).toBe(true);
      expect(() => t.check(AT_MOST, { n: 9, limit: 5 })).toThrow();
      const trace = t.seal(400, { error: 'invalid_request', description: 'bad' }).toTrace();
      expect(trace.rules).toEqual([
        evaluateRule(AT_MOST, contexts[0]!),
        { id: 'PAR-3', passed: true, summary: 'inline', message: 'inline', fix: '', source: 'test', expected: 'at most 10240 bytes', actual: '812 bytes' },
        { id: 'PAR-9', passed: true, summary: 'inline, no texts', message: 'inline, no texts', fix: '', source: 'test' },
        evaluateRule(AT_MOST, contexts[1]!),
        { id: 'T-1', passed: false, summary: 'n is at most the limit.', message: 'n is 9.', fix: 'Lower n.', source: 'test', expected: '≤ 5', actual: '9' },
      ]);
      expect(trace.failedRule).toBe('T-1');
      expect(trace.error).toBe('invalid_request');
      expect(t.toTrace()).toBe(trace);
    });
  }

  const recordings: [string, (t: TraceRecorder, ctx: { n: number; limit: number }) => void][] = [
    ['rule', (t, ctx) => t.evaluate(AT_MOST, ctx)],
    ['rule group', (t, ctx) => t.checkAll([AT_MOST, EVEN], ctx)],
  ];
  for (const [kind, recordPass] of recordings) {
    it(`check mode: a ${kind} whose context changed after its check throws TraceDivergenceError when the trace is read`, () => {
      TraceRecorder.checkLazyVerdicts = true;
      const t = new TraceRecorder('POST', 'par', '/oauth/par');
      const ctx = { n: 4, limit: 5 };
      recordPass(t, ctx);
      ctx.n = 2;
      expect(() => t.seal(201).toTrace()).toThrow(TraceDivergenceError);
    });
  }

  it('normal mode: a context changed after its check never turns the recorded pass into a failure', () => {
    TraceRecorder.checkLazyVerdicts = false;
    const t = new TraceRecorder('POST', 'par', '/oauth/par');
    const ctx = { n: 1, limit: 5 };
    t.evaluate(AT_MOST, ctx);
    ctx.n = 99;
    const [outcome] = t.seal(201).toTrace().rules;
    expect(outcome).toEqual({
      id: 'T-1',
      passed: true,
      summary: 'n is at most the limit.',
      message: 'n is at most the limit.',
      fix: 'Lower n.',
      source: 'test',
    });
  });

  it('texts of lazily kept outcomes are cut at MAX_TRACE_TEXT when read', () => {
    TraceRecorder.checkLazyVerdicts = false;
    const t = new TraceRecorder('POST', 'par', '/oauth/par');
    t.evaluate(LONG, { text: 'y'.repeat(50_000) });
    t.passRule({ id: 'I-1', summary: 's', source: 'test' }, 'x'.repeat(50_000));
    const rules = t.seal(201).toTrace().rules;
    expect(rules[0]!.actual).toMatch(/… \(50000 characters\)$/);
    expect(rules[1]!.expected).toMatch(/… \(50000 characters\)$/);
    expect(rules[0]!.actual!.length).toBeLessThan(MAX_TRACE_TEXT + 40);
  });

  it('the log builds a trace for a subscriber only while it listens, and on read', () => {
    const log = new TraceLog(10);
    let listening = false;
    const seen: RequestTrace[] = [];
    log.subscribe(
      (trace) => seen.push(trace),
      () => listening,
    );
    let built = 0;
    const recorder = () => {
      const t = new TraceRecorder('POST', 'par', '/oauth/par');
      t.evaluate(AT_MOST, { n: 1, limit: 5 });
      const toTrace = t.toTrace.bind(t);
      t.toTrace = () => {
        built += 1;
        return toTrace();
      };
      return t.seal(201);
    };
    log.add(recorder());
    expect(built).toBe(0);
    expect(seen).toHaveLength(0);
    listening = true;
    log.add(recorder());
    expect(seen).toHaveLength(1);
    expect(seen[0]!.rules[0]!.actual).toBe('1');
    expect(log.list()).toHaveLength(2);
    expect(log.list()[1]!.rules[0]!.id).toBe('T-1');
  });

  describe('rule groups (checkAll)', () => {
    const GROUP = [AT_MOST, NOT_APPLICABLE as RuleDef<{ n: number; limit: number }>, EVEN];

    for (const checked of [false, true]) {
      it(`a passing group reads as its rules one by one, those that did not apply left out (check mode ${checked ? 'on' : 'off'})`, () => {
        TraceRecorder.checkLazyVerdicts = checked;
        const t = new TraceRecorder('POST', 'par', '/oauth/par');
        const ctx = { n: 4, limit: 5 };
        t.passRule({ id: 'I-0', summary: 'before', source: 'test' }, 'a', 'b');
        t.checkAll(GROUP, ctx);
        t.record({ id: 'O-1', passed: true, summary: 'after', message: 'after', fix: '', source: 'test' });
        const rules = t.seal(201).toTrace().rules;
        expect(rules.map((r) => r.id)).toEqual(['I-0', 'T-1', 'T-4', 'O-1']);
        expect(rules[1]).toEqual(evaluateRule(AT_MOST, ctx));
        expect(rules[2]).toEqual(evaluateRule(EVEN, ctx));
      });

      it(`a failing rule in a group: the passes before it, its failure and its wire error; the rules after it are not evaluated (check mode ${checked ? 'on' : 'off'})`, () => {
        TraceRecorder.checkLazyVerdicts = checked;
        const t = new TraceRecorder('POST', 'par', '/oauth/par');
        let after = 0;
        const AFTER: RuleDef<{ n: number; limit: number }> = {
          id: 'T-5',
          summary: 'after',
          fix: '',
          source: 'test',
          wire,
          evaluate: () => ((after += 1), { passed: true }),
        };
        let thrown: unknown;
        try {
          t.checkAll([AT_MOST, EVEN, AFTER], { n: 3, limit: 5 });
        } catch (e) {
          thrown = e;
        }
        expect(thrown).toBeInstanceOf(OAuthError);
        expect((thrown as OAuthError).status).toBe(401);
        expect((thrown as OAuthError).error).toBe('invalid_client');
        expect(after).toBe(0);
        const trace = t.seal(401, { error: 'invalid_client', description: 'odd' }).toTrace();
        expect(trace.rules.map((r) => [r.id, r.passed])).toEqual([
          ['T-1', true],
          ['T-4', false],
        ]);
        expect(trace.rules[1]!.message).toBe('3 is odd.');
        expect(trace.failedRule).toBe('T-4');
      });
    }

    it('normal mode: a group whose context changed after its check still reads as passes', () => {
      TraceRecorder.checkLazyVerdicts = false;
      const t = new TraceRecorder('POST', 'par', '/oauth/par');
      const ctx = { n: 4, limit: 5 };
      t.checkAll(GROUP, ctx);
      ctx.n = 7;
      const rules = t.seal(201).toTrace().rules;
      expect(rules.map((r) => [r.id, r.passed])).toEqual([
        ['T-1', true],
        ['T-4', true],
      ]);
    });

    it('groups count towards MAX_TRACE_OUTCOMES like single rules', () => {
      TraceRecorder.checkLazyVerdicts = false;
      const t = new TraceRecorder('POST', 'par', '/oauth/par');
      const many = Array.from({ length: 30 }, () => AT_MOST);
      for (let i = 0; i < 10; i++) t.checkAll(many, { n: 1, limit: 5 });
      const rules = t.seal(201).toTrace().rules;
      expect(rules).toHaveLength(MAX_TRACE_OUTCOMES);
      expect(rules.every((r) => r.id === 'T-1' && r.passed)).toBe(true);
    });
  });
});
