import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lintClientAssertion, lintRequestObject } from '../../../../shared/jwt/lint';
import type { ClientAssertionLintContext, RequestObjectLintContext } from '../../../../shared/jwt/lint';
import { AUDIENCE_STYLES, PROFILES, profileOf, serverProfileFor } from '../../../../shared/jwt/profiles';
import { authorizationParametersOf } from '../../../../shared/jwt/authorization-parameters';
import * as api from '../../../../shared/jwt';
import { ASSERTION_HEADER, ISSUER, JAR_HEADER, NOW, TOKEN_ENDPOINT, assertionPayload, b64, compact, jarPayload } from './helpers';

const JAR_CTX: RequestObjectLintContext = { issuer: ISSUER, clientId: 'client-a', profile: 'auth0', now: NOW, endpoint: 'authorize' };
const PKJ_CTX: ClientAssertionLintContext = { issuer: ISSUER, tokenEndpoint: TOKEN_ENDPOINT, endpointUrl: TOKEN_ENDPOINT, profile: 'auth0', now: NOW };

describe('Composer lint › request objects', () => {
  it('lists every outcome of a valid token, all passed, decode rules included', () => {
    const outcomes = lintRequestObject(compact(JAR_HEADER, jarPayload()), JAR_CTX);
    expect(outcomes.every((o) => o.passed)).toBe(true);
    expect(outcomes.map((o) => o.id)).toEqual(expect.arrayContaining(['JWT-8', 'JAR-9', 'JWT-1', 'JWT-7', 'JAR-11']));
  });

  it('lints a draft header and payload with the same rules, failures first', () => {
    const outcomes = lintRequestObject({ header: { alg: 'RS256', typ: 'at+jwt' }, payload: { ...jarPayload(), aud: ISSUER.slice(0, -1) } }, JAR_CTX);
    expect(outcomes.slice(0, 2).map((o) => o.id)).toEqual(['JAR-6', 'JAR-11']);
    expect(outcomes[1]?.message).toMatch(/trailing slash/);
    expect(outcomes.slice(2).every((o) => o.passed)).toBe(true);
  });

  it('JAR-6: a draft with no typ passes with a note in the Auth0 profile (a warning, not a problem), and fails in strict', () => {
    const draft = { header: { alg: 'RS256' }, payload: jarPayload() };
    const auth0 = lintRequestObject(draft, JAR_CTX);
    expect(auth0.every((o) => o.passed)).toBe(true);
    expect(auth0.filter((o) => o.note !== undefined)).toEqual([
      expect.objectContaining({ id: 'JAR-6', passed: true, note: expect.stringMatching(/express-openid-connect 3\.4\.0 sends none/) }),
    ]);
    const strict = lintRequestObject({ header: { alg: 'PS256' }, payload: jarPayload() }, { ...JAR_CTX, profile: 'strict' });
    expect(strict.filter((o) => !o.passed)).toEqual([expect.objectContaining({ id: 'JAR-6', message: expect.stringMatching(/no typ/) })]);
    expect(strict.some((o) => o.note !== undefined)).toBe(false);
  });

  it('turns decode errors into JWT-1, JWT-7, JWT-8 and JAR-9 failures', () => {
    expect(lintRequestObject('a.b', JAR_CTX)[0]).toMatchObject({
      id: 'JWT-1',
      passed: false,
      actual: 'wrong-part-count',
      message: 'The token has 2 parts; a compact JWS has 3.',
    });
    expect(lintRequestObject('a.b.c.d.e', JAR_CTX)[0]).toMatchObject({ id: 'JAR-9', passed: false });
    expect(lintRequestObject('x'.repeat(10 * 1024 + 1), JAR_CTX)[0]).toMatchObject({ id: 'JWT-8', passed: false });
    expect(lintRequestObject(`${b64(JAR_HEADER)}.${b64('{"iss":"a","iss":"b"}')}.sig`, JAR_CTX)[0]).toMatchObject({ id: 'JWT-7', passed: false });
  });

  it('trims pasted whitespace around a token', () => {
    expect(lintRequestObject(`  ${compact(JAR_HEADER, jarPayload())}\n`, JAR_CTX).every((o) => o.passed)).toBe(true);
  });

  it('reports a draft whose header or payload is not an object as JWT-1', () => {
    expect(lintRequestObject({ header: [], payload: 'x' }, JAR_CTX)).toEqual([
      expect.objectContaining({ id: 'JWT-1', passed: false, message: 'The header and payload must be a JSON object.' }),
    ]);
  });
});

describe('Composer lint › client assertions', () => {
  it("passes a valid assertion and flags an over-long lifetime with Auth0's words", () => {
    expect(lintClientAssertion(compact(ASSERTION_HEADER, assertionPayload()), PKJ_CTX).every((o) => o.passed)).toBe(true);
    const [first] = lintClientAssertion({ header: ASSERTION_HEADER, payload: { ...assertionPayload(), exp: NOW + 600 } }, PKJ_CTX);
    expect(first).toMatchObject({ id: 'PKJ-10', passed: false, message: "'exp' claim must specify a time that is no more than 5 minutes after 'iat'" });
  });

  it('applies the 2048-byte cap and reports a JWE as JWT-1', () => {
    expect(lintClientAssertion('x'.repeat(2049), PKJ_CTX)[0]).toMatchObject({ id: 'JWT-8', passed: false });
    expect(lintClientAssertion('a.b.c.d.e', PKJ_CTX)[0]).toMatchObject({ id: 'JWT-1', passed: false, actual: 'jwe' });
  });
});

describe('Composer lint › robustness', () => {
  const json = fc.jsonValue();
  const tokenish = fc
    .array(
      fc.oneof(
        json.map((j) => b64(j)),
        fc.string(),
      ),
      { minLength: 1, maxLength: 5 },
    )
    .map((p) => p.join('.'));
  const input = fc.oneof(fc.string(), tokenish, fc.record({ header: json, payload: json }));

  it('never throws, whatever is typed or pasted, in every profile', () => {
    fc.assert(
      fc.property(input, fc.constantFrom(...Object.keys(PROFILES)), (value, profile) => {
        const ro = lintRequestObject(value as string, { ...JAR_CTX, profile: profile as RequestObjectLintContext['profile'] });
        const ca = lintClientAssertion(value as string, { ...PKJ_CTX, profile: profile as ClientAssertionLintContext['profile'] });
        expect(Array.isArray(ro) && Array.isArray(ca)).toBe(true);
        const firstPass = ro.findIndex((o) => o.passed);
        if (firstPass >= 0) expect(ro.slice(firstPass).every((o) => o.passed)).toBe(true);
      }),
      { seed: 7523, numRuns: 300 },
    );
  });

  it('survives hostile member names such as __proto__ and constructor', () => {
    const payload = JSON.parse('{"__proto__":{"polluted":true},"constructor":1,"iss":"client-a"}') as Record<string, unknown>;
    expect(() => lintRequestObject({ header: JAR_HEADER, payload }, JAR_CTX)).not.toThrow();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('Profiles › data, not code', () => {
  it('defines Auth0, strict, FAPI 1, FAPI 2 and Okta', () => {
    expect(Object.keys(PROFILES).sort()).toEqual(['auth0', 'fapi1', 'fapi2', 'okta', 'strict']);
    expect(PROFILES.auth0.requestObject.algs).toEqual(['RS256', 'RS384', 'PS256']);
    expect(PROFILES.auth0.clientAssertion).toMatchObject({ maxLifetimeSeconds: 300, maxBytes: 2048, audience: 'auth0' });
    expect(PROFILES.okta.clientAssertion.audience).toBe('token-endpoint');
    expect(AUDIENCE_STYLES.strict).toEqual({ issuer: true, tokenEndpoint: false, receivingEndpoint: false, array: false });
  });

  it('falls back to Auth0 for an unknown id', () => {
    expect(profileOf('nope').id).toBe('auth0');
    expect(profileOf('__proto__').id).toBe('auth0');
  });

  it("raises the server profile with a client's FAPI compliance level", () => {
    expect(serverProfileFor('auth0', null)).toBe('auth0');
    expect(serverProfileFor('strict', undefined)).toBe('strict');
    expect(serverProfileFor('auth0', 'fapi1_adv_pkj_par')).toBe('fapi1');
    expect(serverProfileFor('auth0', 'fapi2_sp_pkj_mtls')).toBe('fapi2');
  });
});

describe('RFC 9101 JAR › authorization parameters of a request object', () => {
  it('keeps known parameters and ext-*, as strings, and drops JWT claims and nesting', () => {
    const params = authorizationParametersOf({
      ...jarPayload(),
      max_age: 300,
      claims: { id_token: { acr: { essential: true } } },
      'ext-tenant': 'blue',
      'ext-': 'empty suffix',
      custom: 'dropped',
      request_uri: 'urn:x',
      login_hint: null,
      flag: true,
    });
    expect(params).toEqual({
      client_id: 'client-a',
      response_type: 'code',
      redirect_uri: 'https://app.example.com/callback',
      scope: 'openid profile',
      state: 'st',
      nonce: 'n-1',
      max_age: '300',
      claims: '{"id_token":{"acr":{"essential":true}}}',
      'ext-tenant': 'blue',
    });
  });
});

describe('shared/jwt › public API', () => {
  it('exports the decoder, rules, profiles and lint from one entry point', () => {
    expect(Object.keys(api).sort()).toEqual(
      expect.arrayContaining([
        'decodeCompactJwt',
        'JwtDecodeError',
        'REQUEST_OBJECT_RULES',
        'CLIENT_ASSERTION_RULES',
        'PROFILES',
        'lintRequestObject',
        'lintClientAssertion',
        'evaluateAll',
      ]),
    );
  });
});
