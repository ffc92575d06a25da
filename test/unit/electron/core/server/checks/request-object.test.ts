import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { exportJWK } from 'jose';
import { freezeClock } from '../../../../../../electron/core/clock';
import { verifyRequestObject } from '../../../../../../electron/core/server/checks/request-object';
import type { VerifyRequestObjectInput } from '../../../../../../electron/core/server/checks/request-object';
import type { ClientView, CredentialView } from '../../../../../../electron/core/server/state/types';
import type { TraceRecorder } from '../../../../../../electron/core/server/trace';
import type { TestKey } from './helpers';
import {
  b64json,
  clientView,
  credential,
  directory,
  expectRejection,
  hmacWithPublicKey,
  ISSUER,
  newTrace,
  NOW,
  NOW_MS,
  rsaKey,
  serverContext,
  sign,
  unsigned,
  withHeader,
} from './helpers';

let jarA: TestKey;
let pkjA: TestKey;
let jarB: TestKey;
let attacker: TestKey;
let clientA: ClientView;
let jarCredA: CredentialView;

beforeAll(async () => {
  [jarA, pkjA, jarB, attacker] = await Promise.all([rsaKey(), rsaKey(), rsaKey(), rsaKey()]);
});

beforeEach(() => freezeClock(NOW_MS));
afterEach(() => freezeClock(undefined));

function world(opts: { jarCreds?: CredentialView[]; clientPatch?: Partial<ClientView>; settings?: Parameters<typeof serverContext>[1] } = {}) {
  clientA = clientView('client-a', opts.clientPatch);
  jarCredA = credential('cred_jar_a', 'client-a', jarA);
  const dir = directory([clientA, clientView('client-b'), clientView('client-third', { is_first_party: false }), clientView('client-nojar')], {
    'client-a': { signed_request_object: opts.jarCreds ?? [jarCredA], private_key_jwt: [credential('cred_pkj_a', 'client-a', pkjA)] },
    'client-b': { signed_request_object: [credential('cred_jar_b', 'client-b', jarB)] },
    'client-third': { signed_request_object: [credential('cred_jar_t', 'client-third', jarB)] },
  });
  return serverContext(dir, opts.settings);
}

function payload(patch: Record<string, unknown> = {}): Record<string, unknown> {
  const base: Record<string, unknown> = {
    iss: 'client-a',
    aud: ISSUER,
    client_id: 'client-a',
    response_type: 'code',
    redirect_uri: 'https://app.example.com/callback',
    scope: 'openid profile',
    state: 'xyz',
    iat: NOW,
    exp: NOW + 120,
    jti: 'jar-1',
  };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) delete base[k];
    else base[k] = v;
  }
  return base;
}

function header(patch: Record<string, unknown> = {}): Record<string, unknown> & { alg: string } {
  return { alg: 'RS256', typ: 'oauth-authz-req+jwt', kid: jarA.thumbprint, ...patch } as Record<string, unknown> & { alg: string };
}

async function run(
  jwt: string,
  ctx = world(),
  over: Partial<VerifyRequestObjectInput> = {},
): Promise<{ result: Promise<Record<string, string>>; trace: TraceRecorder }> {
  const trace = newTrace(over.endpoint ?? 'authorize');
  const result = verifyRequestObject({
    jwt,
    client: over.client ?? clientA,
    outerParams: { client_id: 'client-a' },
    endpoint: 'authorize',
    ctx,
    trace,
    ...over,
  });
  return { result, trace };
}

const PARSE = { status: 400, error: 'invalid_request_object', description: 'could not parse request object' };
const VALIDATE = { status: 400, error: 'invalid_request_object', description: 'could not validate request object' };

describe('RFC 9101 JAR › verifying a request object', () => {
  it("returns the object's authorization parameters as strings, and traces every rule as passed", async () => {
    const ctx = world();
    const jwt = await sign(header(), payload({ max_age: 0, claims: { userinfo: { email: null } }, 'ext-color': 'red', custom: 'x' }), jarA);
    const { result, trace } = await run(jwt, ctx);
    expect(await result).toEqual({
      client_id: 'client-a',
      response_type: 'code',
      redirect_uri: 'https://app.example.com/callback',
      scope: 'openid profile',
      state: 'xyz',
      max_age: '0',
      claims: '{"userinfo":{"email":null}}',
      'ext-color': 'red',
    });
    expect(trace.rules.every((r) => r.passed)).toBe(true);
    expect(trace.rules.map((r) => r.id)).toEqual(
      expect.arrayContaining([
        'JWT-8',
        'JAR-9',
        'JWT-1',
        'JWT-7',
        'JAR-4',
        'JWT-2',
        'JAR-5',
        'JAR-6',
        'JAR-10',
        'JAR-11',
        'JAR-12',
        'JAR-2',
        'JAR-13',
        'JAR-15',
        'JAR-7',
        'JWT-10',
        'JAR-8',
      ]),
    );
    expect(trace.rules.find((r) => r.id === 'JAR-8')?.actual).toBe(`verified by cred_jar_a (kid ${jarA.thumbprint})`);
    expect(trace.clientId).toBe('client-a');
  });

  it('selects the key by alg when the header has no kid', async () => {
    const { result } = await run(await sign(header({ kid: undefined }), payload(), jarA));
    expect((await result).client_id).toBe('client-a');
  });

  it('picks the right one of two credentials by kid (A10)', async () => {
    const ctx = world({ jarCreds: [credential('cred_other', 'client-a', jarB, { alg: 'PS256' }), credential('cred_jar_a', 'client-a', jarA)] });
    const { result, trace } = await run(await sign(header(), payload(), jarA), ctx);
    await result;
    expect(trace.rules.find((r) => r.id === 'JAR-8')?.actual).toMatch(/cred_jar_a/);
  });

  it('verifies at the PAR endpoint against the authenticated client', async () => {
    const { result } = await run(await sign(header(), payload(), jarA), world(), { endpoint: 'par', outerParams: {} });
    expect((await result).response_type).toBe('code');
  });
});

describe('RFC 9101 JAR › JWT-1, JWT-7, JWT-8, JAR-9 decoding', () => {
  it('rejects a token that is not a compact JWS', async () => {
    const { result, trace } = await run('not-a-jwt');
    await expectRejection(result, trace, { ...PARSE, rule: 'JWT-1', message: /1 part/ });
  });

  it('X-23: rejects an encrypted (JWE) request object, also one wrapping an unsigned JWT', async () => {
    const jwe = `${b64json({ alg: 'RSA-OAEP-256', enc: 'A256GCM', cty: 'JWT' })}.${'a'.repeat(20)}.${'b'.repeat(16)}.${'c'.repeat(40)}.${'d'.repeat(22)}`;
    const { result, trace } = await run(jwe);
    await expectRejection(result, trace, {
      status: 400,
      error: 'invalid_request_object',
      description: 'encrypted request objects are not supported',
      rule: 'JAR-9',
    });
  });

  it('X-9: rejects a request object over 10 KB before decoding it', async () => {
    const { result, trace } = await run(await sign(header(), payload({ scope: 'x'.repeat(11_000) }), jarA));
    await expectRejection(result, trace, { status: 400, error: 'invalid_request_object', description: 'request object is too large', rule: 'JWT-8' });
  });

  it('rejects a duplicated claim', async () => {
    const signed = await sign(header(), payload(), jarA);
    const [h, , s] = signed.split('.');
    const dup = `${h}.${Buffer.from('{"iss":"client-a","iss":"client-b"}').toString('base64url')}.${s}`;
    const { result, trace } = await run(dup);
    await expectRejection(result, trace, { ...PARSE, rule: 'JWT-7', message: /"iss" twice/ });
  });
});

describe('RFC 9101 JAR › JAR-4 who may send request objects', () => {
  it('rejects a request object from a client without signed_request_object credentials', async () => {
    const ctx = world();
    const { result, trace } = await run(await sign(header(), payload({ iss: 'client-nojar', client_id: 'client-nojar' }), jarA), ctx, {
      client: clientView('client-nojar'),
      outerParams: { client_id: 'client-nojar' },
    });
    await expectRejection(result, trace, {
      status: 400,
      error: 'invalid_request_object',
      description: 'no credentials configured for request object verification',
      rule: 'JAR-4',
    });
  });

  it('rejects any request object from a third-party application with invalid_request', async () => {
    const { result, trace } = await run(await sign(header(), payload(), jarB), world(), { client: clientView('client-third', { is_first_party: false }) });
    await expectRejection(result, trace, {
      status: 400,
      error: 'invalid_request',
      description: 'JWT-secured authorization requests are not supported for third-party applications',
      rule: 'JAR-4',
    });
  });
});

describe('RFC 8725 › X-1 unsigned request objects', () => {
  it.each(['none', 'None', 'NONE'])('rejects alg %s with an empty signature', async (alg) => {
    const { result, trace } = await run(unsigned(header({ alg }), payload()));
    await expectRejection(result, trace, { ...PARSE, rule: 'JWT-2', message: /unsigned/ });
  });

  it('rejects an RS256 header with an empty signature at the signature check', async () => {
    const signed = await sign(header(), payload(), jarA);
    const { result, trace } = await run(`${signed.split('.').slice(0, 2).join('.')}.`);
    await expectRejection(result, trace, { ...VALIDATE, rule: 'JAR-8' });
  });
});

describe('RFC 8725 › X-2 HMAC with the public key as secret', () => {
  it("rejects HS256 signed with the client's public key PEM before any HMAC is computed", async () => {
    const { result, trace } = await run(hmacWithPublicKey({ typ: 'oauth-authz-req+jwt', kid: jarA.thumbprint }, payload(), jarA.publicPem));
    await expectRejection(result, trace, { ...PARSE, rule: 'JWT-2', message: /HMAC/ });
    expect(trace.rules.some((r) => r.id === 'JAR-8' || r.id === 'JWT-10')).toBe(false);
  });
});

describe("RFC 9101 JAR › X-3 alg different from the credential's", () => {
  it('rejects a PS256 request object for an RS256 credential, signed with the right key', async () => {
    const { result, trace } = await run(await sign(header({ alg: 'PS256' }), payload(), jarA));
    await expectRejection(result, trace, {
      status: 400,
      error: 'invalid_request_object',
      description: 'unsupported request object signing algorithm',
      rule: 'JAR-5',
      message: /registered for RS256/,
    });
  });

  it('rejects RS512 outright', async () => {
    const { result, trace } = await run(await sign(header({ alg: 'RS512' }), payload(), jarA));
    await expectRejection(result, trace, {
      status: 400,
      error: 'invalid_request_object',
      description: 'unsupported request object signing algorithm',
      rule: 'JAR-5',
    });
  });
});

describe('RFC 9101 JAR › X-4 keys of another client or slot (JAR-7, JWT-10)', () => {
  it("rejects a kid that belongs to another client's credential", async () => {
    const { result, trace } = await run(await sign(header({ kid: jarB.thumbprint }), payload(), jarB));
    await expectRejection(result, trace, { ...VALIDATE, rule: 'JAR-7', message: /No signed_request_object credential of this client has the kid/ });
  });

  it("rejects the kid of this client's private_key_jwt credential", async () => {
    const { result, trace } = await run(await sign(header({ kid: pkjA.thumbprint }), payload(), pkjA));
    await expectRejection(result, trace, { ...VALIDATE, rule: 'JAR-7', message: /names this client's private_key_jwt credential/ });
  });

  it('rejects an object signed with the private_key_jwt key and no kid, saying so', async () => {
    const { result, trace } = await run(await sign(header({ kid: undefined }), payload(), pkjA));
    await expectRejection(result, trace, { ...VALIDATE, rule: 'JAR-8', message: /private_key_jwt key/ });
  });

  it("rejects an object signed with another client's key and no kid", async () => {
    const { result, trace } = await run(await sign(header({ kid: undefined }), payload(), jarB));
    await expectRejection(result, trace, { ...VALIDATE, rule: 'JAR-8', message: /does not verify/ });
  });

  it('skips an expired credential (JWT-10)', async () => {
    const ctx = world({ jarCreds: [credential('cred_jar_a', 'client-a', jarA, { expires_at: '2025-12-31T23:59:59.000Z' })] });
    const { result, trace } = await run(await sign(header(), payload(), jarA), ctx);
    await expectRejection(result, trace, { ...VALIDATE, rule: 'JWT-10', message: /past expires_at/ });
  });

  it('still accepts the other, unexpired credential when one of two has expired', async () => {
    const ctx = world({
      jarCreds: [credential('cred_old', 'client-a', jarB, { expires_at: '2025-01-01T00:00:00.000Z' }), credential('cred_jar_a', 'client-a', jarA)],
    });
    const { result } = await run(await sign(header({ kid: undefined }), payload(), jarA), ctx);
    expect((await result).client_id).toBe('client-a');
  });
});

describe('RFC 8725 › X-5 keys embedded in the header (JWT-4)', () => {
  it("ignores an embedded jwk: the attacker's own key does not verify the object", async () => {
    const jwk = await exportJWK(attacker.publicKey);
    const { result, trace } = await run(await sign(header({ kid: undefined, jwk }), payload(), attacker));
    await expectRejection(result, trace, { ...VALIDATE, rule: 'JAR-8' });
    expect(trace.rules.find((r) => r.id === 'JWT-4')).toMatchObject({ passed: true, actual: 'jwk present and ignored (never fetched, never trusted)' });
  });

  it('never fetches jku or x5u', async () => {
    const { result, trace } = await run(
      await sign(header({ kid: undefined, jku: 'http://127.0.0.1:1/jwks', x5u: 'http://127.0.0.1:1/cert' }), payload(), attacker),
    );
    await expectRejection(result, trace, { ...VALIDATE, rule: 'JAR-8' });
  });
});

describe('RFC 7515 JWS › X-6 crit and b64', () => {
  it('rejects an unknown crit entry', async () => {
    const signed = await sign(header(), payload(), jarA);
    const { result, trace } = await run(withHeader(signed, { ...header(), crit: ['urn:example:unknown'], 'urn:example:unknown': true }));
    await expectRejection(result, trace, {
      status: 400,
      error: 'invalid_request_object',
      description: 'request object has unsupported critical header parameters',
      rule: 'JWT-3',
    });
  });

  it('rejects b64: false', async () => {
    const signed = await sign(header(), payload(), jarA);
    const { result, trace } = await run(withHeader(signed, { ...header(), b64: false, crit: ['b64'] }));
    await expectRejection(result, trace, {
      status: 400,
      error: 'invalid_request_object',
      description: 'request object has unsupported critical header parameters',
      rule: 'JWT-3',
    });
  });
});

describe('RFC 9101 JAR › X-7 time claims', () => {
  const WINDOW = { status: 400, error: 'invalid_request_object', description: 'request object expired / not yet valid' };
  it('rejects an expired request object (JAR-13)', async () => {
    const { result, trace } = await run(await sign(header(), payload({ exp: NOW - 60 }), jarA));
    await expectRejection(result, trace, { ...WINDOW, rule: 'JAR-13', message: /expired 60 seconds ago/ });
  });

  it('rejects nbf more than 10 s in the future (JAR-13) but tolerates 10 s', async () => {
    const late = await run(await sign(header(), payload({ nbf: NOW + 11 }), jarA));
    await expectRejection(late.result, late.trace, { ...WINDOW, rule: 'JAR-13' });
    const ok = await run(await sign(header(), payload({ nbf: NOW + 10 }), jarA));
    await expect(ok.result).resolves.toHaveProperty('client_id');
  });

  it('rejects iat more than 10 s in the future (JWT-9)', async () => {
    const { result, trace } = await run(await sign(header(), payload({ iat: NOW + 60 }), jarA));
    await expectRejection(result, trace, { status: 400, error: 'invalid_request_object', description: 'request object issued in the future', rule: 'JWT-9' });
  });

  it('rejects exp as a string (JWT-5)', async () => {
    const { result, trace } = await run(await sign(header(), payload({ exp: String(NOW + 60) }), jarA));
    await expectRejection(result, trace, {
      status: 400,
      error: 'invalid_request_object',
      description: 'request object has invalid time claims',
      rule: 'JWT-5',
    });
  });

  it('applies the simulated clock offset from Settings', async () => {
    const ctx = world({ settings: { clockOffsetSeconds: 3600 } });
    const { result, trace } = await run(await sign(header(), payload(), jarA), ctx);
    await expectRejection(result, trace, { ...WINDOW, rule: 'JAR-13' });
  });
});

describe('RFC 9101 JAR › X-14 client_id mismatches', () => {
  it("rejects a query client_id different from the object's (JAR-2)", async () => {
    const { result, trace } = await run(await sign(header(), payload({ client_id: 'client-b' }), jarA));
    await expectRejection(result, trace, { status: 400, error: 'invalid_request_object', description: 'client_id mismatch', rule: 'JAR-2' });
  });

  it('rejects a missing query client_id with invalid_request (JAR-2)', async () => {
    const { result, trace } = await run(await sign(header(), payload(), jarA), world(), { outerParams: {} });
    await expectRejection(result, trace, { status: 400, error: 'invalid_request', description: 'Missing required parameter: client_id', rule: 'JAR-2' });
  });

  it('rejects an iss that is not the client (JAR-10)', async () => {
    const { result, trace } = await run(await sign(header(), payload({ iss: 'client-b' }), jarA));
    await expectRejection(result, trace, { status: 400, error: 'invalid_request_object', description: 'invalid iss claim', rule: 'JAR-10' });
  });

  it('rejects at PAR an object naming another client than the authenticated one (PAR-11)', async () => {
    const { result, trace } = await run(await sign(header(), payload({ client_id: 'client-b' }), jarA), world(), { endpoint: 'par', outerParams: {} });
    await expectRejection(result, trace, {
      status: 400,
      error: 'invalid_request_object',
      description: 'request client_id must equal the authenticated client',
      rule: 'PAR-11',
    });
  });
});

describe('RFC 9101 JAR › claims', () => {
  it('rejects aud without the trailing slash (JAR-11)', async () => {
    const { result, trace } = await run(await sign(header(), payload({ aud: ISSUER.slice(0, -1) }), jarA));
    await expectRejection(result, trace, {
      status: 400,
      error: 'invalid_request_object',
      description: 'invalid aud claim',
      rule: 'JAR-11',
      message: /trailing slash/,
    });
  });

  it('JAR-6, Auth0 profile: accepts a missing typ (as express-openid-connect 3.4.0 sends) and traces it as passed with a note', async () => {
    const { result, trace } = await run(await sign(header({ typ: undefined }), payload(), jarA));
    await expect(result).resolves.toMatchObject({ client_id: 'client-a' });
    const jar6 = trace.rules.find((r) => r.id === 'JAR-6');
    expect(jar6).toMatchObject({ passed: true, actual: '(absent)' });
    expect(jar6?.note).toMatch(
      /Auth0's docs ask for one; Auth0's own express-openid-connect 3\.4\.0 sends none, so the Auth0 profile accepts it; a wrong typ is still refused/,
    );
    expect(trace.toTrace().rules.find((r) => r.id === 'JAR-6')?.note).toBe(jar6?.note);
  });

  it('JAR-6, Auth0 profile: still rejects a wrong typ', async () => {
    const { result, trace } = await run(await sign(header({ typ: 'at+jwt' }), payload(), jarA));
    await expectRejection(result, trace, { status: 400, error: 'invalid_request_object', description: 'invalid typ header', rule: 'JAR-6' });
  });

  it('JAR-6, strict profile: rejects a missing typ', async () => {
    const ctx = world({ jarCreds: [credential('cred_jar_a', 'client-a', jarA, { alg: 'PS256' })], settings: { profile: 'strict' } });
    const { result, trace } = await run(await sign(header({ typ: undefined, alg: 'PS256' }), payload(), jarA), ctx);
    await expectRejection(result, trace, { status: 400, error: 'invalid_request_object', description: 'invalid typ header', rule: 'JAR-6' });
  });

  it('X-10: rejects a nested request_uri (JAR-15)', async () => {
    const { result, trace } = await run(await sign(header(), payload({ request_uri: 'https://evil.example/ro' }), jarA));
    await expectRejection(result, trace, {
      status: 400,
      error: 'invalid_request_object',
      description: 'request object must not contain request or request_uri',
      rule: 'JAR-15',
    });
  });

  it('X-24: rejects a client assertion presented as a request object (JAR-12)', async () => {
    const assertion = { iss: 'client-a', sub: 'client-a', aud: ISSUER, jti: 'a-1', iat: NOW, exp: NOW + 60 };
    const { result, trace } = await run(await sign({ alg: 'RS256', typ: 'JWT', kid: jarA.thumbprint }, assertion, jarA));
    await expectRejection(result, trace, {
      status: 400,
      error: 'invalid_request_object',
      description: 'missing client_id/response_type claim',
      rule: 'JAR-12',
    });
  });
});

describe('RFC 9101 JAR › JAR-14 jti', () => {
  it('rejects a jti over 64 bytes', async () => {
    const { result, trace } = await run(await sign(header(), payload({ jti: 'j'.repeat(65) }), jarA));
    await expectRejection(result, trace, { status: 400, error: 'invalid_request_object', description: 'invalid jti claim', rule: 'JAR-14' });
  });

  it('accepts the same request object twice by default (Auth0 documents no replay check)', async () => {
    const ctx = world();
    const jwt = await sign(header(), payload(), jarA);
    await (
      await run(jwt, ctx)
    ).result;
    await expect((await run(jwt, ctx)).result).resolves.toHaveProperty('client_id');
  });

  it('rejects a replayed jti when the replay check is switched on', async () => {
    const ctx = world({ settings: { jarReplayCheck: true } });
    const jwt = await sign(header(), payload(), jarA);
    const first = await run(jwt, ctx);
    await first.result;
    expect(first.trace.rules.find((r) => r.id === 'JAR-14' && r.actual === 'first use')).toBeDefined();
    const second = await run(jwt, ctx);
    await expectRejection(second.result, second.trace, {
      status: 400,
      error: 'invalid_request_object',
      description: 'request object has already been used',
      rule: 'JAR-14',
    });
  });
});

describe('RFC 9101 JAR › strict and FAPI profiles', () => {
  it('rejects a response_type mismatch between query and object in strict mode (JAR-17)', async () => {
    const ctx = world({ jarCreds: [credential('cred_jar_a', 'client-a', jarA, { alg: 'PS256' })], settings: { profile: 'strict' } });
    const { result, trace } = await run(await sign(header({ alg: 'PS256' }), payload(), jarA), ctx, {
      outerParams: { client_id: 'client-a', response_type: 'token' },
    });
    await expectRejection(result, trace, { status: 400, error: 'invalid_request_object', description: 'response_type mismatch', rule: 'JAR-17' });
  });

  it('applies FAPI 2 limits to a client with a fapi2 compliance level: nbf is required (JAR-20)', async () => {
    const ctx = world({ jarCreds: [credential('cred_jar_a', 'client-a', jarA, { alg: 'PS256' })], clientPatch: { compliance_level: 'fapi2_sp_pkj_mtls' } });
    const { result, trace } = await run(await sign(header({ alg: 'PS256' }), payload(), jarA), ctx);
    await expectRejection(result, trace, {
      status: 400,
      error: 'invalid_request_object',
      description: 'request object nbf/exp outside the FAPI limits',
      rule: 'JAR-20',
    });
    const ok = await run(await sign(header({ alg: 'PS256' }), payload({ nbf: NOW }), jarA), ctx);
    await expect(ok.result).resolves.toHaveProperty('client_id');
  });
});
