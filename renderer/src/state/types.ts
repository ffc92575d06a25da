/** The shape of the one renderer store, assembled from typed slices (zustand slices pattern). */
import type { StateCreator } from 'zustand';
import type { ComposeSlice } from './compose-slice';
import type { FlowsSlice } from './flows-slice';
import type { InspectSlice } from './inspect-slice';
import type { JobsSlice } from './jobs-slice';
import type { KeysSlice } from './keys-slice';
import type { NoticesSlice } from './notices-slice';
import type { ServerSlice } from './server-slice';
import type { SettingsSlice } from './settings-slice';
import type { TourSlice } from './tour-slice';
import type { VaultSlice } from './vault-slice';

/** The whole renderer state. The main process is the source of truth; this is a cache of what it said. */
export type AppState = VaultSlice & KeysSlice & JobsSlice & SettingsSlice & NoticesSlice & ServerSlice & ComposeSlice & InspectSlice & FlowsSlice & TourSlice;

/** A slice creator with access to the whole store. */
export type SliceCreator<S> = StateCreator<AppState, [], [], S>;
