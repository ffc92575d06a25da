/**
 * The one renderer store, built from typed slices. It lives in memory, apart from the Compose drafts and the
 * Inspect inputs, which survive a restart (drafts-storage.ts), and the tour's progress (sessionStorage); no
 * secret (passphrase, private key) is ever put in it.
 */
import { create } from 'zustand';
import { createComposeSlice } from './compose-slice';
import { createFlowsSlice } from './flows-slice';
import { createInspectSlice } from './inspect-slice';
import { createJobsSlice } from './jobs-slice';
import { createKeysSlice } from './keys-slice';
import { createNoticesSlice } from './notices-slice';
import { createServerSlice } from './server-slice';
import { createSettingsSlice } from './settings-slice';
import { createTourSlice } from './tour-slice';
import type { AppState } from './types';
import { createVaultSlice } from './vault-slice';

/** The store hook: `useAppStore((s) => s.keys.items)`. */
export const useAppStore = create<AppState>()((...a) => ({
  ...createVaultSlice(...a),
  ...createKeysSlice(...a),
  ...createJobsSlice(...a),
  ...createSettingsSlice(...a),
  ...createNoticesSlice(...a),
  ...createServerSlice(...a),
  ...createComposeSlice(...a),
  ...createInspectSlice(...a),
  ...createFlowsSlice(...a),
  ...createTourSlice(...a),
}));

export type { AppState } from './types';
