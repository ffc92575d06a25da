/** The chrome of a list loaded from the core: its toolbar, and what shows until there are rows. */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from './button';
import { ErrorBanner } from './error-text';
import { Spinner } from './spinner';

/** An intro line and the list's primary "add" button. */
export function ListToolbar({ intro, addLabel, onAdd }: { intro: ReactNode; addLabel: ReactNode; onAdd: () => void }) {
  return (
    <div className="tab-toolbar">
      <p className="muted">{intro}</p>
      <Button variant="primary" onClick={onAdd}>
        <PlusIcon />
        {addLabel}
      </Button>
    </div>
  );
}

/** Props of a ListState. */
export interface ListStateProps {
  /** The load's error; shown with a Retry button. */
  error: unknown;
  errorTitle: string;
  onRetry: () => void;
  loaded: boolean;
  /** Whether the loaded list has no rows; `emptyText` is shown then. */
  empty: boolean;
  emptyText: ReactNode;
  /** The rows, shown once loaded and not empty. */
  children: ReactNode;
}

/** The load error (with Retry), else a loading status, else the empty text, else the list. */
export function ListState({ error, errorTitle, onRetry, loaded, empty, emptyText, children }: ListStateProps) {
  const { t } = useTranslation();
  if (error) {
    return (
      <div className="stack">
        <ErrorBanner error={error} title={errorTitle} />
        <div>
          <Button size="sm" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        </div>
      </div>
    );
  }
  if (!loaded) {
    return (
      <p className="muted" role="status">
        <Spinner /> {t('common.loading')}
      </p>
    );
  }
  if (empty) return <p className="muted table-empty">{emptyText}</p>;
  return children;
}

/** The plus icon of "Create" and "Add" buttons. */
export function PlusIcon() {
  return (
    <svg className="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path d="M8 3v10M3 8h10" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
    </svg>
  );
}
