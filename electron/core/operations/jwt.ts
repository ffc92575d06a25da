/** The contract's `jwt.*` operations: Explain's signature check, in the core since it may fetch a JWKS or a discovery document. */
import { verifyJwt } from '../jwt/verify';
import type { DomainHandlers } from './dispatch';
import type { OperationDeps } from './deps';

/** Builds the `jwt.*` handlers. */
export function jwtOperations({ vault, server, transport }: Pick<OperationDeps, 'vault' | 'server' | 'transport'>): DomainHandlers<'jwt'> {
  return {
    'jwt.verify': (input) => verifyJwt(input.token, input.source, { vault, server, fetch: transport.fetch }),
  };
}
