/**
 * Break it (fault injection) on a composed request object or client assertion, against the embedded
 * server. See runner.ts; the contract's `faults.run` is operations/faults.ts.
 */
export { FaultRunner } from './runner';
export type { FaultRunInput } from './runner';
