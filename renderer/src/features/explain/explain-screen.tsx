/**
 * The Explain screen: paste a customer's /authorize URL, PAR body or JWT, optionally their public key
 * (PEM, certificate, JWK or JWKS), pick a profile, and get the full explanation with no server set up.
 * The input kind is detected as it is typed; the expected issuer, audience and client_id are prefilled
 * from it and can be changed. Signatures are verified by the core (`jwt.verify` with the pasted key), the
 * same verifier as Inspect's, so a key is read and judged the same way everywhere.
 */
import type { FormEvent } from 'react';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { ProfileId } from '../../../../shared/jwt/profiles';
import type { Explanation } from '../../../../shared/explain/explain';
import type { PasteError, PasteOptions, PastedInput, PastedRole } from '../../../../shared/explain/paste';
import { checkKeyText, expectationsFor, explainPasted, parsePasted, pastedJwts } from '../../../../shared/explain/paste';
import type { VerifyResult } from '../../../../shared/schemas/jwt';
import { call } from '../../api/client';
import { Banner } from '../../components/banner';
import { Button } from '../../components/button';
import { ErrorBanner } from '../../components/error-text';
import { SelectField, TextAreaField, TextField } from '../../components/field';
import { ExplainView } from './explain-view';
import { PROFILE_IDS, detectedText, isProfileId, pasteErrorText, profileName, roleName } from './labels';

type Overrides = { issuer: string | null; audience: string | null; clientId: string | null };

interface Result {
  explanation: Explanation | null;
  inputError: PasteError | null;
  /** Why the key could not be used: a translated sentence, or the core's own. */
  keyError: string | null;
  /** An operation that failed (the core unreachable, …). */
  failure: unknown;
}

/**
 * Verifies each JWT of the input against the pasted key (in the core), then explains the whole. A key that
 * cannot be read is reported, and the explanation is still given without signatures.
 */
async function explainRequest(t: TFunction, input: PastedInput, key: string, options: Omit<PasteOptions, 'now' | 'signatures'>): Promise<Result> {
  const keyText = key.trim();
  const keyProblem = keyText === '' ? null : checkKeyText(keyText);
  const signatures: Partial<Record<PastedRole, VerifyResult | null>> = {};
  if (keyText !== '' && keyProblem === null) {
    for (const jwt of pastedJwts(input, options.role)) {
      signatures[jwt.role] = await call('jwt.verify', { token: jwt.token.trim(), source: { kind: 'text', text: keyText } });
    }
  }
  const explanation = explainPasted(input, { ...options, now: Math.floor(Date.now() / 1000), signatures });
  const unreadable = Object.values(signatures).find((v) => v?.failure === 'source-invalid');
  const keyError = keyProblem ? pasteErrorText(t, keyProblem) : unreadable ? t('explain.errors.keyCore', { detail: unreadable.message }) : null;
  return { explanation, inputError: null, keyError, failure: null };
}

/** The Explain screen. */
export function ExplainScreen() {
  const { t } = useTranslation();
  const resultTitleId = useId();
  const [text, setText] = useState('');
  const [key, setKey] = useState('');
  const [profile, setProfile] = useState<ProfileId>('auth0');
  const [role, setRole] = useState<PastedRole | 'auto'>('auto');
  const [overrides, setOverrides] = useState<Overrides>({ issuer: null, audience: null, clientId: null });
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result | null>(null);

  const parsed = parsePasted(text);
  const input = parsed.ok ? parsed.input : null;
  const roleOverride = role === 'auto' || input?.kind !== 'jwt' ? undefined : role;
  const prefill = input ? expectationsFor(input, roleOverride) : { issuer: '', audience: '', clientId: '' };
  const issuer = overrides.issuer ?? prefill.issuer;
  const audience = overrides.audience ?? prefill.audience;
  const clientId = overrides.clientId ?? prefill.clientId;
  const hasAssertion = input !== null && pastedJwts(input, roleOverride).some((j) => j.role === 'clientAssertion');

  const onText = (value: string) => {
    setText(value);
    setResult(null);
    // Another request (its defaults differ): what was typed over the old defaults no longer applies.
    const next = parsePasted(value);
    const nextPrefill = next.ok ? expectationsFor(next.input) : { issuer: '', audience: '', clientId: '' };
    if (JSON.stringify(nextPrefill) !== JSON.stringify(expectationsFor(input ?? { kind: 'par-body', params: [] }))) {
      setOverrides({ issuer: null, audience: null, clientId: null });
      setRole('auto');
    }
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!parsed.ok) {
      setResult({ explanation: null, inputError: parsed.error, keyError: null, failure: null });
      return;
    }
    setBusy(true);
    try {
      const expectations = { issuer: issuer.trim(), audience: audience.trim(), clientId: clientId.trim() };
      setResult(await explainRequest(t, parsed.input, key, { ...expectations, profile, ...(roleOverride ? { role: roleOverride } : {}) }));
    } catch (e) {
      setResult({ explanation: null, inputError: null, keyError: null, failure: e });
    } finally {
      setBusy(false);
    }
  };

  const prefilled = (value: string | null) => (value === null && input !== null ? t('explain.paste.prefilled') : undefined);

  return (
    <div className="screen explain-screen">
      <header className="screen-header">
        <div>
          <h1 className="screen-title" tabIndex={-1}>
            {t('explain.title')}
          </h1>
          <p className="muted">{t('explain.subtitle')}</p>
        </div>
      </header>
      <div className="stack explain-layout">
        <form className="card explain-card stack" onSubmit={(e) => void onSubmit(e)} noValidate aria-label={t('explain.paste.formLabel')}>
          <TextAreaField
            label={t('explain.paste.input')}
            value={text}
            onChange={(e) => onText(e.target.value)}
            rows={6}
            className="mono-input explain-input"
            spellCheck={false}
            autoComplete="off"
            autoCapitalize="off"
            placeholder="https://tenant.example.com/authorize?client_id=…&request=eyJ…"
            hint={input ? detectedText(t, input, roleOverride) : t('explain.paste.inputHint')}
          />
          <TextAreaField
            label={t('explain.paste.key')}
            value={key}
            onChange={(e) => setKey(e.target.value)}
            rows={4}
            className="mono-input explain-key"
            spellCheck={false}
            autoComplete="off"
            autoCapitalize="off"
            placeholder={'-----BEGIN PUBLIC KEY-----  /  { "kty": "RSA", … }  /  { "keys": [ … ] }'}
            hint={t('explain.paste.keyHint')}
          />
          <div className="inspect-form-row">
            <SelectField label={t('explain.paste.profile')} value={profile} onChange={(e) => isProfileId(e.target.value) && setProfile(e.target.value)} className="inspect-select">
              {PROFILE_IDS.map((id) => (
                <option key={id} value={id}>
                  {profileName(t, id)}
                </option>
              ))}
            </SelectField>
            {input?.kind === 'jwt' && (
              <SelectField label={t('explain.paste.role')} value={role} onChange={(e) => setRole(e.target.value as PastedRole | 'auto')} className="inspect-select">
                <option value="auto">{t('explain.paste.roleAuto', { role: roleName(t, input.role) })}</option>
                <option value="requestObject">{roleName(t, 'requestObject')}</option>
                <option value="clientAssertion">{roleName(t, 'clientAssertion')}</option>
              </SelectField>
            )}
          </div>
          <div className="inspect-form-row">
            <TextField
              label={t('explain.paste.issuer')}
              value={issuer}
              onChange={(e) => setOverrides((o) => ({ ...o, issuer: e.target.value }))}
              className="inspect-grow"
              spellCheck={false}
              placeholder="https://tenant.example.com/"
              hint={prefilled(overrides.issuer) ?? t('explain.paste.issuerHint')}
            />
            {hasAssertion && (
              <TextField
                label={t('explain.paste.audience')}
                value={audience}
                onChange={(e) => setOverrides((o) => ({ ...o, audience: e.target.value }))}
                className="inspect-grow"
                spellCheck={false}
                hint={t('explain.paste.audienceHint')}
              />
            )}
            <TextField
              label={t('explain.paste.clientId')}
              value={clientId}
              onChange={(e) => setOverrides((o) => ({ ...o, clientId: e.target.value }))}
              className="inspect-grow"
              spellCheck={false}
              hint={prefilled(overrides.clientId)}
            />
          </div>
          <div>
            <Button type="submit" variant="primary" busy={busy}>
              {t('explain.button')}
            </Button>
          </div>
        </form>

        <div role="alert" className="explain-alerts">
          {result?.inputError && (
            <Banner tone="error" title={t('explain.errors.inputTitle')}>
              <p>{pasteErrorText(t, result.inputError)}</p>
            </Banner>
          )}
          {result?.keyError && (
            <Banner tone="error" title={t('explain.errors.keyTitle')}>
              <p>{result.keyError}</p>
            </Banner>
          )}
        </div>
        <ErrorBanner error={result?.failure ?? null} title={t('explain.errors.failed')} />

        {result?.explanation && (
          <section className="card explain-card" aria-labelledby={resultTitleId}>
            <h2 id={resultTitleId} className="section-title">
              {t('explain.resultTitle', { profile: profileName(t, profile) })}
            </h2>
            <ExplainView explanation={result.explanation} />
          </section>
        )}
      </div>
    </div>
  );
}
