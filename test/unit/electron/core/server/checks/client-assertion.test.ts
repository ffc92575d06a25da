import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { exportJWK } from 'jose';
import { freezeClock } from '../../../../../../electron/core/clock';
import { JWT_BEARER_ASSERTION_TYPE, verifyClientAssertion } from '../../../../../../electron/core/server/checks/client-assertion';
import type { VerifyClientAssertionInput } from '../../../../../../electron/core/server/checks/client-assertion';
import { replayKey } from '../../../../../../electron/core/server/checks/jwt-credentials';
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
  PAR_URL,
  rsaKey,
  serverContext,
  sign,
  TOKEN_URL,
  unsigned,
  withHeader,
} from './helpers';

let pkjA: TestKey;
let jarA: TestKey;
let pkjB: TestKey;
let attacker: TestKey;

beforeAll(async () => {
  [pkjA, jarA, pkjB, attacker] = await Promise.all([rsaKey(), rsaKey(), rsaKey(), rsaKey()]);
});

beforeEach(() => freezeClock(NOW_MS));
afterEach(() => freezeClock(undefined));

function world(opts: { pkjCreds?: CredentialView[]; clientPatch?: Partial<ClientView>; settings?: Parameters<typeof serverContext>[1] } = {}) {
  const dir = directory(
    [
      clientView('client-a', opts.clientPatch),
      clientView('client-b'),
      clientView('client-secret', { private_key_jwt: false, token_endpoint_auth_method: 'client_secret_post', client_secret: 's3cret' }),
      clientView('client-empty'),
    ],
    {
      'client-a': {
        private_key_jwt: opts.pkjCreds ?? [credential('cred_pkj_a', 'client-a', pkjA)],
        signed_request_object: [credential('cred_jar_a', 'client-a', jarA)],
      },
      'client-b': { private_key_jwt: [credential('cred_pkj_b', 'client-b', pkjB)] },
      'client-secret': { private_key_jwt: [credential('cred_pkj_s', 'client-secret', pkjB)] },
    },
  );
  return serverContext(dir, opts.settings);
}

let jtiCounter = 0;
function payload(patch: Record<string, unknown> = {}): Record<string, unknown> {
  const base: Record<string, unknown> = { iss: 'client-a', sub: 'client-a', aud: ISSUER, iat: NOW, exp: NOW + 60, jti: `jti-${++jtiCounter}` };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) delete base[k];
    else base[k] = v;
  }
  return base;
}

function header(patch: Record<string, unknown> = {}): Record<string, unknown> & { alg: string } {
  return { alg: 'RS256', kid: pkjA.thumbprint, ...patch } as Record<string, unknown> & { alg: string };
}

async function run(
  assertion: string,
  ctx = world(),
  over: Partial<VerifyClientAssertionInput> = {},
): Promise<{ result: ReturnType<typeof verifyClientAssertion>; trace: TraceRecorder }> {
  const trace = newTrace('token');
  const result = verifyClientAssertion({
    assertion,
    assertionType: JWT_BEARER_ASSERTION_TYPE,
    clientIdParam: undefined,
    endpointUrl: TOKEN_URL,
    ctx,
    trace,
    ...over,
  });
  return { result, trace };
}

const INVALID = { status: 401, error: 'invalid_client', description: 'Invalid client assertion' };

describe('RFC 7523 private_key_jwt › authenticating with a client assertion', () => {
  it('returns the client and the credential that verified it, and traces every rule as passed', async () => {
    const { result, trace } = await run(await sign(header(), payload(), pkjA));
    const { client, credential: used } = await result;
    expect(client.client_id).toBe('client-a');
    expect(used.id).toBe('cred_pkj_a');
    expect(trace.clientId).toBe('client-a');
    expect(trace.rules.every((r) => r.passed)).toBe(true);
    expect(trace.rules.map((r) => r.id)).toEqual([
      'PKJ-1',
      'JWT-8',
      'JWT-1',
      'JWT-7',
      'PKJ-4',
      'PKJ-5',
      'JWT-2',
      'PKJ-6',
      'JWT-3',
      'JWT-5',
      'JWT-6',
      'PKJ-7',
      'PKJ-8',
      'PKJ-9',
      'PKJ-10',
      'JWT-9',
      'PKJ-12',
      'JWT-10',
      'PKJ-14',
      'PKJ-13',
      'PKJ-12',
    ]);
  });

  it('selects the key by alg without a kid, and accepts a matching client_id parameter', async () => {
    const { result } = await run(await sign(header({ kid: undefined }), payload(), pkjA), world(), { clientIdParam: 'client-a' });
    expect((await result).credential.id).toBe('cred_pkj_a');
  });

  it('accepts the token endpoint as aud, and the PAR endpoint at PAR', async () => {
    await expect((await run(await sign(header(), payload({ aud: TOKEN_URL }), pkjA))).result).resolves.toBeDefined();
    await expect((await run(await sign(header(), payload({ aud: PAR_URL }), pkjA), world(), { endpointUrl: PAR_URL })).result).resolves.toBeDefined();
  });
});

describe('RFC 7523 private_key_jwt › PKJ-1 assertion type', () => {
  it('rejects another client_assertion_type with 400 invalid_request', async () => {
    const { result, trace } = await run(await sign(header(), payload(), pkjA), world(), {
      assertionType: 'urn:ietf:params:oauth:client-assertion-type:saml2-bearer',
    });
    await expectRejection(result, trace, {
      status: 400,
      error: 'invalid_request',
      description: `client_assertion_type must be ${JWT_BEARER_ASSERTION_TYPE}`,
      rule: 'PKJ-1',
    });
  });

  it('rejects a missing client_assertion', async () => {
    const trace = newTrace('token');
    const result = verifyClientAssertion({
      assertion: undefined,
      assertionType: JWT_BEARER_ASSERTION_TYPE,
      clientIdParam: undefined,
      endpointUrl: TOKEN_URL,
      ctx: world(),
      trace,
    });
    await expectRejection(result, trace, { status: 400, error: 'invalid_request', description: 'Missing required parameter: client_assertion', rule: 'PKJ-1' });
  });
});

describe('RFC 7523 private_key_jwt › decoding (JWT-1, JWT-8)', () => {
  it('X-9: rejects an assertion over 2048 bytes before decoding it', async () => {
    const { result, trace } = await run(await sign(header(), payload({ pad: 'x'.repeat(2000) }), pkjA));
    await expectRejection(result, trace, { ...INVALID, rule: 'JWT-8', message: /limit is 2048 bytes/ });
  });

  it('rejects a JWE and a malformed token as JWT-1', async () => {
    const jwe = await run(`${b64json({ alg: 'RSA-OAEP', enc: 'A128GCM' })}.a.b.c.d`);
    await expectRejection(jwe.result, jwe.trace, { ...INVALID, rule: 'JWT-1', message: /encrypted/ });
    const junk = await run('eyJhbGciOiJSUzI1NiJ9');
    await expectRejection(junk.result, junk.trace, { ...INVALID, rule: 'JWT-1' });
  });
});

describe('RFC 7523 private_key_jwt › the client (PKJ-7 lookup, PKJ-4)', () => {
  it('rejects an assertion whose sub is not a registered client', async () => {
    const { result, trace } = await run(await sign(header(), payload({ iss: 'nobody', sub: 'nobody' }), pkjA));
    await expectRejection(result, trace, { ...INVALID, rule: 'PKJ-7', message: /does not name a registered client/ });
    expect(trace.clientId).toBeUndefined();
  });

  it('rejects a client registered for client secrets', async () => {
    const { result, trace } = await run(await sign(header({ kid: pkjB.thumbprint }), payload({ iss: 'client-secret', sub: 'client-secret' }), pkjB));
    await expectRejection(result, trace, {
      status: 401,
      error: 'invalid_client',
      description: 'the provided authentication mechanism does not match the registered one',
      rule: 'PKJ-4',
    });
    expect(trace.clientId).toBe('client-secret');
  });

  it('rejects a private_key_jwt client without any attached credential', async () => {
    const { result, trace } = await run(await sign(header(), payload({ iss: 'client-empty', sub: 'client-empty' }), pkjA));
    await expectRejection(result, trace, {
      status: 401,
      error: 'invalid_client',
      description: 'the provided authentication mechanism does not match the registered one',
      rule: 'PKJ-4',
      message: /no credential attached/,
    });
  });
});

describe('RFC 8725 › X-1 unsigned assertions', () => {
  it.each(['none', 'None', 'NONE'])('rejects alg %s with an empty signature', async (alg) => {
    const { result, trace } = await run(unsigned(header({ alg }), payload()));
    await expectRejection(result, trace, { ...INVALID, rule: 'JWT-2', message: /unsigned/ });
  });

  it('rejects an RS256 assertion with an empty signature (PKJ-13)', async () => {
    const signed = await sign(header(), payload(), pkjA);
    const { result, trace } = await run(`${signed.split('.').slice(0, 2).join('.')}.`);
    await expectRejection(result, trace, { ...INVALID, rule: 'PKJ-13' });
  });
});

describe('RFC 8725 › X-2 HMAC with the public key as secret', () => {
  it("rejects HS256 keyed with the credential's public key PEM before any HMAC is computed", async () => {
    const { result, trace } = await run(hmacWithPublicKey({ kid: pkjA.thumbprint }, payload(), pkjA.publicPem));
    await expectRejection(result, trace, { ...INVALID, rule: 'JWT-2', message: /HMAC/ });
    expect(trace.rules.some((r) => r.id === 'PKJ-13' || r.id === 'JWT-10')).toBe(false);
  });
});

describe("RFC 7523 private_key_jwt › X-3 alg different from the credential's (PKJ-6)", () => {
  it('rejects a PS256 assertion for an RS256 credential, signed with the right key', async () => {
    const { result, trace } = await run(await sign(header({ alg: 'PS256' }), payload(), pkjA));
    await expectRejection(result, trace, { ...INVALID, rule: 'PKJ-6', message: /registered for RS256/ });
  });
});

describe('RFC 7523 private_key_jwt › X-4 keys of another client or slot', () => {
  it("rejects a kid naming another client's credential (JWT-10)", async () => {
    const { result, trace } = await run(await sign(header({ kid: pkjB.thumbprint }), payload(), pkjB));
    await expectRejection(result, trace, { ...INVALID, rule: 'JWT-10', message: /No private_key_jwt credential of this client has the kid/ });
  });

  it("rejects the kid of this client's JAR credential (PKJ-15)", async () => {
    const { result, trace } = await run(await sign(header({ kid: jarA.thumbprint }), payload(), jarA));
    await expectRejection(result, trace, { ...INVALID, rule: 'PKJ-15', message: /signed_request_object credential/ });
  });

  it('rejects an assertion signed with the JAR key and no kid (PKJ-15)', async () => {
    const { result, trace } = await run(await sign(header({ kid: undefined }), payload(), jarA));
    await expectRejection(result, trace, { ...INVALID, rule: 'PKJ-15', message: /JAR \(signed_request_object\) key/ });
  });

  it("rejects an assertion signed with another client's key and no kid (PKJ-13)", async () => {
    const { result, trace } = await run(await sign(header({ kid: undefined }), payload(), pkjB));
    await expectRejection(result, trace, { ...INVALID, rule: 'PKJ-13' });
  });
});

describe('RFC 8725 › X-5 keys embedded in the header (JWT-4)', () => {
  it("ignores an embedded jwk: the attacker's key does not authenticate", async () => {
    const { result, trace } = await run(await sign(header({ kid: undefined, jwk: await exportJWK(attacker.publicKey) }), payload(), attacker));
    await expectRejection(result, trace, { ...INVALID, rule: 'PKJ-13' });
    expect(trace.rules.find((r) => r.id === 'JWT-4')).toMatchObject({ passed: true });
  });

  it('ignores x5c and jku as well', async () => {
    const { result, trace } = await run(await sign(header({ kid: undefined, x5c: ['MIIB'], jku: 'http://127.0.0.1:1/' }), payload(), attacker));
    await expectRejection(result, trace, { ...INVALID, rule: 'PKJ-13' });
  });
});

describe('RFC 7515 JWS › X-6 crit and b64', () => {
  it('rejects unknown crit entries and b64: false', async () => {
    const signed = await sign(header(), payload(), pkjA);
    const crit = await run(withHeader(signed, { ...header(), crit: ['urn:x'], 'urn:x': 1 }));
    await expectRejection(crit.result, crit.trace, { ...INVALID, rule: 'JWT-3' });
    const b64 = await run(withHeader(signed, { ...header(), b64: false, crit: ['b64'] }));
    await expectRejection(b64.result, b64.trace, { ...INVALID, rule: 'JWT-3' });
  });
});

describe('RFC 7523 private_key_jwt › X-7 time claims', () => {
  it('rejects an expired assertion (PKJ-9)', async () => {
    const { result, trace } = await run(await sign(header(), payload({ iat: NOW - 120, exp: NOW - 60 }), pkjA));
    await expectRejection(result, trace, { ...INVALID, rule: 'PKJ-9', message: /expired 60 seconds ago/ });
  });

  it('rejects an assertion without exp (PKJ-9)', async () => {
    const { result, trace } = await run(await sign(header(), payload({ exp: undefined }), pkjA));
    await expectRejection(result, trace, { ...INVALID, rule: 'PKJ-9', message: /no exp/ });
  });

  it("rejects exp − iat over 5 minutes with Auth0's log text (PKJ-10)", async () => {
    const { result, trace } = await run(await sign(header(), payload({ exp: NOW + 301 }), pkjA));
    await expectRejection(result, trace, {
      ...INVALID,
      rule: 'PKJ-10',
      message: /^'exp' claim must specify a time that is no more than 5 minutes after 'iat'$/,
    });
  });

  it('rejects a long-lived assertion without iat (PKJ-10)', async () => {
    const { result, trace } = await run(await sign(header(), payload({ iat: undefined, exp: NOW + 3600 }), pkjA));
    await expectRejection(result, trace, { ...INVALID, rule: 'PKJ-10' });
  });

  it('rejects nbf more than 10 s in the future (PKJ-11) and iat more than 10 s in the future (JWT-9)', async () => {
    const nbf = await run(await sign(header(), payload({ nbf: NOW + 11 }), pkjA));
    await expectRejection(nbf.result, nbf.trace, { ...INVALID, rule: 'PKJ-11' });
    const iat = await run(await sign(header(), payload({ iat: NOW + 11 }), pkjA));
    await expectRejection(iat.result, iat.trace, { ...INVALID, rule: 'JWT-9' });
  });

  it('tolerates 10 s of skew', async () => {
    await expect((await run(await sign(header(), payload({ iat: NOW + 10, nbf: NOW + 10, exp: NOW + 60 }), pkjA))).result).resolves.toBeDefined();
  });

  it('rejects exp given as a string (JWT-5)', async () => {
    const { result, trace } = await run(await sign(header(), payload({ exp: String(NOW + 60) }), pkjA));
    await expectRejection(result, trace, { ...INVALID, rule: 'JWT-5' });
  });

  it('applies the simulated clock offset from Settings', async () => {
    const { result, trace } = await run(await sign(header(), payload(), pkjA), world({ settings: { clockOffsetSeconds: -120 } }));
    await expectRejection(result, trace, { ...INVALID, rule: 'JWT-9' });
  });
});

describe('RFC 7523 private_key_jwt › X-8 replay and jti size', () => {
  it('rejects the same assertion twice (PKJ-12)', async () => {
    const ctx = world();
    const jwt = await sign(header(), payload(), pkjA);
    await (
      await run(jwt, ctx)
    ).result;
    const again = await run(jwt, ctx);
    await expectRejection(again.result, again.trace, { ...INVALID, rule: 'PKJ-12', message: /already been used/ });
  });

  it('remembers the jti until exp + 10 s, in the bounded store', async () => {
    const ctx = world();
    const p = payload({ jti: 'remember-me' });
    await (
      await run(await sign(header(), p, pkjA), ctx)
    ).result;
    const entry = ctx.memory.assertionJtis.peek(replayKey('client-a', 'remember-me'));
    expect(entry).toEqual({ value: true, expired: false });
    freezeClock((NOW + 60 + 10) * 1000);
    expect(ctx.memory.assertionJtis.has(replayKey('client-a', 'remember-me'))).toBe(false);
  });

  it('does not let a forged assertion burn a legitimate jti (replay is checked last)', async () => {
    const ctx = world();
    const p = payload({ jti: 'victim-jti' });
    const forged = await run(await sign(header({ kid: undefined }), p, attacker), ctx);
    await expectRejection(forged.result, forged.trace, { ...INVALID, rule: 'PKJ-13' });
    await expect((await run(await sign(header(), p, pkjA), ctx)).result).resolves.toBeDefined();
  });

  it('keeps jti values per client', async () => {
    const ctx = world();
    await (
      await run(await sign(header(), payload({ jti: 'shared' }), pkjA), ctx)
    ).result;
    const b = await run(await sign(header({ kid: pkjB.thumbprint }), payload({ iss: 'client-b', sub: 'client-b', jti: 'shared' }), pkjB), ctx);
    await expect(b.result).resolves.toBeDefined();
  });

  it('rejects a jti over 64 characters (PKJ-5)', async () => {
    const { result, trace } = await run(await sign(header(), payload({ jti: 'j'.repeat(65) }), pkjA));
    await expectRejection(result, trace, { ...INVALID, rule: 'PKJ-5', message: /jti is 65 characters/ });
  });

  it('rejects an assertion without jti (PKJ-12)', async () => {
    const { result, trace } = await run(await sign(header(), payload({ jti: undefined }), pkjA));
    await expectRejection(result, trace, { ...INVALID, rule: 'PKJ-12', message: /no jti/ });
  });
});

describe('RFC 7523 private_key_jwt › X-14 client_id mismatches', () => {
  it('rejects a client_id parameter different from sub (PKJ-3)', async () => {
    const { result, trace } = await run(await sign(header(), payload(), pkjA), world(), { clientIdParam: 'client-b' });
    await expectRejection(result, trace, { ...INVALID, rule: 'PKJ-3' });
  });

  it('rejects iss different from sub (PKJ-7)', async () => {
    const { result, trace } = await run(await sign(header(), payload({ iss: 'client-b' }), pkjA));
    await expectRejection(result, trace, { ...INVALID, rule: 'PKJ-7', message: /differs from its sub/ });
  });
});

describe('RFC 7523 private_key_jwt › X-15 aud', () => {
  it.each([
    ['another server', 'https://evil.example.com/'],
    ['another tenant', 'http://127.0.0.1:4748/'],
    ['the issuer without its trailing slash', ISSUER.slice(0, -1)],
    ['the PAR endpoint at the token endpoint', PAR_URL],
  ])('rejects aud naming %s (PKJ-8)', async (_name, aud) => {
    const { result, trace } = await run(await sign(header(), payload({ aud }), pkjA));
    await expectRejection(result, trace, { ...INVALID, rule: 'PKJ-8' });
  });

  it('accepts an array containing the issuer in Auth0 mode but not in strict mode', async () => {
    const aud = ['https://api.example.com/', ISSUER];
    await expect((await run(await sign(header(), payload({ aud }), pkjA))).result).resolves.toBeDefined();
    const strictCtx = world({ pkjCreds: [credential('cred_pkj_a', 'client-a', pkjA, { alg: 'PS256' })], settings: { profile: 'strict' } });
    const strict = await run(await sign(header({ alg: 'PS256' }), payload({ aud }), pkjA), strictCtx);
    await expectRejection(strict.result, strict.trace, { ...INVALID, rule: 'PKJ-8', message: /single string/ });
    await expect((await run(await sign(header({ alg: 'PS256' }), payload(), pkjA), strictCtx)).result).resolves.toBeDefined();
  });

  it('requires the issuer string for a client with a fapi2 compliance level', async () => {
    const ctx = world({ pkjCreds: [credential('cred_pkj_a', 'client-a', pkjA, { alg: 'PS256' })], clientPatch: { compliance_level: 'fapi2_sp_pkj_mtls' } });
    const { result, trace } = await run(await sign(header({ alg: 'PS256' }), payload({ aud: TOKEN_URL }), pkjA), ctx);
    await expectRejection(result, trace, { ...INVALID, rule: 'PKJ-8' });
  });
});

describe('RFC 7523 private_key_jwt › X-21 expired, detached or deleted credentials', () => {
  it('rejects a credential past its expires_at (PKJ-14)', async () => {
    const ctx = world({ pkjCreds: [credential('cred_pkj_a', 'client-a', pkjA, { expires_at: '2025-12-31T23:59:59.999Z' })] });
    const { result, trace } = await run(await sign(header(), payload(), pkjA), ctx);
    await expectRejection(result, trace, { ...INVALID, rule: 'PKJ-14', message: /past expires_at/ });
  });

  it('rejects a key whose credential was detached or deleted (JWT-10 with kid, PKJ-13 without)', async () => {
    const ctx = world({ pkjCreds: [credential('cred_new', 'client-a', pkjB)] });
    const withKid = await run(await sign(header(), payload(), pkjA), ctx);
    await expectRejection(withKid.result, withKid.trace, { ...INVALID, rule: 'JWT-10' });
    const withoutKid = await run(await sign(header({ kid: undefined }), payload(), pkjA), ctx);
    await expectRejection(withoutKid.result, withoutKid.trace, { ...INVALID, rule: 'PKJ-13' });
  });

  it('accepts a credential whose expires_at is still ahead', async () => {
    const ctx = world({ pkjCreds: [credential('cred_pkj_a', 'client-a', pkjA, { expires_at: '2026-01-02T00:00:00.000Z' })] });
    await expect((await run(await sign(header(), payload(), pkjA), ctx)).result).resolves.toBeDefined();
  });
});

describe('RFC 7523 private_key_jwt › X-24 cross-JWT confusion', () => {
  it('rejects a request object presented as an assertion', async () => {
    const jar = { iss: 'client-a', aud: ISSUER, client_id: 'client-a', response_type: 'code', exp: NOW + 60, iat: NOW, jti: 'x-24' };
    const { result, trace } = await run(await sign({ alg: 'RS256', typ: 'oauth-authz-req+jwt', kid: jarA.thumbprint }, jar, jarA));
    await expectRejection(result, trace, { ...INVALID, rule: 'PKJ-7' });
  });
});
