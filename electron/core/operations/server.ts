/**
 * The contract's `server.*` operations. Client and credential bodies go through the same Management API
 * logic as POST/PATCH /api/v2/... (the directory), so the UI and the HTTP API accept and refuse exactly
 * the same things; a refusal becomes SERVER_REJECTED carrying Auth0's message.
 */
import { ParleyError } from '../../../shared/errors';
import type { ServerApi, ServerClient, ServerClientGrant, ServerResourceServer } from '../../../shared/schemas/server';
import { ManagementError } from '../server/errors';
import { MANAGEMENT_AUDIENCE_MARKER, MANAGEMENT_SCOPES } from '../server/state/grants';
import type { EmbeddedServer } from '../server/embedded';
import { TraceRecorder } from '../server/trace';
import type { DomainHandlers } from './dispatch';
import type { OperationDeps } from './deps';

/** Runs a directory operation, turning a Management API refusal into SERVER_REJECTED. */
async function managed<T>(run: () => T | Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof ManagementError) {
      throw new ParleyError('SERVER_REJECTED', e.message, { details: { statusCode: e.statusCode, errorCode: e.errorCode }, cause: e });
    }
    throw e;
  }
}

/**
 * Runs a write the user made on the Server screen with a trace, and adds it to the server's log like a
 * Management API request (endpoint `dashboard`), as Auth0's tenant logs show dashboard changes.
 */
async function traced<T>(server: EmbeddedServer, method: string, path: string, status: number, run: (trace: TraceRecorder) => T | Promise<T>): Promise<T> {
  const trace = new TraceRecorder(method, 'dashboard', path, server.settingsStore.get().clockOffsetSeconds);
  const log = server.running?.ctx.traces;
  try {
    const value = await managed(() => run(trace));
    log?.add(trace.finish(status));
    return value;
  } catch (e) {
    const cause = e instanceof ParleyError && e.cause instanceof ManagementError ? e.cause : undefined;
    log?.add(
      trace.finish(cause?.statusCode ?? 400, {
        error: cause?.errorCode ?? (e instanceof ParleyError ? e.code : 'error'),
        description: e instanceof Error ? e.message : String(e),
      }),
    );
    throw e;
  }
}

/** Removes what the renderer must never see of a client (its secret). */
function withoutSecret(client: Record<string, unknown>): ServerClient {
  const { client_secret: _secret, ...rest } = client;
  return rest as ServerClient;
}

function slotIds(client: Record<string, unknown>, slot: 'private_key_jwt' | 'signed_request_object'): { id: string }[] {
  const holder =
    slot === 'private_key_jwt'
      ? (client['client_authentication_methods'] as { private_key_jwt?: { credentials?: { id: string }[] } } | null | undefined)?.private_key_jwt
      : (client['signed_request_object'] as { credentials?: { id: string }[] } | null | undefined);
  return (holder?.credentials ?? []).map((c) => ({ id: c.id }));
}

/**
 * The APIs a client grant can be for: the server's own Management API (while it knows its audience, i.e.
 * once it has listened) with every scope it checks, then each other audience that has grants (the server
 * keeps no resource-server registry: an API exists through its grants), with the scopes granted for it.
 */
function knownApis(grants: readonly ServerClientGrant[], managementAudience: string | undefined): ServerApi[] {
  const apis: ServerApi[] = managementAudience ? [{ audience: managementAudience, management: true, scopes: [...MANAGEMENT_SCOPES] }] : [];
  const custom = new Map<string, Set<string>>();
  for (const grant of grants) {
    if (grant.audience === managementAudience) continue;
    const scopes = custom.get(grant.audience) ?? new Set<string>();
    for (const s of grant.scope) scopes.add(s);
    custom.set(grant.audience, scopes);
  }
  for (const [audience, scopes] of custom) apis.push({ audience, management: false, scopes: [...scopes] });
  return apis;
}

/** Builds the `server.*` handlers over the embedded server and the vault. */
export function serverOperations({ server, vault }: Pick<OperationDeps, 'server' | 'vault'>): DomainHandlers<'server'> {
  const directory = server.directory;
  return {
    'server.status': () => server.status(),
    'server.updateSettings': (patch) => server.updateSettings(patch),
    'server.restart': () => server.restart(),
    'server.listClients': () => managed(() => directory.listClientsForUi()),
    'server.createClient': ({ body }) =>
      traced(server, 'POST', '/api/v2/clients', 201, async (trace) =>
        withoutSecret((await directory.createClient(body, trace)) as unknown as Record<string, unknown>),
      ),
    'server.updateClient': ({ clientId, body }) =>
      traced(server, 'PATCH', `/api/v2/clients/${clientId}`, 200, async (trace) => {
        trace.clientId = clientId;
        return withoutSecret((await directory.updateClient(clientId, body, trace)) as unknown as Record<string, unknown>);
      }),
    'server.deleteClient': ({ clientId }) =>
      traced(server, 'DELETE', `/api/v2/clients/${clientId}`, 204, async (trace) => {
        trace.clientId = clientId;
        await directory.deleteClient(clientId, trace);
        return { deleted: clientId };
      }),
    'server.listCredentials': ({ clientId }) => managed(() => directory.listCredentials(clientId)),
    'server.createCredential': ({ clientId, body, fromVaultKey, attachTo }) =>
      traced(server, 'POST', `/api/v2/clients/${clientId}/credentials`, 201, async (trace) => {
        trace.clientId = clientId;
        let payload: Record<string, unknown>;
        if (fromVaultKey) {
          const key = vault.get(fromVaultKey.keyId);
          if (key.kty !== 'RSA') throw new ParleyError('UNSUPPORTED_KEY', 'Auth0 accepts only RSA keys (2048 to 4096 bits) as client credentials.');
          const pem = fromVaultKey.asCertificateDays
            ? (await vault.exportCertificate(fromVaultKey.keyId, fromVaultKey.asCertificateDays)).content
            : (await vault.exportPublic(fromVaultKey.keyId, 'pem')).content;
          payload = { name: fromVaultKey.name, credential_type: 'public_key', pem, alg: fromVaultKey.alg };
          if (fromVaultKey.asCertificateDays) payload['parse_expiry_from_cert'] = true;
          else if (fromVaultKey.expires_at) payload['expires_at'] = fromVaultKey.expires_at;
        } else {
          payload = body ?? {};
        }
        const credential = await directory.createCredential(clientId, payload, trace);
        if (attachTo) {
          const client = directory.getClientJson(clientId) as unknown as Record<string, unknown>;
          const ids = [...slotIds(client, attachTo), { id: credential.id }];
          const patch: Record<string, unknown> =
            attachTo === 'private_key_jwt'
              ? {
                  client_authentication_methods: { private_key_jwt: { credentials: ids } },
                  ...(client['token_endpoint_auth_method'] ? { token_endpoint_auth_method: null } : {}),
                }
              : { signed_request_object: { credentials: ids } };
          await directory.updateClient(clientId, patch, trace);
        }
        return credential;
      }),
    'server.updateCredential': ({ clientId, credentialId, expires_at, simulateExpiry }) =>
      traced(server, 'PATCH', `/api/v2/clients/${clientId}/credentials/${credentialId}`, 200, async (trace) => {
        trace.clientId = clientId;
        // "Make expired" (simulateExpiry) is a simulation of the app, not of Auth0: it alone may set a past date.
        if (simulateExpiry) return directory.setCredentialExpiry(clientId, credentialId, expires_at, trace);
        return directory.updateCredential(clientId, credentialId, { expires_at }, trace);
      }),
    'server.deleteCredential': ({ clientId, credentialId }) =>
      traced(server, 'DELETE', `/api/v2/clients/${clientId}/credentials/${credentialId}`, 204, async (trace) => {
        trace.clientId = clientId;
        await directory.deleteCredential(clientId, credentialId, trace);
        return { deleted: credentialId };
      }),
    // Client grants: the same directory methods as /api/v2/client-grants (same filter as its ?client_id=).
    'server.listClientGrants': ({ clientId }) =>
      managed(() => {
        const all = directory.listClientGrants();
        const managementAudience = server.running?.urls.managementAudience;
        return {
          client_grants: all.filter((g) => clientId === undefined || g.client_id === clientId),
          // A grant stored for the Management API before the server knew its audience shows the marker: not an API.
          apis: knownApis(
            all.filter((g) => managementAudience !== undefined || g.audience !== MANAGEMENT_AUDIENCE_MARKER),
            managementAudience,
          ),
        };
      }),
    'server.createClientGrant': (body) =>
      traced(server, 'POST', '/api/v2/client-grants', 201, async (trace) => {
        trace.clientId = body.client_id;
        return directory.createClientGrant(body, trace);
      }),
    'server.deleteClientGrant': ({ grantId }) =>
      traced(server, 'DELETE', `/api/v2/client-grants/${grantId}`, 204, async (trace) => {
        trace.clientId = directory.listClientGrants().find((g) => g.id === grantId)?.client_id;
        await directory.deleteClientGrant(grantId);
        return { deleted: grantId };
      }),
    // APIs: the directory methods behind /api/v2/resource-servers, so a policy set on the Server screen reads
    // back identically over the Management API and DPB-1 applies it at /oauth/token.
    'server.listResourceServers': () => managed(() => directory.listResourceServers() as unknown as ServerResourceServer[]),
    'server.createResourceServer': ({ body }) =>
      traced(server, 'POST', '/api/v2/resource-servers', 201, (trace) => directory.createResourceServer(body, trace) as unknown as ServerResourceServer),
    'server.updateResourceServer': ({ id, body }) =>
      traced(
        server,
        'PATCH',
        `/api/v2/resource-servers/${id}`,
        200,
        (trace) => directory.updateResourceServer(id, body, trace) as unknown as ServerResourceServer,
      ),
    'server.listUsers': () => managed(() => directory.listUsersForUi()),
    'server.createUser': (input) =>
      managed(async () => {
        const created = await directory.createUser({ ...input, connection: 'Username-Password-Authentication' });
        return directory.getUserForUi(created.user_id);
      }),
    'server.deleteUser': ({ userId }) =>
      managed(async () => {
        await directory.deleteUser(userId);
        return { deleted: userId };
      }),
    'server.listLogs': (filter) => {
      const running = server.running;
      if (!running) return [];
      return running.ctx.traces.list(filter);
    },
    'server.clearLogs': () => {
      const running = server.running;
      const cleared = running?.ctx.traces.size ?? 0;
      running?.ctx.traces.clear();
      return { cleared };
    },
  };
}
