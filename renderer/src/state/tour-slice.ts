/**
 * The guided tour (renderer/src/features/tour): whether it is offered, open, on which page, what its
 * set-up made and which run it follows. Nothing secret: the demo user's password lives only in the tour
 * panel while it is shown, never here.
 *
 * Offered once per data directory, with nothing to store: the tour is offered when this window sees the
 * vault go from `uninitialized` to `unlocked`, i.e. right after the user created the vault, which happens
 * once per data directory. (`settings.*` holds only the language, and localStorage would not do: web mode
 * serves the UI on a new port, hence a new origin with an empty localStorage, at every launch.) The tour's
 * state is mirrored in sessionStorage, so reloading the tab neither loses an unanswered offer nor the tour
 * in progress; a second launch starts with a new tab and nothing offered. The tour is always reachable from
 * Settings.
 */
import type { TourPage } from './tour-pages';
import { isTourPage } from './tour-pages';
import type { SliceCreator } from './types';

/** What the tour's set-up made or found (ids only). */
export interface TourDemo {
  targetId: string;
  clientId: string;
  /** The demo sign-in user's email (its password is not kept). */
  email: string;
}

/** Tour state and actions. */
export interface TourSlice {
  tour: {
    /** The "Take the tour / Skip" offer is shown. */
    offered: boolean;
    open: boolean;
    page: TourPage;
    demo: TourDemo | null;
    /** The run the tour follows (its state is in flows.runs). */
    runId: string | null;
  };
  /** Opens the tour at its first page (or leaves an open tour where it is); answers the offer. */
  startTour(): void;
  /** Answers the offer: take opens the tour, skip only hides the offer. */
  answerTourOffer(take: boolean): void;
  setTourPage(page: TourPage): void;
  setTourDemo(demo: TourDemo | null): void;
  setTourRun(runId: string | null): void;
  /** Skip or Finish: closes the tour and forgets its progress (the demo keys, app and target stay; a next tour finds them by name). */
  closeTour(): void;
}

const STORAGE_KEY = 'parley.tour';

type TourState = TourSlice['tour'];

const initialTour: TourState = { offered: false, open: false, page: 'intro', demo: null, runId: null };

function storage(): Storage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null;
  }
}

function isDemo(value: unknown): value is TourDemo {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return typeof v['targetId'] === 'string' && typeof v['clientId'] === 'string' && typeof v['email'] === 'string';
}

/** The tour state kept in this tab's sessionStorage, if any and well-formed. */
export function readStoredTour(text: string | null): TourState | null {
  if (!text) return null;
  try {
    const v = JSON.parse(text) as Record<string, unknown>;
    if (typeof v['offered'] !== 'boolean' || typeof v['open'] !== 'boolean' || !isTourPage(v['page'])) return null;
    const demo = isDemo(v['demo']) ? { targetId: v['demo'].targetId, clientId: v['demo'].clientId, email: v['demo'].email } : null;
    const runId = typeof v['runId'] === 'string' ? v['runId'] : null;
    return { offered: v['offered'], open: v['open'], page: v['page'], demo, runId };
  } catch {
    return null;
  }
}

/** Creates the tour slice. */
export const createTourSlice: SliceCreator<TourSlice> = (set, get, api) => {
  const patch = (p: Partial<TourState>) => set((s) => ({ tour: { ...s.tour, ...p } }));

  api.subscribe((state, prev) => {
    // The vault was just created in this window: a first-time user.
    if (prev.vault.status?.state === 'uninitialized' && state.vault.status?.state === 'unlocked' && !state.tour.open) {
      patch({ offered: true });
      return;
    }
    if (state.tour !== prev.tour) {
      try {
        storage()?.setItem(STORAGE_KEY, JSON.stringify(state.tour));
      } catch {
        // Storage full or refused: the tour still works, it just does not survive a reload.
      }
    }
  });

  let stored: TourState | null = null;
  try {
    stored = readStoredTour(storage()?.getItem(STORAGE_KEY) ?? null);
  } catch {
    stored = null;
  }

  return {
    tour: stored ?? initialTour,
    startTour() {
      if (get().tour.open) {
        patch({ offered: false });
        return;
      }
      patch({ offered: false, open: true, page: 'intro', runId: null });
    },
    answerTourOffer(take) {
      if (take) get().startTour();
      else patch({ offered: false });
    },
    setTourPage(page) {
      patch({ page });
    },
    setTourDemo(demo) {
      patch({ demo });
    },
    setTourRun(runId) {
      patch({ runId });
    },
    closeTour() {
      patch({ offered: false, open: false, page: 'intro', demo: null, runId: null });
    },
  };
};
