/** The contract's `flows.*` operations over the flow engine and its targets. */
import type { FlowEngine } from '../flows/flow-engine';
import type { FlowHistory } from '../flows/flow-history';
import type { FlowTargets } from '../flows/flow-targets';
import type { FlowFetch } from '../flows/http-exchange';
import { probeIssuer } from '../flows/probe-issuer';
import { extraCaCertificates } from '../http/transport';
import type { Handlers } from './dispatch';

type FlowHandlers = Pick<Handlers, Extract<keyof Handlers, `flows.${string}`>>;

/**
 * Builds the `flows.*` handlers. `fetchFor` gives the core's policed fetch, trusting a target's extra CA
 * certificate when one is given (Check issuer from the target dialog uses the CA typed there).
 */
export function flowHandlers(engine: FlowEngine, targets: FlowTargets, history: FlowHistory, fetchFor: (extraCa: string | undefined) => FlowFetch): FlowHandlers {
  return {
    'flows.listTargets': () => targets.list(),
    'flows.saveTarget': ({ target, secret }) => {
      // A CA that does not parse (or has expired) is named now, not at the first run.
      if (target.extraCa !== undefined) extraCaCertificates(target.extraCa);
      return targets.save(target, secret);
    },
    'flows.deleteTarget': ({ id }) => targets.delete(id),
    'flows.discover': ({ issuer, extraCa }) => probeIssuer(fetchFor(extraCa), issuer),
    'flows.start': ({ targetId, kind, pkce, jarClaims, stepThrough }) => engine.start({ targetId, kind, pkce, jarClaims, stepThrough }),
    'flows.next': ({ runId, edits }) => engine.next(runId, edits),
    'flows.cancel': ({ runId }) => engine.cancel(runId),
    'flows.get': ({ runId }) => engine.get(runId),
    'flows.history': () => history.list(),
    'flows.deleteRun': ({ runId }) => history.delete(runId),
  };
}
