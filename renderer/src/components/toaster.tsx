/** Toasts in a corner: a live region, each toast dismissible and dismissed by itself after a while. */
import { useEffect } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import type { Toast } from '../state/notices-slice';
import { useAppStore } from '../state/store';
import { Button } from './button';
import { cx } from './class-names';

/** Renders every toast of the store. Mount once. */
export function Toaster() {
  const toasts = useAppStore((s) => s.notices.toasts);
  return createPortal(
    <div className="toaster" aria-live="polite" aria-relevant="additions">
      {toasts.map((toast) => (
        <ToastItem key={toast.id} toast={toast} />
      ))}
    </div>,
    document.body,
  );
}

function ToastItem({ toast }: { toast: Toast }) {
  const { t } = useTranslation();
  const dismiss = useAppStore((s) => s.dismissToast);
  useEffect(() => {
    const timer = window.setTimeout(() => dismiss(toast.id), toast.kind === 'error' ? 10_000 : 5_000);
    return () => window.clearTimeout(timer);
  }, [dismiss, toast.id, toast.kind]);
  return (
    <div className={cx('toast', `toast-${toast.kind}`)} role={toast.kind === 'error' ? 'alert' : undefined}>
      <div className="toast-body">
        <p className="toast-message">{toast.message}</p>
        {toast.detail && <p className="toast-detail">{toast.detail}</p>}
      </div>
      <Button variant="ghost" size="sm" aria-label={t('common.dismiss')} onClick={() => dismiss(toast.id)}>
        <svg className="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
          <path d="M4 4l8 8M12 4l-8 8" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
        </svg>
      </Button>
    </div>
  );
}
