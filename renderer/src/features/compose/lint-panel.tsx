/**
 * Live lint: the embedded server's own rules applied to the draft as the user types (debounced), failures
 * listed with the rule id, message, expected vs actual, source and fix; passed rules folded away below.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RuleOutcome } from '../../../../shared/jwt';
import { lintClientAssertion, lintRequestObject } from '../../../../shared/jwt';
import { Badge } from '../../components/badge';
import { RuleDetail, RuleValue } from '../../components/rule-parts';
import { useRuleWords } from '../../i18n/rule-text';
import type { AssertionEndpoint, ComposeMode, Draft, JarEndpoint } from './compose-model';
import { nowSeconds } from './compose-model';
import type { ComposeTarget } from './use-compose-target';
import { clientAssertionContext, requestObjectContext } from './use-compose-target';

const DEBOUNCE_MS = 150;
/** Time-based rules (exp, nbf) change verdict as time passes, so the lint re-runs now and then. */
const REFRESH_MS = 15_000;

/** Lints a draft for a mode and aim. */
export function lintDraft(mode: ComposeMode, draft: Draft, target: ComposeTarget, endpoint: JarEndpoint | AssertionEndpoint, now: number): RuleOutcome[] {
  return mode === 'jar'
    ? lintRequestObject(draft, requestObjectContext(target, endpoint === 'par' ? 'par' : 'authorize', now))
    : lintClientAssertion(draft, clientAssertionContext(target, endpoint === 'par' ? 'par' : 'token', now));
}

/** The lint outcomes of a draft, recomputed ~150 ms after the last change. */
export function useLint(mode: ComposeMode, draft: Draft, target: ComposeTarget, endpoint: JarEndpoint | AssertionEndpoint): RuleOutcome[] | null {
  const [outcomes, setOutcomes] = useState<RuleOutcome[] | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = window.setInterval(() => setTick((n) => n + 1), REFRESH_MS);
    return () => window.clearInterval(timer);
  }, []);
  useEffect(() => {
    const timer = window.setTimeout(() => setOutcomes(lintDraft(mode, draft, target, endpoint, nowSeconds())), DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [mode, draft, target, endpoint, tick]);
  return outcomes;
}

/** The lint results. */
export function LintPanel({ outcomes }: { outcomes: RuleOutcome[] | null }) {
  const { t } = useTranslation();
  const failures = outcomes?.filter((o) => !o.passed) ?? [];
  const passed = outcomes?.filter((o) => o.passed) ?? [];
  // A rule that passed with a note (e.g. JAR-6 accepting no typ in the Auth0 profile): not a problem, but a
  // difference from the docs or the strict profile worth seeing before it surprises someone.
  const warnings = passed.filter((o) => o.note !== undefined);
  const count = failures.length;
  const words = useRuleWords();
  return (
    <section className="card compose-card lint-panel" aria-labelledby="compose-lint-title">
      <header className="compose-card-header">
        <h2 id="compose-lint-title" className="section-title">
          {t('compose.lint.title')}
        </h2>
        {outcomes !== null && (
          <span role="status">
            <Badge tone={count === 0 ? 'success' : 'danger'}>{count === 0 ? t('compose.lint.noProblems') : t('compose.lint.problems', { count })}</Badge>
            {warnings.length > 0 && (
              <>
                {' '}
                <Badge tone="warning">{t('compose.lint.warnings', { count: warnings.length })}</Badge>
              </>
            )}
          </span>
        )}
      </header>
      <p className="muted small">{t('compose.lint.hint')}</p>
      <ul className="lint-list" aria-label={t('compose.lint.listLabel')}>
        {failures.map((o, i) => {
          const w = words(o);
          return (
            <li key={`${o.id}-${i}`} className="lint-item">
              <p className="lint-line">
                <span className="lint-id">{o.id}</span> <span lang={w.summaryLang}>{w.message}</span>
              </p>
              <RuleDetail detail={w.detail} />
              <dl className="facts facts-compact lint-facts">
                {o.expected !== undefined && (
                  <>
                    <dt>{t('compose.lint.expected')}</dt>
                    <dd className="mono break">
                      <RuleValue text={o.expected} />
                    </dd>
                  </>
                )}
                {o.actual !== undefined && (
                  <>
                    <dt>{t('compose.lint.actual')}</dt>
                    <dd className="mono break">
                      <RuleValue text={o.actual} />
                    </dd>
                  </>
                )}
                {w.fix && (
                  <>
                    <dt>{t('compose.lint.fix')}</dt>
                    <dd lang={w.fixLang}>{w.fix}</dd>
                  </>
                )}
                <dt>{t('compose.lint.source')}</dt>
                <dd className="muted">{o.source}</dd>
              </dl>
            </li>
          );
        })}
      </ul>
      {warnings.length > 0 && (
        <ul className="lint-list" aria-label={t('compose.lint.warningsLabel')}>
          {warnings.map((o, i) => (
            <li key={`${o.id}-${i}`} className="lint-item lint-warning">
              <p className="lint-line">
                <Badge tone="warning">{o.id}</Badge> <span lang={words(o).summaryLang}>{words(o).summary}</span>
              </p>
              <dl className="facts facts-compact lint-facts">
                <dt>{t('compose.lint.note')}</dt>
                <dd>{o.note !== undefined && <RuleValue text={o.note} />}</dd>
                <dt>{t('compose.lint.source')}</dt>
                <dd className="muted">{o.source}</dd>
              </dl>
            </li>
          ))}
        </ul>
      )}
      {outcomes !== null && count === 0 && <p className="success-text">{t('compose.lint.allPassed')}</p>}
      {passed.length > 0 && (
        <details className="lint-passed">
          <summary>{t('compose.lint.passedCount', { count: passed.length })}</summary>
          <ul aria-label={t('compose.lint.passedLabel')}>
            {passed.map((o, i) => (
              <li key={`${o.id}-${i}`}>
                <span className="lint-id">{o.id}</span>{' '}
                <span className="muted" lang={words(o).summaryLang}>
                  {words(o).summary}
                </span>
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
