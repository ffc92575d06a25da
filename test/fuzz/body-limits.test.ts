/**
 * Bodies over the limits get 413 without being buffered whole: for every route of the embedded server that
 * takes a body (read from the Fastify instance, each with the limit its code declares: PAR 10 KB per PAR-3,
 * the Management API 100 KB, every other Authentication API route 1 MB) and for the web host (2 MB), a body
 * far larger than the limit is streamed, with and without a declared Content-Length, and the 413 (in the
 * route's error style) must arrive while the client is still writing. The bytes written when the answer
 * arrived are measured; nothing is timed.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../electron/core/server/app';
import { PAR_BODY_LIMIT } from '../../electron/core/server/endpoints/par';
import { MANAGEMENT_BODY_LIMIT } from '../../electron/core/server/management/routes';
import { createCore } from '../../electron/core/host/core';
import type { Core } from '../../electron/core/host/core';
import { startWebHost } from '../../electron/web/host';
import type { WebHost } from '../../electron/web/host';
import type { FuzzResponse, FuzzServer, RouteInfo } from './harness';
import { REQUEST_TIMEOUT_MS, answerProblem, send, startFuzzServer } from './harness';

/** The web host's default limit (electron/web/host.ts). */
const WEB_HOST_LIMIT = 2 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 'a');

interface Streamed extends FuzzResponse {
  /** Bytes handed to the socket when the answer's headers arrived. */
  writtenAtAnswer: number;
  total: number;
}

/**
 * Streams `total` bytes (64 KB chunks, honouring back-pressure) until the server answers, then stops.
 * `declared`: send Content-Length up front; otherwise the body is chunked and the server must count.
 */
function streamBody(port: number, method: string, path: string, headers: Record<string, string>, total: number, declared: boolean): Promise<Streamed> {
  return new Promise((resolve, reject) => {
    let written = 0;
    let writtenAtAnswer = -1;
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`HANG: no answer to a ${total}-byte body at ${method} ${path} (${written} bytes written)`));
    }, REQUEST_TIMEOUT_MS);
    const req = httpRequest(
      // Chunked explicitly: Node's client does not chunk a DELETE body by default (it would send it unframed).
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent: false,
        headers: { host: `127.0.0.1:${port}`, ...headers, ...(declared ? { 'content-length': String(total) } : { 'transfer-encoding': 'chunked' }) },
      },
      (res) => {
        writtenAtAnswer = written;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          clearTimeout(timer);
          req.destroy();
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), writtenAtAnswer, total });
        });
      },
    );
    req.on('error', (e) => {
      // After the answer the server may reset the connection we are still writing to: that is fine.
      if (writtenAtAnswer < 0) {
        clearTimeout(timer);
        reject(new Error(`${method} ${path}: ${e.message} after ${written} bytes, before any answer`));
      }
    });
    const pump = (): void => {
      while (writtenAtAnswer < 0 && written < total && !req.destroyed) {
        const n = Math.min(CHUNK.length, total - written);
        written += n;
        if (!req.write(n === CHUNK.length ? CHUNK : CHUNK.subarray(0, n))) {
          req.once('drain', pump);
          return;
        }
      }
      if (written >= total && writtenAtAnswer < 0) req.end();
    };
    pump();
  });
}

/** How much to send: far more than the limit plus what loopback socket buffers can swallow unread. */
function totalFor(limit: number): number {
  return limit * 4 + 48 * 1024 * 1024;
}

let s: FuzzServer;
beforeAll(async () => {
  s = await startFuzzServer();
}, 60_000);
afterAll(async () => {
  await s?.close();
});

function limitOf(route: RouteInfo): number {
  if (route.path === '/oauth/par') return PAR_BODY_LIMIT;
  if (route.path.startsWith('/api/')) return MANAGEMENT_BODY_LIMIT;
  return MAX_BODY_BYTES;
}

function expectEarly413(style: 'oauth' | 'management' | 'html' | 'any', method: string, res: Streamed, limit: number): void {
  expect(res.status, `${res.status} ${res.body.slice(0, 200)}`).toBe(413);
  expect(answerProblem(style, method, res)).toBeUndefined();
  // Answered while the client was still writing: the body was not read (let alone buffered) to its end.
  expect(res.writtenAtAnswer).toBeLessThan(res.total);
  expect(res.writtenAtAnswer).toBeGreaterThanOrEqual(0);
  expect(limit).toBeLessThan(res.total);
}

describe('Body limits › the embedded server', () => {
  it('declares the limits the tests assume', () => {
    expect(PAR_BODY_LIMIT).toBe(10 * 1024);
    expect(MANAGEMENT_BODY_LIMIT).toBe(100 * 1024);
    expect(MAX_BODY_BYTES).toBe(1024 * 1024);
  });

  it('answers 413 before the whole body is sent, at every route that takes a body, declared or chunked', { timeout: 300_000 }, async () => {
    const cases = s.routes.flatMap((route) =>
      route.methods.filter((m) => m === 'POST' || m === 'PUT' || m === 'PATCH' || m === 'DELETE').map((method) => ({ route, method })),
    );
    expect(cases.length).toBeGreaterThan(15);
    for (const { route, method } of cases) {
      const path = route.path.replace(/:[a-z_]+/g, (m) => (m === ':credential_id' ? (s.ids.credential[0] ?? 'x') : (s.ids.client[0] ?? 'x')));
      const type = route.style === 'management' ? 'application/json' : 'application/x-www-form-urlencoded';
      const headers: Record<string, string> = {
        'content-type': type,
        ...(route.style === 'management' ? { authorization: `Bearer ${s.managementToken}` } : {}),
      };
      const limit = limitOf(route);
      for (const declared of [true, false]) {
        const res = await streamBody(s.port, method, path, headers, totalFor(limit), declared);
        if (process.env.FUZZ_STATS)
          console.log(`${method} ${route.path} ${declared ? 'declared' : 'chunked'} limit=${limit} written-at-413=${res.writtenAtAnswer} of ${res.total}`);
        expectEarly413(route.style, method, res, limit);
      }
    }
    // Another content type takes another parser (the catch-all one that keeps the raw bytes): same limit.
    const raw = await streamBody(s.port, 'POST', '/oauth/token', { 'content-type': 'application/octet-stream' }, totalFor(MAX_BODY_BYTES), false);
    expectEarly413('oauth', 'POST', raw, MAX_BODY_BYTES);
    expect(s.logs).toEqual([]);
    expect((await send(s.port, { method: 'GET', path: '/.well-known/openid-configuration' })).status).toBe(200);
  });

  it('accepts a body of exactly the limit (the limit is the limit, not below it)', async () => {
    const body = `grant_type=client_credentials&pad=${'a'.repeat(PAR_BODY_LIMIT - 'grant_type=client_credentials&pad='.length)}`;
    expect(Buffer.byteLength(body)).toBe(PAR_BODY_LIMIT);
    const res = await send(s.port, { method: 'POST', path: '/oauth/par', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    expect(res.status).not.toBe(413);
    expect(answerProblem('oauth', 'POST', res)).toBeUndefined();
  });

  it('refuses an unauthenticated Management body with 401 before reading it', async () => {
    const res = await streamBody(s.port, 'POST', '/api/v2/clients', { 'content-type': 'application/json' }, totalFor(MANAGEMENT_BODY_LIMIT), false);
    expect(res.status).toBe(401);
    expect(answerProblem('management', 'POST', res)).toBeUndefined();
    expect(res.writtenAtAnswer).toBeLessThan(res.total);
  });
});

describe('Body limits › the web host', () => {
  let dir: string;
  let core: Core;
  let host: WebHost;
  const TOKEN = 'fuzz-token-0123456789abcdefghijklmnopqrstuv';
  let session = '';
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-limits-'));
    mkdirSync(join(dir, 'renderer'));
    writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>Parley</title>');
    core = await createCore({ dataDir: join(dir, 'data'), mode: 'web', version: '0.0.0-test', scrypt: { N: 1024, r: 8, p: 1 } });
    host = await startWebHost({ core, port: 0, rendererDir: join(dir, 'renderer'), token: TOKEN });
    // The launch token is single-use and not a session: swap it for one, as automation does.
    const exchange = await fetch(`${host.origin}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: TOKEN }),
    });
    session = ((await exchange.json()) as { value: { session: string } }).value.session;
  }, 60_000);
  afterAll(async () => {
    await host?.close();
    await core?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 413 PAYLOAD_TOO_LARGE to an operation body over 2 MB before it is all sent', { timeout: 120_000 }, async () => {
    for (const declared of [true, false]) {
      const res = await streamBody(
        host.port,
        'POST',
        '/api/op/vault.status',
        { 'content-type': 'application/json', authorization: `Bearer ${session}` },
        totalFor(WEB_HOST_LIMIT),
        declared,
      );
      expect(res.status).toBe(413);
      expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'PAYLOAD_TOO_LARGE' } });
      expect(res.writtenAtAnswer).toBeLessThan(res.total);
    }
  });
});
