/**
 * Verify: pick where the keys come from, ask the core (`jwt.verify`: it may fetch a JWKS, which the
 * renderer's CSP forbids), and show the verdict — which key matched, or why none did and what each
 * candidate key did.
 */
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CandidateOutcome, VerifyFailure, VerifyKeySource, VerifyResult } from '../../../../shared/schemas/jwt';
import type { TFunction } from 'i18next';
import { Badge } from '../../components/badge';
import { Button } from '../../components/button';
import { ErrorBanner } from '../../components/error-text';
import { SelectField, TextAreaField, TextField } from '../../components/field';
import type { VerifySourceKind } from '../../state/inspect-slice';
import { useAppStore } from '../../state/store';
import type { DecodeOutcome } from '../../state/decode/decode-core';

function stringClaim(values: Record<string, unknown> | undefined, name: string): string | null {
  const value = values?.[name];
  return typeof value === 'string' && value !== '' ? value : null;
}

/** The Verify tab. */
export function VerifyPanel({ decoded }: { decoded: DecodeOutcome }) {
  const { t } = useTranslation();
  const token = useAppStore((s) => s.inspect.token);
  const inputs = useAppStore((s) => s.inspect.verifyInputs);
  const verifying = useAppStore((s) => s.inspect.verifying);
  const verdict = useAppStore((s) => s.inspect.verdict);
  const verifyError = useAppStore((s) => s.inspect.verifyError);
  const setVerifyInputs = useAppStore((s) => s.setVerifyInputs);
  const verifyToken = useAppStore((s) => s.verifyToken);
  const keys = useAppStore((s) => s.keys.items);
  const clients = useAppStore((s) => s.server.clients);

  const header = decoded.kind === 'jws' || decoded.kind === 'jwe' ? decoded.header : undefined;
  const payload = decoded.kind === 'jws' ? decoded.payload : undefined;
  const kid = stringClaim(header, 'kid');
  // Sensible defaults from the token: the vault key whose thumbprint is the kid, the client it names, its issuer.
  const vaultKeyId = inputs.vaultKeyId || (keys.find((k) => k.thumbprint === kid) ?? keys[0])?.id || '';
  const namedClient = stringClaim(payload, 'client_id') ?? stringClaim(payload, 'iss');
  const appClients = clients.filter((c) => !c.parley_management);
  const clientId = inputs.clientId || (appClients.find((c) => c.client_id === namedClient) ?? appClients[0])?.client_id || '';
  const issuer = inputs.issuer || stringClaim(payload, 'iss') || '';

  const source = ((): VerifyKeySource | null => {
    switch (inputs.source) {
      case 'vault':
        return vaultKeyId ? { kind: 'vault', keyId: vaultKeyId } : null;
      case 'text':
        return inputs.keyText.trim() ? { kind: 'text', text: inputs.keyText.trim() } : null;
      case 'server':
        return { kind: 'server' };
      case 'serverCredentials':
        return clientId ? { kind: 'serverCredentials', clientId } : null;
      case 'jwksUrl':
        return inputs.jwksUrl.trim() ? { kind: 'jwksUrl', url: inputs.jwksUrl.trim() } : null;
      case 'issuer':
        return issuer.trim() ? { kind: 'issuer', issuer: issuer.trim() } : null;
    }
  })();

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (source) void verifyToken(source);
  };

  return (
    <div className="stack">
      <form className="stack inspect-form" onSubmit={onSubmit} noValidate>
        <div className="inspect-form-row">
          <SelectField
            label={t('inspect.verify.source')}
            value={inputs.source}
            onChange={(e) => setVerifyInputs({ source: e.target.value as VerifySourceKind })}
            className="inspect-select"
          >
            <option value="vault">{t('inspect.verify.sources.vault')}</option>
            <option value="text">{t('inspect.verify.sources.text')}</option>
            <option value="server">{t('inspect.verify.sources.server')}</option>
            <option value="serverCredentials">{t('inspect.verify.sources.serverCredentials')}</option>
            <option value="jwksUrl">{t('inspect.verify.sources.jwksUrl')}</option>
            <option value="issuer">{t('inspect.verify.sources.issuer')}</option>
          </SelectField>
          {inputs.source === 'vault' && (
            <SelectField
              label={t('inspect.verify.vaultKey')}
              value={vaultKeyId}
              onChange={(e) => setVerifyInputs({ vaultKeyId: e.target.value })}
              className="inspect-select-wide"
              hint={keys.length === 0 ? t('inspect.verify.noVaultKeys') : undefined}
            >
              {keys.map((k) => (
                <option key={k.id} value={k.id}>
                  {t('inspect.verify.vaultKeyOption', { name: k.name, kty: k.kty, thumbprint: k.thumbprint.slice(0, 12) })}
                </option>
              ))}
            </SelectField>
          )}
          {inputs.source === 'serverCredentials' && (
            <SelectField
              label={t('inspect.verify.application')}
              value={clientId}
              onChange={(e) => setVerifyInputs({ clientId: e.target.value })}
              className="inspect-select-wide"
              hint={appClients.length === 0 ? t('inspect.verify.noApplications') : undefined}
            >
              {appClients.map((c) => (
                <option key={c.client_id} value={c.client_id}>
                  {t('inspect.verify.applicationOption', { name: c.name, clientId: c.client_id })}
                </option>
              ))}
            </SelectField>
          )}
          {inputs.source === 'jwksUrl' && (
            <TextField
              label={t('inspect.verify.jwksUrl')}
              type="url"
              value={inputs.jwksUrl}
              onChange={(e) => setVerifyInputs({ jwksUrl: e.target.value })}
              placeholder="https://example.auth0.com/.well-known/jwks.json"
              className="inspect-grow"
              spellCheck={false}
            />
          )}
          {inputs.source === 'issuer' && (
            <TextField
              label={t('inspect.verify.issuer')}
              type="url"
              value={issuer}
              onChange={(e) => setVerifyInputs({ issuer: e.target.value })}
              placeholder="https://example.auth0.com/"
              hint={t('inspect.verify.issuerHint')}
              className="inspect-grow"
              spellCheck={false}
            />
          )}
        </div>
        {inputs.source === 'text' && (
          <TextAreaField
            label={t('inspect.verify.keyText')}
            value={inputs.keyText}
            onChange={(e) => setVerifyInputs({ keyText: e.target.value })}
            hint={t('inspect.verify.keyTextHint')}
            rows={6}
            className="mono-input"
            spellCheck={false}
          />
        )}
        {inputs.source === 'server' && <p className="field-hint">{t('inspect.verify.serverHint')}</p>}
        <div>
          <Button type="submit" variant="primary" busy={verifying} disabled={token.trim() === '' || source === null}>
            {t('inspect.verify.submit')}
          </Button>
        </div>
      </form>
      <ErrorBanner error={verifyError} title={t('inspect.verify.failed')} />
      <div role="status" className="inspect-verdict-region">
        {verdict && <Verdict verdict={verdict} />}
      </div>
    </div>
  );
}

function failureText(t: TFunction, failure: VerifyFailure | null): string {
  switch (failure) {
    case 'malformed':
      return t('inspect.verify.failure.malformed');
    case 'alg-none':
      return t('inspect.verify.failure.algNone');
    case 'symmetric-alg':
      return t('inspect.verify.failure.symmetricAlg');
    case 'no-keys':
      return t('inspect.verify.failure.noKeys');
    case 'kid-mismatch':
      return t('inspect.verify.failure.kidMismatch');
    case 'alg-mismatch':
      return t('inspect.verify.failure.algMismatch');
    case 'bad-signature':
      return t('inspect.verify.failure.badSignature');
    case 'fetch-failed':
      return t('inspect.verify.failure.fetchFailed');
    case 'source-invalid':
      return t('inspect.verify.failure.sourceInvalid');
    default:
      return t('inspect.verify.failure.unknown');
  }
}

function outcomeBadge(t: TFunction, outcome: CandidateOutcome) {
  switch (outcome) {
    case 'matched':
      return <Badge tone="success">{t('inspect.verify.outcome.matched')}</Badge>;
    case 'kid-mismatch':
      return <Badge>{t('inspect.verify.outcome.kidMismatch')}</Badge>;
    case 'alg-mismatch':
      return <Badge tone="warning">{t('inspect.verify.outcome.algMismatch')}</Badge>;
    case 'bad-signature':
      return <Badge tone="danger">{t('inspect.verify.outcome.badSignature')}</Badge>;
    case 'unsupported-key':
      return <Badge tone="warning">{t('inspect.verify.outcome.unsupportedKey')}</Badge>;
    default:
      return <Badge>{String(outcome)}</Badge>;
  }
}

function Verdict({ verdict }: { verdict: VerifyResult }) {
  const { t } = useTranslation();
  const none = t('inspect.verify.none');
  return (
    <div className={verdict.valid ? 'inspect-verdict is-valid' : 'inspect-verdict is-invalid'}>
      <p className="inspect-verdict-title">
        <VerdictIcon valid={verdict.valid} />
        {verdict.valid ? t('inspect.verify.valid') : t('inspect.verify.invalid', { reason: failureText(t, verdict.failure) })}
      </p>
      {verdict.valid && verdict.matched ? (
        <dl className="facts facts-compact">
          <dt>{t('inspect.verify.matchedKey')}</dt>
          <dd>{verdict.matched.label}</dd>
          <dt>{t('inspect.verify.kid')}</dt>
          <dd className="mono break">{verdict.matched.kid ?? none}</dd>
          <dt>{t('inspect.verify.thumbprint')}</dt>
          <dd className="mono break">{verdict.matched.thumbprint}</dd>
          <dt>{t('inspect.verify.alg')}</dt>
          <dd className="mono">{verdict.alg ?? none}</dd>
          <dt>{t('inspect.verify.from')}</dt>
          <dd className="break">{verdict.sourceDescription}</dd>
        </dl>
      ) : (
        <>
          {verdict.message && <p className="inspect-verdict-message">{verdict.message}</p>}
          <dl className="facts facts-compact">
            <dt>{t('inspect.verify.tokenHeader')}</dt>
            <dd className="mono break">{t('inspect.verify.algKid', { alg: verdict.alg ?? none, kid: verdict.kid ?? none })}</dd>
            <dt>{t('inspect.verify.from')}</dt>
            <dd className="break">{verdict.sourceDescription}</dd>
          </dl>
        </>
      )}
      {verdict.candidates.length > 0 && (!verdict.valid || verdict.candidates.length > 1) && (
        <div className="table-wrap">
          <table className="data-table">
            <caption className="sr-only">{t('inspect.verify.candidates')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('inspect.verify.candidateLabel')}</th>
                <th scope="col">{t('inspect.verify.kid')}</th>
                <th scope="col">{t('inspect.verify.alg')}</th>
                <th scope="col">{t('inspect.verify.outcomeTitle')}</th>
              </tr>
            </thead>
            <tbody>
              {verdict.candidates.map((c, i) => (
                <tr key={`${c.thumbprint}-${i}`}>
                  <th scope="row">{c.label}</th>
                  <td className="mono break">{c.kid ?? none}</td>
                  <td className="mono nowrap">{c.alg ?? none}</td>
                  <td>{outcomeBadge(t, c.outcome)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function VerdictIcon({ valid }: { valid: boolean }) {
  return (
    <svg className="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
      {valid ? (
        <path d="M5 8.2l2 2 4-4.4" fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" strokeLinejoin="round" />
      ) : (
        <path d="M5.7 5.7l4.6 4.6M10.3 5.7l-4.6 4.6" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" />
      )}
    </svg>
  );
}
