/** The Keys screen: the list on the left, the selected key's detail on the right, and the key dialogs. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/button';
import { ErrorBanner } from '../../components/error-text';
import { ScreenHeader } from '../../components/screen-header';
import { Spinner } from '../../components/spinner';
import { useAppStore } from '../../state/store';
import { DeleteKeyDialog } from './delete-key-dialog';
import { ExportKeyDialog } from './export-key-dialog';
import { GenerateKeyDialog } from './generate-key-dialog';
import { ImportKeyDialog } from './import-key-dialog';
import { KeyDetailView } from './key-detail';
import { KeyList } from './key-list';
import { RenameKeyDialog } from './rename-key-dialog';
import { useGenerationRows } from './use-generation-rows';

type OpenDialog = { kind: 'generate' } | { kind: 'import' } | { kind: 'export' | 'rename' | 'delete'; id: string } | null;

/** The Keys screen. */
export function KeysScreen() {
  const { t } = useTranslation();
  const [dialog, setDialog] = useState<OpenDialog>(null);
  const items = useAppStore((s) => s.keys.items);
  const loaded = useAppStore((s) => s.keys.loaded);
  const listError = useAppStore((s) => s.keys.listError);
  const selectedId = useAppStore((s) => s.keys.selectedId);
  const loadKeys = useAppStore((s) => s.loadKeys);
  const generating = useGenerationRows();

  const selected = items.find((k) => k.id === selectedId) ?? null;
  const dialogKey = dialog && 'id' in dialog ? (items.find((k) => k.id === dialog.id) ?? null) : null;
  const close = () => setDialog(null);
  const empty = loaded && !listError && items.length === 0 && generating.length === 0;

  return (
    <div className="screen keys-screen">
      <ScreenHeader title={t('keys.title')} subtitle={t('keys.subtitle')}>
        <div className="row">
          <Button onClick={() => setDialog({ kind: 'import' })}>
            <ImportIcon />
            {t('keys.import.open')}
          </Button>
          <Button variant="primary" onClick={() => setDialog({ kind: 'generate' })}>
            <PlusIcon />
            {t('keys.generate.open')}
          </Button>
        </div>
      </ScreenHeader>

      {listError ? (
        <div className="stack">
          <ErrorBanner error={listError} title={t('keys.list.loadFailed')} />
          <div>
            <Button onClick={() => void loadKeys()}>{t('common.retry')}</Button>
          </div>
        </div>
      ) : !loaded ? (
        <p className="muted" role="status">
          <Spinner /> {t('common.loading')}
        </p>
      ) : empty ? (
        <div className="empty-state">
          <svg className="empty-icon" viewBox="0 0 48 48" aria-hidden="true" focusable="false">
            <circle cx="16" cy="24" r="8" fill="none" stroke="currentColor" strokeWidth="2.5" />
            <path d="M24 24h18M36 24v6M42 24v5" fill="none" stroke="currentColor" strokeWidth="2.5" strokeLinecap="round" />
          </svg>
          <h2 className="empty-title">{t('keys.empty.title')}</h2>
          <p className="muted">{t('keys.empty.body')}</p>
          <p className="muted">{t('keys.empty.hint')}</p>
        </div>
      ) : (
        <div className="keys-layout">
          <div className="keys-list-pane">
            <KeyList />
          </div>
          <div className="keys-detail-pane">
            {selected ? (
              <KeyDetailView
                key={selected.id}
                summary={selected}
                onRename={() => setDialog({ kind: 'rename', id: selected.id })}
                onExport={() => setDialog({ kind: 'export', id: selected.id })}
                onDelete={() => setDialog({ kind: 'delete', id: selected.id })}
              />
            ) : (
              <div className="detail-placeholder muted">{t('keys.detail.placeholder')}</div>
            )}
          </div>
        </div>
      )}

      {dialog?.kind === 'generate' && <GenerateKeyDialog onClose={close} />}
      {dialog?.kind === 'import' && <ImportKeyDialog onClose={close} />}
      {dialog?.kind === 'rename' && dialogKey && <RenameKeyDialog keySummary={dialogKey} onClose={close} />}
      {dialog?.kind === 'export' && dialogKey && <ExportKeyDialog keySummary={dialogKey} onClose={close} />}
      {dialog?.kind === 'delete' && dialogKey && <DeleteKeyDialog keySummary={dialogKey} onClose={close} />}
    </div>
  );
}

function PlusIcon() {
  return (
    <svg className="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path d="M8 3v10M3 8h10" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
    </svg>
  );
}

function ImportIcon() {
  return (
    <svg className="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path d="M8 2v8M4.5 6.5L8 10l3.5-3.5M2.5 11v2.5h11V11" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
