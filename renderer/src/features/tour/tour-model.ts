/**
 * The guided tour without React: its pages in order, which run step completes which page, when Next may
 * be pressed, and where a tour picks up again (after a reload or a lock) from what is still known.
 *
 * Pages: intro → setup → run → one page per step of a PAR + JAR run (discover … verify) → finish. A
 * step's page shows its one-sentence explanation once the run step of the same name has completed.
 */
import type { FlowRun, FlowStepName } from '../../../../shared/schemas/flows';
import type { TourPage } from '../../state/tour-pages';
import { TOUR_FLOW_STEPS, TOUR_PAGES } from '../../state/tour-pages';

// The pages are declared with the store that keeps the current one (state/ never imports features/).
export type { TourPage } from '../../state/tour-pages';
export { TOUR_FLOW_STEPS, TOUR_PAGES, isTourPage } from '../../state/tour-pages';

/** The tour's flow kind. */
export const TOUR_FLOW_KIND = 'par+jar' as const;

/** The names the tour's objects go by (data, not UI text: a later tour finds them by these names in any language). */
export const TOUR_NAMES = {
  jarKey: 'Tour · JAR key',
  clientKey: 'Tour · client key',
  application: 'Parley tour app',
  target: 'Parley tour app',
  userEmail: 'tour@parley.local',
  userName: 'Parley tour user',
} as const;

/** The parts of the set-up, in the order they are made. */
export const SETUP_TASKS = ['keys', 'application', 'credentials', 'target', 'user'] as const;
/** A part of the set-up. */
export type SetupTask = (typeof SETUP_TASKS)[number];
/** Where a part of the set-up stands. */
export type SetupTaskState = 'waiting' | 'working' | 'created' | 'reused';

/** Whether a page explains a step of the run. */
export function isStepPage(page: TourPage): page is (typeof TOUR_FLOW_STEPS)[number] {
  return (TOUR_FLOW_STEPS as readonly string[]).includes(page);
}

/** Where a run step stands, as the tour sees it. */
export type TourStepState = 'pending' | 'running' | 'done' | 'failed';

/**
 * The state of the run step that completes a tour page (the step of the same name). A cancelled step
 * counts as failed; a step the run does not have (another kind) stays pending.
 */
export function stepState(run: FlowRun | null | undefined, step: FlowStepName): TourStepState {
  const found = run?.steps.find((s) => s.name === step);
  switch (found?.status) {
    case 'ok':
      return 'done';
    case 'running':
      return 'running';
    case 'failed':
    case 'cancelled':
      return 'failed';
    default:
      return 'pending';
  }
}

/** The run step that failed (or was cancelled), if any. */
export function failedStep(run: FlowRun | null | undefined): FlowStepName | null {
  return run?.steps.find((s) => s.status === 'failed' || s.status === 'cancelled')?.name ?? null;
}

/** Whether a run ended without a verified ID token. */
export function runFailed(run: FlowRun | null | undefined): boolean {
  return run?.status === 'failed' || run?.status === 'cancelled';
}

/** The newest step page whose step has completed, or null before the first one. */
export function latestCompletedPage(run: FlowRun | null | undefined): (typeof TOUR_FLOW_STEPS)[number] | null {
  let latest: (typeof TOUR_FLOW_STEPS)[number] | null = null;
  for (const step of TOUR_FLOW_STEPS) if (stepState(run, step) === 'done') latest = step;
  return latest;
}

/** What Next depends on. */
export interface TourContext {
  /** The demo keys, application, target and sign-in user exist. */
  demoReady: boolean;
  /** The demo user's password is known in this window (it is never stored: after a reload it is not). */
  hasPassword: boolean;
  /** The tour's run, if one was started and is known. */
  run: FlowRun | null;
}

/** The page after this one, or null on the last. */
export function nextPage(page: TourPage): TourPage | null {
  return TOUR_PAGES[TOUR_PAGES.indexOf(page) + 1] ?? null;
}

/** The page before this one, or null on the first. */
export function previousPage(page: TourPage): TourPage | null {
  const at = TOUR_PAGES.indexOf(page);
  return at > 0 ? (TOUR_PAGES[at - 1] ?? null) : null;
}

/**
 * Whether Next may leave this page: the intro always; setup once the demo is ready; run once a run is
 * under way (Run starts it and moves on by itself); a step's page once that step completed; finish never.
 */
export function canGoNext(page: TourPage, context: TourContext): boolean {
  switch (page) {
    case 'intro':
      return true;
    case 'setup':
      return context.demoReady && context.hasPassword;
    case 'run':
      return context.run !== null;
    case 'finish':
      return false;
    default:
      return stepState(context.run, page) === 'done';
  }
}

/** Whether the page needs a sign-in that is still to come, so the user's password must be at hand. */
function needsSignIn(page: TourPage, run: FlowRun | null): boolean {
  if (page === 'run') return true;
  if (!isStepPage(page)) return false;
  if (!run) return true;
  // Once the browser step is behind, nothing asks for the password again.
  if (stepState(run, 'authorize') === 'done') return false;
  return true;
}

/**
 * The page to show when a tour opens again with what is still known (the page it was on, whether the
 * demo is set up and its password known, the run if it still exists):
 * - a page before the sign-in (run, or a step page up to authorize) without the password goes back to
 *   setup, which makes a fresh sign-in user (the password is never kept);
 * - a step page without its run (deleted, or never started) goes back to run;
 * - run, when the run is already under way, goes on to the newest completed step (or discover);
 * - every other page stays where it was.
 */
export function resumePage(page: TourPage, context: TourContext): TourPage {
  if (page === 'intro' || page === 'setup' || page === 'finish') return page;
  if (!context.demoReady) return 'setup';
  let target: TourPage = page;
  if (target === 'run' && context.run) target = latestCompletedPage(context.run) ?? 'discover';
  if (isStepPage(target) && !context.run) target = 'run';
  if (needsSignIn(target, context.run) && !context.hasPassword) return 'setup';
  return target;
}

/** The sign-in password offered for the demo user: easy to type (no 0/O, 1/l/I), 3 groups of 5 from 57 characters, about 87 bits. */
export function demoPassword(randomBytes: (bytes: Uint8Array) => Uint8Array): string {
  const alphabet = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  // Rejection sampling: only bytes below the largest multiple of the alphabet's size, so no letter is favoured.
  const limit = 256 - (256 % alphabet.length);
  const chars: string[] = [];
  while (chars.length < 15) {
    for (const byte of randomBytes(new Uint8Array(32))) {
      if (byte < limit && chars.length < 15) chars.push(alphabet[byte % alphabet.length]!);
    }
  }
  return [chars.slice(0, 5), chars.slice(5, 10), chars.slice(10, 15)].map((group) => group.join('')).join('-');
}
