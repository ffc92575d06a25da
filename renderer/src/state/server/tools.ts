/** What each part of the server slice is built with: the store's set and get, and the helpers they share. */
import type { AppState, SliceCreator } from '../types';

type SetState = Parameters<SliceCreator<AppState>>[0];

/** The store and the helpers every part of the server slice uses. */
export interface ServerTools {
  set: SetState;
  get: () => AppState;
  /** Merges into `server` (the one object all parts keep their state in). */
  patch(next: Partial<AppState['server']>): void;
  /** Coalesces a burst of changes (Management API calls, a restart) into one re-read of the loaded lists. */
  scheduleRefresh(): void;
}
