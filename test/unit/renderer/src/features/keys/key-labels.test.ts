import { describe, expect, it } from 'vitest';
import type { TFunction } from 'i18next';
import { keyTypeLabel, shortThumbprint, specLabel } from '../../../../../../renderer/src/features/keys/key-labels';

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
});
