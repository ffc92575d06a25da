/**
 * The contract's `faults.*` operations: Break it (fault injection) on a composed request object or client
 * assertion, against the embedded server (faults/runner.ts).
 */
import { FaultRunner } from '../faults';
import type { DomainHandlers } from './dispatch';
import type { OperationDeps } from './deps';

/** Builds the `faults.*` handlers over the embedded server, the vault and the core's transport. */
export function faultsOperations({ server, vault, transport }: Pick<OperationDeps, 'server' | 'vault' | 'transport'>): DomainHandlers<'faults'> {
  const runner = new FaultRunner(server, vault, transport.fetch);
  return {
    'faults.run': (input) => runner.run(input),
  };
}
