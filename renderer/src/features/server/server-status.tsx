/**
 * Whether the server runs, where (issuer, port, discovery and JWKS URLs to copy into a client), with
 * which profile, and why not when it failed to start (a port already taken, typically).
 */
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Badge } from '../../components/badge';
import { Banner } from '../../components/banner';
import { Button } from '../../components/button';
import { CopyButton } from '../../components/copy-button';
import { ErrorBanner } from '../../components/error-text';
import { Spinner } from '../../components/spinner';
import { useFailureToast, useSubmit } from '../../components/use-submit';
import { useAppStore } from '../../state/store';
import { issuerUrl } from './client-model';
import { profileLabel } from './server-labels';

/** The status card. */
export function ServerStatusCard() {
  const { t } = useTranslation();
  const status = useAppStore((s) => s.server.status);
  const statusError = useAppStore((s) => s.server.statusError);
  const loadServerStatus = useAppStore((s) => s.loadServerStatus);
  const restartServer = useAppStore((s) => s.restartServer);
  const pushToast = useAppStore((s) => s.pushToast);
  const { busy: restarting, run } = useSubmit({ staysOpen: true, onError: useFailureToast(t('server.status.restartFailed')) });
  const headingId = useId();

  const onRestart = async () => {
    await run(async () => {
      const next = await restartServer();
      if (next.running) pushToast({ kind: 'success', message: t('server.status.restarted') });
    });
  };

  if (!status) {
    return (
      <section className="card server-card" aria-labelledby={headingId}>
        <h2 id={headingId} className="section-title">
          {t('server.status.title')}
        </h2>
        {statusError ? (
          <div className="stack">
            <ErrorBanner error={statusError} title={t('server.status.loadFailed')} />
            <div>
              <Button size="sm" onClick={() => void loadServerStatus()}>
                {t('common.retry')}
              </Button>
            </div>
          </div>
        ) : (
          <p className="muted" role="status">
            <Spinner /> {t('common.loading')}
          </p>
        )}
      </section>
    );
  }

  const { running, issuer, port, settings, error, management, tls } = status;
  const portPending = running && settings.port !== 0 && port !== null && port !== settings.port;
  // The https switch, like the port, applies on restart.
  const httpsPending = running && issuer !== null && settings.https !== issuer.startsWith('https:');

  return (
    <section className="card server-card" aria-labelledby={headingId}>
      <header className="server-card-header">
        <h2 id={headingId} className="section-title">
          {t('server.status.title')}
        </h2>
        <Badge tone={running ? 'success' : 'danger'}>{running ? t('server.status.running') : t('server.status.stopped')}</Badge>
      </header>

      {!running && (
        <Banner tone="error" role="alert" title={t('server.status.notRunning')}>
          {error && <p className="banner-detail">{error}</p>}
        </Banner>
      )}
      {portPending && (
        <Banner tone="info">
          <p>{t('server.status.portPending', { port: settings.port })}</p>
        </Banner>
      )}
      {httpsPending && (
        <Banner tone="info">
          <p>{t('server.status.httpsPending', { scheme: settings.https ? 'HTTPS' : 'HTTP' })}</p>
        </Banner>
      )}

      <div className="server-facts-grid">
        <dl className="facts server-facts">
          <dt>{t('server.status.issuer')}</dt>
          <dd>{issuer ? <UrlValue url={issuer} copyLabel={t('server.status.copyIssuer')} /> : <span className="muted">{t('server.status.none')}</span>}</dd>
          <dt>{t('server.status.port')}</dt>
          <dd className="mono">{port ?? t('server.status.none')}</dd>
          <dt>{t('server.status.profile')}</dt>
          <dd>{profileLabel(t, settings.profile)}</dd>
        </dl>
        <dl className="facts server-facts">
          {issuer && (
            <>
              <dt>{t('server.status.discovery')}</dt>
              <dd>
                <UrlValue url={issuerUrl(issuer, '.well-known/openid-configuration')} copyLabel={t('server.status.copyDiscovery')} />
              </dd>
              <dt>{t('server.status.jwks')}</dt>
              <dd>
                <UrlValue url={issuerUrl(issuer, '.well-known/jwks.json')} copyLabel={t('server.status.copyJwks')} />
              </dd>
            </>
          )}
          {management && (
            <>
              <dt>{t('server.status.managementAudience')}</dt>
              <dd>
                <UrlValue url={management.audience} copyLabel={t('server.status.copyManagementAudience')} />
              </dd>
            </>
          )}
          {tls && (
            <>
              <dt>{t('server.status.caFile')}</dt>
              <dd>
                <UrlValue url={tls.caFile} copyLabel={t('server.status.copyCaFile')} />
              </dd>
            </>
          )}
        </dl>
      </div>
      {tls && <TrustHelp />}

      <div className="row">
        <Button variant={running ? 'secondary' : 'primary'} size="sm" busy={restarting} onClick={() => void onRestart()}>
          {t('server.status.restart')}
        </Button>
      </div>
    </section>
  );
}

/** How clients trust the local CA (the CLI's ready-line summary says the same). */
function TrustHelp() {
  const { t } = useTranslation();
  return (
    <details className="server-trust">
      <summary>{t('server.status.trustTitle')}</summary>
      <p className="muted small">{t('server.status.trustIntro')}</p>
      <ul className="small">
        <li>{t('server.status.trustNode')}</li>
        <li>{t('server.status.trustCurl')}</li>
        <li>{t('server.status.trustPython')}</li>
        <li>{t('server.status.trustBrowser')}</li>
      </ul>
    </details>
  );
}

function UrlValue({ url, copyLabel }: { url: string; copyLabel: string }) {
  return (
    <div className="thumbprint">
      <code className="mono break">{url}</code>
      <CopyButton text={url} label={copyLabel} />
    </div>
  );
}
