import { describe, expect, it } from 'vitest';
import { hrefFor, screenFromHash } from '../../../../../renderer/src/app/route';

describe('Hash routing', () => {
  it('reads the screen from the hash', () => {
    expect(screenFromHash('#/settings')).toBe('settings');
    expect(screenFromHash('#/keys')).toBe('keys');
    expect(screenFromHash('#/server')).toBe('server');
    expect(screenFromHash('#settings')).toBe('settings');
    expect(screenFromHash('#/settings/anything?x=1')).toBe('settings');
  });

  it('falls back to Keys for an empty or unknown hash', () => {
    expect(screenFromHash('')).toBe('keys');
    expect(screenFromHash('#/nowhere')).toBe('keys');
  });

  it('round-trips every screen through its href', () => {
    for (const screen of ['keys', 'flows', 'server', 'settings'] as const) expect(screenFromHash(hrefFor(screen))).toBe(screen);
  });
});
