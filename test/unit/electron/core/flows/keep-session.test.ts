/**
 * "Keep the session between runs", from the target to the browser boundary: saved with the target (and
 * absent by default), and handed to the launcher with the run's id, through the real core and the
 * embedded server. What the Electron launcher makes of it is in test/unit/electron/main/flow-window.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowTarget } from '../../../../../shared/schemas/flows';
import type { FlowHarness } from './helpers';
import { flowHarness, REDIRECT } from './helpers';

let h: FlowHarness;

beforeAll(async () => {
  h = await flowHarness();
});
afterAll(async () => {
  await h.core.close();
});

function targetInput(id: string, extra: Partial<FlowTarget> = {}): FlowTarget {
  return {
    id,
    name: id,
    issuer: h.core.server.running!.urls.issuer,
    client_id: h.clientId,
    auth: { method: 'private_key_jwt', keyId: h.authKeyId, hasSecret: false },
    redirect_uri: REDIRECT,
    scope: 'openid',
    embedded: true,
    ...extra,
  };
}

describe('Flows › keep the session between runs', () => {
  it('is off unless the target says so, and is saved with the target', async () => {
    const fresh = await h.call<FlowTarget>('flows.saveTarget', { target: targetInput('fresh') });
    const kept = await h.call<FlowTarget>('flows.saveTarget', { target: targetInput('kept', { keepSession: true }) });
    expect(fresh).not.toHaveProperty('keepSession');
    expect(kept.keepSession).toBe(true);
    const listed = await h.call<FlowTarget[]>('flows.listTargets');
    expect(listed.find((t) => t.id === 'kept')?.keepSession).toBe(true);
  });

  it('refuses a keepSession that is not a boolean, naming it', async () => {
    const result = await h.core.dispatch('flows.saveTarget', { target: { ...targetInput('bad'), keepSession: 'yes' } });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('keepSession') } });
  });

  it("hands the launcher each run's id, and keepSession only for a target that keeps it", async () => {
    const first = await h.run('fresh', 'plain');
    const second = await h.run('fresh', 'plain');
    const kept = await h.run('kept', 'plain');
    for (const run of [first, second, kept]) expect(run.status, JSON.stringify(run.steps.map((s) => [s.name, s.error?.message]))).toBe('succeeded');
    expect(h.launcher.openOptions.slice(-3)).toEqual([
      { runId: first.id, keepSession: false },
      { runId: second.id, keepSession: false },
      { runId: kept.id, keepSession: true },
    ]);
    expect(first.id).not.toBe(second.id);
  });
});
