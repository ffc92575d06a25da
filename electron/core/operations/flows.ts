/** The contract's `flows.*` operations over the flow engine and its targets. */
import { probeIssuer } from '../flows/probe-issuer';
import { extraCaCertificates } from '../http/transport';
import type { DomainHandlers } from './dispatch';
import type { OperationDeps } from './deps';

/**
 * Builds the `flows.*` handlers. Check issuer uses the core's policed transport, trusting a target's extra
 * CA certificate when one is given (the target dialog sends the CA typed there).
 */
export function flowsOperations({
  flows: engine,
  flowTargets: targets,
  flowHistory: history,
  transport,
}: Pick<OperationDeps, 'flows' | 'flowTargets' | 'flowHistory' | 'transport'>): DomainHandlers<'flows'> {
  return {
    'flows.listTargets': () => targets.list(),
    'flows.saveTarget': ({ target, secret }) => {
      // A CA that does not parse (or has expired) is named now, not at the first run.
      if (target.extraCa !== undefined) extraCaCertificates(target.extraCa);
      return targets.save(target, secret);
    },
    'flows.deleteTarget': ({ id }) => targets.delete(id),
    'flows.discover': ({ issuer, extraCa }) => probeIssuer(transport.forExtraCa(extraCa), issuer),
    'flows.start': ({ targetId, kind, pkce, jarClaims, stepThrough }) => engine.start({ targetId, kind, pkce, jarClaims, stepThrough }),
    'flows.next': ({ runId, edits }) => engine.next(runId, edits),
    'flows.cancel': ({ runId }) => engine.cancel(runId),
    'flows.refresh': ({ runId, dpopKeyId }) => engine.refresh(runId, dpopKeyId === undefined ? {} : { dpopKeyId }),
    'flows.get': ({ runId }) => engine.get(runId),
    'flows.history': () => history.list(),
    'flows.deleteRun': ({ runId }) => history.delete(runId),
  };
}
