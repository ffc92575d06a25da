/**
 * An application's settings: callbacks, the "Authorization Requests" switches (JAR, PAR) and the ID
 * token signing algorithm, saved together; and the Danger Zone. Turning on "Require JWT-Secured
 * Authorization Requests" with no JAR credential assigned prompts for one, as Auth0's dashboard does:
 * assign an existing credential, or add a new one. "Require Sender Constraining" is the client's
 * `require_proof_of_possession` (DPC-1), which DPB-1 reads at /oauth/token.
 */
import type { FormEvent } from 'react';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ServerClient } from '../../../../shared/schemas/server';
import { Banner } from '../../components/banner';
import { Button } from '../../components/button';
import { ErrorBanner } from '../../components/error-text';
import { CheckboxField, SelectField, TextAreaField } from '../../components/field';
import { useSubmit } from '../../components/use-submit';
import { useAppStore } from '../../state/store';
import { warningText } from '../keys/key-labels';
import { AddCredentialDialog } from './add-credential-dialog';
import { ID_TOKEN_ALGS, jarBody, jarRequired, parRequired, parseLines, slotIds } from './client-model';
import { DeleteApplicationDialog } from './delete-application-dialog';
import { credentialOptionLabel, useClientCredentials, useReuseCheck } from './use-server-data';

/** The Settings sub-tab. Mounted per application (the detail has `key={client_id}`). */
export function ApplicationSettings({ client }: { client: ServerClient }) {
  const { t } = useTranslation();
  const formId = useId();
  const updateClient = useAppStore((s) => s.updateClient);
  const pushToast = useAppStore((s) => s.pushToast);
  const { credentials } = useClientCredentials(client.client_id);
  const reuses = useReuseCheck();

  const savedCallbacks = (client.callbacks ?? []).join('\n');
  const savedAlg = client.jwt_configuration?.alg ?? 'RS256';
  const [callbacks, setCallbacks] = useState(savedCallbacks);
  const [jar, setJar] = useState(jarRequired(client));
  const [par, setPar] = useState(parRequired(client));
  const [alg, setAlg] = useState(savedAlg);
  const savedPop = client.require_proof_of_possession === true;
  const [pop, setPop] = useState(savedPop);
  const [jarCredential, setJarCredential] = useState('');
  const [jarError, setJarError] = useState<string | null>(null);
  const { busy, error, run, clearError } = useSubmit({ staysOpen: true });
  const [dialog, setDialog] = useState<'add-credential' | 'delete' | null>(null);

  const jarSlotEmpty = slotIds(client, 'signed_request_object').length === 0;
  const needsJarCredential = jar && jarSlotEmpty;
  const chosen = credentials.find((c) => c.id === jarCredential) ?? null;
  const callbacksChanged = parseLines(callbacks).join('\n') !== savedCallbacks;
  const jarChanged = jar !== jarRequired(client);
  const dirty = callbacksChanged || jarChanged || par !== parRequired(client) || alg !== savedAlg || pop !== savedPop;
  const algs: string[] = (ID_TOKEN_ALGS as readonly string[]).includes(savedAlg) ? [...ID_TOKEN_ALGS] : [...ID_TOKEN_ALGS, savedAlg];

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    clearError();
    if (needsJarCredential && !chosen)
      return setJarError(credentials.length > 0 ? t('server.appSettings.jarChooseRequired') : t('server.appSettings.jarAddRequired'));
    const body: Record<string, unknown> = {};
    if (callbacksChanged) body.callbacks = parseLines(callbacks);
    if (jarChanged || needsJarCredential) Object.assign(body, jarBody(jar, needsJarCredential ? chosen?.id : undefined));
    if (par !== parRequired(client)) body.require_pushed_authorization_requests = par;
    if (alg !== savedAlg) body.jwt_configuration = { alg };
    if (pop !== savedPop) body.require_proof_of_possession = pop;
    if (Object.keys(body).length === 0) return;
    await run(async () => {
      const saved = await updateClient(client.client_id, body);
      setCallbacks((saved.callbacks ?? []).join('\n'));
      setJarCredential('');
      pushToast({ kind: 'success', message: t('server.appSettings.saved') });
    });
  };

  return (
    <div className="stack">
      <form id={formId} className="stack app-settings" onSubmit={(e) => void onSubmit(e)} noValidate>
        <section className="detail-block">
          <h3 className="section-title">{t('server.appSettings.uris')}</h3>
          <TextAreaField
            label={t('server.apps.callbacks')}
            hint={t('server.apps.callbacksHint')}
            value={callbacks}
            onChange={(e) => setCallbacks(e.target.value)}
            rows={4}
            spellCheck={false}
            autoComplete="off"
            className="mono-input"
          />
        </section>

        <section className="detail-block">
          <h3 className="section-title">{t('server.appSettings.authorizationRequests')}</h3>
          <div className="checks">
            <CheckboxField
              role="switch"
              label={t('server.appSettings.requireJar')}
              hint={t('server.appSettings.requireJarHint')}
              checked={jar}
              onChange={(e) => {
                setJar(e.target.checked);
                setJarError(null);
              }}
            />
            {needsJarCredential && (
              <div className="jar-prompt">
                {credentials.length > 0 ? (
                  <Banner tone="info" title={t('server.appSettings.jarAssignTitle')}>
                    <p>{t('server.appSettings.jarAssignBody')}</p>
                    <SelectField
                      label={t('server.appSettings.jarCredential')}
                      value={jarCredential}
                      error={jarError}
                      onChange={(e) => {
                        setJarCredential(e.target.value);
                        setJarError(null);
                      }}
                    >
                      <option value="">{t('server.appSettings.jarChoose')}</option>
                      {credentials.map((c) => (
                        <option key={c.id} value={c.id}>
                          {credentialOptionLabel(c)}
                        </option>
                      ))}
                    </SelectField>
                    {chosen && reuses(chosen.kid, 'signed_request_object') && (
                      <p className="field-hint field-hint-warning">{warningText(t, 'reused-for-jar-and-client-auth')}</p>
                    )}
                    <div className="row">
                      <span>{t('server.appSettings.jarOrAdd')}</span>
                      <Button size="sm" onClick={() => setDialog('add-credential')}>
                        {t('server.creds.addNew')}
                      </Button>
                    </div>
                  </Banner>
                ) : (
                  <Banner tone="info" title={t('server.appSettings.jarNoCredentialTitle')}>
                    <p>{t('server.appSettings.jarNoCredentialBody')}</p>
                    {jarError && <p className="field-error">{jarError}</p>}
                    <div>
                      <Button size="sm" onClick={() => setDialog('add-credential')}>
                        {t('server.creds.addNew')}
                      </Button>
                    </div>
                  </Banner>
                )}
              </div>
            )}
            <CheckboxField
              role="switch"
              label={t('server.appSettings.requirePar')}
              hint={t('server.appSettings.requireParHint')}
              checked={par}
              onChange={(e) => setPar(e.target.checked)}
            />
          </div>
        </section>

        <section className="detail-block">
          <h3 className="section-title">{t('server.appSettings.tokens')}</h3>
          <SelectField
            label={t('server.appSettings.idTokenAlg')}
            hint={t('server.appSettings.idTokenAlgHint')}
            value={alg}
            onChange={(e) => setAlg(e.target.value)}
            className="settings-select"
          >
            {algs.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </SelectField>
        </section>

        <section className="detail-block">
          <h3 className="section-title">{t('server.appSettings.senderConstraining')}</h3>
          <div className="checks">
            <CheckboxField
              role="switch"
              label={t('server.appSettings.requireSenderConstraining')}
              hint={t('server.appSettings.requireSenderConstrainingHint')}
              checked={pop}
              onChange={(e) => setPop(e.target.checked)}
            />
          </div>
        </section>

        <ErrorBanner error={error} title={t('server.appSettings.saveFailed')} />
        <div className="row">
          <Button type="submit" variant="primary" busy={busy} disabled={!dirty && !needsJarCredential}>
            {t('common.save')}
          </Button>
          {dirty && <span className="muted small">{t('server.appSettings.unsaved')}</span>}
        </div>
      </form>

      <section className="detail-block danger-zone">
        <h3 className="section-title">{t('server.appSettings.dangerZone')}</h3>
        <div className="danger-row">
          <div>
            <p className="danger-title">{t('server.appSettings.deleteTitle')}</p>
            <p className="muted small">{t('server.appSettings.deleteHint')}</p>
          </div>
          <Button variant="danger-outline" onClick={() => setDialog('delete')}>
            {t('server.appSettings.delete')}
          </Button>
        </div>
      </section>

      {dialog === 'add-credential' && <AddCredentialDialog client={client} defaultAttach="signed_request_object" onClose={() => setDialog(null)} />}
      {dialog === 'delete' && <DeleteApplicationDialog client={client} onClose={() => setDialog(null)} />}
    </div>
  );
}
