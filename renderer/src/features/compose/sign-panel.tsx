/**
 * Signing: the core signs with the vault key (the private key never reaches the renderer). The result is
 * shown as the compact JWS, its URL-encoded form and how it is sent: the /authorize URL or the PAR curl for
 * a request object, the form fields for a client assertion; with a link to open it in Inspect.
 */
import { useTranslation } from 'react-i18next';
import type { SigningAlg } from '../../../../shared/schemas/keys';
import { SIGNING_ALGS } from '../../../../shared/schemas/keys';
import { call } from '../../api/client';
import { Banner } from '../../components/banner';
import { Button } from '../../components/button';
import { CodeBlock } from '../../components/code-block';
import { ErrorBanner } from '../../components/error-text';
import { useSubmit } from '../../components/use-submit';
import { useAppStore } from '../../state/store';
import type { AssertionEndpoint, ComposeMode, Draft, JarEndpoint } from './compose-model';
import { assertionFormFields, authorizeUrl, inspectHref, parCurl } from './compose-model';
import type { ComposeTarget } from './use-compose-target';

/** Props of SignPanel. */
export interface SignPanelProps {
  mode: ComposeMode;
  draft: Draft;
  target: ComposeTarget;
  endpoint: JarEndpoint | AssertionEndpoint;
  /** The "Break it" button beside Sign (break-it-panel.tsx shows the results). */
  breakIt?: { busy: boolean; onRun: () => void };
  /** "Break it: DPoP", offered while the DPoP proof card holds a proof (client-assertion mode). */
  breakItDpop?: { busy: boolean; onRun: () => void };
}

/** The Sign button (and Break it beside it) and the signed token. */
export function SignPanel({ mode, draft, target, endpoint, breakIt, breakItDpop }: SignPanelProps) {
  const { t } = useTranslation();
  const signed = useAppStore((s) => s.compose.signed[mode]);
  const setSigned = useAppStore((s) => s.setSigned);
  const { busy, error, run } = useSubmit({ staysOpen: true });
  const alg = draft.header.alg;
  const algOk = typeof alg === 'string' && (SIGNING_ALGS as readonly string[]).includes(alg);
  const key = target.key;
  const current = JSON.stringify(draft);

  const onSign = async () => {
    if (!key || !algOk) return;
    await run(async () => {
      const { jws } = await call('keys.sign', { id: key.id, header: { ...draft.header, alg: alg as SigningAlg }, payload: draft.payload });
      setSigned(mode, { jws, from: current });
    });
  };

  const jws = signed?.jws;
  return (
    <section className="card compose-card" aria-labelledby="compose-sign-title">
      <header className="compose-card-header">
        <h2 id="compose-sign-title" className="section-title">
          {t('compose.sign.title')}
        </h2>
        <div className="row compose-sign-actions">
          <Button variant="primary" busy={busy} disabled={!key || !algOk} onClick={() => void onSign()} data-main-action>
            {t('compose.sign.button')}
          </Button>
          {breakIt && (
            <Button busy={breakIt.busy} disabled={!key || !algOk} onClick={breakIt.onRun}>
              {t('compose.breakIt.button')}
            </Button>
          )}
          {breakItDpop && (
            <Button busy={breakItDpop.busy} disabled={!key || !algOk} onClick={breakItDpop.onRun}>
              {t('compose.breakIt.buttonDpop')}
            </Button>
          )}
        </div>
      </header>
      {!key ? (
        <p className="muted small">{t('compose.sign.noKey')}</p>
      ) : !algOk ? (
        <p className="muted small">{t('compose.sign.noAlg')}</p>
      ) : (
        <p className="muted small">{t('compose.sign.hint', { key: key.name, alg })}</p>
      )}
      <ErrorBanner error={error} title={t('compose.sign.failed')} />
      {jws && (
        <div className="stack compose-signed">
          {signed.from !== current && <Banner tone="info">{t('compose.sign.stale')}</Banner>}
          <CodeBlock title={t('compose.sign.compact')} code={jws} copyLabel={t('compose.sign.copyCompact')} maxHeight={160} />
          <CodeBlock title={t('compose.sign.urlEncoded')} code={encodeURIComponent(jws)} copyLabel={t('compose.sign.copyUrlEncoded')} maxHeight={120} />
          {mode === 'jar' ? (
            <>
              <CodeBlock
                title={t('compose.sign.authorizeUrl')}
                code={authorizeUrl(target.issuer, target.clientId, jws)}
                copyLabel={t('compose.sign.copyAuthorizeUrl')}
                maxHeight={160}
              />
              {endpoint === 'par' && (
                <CodeBlock
                  title={t('compose.sign.parCurl')}
                  code={parCurl(target.issuer, target.clientId, jws)}
                  copyLabel={t('compose.sign.copyParCurl')}
                  maxHeight={200}
                />
              )}
            </>
          ) : (
            <CodeBlock title={t('compose.sign.formFields')} code={assertionFormFields(jws)} copyLabel={t('compose.sign.copyFormFields')} maxHeight={160} />
          )}
          <p>
            <a className="link" href={inspectHref(jws)}>
              {t('compose.sign.openInInspect')}
            </a>
          </p>
        </div>
      )}
    </section>
  );
}
