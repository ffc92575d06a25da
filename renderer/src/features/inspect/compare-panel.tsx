/**
 * Compare: a second token decoded beside the first, header and payload compared member by member
 * (a key-level diff: changed, added and removed claims, with both values).
 */
import { useTranslation } from 'react-i18next';
import { Banner } from '../../components/banner';
import { TextAreaField } from '../../components/field';
import { Spinner } from '../../components/spinner';
import { BIG_INPUT } from '../../state/inspect-slice';
import { useAppStore } from '../../state/store';
import type { DecodeOutcome } from '../../state/decode/decode-core';
import { decodeErrorMessage } from './decode-error';

/** One member of the diff. */
export interface DiffRow {
  name: string;
  change: 'same' | 'changed' | 'added' | 'removed';
  left: unknown;
  right: unknown;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The key-level diff of two objects: every member of either, in the first one's order, then the added ones. */
export function diffMembers(left: Record<string, unknown>, right: Record<string, unknown>): DiffRow[] {
  const rows: DiffRow[] = [];
  for (const name of Object.keys(left)) {
    if (!Object.hasOwn(right, name)) rows.push({ name, change: 'removed', left: left[name], right: undefined });
    else rows.push({ name, change: same(left[name], right[name]) ? 'same' : 'changed', left: left[name], right: right[name] });
  }
  for (const name of Object.keys(right)) if (!Object.hasOwn(left, name)) rows.push({ name, change: 'added', left: undefined, right: right[name] });
  return rows;
}

function parts(outcome: DecodeOutcome): { header: Record<string, unknown>; payload: Record<string, unknown> | null } | null {
  if (outcome.kind === 'jws') return { header: outcome.header, payload: outcome.payload };
  if (outcome.kind === 'jwe') return { header: outcome.header, payload: null };
  return null;
}

/** The Compare tab. */
export function ComparePanel({ decoded }: { decoded: DecodeOutcome }) {
  const { t } = useTranslation();
  const compareToken = useAppStore((s) => s.inspect.compareToken);
  const compareDecoded = useAppStore((s) => s.inspect.compareDecoded);
  const compareDecoding = useAppStore((s) => s.inspect.compareDecoding);
  const setCompareToken = useAppStore((s) => s.setCompareToken);
  const left = parts(decoded);
  const right = parts(compareDecoded);

  return (
    <div className="stack">
      <TextAreaField
        label={t('inspect.compare.token')}
        value={compareToken}
        onChange={(e) => setCompareToken(e.target.value)}
        rows={4}
        className="mono-input"
        spellCheck={false}
        autoComplete="off"
        hint={t('inspect.compare.hint')}
      />
      {compareDecoding && compareToken.length > BIG_INPUT ? (
        <p className="muted" role="status">
          <Spinner /> {t('inspect.decoding')}
        </p>
      ) : compareDecoded.kind === 'error' ? (
        <Banner tone="error" title={t('inspect.compare.cannotDecode')}>
          <p>{decodeErrorMessage(t, compareDecoded)}</p>
        </Banner>
      ) : !left || !right ? (
        <p className="muted">{t('inspect.compare.placeholder')}</p>
      ) : (
        <>
          <DiffTable title={t('inspect.decoded.header')} rows={diffMembers(left.header, right.header)} />
          {left.payload && right.payload && <DiffTable title={t('inspect.decoded.payload')} rows={diffMembers(left.payload, right.payload)} />}
        </>
      )}
    </div>
  );
}

function show(value: unknown): string {
  if (value === undefined) return '';
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 400 ? `${text.slice(0, 400)}…` : text;
}

function DiffTable({ title, rows }: { title: string; rows: DiffRow[] }) {
  const { t } = useTranslation();
  const changed = rows.filter((r) => r.change !== 'same').length;
  const changeLabel = (change: DiffRow['change']) =>
    change === 'changed'
      ? t('inspect.compare.changed')
      : change === 'added'
        ? t('inspect.compare.added')
        : change === 'removed'
          ? t('inspect.compare.removed')
          : t('inspect.compare.same');
  return (
    <section className="stack inspect-diff">
      <h3 className="inspect-section-title">
        {title} <span className="muted small">{changed === 0 ? t('inspect.compare.identical') : t('inspect.compare.differences', { count: changed })}</span>
      </h3>
      <div className="table-wrap">
        <table className="data-table inspect-diff-table">
          <caption className="sr-only">{t('inspect.compare.caption', { part: title })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('inspect.decoded.claim')}</th>
              <th scope="col">{t('inspect.compare.left')}</th>
              <th scope="col">{t('inspect.compare.right')}</th>
              <th scope="col">{t('inspect.compare.change')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.name} className={`diff-${row.change}`}>
                <th scope="row" className="mono nowrap">
                  {row.name}
                </th>
                <td className="mono break">{show(row.left)}</td>
                <td className="mono break">{show(row.right)}</td>
                <td className="nowrap">{changeLabel(row.change)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
