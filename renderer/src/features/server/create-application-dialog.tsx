/** Create an application, as in Auth0's dashboard: a name, a type and the allowed callback URLs. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SelectField, TextAreaField, TextField } from '../../components/field';
import { FormDialog } from '../../components/form-dialog';
import { useSubmit } from '../../components/use-submit';
import { useAppStore } from '../../state/store';
import type { AppType } from './client-model';
import { APP_TYPES, createClientBody, parseLines } from './client-model';
import { appTypeLabel, isAppType } from './server-labels';

/** Longest application name offered (Auth0's dashboard limit is similar). */
export const MAX_APP_NAME = 128;

/** The Create application dialog. */
export function CreateApplicationDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const createClient = useAppStore((s) => s.createClient);
  const selectClient = useAppStore((s) => s.selectClient);
  const pushToast = useAppStore((s) => s.pushToast);
  const [name, setName] = useState('');
  const [appType, setAppType] = useState<AppType>('regular_web');
  const [callbacks, setCallbacks] = useState('');
  const [nameError, setNameError] = useState<string | null>(null);
  const { busy, error, run } = useSubmit();

  const onSubmit = () => {
    const trimmed = name.trim();
    if (!trimmed) return setNameError(t('server.apps.nameRequired'));
    return run(async () => {
      const client = await createClient(createClientBody({ name: trimmed, appType, callbacks: parseLines(callbacks) }));
      pushToast({ kind: 'success', message: t('server.apps.created', { name: client.name }) });
      onClose();
      selectClient(client.client_id);
    });
  };

  return (
    <FormDialog
      title={t('server.apps.createTitle')}
      description={t('server.apps.createIntro')}
      submitLabel={t('server.apps.createSubmit')}
      onSubmit={onSubmit}
      onClose={onClose}
      busy={busy}
      error={error}
      errorTitle={t('server.apps.createFailed')}
    >
      <TextField
        label={t('server.apps.name')}
        value={name}
        onChange={(e) => {
          setName(e.target.value);
          setNameError(null);
        }}
        placeholder={t('server.apps.namePlaceholder')}
        maxLength={MAX_APP_NAME}
        error={nameError}
        required
        autoComplete="off"
        spellCheck={false}
      />
      <SelectField
        label={t('server.apps.type')}
        value={appType}
        onChange={(e) => {
          if (isAppType(e.target.value)) setAppType(e.target.value);
        }}
        hint={
          appType === 'non_interactive'
            ? t('server.apps.m2mHint')
            : appType === 'spa' || appType === 'native'
              ? t('server.apps.publicHint')
              : t('server.apps.regularHint')
        }
      >
        {APP_TYPES.map((type) => (
          <option key={type} value={type}>
            {appTypeLabel(t, type)}
          </option>
        ))}
      </SelectField>
      <TextAreaField
        label={t('server.apps.callbacks')}
        hint={t('server.apps.callbacksHint')}
        value={callbacks}
        onChange={(e) => setCallbacks(e.target.value)}
        rows={4}
        spellCheck={false}
        autoComplete="off"
        className="mono-input"
        placeholder="http://127.0.0.1:8080/callback"
      />
    </FormDialog>
  );
}
