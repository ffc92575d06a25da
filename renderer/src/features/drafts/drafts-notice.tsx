/**
 * Says once that a saved draft could not be read (state/drafts-storage.ts): the screen started empty
 * instead, and the unreadable value was removed. A banner, not a toast, so it stays until read.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Banner } from '../../components/banner';
import { formatList } from '../../i18n/list';
import { dismissDraftProblems, draftProblems } from '../../state/drafts-storage';

/** The notice, shown above the screen while there is something to say. */
export function DraftsNotice() {
  const { t, i18n } = useTranslation();
  const [areas, setAreas] = useState(draftProblems);
  if (areas.length === 0) return null;
  const names = areas.map((area) => (area === 'compose' ? t('nav.compose') : t('nav.inspect')));
  return (
    <div className="notices">
      <Banner
        tone="warning"
        role="status"
        title={t('drafts.unreadable.title')}
        dismissLabel={t('drafts.unreadable.dismiss')}
        onDismiss={() => {
          dismissDraftProblems();
          setAreas([]);
        }}
      >
        <p>{t('drafts.unreadable.body', { screens: formatList(names, i18n.language) })}</p>
      </Banner>
    </div>
  );
}
