/**
 * The dialogs of one credential: assign it to slots, edit its expiry (the only field Auth0 lets you
 * change: CRD-13), delete it (the server refuses while it is attached: CRD-14; its message is shown).
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ServerClient, ServerCredential } from '../../../../shared/schemas/server';
import { Banner } from '../../components/banner';
import { Button } from '../../components/button';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { CheckboxField, TextField } from '../../components/field';
import { FormDialog } from '../../components/form-dialog';
import { useSubmit } from '../../components/use-submit';
import { formatDate } from '../../i18n/format';
import { useAppStore } from '../../state/store';
import { shortThumbprint, warningText } from '../keys/key-labels';
import type { Slot } from './client-model';
import {
  MAX_PER_SLOT,
  assignBody,
  authMethodOf,
  dateInputToIso,
  isExpired,
  isoToDateInput,
  jarRequired,
  slotIds,
  slotsOf,
  tomorrowDateInput,
} from './client-model';
import { serverNowMs } from './clock-offset';
import { slotLabel, slotLongLabel } from './server-labels';
import { useReuseCheck } from './use-server-data';

interface CredentialDialogProps {
  client: ServerClient;
  credential: ServerCredential;
  onClose: () => void;
}

/** Assign a credential to the Private Key JWT and JAR slots (at most two credentials each: MGC-4). */
export function AssignCredentialDialog({ client, credential, onClose }: CredentialDialogProps) {
  const { t } = useTranslation();
  const updateClient = useAppStore((s) => s.updateClient);
  const pushToast = useAppStore((s) => s.pushToast);
  const reuses = useReuseCheck();
  const inPkj = slotIds(client, 'private_key_jwt');
  const inJar = slotIds(client, 'signed_request_object');
  const wasPkj = inPkj.includes(credential.id);
  const wasJar = inJar.includes(credential.id);
  const usesPkj = authMethodOf(client) === 'private_key_jwt';
  const [pkj, setPkj] = useState(wasPkj);
  const [jar, setJar] = useState(wasJar);
  const { busy, error, run } = useSubmit();

  const pkjFull = !wasPkj && inPkj.length >= MAX_PER_SLOT;
  const jarFull = !wasJar && inJar.length >= MAX_PER_SLOT;
  const pkjLast = wasPkj && usesPkj && inPkj.length === 1;
  const reused =
    (pkj && jar) ||
    (pkj && !wasPkj && reuses(credential.kid, 'private_key_jwt', client.client_id)) ||
    (jar && !wasJar && reuses(credential.kid, 'signed_request_object', client.client_id));

  const hint = (slot: Slot, full: boolean): string | undefined => {
    if (full) return t('server.assign.slotFull', { count: MAX_PER_SLOT });
    if (slot === 'private_key_jwt' && pkjLast) return t('server.assign.lastPkj');
    if (slot === 'private_key_jwt' && pkj && !usesPkj) return t('server.assign.switchesMethod');
    if (slot === 'signed_request_object' && wasJar && !jar && inJar.length === 1 && jarRequired(client)) return t('server.assign.lastJar');
    return slotLongLabel(t, slot);
  };

  const onSubmit = () => {
    const next = (ids: string[], was: boolean, on: boolean) => (on ? (was ? ids : [...ids, credential.id]) : ids.filter((id) => id !== credential.id));
    const body = assignBody(client, { private_key_jwt: next(inPkj, wasPkj, pkj), signed_request_object: next(inJar, wasJar, jar) });
    if (!body) return onClose();
    return run(async () => {
      await updateClient(client.client_id, body);
      pushToast({ kind: 'success', message: t('server.assign.saved', { name: credential.name }) });
      onClose();
    });
  };

  return (
    <FormDialog
      title={t('server.assign.title', { name: credential.name })}
      description={t('server.assign.intro', { count: MAX_PER_SLOT })}
      submitLabel={t('server.assign.submit')}
      onSubmit={onSubmit}
      onClose={onClose}
      busy={busy}
      error={error}
      errorTitle={t('server.assign.failed')}
    >
      <fieldset className="fieldset">
        <legend className="field-label">{t('server.assign.legend')}</legend>
        <div className="checks">
          <CheckboxField
            label={slotLabel(t, 'private_key_jwt')}
            hint={hint('private_key_jwt', pkjFull)}
            checked={pkj}
            disabled={pkjFull || pkjLast}
            onChange={(e) => setPkj(e.target.checked)}
          />
          <CheckboxField
            label={slotLabel(t, 'signed_request_object')}
            hint={hint('signed_request_object', jarFull)}
            checked={jar}
            disabled={jarFull}
            onChange={(e) => setJar(e.target.checked)}
          />
        </div>
      </fieldset>
      {reused && (
        <Banner tone="warning">
          <p>{warningText(t, 'reused-for-jar-and-client-auth')}</p>
        </Banner>
      )}
    </FormDialog>
  );
}

/**
 * Edit a credential's expiry: a date, or never. "Make expired" is Parley's simulation of an expired
 * credential (PKJ-14): expires_at a minute before the server's clock, which Auth0's PATCH would refuse
 * (CRD-5); on an expired credential, "Remove expiry" undoes it in one click.
 */
export function EditExpiryDialog({ client, credential, onClose }: CredentialDialogProps) {
  const { t } = useTranslation();
  const updateCredential = useAppStore((s) => s.updateCredential);
  const simulateExpiry = useAppStore((s) => s.simulateCredentialExpiry);
  const offsetSeconds = useAppStore((s) => s.server.status?.settings.clockOffsetSeconds ?? 0);
  const pushToast = useAppStore((s) => s.pushToast);
  const [explicit, setExplicit] = useState(credential.expires_at !== null);
  const [date, setDate] = useState(isoToDateInput(credential.expires_at));
  const [minDate] = useState(tomorrowDateInput);
  const [dateError, setDateError] = useState<string | null>(null);
  const { busy, error, run, clearError } = useSubmit();

  const onSubmit = () => {
    clearError();
    let expiresAt: string | null = null;
    if (explicit) {
      expiresAt = dateInputToIso(date);
      if (!expiresAt) return setDateError(t('server.expiry.dateRequired'));
      if (Date.parse(expiresAt) <= Date.now()) return setDateError(t('server.expiry.datePast'));
    }
    return run(async () => {
      await updateCredential(client.client_id, credential.id, expiresAt);
      pushToast({ kind: 'success', message: t('server.expiry.saved', { name: credential.name }) });
      onClose();
    });
  };

  const expired = isExpired(credential, serverNowMs(offsetSeconds));
  // The simulation: expired a minute before the server's (possibly offset) clock, or never expiring again.
  const onSimulate = () => {
    clearError();
    return run(async () => {
      await simulateExpiry(client.client_id, credential.id, expired ? null : new Date(serverNowMs(offsetSeconds) - 60_000).toISOString());
      pushToast({
        kind: 'success',
        message: expired ? t('server.creds.expiryRemoved', { name: credential.name }) : t('server.creds.madeExpired', { name: credential.name }),
      });
      onClose();
    });
  };

  return (
    <FormDialog
      title={t('server.expiry.title', { name: credential.name })}
      description={t('server.expiry.intro')}
      submitLabel={t('server.expiry.submit')}
      onSubmit={onSubmit}
      onClose={onClose}
      busy={busy}
      error={error}
      errorTitle={t('server.expiry.failed')}
    >
      <CheckboxField
        label={t('server.expiry.explicit')}
        checked={explicit}
        onChange={(e) => {
          setExplicit(e.target.checked);
          setDateError(null);
        }}
      />
      {explicit ? (
        <TextField
          label={t('server.expiry.date')}
          type="date"
          value={date}
          min={minDate}
          error={dateError}
          onChange={(e) => {
            setDate(e.target.value);
            setDateError(null);
          }}
          className="settings-select"
        />
      ) : (
        <p className="muted">{t('server.expiry.neverNote')}</p>
      )}
      <div className="stack-sm">
        <p className="muted small">{expired ? t('server.creds.removeExpiryHint') : t('server.creds.makeExpiredHint')}</p>
        <div className="row">
          <Button size="sm" disabled={busy} onClick={() => void onSimulate()}>
            {expired ? t('server.creds.removeExpiry') : t('server.creds.makeExpired')}
          </Button>
        </div>
      </div>
    </FormDialog>
  );
}

/** Delete a credential after an explicit confirmation. */
export function DeleteCredentialDialog({ client, credential, onClose }: CredentialDialogProps) {
  const { t, i18n } = useTranslation();
  const deleteCredential = useAppStore((s) => s.deleteCredential);
  const pushToast = useAppStore((s) => s.pushToast);
  const slots = slotsOf(client, credential.id);

  const onConfirm = async () => {
    await deleteCredential(client.client_id, credential.id);
    pushToast({ kind: 'success', message: t('server.deleteCred.done', { name: credential.name }) });
  };

  return (
    <ConfirmDialog
      title={t('server.deleteCred.title')}
      body={t('server.deleteCred.body')}
      confirmLabel={t('server.deleteCred.confirm')}
      onConfirm={onConfirm}
      onClose={onClose}
    >
      <dl className="facts facts-compact">
        <dt>{t('server.creds.name')}</dt>
        <dd className="break">{credential.name}</dd>
        <dt>{t('server.creds.kid')}</dt>
        <dd className="mono">{shortThumbprint(credential.kid)}</dd>
        <dt>{t('server.creds.expires')}</dt>
        <dd>{credential.expires_at ? formatDate(credential.expires_at, i18n.language) : t('server.creds.never')}</dd>
      </dl>
      {slots.length > 0 && (
        <Banner tone="warning" title={t('server.deleteCred.attachedTitle')}>
          <p>
            {t('server.deleteCred.attached', {
              slots: new Intl.ListFormat(i18n.language, { type: 'conjunction' }).format(slots.map((slot) => slotLabel(t, slot))),
            })}
          </p>
        </Banner>
      )}
    </ConfirmDialog>
  );
}
