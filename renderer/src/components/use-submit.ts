import { useState } from 'react';

/** The state of a dialog's one operation, as given by {@link useSubmit}. */
export interface Submit {
  busy: boolean;
  error: unknown;
  /** Marks the operation busy, clears the last error and awaits `task`; a failure is kept in `error` and ends the busy state. */
  run: (task: () => Promise<void>) => Promise<void>;
  /** Clears the last error (before checking the form's own fields, say). */
  clearError: () => void;
}

/**
 * Busy and error state for a dialog's operation. On success the busy state stays on: the task closes
 * the dialog, so its buttons never flicker back to enabled.
 */
export function useSubmit(): Submit {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (task: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await task();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return { busy, error, run, clearError: () => setError(null) };
}
