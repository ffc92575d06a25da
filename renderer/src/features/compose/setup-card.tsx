/**
 * What the draft is aimed at: the target (embedded server or a typed issuer, or a flow target saved on the
 * Flows screen), the client, the vault key (filtered by the mode's usage unless "show all keys"), the
 * profile and where the token is sent; with warnings when the key's usages do not fit.
 */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProfileId } from '../../../../shared/jwt';
import type { FlowTarget } from '../../../../shared/schemas/flows';
import { Banner } from '../../components/banner';
import { CheckboxField, SelectField, TextField } from '../../components/field';
import { useAppStore } from '../../state/store';
import { keyTypeLabel, usageLabel } from '../keys/key-labels';
import { targetName } from '../flows/flow-labels';
import { formatList } from '../../i18n/list';
import type { AssertionEndpoint, ComposeMode, JarEndpoint } from './compose-model';
import { PROFILES_BY_MODE, USAGE_BY_MODE, usageProblems } from './compose-model';
import { profileLabel } from './compose-labels';
import type { ComposeTarget } from './use-compose-target';

/** Aims the composer at a saved flow target: its issuer, its client and, when it names one, the key for the mode. */
function aimAt(flowTarget: FlowTarget, mode: ComposeMode): void {
  const store = useAppStore.getState();
  const onServer = flowTarget.embedded && store.server.clients.some((c) => c.client_id === flowTarget.client_id);
  const keyId = mode === 'jar' ? flowTarget.jarKeyId : flowTarget.auth.method === 'private_key_jwt' ? flowTarget.auth.keyId : undefined;
  store.patchCompose({
    ...(flowTarget.embedded ? { target: 'server' as const } : { target: 'issuer' as const, typedIssuer: flowTarget.issuer }),
    ...(onServer
      ? { clientSource: 'server' as const, serverClientId: flowTarget.client_id }
      : { clientSource: 'typed' as const, typedClientId: flowTarget.client_id }),
    ...(keyId ? { keyId } : {}),
  });
}

/** The aim of the draft. */
export function SetupCard({ target }: { target: ComposeTarget }) {
  const { t, i18n } = useTranslation();
  const compose = useAppStore((s) => s.compose);
  const patch = useAppStore((s) => s.patchCompose);
  const setProfile = useAppStore((s) => s.setComposeProfile);
  const serverRunning = useAppStore((s) => s.server.status?.running ?? false);
  const flowTargets = useAppStore((s) => s.flows.targets);
  const { mode, key } = target;
  const problems = key ? usageProblems(key, mode) : null;

  useEffect(() => {
    void useAppStore.getState().loadFlowTargets();
  }, []);

  return (
    <section className="card compose-card" aria-labelledby="compose-setup-title">
      <h2 id="compose-setup-title" className="section-title">
        {t('compose.setup.title')}
      </h2>
      <div className="compose-grid">
        <SelectField
          className="compose-span-2"
          label={t('compose.setup.savedTarget')}
          value=""
          onChange={(e) => {
            const picked = flowTargets.find((x) => x.id === e.target.value);
            if (picked) aimAt(picked, mode);
          }}
          hint={flowTargets.length === 0 ? t('compose.setup.noSavedTargets') : t('compose.setup.savedTargetHint')}
        >
          <option value="">{t('compose.setup.savedTargetChoose')}</option>
          {flowTargets.map((x) => (
            <option key={x.id} value={x.id}>
              {targetName(t, x)}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t('compose.setup.target')}
          value={compose.target}
          onChange={(e) => patch({ target: e.target.value === 'issuer' ? 'issuer' : 'server' })}
        >
          <option value="server">{t('compose.setup.targetServer')}</option>
          <option value="issuer">{t('compose.setup.targetIssuer')}</option>
        </SelectField>
        {compose.target === 'server' ? (
          <div className="field">
            <span className="field-label">{t('compose.setup.issuer')}</span>
            <p className="mono break compose-value">{target.issuer || (serverRunning ? t('common.loading') : t('compose.setup.serverStopped'))}</p>
          </div>
        ) : (
          <TextField
            label={t('compose.setup.issuerUrl')}
            type="url"
            placeholder="https://tenant.auth0.com/"
            value={compose.typedIssuer}
            onChange={(e) => patch({ typedIssuer: e.target.value })}
            hint={target.issuer ? t('compose.setup.issuerNormalized', { issuer: target.issuer }) : t('compose.setup.issuerUrlHint')}
            spellCheck={false}
          />
        )}
        <SelectField
          label={t('compose.setup.clientSource')}
          value={compose.clientSource}
          onChange={(e) => patch({ clientSource: e.target.value === 'typed' ? 'typed' : 'server' })}
        >
          <option value="server">{t('compose.setup.clientFromServer')}</option>
          <option value="typed">{t('compose.setup.clientTyped')}</option>
        </SelectField>
        {compose.clientSource === 'server' ? (
          <SelectField
            label={t('compose.setup.client')}
            value={target.clientId}
            onChange={(e) => patch({ serverClientId: e.target.value })}
            hint={target.clients.length === 0 ? t('compose.setup.noClients') : target.client ? t('compose.setup.clientChecked') : undefined}
          >
            {target.clients.length === 0 && <option value="">{t('compose.absent')}</option>}
            {target.clients.map((c) => (
              <option key={c.client_id} value={c.client_id}>
                {c.name} ({c.client_id})
              </option>
            ))}
          </SelectField>
        ) : (
          <TextField
            label={t('compose.setup.typedClientId')}
            value={compose.typedClientId}
            onChange={(e) => patch({ typedClientId: e.target.value })}
            hint={compose.typedClientId.trim() ? t('compose.setup.clientUnchecked') : undefined}
            spellCheck={false}
          />
        )}
        <SelectField
          label={t('compose.setup.key')}
          value={key?.id ?? ''}
          onChange={(e) => patch({ keyId: e.target.value || null })}
          hint={
            target.keys.length === 0
              ? compose.showAllKeys
                ? t('compose.setup.noKeysAtAll')
                : t('compose.setup.noKeys', { usage: usageLabel(t, USAGE_BY_MODE[mode]) })
              : undefined
          }
        >
          {!key && <option value="">{t('compose.absent')}</option>}
          {key && !target.keys.some((k) => k.id === key.id) && <option value={key.id}>{key.name}</option>}
          {target.keys.map((k) => (
            <option key={k.id} value={k.id}>
              {k.name} · {keyTypeLabel(t, k)}
            </option>
          ))}
        </SelectField>
        <div className="compose-check-cell">
          <CheckboxField
            label={t('compose.setup.showAllKeys')}
            hint={t('compose.setup.showAllKeysHint', { usage: usageLabel(t, USAGE_BY_MODE[mode]) })}
            checked={compose.showAllKeys}
            onChange={(e) => patch({ showAllKeys: e.target.checked })}
          />
        </div>
        <SelectField label={t('compose.setup.profile')} value={target.profile} onChange={(e) => setProfile(mode, e.target.value as ProfileId)}>
          {PROFILES_BY_MODE[mode].map((p) => (
            <option key={p} value={p}>
              {profileLabel(t, p)}
            </option>
          ))}
        </SelectField>
        {mode === 'jar' ? (
          <SelectField
            label={t('compose.setup.endpoint')}
            value={compose.jarEndpoint}
            onChange={(e) => patch({ jarEndpoint: e.target.value as JarEndpoint })}
            hint={t('compose.setup.endpointHint')}
          >
            <option value="authorize">{t('compose.setup.endpointAuthorize')}</option>
            <option value="par">{t('compose.setup.endpointPar')}</option>
          </SelectField>
        ) : (
          <SelectField
            label={t('compose.setup.endpoint')}
            value={compose.assertionEndpoint}
            onChange={(e) => patch({ assertionEndpoint: e.target.value as AssertionEndpoint })}
            hint={t('compose.setup.endpointHint')}
          >
            <option value="token">{t('compose.setup.endpointToken')}</option>
            <option value="par">{t('compose.setup.endpointPar')}</option>
          </SelectField>
        )}
      </div>
      {problems?.mismatch && (
        <Banner tone="warning" title={t('compose.setup.usageMismatchTitle')}>
          <p>
            {t('compose.setup.usageMismatch', {
              usage: usageLabel(t, USAGE_BY_MODE[mode]),
              usages:
                key && key.usages.length > 0
                  ? formatList(
                      key.usages.map((u) => usageLabel(t, u)),
                      i18n.language,
                    )
                  : t('compose.setup.noUsages'),
            })}
          </p>
        </Banner>
      )}
      {problems?.reused && (
        <Banner tone="warning" title={t('compose.setup.reusedTitle')}>
          <p>{t('compose.setup.reused')}</p>
        </Banner>
      )}
    </section>
  );
}
