/**
 * The security audit the user can read: one JSON line per private-key export, done or refused, appended to
 * `security.log` in the data directory (readable by the user only) and echoed to the host's log. A line
 * names the time, the host, the outcome and the key (id, name, thumbprint); never key material or a passphrase.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExportAuditEntry } from './vault';

/** The audit file's name in the data directory. */
export const SECURITY_LOG_FILE = 'security.log';

/** An audit sink for the vault: appends to `<dataDir>/security.log` and reports to `log` (console.warn by default). */
export function securityLog(dataDir: string, host: string, log: (message: string) => void = (m) => console.warn(m)): (entry: ExportAuditEntry) => void {
  const file = join(dataDir, SECURITY_LOG_FILE);
  return (entry) => {
    const line = JSON.stringify({ ...entry, host });
    log(`[parley] audit: ${line}`);
    try {
      appendFileSync(file, `${line}\n`, { mode: 0o600 });
    } catch (e) {
      // The export itself is not undone; the host's log above still has the line.
      log(`[parley] could not append to ${file}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
}
