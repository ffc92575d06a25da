/**
 * Step-through in the renderer: the cursor over the steps already run (Previous step goes back, Next step
 * walks forward, then sends the paused request), and the edits sent to flows.next — nothing when nothing
 * changed, the whole form when a field did (flows.next replaces the form), claims only when they differ.
 */
import { describe, expect, it } from 'vitest';
import type { FlowPause, FlowRun, FlowStep } from '../../../../../../shared/schemas/flows';
import {
  atFrontier,
  canStepBack,
  canStepForward,
  canonicalJson,
  cursorAfterSend,
  cursorIndex,
  formEdits,
  frontierIndex,
  initialDraft,
  isJwtField,
  opensBrowser,
  parseClaims,
  pauseEdits,
  pauseKey,
  stepBack,
  stepForward,
} from '../../../../../../renderer/src/features/flows/step-through-model';

const NAMES: FlowStep['name'][] = ['discover', 'build', 'push', 'authorize', 'callback', 'exchange', 'verify'];

/** A PAR + JAR run whose first `done` steps are OK; paused at the next one when `pause` is given. */
function run(done: number, pause?: FlowPause, status: FlowRun['status'] = pause ? 'paused' : 'running'): FlowRun {
  return {
    id: 'r1',
    kind: 'par+jar',
    targetId: 't1',
    options: { pkce: true, stepThrough: true },
    status,
    startedAt: '2026-11-22T10:00:00.000Z',
    ...(pause ? { paused: pause } : {}),
    steps: NAMES.map((name, i) => ({
      id: name,
      name,
      status: i < done ? 'ok' : i === done && status !== 'succeeded' ? 'running' : 'pending',
      jwts: [],
      serverTraceIds: [],
    })),
  };
}

const PAR: FlowPause = {
  step: 'push',
  purpose: 'par',
  request: {
    method: 'POST',
    url: 'http://127.0.0.1:4000/oauth/par',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    form: { request: 'eyJhbGciOiJSUzI1NiJ9.eyJzY29wZSI6Im9wZW5pZCJ9.c2ln', client_id: 'c1', client_secret: '[redacted]' },
  },
  requestObjectClaims: { iss: 'c1', scope: 'openid profile email', exp: 1700000300 },
};

describe('step-through › cursor', () => {
  it('the frontier is the paused step, else the latest step that started', () => {
    expect(frontierIndex(run(2, PAR))).toBe(2);
    expect(frontierIndex(run(0))).toBe(0);
    expect(frontierIndex(run(4))).toBe(4);
    expect(frontierIndex(run(7, undefined, 'succeeded'))).toBe(6);
  });

  it('Previous step goes back one step at a time, never before the first', () => {
    const r = run(2, PAR);
    expect(canStepBack(r, null)).toBe(true);
    expect(stepBack(r, null)).toBe(1);
    expect(stepBack(r, 1)).toBe(0);
    expect(stepBack(r, 0)).toBe(0);
    expect(canStepBack(r, 0)).toBe(false);
  });

  it('Next step walks forward through the steps already run, then sends the paused request', () => {
    const r = run(2, PAR);
    expect(stepForward(r, 0)).toEqual({ cursor: 1, send: false });
    // One step before the frontier: back to following the run, nothing sent yet.
    expect(stepForward(r, 1)).toEqual({ cursor: null, send: false });
    expect(atFrontier(r, null)).toBe(true);
    expect(stepForward(r, null)).toEqual({ cursor: null, send: true });
  });

  it('a finished or running run: Next step stops at the frontier and sends nothing', () => {
    const finished = run(7, undefined, 'succeeded');
    expect(stepForward(finished, null)).toEqual({ cursor: null, send: false });
    expect(canStepForward(finished, null)).toBe(false);
    expect(canStepForward(finished, 3)).toBe(true);
    const waiting = run(3, undefined, 'waiting-for-browser');
    expect(canStepForward(waiting, null)).toBe(false);
  });

  it('a cursor beyond the frontier (the run was replaced) is clamped', () => {
    expect(cursorIndex(run(2, PAR), 5)).toBe(2);
    expect(cursorIndex(run(2, PAR), -3)).toBe(0);
  });

  it('the pause key changes with each pause; only a paused authorize opens the browser', () => {
    expect(pauseKey(run(2, PAR))).toBe('r1:push:par');
    expect(pauseKey(run(2))).toBeNull();
    expect(opensBrowser(run(2, PAR))).toBe(false);
    expect(opensBrowser(run(3, { step: 'authorize', purpose: 'authorize', request: { method: 'GET', url: 'http://x/authorize', headers: {} } }))).toBe(true);
  });
});

describe('step-through › edits', () => {
  it('nothing changed: no edits at all (the request goes as it is)', () => {
    expect(pauseEdits(PAR, initialDraft(PAR))).toEqual({ edits: undefined });
  });

  it('a changed field sends the whole form, the redacted secret included as the placeholder', () => {
    const draft = initialDraft(PAR);
    draft.form['client_id'] = 'other';
    expect(pauseEdits(PAR, draft)).toEqual({ edits: { form: { request: PAR.request.form!['request'], client_id: 'other', client_secret: '[redacted]' } } });
  });

  it('edited claims are sent alone; reordering members is not a change', () => {
    const draft = initialDraft(PAR);
    const claims = JSON.parse(draft.claimsText!) as Record<string, unknown>;
    expect(pauseEdits(PAR, { ...draft, claimsText: JSON.stringify({ exp: claims['exp'], scope: claims['scope'], iss: claims['iss'] }) })).toEqual({
      edits: undefined,
    });
    claims['scope'] = 'openid email';
    expect(pauseEdits(PAR, { ...draft, claimsText: JSON.stringify(claims) })).toEqual({
      edits: { requestObjectClaims: { iss: 'c1', scope: 'openid email', exp: 1700000300 } },
    });
  });

  it('claims that are not a JSON object are refused before anything is sent', () => {
    expect(pauseEdits(PAR, { ...initialDraft(PAR), claimsText: '{"scope": ' })).toEqual({ problem: 'not-json' });
    expect(pauseEdits(PAR, { ...initialDraft(PAR), claimsText: '["openid"]' })).toEqual({ problem: 'not-object' });
    expect(parseClaims('{"a":1}')).toEqual({ claims: { a: 1 } });
  });

  it('formEdits: added and removed fields count as changes', () => {
    expect(formEdits({ a: '1' }, { a: '1' })).toBeUndefined();
    expect(formEdits({ a: '1' }, { a: '1', b: '2' })).toEqual({ a: '1', b: '2' });
    expect(formEdits({ a: '1', b: '2' }, { a: '1' })).toEqual({ a: '1' });
    expect(formEdits(undefined, {})).toBeUndefined();
  });

  it('the initial draft: the form and the claims as indented JSON; JWT fields recognised', () => {
    const draft = initialDraft(PAR);
    expect(draft.form).toEqual(PAR.request.form);
    expect(draft.form).not.toBe(PAR.request.form);
    expect(JSON.parse(draft.claimsText!)).toEqual(PAR.requestObjectClaims);
    expect(initialDraft({ ...PAR, requestObjectClaims: undefined }).claimsText).toBeNull();
    expect(isJwtField(PAR.request.form!['request']!)).toBe(true);
    expect(isJwtField('openid profile')).toBe(false);
    expect(canonicalJson({ b: 1, a: { d: 2, c: [3] } })).toBe('{"a":{"c":[3],"d":2},"b":1}');
  });
});

describe('step-through › the counter counts the steps shown', () => {
  it('after sending, the cursor shows the next step even when the run pauses further on: 1, 2, 3… with no jump', () => {
    const DISCOVERY: FlowPause = {
      step: 'discover',
      purpose: 'discovery',
      request: { method: 'GET', url: 'http://127.0.0.1:4000/.well-known/openid-configuration', headers: {} },
    };
    const shown: number[] = [];
    // Paused at discovery (step 1): Next step sends it.
    let r = run(0, DISCOVERY);
    let cursor = null as ReturnType<typeof cursorAfterSend>;
    shown.push(cursorIndex(r, cursor) + 1);
    expect(stepForward(r, cursor).send).toBe(true);
    cursor = cursorAfterSend(r, cursor);
    // Until the run moves on, the cursor stays on the paused step.
    expect(cursorIndex(r, cursor)).toBe(0);
    // Build runs without a pause; the run pauses at PAR (step 3): the cursor shows Build (step 2) first.
    r = run(2, PAR);
    shown.push(cursorIndex(r, cursor) + 1);
    expect(atFrontier(r, cursor)).toBe(false);
    cursor = stepForward(r, cursor).cursor;
    shown.push(cursorIndex(r, cursor) + 1);
    expect(atFrontier(r, cursor)).toBe(true);
    // Sending the PAR: the run pauses at authorize (step 4), right after.
    cursor = cursorAfterSend(r, cursor);
    r = run(3, { step: 'authorize', purpose: 'authorize', request: { method: 'GET', url: 'http://127.0.0.1:4000/authorize?x=1', headers: {} } });
    shown.push(cursorIndex(r, cursor) + 1);
    // Sending authorize: the callback runs unpaused, the run pauses at the token request (step 6).
    cursor = cursorAfterSend(r, cursor);
    r = run(5, { step: 'exchange', purpose: 'token', request: { method: 'POST', url: 'http://127.0.0.1:4000/oauth/token', headers: {} } });
    shown.push(cursorIndex(r, cursor) + 1);
    cursor = stepForward(r, cursor).cursor;
    shown.push(cursorIndex(r, cursor) + 1);
    cursor = cursorAfterSend(r, cursor);
    r = run(6, { step: 'verify', purpose: 'jwks', request: { method: 'GET', url: 'http://127.0.0.1:4000/.well-known/jwks.json', headers: {} } });
    shown.push(cursorIndex(r, cursor) + 1);
    expect(shown).toEqual([1, 2, 3, 4, 5, 6, 7]);
    // The last send: the run ends, the cursor stays on the last step.
    cursor = cursorAfterSend(r, cursor);
    expect(cursorIndex(run(7, undefined, 'succeeded'), cursor)).toBe(6);
  });
});
