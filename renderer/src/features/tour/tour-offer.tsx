/** The one-time offer of the guided tour, right after the vault was created (tour-slice.ts): Take the tour, or Skip. */
import { useTranslation } from 'react-i18next';
import { Banner } from '../../components/banner';
import { Button } from '../../components/button';
import type { Screen } from '../../app/route';
import { useScreen } from '../../app/route';
import { useAppStore } from '../../state/store';

/** The screen the offer is shown on: where a new vault opens. Elsewhere it would push every screen down. */
const OFFER_SCREEN: Screen = 'keys';

/** The offer banner, at the top of the Keys screen while unanswered (Skip answers it for good). */
export function TourOffer() {
  const { t } = useTranslation();
  const offered = useAppStore((s) => s.tour.offered && !s.tour.open);
  const answerTourOffer = useAppStore((s) => s.answerTourOffer);
  const screen = useScreen();
  if (!offered || screen !== OFFER_SCREEN) return null;
  return (
    <section className="notices tour-offer" aria-label={t('tour.label')}>
      <Banner tone="info" title={t('tour.offer.title')}>
        <p>{t('tour.offer.body')}</p>
        <div className="row tour-offer-actions">
          <Button variant="primary" size="sm" onClick={() => answerTourOffer(true)}>
            {t('tour.offer.take')}
          </Button>
          <Button size="sm" onClick={() => answerTourOffer(false)}>
            {t('tour.offer.skip')}
          </Button>
        </div>
      </Banner>
    </section>
  );
}
