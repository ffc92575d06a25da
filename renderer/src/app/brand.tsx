import { useTranslation } from 'react-i18next';

/** The product mark and name. */
export function Brand() {
  const { t } = useTranslation();
  return (
    <div className="brand">
      <svg className="brand-mark" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <rect x="1" y="1" width="22" height="22" rx="6" fill="currentColor" />
        <path d="M7 16.5V7.5h5a3 3 0 0 1 0 6H7" fill="none" stroke="var(--brand-ink)" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
        <circle cx="16.5" cy="16.5" r="1.5" fill="var(--brand-ink)" />
      </svg>
      <span className="brand-name">{t('app.name')}</span>
    </div>
  );
}
