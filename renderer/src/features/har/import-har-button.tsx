/** Flows › Import HAR: the HAR panel (har-panel.tsx) in a dialog, beside Import case. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { HarPanel } from './har-panel';

/** The Import HAR button and its dialog. */
export function ImportHarButton() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button title={t('har.importHint')} onClick={() => setOpen(true)}>
        {t('har.import')}
      </Button>
      {open && (
        <Dialog
          size="lg"
          title={t('har.dialogTitle')}
          onClose={() => setOpen(false)}
          footer={
            <Button onClick={() => setOpen(false)} data-autofocus>
              {t('common.close')}
            </Button>
          }
        >
          <HarPanel />
        </Dialog>
      )}
    </>
  );
}
