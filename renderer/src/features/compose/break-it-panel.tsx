/**
 * Break it (fault injection): one click runs every mutation of shared/faults/cases.ts on the draft against
 * the embedded server (the core signs each copy with vault keys and sends it over HTTP), and this panel
 * shows the results table: the case, the answer server-rules.md expects (status, error, rule ids), the
 * answer the server gave (status, error, the rule that failed), a verdict, and the server's trace of the
 * request. The control row is the unchanged draft; when it is refused, the panel says so first. With a DPoP
 * proof held in Compose, the client-assertion mode also runs the DPoP cases (kind `dpop_proof`): each proof,
 * made in the core with a P-256 key of its own, goes with a PAR request authenticated by the assertion draft,
 * and its verdict names the dpop-rules.md rule.
 */
import { useCallback, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ExpectedVerdict, FaultRow, FaultRun } from '../../../../shared/faults/cases';
import { casesFor } from '../../../../shared/faults/cases';
import type { RequestTrace } from '../../../../shared/schemas/server';
import { call } from '../../api/client';
import { Badge } from '../../components/badge';
import { Banner } from '../../components/banner';
import { Button } from '../../components/button';
import { cx } from '../../components/class-names';
import { ErrorBanner } from '../../components/error-text';
import { useAppStore } from '../../state/store';
import { TraceDialog } from '../server/trace-dialog';
import { caseLabel, noteLabel } from './break-it-labels';
import type { ComposeMode, Draft } from './compose-model';
import { formatList } from '../../i18n/list';

/** One mode's run: in progress, its result (with the draft it ran on), or why it could not run. */
export interface BreakItState {
  running: boolean;
  result: FaultRun | null;
  /** The draft (as JSON) the result is for, to say when it has changed since. */
  from: string | null;
  error: unknown;
}

const IDLE: BreakItState = { running: false, result: null, from: null, error: null };

/** A Break-it run's mode: a compose mode's own cases, or the DPoP cases (with the client-assertion draft). */
export type BreakItMode = ComposeMode | 'dpop';

/** The fault kind of a Break-it mode. */
export function faultKindOf(mode: BreakItMode): FaultRun['kind'] {
  return mode === 'jar' ? 'request_object' : mode === 'dpop' ? 'dpop_proof' : 'client_assertion';
}

/** What a run needs from the composer. */
export interface BreakItRequest {
  mode: BreakItMode;
  draft: Draft;
  keyId: string;
  /** Where request objects go (the composer's choice). */
  endpoint: 'authorize' | 'par';
  /** The embedded-server client the composer is aimed at (kept chosen while the scratch application appears). */
  clientId: string;
}

/** Break-it runs per compose mode, kept by the Compose editor. */
export function useBreakIt(): { states: Record<BreakItMode, BreakItState>; run: (request: BreakItRequest) => Promise<void> } {
  const [states, setStates] = useState<Record<BreakItMode, BreakItState>>({ jar: IDLE, assertion: IDLE, dpop: IDLE });
  const run = useCallback(async ({ mode, draft, keyId, endpoint, clientId }: BreakItRequest) => {
    const patch = (next: Partial<BreakItState>) => setStates((s) => ({ ...s, [mode]: { ...s[mode], ...next } }));
    patch({ running: true, error: null });
    const store = useAppStore.getState();
    // The run may create the scratch application: pin the aim so a new client never becomes the default one.
    if (store.compose.clientSource === 'server' && store.compose.serverClientId === '' && clientId !== '') store.patchCompose({ serverClientId: clientId });
    try {
      const result = await call('faults.run', {
        kind: faultKindOf(mode),
        claims: draft.payload,
        header: draft.header,
        keyId,
        ...(mode === 'jar' ? { endpoint } : {}),
      });
      patch({ running: false, result, from: JSON.stringify(draft) });
    } catch (e) {
      patch({ running: false, error: e });
    } finally {
      void useAppStore.getState().loadClients();
    }
  }, []);
  return { states, run };
}

/** The path a row's deciding request went to. */
function pathOf(endpoint: FaultRow['endpoint']): string {
  return endpoint === 'par' ? '/oauth/par' : endpoint === 'token' ? '/oauth/token' : endpoint === 'userinfo' ? '/userinfo' : '/authorize';
}

/** Rule ids as badges; with several, a screen reader hears "one of". */
function RuleBadges({ rules }: { rules: readonly string[] }) {
  const { t } = useTranslation();
  return (
    <span className="break-it-rules">
      {rules.length > 1 && <span className="sr-only">{t('compose.breakIt.oneOf')}</span>}
      {rules.map((rule) => (
        <Badge key={rule}>{rule}</Badge>
      ))}
    </span>
  );
}

function Expected({ verdict }: { verdict: ExpectedVerdict }) {
  const { t } = useTranslation();
  if (verdict.outcome === 'accepted') {
    return (
      <span className="break-it-answer">
        <code className="mono">{verdict.status}</code> <span>{t('compose.breakIt.accepted')}</span>
      </span>
    );
  }
  return (
    <span className="break-it-answer">
      <code className="mono">
        {verdict.status} {verdict.error}
      </code>
      <RuleBadges rules={verdict.rules} />
    </span>
  );
}

function Actual({ row }: { row: FaultRow }) {
  const { t } = useTranslation();
  const { status, error, failedRule } = row.actual;
  return (
    <span className="break-it-answer">
      <code className="mono">
        {status}
        {error ? ` ${error}` : ''}
      </code>
      {failedRule ? (
        <Badge tone={row.pass ? 'neutral' : 'danger'}>{failedRule}</Badge>
      ) : status < 400 && !error ? (
        <span>{t('compose.breakIt.accepted')}</span>
      ) : null}
      {row.note && <span className="muted small break-it-note">{noteLabel(t, row.note)}</span>}
    </span>
  );
}

function VerdictCell({ pass }: { pass: boolean }) {
  const { t } = useTranslation();
  return (
    <span className={cx('break-it-verdict', pass ? 'is-pass' : 'is-fail')}>
      <span aria-hidden="true">{pass ? '✓' : '✗'}</span> {pass ? t('compose.breakIt.verdictPass') : t('compose.breakIt.verdictFail')}
    </span>
  );
}

/** The results of a run (or its progress), shown under the composer. */
export function BreakItPanel({ mode, draft, state }: { mode: BreakItMode; draft: Draft; state: BreakItState }) {
  const { t, i18n } = useTranslation();
  const titleId = useId();
  const [open, setOpen] = useState<RequestTrace | null>(null);
  const { running, result, error, from } = state;
  if (!running && !result && !error) return null;

  const total = casesFor(faultKindOf(mode)).length;
  const rows = result?.rows ?? [];
  const passed = rows.filter((r) => r.pass).length;
  const control = rows.find((r) => r.caseId === 'control');
  const stale = result !== null && from !== JSON.stringify(draft);

  return (
    <section className="card compose-card break-it" aria-labelledby={titleId} aria-busy={running || undefined}>
      <header className="compose-card-header">
        <h2 id={titleId} className="section-title">
          {mode === 'dpop' ? t('compose.breakIt.titleDpop') : t('compose.breakIt.title')}
        </h2>
        {/* One live region for both: "running…" while it runs, then the summary. */}
        <div role="status" className="break-it-status">
          {running ? (
            <span className="muted small">{t('compose.breakIt.running', { count: total })}</span>
          ) : (
            result && <Badge tone={passed === rows.length ? 'success' : 'danger'}>{t('compose.breakIt.summary', { count: passed, total: rows.length })}</Badge>
          )}
        </div>
      </header>
      {running && (
        <div className="progress" role="progressbar" aria-label={t('compose.breakIt.progressLabel')}>
          <div className="progress-bar" />
        </div>
      )}
      <p className="muted small">{mode === 'dpop' ? t('compose.breakIt.introDpop') : t('compose.breakIt.intro')}</p>
      <ErrorBanner error={error} title={t('compose.breakIt.failed')} />
      {result && !running && (
        <>
          {stale && <Banner tone="info">{t('compose.breakIt.stale')}</Banner>}
          {!result.baselinePassed && control && (
            <Banner tone="warning" title={t('compose.breakIt.baselineFailed', { reason: control.actual.failedRule ?? `HTTP ${control.actual.status}` })}>
              <p>{t('compose.breakIt.baselineFailedHint')}</p>
            </Banner>
          )}
          <ul className="break-it-facts muted small">
            <li>{t('compose.breakIt.application', { name: result.clientName, clientId: result.clientId })}</li>
            <li>
              {result.rewritten.length > 0
                ? t('compose.breakIt.rewritten', { claims: formatList(result.rewritten, i18n.language) })
                : t('compose.breakIt.notRewritten')}
            </li>
            <li>
              {result.otherKey.source === 'vault' ? t('compose.breakIt.otherKeyVault', { name: result.otherKey.name }) : t('compose.breakIt.otherKeyEphemeral')}
            </li>
          </ul>
          <div className="table-wrap">
            <table className="data-table break-it-table">
              <caption className="sr-only">{t('compose.breakIt.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('compose.breakIt.columns.case')}</th>
                  <th scope="col">{t('compose.breakIt.columns.expected')}</th>
                  <th scope="col">{t('compose.breakIt.columns.actual')}</th>
                  <th scope="col">{t('compose.breakIt.columns.verdict')}</th>
                  <th scope="col">{t('compose.breakIt.columns.trace')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => {
                  const label = caseLabel(t, row.caseId);
                  const trace = row.trace;
                  return (
                    <tr key={row.caseId} className={cx(!row.pass && 'break-it-row-failed')}>
                      <th scope="row">
                        <span className="break-it-case">{label}</span>
                        <span className="muted small break-it-meta">
                          <code className="mono">{pathOf(row.endpoint)}</code> · {row.spec}
                        </span>
                      </th>
                      <td>
                        <Expected verdict={row.expected} />
                      </td>
                      <td>
                        <Actual row={row} />
                      </td>
                      <td>
                        <VerdictCell pass={row.pass} />
                      </td>
                      <td>
                        {trace ? (
                          <Button size="sm" aria-label={t('compose.breakIt.traceOf', { case: label })} onClick={() => setOpen(trace)}>
                            {t('compose.breakIt.trace')}
                          </Button>
                        ) : (
                          <span className="muted">—</span>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
      {open && <TraceDialog trace={open} clientName={result?.clientName ?? null} onClose={() => setOpen(null)} />}
    </section>
  );
}
