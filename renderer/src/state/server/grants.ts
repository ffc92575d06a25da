/** The server slice's APIs and client grants (which APIs an application may call, with which scopes). */
import type { ServerApi, ServerClientGrant } from '../../../../shared/schemas/server';
import { call } from '../../api/client';
import type { ServerTools } from './tools';

/** Grants state, under `server`. */
export interface GrantsState {
  /** Client grants by client id, for the clients whose APIs tab was opened. */
  clientGrants: Record<string, ServerClientGrant[]>;
  clientGrantsError: Record<string, unknown>;
  /** The APIs a client grant can be for, as read with the last grants. */
  apis: ServerApi[];
}

/** Grants actions. */
export interface GrantsActions {
  loadClientGrants(clientId: string): Promise<void>;
  /**
   * Sets a client's access to an API: `scope` authorizes it with these scopes (creating its grant, or
   * replacing it when the scopes changed: the Management API has no grant update here), `null` removes
   * its grant. Returns the grant now in force.
   */
  saveClientGrant(clientId: string, audience: string, scope: string[] | null): Promise<ServerClientGrant | null>;
}

export const emptyGrants: GrantsState = { clientGrants: {}, clientGrantsError: {}, apis: [] };

/** Whether two scope lists hold the same scopes (order and repeats aside). */
export function sameScopes(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((s) => right.has(s));
}

const grantsSeq = new Map<string, number>();

/** The grants actions. */
export function grantsActions({ set, get }: ServerTools): GrantsActions {
  return {
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
  };
}
