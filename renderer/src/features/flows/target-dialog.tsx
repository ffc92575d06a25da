/**
 * New target / Edit target: an application of the embedded server, or a client at another issuer (checked
 * through its discovery document, fetched by the core), how Parley authenticates as it, its keys,
 * redirect URI, scope and audience.
 */
import type { TFunction } from 'i18next';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatList } from '../../i18n/list';
import type { FlowTarget, IssuerSummary } from '../../../../shared/schemas/flows';
import { ApiError, call } from '../../api/client';
import { Button } from '../../components/button';
import { CheckboxField, SelectField, TextAreaField, TextField } from '../../components/field';
import { FormDialog } from '../../components/form-dialog';
import { RadioGroup } from '../../components/radio-group';
import { useSubmit } from '../../components/use-submit';
import { describeError } from '../../i18n/errors';
import { useAppStore } from '../../state/store';
import { AUTH_METHODS, authMethodLabel, defaultRedirectUri, isAuthMethod, newTargetId } from './flow-labels';
import type { TargetField, TargetForm, TargetProblem, TargetSource } from './target-form';
import {
  applicationDefaults,
  checkTargetForm,
  defaultName,
  formOf,
  isPemCertificate,
  suggestedAuth,
  suggestedJarKey,
  targetOf,
  usesSecret,
} from './target-form';

/** Props of the target dialog: without `target` it creates one, with it it edits that one. */
export interface TargetDialogProps {
  target?: FlowTarget;
  onClose: () => void;
  onSaved: (target: FlowTarget) => void;
}

function problemText(t: TFunction, problem: TargetProblem): string {
  switch (problem) {
    case 'applicationRequired':
      return t('flows.target.applicationRequired');
    case 'serverStopped':
      return t('flows.target.serverStopped');
    case 'issuerRequired':
      return t('flows.target.issuerRequired');
    case 'issuerInvalid':
      return t('flows.target.issuerInvalid');
    case 'clientIdRequired':
      return t('flows.target.clientIdRequired');
    case 'authKeyRequired':
      return t('flows.target.authKeyRequired');
    case 'secretRequired':
      return t('flows.target.secretRequired');
    case 'redirectUriInvalid':
      return t('flows.target.redirectUriInvalid');
    case 'extraCaInvalid':
      return t('flows.target.extraCaInvalid');
  }
}

const blankForm = (): TargetForm => ({
  source: 'embedded',
  applicationId: '',
  issuer: '',
  clientId: '',
  name: '',
  method: 'private_key_jwt',
  authKeyId: '',
  jarKeyId: '',
  secret: '',
  redirectUri: defaultRedirectUri(),
  scope: 'openid profile email',
  audience: '',
  keepSession: false,
  extraCa: '',
});

/** The target dialog. */
export function TargetDialog({ target, onClose, onSaved }: TargetDialogProps) {
  const { t } = useTranslation();
  const clients = useAppStore((s) => s.server.clients);
  const serverIssuer = useAppStore((s) => s.server.status?.issuer ?? null);
  const keys = useAppStore((s) => s.keys.items);
  const mode = useAppStore((s) => s.settings.appInfo?.mode);
  const saveFlowTarget = useAppStore((s) => s.saveFlowTarget);
  const pushToast = useAppStore((s) => s.pushToast);
  const applications = useMemo(() => clients.filter((c) => !c.parley_management), [clients]);
  const signingKeys = useMemo(() => keys.filter((k) => k.hasPrivateKey), [keys]);

  const [form, setForm] = useState<TargetForm>(() => (target ? formOf(target) : blankForm()));
  const [problems, setProblems] = useState<Partial<Record<TargetField, TargetProblem>>>({});
  // Defaults from a checked issuer never override what the user chose (nor an edited target's choices).
  const [touched, setTouched] = useState<{ method: boolean; jarKey: boolean }>({ method: !!target, jarKey: !!target });
  const [summary, setSummary] = useState<IssuerSummary | null>(null);
  const check = useSubmit({ staysOpen: true });
  // The core names the problem (unreachable, TLS, timeout, not JSON, invalid document) in its message.
  const checkError =
    check.error === null ? null : check.error instanceof ApiError && check.error.message ? check.error.message : describeError(t, check.error).message;
  const { busy, error, run } = useSubmit();

  useEffect(() => {
    const store = useAppStore.getState();
    void store.loadClients();
    void store.loadKeys();
    void store.loadServerStatus();
  }, []);

  const update = (patch: Partial<TargetForm>, cleared: TargetField[] = []) => {
    setForm((f) => ({ ...f, ...patch }));
    if (cleared.length > 0) setProblems((p) => Object.fromEntries(Object.entries(p).filter(([field]) => !cleared.includes(field as TargetField))));
  };

  const application = applications.find((c) => c.client_id === form.applicationId);

  // A new target starts from what is already set up: the only application, and the vault keys registered on
  // it (its credentials' kids are the keys' thumbprints) with the method it authenticates with. Adjusted while
  // rendering, once per arrival of the data (React's "adjusting state when a prop changes"), never over a
  // choice made since.
  const onlyApplication = !target && applications.length === 1 ? applications[0]!.client_id : null;
  const [preselected, setPreselected] = useState<string | null>(null);
  if (onlyApplication !== null && onlyApplication !== preselected) {
    setPreselected(onlyApplication);
    if (form.source === 'embedded' && !form.applicationId) setForm((f) => ({ ...f, applicationId: onlyApplication }));
  }
  const applicationCredentials = useAppStore((s) => (form.applicationId ? s.server.credentials[form.applicationId] : undefined));
  useEffect(() => {
    if (!target && form.applicationId) void useAppStore.getState().loadCredentials(form.applicationId);
  }, [target, form.applicationId]);
  const defaultsKey =
    !target && application && applicationCredentials
      ? [application.client_id, ...applicationCredentials.map((c) => c.id), ...signingKeys.map((k) => k.id)].join(' ')
      : null;
  const [appliedDefaults, setAppliedDefaults] = useState<string | null>(null);
  if (defaultsKey !== null && defaultsKey !== appliedDefaults && application && applicationCredentials) {
    setAppliedDefaults(defaultsKey);
    const defaults = applicationDefaults(application, applicationCredentials, signingKeys);
    setForm((f) => ({
      ...f,
      ...(!touched.method && defaults.method ? { method: defaults.method } : {}),
      ...(defaults.authKeyId && !f.authKeyId ? { authKeyId: defaults.authKeyId } : {}),
      ...(!touched.jarKey && defaults.jarKeyId && !f.jarKeyId ? { jarKeyId: defaults.jarKeyId } : {}),
    }));
  }
  const secretSaved = !!target && target.auth.hasSecret && usesSecret(target.auth.method);
  const isIssuer = form.source === 'issuer';

  const onCheck = async () => {
    const issuer = form.issuer.trim();
    const found = checkTargetForm({ ...form, issuer }, { serverIssuer, savedSecret: true }).issuer;
    if (found) {
      setProblems((p) => ({ ...p, issuer: found }));
      return;
    }
    setSummary(null);
    await check.run(async () => {
      const extraCa = form.extraCa.trim();
      // The extra CA typed here is trusted for the check too (a development issuer's certificate).
      const result = await call('flows.discover', { issuer, ...(extraCa && isPemCertificate(extraCa) ? { extraCa } : {}) });
      setSummary(result);
      // The issuer exactly as published (ID tokens carry it as `iss`).
      const patch: Partial<TargetForm> = { issuer: result.issuer };
      if (!touched.method) {
        const auth = suggestedAuth(result, signingKeys);
        patch.method = auth.method;
        if (auth.authKeyId && !form.authKeyId) patch.authKeyId = auth.authKeyId;
      }
      if (!touched.jarKey && !form.jarKeyId) {
        const jarKeyId = suggestedJarKey(result, signingKeys);
        if (jarKeyId) patch.jarKeyId = jarKeyId;
      }
      update(patch, ['issuer', 'authKey']);
    });
  };

  const onSubmit = () => {
    const found = checkTargetForm(form, { serverIssuer, savedSecret: secretSaved });
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    const saved = targetOf(form, { id: target?.id ?? newTargetId(), serverIssuer, applicationName: application?.name });
    return run(async () => {
      const result = await saveFlowTarget({ target: saved, ...(usesSecret(form.method) && form.secret ? { secret: form.secret } : {}) });
      pushToast({ kind: 'success', message: t('flows.target.saved', { name: result.name }) });
      onSaved(result);
      onClose();
    });
  };

  const problem = (field: TargetField) => {
    const p = problems[field];
    return p ? problemText(t, p) : null;
  };

  const keyOptions = signingKeys.map((k) => (
    <option key={k.id} value={k.id}>
      {k.name}
    </option>
  ));

  return (
    <FormDialog
      title={target ? t('flows.target.editTitle') : t('flows.target.title')}
      description={t('flows.target.intro')}
      submitLabel={t('flows.target.submit')}
      onSubmit={onSubmit}
      onClose={onClose}
      busy={busy}
      error={error}
      errorTitle={t('flows.target.failed')}
    >
      <RadioGroup<TargetSource>
        legend={t('flows.target.source')}
        value={form.source}
        onChange={(source) => update({ source }, ['application', 'issuer', 'clientId'])}
        options={[
          { value: 'embedded', label: t('flows.target.sourceEmbedded'), hint: t('flows.target.sourceEmbeddedHint') },
          { value: 'issuer', label: t('flows.target.sourceIssuer'), hint: t('flows.target.sourceIssuerHint') },
        ]}
      />
      {isIssuer ? (
        <>
          <div className="target-issuer">
            <TextField
              label={t('flows.target.issuer')}
              hint={t('flows.target.issuerHint')}
              error={problem('issuer') ?? checkError}
              type="url"
              value={form.issuer}
              onChange={(e) => {
                update({ issuer: e.target.value }, ['issuer']);
                setSummary(null);
                check.clearError();
              }}
              placeholder="https://tenant.auth0.com/"
              className="mono-input"
              spellCheck={false}
              autoComplete="off"
            />
            <Button onClick={() => void onCheck()} busy={check.busy}>
              {t('flows.target.check')}
            </Button>
          </div>
          <div aria-live="polite">{summary && <IssuerFacts summary={summary} />}</div>
          <TextField
            label={t('flows.target.clientId')}
            value={form.clientId}
            onChange={(e) => update({ clientId: e.target.value }, ['clientId'])}
            error={problem('clientId')}
            className="mono-input"
            spellCheck={false}
            autoComplete="off"
          />
        </>
      ) : (
        <SelectField
          label={t('flows.target.application')}
          value={form.applicationId}
          onChange={(e) => update({ applicationId: e.target.value }, ['application'])}
          error={problem('application')}
        >
          <option value="">{t('flows.target.choose')}</option>
          {applications.map((c) => (
            <option key={c.client_id} value={c.client_id}>
              {c.name}
            </option>
          ))}
        </SelectField>
      )}
      <TextField
        label={t('flows.target.name')}
        value={form.name}
        onChange={(e) => update({ name: e.target.value })}
        placeholder={defaultName(form, application?.name)}
        maxLength={100}
        autoComplete="off"
      />
      <SelectField
        label={t('flows.target.method')}
        value={form.method}
        onChange={(e) => {
          if (!isAuthMethod(e.target.value)) return;
          setTouched((x) => ({ ...x, method: true }));
          update({ method: e.target.value }, ['authKey', 'secret']);
        }}
      >
        {AUTH_METHODS.map((m) => (
          <option key={m} value={m}>
            {authMethodLabel(t, m)}
          </option>
        ))}
      </SelectField>
      {form.method === 'private_key_jwt' && (
        <SelectField
          label={t('flows.target.authKey')}
          hint={t('flows.target.authKeyHint')}
          value={form.authKeyId}
          onChange={(e) => update({ authKeyId: e.target.value }, ['authKey'])}
          error={problem('authKey')}
        >
          <option value="">{t('flows.target.choose')}</option>
          {keyOptions}
        </SelectField>
      )}
      {usesSecret(form.method) && (
        <TextField
          label={t('flows.target.secret')}
          hint={secretSaved ? t('flows.target.secretKeep') : undefined}
          type="password"
          value={form.secret}
          onChange={(e) => update({ secret: e.target.value }, ['secret'])}
          error={problem('secret')}
          autoComplete="off"
        />
      )}
      <SelectField
        label={t('flows.target.jarKey')}
        hint={
          form.jarKeyId ? (
            t('flows.target.jarKeyHint')
          ) : (
            // Said plainly: JAR and PAR + JAR runs need a request-object key, and this target has none.
            <>
              {t('flows.target.jarKeyHint')} <strong className="warning-text">{t('flows.target.noJarKeyNote')}</strong>
            </>
          )
        }
        value={form.jarKeyId}
        onChange={(e) => {
          setTouched((x) => ({ ...x, jarKey: true }));
          update({ jarKeyId: e.target.value });
        }}
      >
        <option value="">{t('flows.target.noJarKey')}</option>
        {keyOptions}
      </SelectField>
      <TextField
        label={t('flows.target.redirectUri')}
        hint={
          isIssuer
            ? mode === 'electron'
              ? t('flows.target.redirectUriIssuerElectron')
              : t('flows.target.redirectUriIssuerWeb')
            : t('flows.target.redirectUriHint')
        }
        value={form.redirectUri}
        onChange={(e) => update({ redirectUri: e.target.value }, ['redirectUri'])}
        error={problem('redirectUri')}
        className="mono-input"
        spellCheck={false}
        autoComplete="off"
      />
      <TextField label={t('flows.target.scope')} value={form.scope} onChange={(e) => update({ scope: e.target.value })} spellCheck={false} autoComplete="off" />
      <TextField
        label={t('flows.target.audience')}
        hint={t('flows.target.audienceHint')}
        value={form.audience}
        onChange={(e) => update({ audience: e.target.value })}
        className="mono-input"
        spellCheck={false}
        autoComplete="off"
      />
      {isIssuer && (
        <TextAreaField
          label={t('flows.target.extraCa')}
          hint={t('flows.target.extraCaHint')}
          value={form.extraCa}
          onChange={(e) => update({ extraCa: e.target.value }, ['extraCa'])}
          error={problem('extraCa')}
          className="mono-input"
          rows={4}
          spellCheck={false}
          autoComplete="off"
          placeholder="-----BEGIN CERTIFICATE-----"
        />
      )}
      <CheckboxField
        label={t('flows.target.keepSession')}
        hint={mode === 'electron' ? t('flows.target.keepSessionHint') : t('flows.target.keepSessionHintWeb')}
        checked={form.keepSession}
        onChange={(e) => update({ keepSession: e.target.checked })}
      />
      {/* DPoP (RFC 9449): proofs on PAR, token and userinfo requests, signed with a vault key. */}
      <SelectField
        label={t('flows.target.dpopKey')}
        hint={t('flows.target.dpopKeyHint')}
        value={form.dpopKeyId ?? ''}
        onChange={(e) => update({ dpopKeyId: e.target.value, dpopBindCode: form.dpopBindCode ?? true })}
      >
        <option value="">{t('flows.target.noDpop')}</option>
        {keyOptions}
      </SelectField>
      {form.dpopKeyId ? (
        <CheckboxField
          label={t('flows.target.dpopBindCode')}
          hint={t('flows.target.dpopBindCodeHint')}
          checked={form.dpopBindCode !== false}
          onChange={(e) => update({ dpopBindCode: e.target.checked })}
        />
      ) : null}
    </FormDialog>
  );
}

/** What a checked issuer supports, under the issuer field. */
function IssuerFacts({ summary }: { summary: IssuerSummary }) {
  const { t, i18n } = useTranslation();
  const par = summary.pushed_authorization_request_endpoint
    ? summary.require_pushed_authorization_requests
      ? t('flows.target.parRequired')
      : t('flows.target.parSupported')
    : t('flows.target.parUnsupported');
  const algs = summary.request_object_signing_alg_values_supported;
  const methods = summary.token_endpoint_auth_methods_supported;
  const dpopAlgs = summary.dpop_signing_alg_values_supported;
  return (
    <div className="target-issuer-facts">
      <p className="field-label">{t('flows.target.supports', { issuer: summary.issuer })}</p>
      <dl className="facts facts-compact">
        <dt>{t('flows.target.par')}</dt>
        <dd>{par}</dd>
        <dt>{t('flows.target.authMethods')}</dt>
        <dd className={methods ? 'mono' : undefined}>{methods ? formatList(methods, i18n.language) : t('flows.target.authMethodsDefault')}</dd>
        <dt>{t('flows.target.jarAlgs')}</dt>
        <dd className={algs ? 'mono' : undefined}>{algs ? formatList(algs, i18n.language) : t('flows.target.notPublished')}</dd>
        <dt>{t('flows.target.dpopAlgs')}</dt>
        <dd className={dpopAlgs ? 'mono' : undefined}>{dpopAlgs ? formatList(dpopAlgs, i18n.language) : t('flows.target.notPublished')}</dd>
      </dl>
    </div>
  );
}
