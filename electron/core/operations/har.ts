/** The contract's `har.*` operation: an exchange of an imported HAR file made into a case file (cases/case-from-har.ts). */
import { caseFromHarExchange } from '../cases/case-from-har';
import { nowMs } from '../clock';
import { loadSourceKeys } from '../jwt/key-sources';
import type { DomainHandlers } from './dispatch';
import type { OperationDeps } from './deps';

/** Builds the `har.*` handlers. */
export function harOperations({ info, server, vault, transport }: Pick<OperationDeps, 'info' | 'server' | 'vault' | 'transport'>): DomainHandlers<'har'> {
  return {
    'har.caseFromExchange': ({ exchange, pushed, issuer, profile, key }) =>
      caseFromHarExchange(
        {
          version: info.version,
          settings: () => server.settingsStore.get(),
          // Pasted text only: the source never reaches the vault, the server or the network.
          keysOf: (text) => loadSourceKeys({ kind: 'text', text }, { vault, server, fetch: transport.fetch }),
          now: nowMs,
        },
        { exchange, pushed, issuer, profile, key },
      ),
  };
}
