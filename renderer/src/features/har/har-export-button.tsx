/**
 * "Export HAR" on a finished run: the run as HAR 1.2 (shared/har/export's harFromRun, which passes the run
 * through the flows' redaction again), for Chromium DevTools, Postman or Insomnia. The writer is loaded on
 * the click, so it stays out of the screen's chunk.
 */
import { useTranslation } from 'react-i18next';
import type { FlowRun } from '../../../../shared/schemas/flows';
import { Button } from '../../components/button';
import { downloadText } from '../../components/download';
import { useSubmit } from '../../components/use-submit';
import { describeError } from '../../i18n/errors';
import { useAppStore } from '../../state/store';
import { exportFileStem } from '../flows/export/recorded-run';

/** A run's HAR file name: `parley-flow-par-jar-2026-12-07T18-30-00.har`. */
export function runHarFileName(run: Pick<FlowRun, 'kind' | 'startedAt'>): string {
  return `${exportFileStem(run)}-${run.startedAt.slice(0, 19).replace(/:/g, '-')}.har`;
}

/** The run's HAR text (redacted). */
export async function runHar(run: FlowRun, version: string): Promise<string> {
  const { harFromRun } = await import('../../../../shared/har/export');
  return `${JSON.stringify(harFromRun(run, { name: 'Parley', version: version || 'unknown' }), null, 2)}\n`;
}

/** Saves a finished run as a .har file. */
export function ExportRunHarButton({ run }: { run: FlowRun }) {
  const { t } = useTranslation();
  const version = useAppStore((s) => s.settings.appInfo?.version ?? '');
  const { busy, run: submit } = useSubmit({ staysOpen: true });
  const onExport = () =>
    submit(async () => {
      const pushToast = useAppStore.getState().pushToast;
      try {
        const fileName = runHarFileName(run);
        downloadText(fileName, await runHar(run, version), 'application/json');
        pushToast({ kind: 'success', message: t('har.export.saved', { file: fileName }) });
      } catch (e) {
        const { message, detail } = describeError(t, e);
        pushToast({ kind: 'error', message: t('har.export.failed'), detail: detail ?? message });
      }
    });
  return (
    <Button size="sm" busy={busy} title={t('har.export.runHint')} onClick={() => void onExport()}>
      {t('har.export.run')}
    </Button>
  );
}
