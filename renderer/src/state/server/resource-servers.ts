/** The server slice's resource servers (Auth0's "APIs") and their sender-constraining policy (DPC-2..8). */
import type { ServerResourceServer } from '../../../../shared/schemas/server';
import { call } from '../../api/client';
import type { ServerTools } from './tools';

/** Resource-server state, under `server`. */
export interface ResourceServersState {
  resourceServers: ServerResourceServer[];
  resourceServersLoaded: boolean;
  resourceServersError: unknown;
}

/** Resource-server actions. Bodies are Management API JSON (the core validates them as PATCH/POST does). */
export interface ResourceServersActions {
  loadResourceServers(): Promise<void>;
  createResourceServer(body: Record<string, unknown>): Promise<ServerResourceServer>;
  updateResourceServer(id: string, body: Record<string, unknown>): Promise<ServerResourceServer>;
}

export const emptyResourceServers: ResourceServersState = { resourceServers: [], resourceServersLoaded: false, resourceServersError: null };

let resourceServersSeq = 0;

/** The resource-server actions. */
export function resourceServersActions({ get, patch }: ServerTools): ResourceServersActions {
  return {
    async loadResourceServers() {
      const seq = ++resourceServersSeq;
      try {
        const resourceServers = await call('server.listResourceServers', {});
        if (seq !== resourceServersSeq) return;
        patch({ resourceServers, resourceServersLoaded: true, resourceServersError: null });
      } catch (e) {
        if (seq !== resourceServersSeq) return;
        patch({ resourceServersLoaded: true, resourceServersError: e });
      }
    },
    async createResourceServer(body) {
      const created = await call('server.createResourceServer', { body });
      await get().loadResourceServers();
      return created;
    },
    async updateResourceServer(id, body) {
      const saved = await call('server.updateResourceServer', { id, body });
      await get().loadResourceServers();
      return saved;
    },
  };
}
