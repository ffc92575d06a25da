/**
 * The document store in Electron: electron-store (ESM-only, hence the ESM main bundle) behind the same
 * conf-like adapter web and headless modes use with `conf`.
 */
import ElectronStore from 'electron-store';
import { confLikeFactory } from '../core/store/document-store';
import type { ConfLike, DocumentStoreFactory } from '../core/store/document-store';

/** One electron-store file per document in `dataDir`; never cleared when invalid, readable by the user only. */
export function electronStoreFactory(dataDir: string): DocumentStoreFactory {
  return confLikeFactory(
    dataDir,
    (name, cwd) =>
      new ElectronStore<Record<string, unknown>>({
        name,
        cwd,
        // A store that fails to parse must be kept aside and reported by the core, not silently reset.
        clearInvalidConfig: false,
        configFileMode: 0o600,
        accessPropertiesByDotNotation: false,
      }) as unknown as ConfLike,
  );
}
