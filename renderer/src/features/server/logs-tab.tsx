/**
 * The request log: what the server received and which rule decided each answer. Read once when the tab
 * opens, then kept current by `server.trace` events (newest first, at most MAX_LOGS in the renderer).
 * Selecting a request opens its trace: every rule the server applied, failures first.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RequestTrace } from '../../../../shared/schemas/server';
import { Badge } from '../../components/badge';
import { Button } from '../../components/button';
import { CheckboxField, SelectField } from '../../components/field';
import { ListState } from '../../components/list-state';
import { describeError } from '../../i18n/errors';
import { formatTime } from '../../i18n/format';
import { MAX_LOGS } from '../../state/server-slice';
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
  const clearLogs = useAppStore((s) => s.clearLogs);
  const pushToast = useAppStore((s) => s.pushToast);
  const [openId, setOpenId] = useState<string | null>(null);
  const [clearing, setClearing] = useState(false);

  useEffect(() => {
    void loadLogs();
  }, [loadLogs]);

  const endpoints = [...new Set([...KNOWN_ENDPOINTS, ...logs.map((l) => l.endpoint), ...(filter.endpoint ? [filter.endpoint] : [])])].sort();
  const clientName = (clientId: string) => clients.find((c) => c.client_id === clientId)?.name ?? null;
  const unknownClients = [...new Set(logs.map((l) => l.clientId).filter((id): id is string => !!id && !clientName(id)))];
  const open = logs.find((l) => l.id === openId) ?? null;

  const onClear = async () => {
    setClearing(true);
    try {
      const cleared = await clearLogs();
      pushToast({ kind: 'success', message: t('server.logs.cleared', { count: cleared }) });
    } catch (e) {
      const { message, detail } = describeError(t, e);
      pushToast({ kind: 'error', message: t('server.logs.clearFailed'), detail: detail ?? message });
    } finally {
      setClearing(false);
    }
  };

  return (
    <div className="stack">
      <div className="log-filters">
        <SelectField label={t('server.logs.endpoint')} value={filter.endpoint} onChange={(e) => setLogFilter({ endpoint: e.target.value })} className="log-filter">
          <option value="">{t('server.logs.allEndpoints')}</option>
          {endpoints.map((endpoint) => (
            <option key={endpoint} value={endpoint}>
              {endpoint}
            </option>
          ))}
        </SelectField>
        <SelectField label={t('server.logs.client')} value={filter.clientId} onChange={(e) => setLogFilter({ clientId: e.target.value })} className="log-filter">
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
        <CheckboxField label={t('server.logs.failedOnly')} checked={filter.failedOnly} onChange={(e) => setLogFilter({ failedOnly: e.target.checked })} className="log-check" />
        <div className="log-actions">
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
        empty={logs.length === 0}
        emptyText={filter.endpoint || filter.clientId || filter.failedOnly ? t('server.logs.emptyFiltered') : t('server.logs.empty')}
      >
        <p className="muted small">{t('server.logs.summary', { count: logs.length, max: MAX_LOGS })}</p>
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
              {logs.map((trace) => (
                <LogRow key={trace.id} trace={trace} clientName={trace.clientId ? clientName(trace.clientId) : null} language={i18n.language} onOpen={() => setOpenId(trace.id)} />
              ))}
            </tbody>
          </table>
        </div>
      </ListState>
      {open && <TraceDialog trace={open} clientName={open.clientId ? clientName(open.clientId) : null} onClose={() => setOpenId(null)} />}
    </div>
  );
}

function LogRow({ trace, clientName, language, onOpen }: { trace: RequestTrace; clientName: string | null; language: string; onOpen: () => void }) {
  const { t } = useTranslation();
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
      <td className="mono break">{trace.path}</td>
      <td>{trace.clientId ? <span title={trace.clientId}>{clientName ?? shortId(trace.clientId)}</span> : <span className="muted">—</span>}</td>
      <td>
        <Badge tone={statusTone(trace.status)}>{trace.status}</Badge>
      </td>
      <td>{trace.failedRule ? <Badge tone="danger">{trace.failedRule}</Badge> : null}</td>
      {/* Explain opens its own dialog: the click must not also open the trace. */}
      <td onClick={(e) => e.stopPropagation()}>
        {trace.rules.length > 0 && <ExplainButton title={t('explain.traceTitle', { method: trace.method, path: trace.path, status: trace.status })} build={() => explainTrace(trace)} />}
      </td>
    </tr>
  );
}
