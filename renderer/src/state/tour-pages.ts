/**
 * The guided tour's pages, in order: what the tour slice keeps (the current page) and reads back from
 * session storage. The rest of the tour's model is in features/tour/tour-model.ts.
 */
import type { FlowStepName } from '../../../shared/schemas/flows';

/** The steps of the tour's PAR + JAR run, in order (the run of kind 'par+jar' has exactly these). */
export const TOUR_FLOW_STEPS = ['discover', 'build', 'push', 'authorize', 'callback', 'exchange', 'verify'] as const satisfies readonly FlowStepName[];

/** A page of the tour. */
export type TourPage = 'intro' | 'setup' | 'run' | (typeof TOUR_FLOW_STEPS)[number] | 'finish';

/** Every page, in order. */
export const TOUR_PAGES: readonly TourPage[] = ['intro', 'setup', 'run', ...TOUR_FLOW_STEPS, 'finish'];

/** Whether a value is a page of the tour (e.g. read back from session storage). */
export function isTourPage(value: unknown): value is TourPage {
  return typeof value === 'string' && (TOUR_PAGES as readonly string[]).includes(value);
}
