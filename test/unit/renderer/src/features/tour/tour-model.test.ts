/**
 * The guided tour's pure model: which sentence each step page shows, which run step completes which
 * page, when Next may be pressed, where a tour picks up again, and the demo user's password.
 */
import { describe, expect, it } from 'vitest';
import type { TFunction } from 'i18next';
import type { FlowRun, FlowStep, FlowStepName } from '../../../../../../shared/schemas/flows';
import { FLOW_STEP_NAMES } from '../../../../../../shared/schemas/flows';
import { pageTitle, setupTaskLabel, stepSentence } from '../../../../../../renderer/src/features/tour/tour-labels';
import type { TourContext, TourPage } from '../../../../../../renderer/src/features/tour/tour-model';
import {
  SETUP_TASKS,
  TOUR_FLOW_STEPS,
  TOUR_PAGES,
  canGoNext,
  demoPassword,
  failedStep,
  isStepPage,
  isTourPage,
  latestCompletedPage,
  nextPage,
  previousPage,
  resumePage,
  runFailed,
  stepState,
} from '../../../../../../renderer/src/features/tour/tour-model';

const t = ((key: string, options?: Record<string, unknown>) => `${key}${options ? JSON.stringify(options) : ''}`) as unknown as TFunction;

/** A PAR + JAR run whose steps have the given statuses (the rest pending). */
function run(statuses: Partial<Record<FlowStepName, FlowStep['status']>>, status: FlowRun['status'] = 'running'): FlowRun {
  return {
    id: 'run-1',
    kind: 'par+jar',
    targetId: 't-1',
    options: { pkce: true },
    status,
    startedAt: '2026-01-01T00:00:00.000Z',
    steps: TOUR_FLOW_STEPS.map((name) => ({ id: `s-${name}`, name, status: statuses[name] ?? 'pending', jwts: [], serverTraceIds: [] })),
  };
}

const upTo = (last: FlowStepName): Partial<Record<FlowStepName, FlowStep['status']>> =>
  Object.fromEntries(TOUR_FLOW_STEPS.slice(0, TOUR_FLOW_STEPS.indexOf(last as (typeof TOUR_FLOW_STEPS)[number]) + 1).map((s) => [s, 'ok']));

const ready: TourContext = { demoReady: true, hasPassword: true, run: null };

describe('Tour › pages', () => {
  it('goes intro → setup → run → the seven steps of a PAR + JAR run → finish', () => {
    expect(TOUR_PAGES).toEqual(['intro', 'setup', 'run', 'discover', 'build', 'push', 'authorize', 'callback', 'exchange', 'verify', 'finish']);
    // Exactly the engine's steps, in its order (a refresh is appended to a finished run on demand, never toured).
    expect([...TOUR_FLOW_STEPS]).toEqual(FLOW_STEP_NAMES.filter((name) => name !== 'refresh'));
    expect(nextPage('intro')).toBe('setup');
    expect(nextPage('verify')).toBe('finish');
    expect(nextPage('finish')).toBeNull();
    expect(previousPage('intro')).toBeNull();
    expect(previousPage('discover')).toBe('run');
    expect(isStepPage('push')).toBe(true);
    expect(isStepPage('run')).toBe(false);
    expect(isTourPage('exchange')).toBe(true);
    expect(isTourPage('nowhere')).toBe(false);
    expect(isTourPage(3)).toBe(false);
  });

  it('gives each step page its own one-sentence explanation, titled with the step name', () => {
    const keys = TOUR_FLOW_STEPS.map((step) => stepSentence(t, step));
    expect(keys).toEqual(TOUR_FLOW_STEPS.map((step) => `tour.steps.${step}`));
    expect(new Set(keys).size).toBe(7);
    for (const step of TOUR_FLOW_STEPS) expect(pageTitle(t, step)).toBe(`flows.steps.${step}`);
    expect(pageTitle(t, 'intro')).toBe('tour.intro.title');
    expect(pageTitle(t, 'finish')).toBe('tour.finish.title');
    expect(SETUP_TASKS.map((task) => setupTaskLabel(t, task))).toEqual([
      'tour.setup.tasks.keys',
      'tour.setup.tasks.application{"name":"Parley tour app"}',
      'tour.setup.tasks.credentials',
      'tour.setup.tasks.target',
      'tour.setup.tasks.user',
    ]);
  });
});

describe('Tour › which run step completes which page', () => {
  it('reads the run step of the same name: ok is done, cancelled counts as failed, missing stays pending', () => {
    const r = run({ discover: 'ok', build: 'ok', push: 'running' });
    expect(stepState(r, 'discover')).toBe('done');
    expect(stepState(r, 'push')).toBe('running');
    expect(stepState(r, 'authorize')).toBe('pending');
    expect(stepState(run({ authorize: 'cancelled' }), 'authorize')).toBe('failed');
    expect(stepState(run({ exchange: 'failed' }), 'exchange')).toBe('failed');
    expect(stepState(null, 'discover')).toBe('pending');
    // A JAR by value run has no push step: its page never completes.
    const jar = { ...r, kind: 'jar' as const, steps: r.steps.filter((s) => s.name !== 'push') };
    expect(stepState(jar, 'push')).toBe('pending');
  });

  it('finds the newest completed step and the failed one', () => {
    expect(latestCompletedPage(run({}))).toBeNull();
    expect(latestCompletedPage(run(upTo('push')))).toBe('push');
    expect(latestCompletedPage(run(upTo('verify'), 'succeeded'))).toBe('verify');
    expect(failedStep(run({ ...upTo('build'), push: 'failed' }, 'failed'))).toBe('push');
    expect(failedStep(run(upTo('verify')))).toBeNull();
    expect(runFailed(run({}, 'cancelled'))).toBe(true);
    expect(runFailed(run({}, 'waiting-for-browser'))).toBe(false);
  });

  it('lets Next leave a step page only once that step completed', () => {
    const waiting = run(upTo('push'), 'waiting-for-browser');
    for (const step of ['discover', 'build', 'push'] as const) expect(canGoNext(step, { ...ready, run: waiting })).toBe(true);
    expect(canGoNext('authorize', { ...ready, run: waiting })).toBe(false);
    const signedIn = run(upTo('authorize'));
    expect(canGoNext('authorize', { ...ready, run: signedIn })).toBe(true);
    expect(canGoNext('callback', { ...ready, run: signedIn })).toBe(false);
    expect(canGoNext('verify', { ...ready, run: run(upTo('verify'), 'succeeded') })).toBe(true);
    expect(canGoNext('push', { ...ready, run: run({ ...upTo('build'), push: 'failed' }, 'failed') })).toBe(false);
  });

  it('lets Next leave the intro always, setup once the demo is ready with its password, run once a run started, finish never', () => {
    expect(canGoNext('intro', { demoReady: false, hasPassword: false, run: null })).toBe(true);
    expect(canGoNext('setup', { demoReady: true, hasPassword: false, run: null })).toBe(false);
    expect(canGoNext('setup', ready)).toBe(true);
    expect(canGoNext('run', ready)).toBe(false);
    expect(canGoNext('run', { ...ready, run: run({}) })).toBe(true);
    expect(canGoNext('finish', { ...ready, run: run(upTo('verify'), 'succeeded') })).toBe(false);
  });
});

describe('Tour › resuming', () => {
  const cases: [string, TourPage, TourContext, TourPage][] = [
    ['the intro stays', 'intro', { demoReady: false, hasPassword: false, run: null }, 'intro'],
    ['setup stays (its button makes the demo again)', 'setup', { demoReady: true, hasPassword: false, run: null }, 'setup'],
    ['finish stays', 'finish', { demoReady: false, hasPassword: false, run: null }, 'finish'],
    ['run without a demo goes back to setup', 'run', { demoReady: false, hasPassword: false, run: null }, 'setup'],
    ['run without the password (after a reload) goes back to setup', 'run', { demoReady: true, hasPassword: false, run: null }, 'setup'],
    ['run with demo and password stays', 'run', ready, 'run'],
    ['run with a run under way goes to its newest completed step', 'run', { ...ready, run: run(upTo('push'), 'waiting-for-browser') }, 'push'],
    ['run with a run just started goes to discover', 'run', { ...ready, run: run({ discover: 'running' }) }, 'discover'],
    ['a step page whose run is gone goes back to run', 'build', { ...ready, run: null }, 'run'],
    ['a step page whose run is gone, without the password, goes back to setup', 'build', { demoReady: true, hasPassword: false, run: null }, 'setup'],
    [
      'a step page before the sign-in, without the password, goes back to setup',
      'push',
      { demoReady: true, hasPassword: false, run: run(upTo('push'), 'waiting-for-browser') },
      'setup',
    ],
    ['a step page after the sign-in needs no password', 'exchange', { demoReady: true, hasPassword: false, run: run(upTo('exchange')) }, 'exchange'],
    [
      'an earlier page of a finished run needs no password',
      'discover',
      { demoReady: true, hasPassword: false, run: run(upTo('verify'), 'succeeded') },
      'discover',
    ],
    [
      'a failed run before the sign-in, without the password, goes back to setup (Run again needs it)',
      'push',
      { demoReady: true, hasPassword: false, run: run({ ...upTo('build'), push: 'failed' }, 'failed') },
      'setup',
    ],
    ['a failed run with the password stays on its page', 'push', { ...ready, run: run({ ...upTo('build'), push: 'failed' }, 'failed') }, 'push'],
  ];
  for (const [name, page, context, expected] of cases) {
    it(name, () => expect(resumePage(page, context)).toBe(expected));
  }
});

describe('Tour › the demo user password', () => {
  it('is three groups of five unambiguous characters', () => {
    let seed = 7;
    const bytes = (b: Uint8Array) => b.map(() => (seed = (seed * 73 + 41) % 256));
    const password = demoPassword(bytes);
    expect(password).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{5}-[a-km-zA-HJ-NP-Z2-9]{5}-[a-km-zA-HJ-NP-Z2-9]{5}$/);
    // Long enough for server.createUser (8 to 256 characters).
    expect(password.length).toBe(17);
  });

  it('skips bytes that would favour some characters (rejection sampling)', () => {
    // 57 characters: bytes from 228 (4 × 57) on are dropped, so all-255 input yields nothing until other bytes come.
    let calls = 0;
    const bytes = (b: Uint8Array) => b.fill(calls++ === 0 ? 255 : 0);
    expect(demoPassword(bytes)).toBe('aaaaa-aaaaa-aaaaa');
    expect(calls).toBe(2);
  });

  it('differs between calls with real randomness', () => {
    const random = (b: Uint8Array) => crypto.getRandomValues(b);
    expect(demoPassword(random)).not.toBe(demoPassword(random));
  });
});
