import { describe, expect, it } from 'vitest';
import { evaluateAll } from '../../../../shared/jwt/rule';
import { CLIENT_ASSERTION_RULES } from '../../../../shared/jwt/rules/client-assertion';
import type { ClientAssertionContext } from '../../../../shared/jwt/contexts';
import { ISSUER, NOW, PAR_ENDPOINT, TOKEN_ENDPOINT, assertionContext, outcome } from './helpers';

const rule = (id: string, ctx: ClientAssertionContext) => outcome(CLIENT_ASSERTION_RULES, id, ctx);
const passes = (id: string, ctx: ClientAssertionContext) => expect(rule(id, ctx)).toMatchObject({ id, passed: true });
const fails = (id: string, ctx: ClientAssertionContext, message?: RegExp) => {
  const o = rule(id, ctx);
  expect(o).toMatchObject({ id, passed: false });
  if (message) expect(o?.message).toMatch(message);
  return o;
};

describe('RFC 7523 private_key_jwt › client-assertion rule set', () => {
  it('passes every rule for an assertion as Auth0 documents it', () => {
    const outcomes = evaluateAll(CLIENT_ASSERTION_RULES, assertionContext());
    expect(outcomes.filter((o) => !o.passed)).toEqual([]);
    expect(outcomes.map((o) => o.id)).toEqual(
      expect.arrayContaining(['PKJ-5', 'JWT-2', 'PKJ-6', 'JWT-3', 'JWT-5', 'JWT-6', 'PKJ-7', 'PKJ-8', 'PKJ-9', 'PKJ-10', 'JWT-9', 'PKJ-12']),
    );
  });

  it('answers every failure with the same generic 401 invalid_client (E-8)', () => {
    for (const r of CLIENT_ASSERTION_RULES) expect(r.wire).toEqual({ status: 401, error: 'invalid_client', description: 'Invalid client assertion' });
  });

  it('keeps the detail in the outcome: message, expected and actual', () => {
    const o = fails('PKJ-8', assertionContext({ payload: { aud: 'https://other.example/' } }));
    expect(o?.expected).toContain(ISSUER);
    expect(o?.actual).toBe('https://other.example/');
  });
});

describe('RFC 7523 private_key_jwt › PKJ-5 size limits', () => {
  it('accepts iss, sub and jti of 64 characters', () => passes('PKJ-5', assertionContext({ payload: { jti: 'j'.repeat(64) } })));
  it('rejects a jti longer than 64 characters', () => fails('PKJ-5', assertionContext({ payload: { jti: 'j'.repeat(65) } }), /jti is 65 characters/));
  it('rejects a long iss or sub', () =>
    fails('PKJ-5', assertionContext({ payload: { iss: 'c'.repeat(65), sub: 'c'.repeat(65) } }), /iss is 65 characters; sub is 65/));
  it('rejects an alg longer than 16 characters', () => fails('PKJ-5', assertionContext({ header: { alg: 'RS256RS256RS256RS' } }), /alg is 17 characters/));
});

describe('RFC 8725 › JWT-2 alg never none or HMAC (assertions)', () => {
  it.each(['none', 'None', 'NONE'])('rejects alg %s', (alg) => {
    fails('JWT-2', assertionContext({ header: { alg } }), /unsigned/);
  });
  it('rejects HS256', () => fails('JWT-2', assertionContext({ header: { alg: 'HS256' } }), /HMAC/));
  it('accepts RS256', () => passes('JWT-2', assertionContext()));
});

describe('RFC 7523 private_key_jwt › PKJ-6 alg', () => {
  it.each(['RS256', 'RS384', 'PS256'])('accepts %s with a matching credential', (alg) => {
    passes('PKJ-6', assertionContext({ header: { alg }, credentialAlgs: [alg] }));
  });
  it('rejects an alg outside RS256, RS384, PS256', () => fails('PKJ-6', assertionContext({ header: { alg: 'ES256' } }), /not accepted/));
  it('rejects a PS256 assertion for an RS256 credential', () =>
    fails('PKJ-6', assertionContext({ header: { alg: 'PS256' }, credentialAlgs: ['RS256'] }), /registered for RS256/));
  it('leaves none to JWT-2', () => expect(rule('PKJ-6', assertionContext({ header: { alg: 'none' } }))).toBeNull());
});

describe('RFC 7515 JWS › JWT-3, JWT-4 (assertions)', () => {
  it('rejects crit and b64', () => {
    fails('JWT-3', assertionContext({ header: { crit: ['b64'], b64: false } }));
    fails('JWT-3', assertionContext({ header: { crit: ['urn:example:ext'] } }));
  });
  it('notes an embedded jwk as ignored', () =>
    expect(rule('JWT-4', assertionContext({ header: { jwk: { kty: 'RSA', n: 'x', e: 'AQAB' } } }))).toMatchObject({ passed: true }));
});

describe('RFC 7519 JWT › JWT-5, JWT-6 (assertions)', () => {
  it('rejects exp as a string', () => fails('JWT-5', assertionContext({ payload: { exp: `${NOW + 60}` } })));
  it('rejects sub as a number', () => fails('JWT-6', assertionContext({ payload: { sub: 7 } }), /sub is a number/));
});

describe('RFC 7523 private_key_jwt › PKJ-7 iss = sub', () => {
  it('rejects iss different from sub', () =>
    fails('PKJ-7', assertionContext({ payload: { iss: 'client-b' } }), /iss "client-b" differs from its sub "client-a"/));
  it('rejects a missing iss or sub', () => {
    fails('PKJ-7', assertionContext({ payload: { iss: undefined } }), /no iss/);
    fails('PKJ-7', assertionContext({ payload: { sub: undefined, iss: undefined } }), /no iss and sub/);
  });
  it('accepts iss = sub', () => passes('PKJ-7', assertionContext()));
});

describe('RFC 7521 › PKJ-3 client_id parameter', () => {
  it('rejects a client_id parameter different from sub', () =>
    fails('PKJ-3', assertionContext({ clientIdParam: 'client-b' }), /"client-b" differs from the assertion's sub "client-a"/));
  it('accepts an equal client_id and does not apply without one', () => {
    passes('PKJ-3', assertionContext({ clientIdParam: 'client-a' }));
    expect(rule('PKJ-3', assertionContext())).toBeNull();
  });
});

describe('RFC 7523 private_key_jwt › PKJ-8 aud', () => {
  it('accepts the issuer, the token endpoint and the receiving PAR endpoint in the Auth0 profile', () => {
    passes('PKJ-8', assertionContext());
    passes('PKJ-8', assertionContext({ payload: { aud: TOKEN_ENDPOINT } }));
    passes('PKJ-8', assertionContext({ payload: { aud: PAR_ENDPOINT }, endpointUrl: PAR_ENDPOINT }));
    passes('PKJ-8', assertionContext({ payload: { aud: ['https://elsewhere.example/', ISSUER] } }));
  });
  it('rejects the PAR endpoint URL at the token endpoint', () => fails('PKJ-8', assertionContext({ payload: { aud: PAR_ENDPOINT } })));
  it('rejects the issuer without its trailing slash', () =>
    fails('PKJ-8', assertionContext({ payload: { aud: ISSUER.slice(0, -1) } }), /lacks the trailing slash/));
  it('rejects another server or tenant, and an array naming none of ours', () => {
    fails('PKJ-8', assertionContext({ payload: { aud: 'https://other-tenant.example.com/' } }), /does not identify this server/);
    fails('PKJ-8', assertionContext({ payload: { aud: ['https://a.example/', 'https://b.example/'] } }), /No member/);
    fails('PKJ-8', assertionContext({ payload: { aud: undefined } }), /no aud/);
  });
  it('accepts only the issuer as a single string in the strict profile', () => {
    passes('PKJ-8', assertionContext({ profile: 'strict', credentialAlgs: ['PS256'] }));
    fails('PKJ-8', assertionContext({ profile: 'strict', payload: { aud: [ISSUER] } }), /single string/);
    fails('PKJ-8', assertionContext({ profile: 'strict', payload: { aud: TOKEN_ENDPOINT } }));
  });
  it('accepts only the token endpoint in the Okta profile, or with audienceStyle token-endpoint', () => {
    passes('PKJ-8', assertionContext({ profile: 'okta', payload: { aud: TOKEN_ENDPOINT } }));
    fails('PKJ-8', assertionContext({ profile: 'okta' }));
    fails('PKJ-8', assertionContext({ audienceStyle: 'token-endpoint' }));
  });
});

describe('RFC 7523 private_key_jwt › PKJ-9 exp', () => {
  it('rejects a missing exp', () => fails('PKJ-9', assertionContext({ payload: { exp: undefined } }), /no exp/));
  it('rejects an exp in the past', () => fails('PKJ-9', assertionContext({ payload: { exp: NOW - 11, iat: NOW - 60 } }), /expired 11 seconds ago/));
  it('accepts an exp in the future (and within the skew)', () => {
    passes('PKJ-9', assertionContext());
    passes('PKJ-9', assertionContext({ payload: { exp: NOW - 5 } }));
  });
});

describe('RFC 7523 private_key_jwt › PKJ-10 lifetime', () => {
  it("rejects exp − iat over 300 s with Auth0's log text", () => {
    const o = fails('PKJ-10', assertionContext({ payload: { exp: NOW + 301 } }));
    expect(o?.message).toBe("'exp' claim must specify a time that is no more than 5 minutes after 'iat'");
    expect(o?.actual).toBe('exp − iat = 301 s');
  });
  it('accepts exactly 300 s', () => passes('PKJ-10', assertionContext({ payload: { exp: NOW + 300 } })));
  it('without iat, measures exp − now with the skew', () => {
    passes('PKJ-10', assertionContext({ payload: { iat: undefined, exp: NOW + 310 } }));
    fails('PKJ-10', assertionContext({ payload: { iat: undefined, exp: NOW + 311 } }), /no 'iat'/);
  });
  it('allows an hour in the Okta profile', () => passes('PKJ-10', assertionContext({ profile: 'okta', payload: { exp: NOW + 3600 } })));
});

describe('RFC 7523 private_key_jwt › PKJ-11 nbf, JWT-9 iat', () => {
  it('rejects nbf more than 10 s in the future', () => fails('PKJ-11', assertionContext({ payload: { nbf: NOW + 11 } })));
  it('accepts nbf within the skew, and does not apply without nbf', () => {
    passes('PKJ-11', assertionContext({ payload: { nbf: NOW + 10 } }));
    expect(rule('PKJ-11', assertionContext())).toBeNull();
  });
  it('rejects iat more than 10 s in the future', () => fails('JWT-9', assertionContext({ payload: { iat: NOW + 11, exp: NOW + 100 } })));
});

describe('RFC 7523 private_key_jwt › PKJ-12 jti', () => {
  it('rejects a missing or empty jti', () => {
    fails('PKJ-12', assertionContext({ payload: { jti: undefined } }), /no jti/);
    fails('PKJ-12', assertionContext({ payload: { jti: '' } }), /empty/);
  });
  it('accepts a jti', () => passes('PKJ-12', assertionContext()));
});

describe('RFC 7523 private_key_jwt › X-24 cross-JWT confusion', () => {
  it('rejects a request object presented as an assertion (no sub)', () => {
    const ctx = assertionContext({ payload: { sub: undefined, client_id: 'client-a', response_type: 'code' } });
    expect(
      evaluateAll(CLIENT_ASSERTION_RULES, ctx)
        .filter((o) => !o.passed)
        .map((o) => o.id),
    ).toContain('PKJ-7');
  });
});
