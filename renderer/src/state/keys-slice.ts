/**
 * The key list and the selected key's public detail. Responses can arrive out of order (an event-driven
 * reload racing a user's click), so each request carries a sequence number and stale answers are dropped.
 */
import type { OpInput } from '../../../shared/ipc/contract';
import type { ImportResult, KeyDetail, KeySummary, KeyUsage } from '../../../shared/schemas/keys';
import { call } from '../api/client';
import type { SliceCreator } from './types';

/** Keys state and actions. Mutations throw ApiError for the caller to show. */
export interface KeysSlice {
  keys: {
    items: KeySummary[];
    loaded: boolean;
    listError: unknown;
    selectedId: string | null;
    detail: KeyDetail | null;
    detailError: unknown;
  };
  loadKeys(): Promise<void>;
  selectKey(id: string | null): void;
  loadDetail(id: string): Promise<void>;
  generateKey(input: OpInput<'keys.generate'>): Promise<KeySummary>;
  importKey(input: OpInput<'keys.import'>): Promise<ImportResult>;
  renameKey(id: string, name: string): Promise<KeySummary>;
  setKeyUsages(id: string, usages: KeyUsage[]): Promise<KeySummary>;
  deleteKey(id: string): Promise<void>;
  /** Forgets every key (on lock). */
  clearKeys(): void;
}

let listSeq = 0;
let detailSeq = 0;

const emptyKeys: KeysSlice['keys'] = { items: [], loaded: false, listError: null, selectedId: null, detail: null, detailError: null };

/** Creates the keys slice. */
export const createKeysSlice: SliceCreator<KeysSlice> = (set, get) => {
  const refreshAfterChange = async (id: string | null) => {
    await get().loadKeys();
    if (id && get().keys.selectedId === id) await get().loadDetail(id);
  };
  return {
    keys: emptyKeys,
    async loadKeys() {
      const seq = ++listSeq;
      try {
        const items = await call('keys.list', {});
        if (seq !== listSeq) return;
        set((s) => {
          const selectedId = s.keys.selectedId && items.some((k) => k.id === s.keys.selectedId) ? s.keys.selectedId : null;
          return { keys: { ...s.keys, items, loaded: true, listError: null, selectedId, detail: selectedId ? s.keys.detail : null } };
        });
      } catch (e) {
        if (seq !== listSeq) return;
        set((s) => ({ keys: { ...s.keys, loaded: true, listError: e } }));
      }
    },
    selectKey(id) {
      if (get().keys.selectedId === id) return;
      set((s) => ({ keys: { ...s.keys, selectedId: id, detail: null, detailError: null } }));
      if (id) void get().loadDetail(id);
    },
    async loadDetail(id) {
      const seq = ++detailSeq;
      try {
        const detail = await call('keys.get', { id });
        if (seq !== detailSeq || get().keys.selectedId !== id) return;
        set((s) => ({ keys: { ...s.keys, detail, detailError: null } }));
      } catch (e) {
        if (seq !== detailSeq || get().keys.selectedId !== id) return;
        set((s) => ({ keys: { ...s.keys, detail: null, detailError: e } }));
      }
    },
    async generateKey(input) {
      const key = await call('keys.generate', input);
      await refreshAfterChange(null);
      return key;
    },
    async importKey(input) {
      const result = await call('keys.import', input);
      await refreshAfterChange(result.key.id);
      return result;
    },
    async renameKey(id, name) {
      const key = await call('keys.rename', { id, name });
      await refreshAfterChange(id);
      return key;
    },
    async setKeyUsages(id, usages) {
      const key = await call('keys.setUsages', { id, usages });
      await refreshAfterChange(id);
      return key;
    },
    async deleteKey(id) {
      await call('keys.delete', { id, confirm: true });
      if (get().keys.selectedId === id) get().selectKey(null);
      await refreshAfterChange(null);
    },
    clearKeys() {
      listSeq++;
      detailSeq++;
      set({ keys: emptyKeys });
    },
  };
};
