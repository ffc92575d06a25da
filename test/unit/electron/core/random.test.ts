/**
 * electron/core/random.ts cuts tokens from a pooled CSPRNG buffer. These tests pin what the pool must not
 * change: sizes, the alphabet, no repeats across many pool refills, and bytes that look uniformly random.
 */
import { describe, expect, it } from 'vitest';
import { randomBytes, randomId, randomToken } from '../../../../electron/core/random';

describe('random tokens from the pool', () => {
  it('have the asked entropy, in base64url, and never repeat across many pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      const token = randomToken(32);
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      seen.add(token);
    }
    expect(seen.size).toBe(20_000);
    expect(randomToken(12)).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(randomId()).toMatch(/^[A-Za-z0-9_-]{22}$/);
    // Larger than a quarter of the pool: drawn directly.
    expect(Buffer.from(randomToken(2048), 'base64url')).toHaveLength(2048);
  });

  it('are made of bytes whose distribution is flat (no zeroed or reused pool regions)', () => {
    const counts = new Array<number>(256).fill(0);
    const n = 8_000;
    for (let i = 0; i < n; i++) for (const byte of Buffer.from(randomToken(32), 'base64url')) counts[byte]! += 1;
    const expected = (n * 32) / 256;
    // Chi-squared with 255 degrees of freedom: 99.99th percentile ≈ 347. Zeroed or repeated regions blow far past it.
    const chi2 = counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(347);
    expect(randomBytes(16)).toHaveLength(16);
  });
});
