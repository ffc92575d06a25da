/**
 * "Export case" on a finished run: the core builds the case file (shared/schemas/case.ts) — target and
 * client configuration, public keys, the JWTs as sent, the timeline and the server traces, never a
 * secret — and the renderer saves it.
 */
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { call } from '../../api/client';
import { Button } from '../../components/button';
import { downloadText } from '../../components/download';
import { useSubmit } from '../../components/use-submit';
import { describeError } from '../../i18n/errors';
import { useAppStore } from '../../state/store';

/** Builds and saves the case file of a finished run, saying how it went in a toast (the button and File › Export case). */
export async function exportCase(t: TFunction, runId: string): Promise<void> {
  const pushToast = useAppStore.getState().pushToast;
  try {
    const { fileName, json } = await call('cases.export', { runId });
    downloadText(fileName, json, 'application/json');
    pushToast({ kind: 'success', message: t('flows.case.exported', { file: fileName }) });
  } catch (e) {
    const { message, detail } = describeError(t, e);
    pushToast({ kind: 'error', message: t('flows.case.exportFailed'), detail: detail ?? message });
  }
}

/** Saves the case file of a finished run. */
export function ExportCaseButton({ runId }: { runId: string }) {
  const { t } = useTranslation();
  // exportCase says how it went in a toast, and never throws.
  const { busy, run } = useSubmit({ staysOpen: true });
  const onExport = () => run(() => exportCase(t, runId));
  return (
    <Button size="sm" busy={busy} title={t('flows.case.exportHint')} onClick={() => void onExport()}>
      {t('flows.case.export')}
    </Button>
  );
}
