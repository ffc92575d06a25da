/** Feeds core events into the store. The core is the source of truth; events say what to re-read. */
import type { ParleyEvent } from '../../../shared/ipc/contract';
import { subscribe } from '../api/client';
import { onRunForTab } from './authorize-tab';
import { notifyShellCommands } from './shell-command-signal';
import { useAppStore } from './store';

/** Applies one core event to the store. */
export function applyEvent(event: ParleyEvent): void {
  const store = useAppStore.getState();
  switch (event.name) {
    case 'vault.changed':
      store.setVaultStatus(event.payload);
      break;
    case 'keys.changed': {
      if (store.vault.status?.state !== 'unlocked') break;
      const { id, reason } = event.payload;
      if (reason === 'deleted' && id && store.keys.selectedId === id) store.selectKey(null);
      void store.loadKeys();
      const selected = useAppStore.getState().keys.selectedId;
      if (selected && (!id || id === selected)) void store.loadDetail(selected);
      break;
    }
    case 'jobs.progress':
      store.onJobProgress(event.payload);
      break;
    case 'server.changed':
      store.onServerChanged(event.payload);
      break;
    case 'server.trace':
      store.onServerTrace(event.payload);
      break;
    case 'flows.updated':
      store.onFlowUpdated(event.payload);
      onRunForTab(event.payload);
      break;
    case 'settings.changed':
      store.onSettingsChanged(event.payload);
      break;
    case 'shell.commands':
      notifyShellCommands();
      break;
  }
}

/** Subscribes the store to core events; returns the unsubscribe function. */
export function connectEvents(): () => void {
  return subscribe(applyEvent);
}
