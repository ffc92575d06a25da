/**
 * The embedded authorization server as the UI shows it, one part a sub-domain (in ./server/): status and
 * settings (`status.ts`), applications (Auth0 clients) and their credentials (`applications.ts`), client
 * grants and the APIs they are for (`grants.ts`), resource servers with their sender-constraining policy
 * (`resource-servers.ts`), users (`users.ts`), and the request log (`logs.ts`). They
 * share one `server` object in the store, composed here. The core is the source of truth: every mutation
 * goes through a `server.*` operation and the lists are re-read afterwards; `server.changed` and
 * `server.trace` events keep them current. Nothing here is secret (the core never sends a client secret, a
 * password or a PEM to the renderer).
 *
 * Responses can arrive out of order (an event-driven reload racing a click), so each list request
 * carries a sequence number and stale answers are dropped.
 */
import type { ApplicationsActions, ApplicationsState } from './server/applications';
import { applicationsActions, emptyApplications } from './server/applications';
import type { GrantsActions, GrantsState } from './server/grants';
import { emptyGrants, grantsActions } from './server/grants';
import type { LogsActions, LogsState } from './server/logs';
import { emptyLogs, logsActions } from './server/logs';
import type { ResourceServersActions, ResourceServersState } from './server/resource-servers';
import { emptyResourceServers, resourceServersActions } from './server/resource-servers';
import type { ServerStatusActions, ServerStatusState } from './server/status';
import { emptyServerStatus, serverStatusActions } from './server/status';
import type { ServerTools } from './server/tools';
import type { UsersActions, UsersState } from './server/users';
import { emptyUsers, usersActions } from './server/users';
import type { SliceCreator } from './types';

export type { LogFilter } from './server/logs';
export { MAX_LOGS, mergeTraces, traceMatches } from './server/logs';
export { sameScopes } from './server/grants';

/** Server state and actions. Mutations throw ApiError (SERVER_REJECTED carries Auth0's message). */
export type ServerSlice = {
  server: ServerStatusState & ApplicationsState & GrantsState & ResourceServersState & UsersState & LogsState;
  /** Re-reads whatever lists are loaded (after `server.changed`, or a Management API call seen in the log). */
  refreshServerData(): void;
} & ServerStatusActions &
  ApplicationsActions &
  GrantsActions &
  ResourceServersActions &
  UsersActions &
  LogsActions;

let refreshTimer: ReturnType<typeof setTimeout> | undefined;

/** Creates the server slice. */
export const createServerSlice: SliceCreator<ServerSlice> = (set, get) => {
  const tools: ServerTools = {
    set,
    get,
    patch: (next) => set((s) => ({ server: { ...s.server, ...next } })),
    scheduleRefresh: () => {
      clearTimeout(refreshTimer);
      refreshTimer = setTimeout(() => get().refreshServerData(), 150);
    },
  };
  return {
    server: { ...emptyServerStatus, ...emptyApplications, ...emptyGrants, ...emptyResourceServers, ...emptyUsers, ...emptyLogs },
    ...serverStatusActions(tools),
    ...applicationsActions(tools),
    ...grantsActions(tools),
    ...resourceServersActions(tools),
    ...usersActions(tools),
    ...logsActions(tools),

    refreshServerData() {
      const { clientsLoaded, usersLoaded, resourceServersLoaded, selectedClientId, credentials, clientGrants } = get().server;
      if (clientsLoaded) void get().loadClients();
      if (resourceServersLoaded) void get().loadResourceServers();
      if (usersLoaded) void get().loadUsers();
      if (selectedClientId && selectedClientId in credentials) void get().loadCredentials(selectedClientId);
      if (selectedClientId && selectedClientId in clientGrants) void get().loadClientGrants(selectedClientId);
    },
  };
};
