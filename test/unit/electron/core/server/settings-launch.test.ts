/**
 * Launch settings (issue #15): `npm run server -- --https --skip-consent --clock-offset` hold for that run
 * only — laid over server.json, never written to it, and still in force after the saved settings change
 * (a tenant file's `settings:`); server.json written before `https` existed still opens, as plain http.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ServerSettingsStore, defaultServerSettings } from '../../../../../electron/core/server/settings';
import { confStoreFactory } from '../../../../../electron/core/store/document-store';
import type { StoreNotice } from '../../../../../shared/schemas/app';

const root = mkdtempSync(join(tmpdir(), 'parley-settings-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('Server settings › launch settings', () => {
  it('are in force but never saved, and outlast updates of the saved settings', () => {
    const dir = join(root, 'a');
    const store = new ServerSettingsStore(confStoreFactory(dir), []);
    store.setLaunchSettings({ https: true, consent: false, clockOffsetSeconds: -300 });
    expect(store.get()).toMatchObject({ https: true, consent: false, clockOffsetSeconds: -300 });
    store.update({ consent: true, profile: 'strict' });
    expect(store.get()).toMatchObject({ https: true, consent: false, clockOffsetSeconds: -300, profile: 'strict' });
    expect(store.saved()).toMatchObject({ https: false, consent: true, clockOffsetSeconds: 0, profile: 'strict' });
    const onDisk = JSON.parse(readFileSync(join(dir, 'server.json'), 'utf8')) as { settings: Record<string, unknown> };
    expect(onDisk.settings).toMatchObject({ https: false, consent: true, clockOffsetSeconds: 0 });
  });

  it('opens a server.json saved before `https` existed as plain http, not as a corrupt file', () => {
    const dir = join(root, 'b');
    const { https: _https, ...old } = defaultServerSettings();
    void _https;
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'server.json'), JSON.stringify({ version: 1, settings: { ...old, profile: 'strict' } }));
    const notices: StoreNotice[] = [];
    const store = new ServerSettingsStore(confStoreFactory(dir), notices);
    expect(notices).toEqual([]);
    expect(store.get()).toMatchObject({ profile: 'strict', https: false });
  });
});
