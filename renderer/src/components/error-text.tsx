import { useTranslation } from 'react-i18next';
import { describeError } from '../i18n/errors';
import { Banner } from './banner';

/** Shows an error from the core next to the form or view that caused it, announced at once. */
export function ErrorBanner({ error, title }: { error: unknown; title?: string }) {
  const { t } = useTranslation();
  if (!error) return null;
  const { message, detail } = describeError(t, error);
  return (
    <Banner tone="error" role="alert" title={title ?? message}>
      {title && <p>{message}</p>}
      {detail && <p className="banner-detail">{detail}</p>}
    </Banner>
  );
}
