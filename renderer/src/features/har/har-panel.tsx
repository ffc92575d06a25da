/**
 * The HAR panel (Explain, and Flows › Import HAR): a .har file dropped or picked is read in a worker with
 * progress and Cancel (use-har-import.ts), what was removed is said with counts, every OAuth exchange found
 * is listed, and the one chosen is explained with the Explain view under the profile its issuer calls for
 * (said with the reason, changeable). "Reproduce on the embedded server" makes a case of it in the core
 * (`har.caseFromExchange`, with the client's public key from the file or pasted) and imports it through the
 * case import's own preview (features/flows/case-import.tsx).
 */
import type { ChangeEvent, DragEvent } from 'react';
import { useId, useMemo, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { HarProfileReason } from '../../../../shared/har/explain';
import { explainHarExchange } from '../../../../shared/har/explain';
import type { HarExchange, HarImport, HarRemovedKind } from '../../../../shared/har/import';
import type { PastedRole } from '../../../../shared/explain/paste';
import type { ProfileId } from '../../../../shared/jwt/profiles';
import type { VerifyResult } from '../../../../shared/schemas/jwt';
import { call } from '../../api/client';
import { Badge } from '../../components/badge';
import { Banner } from '../../components/banner';
import { Button } from '../../components/button';
import { cx } from '../../components/class-names';
import { ErrorBanner } from '../../components/error-text';
import { SelectField, TextAreaField, TextField } from '../../components/field';
import { useSubmit } from '../../components/use-submit';
import { formatDateTime, labelGap } from '../../i18n/format';
import { formatList } from '../../i18n/list';
import { ExplainView } from '../explain/explain-view';
import { PROFILE_IDS, isProfileId, profileName } from '../explain/labels';
import { useCaseImport } from '../flows/case-import';
import type { HarImportErrorCode, HarImportState } from './use-har-import';
import { useHarImport } from './use-har-import';
import { MAX_HAR_BYTES, canReproduce, caseInput, exchangeRow, keyFromHar, progressRatio, pushedFor, removedCounts } from './har-model';

/** An exchange kind's name. */
export function harKindLabel(t: TFunction, kind: HarExchange['kind']): string {
  switch (kind) {
    case 'discovery':
      return t('har.kind.discovery');
    case 'jwks':
      return t('har.kind.jwks');
    case 'authorize':
      return t('har.kind.authorize');
    case 'par':
      return t('har.kind.par');
    case 'token':
      return t('har.kind.token');
    case 'userinfo':
      return t('har.kind.userinfo');
  }
}

/** One kind of removal with its count ("2 cookies"). */
function removedText(t: TFunction, kind: HarRemovedKind, count: number): string {
  switch (kind) {
    case 'client_secret':
      return t('har.removed.clientSecret', { count });
    case 'password':
      return t('har.removed.password', { count });
    case 'private_key':
      return t('har.removed.privateKey', { count });
    case 'refresh_token':
      return t('har.removed.refreshToken', { count });
    case 'code':
      return t('har.removed.code', { count });
    case 'code_verifier':
      return t('har.removed.codeVerifier', { count });
    case 'authorization_header':
      return t('har.removed.authorization', { count });
    case 'access_token_signature':
      return t('har.removed.accessTokenSignature', { count });
    case 'cookie':
      return t('har.removed.cookie', { count });
    case 'set-cookie':
      return t('har.removed.setCookie', { count });
  }
}

function reasonText(t: TFunction, reason: HarProfileReason): string {
  switch (reason) {
    case 'given':
      return t('har.profile.reason.given');
    case 'auth0-domain':
      return t('har.profile.reason.auth0Domain');
    case 'auth0-custom-domain':
      return t('har.profile.reason.auth0CustomDomain');
    case 'okta-domain':
      return t('har.profile.reason.oktaDomain');
    case 'other':
      return t('har.profile.reason.other');
  }
}

function errorText(t: TFunction, code: HarImportErrorCode): string {
  switch (code) {
    case 'empty':
      return t('har.errors.empty');
    case 'truncated':
      return t('har.errors.truncated');
    case 'not-json':
      return t('har.errors.notJson');
    case 'not-har':
      return t('har.errors.notHar');
    case 'no-entries':
      return t('har.errors.noEntries');
    case 'entry-invalid':
      return t('har.errors.entryInvalid');
    case 'too-large':
      return t('har.errors.tooLarge', { limit: MAX_HAR_BYTES / 1024 / 1024 });
    case 'internal':
      return t('har.errors.internal');
  }
}

function progressText(t: TFunction, state: Extract<HarImportState, { status: 'busy' }>): string {
  switch (state.progress.phase) {
    case 'reading':
      return t('har.progress.reading', { file: state.fileName });
    case 'parsing':
      return t('har.progress.parsing', { file: state.fileName });
    case 'discovery':
    case 'exchanges':
      return t('har.progress.entries', { file: state.fileName, done: state.progress.done, total: state.progress.total });
  }
}

/** The wall clock in seconds, read once when an exchange is opened (state's initialiser, not a render). */
function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** The drop zone, the progress, and the import once read. */
export function HarPanel() {
  const { t } = useTranslation();
  const fileInputId = useId();
  const [dragging, setDragging] = useState(false);
  const { state, open, cancel } = useHarImport();

  const onFile = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (file) open(file);
  };
  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer.files[0];
    if (file) open(file);
  };
  const ratio = state.status === 'busy' ? progressRatio(state.progress) : null;

  return (
    <div className="stack har-panel">
      <div
        className={cx('dropzone', 'har-dropzone', dragging && 'is-dragging')}
        data-testid="har-dropzone"
        onDragOver={(e) => {
          if (!e.dataTransfer.types.includes('Files')) return;
          e.preventDefault();
          e.dataTransfer.dropEffect = 'copy';
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <p className="muted small">{t('har.intro')}</p>
        <div className="dropzone-file">
          <input id={fileInputId} type="file" className="sr-only" accept=".har,application/json" aria-label={t('har.file')} onChange={onFile} />
          {/* One sentence with the button inside it, so each language orders its words (ja-JP ends with the verb). */}
          <span className="muted">
            <Trans i18nKey="har.dropHint" t={t} components={{ choose: <label htmlFor={fileInputId} className="btn btn-secondary btn-sm file-label" /> }} />
          </span>
        </div>
      </div>

      {state.status === 'busy' && (
        <div className="har-progress" role="status">
          <p className="small">{progressText(t, state)}</p>
          <div className="row">
            {/* No value while reading and parsing: an indeterminate bar (the JSON.parse reports nothing). */}
            {ratio === null ? (
              <progress className="har-progress-bar" aria-label={t('har.progressLabel')} />
            ) : (
              <progress className="har-progress-bar" aria-label={t('har.progressLabel')} value={Math.round(ratio * 100)} max={100} />
            )}
            <Button size="sm" onClick={cancel}>
              {t('common.cancel')}
            </Button>
          </div>
        </div>
      )}
      {state.status === 'idle' && state.cancelled && (
        <p className="muted small" role="status">
          {t('har.cancelled')}
        </p>
      )}
      {state.status === 'error' && (
        <Banner tone="error" role="alert" title={t('har.errors.title', { file: state.fileName })}>
          <p>{errorText(t, state.code)}</p>
          {state.code !== 'too-large' && (
            <p className="small mono break" lang="en">
              {state.message}
            </p>
          )}
        </Banner>
      )}
      {state.status === 'done' && <HarResult key={state.fileName} fileName={state.fileName} imported={state.result} />}
    </div>
  );
}

/** What was found and removed, the exchanges, and the chosen one explained. */
function HarResult({ fileName, imported }: { fileName: string; imported: HarImport }) {
  const { t, i18n } = useTranslation();
  const removed = removedCounts(imported.removed);
  const firstFailing = imported.exchanges.findIndex((x) => exchangeRow(x).failed);
  const [selected, setSelected] = useState(firstFailing >= 0 ? firstFailing : 0);
  // The profile chosen stays while another exchange of the same file is looked at.
  const [profile, setProfile] = useState<ProfileId | 'auto'>('auto');
  const exchange = imported.exchanges[selected];
  return (
    <section className="stack har-result" aria-label={t('har.resultLabel', { file: fileName })}>
      <div>
        <p>
          <strong className="mono break">{fileName}</strong> {t('har.summary.exchanges', { count: imported.exchanges.length })}{' '}
          {t('har.summary.ignored', { count: imported.ignored })}
        </p>
        <p className="har-removed" data-testid="har-removed">
          {removed.length === 0
            ? t('har.removed.none')
            : t('har.removed.title', {
                list: formatList(
                  removed.map((r) => removedText(t, r.kind, r.count)),
                  i18n.language,
                ),
              })}
        </p>
        <p className="muted small">{t('har.removed.hint')}</p>
      </div>
      {imported.exchanges.length === 0 ? (
        <Banner tone="warning" role="status" title={t('har.noExchangesTitle')}>
          <p>{t('har.noExchanges')}</p>
        </Banner>
      ) : (
        <>
          <ol className="har-exchanges" aria-label={t('har.listLabel')}>
            {imported.exchanges.map((x, i) => {
              const row = exchangeRow(x);
              return (
                <li key={x.entry}>
                  <button
                    type="button"
                    className={cx('har-exchange', i === selected && 'is-selected', row.failed && 'is-failed')}
                    aria-pressed={i === selected}
                    onClick={() => setSelected(i)}
                  >
                    <Badge tone={row.failed ? 'danger' : 'neutral'}>{harKindLabel(t, row.kind)}</Badge>
                    <span className="mono">{row.method}</span>
                    <span className="mono break har-exchange-url">
                      {row.host}
                      {row.path}
                    </span>
                    <span className="mono">{row.status === null ? t('har.noResponse') : row.status}</span>
                    {row.startedAt && <span className="muted small">{formatDateTime(row.startedAt, i18n.language)}</span>}
                  </button>
                </li>
              );
            })}
          </ol>
          {exchange && <HarExchangeView key={exchange.entry} imported={imported} exchange={exchange} profile={profile} onProfile={setProfile} />}
        </>
      )}
    </section>
  );
}

/** The chosen exchange: its profile and why, the issuer, the key, the explanation, and Reproduce. */
function HarExchangeView({
  imported,
  exchange,
  profile,
  onProfile,
}: {
  imported: HarImport;
  exchange: HarExchange;
  profile: ProfileId | 'auto';
  onProfile: (profile: ProfileId | 'auto') => void;
}) {
  const { t, i18n } = useTranslation();
  const titleId = useId();
  const fromFile = useMemo(() => keyFromHar(imported, exchange), [imported, exchange]);
  const [issuer, setIssuer] = useState(exchange.issuer);
  const [key, setKey] = useState(fromFile ?? '');
  const [signatures, setSignatures] = useState<Partial<Record<PastedRole, VerifyResult | null>> | null>(null);
  // Entries without a startedDateTime are judged as of when the exchange was opened.
  const [openedAt] = useState(nowSeconds);
  const verify = useSubmit({ staysOpen: true });
  const reproduce = useSubmit({ staysOpen: true });
  const caseImport = useCaseImport();

  const explained = useMemo(
    () =>
      explainHarExchange(exchange, {
        ...(profile === 'auto' ? {} : { profile }),
        issuer,
        now: openedAt,
        ...(signatures ? { signatures: new Map([[exchange.entry, signatures]]) } : {}),
      }),
    [exchange, profile, issuer, signatures, openedAt],
  );
  const row = exchangeRow(exchange);
  const signed = exchange.jwts.filter((j) => j.role === 'requestObject' || j.role === 'clientAssertion');

  const onVerify = () =>
    verify.run(async () => {
      const results: Partial<Record<PastedRole, VerifyResult | null>> = {};
      for (const jwt of signed) results[jwt.role as PastedRole] = await call('jwt.verify', { token: jwt.token, source: { kind: 'text', text: key.trim() } });
      setSignatures(results);
    });
  const onReproduce = () =>
    reproduce.run(async () => {
      // An authorization request by request_uri is replayed after its push (the file's PAR exchange that gave it).
      const pushed = pushedFor(imported, exchange);
      const made = await call('har.caseFromExchange', {
        exchange: caseInput(exchange),
        ...(pushed ? { pushed: caseInput(pushed) } : {}),
        issuer: explained.issuer,
        profile: explained.profile,
        ...(key.trim() === '' ? {} : { key: key.trim() }),
      });
      await caseImport.openJson(made.json);
    });

  return (
    <section className="card explain-card stack har-exchange-view" aria-labelledby={titleId}>
      <h3 id={titleId} className="section-title">
        {t('har.exchangeTitle', { kind: harKindLabel(t, exchange.kind), method: exchange.method, path: `${row.host}${row.path}` })}
      </h3>
      {row.startedAt && <p className="muted small">{t('har.startedAt', { time: formatDateTime(row.startedAt, i18n.language) })}</p>}
      {explained.answer !== null && (
        <p className="small">
          {t('har.answer')}
          {labelGap(i18n.language)}
          <span className="mono break" lang="en">
            {explained.answer}
          </span>
        </p>
      )}
      <div className="inspect-form-row">
        <SelectField
          label={t('har.profile.label')}
          value={profile}
          onChange={(e) => onProfile(isProfileId(e.target.value) ? e.target.value : 'auto')}
          className="inspect-select"
          hint={t('har.profile.judged', { profile: profileName(t, explained.profile), reason: reasonText(t, explained.profileReason) })}
        >
          <option value="auto">{t('har.profile.auto')}</option>
          {PROFILE_IDS.map((id) => (
            <option key={id} value={id}>
              {profileName(t, id)}
            </option>
          ))}
        </SelectField>
        <TextField
          label={t('har.issuer.label')}
          value={issuer}
          onChange={(e) => setIssuer(e.target.value)}
          className="inspect-grow"
          spellCheck={false}
          placeholder="https://tenant.example.com/"
          hint={t('har.issuer.hint')}
        />
      </div>
      {canReproduce(exchange) && (
        <TextAreaField
          label={t('har.key.label')}
          value={key}
          onChange={(e) => {
            setKey(e.target.value);
            setSignatures(null);
          }}
          rows={3}
          className="mono-input"
          spellCheck={false}
          autoComplete="off"
          placeholder={'-----BEGIN PUBLIC KEY-----  /  { "keys": [ … ] }'}
          hint={fromFile !== null && key === fromFile ? t('har.key.fromFile') : t('har.key.hint')}
        />
      )}
      <ExplainView explanation={explained.explanation} />
      {canReproduce(exchange) && (
        <div className="row">
          {signed.length > 0 && (
            <Button onClick={() => void onVerify()} busy={verify.busy} disabled={key.trim() === ''}>
              {t('har.checkSignatures')}
            </Button>
          )}
          <Button variant="primary" onClick={() => void onReproduce()} busy={reproduce.busy || caseImport.busy} title={t('har.reproduceHint')}>
            {t('har.reproduce')}
          </Button>
        </div>
      )}
      <ErrorBanner error={verify.error} title={t('har.verifyFailed')} />
      <ErrorBanner error={reproduce.error} title={t('har.reproduceFailed')} />
      {caseImport.dialogs}
    </section>
  );
}
