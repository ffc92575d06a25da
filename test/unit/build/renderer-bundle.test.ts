/**
 * Web mode's renderer, built for real (renderer/vite.config.ts, as `npm run build:renderer` builds it, into a
 * temporary directory) and then served by the real web host (issue 19, "the renderer, lighter"):
 * - what index.html loads before the first screen is at most 250 KB gzipped, without zod, CodeMirror or the
 *   French and Japanese catalogues (they come with the screens and languages that use them);
 * - the host sends a JS asset brotli- or gzip-compressed to a browser that accepts it, the build's own bytes
 *   once decompressed, cached for a year as immutable; index.html is never cached.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../../electron/core/host/core';
import type { Core } from '../../../electron/core/host/core';
import { isHashedAsset, startWebHost } from '../../../electron/web/host';
import type { WebHost } from '../../../electron/web/host';
import type { InitialLoad } from './initial-chunks';
import { initialLoad, modulesOf, outputsOf } from './initial-chunks';

/** Issue 19's budget for the first load, gzipped. */
const BUDGET_BYTES = 250 * 1000;

let dir: string;
let outDir: string;
let initial: InitialLoad;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parley-bundle-'));
  outDir = join(dir, 'renderer');
  // As `npm run build:renderer` runs: vitest sets NODE_ENV=test, which would bundle React's development build.
  const nodeEnv = process.env['NODE_ENV'];
  process.env['NODE_ENV'] = 'production';
  let result: unknown;
  try {
    result = await build({ configFile: join(process.cwd(), 'renderer/vite.config.ts'), logLevel: 'silent', build: { outDir, emptyOutDir: true } });
  } finally {
    if (nodeEnv === undefined) delete process.env['NODE_ENV'];
    else process.env['NODE_ENV'] = nodeEnv;
  }
  initial = initialLoad(outputsOf(result));
  console.log(`first load: ${initial.chunks.length} chunks, ${initial.gzipBytes} bytes gzipped`);
}, 180_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('Renderer build › web mode › first load', () => {
  it(`loads at most ${BUDGET_BYTES / 1000} KB of JavaScript gzipped before the first screen`, () => {
    expect(initial.gzipBytes, `initial chunks: ${initial.chunks.map((c) => c.fileName).join(', ')}`).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  it('keeps zod and CodeMirror out of the first load', () => {
    expect(modulesOf(initial.modules, 'zod/')).toEqual([]);
    expect(modulesOf(initial.modules, '@codemirror/')).toEqual([]);
    expect(modulesOf(initial.modules, '@lezer/')).toEqual([]);
  });

  it('ships English in the first load and the other catalogues apart', () => {
    const catalogues = initial.modules.map((id) => id.replace(/\\/g, '/')).filter((id) => /\/i18n\/(locales|rules)\//.test(id));
    expect(catalogues.map((id) => id.split('/i18n/')[1])).toEqual(['locales/en.json']);
  });
});

/** One GET with the headers a browser would send, the body as raw bytes. */
function get(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('Renderer build › web mode › served compressed and cacheable', () => {
  let core: Core;
  let host: WebHost;
  let script: string;

  beforeAll(async () => {
    core = await createCore({ dataDir: join(dir, 'data'), mode: 'web', version: '0.0.0-test', scrypt: { N: 1024, r: 8, p: 1 } });
    host = await startWebHost({ core, port: 0, rendererDir: outDir, token: 'bundle-test-token-0123456789abcdefghijklmn' });
    // The largest script of the first load: the entry itself is a ~1 KB loader whose brotli ratio hovers
    // around one half with every change of the chunk hashes it names, which says nothing about compression.
    script = [...initial.referenced].filter((f) => f.endsWith('.js')).sort((a, b) => statSync(join(outDir, b)).size - statSync(join(outDir, a)).size)[0]!;
  });

  afterAll(async () => {
    await host?.close();
    await core?.close();
  });

  it('sends the entry script brotli-compressed when the browser accepts br, immutable for a year', async () => {
    const res = await get(host.port, `/${script}`, { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['vary']).toMatch(/accept-encoding/i);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(brotliDecompressSync(res.body).equals(readFileSync(join(outDir, script)))).toBe(true);
    expect(res.body.length).toBeLessThan(readFileSync(join(outDir, script)).length / 2);
  });

  it('sends it gzip-compressed to a browser that accepts only gzip, and as is to one that accepts neither', async () => {
    const gzipped = await get(host.port, `/${script}`, { 'accept-encoding': 'gzip' });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzipped.body).equals(readFileSync(join(outDir, script)))).toBe(true);
    expect(gzipped.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const plain = await get(host.port, `/${script}`);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.equals(readFileSync(join(outDir, script)))).toBe(true);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('compresses the stylesheet and the lazily loaded chunks too', async () => {
    const css = /href="\.\/(assets\/[^"]+\.css)"/.exec(readFileSync(join(outDir, 'index.html'), 'utf8'))?.[1];
    expect(css).toBeDefined();
    const res = await get(host.port, `/${css}`, { 'accept-encoding': 'br' });
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toMatch(/text\/css/);
    const french = readdirSync(join(outDir, 'assets')).find((name) => /^fr-CA-.+\.js$/.test(name));
    expect(french).toBeDefined();
    const lazy = await get(host.port, `/assets/${french}`, { 'accept-encoding': 'gzip' });
    expect(lazy.status).toBe(200);
    expect(lazy.headers['content-encoding']).toBe('gzip');
  });

  it('never lets index.html be cached, with or without a launch token', async () => {
    // The last: a hashed-looking name the build does not have gets the page (the not-found handler), uncached.
    for (const path of ['/', '/index.html', `/?token=bundle-test-token-0123456789abcdefghijklmn`, '/assets/missing-Abcd1234.js']) {
      const res = await get(host.port, path, { 'accept-encoding': 'gzip, br' });
      expect(res.status, path).toBe(200);
      expect(res.headers['cache-control'], path).toBe('no-store');
      expect(res.body.toString('utf8'), path).toContain('<div id="root">');
    }
  });

  it('tells hashed asset names from the rest', () => {
    expect(isHashedAsset(script)).toBe(true);
    expect(isHashedAsset('assets/index-CMtuQok6.js.br')).toBe(true);
    expect(isHashedAsset('index.html')).toBe(false);
    expect(isHashedAsset('favicon.svg')).toBe(false);
    expect(isHashedAsset('assets/notes.txt')).toBe(false);
  });
});
