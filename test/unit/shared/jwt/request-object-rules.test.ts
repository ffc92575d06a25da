import { describe, expect, it } from 'vitest';
import { evaluateAll } from '../../../../shared/jwt/rule';
import { REQUEST_OBJECT_RULES } from '../../../../shared/jwt/rules/request-object';
import { AUTH0_MISSING_TYP_NOTE } from '../../../../shared/jwt/profiles';
import type { RequestObjectContext } from '../../../../shared/jwt/contexts';
import { ISSUER, NOW, jarContext, outcome } from './helpers';

const rule = (id: string, ctx: RequestObjectContext) => outcome(REQUEST_OBJECT_RULES, id, ctx);
const passes = (id: string, ctx: RequestObjectContext) => expect(rule(id, ctx)).toMatchObject({ id, passed: true });
const fails = (id: string, ctx: RequestObjectContext, message?: RegExp) => {
  const o = rule(id, ctx);
  expect(o).toMatchObject({ id, passed: false });
  if (message) expect(o?.message).toMatch(message);
  return o;
};

describe('RFC 9101 JAR › request-object rule set', () => {
  it('passes every rule for a request object as Auth0 documents it', () => {
    const outcomes = evaluateAll(REQUEST_OBJECT_RULES, jarContext());
    expect(outcomes.filter((o) => !o.passed)).toEqual([]);
    expect(outcomes.map((o) => o.id)).toEqual(
      expect.arrayContaining(['JWT-2', 'JAR-5', 'JAR-6', 'JWT-3', 'JAR-10', 'JAR-11', 'JAR-12', 'JAR-2', 'JAR-13', 'JAR-14', 'JAR-15', 'JAR-17']),
    );
  });

  it("answers every failure with 400 invalid_request_object and the spec's suggested description", () => {
    const wires = Object.fromEntries(REQUEST_OBJECT_RULES.map((r) => [r.id, r.wire]));
    for (const wire of Object.values(wires)) expect(wire).toMatchObject({ status: 400, error: 'invalid_request_object' });
    expect(wires['JWT-2']?.description).toBe('could not parse request object');
    expect(wires['JAR-2']?.description).toBe('client_id mismatch');
    expect(wires['JAR-5']?.description).toBe('unsupported request object signing algorithm');
    expect(wires['JAR-6']?.description).toBe('invalid typ header');
    expect(wires['JAR-10']?.description).toBe('invalid iss claim');
    expect(wires['JAR-11']?.description).toBe('invalid aud claim');
    expect(wires['JAR-12']?.description).toBe('missing client_id/response_type claim');
    expect(wires['JAR-13']?.description).toBe('request object expired / not yet valid');
    expect(wires['JAR-15']?.description).toBe('request object must not contain request or request_uri');
    expect(wires['JAR-17']?.description).toBe('response_type mismatch');
    expect(wires['PAR-11']?.description).toBe('request client_id must equal the authenticated client');
  });

  it('has unique ids, and a summary, fix and source for every rule', () => {
    const ids = REQUEST_OBJECT_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of REQUEST_OBJECT_RULES) expect(r.summary && r.fix && r.source).toBeTruthy();
  });
});

describe('RFC 8725 › JWT-2 alg never none or HMAC', () => {
  it.each(['none', 'None', 'NONE'])('rejects alg %s as unsigned', (alg) => {
    fails('JWT-2', jarContext({ header: { alg } }), /unsigned/);
  });
  it.each(['HS256', 'HS384', 'hs512'])('rejects the HMAC alg %s', (alg) => {
    fails('JWT-2', jarContext({ header: { alg } }), /HMAC/);
  });
  it('rejects a missing or non-string alg', () => {
    fails('JWT-2', jarContext({ header: { alg: undefined } }));
    fails('JWT-2', jarContext({ header: { alg: 256 } }));
  });
  it('accepts an asymmetric alg', () => passes('JWT-2', jarContext()));
});

describe('RFC 9101 JAR › JAR-5 alg', () => {
  it.each(['RS256', 'RS384', 'PS256'])('accepts %s when the credential is registered for it', (alg) => {
    passes('JAR-5', jarContext({ header: { alg }, credentialAlgs: [alg] }));
  });
  it('rejects algs Auth0 does not accept', () => {
    fails('JAR-5', jarContext({ header: { alg: 'ES256' } }), /ES256 is not accepted; use RS256, RS384 or PS256/);
    fails('JAR-5', jarContext({ header: { alg: 'RS512' } }));
  });
  it("rejects an alg different from the credential's (PS256 header, RS256 credential)", () => {
    fails('JAR-5', jarContext({ header: { alg: 'PS256' }, credentialAlgs: ['RS256'] }), /signed with PS256, but the credential is registered for RS256/);
  });
  it('leaves none and HMAC to JWT-2', () => {
    expect(rule('JAR-5', jarContext({ header: { alg: 'none' } }))).toBeNull();
    expect(rule('JAR-5', jarContext({ header: { alg: 'HS256' } }))).toBeNull();
  });
  it('accepts only PS256 and ES256 in the strict profile', () => {
    fails('JAR-5', jarContext({ header: { alg: 'RS256' }, profile: 'strict' }));
    passes('JAR-5', jarContext({ header: { alg: 'PS256' }, profile: 'strict', credentialAlgs: ['PS256'] }));
  });
});

describe('RFC 9101 JAR › JAR-6 typ', () => {
  it.each(['jwt', 'JWT', 'oauth-authz-req+jwt', 'application/oauth-authz-req+jwt', 'Application/JWT'])('accepts typ %s', (typ) => {
    passes('JAR-6', jarContext({ header: { typ } }));
  });
  it('accepts a missing typ in the Auth0 profile, with a note saying why (express-openid-connect 3.4.0 sends none)', () => {
    const o = rule('JAR-6', jarContext({ header: { typ: undefined } }));
    expect(o).toMatchObject({ id: 'JAR-6', passed: true, actual: '(absent)' });
    expect(o?.note).toBe(AUTH0_MISSING_TYP_NOTE);
    expect(o?.note).toMatch(
      /Auth0's docs ask for one; Auth0's own express-openid-connect 3\.4\.0 sends none, so the Auth0 profile accepts it; a wrong typ is still refused/,
    );
  });
  it('gives no note when the typ is there', () => expect(rule('JAR-6', jarContext())?.note).toBeUndefined());
  it('rejects a missing typ in the strict, FAPI 1 and FAPI 2 profiles', () => {
    for (const profile of ['strict', 'fapi1', 'fapi2'] as const) fails('JAR-6', jarContext({ header: { typ: undefined }, profile }), /no typ/);
  });
  it('rejects another typ, in the Auth0 profile too', () => {
    fails('JAR-6', jarContext({ header: { typ: 'at+jwt' } }));
    fails('JAR-6', jarContext({ header: { typ: 5 } }));
  });
  it('requires oauth-authz-req+jwt in the strict profile', () => {
    fails('JAR-6', jarContext({ header: { typ: 'JWT' }, profile: 'strict' }));
    passes('JAR-6', jarContext({ header: { typ: 'oauth-authz-req+jwt' }, profile: 'strict' }));
  });
  it('does not require typ in the Okta profile', () => {
    expect(rule('JAR-6', jarContext({ header: { typ: undefined }, profile: 'okta' }))).toBeNull();
  });
});

describe('RFC 7515 JWS › JWT-3 crit', () => {
  it('rejects crit listing extensions', () => fails('JWT-3', jarContext({ header: { crit: ['exp'], exp: 1 } }), /critical/));
  it('rejects an unencoded payload (b64: false)', () => fails('JWT-3', jarContext({ header: { b64: false, crit: ['b64'] } }), /unencoded/));
  it('rejects b64: false even without crit', () => fails('JWT-3', jarContext({ header: { b64: false } })));
  it('accepts a header without crit', () => passes('JWT-3', jarContext()));
});

describe('RFC 8725 › JWT-4 keys in the header', () => {
  it('records embedded jwk, jku, x5u and x5c as ignored, never as a failure', () => {
    const o = rule('JWT-4', jarContext({ header: { jwk: { kty: 'RSA' }, jku: 'https://evil.example/jwks', x5c: ['MII'] } }));
    expect(o).toMatchObject({ passed: true });
    expect(o?.actual).toMatch(/jwk, jku, x5c present and ignored/);
  });
  it('is not recorded when the header carries no key', () => expect(rule('JWT-4', jarContext())).toBeNull());
});

describe('RFC 7519 JWT › JWT-5 NumericDate', () => {
  it('rejects exp, nbf or iat given as strings', () => {
    fails('JWT-5', jarContext({ payload: { exp: String(NOW + 60) } }), /exp must be a number/);
    fails('JWT-5', jarContext({ payload: { nbf: '2026-01-01T00:00:00Z', iat: null } }), /nbf, iat must be numbers/);
  });
  it('accepts numbers, including fractional ones', () => passes('JWT-5', jarContext({ payload: { iat: NOW + 0.5 } })));
});

describe('RFC 7519 JWT › JWT-6 claim types', () => {
  it('rejects a non-string iss, sub or jti', () => {
    fails('JWT-6', jarContext({ payload: { iss: 1 } }), /iss is a number/);
    fails('JWT-6', jarContext({ payload: { jti: ['x'] } }), /jti is an array/);
  });
  it('rejects an aud that is neither a string nor an array of strings', () => {
    fails('JWT-6', jarContext({ payload: { aud: { a: 1 } } }));
    fails('JWT-6', jarContext({ payload: { aud: [ISSUER, 1] } }), /non-string member/);
  });
  it('accepts a string aud and an array aud', () => {
    passes('JWT-6', jarContext());
    passes('JWT-6', jarContext({ payload: { aud: [ISSUER, 'x'] } }));
  });
});

describe('RFC 9101 JAR › JAR-10 iss', () => {
  it('rejects a missing iss', () => fails('JAR-10', jarContext({ payload: { iss: undefined } }), /no iss/));
  it('rejects an iss that is not the client', () =>
    fails('JAR-10', jarContext({ payload: { iss: 'client-b' } }), /"client-b" is not the client_id "client-a"/));
  it('accepts the client_id as iss', () => passes('JAR-10', jarContext()));
});

describe('RFC 9101 JAR › JAR-11 aud', () => {
  it('accepts the issuer with its trailing slash', () => passes('JAR-11', jarContext()));
  it('rejects aud without the trailing slash', () => {
    fails('JAR-11', jarContext({ payload: { aud: ISSUER.slice(0, -1) } }), /lacks the issuer's trailing slash/);
  });
  it("rejects another server's aud and a missing aud", () => {
    fails('JAR-11', jarContext({ payload: { aud: 'https://other.example.com/' } }), /not this server's issuer/);
    fails('JAR-11', jarContext({ payload: { aud: undefined } }), /no aud/);
  });
  it('accepts an array containing the issuer in the Auth0 profile', () => passes('JAR-11', jarContext({ payload: { aud: ['https://x.example/', ISSUER] } })));
  it('rejects an array without the issuer', () => fails('JAR-11', jarContext({ payload: { aud: ['https://x.example/'] } }), /does not contain/));
  it('rejects any array in the strict profile', () => {
    fails('JAR-11', jarContext({ payload: { aud: [ISSUER] }, profile: 'strict' }), /single string/);
  });
});

describe('RFC 9101 JAR › JAR-12 required claims', () => {
  it('rejects a request object without client_id or response_type', () => {
    fails('JAR-12', jarContext({ payload: { client_id: undefined } }), /lacks client_id/);
    fails('JAR-12', jarContext({ payload: { response_type: undefined, client_id: undefined } }), /client_id and response_type/);
    fails('JAR-12', jarContext({ payload: { response_type: ['code'] } }));
  });
  it('accepts both as strings', () => passes('JAR-12', jarContext()));
});

describe('RFC 9101 JAR › JAR-2 query client_id', () => {
  it("rejects a query client_id different from the object's", () => {
    fails('JAR-2', jarContext({ outerParams: { client_id: 'client-b' } }), /differs from the query's client_id "client-b"/);
  });
  it('accepts the same client_id', () => passes('JAR-2', jarContext()));
  it('compares with the authorized client when no query is given (composer)', () => {
    const { outerParams: _ignored, ...ctx } = jarContext();
    fails('JAR-2', { ...ctx, clientId: 'client-b' });
  });
  it('does not apply at the PAR endpoint', () => expect(rule('JAR-2', jarContext({ endpoint: 'par' }))).toBeNull());
});

describe('RFC 9126 PAR › PAR-11 authenticated client', () => {
  it('rejects a pushed request object whose client_id is not the authenticated client', () => {
    fails('PAR-11', jarContext({ endpoint: 'par', clientId: 'client-b', outerParams: {} }), /not the authenticated client "client-b"/);
  });
  it("accepts the authenticated client's own request object", () => passes('PAR-11', jarContext({ endpoint: 'par', outerParams: {} })));
  it('does not apply at /authorize', () => expect(rule('PAR-11', jarContext())).toBeNull());
});

describe('RFC 7519 JWT › JWT-9 iat skew', () => {
  it('accepts iat up to 10 s in the future', () => passes('JWT-9', jarContext({ payload: { iat: NOW + 10 } })));
  it('rejects iat more than 10 s in the future', () => fails('JWT-9', jarContext({ payload: { iat: NOW + 11 } }), /11 seconds in the future/));
});

describe('RFC 9101 JAR › JAR-13 validity window', () => {
  it('rejects an expired request object', () => fails('JAR-13', jarContext({ payload: { exp: NOW - 60 } }), /expired 60 seconds ago/));
  it('rejects nbf more than 10 s in the future', () => fails('JAR-13', jarContext({ payload: { nbf: NOW + 30 } }), /not valid for another 30 seconds/));
  it('tolerates 10 s of skew on exp and nbf', () => passes('JAR-13', jarContext({ payload: { exp: NOW - 9, nbf: NOW + 10 } })));
  it('allows a request object without exp in the Auth0 profile but not in FAPI 2', () => {
    expect(rule('JAR-13', jarContext({ payload: { exp: undefined, nbf: undefined } }))).toBeNull();
    fails('JAR-13', jarContext({ payload: { exp: undefined }, profile: 'fapi2' }), /requires an exp/);
  });
});

describe('FAPI › JAR-20 nbf and exp limits', () => {
  it('does not apply in the Auth0 profile', () => expect(rule('JAR-20', jarContext())).toBeNull());
  it('requires nbf and exp', () => fails('JAR-20', jarContext({ profile: 'fapi1', payload: { nbf: undefined } }), /requires both nbf and exp/));
  it('rejects nbf older than 60 minutes', () => fails('JAR-20', jarContext({ profile: 'fapi2', payload: { nbf: NOW - 3601 } }), /nbf is 3601 seconds old/));
  it('rejects exp more than 60 minutes after nbf', () =>
    fails('JAR-20', jarContext({ profile: 'fapi2', payload: { exp: NOW + 3601 } }), /3601 seconds after nbf/));
  it('accepts a FAPI-shaped request object', () => passes('JAR-20', jarContext({ profile: 'fapi2' })));
});

describe('RFC 9101 JAR › JAR-14 jti', () => {
  it('accepts a jti of 64 bytes', () => passes('JAR-14', jarContext({ payload: { jti: 'j'.repeat(64) } })));
  it('rejects a jti longer than 64 bytes, counting UTF-8 bytes', () => {
    fails('JAR-14', jarContext({ payload: { jti: 'j'.repeat(65) } }), /65 bytes/);
    fails('JAR-14', jarContext({ payload: { jti: 'é'.repeat(33) } }), /66 bytes/);
  });
  it('allows a request object without jti', () => expect(rule('JAR-14', jarContext({ payload: { jti: undefined } }))).toBeNull());
});

describe('RFC 9101 JAR › JAR-15 no nesting', () => {
  it('rejects request or request_uri inside the object', () => {
    fails('JAR-15', jarContext({ payload: { request_uri: 'urn:ietf:params:oauth:request_uri:x' } }), /contains request_uri/);
    fails('JAR-15', jarContext({ payload: { request: 'a.b.c' } }));
  });
  it('accepts an object without them', () => passes('JAR-15', jarContext()));
});

describe('RFC 9101 JAR › JAR-17 response_type mismatch', () => {
  const mismatch = { outerParams: { client_id: 'client-a', response_type: 'id_token' } };
  it('rejects a mismatch in the strict profile', () => fails('JAR-17', jarContext({ ...mismatch, profile: 'strict' }), /differs/));
  it("lets the object's value win in the Auth0 profile, noting the ignored query value", () => {
    const o = rule('JAR-17', jarContext(mismatch));
    expect(o).toMatchObject({ passed: true });
    expect(o?.actual).toMatch(/ignored/);
  });
  it('accepts equal values and does not apply without a query value', () => {
    passes('JAR-17', jarContext({ profile: 'strict' }));
    expect(rule('JAR-17', jarContext({ outerParams: { client_id: 'client-a' } }))).toBeNull();
  });
});

describe('RFC 9101 JAR › X-24 cross-JWT confusion', () => {
  it('rejects a client assertion presented as a request object (no client_id/response_type)', () => {
    const ctx = jarContext({ header: { typ: 'JWT' }, payload: { client_id: undefined, response_type: undefined, sub: 'client-a' } });
    expect(
      evaluateAll(REQUEST_OBJECT_RULES, ctx)
        .filter((o) => !o.passed)
        .map((o) => o.id),
    ).toEqual(['JAR-12']);
  });
});
