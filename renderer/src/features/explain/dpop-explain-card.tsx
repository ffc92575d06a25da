/**
 * Explain's DPoP card: paste a proof with the request line it was sent with ("POST https://…/oauth/token"),
 * optionally the access token (for ath), the server's nonce, the expected thumbprint and the response's
 * Date; get the server's rules (failures first, Copy as Markdown like every explanation), the htu lens and
 * the clock line (shared/explain/dpop.ts). The access token stays in this card's state: only its hash is
 * computed, nothing is stored or sent.
 */
import type { FormEvent } from 'react';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { ProfileId } from '../../../../shared/jwt/profiles';
import type { DpopExplainResult, DpopExplained } from '../../../../shared/explain/dpop';
import { explainDpopProof } from '../../../../shared/explain/dpop';
import { isoSeconds, parseTimestamp } from '../../../../shared/explain/evaluate-at';
import { Banner } from '../../components/banner';
import { Button } from '../../components/button';
import { RadioGroup } from '../../components/radio-group';
import { SelectField, TextAreaField, TextField } from '../../components/field';
import { labelGap } from '../../i18n/format';
import { DpopTokenNonceFields } from './dpop-token-nonce-fields';
import { ExplainView } from './explain-view';
import { ClockLineView, HtuLensView } from './dpop-lens';
import { PROFILE_IDS, isProfileId, profileName } from './labels';

type Failure = Extract<DpopExplainResult, { ok: false }>['code'] | 'time-empty' | 'time-format';

function failureText(t: TFunction, code: Failure, typed: string): string {
  switch (code) {
    case 'proof-empty':
      return t('dpopTools.explain.errors.proofEmpty');
    case 'line-empty':
      return t('dpopTools.explain.errors.lineEmpty');
    case 'line-format':
      return t('dpopTools.explain.errors.lineFormat');
    case 'line-url':
      return t('dpopTools.explain.errors.lineUrl');
    case 'time-empty':
      return t('explain.at.errors.empty');
    case 'time-format':
      return t('explain.at.errors.format', { text: typed.trim().slice(0, 40) });
  }
}

/** The wall clock, read when Explain is pressed (an event, not a render). */
function nowSeconds(): number {
  return Date.now() / 1000;
}

/** The DPoP card of the Explain screen. */
export function DpopExplainCard() {
  const { t, i18n } = useTranslation();
  const titleId = useId();
  const resultId = useId();
  const [proof, setProof] = useState('');
  const [line, setLine] = useState('');
  const [token, setToken] = useState('');
  const [nonce, setNonce] = useState('');
  const [jkt, setJkt] = useState('');
  const [date, setDate] = useState('');
  const [profile, setProfile] = useState<ProfileId>('auth0');
  const [atMode, setAtMode] = useState<'now' | 'typed'>('now');
  const [atText, setAtText] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<DpopExplained | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    let now = nowSeconds();
    if (atMode === 'typed') {
      const at = parseTimestamp(atText);
      if (!at.ok) {
        setResult(null);
        setFailure(at.error.code === 'time-empty' ? 'time-empty' : 'time-format');
        return;
      }
      now = at.seconds;
    }
    setBusy(true);
    try {
      const out = await explainDpopProof({ proof, requestLine: line, accessToken: token, nonce, expectedJkt: jkt, responseDate: date, now, profile });
      if (out.ok) setResult(out.result);
      else {
        setResult(null);
        setFailure(out.code);
      }
    } finally {
      setBusy(false);
    }
  };

  const title = result ? t('dpopTools.explain.resultTitle', { method: result.request.method, url: result.request.url }) : '';
  return (
    <section className="card explain-card dpop-explain stack" aria-labelledby={titleId}>
      <h2 id={titleId} className="section-title">
        {t('dpopTools.explain.title')}
      </h2>
      <p className="muted small">{t('dpopTools.explain.intro')}</p>
      <form className="stack" onSubmit={(e) => void onSubmit(e)} noValidate aria-label={t('dpopTools.explain.formLabel')}>
        <TextAreaField
          label={t('dpopTools.explain.proof')}
          value={proof}
          onChange={(e) => setProof(e.target.value)}
          rows={4}
          className="mono-input"
          spellCheck={false}
          autoComplete="off"
          autoCapitalize="off"
          placeholder="eyJ0eXAiOiJkcG9wK2p3dCIs…"
        />
        <TextField
          label={t('dpopTools.explain.requestLine')}
          value={line}
          onChange={(e) => setLine(e.target.value)}
          className="mono-input"
          spellCheck={false}
          autoComplete="off"
          autoCapitalize="off"
          placeholder="POST https://tenant.example.com/oauth/token"
          hint={t('dpopTools.explain.requestLineHint')}
        />
        <DpopTokenNonceFields token={token} onToken={setToken} nonce={nonce} onNonce={setNonce} />
        <div className="inspect-form-row">
          <TextField
            label={t('dpopTools.explain.jkt')}
            value={jkt}
            onChange={(e) => setJkt(e.target.value)}
            className="inspect-grow"
            spellCheck={false}
            autoComplete="off"
            hint={t('dpopTools.explain.jktHint')}
          />
          <TextField
            label={t('dpopTools.explain.date')}
            value={date}
            onChange={(e) => setDate(e.target.value)}
            className="inspect-grow"
            spellCheck={false}
            autoComplete="off"
            placeholder="Mon, 07 Dec 2026 14:03:11 GMT"
            hint={t('dpopTools.explain.dateHint')}
          />
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
        </div>
        <div className="explain-at">
          <RadioGroup<'now' | 'typed'>
            legend={t('dpopTools.explain.at.legend')}
            value={atMode}
            onChange={setAtMode}
            options={[
              { value: 'now', label: t('dpopTools.explain.at.now') },
              { value: 'typed', label: t('dpopTools.explain.at.typed') },
            ]}
          />
          {atMode === 'typed' && (
            <TextField
              label={t('dpopTools.explain.at.time')}
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
          <Button type="submit" variant="primary" busy={busy}>
            {t('dpopTools.explain.button')}
          </Button>
        </div>
      </form>
      {/* Only while there is something to say: an empty alert region would be one more "alert" on the screen. */}
      {failure && (
        <Banner tone="error" role="alert" title={t('dpopTools.explain.errors.title')}>
          <p>{failureText(t, failure, atText)}</p>
        </Banner>
      )}
      {result && (
        <section className="stack" aria-labelledby={resultId}>
          <h3 id={resultId} className="section-title">
            {title}
          </h3>
          {result.explanation.evaluatedAt !== undefined && (
            <p className="muted small">{t('dpopTools.explain.evaluatedAt', { time: isoSeconds(result.explanation.evaluatedAt) })}</p>
          )}
          {result.proof?.thumbprint !== undefined && (
            <p className="small">
              {t('dpopTools.explain.thumbprint')}
              {labelGap(i18n.language)}
              <code className="mono">{result.proof.thumbprint}</code>
            </p>
          )}
          {result.lens && <HtuLensView lens={result.lens} />}
          {result.clock && <ClockLineView clock={result.clock} {...(result.dateUnreadable ? { dateUnreadable: true } : {})} />}
          <ExplainView explanation={result.explanation} copyTitle={title} />
        </section>
      )}
    </section>
  );
}
