/**
 * Applications (Auth0 clients): a table, and the selected application's detail in its place. The
 * Management API's own client is listed and marked, but cannot be edited or deleted here.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ServerClient } from '../../../../shared/schemas/server';
import { Badge } from '../../components/badge';
import { CopyButton } from '../../components/copy-button';
import { ListState, ListToolbar } from '../../components/list-state';
import { useAppStore } from '../../state/store';
import { ApplicationDetail } from './application-detail';
import { authMethodOf, jarRequired, parRequired, shortId } from './client-model';
import { CreateApplicationDialog } from './create-application-dialog';
import { appTypeLabel, authMethodLabel } from './server-labels';

/** The Applications tab. */
export function ApplicationsTab() {
  const { t } = useTranslation();
  const clients = useAppStore((s) => s.server.clients);
  const loaded = useAppStore((s) => s.server.clientsLoaded);
  const error = useAppStore((s) => s.server.clientsError);
  const selectedId = useAppStore((s) => s.server.selectedClientId);
  const loadClients = useAppStore((s) => s.loadClients);
  const selectClient = useAppStore((s) => s.selectClient);
  const [creating, setCreating] = useState(false);
  const list = useRef<HTMLDivElement>(null);
  const returnTo = useRef<string | null>(null);

  const selected = clients.find((c) => c.client_id === selectedId) ?? null;

  // Back from a detail: focus that application's row again.
  useEffect(() => {
    if (selected || !returnTo.current) return;
    list.current?.querySelector<HTMLElement>(`[data-client-id="${CSS.escape(returnTo.current)}"]`)?.focus();
    returnTo.current = null;
  }, [selected]);

  if (selected) {
    const onBack = () => {
      returnTo.current = selected.client_id;
      selectClient(null);
    };
    return <ApplicationDetail key={selected.client_id} client={selected} onBack={onBack} />;
  }

  return (
    <div ref={list} className="stack">
      <ListToolbar intro={t('server.apps.intro')} addLabel={t('server.apps.create')} onAdd={() => setCreating(true)} />

      <ListState
        error={error}
        errorTitle={t('server.apps.loadFailed')}
        onRetry={() => void loadClients()}
        loaded={loaded}
        empty={clients.length === 0}
        emptyText={t('server.apps.empty')}
      >
        <div className="table-wrap">
          <table className="data-table">
            <caption className="sr-only">{t('server.apps.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('server.apps.name')}</th>
                <th scope="col">{t('server.apps.clientId')}</th>
                <th scope="col">{t('server.apps.type')}</th>
                <th scope="col">{t('server.apps.authMethod')}</th>
                <th scope="col">{t('server.apps.requirements')}</th>
              </tr>
            </thead>
            <tbody>
              {clients.map((client) => (
                <ClientRow key={client.client_id} client={client} onOpen={() => selectClient(client.client_id)} />
              ))}
            </tbody>
          </table>
        </div>
      </ListState>

      {creating && <CreateApplicationDialog onClose={() => setCreating(false)} />}
    </div>
  );
}

function ClientRow({ client, onOpen }: { client: ServerClient; onOpen: () => void }) {
  const { t } = useTranslation();
  const management = client.parley_management === true;
  return (
    <tr>
      <th scope="row">
        <span className="cell-title">
          <button type="button" className="link-button" data-client-id={client.client_id} onClick={onOpen}>
            {client.name}
          </button>
          {management && (
            <Badge tone="accent" title={t('server.apps.managementHint')}>
              {t('server.apps.managementBadge')}
            </Badge>
          )}
        </span>
      </th>
      <td>
        <span className="thumbprint">
          <code className="mono" title={client.client_id}>
            {shortId(client.client_id)}
          </code>
          <CopyButton text={client.client_id} label={t('server.apps.copyClientIdOf', { name: client.name })} />
        </span>
      </td>
      <td>{appTypeLabel(t, client.app_type)}</td>
      <td>{authMethodLabel(t, authMethodOf(client))}</td>
      <td>
        <span className="chips">
          {jarRequired(client) && <Badge tone="accent">{t('server.apps.jarRequired')}</Badge>}
          {parRequired(client) && <Badge tone="accent">{t('server.apps.parRequired')}</Badge>}
        </span>
      </td>
    </tr>
  );
}
