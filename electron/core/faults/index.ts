/**
 * The contract's `faults.*` operations: Break it (fault injection) on a composed request object or client
 * assertion, against the embedded server. See runner.ts.
 */
import type { EmbeddedServer } from '../server/embedded';
import type { Vault } from '../vault';
import type { Handlers } from '../host/dispatch';
import { FaultRunner } from './runner';
import type { CoreFetch } from '../http/request-policy';

export { FaultRunner } from './runner';
export type { FaultRunInput } from './runner';

type FaultHandlers = Pick<Handlers, Extract<keyof Handlers, `faults.${string}`>>;

/** Builds the `faults.*` handlers over the embedded server, the vault and the core's transport. */
export function faultHandlers(server: EmbeddedServer, vault: Vault, fetchFn: CoreFetch): FaultHandlers {
  const runner = new FaultRunner(server, vault, fetchFn);
  return {
    'faults.run': (input) => runner.run(input),
  };
}
