/**
 * An application's APIs tab, like Auth0's dashboard: each API the embedded server issues access tokens for,
 * an "Authorized" switch and the permissions (scopes) granted, saved per API as an Auth0 client grant
 * (POST/DELETE /api/v2/client-grants through the contract). A grant alone does not let a client get a
 * token: it also needs client_credentials in its grant types, which the tab says plainly and offers to add.
 */
import type { FormEvent } from 'react';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ServerApi, ServerClient, ServerClientGrant } from '../../../../shared/schemas/server';
import { Badge } from '../../components/badge';
import { Banner } from '../../components/banner';
import { Button } from '../../components/button';
import { CopyButton } from '../../components/copy-button';
import { ErrorBanner } from '../../components/error-text';
import { CheckboxField } from '../../components/field';
import { ListState } from '../../components/list-state';
import { useSubmit } from '../../components/use-submit';
import { sameScopes } from '../../state/server-slice';
import { useAppStore } from '../../state/store';
import { authMethodOf, enableClientCredentialsBody, hasClientCredentials, scopeOptions } from './client-model';

/** A stable empty list: a selector must not return a new array on every call. */
const NO_GRANTS: ServerClientGrant[] = [];

/** The APIs sub-tab. */
export function ApplicationApis({ client }: { client: ServerClient }) {
  const { t } = useTranslation();
  const loadClientGrants = useAppStore((s) => s.loadClientGrants);
  const list = useAppStore((s) => s.server.clientGrants[client.client_id]);
  const error = useAppStore((s) => s.server.clientGrantsError[client.client_id] ?? null);
  const apis = useAppStore((s) => s.server.apis);
  const grants = list ?? NO_GRANTS;

  useEffect(() => {
    void loadClientGrants(client.client_id);
  }, [client.client_id, loadClientGrants]);

  return (
    <div className="stack">
      <p className="muted">{t('server.apis.intro')}</p>
      {!hasClientCredentials(client) && <ClientCredentialsNotice client={client} anyAuthorized={grants.length > 0} />}
      <ListState
        error={error}
        errorTitle={t('server.apis.loadFailed')}
        onRetry={() => void loadClientGrants(client.client_id)}
        loaded={list !== undefined}
        empty={apis.length === 0}
        emptyText={t('server.apis.empty')}
      >
        <div className="stack">
          {apis.map((api) => {
            const grant = grants.find((g) => g.audience === api.audience);
            // Remounted when the saved grant changes, so the form starts from what the server holds.
            return <ApiAccess key={`${api.audience}|${grant?.id ?? ''}|${grant?.scope.join(' ') ?? ''}`} client={client} api={api} grant={grant} />;
          })}
        </div>
      </ListState>
    </div>
  );
}

/** Says that the client cannot use client_credentials, and offers to enable it when Auth0 would allow it. */
function ClientCredentialsNotice({ client, anyAuthorized }: { client: ServerClient; anyAuthorized: boolean }) {
  const { t } = useTranslation();
  const updateClient = useAppStore((s) => s.updateClient);
  const pushToast = useAppStore((s) => s.pushToast);
  const { busy, error, run } = useSubmit({ staysOpen: true });
  const isPublic = authMethodOf(client) === 'none';

  const onEnable = async () => {
    await run(async () => {
      await updateClient(client.client_id, enableClientCredentialsBody(client));
      pushToast({ kind: 'success', message: t('server.apis.ccEnabled') });
    });
  };

  return (
    <Banner tone={anyAuthorized ? 'warning' : 'info'} title={t('server.apis.ccMissingTitle')}>
      <p>{t('server.apis.ccMissingBody')}</p>
      {isPublic ? (
        <p>{t('server.apis.ccPublic')}</p>
      ) : (
        <div className="stack-sm">
          <ErrorBanner error={error} title={t('server.apis.ccEnableFailed')} />
          <div>
            <Button size="sm" busy={busy} onClick={() => void onEnable()}>
              {t('server.apis.ccEnable')}
            </Button>
          </div>
        </div>
      )}
    </Banner>
  );
}

/** One API: the Authorized switch, its permissions, and Save. */
function ApiAccess({ client, api, grant }: { client: ServerClient; api: ServerApi; grant: ServerClientGrant | undefined }) {
  const { t } = useTranslation();
  const titleId = useId();
  const saveClientGrant = useAppStore((s) => s.saveClientGrant);
  const pushToast = useAppStore((s) => s.pushToast);
  const [authorized, setAuthorized] = useState(grant !== undefined);
  const [selected, setSelected] = useState<readonly string[]>(grant?.scope ?? []);
  const { busy, error, run, clearError } = useSubmit({ staysOpen: true });

  const name = api.management ? t('server.apis.managementName') : api.audience;
  const options = scopeOptions(api.scopes, grant?.scope);
  const dirty = authorized !== (grant !== undefined) || (authorized && grant !== undefined && !sameScopes(selected, grant.scope));
  const toggle = (scope: string, on: boolean) =>
    setSelected((current) => (on ? options.filter((s) => s === scope || current.includes(s)) : current.filter((s) => s !== scope)));

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!dirty) return;
    await run(async () => {
      await saveClientGrant(client.client_id, api.audience, authorized ? options.filter((s) => selected.includes(s)) : null);
      pushToast({ kind: 'success', message: authorized ? t('server.apis.savedAuthorized', { api: name }) : t('server.apis.savedUnauthorized', { api: name }) });
    });
  };

  return (
    <form className="detail-block api-access" aria-labelledby={titleId} onSubmit={(e) => void onSubmit(e)} noValidate>
      <div className="api-access-header">
        <div className="api-access-title">
          <h3 id={titleId} className="section-title">
            {name}
          </h3>
          {api.management ? <Badge tone="accent">{t('server.apis.managementBadge')}</Badge> : <Badge>{t('server.apis.customBadge')}</Badge>}
        </div>
        <CheckboxField
          role="switch"
          className="api-access-switch"
          label={t('server.apis.authorized')}
          checked={authorized}
          onChange={(e) => {
            setAuthorized(e.target.checked);
            clearError();
          }}
        />
      </div>
      {authorized && !hasClientCredentials(client) && <p className="field-hint field-hint-warning">{t('server.apis.ccNeeded')}</p>}
      <dl className="facts facts-compact">
        <dt>{t('server.apis.audience')}</dt>
        <dd>
          <span className="thumbprint">
            <code className="mono break">{api.audience}</code>
            <CopyButton text={api.audience} label={t('server.apis.copyAudience', { api: name })} />
          </span>
        </dd>
      </dl>
      {!api.management && <p className="muted small">{t('server.apis.customHint')}</p>}

      {authorized ? (
        <div className="api-scopes">
          <fieldset className="fieldset">
            <legend className="field-label">
              {t('server.apis.permissions')}{' '}
              <span className="muted small">{t('server.apis.permissionsCount', { count: selected.length, total: options.length })}</span>
            </legend>
            <div className="row api-scopes-select">
              <span className="muted small">{t('server.apis.select')}</span>
              <Button size="sm" variant="ghost" disabled={selected.length === options.length} onClick={() => setSelected(options)}>
                {t('server.apis.selectAll')}
              </Button>
              <Button size="sm" variant="ghost" disabled={selected.length === 0} onClick={() => setSelected([])}>
                {t('server.apis.selectNone')}
              </Button>
            </div>
            {options.length > 0 ? (
              <div className="api-scope-grid">
                {options.map((scope) => (
                  <CheckboxField
                    key={scope}
                    label={<span className="mono">{scope}</span>}
                    checked={selected.includes(scope)}
                    onChange={(e) => toggle(scope, e.target.checked)}
                  />
                ))}
              </div>
            ) : (
              <p className="muted small">{t('server.apis.noScopesDefined')}</p>
            )}
            {selected.length === 0 && options.length > 0 && <p className="field-hint">{t('server.apis.noScopeSelected')}</p>}
          </fieldset>
        </div>
      ) : (
        <p className="muted small">{grant ? t('server.apis.willUnauthorize') : t('server.apis.notAuthorized')}</p>
      )}

      <ErrorBanner error={error} title={t('server.apis.saveFailed')} />
      <div className="row">
        <Button type="submit" variant="primary" size="sm" busy={busy} disabled={!dirty}>
          {t('common.save')}
        </Button>
        {dirty && <span className="muted small">{t('server.appSettings.unsaved')}</span>}
      </div>
    </form>
  );
}
