/** The contract's `keys.*` operations: the vault's keys (no private material ever leaves but an encrypted export). */
import type { DomainHandlers } from './dispatch';
import type { OperationDeps } from './deps';

/** Builds the `keys.*` handlers. */
export function keysOperations({ vault }: Pick<OperationDeps, 'vault'>): DomainHandlers<'keys'> {
  return {
    'keys.list': () => vault.list(),
    'keys.get': (input) => vault.get(input.id),
    'keys.generate': (input) => vault.generate(input),
    'keys.import': (input) => vault.importKey(input),
    'keys.exportPublic': (input) => vault.exportPublic(input.id, input.format),
    'keys.exportCertificate': (input) => vault.exportCertificate(input.id, input.days, input.commonName),
    'keys.exportPrivate': (input) =>
      vault.exportPrivate(input.id, input.passphrase, input.vaultPassphrase === undefined ? {} : { vaultPassphrase: input.vaultPassphrase }),
    'keys.rename': (input) => vault.rename(input.id, input.name),
    'keys.setUsages': (input) => vault.setUsages(input.id, input.usages),
    'keys.delete': (input) => vault.delete(input.id),
    'keys.sign': (input) => vault.sign(input.id, input.header, input.payload),
  };
}
