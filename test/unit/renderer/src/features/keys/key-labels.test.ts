import { describe, expect, it } from 'vitest';
import type { TFunction } from 'i18next';
import { keyTypeLabel, shortThumbprint, specLabel, usagesFor } from '../../../../../../renderer/src/features/keys/key-labels';

const t = ((key: string, options?: Record<string, unknown>) => `${key}${options ? JSON.stringify(options) : ''}`) as unknown as TFunction;

describe('Key labels', () => {
  it('shortens a thumbprint to its start and end', () => {
    expect(shortThumbprint('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs')).toBe('NzbLsXh8…RGC9Xs');
    expect(shortThumbprint('short')).toBe('short');
  });

  it('names RSA keys by size and EC keys by curve', () => {
    expect(keyTypeLabel(t, { kty: 'RSA', size: 2048 })).toBe('keys.type.rsa{"size":2048}');
    expect(keyTypeLabel(t, { kty: 'EC', crv: 'P-256' })).toBe('keys.type.ec{"curve":"P-256"}');
    expect(specLabel(t, { kty: 'RSA', modulusLength: 4096 })).toBe('keys.type.rsa{"size":4096}');
  });

  it('names Ed25519 (OKP) keys by curve, and offers them the "other" usage only (Auth0 credentials are RSA, CRD-2)', () => {
    expect(keyTypeLabel(t, { kty: 'OKP', crv: 'Ed25519' })).toBe('keys.type.okp{"curve":"Ed25519"}');
    expect(specLabel(t, { kty: 'OKP', crv: 'Ed25519' })).toBe('keys.type.okp{"curve":"Ed25519"}');
    expect(usagesFor('OKP')).toEqual(['other']);
    expect(usagesFor('RSA')).toEqual(['jar', 'client-auth', 'other']);
    expect(usagesFor('EC')).toEqual(['jar', 'client-auth', 'other']);
  });
});
