/**
 * What each desktop shell command does in the renderer (shared/ipc/shell-commands.ts), apart from React so
 * it is unit-tested: a link's token opens the `#/inspect?token=` route web mode has too, a case file goes
 * to the Flows screen's import preview, Export case takes the open run, a problem becomes a toast.
 */
import type { TFunction } from 'i18next';
import type { ShellCommand, ShellProblem } from '../../../shared/ipc/shell-commands';
import type { Toast } from '../state/notices-slice';
import { hrefFor } from './route';

/** What a command acts on. */
export interface ShellCommandTargets {
  readonly t: TFunction;
  /** Sets the location hash (a screen, with its query). */
  navigate(hash: string): void;
  /** Previews a case file's content, exactly as the Import case button does. */
  previewCase(json: string): void;
  /** The finished run open on the Flows screen, if any. */
  openFinishedRunId(): string | null;
  exportRun(runId: string): void;
  toast(toast: Omit<Toast, 'id'>): void;
}

/** The message of a problem the shell reports. */
export function problemMessage(t: TFunction, problem: ShellProblem, subject: string): string {
  switch (problem) {
    case 'bad-link':
      return t('shell.problemTitle.bad-link');
    case 'unreadable-case':
      return t('shell.problemTitle.unreadable-case', { subject });
    case 'case-too-large':
      return t('shell.problemTitle.case-too-large', { subject });
    case 'not-a-case-file':
      return t('shell.problemTitle.not-a-case-file', { subject });
  }
}

/** Acts on one command. */
export function runShellCommand(command: ShellCommand, targets: ShellCommandTargets): void {
  switch (command.command) {
    case 'open-settings':
      targets.navigate(hrefFor('settings'));
      break;
    case 'inspect':
      targets.navigate(`${hrefFor('inspect')}?token=${encodeURIComponent(command.token)}`);
      break;
    case 'open-case':
      targets.navigate(hrefFor('flows'));
      targets.previewCase(command.json);
      break;
    case 'export-case': {
      const runId = targets.openFinishedRunId();
      if (runId) targets.exportRun(runId);
      else targets.toast({ kind: 'info', message: targets.t('shell.exportNoRun') });
      break;
    }
    case 'problem':
      targets.toast({ kind: 'error', message: problemMessage(targets.t, command.problem, command.subject), detail: command.detail ?? null });
      break;
  }
}
