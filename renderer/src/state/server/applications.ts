/** The server slice's applications (Auth0 clients) and their credentials. */
import type { OpInput } from '../../../../shared/ipc/contract';
import type { ServerClient, ServerCredential } from '../../../../shared/schemas/server';
import { call } from '../../api/client';
import type { ServerTools } from './tools';

/** Applications state, under `server`. */
export interface ApplicationsState {
  clients: ServerClient[];
  clientsLoaded: boolean;
  clientsError: unknown;
  selectedClientId: string | null;
  /** Credentials by client id, for the clients whose Credentials were opened. */
  credentials: Record<string, ServerCredential[]>;
  credentialsError: Record<string, unknown>;
}

/** Applications actions. */
export interface ApplicationsActions {
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
}

export const emptyApplications: ApplicationsState = {
  clients: [],
  clientsLoaded: false,
  clientsError: null,
  selectedClientId: null,
  credentials: {},
  credentialsError: {},
};

let clientsSeq = 0;
const credentialsSeq = new Map<string, number>();

/** The applications actions. */
export function applicationsActions({ set, get, patch }: ServerTools): ApplicationsActions {
  const refreshClient = async (clientId: string) => {
    await Promise.all([get().loadClients(), get().loadCredentials(clientId)]);
  };
  return {
    async loadClients() {
      const seq = ++clientsSeq;
      try {
        const clients = await call('server.listClients', {});
        if (seq !== clientsSeq) return;
        set((s) => {
          const selectedClientId =
            s.server.selectedClientId && clients.some((c) => c.client_id === s.server.selectedClientId) ? s.server.selectedClientId : null;
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
  };
}
