/**
 * The guided tour: a non-modal panel beside the screen (a labelled region, so the app stays usable) that
 * explains what it will do, sets up the demo, runs a PAR + JAR flow against the embedded server and, as
 * each step of the run completes, says in one sentence what happened and why it matters. Next, Back and
 * Skip work from the keyboard; page changes and step results are announced politely.
 */
import type { ReactNode } from 'react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FlowRun } from '../../../../shared/schemas/flows';
import { Badge } from '../../components/badge';
import { Banner } from '../../components/banner';
import { Button } from '../../components/button';
import { CopyButton } from '../../components/copy-button';
import { ErrorBanner } from '../../components/error-text';
import { useSubmit } from '../../components/use-submit';
import { hrefFor } from '../../app/route';
import { useAppStore } from '../../state/store';
import { startFlowFromClick } from '../flows/start-flow';
import { stepLabel, stepStatusLabel } from '../flows/flow-labels';
import { TourSetupError, setUpDemo } from './demo-setup';
import { pageTitle, setupStateLabel, setupTaskLabel, stepSentence } from './tour-labels';
import type { SetupTask, SetupTaskState, TourContext, TourPage } from './tour-model';
import {
  SETUP_TASKS,
  TOUR_FLOW_KIND,
  TOUR_FLOW_STEPS,
  TOUR_PAGES,
  canGoNext,
  failedStep,
  isStepPage,
  nextPage,
  previousPage,
  resumePage,
  runFailed,
  stepState,
} from './tour-model';

const initialTasks = (): Record<SetupTask, SetupTaskState> => ({
  keys: 'waiting',
  application: 'waiting',
  credentials: 'waiting',
  target: 'waiting',
  user: 'waiting',
});

/** Moves focus to the current screen's heading (after the tour closes, focus would otherwise be lost). */
function focusScreenHeading(): void {
  window.requestAnimationFrame(() => document.querySelector<HTMLElement>('main h1')?.focus());
}

/** Scrolls the Flows screen to the run's timeline once it is shown (best effort: a few frames, then gives up). */
function revealRunTimeline(): void {
  let frames = 0;
  const attempt = () => {
    const timeline = document.querySelector<HTMLElement>('.flows-screen .flow-run');
    if (timeline) timeline.scrollIntoView({ block: 'start' });
    else if (++frames < 30) window.requestAnimationFrame(attempt);
  };
  window.requestAnimationFrame(attempt);
}

/** The tour panel, while the tour is open. */
export function TourPanel() {
  const open = useAppStore((s) => s.tour.open);
  return open ? <OpenTourPanel /> : null;
}

function OpenTourPanel() {
  const { t } = useTranslation();
  const page = useAppStore((s) => s.tour.page);
  const demo = useAppStore((s) => s.tour.demo);
  const run = useAppStore((s) => (s.tour.runId ? (s.flows.runs[s.tour.runId] ?? null) : null));
  const mode = useAppStore((s) => s.settings.appInfo?.mode);
  const setTourPage = useAppStore((s) => s.setTourPage);
  const closeTour = useAppStore((s) => s.closeTour);
  // The demo user's password: only here, for this sign-in, never in the store nor in any log.
  const [password, setPassword] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const pageHeading = useRef<HTMLHeadingElement>(null);
  const context: TourContext = { demoReady: demo !== null, hasPassword: password !== null, run };

  // Opening: focus the panel, and pick the tour up where it can go on (after a reload or a lock, the run
  // is fetched again and the password is gone).
  useEffect(() => {
    heading.current?.focus();
    let cancelled = false;
    const store = useAppStore.getState();
    const { page: saved, demo: savedDemo, runId } = store.tour;
    const settle = (found: FlowRun | null) => {
      if (cancelled) return;
      const current = useAppStore.getState();
      if (runId && !found) current.setTourRun(null);
      const resumed = resumePage(saved, { demoReady: savedDemo !== null, hasPassword: false, run: found });
      if (resumed !== current.tour.page) current.setTourPage(resumed);
    };
    const known = runId ? store.flows.runs[runId] : undefined;
    if (runId && !known) {
      store.openFlowRun(runId).then(
        () => settle(useAppStore.getState().flows.runs[runId] ?? null),
        () => settle(null),
      );
    } else {
      settle(known ?? null);
    }
    return () => {
      cancelled = true;
    };
  }, []);

  const goTo = (next: TourPage | null, focusPage = false) => {
    if (!next) return;
    setTourPage(next);
    if (focusPage) window.requestAnimationFrame(() => pageHeading.current?.focus());
  };

  const onSkip = () => {
    closeTour();
    focusScreenHeading();
  };

  const index = TOUR_PAGES.indexOf(page);
  const allowNext = canGoNext(page, context);
  const back = previousPage(page);

  return (
    <section className="tour-panel" role="region" aria-label={t('tour.label')}>
      <header className="tour-header">
        <div>
          <h2 ref={heading} className="tour-title" tabIndex={-1}>
            {t('tour.label')}
          </h2>
          <p className="muted small">{t('tour.progress', { current: index + 1, total: TOUR_PAGES.length })}</p>
        </div>
        <Button size="sm" variant="ghost" onClick={onSkip}>
          {t('tour.skip')}
        </Button>
      </header>

      <div className="tour-content">
        {(page === 'run' || isStepPage(page) || page === 'finish') && <StepProgress run={run} page={page} />}

        <div className="tour-page" aria-live="polite" aria-atomic="true">
          <h3 ref={pageHeading} className="tour-page-title" tabIndex={-1}>
            {pageTitle(t, page)}
          </h3>
          <PageText page={page} run={run} mode={mode} />
        </div>

        <div className="tour-body">
          {page === 'setup' && <SetupPart demoReady={demo !== null} password={password} onReady={setPassword} />}
          {page === 'run' && (
            <RunPart password={password} email={demo?.email ?? null} targetId={demo?.targetId ?? null} mode={mode} onStarted={() => goTo('discover', true)} />
          )}
          {isStepPage(page) && (
            <StepPart
              run={run}
              password={password}
              email={demo?.email ?? null}
              targetId={demo?.targetId ?? null}
              mode={mode}
              onRestarted={() => goTo('discover', true)}
              onNeedSetup={() => goTo('setup', true)}
            />
          )}
          {page === 'finish' && <FinishPart run={run} />}
        </div>
      </div>

      <footer className="tour-footer">
        {back && <Button onClick={() => goTo(back)}>{t('tour.back')}</Button>}
        <span className="tour-footer-spacer" />
        {page === 'finish' ? (
          <Button variant="primary" onClick={onSkip}>
            {t('tour.finish.done')}
          </Button>
        ) : (
          // Not `disabled`: a disabled button would drop keyboard focus when the page changes under it.
          <Button
            variant={allowNext ? 'primary' : 'secondary'}
            className={allowNext ? undefined : 'tour-next-waiting'}
            aria-disabled={allowNext ? undefined : true}
            onClick={() => {
              if (allowNext) goTo(nextPage(page));
            }}
          >
            {t('tour.next')}
          </Button>
        )}
      </footer>
    </section>
  );
}

/** The page's main text, inside the live region: what the page is for, or the step's sentence once it completed. */
function PageText({ page, run, mode }: { page: TourPage; run: FlowRun | null; mode: 'electron' | 'web' | undefined }) {
  const { t } = useTranslation();
  switch (page) {
    case 'intro':
      return (
        <>
          <p>{t('tour.intro.body')}</p>
          <p>{t('tour.intro.what')}</p>
        </>
      );
    case 'setup':
      return <p>{t('tour.setup.body')}</p>;
    case 'run':
      return <p>{mode === 'electron' ? t('tour.run.bodyElectron') : t('tour.run.bodyWeb')}</p>;
    case 'finish':
      return <p>{t('tour.finish.body')}</p>;
    default: {
      const state = stepState(run, page);
      if (state === 'done') return <p className="tour-sentence">{stepSentence(t, page)}</p>;
      if (state === 'failed') return <p className="tour-failed">{t('tour.stepFailed')}</p>;
      if (runFailed(run)) return <p className="muted">{t('tour.stepNotReached')}</p>;
      if (page === 'authorize' && run?.status === 'waiting-for-browser')
        return <p>{mode === 'electron' ? t('tour.waitingSignInElectron') : t('tour.waitingSignInWeb')}</p>;
      return <p className="muted">{t('tour.waiting')}</p>;
    }
  }
}

/** The seven steps of the run, each with its status; the page's own step is marked current. */
function StepProgress({ run, page }: { run: FlowRun | null; page: TourPage }) {
  const { t } = useTranslation();
  return (
    <ol className="tour-steps" aria-label={t('tour.stepsLabel')}>
      {TOUR_FLOW_STEPS.map((name) => {
        const status = run?.steps.find((s) => s.name === name)?.status ?? 'pending';
        return (
          <li key={name} className={`tour-step tour-step-${status}`} aria-current={page === name ? 'step' : undefined}>
            <span className="tour-step-dot" aria-hidden="true" />
            <span className="tour-step-name">{stepLabel(t, name)}</span>
            <span className="sr-only">{stepStatusLabel(t, status)}</span>
          </li>
        );
      })}
    </ol>
  );
}

/** The demo user's sign-in, with copy buttons. */
function Credentials({ email, password }: { email: string; password: string }) {
  const { t } = useTranslation();
  return (
    <div className="tour-credentials">
      <p className="field-label">{t('tour.credentials.title')}</p>
      <dl className="facts facts-compact">
        <dt>{t('tour.credentials.email')}</dt>
        <dd className="tour-credential">
          <code className="mono tour-email">{email}</code>
          <CopyButton text={email} label={t('tour.credentials.copyEmail')} />
        </dd>
        <dt>{t('tour.credentials.password')}</dt>
        <dd className="tour-credential">
          <code className="mono tour-password">{password}</code>
          <CopyButton text={password} label={t('tour.credentials.copyPassword')} />
        </dd>
      </dl>
      <p className="muted small">{t('tour.credentials.hint')}</p>
    </div>
  );
}

function SetupPart({ demoReady, password, onReady }: { demoReady: boolean; password: string | null; onReady: (password: string) => void }) {
  const { t } = useTranslation();
  const setTourDemo = useAppStore((s) => s.setTourDemo);
  const [tasks, setTasks] = useState(initialTasks);
  const { busy, error, run } = useSubmit({ staysOpen: true });
  const ready = demoReady && password !== null;

  const onSetUp = async () => {
    setTasks(initialTasks());
    await run(async () => {
      try {
        const result = await setUpDemo((task, state) => setTasks((x) => ({ ...x, [task]: state })));
        setTourDemo(result.demo);
        onReady(result.password);
      } catch (e) {
        setTasks((x) => Object.fromEntries(Object.entries(x).map(([k, v]) => [k, v === 'working' ? 'waiting' : v])) as Record<SetupTask, SetupTaskState>);
        throw e;
      }
    });
  };

  return (
    <div className="stack-sm">
      <ul className="tour-tasks" aria-label={t('tour.setup.tasksLabel')}>
        {SETUP_TASKS.map((task) => (
          <li key={task} className="tour-task">
            <span>{setupTaskLabel(t, task)}</span>
            <Badge tone={tasks[task] === 'working' ? 'accent' : tasks[task] === 'waiting' ? 'neutral' : 'success'}>{setupStateLabel(t, tasks[task])}</Badge>
          </li>
        ))}
      </ul>
      {error instanceof TourSetupError ? (
        <Banner tone="error" role="alert" title={t('tour.setup.failed')}>
          <p>{t('tour.setup.serverStopped')}</p>
        </Banner>
      ) : (
        <ErrorBanner error={error} title={t('tour.setup.failed')} />
      )}
      {ready ? (
        <p role="status" className="tour-ready">
          {t('tour.setup.done')}
        </p>
      ) : (
        <div className="row">
          <Button variant="primary" onClick={() => void onSetUp()} busy={busy}>
            {t('tour.setup.button')}
          </Button>
        </div>
      )}
    </div>
  );
}

/** Starts the tour's run from the click (web mode opens the sign-in tab during it), then shows the Flows screen. */
function useStartRun(targetId: string | null, mode: 'electron' | 'web' | undefined, onStarted: () => void) {
  const setTourRun = useAppStore((s) => s.setTourRun);
  const { busy: starting, error, run, clearError } = useSubmit({ staysOpen: true });
  const start = () => {
    if (!targetId) return;
    clearError();
    // Synchronously from the click: the sign-in tab must open before any await (start-flow.ts).
    const started = startFlowFromClick({ targetId, kind: TOUR_FLOW_KIND }, mode);
    // The Flows screen shows the same run in full. Navigating while the clicked button (in the panel) still
    // has focus keeps focus in the panel (the shell moves it to the new screen's heading otherwise).
    if (window.location.hash !== hrefFor('flows')) window.location.hash = hrefFor('flows');
    void run(async () => {
      const flowRun = await started;
      setTourRun(flowRun.id);
      onStarted();
      revealRunTimeline();
    });
  };
  return { start, starting, error };
}

function RunPart({
  password,
  email,
  targetId,
  mode,
  onStarted,
}: {
  password: string | null;
  email: string | null;
  targetId: string | null;
  mode: 'electron' | 'web' | undefined;
  onStarted: () => void;
}) {
  const { t } = useTranslation();
  const { start, starting, error } = useStartRun(targetId, mode, onStarted);
  return (
    <div className="stack-sm">
      {email && password && <Credentials email={email} password={password} />}
      <div className="row">
        <Button variant="primary" onClick={start} busy={starting} disabled={!targetId}>
          {t('tour.run.button')}
        </Button>
      </div>
      <ErrorBanner error={error} title={t('tour.run.failed')} />
    </div>
  );
}

function StepPart(props: {
  run: FlowRun | null;
  password: string | null;
  email: string | null;
  targetId: string | null;
  mode: 'electron' | 'web' | undefined;
  onRestarted: () => void;
  onNeedSetup: () => void;
}) {
  const { t } = useTranslation();
  const { run, password, email, targetId, mode } = props;
  const { start, starting, error } = useStartRun(targetId, mode, props.onRestarted);
  const failed = failedStep(run);
  const failure = failed ? run?.steps.find((s) => s.name === failed)?.error?.message : undefined;
  // The sign-in page opens as soon as the run starts: the user's sign-in stays in view on every page until it is done.
  const waitingForSignIn = run !== null && stepState(run, 'authorize') !== 'done' && !runFailed(run);
  let extra: ReactNode = null;
  if (runFailed(run)) {
    extra = (
      <>
        <Banner tone="error" title={t('tour.runFailed', { step: failed ? stepLabel(t, failed) : '—' })}>
          {failure && <p className="banner-detail">{failure}</p>}
        </Banner>
        <div className="row">
          {password ? (
            <Button variant="primary" onClick={start} busy={starting}>
              {t('tour.runAgain')}
            </Button>
          ) : (
            <Button variant="primary" onClick={props.onNeedSetup}>
              {t('tour.setup.title')}
            </Button>
          )}
        </div>
        <ErrorBanner error={error} title={t('tour.run.failed')} />
      </>
    );
  } else if (waitingForSignIn) {
    extra = (
      <>
        {email && password && <Credentials email={email} password={password} />}
        {mode !== 'electron' && run?.status === 'waiting-for-browser' && run.authorizeUrl && (
          <p className="small">
            <a href={run.authorizeUrl} target="_blank" rel="noopener noreferrer">
              {t('flows.run.openSignIn')}
            </a>
          </p>
        )}
      </>
    );
  }
  return extra ? <div className="stack-sm">{extra}</div> : null;
}

function FinishPart({ run }: { run: FlowRun | null }) {
  const { t } = useTranslation();
  const idToken = run?.steps.find((s) => s.name === 'verify')?.jwts.find((j) => j.label === 'ID token')?.token;
  const inspectHref = idToken ? `${hrefFor('inspect')}?token=${encodeURIComponent(idToken)}` : hrefFor('inspect');
  return (
    <ul className="tour-next-places">
      <li>
        <a href={hrefFor('compose')}>{t('nav.compose')}</a>
        <span className="muted"> — {t('tour.finish.compose')}</span>
      </li>
      <li>
        <a href={inspectHref}>{t('tour.finish.inspectLink')}</a>
        <span className="muted"> — {t('tour.finish.inspect')}</span>
      </li>
      <li>
        <a href={hrefFor('compose')}>{t('compose.breakIt.button')}</a>
        <span className="muted"> — {t('tour.finish.breakIt')}</span>
      </li>
    </ul>
  );
}
