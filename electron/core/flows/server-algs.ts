/**
 * Which alg a vault key signs with for a server: the key's first (in its order of preference) that the server
 * lists for this kind of JWT in its discovery document, or the first at all when the server lists none. A
 * server that lists algs but none the key can sign is refused here, naming both lists, before any request
 * carries a JWT the server would reject. Used for request objects, client assertions and DPoP proofs alike.
 */
import type { SigningAlg } from '../../../shared/schemas/keys';
import { FlowStepError } from './flow-error';

export function algTheServerLists(
  key: { name: string },
  algs: readonly SigningAlg[],
  what: string,
  list: string,
  listed: readonly string[] | undefined,
): SigningAlg {
  const alg = listed === undefined ? algs[0] : algs.find((a) => listed.includes(a));
  if (alg) return alg;
  if (listed === undefined || algs.length === 0) throw new FlowStepError('configuration', `The key "${key.name}" cannot sign.`);
  throw new FlowStepError(
    'configuration',
    `The server does not accept ${what} the key "${key.name}" can sign: it signs ${algs.join(', ')}, and ${list} lists ${listed.length > 0 ? listed.join(', ') : 'none'}. Choose a key of a listed type.`,
  );
}
