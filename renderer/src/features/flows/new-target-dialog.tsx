/** New target: an application of the embedded server, how it authenticates, its keys, redirect URI and scope. */
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FlowAuthMethod, FlowTarget } from '../../../../shared/schemas/flows';
import { SelectField, TextField } from '../../components/field';
import { FormDialog } from '../../components/form-dialog';
import { useSubmit } from '../../components/use-submit';
import { useAppStore } from '../../state/store';
import { AUTH_METHODS, authMethodLabel, defaultRedirectUri, isAuthMethod, newTargetId } from './flow-labels';

/** The New target dialog; calls `onSaved` with the saved target. */
export function NewTargetDialog({ onClose, onSaved }: { onClose: () => void; onSaved: (target: FlowTarget) => void }) {
  const { t } = useTranslation();
  const clients = useAppStore((s) => s.server.clients);
  const issuer = useAppStore((s) => s.server.status?.issuer ?? null);
  const keys = useAppStore((s) => s.keys.items);
  const saveFlowTarget = useAppStore((s) => s.saveFlowTarget);
  const pushToast = useAppStore((s) => s.pushToast);
  const applications = useMemo(() => clients.filter((c) => !c.parley_management), [clients]);
  const signingKeys = useMemo(() => keys.filter((k) => k.hasPrivateKey), [keys]);

  const [clientId, setClientId] = useState('');
  const [name, setName] = useState('');
  const [method, setMethod] = useState<FlowAuthMethod>('private_key_jwt');
  const [authKeyId, setAuthKeyId] = useState('');
  const [jarKeyId, setJarKeyId] = useState('');
  const [secret, setSecret] = useState('');
  const [redirectUri, setRedirectUri] = useState(() => defaultRedirectUri());
  const [scope, setScope] = useState('openid profile email');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const { busy, error, run } = useSubmit();

  useEffect(() => {
    const store = useAppStore.getState();
    void store.loadClients();
    void store.loadKeys();
    void store.loadServerStatus();
  }, []);

  const client = applications.find((c) => c.client_id === clientId);
  const usesSecret = method === 'client_secret_post' || method === 'client_secret_basic';

  const onSubmit = () => {
    if (!client) return setFieldError(t('flows.target.applicationRequired'));
    if (!issuer) return setFieldError(t('flows.target.serverStopped'));
    if (method === 'private_key_jwt' && !authKeyId) return setFieldError(t('flows.target.authKeyRequired'));
    if (usesSecret && !secret) return setFieldError(t('flows.target.secretRequired'));
    setFieldError(null);
    const target: FlowTarget = {
      id: newTargetId(),
      name: name.trim() || client.name,
      issuer,
      client_id: client.client_id,
      auth: { method, ...(method === 'private_key_jwt' ? { keyId: authKeyId } : {}), hasSecret: false },
      redirect_uri: redirectUri.trim(),
      scope: scope.trim(),
      ...(jarKeyId ? { jarKeyId } : {}),
      embedded: true,
    };
    return run(async () => {
      const saved = await saveFlowTarget({ target, ...(usesSecret ? { secret } : {}) });
      pushToast({ kind: 'success', message: t('flows.target.saved', { name: saved.name }) });
      onSaved(saved);
      onClose();
    });
  };

  const keyOptions = signingKeys.map((k) => (
    <option key={k.id} value={k.id}>
      {k.name}
    </option>
  ));

  return (
    <FormDialog
      title={t('flows.target.title')}
      description={t('flows.target.intro')}
      submitLabel={t('flows.target.submit')}
      onSubmit={onSubmit}
      onClose={onClose}
      busy={busy}
      error={error}
      errorTitle={t('flows.target.failed')}
    >
      <SelectField
        label={t('flows.target.application')}
        value={clientId}
        onChange={(e) => {
          setClientId(e.target.value);
          setFieldError(null);
        }}
        error={fieldError}
      >
        <option value="">{t('flows.target.choose')}</option>
        {applications.map((c) => (
          <option key={c.client_id} value={c.client_id}>
            {c.name}
          </option>
        ))}
      </SelectField>
      <TextField label={t('flows.target.name')} value={name} onChange={(e) => setName(e.target.value)} placeholder={client?.name ?? ''} maxLength={100} autoComplete="off" />
      <SelectField
        label={t('flows.target.method')}
        value={method}
        onChange={(e) => {
          if (isAuthMethod(e.target.value)) setMethod(e.target.value);
        }}
      >
        {AUTH_METHODS.map((m) => (
          <option key={m} value={m}>
            {authMethodLabel(t, m)}
          </option>
        ))}
      </SelectField>
      {method === 'private_key_jwt' && (
        <SelectField label={t('flows.target.authKey')} hint={t('flows.target.authKeyHint')} value={authKeyId} onChange={(e) => setAuthKeyId(e.target.value)}>
          <option value="">{t('flows.target.choose')}</option>
          {keyOptions}
        </SelectField>
      )}
      {usesSecret && <TextField label={t('flows.target.secret')} type="password" value={secret} onChange={(e) => setSecret(e.target.value)} autoComplete="off" />}
      <SelectField label={t('flows.target.jarKey')} hint={t('flows.target.jarKeyHint')} value={jarKeyId} onChange={(e) => setJarKeyId(e.target.value)}>
        <option value="">{t('flows.target.noJarKey')}</option>
        {keyOptions}
      </SelectField>
      <TextField label={t('flows.target.redirectUri')} hint={t('flows.target.redirectUriHint')} value={redirectUri} onChange={(e) => setRedirectUri(e.target.value)} className="mono-input" spellCheck={false} autoComplete="off" />
      <TextField label={t('flows.target.scope')} value={scope} onChange={(e) => setScope(e.target.value)} spellCheck={false} autoComplete="off" />
    </FormDialog>
  );
}
