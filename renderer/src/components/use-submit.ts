import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../i18n/errors';
import { useAppStore } from '../state/store';

/** The state of a form's one operation, as given by {@link useSubmit}. */
export interface Submit {
  busy: boolean;
  error: unknown;
  /** Marks the operation busy, clears the last error and awaits `task`; a failure is kept in `error` and ends the busy state. */
  run: (task: () => Promise<unknown>) => Promise<void>;
  /** Clears the last error (before checking the form's own fields, say). */
  clearError: () => void;
}

/** How a form's operation ends. */
export interface SubmitOptions {
  /**
   * The form stays on screen after a success (an inline form, or a dialog that then shows a result), so
   * the busy state ends either way. Without it the task closes the dialog, and the busy state stays on
   * after a success so its buttons never flicker back to enabled.
   */
  staysOpen?: boolean;
  /**
   * Takes a failure instead of `error` (a toast, for a control with no room for an error text); `error`
   * then stays null.
   */
  onError?: (error: unknown) => void;
}

/** Busy and error state for a form's operation (a dialog's, or an inline form's with `staysOpen`). */
export function useSubmit({ staysOpen = false, onError }: SubmitOptions = {}): Submit {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(
    async (task: () => Promise<unknown>) => {
      setBusy(true);
      setError(null);
      try {
        await task();
        if (staysOpen) setBusy(false);
      } catch (e) {
        if (onError) onError(e);
        else setError(e);
        setBusy(false);
      }
    },
    [staysOpen, onError],
  );
  const clearError = useCallback(() => setError(null), []);
  return { busy, error, run, clearError };
}

/** An `onError` for {@link useSubmit}: the failure as an error toast titled `title`, with the error's own words as its detail. */
export function useFailureToast(title: string): (error: unknown) => void {
  const { t } = useTranslation();
  const pushToast = useAppStore((s) => s.pushToast);
  return (error) => {
    const { message, detail } = describeError(t, error);
    pushToast({ kind: 'error', message: title, detail: detail ?? message });
  };
}
