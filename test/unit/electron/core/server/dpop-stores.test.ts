/**
 * The server's DPoP stores: the one-time jti cache (DPP-11, X-D8, X-D26) and the stateless nonces (DPN-4,
 * DPN-5, DPN-8, X-D11), with the clock of electron/core/clock.ts frozen and moved, never slept.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freezeClock } from '../../../../../electron/core/clock';
import { DpopJtiCache } from '../../../../../electron/core/server/state/dpop-jti';
import { DpopNonces, NONCE_STEP_MS } from '../../../../../electron/core/server/state/dpop-nonces';
import { DPOP_POLICIES } from '../../../../../shared/jwt/rules/dpop-proof';

const T0 = 1_767_225_600_000;
const JKT_A = 'A'.repeat(43);
const JKT_B = 'B'.repeat(43);
const policy = DPOP_POLICIES.auth0;

beforeEach(() => freezeClock(T0));
afterEach(() => freezeClock(undefined));

describe('DPP-11 jti cache', () => {
  it('remembers (thumbprint, jti) once recorded; the same jti from another key is another proof', () => {
    const cache = new DpopJtiCache();
    expect(cache.seen(JKT_A, 'j1')).toBe(false);
    cache.record(JKT_A, 'j1', T0 / 1000, policy);
    expect(cache.seen(JKT_A, 'j1')).toBe(true);
    expect(cache.seen(JKT_B, 'j1')).toBe(false);
  });

  it('keeps a proof until iat + past window + future skew, then forgets it', () => {
    const cache = new DpopJtiCache();
    const iat = T0 / 1000;
    cache.record(JKT_A, 'j1', iat, policy);
    freezeClock((iat + policy.pastSeconds + policy.futureSeconds - 1) * 1000);
    expect(cache.seen(JKT_A, 'j1')).toBe(true);
    freezeClock((iat + policy.pastSeconds + policy.futureSeconds) * 1000);
    expect(cache.seen(JKT_A, 'j1')).toBe(false);
  });

  it('claim() is check-and-record: true the first time, false for a replay', () => {
    const cache = new DpopJtiCache();
    expect(cache.claim(JKT_A, 'j2', T0 / 1000, policy)).toBe(true);
    expect(cache.claim(JKT_A, 'j2', T0 / 1000, policy)).toBe(false);
  });

  it('stays within its bound whatever is sent, and a 10,000-character jti costs one fixed-size key', () => {
    const cache = new DpopJtiCache(1_000);
    for (let i = 0; i < 5_000; i++) cache.record(JKT_A, `${'x'.repeat(10_000)}${i}`, T0 / 1000, policy);
    expect(cache.size).toBeLessThanOrEqual(1_000);
    expect(cache.seen(JKT_A, `${'x'.repeat(10_000)}4999`)).toBe(true);
  });
});

describe('DPN-5 nonces', () => {
  const secret = new Uint8Array(32).fill(1);

  it('issues unpredictable NQCHAR values that rotate each minute', () => {
    const nonces = new DpopNonces({ secret });
    const first = nonces.issue();
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    freezeClock(T0 + NONCE_STEP_MS);
    expect(nonces.issue()).not.toBe(first);
  });

  it('accepts an issued nonce for about 3 minutes, then calls it expired, and anything else unknown', () => {
    const nonces = new DpopNonces({ secret });
    const issued = nonces.issue();
    expect(nonces.status(issued)).toBe('current');
    freezeClock(T0 + 3 * NONCE_STEP_MS);
    expect(nonces.status(issued)).toBe('current');
    freezeClock(T0 + 4 * NONCE_STEP_MS);
    expect(nonces.status(issued)).toBe('expired');
    expect(nonces.expectation(true)).toMatchObject({ required: true });
    expect(nonces.expectation(true).expired).toContain(issued);
    expect(nonces.status('forged')).toBe('unknown');
  });

  it("DPN-8: another server's nonce (another scope or secret) is unknown here", () => {
    const tenant = new DpopNonces({ secret, scope: 'https://tenant.example.com/' });
    const api = new DpopNonces({ secret, scope: 'https://api.example.com/' });
    expect(tenant.status(api.issue())).toBe('unknown');
    expect(new DpopNonces().status(tenant.issue())).toBe('unknown');
    // Instances sharing the secret and scope agree without storage.
    expect(new DpopNonces({ secret, scope: 'https://tenant.example.com/' }).status(tenant.issue())).toBe('current');
  });

  it('asks for a refresh unless the client already holds the value it would send (§9 item 3)', () => {
    const nonces = new DpopNonces({ secret });
    expect(nonces.shouldRefresh(undefined)).toBe(true);
    expect(nonces.shouldRefresh(nonces.issue())).toBe(false);
    const held = nonces.issue();
    freezeClock(T0 + NONCE_STEP_MS);
    expect(nonces.shouldRefresh(held)).toBe(true);
  });

  it('refuses a secret shorter than 32 bytes', () => {
    expect(() => new DpopNonces({ secret: new Uint8Array(16) })).toThrow(/at least 32 bytes/);
  });
});
