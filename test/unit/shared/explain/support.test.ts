/**
 * Explain for a support engineer's one-message answer (issue 18): the expected issuer never comes from the
 * token (JAR-11 is "not evaluated" until it is given, and the verdict never says "all passed" meanwhile);
 * a token copied from a log is judged at the time it was sent; every rule's source is a link.
 */
import { describe, expect, it } from 'vitest';
import type { PastedInput } from '../../../../shared/explain/paste';
import { expectationsFor, explainPasted, parsePasted } from '../../../../shared/explain/paste';
import { evaluateAt, isoSeconds, parseTimestamp, pastedIat } from '../../../../shared/explain/evaluate-at';
import { ruleCatalogue } from '../../../../renderer/src/features/explain/rule-catalogue';
import { SOURCE_DOCUMENTS, sourceParts } from '../../../../shared/explain/sources';
import { RULES as SERVER_RULES } from '../../../../electron/core/server/rules';
import { DPOP_RULES } from '../../../../electron/core/server/rules-dpop';
import { CLIENT_ID, ISSUER, JAR_HEADER, NOW, compact, jarPayload } from '../jwt/helpers';

const CUSTOM_DOMAIN = 'https://login.customer.example/';

function parsed(text: string): PastedInput {
  const result = parsePasted(text);
  if (!result.ok) throw new Error(`not parsed: ${result.error.message}`);
  return result.input;
}

/** How the Explain screen builds its options: the prefill, with the issuer only when the user gave one. */
function explainAsTheScreenDoes(input: PastedInput, issuer: string, now: number) {
  return explainPasted(input, { ...expectationsFor(input, undefined, issuer), profile: 'auth0', now });
}

describe('Explain › the expected issuer never comes from the token', () => {
  const token = compact(JAR_HEADER, { ...jarPayload(), aud: CUSTOM_DOMAIN });

  it('leaves JAR-11 not evaluated, with its reason, while no issuer is given, and never says all rules passed', () => {
    const e = explainAsTheScreenDoes(parsed(token), '', NOW);
    const jar11 = e.items.find((i) => i.id === 'JAR-11');
    expect(jar11).toMatchObject({ status: 'not-evaluated', passed: false, reason: 'issuer-missing' });
    expect(e.verdict.ok).toBe(false);
    expect(e.verdict.notEvaluated).toBe(1);
    expect(e.verdict.failed).toBe(0);
    expect(e.verdict.text).toMatch(/^\d+ passed, 1 not evaluated \(JAR-11: give the expected issuer/);
    expect(e.verdict.text).not.toMatch(/All .* passed/);
    // The rules not evaluated come after the failures and before the passes.
    expect(e.items.findIndex((i) => i.id === 'JAR-11')).toBe(0);
    expect(e.items.slice(1).every((i) => i.status === 'passed')).toBe(true);
  });

  it('fails JAR-11 once the real issuer is given (the custom-domain aud is not the tenant issuer)', () => {
    const e = explainAsTheScreenDoes(parsed(token), ISSUER, NOW);
    expect(e.items[0]).toMatchObject({ id: 'JAR-11', status: 'failed', actual: CUSTOM_DOMAIN });
    expect(e.verdict).toMatchObject({ ok: false, failed: 1, notEvaluated: 0, first: { id: 'JAR-11' } });
  });

  it('does not take the issuer from an /authorize URL either, and leaves PKJ-8 not evaluated for an assertion', () => {
    const url = parsed(`${CUSTOM_DOMAIN}authorize?client_id=${CLIENT_ID}&request=${token}`);
    expect(explainAsTheScreenDoes(url, '', NOW).items.find((i) => i.id === 'JAR-11')?.status).toBe('not-evaluated');
    const assertion = compact({ alg: 'RS256' }, { iss: CLIENT_ID, sub: CLIENT_ID, aud: CUSTOM_DOMAIN, jti: 'j1', iat: NOW, exp: NOW + 60 });
    const e = explainAsTheScreenDoes(parsed(assertion), '', NOW);
    expect(e.items.find((i) => i.id === 'PKJ-8')).toMatchObject({ status: 'not-evaluated', reason: 'issuer-missing' });
  });
});

describe('Explain › evaluate at a time', () => {
  // Copied from a customer's log: issued, and valid for five minutes, an hour before "now".
  const sentAt = NOW - 3600;
  const token = compact(JAR_HEADER, { ...jarPayload(), iat: sentAt, nbf: sentAt, exp: sentAt + 300 });

  it("fails JAR-13 as expired now, and passes it evaluated at the token's iat", () => {
    const input = parsed(token);
    const atNow = explainAsTheScreenDoes(input, ISSUER, NOW);
    expect(atNow.items.find((i) => i.id === 'JAR-13')).toMatchObject({ status: 'failed' });
    const at = evaluateAt('iat', { nowMs: NOW * 1000, input, typed: '' });
    expect(at).toEqual({ ok: true, seconds: sentAt });
    const atIat = explainAsTheScreenDoes(input, ISSUER, sentAt);
    expect(atIat.items.find((i) => i.id === 'JAR-13')).toMatchObject({ status: 'passed' });
    expect(atIat.verdict.ok).toBe(true);
    expect(atIat.evaluatedAt).toBe(sentAt);
  });

  it("reads a typed time: ISO 8601 or a log line's timestamp, in UTC unless an offset is given", () => {
    const expected = Date.UTC(2026, 11, 7, 14, 3, 11) / 1000;
    expect(parseTimestamp('2026-12-07T14:03:11Z')).toEqual({ ok: true, seconds: expected });
    expect(parseTimestamp('2026-12-07 14:03:11')).toEqual({ ok: true, seconds: expected });
    expect(parseTimestamp(' [2026-12-07 14:03:11.512] ')).toEqual({ ok: true, seconds: expected });
    expect(parseTimestamp('2026-12-07T16:03:11+02:00')).toEqual({ ok: true, seconds: expected });
    expect(parseTimestamp('2026-12-07T09:03:11-0500')).toEqual({ ok: true, seconds: expected });
    expect(parseTimestamp(String(expected))).toEqual({ ok: true, seconds: expected });
    expect(isoSeconds(expected)).toBe('2026-12-07T14:03:11Z');
  });

  it('names a time it cannot read, and a token with no iat', () => {
    expect(parseTimestamp('')).toEqual({ ok: false, error: { code: 'time-empty' } });
    expect(parseTimestamp('yesterday at noon')).toEqual({ ok: false, error: { code: 'time-format', text: 'yesterday at noon' } });
    expect(parseTimestamp('2026-02-30 10:00:00')).toMatchObject({ ok: false, error: { code: 'time-format' } });
    const noIat = parsed(compact(JAR_HEADER, { ...jarPayload(), iat: undefined }));
    expect(pastedIat(noIat)).toBeNull();
    expect(evaluateAt('iat', { nowMs: 0, input: noIat, typed: '' })).toEqual({ ok: false, error: { code: 'time-no-iat' } });
  });
});

/** A source's text outside its links: it must not name a document (an RFC, a section, a source id) unlinked. */
function unlinked(source: string, id: string): string {
  return sourceParts(source, id)
    .filter((p) => p.href === undefined)
    .map((p) => p.text)
    .join('|');
}

describe('Explain › every source is a link', () => {
  const catalogue = [
    ...ruleCatalogue(),
    // The server's whole catalogue (before it, only the Management, PAR and token rules were listed here);
    // SES-7 and LGO-1 name sources that shared/explain/sources.ts cannot link yet, and stay out until it can.
    ...Object.values(SERVER_RULES)
      .filter((r) => r.id !== 'SES-7' && r.id !== 'LGO-1')
      .map((r) => ({ ...r, subject: 'server' })),
    // The server's DPoP rules (issue 17): their sources name dpop-rules.md's list (DA1…, DO1…, N1).
    ...Object.values(DPOP_RULES).map((r) => ({ ...r, subject: 'server' })),
  ];

  it('covers the shared rules Explain applies', () => {
    const ids = new Set(ruleCatalogue().map((r) => r.id));
    for (const id of ['JAR-11', 'JAR-13', 'PKJ-8', 'PKJ-9', 'JAR-8', 'PKJ-13', 'AZR-9', 'JAR-1', 'PAR-4']) expect(ids, id).toContain(id);
  });

  it("lists the DPoP proof rules, their sources linked to Auth0's DPoP pages and to dpop-rules.md's rules in the reference", () => {
    const ids = new Set(ruleCatalogue().map((r) => r.id));
    for (const id of ['DPP-1', 'DPP-4', 'DPP-11', 'DPP-13', 'DPN-1', 'DPN-4', 'DPB-5', 'DPB-12']) expect(ids, id).toContain(id);
    expect(sourceParts('RFC 9449 §4.2, §4.3 step 4, §11.5; Auth0 DPoP docs (DA1)', 'DPP-3').filter((p) => p.href !== undefined)).toEqual([
      { text: 'RFC 9449 §4.2', href: 'https://www.rfc-editor.org/rfc/rfc9449#section-4.2' },
      { text: '§4.3 step 4', href: 'https://www.rfc-editor.org/rfc/rfc9449#section-4.3' },
      { text: '§11.5', href: 'https://www.rfc-editor.org/rfc/rfc9449#section-11.5' },
      { text: 'Auth0 DPoP docs', href: SOURCE_DOCUMENTS['DA1']!.href },
    ]);
    expect(sourceParts('dpop-rules.md DPP-15', 'DPP-15')).toEqual([{ text: 'dpop-rules.md DPP-15', href: '#/explain?rule=DPP-15' }]);
  });

  it.each(catalogue.map((r) => [`${r.subject} ${r.id}`, r.id, r.source] as const))('%s: its source resolves to links, never a bare id', (_name, id, source) => {
    const parts = sourceParts(source, id);
    const links = parts.filter((p) => p.href !== undefined);
    expect(links.length, source).toBeGreaterThan(0);
    for (const link of links) expect(link.href, source).toMatch(/^(https:\/\/|#\/explain\?rule=)/);
    const rest = unlinked(source, id);
    expect(rest, `unlinked in "${source}"`).not.toMatch(/RFC|§|\b(?:[AO]|D[AO]|N)\d{1,2}\b|OIDC|OpenID|FAPI|(?:server|dpop)-rules|Parley/);
    for (const link of links) expect(link.text, source).not.toMatch(/^(?:[AO]|D[AO]|N)\d{1,2}$/);
  });

  it("links Auth0 pages to auth0.com/docs, RFC sections to their anchors, and Parley's own rules to the in-app reference", () => {
    expect(sourceParts('Auth0 JAR docs (A1); RFC 9101 §4, §10.8')).toEqual([
      { text: 'Auth0 JAR docs', href: SOURCE_DOCUMENTS['A1']!.href },
      { text: '; ' },
      { text: 'RFC 9101 §4', href: 'https://www.rfc-editor.org/rfc/rfc9101#section-4' },
      { text: ', ' },
      { text: '§10.8', href: 'https://www.rfc-editor.org/rfc/rfc9101#section-10.8' },
    ]);
    expect(SOURCE_DOCUMENTS['A1']!.href).toMatch(/^https:\/\/auth0\.com\/docs\//);
    expect(sourceParts('OIDC Core §6.1')).toEqual([{ text: 'OIDC Core §6.1', href: 'https://openid.net/specs/openid-connect-core-1_0.html#rfc.section.6.1' }]);
    expect(sourceParts('Auth0 credential settings (A11); PKJ-14')).toEqual([
      { text: 'Auth0 credential settings', href: SOURCE_DOCUMENTS['A11']!.href },
      { text: '; ' },
      { text: 'PKJ-14', href: '#/explain?rule=PKJ-14' },
    ]);
    expect(sourceParts('Auth0 PAR (A3, A4, A13)').map((p) => p.text)).toEqual([
      'Auth0 PAR',
      ' (',
      'Auth0: Configure PAR',
      ', ',
      'Auth0: Configure FAPI compliance',
      ')',
    ]);
  });
});
