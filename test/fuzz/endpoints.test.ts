/**
 * Fuzzing every route of the embedded server over real HTTP (fast-check, fixed seeds, bounded runs):
 * random and mutated JWTs, form bodies, query strings, JSON bodies and headers. The routes come from the
 * Fastify instance, so an endpoint added later is fuzzed too. Every answer must be well-formed
 * (harness.ts answerProblem): never a 5xx, never a hang (per-request timeout), every 4xx with the error
 * body of its route's style; and the server must log no unexpected error and pollute no prototype.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FuzzRequest, FuzzServer, RouteInfo } from './harness';
import {
  CALLBACK,
  FUZZ_TEST_TIMEOUT,
  cookiesOf,
  expectWellFormed,
  fuzzParams,
  fitPath,
  hiddenFields,
  guardFuzzRuns,
  send,
  startFuzzServer,
  styleOf,
} from './harness';
import {
  PARAM_NAMES,
  authorizations,
  b64,
  contentTypes,
  cookies,
  encodedPairs,
  headerSafe,
  jsonBodyText,
  jwtish,
  mutation,
  paramPairs,
  paramValue,
} from './arbitraries';

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const TEST_TIMEOUT = FUZZ_TEST_TIMEOUT;

let s: FuzzServer;
const assertions: string[] = [];
const requestObjects: string[] = [];

beforeAll(async () => {
  s = await startFuzzServer();
  for (let i = 0; i < 12; i++) {
    assertions.push(await s.validAssertion());
    requestObjects.push(await s.validRequestObject(i % 2 === 0 ? {} : { request_uri: 'urn:x', code_challenge: 'x'.repeat(43), code_challenge_method: 'S256' }));
  }
}, 60_000);

guardFuzzRuns(() => s);

/**
 * A route's path with its parameters filled: an existing id, a random one, or hostile text. DELETE never
 * gets an existing id: the later properties need the seeded clients and user (management.test.ts, on a
 * server of its own, deletes real ones last).
 */
function fillPath(route: RouteInfo, pick: number, garbage: string, method: string): string {
  return route.path.replace(/:([A-Za-z_]+)/g, (_m, name: string) => {
    const pool = name === 'credential_id' ? s.ids.credential : name === 'user_id' ? s.ids.user : name === 'grant_id' ? s.ids.grant : s.ids.client;
    const choice = pick % 4;
    if (choice < 2 && pool.length > 0 && method !== 'DELETE') return encodeURIComponent(pool[pick % pool.length]!);
    if (choice === 2) return encodeURIComponent(garbage.slice(0, 180)) || 'x';
    return 'cred_' + 'A'.repeat(pick % 70);
  });
}

const extraMethods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'];

function style(route: RouteInfo, method: string) {
  // A method the route does not serve is answered by the not-found handler, whose style is by URL prefix.
  return route.methods.includes(method) ? route.style : 'any';
}

async function check(route: RouteInfo, method: string, req: FuzzRequest): Promise<void> {
  const res = await send(s.port, req);
  expectWellFormed(style(route, method), req, res);
}

describe('Fuzz › the route table', () => {
  it('is read from the Fastify instance and covers every endpoint family', () => {
    const paths = s.routes.map((r) => r.path);
    for (const p of [
      '/authorize',
      '/oauth/token',
      '/oauth/par',
      '/oauth/revoke',
      '/userinfo',
      '/u/login',
      '/u/consent',
      '/.well-known/jwks.json',
      '/.well-known/openid-configuration',
      '/v2/logout',
      '/oidc/logout',
      '/api/v2/clients',
      '/api/v2/clients/:id',
      '/api/v2/clients/:id/credentials/:credential_id',
      '/api/v2/client-grants/:grant_id',
      '/api/v2/users/:user_id',
    ]) {
      expect(paths).toContain(p);
    }
    // A route this suite cannot place in an error style would be fuzzed with a weaker check: classify it.
    expect(s.routes.filter((r) => r.style === 'any').map((r) => r.path)).toEqual([]);
  });
});

describe('Fuzz › every route', () => {
  it('answers random query strings, methods and headers well-formed', { timeout: TEST_TIMEOUT }, async () => {
    const arb = fc.record({
      route: fc.nat(),
      method: fc.nat(),
      pick: fc.nat(),
      garbage: fc.string({ maxLength: 40 }),
      query: fc.option(encodedPairs([s.ids.client[0]!, 'https://app.example.com/callback']), { nil: undefined }),
      contentType: fc.option(contentTypes, { nil: undefined }),
      authorization: fc.option(authorizations([`Bearer ${s.managementToken}`]), { nil: undefined }),
      cookie: fc.option(cookies, { nil: undefined }),
      body: fc.option(fc.oneof(encodedPairs(), jsonBodyText), { nil: undefined }),
      badHost: fc.oneof(
        { weight: 9, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.constantFrom('evil.example', 'localhost', '127.0.0.1', '127.0.0.1:1', '[::1]', '') },
      ),
    });
    await fc.assert(
      fc.asyncProperty(arb, async (x) => {
        const route = s.routes[x.route % s.routes.length]!;
        const methods = [...route.methods, ...extraMethods];
        const method = methods[x.method % methods.length]!;
        const headers: Record<string, string> = {};
        if (x.contentType !== undefined) headers['content-type'] = x.contentType;
        if (x.authorization !== undefined) headers.authorization = x.authorization;
        // The Management API checks the token first: most requests carry a valid one, so the rest is reached.
        if (route.style === 'management' && x.pick % 4 !== 0) headers.authorization = `Bearer ${s.managementToken}`;
        if (x.cookie !== undefined) headers.cookie = x.cookie;
        if (x.badHost !== undefined) headers.host = x.badHost;
        const path = fitPath(`${fillPath(route, x.pick, x.garbage, method)}${x.query === undefined ? '' : `?${x.query}`}`, headers);
        const withBody = method !== 'GET' && method !== 'HEAD' && x.body !== undefined;
        await check(route, method, { method, path, headers, ...(withBody ? { body: x.body } : {}) });
      }),
      fuzzParams(0x8f00d, 800),
    );
  });

  it('answers random form bodies to every route that takes one, with and without valid client authentication', { timeout: TEST_TIMEOUT }, async () => {
    const posts = s.routes.filter((r) => r.methods.some((m) => m === 'POST' || m === 'PATCH' || m === 'PUT'));
    const arb = fc.record({
      route: fc.nat(),
      pick: fc.nat(),
      body: encodedPairs([s.ids.client[0]!, s.ids.client[1]!, s.secretClient.client_secret, JWT_BEARER], 14),
      auth: fc.constantFrom('none', 'secret', 'assertion', 'basic', 'both'),
      contentType: fc.oneof({ weight: 6, arbitrary: fc.constant('application/x-www-form-urlencoded') }, { weight: 1, arbitrary: contentTypes }),
    });
    await fc.assert(
      fc.asyncProperty(arb, async (x) => {
        const route = posts[x.route % posts.length]!;
        const method = route.methods.find((m) => m === 'POST') ?? route.methods.find((m) => m === 'PATCH' || m === 'PUT')!;
        const headers: Record<string, string> = { 'content-type': x.contentType };
        let prefix = '';
        const { client_id, client_secret } = s.secretClient;
        if (x.auth === 'secret' || x.auth === 'both') prefix += `client_id=${client_id}&client_secret=${encodeURIComponent(client_secret)}&`;
        if (x.auth === 'assertion' || x.auth === 'both')
          prefix += `client_assertion_type=${encodeURIComponent(JWT_BEARER)}&client_assertion=${assertions[x.pick % assertions.length]!}&`;
        if (x.auth === 'basic') headers.authorization = `Basic ${Buffer.from(`${client_id}:${client_secret}`).toString('base64')}`;
        if (route.style === 'management') headers.authorization = `Bearer ${s.managementToken}`;
        await check(route, method, { method, path: fillPath(route, x.pick, '', method), headers, body: prefix + x.body });
      }),
      fuzzParams(0xf0a11, 800),
    );
  });
});

/** A request that would succeed (or nearly), as name/value pairs, before edits. */
interface Template {
  method: 'GET' | 'POST';
  path: string;
  pairs: () => Promise<[string, string][]>;
}

function templates(): Template[] {
  const sc = s.secretClient;
  const kc = s.keyClient.client_id;
  const secret: [string, string][] = [
    ['client_id', sc.client_id],
    ['client_secret', sc.client_secret],
  ];
  const assertion = async (): Promise<[string, string][]> => [
    ['client_id', kc],
    ['client_assertion_type', JWT_BEARER],
    ['client_assertion', await s.validAssertion()],
  ];
  const authz: [string, string][] = [
    ['response_type', 'code'],
    ['redirect_uri', CALLBACK],
    ['scope', 'openid profile email offline_access'],
    ['state', 'st'],
    ['nonce', 'n'],
    ['code_challenge', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'],
    ['code_challenge_method', 'S256'],
  ];
  return [
    { method: 'POST', path: '/oauth/token', pairs: async () => [['grant_type', 'client_credentials'], ['audience', s.managementAudience], ...secret] },
    {
      method: 'POST',
      path: '/oauth/token',
      pairs: async () => [['grant_type', 'client_credentials'], ['audience', s.managementAudience], ...(await assertion())],
    },
    {
      method: 'POST',
      path: '/oauth/token',
      pairs: async () => [
        ['grant_type', 'authorization_code'],
        ['code', 'abc'],
        ['redirect_uri', CALLBACK],
        ['code_verifier', 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'],
        ...secret,
      ],
    },
    { method: 'POST', path: '/oauth/token', pairs: async () => [['grant_type', 'refresh_token'], ['refresh_token', 'rt'], ...secret] },
    { method: 'POST', path: '/oauth/par', pairs: async () => [...authz, ...secret] },
    { method: 'POST', path: '/oauth/par', pairs: async () => [['request', await s.validRequestObject()], ...(await assertion())] },
    { method: 'POST', path: '/oauth/revoke', pairs: async () => [['token', 'rt'], ...secret] },
    { method: 'GET', path: '/authorize', pairs: async () => [['client_id', sc.client_id], ...authz] },
    {
      method: 'GET',
      path: '/authorize',
      pairs: async () => [
        ['client_id', kc],
        ['request', await s.validRequestObject()],
      ],
    },
    { method: 'POST', path: '/authorize', pairs: async () => [['client_id', sc.client_id], ...authz] },
    {
      method: 'GET',
      path: '/v2/logout',
      pairs: async () => [
        ['client_id', sc.client_id],
        ['returnTo', 'https://app.example.com/'],
      ],
    },
    {
      method: 'GET',
      path: '/oidc/logout',
      pairs: async () => [
        ['client_id', sc.client_id],
        ['post_logout_redirect_uri', 'https://app.example.com/'],
        ['state', 's'],
      ],
    },
  ];
}

/** One edit of a near-valid request: set, delete, repeat or add a parameter. */
const edit = fc.record({
  kind: fc.constantFrom('set', 'delete', 'repeat', 'add'),
  at: fc.nat(),
  name: fc.constantFrom(...PARAM_NAMES),
  value: paramValue([CALLBACK, 'S256', 'code', 'openid']),
});

function applyEdits(pairs: [string, string][], edits: { kind: string; at: number; name: string; value: string }[]): [string, string][] {
  const out = [...pairs];
  for (const e of edits) {
    const i = out.length === 0 ? 0 : e.at % out.length;
    if (e.kind === 'set' && out[i]) out[i] = [out[i][0], e.value];
    else if (e.kind === 'delete') out.splice(i, 1);
    else if (e.kind === 'repeat' && out[i]) out.push([out[i][0], e.value]);
    else out.push([e.name, e.value]);
  }
  return out;
}

/** A JSON value that may replace one member of a JSON request (or leave it alone). */
const jsonLeaf = fc.record({
  replace: fc.boolean(),
  value: fc.oneof(
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 2 }),
    fc.string({ maxLength: 10 }),
  ),
});

describe('Fuzz › near-valid requests', () => {
  it('a valid request of each endpoint with one to three parameters changed, dropped, repeated or added', { timeout: TEST_TIMEOUT }, async () => {
    const all = templates();
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        fc.array(edit, { minLength: 0, maxLength: 3 }),
        fc.boolean(),
        fc.option(jsonLeaf, { nil: undefined, freq: 2 }),
        async (which, edits, basic, json) => {
          const t = all[which % all.length]!;
          const pairs = applyEdits(await t.pairs(), edits);
          const headers: Record<string, string> = {};
          if (basic && t.method === 'POST') {
            // The same client authenticated a second way (Basic): X-18 when the form also authenticates.
            headers.authorization = `Basic ${Buffer.from(`${s.secretClient.client_id}:${s.secretClient.client_secret}`).toString('base64')}`;
          }
          const body = new URLSearchParams(pairs).toString();
          const route = s.routes.find((r) => r.path === t.path)!;
          let req: FuzzRequest =
            t.method === 'GET'
              ? { method: 'GET', path: fitPath(`${t.path}?${body}`, headers), headers }
              : { method: 'POST', path: t.path, headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body };
          if (json !== undefined && t.method === 'POST') {
            // The same request as JSON (the token endpoint and revoke accept it), one member sometimes not a string.
            const object: Record<string, unknown> = Object.fromEntries(pairs);
            const key = pairs[edits.length % Math.max(1, pairs.length)]?.[0];
            if (key !== undefined && json.replace) object[key] = json.value;
            req = { method: 'POST', path: t.path, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(object) };
          }
          await check(route, t.method, req);
        },
      ),
      fuzzParams(0x6749, 800),
    );
  });

  it('the sign-in and consent pages of a live transaction, with fuzzed fields and cookies', { timeout: TEST_TIMEOUT }, async () => {
    const login = s.routes.find((r) => r.path === '/u/login')!;
    const consent = s.routes.find((r) => r.path === '/u/consent')!;
    const user = s.server.ctx.directory.bootstrapInfo().users[0]!;
    const field = (valid: string) =>
      fc.oneof({ weight: 3, arbitrary: fc.constant(valid) }, { weight: 1, arbitrary: paramValue() }, { weight: 1, arbitrary: fc.constant(undefined) });
    const arb = fc.record({
      edits: fc.array(edit, { maxLength: 2 }),
      password: field(user.password),
      email: field(user.email),
      keepState: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      keepCsrf: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      cookie: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: cookies }),
      action: fc.oneof(fc.constantFrom('accept', 'decline'), paramValue()),
    });
    await fc.assert(
      fc.asyncProperty(arb, async (x) => {
        const query = new URLSearchParams([
          ['client_id', s.secretClient.client_id],
          ['response_type', 'code'],
          ['redirect_uri', CALLBACK],
          ['scope', 'openid profile'],
          ['state', 'st'],
          ['prompt', 'login consent'],
        ]);
        const start = await send(s.port, { method: 'GET', path: `/authorize?${query.toString()}` });
        expect(start.status).toBe(302);
        const jar = cookiesOf(start);
        const page = await send(s.port, { method: 'GET', path: String(start.headers.location), headers: { cookie: jar } });
        expectWellFormed('html', { method: 'GET', path: String(start.headers.location) }, page);
        const hidden = hiddenFields(page.body);
        const base: [string, string][] = [];
        if (x.keepState && hidden.state) base.push(['state', hidden.state]);
        if (x.keepCsrf && hidden.csrf) base.push(['csrf', hidden.csrf]);
        if (x.email !== undefined) base.push(['email', x.email]);
        if (x.password !== undefined) base.push(['password', x.password]);
        const headers = { 'content-type': 'application/x-www-form-urlencoded', cookie: headerSafe(x.cookie ?? jar) };
        const req: FuzzRequest = { method: 'POST', path: '/u/login', headers, body: new URLSearchParams(applyEdits(base, x.edits)).toString() };
        const res = await send(s.port, req);
        expectWellFormed(login.style, req, res);
        const next = String(res.headers.location ?? '');
        if (res.status !== 302 || !next.startsWith('/u/consent')) return;
        const cookie = [headers.cookie, cookiesOf(res)].filter(Boolean).join('; ');
        const shown = await send(s.port, { method: 'GET', path: next, headers: { cookie } });
        const fields = hiddenFields(shown.body);
        const answer: FuzzRequest = {
          method: 'POST',
          path: '/u/consent',
          headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
          body: new URLSearchParams(
            applyEdits(
              [
                ['state', fields.state ?? ''],
                ['csrf', fields.csrf ?? ''],
                ['action', x.action],
              ],
              x.edits,
            ),
          ).toString(),
        };
        const answered = await send(s.port, answer);
        expectWellFormed(consent.style, answer, answered);
        // The code, when one was issued, is redeemed with the same edits applied to the token request.
        const code = answered.status === 302 ? new URL(String(answered.headers.location), s.base).searchParams.get('code') : null;
        if (code === null) return;
        const exchange: FuzzRequest = {
          method: 'POST',
          path: '/oauth/token',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(
            applyEdits(
              [
                ['grant_type', 'authorization_code'],
                ['code', code],
                ['redirect_uri', CALLBACK],
                ['client_id', s.secretClient.client_id],
                ['client_secret', s.secretClient.client_secret],
              ],
              x.edits,
            ),
          ).toString(),
        };
        const tokens = await send(s.port, exchange);
        expectWellFormed('oauth', exchange, tokens);
        if (tokens.status !== 200) return;
        const { access_token, refresh_token } = JSON.parse(tokens.body) as { access_token?: string; refresh_token?: string };
        const info: FuzzRequest = { method: 'GET', path: '/userinfo', headers: { authorization: `Bearer ${access_token ?? ''}` } };
        expectWellFormed('oauth', info, await send(s.port, info));
        if (refresh_token === undefined) return;
        const refresh: FuzzRequest = {
          method: 'POST',
          path: x.keepCsrf ? '/oauth/token' : '/oauth/revoke',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(
            applyEdits(
              [
                ['grant_type', 'refresh_token'],
                ['refresh_token', refresh_token],
                ['token', refresh_token],
                ['client_id', s.secretClient.client_id],
                ['client_secret', s.secretClient.client_secret],
              ],
              x.edits,
            ),
          ).toString(),
        };
        expectWellFormed('oauth', refresh, await send(s.port, refresh));
      }),
      fuzzParams(0x5e5, 100),
    );
  });
});

describe('Fuzz › JWTs where JWTs are read', () => {
  const tokens = () =>
    fc.oneof(
      { weight: 2, arbitrary: jwtish },
      {
        weight: 3,
        arbitrary: fc
          .tuple(fc.nat(), mutation, fc.boolean())
          .map(([i, mutate, jar]) => mutate(jar ? requestObjects[i % requestObjects.length]! : assertions[i % assertions.length]!)),
      },
      { weight: 1, arbitrary: fc.nat().map((i) => (i % 2 === 0 ? requestObjects : assertions)[i % assertions.length]!) },
    );

  it('client assertions at /oauth/token, /oauth/par and /oauth/revoke', { timeout: TEST_TIMEOUT }, async () => {
    const arb = fc.record({
      path: fc.constantFrom('/oauth/token', '/oauth/par', '/oauth/revoke'),
      assertion: tokens(),
      clientId: fc.constantFrom<string | undefined>(undefined, s.keyClient.client_id, s.secretClient.client_id, 'unknown'),
      type: fc.constantFrom(JWT_BEARER, JWT_BEARER.toUpperCase(), 'urn:ietf:params:oauth:client-assertion-type:saml2-bearer', ''),
      rest: paramPairs([], 6),
    });
    await fc.assert(
      fc.asyncProperty(arb, async (x) => {
        const form = new URLSearchParams([
          ['client_assertion_type', x.type],
          ['client_assertion', x.assertion],
          ['grant_type', 'client_credentials'],
          ['response_type', 'code'],
          ['redirect_uri', 'https://app.example.com/callback'],
          ...x.rest,
        ]);
        if (x.clientId) form.set('client_id', x.clientId);
        const route = s.routes.find((r) => r.path === x.path)!;
        await check(route, 'POST', { method: 'POST', path: x.path, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
      }),
      fuzzParams(0x7523, 400),
    );
  });

  it('request objects at /authorize (query and form) and /oauth/par', { timeout: TEST_TIMEOUT }, async () => {
    const arb = fc.record({
      where: fc.constantFrom('GET /authorize', 'POST /authorize', 'POST /oauth/par'),
      request: tokens(),
      clientId: fc.constantFrom<string | undefined>(undefined, s.keyClient.client_id, s.secretClient.client_id, 'unknown'),
      rest: paramPairs(['https://app.example.com/callback'], 6),
    });
    await fc.assert(
      fc.asyncProperty(arb, async (x) => {
        const [method, path] = x.where.split(' ') as [string, string];
        const form = new URLSearchParams([['request', x.request], ...x.rest]);
        if (x.clientId) form.set('client_id', x.clientId);
        if (path === '/oauth/par') {
          form.set('client_id', s.keyClient.client_id);
          form.set('client_assertion_type', JWT_BEARER);
          form.set('client_assertion', await s.validAssertion());
        }
        const route = s.routes.find((r) => r.path === path)!;
        const req: FuzzRequest =
          method === 'GET'
            ? { method, path: fitPath(`${path}?${form.toString()}`) }
            : { method, path, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() };
        await check(route, method, req);
      }),
      fuzzParams(0x9101, 400),
    );
  });

  it('bearer tokens at /userinfo and the Management API', { timeout: TEST_TIMEOUT }, async () => {
    const arb = fc.record({
      path: fc.constantFrom('/userinfo', '/api/v2/clients', '/api/v2/users'),
      token: fc.oneof(
        tokens(),
        fc.constant(s.managementToken).chain((t) => mutation.map((m) => m(t))),
      ),
      scheme: fc.constantFrom('Bearer ', 'bearer ', 'Bearer  ', 'Bearer\t'),
    });
    await fc.assert(
      fc.asyncProperty(arb, async (x) => {
        const route = s.routes.find((r) => r.path === x.path)!;
        await check(route, 'GET', { method: 'GET', path: x.path, headers: { authorization: headerSafe(`${x.scheme}${x.token}`).slice(0, 14_000) } });
      }),
      fuzzParams(0x6750, 300),
    );
  });
});

describe('Fuzz › fixed hostile inputs', () => {
  it('prototype keys, duplicate parameters and odd encodings everywhere', async () => {
    const queries = [
      '__proto__[polluted]=1',
      'constructor[prototype][polluted]=1',
      '__proto__=x&__proto__=y',
      'client_id=a&client_id=b',
      'a=%',
      'a=%zz&b=%E0%A4%A',
      '&&&==&',
      'request=' + b64('{"alg":"none"}') + '.' + b64('{}') + '.',
      '%00=%00',
      'x'.repeat(12_000),
    ];
    for (const route of s.routes) {
      for (const method of route.methods) {
        for (const q of queries) {
          const req: FuzzRequest = { method, path: `${route.path.replace(/:[a-z_]+/g, 'x')}?${q}` };
          if (method !== 'GET' && method !== 'HEAD') {
            req.headers = {
              'content-type': route.style === 'management' ? 'application/json' : 'application/x-www-form-urlencoded',
              authorization: `Bearer ${s.managementToken}`,
            };
            req.body = route.style === 'management' ? '{"__proto__":{"polluted":1}}' : q;
          }
          const res = await send(s.port, req);
          expectWellFormed(styleOf(route.path), req, res);
        }
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('is still up and answering afterwards', async () => {
    const res = await send(s.port, { method: 'GET', path: '/.well-known/openid-configuration' });
    expect(res.status).toBe(200);
  });
});
