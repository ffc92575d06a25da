/**
 * Lint: the token against the server's own rules, as a request object (JAR) or a client assertion
 * (private_key_jwt) for a chosen profile — or, for ID and access tokens, the registered-claims checks
 * that need no issuer policy. Every outcome is listed, failures first.
 */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { RuleOutcome } from '../../../../shared/jwt/rule';
import type { ProfileId } from '../../../../shared/jwt/profiles';
import { profileOf } from '../../../../shared/jwt/profiles';
import { lintClientAssertion, lintRequestObject } from '../../../../shared/jwt/lint';
import { Badge } from '../../components/badge';
import { Banner } from '../../components/banner';
import { SelectField, TextField } from '../../components/field';
import { RuleDetail, RuleValue } from '../../components/rule-parts';
import { labelGap } from '../../i18n/format';
import { useRuleWords } from '../../i18n/rule-text';
import type { LintInputs, LintKind } from '../../state/inspect-slice';
import { useAppStore } from '../../state/store';
import type { DecodeOutcome } from '../../state/decode/decode-core';
import { checkToken } from './token-checks';
import { useNow } from './time';

function stringClaim(values: Record<string, unknown>, name: string): string | null {
  const value = values[name];
  return typeof value === 'string' && value !== '' ? value : null;
}

/** The token endpoint under an issuer (Auth0's path), or the issuer itself when it is not a URL. */
function tokenEndpointOf(issuer: string): string {
  try {
    return new URL('oauth/token', issuer.endsWith('/') ? issuer : `${issuer}/`).href;
  } catch {
    return issuer;
  }
}

const NO_CLAIMS: Record<string, unknown> = {};

/** What the lint judges: the token, how it is decoded, the lint choices and the embedded server's issuer. */
export interface LintInput {
  token: string;
  decoded: DecodeOutcome;
  lint: LintInputs;
  serverIssuer: string | null;
  /** Seconds since the epoch. */
  now: number;
}

/** The issuer and client_id the lint compares with: chosen, else the embedded server's or the token's own. */
export function lintTargetOf({ decoded, lint, serverIssuer }: Pick<LintInput, 'decoded' | 'lint' | 'serverIssuer'>): { issuer: string; clientId: string } {
  const payload = decoded.kind === 'jws' ? decoded.payload : NO_CLAIMS;
  const issuer = lint.issuer ?? serverIssuer ?? stringClaim(payload, 'iss') ?? '';
  const clientId =
    lint.clientId ??
    stringClaim(payload, 'client_id') ??
    (lint.kind === 'clientAssertion' ? stringClaim(payload, 'iss') : null) ??
    stringClaim(payload, 'azp') ??
    '';
  return { issuer, clientId };
}

/** The lint's outcomes (failures first); Explain on the Inspect screen lists the same. */
export function lintOutcomes(t: TFunction, input: LintInput): RuleOutcome[] {
  const { token, decoded, lint, now } = input;
  const { issuer, clientId } = lintTargetOf(input);
  const text = token.trim();
  if (text === '') return [];
  switch (lint.kind) {
    case 'requestObject':
      return lintRequestObject(text, { issuer, clientId, profile: lint.profile, now, endpoint: 'authorize' });
    case 'clientAssertion': {
      const tokenEndpoint = tokenEndpointOf(issuer);
      return lintClientAssertion(text, { issuer, tokenEndpoint, endpointUrl: tokenEndpoint, profile: lint.profile, now });
    }
    case 'idToken':
    case 'accessToken':
      if (decoded.kind !== 'jws') return [];
      return checkToken(t, decoded.header, decoded.payload, { kind: lint.kind, issuer, clientId, now, skew: profileOf(lint.profile).skewSeconds });
  }
}

/** The Lint tab. */
export function LintPanel({ decoded }: { decoded: DecodeOutcome }) {
  const { t } = useTranslation();
  const token = useAppStore((s) => s.inspect.token);
  const lint = useAppStore((s) => s.inspect.lint);
  const setLintInputs = useAppStore((s) => s.setLintInputs);
  const serverIssuer = useAppStore((s) => s.server.status?.issuer ?? null);
  // Refreshed every 30 s: enough for exp/iat checks, and the lint is cheap (tokens are capped at 10 KB).
  const now = Math.floor(useNow(30_000) / 1000);

  const { issuer, clientId } = lintTargetOf({ decoded, lint, serverIssuer });
  const outcomes = useMemo((): RuleOutcome[] => lintOutcomes(t, { token, decoded, lint, serverIssuer, now }), [t, token, decoded, lint, serverIssuer, now]);

  const failed = outcomes.filter((o) => !o.passed);
  const passed = outcomes.filter((o) => o.passed);
  const registeredOnly = lint.kind === 'idToken' || lint.kind === 'accessToken';

  return (
    <div className="stack">
      <div className="inspect-form-row">
        <SelectField
          label={t('inspect.lint.kind')}
          value={lint.kind}
          onChange={(e) => setLintInputs({ kind: e.target.value as LintKind })}
          className="inspect-select-wide"
        >
          <option value="requestObject">{t('inspect.lint.kinds.requestObject')}</option>
          <option value="clientAssertion">{t('inspect.lint.kinds.clientAssertion')}</option>
          <option value="idToken">{t('inspect.lint.kinds.idToken')}</option>
          <option value="accessToken">{t('inspect.lint.kinds.accessToken')}</option>
        </SelectField>
        <SelectField
          label={t('inspect.lint.profile')}
          value={lint.profile}
          onChange={(e) => setLintInputs({ profile: e.target.value as ProfileId })}
          className="inspect-select"
        >
          <option value="auth0">{t('inspect.lint.profiles.auth0')}</option>
          <option value="strict">{t('inspect.lint.profiles.strict')}</option>
          <option value="fapi2">{t('inspect.lint.profiles.fapi2')}</option>
          <option value="okta">{t('inspect.lint.profiles.okta')}</option>
        </SelectField>
        <TextField
          label={t('inspect.lint.issuer')}
          value={issuer}
          onChange={(e) => setLintInputs({ issuer: e.target.value })}
          className="inspect-grow"
          spellCheck={false}
        />
        {lint.kind !== 'accessToken' && (
          <TextField
            label={t('inspect.lint.clientId')}
            value={clientId}
            onChange={(e) => setLintInputs({ clientId: e.target.value })}
            className="inspect-grow"
            spellCheck={false}
          />
        )}
      </div>
      {registeredOnly && (
        <Banner tone="info" title={t('inspect.lint.registeredOnlyTitle')}>
          <p>{t('inspect.lint.registeredOnlyBody')}</p>
        </Banner>
      )}
      {outcomes.length === 0 ? (
        <p className="muted">{t('inspect.lint.nothing')}</p>
      ) : (
        <>
          <p className={failed.length > 0 ? 'danger-text inspect-lint-summary' : 'success-text inspect-lint-summary'}>
            {failed.length > 0
              ? t('inspect.lint.summaryFailed', { failed: failed.length, count: passed.length })
              : t('inspect.lint.summaryPassed', { count: passed.length })}
          </p>
          {failed.length > 0 && <OutcomeTable outcomes={failed} caption={t('inspect.lint.failedCaption')} />}
          {passed.length > 0 && (
            <details className="inspect-passed">
              <summary>{t('inspect.lint.passedCaption', { count: passed.length })}</summary>
              <OutcomeTable outcomes={passed} caption={t('inspect.lint.passedCaption', { count: passed.length })} />
            </details>
          )}
        </>
      )}
    </div>
  );
}

function OutcomeTable({ outcomes, caption }: { outcomes: RuleOutcome[]; caption: string }) {
  const { t, i18n } = useTranslation();
  const words = useRuleWords();
  return (
    <div className="table-wrap">
      <table className="data-table inspect-lint-table">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('inspect.lint.rule')}</th>
            <th scope="col">{t('inspect.lint.finding')}</th>
            <th scope="col">{t('inspect.lint.expected')}</th>
            <th scope="col">{t('inspect.lint.actual')}</th>
            <th scope="col">{t('inspect.lint.source')}</th>
          </tr>
        </thead>
        <tbody>
          {outcomes.map((o, i) => {
            const w = words(o);
            return (
              <tr key={`${o.id}-${i}`} className={o.passed ? undefined : 'is-failed'}>
                <th scope="row" className="nowrap">
                  <Badge tone={o.passed ? 'success' : 'danger'}>{o.passed ? t('inspect.lint.pass') : t('inspect.lint.fail')}</Badge>{' '}
                  <span className="mono">{o.id}</span>
                </th>
                <td>
                  <p lang={w.summaryLang}>{w.message}</p>
                  <RuleDetail detail={w.detail} />
                  {!o.passed && w.fix && (
                    <p className="field-hint">
                      {t('inspect.lint.fix')}
                      {labelGap(i18n.language)}
                      <span lang={w.fixLang}>{w.fix}</span>
                    </p>
                  )}
                </td>
                <td className="mono break">{o.expected === undefined ? '—' : <RuleValue text={o.expected} />}</td>
                <td className="mono break">{o.actual === undefined ? '—' : <RuleValue text={o.actual} />}</td>
                <td className="small muted">{o.source}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
