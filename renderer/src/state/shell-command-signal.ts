/**
 * The core's `shell.commands` event as a signal: core-events.ts raises it, and the app's ShellCommands
 * (app/shell-commands.tsx) listens and takes the waiting commands. It lives here so that the store's event
 * feed does not import the app above it.
 */
const listeners = new Set<() => void>();

/** The `shell.commands` event: commands are waiting. */
export function notifyShellCommands(): void {
  for (const listener of listeners) listener();
}

/** Calls `listener` whenever commands are waiting; returns the function that stops it. */
export function onShellCommands(listener: () => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}
