/** The contract's `settings.*` operations over the settings document. */
import type { DomainHandlers } from './dispatch';
import type { OperationDeps } from './deps';

/** Builds the `settings.*` handlers; an update re-arms the idle lock and is announced to every window and the shell. */
export function settingsOperations({ settings, idleLock, events }: Pick<OperationDeps, 'settings' | 'idleLock' | 'events'>): DomainHandlers<'settings'> {
  return {
    'settings.get': () => settings.get(),
    'settings.update': (input) => {
      const updated = settings.update(input);
      if (input.idleLockMinutes !== undefined) idleLock.configure(updated.idleLockMinutes);
      // The other side hears it: the shell (window background, menu) and every window or tab.
      events.emit('settings.changed', updated);
      return updated;
    },
  };
}
