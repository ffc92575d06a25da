/**
 * Rule values in the UI language (issue 18, "Mixed languages"): the expected and actual values and the notes
 * the server and shared/jwt write in English ("(absent)", "an unused jti", "exp − now = -60 s") are shown in
 * fr-CA and ja-JP through the `ruleValues` table (renderer/src/i18n/rule-values.ts), the request's own values
 * (URLs, ids, numbers, claim names) untouched.
 *
 * The table is made complete against what the rules really produce: real requests against the embedded
 * server (every flow kind, and the break-it cases of shared/faults/cases.ts run by electron/core/faults, by
 * value, pushed and as client assertions) and lints of sample JWTs (shared/jwt/lint.ts), and DPoP (issue 17):
 * the flows with a DPoP key, Break it's DPoP cases, the binding matrix, /userinfo and refresh with bound
 * tokens, discovery in both profiles, and the DPoP lint. Every text they produce must be a value (a narrow
 * pattern) or covered by the table in both translated languages.
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
import type { RuleSink } from '../../../../../electron/core/server/recording';
import type { RuleOutcome } from '../../../../../shared/jwt/rule';
import type { FaultRun } from '../../../../../shared/faults/cases';
import { lintClientAssertion, lintRequestObject } from '../../../../../shared/jwt';
import { lintDpopProof } from '../../../../../shared/jwt/lint';
import { signatureOutcome } from '../../../../../shared/explain/explain';
import type { VerifyResult } from '../../../../../shared/schemas/jwt';
import { nowSeconds } from '../../../../../electron/core/clock';
import type { FlowHarness } from '../../../electron/core/flows/helpers';
import { REDIRECT, flowHarness } from '../../../electron/core/flows/helpers';
import { NOW, assertionContext, jarContext } from '../../../shared/jwt/helpers';
import type { Harness, TestClient } from '../../../electron/core/server/endpoints/helpers';
import { startServer } from '../../../electron/core/server/endpoints/helpers';
import type { DpopKey, ProofOptions } from '../../../electron/core/server/dpop/helpers';
import {
  codeFields,
  codeFor,
  credentialsOf,
  dpopKey,
  proof,
  publicCode,
  token,
  tokenUrl,
  traceOf,
  userinfoUrl,
} from '../../../electron/core/server/dpop/helpers';

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
  await collectDpop(issuer, assertion);
}, 240_000);

afterAll(async () => {
  await h.core.close();
  await d?.close();
});

let d: Harness | undefined;

/**
 * DPoP (issue 17): the texts of proofs, bindings and nonces. The flows with a DPoP key against the embedded
 * server (proofs on PAR and token, the bound token at /userinfo, a public client's nonce challenge), Break it's
 * DPoP cases, the binding matrix of DPB-1 (userinfo-only audience and APIs of each policy, a client that
 * requires PoP or not, a proof or none) with /userinfo and refresh against a second server, the discovery of
 * both profiles, and the DPoP lint of proofs as Explain and `parley lint` judge them.
 */
async function collectDpop(issuer: string, assertion: { header: Record<string, unknown>; claims: Record<string, unknown> }): Promise<void> {
  const key = await h.call<{ id: string }>('keys.generate', { name: 'dpop', spec: { kty: 'EC', crv: 'P-256' }, usages: ['other'] });
  await h.call('flows.saveTarget', {
    target: {
      id: 'pkj-dpop',
      name: 'Embedded PKJ with DPoP',
      issuer,
      client_id: h.clientId,
      auth: { method: 'private_key_jwt', keyId: h.authKeyId, hasSecret: false },
      redirect_uri: REDIRECT,
      scope: 'openid profile email',
      jarKeyId: h.jarKeyId,
      embedded: true,
      dpop: { keyId: key.id, bindCode: true },
    },
  });
  for (const kind of ['par+jar', 'client_credentials'] as const) await h.run('pkj-dpop', kind);
  const publicClient = await h.call<{ client_id: string }>('server.createClient', {
    body: { name: 'Public DPoP', app_type: 'spa', callbacks: [REDIRECT], grant_types: ['authorization_code'], token_endpoint_auth_method: 'none' },
  });
  await h.call('flows.saveTarget', {
    target: {
      id: 'public-dpop',
      name: 'Public DPoP',
      issuer,
      client_id: publicClient.client_id,
      auth: { method: 'none', hasSecret: false },
      redirect_uri: REDIRECT,
      scope: 'openid',
      embedded: true,
      dpop: { keyId: key.id, bindCode: false },
    },
  });
  await h.run('public-dpop', 'plain');
  await h.call<FaultRun>('faults.run', { kind: 'dpop_proof', keyId: h.authKeyId, ...assertion });
  for (const trace of await h.call<RequestTrace[]>('server.listLogs', { limit: 1000 })) collect(trace.rules as RuleOutcome[], `${trace.method} ${trace.path}`);

  // The binding matrix and the bound token's life, on a server of its own.
  d = await startServer({ consent: false });
  const k = await dpopKey();
  const other = await dpopKey();
  const apis = {
    allowed: 'https://api-allowed.example.com/',
    required: 'https://api-required.example.com/',
    none: 'https://api-mtls.example.com/',
  };
  await d.server.ctx.directory.createResourceServer({ identifier: apis.allowed });
  await d.server.ctx.directory.createResourceServer({ identifier: apis.required, proof_of_possession: { mechanism: 'dpop', required: true } });
  await d.server.ctx.directory.createResourceServer({ identifier: apis.none, proof_of_possession: { mechanism: 'mtls', required: true } });
  const plain = await d.client();
  const requiring = await d.client({ require_proof_of_possession: true });
  const { client_secret: _unused, ...pub } = await d.client({ app_type: 'spa', token_endpoint_auth_method: 'none' });
  const tokenProof = (options: Partial<ProofOptions> = {}, with_: DpopKey = k) => proof(with_, { htu: tokenUrl(d!), ...options });
  for (const client of [plain, requiring]) {
    for (const audience of Object.values(apis)) {
      await d.server.ctx.directory.createClientGrant({ client_id: client.client_id, audience, scope: [] });
      for (const sent of [false, true])
        await token(d, { grant_type: 'client_credentials', audience, ...credentialsOf(client) }, sent ? await tokenProof() : undefined);
    }
    for (const sent of [false, true]) await token(d, codeFields(client, await codeFor(d, client)), sent ? await tokenProof() : undefined);
  }
  // A public client: the nonce challenge, the retry, the bound token at /userinfo (right proof, none, another
  // token's ath, a Bearer scheme), a stale nonce, the refresh token with another key and without a proof.
  const { code, verifier } = await publicCode(d, pub);
  const challenged = await token(d, codeFields(pub, code, verifier), await tokenProof());
  const nonce = challenged.headers.get('dpop-nonce') ?? '';
  const issued = (await (await token(d, codeFields(pub, code, verifier), await tokenProof({ nonce }))).json()) as Record<string, string>;
  const bound = issued['access_token'] ?? '';
  const userinfo = (authorization: string, dpop?: string) =>
    fetch(userinfoUrl(d!), { headers: { authorization, ...(dpop === undefined ? {} : { dpop }) } }).then((r) => r.text());
  await userinfo(`DPoP ${bound}`, await proof(k, { htm: 'GET', htu: userinfoUrl(d), accessToken: bound }));
  await userinfo(`DPoP ${bound}`);
  await userinfo(`DPoP ${bound}`, await proof(k, { htm: 'GET', htu: userinfoUrl(d), accessToken: 'another-token' }));
  await userinfo(`DPoP ${bound}`, await proof(other, { htm: 'GET', htu: userinfoUrl(d), accessToken: bound }));
  await userinfo(`Bearer ${bound}`);
  const refresh = { grant_type: 'refresh_token', refresh_token: issued['refresh_token'] ?? '', ...credentialsOf(pub) };
  await token(d, refresh, await tokenProof({ nonce: 'a-stale-nonce' }, other));
  await token(d, refresh, await tokenProof({ nonce: (await token(d, refresh, await tokenProof({}, other))).headers.get('dpop-nonce') ?? '' }, other));
  await token(d, refresh);
  // Refresh token rotation (TKQ-5, the binding copied under DPB-9): a bound rotation, a reuse within the leeway, an
  // older token reused, a reuse after the leeway, and Auth0's migrations when rotation is switched on and off.
  const rotating = (leeway: number) => ({ refresh_token: { rotation_type: 'rotating', expiration_type: 'expiring', leeway } });
  const refreshOf = async (client: TestClient, refreshToken: string, dpop?: string): Promise<string> => {
    const res = await token(d!, { grant_type: 'refresh_token', refresh_token: refreshToken, ...credentialsOf(client) }, dpop);
    return ((await res.json()) as Record<string, string>)['refresh_token'] ?? '';
  };
  const firstRefresh = async (client: TestClient, dpop?: string): Promise<string> =>
    ((await (await token(d!, codeFields(client, await codeFor(d!, client)), dpop)).json()) as Record<string, string>)['refresh_token'] ?? '';
  const lenient = await d.client(rotating(86_400));
  const rt1 = await firstRefresh(lenient, await tokenProof());
  await refreshOf(lenient, rt1, await tokenProof());
  const reused = await refreshOf(lenient, rt1, await tokenProof());
  await refreshOf(lenient, reused, await tokenProof());
  await refreshOf(lenient, rt1, await tokenProof());
  const late = await d.client(rotating(0));
  const lateFirst = await firstRefresh(late);
  await refreshOf(late, lateFirst);
  await refreshOf(late, lateFirst);
  const switched = await d.client();
  const beforeSwitch = await firstRefresh(switched);
  await d.server.ctx.directory.updateClient(switched.client_id, rotating(0));
  const afterSwitch = await refreshOf(switched, beforeSwitch);
  await d.server.ctx.directory.updateClient(switched.client_id, { refresh_token: { rotation_type: 'non-rotating' } });
  await refreshOf(switched, afterSwitch);
  // Enterprise connections' dpop_signing_alg (DPC-12: a used value, an unused one, another strategy, none) and
  // dynamic registration (DPC-13: off, a non-JSON body, dpop_bound_access_tokens in both profiles).
  const sink: RuleSink = {
    passRule: (rule, expected, actual) => collect([{ ...rule, message: rule.summary, fix: '', passed: true, expected, actual }], 'DPC-12'),
    record: (o) => collect([o], 'DPC-12'),
  };
  for (const [i, [strategy, options]] of (
    [
      ['oidc', { dpop_signing_alg: 'ES256' }],
      ['oidc', { dpop_signing_alg: 'RS256' }],
      ['samlp', { dpop_signing_alg: 'ES256' }],
      ['okta', {}],
    ] as const
  ).entries())
    d.server.ctx.directory.createConnection({ name: `values-${i}`, strategy, options }, sink);
  const registerUrl = `${d.base}oidc/register`;
  const registration = (body: string, type = 'application/json') =>
    fetch(registerUrl, { method: 'POST', headers: { 'content-type': type }, body }).then((r) => r.text());
  const metadata = JSON.stringify({ client_name: 'Values', redirect_uris: [REDIRECT], dpop_bound_access_tokens: true });
  await registration(metadata);
  d.settings({ dynamicClientRegistration: true });
  await registration('client_name=x', 'application/x-www-form-urlencoded');
  await registration(metadata);
  d.settings({ profile: 'strict' });
  await registration(metadata);
  d.settings({ profile: 'auth0', dynamicClientRegistration: false });
  // Discovery in both profiles (DPC-11).
  await fetch(`${d.base}.well-known/openid-configuration`).then((r) => r.text());
  d.settings({ profile: 'strict' });
  await fetch(`${d.base}.well-known/openid-configuration`).then((r) => r.text());
  d.settings({ profile: 'auth0' });
  // Traces are recorded once the response is sent: wait for the last request's.
  await traceOf(d, 'discovery').catch(() => undefined);
  for (const trace of d.traces) collect(trace.rules as RuleOutcome[], `DPoP ${trace.method} ${trace.path}`);

  // The DPoP lint (Explain's DPoP card, parley lint --as dpop-proof): valid, and each way a proof goes wrong.
  const url = 'https://tenant.example.com/oauth/token';
  const at = nowSeconds();
  const lints: [string, Parameters<typeof lintDpopProof>[1]][] = [
    [await proof(k, { htu: url }), { method: 'POST', url, now: at }],
    [await proof(k, { htu: `${url}/?a=b#f`, htm: 'GET', iat: at - 900 }), { method: 'POST', url, now: at, nonce: 'n-1', expectedJkt: other.jkt }],
    [await proof(k, { htu: 'https://tenant.example.com:80/oauth/token', iat: at + 900, nonce: 'n-0' }), { method: 'POST', url, now: at, nonce: 'n-1' }],
    [await proof(k, { htm: 'GET', htu: url, accessToken: 'a' }), { method: 'GET', url, now: at, accessToken: 'b' }],
    [await proof(k, { htu: 'tenant.example.com/oauth/token', header: { typ: 'JWT' } }), { method: 'POST', url, now: at, profile: 'strict' }],
    [await proof(k, { htu: url, header: { jwk: { ...k.jwk, d: 'private' } } }), { method: 'POST', url, now: at }],
    [await proof(k, { htu: url, claims: { jti: undefined, iat: 'yesterday' } }), { method: 'POST', url, now: at }],
    ['not.a-proof', { method: 'POST', url, now: at }],
  ];
  for (const [text, ctx] of lints) collect(await lintDpopProof(text, ctx), 'lint DPoP proof');
}

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
    // Phrases the source writes on paths the requests above do not take, each with why.
    const reachedElsewhere = new Set([
      // "(empty)": a marker inside a value; no run sends an empty parameter or claim.
      'empty',
      // Rate limits (PAR-19, SES-7): written when the server runs with rate limits off, never in these runs.
      'notCounted',
      'noLimitRateLimitsOff',
      'noLimitRateLimitsOffBench',
      // A replayed client-assertion jti (PKJ-11 on a second use): Break it plays each case on a fresh jti.
      'jtiAlreadySeen',
      // A JSON mismatch between a pushed request and its JAR ("{{first}} vs {{second}}"): no run sends one.
      'versus',
      // Several credentials on one slot (a Management API refusal): the harness registers one per slot.
      'methodWithCredentials',
      // Explain's verification (shared/explain/explain.ts, electron/core/jwt/key-sources.ts) against a vault key,
      // a jwks_uri, or a key that cannot be read or fetched: the runs verify with pasted keys and the server's.
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
    ]);
    const used = new Set<string>();
    const spy: Translate = (key, values) => {
      used.add(key.replace(/^ruleValues\./, ''));
      return T['fr-CA'](key, values);
    };
    for (const text of produced.keys()) translateRuleValue(text, spy);
    expect(Object.keys(TABLE).filter((key) => !used.has(key) && !reachedElsewhere.has(key))).toEqual([]);
    // And the list is no wider than it must be: a phrase these runs reach is not "reached elsewhere".
    expect([...reachedElsewhere].filter((key) => used.has(key))).toEqual([]);
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
