/**
 * The OS-level confirmation of a private-key export, for a vault protected by the OS keychain (which has
 * no passphrase to ask for). The main process owns it: a native message box the renderer cannot answer,
 * followed on macOS by Touch ID where the machine offers it. The core receives it as a host capability
 * (CoreOptions.confirmPrivateExport) and never imports electron.
 */
import { dialog, systemPreferences } from 'electron';
import type { BrowserWindow, MessageBoxOptions } from 'electron';
import type { ExportSubject } from '../core/vault';

/** The buttons, in order; Cancel is the default and what Escape answers. */
const CANCEL = 0;
const EXPORT = 1;

/** The message box's options for `key`. */
export function exportConfirmationOptions(key: ExportSubject): MessageBoxOptions {
  return {
    type: 'warning',
    title: 'Export private key',
    message: `Export the private key "${key.name}"?`,
    detail: `Thumbprint: ${key.thumbprint}\n\nAnyone with the exported file and its passphrase can sign as your client. Export only if you asked for it just now.`,
    buttons: ['Cancel', 'Export private key'],
    defaultId: CANCEL,
    cancelId: CANCEL,
    noLink: true,
  };
}

/**
 * Asks the user, natively, to confirm exporting `key`: true only when they chose Export and, on macOS with
 * Touch ID, passed it. `parent` makes the box modal to the app window.
 */
export async function confirmPrivateExport(
  key: ExportSubject,
  parent: BrowserWindow | undefined,
  platform: NodeJS.Platform = process.platform,
): Promise<boolean> {
  const options = exportConfirmationOptions(key);
  const { response } = parent === undefined || parent.isDestroyed() ? await dialog.showMessageBox(options) : await dialog.showMessageBox(parent, options);
  if (response !== EXPORT) return false;
  if (platform === 'darwin' && systemPreferences.canPromptTouchID()) {
    try {
      await systemPreferences.promptTouchID(`export the private key "${key.name}"`);
    } catch {
      return false; // cancelled or failed
    }
  }
  return true;
}
