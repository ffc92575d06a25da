/** The server slice's users (the sign-in accounts of the embedded server). */
import type { OpInput } from '../../../../shared/ipc/contract';
import type { ServerUser } from '../../../../shared/schemas/server';
import { call } from '../../api/client';
import type { ServerTools } from './tools';

/** Users state, under `server`. */
export interface UsersState {
  users: ServerUser[];
  usersLoaded: boolean;
  usersError: unknown;
}

/** Users actions. */
export interface UsersActions {
  loadUsers(): Promise<void>;
  createUser(input: OpInput<'server.createUser'>): Promise<ServerUser>;
  deleteUser(userId: string): Promise<void>;
}

export const emptyUsers: UsersState = { users: [], usersLoaded: false, usersError: null };

let usersSeq = 0;

/** The users actions. */
export function usersActions({ get, patch }: ServerTools): UsersActions {
  return {
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
  };
}
