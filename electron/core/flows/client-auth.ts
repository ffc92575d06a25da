/**
 * Client authentication at the PAR and token endpoints: client_secret_basic/post from the vault's secret
 * store, or private_key_jwt (RFC 7523) with an assertion signed in the vault (iss = sub = client_id,
 * aud = issuer as Auth0 expects, a fresh jti, exp 60 s ahead).
 */
import type { FlowTarget } from '../../../shared/schemas/flows';
import { nowSeconds } from '../clock';
import { randomToken } from '../random';
import type { Vault } from '../vault';
import { signWithVaultKey } from './authorization-request';
import type { SigningServer } from './discovery';
import { FlowStepError } from './flow-error';

/** The JWT-bearer assertion type (RFC 7523 §2.2). */
export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Where a target's client secret is kept in the vault. */
export function secretIdOf(targetId: string): string {
  return `flow-target:${targetId}`;
}

/** Adds the target's client authentication to a form and its headers; an assertion's alg is one `server` lists. */
export async function authenticateClient(
  vault: Vault,
  target: FlowTarget,
  server: SigningServer,
  form: URLSearchParams,
  headers: Record<string, string>,
  secretOf: (target: FlowTarget) => string | undefined,
): Promise<void> {
  const method = target.auth.method;
  if (method === 'none') {
    form.set('client_id', target.client_id);
    return;
  }
  if (method === 'private_key_jwt') {
    if (!target.auth.keyId) throw new FlowStepError('configuration', 'private_key_jwt needs a vault key to sign client assertions.');
    const iat = nowSeconds();
    const assertion = await signWithVaultKey(
      vault,
      target.auth.keyId,
      'JWT',
      { iss: target.client_id, sub: target.client_id, aud: server.issuer, iat, exp: iat + 60, jti: randomToken(16) },
      server,
    );
    form.set('client_id', target.client_id);
    form.set('client_assertion_type', JWT_BEARER);
    form.set('client_assertion', assertion);
    return;
  }
  const secret = secretOf(target);
  if (secret === undefined) throw new FlowStepError('configuration', `${method} needs the client secret: save it with the target.`);
  if (method === 'client_secret_basic') {
    // RFC 6749 §2.3.1: each part is form-urlencoded before the Basic encoding.
    const enc = (s: string): string => encodeURIComponent(s).replace(/%20/g, '+');
    headers['authorization'] = `Basic ${Buffer.from(`${enc(target.client_id)}:${enc(secret)}`).toString('base64')}`;
    return;
  }
  form.set('client_id', target.client_id);
  form.set('client_secret', secret);
}
