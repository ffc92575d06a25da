/**
 * No input makes the server answer 5xx or stop: arbitrary parameter values, repeated and odd-typed fields,
 * malformed headers and bodies at every Authentication API endpoint (property-based with fast-check).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness, TestClient } from './helpers';
import { CALLBACK, JWT_BEARER, form, startServer } from './helpers';

let h: Harness;
let c: TestClient;
beforeAll(async () => {
  h = await startServer();
  c = await h.client();
});
afterAll(async () => {
  await h.close();
});

const NAMES = [
  'client_id',
  'response_type',
  'redirect_uri',
  'scope',
  'state',
  'nonce',
  'request',
  'request_uri',
  'code_challenge',
  'code_challenge_method',
  'prompt',
  'max_age',
  'response_mode',
  'audience',
  'grant_type',
  'code',
  'code_verifier',
  'client_secret',
  'client_assertion',
  'client_assertion_type',
  'refresh_token',
  'token',
  'returnTo',
  '__proto__',
  'constructor',
];
const value = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.constantFrom(
    '',
    'code',
    'none login',
    'S256',
    'urn:ietf:params:oauth:request_uri:x',
    'a.b.c',
    'javascript:alert(1)',
    CALLBACK,
    '%E0%A4%A',
    '\u0000',
    '€',
    'x'.repeat(5000),
  ),
);
const paramsArb = fc.array(fc.tuple(fc.constantFrom(...NAMES), value), { maxLength: 12 });

function encode(pairs: [string, string][]): string {
  return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

describe('Robustness › never 5xx', () => {
  it('GET /authorize with arbitrary parameters', async () => {
    await fc.assert(
      fc.asyncProperty(paramsArb, fc.boolean(), async (pairs, withClient) => {
        const all: [string, string][] = withClient ? [['client_id', c.client_id], ['redirect_uri', CALLBACK], ...pairs] : pairs;
        const res = await fetch(`${h.base}authorize?${encode(all)}`, { redirect: 'manual' });
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
  });

  it('POST /oauth/par, /oauth/token, /oauth/revoke with arbitrary form fields', async () => {
    await fc.assert(
      fc.asyncProperty(paramsArb, fc.constantFrom('oauth/par', 'oauth/token', 'oauth/revoke', 'u/login', 'u/consent', 'authorize'), async (pairs, path) => {
        const res = await fetch(`${h.base}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: encode([['client_id', c.client_id], ...pairs]),
          redirect: 'manual',
        });
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
  });

  it('odd JSON bodies, headers and content types', async () => {
    const bodies = [
      'null',
      '[]',
      '"text"',
      '42',
      '{"grant_type":{"a":1}}',
      '{"grant_type":null}',
      '{"__proto__":{"x":1}}',
      '{bad json',
      '{"client_id":["a","b"]}',
    ];
    for (const path of ['oauth/token', 'oauth/par', 'oauth/revoke', 'userinfo']) {
      for (const body of bodies) {
        const res = await fetch(`${h.base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        expect(res.status, `${path} ${body}`).toBeLessThan(500);
      }
      for (const type of ['text/plain', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded; charset=utf-16', '']) {
        const res = await fetch(`${h.base}${path}`, { method: 'POST', headers: type ? { 'content-type': type } : {}, body: 'a=b' });
        expect(res.status, `${path} ${type}`).toBeLessThan(500);
      }
      for (const authorization of [
        'Basic',
        'Basic ',
        'Basic ::::',
        'Basic %%%',
        `Basic ${Buffer.from(':').toString('base64')}`,
        `Basic ${Buffer.from('%zz:%zz').toString('base64')}`,
        'Bearer',
        'Bearer a.b.c',
        'DPoP x',
      ]) {
        const res = await form(`${h.base}${path}`, { grant_type: 'client_credentials', client_assertion_type: JWT_BEARER }, { authorization });
        expect(res.status, `${path} ${authorization}`).toBeLessThan(500);
      }
    }
  });

  it('GET pages and logout with arbitrary parameters', async () => {
    await fc.assert(
      fc.asyncProperty(
        paramsArb,
        fc.constantFrom('u/login', 'u/consent', 'v2/logout', 'oidc/logout', 'userinfo', '.well-known/openid-configuration'),
        async (pairs, path) => {
          const res = await fetch(`${h.base}${path}?${encode(pairs)}`, { redirect: 'manual' });
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: 100 },
    );
  });
});
