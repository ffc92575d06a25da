/**
 * The rule reference, shipped in the app: every rule Explain applies (rule-catalogue.ts),
 * one entry per rule with its id as anchor, its sentence, its fix and its sources linked. A source that
 * names Parley's own specification links here (`#/explain?rule=JAR-11`), so the link works offline, in
 * the desktop app and in web mode alike; the project has no public site to host a page on.
 */
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { ruleAnchor, ruleCatalogue } from './rule-catalogue';
import { sourceParts } from '../../../../shared/explain/sources';
import { queryFromHash, useHash } from '../../app/route';
import { Badge } from '../../components/badge';
import { labelGap } from '../../i18n/format';
import { useRuleWords } from '../../i18n/rule-text';
import { SourceLinks, subjectLabel } from './explain-view';

const CATALOGUE = ruleCatalogue();

/** The rule reference: collapsed, opened on the entry a `#/explain?rule=ID` link names. */
export function RuleReference() {
  const { t, i18n } = useTranslation();
  const words = useRuleWords();
  const hash = useHash();
  const wanted = queryFromHash(hash).get('rule');
  const details = useRef<HTMLDetailsElement>(null);
  const known = wanted !== null && CATALOGUE.some((r) => r.id === wanted);

  useEffect(() => {
    if (wanted === null || details.current === null) return;
    details.current.open = true;
    const entry = document.getElementById(ruleAnchor(wanted));
    (entry ?? details.current).scrollIntoView({ block: 'start' });
    (entry ?? details.current).focus({ preventScroll: true });
  }, [wanted]);

  return (
    <details className="card explain-card explain-reference" ref={details}>
      <summary className="section-title">{t('explain.reference.title')}</summary>
      <p className="muted small">{t('explain.reference.intro')}</p>
      {wanted !== null && !known && <p className="small">{t('explain.reference.serverOnly', { id: wanted })}</p>}
      <dl className="explain-reference-list">
        {CATALOGUE.map((rule) => (
          <div
            key={`${rule.subject}-${rule.id}`}
            id={CATALOGUE.find((r) => r.id === rule.id) === rule ? ruleAnchor(rule.id) : undefined}
            tabIndex={-1}
            className={wanted === rule.id ? 'is-target' : undefined}
          >
            <dt>
              <Badge>{rule.id}</Badge> {subjectLabel(t, { kind: rule.subject })}
            </dt>
            <dd>
              <p lang={words(rule).summaryLang}>{words(rule).summary}</p>
              <p className="muted small">
                {t('server.trace.source')}
                {labelGap(i18n.language)}
                <SourceLinks parts={sourceParts(rule.source, rule.id)} />
              </p>
            </dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
