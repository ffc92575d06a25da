/** A compact "generating…" indicator in the sidebar, visible from every screen. */
import { useTranslation } from 'react-i18next';
import { Spinner } from '../../components/spinner';
import { generationRowLabel, useGenerationRows } from './use-generation-rows';

/** Shows what is being generated; renders an empty live region otherwise (so the announcement is heard). */
export function JobsIndicator() {
  const { t } = useTranslation();
  const rows = useGenerationRows();
  return (
    <div className="jobs-indicator" role="status">
      {rows.map((row) => (
        <div key={row.id} className="jobs-indicator-row">
          <Spinner />
          <span className="truncate">{t('jobs.generating', { label: generationRowLabel(row) })}</span>
        </div>
      ))}
    </div>
  );
}
