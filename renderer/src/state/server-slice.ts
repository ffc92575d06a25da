/**
 * The embedded authorization server as the UI shows it: status and settings, applications (Auth0
 * clients), their credentials and client grants (the APIs they may call), users, and the request log. The core is the source of truth: every
 * mutation goes through a `server.*` operation and the lists are re-read afterwards; `server.changed`
 * and `server.trace` events keep them current. Nothing here is secret (the core never sends a client
 * secret, a password or a PEM to the renderer).
 *
 * Responses can arrive out of order (an event-driven reload racing a click), so each list request
 * carries a sequence number and stale answers are dropped.
 */
import type { OpInput } from '../../../shared/ipc/contract';
import type { RequestTrace, ServerApi, ServerClient, ServerClientGrant, ServerCredential, ServerSettings, ServerStatus, ServerUser } from '../../../shared/schemas/server';
import { traceHostTimeMs } from '../../../shared/schemas/server';
import { call } from '../api/client';
import type { SliceCreator } from './types';

/** The Logs tab's filters; empty strings mean "any". */
export interface LogFilter {
  endpoint: string;
  clientId: string;
  failedOnly: boolean;
}

/** The most traces the renderer keeps (the core keeps more; older ones are one filter away). */
export const MAX_LOGS = 500;

/** Server state and actions. Mutations throw ApiError (SERVER_REJECTED carries Auth0's message). */
export interface ServerSlice {
  server: {
    status: ServerStatus | null;
    statusError: unknown;
    clients: ServerClient[];
    clientsLoaded: boolean;
    clientsError: unknown;
    selectedClientId: string | null;
    /** Credentials by client id, for the clients whose Credentials were opened. */
    credentials: Record<string, ServerCredential[]>;
    credentialsError: Record<string, unknown>;
    /** Client grants by client id, for the clients whose APIs tab was opened. */
    clientGrants: Record<string, ServerClientGrant[]>;
    clientGrantsError: Record<string, unknown>;
    /** The APIs a client grant can be for, as read with the last grants. */
    apis: ServerApi[];
    users: ServerUser[];
    usersLoaded: boolean;
    usersError: unknown;
    /** Newest first, at most MAX_LOGS, matching `logFilter`. */
    logs: RequestTrace[];
    logsLoaded: boolean;
    logsError: unknown;
    logFilter: LogFilter;
  };
  loadServerStatus(): Promise<void>;
  /** Applies a status pushed by `server.changed` or returned by an operation. */
  setServerStatus(status: ServerStatus): void;
  /** A `server.changed` event: applies the status, and re-reads the lists unless only the memory counters moved. */
  onServerChanged(status: ServerStatus): void;
  updateServerSettings(patch: Partial<ServerSettings>): Promise<ServerStatus>;
  restartServer(): Promise<ServerStatus>;
  loadClients(): Promise<void>;
  selectClient(clientId: string | null): void;
  createClient(body: Record<string, unknown>): Promise<ServerClient>;
  updateClient(clientId: string, body: Record<string, unknown>): Promise<ServerClient>;
  deleteClient(clientId: string): Promise<void>;
  loadCredentials(clientId: string): Promise<void>;
  createCredential(input: OpInput<'server.createCredential'>): Promise<ServerCredential>;
  updateCredential(clientId: string, credentialId: string, expiresAt: string | null): Promise<ServerCredential>;
  /** Parley's expiry simulation ("Make expired", "Remove expiry"): any expires_at, a past one included (CRD-5 is Auth0's PATCH only). */
  simulateCredentialExpiry(clientId: string, credentialId: string, expiresAt: string | null): Promise<ServerCredential>;
  deleteCredential(clientId: string, credentialId: string): Promise<void>;
  loadClientGrants(clientId: string): Promise<void>;
  /**
   * Sets a client's access to an API: `scope` authorizes it with these scopes (creating its grant, or
   * replacing it when the scopes changed: the Management API has no grant update here), `null` removes
   * its grant. Returns the grant now in force.
   */
  saveClientGrant(clientId: string, audience: string, scope: string[] | null): Promise<ServerClientGrant | null>;
  loadUsers(): Promise<void>;
  createUser(input: OpInput<'server.createUser'>): Promise<ServerUser>;
  deleteUser(userId: string): Promise<void>;
  loadLogs(): Promise<void>;
  setLogFilter(patch: Partial<LogFilter>): void;
  /** Adds a live trace from `server.trace`. */
  onServerTrace(trace: RequestTrace): void;
  clearLogs(): Promise<number>;
  /** Re-reads whatever lists are loaded (after `server.changed`, or a Management API call seen in the log). */
  refreshServerData(): void;
}

/** Whether a trace matches the Logs filters (the core applies the same ones to `server.listLogs`). */
export function traceMatches(trace: RequestTrace, filter: LogFilter): boolean {
  if (filter.endpoint && trace.endpoint !== filter.endpoint) return false;
  if (filter.clientId && trace.clientId !== filter.clientId) return false;
  if (filter.failedOnly && trace.status < 400) return false;
  return true;
}

/** Merges traces newest first, without duplicates, capped at MAX_LOGS. */
export function mergeTraces(...lists: readonly RequestTrace[][]): RequestTrace[] {
  const seen = new Set<string>();
  const merged: RequestTrace[] = [];
  for (const trace of lists.flat()) {
    if (seen.has(trace.id)) continue;
    seen.add(trace.id);
    merged.push(trace);
  }
  // By the host's clock: a trace's `at` is the server's simulated time, which moves when its clock offset does.
  // The sort is stable for equal instants.
  merged.sort((a, b) => traceHostTimeMs(b) - traceHostTimeMs(a));
  return merged.slice(0, MAX_LOGS);
}

/** Whether two statuses differ in more than their memory counters (which change with every request). */
function changedBeyondMemory(a: ServerStatus | null, b: ServerStatus): boolean {
  if (!a) return true;
  const { memory: _a, ...restA } = a;
  const { memory: _b, ...restB } = b;
  return JSON.stringify(restA) !== JSON.stringify(restB);
}

/** Whether two scope lists hold the same scopes (order and repeats aside). */
export function sameScopes(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((s) => right.has(s));
}

/** Whether a trace is a Management API call that changed something (so the lists are stale). */
function changedManagementData(trace: RequestTrace): boolean {
  return trace.endpoint.startsWith('management') && trace.method !== 'GET' && trace.status < 400;
}

let statusSeq = 0;
let clientsSeq = 0;
let usersSeq = 0;
let logsSeq = 0;
const credentialsSeq = new Map<string, number>();
const grantsSeq = new Map<string, number>();
/** Live traces received while a `server.listLogs` is in flight; merged into its answer. */
let liveDuringLoad: RequestTrace[] | null = null;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;

const emptyServer: ServerSlice['server'] = {
  status: null,
  statusError: null,
  clients: [],
  clientsLoaded: false,
  clientsError: null,
  selectedClientId: null,
  credentials: {},
  credentialsError: {},
  clientGrants: {},
  clientGrantsError: {},
  apis: [],
  users: [],
  usersLoaded: false,
  usersError: null,
  logs: [],
  logsLoaded: false,
  logsError: null,
  logFilter: { endpoint: '', clientId: '', failedOnly: false },
};

/** Creates the server slice. */
export const createServerSlice: SliceCreator<ServerSlice> = (set, get) => {
  const patch = (next: Partial<ServerSlice['server']>) => set((s) => ({ server: { ...s.server, ...next } }));
  // Coalesces a burst of changes (Management API calls, a restart) into one reload.
  const scheduleRefresh = () => {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => get().refreshServerData(), 150);
  };
  const refreshClient = async (clientId: string) => {
    await Promise.all([get().loadClients(), get().loadCredentials(clientId)]);
  };
  return {
    server: emptyServer,

    async loadServerStatus() {
      const seq = ++statusSeq;
      try {
        const status = await call('server.status', {});
        if (seq !== statusSeq) return;
        patch({ status, statusError: null });
      } catch (e) {
        if (seq !== statusSeq) return;
        patch({ statusError: e });
      }
    },
    setServerStatus(status) {
      // A pushed or returned status is newer than any status request still in flight.
      statusSeq++;
      patch({ status, statusError: null });
    },
    onServerChanged(status) {
      const significant = changedBeyondMemory(get().server.status, status);
      get().setServerStatus(status);
      if (significant) scheduleRefresh();
    },
    async updateServerSettings(settings) {
      const status = await call('server.updateSettings', settings);
      get().setServerStatus(status);
      return status;
    },
    async restartServer() {
      const status = await call('server.restart', {});
      get().setServerStatus(status);
      return status;
    },

    async loadClients() {
      const seq = ++clientsSeq;
      try {
        const clients = await call('server.listClients', {});
        if (seq !== clientsSeq) return;
        set((s) => {
          const selectedClientId = s.server.selectedClientId && clients.some((c) => c.client_id === s.server.selectedClientId) ? s.server.selectedClientId : null;
          return { server: { ...s.server, clients, clientsLoaded: true, clientsError: null, selectedClientId } };
        });
      } catch (e) {
        if (seq !== clientsSeq) return;
        patch({ clientsLoaded: true, clientsError: e });
      }
    },
    selectClient(clientId) {
      if (get().server.selectedClientId === clientId) return;
      patch({ selectedClientId: clientId });
      if (clientId) void get().loadCredentials(clientId);
    },
    async createClient(body) {
      const client = await call('server.createClient', { body });
      await get().loadClients();
      return client;
    },
    async updateClient(clientId, body) {
      const client = await call('server.updateClient', { clientId, body });
      // Show the answer at once; the reload below confirms it.
      set((s) => ({ server: { ...s.server, clients: s.server.clients.map((c) => (c.client_id === clientId ? client : c)) } }));
      await get().loadClients();
      return client;
    },
    async deleteClient(clientId) {
      await call('server.deleteClient', { clientId, confirm: true });
      set((s) => {
        const credentials = { ...s.server.credentials };
        delete credentials[clientId];
        const clientGrants = { ...s.server.clientGrants };
        delete clientGrants[clientId];
        return {
          server: {
            ...s.server,
            credentials,
            clientGrants,
            clients: s.server.clients.filter((c) => c.client_id !== clientId),
            selectedClientId: s.server.selectedClientId === clientId ? null : s.server.selectedClientId,
          },
        };
      });
      await get().loadClients();
    },

    async loadCredentials(clientId) {
      const seq = (credentialsSeq.get(clientId) ?? 0) + 1;
      credentialsSeq.set(clientId, seq);
      try {
        const list = await call('server.listCredentials', { clientId });
        if (credentialsSeq.get(clientId) !== seq) return;
        set((s) => {
          const credentialsError = { ...s.server.credentialsError };
          delete credentialsError[clientId];
          return { server: { ...s.server, credentials: { ...s.server.credentials, [clientId]: list }, credentialsError } };
        });
      } catch (e) {
        if (credentialsSeq.get(clientId) !== seq) return;
        set((s) => ({ server: { ...s.server, credentialsError: { ...s.server.credentialsError, [clientId]: e } } }));
      }
    },
    async createCredential(input) {
      try {
        return await call('server.createCredential', input);
      } finally {
        // Even a failed attach may have created the credential: re-read both lists either way.
        await refreshClient(input.clientId);
      }
    },
    async updateCredential(clientId, credentialId, expiresAt) {
      const credential = await call('server.updateCredential', { clientId, credentialId, expires_at: expiresAt });
      await get().loadCredentials(clientId);
      return credential;
    },
    async simulateCredentialExpiry(clientId, credentialId, expiresAt) {
      const credential = await call('server.updateCredential', { clientId, credentialId, expires_at: expiresAt, simulateExpiry: true });
      await get().loadCredentials(clientId);
      return credential;
    },
    async deleteCredential(clientId, credentialId) {
      await call('server.deleteCredential', { clientId, credentialId, confirm: true });
      await refreshClient(clientId);
    },

    async loadClientGrants(clientId) {
      const seq = (grantsSeq.get(clientId) ?? 0) + 1;
      grantsSeq.set(clientId, seq);
      try {
        const { client_grants, apis } = await call('server.listClientGrants', { clientId });
        if (grantsSeq.get(clientId) !== seq) return;
        set((s) => {
          const clientGrantsError = { ...s.server.clientGrantsError };
          delete clientGrantsError[clientId];
          return { server: { ...s.server, clientGrants: { ...s.server.clientGrants, [clientId]: client_grants }, clientGrantsError, apis } };
        });
      } catch (e) {
        if (grantsSeq.get(clientId) !== seq) return;
        set((s) => ({ server: { ...s.server, clientGrantsError: { ...s.server.clientGrantsError, [clientId]: e } } }));
      }
    },
    async saveClientGrant(clientId, audience, scope) {
      try {
        // Decide on the core's current grant, not on what this window last read.
        const { client_grants } = await call('server.listClientGrants', { clientId });
        const current = client_grants.find((g) => g.audience === audience);
        if (scope === null) {
          if (current) await call('server.deleteClientGrant', { grantId: current.id, confirm: true });
          return null;
        }
        if (current && sameScopes(current.scope, scope)) return current;
        if (current) await call('server.deleteClientGrant', { grantId: current.id, confirm: true });
        try {
          return await call('server.createClientGrant', { client_id: clientId, audience, scope });
        } catch (e) {
          // Put the previous grant back, so a refused change leaves the client as it was.
          if (current) await call('server.createClientGrant', { client_id: clientId, audience, scope: current.scope }).catch(() => undefined);
          throw e;
        }
      } finally {
        await get().loadClientGrants(clientId);
      }
    },

    async loadUsers() {
      const seq = ++usersSeq;
      try {
        const users = await call('server.listUsers', {});
        if (seq !== usersSeq) return;
        patch({ users, usersLoaded: true, usersError: null });
      } catch (e) {
        if (seq !== usersSeq) return;
        patch({ usersLoaded: true, usersError: e });
      }
    },
    async createUser(input) {
      const user = await call('server.createUser', input);
      await get().loadUsers();
      return user;
    },
    async deleteUser(userId) {
      await call('server.deleteUser', { userId, confirm: true });
      await get().loadUsers();
    },

    async loadLogs() {
      const seq = ++logsSeq;
      const filter = get().server.logFilter;
      liveDuringLoad = [];
      try {
        const traces = await call('server.listLogs', {
          limit: MAX_LOGS,
          ...(filter.endpoint ? { endpoint: filter.endpoint } : {}),
          ...(filter.clientId ? { clientId: filter.clientId } : {}),
          ...(filter.failedOnly ? { failedOnly: true } : {}),
        });
        if (seq !== logsSeq) return;
        const live = liveDuringLoad;
        liveDuringLoad = null;
        patch({ logs: mergeTraces(live, traces), logsLoaded: true, logsError: null });
      } catch (e) {
        if (seq !== logsSeq) return;
        liveDuringLoad = null;
        patch({ logsLoaded: true, logsError: e });
      }
    },
    setLogFilter(next) {
      const logFilter = { ...get().server.logFilter, ...next };
      // Keep what is already shown and matches, so the table does not blink while the core answers.
      set((s) => ({ server: { ...s.server, logFilter, logs: s.server.logs.filter((t) => traceMatches(t, logFilter)) } }));
      void get().loadLogs();
    },
    onServerTrace(trace) {
      if (traceMatches(trace, get().server.logFilter)) {
        liveDuringLoad?.push(trace);
        set((s) => ({ server: { ...s.server, logs: mergeTraces([trace], s.server.logs) } }));
      }
      if (changedManagementData(trace)) scheduleRefresh();
    },
    async clearLogs() {
      const { cleared } = await call('server.clearLogs', {});
      logsSeq++;
      liveDuringLoad = null;
      patch({ logs: [], logsLoaded: true, logsError: null });
      return cleared;
    },

    refreshServerData() {
      const { clientsLoaded, usersLoaded, selectedClientId, credentials, clientGrants } = get().server;
      if (clientsLoaded) void get().loadClients();
      if (usersLoaded) void get().loadUsers();
      if (selectedClientId && selectedClientId in credentials) void get().loadCredentials(selectedClientId);
      if (selectedClientId && selectedClientId in clientGrants) void get().loadClientGrants(selectedClientId);
    },
  };
};
