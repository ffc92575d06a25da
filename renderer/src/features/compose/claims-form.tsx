/**
 * The claims form. Each field's label is the claim's name (what the specs and the lint call it); clearing
 * a field removes the claim. Dates have relative helpers, random values a Generate button, and the
 * request object a PKCE pair generator whose verifier is shown (and kept for the flow).
 */
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { JsonObject } from '../../../../shared/jwt';
import { Button } from '../../components/button';
import { CheckboxField, SelectField, TextField } from '../../components/field';
import { CodeBlock } from '../../components/code-block';
import { formatDateTime } from '../../i18n/format';
import { useAppStore } from '../../state/store';
import type { ClaimSpec, ComposeMode } from './compose-model';
import { claimText, claimValue, claimsFor, customClaimNames, generatePkce, nowSeconds, randomToken, withMember } from './compose-model';

/** Props of ClaimsForm. */
export interface ClaimsFormProps {
  mode: ComposeMode;
  payload: JsonObject;
  onChange: (payload: JsonObject) => void;
}

/** The claims fields. */
export function ClaimsForm({ mode, payload, onChange }: ClaimsFormProps) {
  const { t } = useTranslation();
  // Assertions: iss = sub = client_id (RFC 7523 §3), edited together unless unlocked.
  const [locked, setLocked] = useState(true);
  const set = (name: string, value: unknown) => {
    let next = withMember(payload, name, value);
    if (mode === 'assertion' && locked && (name === 'iss' || name === 'sub')) next = withMember(next, name === 'iss' ? 'sub' : 'iss', value);
    onChange(next);
  };
  const specs = claimsFor(mode).filter((c) => c.name !== 'code_challenge' && c.name !== 'code_challenge_method');

  return (
    <section className="card compose-card" aria-labelledby="compose-claims-title">
      <h2 id="compose-claims-title" className="section-title">
        {t('compose.claims.title')}
      </h2>
      {mode === 'assertion' && (
        <CheckboxField
          label={t('compose.claims.lockIssSub')}
          hint={t('compose.claims.lockIssSubHint')}
          checked={locked}
          onChange={(e) => setLocked(e.target.checked)}
        />
      )}
      <div className="compose-grid">
        {specs.map((spec) => (
          <ClaimField key={spec.name} mode={mode} spec={spec} value={payload[spec.name]} onChange={(v) => set(spec.name, v)} />
        ))}
      </div>
      {mode === 'jar' && <PkceFields payload={payload} onChange={onChange} />}
      <CustomClaims mode={mode} payload={payload} onChange={onChange} />
    </section>
  );
}

function ClaimField({ mode, spec, value, onChange }: { mode: ComposeMode; spec: ClaimSpec; value: unknown; onChange: (value: unknown) => void }) {
  const { t, i18n } = useTranslation();
  const text = claimText(value);
  const field = (
    <TextField
      label={spec.name}
      value={text}
      onChange={(e) => onChange(claimValue(e.target.value, spec.kind))}
      spellCheck={false}
      inputMode={spec.kind === 'date' ? 'numeric' : undefined}
      hint={
        spec.kind === 'date' && typeof value === 'number'
          ? formatDateTime(new Date(value * 1000).toISOString(), i18n.language)
          : spec.name === 'aud'
            ? t('compose.claims.audHint')
            : undefined
      }
    />
  );
  if (spec.kind === 'date') {
    const offsets = spec.name === 'exp' ? (mode === 'assertion' ? [300] : [300, 3600]) : [0];
    return (
      <div className="compose-field-with-action">
        {field}
        <div className="row compose-helpers">
          {offsets.map((offset) => (
            <Button
              key={offset}
              size="sm"
              onClick={() => onChange(nowSeconds() + offset)}
              aria-label={t('compose.claims.setRelative', { claim: spec.name, when: relativeLabel(t, offset) })}
            >
              {relativeLabel(t, offset)}
            </Button>
          ))}
        </div>
      </div>
    );
  }
  if (spec.generate) {
    return (
      <div className="compose-field-with-action">
        {field}
        <div className="row compose-helpers">
          <Button size="sm" onClick={() => onChange(randomToken())} aria-label={t('compose.claims.generateNamed', { claim: spec.name })}>
            {t('compose.claims.generate')}
          </Button>
        </div>
      </div>
    );
  }
  return field;
}

function relativeLabel(t: TFunction, offset: number): string {
  if (offset === 0) return t('compose.claims.now');
  if (offset === 300) return t('compose.claims.nowPlus5m');
  return t('compose.claims.nowPlus1h');
}

function PkceFields({ payload, onChange }: { payload: JsonObject; onChange: (payload: JsonObject) => void }) {
  const { t } = useTranslation();
  const verifier = useAppStore((s) => s.compose.pkceVerifier);
  const patchCompose = useAppStore((s) => s.patchCompose);
  const method = claimText(payload.code_challenge_method);
  const onGenerate = async () => {
    const pkce = await generatePkce();
    patchCompose({ pkceVerifier: pkce.verifier });
    onChange({ ...payload, code_challenge: pkce.challenge, code_challenge_method: 'S256' });
  };
  return (
    <div className="compose-pkce">
      <div className="compose-grid">
        <TextField
          label="code_challenge"
          value={claimText(payload.code_challenge)}
          onChange={(e) => onChange(withMember(payload, 'code_challenge', claimValue(e.target.value, 'string')))}
          spellCheck={false}
        />
        <SelectField
          label="code_challenge_method"
          value={method}
          onChange={(e) => onChange(withMember(payload, 'code_challenge_method', e.target.value || undefined))}
        >
          {method !== '' && method !== 'S256' && method !== 'plain' && <option value={method}>{method}</option>}
          <option value="S256">S256</option>
          <option value="plain">plain</option>
          <option value="">{t('compose.absent')}</option>
        </SelectField>
      </div>
      <div className="row">
        <Button size="sm" onClick={() => void onGenerate()}>
          {t('compose.claims.generatePkce')}
        </Button>
        <span className="muted small">{t('compose.claims.pkceHint')}</span>
      </div>
      {verifier && <CodeBlock title={t('compose.claims.verifier')} code={verifier} copyLabel={t('compose.claims.copyVerifier')} />}
    </div>
  );
}

function CustomClaims({ mode, payload, onChange }: { mode: ComposeMode; payload: JsonObject; onChange: (payload: JsonObject) => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  const names = customClaimNames(mode, payload);
  const trimmed = name.trim();
  const exists = trimmed !== '' && Object.hasOwn(payload, trimmed);
  const onAdd = () => {
    if (trimmed === '' || exists) return;
    onChange({ ...payload, [trimmed]: claimValue(value, 'json') ?? '' });
    setName('');
    setValue('');
  };
  return (
    <fieldset className="fieldset compose-custom">
      <legend className="field-label">{t('compose.claims.custom')}</legend>
      <p className="field-hint">{t('compose.claims.customHint')}</p>
      {names.map((claim) => (
        <div key={claim} className="compose-custom-row">
          <TextField
            label={claim}
            value={claimText(payload[claim])}
            onChange={(e) => onChange({ ...payload, [claim]: claimValue(e.target.value, 'json') ?? '' })}
            spellCheck={false}
          />
          <Button
            size="sm"
            variant="danger-outline"
            onClick={() => onChange(withMember(payload, claim, undefined))}
            aria-label={t('compose.claims.remove', { claim })}
          >
            {t('compose.claims.removeShort')}
          </Button>
        </div>
      ))}
      <form
        className="compose-custom-row"
        onSubmit={(e) => {
          e.preventDefault();
          onAdd();
        }}
      >
        <TextField
          label={t('compose.claims.newName')}
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={exists ? t('compose.claims.exists') : undefined}
          spellCheck={false}
        />
        <TextField label={t('compose.claims.newValue')} value={value} onChange={(e) => setValue(e.target.value)} spellCheck={false} />
        <Button size="sm" type="submit" disabled={trimmed === '' || exists}>
          {t('compose.claims.add')}
        </Button>
      </form>
    </fieldset>
  );
}
