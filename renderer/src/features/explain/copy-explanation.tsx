/**
 * Copy as Markdown / Copy as plain text: an explanation taken out of Parley for a ticket, in the UI
 * language, secrets removed (shared/explain/text.ts). Every Explain view shows it; a view that shows an
 * explanation another way renders it beside that explanation.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Explanation } from '../../../../shared/explain/explain';
import type { ExplanationTextFormat } from '../../../../shared/explain/text';
import { explanationText } from '../../../../shared/explain/text';
import { Button } from '../../components/button';
import { copyText } from '../../components/clipboard';
import { useAppStore } from '../../state/store';
import { explanationWords } from './explain-words';

/** The two copy buttons; `title` heads the copied text (what was explained). */
export function CopyExplanation({ explanation, title }: { explanation: Explanation; title?: string }) {
  const { t, i18n } = useTranslation();
  const pushToast = useAppStore((s) => s.pushToast);
  const [copied, setCopied] = useState<ExplanationTextFormat | null>(null);
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  const copy = async (format: ExplanationTextFormat) => {
    // Built on click, in the language shown now: nothing is formatted for an explanation nobody copies.
    const text = explanationText(explanation, { format, words: explanationWords(t, i18n.language), ...(title === undefined ? {} : { title }) });
    try {
      await copyText(text);
      setCopied(format);
      window.clearTimeout(timer.current);
      timer.current = window.setTimeout(() => setCopied(null), 1600);
    } catch {
      pushToast({ kind: 'error', message: t('common.copyFailed') });
    }
  };

  return (
    <div className="explain-copy" role="group" aria-label={t('explain.copy.group')}>
      <Button variant="ghost" size="sm" onClick={() => void copy('markdown')}>
        {copied === 'markdown' ? t('common.copied') : t('explain.copy.markdown')}
      </Button>
      <Button variant="ghost" size="sm" onClick={() => void copy('plain')}>
        {copied === 'plain' ? t('common.copied') : t('explain.copy.plain')}
      </Button>
      <span role="status" className="sr-only">
        {copied === 'markdown' ? t('explain.copy.copiedMarkdown') : copied === 'plain' ? t('explain.copy.copiedPlain') : ''}
      </span>
    </div>
  );
}
