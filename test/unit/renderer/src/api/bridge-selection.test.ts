/**
 * How the renderer picks its bridge: the preload's when it is there; the web host's in web mode; and on an
 * app:// page whose preload did not load, a bridge that says so plainly instead of the web bridge's
 * "web host answered 405 without a JSON body".
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { TFunction } from 'i18next';
import { ApiError, bridgeKind, missingBridge } from '../../../../../renderer/src/api/client';
import { describeError } from '../../../../../renderer/src/i18n/errors';
import { LANGUAGES } from '../../../../../shared/schemas/settings';

describe('Renderer › bridge selection', () => {
  it("uses the preload's bridge whenever it is there", () => {
    expect(bridgeKind({ hasPreloadBridge: true, protocol: 'app:' })).toBe('preload');
  });

  it('uses the web bridge on a page web mode served', () => {
    expect(bridgeKind({ hasPreloadBridge: false, protocol: 'http:' })).toBe('web');
    expect(bridgeKind({ hasPreloadBridge: false, protocol: 'https:' })).toBe('web');
  });

  it('does not fall back to the web bridge on an app:// page without its preload', () => {
    expect(bridgeKind({ hasPreloadBridge: false, protocol: 'app:' })).toBe('missing');
  });

  it('answers every call on a missing bridge with BRIDGE_MISSING, naming the preload, never a 405', async () => {
    const bridge = missingBridge();
    for (const result of [await bridge.invoke('vault.status', {}), await bridge.invoke('settings.get', {})]) {
      expect(result).toMatchObject({ ok: false, error: { code: 'BRIDGE_MISSING' } });
      if (result.ok) throw new Error('unreachable');
      expect(result.error.message).toMatch(/^Parley's app bridge is missing \(the preload script did not load\)/);
      expect(result.error.message).not.toMatch(/405|JSON|web host/);
    }
    expect(typeof bridge.subscribe(() => undefined)).toBe('function');
  });

  it('is shown in words from the catalogues, in every language', () => {
    const t = ((key: string) => key) as unknown as TFunction;
    expect(describeError(t, new ApiError({ code: 'BRIDGE_MISSING', message: 'x' }))).toEqual({ message: 'errors.BRIDGE_MISSING', detail: null });
    for (const language of LANGUAGES) {
      const catalogue = JSON.parse(readFileSync(new URL(`../../../../../renderer/src/i18n/locales/${language}.json`, import.meta.url), 'utf8')) as {
        errors: Record<string, string>;
      };
      expect(catalogue.errors['BRIDGE_MISSING'], language).toMatch(/preload/);
    }
  });
});
