/**
 * Settings › Saved drafts: what this window keeps across restarts (state/drafts-storage.ts) and a Clear
 * button. A JWT pasted in Inspect may be a live access token, so the user is told it is kept, and can
 * remove it; no private key, pasted verification key, PKCE verifier or signed token is ever kept.
 */
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/button';
import { useAppStore } from '../../state/store';

/** The section, for the Settings screen. */
export function SavedDraftsSection() {
  const { t } = useTranslation();
  const onClear = () => {
    const store = useAppStore.getState();
    store.clearCompose();
    store.clearInspect();
    store.pushToast({ kind: 'success', message: t('drafts.settings.cleared') });
  };
  return (
    <section className="card settings-card" aria-labelledby="settings-drafts-title">
      <h2 id="settings-drafts-title" className="section-title">
        {t('drafts.settings.title')}
      </h2>
      <p className="muted">{t('drafts.settings.body')}</p>
      <p className="muted">{t('drafts.settings.notKept')}</p>
      <div className="row">
        <Button onClick={onClear}>{t('drafts.settings.clear')}</Button>
      </div>
    </section>
  );
}
