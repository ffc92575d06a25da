/**
 * Acts on what the desktop shell asks (shared/ipc/shell-commands.ts; each action in
 * shell-command-actions.ts): File › Import case… and opened `.parleycase` files or `parley://case` links
 * get the same preview-then-Apply import as the Flows screen's button. Mounted with the unlocked shell:
 * commands given while the vault is locked wait in the core's mailbox until then. Web mode has no such
 * commands; its mailbox stays empty.
 */
import { useCallback, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { ShellCommand } from '../../../shared/ipc/shell-commands';
import { call } from '../api/client';
import { exportCase } from '../features/flows/case-export-button';
import { useCaseImport } from '../features/flows/case-import';
import { isFinished } from '../state/flows-slice';
import { onShellCommands } from '../state/shell-command-signal';
import { useAppStore } from '../state/store';
import { runShellCommand } from './shell-command-actions';

/** Takes and runs the shell's commands on mount and whenever more arrive. */
export function ShellCommands() {
  const { t } = useTranslation();
  const { openJson, dialogs } = useCaseImport();

  const run = useCallback(
    (command: ShellCommand) =>
      runShellCommand(command, {
        t,
        navigate: (hash) => {
          window.location.hash = hash;
        },
        previewCase: (json) => void openJson(json),
        openFinishedRunId: () => {
          const { currentRunId, runs } = useAppStore.getState().flows;
          const current = currentRunId ? runs[currentRunId] : undefined;
          return currentRunId && current && isFinished(current) ? currentRunId : null;
        },
        exportRun: (runId) => void exportCase(t, runId),
        toast: (toast) => useAppStore.getState().pushToast(toast),
      }),
    [openJson, t],
  );

  useEffect(() => {
    // Taken commands are always run: the mailbox no longer has them (StrictMode's remount keeps this state).
    const take = async () => {
      try {
        for (const command of await call('shell.takeCommands', {})) run(command);
      } catch {
        // The core is unreachable: the app says so on its own.
      }
    };
    const stop = onShellCommands(take);
    void take();
    return stop;
  }, [run]);

  return <>{dialogs}</>;
}
