/** The vault's lock state as the core reports it. Passphrases pass through and are never kept. */
import { call } from '../api/client';
import type { SliceCreator } from './types';
import type { VaultStatus } from '../../../shared/schemas/app';

/** Vault state and actions. Actions throw ApiError so forms can show the exact failure. */
export interface VaultSlice {
  vault: {
    status: VaultStatus | null;
    /** Why the first status request failed (the host is unreachable, for instance). */
    loadError: unknown;
  };
  refreshVault(): Promise<void>;
  setupVault(passphrase?: string): Promise<void>;
  /** Unlocks with a passphrase, or with the OS keychain when none is given. */
  unlockVault(passphrase?: string): Promise<void>;
  lockVault(): Promise<void>;
  /** Applies a status pushed by a `vault.changed` event or returned by an operation. */
  setVaultStatus(status: VaultStatus): void;
}

/** Creates the vault slice. */
export const createVaultSlice: SliceCreator<VaultSlice> = (set, get) => ({
  vault: { status: null, loadError: null },
  async refreshVault() {
    try {
      const status = await call('vault.status', {});
      get().setVaultStatus(status);
    } catch (e) {
      set((s) => ({ vault: { ...s.vault, loadError: e } }));
    }
  },
  async setupVault(passphrase) {
    const status = await call('vault.setup', passphrase === undefined ? {} : { passphrase });
    get().setVaultStatus(status);
  },
  async unlockVault(passphrase) {
    const status = await call('vault.unlock', passphrase === undefined ? {} : { passphrase });
    get().setVaultStatus(status);
  },
  async lockVault() {
    const status = await call('vault.lock', {});
    get().setVaultStatus(status);
  },
  setVaultStatus(status) {
    const wasUnlocked = get().vault.status?.state === 'unlocked';
    set({ vault: { status, loadError: null } });
    // Key material summaries are only shown while unlocked: drop them on lock, fetch them on unlock.
    if (status.state !== 'unlocked') {
      get().clearKeys();
      // Messages about keys do not belong on the lock screen.
      if (wasUnlocked) get().clearToasts();
    } else if (!wasUnlocked) void get().loadKeys();
  },
});
