/**
 * Explain for DPoP (shared/explain/dpop.ts): the request line, the htu lens (each differing part and the
 * usual cause), the clock line, the proof summary and binding, the explanation built by the server's rules
 * (failures first), and a flow step's nonce history. Real keys and real signed proofs (jose).
 */
import { describe, expect, it } from 'vitest';
import { calculateJwkThumbprint } from 'jose';
import type { FlowExchange, FlowStep } from '../../../../shared/schemas/flows';
import {
  boundKeyName,
  clockLine,
  explainDpopProof,
  htuLens,
  isDpopProofHeader,
  isDpopProofToken,
  nonceHistory,
  parseHttpDate,
  parseRequestLine,
  summariseDpopProof,
  tokenJkt,
  tokenX5t,
} from '../../../../shared/explain/dpop';
import { NOW, TOKEN_URL, proofKey, signProof } from '../jwt/dpop-helpers';

describe('parseRequestLine', () => {
  it('reads METHOD URL, with an HTTP version allowed, keeping the method as written', () => {
    expect(parseRequestLine('POST https://tenant.example.com/oauth/token')).toEqual({
      ok: true,
      line: { method: 'POST', url: 'https://tenant.example.com/oauth/token' },
    });
    expect(parseRequestLine('  post https://t.example.com/x HTTP/1.1\n')).toEqual({ ok: true, line: { method: 'post', url: 'https://t.example.com/x' } });
  });

  it('names what is wrong with a line that is not one', () => {
    expect(parseRequestLine('')).toMatchObject({ ok: false, code: 'line-empty' });
    expect(parseRequestLine('https://tenant.example.com/oauth/token')).toMatchObject({ ok: false, code: 'line-format' });
    expect(parseRequestLine('POST /oauth/token')).toMatchObject({ ok: false, code: 'line-url' });
    expect(parseRequestLine('POST ftp://tenant.example.com/x')).toMatchObject({ ok: false, code: 'line-url' });
  });
});

describe('htuLens', () => {
  const server = 'https://tenant.example.com/oauth/token';
  const marked = (lens: ReturnType<typeof htuLens>) => lens.rows.filter((r) => r.differs).map((r) => r.part);

  it('equal URLs: no part marked, no cause; a query in the proof is shown as ignored', () => {
    const lens = htuLens(server, 'https://TENANT.example.com:443/oauth/token?x=1');
    expect(lens.equal).toBe(true);
    expect(marked(lens)).toEqual([]);
    expect(lens.cause).toBeUndefined();
    expect(lens.rows.find((r) => r.part === 'query')).toMatchObject({ expected: '', actual: '?x=1', ignored: true, differs: false });
    expect(lens.defaultPortWritten).toBe(':443');
  });

  it.each([
    ['scheme, behind a TLS-terminating proxy', 'http://tenant.example.com/oauth/token', 'scheme', 'scheme', 'proxy'],
    ['host, an internal address', 'https://10.0.0.5/oauth/token', 'host', 'host', 'proxy'],
    ['host, another domain', 'https://login.example.org/oauth/token', 'host', 'host', 'another-host'],
    ['port, a default port of the other scheme', 'https://tenant.example.com:80/oauth/token', 'port', 'port', 'default-port'],
    ['port, an internal port', 'https://tenant.example.com:8443/oauth/token', 'port', 'port', 'proxy'],
    ['path, a proxy prefix', 'https://tenant.example.com/auth/oauth/token', 'path', 'path', 'path-prefix'],
    ['path, another endpoint', 'https://tenant.example.com/userinfo', 'path', 'path', 'another-endpoint'],
    ['path, another case', 'https://tenant.example.com/OAuth/Token', 'path', 'path', 'path-case'],
    ['trailing slash', 'https://tenant.example.com/oauth/token/', 'path', 'trailing-slash', 'trailing-slash'],
  ] as const)('%s: the part is marked and the cause named', (_, htu, row, differs, cause) => {
    const lens = htuLens(server, htu);
    expect(lens.equal).toBe(false);
    expect(marked(lens)).toEqual([row]);
    expect(lens.differs).toBe(differs);
    expect(lens.cause).toBe(cause);
  });

  it('a fragment in the proof is stripped and never the cause', () => {
    const lens = htuLens(server, 'https://tenant.example.com/api/oauth/token#frag');
    expect(lens.rows.find((r) => r.part === 'fragment')).toMatchObject({ actual: '#frag', ignored: true, differs: false });
    expect(lens.cause).toBe('path-prefix');
  });

  it('an htu that is not a URL has no rows and says so', () => {
    const lens = htuLens(server, '/oauth/token');
    expect(lens).toMatchObject({ equal: false, rows: [], differs: 'url', cause: 'not-a-url', actual: '/oauth/token' });
  });
});

describe('clockLine', () => {
  const window = { pastSeconds: 300, futureSeconds: 30 };
  it('places iat inside, too old or too new, with the signed delta', () => {
    expect(clockLine(NOW - 10, NOW, window)).toMatchObject({ delta: -10, position: 'inside' });
    expect(clockLine(NOW - 301, NOW, window)).toMatchObject({ delta: -301, position: 'too-old' });
    expect(clockLine(NOW + 31, NOW, window)).toMatchObject({ delta: 31, position: 'too-new' });
    expect(clockLine(NOW - 300, NOW, window).position).toBe('inside');
  });

  it('measures the skew from the response Date', () => {
    const date = parseHttpDate(new Date((NOW + 5) * 1000).toUTCString());
    expect(date).toBe(NOW + 5);
    expect(clockLine(NOW - 400, NOW, window, date)).toMatchObject({ responseDate: NOW + 5, measuredSkew: -405 });
    expect(parseHttpDate('Date: Thu, 01 Jan 2026 00:00:00 GMT')).toBe(NOW);
    expect(parseHttpDate('yesterday-ish')).toBeUndefined();
  });
});

describe('proof summary and binding', () => {
  it('recognises a proof and gives its claims and the jwk thumbprint', async () => {
    const key = await proofKey('ES256');
    const header = { typ: 'dpop+jwt', alg: 'ES256', jwk: key.jwk };
    expect(isDpopProofHeader(header)).toBe(true);
    expect(isDpopProofHeader({ typ: 'JWT' })).toBe(false);
    const summary = await summariseDpopProof(header, { htm: 'POST', htu: TOKEN_URL, iat: NOW, jti: 'j1', nonce: 'n1', ath: 'a1' });
    expect(summary).toEqual({
      typ: 'dpop+jwt',
      alg: 'ES256',
      htm: 'POST',
      htu: TOKEN_URL,
      iat: NOW,
      jti: 'j1',
      nonce: 'n1',
      ath: 'a1',
      thumbprint: await calculateJwkThumbprint(key.jwk, 'sha256'),
    });
  });

  it('tells a proof from other tokens by its typ', async () => {
    const key = await proofKey('ES256');
    expect(isDpopProofToken(`${await signProof(key)}\n`)).toBe(true);
    expect(isDpopProofToken(await signProof(key, { header: { typ: 'JWT' } }))).toBe(false);
    expect(isDpopProofToken('not.a.jwt')).toBe(false);
  });

  it('a private jwk gets no thumbprint, and says why', async () => {
    const key = await proofKey('ES256');
    const summary = await summariseDpopProof({ typ: 'dpop+jwt', jwk: key.privateJwk }, {});
    expect(summary.thumbprint).toBeUndefined();
    expect(summary.jwkProblem).toMatch(/private/);
  });

  it('names the vault key a cnf.jkt is bound to', () => {
    expect(tokenJkt({ cnf: { jkt: 'abc' } })).toBe('abc');
    expect(tokenJkt({ cnf: { 'x5t#S256': 'x' } })).toBeUndefined();
    expect(tokenJkt({})).toBeUndefined();
    expect(
      boundKeyName('abc', [
        { name: 'one', thumbprint: 'xyz' },
        { name: 'two', thumbprint: 'abc' },
      ]),
    ).toBe('two');
    expect(boundKeyName('nope', [{ name: 'one', thumbprint: 'xyz' }])).toBeUndefined();
  });

  it('tells a certificate-bound token (cnf.x5t#S256, typed DPoP by Auth0 too) from a DPoP-bound one', () => {
    const x5t = 'bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2';
    expect(tokenX5t({ cnf: { 'x5t#S256': x5t } })).toBe(x5t);
    expect(tokenJkt({ cnf: { 'x5t#S256': x5t } })).toBeUndefined();
    expect(tokenX5t({ cnf: { jkt: 'abc' } })).toBeUndefined();
    for (const cnf of [undefined, null, 'x5t', [x5t], { 'x5t#S256': 42 }]) expect(tokenX5t({ cnf })).toBeUndefined();
  });
});

describe('explainDpopProof', () => {
  it('a proof made behind a path prefix: DPP-9 on top, the lens marks the path and names the cause', async () => {
    const key = await proofKey('ES256');
    const proof = await signProof(key, { payload: { htu: 'https://tenant.example.com/auth/oauth/token' } });
    const out = await explainDpopProof({ proof, requestLine: `POST ${TOKEN_URL}`, now: NOW });
    if (!out.ok) throw new Error(out.message);
    const { explanation, lens, clock, proof: summary } = out.result;
    expect(explanation.verdict.first?.id).toBe('DPP-9');
    expect(explanation.items[0]).toMatchObject({ id: 'DPP-9', status: 'failed' });
    expect(explanation.items.filter((i) => i.status === 'failed').map((i) => i.id)).toEqual(['DPP-9']);
    expect(explanation.evaluatedAt).toBe(NOW);
    expect(lens).toMatchObject({ equal: false, differs: 'path', cause: 'path-prefix' });
    expect(clock).toMatchObject({ position: 'inside', delta: 0 });
    expect(summary?.thumbprint).toBe(await calculateJwkThumbprint(key.jwk, 'sha256'));
  });

  it('a stale iat fails DPP-10 and the clock line shows it, with the skew from the Date header', async () => {
    const key = await proofKey('ES256');
    const proof = await signProof(key, { payload: { iat: NOW - 600 } });
    const out = await explainDpopProof({ proof, requestLine: `POST ${TOKEN_URL}`, now: NOW, responseDate: new Date(NOW * 1000).toUTCString() });
    if (!out.ok) throw new Error(out.message);
    expect(out.result.explanation.verdict.first?.id).toBe('DPP-10');
    expect(out.result.clock).toMatchObject({
      iat: NOW - 600,
      serverTime: NOW,
      delta: -600,
      pastSeconds: 300,
      futureSeconds: 30,
      position: 'too-old',
      measuredSkew: -600,
    });
    expect(out.result.lens?.equal).toBe(true);
  });

  it('uses the token, nonce and jkt when given: ath, DPN-1 and the binding are judged', async () => {
    const key = await proofKey('ES256');
    const proof = await signProof(key, { payload: { htm: 'GET', htu: 'https://tenant.example.com/userinfo' } });
    const out = await explainDpopProof({
      proof,
      requestLine: 'GET https://tenant.example.com/userinfo',
      accessToken: 'token-1',
      nonce: 'n-1',
      expectedJkt: 'A'.repeat(43),
      now: NOW,
    });
    if (!out.ok) throw new Error(out.message);
    const failed = out.result.explanation.items.filter((i) => i.status === 'failed').map((i) => i.id);
    expect(failed).toEqual(expect.arrayContaining(['DPN-1', 'DPP-13', 'DPB-12']));
  });

  it('a well-formed proof for its request passes every rule; a Date that is not a time is reported', async () => {
    const key = await proofKey('ES256');
    const proof = await signProof(key);
    const out = await explainDpopProof({ proof: `${proof}\n`, requestLine: `POST ${TOKEN_URL}`, now: NOW, responseDate: 'soon', accessToken: '  ' });
    if (!out.ok) throw new Error(out.message);
    expect(out.result.explanation.verdict.ok).toBe(true);
    expect(out.result.dateUnreadable).toBe(true);
    expect(out.result.clock?.measuredSkew).toBeUndefined();
  });

  it('refuses an empty proof or a bad request line clearly; a text that is not a JWT is explained by DPP-2', async () => {
    expect(await explainDpopProof({ proof: ' ', requestLine: `POST ${TOKEN_URL}`, now: NOW })).toMatchObject({ ok: false, code: 'proof-empty' });
    expect(await explainDpopProof({ proof: 'x.y.z', requestLine: 'POST', now: NOW })).toMatchObject({ ok: false, code: 'line-format' });
    const out = await explainDpopProof({ proof: 'not a jwt', requestLine: `POST ${TOKEN_URL}`, now: NOW });
    expect(out.ok && out.result.explanation.verdict.first?.id).toBe('DPP-2');
    expect(out.ok && out.result.lens).toBeUndefined();
  });
});

describe('nonceHistory', () => {
  const exchange = (headers: Record<string, string>, status: number, responseHeaders: Record<string, string>, body = ''): FlowExchange => ({
    request: { method: 'POST', url: TOKEN_URL, headers },
    response: { status, headers: responseHeaders, body },
    durationMs: 1,
  });
  const step = (first: FlowExchange[], own: FlowExchange): Pick<FlowStep, 'exchange' | 'extraExchanges'> => ({
    exchange: own,
    extraExchanges: first.map((x) => ({ purpose: 'token' as const, reason: 'use_dpop_nonce' as const, exchange: x, jwts: [] })),
  });

  it('challenge, retry with the nonce, and a rotated nonce on the answer', async () => {
    const key = await proofKey('ES256');
    const first = exchange(
      { DPoP: await signProof(key) },
      400,
      { 'DPoP-Nonce': 'n1' },
      '{"error":"use_dpop_nonce","error_description":"Authorization server requires nonce in DPoP proof"}',
    );
    const retry = exchange({ dpop: await signProof(key, { payload: { nonce: 'n1' } }) }, 200, { 'dpop-nonce': 'n2' });
    expect(nonceHistory(step([first], retry))).toEqual([
      { kind: 'sent', attempt: 1 },
      { kind: 'challenge', attempt: 1, status: 400, nonce: 'n1' },
      { kind: 'sent', attempt: 2, nonce: 'n1' },
      { kind: 'rotation', attempt: 2, from: 'n1', to: 'n2' },
      { kind: 'answered', attempt: 2, status: 200 },
    ]);
  });

  it('flags a first request sent without a proof; a resource challenge is a 401 with WWW-Authenticate', async () => {
    const key = await proofKey('ES256');
    const first = exchange({}, 401, { 'DPoP-Nonce': 'n1', 'WWW-Authenticate': 'DPoP error="use_dpop_nonce", algs="ES256"' });
    const retry = exchange({ DPoP: await signProof(key, { payload: { nonce: 'n1' } }) }, 200, {});
    const events = nonceHistory(step([first], retry));
    expect(events?.slice(0, 2)).toEqual([
      { kind: 'sent-without-proof', attempt: 1 },
      { kind: 'challenge', attempt: 1, status: 401, nonce: 'n1' },
    ]);
  });

  it('a step without DPoP has no history', () => {
    expect(nonceHistory(step([], exchange({ authorization: 'Basic x' }, 200, {})))).toBeNull();
    expect(nonceHistory({})).toBeNull();
  });
});
