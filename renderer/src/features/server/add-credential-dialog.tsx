/**
 * Add a credential, as in Auth0's dashboard: a name, the public key (an uploaded PEM public key or
 * X.509 certificate, or an RSA key from the vault, whose private key stays there), the algorithm, an
 * optional expiry, and the slot to attach it to. Attaching to Private Key JWT while the application uses
 * another method switches the method (MGC-5 body), as choosing "Private Key JWT" in the dashboard does.
 */
import type { ChangeEvent } from 'react';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OpInput } from '../../../../shared/ipc/contract';
import type { ServerClient } from '../../../../shared/schemas/server';
import { Banner } from '../../components/banner';
import { SelectField, TextAreaField, TextField } from '../../components/field';
import { FormDialog } from '../../components/form-dialog';
import { RadioGroup } from '../../components/radio-group';
import { useSubmit } from '../../components/use-submit';
import { describeError } from '../../i18n/errors';
import { useAppStore } from '../../state/store';
import { keyTypeLabel, shortThumbprint, warningText } from '../keys/key-labels';
import type { CredentialAlg, Slot } from './client-model';
import {
  CREDENTIAL_ALGS,
  MAX_PER_SLOT,
  SLOTS,
  authMethodOf,
  dateInputToIso,
  eligibleVaultKeys,
  enablePrivateKeyJwtBody,
  isCertificatePem,
  slotHasRoom,
  startingVaultKey,
  tomorrowDateInput,
} from './client-model';
import { slotLabel, slotLongLabel } from './server-labels';
import { useReuseCheck } from './use-server-data';

type Source = 'pem' | 'vault';
type Expiry = 'never' | 'explicit' | 'certificate';
type Attach = Slot | 'none';

/** Longest credential name the contract accepts. */
const MAX_CREDENTIAL_NAME = 128;
/** A credential PEM is a few kilobytes at most. */
const MAX_PEM_BYTES = 100_000;

/** Props of AddCredentialDialog. */
export interface AddCredentialDialogProps {
  client: ServerClient;
  /** The slot preselected in "Attach to" (when it has room). */
  defaultAttach: Attach;
  onClose: () => void;
}

/** The Add credential dialog. */
export function AddCredentialDialog({ client, defaultAttach, onClose }: AddCredentialDialogProps) {
  const { t } = useTranslation();
  const fileInputId = useId();
  const vaultKeys = useAppStore((s) => s.keys.items);
  const createCredential = useAppStore((s) => s.createCredential);
  const updateClient = useAppStore((s) => s.updateClient);
  const pushToast = useAppStore((s) => s.pushToast);
  const reuses = useReuseCheck();
  const eligible = eligibleVaultKeys(vaultKeys);
  const registeredKids = useAppStore((s) => s.server.credentials[client.client_id]) ?? [];
  // Start from the vault key made for this slot (the walkthrough's "Generate key" → "Add credential").
  const [start] = useState(() =>
    startingVaultKey(
      vaultKeys,
      client,
      defaultAttach,
      registeredKids.map((c) => c.kid),
    ),
  );
  const startKey = start ? eligible.find((k) => k.id === start.keyId) : undefined;

  const [name, setName] = useState(startKey?.name.slice(0, MAX_CREDENTIAL_NAME) ?? '');
  const [source, setSource] = useState<Source>(start ? 'vault' : 'pem');
  const [pem, setPem] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [keyId, setKeyId] = useState(start?.keyId ?? eligible[0]?.id ?? '');
  const [alg, setAlg] = useState<CredentialAlg>('RS256');
  const [expiry, setExpiry] = useState<Expiry>('never');
  const [date, setDate] = useState('');
  const [days, setDays] = useState('365');
  const [minDate] = useState(tomorrowDateInput);
  const [attach, setAttach] = useState<Attach>(
    start && slotHasRoom(client, start.attach) ? start.attach : defaultAttach !== 'none' && slotHasRoom(client, defaultAttach) ? defaultAttach : 'none',
  );
  const [errors, setErrors] = useState<Partial<Record<'name' | 'pem' | 'key' | 'date' | 'days', string>>>({});
  const { busy, error, run, clearError: clearSubmitError } = useSubmit();

  const vaultKey = eligible.find((k) => k.id === keyId) ?? null;
  const certificate = source === 'pem' && isCertificatePem(pem);
  const canTakeExpiryFromCertificate = certificate || (source === 'vault' && vaultKey?.hasPrivateKey === true);
  const effectiveExpiry: Expiry = expiry === 'certificate' && !canTakeExpiryFromCertificate ? 'never' : expiry;
  const switchesMethod = attach === 'private_key_jwt' && authMethodOf(client) !== 'private_key_jwt';
  const reused = source === 'vault' && vaultKey !== null && attach !== 'none' && reuses(vaultKey.thumbprint, attach);
  const clearError = (field: keyof typeof errors) => setErrors((e) => ({ ...e, [field]: undefined }));

  const onFileChange = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    if (file.size > MAX_PEM_BYTES) return setErrors((e) => ({ ...e, pem: t('server.addCred.tooLarge') }));
    const content = await file.text();
    if (content.includes('\u0000')) return setErrors((e) => ({ ...e, pem: t('keys.import.binary', { file: file.name }) }));
    setPem(content);
    setFileName(file.name);
    clearError('pem');
    if (!name.trim()) setName(file.name.replace(/\.[^.]+$/, '').slice(0, MAX_CREDENTIAL_NAME));
  };

  const validate = (): { expiresAt: string | null; certificateDays: number | null } | null => {
    const next: typeof errors = {};
    if (!name.trim()) next.name = t('server.addCred.nameRequired');
    if (source === 'pem' && !pem.trim()) next.pem = t('server.addCred.pemRequired');
    if (source === 'pem' && new TextEncoder().encode(pem).length > MAX_PEM_BYTES) next.pem = t('server.addCred.tooLarge');
    if (source === 'vault' && !vaultKey) next.key = t('server.addCred.keyRequired');
    let expiresAt: string | null = null;
    let certificateDays: number | null = null;
    if (effectiveExpiry === 'explicit') {
      expiresAt = dateInputToIso(date);
      if (!expiresAt) next.date = t('server.expiry.dateRequired');
      else if (Date.parse(expiresAt) <= Date.now()) next.date = t('server.expiry.datePast');
    }
    if (effectiveExpiry === 'certificate' && source === 'vault') {
      certificateDays = Number(days);
      if (!/^\d+$/.test(days.trim()) || certificateDays < 1 || certificateDays > 3650) next.days = t('keys.export.daysRange', { min: 1, max: 3650 });
    }
    setErrors(next);
    return Object.values(next).some(Boolean) ? null : { expiresAt, certificateDays };
  };

  const onSubmit = () => {
    clearSubmitError();
    const checked = validate();
    if (!checked) return;
    const trimmed = name.trim().slice(0, MAX_CREDENTIAL_NAME);
    // Switching to Private Key JWT is a separate PATCH with the MGC-5 body, after the credential exists.
    const attachTo = attach === 'none' || switchesMethod ? undefined : attach;
    const input: OpInput<'server.createCredential'> =
      source === 'pem'
        ? {
            clientId: client.client_id,
            body: {
              name: trimmed,
              credential_type: 'public_key',
              pem,
              alg,
              ...(checked.expiresAt ? { expires_at: checked.expiresAt } : {}),
              ...(effectiveExpiry === 'certificate' ? { parse_expiry_from_cert: true } : {}),
            },
            ...(attachTo ? { attachTo } : {}),
          }
        : {
            clientId: client.client_id,
            fromVaultKey: {
              keyId,
              name: trimmed,
              alg,
              ...(checked.expiresAt ? { expires_at: checked.expiresAt } : {}),
              ...(checked.certificateDays ? { asCertificateDays: checked.certificateDays } : {}),
            },
            ...(attachTo ? { attachTo } : {}),
          };
    return run(async () => {
      const created = await createCredential(input);
      if (switchesMethod) {
        try {
          await updateClient(client.client_id, enablePrivateKeyJwtBody([created.id]));
        } catch (e) {
          // The credential exists; only the switch failed. Say so, and leave it in the list to assign later.
          const { message, detail } = describeError(t, e);
          pushToast({ kind: 'error', message: t('server.addCred.attachFailed', { name: created.name }), detail: detail ?? message });
          onClose();
          return;
        }
      }
      pushToast({
        kind: 'success',
        message:
          attach === 'none'
            ? t('server.addCred.added', { name: created.name })
            : t('server.addCred.addedTo', { name: created.name, slot: slotLabel(t, attach) }),
      });
      onClose();
    });
  };

  return (
    <FormDialog
      title={t('server.addCred.title')}
      description={t('server.addCred.intro')}
      submitLabel={t('server.addCred.submit')}
      onSubmit={onSubmit}
      onClose={onClose}
      busy={busy}
      error={error}
      errorTitle={t('server.addCred.failed')}
      size="lg"
    >
      <TextField
        label={t('server.creds.name')}
        value={name}
        onChange={(e) => {
          setName(e.target.value);
          clearError('name');
        }}
        placeholder={t('server.addCred.namePlaceholder')}
        maxLength={MAX_CREDENTIAL_NAME}
        error={errors.name}
        required
        autoComplete="off"
        spellCheck={false}
      />

      <RadioGroup<Source>
        legend={t('server.addCred.source')}
        value={source}
        onChange={(next) => {
          setSource(next);
          if (next === 'vault' && !name.trim() && vaultKey) setName(vaultKey.name.slice(0, MAX_CREDENTIAL_NAME));
        }}
        options={[
          { value: 'pem', label: t('server.addCred.sourcePem') },
          { value: 'vault', label: t('server.addCred.sourceVault') },
        ]}
      />

      {source === 'pem' ? (
        <div className="dropzone">
          <TextAreaField
            label={t('server.addCred.pem')}
            hint={fileName ? t('keys.import.loadedFrom', { file: fileName }) : t('server.addCred.pemHint')}
            value={pem}
            onChange={(e) => {
              setPem(e.target.value);
              setFileName(null);
              clearError('pem');
            }}
            error={errors.pem}
            rows={7}
            spellCheck={false}
            autoComplete="off"
            className="mono-input"
          />
          <div className="dropzone-file">
            <span className="muted">{certificate ? t('server.addCred.certificateDetected') : t('server.addCred.fileHint')}</span>
            <input id={fileInputId} type="file" accept=".pem,.crt,.cer,.pub,.key,text/plain" className="sr-only" onChange={(e) => void onFileChange(e)} />
            <label htmlFor={fileInputId} className="btn btn-secondary btn-sm file-label">
              {t('keys.import.chooseFile')}
            </label>
          </div>
        </div>
      ) : eligible.length === 0 ? (
        <Banner tone="info">
          <p>{t('server.addCred.noVaultKeys')}</p>
        </Banner>
      ) : (
        <SelectField
          label={t('server.addCred.vaultKey')}
          hint={vaultKey && !vaultKey.hasPrivateKey ? t('server.addCred.publicOnlyHint') : t('server.addCred.vaultKeyHint')}
          value={keyId}
          error={errors.key}
          onChange={(e) => {
            const previous = vaultKey?.name;
            setKeyId(e.target.value);
            clearError('key');
            const next = eligible.find((k) => k.id === e.target.value);
            if (next && (!name.trim() || name === previous)) setName(next.name.slice(0, MAX_CREDENTIAL_NAME));
          }}
        >
          {eligible.map((key) => (
            <option key={key.id} value={key.id}>
              {`${key.name} · ${keyTypeLabel(t, key)} · ${shortThumbprint(key.thumbprint)}`}
            </option>
          ))}
        </SelectField>
      )}

      <SelectField
        label={t('server.creds.alg')}
        hint={t('server.addCred.algHint')}
        value={alg}
        onChange={(e) => {
          const next = CREDENTIAL_ALGS.find((a) => a === e.target.value);
          if (next) setAlg(next);
        }}
        className="settings-select"
      >
        {CREDENTIAL_ALGS.map((a) => (
          <option key={a} value={a}>
            {a}
          </option>
        ))}
      </SelectField>

      <div className="stack-sm">
        <RadioGroup<Expiry>
          legend={t('server.addCred.expiry')}
          value={effectiveExpiry}
          onChange={(next) => {
            setExpiry(next);
            clearError('date');
          }}
          options={[
            { value: 'never', label: t('server.addCred.expiryNever') },
            { value: 'explicit', label: t('server.expiry.explicit') },
            ...(canTakeExpiryFromCertificate
              ? [
                  {
                    value: 'certificate' as const,
                    label: source === 'pem' ? t('server.addCred.expiryFromCertificate') : t('server.addCred.expiryFromNewCertificate'),
                  },
                ]
              : []),
          ]}
        />
        {effectiveExpiry === 'explicit' && (
          <TextField
            label={t('server.expiry.date')}
            type="date"
            value={date}
            min={minDate}
            error={errors.date}
            onChange={(e) => {
              setDate(e.target.value);
              clearError('date');
            }}
            className="settings-select"
          />
        )}
        {effectiveExpiry === 'certificate' && source === 'vault' && (
          <TextField
            label={t('keys.export.days')}
            hint={t('server.addCred.certificateDaysHint')}
            type="number"
            inputMode="numeric"
            min={1}
            max={3650}
            value={days}
            error={errors.days}
            onChange={(e) => {
              setDays(e.target.value);
              clearError('days');
            }}
            className="settings-select"
          />
        )}
      </div>

      <RadioGroup<Attach>
        legend={t('server.addCred.attachTo')}
        value={attach}
        onChange={setAttach}
        options={[
          ...SLOTS.map((slot) => ({
            value: slot,
            label: slotLongLabel(t, slot),
            disabled: !slotHasRoom(client, slot),
            hint: !slotHasRoom(client, slot)
              ? t('server.assign.slotFull', { count: MAX_PER_SLOT })
              : slot === 'private_key_jwt' && authMethodOf(client) !== 'private_key_jwt'
                ? t('server.assign.switchesMethod')
                : undefined,
          })),
          { value: 'none' as const, label: t('server.addCred.attachNone') },
        ]}
      />

      {reused && (
        <Banner tone="warning">
          <p>{warningText(t, 'reused-for-jar-and-client-auth')}</p>
        </Banner>
      )}
    </FormDialog>
  );
}
