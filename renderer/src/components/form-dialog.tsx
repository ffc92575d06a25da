/** A dialog around one small form: Cancel and a submit button below it, its operation's error at its end. */
import type { ReactNode } from 'react';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from './button';
import type { DialogProps } from './dialog';
import { Dialog } from './dialog';
import { ErrorBanner } from './error-text';

/** Props of a FormDialog. `busy` and `error` usually come from {@link useSubmit}. */
export interface FormDialogProps {
  title: ReactNode;
  description?: ReactNode;
  submitLabel: ReactNode;
  /** Called on submit (the browser's own submission is prevented). */
  onSubmit: () => unknown;
  onClose: () => void;
  busy: boolean;
  error: unknown;
  /** Title of the error banner; without it the error's own message is the title. */
  errorTitle?: string;
  size?: DialogProps['size'];
  /** The form's fields. */
  children: ReactNode;
}

/** The form dialog. The first field has the initial focus (see Dialog). */
export function FormDialog({ title, description, submitLabel, onSubmit, onClose, busy, error, errorTitle, size, children }: FormDialogProps) {
  const { t } = useTranslation();
  const formId = useId();
  return (
    <Dialog
      title={title}
      description={description}
      onClose={onClose}
      size={size}
      dismissible={!busy}
      footer={
        <>
          <Button onClick={onClose} disabled={busy}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" form={formId} variant="primary" busy={busy}>
            {submitLabel}
          </Button>
        </>
      }
    >
      <form
        id={formId}
        className="stack"
        onSubmit={(event) => {
          event.preventDefault();
          void onSubmit();
        }}
        noValidate
      >
        {children}
        <ErrorBanner error={error} title={errorTitle} />
      </form>
    </Dialog>
  );
}
