/**
 * Store files the core could not read are moved aside, never overwritten; this banner tells the user
 * which file it was and where it now is, until they dismiss it.
 */
import { useTranslation } from 'react-i18next';
import { Banner } from '../../components/banner';
import { formatDateTime } from '../../i18n/format';
import { storeNoticeKey } from '../../state/notices-slice';
import { useAppStore } from '../../state/store';

/** Warning banners for the vault status's store notices. */
export function StoreNoticesBanner() {
  const { t, i18n } = useTranslation();
  const notices = useAppStore((s) => s.vault.status?.notices);
  const dismissed = useAppStore((s) => s.notices.dismissedStoreNotices);
  const dismiss = useAppStore((s) => s.dismissStoreNotice);
  const visible = (notices ?? []).filter((n) => !dismissed.includes(storeNoticeKey(n)));
  if (visible.length === 0) return null;
  return (
    <div className="notices">
      {visible.map((notice) => (
        <Banner
          key={storeNoticeKey(notice)}
          tone="warning"
          role="status"
          title={t('vault.notice.title')}
          dismissLabel={t('vault.notice.dismiss')}
          onDismiss={() => dismiss(notice)}
        >
          <p>{t('vault.notice.body')}</p>
          <dl className="facts facts-compact">
            <dt>{t('vault.notice.file')}</dt>
            <dd className="mono break">{notice.file}</dd>
            <dt>{t('vault.notice.movedTo')}</dt>
            <dd className="mono break">{notice.movedTo}</dd>
            {notice.reason && (
              <>
                <dt>{t('vault.notice.reason')}</dt>
                <dd>{notice.reason}</dd>
              </>
            )}
            <dt>{t('vault.notice.when')}</dt>
            <dd>{formatDateTime(notice.at, i18n.language)}</dd>
          </dl>
        </Banner>
      ))}
    </div>
  );
}
