/**
 * The application a Break-it run sends its tokens for: "Parley · Break it" on the embedded server, with the
 * run's two keys' PUBLIC keys as credentials (one in `signed_request_object`, the other in
 * `private_key_jwt`), a callback nothing ever loads, and the authorization code grant. It is created through
 * the same Management API logic as any application (so it obeys every CRD/MGC rule), reused while it still
 * has exactly the wanted credentials, and otherwise deleted and created again: a run never depends on
 * what an earlier run, or the user, left in it.
 */
import { ParleyError } from '../../../shared/errors';
import type { ServerDirectory } from '../server/management/directory';
import { ManagementError } from '../server/errors';
import type { CredentialAlg, CredentialSlot } from '../server/state/types';
import type { FaultSigningKey } from './signing-keys';

/** The scratch application's name (how a later run finds it again). */
export const SCRATCH_CLIENT_NAME = 'Parley · Break it';

/** Its one callback: `.invalid` (RFC 2606), so no browser ever loads it. */
export const SCRATCH_CALLBACK = 'https://break-it.parley.invalid/callback';

/** The keys of the two slots. */
export interface ScratchKeys {
  jar: FaultSigningKey;
  privateKeyJwt: FaultSigningKey;
  alg: CredentialAlg;
}

function slotMatches(directory: ServerDirectory, clientId: string, slot: CredentialSlot, key: FaultSigningKey, alg: CredentialAlg): boolean {
  const credentials = directory.slotCredentials(clientId, slot);
  return credentials.length === 1 && credentials[0]!.kid === key.kid && credentials[0]!.alg === alg && credentials[0]!.expires_at === null;
}

/** Whether an existing scratch application is exactly what a run needs. */
function fits(directory: ServerDirectory, clientId: string, keys: ScratchKeys): boolean {
  const client = directory.getClient(clientId);
  if (!client) return false;
  return (
    client.is_first_party &&
    client.private_key_jwt &&
    client.compliance_level === null &&
    !client.require_pushed_authorization_requests &&
    client.signed_request_object?.required !== true &&
    client.callbacks.length === 1 &&
    client.callbacks[0] === SCRATCH_CALLBACK &&
    client.grant_types.includes('authorization_code') &&
    slotMatches(directory, clientId, 'signed_request_object', keys.jar, keys.alg) &&
    slotMatches(directory, clientId, 'private_key_jwt', keys.privateKeyJwt, keys.alg)
  );
}

function credential(name: string, key: FaultSigningKey, alg: CredentialAlg): Record<string, unknown> {
  return { credential_type: 'public_key', name, pem: key.pem, alg };
}

/** Runs a directory write, turning a Management API refusal into SERVER_REJECTED (as the Server screen does). */
async function managed<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof ManagementError)
      throw new ParleyError('SERVER_REJECTED', `The Break-it application could not be set up: ${e.message}`, {
        details: { statusCode: e.statusCode, errorCode: e.errorCode },
        cause: e,
      });
    throw e;
  }
}

/** The scratch application's client_id, reusing the existing one when it fits and replacing it otherwise. */
export async function ensureScratchClient(directory: ServerDirectory, keys: ScratchKeys): Promise<string> {
  const existing = directory.listClients().filter((c) => c.name === SCRATCH_CLIENT_NAME);
  const keep = existing.find((c) => fits(directory, c.client_id, keys));
  for (const c of existing) {
    if (c.client_id !== keep?.client_id) await managed(() => directory.deleteClient(c.client_id));
  }
  if (keep) return keep.client_id;
  const created = await managed(() =>
    directory.createClient({
      name: SCRATCH_CLIENT_NAME,
      description: 'Created by Compose › Break it to run fault-injection cases against this server. Recreated as needed; safe to delete.',
      app_type: 'regular_web',
      is_first_party: true,
      callbacks: [SCRATCH_CALLBACK],
      grant_types: ['authorization_code'],
      client_authentication_methods: { private_key_jwt: { credentials: [credential('Break it · private_key_jwt', keys.privateKeyJwt, keys.alg)] } },
      signed_request_object: { credentials: [credential('Break it · request objects', keys.jar, keys.alg)] },
    }),
  );
  return created.client_id;
}

/** The public application of DPoP runs (a missing nonce is only refused for public clients, DPN-1). */
export const SCRATCH_PUBLIC_CLIENT_NAME = 'Parley · Break it (public)';

/**
 * The public scratch application's client_id (no secret, no credentials: public per DPC-9), reused while it
 * is still public with the scratch callback, and otherwise deleted and created again.
 */
export async function ensurePublicScratchClient(directory: ServerDirectory): Promise<string> {
  const existing = directory.listClients().filter((c) => c.name === SCRATCH_PUBLIC_CLIENT_NAME);
  const keep = existing.find((c) => {
    const client = directory.getClient(c.client_id);
    return (
      client !== undefined &&
      client.token_endpoint_auth_method === 'none' &&
      !client.private_key_jwt &&
      client.callbacks.length === 1 &&
      client.callbacks[0] === SCRATCH_CALLBACK &&
      client.grant_types.includes('authorization_code')
    );
  });
  for (const c of existing) {
    if (c.client_id !== keep?.client_id) await managed(() => directory.deleteClient(c.client_id));
  }
  if (keep) return keep.client_id;
  const created = await managed(() =>
    directory.createClient({
      name: SCRATCH_PUBLIC_CLIENT_NAME,
      description: 'Created by Break it to run the DPoP nonce case against this server. Recreated as needed; safe to delete.',
      app_type: 'spa',
      callbacks: [SCRATCH_CALLBACK],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'none',
    }),
  );
  return created.client_id;
}
