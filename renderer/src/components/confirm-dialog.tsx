/** A confirmation before an operation that cannot be undone (a deletion, mostly). */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from './button';
import { Dialog } from './dialog';
import { ErrorBanner } from './error-text';
import { useSubmit } from './use-submit';

/** Props of a ConfirmDialog. */
export interface ConfirmDialogProps {
  title: ReactNode;
  /** The question, first in the body. */
  body: ReactNode;
  /** What is affected (facts, warnings), shown below the body. */
  children?: ReactNode;
  /** A muted note below the children. */
  advice?: ReactNode;
  confirmLabel: ReactNode;
  /** Style of the confirm button: danger (the default) or primary. */
  danger?: boolean;
  /** Performs the operation; the dialog closes when it resolves and shows the error when it rejects. */
  onConfirm: () => Promise<void>;
  onClose: () => void;
}

/** The confirmation dialog. Cancel has the initial focus, so Enter never confirms by accident. */
export function ConfirmDialog({ title, body, children, advice, confirmLabel, danger = true, onConfirm, onClose }: ConfirmDialogProps) {
  const { t } = useTranslation();
  const { busy, error, run } = useSubmit();

  const confirm = () =>
    run(async () => {
      await onConfirm();
      onClose();
    });

  return (
    <Dialog
      title={title}
      onClose={onClose}
      dismissible={!busy}
      footer={
        <>
          <Button onClick={onClose} disabled={busy} data-autofocus>
            {t('common.cancel')}
          </Button>
          <Button variant={danger ? 'danger' : 'primary'} busy={busy} onClick={() => void confirm()}>
            {confirmLabel}
          </Button>
        </>
      }
    >
      <div className="stack">
        <p>{body}</p>
        {children}
        {advice && <p className="muted">{advice}</p>}
        <ErrorBanner error={error} />
      </div>
    </Dialog>
  );
}
