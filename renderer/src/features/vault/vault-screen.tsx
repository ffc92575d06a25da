/**
 * Shown until the vault is unlocked: create a passphrase on first run, unlock afterwards. With the OS
 * keychain (Electron safeStorage) there is no passphrase: first run is one click.
 */
import { useTranslation } from 'react-i18next';
import { Brand } from '../../app/brand';
import { StoreNoticesBanner } from './store-notices-banner';
import { KeychainLocked, KeychainSetup } from './keychain-forms';
import { SetupForm } from './setup-form';
import { UnlockForm } from './unlock-form';
import type { VaultStatus } from '../../../../shared/schemas/app';

/** The vault gate. */
export function VaultScreen({ status }: { status: VaultStatus }) {
  const { t } = useTranslation();
  const form =
    status.state === 'uninitialized' ? (
      status.protector === 'passphrase' ? (
        <SetupForm />
      ) : (
        <KeychainSetup />
      )
    ) : status.protector === 'passphrase' ? (
      <UnlockForm />
    ) : (
      <KeychainLocked />
    );
  return (
    <div className="center-screen vault-screen">
      <main className="vault-column">
        <Brand />
        <p className="vault-tagline muted">{t('app.tagline')}</p>
        <StoreNoticesBanner />
        <div className="card">{form}</div>
      </main>
    </div>
  );
}
