/**
 * The Management API subset Parley emulates: clients, client credentials, client grants, resource servers (their DPoP policy),
 * connections (the database one, and enterprise ones' DPoP key type), the tenant's DCR flag and users under
 * /api/v2. Routes live in their own Fastify scope so that only JSON bodies are parsed here (a form body
 * is a 415, malformed JSON Auth0's "Invalid request payload JSON format"), and the bearer token is
 * checked before the body is read, as Auth0 does. Every rule outcome lands in the request's trace.
 *
 * The seed guides' payloads work as written, with two notes: Auth0's Private Key JWT guide nests
 * `jwt_configuration` inside `client_authentication_methods` on create, which is taken as the client's
 * jwt_configuration (client-input.ts); and its "create the credential" body (`"expires_at ": …,` with a
 * trailing comma) is not JSON, so it gets Auth0's "Invalid request payload JSON format" — corrected to
 * JSON, the spaced key is an unknown property, and the trace suggests `expires_at`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import type { ServerContext } from '../context';
import { ManagementError } from '../errors';
import type { ManagementCaller } from './bearer-auth';
import { requireScope, verifyBearer } from './bearer-auth';
import type { Query } from './query';
import { checkpoint, connectionFilter, page, pageResult, paging, pickFields } from './query';
import type { ScopeRequirement } from './scopes';
import { SCOPES, updateClientRequirement } from './scopes';
import { tenantCertificate, withSigningKeys } from './signing-keys';
import { parseTenantSettings, tenantSettingsJson } from './tenant-settings';

/** Largest Management API body: a client created with four 4096-bit certificates fits easily. */
export const MANAGEMENT_BODY_LIMIT = 100 * 1024;

const callers = new WeakMap<FastifyRequest, ManagementCaller>();

/** Parses a JSON body; `__proto__`/`constructor` keys are refused so no body can reach an object prototype. */
function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text, (key, value: unknown) => {
      if (key === '__proto__' || key === 'constructor') throw new SyntaxError('forbidden key');
      return value;
    });
  } catch {
    throw new ManagementError(400, 'invalid_body', 'Invalid request payload JSON format');
  }
}

type Handler = (request: FastifyRequest, reply: FastifyReply, params: Record<string, string>) => Promise<unknown>;

/** Registers the Management API routes (`/api/v2/...`). */
export async function registerManagementRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: MANAGEMENT_BODY_LIMIT }, (_request, body, done) => {
      try {
        done(null, parseJson(body as string));
      } catch (e) {
        done(e as Error, undefined);
      }
    });
    // The token is checked before the body is parsed: an unauthenticated caller learns nothing about its payload.
    scope.addHook('preParsing', async (request, reply, payload) => {
      const params = request.params as Record<string, string>;
      if (params.id) request.trace.clientId = params.id;
      callers.set(request, await verifyBearer(request, reply, ctx));
      return payload;
    });

    const route = (
      method: HTTPMethods,
      url: string,
      endpoint: string,
      requirement: ScopeRequirement | ((body: unknown) => ScopeRequirement),
      handler: Handler,
    ): void => {
      scope.route({
        method,
        url,
        bodyLimit: MANAGEMENT_BODY_LIMIT,
        config: { endpoint, errors: 'management' },
        handler: async (request, reply) => {
          const caller = callers.get(request);
          if (!caller) throw new ManagementError(401, 'missing_authentication', 'Missing authentication');
          requireScope(request, caller, typeof requirement === 'function' ? requirement(request.body) : requirement);
          return handler(request, reply, request.params as Record<string, string>);
        },
      });
    };

    const directory = ctx.directory;
    const shown = async (client: Record<string, unknown>): Promise<Record<string, unknown>> => withSigningKeys(client, await tenantCertificate(ctx.keys));
    const query = (request: FastifyRequest): Query => request.query as Query;

    // ---- clients ----
    route('POST', '/api/v2/clients', 'management.clients', SCOPES.createClient, async (request, reply) => {
      const client = await directory.createClient(request.body, request.trace);
      request.trace.clientId = client.client_id;
      return reply.code(201).send(await shown(client));
    });
    route('GET', '/api/v2/clients', 'management.clients', SCOPES.readClients, async (request) => {
      // Only the page is built: a tenant of 10,000 clients costs no more per request than one of 10.
      const p = paging(query(request));
      const cert = await tenantCertificate(ctx.keys);
      const clients = directory.listClients(p.start, p.perPage).map((c) => pickFields(withSigningKeys(c, cert), query(request)));
      return pageResult(clients, directory.clientCount(), p, 'clients');
    });
    route('GET', '/api/v2/clients/:id', 'management.clients', SCOPES.readClients, async (request, _reply, { id }) =>
      pickFields(await shown(directory.getClientJson(id!)), query(request)),
    );
    route('PATCH', '/api/v2/clients/:id', 'management.clients', updateClientRequirement, async (request, _reply, { id }) =>
      shown(await directory.updateClient(id!, request.body, request.trace)),
    );
    route('DELETE', '/api/v2/clients/:id', 'management.clients', SCOPES.deleteClient, async (request, reply, { id }) => {
      await directory.deleteClient(id!, request.trace);
      return reply.code(204).send();
    });

    // ---- client credentials ----
    const credentials = '/api/v2/clients/:id/credentials';
    route('POST', credentials, 'management.credentials', SCOPES.createCredential, async (request, reply, { id }) =>
      reply.code(201).send(await directory.createCredential(id!, request.body, request.trace)),
    );
    // A bare array even with include_totals (recorded), so no paging wrapper here.
    route('GET', credentials, 'management.credentials', SCOPES.readCredentials, async (request, _reply, { id }) =>
      directory.listCredentials(id!, request.trace),
    );
    route('GET', `${credentials}/:credential_id`, 'management.credentials', SCOPES.readCredentials, async (request, _reply, p) =>
      directory.getCredential(p.id!, p.credential_id!, request.trace),
    );
    route('PATCH', `${credentials}/:credential_id`, 'management.credentials', SCOPES.updateCredential, async (request, _reply, p) =>
      directory.updateCredential(p.id!, p.credential_id!, request.body, request.trace),
    );
    route('DELETE', `${credentials}/:credential_id`, 'management.credentials', SCOPES.deleteCredential, async (request, reply, p) => {
      await directory.deleteCredential(p.id!, p.credential_id!, request.trace);
      return reply.code(204).send();
    });

    // ---- client grants ----
    route('POST', '/api/v2/client-grants', 'management.client_grants', SCOPES.createGrant, async (request, reply) => {
      const grant = await directory.createClientGrant(request.body, request.trace);
      request.trace.clientId = grant.client_id;
      return reply.code(201).send(grant);
    });
    route('GET', '/api/v2/client-grants', 'management.client_grants', SCOPES.readGrants, async (request) => {
      const q = query(request);
      const grants = directory
        .listClientGrants(typeof q.client_id === 'string' ? q.client_id : undefined)
        .filter((g) => typeof q.audience !== 'string' || g.audience === q.audience);
      return page(grants, q, 'client_grants');
    });
    route('DELETE', '/api/v2/client-grants/:grant_id', 'management.client_grants', SCOPES.deleteGrant, async (_request, reply, p) => {
      await directory.deleteClientGrant(p.grant_id!);
      return reply.code(204).send();
    });

    // ---- resource servers (APIs): the DPoP policy, DPC-2..8 ----
    route('POST', '/api/v2/resource-servers', 'management.resource_servers', SCOPES.createResourceServer, async (request, reply) =>
      reply.code(201).send(directory.createResourceServer(request.body, request.trace)),
    );
    route('GET', '/api/v2/resource-servers', 'management.resource_servers', SCOPES.readResourceServers, async (request) =>
      page(directory.listResourceServers(), query(request), 'resource_servers'),
    );
    route('GET', '/api/v2/resource-servers/:id', 'management.resource_servers', SCOPES.readResourceServers, async (_request, _reply, { id }) =>
      directory.getResourceServerJson(id!),
    );
    route('PATCH', '/api/v2/resource-servers/:id', 'management.resource_servers', SCOPES.updateResourceServer, async (request, _reply, { id }) =>
      directory.updateResourceServer(id!, request.body, request.trace),
    );
    route('DELETE', '/api/v2/resource-servers/:id', 'management.resource_servers', SCOPES.deleteResourceServer, async (_request, reply, { id }) => {
      directory.deleteResourceServer(id!);
      return reply.code(204).send();
    });

    // ---- connections: the database connection and enterprise connections' dpop_signing_alg (DPC-12) ----
    route('POST', '/api/v2/connections', 'management.connections', SCOPES.createConnection, async (request, reply) =>
      reply.code(201).send(directory.createConnection(request.body, request.trace)),
    );
    route('GET', '/api/v2/connections', 'management.connections', SCOPES.readConnections, async (request) => {
      const q = query(request);
      // Fields are picked after paging: checkpoint paging finds its place by id, which `fields` may leave out.
      const shownFields = (list: Record<string, unknown>[]): Record<string, unknown>[] => list.map((c) => pickFields(c, q));
      const all = directory.listConnections(connectionFilter(q));
      if (q.from !== undefined || q.take !== undefined) {
        const result = checkpoint(all, q, 'connections');
        return { ...result, connections: shownFields(result.connections as Record<string, unknown>[]) };
      }
      const p = paging(q);
      return pageResult(shownFields(all.slice(p.start, p.start + p.perPage)), all.length, p, 'connections');
    });
    route('GET', '/api/v2/connections/:id', 'management.connections', SCOPES.readConnections, async (request, _reply, { id }) =>
      pickFields(directory.getConnectionJson(id!), query(request)),
    );
    route('PATCH', '/api/v2/connections/:id', 'management.connections', SCOPES.updateConnection, async (request, _reply, { id }) =>
      directory.updateConnection(id!, request.body, request.trace),
    );
    route('DELETE', '/api/v2/connections/:id', 'management.connections', SCOPES.deleteConnection, async (_request, reply, { id }) => {
      directory.deleteConnection(id!);
      return reply.code(204).send();
    });

    // ---- tenant settings: only flags.enable_dynamic_client_registration (/oidc/register, DPC-13) ----
    route('GET', '/api/v2/tenants/settings', 'management.tenant_settings', SCOPES.readTenantSettings, async () => tenantSettingsJson(ctx));
    route('PATCH', '/api/v2/tenants/settings', 'management.tenant_settings', SCOPES.updateTenantSettings, async (request) => {
      ctx.updateSettings(parseTenantSettings(request.body, request.trace));
      return tenantSettingsJson(ctx);
    });

    // ---- users ----
    route('POST', '/api/v2/users', 'management.users', SCOPES.createUser, async (request, reply) =>
      reply.code(201).send(await directory.createUser(request.body, request.trace)),
    );
    route('GET', '/api/v2/users', 'management.users', SCOPES.readUsers, async (request) => page(directory.listUsers(), query(request), 'users'));
    route('GET', '/api/v2/users/:user_id', 'management.users', SCOPES.readUsers, async (_request, _reply, p) => directory.getUserJson(p.user_id!));
    route('DELETE', '/api/v2/users/:user_id', 'management.users', SCOPES.deleteUser, async (_request, reply, p) => {
      await directory.deleteUser(p.user_id!);
      return reply.code(204).send();
    });
  });
}
