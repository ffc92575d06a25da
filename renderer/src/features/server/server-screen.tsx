/**
 * The Server screen: the embedded authorization server's status and settings on top, then its
 * applications, APIs, users and request log in tabs. The applications mirror Auth0's dashboard, so a flow
 * rehearsed here carries over to a real tenant.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ScreenHeader } from '../../components/screen-header';
import { Tabs } from '../../components/tabs';
import { useAppStore } from '../../state/store';
import { ApisTab } from './apis-tab';
import { ApplicationsTab } from './applications-tab';
import { LogsTab } from './logs-tab';
import { ServerSettingsCard } from './server-settings';
import { ServerStatusCard } from './server-status';
import { UsersTab } from './users-tab';

type ServerTab = 'applications' | 'apis' | 'users' | 'logs';

/** The Server screen. */
export function ServerScreen() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<ServerTab>('applications');
  const applicationOpen = useAppStore((s) => tab === 'applications' && s.server.selectedClientId !== null);
  const issuer = useAppStore((s) => (s.server.status?.running ? s.server.status.issuer : null));
  // Folded while an application is open, unless the user unfolded (or folded) it themselves.
  const [topToggled, setTopToggled] = useState<boolean | null>(null);
  const topOpen = topToggled ?? !applicationOpen;

  useEffect(() => {
    const store = useAppStore.getState();
    void store.loadServerStatus();
    void store.loadClients();
  }, []);

  return (
    <div className="screen server-screen">
      <ScreenHeader title={t('server.title')} subtitle={t('server.subtitle')} />
      {/* With an application open, status and settings fold into one line, so the application's tabs
          (Credentials first among them for JAR and Private Key JWT) are in view at 1024×700. */}
      <details className="server-top-fold" open={topOpen} onToggle={(e) => e.currentTarget.open !== topOpen && setTopToggled(e.currentTarget.open)}>
        <summary className="server-top-summary">{issuer ? t('server.topFolded', { issuer }) : t('server.topFoldedStopped')}</summary>
        <div className="server-top">
          <ServerStatusCard />
          <ServerSettingsCard />
        </div>
      </details>
      <Tabs
        label={t('server.tabs.label')}
        selected={tab}
        onSelect={setTab}
        tabs={[
          { id: 'applications', label: t('server.tabs.applications'), panel: <ApplicationsTab /> },
          { id: 'apis', label: t('server.tabs.apis'), panel: <ApisTab /> },
          { id: 'users', label: t('server.tabs.users'), panel: <UsersTab /> },
          { id: 'logs', label: t('server.tabs.logs'), panel: <LogsTab /> },
        ]}
      />
    </div>
  );
}
