/**
 * The Explain screen: paste a customer's /authorize URL, PAR body or JWT, optionally their public key
 * (PEM, certificate, JWK or JWKS), pick a profile, and get the full explanation with no server set up.
 * The input kind is detected as it is typed; the client_id is prefilled from it. The expected issuer never
 * is (a wrong aud would be judged against itself): it is typed, taken from a saved target, or checked with
 * the issuer's discovery document (`flows.discover`, in the core); until it is given, the rules that need it
 * are shown as not evaluated. The time rules are judged at a chosen time: now, the token's iat, or a time
 * typed from the customer's log line. Signatures are verified by the core (`jwt.verify` with the pasted key).
 */
import type { FormEvent } from 'react';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { ProfileId } from '../../../../shared/jwt/profiles';
import type { Explanation } from '../../../../shared/explain/explain';
import type { PasteError, PasteOptions, PastedInput, PastedRole } from '../../../../shared/explain/paste';
import { checkKeyText, expectationsFor, explainPasted, parsePasted, pastedJwts, serverOfUrl } from '../../../../shared/explain/paste';
import type { EvaluateAtError, EvaluateAtMode } from '../../../../shared/explain/evaluate-at';
import { evaluateAt, isoSeconds } from '../../../../shared/explain/evaluate-at';
import type { FlowTarget } from '../../../../shared/schemas/flows';
import type { VerifyResult } from '../../../../shared/schemas/jwt';
import { ApiError, call } from '../../api/client';
import { describeError } from '../../i18n/errors';
import { RadioGroup } from '../../components/radio-group';
import { Banner } from '../../components/banner';
import { Button } from '../../components/button';
import { ErrorBanner } from '../../components/error-text';
import { SelectField, TextAreaField, TextField } from '../../components/field';
import { ScreenHeader } from '../../components/screen-header';
import { ExplainView } from './explain-view';
import { RuleReference } from './rule-reference';
import { DpopExplainCard } from './dpop-explain-card';
import { HarPanel } from '../har/har-panel';
import { PROFILE_IDS, detectedText, isProfileId, pasteErrorText, profileName, roleName } from './labels';
import { targetName } from '../flows/flow-labels';

type Overrides = { audience: string | null; clientId: string | null };

interface Result {
  explanation: Explanation | null;
  inputError: PasteError | null;
  /** Why the key could not be used: a translated sentence, or the core's own. */
  keyError: string | null;
  /** An operation that failed (the core unreachable, …). */
  failure: unknown;
  /** The chosen "evaluate at" time could not be used. */
  timeError?: EvaluateAtError;
  /** How the evaluation time was chosen (shown with the time). */
  at?: EvaluateAtMode;
}

/** The wall clock, read when Explain is pressed (an event, not a render). */
function clockMs(): number {
  return Date.now();
}

/** Why an "evaluate at" time could not be used, as a sentence. */
function timeErrorText(t: TFunction, error: EvaluateAtError): string {
  switch (error.code) {
    case 'time-empty':
      return t('explain.at.errors.empty');
    case 'time-format':
      return t('explain.at.errors.format', { text: error.text });
    case 'time-no-iat':
      return t('explain.at.errors.noIat');
  }
}

/**
 * Verifies each JWT of the input against the pasted key (in the core), then explains the whole. A key that
 * cannot be read is reported, and the explanation is still given without signatures.
 */
async function explainRequest(t: TFunction, input: PastedInput, key: string, options: Omit<PasteOptions, 'signatures'>): Promise<Result> {
  const keyText = key.trim();
  const keyProblem = keyText === '' ? null : checkKeyText(keyText);
  const signatures: Partial<Record<PastedRole, VerifyResult | null>> = {};
  if (keyText !== '' && keyProblem === null) {
    for (const jwt of pastedJwts(input, options.role)) {
      signatures[jwt.role] = await call('jwt.verify', { token: jwt.token.trim(), source: { kind: 'text', text: keyText } });
    }
  }
  const explanation = explainPasted(input, { ...options, signatures });
  const unreadable = Object.values(signatures).find((v) => v?.failure === 'source-invalid');
  const keyError = keyProblem ? pasteErrorText(t, keyProblem) : unreadable ? t('explain.errors.keyCore', { detail: unreadable.message }) : null;
  return { explanation, inputError: null, keyError, failure: null };
}

/** The Explain screen. */
export function ExplainScreen() {
  const { t } = useTranslation();
  const resultTitleId = useId();
  const harTitleId = useId();
  const [text, setText] = useState('');
  const [key, setKey] = useState('');
  const [profile, setProfile] = useState<ProfileId>('auth0');
  const [role, setRole] = useState<PastedRole | 'auto'>('auto');
  const [overrides, setOverrides] = useState<Overrides>({ audience: null, clientId: null });
  // The expected issuer is the user's (typed, from a target, or from discovery): never prefilled from the input.
  const [issuer, setIssuer] = useState('');
  const [targets, setTargets] = useState<FlowTarget[]>([]);
  const [targetId, setTargetId] = useState('');
  const [checking, setChecking] = useState(false);
  const [discovery, setDiscovery] = useState<{ ok: true; issuer: string } | { ok: false; message: string } | null>(null);
  const [atMode, setAtMode] = useState<EvaluateAtMode>('now');
  const [atText, setAtText] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result | null>(null);

  useEffect(() => {
    let live = true;
    // Saved targets name their issuer; a failure to list them only leaves the select empty.
    call('flows.listTargets', {})
      .then((list) => live && setTargets(list))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);

  const parsed = parsePasted(text);
  const input = parsed.ok ? parsed.input : null;
  const roleOverride = role === 'auto' || input?.kind !== 'jwt' ? undefined : role;
  const prefill = input ? expectationsFor(input, roleOverride, issuer) : { issuer: '', audience: '', clientId: '' };
  const sentTo = input ? serverOfUrl(input) : '';
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
      setOverrides({ audience: null, clientId: null });
      setRole('auto');
    }
  };

  const onTarget = (id: string) => {
    setTargetId(id);
    const target = targets.find((x) => x.id === id);
    if (target) setIssuer(target.issuer);
  };

  const onCheckIssuer = async () => {
    setChecking(true);
    setDiscovery(null);
    try {
      const summary = await call('flows.discover', { issuer: issuer.trim() });
      // The issuer exactly as the discovery document publishes it (what aud must be).
      setIssuer(summary.issuer);
      setDiscovery({ ok: true, issuer: summary.issuer });
    } catch (e) {
      setDiscovery({ ok: false, message: e instanceof ApiError && e.message ? e.message : describeError(t, e).message });
    } finally {
      setChecking(false);
    }
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!parsed.ok) {
      setResult({ explanation: null, inputError: parsed.error, keyError: null, failure: null });
      return;
    }
    const at = evaluateAt(atMode, { nowMs: clockMs(), input: parsed.input, ...(roleOverride ? { role: roleOverride } : {}), typed: atText });
    if (!at.ok) {
      setResult({ explanation: null, inputError: null, keyError: null, failure: null, timeError: at.error });
      return;
    }
    setBusy(true);
    try {
      const expectations = { issuer: issuer.trim(), audience: audience.trim(), clientId: clientId.trim() };
      const explained = await explainRequest(t, parsed.input, key, {
        ...expectations,
        profile,
        now: at.seconds,
        ...(roleOverride ? { role: roleOverride } : {}),
      });
      setResult({ ...explained, at: atMode });
    } catch (e) {
      setResult({ explanation: null, inputError: null, keyError: null, failure: e });
    } finally {
      setBusy(false);
    }
  };

  const prefilled = (value: string | null) => (value === null && input !== null ? t('explain.paste.prefilled') : undefined);
  const atLabel = (mode: EvaluateAtMode | undefined) =>
    mode === 'iat' ? t('explain.at.fromIat') : mode === 'typed' ? t('explain.at.fromTyped') : t('explain.at.fromNow');

  return (
    <div className="screen explain-screen">
      <ScreenHeader title={t('explain.title')} subtitle={t('explain.subtitle')} />
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
            <SelectField
              label={t('explain.paste.profile')}
              value={profile}
              onChange={(e) => isProfileId(e.target.value) && setProfile(e.target.value)}
              className="inspect-select"
            >
              {PROFILE_IDS.map((id) => (
                <option key={id} value={id}>
                  {profileName(t, id)}
                </option>
              ))}
            </SelectField>
            {input?.kind === 'jwt' && (
              <SelectField
                label={t('explain.paste.role')}
                value={role}
                onChange={(e) => setRole(e.target.value as PastedRole | 'auto')}
                className="inspect-select"
              >
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
              onChange={(e) => {
                setIssuer(e.target.value);
                setTargetId('');
                setDiscovery(null);
              }}
              className="inspect-grow"
              spellCheck={false}
              placeholder="https://tenant.example.com/"
              hint={t('explain.paste.issuerHint')}
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
          <div className="inspect-form-row explain-issuer-sources">
            {targets.length > 0 && (
              <SelectField label={t('explain.paste.target')} value={targetId} onChange={(e) => onTarget(e.target.value)} className="inspect-select">
                <option value="">{t('explain.paste.targetNone')}</option>
                {targets.map((target) => (
                  <option key={target.id} value={target.id}>
                    {targetName(t, target)} — {target.issuer}
                  </option>
                ))}
              </SelectField>
            )}
            <div className="explain-issuer-actions">
              <Button onClick={() => void onCheckIssuer()} busy={checking} disabled={issuer.trim() === ''}>
                {t('explain.paste.checkIssuer')}
              </Button>
              {sentTo !== '' && sentTo !== issuer.trim() && (
                <Button onClick={() => setIssuer(sentTo)}>{t('explain.paste.useSentTo', { issuer: sentTo })}</Button>
              )}
            </div>
          </div>
          <p className="muted small" role="status">
            {discovery?.ok
              ? t('explain.paste.discovered', { issuer: discovery.issuer })
              : discovery
                ? t('explain.paste.discoveryFailed', { detail: discovery.message })
                : ''}
          </p>
          <div className="explain-at">
            <RadioGroup<EvaluateAtMode>
              legend={t('explain.at.legend')}
              value={atMode}
              onChange={setAtMode}
              options={[
                { value: 'now', label: t('explain.at.now') },
                { value: 'iat', label: t('explain.at.iat'), hint: t('explain.at.iatHint') },
                { value: 'typed', label: t('explain.at.typed') },
              ]}
            />
            {atMode === 'typed' && (
              <TextField
                label={t('explain.at.time')}
                value={atText}
                onChange={(e) => setAtText(e.target.value)}
                spellCheck={false}
                autoComplete="off"
                placeholder="2026-12-07T14:03:11Z"
                hint={t('explain.at.timeHint')}
              />
            )}
          </div>
          <div>
            <Button type="submit" variant="primary" busy={busy} data-main-action>
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
          {result?.timeError && (
            <Banner tone="error" title={t('explain.at.errors.title')}>
              <p>{timeErrorText(t, result.timeError)}</p>
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
            {result.explanation.evaluatedAt !== undefined && (
              <p className="muted small explain-evaluated-at">
                {t('explain.at.result', { time: isoSeconds(result.explanation.evaluatedAt), how: atLabel(result.at) })}
              </p>
            )}
            <ExplainView explanation={result.explanation} copyTitle={t('explain.resultTitle', { profile: profileName(t, profile) })} />
          </section>
        )}
        <DpopExplainCard />
        <section className="card explain-card" aria-labelledby={harTitleId}>
          <h2 id={harTitleId} className="section-title">
            {t('har.title')}
          </h2>
          <HarPanel />
        </section>
        <RuleReference />
      </div>
    </div>
  );
}
