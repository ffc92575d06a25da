/**
 * The APIs tab: the tenant's resource servers (Auth0's "APIs") with their "Token Sender-Constraining" settings
 * grouped as Auth0's Dashboard shows them (a method, then whether tokens must be constrained), and "Create
 * API". Saving sends the Management API's `proof_of_possession` (DPC-8 mapping, sender-constraining.ts)
 * through the same validation as PATCH /api/v2/resource-servers, so DPB-1 applies it at /oauth/token at once.
 */
import type { FormEvent } from 'react';
import { useEffect, useId, useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ServerResourceServer } from '../../../../shared/schemas/server';
import { Button } from '../../components/button';
import { ErrorBanner } from '../../components/error-text';
import { TextField } from '../../components/field';
import { FormDialog } from '../../components/form-dialog';
import { ListState, ListToolbar } from '../../components/list-state';
import { RadioGroup } from '../../components/radio-group';
import { useSubmit } from '../../components/use-submit';
import { useAppStore } from '../../state/store';
import type { SenderConstrainingMethod, SenderConstrainingRequirement } from './sender-constraining';
import {
  SENDER_CONSTRAINING_METHODS,
  SENDER_CONSTRAINING_REQUIREMENTS,
  fromProofOfPossession,
  requirementOffered,
  toProofOfPossession,
} from './sender-constraining';

/** The labels of the choices, spelled out so the catalogue check sees every key. */
function methodLabel(t: TFunction, method: SenderConstrainingMethod): string {
  if (method === 'mtls') return t('server.resourceServers.methods.mtls');
  if (method === 'dpop') return t('server.resourceServers.methods.dpop');
  return t('server.resourceServers.methods.none');
}

function requirementLabel(t: TFunction, requirement: SenderConstrainingRequirement): string {
  if (requirement === 'public_clients') return t('server.resourceServers.requirements.public_clients');
  if (requirement === 'all_clients') return t('server.resourceServers.requirements.all_clients');
  return t('server.resourceServers.requirements.never');
}

/** The APIs tab. */
export function ApisTab() {
  const { t } = useTranslation();
  const apis = useAppStore((s) => s.server.resourceServers);
  const loaded = useAppStore((s) => s.server.resourceServersLoaded);
  const error = useAppStore((s) => s.server.resourceServersError);
  const load = useAppStore((s) => s.loadResourceServers);
  const [creating, setCreating] = useState(false);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <div className="stack">
      <ListToolbar intro={t('server.resourceServers.intro')} addLabel={t('server.resourceServers.create')} onAdd={() => setCreating(true)} />
      <ListState
        error={error}
        errorTitle={t('server.resourceServers.loadFailed')}
        onRetry={() => void load()}
        loaded={loaded}
        empty={apis.length === 0}
        emptyText={t('server.resourceServers.empty')}
      >
        <ul className="stack api-list" aria-label={t('server.resourceServers.listLabel')}>
          {apis.map((api) => (
            // Keyed by the saved policy too, so a save (or a Management API change) resets the form to what is stored.
            <ApiSenderConstraining key={`${api.id}:${JSON.stringify(api.proof_of_possession ?? null)}`} api={api} />
          ))}
        </ul>
      </ListState>
      {creating && <CreateApiDialog onClose={() => setCreating(false)} />}
    </div>
  );
}

/** One API: its name and identifier, and its Token Sender-Constraining form. */
function ApiSenderConstraining({ api }: { api: ServerResourceServer }) {
  const { t } = useTranslation();
  const headingId = useId();
  const updateResourceServer = useAppStore((s) => s.updateResourceServer);
  const pushToast = useAppStore((s) => s.pushToast);
  const saved = fromProofOfPossession(api.proof_of_possession);
  const [method, setMethod] = useState<SenderConstrainingMethod>(saved.method);
  const [requirement, setRequirement] = useState<SenderConstrainingRequirement>(saved.requirement);
  const { busy, error, run, clearError } = useSubmit({ staysOpen: true });
  const dirty = method !== saved.method || requirement !== saved.requirement;

  const onMethod = (next: SenderConstrainingMethod) => {
    setMethod(next);
    // A requirement the new method does not offer falls back to the strictest one it does (None: Never).
    if (!requirementOffered(next, requirement)) setRequirement(next === 'none' ? 'never' : 'all_clients');
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    clearError();
    void run(async () => {
      await updateResourceServer(api.id, { proof_of_possession: toProofOfPossession({ method, requirement }) });
      pushToast({ kind: 'success', message: t('server.resourceServers.saved', { name: api.name }) });
    });
  };

  return (
    <li className="detail-block" aria-labelledby={headingId}>
      <div className="api-head">
        <h3 id={headingId} className="section-title">
          {api.name}
        </h3>
        <p className="mono break muted small">{api.identifier}</p>
      </div>
      <form className="stack" onSubmit={onSubmit} noValidate aria-label={t('server.resourceServers.formLabel', { name: api.name })}>
        <div className="api-head">
          <h4 className="field-label">{t('server.resourceServers.senderConstraining')}</h4>
          <p className="muted small">{t('server.resourceServers.senderConstrainingHint')}</p>
        </div>
        <RadioGroup
          legend={t('server.resourceServers.method')}
          value={method}
          onChange={onMethod}
          options={SENDER_CONSTRAINING_METHODS.map((m) => ({ value: m, label: methodLabel(t, m) }))}
        />
        <RadioGroup
          legend={t('server.resourceServers.requirement')}
          value={requirement}
          onChange={setRequirement}
          options={SENDER_CONSTRAINING_REQUIREMENTS.map((r) => ({
            value: r,
            label: requirementLabel(t, r),
            hint: r === 'public_clients' && method === 'mtls' ? t('server.resourceServers.publicNotWithMtls') : undefined,
            disabled: !requirementOffered(method, r),
          }))}
        />
        <ErrorBanner error={error} title={t('server.resourceServers.saveFailed')} />
        <div className="row">
          <Button type="submit" variant="primary" busy={busy} disabled={!dirty}>
            {t('common.save')}
          </Button>
          {dirty && <span className="muted small">{t('server.appSettings.unsaved')}</span>}
        </div>
      </form>
    </li>
  );
}

/** "Create API": a name and the identifier (the `audience` of token requests), as Auth0's dialog asks. */
function CreateApiDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const createResourceServer = useAppStore((s) => s.createResourceServer);
  const pushToast = useAppStore((s) => s.pushToast);
  const [name, setName] = useState('');
  const [identifier, setIdentifier] = useState('');
  const [errors, setErrors] = useState<{ name?: string; identifier?: string }>({});
  const { busy, error, run, clearError } = useSubmit();

  const onSubmit = () => {
    clearError();
    const next: typeof errors = {};
    if (!name.trim()) next.name = t('server.resourceServers.nameRequired');
    if (!identifier.trim()) next.identifier = t('server.resourceServers.identifierRequired');
    setErrors(next);
    if (next.name || next.identifier) return;
    return run(async () => {
      const created = await createResourceServer({ name: name.trim(), identifier: identifier.trim() });
      pushToast({ kind: 'success', message: t('server.resourceServers.created', { name: created.name }) });
      onClose();
    });
  };

  return (
    <FormDialog
      title={t('server.resourceServers.createTitle')}
      description={t('server.resourceServers.createIntro')}
      submitLabel={t('server.resourceServers.createSubmit')}
      onSubmit={onSubmit}
      onClose={onClose}
      busy={busy}
      error={error}
      errorTitle={t('server.resourceServers.createFailed')}
    >
      <TextField
        label={t('server.resourceServers.name')}
        value={name}
        error={errors.name}
        onChange={(e) => {
          setName(e.target.value);
          setErrors((x) => ({ ...x, name: undefined }));
        }}
        maxLength={200}
        required
        autoComplete="off"
      />
      <TextField
        label={t('server.resourceServers.identifier')}
        hint={t('server.resourceServers.identifierHint')}
        value={identifier}
        error={errors.identifier}
        onChange={(e) => {
          setIdentifier(e.target.value);
          setErrors((x) => ({ ...x, identifier: undefined }));
        }}
        maxLength={600}
        required
        autoComplete="off"
        spellCheck={false}
        className="mono-input"
      />
    </FormDialog>
  );
}
