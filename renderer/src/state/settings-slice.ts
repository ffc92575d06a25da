/** User settings and facts about the host. Nothing here is secret. */
import { call } from '../api/client';
import type { SliceCreator } from './types';
import type { AppInfo } from '../../../shared/schemas/app';
import type { Settings } from '../../../shared/schemas/settings';

/** Settings state and actions. */
export interface SettingsSlice {
  settings: {
    values: Settings | null;
    appInfo: AppInfo | null;
    appInfoError: unknown;
  };
  loadSettings(): Promise<void>;
  loadAppInfo(): Promise<void>;
  /** Persists a change through the core, then applies what the core stored. Throws ApiError. */
  updateSettings(patch: Partial<Settings>): Promise<void>;
  /** A `settings.changed` event: another window, or the desktop menu's theme items, changed them. */
  onSettingsChanged(values: Settings): void;
}

/** Creates the settings slice. */
export const createSettingsSlice: SliceCreator<SettingsSlice> = (set) => ({
  settings: { values: null, appInfo: null, appInfoError: null },
  async loadSettings() {
    try {
      const values = await call('settings.get', {});
      set((s) => ({ settings: { ...s.settings, values } }));
    } catch {
      // Settings are optional for the UI to work: the system language stays in effect.
    }
  },
  async loadAppInfo() {
    try {
      const appInfo = await call('app.info', {});
      set((s) => ({ settings: { ...s.settings, appInfo, appInfoError: null } }));
    } catch (e) {
      set((s) => ({ settings: { ...s.settings, appInfoError: e } }));
    }
  },
  async updateSettings(patch) {
    const values = await call('settings.update', patch);
    set((s) => ({ settings: { ...s.settings, values } }));
  },
  onSettingsChanged(values) {
    set((s) => ({ settings: { ...s.settings, values } }));
  },
});
