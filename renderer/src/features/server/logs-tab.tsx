/**
 * The request log: what the server received and which rule decided each answer. Read once when the tab
 * opens, then kept current by `server.trace` events (newest first, at most MAX_LOGS in the renderer).
 * Selecting a request opens its trace: every rule the server applied, failures first. A search narrows
 * the requests shown (rule id, jti, client_id, request_uri, error: state/server/logs.ts searchTraces), and
 * what is shown exports as JSON or HAR.
 */
import type { ReactNode } from 'react';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RequestTrace } from '../../../../shared/schemas/server';
import { Badge } from '../../components/badge';
import { Button } from '../../components/button';
import { downloadText } from '../../components/download';
import { CheckboxField, SelectField, TextField } from '../../components/field';
import { ListState } from '../../components/list-state';
import { useFailureToast, useSubmit } from '../../components/use-submit';
import { formatTime } from '../../i18n/format';
import { MAX_LOGS } from '../../state/server-slice';
import type { LogMatch } from '../../state/server/logs';
import { logsFileName, logsHar, logsJson, searchTraces } from '../../state/server/logs';
import { useAppStore } from '../../state/store';
import { shortId } from './client-model';
import { statusTone } from './server-labels';
import { TraceDialog } from './trace-dialog';
import { explainTrace } from '../../../../shared/explain/explain';
import { ExplainButton } from '../explain/explain-view';

/** Endpoints always offered in the filter, even before any request reached them. */
const KNOWN_ENDPOINTS = ['authorize', 'par', 'token'];

/** The Logs tab. */
export function LogsTab() {
  const { t, i18n } = useTranslation();
  const logs = useAppStore((s) => s.server.logs);
  const loaded = useAppStore((s) => s.server.logsLoaded);
  const error = useAppStore((s) => s.server.logsError);
  const filter = useAppStore((s) => s.server.logFilter);
  const clients = useAppStore((s) => s.server.clients);
  const loadLogs = useAppStore((s) => s.loadLogs);
  const setLogFilter = useAppStore((s) => s.setLogFilter);
  const query = useAppStore((s) => s.server.logQuery);
  const setLogQuery = useAppStore((s) => s.setLogQuery);
  const issuer = useAppStore((s) => s.server.status?.issuer ?? null);
  const version = useAppStore((s) => s.settings.appInfo?.version ?? '');
  const clearLogs = useAppStore((s) => s.clearLogs);
  const pushToast = useAppStore((s) => s.pushToast);
  const [openId, setOpenId] = useState<string | null>(null);
  const { busy: clearing, run } = useSubmit({ staysOpen: true, onError: useFailureToast(t('server.logs.clearFailed')) });

  useEffect(() => {
    void loadLogs();
  }, [loadLogs]);

  const endpoints = [...new Set([...KNOWN_ENDPOINTS, ...logs.map((l) => l.endpoint), ...(filter.endpoint ? [filter.endpoint] : [])])].sort();
  const clientName = (clientId: string) => clients.find((c) => c.client_id === clientId)?.name ?? null;
  const unknownClients = [...new Set(logs.map((l) => l.clientId).filter((id): id is string => !!id && !clientName(id)))];
  const open = logs.find((l) => l.id === openId) ?? null;
  const found = useMemo(() => searchTraces(logs, query), [logs, query]);
  const searching = query.trim() !== '';

  const onExport = async (kind: 'json' | 'har') => {
    try {
      const exportedAt = new Date().toISOString();
      const ctx = {
        issuer: issuer ?? 'http://127.0.0.1/',
        creator: { name: 'Parley', version: version || 'unknown' },
        exportedAt,
        filter,
        query: query.trim(),
      };
      const shown = found.map((f) => f.trace);
      downloadText(logsFileName(exportedAt, kind), kind === 'json' ? logsJson(shown, ctx) : await logsHar(shown, ctx), 'application/json');
      pushToast({ kind: 'success', message: t('server.logs.exported', { count: shown.length }) });
    } catch {
      pushToast({ kind: 'error', message: t('server.logs.exportFailed') });
    }
  };

  const onClear = () =>
    run(async () => {
      const cleared = await clearLogs();
      pushToast({ kind: 'success', message: t('server.logs.cleared', { count: cleared }) });
    });

  return (
    <div className="stack">
      <div className="log-filters">
        <SelectField
          label={t('server.logs.endpoint')}
          value={filter.endpoint}
          onChange={(e) => setLogFilter({ endpoint: e.target.value })}
          className="log-filter"
        >
          <option value="">{t('server.logs.allEndpoints')}</option>
          {endpoints.map((endpoint) => (
            <option key={endpoint} value={endpoint}>
              {endpoint}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t('server.logs.client')}
          value={filter.clientId}
          onChange={(e) => setLogFilter({ clientId: e.target.value })}
          className="log-filter"
        >
          <option value="">{t('server.logs.allClients')}</option>
          {clients.map((c) => (
            <option key={c.client_id} value={c.client_id}>
              {c.name}
            </option>
          ))}
          {unknownClients.map((id) => (
            <option key={id} value={id}>
              {id}
            </option>
          ))}
        </SelectField>
        <CheckboxField
          label={t('server.logs.failedOnly')}
          checked={filter.failedOnly}
          onChange={(e) => setLogFilter({ failedOnly: e.target.checked })}
          className="log-check"
        />
        <TextField
          type="search"
          label={t('server.logs.search')}
          hint={t('server.logs.searchHint')}
          value={query}
          onChange={(e) => setLogQuery(e.target.value)}
          className="log-search"
          spellCheck={false}
          autoComplete="off"
        />
        <div className="log-actions">
          <Button size="sm" variant="ghost" disabled={found.length === 0} onClick={() => void onExport('json')}>
            {t('server.logs.exportJson')}
          </Button>
          <Button size="sm" variant="ghost" disabled={found.length === 0} onClick={() => void onExport('har')}>
            {t('server.logs.exportHar')}
          </Button>
          <Button size="sm" variant="danger-outline" busy={clearing} onClick={() => void onClear()}>
            {t('server.logs.clear')}
          </Button>
        </div>
      </div>

      <ListState
        error={error}
        errorTitle={t('server.logs.loadFailed')}
        onRetry={() => void loadLogs()}
        loaded={loaded}
        empty={found.length === 0}
        emptyText={
          searching && logs.length > 0
            ? t('server.logs.noMatch', { query: query.trim() })
            : filter.endpoint || filter.clientId || filter.failedOnly
              ? t('server.logs.emptyFiltered')
              : t('server.logs.empty')
        }
      >
        <p className="muted small" role={searching ? 'status' : undefined}>
          {searching
            ? t('server.logs.matches', { count: found.length, total: logs.length, query: query.trim() })
            : t('server.logs.summary', { count: logs.length, max: MAX_LOGS })}
        </p>
        <div className="table-wrap">
          <table className="data-table log-table">
            <caption className="sr-only">{t('server.logs.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('server.logs.time')}</th>
                <th scope="col">{t('server.logs.method')}</th>
                <th scope="col">{t('server.logs.endpoint')}</th>
                <th scope="col">{t('server.logs.path')}</th>
                <th scope="col">{t('server.logs.client')}</th>
                <th scope="col">{t('server.logs.status')}</th>
                <th scope="col">{t('server.logs.failedRule')}</th>
                <th scope="col">
                  <span className="sr-only">{t('server.logs.explainColumn')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {found.map(({ trace, matches }) => (
                <LogRow
                  key={trace.id}
                  trace={trace}
                  matches={matches}
                  clientName={trace.clientId ? clientName(trace.clientId) : null}
                  language={i18n.language}
                  onOpen={() => setOpenId(trace.id)}
                />
              ))}
            </tbody>
          </table>
        </div>
      </ListState>
      {open && <TraceDialog trace={open} clientName={open.clientId ? clientName(open.clientId) : null} onClose={() => setOpenId(null)} />}
    </div>
  );
}

/** A cell's text, marked when the search matched it. */
function Marked({ on, children }: { on: boolean; children: ReactNode }) {
  return on ? <mark className="log-match">{children}</mark> : <>{children}</>;
}

function LogRow({
  trace,
  matches,
  clientName,
  language,
  onOpen,
}: {
  trace: RequestTrace;
  matches: readonly LogMatch[];
  clientName: string | null;
  language: string;
  onOpen: () => void;
}) {
  const { t } = useTranslation();
  const matched = (kind: LogMatch['kind'], value: string | undefined) => value !== undefined && matches.some((m) => m.kind === kind && m.value === value);
  // What matched but has no column of its own (a jti, a request_uri, the error) is shown under the path.
  const unseen = matches.filter(
    (m) => m.kind === 'jti' || m.kind === 'request_uri' || m.kind === 'error' || (m.kind === 'rule' && m.value !== trace.failedRule),
  );
  return (
    // The row is clickable for the mouse; the time is the keyboard-reachable button that opens the trace.
    <tr className="clickable-row" onClick={onOpen}>
      <td>
        <button
          type="button"
          className="link-button mono"
          aria-label={t('server.logs.open', { method: trace.method, path: trace.path, status: trace.status })}
          onClick={(e) => {
            e.stopPropagation();
            onOpen();
          }}
        >
          {formatTime(trace.at, language)}
        </button>
      </td>
      <td className="mono">{trace.method}</td>
      <td className="mono">{trace.endpoint}</td>
      <td className="mono break">
        {trace.path}
        {unseen.map((m) => (
          <span key={`${m.kind}:${m.value}`} className="log-match-line small">
            {m.kind === 'request_uri' || m.kind === 'jti' ? `${m.kind} ` : ''}
            <mark className="log-match">{m.value}</mark>
          </span>
        ))}
      </td>
      <td>
        {trace.clientId ? (
          <span title={trace.clientId}>
            <Marked on={matched('client', trace.clientId)}>{clientName ?? shortId(trace.clientId)}</Marked>
          </span>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td>
        <Badge tone={statusTone(trace.status)}>{trace.status}</Badge>
      </td>
      <td>
        {trace.failedRule ? (
          <Badge tone="danger">
            <Marked on={matched('rule', trace.failedRule)}>{trace.failedRule}</Marked>
          </Badge>
        ) : null}
      </td>
      {/* Explain opens its own dialog: the click must not also open the trace. */}
      <td onClick={(e) => e.stopPropagation()}>
        {trace.rules.length > 0 && (
          <ExplainButton title={t('explain.traceTitle', { method: trace.method, path: trace.path, status: trace.status })} build={() => explainTrace(trace)} />
        )}
      </td>
    </tr>
  );
}
