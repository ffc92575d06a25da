/** The contract's `shell.*` operations: the renderer takes what the desktop shell left in the command mailbox. */
import type { DomainHandlers } from './dispatch';
import type { OperationDeps } from './deps';

/** Builds the `shell.*` handlers. */
export function shellOperations({ shellCommands }: Pick<OperationDeps, 'shellCommands'>): DomainHandlers<'shell'> {
  return {
    'shell.takeCommands': () => shellCommands.take(),
  };
}
