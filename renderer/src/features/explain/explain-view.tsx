/**
 * The Explain view, shared by every place a request or token appears (flow steps, server logs, Inspect,
 * the Explain screen): a one-line verdict, then every rule applied — the first failing on top — with its
 * id, what happened, the rule's plain-language sentence, expected and actual, its source (RFC sections
 * linked) and what to change. It reuses the trace's rule styling (`.rule-list`, `.rule`).
 */
import type { ReactNode } from 'react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ExplainItem, Explanation } from '../../../../shared/explain/explain';
import { Badge } from '../../components/badge';
import { Button } from '../../components/button';
import { cx } from '../../components/class-names';
import { Dialog } from '../../components/dialog';
import { RuleDetail, RuleIcon, RuleValues } from '../../components/rule-parts';
import { labelGap } from '../../i18n/format';
import type { RuleWords } from '../../i18n/rule-text';
import { useRuleWords } from '../../i18n/rule-text';
import { CopyExplanation } from './copy-explanation';
import { noteText, reasonText, subjectLabel, verdictText } from './explain-words';

// Moved to ./explain-words (no React there, so the copied text uses the same words); re-exported for the Explain parts that read them here.
export { subjectLabel };

/** An item's words in the UI language (its `sentence` is the rule's English summary). */
function itemWords(words: ReturnType<typeof useRuleWords>, item: ExplainItem): RuleWords {
  return words({ id: item.id, summary: item.sentence, message: item.message, fix: item.fix, passed: item.passed });
}

/**
 * The verdict line, then the failing rules (the first failing on top), then the rules not evaluated with
 * why, then the passes collapsed under "Rules passed: N" (a support engineer answers with the failures;
 * the passes are there to check), then the notes.
 */
export function ExplainView({ explanation, copyTitle }: { explanation: Explanation; copyTitle?: string }) {
  const { t, i18n } = useTranslation();
  const { verdict, items, notes } = explanation;
  const subjects = new Set(items.map((i) => `${i.subject?.kind ?? ''}:${i.subject?.label ?? ''}`));
  const open = items.filter((i) => i.status !== 'passed');
  const passed = items.filter((i) => i.status === 'passed');
  const tone = verdict.failed > 0 ? 'is-failed' : verdict.notEvaluated > 0 ? 'is-incomplete' : 'is-ok';
  const words = useRuleWords();
  // The first failing rule's words, in the UI language (its item carries the English summary to look it up by).
  const firstItem = verdict.first ? items.find((i) => i.id === verdict.first?.id && i.status === 'failed') : undefined;
  const first = verdict.first ? (firstItem ? itemWords(words, firstItem) : { message: verdict.first.message, summaryLang: 'en' as const }) : null;
  return (
    <div className="stack explain-view">
      <p className={cx('explain-verdict', tone)}>
        <VerdictIcon ok={verdict.failed === 0} />
        <span>
          {verdictText(t, explanation)}
          {first && (
            <span className="explain-verdict-message" lang={first.summaryLang}>
              {labelGap(i18n.language)}
              {first.message}
            </span>
          )}
        </span>
      </p>
      <CopyExplanation explanation={explanation} {...(copyTitle === undefined ? {} : { title: copyTitle })} />
      {open.length > 0 && (
        <ol className="rule-list explain-list" aria-label={t('explain.listLabel')}>
          {open.map((item, index) => (
            <ExplainItemView key={`${item.id}-${index}`} item={item} showSubject={subjects.size > 1} first={index === 0 && item.status === 'failed'} />
          ))}
        </ol>
      )}
      {passed.length > 0 && (
        <details className="explain-passed">
          <summary>{t('explain.passedSummary', { count: passed.length })}</summary>
          <ol className="rule-list explain-list" aria-label={t('explain.passedLabel')}>
            {passed.map((item, index) => (
              <ExplainItemView key={`${item.id}-${index}`} item={item} showSubject={subjects.size > 1} first={false} />
            ))}
          </ol>
        </details>
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

/** A source: its documents linked (RFC sections, Auth0 pages, specs; Parley's own rules to the rule reference in the app). */
export function SourceLinks({ parts }: { parts: ExplainItem['sourceParts'] }) {
  return (
    <>
      {parts.map((part, i) =>
        part.href === undefined ? (
          <span key={i}>{part.text}</span>
        ) : part.href.startsWith('#') ? (
          <a key={i} href={part.href}>
            {part.text}
          </a>
        ) : (
          <a key={i} href={part.href} target="_blank" rel="noopener noreferrer">
            {part.text}
          </a>
        ),
      )}
    </>
  );
}

/** One rule: id and what happened, the rule's sentence, expected/actual, source, and the fix when it failed. */
export function ExplainItemView({ item, showSubject, first }: { item: ExplainItem; showSubject: boolean; first: boolean }) {
  const { t, i18n } = useTranslation();
  const gap = labelGap(i18n.language);
  const subject = showSubject ? subjectLabel(t, item.subject) : null;
  const pending = item.status === 'not-evaluated';
  const words = itemWords(useRuleWords(), item);
  return (
    <li className={cx('rule', item.passed ? 'rule-passed' : pending ? 'rule-not-evaluated' : 'rule-failed', first && 'explain-first')}>
      <div className="rule-header">
        {pending ? <PendingIcon /> : <RuleIcon passed={item.passed} />}
        <span className="sr-only">{item.passed ? t('server.trace.passed') : pending ? t('explain.notEvaluated.status') : t('server.trace.failed')}</span>
        <Badge tone={item.passed ? 'success' : pending ? 'neutral' : 'danger'}>{item.id}</Badge>
        {pending && <Badge>{t('explain.notEvaluated.status')}</Badge>}
        {subject && <Badge>{subject}</Badge>}
        <span className="rule-message" lang={words.summaryLang}>
          {words.message}
        </span>
      </div>
      {pending && <p className="explain-reason small">{reasonText(t, item)}</p>}
      <RuleDetail detail={words.detail} />
      {words.summary && words.summary !== words.message && (
        <p className="explain-sentence small">
          <span className="explain-sentence-label">{t('explain.rule')}</span>
          {gap}
          <span lang={words.summaryLang}>{words.summary}</span>
        </p>
      )}
      {!pending && <RuleValues expected={item.expected} actual={item.actual} />}
      {item.source && (
        <p className="muted small">
          {t('server.trace.source')}
          {gap}
          <SourceLinks parts={item.sourceParts} />
        </p>
      )}
      {item.status === 'failed' && words.fix && (
        <p className="rule-fix">
          <strong>{t('server.trace.fix')}</strong>
          {gap}
          <span lang={words.fixLang}>{words.fix}</span>
        </p>
      )}
    </li>
  );
}

/** A dialog showing an explanation. */
export function ExplainDialog({
  title,
  explanation,
  onClose,
  children,
}: {
  title: ReactNode;
  explanation: Explanation;
  onClose: () => void;
  children?: ReactNode;
}) {
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
        <ExplainView explanation={explanation} {...(typeof title === 'string' ? { copyTitle: title } : {})} />
      </div>
    </Dialog>
  );
}

/**
 * The "Explain" button: builds the explanation when clicked (so nothing is linted until asked) and shows
 * it in a dialog. Renders nothing when `build` finds nothing to explain.
 */
export function ExplainButton({
  build,
  title,
  size = 'sm',
  disabled,
  className,
  children,
}: {
  build: () => Explanation | null;
  title: ReactNode;
  size?: 'sm' | 'md';
  disabled?: boolean;
  className?: string;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<Explanation | null>(null);
  return (
    <>
      <Button size={size} onClick={() => setOpen(build())} disabled={disabled} className={className}>
        {t('explain.button')}
      </Button>
      {open && (
        <ExplainDialog title={title} explanation={open} onClose={() => setOpen(null)}>
          {children}
        </ExplainDialog>
      )}
    </>
  );
}

function PendingIcon() {
  return (
    <svg className="icon rule-icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" strokeWidth="1.5" strokeDasharray="3 2" />
      <path d="M5 8h6" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" />
    </svg>
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
