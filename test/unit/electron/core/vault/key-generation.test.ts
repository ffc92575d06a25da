import { describe, expect, it } from 'vitest';
import { expectError, unlockedVault } from './helpers';
import type { JobProgress } from '../../../../../shared/schemas/keys';

describe('Key generation', () => {
  it('generates RSA-4096 off the event loop: a timer keeps firing meanwhile', async () => {
    const { vault } = await unlockedVault();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    try {
      const key = await vault.generate({ name: 'Big', spec: { kty: 'RSA', modulusLength: 4096 }, usages: ['jar'] });
      expect(key).toMatchObject({ kty: 'RSA', size: 4096 });
    } finally {
      clearInterval(timer);
    }
    // A blocking generation would let the interval fire at most once, after the fact.
    expect(ticks).toBeGreaterThanOrEqual(10);
  });

  it('reports generation as a job: running, then done with the key id', async () => {
    const { vault, events } = await unlockedVault();
    const key = await vault.generate({ name: 'Job', spec: { kty: 'RSA', modulusLength: 3072 }, usages: [] });
    const jobs = events.filter((e) => e.name === 'jobs.progress').map((e) => e.payload as JobProgress);
    expect(jobs).toHaveLength(2);
    const [running, done] = jobs;
    expect(running).toEqual({ jobId: running?.jobId, kind: 'generate-key', label: 'RSA 3072', state: 'running' });
    expect(done).toEqual({ jobId: running?.jobId, kind: 'generate-key', label: 'RSA 3072', state: 'done', keyId: key.id });
    expect(events.at(-1)).toEqual({ name: 'keys.changed', payload: { reason: 'generated', id: key.id } });
  });

  it('reports a job as failed when the vault is locked before the key can be sealed', async () => {
    const { vault, events } = await unlockedVault();
    const pending = vault.generate({ name: 'Interrupted', spec: { kty: 'EC', crv: 'P-256' }, usages: [] });
    vault.lock();
    await expectError(() => pending, 'VAULT_LOCKED', /locked/);
    const states = events.filter((e) => e.name === 'jobs.progress').map((e) => (e.payload as JobProgress).state);
    expect(states).toEqual(['running', 'failed']);
  });

  it('generates EC P-256 and P-384 keys with their algorithms and an RFC 7638 thumbprint', async () => {
    const { vault } = await unlockedVault();
    const p256 = await vault.generate({ name: 'P256', spec: { kty: 'EC', crv: 'P-256' }, usages: ['client-auth'] });
    const p384 = await vault.generate({ name: 'P384', spec: { kty: 'EC', crv: 'P-384' }, usages: ['jar'] });
    expect(p256).toMatchObject({ kty: 'EC', crv: 'P-256', algs: ['ES256'], hasPrivateKey: true, expiresAt: null, certificate: null });
    expect(p384).toMatchObject({ kty: 'EC', crv: 'P-384', algs: ['ES384'] });
    expect(p256.thumbprint).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(p256.id).not.toBe(p384.id);
  });

  it('refuses a spec outside RSA 2048/3072/4096 and EC P-256/P-384', async () => {
    const { vault } = await unlockedVault();
    const spec = { kty: 'RSA', modulusLength: 1024 } as unknown as { kty: 'RSA'; modulusLength: 2048 };
    await expectError(() => vault.generate({ name: 'Small', spec, usages: [] }), 'INVALID_INPUT', /Unsupported key spec/);
  });
});
