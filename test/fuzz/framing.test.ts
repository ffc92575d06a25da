/**
 * Malformed HTTP below what an HTTP client would send: broken request lines, illegal header bytes,
 * conflicting or bogus lengths (request smuggling shapes), oversized headers, truncated bodies, and paths
 * that are not valid percent-encoding, written on a raw socket. Each must get a 4xx (or the connection
 * closed) promptly, never a 5xx or a hang, and the server must keep serving. Random byte strings follow.
 */
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FuzzServer, Style } from './harness';
import { answerProblem, fuzzParams, send, startFuzzServer } from './harness';

/** What came back on the socket: the raw text (empty when the server just closed it). */
interface RawAnswer {
  status: number;
  text: string;
}

/** Writes `bytes`, half-closes unless `keepOpen`, and reads until the server closes or 10 s pass. */
function raw(port: number, bytes: string | Buffer, keepOpen = false): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      // An answer followed by a kept-alive connection is fine; silence is a hang.
      if (text.startsWith('HTTP/1.1 ')) resolve({ status: Number(text.slice(9, 12)), text });
      else reject(new Error(`HANG: no answer in 10 s to ${JSON.stringify(String(bytes).slice(0, 200))}`));
    }, 10_000);
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      const text = Buffer.concat(chunks).toString('latin1');
      // Complete once headers and a Content-Length body have arrived.
      const end = text.indexOf('\r\n\r\n');
      const length = /\r\ncontent-length: *(\d+)/i.exec(text.slice(0, end));
      if (end >= 0 && length && Buffer.byteLength(text.slice(end + 4), 'latin1') >= Number(length[1])) {
        clearTimeout(timer);
        socket.destroy();
        resolve({ status: Number(text.slice(9, 12)), text });
      }
    });
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      resolve({ status: text.startsWith('HTTP/1.1 ') ? Number(text.slice(9, 12)) : 0, text });
    });
    socket.on('error', (e) => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      if (text.startsWith('HTTP/1.1 ')) resolve({ status: Number(text.slice(9, 12)), text });
      else if ((e as NodeJS.ErrnoException).code === 'ECONNRESET') resolve({ status: 0, text });
      else reject(e);
    });
    socket.write(bytes);
    if (!keepOpen) socket.end();
  });
}

function body(answer: RawAnswer): { status: number; headers: Record<string, string>; body: string } {
  const end = answer.text.indexOf('\r\n\r\n');
  const headers: Record<string, string> = {};
  for (const line of answer.text.slice(0, end).split('\r\n').slice(1)) {
    const i = line.indexOf(':');
    headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  return { status: answer.status, headers, body: answer.text.slice(end + 4) };
}

let s: FuzzServer;
let host: string;
beforeAll(async () => {
  s = await startFuzzServer();
  host = `127.0.0.1:${s.port}`;
}, 60_000);
afterEach(async () => {
  expect(s.logs).toEqual([]);
  expect((await send(s.port, { method: 'GET', path: '/.well-known/jwks.json' })).status).toBe(200);
});
afterAll(async () => {
  await s?.close();
});

/** Refused before any route runs (Node's parser, Fastify's client-error handler): a 4xx or a closed connection. */
function expectRefused(answer: RawAnswer, what: string): void {
  expect(answer.status === 0 || (answer.status >= 400 && answer.status < 500), `${what}: ${answer.text.slice(0, 300)}`).toBe(true);
}

describe('Fuzz › HTTP framing', () => {
  it('refuses broken request lines, illegal header bytes and bogus lengths with a 4xx or a closed connection', async () => {
    const cases: [string, string][] = [
      ['garbage request line', 'GARBAGE\r\n\r\n'],
      ['no HTTP version', 'GET /authorize\r\n\r\n'],
      ['HTTP/9.9', 'GET / HTTP/9.9\r\nHost: x\r\n\r\n'],
      ['control byte in a header value', `GET / HTTP/1.1\r\nHost: ${host}\r\nX-A: a\u0001b\r\n\r\n`],
      ['space before the colon', `GET / HTTP/1.1\r\nHost : ${host}\r\n\r\n`],
      ['bare LF line endings', `GET /.well-known/jwks.json HTTP/1.1\nHost: ${host}\n\n`],
      ['obsolete line folding', `GET / HTTP/1.1\r\nHost: ${host}\r\nX-A: a\r\n b\r\n\r\n`],
      [
        'Content-Length and Transfer-Encoding together (smuggling)',
        `POST /oauth/token HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
      ],
      ['two different Content-Lengths', `POST /oauth/token HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\na=bc`],
      ['negative Content-Length', `POST /oauth/token HTTP/1.1\r\nHost: ${host}\r\nContent-Length: -1\r\n\r\n`],
      ['non-numeric Content-Length', `POST /oauth/token HTTP/1.1\r\nHost: ${host}\r\nContent-Length: ten\r\n\r\n`],
      ['bad chunk size', `POST /oauth/token HTTP/1.1\r\nHost: ${host}\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nab\r\n0\r\n\r\n`],
      ['Transfer-Encoding that is not chunked', `POST /oauth/token HTTP/1.1\r\nHost: ${host}\r\nTransfer-Encoding: gzip\r\n\r\nabc`],
      ['headers over 16 KB', `GET /authorize?x=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: ${host}\r\n\r\n`],
      ['one huge header', `GET / HTTP/1.1\r\nHost: ${host}\r\nCookie: ${'a'.repeat(20_000)}\r\n\r\n`],
      ['no Host at all (HTTP/1.1)', 'GET /.well-known/jwks.json HTTP/1.1\r\n\r\n'],
      [
        'a body shorter than its Content-Length, then end of stream',
        `POST /oauth/token HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ngrant_type=cl`,
      ],
      [
        'a chunked body cut off, then end of stream',
        `POST /oauth/par HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nabc`,
      ],
    ];
    for (const [what, bytes] of cases) expectRefused(await raw(s.port, bytes), what);
  });

  it('answers paths that are not valid percent-encoding in the error style of the path', async () => {
    const cases: [string, Style][] = [
      ['/authorize%ZZ', 'html'],
      ['/oauth/token%', 'oauth'],
      ['/oauth/%E0%A4%A', 'oauth'],
      ['/api/v2/clients/%ZZ', 'management'],
      ['/api/v2/clients/%C0%AF/credentials', 'management'],
      ['/u/login/%', 'html'],
      ['/%00', 'html'],
      ['/..%2f..%2fetc%2fpasswd', 'html'],
      ['//authorize', 'html'],
      [`/api/v2/clients/${'a'.repeat(300)}`, 'management'],
      [`/api/v2/users/${'%41'.repeat(250)}`, 'management'],
    ];
    for (const [path, style] of cases) {
      for (const method of ['GET', 'POST']) {
        const answer = await raw(s.port, `${method} ${path} HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
        expect(answer.status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
        expect(answerProblem(style, method, body(answer)), `${method} ${path}: ${answer.text.slice(0, 400)}`).toBeUndefined();
      }
    }
  });

  it('survives random bytes after a valid request line', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET /authorize', 'POST /oauth/token', 'POST /api/v2/clients', 'GET /u/login'),
        fc.uint8Array({ maxLength: 400 }),
        async (line, tail) => {
          const answer = await raw(s.port, Buffer.concat([Buffer.from(`${line} HTTP/1.1\r\nHost: ${host}\r\n`), Buffer.from(tail)]));
          expect(answer.status, answer.text.slice(0, 300)).toBeLessThan(500);
        },
      ),
      fuzzParams(0xb17e, 150),
    );
  });
});
