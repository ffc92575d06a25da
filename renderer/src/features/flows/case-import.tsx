/**
 * "Import case" on the Flows screen: reads a case file, and the core recreates the client on the embedded
 * server from the case's public keys, sets the server's clock to the recorded time and replays the failing
 * request. The case view then shows what was recorded next to what the server says now.
 */
import type { ChangeEvent } from 'react';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseImportResult } from '../../../../shared/schemas/case';
import { ApiError, call } from '../../api/client';
import { Button } from '../../components/button';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { Dialog } from '../../components/dialog';
import { ErrorBanner } from '../../components/error-text';
import { CaseView } from './case-view';

/** At most this much is read from a case file (the core refuses more). */
const MAX_CASE_BYTES = 1_500_000;

/** The Import case button, with its dialogs. */
export function ImportCaseButton() {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<CaseImportResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [replace, setReplace] = useState<{ json: string; clientId: string } | null>(null);

  const runImport = async (json: string, replaceClient: boolean) => {
    const imported = await call('cases.import', { json, ...(replaceClient ? { replaceClient: true } : {}) });
    setResult(imported);
  };

  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      if (file.size > MAX_CASE_BYTES) throw new Error(t('flows.case.tooLarge'));
      const json = await file.text();
      try {
        await runImport(json, false);
      } catch (e) {
        // The embedded server already has the case's client: ask before replacing it.
        const clientId = e instanceof ApiError && e.details?.['reason'] === 'client-exists' ? e.details['clientId'] : undefined;
        if (typeof clientId !== 'string') throw e;
        setReplace({ json, clientId });
      }
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      {/* Hidden: the button opens its file chooser (the button is what users and assistive technology reach). */}
      <input ref={input} type="file" accept=".json,application/json" hidden aria-label={t('flows.case.file')} onChange={(e) => void onFile(e)} />
      <Button busy={busy} title={t('flows.case.importHint')} onClick={() => input.current?.click()}>
        {t('flows.case.import')}
      </Button>
      {replace && (
        <ConfirmDialog
          title={t('flows.case.replaceTitle')}
          body={t('flows.case.replaceBody', { clientId: replace.clientId })}
          confirmLabel={t('flows.case.replaceConfirm')}
          onConfirm={() => runImport(replace.json, true)}
          onClose={() => setReplace(null)}
        />
      )}
      {error !== null && (
        <Dialog title={t('flows.case.importFailed')} onClose={() => setError(null)} footer={<Button onClick={() => setError(null)}>{t('common.close')}</Button>}>
          <ErrorBanner error={error} />
        </Dialog>
      )}
      {result && <CaseView result={result} onClose={() => setResult(null)} />}
    </>
  );
}
