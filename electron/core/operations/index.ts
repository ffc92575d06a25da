/**
 * Every operation of the contract, one module per domain (`keys.sign` is in keys.ts), beside the
 * dispatcher that validates and runs them. host/core.ts composes the parts and calls `operations(deps)`;
 * the domains (vault, server, flows, cases, faults…) know nothing of the operations or the host.
 */
import { appOperations } from './app';
import { casesOperations } from './cases';
import type { OperationDeps } from './deps';
import type { Handlers } from './dispatch';
import { faultsOperations } from './faults';
import { flowsOperations } from './flows';
import { harOperations } from './har';
import { jwtOperations } from './jwt';
import { keysOperations } from './keys';
import { serverOperations } from './server';
import { settingsOperations } from './settings';
import { shellOperations } from './shell';
import { vaultOperations } from './vault';

export type { OperationDeps } from './deps';
export type { Dispatch, DomainHandlers, Handlers } from './dispatch';
export { createDispatcher } from './dispatch';

/** The complete handler table: tsc refuses it while an operation of the contract has no handler. */
export function operations(deps: OperationDeps): Handlers {
  return {
    ...appOperations(deps),
    ...settingsOperations(deps),
    ...shellOperations(deps),
    ...vaultOperations(deps),
    ...keysOperations(deps),
    ...serverOperations(deps),
    ...jwtOperations(deps),
    ...flowsOperations(deps),
    ...casesOperations(deps),
    ...harOperations(deps),
    ...faultsOperations(deps),
  };
}
