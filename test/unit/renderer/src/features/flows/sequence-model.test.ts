/**
 * The sequence diagram's model: one arrow per HTTP exchange of a run, from the run itself — lanes,
 * names ("POST /oauth/par → 201"), states while the run goes on (done, next = the paused request,
 * pending, failed), the requests and JWTs each arrow opens; and presenter mode's signature masking.
 */
import { describe, expect, it } from 'vitest';
import type { FlowPause, FlowRun, FlowStep } from '../../../../../../shared/schemas/flows';
import type { RequestTrace } from '../../../../../../shared/schemas/server';
import { maskSignatures } from '../../../../../../renderer/src/features/flows/presenter-model';
import type { SequenceArrow } from '../../../../../../renderer/src/features/flows/sequence-model';
import { arrowText, arrowsOf, isCompactJwt, jwtsInUrl, pathOf, sequenceOf } from '../../../../../../renderer/src/features/flows/sequence-model';

const AS = 'http://127.0.0.1:4000';
const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzY29wZSI6Im9wZW5pZCJ9.c2lnbmF0dXJl';
const ID_TOKEN = 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1MSJ9.aWR0b2tlbnNpZw';
const CALLBACK = 'http://127.0.0.1:47801/callback?code=abc&state=s1&iss=http%3A%2F%2F127.0.0.1%3A4000%2F';

function step(name: FlowStep['name'], extra: Partial<FlowStep> = {}): FlowStep {
  return { id: `${name}-id`, name, status: 'ok', jwts: [], serverTraceIds: [], ...extra };
}

function exchange(method: string, path: string, status: number, body?: string) {
  return {
    request: { method, url: `${AS}${path}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, ...(body ? { body } : {}) },
    response: { status, headers: {}, body: '{}' },
    durationMs: 4,
  };
}

function trace(path: string, status: number): RequestTrace {
  return { id: `tr-${path}`, at: '2026-11-22T10:00:00.000Z', method: 'GET', endpoint: 'authorize', path, status, rules: [], durationMs: 1 };
}

/** A finished PAR + JAR run against the embedded server. */
function finishedRun(): FlowRun {
  return {
    id: 'r1',
    kind: 'par+jar',
    targetId: 't1',
    options: { pkce: true, stepThrough: true },
    status: 'succeeded',
    startedAt: '2026-11-22T10:00:00.000Z',
    authorizeUrl: `${AS}/authorize?client_id=c1&request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3Ax`,
    steps: [
      step('discover', {
        exchange: exchange('GET', '/.well-known/openid-configuration', 200),
        detail: {
          issuer: `${AS}/`,
          authorization_endpoint: `${AS}/authorize`,
          token_endpoint: `${AS}/oauth/token`,
          pushed_authorization_request_endpoint: `${AS}/oauth/par`,
        },
      }),
      step('build', { jwts: [{ label: 'Request object', token: JWT }], detail: { parameters: { scope: 'openid' } } }),
      step('push', { exchange: exchange('POST', '/oauth/par', 201, `request=${JWT}`), jwts: [{ label: 'Request object', token: JWT }] }),
      step('authorize', { serverTraces: [trace('/authorize', 302)], detail: { url: 'ignored' } }),
      step('callback', { detail: { callbackUrl: CALLBACK } }),
      step('exchange', { exchange: exchange('POST', '/oauth/token', 200), jwts: [{ label: 'ID token', token: ID_TOKEN }] }),
      step('verify', { exchange: exchange('GET', '/.well-known/jwks.json', 200), jwts: [{ label: 'ID token', token: ID_TOKEN }] }),
    ],
  };
}

const names = (arrows: SequenceArrow[]) => arrows.map((a) => arrowText(a.label) ?? a.label.kind);

describe('sequence model', () => {
  it('a finished PAR + JAR run: every exchange in order, on its lanes, named with its status', () => {
    const rows = sequenceOf(finishedRun());
    expect(rows.map((r) => r.id)).toEqual(['discovery', 'build', 'par', 'authorize', 'signin-page', 'signin-submit', 'redirect', 'callback', 'token', 'jwks']);
    const arrows = arrowsOf(rows);
    expect(names(arrows)).toEqual([
      'GET /.well-known/openid-configuration → 200',
      'POST /oauth/par → 201',
      'GET /authorize → 302',
      'signin-page',
      'signin-submit',
      '302 → /callback',
      'GET /callback',
      'POST /oauth/token → 200',
      'GET /.well-known/jwks.json → 200',
    ]);
    expect(arrows.map((a) => `${a.from}>${a.to}`)).toEqual([
      'client>server',
      'client>server',
      'browser>server',
      'server>browser',
      'browser>server',
      'server>browser',
      'browser>client',
      'client>server',
      'client>server',
    ]);
    expect(arrows.every((a) => a.state === 'done')).toBe(true);
    // Client → server exchanges draw their response back; the browser's requests do not.
    expect(arrows.filter((a) => a.returns).map((a) => a.id)).toEqual(['discovery', 'par', 'token', 'jwks']);
  });

  it('each arrow opens its request, response, JWTs and traces', () => {
    const arrows = arrowsOf(sequenceOf(finishedRun()));
    const par = arrows.find((a) => a.id === 'par')!;
    expect(par.request?.body).toBe(`request=${JWT}`);
    expect(par.response?.status).toBe(201);
    expect(par.jwts).toEqual([{ label: 'Request object', token: JWT }]);
    const authorize = arrows.find((a) => a.id === 'authorize')!;
    expect(authorize.request?.url).toBe(finishedRun().authorizeUrl);
    expect(authorize.traces.map((t) => t.path)).toEqual(['/authorize']);
    const redirect = arrows.find((a) => a.id === 'redirect')!;
    expect(redirect.location).toBe(CALLBACK);
    expect(arrows.find((a) => a.id === 'callback')?.request?.url).toBe(CALLBACK);
    expect(arrows.find((a) => a.id === 'jwks')?.jwts[0]?.label).toBe('ID token');
  });

  it('JAR by value: the authorize arrow carries the request object from its URL', () => {
    const run = finishedRun();
    run.kind = 'jar';
    run.steps = run.steps.filter((s) => s.name !== 'push');
    run.authorizeUrl = `${AS}/authorize?client_id=c1&request=${JWT}`;
    const arrows = arrowsOf(sequenceOf(run));
    expect(arrows.map((a) => a.id)).toEqual(['discovery', 'authorize', 'signin-page', 'signin-submit', 'redirect', 'callback', 'token', 'jwks']);
    expect(arrows.find((a) => a.id === 'authorize')?.jwts).toEqual([{ label: 'Request object', kind: 'requestObject', token: JWT }]);
  });

  it('client credentials: discovery and token only', () => {
    const run: FlowRun = {
      ...finishedRun(),
      kind: 'client_credentials',
      steps: [
        step('discover', { exchange: exchange('GET', '/.well-known/openid-configuration', 200) }),
        step('exchange', { exchange: exchange('POST', '/oauth/token', 200) }),
      ],
    };
    expect(names(arrowsOf(sequenceOf(run)))).toEqual(['GET /.well-known/openid-configuration → 200', 'POST /oauth/token → 200']);
  });

  it('before anything has run: every arrow pending, named from the target and the metadata names', () => {
    const run: FlowRun = {
      id: 'r2',
      kind: 'par+jar',
      targetId: 't1',
      options: { pkce: true },
      status: 'running',
      startedAt: '2026-11-22T10:00:00.000Z',
      steps: finishedRun().steps.map((s) => ({ id: s.id, name: s.name, status: 'pending', jwts: [], serverTraceIds: [] })),
    };
    const rows = sequenceOf(run, { issuer: `${AS}/tenant`, redirectUri: 'http://127.0.0.1:47801/cb' });
    expect(rows.every((r) => r.state === 'pending')).toBe(true);
    expect(names(arrowsOf(rows))).toEqual([
      'GET /tenant/.well-known/openid-configuration',
      'POST pushed_authorization_request_endpoint',
      'GET authorization_endpoint',
      'signin-page',
      'signin-submit',
      '302 → /cb',
      'GET /cb',
      'POST token_endpoint',
      'GET jwks_uri',
    ]);
    expect(arrowsOf(rows).some((a) => a.request)).toBe(false);
  });

  it('paused before PAR: the PAR arrow is next and opens the pending request; discovery done; the rest pending', () => {
    const base = finishedRun();
    const pause: FlowPause = {
      step: 'push',
      purpose: 'par',
      request: {
        method: 'POST',
        url: `${AS}/oauth/par`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        form: { request: JWT, client_id: 'c1' },
      },
      requestObjectClaims: { scope: 'openid' },
    };
    const run: FlowRun = {
      ...base,
      status: 'paused',
      paused: pause,
      authorizeUrl: undefined,
      steps: base.steps.map((s, i) =>
        i < 2
          ? s
          : i === 2
            ? { id: s.id, name: s.name, status: 'running', jwts: [], serverTraceIds: [] }
            : { id: s.id, name: s.name, status: 'pending', jwts: [], serverTraceIds: [] },
      ),
    };
    const arrows = arrowsOf(sequenceOf(run));
    expect(arrows.map((a) => [a.id, a.state])).toEqual([
      ['discovery', 'done'],
      ['par', 'next'],
      ['authorize', 'pending'],
      ['signin-page', 'pending'],
      ['signin-submit', 'pending'],
      ['redirect', 'pending'],
      ['callback', 'pending'],
      ['token', 'pending'],
      ['jwks', 'pending'],
    ]);
    const par = arrows[1]!;
    expect(arrowText(par.label)).toBe('POST /oauth/par');
    expect(par.request).toEqual({
      method: 'POST',
      url: `${AS}/oauth/par`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `request=${encodeURIComponent(JWT)}&client_id=c1`,
    });
    // The authorization endpoint is known from discovery already.
    expect(arrowText(arrows[2]!.label)).toBe('GET /authorize');
  });

  it('paused before authorize: the authorize arrow is next with the URL to open; waiting for the browser: the sign-in is in progress', () => {
    const base = finishedRun();
    const url = `${AS}/authorize?client_id=c1&request_uri=urn%3Ax`;
    const steps = base.steps.map((s, i) =>
      i < 3 ? s : { id: s.id, name: s.name, status: i === 3 ? ('running' as const) : ('pending' as const), jwts: [], serverTraceIds: [] },
    );
    const paused: FlowRun = {
      ...base,
      status: 'paused',
      paused: { step: 'authorize', purpose: 'authorize', request: { method: 'GET', url, headers: {}, form: { client_id: 'c1', request_uri: 'urn:x' } } },
      steps,
    };
    const p = arrowsOf(sequenceOf(paused));
    expect(p.find((a) => a.id === 'authorize')).toMatchObject({ state: 'next', request: { method: 'GET', url } });
    expect(p.find((a) => a.id === 'signin-page')?.state).toBe('pending');
    const waiting: FlowRun = { ...base, status: 'waiting-for-browser', authorizeUrl: url, steps };
    const w = arrowsOf(sequenceOf(waiting));
    expect(w.filter((a) => a.step === 'authorize').map((a) => a.state)).toEqual(['active', 'active', 'active']);
  });

  it('a rejected push: the PAR arrow failed with its status, the sign-in never happened', () => {
    const base = finishedRun();
    const run: FlowRun = {
      ...base,
      status: 'failed',
      steps: base.steps.map((s, i) =>
        i === 2
          ? { ...s, status: 'failed', exchange: exchange('POST', '/oauth/par', 400), error: { code: 'par_rejected', message: 'JAR-11 failed' } }
          : i > 2
            ? { id: s.id, name: s.name, status: 'cancelled', jwts: [], serverTraceIds: [] }
            : s,
      ),
    };
    const arrows = arrowsOf(sequenceOf(run));
    expect(arrows.find((a) => a.id === 'par')).toMatchObject({ state: 'failed', label: { status: 400 } });
    expect(arrows.filter((a) => a.stepIndex > 2).every((a) => a.state === 'cancelled')).toBe(true);
  });

  it('helpers: paths, JWTs in URLs, the compact shape', () => {
    expect(pathOf(`${AS}/oauth/par?x=1`)).toBe('/oauth/par');
    expect(pathOf('token_endpoint')).toBe('token_endpoint');
    expect(jwtsInUrl(`${AS}/authorize?request=${JWT}&client_id=c1`)).toEqual([{ label: 'Request object', kind: 'requestObject', token: JWT }]);
    expect(jwtsInUrl(undefined)).toEqual([]);
    expect(isCompactJwt(JWT)).toBe(true);
    expect(isCompactJwt('abc')).toBe(false);
  });
});

describe('sequence model › the PAR pushed again', () => {
  it('a request_uri that expired during the pause: the second PAR is its own arrow, before the browser goes to /authorize', () => {
    const r = finishedRun();
    const authorize = r.steps.find((s) => s.name === 'authorize')!;
    authorize.extraExchanges = [
      {
        purpose: 'par',
        reason: 'request_uri_expired',
        exchange: exchange('POST', '/oauth/par', 201, `request=${JWT}`),
        jwts: [{ label: 'Request object', token: JWT }],
        serverTraces: [trace('/oauth/par', 201)],
      },
    ];
    const rows = sequenceOf(r);
    expect(rows.map((row) => row.id)).toEqual([
      'discovery',
      'build',
      'par',
      'par-again',
      'authorize',
      'signin-page',
      'signin-submit',
      'redirect',
      'callback',
      'token',
      'jwks',
    ]);
    const again = arrowsOf(rows).find((a) => a.id === 'par-again')!;
    expect(again).toMatchObject({
      from: 'client',
      to: 'server',
      state: 'done',
      returns: true,
      stepIndex: 3,
      label: { kind: 'http', method: 'POST', path: '/oauth/par', status: 201 },
    });
    expect(again.jwts).toHaveLength(1);
    expect(again.traces).toHaveLength(1);
  });
});

describe('sequence model › DPoP', () => {
  it('a nonce challenge is its own arrow before the retry (PAR and token), and userinfo comes after the JWKS request', () => {
    const r = finishedRun();
    const challenge = (path: string) => ({
      ...exchange('POST', path, 400),
      response: { status: 400, headers: { 'dpop-nonce': 'n1' }, body: '{"error":"use_dpop_nonce"}' },
    });
    r.steps.find((s) => s.name === 'push')!.extraExchanges = [
      { purpose: 'par', reason: 'use_dpop_nonce', exchange: challenge('/oauth/par'), jwts: [{ label: 'DPoP', token: JWT }] },
    ];
    r.steps.find((s) => s.name === 'exchange')!.extraExchanges = [
      { purpose: 'token', reason: 'use_dpop_nonce', exchange: challenge('/oauth/token'), jwts: [] },
    ];
    r.steps.find((s) => s.name === 'verify')!.extraExchanges = [
      {
        purpose: 'userinfo',
        reason: 'use_dpop_nonce',
        exchange: { ...exchange('GET', '/userinfo', 401), response: { status: 401, headers: { 'www-authenticate': 'DPoP error="use_dpop_nonce"' } } },
        jwts: [],
      },
      { purpose: 'userinfo', reason: 'access_token_check', exchange: exchange('GET', '/userinfo', 200), jwts: [{ label: 'DPoP', token: JWT }] },
    ];
    const rows = sequenceOf(r);
    expect(rows.map((row) => row.id)).toEqual([
      'discovery',
      'build',
      'nonce-challenge',
      'par',
      'authorize',
      'signin-page',
      'signin-submit',
      'redirect',
      'callback',
      'nonce-challenge',
      'token',
      'jwks',
      'nonce-challenge',
      'userinfo',
    ]);
    const arrows = arrowsOf(rows);
    // A challenge is the protocol at work: drawn done, with its status; the retry after it decides the step.
    expect(arrows.filter((a) => a.id === 'nonce-challenge').map((a) => [a.state, arrowText(a.label)])).toEqual([
      ['done', 'POST /oauth/par → 400'],
      ['done', 'POST /oauth/token → 400'],
      ['done', 'GET /userinfo → 401'],
    ]);
    expect(arrows.find((a) => a.id === 'userinfo')).toMatchObject({
      from: 'client',
      to: 'server',
      state: 'done',
      returns: true,
      step: 'verify',
      label: { status: 200 },
    });
    expect(arrows.find((a) => a.id === 'nonce-challenge')!.jwts).toEqual([{ label: 'DPoP', token: JWT }]);
  });
});

describe('presenter mode › signatures', () => {
  it('replaces every JWT signature in text, keeping header and payload', () => {
    const [h, p] = JWT.split('.');
    expect(maskSignatures(JWT, '[signature hidden]')).toBe(`${h}.${p}.[signature hidden]`);
    expect(maskSignatures(`request=${JWT}&client_assertion=${ID_TOKEN}`, '[x]')).toBe(
      `request=${h}.${p}.[x]&client_assertion=${ID_TOKEN.split('.').slice(0, 2).join('.')}.[x]`,
    );
    expect(maskSignatures(JSON.stringify({ id_token: JWT }), '[x]')).toBe(JSON.stringify({ id_token: `${h}.${p}.[x]` }));
  });

  it('leaves other text alone (URLs with dots, unsigned tokens, plain values)', () => {
    const text = 'GET http://127.0.0.1:4000/.well-known/openid-configuration\nhost: example.com\nscope=openid profile';
    expect(maskSignatures(text, '[x]')).toBe(text);
    // alg none: no signature to hide.
    expect(maskSignatures('eyJhbGciOiJub25lIn0.eyJhIjoxfQ.', '[x]')).toBe('eyJhbGciOiJub25lIn0.eyJhIjoxfQ.');
  });
});

describe('sequence model › refresh', () => {
  it('a refresh appended to a finished run is a token request after the JWKS one, its nonce challenge first, one arrow per refresh', () => {
    const r = finishedRun();
    const challenge = {
      ...exchange('POST', '/oauth/token', 400),
      response: { status: 400, headers: { 'dpop-nonce': 'n2' }, body: '{"error":"use_dpop_nonce"}' },
    };
    r.steps.push(
      step('refresh', {
        id: 'refresh-1',
        exchange: exchange('POST', '/oauth/token', 200, 'grant_type=refresh_token&refresh_token=%5Bredacted%5D'),
        extraExchanges: [{ purpose: 'token', reason: 'use_dpop_nonce', exchange: challenge, jwts: [] }],
      }),
      step('refresh', { id: 'refresh-2', status: 'failed', exchange: exchange('POST', '/oauth/token', 403) }),
    );
    const rows = sequenceOf(r);
    expect(rows.slice(-4).map((row) => [row.id, row.stepIndex])).toEqual([
      ['jwks', 6],
      ['nonce-challenge', 7],
      ['token', 7],
      ['token', 8],
    ]);
    const [, , first, second] = arrowsOf(rows.slice(-4));
    expect([first, second].map((a) => [a!.state, arrowText(a!.label)])).toEqual([
      ['done', 'POST /oauth/token → 200'],
      ['failed', 'POST /oauth/token → 403'],
    ]);
  });
});
