/** The key list: one row per key (name, type, usages, short thumbprint, expiry, warnings). */
import type { KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { KeySummary } from '../../../../shared/schemas/keys';
import { Badge } from '../../components/badge';
import { cx } from '../../components/class-names';
import { Spinner } from '../../components/spinner';
import { formatDate } from '../../i18n/format';
import { useAppStore } from '../../state/store';
import { keyTypeLabel, shortThumbprint, specLabel, usageLabel, warningBadge, warningText, warningTone } from './key-labels';
import { generationRowLabel, useGenerationRows } from './use-generation-rows';

/** The list of keys, with in-progress generations on top. Arrow keys move between rows. */
export function KeyList() {
  const { t } = useTranslation();
  const items = useAppStore((s) => s.keys.items);
  const selectedId = useAppStore((s) => s.keys.selectedId);
  const selectKey = useAppStore((s) => s.selectKey);
  const generating = useGenerationRows();

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const rows = [...event.currentTarget.querySelectorAll<HTMLButtonElement>('button.key-row')];
    const index = rows.indexOf(document.activeElement as HTMLButtonElement);
    if (index < 0) return;
    const next = rows[event.key === 'ArrowDown' ? Math.min(index + 1, rows.length - 1) : Math.max(index - 1, 0)];
    if (!next) return;
    event.preventDefault();
    next.focus();
    next.click();
  };

  return (
    <ul className="key-list" aria-label={t('keys.list.label')} onKeyDown={onKeyDown}>
      {generating.map((row) => (
        <li key={row.id} className="key-row key-row-pending">
          <div className="key-row-top">
            <span className="key-name truncate">
              <Spinner /> {t('jobs.generating', { label: generationRowLabel(row) })}
            </span>
            {row.spec && <Badge>{specLabel(t, row.spec)}</Badge>}
          </div>
          <div className="progress" role="progressbar" aria-label={t('jobs.progressLabel', { label: generationRowLabel(row) })}>
            <div className="progress-bar" />
          </div>
        </li>
      ))}
      {items.map((key) => (
        <li key={key.id}>
          <KeyRow keySummary={key} selected={key.id === selectedId} onSelect={() => selectKey(key.id)} />
        </li>
      ))}
    </ul>
  );
}

function KeyRow({ keySummary: key, selected, onSelect }: { keySummary: KeySummary; selected: boolean; onSelect: () => void }) {
  const { t, i18n } = useTranslation();
  return (
    <button type="button" className={cx('key-row', selected && 'is-selected')} aria-current={selected ? 'true' : undefined} onClick={onSelect}>
      <span className="key-row-top">
        <span className="key-name truncate">{key.name}</span>
        <Badge>{keyTypeLabel(t, key)}</Badge>
      </span>
      <span className="key-row-meta">
        <span className="mono" title={key.thumbprint}>
          {shortThumbprint(key.thumbprint)}
        </span>
        <span className="key-row-expiry">
          {key.expiresAt ? t('keys.list.expires', { date: formatDate(key.expiresAt, i18n.language) }) : t('keys.list.noExpiry')}
        </span>
      </span>
      {(key.usages.length > 0 || key.warnings.length > 0) && (
        <span className="key-row-badges">
          {key.usages.map((usage) => (
            <Badge key={usage} tone="accent">
              {usageLabel(t, usage)}
            </Badge>
          ))}
          {key.warnings.map((warning) => (
            <Badge key={warning} tone={warningTone(warning)} title={warningText(t, warning)}>
              {warningBadge(t, warning)}
            </Badge>
          ))}
        </span>
      )}
    </button>
  );
}
