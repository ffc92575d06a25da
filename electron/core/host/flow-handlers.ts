/** The contract's `flows.*` operations over the flow engine and its targets. */
import type { FlowEngine } from '../flows/flow-engine';
import type { FlowHistory } from '../flows/flow-history';
import type { FlowTargets } from '../flows/flow-targets';
import type { FlowFetch } from '../flows/http-exchange';
import { probeIssuer } from '../flows/probe-issuer';
import type { Handlers } from './dispatch';

type FlowHandlers = Pick<Handlers, Extract<keyof Handlers, `flows.${string}`>>;

/** Builds the `flows.*` handlers. */
export function flowHandlers(engine: FlowEngine, targets: FlowTargets, history: FlowHistory, fetchFn: FlowFetch = (url, init) => fetch(url, init)): FlowHandlers {
  return {
    'flows.listTargets': () => targets.list(),
    'flows.saveTarget': ({ target, secret }) => targets.save(target, secret),
    'flows.deleteTarget': ({ id }) => targets.delete(id),
    'flows.discover': ({ issuer }) => probeIssuer(fetchFn, issuer),
    'flows.start': ({ targetId, kind, pkce, jarClaims, stepThrough }) => engine.start({ targetId, kind, pkce, jarClaims, stepThrough }),
    'flows.next': ({ runId, edits }) => engine.next(runId, edits),
    'flows.cancel': ({ runId }) => engine.cancel(runId),
    'flows.get': ({ runId }) => engine.get(runId),
    'flows.history': () => history.list(),
    'flows.deleteRun': ({ runId }) => history.delete(runId),
  };
}
