/** The contract's `vault.*` operations: the vault's lock state. */
import type { DomainHandlers } from './dispatch';
import type { OperationDeps } from './deps';

/** Builds the `vault.*` handlers. */
export function vaultOperations({ vault }: Pick<OperationDeps, 'vault'>): DomainHandlers<'vault'> {
  return {
    'vault.status': () => vault.status(),
    'vault.setup': (input) => vault.setup(input.passphrase),
    'vault.unlock': (input) => vault.unlock(input.passphrase ?? ''),
    'vault.lock': () => vault.lock(),
    'vault.changePassphrase': (input) => vault.changePassphrase(input.current, input.next),
  };
}
