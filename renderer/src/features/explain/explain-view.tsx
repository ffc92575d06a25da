/**
 * The Explain view, shared by every place a request or token appears (flow steps, server logs, Inspect,
 * the Explain screen): a one-line verdict, then every rule applied — the first failing on top — with its
 * id, what happened, the rule's plain-language sentence, expected and actual, its source (RFC sections
 * linked) and what to change. It reuses the trace's rule styling (`.rule-list`, `.rule`).
 */
import type { ReactNode } from 'react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { ExplainItem, ExplainNote, Explanation, ExplainSubject } from '../../../../shared/explain/explain';
import { Badge } from '../../components/badge';
import { Button } from '../../components/button';
import { cx } from '../../components/class-names';
import { Dialog } from '../../components/dialog';
import { RuleIcon, RuleValues } from '../../components/rule-parts';
import './explain.css';

/** The translated name of an item's subject (an HTTP exchange keeps its own label). */
export function subjectLabel(t: TFunction, subject: ExplainSubject | undefined): string | null {
  if (!subject) return null;
  switch (subject.kind) {
    case 'request':
      return t('explain.subject.request');
    case 'requestObject':
      return t('explain.subject.requestObject');
    case 'clientAssertion':
      return t('explain.subject.clientAssertion');
    case 'idToken':
      return t('explain.subject.idToken');
    case 'accessToken':
      return t('explain.subject.accessToken');
    case 'http':
      return subject.label ?? null;
  }
}

function noteText(t: TFunction, note: ExplainNote): string {
  const subject = subjectLabel(t, note.subject) ?? '';
  switch (note.code) {
    case 'no-rules':
      return t('explain.notes.noRules');
    case 'signature-not-checked':
      return t('explain.notes.signatureNotChecked', { subject });
    case 'key-invalid':
      return t('explain.notes.keyInvalid', { detail: note.detail ?? '' });
    case 'no-jwt':
      return t('explain.notes.noJwt');
    case 'pushed-request':
      return t('explain.notes.pushedRequest');
  }
}

/** The verdict line, the ordered rules, and the notes. */
export function ExplainView({ explanation }: { explanation: Explanation }) {
  const { t } = useTranslation();
  const { verdict, items, notes } = explanation;
  const subjects = new Set(items.map((i) => `${i.subject?.kind ?? ''}:${i.subject?.label ?? ''}`));
  return (
    <div className="stack explain-view">
      <p className={cx('explain-verdict', verdict.ok ? 'is-ok' : 'is-failed')}>
        <VerdictIcon ok={verdict.ok} />
        <span>
          {items.length === 0
            ? t('explain.verdict.none')
            : verdict.first
              ? t('explain.verdict.failed', { rule: verdict.first.id, failed: verdict.failed, total: items.length })
              : t('explain.verdict.passed', { total: items.length })}
          {verdict.first && <span className="explain-verdict-message"> {verdict.first.message}</span>}
        </span>
      </p>
      {items.length > 0 && (
        <ol className="rule-list explain-list" aria-label={t('explain.listLabel')}>
          {items.map((item, index) => (
            <ExplainItemView key={`${item.id}-${index}`} item={item} showSubject={subjects.size > 1} first={index === 0 && !item.passed} />
          ))}
        </ol>
      )}
      {notes.length > 0 && (
        <ul className="explain-notes">
          {notes.map((note, i) => (
            <li key={`${note.code}-${i}`} className="muted small">
              {noteText(t, note)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** One rule: id and what happened, the rule's sentence, expected/actual, source, and the fix when it failed. */
export function ExplainItemView({ item, showSubject, first }: { item: ExplainItem; showSubject: boolean; first: boolean }) {
  const { t } = useTranslation();
  const subject = showSubject ? subjectLabel(t, item.subject) : null;
  return (
    <li className={cx('rule', item.passed ? 'rule-passed' : 'rule-failed', first && 'explain-first')}>
      <div className="rule-header">
        <RuleIcon passed={item.passed} />
        <span className="sr-only">{item.passed ? t('server.trace.passed') : t('server.trace.failed')}</span>
        <Badge tone={item.passed ? 'success' : 'danger'}>{item.id}</Badge>
        {subject && <Badge>{subject}</Badge>}
        <span className="rule-message">{item.message}</span>
      </div>
      {item.sentence && item.sentence !== item.message && (
        <p className="explain-sentence small">
          <span className="explain-sentence-label">{t('explain.rule')}</span> {item.sentence}
        </p>
      )}
      <RuleValues expected={item.expected} actual={item.actual} />
      {item.source && (
        <p className="muted small">
          {t('server.trace.source')}{' '}
          {item.sourceParts.map((part, i) =>
            part.href ? (
              <a key={i} href={part.href} target="_blank" rel="noopener noreferrer">
                {part.text}
              </a>
            ) : (
              <span key={i}>{part.text}</span>
            ),
          )}
        </p>
      )}
      {!item.passed && item.fix && (
        <p className="rule-fix">
          <strong>{t('server.trace.fix')}</strong> {item.fix}
        </p>
      )}
    </li>
  );
}

/** A dialog showing an explanation. */
export function ExplainDialog({ title, explanation, onClose, children }: { title: ReactNode; explanation: Explanation; onClose: () => void; children?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Dialog
      title={title}
      onClose={onClose}
      size="lg"
      footer={
        <Button onClick={onClose} data-autofocus>
          {t('common.close')}
        </Button>
      }
    >
      <div className="stack">
        {children}
        <ExplainView explanation={explanation} />
      </div>
    </Dialog>
  );
}

/**
 * The "Explain" button: builds the explanation when clicked (so nothing is linted until asked) and shows
 * it in a dialog. Renders nothing when `build` finds nothing to explain.
 */
export function ExplainButton({ build, title, size = 'sm', disabled, className }: { build: () => Explanation | null; title: ReactNode; size?: 'sm' | 'md'; disabled?: boolean; className?: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<Explanation | null>(null);
  return (
    <>
      <Button size={size} onClick={() => setOpen(build())} disabled={disabled} className={className}>
        {t('explain.button')}
      </Button>
      {open && <ExplainDialog title={title} explanation={open} onClose={() => setOpen(null)} />}
    </>
  );
}

function VerdictIcon({ ok }: { ok: boolean }) {
  return (
    <svg className="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
      {ok ? (
        <path d="M5 8.2l2 2 4-4.4" fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" strokeLinejoin="round" />
      ) : (
        <path d="M5.7 5.7l4.6 4.6M10.3 5.7l-4.6 4.6" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" />
      )}
    </svg>
  );
}
