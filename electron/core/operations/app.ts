/** The contract's `app.*` operations: what the host is. */
import type { DomainHandlers } from './dispatch';
import type { OperationDeps } from './deps';

/** Builds the `app.*` handlers. */
export function appOperations({ info }: Pick<OperationDeps, 'info'>): DomainHandlers<'app'> {
  return {
    'app.info': () => info,
  };
}
