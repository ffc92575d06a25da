/**
 * Rule values in the UI language (issue 18, "Mixed languages"): the expected and actual values and the notes
 * the server and shared/jwt write in English ("(absent)", "an unused jti", "exp − now = -60 s") are shown in
 * fr-CA and ja-JP through the `ruleValues` table (renderer/src/i18n/rule-values.ts), the request's own values
 * (URLs, ids, numbers, claim names) untouched.
 *
 * The table is made complete against what the rules really produce: real requests against the embedded
 * server (every flow kind, and the break-it cases of shared/faults/cases.ts run by electron/core/faults, by
 * value, pushed and as client assertions) and lints of sample JWTs (shared/jwt/lint.ts). Every text they
 * produce must be a value (a narrow pattern) or covered by the table in both translated languages.
 */
import i18next from 'i18next';
import { SignJWT, base64url, exportJWK, exportSPKI, generateKeyPair } from 'jose';
import type { TFunction } from 'i18next';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '../../../../../renderer/src/i18n/locales/en.json';
import frCA from '../../../../../renderer/src/i18n/locales/fr-CA.json';
import jaJP from '../../../../../renderer/src/i18n/locales/ja-JP.json';
import { isRuleValue, ruleValueText, translateRuleValue } from '../../../../../renderer/src/i18n/rule-values';
import type { Translate } from '../../../../../renderer/src/i18n/rule-values';
import type { RequestTrace } from '../../../../../shared/schemas/server';
import type { RuleOutcome } from '../../../../../shared/jwt/rule';
import type { FaultRun } from '../../../../../shared/faults/cases';
import { lintClientAssertion, lintRequestObject } from '../../../../../shared/jwt';
import { signatureOutcome } from '../../../../../shared/explain/explain';
import type { VerifyResult } from '../../../../../shared/schemas/jwt';
import { nowSeconds } from '../../../../../electron/core/clock';
import type { FlowHarness } from '../../../electron/core/flows/helpers';
import { REDIRECT, flowHarness } from '../../../electron/core/flows/helpers';
import { NOW, assertionContext, jarContext } from '../../../shared/jwt/helpers';

const LANGUAGES = { en, 'fr-CA': frCA, 'ja-JP': jaJP } as const;
type Language = keyof typeof LANGUAGES;

/** A real i18next instance over the real catalogues, as the renderer has it. */
function translator(language: Language): Translate {
  const instance = i18next.createInstance();
  void instance.init({
    resources: Object.fromEntries(Object.entries(LANGUAGES).map(([lng, translation]) => [lng, { translation }])),
    lng: language,
    fallbackLng: false,
    initAsync: false,
    interpolation: { escapeValue: false },
  });
  const t: TFunction = instance.t;
  return (key, values) => t(key, values);
}

const T = { en: translator('en'), 'fr-CA': translator('fr-CA'), 'ja-JP': translator('ja-JP') };
const TABLE = en.ruleValues as Record<string, string>;

/** Where each text came from (the first rule that produced it), for a readable failure. */
const produced = new Map<string, string>();
let h: FlowHarness;

function collect(outcomes: readonly RuleOutcome[], where: string): void {
  for (const o of outcomes) {
    for (const field of ['expected', 'actual', 'note'] as const) {
      const text = o[field];
      if (text !== undefined && !produced.has(text)) produced.set(text, `${o.id} ${field} (${where})`);
    }
  }
}

beforeAll(async () => {
  h = await flowHarness();
  const issuer = h.core.server.running!.urls.issuer;
  await h.call('flows.saveTarget', {
    target: {
      id: 'pkj',
      name: 'Embedded PKJ',
      issuer,
      client_id: h.clientId,
      auth: { method: 'private_key_jwt', keyId: h.authKeyId, hasSecret: false },
      redirect_uri: REDIRECT,
      scope: 'openid profile email',
      jarKeyId: h.jarKeyId,
      embedded: true,
    },
  });
  // Every flow kind to a verified token: the rules that pass, with their values.
  for (const kind of ['jar', 'par', 'par+jar', 'client_credentials'] as const) await h.run('pkj', kind);
  // Break it: every case, by value, pushed and as a client assertion: the rules that fail.
  const jar = {
    header: { alg: 'RS256', typ: 'oauth-authz-req+jwt', kid: h.core.vault.get(h.jarKeyId).thumbprint },
    claims: {
      iss: h.clientId,
      aud: issuer,
      client_id: h.clientId,
      response_type: 'code',
      scope: 'openid profile',
      redirect_uri: 'https://app.example.com/callback',
      nonce: 'n-0S6',
    },
  };
  const then = nowSeconds() - 300;
  const assertion = {
    header: { alg: 'RS256', typ: 'JWT', kid: h.core.vault.get(h.authKeyId).thumbprint },
    claims: { iss: h.clientId, sub: h.clientId, aud: issuer, jti: 'composed-jti', iat: then, exp: then + 300 },
  };
  await h.call<FaultRun>('faults.run', { kind: 'request_object', keyId: h.jarKeyId, ...jar });
  await h.call<FaultRun>('faults.run', { kind: 'request_object', keyId: h.jarKeyId, endpoint: 'par', ...jar });
  await h.call<FaultRun>('faults.run', { kind: 'client_assertion', keyId: h.authKeyId, ...assertion });
  for (const trace of await h.call<RequestTrace[]>('server.listLogs', { limit: 1000 })) collect(trace.rules as RuleOutcome[], `${trace.method} ${trace.path}`);
  // Explain's signature check (jwt.verify, real keys): valid with a pasted JWK, JWKS or PEM, a key that does
  // not verify, a kid that matches none, the client's registered credentials, HMAC and unsigned tokens.
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const other = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'customer-key-1' };
  const otherJwk = { ...(await exportJWK(other.publicKey)), kid: 'customer-key-1' };
  const signed = await new SignJWT({ iss: 'customer-app' }).setProtectedHeader({ alg: 'RS256', kid: 'customer-key-1' }).sign(privateKey);
  const hmac = await new SignJWT({ iss: 'customer-app' }).setProtectedHeader({ alg: 'HS256' }).sign(new Uint8Array(32).fill(7));
  const unsigned = `${base64url.encode('{"alg":"none"}')}.${base64url.encode('{"iss":"customer-app"}')}.`;
  const sources = [
    { kind: 'text', text: JSON.stringify(jwk) },
    { kind: 'text', text: JSON.stringify({ keys: [jwk] }) },
    { kind: 'text', text: await exportSPKI(publicKey) },
    { kind: 'text', text: JSON.stringify(otherJwk) },
    { kind: 'text', text: JSON.stringify({ ...otherJwk, kid: 'another-key' }) },
    { kind: 'serverCredentials', clientId: h.clientId },
    { kind: 'server' },
  ];
  for (const [token, keySources] of [
    [signed, sources],
    [hmac, sources.slice(0, 1)],
    [unsigned, sources.slice(0, 1)],
  ] as const) {
    for (const source of keySources) {
      const result = await h.call<VerifyResult>('jwt.verify', { token, source });
      for (const role of ['requestObject', 'clientAssertion'] as const) collect([signatureOutcome(role, result)], `Explain signature (${source.kind})`);
    }
  }
  // Lints of sample JWTs (Compose, Inspect, Explain): valid, HMAC for the wrong audience, unsigned and expired, too long-lived.
  const variants = [
    {},
    { header: { alg: 'HS256' }, payload: { aud: 'https://wrong.example/' } },
    { header: { alg: 'none', typ: undefined }, payload: { exp: NOW - 60, jti: undefined, iat: undefined } },
    { payload: { exp: NOW + 7200, nbf: NOW + 60 } },
  ];
  for (const variant of variants) {
    const { header, payload, ...context } = jarContext(variant);
    collect(lintRequestObject({ header, payload }, context), 'lint request object');
    const a = assertionContext(variant);
    collect(lintClientAssertion({ header: a.header, payload: a.payload }, a), 'lint client assertion');
  }
}, 180_000);

afterAll(async () => {
  await h.core.close();
});

describe('Rule values › what the rules produce', () => {
  it('collects the texts of real requests and lints (the collection itself works)', () => {
    expect(produced.size).toBeGreaterThan(200);
    for (const text of ['(absent)', 'an unused jti', 'no other fields', 'first use', 'the signature does not verify'])
      expect(produced.has(text), text).toBe(true);
    expect([...produced.keys()].some((t) => /^exp − now = -\d+ s$/.test(t))).toBe(true);
  });

  for (const language of ['fr-CA', 'ja-JP'] as const) {
    it(`${language}: every text is a value or covered by the table (no English left in a translated screen)`, () => {
      const uncovered = [...produced].filter(([text]) => translateRuleValue(text, T[language]) === null).map(([text, where]) => `${where}: ${text}`);
      expect(uncovered).toEqual([]);
    });

    it(`${language}: a translated text keeps every value of the English (ids, URLs, numbers)`, () => {
      for (const text of produced.keys()) {
        const translated = translateRuleValue(text, T[language])!;
        for (const value of text.match(/https?:\/\/[^\s,)]+|\b[\w-]*\d[\w-]*\b/g) ?? []) expect(translated, `${text} → ${translated}`).toContain(value);
      }
    });
  }

  it('the table is the English itself: looked up in English, every covered text comes back unchanged', () => {
    for (const text of produced.keys()) expect(translateRuleValue(text, T.en)).toBe(text);
  });

  it('every phrase of the table is one the rules produce (or a known one this run cannot reach)', () => {
    // Phrases the source writes on paths the requests above do not take: the server with rate limits off
    // (PAR-19, SES-7), a replayed assertion jti, a JSON mismatch, Management API refusals, several credentials
    // on one slot, and Explain's verification against a vault key, a jwks_uri or a key that cannot be read
    // (shared/explain/explain.ts, electron/core/jwt/key-sources.ts).
    const reachedElsewhere = new Set([
      'empty',
      'neither',
      'notCounted',
      'noLimitRateLimitsOff',
      'noLimitRateLimitsOffBench',
      'jtiAlreadySeen',
      'versus',
      'absentDefault',
      'unsetDefault',
      'bits',
      'characters',
      'atMostCredentials',
      'methodWithCredentials',
      'validSignatureByAnyAlg',
      'vaultKey',
      'jwksUriOf',
      'theKey',
      'serverKey',
      'algFitsNoKey',
      'noneParen',
      'malformedToken',
      'noUsableKey',
      'keysNotFetched',
      'keyNotRead',
      'notVerified',
      // DPoP (issue 17): the binding matrix's other combinations (DPB-1, electron/core/server/dpop.ts decideBinding),
      // bound tokens (DPB-3) and the standards-mode discovery (DPC-11) come from DPoP requests, which
      // test/unit/electron/core/server/dpop/* make; the runs above send no proof.
      'dpopAudUserinfoNoPopProof',
      'dpopAudUserinfoPopNoProof',
      'dpopAudUserinfoPopProof',
      'dpopAudApiNoPopNoProof',
      'dpopAudApiNoPopProof',
      'dpopAudApiPopNoProof',
      'dpopAudApiPopProof',
      'dpopDpopBound',
      'dpopAlgsStandards',
    ]);
    const used = new Set<string>();
    const spy: Translate = (key, values) => {
      used.add(key.replace(/^ruleValues\./, ''));
      return T['fr-CA'](key, values);
    };
    for (const text of produced.keys()) translateRuleValue(text, spy);
    expect(Object.keys(TABLE).filter((key) => !used.has(key) && !reachedElsewhere.has(key))).toEqual([]);
  });
});

describe('Rule values › the phrases the review found, and the values left alone', () => {
  it('translates the fixed phrases, with their values as they are', () => {
    const fr = (text: string) => translateRuleValue(text, T['fr-CA']);
    const ja = (text: string) => translateRuleValue(text, T['ja-JP']);
    expect(fr('(absent)')).toBe('(non fourni)');
    expect(ja('(absent)')).toBe('（なし）');
    expect(fr('an asymmetric alg registered with the credential (never none or HS*)')).toBe(
      'un alg asymétrique inscrit avec l’identifiant (jamais none ni HS*)',
    );
    expect(ja('not counted')).toBe('カウントなし');
    expect(fr('no other fields')).toBe('aucun autre champ');
    expect(ja('nbf = (absent), exp = 1767225540')).toBe('nbf = （なし）, exp = 1767225540');
    expect(fr('exp − now = -60 s')).toBe('exp − maintenant = -60 s');
    expect(ja('kid abc-1 (the private_key_jwt credential cred_X1)')).toBe('kid abc-1（private_key_jwt資格情報cred_X1）');
    expect(fr('https://a.example/ or https://a.example/oauth/token (or an array containing one)')).toBe(
      'https://a.example/ ou https://a.example/oauth/token (ou un tableau qui en contient une)',
    );
    expect(ja('0gXYsUn9ara1p7X0 (Parley · Break it)')).toBe('0gXYsUn9ara1p7X0（Parley · Break it）');
  });

  it('shows a value as it is in every language, and marks English the table lacks as English', () => {
    expect(ruleValueText('ja-JP', 'https://tenant.example.com/', T['ja-JP'])).toEqual({ text: 'https://tenant.example.com/', lang: undefined });
    expect(ruleValueText('fr-CA', 'a phrase no rule has written yet', T['fr-CA'])).toEqual({ text: 'a phrase no rule has written yet', lang: 'en' });
    expect(ruleValueText('en', 'first use', T.en)).toEqual({ text: 'first use', lang: undefined });
    expect(ruleValueText('fr-CA', 'first use', T['fr-CA'])).toEqual({ text: 'première utilisation', lang: undefined });
    // A placeholder takes a value or a phrase of the table, never any English.
    expect(translateRuleValue('some words issued by /oauth/par', T['fr-CA'])).toBeNull();
  });

  it('a value is narrow: URLs, ids, numbers, JSON, member names and protocol words, never an English phrase', () => {
    for (const value of [
      'https://tenant.example.com/',
      'urn:ietf:params:oauth:request_uri:abc',
      'cred_WmKbhqYI6DSPYIx95qF8pG',
      'RS256 | RS384 | PS256',
      'exp = 1767225540',
      '["S256","plain"]',
      'client_id: abc1, response_type: code',
      '"jwt" "oauth-authz-req+jwt"',
      'none',
      'application/x-www-form-urlencoded',
      'kty,n,e,kid,use',
      '1',
      'redirect_uri',
    ]) {
      expect(isRuleValue(value), value).toBe(true);
    }
    for (const phrase of [
      'first use',
      'not counted',
      'both',
      'on',
      '30 s',
      'found',
      'present',
      'optional',
      'no request_uri',
      'exp − now = 5 s',
      '(absent)',
      'within limits',
    ])
      expect(isRuleValue(phrase), phrase).toBe(false);
  });
});
