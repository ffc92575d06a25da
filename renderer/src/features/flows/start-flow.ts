/**
 * Starting a run from a click (Run flow, or Re-run in the history): in web mode a flow with a browser
 * step needs its sign-in tab opened during the click (authorize-tab.ts), so this must be called
 * synchronously from the click handler; the tab is opened before the first await.
 */
import type { FlowKind, FlowRun } from '../../../../shared/schemas/flows';
import { useAppStore } from '../../state/store';
import { bindAuthorizeTab, discardAuthorizeTab, prepareAuthorizeTab } from '../../state/authorize-tab';
import type { AppInfo } from '../../../../shared/schemas/app';

/** What a run starts with. */
export interface StartInput {
  targetId: string;
  kind: FlowKind;
  pkce?: boolean;
  jarClaims?: Record<string, unknown>;
  /** Pause before each request; the sign-in tab is then opened by the Next click at the authorize pause. */
  stepThrough?: boolean;
}

/** Starts a run; in web mode, opens (then binds or discards) the sign-in tab. Rejects with the start error. */
export function startFlowFromClick(input: StartInput, mode: AppInfo['mode'] | undefined): Promise<FlowRun> {
  const browserStep = input.kind !== 'client_credentials' && mode === 'web' && input.stepThrough !== true;
  // Before any await: the browser lets a click open a tab only while the click is being handled.
  if (browserStep) prepareAuthorizeTab();
  return useAppStore
    .getState()
    .startFlow(input)
    .then(
      (run) => {
        if (browserStep) bindAuthorizeTab(run.id);
        return run;
      },
      (e: unknown) => {
        if (browserStep) discardAuthorizeTab();
        throw e;
      },
    );
}
