/**
 * The core's request policy (electron/core/http/request-policy.ts), against real HTTP servers on
 * 127.0.0.1: every core request is https or loopback http, over http(s) only; a redirect is followed only
 * after its Location passes the same check; a body past the cap is cut off while it streams (the rest is
 * never received); endpoints a discovery document names pass the policy before anything is sent to them.
 */
import { createServer } from 'node:http';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeIssuer } from '../../../../../electron/core/flows/probe-issuer';
import type { CoreFetch } from '../../../../../electron/core/http/request-policy';
import {
  DEFAULT_MAX_BODY_BYTES,
  RequestRefusedError,
  checkRequestUrl,
  isLoopbackHost,
  withRequestPolicy,
} from '../../../../../electron/core/http/request-policy';
import { fetchJson } from '../../../../../electron/core/jwt/fetch-json';
import type { FlowTarget } from '../../../../../shared/schemas/flows';
import type { FlowHarness } from './helpers';
import { REDIRECT, flowHarness, stepOf } from './helpers';

const BIG_BYTES = 30 * 1024 * 1024;
const ALLOWED = 'only https (or http to a loopback address: 127.0.0.0/8, ::1, localhost) is allowed';

/** What the server did with a 30 MB answer: bytes the socket accepted, and whether the answer was sent whole. */
interface BigAnswer {
  written: number;
  finished: boolean;
}

let server: ReturnType<typeof createServer>;
let base: string;
/** One promise per 30 MB answer, settled when the connection has closed. */
const bigAnswers: Promise<BigAnswer>[] = [];

/** Streams 30 MB, respecting backpressure, so that bytes counted are bytes the socket accepted. */
function sendBig(res: ServerResponse): void {
  let written = 0;
  bigAnswers.push(new Promise((resolve) => res.on('close', () => resolve({ written, finished: res.writableFinished }))));
  res.writeHead(200, { 'content-type': 'application/json' });
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  res.write('{"padding":"');
  const pump = (): void => {
    while (written < BIG_BYTES && !res.destroyed) {
      written += chunk.length;
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
    if (!res.destroyed) res.end('"}');
  };
  pump();
}

function discoveryDoc(issuer: string, endpoints: Record<string, string> = {}): string {
  return JSON.stringify({
    issuer,
    authorization_endpoint: `${issuer}authorize`,
    token_endpoint: `${issuer}oauth/token`,
    jwks_uri: `${issuer}.well-known/jwks.json`,
    ...endpoints,
  });
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const issuer = `${base}${path.split('/')[1] ?? ''}/`;
    const redirect = (location: string) => res.writeHead(302, { location }).end();
    const json = (body: string) => res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    if (path === '/big/.well-known/openid-configuration' || path === '/big.jwks') return sendBig(res);
    if (path === '/redir-js/.well-known/openid-configuration') return redirect('javascript:alert(document.cookie)');
    if (path === '/redir-file/.well-known/openid-configuration') return redirect('file:///etc/passwd');
    if (path === '/redir-http/.well-known/openid-configuration') return redirect('http://idp.example.com/.well-known/openid-configuration');
    if (path === '/redir-ok/.well-known/openid-configuration') return redirect('/moved/redir-ok');
    if (path === '/moved/redir-ok') return json(discoveryDoc(`${base}redir-ok/`));
    if (path === '/redir-js.jwks') return redirect('javascript:alert(1)');
    if (path === '/js/.well-known/openid-configuration') return json(discoveryDoc(issuer, { token_endpoint: 'javascript:alert(1)' }));
    if (path === '/file/.well-known/openid-configuration') return json(discoveryDoc(issuer, { jwks_uri: 'file:///etc/passwd' }));
    if (path === '/plain/.well-known/openid-configuration') return json(discoveryDoc(issuer, { authorization_endpoint: 'http://idp.example.com/authorize' }));
    return res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => {
  server.close();
});

/** Node's fetch with a count of the URLs asked for and of the body bytes handed on (the transport boundary). */
function countingFetch(): { fetch: CoreFetch; calls: string[]; received: () => number } {
  const calls: string[] = [];
  let received = 0;
  return {
    calls,
    received: () => received,
    fetch: async (url, init) => {
      calls.push(url);
      const res = await fetch(url, init);
      if (!res.body) return res;
      const counted = res.body.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            received += chunk.byteLength;
            controller.enqueue(chunk);
          },
        }),
      );
      return new Response(counted, { status: res.status, statusText: res.statusText, headers: res.headers });
    },
  };
}

async function probeError(fetchFn: CoreFetch, issuer: string): Promise<{ message: string; details?: Record<string, unknown> }> {
  try {
    await probeIssuer(fetchFn, issuer);
  } catch (e) {
    return e as { message: string; details?: Record<string, unknown> };
  }
  throw new Error(`expected the discovery of ${issuer} to fail`);
}

describe('Request policy › which URLs', () => {
  it('allows https anywhere and http to loopback only (127.0.0.0/8, ::1, localhost)', () => {
    for (const ok of [
      'https://idp.example.com/',
      'http://127.0.0.1:3000/',
      'http://127.8.9.10/x',
      'http://[::1]:8080/',
      'http://localhost/',
      'http://LOCALHOST:1/',
      'http://127.1/',
    ]) {
      expect(() => checkRequestUrl(ok), ok).not.toThrow();
    }
    for (const [url, rule] of [
      ['http://idp.example.com/', 'plain-http'],
      ['http://localhost.evil.example/', 'plain-http'],
      ['http://127.0.0.1.nip.io/', 'plain-http'],
      ['http://10.0.0.1/', 'plain-http'],
      ['http://[::2]/', 'plain-http'],
      ['javascript:alert(1)', 'scheme'],
      ['file:///etc/passwd', 'scheme'],
      ['data:application/json,{}', 'scheme'],
      ['ftp://idp.example.com/', 'scheme'],
      ['not a url', 'invalid-url'],
    ] as const) {
      let error: unknown;
      try {
        checkRequestUrl(url);
      } catch (e) {
        error = e;
      }
      expect(error, url).toBeInstanceOf(RequestRefusedError);
      expect((error as RequestRefusedError).rule, url).toBe(rule);
      expect((error as Error).message, url).toMatch(/^Refused: /);
    }
    expect(isLoopbackHost('127.255.255.254')).toBe(true);
    expect(isLoopbackHost('128.0.0.1')).toBe(false);
  });

  it('refuses before anything is sent: the transport is never called', async () => {
    const counting = countingFetch();
    const error = await probeError(counting.fetch, 'http://idp.example.com/');
    expect(error.message).toBe(
      `Refused: ${'http://idp.example.com/.well-known/openid-configuration'} uses plain http to idp.example.com, which is not this machine; ${ALLOWED}.`,
    );
    expect(error.details).toEqual({ reason: 'request_refused' });
    expect(counting.calls).toEqual([]);
  });
});

describe('Request policy › bodies are capped while they stream', () => {
  it('cuts a 30 MB discovery document off at the cap: the error names the cap, and the rest is never received', async () => {
    const counting = countingFetch();
    const answered = bigAnswers.length;
    const error = await probeError(counting.fetch, `${base}big/`);
    expect(error.message).toBe(
      `Refused: ${base}big/.well-known/openid-configuration returned more than ${DEFAULT_MAX_BODY_BYTES} bytes; responses are capped at ${DEFAULT_MAX_BODY_BYTES} bytes.`,
    );
    expect(error.details).toEqual({ reason: 'request_refused' });
    // Bytes handed on by the transport: the cap and the chunks in flight, not 30 MB.
    expect(counting.received()).toBeGreaterThan(DEFAULT_MAX_BODY_BYTES);
    expect(counting.received()).toBeLessThan(2 * DEFAULT_MAX_BODY_BYTES);
    // The server saw the connection dropped before its answer was sent whole.
    const big = await bigAnswers[answered]!;
    expect(big.finished).toBe(false);
    expect(big.written).toBeLessThan(BIG_BYTES);
  });

  it("cuts a 30 MB JWKS off at the cap in jwt.verify's fetch too", async () => {
    const counting = countingFetch();
    const answered = bigAnswers.length;
    await expect(fetchJson(`${base}big.jwks`, { fetch: counting.fetch })).rejects.toThrow(
      `Refused: ${base}big.jwks returned more than 1000000 bytes; responses are capped at 1000000 bytes.`,
    );
    expect(counting.received()).toBeLessThan(2 * DEFAULT_MAX_BODY_BYTES);
    expect((await bigAnswers[answered]!).finished).toBe(false);
  });

  it('refuses a body whose declared length is over the cap without reading it', async () => {
    const policed = withRequestPolicy(() => Promise.resolve(new Response('{}', { headers: { 'content-length': '31457280' } })), { maxBodyBytes: 1000 });
    await expect(policed('https://idp.example.com/x', {})).rejects.toMatchObject({ rule: 'body-too-large' });
  });
});

describe('Request policy › redirects are checked again before they are followed', () => {
  it.each([
    ['javascript:', 'redir-js', `javascript:alert(document.cookie) uses javascript:, ${ALLOWED}.`],
    ['file:', 'redir-file', `file:///etc/passwd uses file:, ${ALLOWED}.`],
    [
      'plain http to another host',
      'redir-http',
      `http://idp.example.com/.well-known/openid-configuration uses plain http to idp.example.com, which is not this machine; ${ALLOWED}.`,
    ],
  ])('refuses a discovery redirect to %s, and never requests it', async (_what, path, named) => {
    const counting = countingFetch();
    const error = await probeError(counting.fetch, `${base}${path}/`);
    expect(error.message).toBe(`Refused: the redirect from ${base}${path}/.well-known/openid-configuration to ${named}`);
    expect(error.details).toEqual({ reason: 'request_refused' });
    expect(counting.calls).toEqual([`${base}${path}/.well-known/openid-configuration`]);
  });

  it('follows a redirect that passes the policy (loopback to loopback)', async () => {
    const counting = countingFetch();
    const summary = await probeIssuer(counting.fetch, `${base}redir-ok/`);
    expect(summary.issuer).toBe(`${base}redir-ok/`);
    expect(counting.calls).toEqual([`${base}redir-ok/.well-known/openid-configuration`, `${base}moved/redir-ok`]);
  });

  it("refuses a JWKS redirect to javascript: in jwt.verify's fetch", async () => {
    const counting = countingFetch();
    await expect(fetchJson(`${base}redir-js.jwks`, { fetch: counting.fetch })).rejects.toThrow(
      `Refused: the redirect from ${base}redir-js.jwks to javascript:alert(1) uses javascript:, ${ALLOWED}.`,
    );
    expect(counting.calls).toHaveLength(1);
  });

  it('does not follow a redirect a POST receives (a token endpoint that redirects is an answer, not a hop)', async () => {
    const counting = countingFetch();
    const res = await withRequestPolicy(counting.fetch)(`${base}redir-js/.well-known/openid-configuration`, { method: 'POST', redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(counting.calls).toHaveLength(1);
  });
});

describe("Request policy › a discovery document's endpoints", () => {
  let h: FlowHarness;
  beforeAll(async () => {
    h = await flowHarness();
  });
  afterAll(async () => {
    await h.core.close();
  });

  async function runAgainst(id: string): Promise<ReturnType<typeof stepOf>> {
    const target: FlowTarget = {
      id,
      name: id,
      issuer: `${base}${id}/`,
      client_id: 'c',
      auth: { method: 'none', hasSecret: false },
      redirect_uri: REDIRECT,
      scope: 'openid',
      embedded: false,
    };
    await h.call('flows.saveTarget', { target });
    const run = await h.run(id, 'plain');
    expect(run.status).toBe('failed');
    expect(h.launcher.opened).toEqual([]);
    return stepOf(run, 'discover');
  }

  it('a javascript: token_endpoint fails discovery with an error naming the rule, before the browser opens', async () => {
    const discover = await runAgainst('js');
    expect(discover.error).toEqual({ code: 'request_refused', message: `Refused: the discovery document's token_endpoint uses javascript:, ${ALLOWED}.` });
  });

  it('a file: jwks_uri and a plain-http authorization_endpoint are refused too', async () => {
    expect((await runAgainst('file')).error?.message).toBe(`Refused: the discovery document's jwks_uri uses file:, ${ALLOWED}.`);
    expect((await runAgainst('plain')).error?.message).toBe(
      `Refused: the discovery document's authorization_endpoint uses plain http to idp.example.com, which is not this machine; ${ALLOWED}.`,
    );
  });

  it('Check issuer gives the same named error', async () => {
    const result = await h.core.dispatch('flows.discover', { issuer: `${base}js/` });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.error).toMatchObject({
        code: 'INVALID_INPUT',
        message: `Refused: the discovery document's token_endpoint uses javascript:, ${ALLOWED}.`,
        details: { reason: 'request_refused' },
      });
  });
});
