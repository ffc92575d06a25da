/**
 * Fuzzing the shared JWT decoder and the composer's lint (fast-check, fixed seeds): random, structurally
 * broken and mutated JWTs (from tokens that were valid), arbitrary values where a string is expected, and
 * random contexts. The decoder throws nothing but its documented JwtDecodeError (with a documented code);
 * the lint never throws and never falls back to "could not be analysed" (which would mean a rule crashed).
 */
import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { JwtDecodeError, decodeCompactJwt } from '../../shared/jwt/decode';
import type { JwtDecodeErrorCode } from '../../shared/jwt/decode';
import { lintClientAssertion, lintRequestObject } from '../../shared/jwt/lint';
import type { ClientAssertionLintContext, RequestObjectLintContext } from '../../shared/jwt/lint';
import { AUDIENCE_STYLES, PROFILES } from '../../shared/jwt/profiles';
import type { AudienceStyle, ProfileId } from '../../shared/jwt/profiles';
import type { RuleOutcome } from '../../shared/jwt/rule';
import { jwtish, mutation } from './arbitraries';
import { fuzzParams } from './harness';

const CODES: readonly JwtDecodeErrorCode[] = [
  'empty',
  'too-large',
  'json-serialization',
  'jwe',
  'wrong-part-count',
  'bad-base64url',
  'not-json',
  'not-object',
  'duplicate-member',
];
const ISSUER = 'https://tenant.example.com/';
const NOW = 1_767_225_600;

const valid: string[] = [];
beforeAll(async () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  valid.push(
    await new SignJWT({
      iss: 'client-a',
      aud: ISSUER,
      client_id: 'client-a',
      response_type: 'code',
      redirect_uri: 'https://app.example.com/cb',
      scope: 'openid',
      state: 's',
      nonce: 'n',
      iat: NOW,
      nbf: NOW,
      exp: NOW + 60,
      jti: 'j1',
    })
      .setProtectedHeader({ alg: 'PS256', typ: 'oauth-authz-req+jwt', kid: 'k' })
      .sign(privateKey),
    await new SignJWT({ iss: 'client-a', sub: 'client-a', aud: `${ISSUER}oauth/token`, iat: NOW, exp: NOW + 60, jti: 'j2' })
      .setProtectedHeader({ alg: 'RS256' })
      .sign(privateKey),
    await new SignJWT({ iss: 'client-a', sub: 'client-a', aud: [ISSUER, 'x'], iat: NOW, exp: NOW + 600 })
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
      .sign(ec),
  );
});

/** Anything a caller might pass, typed or not. */
const tokenInput = () =>
  fc.oneof(
    { weight: 4, arbitrary: jwtish },
    {
      weight: 4,
      arbitrary: fc.tuple(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([i, ms]) => ms.reduce((t, m) => m(t), valid[i % valid.length]!)),
    },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 100 }) },
  );

function expectDecodeOutcome(run: () => unknown): void {
  try {
    const d = run() as ReturnType<typeof decodeCompactJwt>;
    expect(typeof d.header === 'object' && d.header !== null && !Array.isArray(d.header)).toBe(true);
    expect(typeof d.payload === 'object' && d.payload !== null && !Array.isArray(d.payload)).toBe(true);
  } catch (e) {
    if (!(e instanceof JwtDecodeError)) throw new Error(`decodeCompactJwt threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`, { cause: e });
    expect(CODES).toContain(e.code);
  }
}

describe('Fuzz › JWT decoder', () => {
  it('throws nothing but JwtDecodeError, with a documented code, for any string and any size cap', () => {
    fc.assert(
      fc.property(tokenInput(), fc.oneof(fc.constantFrom(0, 1, 2048, 10_240, 1_100_000), fc.nat({ max: 100_000 })), (token, maxBytes) => {
        expectDecodeOutcome(() => {
          const d = decodeCompactJwt(token, { maxBytes });
          expect(d.bytes).toBeLessThanOrEqual(maxBytes);
          expect(token.startsWith(`${d.signingInput}.`)).toBe(true);
          return d;
        });
      }),
      fuzzParams(0xdec0de, 3000),
    );
  });

  it('refuses values that are not strings with its own error, whatever reaches it from untyped JSON', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        expectDecodeOutcome(() => decodeCompactJwt(value as string, { maxBytes: 2048 }));
      }),
      fuzzParams(0xdec1, 500),
    );
  });
});

describe('Fuzz › composer lint', () => {
  const profile = fc.constantFrom(...(Object.keys(PROFILES) as ProfileId[]));
  const algs = fc.option(fc.array(fc.constantFrom('RS256', 'PS256', 'ES256', 'HS256', 'none', ''), { maxLength: 3 }), { nil: undefined });
  const roCtx: fc.Arbitrary<RequestObjectLintContext> = fc
    .record({
      issuer: fc.constantFrom(ISSUER, 'https://tenant.example.com', ''),
      clientId: fc.constantFrom('client-a', '', 'x'.repeat(200)),
      profile,
      now: fc.oneof(fc.constant(NOW), fc.integer(), fc.double()),
      endpoint: fc.constantFrom('authorize' as const, 'par' as const),
      credentialAlgs: algs,
      outerParams: fc.option(
        fc.dictionary(
          fc.constantFrom('client_id', 'response_type', 'scope', 'redirect_uri', 'request', '__proto__', 'constructor'),
          fc.string({ maxLength: 20 }),
        ),
        { nil: undefined },
      ),
    })
    .map((c) => Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)) as unknown as RequestObjectLintContext);
  const caCtx: fc.Arbitrary<ClientAssertionLintContext> = fc
    .record({
      issuer: fc.constantFrom(ISSUER, ''),
      tokenEndpoint: fc.constantFrom(`${ISSUER}oauth/token`, ''),
      endpointUrl: fc.constantFrom(`${ISSUER}oauth/token`, `${ISSUER}oauth/par`),
      clientIdParam: fc.option(fc.constantFrom('client-a', ''), { nil: undefined }),
      profile,
      now: fc.oneof(fc.constant(NOW), fc.integer(), fc.double()),
      credentialAlgs: algs,
      audienceStyle: fc.option(fc.constantFrom(...(Object.keys(AUDIENCE_STYLES) as AudienceStyle[])), { nil: undefined }),
    })
    .map((c) => Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)) as unknown as ClientAssertionLintContext);

  /** A draft the composer holds: any JSON (or not-quite-JSON) header and payload. */
  const hostile = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.dictionary(
      fc.constantFrom(
        'alg',
        'typ',
        'kid',
        'crit',
        'b64',
        'jwk',
        'iss',
        'sub',
        'aud',
        'exp',
        'nbf',
        'iat',
        'jti',
        'client_id',
        'response_type',
        'redirect_uri',
        'request',
        'request_uri',
        'scope',
        'max_age',
        'claims',
      ),
      fc.anything({ maxDepth: 2 }),
      { maxKeys: 10 },
    ),
    fc.constant(JSON.parse('{"__proto__":{"alg":"none"},"constructor":{"prototype":{}},"alg":"RS256"}') as unknown),
  );
  const input = fc.oneof(tokenInput(), fc.record({ header: hostile, payload: hostile }));

  function expectAnalysed(outcomes: RuleOutcome[], value: unknown): void {
    expect(Array.isArray(outcomes)).toBe(true);
    const crashed = outcomes.find((o) => o.actual === 'unreadable');
    if (crashed) throw new Error(`a rule crashed on ${JSON.stringify(value)?.slice(0, 500)}: ${crashed.message}`);
    for (const o of outcomes) expect(typeof o.id === 'string' && typeof o.passed === 'boolean').toBe(true);
    const firstPass = outcomes.findIndex((o) => o.passed);
    if (firstPass >= 0) expect(outcomes.slice(firstPass).every((o) => o.passed)).toBe(true);
  }

  it('never throws and no rule crashes, for any token or draft, in every profile and context', () => {
    fc.assert(
      fc.property(input, roCtx, caCtx, (value, ro, ca) => {
        expectAnalysed(lintRequestObject(value as string, ro), value);
        expectAnalysed(lintClientAssertion(value as string, ca), value);
      }),
      fuzzParams(0x11a7, 2000),
    );
  });
});
