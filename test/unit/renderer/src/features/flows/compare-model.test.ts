/**
 * The compare panel's model: steps side by side (durations never count as a difference), the request's
 * parameters (built + pushed form, or the token form for client_credentials), request object and ID token claims.
 */
import { SignJWT, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  diffRecords,
  idTokenClaims,
  requestObjectClaims,
  requestParameters,
  shorten,
  stepRows,
} from '../../../../../../renderer/src/features/flows/compare-model';
import type { FlowRun, FlowStep } from '../../../../../../shared/schemas/flows';

function step(name: FlowStep['name'], extra: Partial<FlowStep> = {}): FlowStep {
  return { id: `${name}-id`, name, status: 'ok', jwts: [], serverTraceIds: [], durationMs: 5, ...extra };
}

function run(steps: FlowStep[], extra: Partial<FlowRun> = {}): FlowRun {
  return { id: 'r', kind: 'par+jar', targetId: 't', options: { pkce: true }, status: 'succeeded', startedAt: '2026-11-22T10:00:00.000Z', steps, ...extra };
}

const form = (body: string) => ({
  request: { method: 'POST', url: 'http://127.0.0.1/oauth/par', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body },
  response: { status: 201, headers: {} },
  durationMs: 3,
});

describe('compare model', () => {
  it('diffRecords lists every key of either side, a first, and marks absent and changed values', () => {
    expect(diffRecords({ a: 1, b: 'x' }, { b: 'y', c: true })).toEqual([
      { key: 'a', a: '1', b: undefined, differs: true },
      { key: 'b', a: 'x', b: 'y', differs: true },
      { key: 'c', a: undefined, b: 'true', differs: true },
    ]);
    expect(diffRecords({ scope: 'openid' }, { scope: 'openid' })[0]?.differs).toBe(false);
  });

  it('stepRows: status, HTTP status and errors differ; durations do not', () => {
    const a = run([step('discover'), step('push', { exchange: form('x=1') })]);
    const b = run([
      step('discover', { durationMs: 900 }),
      step('push', {
        status: 'failed',
        exchange: { ...form('x=1'), response: { status: 400, headers: {} } },
        error: { code: 'par_rejected', message: 'JAR-11 failed' },
      }),
    ]);
    const rows = stepRows(a, b);
    expect(rows.map((r) => [r.name, r.differs])).toEqual([
      ['discover', false],
      ['push', true],
    ]);
  });

  it('requestParameters merges the built parameters with the pushed form; client_credentials uses the token form', () => {
    const a = run([step('build', { detail: { parameters: { scope: 'openid', state: 's' } } }), step('push', { exchange: form('client_id=c&request=eyJ') })]);
    expect(requestParameters(a)).toEqual({ scope: 'openid', state: 's', client_id: 'c', request: 'eyJ' });
    const cc = run([step('discover'), step('exchange', { exchange: form('grant_type=client_credentials&audience=api') })], { kind: 'client_credentials' });
    expect(requestParameters(cc)).toEqual({ grant_type: 'client_credentials', audience: 'api' });
  });

  it('decodes the request object and prefers the verified ID token claims', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const ro = await new SignJWT({ aud: 'https://wrong.example/', scope: 'openid' }).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);
    const idt = await new SignJWT({ sub: 'decoded' }).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);
    const r = run([step('build', { jwts: [{ label: 'Request object', token: ro }] }), step('verify', { jwts: [{ label: 'ID token', token: idt }] })]);
    expect(requestObjectClaims(r)).toEqual({ aud: 'https://wrong.example/', scope: 'openid' });
    expect(idTokenClaims(r)).toEqual({ sub: 'decoded' });
    expect(idTokenClaims({ ...r, idTokenClaims: { sub: 'verified' } })).toEqual({ sub: 'verified' });
    expect(requestObjectClaims(run([step('build', { jwts: [{ label: 'Request object', token: 'not.a.jwt' }] })]))).toBeUndefined();
  });

  it('shorten keeps short text and cuts long text with an ellipsis', () => {
    expect(shorten('abc', 5)).toBe('abc');
    expect(shorten('abcdefgh', 5)).toBe('abcd…');
  });
});
