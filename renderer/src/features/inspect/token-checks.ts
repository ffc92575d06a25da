/**
 * The checks Inspect can run on an ID token or access token without the issuer's policy: the
 * registered claims' presence and time sanity (RFC 7519 §4.1, OIDC Core §3.1.3.7). Not a validation:
 * the signature is Verify's job, and an API checks more (scopes, audience policy, …).
 */
import type { TFunction } from 'i18next';
import type { RuleOutcome } from '../../../../shared/jwt/rule';

/** What the checks compare against. */
export interface TokenCheckContext {
  kind: 'idToken' | 'accessToken';
  issuer: string;
  clientId: string;
  /** Seconds since the epoch. */
  now: number;
  /** Tolerated clock skew, in seconds. */
  skew: number;
}

function show(value: unknown): string {
  if (value === undefined) return '(absent)';
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
}

/** Runs the checks; failures first. */
export function checkToken(t: TFunction, header: Record<string, unknown>, payload: Record<string, unknown>, ctx: TokenCheckContext): RuleOutcome[] {
  const out: RuleOutcome[] = [];
  const add = (id: string, passed: boolean, summary: string, fix: string, source: string, expected: string, actual: unknown) =>
    out.push({ id, passed, summary, message: summary, fix, source, expected, actual: show(actual) });

  const { exp, nbf, iat, iss, aud, sub } = payload;
  add(
    'TOK-1',
    typeof header.alg === 'string' && header.alg !== 'none',
    t('inspect.checks.alg'),
    t('inspect.checks.algFix'),
    'RFC 8725 §3.1',
    'alg ≠ none',
    header.alg,
  );
  add('TOK-2', typeof exp === 'number', t('inspect.checks.expPresent'), t('inspect.checks.expPresentFix'), 'RFC 7519 §4.1.4', 'NumericDate', exp);
  if (typeof exp === 'number') {
    add('TOK-3', exp + ctx.skew > ctx.now, t('inspect.checks.notExpired'), t('inspect.checks.notExpiredFix'), 'RFC 7519 §4.1.4', `> ${ctx.now}`, exp);
  }
  if (nbf !== undefined) {
    add(
      'TOK-4',
      typeof nbf === 'number' && nbf - ctx.skew <= ctx.now,
      t('inspect.checks.nbf'),
      t('inspect.checks.nbfFix'),
      'RFC 7519 §4.1.5',
      `≤ ${ctx.now}`,
      nbf,
    );
  }
  if (iat !== undefined || ctx.kind === 'idToken') {
    add(
      'TOK-5',
      typeof iat === 'number' && iat - ctx.skew <= ctx.now,
      t('inspect.checks.iat'),
      t('inspect.checks.iatFix'),
      'RFC 7519 §4.1.6; OIDC Core §2',
      `≤ ${ctx.now}`,
      iat,
    );
  }
  if (typeof iat === 'number' && typeof exp === 'number') {
    add('TOK-6', iat <= exp, t('inspect.checks.iatBeforeExp'), t('inspect.checks.iatBeforeExpFix'), 'RFC 7519 §4.1.4', `iat ≤ exp (${exp})`, iat);
  }
  const issuer = ctx.issuer.trim();
  add(
    'TOK-7',
    typeof iss === 'string' && iss !== '' && (issuer === '' || iss === issuer),
    issuer === '' ? t('inspect.checks.issPresent') : t('inspect.checks.issMatches'),
    t('inspect.checks.issFix'),
    'RFC 7519 §4.1.1; OIDC Core §3.1.3.7',
    issuer === '' ? 'string' : issuer,
    iss,
  );
  const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : [];
  const clientId = ctx.clientId.trim();
  const audOk = ctx.kind === 'idToken' && clientId !== '' ? audiences.includes(clientId) : audiences.length > 0;
  add(
    'TOK-8',
    audOk,
    ctx.kind === 'idToken' && clientId !== '' ? t('inspect.checks.audClient') : t('inspect.checks.audPresent'),
    t('inspect.checks.audFix'),
    'RFC 7519 §4.1.3; OIDC Core §3.1.3.7',
    ctx.kind === 'idToken' && clientId !== '' ? clientId : 'string or array',
    aud,
  );
  if (ctx.kind === 'idToken') {
    add('TOK-9', typeof sub === 'string' && sub !== '', t('inspect.checks.sub'), t('inspect.checks.subFix'), 'OIDC Core §2', 'string', sub);
  }
  return [...out.filter((o) => !o.passed), ...out.filter((o) => o.passed)];
}
