/** Words of the guided tour: each step's one-sentence explanation, page titles, set-up parts. */
import type { TFunction } from 'i18next';
import type { FlowStepName } from '../../../../shared/schemas/flows';
import type { SetupTask, SetupTaskState, TourPage } from './tour-model';
import { TOUR_NAMES } from './tour-model';
import { stepLabel } from '../flows/flow-labels';

/** What a completed step did and why it matters for JAR, PAR or private_key_jwt, in one sentence. */
export function stepSentence(t: TFunction, step: Exclude<FlowStepName, 'refresh'>): string {
  switch (step) {
    case 'discover':
      return t('tour.steps.discover');
    case 'build':
      return t('tour.steps.build');
    case 'push':
      return t('tour.steps.push');
    case 'authorize':
      return t('tour.steps.authorize');
    case 'callback':
      return t('tour.steps.callback');
    case 'exchange':
      return t('tour.steps.exchange');
    case 'verify':
      return t('tour.steps.verify');
  }
}

/** A page's title (a step's page is titled with the step's name, as in the timeline). */
export function pageTitle(t: TFunction, page: TourPage): string {
  switch (page) {
    case 'intro':
      return t('tour.intro.title');
    case 'setup':
      return t('tour.setup.title');
    case 'run':
      return t('tour.run.title');
    case 'finish':
      return t('tour.finish.title');
    default:
      // A step's page: the step's own label, as in the timeline.
      return stepLabel(t, page);
  }
}

/** A part of the set-up in words. */
export function setupTaskLabel(t: TFunction, task: SetupTask): string {
  switch (task) {
    case 'keys':
      return t('tour.setup.tasks.keys');
    case 'application':
      return t('tour.setup.tasks.application', { name: TOUR_NAMES.application });
    case 'credentials':
      return t('tour.setup.tasks.credentials');
    case 'target':
      return t('tour.setup.tasks.target');
    case 'user':
      return t('tour.setup.tasks.user');
  }
}

/** Where a part of the set-up stands, in words. */
export function setupStateLabel(t: TFunction, state: SetupTaskState): string {
  switch (state) {
    case 'waiting':
      return t('tour.setup.state.waiting');
    case 'working':
      return t('tour.setup.state.working');
    case 'created':
      return t('tour.setup.state.created');
    case 'reused':
      return t('tour.setup.state.reused');
  }
}
