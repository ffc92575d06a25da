/** The keyboard shortcuts sheet ("?" or Mod+/): every shortcut with its keys for this platform. */
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { screenName } from '../../app/screen-name';
import type { ShortcutAction } from './shortcuts';
import { SHORTCUTS, shortcutLabel } from './shortcuts';

function describe(t: TFunction, action: ShortcutAction): string {
  switch (action.kind) {
    case 'main':
      return t('palette.sheet.main');
    case 'palette':
      return t('palette.sheet.palette');
    case 'sheet':
      return t('palette.sheet.sheet');
    case 'screen':
      return t('palette.goTo', { screen: screenName(t, action.screen) });
  }
}

/** The sheet as a dialog. */
export function ShortcutsSheet({ mac, onClose }: { mac: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Dialog
      title={t('palette.sheet.title')}
      description={mac ? t('palette.sheet.introMac') : t('palette.sheet.intro')}
      onClose={onClose}
      footer={
        <Button variant="primary" onClick={onClose} data-autofocus>
          {t('common.close')}
        </Button>
      }
    >
      <table className="shortcuts-table">
        <caption className="sr-only">{t('palette.sheet.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('palette.sheet.action')}</th>
            <th scope="col">{t('palette.sheet.keys')}</th>
          </tr>
        </thead>
        <tbody>
          {SHORTCUTS.map((spec) => (
            <tr key={spec.accelerators[0]}>
              <td>{describe(t, spec.action)}</td>
              <td>
                <span className="shortcuts-keys">
                  {spec.accelerators.map((accelerator) => (
                    <kbd key={accelerator} className="shortcuts-kbd">
                      {shortcutLabel(accelerator, mac)}
                    </kbd>
                  ))}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">{t('palette.sheet.typing')}</p>
    </Dialog>
  );
}
