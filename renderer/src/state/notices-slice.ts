/** Transient toasts, and which store notices (files moved aside) the user has dismissed. */
import type { SliceCreator } from './types';
import type { StoreNotice } from '../../../shared/schemas/app';

/** A short message shown in a corner and dismissed after a while. Text is already translated. */
export interface Toast {
  id: number;
  kind: 'success' | 'info' | 'error';
  message: string;
  detail?: string | null;
}

/** Notices state and actions. */
export interface NoticesSlice {
  notices: {
    toasts: Toast[];
    dismissedStoreNotices: string[];
  };
  pushToast(toast: Omit<Toast, 'id'>): number;
  dismissToast(id: number): void;
  clearToasts(): void;
  dismissStoreNotice(notice: StoreNotice): void;
}

/** Identifies a store notice across status refreshes. */
export function storeNoticeKey(notice: StoreNotice): string {
  return `${notice.file}\u0000${notice.movedTo}\u0000${notice.at}`;
}

const MAX_TOASTS = 3;
let nextToastId = 1;

/** Creates the notices slice. */
export const createNoticesSlice: SliceCreator<NoticesSlice> = (set) => ({
  notices: { toasts: [], dismissedStoreNotices: [] },
  pushToast(toast) {
    const id = nextToastId++;
    // The same message again (a key generated twice, a target saved twice) replaces the older toast instead
    // of stacking a copy of it; at most MAX_TOASTS stay on screen.
    const same = (x: Toast) => x.kind === toast.kind && x.message === toast.message && x.detail === toast.detail;
    set((s) => ({ notices: { ...s.notices, toasts: [...s.notices.toasts.filter((x) => !same(x)), { ...toast, id }].slice(-MAX_TOASTS) } }));
    return id;
  },
  dismissToast(id) {
    set((s) => ({ notices: { ...s.notices, toasts: s.notices.toasts.filter((t) => t.id !== id) } }));
  },
  clearToasts() {
    set((s) => ({ notices: { ...s.notices, toasts: [] } }));
  },
  dismissStoreNotice(notice) {
    const key = storeNoticeKey(notice);
    set((s) =>
      s.notices.dismissedStoreNotices.includes(key) ? s : { notices: { ...s.notices, dismissedStoreNotices: [...s.notices.dismissedStoreNotices, key] } },
    );
  },
});
