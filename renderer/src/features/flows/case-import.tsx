/**
 * "Import case" on the Flows screen: reads a case file and shows what importing it would do BEFORE
 * anything is applied (`cases.preview`): the client and its callbacks, its public keys, its API grants
 * (a Management API grant is never imported, and the preview says so), and the recorded time the replay
 * runs at (the server's own clock is not changed). Apply recreates the client on the embedded server and
 * replays the failing request; the case view then shows what was recorded next to what the server says now.
 */
import type { ChangeEvent, ReactNode } from 'react';
import { useCallback, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatList } from '../../i18n/list';
import type { CaseImportPreview, CaseImportResult } from '../../../../shared/schemas/case';
import { call } from '../../api/client';
import { Badge } from '../../components/badge';
import { Banner } from '../../components/banner';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { ErrorBanner } from '../../components/error-text';
import { useSubmit } from '../../components/use-submit';
import { formatDateTime } from '../../i18n/format';
import { appTypeLabel, authMethodLabel } from '../server/server-labels';
import { CaseReplayFacts, CaseView } from './case-view';
import { kindLabel } from './flow-labels';

/** At most this much is read from a case file (the core refuses more). */
const MAX_CASE_BYTES = 1_500_000;

const AUTH_METHODS = ['client_secret_post', 'client_secret_basic', 'private_key_jwt', 'none'] as const;

/** What importing the case would do, with Apply (or Replace and import, when the client exists). */
function CasePreviewDialog({ preview, onApply, onClose }: { preview: CaseImportPreview; onApply: () => Promise<void>; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { busy: applying, error, run } = useSubmit();
  const { client } = preview;
  const method = AUTH_METHODS.find((m) => m === client.token_endpoint_auth_method);
  const skipped = preview.grants.filter((g) => !g.imported);

  return (
    <Dialog
      size="lg"
      title={t('flows.case.preview.title', { kind: kindLabel(t, preview.kind), target: preview.targetName })}
      description={t('flows.case.exportedBy', { version: preview.parleyVersion, date: formatDateTime(preview.exportedAt, i18n.language) })}
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button variant="primary" busy={applying} onClick={() => void run(onApply)} data-autofocus>
            {preview.clientExists ? t('flows.case.replaceConfirm') : t('flows.case.preview.apply')}
          </Button>
        </>
      }
    >
      <div className="stack case-view">
        <p>{t('flows.case.preview.intro')}</p>
        {error !== null && <ErrorBanner error={error} />}
        {preview.clientExists && (
          <Banner tone="warning" role="status" title={t('flows.case.replaceTitle')}>
            <p>{t('flows.case.replaceBody', { clientId: preview.clientId })}</p>
          </Banner>
        )}
        {skipped.length > 0 && (
          <Banner tone="warning" role="status" title={t('flows.case.preview.managementTitle')}>
            <p>{t('flows.case.preview.managementBody')}</p>
          </Banner>
        )}
        <dl className="facts facts-compact">
          <dt>{t('flows.case.issuer')}</dt>
          <dd className="mono break">{preview.issuer}</dd>
          <dt>{t('flows.case.client')}</dt>
          <dd>
            <span className="mono break">{preview.clientId}</span> <strong>{client.name}</strong>{' '}
            <span className="muted">{appTypeLabel(t, client.app_type)}</span>
            {method && <Badge tone="accent">{authMethodLabel(t, method)}</Badge>}
          </dd>
          <dt>{t('flows.case.preview.grantTypes')}</dt>
          <dd className="mono break">{formatList(client.grant_types, i18n.language)}</dd>
          <dt>{t('flows.case.preview.callbacks')}</dt>
          <dd>
            {client.callbacks.length === 0 ? (
              <span className="muted">{t('flows.case.preview.none')}</span>
            ) : (
              <ul className="case-keys">
                {client.callbacks.map((c) => (
                  <li key={c} className="mono break">
                    {c}
                  </li>
                ))}
              </ul>
            )}
          </dd>
          <CaseReplayFacts facts={preview} />
        </dl>
      </div>
    </Dialog>
  );
}

/**
 * The import itself (read, preview, Apply, then the case view), with its dialogs: the Import case button
 * uses it, and so does the desktop app for its File menu, `parley://case` links and double-clicked
 * `.parleycase` files (app/shell-commands.tsx), so every way in shows the same preview first.
 */
export function useCaseImport(): { busy: boolean; openFile: (file: File) => Promise<void>; openJson: (json: string) => Promise<void>; dialogs: ReactNode } {
  const { t } = useTranslation();
  const [preview, setPreview] = useState<{ json: string; value: CaseImportPreview } | null>(null);
  const [result, setResult] = useState<CaseImportResult | null>(null);
  const { busy, error, run, clearError } = useSubmit({ staysOpen: true });

  const open = useCallback(
    (read: () => Promise<string>) =>
      run(async () => {
        const json = await read();
        // Nothing is applied yet: the core says what the import would create.
        setPreview({ json, value: await call('cases.preview', { json }) });
      }),
    [run],
  );

  const openJson = useCallback((json: string) => open(async () => json), [open]);
  const openFile = useCallback(
    (file: File) =>
      open(async () => {
        if (file.size > MAX_CASE_BYTES) throw new Error(t('flows.case.tooLarge'));
        return file.text();
      }),
    [open, t],
  );

  const apply = async () => {
    if (!preview) return;
    const imported = await call('cases.import', { json: preview.json, ...(preview.value.clientExists ? { replaceClient: true } : {}) });
    setPreview(null);
    setResult(imported);
  };

  const dialogs = (
    <>
      {preview && <CasePreviewDialog preview={preview.value} onApply={apply} onClose={() => setPreview(null)} />}
      {error !== null && (
        <Dialog title={t('flows.case.importFailed')} onClose={clearError} footer={<Button onClick={clearError}>{t('common.close')}</Button>}>
          <ErrorBanner error={error} />
        </Dialog>
      )}
      {result && <CaseView result={result} onClose={() => setResult(null)} />}
    </>
  );
  return { busy, openFile, openJson, dialogs };
}

/** The Import case button, with its dialogs. */
export function ImportCaseButton() {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const { busy, openFile, dialogs } = useCaseImport();

  const onFile = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (file) void openFile(file);
  };

  return (
    <>
      {/* Hidden: the button opens its file chooser (the button is what users and assistive technology reach). */}
      <input ref={input} type="file" accept=".parleycase,.json,application/json" hidden aria-label={t('flows.case.file')} onChange={onFile} />
      <Button busy={busy} title={t('flows.case.importHint')} onClick={() => input.current?.click()}>
        {t('flows.case.import')}
      </Button>
      {dialogs}
    </>
  );
}
