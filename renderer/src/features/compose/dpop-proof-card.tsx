/**
 * Compose's DPoP proof card: pick a vault key and the request (method and URL), optionally the access
 * token (ath) and the server's nonce; fill the proof template (dpop-template.ts), edit it as JSON, sign it
 * with the key in the core (`keys.sign`), and see it judged by the server's own DPoP rules for that request
 * (shared/jwt/lint.ts lintDpopProof), failures first. The access token stays in this card: only its hash
 * goes into the proof. While it holds a proof (`onHeld`), the client-assertion mode's Break it offers the
 * DPoP cases.
 */
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { JsonObject } from '../../../../shared/jwt';
import { lintDpopProof } from '../../../../shared/jwt/lint';
import type { Explanation } from '../../../../shared/explain/explain';
import { explainOutcomes } from '../../../../shared/explain/explain';
import type { SigningAlg } from '../../../../shared/schemas/keys';
import { call } from '../../api/client';
import { Button } from '../../components/button';
import { ErrorBanner } from '../../components/error-text';
import { SelectField, TextAreaField, TextField } from '../../components/field';
import { useSubmit } from '../../components/use-submit';
import { useAppStore } from '../../state/store';
import { DpopTokenNonceFields } from '../explain/dpop-token-nonce-fields';
import { ExplainView } from '../explain/explain-view';
import { JsonEditor } from './json-editor';
import { buildDpopTemplate, proofAlgFor } from './dpop-template';

const METHODS = ['POST', 'GET'] as const;

/** Seconds now, read in an event handler. */
function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** The DPoP proof card of the Compose screen; `onHeld` hears whether it holds a proof (a filled template). */
export function DpopProofCard({ onHeld }: { onHeld?: (held: boolean) => void }) {
  const { t } = useTranslation();
  const titleId = useId();
  const keys = useAppStore((s) => s.keys.items);
  const keysLoaded = useAppStore((s) => s.keys.loaded);
  const usable = keys.filter((k) => k.hasPrivateKey && proofAlgFor(k) !== undefined);
  const [keyId, setKeyId] = useState('');
  const [method, setMethod] = useState<string>('POST');
  const [url, setUrl] = useState('');
  const [token, setToken] = useState('');
  const [nonce, setNonce] = useState('');
  const [draft, setDraft] = useState<{ header: JsonObject; payload: JsonObject } | null>(null);
  const [signed, setSigned] = useState<{ jws: string; explanation: Explanation } | null>(null);
  const { busy, error, run } = useSubmit({ staysOpen: true });
  const held = draft !== null;

  useEffect(() => {
    if (!useAppStore.getState().keys.loaded) void useAppStore.getState().loadKeys();
  }, []);

  useEffect(() => {
    onHeld?.(held);
  }, [held, onHeld]);

  const chosen = usable.find((k) => k.id === keyId) ?? usable[0];

  const fill = async (): Promise<{ header: JsonObject; payload: JsonObject } | null> => {
    if (!chosen) return null;
    const detail = await call('keys.get', { id: chosen.id });
    const next = await buildDpopTemplate({ key: detail, method, url, now: nowSeconds(), accessToken: token, nonce });
    setDraft(next);
    setSigned(null);
    return next;
  };

  const onFill = () => void run(fill);

  const onSignAndLint = () =>
    void run(async () => {
      if (!chosen) return;
      const current = draft ?? (await fill());
      if (!current) return;
      const alg = typeof current.header.alg === 'string' ? current.header.alg : (proofAlgFor(chosen) ?? 'ES256');
      const { jws } = await call('keys.sign', { id: chosen.id, header: { ...current.header, alg: alg as SigningAlg }, payload: current.payload });
      const outcomes = await lintDpopProof(jws, {
        method,
        url,
        now: nowSeconds(),
        ...(token.trim() ? { accessToken: token.trim() } : {}),
        ...(nonce.trim() ? { nonce: nonce.trim() } : {}),
      });
      setSigned({ jws, explanation: explainOutcomes(outcomes) });
    });

  return (
    <section className="card compose-card dpop-compose stack" aria-labelledby={titleId}>
      <h2 id={titleId} className="section-title">
        {t('dpopTools.compose.title')}
      </h2>
      <p className="muted small">{t('dpopTools.compose.intro')}</p>
      {keysLoaded && usable.length === 0 && <p className="muted">{t('dpopTools.compose.noKey')}</p>}
      <div className="inspect-form-row">
        <SelectField label={t('dpopTools.compose.key')} value={chosen?.id ?? ''} onChange={(e) => setKeyId(e.target.value)} className="inspect-select">
          {usable.map((k) => (
            <option key={k.id} value={k.id}>
              {k.name}
            </option>
          ))}
        </SelectField>
        <SelectField label={t('dpopTools.compose.method')} value={method} onChange={(e) => setMethod(e.target.value)} className="inspect-select">
          {METHODS.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </SelectField>
        <TextField
          label={t('dpopTools.compose.url')}
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          className="inspect-grow"
          spellCheck={false}
          autoComplete="off"
          placeholder="https://tenant.example.com/oauth/token"
        />
      </div>
      <DpopTokenNonceFields token={token} onToken={setToken} nonce={nonce} onNonce={setNonce} />
      <div className="dpop-actions">
        <Button onClick={onFill} disabled={!chosen || busy}>
          {t('dpopTools.compose.fill')}
        </Button>
        <Button variant="primary" onClick={onSignAndLint} busy={busy} disabled={!chosen || url.trim() === ''}>
          {t('dpopTools.compose.signAndLint')}
        </Button>
      </div>
      <ErrorBanner error={error} title={t('dpopTools.compose.failed')} />
      {draft && (
        <>
          <p className="muted small">{t('dpopTools.compose.breakItHint')}</p>
          <JsonEditor label={t('compose.editor.header')} value={draft.header} onChange={(header) => setDraft((d) => (d ? { ...d, header } : d))} compact />
          <JsonEditor label={t('compose.editor.payload')} value={draft.payload} onChange={(payload) => setDraft((d) => (d ? { ...d, payload } : d))} />
        </>
      )}
      {signed && (
        <div className="stack">
          <TextAreaField label={t('dpopTools.compose.proof')} value={signed.jws} readOnly rows={3} className="mono-input" />
          <ExplainView explanation={signed.explanation} copyTitle={t('dpopTools.compose.lintTitle', { method, url })} />
        </div>
      )}
    </section>
  );
}
