/**
 * One application: its identity, then "Settings", "Credentials" and "APIs" sub-tabs like Auth0's dashboard.
 * The Management API's own client is shown read-only.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ServerClient } from '../../../../shared/schemas/server';
import { Badge } from '../../components/badge';
import { Banner } from '../../components/banner';
import { Button } from '../../components/button';
import { CopyButton } from '../../components/copy-button';
import { Tabs } from '../../components/tabs';
import { useAppStore } from '../../state/store';
import { ApplicationApis } from './application-apis';
import { ApplicationCredentials } from './application-credentials';
import { ApplicationSettings } from './application-settings';
import { authMethodOf } from './client-model';
import { appTypeLabel, authMethodLabel } from './server-labels';

type DetailTab = 'settings' | 'credentials' | 'apis';

/** Props of ApplicationDetail. Mount it with `key={client_id}` so local state resets per application. */
export interface ApplicationDetailProps {
  client: ServerClient;
  onBack: () => void;
}

/** The detail of one application. */
export function ApplicationDetail({ client, onBack }: ApplicationDetailProps) {
  const { t } = useTranslation();
  const headingId = useId();
  const [tab, setTab] = useState<DetailTab>('settings');
  const loadCredentials = useAppStore((s) => s.loadCredentials);
  const management = client.parley_management === true;
  const heading = useRef<HTMLHeadingElement>(null);

  // The list was replaced by this detail: move focus to its heading so keyboard users land here.
  useEffect(() => {
    heading.current?.focus();
  }, []);

  useEffect(() => {
    if (!management) void loadCredentials(client.client_id);
  }, [client.client_id, loadCredentials, management]);

  return (
    <section className="app-detail" aria-labelledby={headingId}>
      <div>
        <Button variant="ghost" size="sm" onClick={onBack}>
          <svg className="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
            <path d="M10 3.5L5.5 8l4.5 4.5" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
          {t('server.apps.back')}
        </Button>
      </div>
      <header className="key-detail-header">
        <div className="key-detail-heading">
          <h2 ref={heading} id={headingId} className="key-detail-title" tabIndex={-1}>
            {client.name}
          </h2>
          <p className="muted row">
            <span>{appTypeLabel(t, client.app_type)}</span>
            <span aria-hidden="true">·</span>
            <span>{authMethodLabel(t, authMethodOf(client))}</span>
            {management && <Badge tone="accent">{t('server.apps.managementBadge')}</Badge>}
          </p>
        </div>
      </header>
      <dl className="facts">
        <dt>{t('server.apps.clientId')}</dt>
        <dd>
          <div className="thumbprint">
            <code className="mono break">{client.client_id}</code>
            <CopyButton text={client.client_id} label={t('server.apps.copyClientId')} />
          </div>
        </dd>
      </dl>

      {management ? (
        <Banner tone="info" title={t('server.apps.managementTitle')}>
          <p>{t('server.apps.managementBody')}</p>
        </Banner>
      ) : (
        <Tabs
          label={t('server.apps.sections')}
          selected={tab}
          onSelect={setTab}
          tabs={[
            { id: 'settings', label: t('server.apps.settingsTab'), panel: <ApplicationSettings client={client} /> },
            { id: 'credentials', label: t('server.apps.credentialsTab'), panel: <ApplicationCredentials client={client} /> },
            { id: 'apis', label: t('server.apps.apisTab'), panel: <ApplicationApis client={client} /> },
          ]}
        />
      )}
    </section>
  );
}
