/**
 * The step cursor and the paused request's draft edits of the run on screen, shared by the Flows screen
 * and presenter mode. Next step is synchronous up to the sign-in tab: in web mode the tab must open while
 * the click (or key press) is being handled, before `flows.next` is awaited (authorize-tab.ts).
 */
import { useState } from 'react';
import type { FlowRun } from '../../../../shared/schemas/flows';
import { isFinished } from '../../state/flows-slice';
import { useAppStore } from '../../state/store';
import { bindAuthorizeTab, discardAuthorizeTab, prepareAuthorizeTab } from '../../state/authorize-tab';
import type { ClaimsProblem, PauseDraft, StepCursor } from './step-through-model';
import {
  atFrontier,
  canStepBack,
  cursorAfterSend,
  canStepForward,
  cursorIndex,
  frontierIndex,
  initialDraft,
  opensBrowser,
  pauseEdits,
  pauseKey,
  stepBack,
  stepForward,
} from './step-through-model';

/** What went wrong with the last Next step. */
export type NextProblem = { kind: 'claims'; problem: ClaimsProblem } | { kind: 'api'; error: unknown };

/** The step-through state of one run. */
export interface StepThrough {
  /** The step shown (index into run.steps). */
  index: number;
  /** Whether the shown step is where the run is (the paused request, when paused). */
  atFrontier: boolean;
  /** Whether the user moved the cursor (a finished run then shows the step it points at). */
  moved: boolean;
  canBack: boolean;
  canNext: boolean;
  /** Whether Next step would send the paused request. */
  nextSends: boolean;
  /** The paused request is being sent. */
  sending: boolean;
  problem: NextProblem | null;
  /** The draft of the paused request's edits (null when not paused). */
  draft: PauseDraft | null;
  back(): void;
  next(): void;
  /** Shows a step (an arrow was clicked). */
  goTo(index: number): void;
  setField(name: string, value: string): void;
  setClaimsText(text: string): void;
}

/** The step-through state of the run on screen. */
export function useStepThrough(run: FlowRun): StepThrough {
  const mode = useAppStore((s) => s.settings.appInfo?.mode);
  const [cursorState, setCursorState] = useState<{ runId: string; cursor: StepCursor; moved: boolean }>({ runId: run.id, cursor: null, moved: false });
  const [draftState, setDraftState] = useState<{ key: string; draft: PauseDraft } | null>(null);
  const [sendingKey, setSendingKey] = useState<string | null>(null);
  const [problem, setProblem] = useState<{ key: string | null; problem: NextProblem } | null>(null);

  const cursor = cursorState.runId === run.id ? cursorState.cursor : null;
  const moved = cursorState.runId === run.id && cursorState.moved;
  const key = pauseKey(run);
  const draft = key && run.paused ? (draftState?.key === key ? draftState.draft : initialDraft(run.paused)) : null;
  const sending = key !== null && sendingKey === key;
  const setCursor = (next: StepCursor) => setCursorState({ runId: run.id, cursor: next !== null && next >= frontierIndex(run) ? null : next, moved: true });

  const send = () => {
    const pause = run.paused;
    if (!key || !pause || sending) return;
    const result = pauseEdits(pause, draft ?? initialDraft(pause));
    if ('problem' in result) {
      setProblem({ key, problem: { kind: 'claims', problem: result.problem } });
      return;
    }
    setProblem(null);
    // Web mode: the sign-in tab opens now, during the click, or the browser blocks it.
    const browser = opensBrowser(run) && mode === 'web';
    if (browser) prepareAuthorizeTab();
    setSendingKey(key);
    setCursorState({ runId: run.id, cursor: cursorAfterSend(run, cursor), moved });
    const runId = run.id;
    useAppStore
      .getState()
      .nextFlowStep(runId, result.edits)
      .then(
        () => {
          if (!browser) return;
          bindAuthorizeTab(runId);
          const now = useAppStore.getState().flows.runs[runId];
          if (now && isFinished(now)) discardAuthorizeTab();
        },
        (error: unknown) => {
          if (browser) discardAuthorizeTab();
          setProblem({ key, problem: { kind: 'api', error } });
        },
      )
      .finally(() => setSendingKey((k) => (k === key ? null : k)));
  };

  return {
    index: cursorIndex(run, cursor),
    atFrontier: atFrontier(run, cursor),
    moved,
    canBack: canStepBack(run, cursor),
    canNext: canStepForward(run, cursor) && !sending,
    nextSends: atFrontier(run, cursor) && run.status === 'paused',
    sending,
    problem: problem && problem.key === key ? problem.problem : null,
    draft,
    back: () => setCursor(stepBack(run, cursor)),
    next: () => {
      const step = stepForward(run, cursor);
      if (step.send) send();
      else setCursor(step.cursor);
    },
    goTo: (index) => setCursor(index),
    setField: (name, value) => {
      if (key && draft) setDraftState({ key, draft: { ...draft, form: { ...draft.form, [name]: value } } });
    },
    setClaimsText: (text) => {
      if (key && draft) setDraftState({ key, draft: { ...draft, claimsText: text } });
    },
  };
}
