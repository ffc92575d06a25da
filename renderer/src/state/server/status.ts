/** The server slice's status and settings: the running server as `server.status` describes it. */
import type { ServerSettings, ServerStatus } from '../../../../shared/schemas/server';
import { call } from '../../api/client';
import type { ServerTools } from './tools';

/** Status state, under `server`. */
export interface ServerStatusState {
  status: ServerStatus | null;
  statusError: unknown;
}

/** Status actions. */
export interface ServerStatusActions {
  loadServerStatus(): Promise<void>;
  /** Applies a status pushed by `server.changed` or returned by an operation. */
  setServerStatus(status: ServerStatus): void;
  /** A `server.changed` event: applies the status, and re-reads the lists unless only the memory counters moved. */
  onServerChanged(status: ServerStatus): void;
  updateServerSettings(patch: Partial<ServerSettings>): Promise<ServerStatus>;
  restartServer(): Promise<ServerStatus>;
}

export const emptyServerStatus: ServerStatusState = { status: null, statusError: null };

/** Whether two statuses differ in more than their memory counters (which change with every request). */
function changedBeyondMemory(a: ServerStatus | null, b: ServerStatus): boolean {
  if (!a) return true;
  const { memory: _a, ...restA } = a;
  const { memory: _b, ...restB } = b;
  return JSON.stringify(restA) !== JSON.stringify(restB);
}

let statusSeq = 0;

/** The status actions. */
export function serverStatusActions({ get, patch, scheduleRefresh }: ServerTools): ServerStatusActions {
  return {
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
  };
}
