import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fake } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule());

const { CONTENT_SECURITY_POLICY, createAppProtocolHandler, registerAppProtocol, registerAppScheme } = await import('../../../../electron/main/app-protocol');

const EXPECTED_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

let dir: string;
let rendererDir: string;
let handler: ReturnType<typeof createAppProtocolHandler>;
const get = (url: string, method = 'GET') => handler({ url, method });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'parley-protocol-'));
  rendererDir = join(dir, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Parley</title>');
  writeFileSync(join(rendererDir, 'assets', 'app-1234.js'), 'console.log(1)');
  writeFileSync(join(rendererDir, 'assets', 'app-1234.css'), 'body{}');
  writeFileSync(join(rendererDir, 'assets', 'logo.svg'), '<svg/>');
  writeFileSync(join(rendererDir, 'assets', 'font.woff2'), 'x');
  writeFileSync(join(dir, 'secret.txt'), 'private');
  mkdirSync(join(dir, 'renderer-evil'));
  writeFileSync(join(dir, 'renderer-evil', 'x.js'), 'evil');
  handler = createAppProtocolHandler(rendererDir);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => fake.reset());

describe('Electron shell › app:// protocol', () => {
  it('registers app as a standard, secure, fetch-capable scheme without opening it to CORS', () => {
    registerAppScheme();
    expect(fake.protocol.privileged).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  });

  it('installs its handler on the app scheme', () => {
    registerAppProtocol(rendererDir);
    expect([...fake.protocol.handlers.keys()]).toEqual(['app']);
  });

  it('serves index.html for the root with the HTML type and the strict CSP', async () => {
    const res = await get('app://parley/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(EXPECTED_CSP);
    expect(CONTENT_SECURITY_POLICY).toBe(EXPECTED_CSP);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toContain('<title>Parley</title>');
  });

  it.each([
    ['assets/app-1234.js', 'text/javascript; charset=utf-8'],
    ['assets/app-1234.css', 'text/css; charset=utf-8'],
    ['assets/logo.svg', 'image/svg+xml'],
    ['assets/font.woff2', 'font/woff2'],
  ])('serves %s as %s', async (path, type) => {
    const res = await get(`app://parley/${path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(type);
    expect(res.headers.get('content-security-policy')).toBe(EXPECTED_CSP);
  });

  it.each([
    'app://parley/..%2fsecret.txt',
    'app://parley/assets/..%2f..%2fsecret.txt',
    'app://parley/..%5csecret.txt',
    'app://parley/assets/%2e%2e%5c%2e%2e%5csecret.txt',
    'app://parley/%2e%2e%2fsecret.txt',
    'app://parley/index.html%00.js',
    'app://parley/%E0%A4%A',
  ])('refuses the path traversal %s with 403 and still sends the CSP', async (url) => {
    const res = await get(url);
    expect(res.status).toBe(403);
    expect(res.headers.get('content-security-policy')).toBe(EXPECTED_CSP);
    expect(await res.text()).not.toContain('private');
  });

  it('never serves a file outside the renderer directory, even one whose path shares its prefix', async () => {
    for (const url of ['app://parley/../secret.txt', 'app://parley/%2e%2e/secret.txt', 'app://parley/../renderer-evil/x.js']) {
      const res = await get(url);
      // URL parsing removes the dot segments, so these ask for files that do not exist inside the root.
      expect(await res.text()).not.toMatch(/private|evil/);
    }
  });

  it('answers 404 for another host of the app scheme', async () => {
    const res = await get('app://elsewhere/index.html');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-security-policy')).toBe(EXPECTED_CSP);
  });

  it('answers 404 for a missing asset but falls back to index.html for an extension-less route', async () => {
    expect((await get('app://parley/assets/missing.js')).status).toBe(404);
    const route = await get('app://parley/keys/abc');
    expect(route.status).toBe(200);
    expect(route.headers.get('content-type')).toBe('text/html; charset=utf-8');
  });

  it('refuses methods other than GET and HEAD', async () => {
    expect((await get('app://parley/index.html', 'POST')).status).toBe(405);
    const head = await get('app://parley/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});
