/**
 * An application's Credentials tab, mirroring Auth0's dashboard: the authentication method (switching to
 * Private Key JWT needs a credential and sends `token_endpoint_auth_method: null` with
 * `client_authentication_methods`; switching back sends `client_authentication_methods: null` with a
 * method: MGC-5), then the credentials with the slots they are attached to, and their actions.
 */
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ServerClient, ServerCredential } from '../../../../shared/schemas/server';
import { Badge } from '../../components/badge';
import { Banner } from '../../components/banner';
import { Button } from '../../components/button';
import { CopyButton } from '../../components/copy-button';
import { ErrorBanner } from '../../components/error-text';
import { SelectField } from '../../components/field';
import { ListState } from '../../components/list-state';
import { useSubmit } from '../../components/use-submit';
import { formatDate } from '../../i18n/format';
import { useAppStore } from '../../state/store';
import { shortThumbprint, warningBadge, warningText } from '../keys/key-labels';
import { AddCredentialDialog } from './add-credential-dialog';
import type { AuthMethod, Slot } from './client-model';
import { AUTH_METHODS, MAX_CREDENTIALS, authMethodBody, authMethodOf, isExpired, slotsOf } from './client-model';
import { AssignCredentialDialog, DeleteCredentialDialog, EditExpiryDialog } from './credential-dialogs';
import { authMethodHint, authMethodLabel, slotLabel } from './server-labels';
import { credentialOptionLabel, useClientCredentials, useReuseCheck } from './use-server-data';
import { serverNowMs } from './clock-offset';

type OpenDialog = { kind: 'add'; attach: Slot | 'none' } | { kind: 'assign' | 'expiry' | 'delete'; id: string } | null;

/** The Credentials sub-tab. */
export function ApplicationCredentials({ client }: { client: ServerClient }) {
  const { t, i18n } = useTranslation();
  const { credentials, loaded, error } = useClientCredentials(client.client_id);
  const loadCredentials = useAppStore((s) => s.loadCredentials);
  const [dialog, setDialog] = useState<OpenDialog>(null);
  const close = () => setDialog(null);
  const dialogCredential = dialog && 'id' in dialog ? (credentials.find((c) => c.id === dialog.id) ?? null) : null;
  const full = credentials.length >= MAX_CREDENTIALS;
  const shared = credentials.filter((c) => slotsOf(client, c.id).length === 2);
  const defaultAttach: Slot | 'none' = authMethodOf(client) === 'private_key_jwt' ? 'private_key_jwt' : 'none';
  // Expiry is judged by the server's clock, which may be offset (Server settings).
  const offsetSeconds = useAppStore((s) => s.server.status?.settings.clockOffsetSeconds ?? 0);

  return (
    <div className="stack">
      <AuthMethodSection client={client} credentials={credentials} onAddForPrivateKeyJwt={() => setDialog({ kind: 'add', attach: 'private_key_jwt' })} />

      <section className="detail-block">
        <div className="section-header">
          <h3 className="section-title">
            {t('server.creds.title')} <span className="muted small">{t('server.creds.count', { count: credentials.length, max: MAX_CREDENTIALS })}</span>
          </h3>
          <Button variant="primary" size="sm" disabled={full} onClick={() => setDialog({ kind: 'add', attach: defaultAttach })}>
            {t('server.creds.add')}
          </Button>
        </div>
        <p className="muted small">{full ? t('server.creds.full', { count: MAX_CREDENTIALS }) : t('server.creds.intro')}</p>

        {shared.length > 0 && (
          <Banner tone="warning">
            <p>{warningText(t, 'reused-for-jar-and-client-auth')}</p>
          </Banner>
        )}

        <ListState
          error={error}
          errorTitle={t('server.creds.loadFailed')}
          onRetry={() => void loadCredentials(client.client_id)}
          loaded={loaded}
          empty={credentials.length === 0}
          emptyText={t('server.creds.empty')}
        >
          <div className="table-wrap">
            <table className="data-table">
              <caption className="sr-only">{t('server.creds.caption', { name: client.name })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('server.creds.name')}</th>
                  <th scope="col">{t('server.creds.kid')}</th>
                  <th scope="col">{t('server.creds.alg')}</th>
                  <th scope="col">{t('server.creds.created')}</th>
                  <th scope="col">{t('server.creds.expires')}</th>
                  <th scope="col">{t('server.creds.assignedTo')}</th>
                  <th scope="col">
                    <span className="sr-only">{t('server.creds.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {credentials.map((credential) => {
                  const slots = slotsOf(client, credential.id);
                  return (
                    <tr key={credential.id}>
                      <th scope="row">
                        <span className="cell-title">
                          <span className="break">{credential.name}</span>
                          {slots.length === 2 && (
                            <Badge tone="warning" title={warningText(t, 'reused-for-jar-and-client-auth')}>
                              {warningBadge(t, 'reused-for-jar-and-client-auth')}
                            </Badge>
                          )}
                        </span>
                      </th>
                      <td>
                        <span className="thumbprint">
                          <code className="mono" title={credential.kid}>
                            {shortThumbprint(credential.kid)}
                          </code>
                          <CopyButton text={credential.kid} label={t('server.creds.copyKid', { name: credential.name })} />
                        </span>
                      </td>
                      <td className="mono nowrap">{credential.alg}</td>
                      <td>{formatDate(credential.created_at, i18n.language)}</td>
                      <td>
                        <span className="cell-title">
                          {credential.expires_at ? formatDate(credential.expires_at, i18n.language) : t('server.creds.never')}
                          {isExpired(credential, serverNowMs(offsetSeconds)) && <Badge tone="danger">{t('server.creds.expired')}</Badge>}
                        </span>
                      </td>
                      <td>
                        {slots.length > 0 ? (
                          <span className="chips">
                            {slots.map((slot) => (
                              <Badge key={slot} tone="accent">
                                {slotLabel(t, slot)}
                              </Badge>
                            ))}
                          </span>
                        ) : (
                          <span className="muted">{t('server.creds.unassigned')}</span>
                        )}
                      </td>
                      <td>
                        <span className="row-actions">
                          <Button
                            size="sm"
                            variant="ghost"
                            aria-label={t('server.creds.assignOf', { name: credential.name })}
                            onClick={() => setDialog({ kind: 'assign', id: credential.id })}
                          >
                            {t('server.creds.assign')}
                          </Button>
                          <Button
                            size="sm"
                            variant="ghost"
                            aria-label={t('server.creds.editExpiryOf', { name: credential.name })}
                            onClick={() => setDialog({ kind: 'expiry', id: credential.id })}
                          >
                            {t('server.creds.editExpiry')}
                          </Button>
                          <Button
                            size="sm"
                            variant="ghost"
                            className="danger-text"
                            aria-label={t('server.creds.deleteOf', { name: credential.name })}
                            onClick={() => setDialog({ kind: 'delete', id: credential.id })}
                          >
                            {t('server.creds.delete')}
                          </Button>
                        </span>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </ListState>
      </section>

      {dialog?.kind === 'add' && <AddCredentialDialog client={client} defaultAttach={dialog.attach} onClose={close} />}
      {dialog?.kind === 'assign' && dialogCredential && <AssignCredentialDialog client={client} credential={dialogCredential} onClose={close} />}
      {dialog?.kind === 'expiry' && dialogCredential && <EditExpiryDialog client={client} credential={dialogCredential} onClose={close} />}
      {dialog?.kind === 'delete' && dialogCredential && <DeleteCredentialDialog client={client} credential={dialogCredential} onClose={close} />}
    </div>
  );
}

/** The authentication method radio group, with what a change needs before it is saved. */
function AuthMethodSection({
  client,
  credentials,
  onAddForPrivateKeyJwt,
}: {
  client: ServerClient;
  credentials: ServerCredential[];
  onAddForPrivateKeyJwt: () => void;
}) {
  const { t } = useTranslation();
  const name = useId();
  const updateClient = useAppStore((s) => s.updateClient);
  const pushToast = useAppStore((s) => s.pushToast);
  const reuses = useReuseCheck();
  const current = authMethodOf(client);
  const [pending, setPending] = useState<AuthMethod | null>(null);
  const [credentialId, setCredentialId] = useState('');
  const [choiceError, setChoiceError] = useState<string | null>(null);
  const { busy, error, run, clearError } = useSubmit({ staysOpen: true });
  const selected = pending ?? current;
  const changing = selected !== current;
  const chosen = credentials.find((c) => c.id === credentialId) ?? null;

  const onSave = async () => {
    clearError();
    if (selected === 'private_key_jwt' && !chosen) return setChoiceError(t('server.authMethod.chooseRequired'));
    const body = authMethodBody(client, selected, chosen ? [chosen.id] : []);
    if (!body) return setPending(null);
    await run(async () => {
      await updateClient(client.client_id, body);
      setPending(null);
      setCredentialId('');
      pushToast({ kind: 'success', message: t('server.authMethod.saved', { method: authMethodLabel(t, selected) }) });
    });
  };

  return (
    <section className="detail-block">
      <fieldset className="fieldset" aria-busy={busy || undefined}>
        <legend className="section-title">{t('server.authMethod.legend')}</legend>
        <div className="radio-cards">
          {AUTH_METHODS.map((method) => (
            <label key={method} className="radio-card">
              <input
                type="radio"
                name={name}
                value={method}
                checked={selected === method}
                onChange={() => {
                  setPending(method === current ? null : method);
                  clearError();
                  setChoiceError(null);
                }}
              />
              <span>
                <span className="radio-card-title">
                  {authMethodLabel(t, method)}
                  {method === current && <Badge tone="success">{t('server.authMethod.current')}</Badge>}
                </span>
                <span className="field-hint">{authMethodHint(t, method)}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>

      {changing && (
        <div className="method-change stack">
          {selected === 'private_key_jwt' ? (
            credentials.length > 0 ? (
              <>
                <p>{t('server.authMethod.chooseIntro')}</p>
                <SelectField
                  label={t('server.authMethod.credential')}
                  value={credentialId}
                  error={choiceError}
                  onChange={(e) => {
                    setCredentialId(e.target.value);
                    setChoiceError(null);
                  }}
                  className="settings-select"
                >
                  <option value="">{t('server.appSettings.jarChoose')}</option>
                  {credentials.map((c) => (
                    <option key={c.id} value={c.id}>
                      {credentialOptionLabel(c)}
                    </option>
                  ))}
                </SelectField>
                {chosen && reuses(chosen.kid, 'private_key_jwt') && (
                  <p className="field-hint field-hint-warning">{warningText(t, 'reused-for-jar-and-client-auth')}</p>
                )}
                <p className="muted small">{t('server.authMethod.orAdd')}</p>
              </>
            ) : (
              <p>{t('server.authMethod.needCredential')}</p>
            )
          ) : current === 'private_key_jwt' ? (
            <p>{t('server.authMethod.revertNote')}</p>
          ) : null}
          <ErrorBanner error={error} title={t('server.authMethod.saveFailed')} />
          <div className="row">
            {(selected !== 'private_key_jwt' || credentials.length > 0) && (
              <Button variant="primary" size="sm" busy={busy} onClick={() => void onSave()}>
                {t('common.save')}
              </Button>
            )}
            {selected === 'private_key_jwt' && (
              <Button size="sm" disabled={credentials.length >= MAX_CREDENTIALS} onClick={onAddForPrivateKeyJwt}>
                {t('server.creds.addNew')}
              </Button>
            )}
            <Button size="sm" variant="ghost" disabled={busy} onClick={() => setPending(null)}>
              {t('common.cancel')}
            </Button>
          </div>
        </div>
      )}
    </section>
  );
}
