/**
 * What the renderer and the core share about the app itself: the host, the stores' notices and the vault's
 * lock state (the replies of `app.info` and `vault.*`).
 */

/** What the host is and where its data lives. */
export interface AppInfo {
  name: 'Parley';
  version: string;
  mode: 'electron' | 'web';
  dataDir: string;
  platform: string;
}

/** A store file that could not be read and was moved aside instead of overwritten. */
export interface StoreNotice {
  file: string;
  movedTo: string;
  reason: string;
  at: string;
}

/** The vault's lock state. */
export interface VaultStatus {
  state: 'uninitialized' | 'locked' | 'unlocked';
  /** How the data key is protected: an OS keychain via Electron safeStorage, or a passphrase (scrypt). */
  protector: 'safeStorage' | 'passphrase';
  notices: StoreNotice[];
}
