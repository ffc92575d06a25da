/**
 * The step runner of declarative endpoints (electron/core/server/steps.ts): steps run in order, a refusal
 * stops the rest and names its rule, passes carry the step's texts, guarantees are recorded once and marked,
 * and a step that throws something else (a bug) is answered exactly as any handler's bug is. The last two
 * run through real servers: the embedded one, and a Fastify app with the server's own error handler.
 */
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendError } from '../../../../../electron/core/server/app';
import { OAuthError } from '../../../../../electron/core/server/errors';
import type { StepContext, StepResult } from '../../../../../electron/core/server/steps';
import { defineSteps, refuse, runSteps } from '../../../../../electron/core/server/steps';
import { TraceRecorder } from '../../../../../electron/core/server/trace';
import { PUSH_STEPS } from '../../../../../electron/core/server/endpoints/par';
import type { Harness, TestClient } from './endpoints/helpers';
import { CALLBACK, form, lastTrace, startServer } from './endpoints/helpers';

class Probe implements StepContext {
  readonly trace = new TraceRecorder('POST', 'probe', '/probe');
  readonly ran: string[] = [];
  value = 1;
}

const bad = { status: 400, error: 'invalid_request', description: 'bad value' };

function step(name: string, result: (p: Probe) => StepResult) {
  return (p: Probe): StepResult => {
    p.ran.push(name);
    return result(p);
  };
}

describe('runSteps', () => {
  it('records each passing step with its texts, and a refusal stops the rest with its rule as the failed one', async () => {
    const steps = defineSteps<Probe>({
      steps: [
        { name: 'first', rule: 'PAR-18', expected: 'on', run: step('first', () => 'on') },
        {
          name: 'second',
          rule: 'PAR-2',
          expected: 'a form',
          wire: bad,
          run: step('second', (p) =>
            p.value === 1
              ? (() => {
                  throw refuse('json');
                })()
              : 'a form',
          ),
        },
        { name: 'third', rule: 'PAR-6', expected: 'no request_uri', run: step('third', () => '(absent)') },
      ],
      guarantees: [{ rule: 'PAR-14', expected: 'at least 128 random bits', actual: '256 bits from the CSPRNG' }],
    });
    const p = new Probe();
    const thrown = await runSteps(steps, p).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(OAuthError);
    expect(thrown).toMatchObject({ status: 400, error: 'invalid_request', description: 'bad value', ruleId: 'PAR-2' });
    expect(p.ran).toEqual(['first', 'second']);
    const trace = p.trace.finish(400, { error: 'invalid_request', description: 'bad value' });
    expect(trace.failedRule).toBe('PAR-2');
    expect(trace.rules.map((r) => [r.id, r.passed, r.expected, r.actual])).toEqual([
      ['PAR-18', true, 'on', 'on'],
      ['PAR-2', false, 'a form', 'json'],
    ]);
    // The endpoint's guarantees belong to a request that got through; a refused one records none.
    expect(trace.rules.some((r) => r.guarantee)).toBe(false);
  });

  it('records each guarantee once per request, marked, at the step it follows, with the texts of that request', async () => {
    const steps = defineSteps<Probe>({
      steps: [
        { name: 'first', rule: 'PAR-18', expected: 'on', run: step('first', () => 'on') },
        { name: 'second', rule: 'PAR-2', expected: 'a form', run: step('second', () => ({ expected: 'a form, really', actual: 'a form' })) },
        { name: 'third', run: step('third', (p) => void (p.value = 7)) },
      ],
      guarantees: [
        { rule: 'PAR-3', expected: 'at most 10240 bytes', actual: '12 bytes', after: 'first' },
        { rule: 'PAR-13', expected: '201 {request_uri, expires_in}', actual: (p) => `expires_in ${p.value}` },
        { rule: 'PAR-17', expected: 'strict only', actual: 'never', when: () => false },
      ],
    });
    const p = new Probe();
    await runSteps(steps, p);
    const trace = p.trace.finish(201);
    expect(trace.rules.map((r) => [r.id, r.expected, r.actual, r.guarantee ?? false])).toEqual([
      ['PAR-18', 'on', 'on', false],
      ['PAR-3', 'at most 10240 bytes', '12 bytes', true],
      ['PAR-2', 'a form, really', 'a form', false],
      ['PAR-13', '201 {request_uri, expires_in}', 'expires_in 7', true],
    ]);
    expect(trace.rules.every((r) => r.passed)).toBe(true);
  });

  it('fails the step’s own rule after the check it wraps, and records failure guarantees for that error only', async () => {
    const inner = new OAuthError(400, 'invalid_grant', 'inner failure', 'TOK-1');
    const steps = defineSteps<Probe>({
      steps: [
        {
          name: 'wrapping',
          rule: 'PAR-7',
          expected: 'a valid authorization request',
          run: () => {
            throw inner;
          },
          failed: (_p, e) => `${e.error}: ${e.description}`,
        },
      ],
      guarantees: [
        { rule: 'E-2', expected: '403 (Auth0)', actual: (_p, e) => String(e?.status), onFailure: true, when: (_p, e) => e?.error === 'invalid_grant' },
      ],
    });
    const p = new Probe();
    await expect(runSteps(steps, p)).rejects.toBe(inner);
    expect(p.trace.rules.map((r) => [r.id, r.passed, r.actual, r.guarantee ?? false])).toEqual([
      ['PAR-7', false, 'invalid_grant: inner failure', false],
      ['E-2', true, '400', true],
    ]);
  });

  it('refuses at definition a guarantee placed after a step that does not exist, and two steps of one name', () => {
    expect(() =>
      defineSteps<Probe>({ steps: [{ name: 'a', run: () => undefined }], guarantees: [{ rule: 'PAR-14', expected: 'x', actual: 'y', after: 'b' }] }),
    ).toThrow(/PAR-14.*unknown step "b"/);
    expect(() =>
      defineSteps<Probe>({
        steps: [
          { name: 'a', run: () => undefined },
          { name: 'a', run: () => undefined },
        ],
      }),
    ).toThrow(/share a name/);
  });
});

describe('declared guarantees in a real /oauth/par trace', () => {
  let h: Harness;
  let c: TestClient;
  beforeAll(async () => {
    h = await startServer({ parEnabled: true });
    c = await h.client();
  });
  afterAll(() => h.close());

  it('shows each guarantee of the endpoint once, marked, in the order the trace always had', async () => {
    const res = await form(`${h.base}oauth/par`, { client_id: c.client_id, client_secret: c.client_secret!, response_type: 'code', redirect_uri: CALLBACK });
    expect(res.status).toBe(201);
    const trace = await lastTrace(h, 'par');
    const guaranteed = trace.rules.filter((r) => r.guarantee);
    expect(guaranteed.map((r) => r.id)).toEqual(['PAR-3', 'PAR-14', 'PAR-15', 'PAR-16', 'PAR-5', 'PAR-13']);
    expect(guaranteed.map((r) => r.id)).toEqual(PUSH_STEPS.guarantees.map((g) => g.rule).filter((id) => id !== 'PAR-17'));
    for (const id of ['PAR-14', 'PAR-15', 'PAR-13']) expect(trace.rules.filter((r) => r.id === id)).toHaveLength(1);
    expect(trace.rules.find((r) => r.id === 'PAR-14')).toMatchObject({
      passed: true,
      guarantee: true,
      expected: 'at least 128 random bits',
      actual: '256 bits from the CSPRNG',
    });
    expect(trace.rules.find((r) => r.id === 'PAR-15')).toMatchObject({ actual: c.client_id, guarantee: true });
    // Checked rules stay plain passes; PAR-3 follows PAR-2 and the guarantees close the trace.
    expect(trace.rules.find((r) => r.id === 'PAR-2')?.guarantee).toBeUndefined();
    const ids = trace.rules.map((r) => r.id);
    expect(ids.indexOf('PAR-3')).toBe(ids.indexOf('PAR-2') + 1);
    expect(ids.slice(-5)).toEqual(['PAR-14', 'PAR-15', 'PAR-16', 'PAR-5', 'PAR-13']);
  });
});

describe('a step that throws something other than a rule failure', () => {
  let app: FastifyInstance;
  let base: string;
  const traces: TraceRecorder[] = [];
  const logged: string[] = [];

  class Broken implements StepContext {
    constructor(readonly trace: TraceRecorder) {}
  }
  const BROKEN = defineSteps<Broken>({
    steps: [
      { name: 'fine', rule: 'PAR-18', expected: 'on', run: () => 'on' },
      {
        name: 'buggy',
        run: () => {
          throw new TypeError('cannot read properties of undefined');
        },
      },
    ],
  });

  beforeAll(async () => {
    // The embedded server's own error handler (app.ts sendError) behind a real Fastify on 127.0.0.1.
    app = Fastify({ logger: false });
    app.decorateRequest('trace', null as unknown as TraceRecorder);
    app.addHook('onRequest', (request, _reply, done) => {
      request.trace = new TraceRecorder(request.method, 'probe', request.url);
      traces.push(request.trace);
      done();
    });
    app.setErrorHandler((error, request, reply) => sendError(request, reply, error, (m) => logged.push(m)));
    app.post('/steps', { config: { endpoint: 'probe', errors: 'oauth' } }, async (request) => {
      await runSteps(BROKEN, new Broken(request.trace));
      return {};
    });
    app.post('/plain', { config: { endpoint: 'probe', errors: 'oauth' } }, async () => {
      throw new TypeError('cannot read properties of undefined');
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(() => app.close());

  it('is answered with the server_error shape a plain handler’s bug gets, and the trace names SERVER', async () => {
    const viaSteps = await fetch(`${base}/steps`, { method: 'POST' });
    const plain = await fetch(`${base}/plain`, { method: 'POST' });
    expect(viaSteps.status).toBe(500);
    expect(await viaSteps.json()).toEqual({ error: 'server_error', error_description: 'Internal error' });
    expect(await plain.json()).toEqual({ error: 'server_error', error_description: 'Internal error' });
    expect(viaSteps.status).toBe(plain.status);
    for (const name of ['cache-control', 'pragma', 'content-type']) expect(viaSteps.headers.get(name)).toBe(plain.headers.get(name));
    const [stepsTrace] = traces;
    const trace = stepsTrace!.finish(500);
    expect(trace.failedRule).toBe('SERVER');
    expect(trace.rules.map((r) => [r.id, r.passed, r.actual])).toEqual([
      ['PAR-18', true, 'on'],
      ['SERVER', false, 'cannot read properties of undefined'],
    ]);
    expect(logged[0]).toMatch(/unexpected error on POST \/steps: TypeError: cannot read properties of undefined/);
  });
});
