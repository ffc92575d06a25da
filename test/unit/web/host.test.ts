import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore } from '../../../electron/core/host/core';
import type { Core } from '../../../electron/core/host/core';
import { startWebHost } from '../../../electron/web/host';
import type { WebHost } from '../../../electron/web/host';
import { rawRequest } from '../../helpers/http';

const TOKEN = 'test-token-0123456789abcdefghijklmnopqrstuv';
let dir: string;
let core: Core;
let host: WebHost;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parley-web-'));
  const rendererDir = join(dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Parley</title><div id="root"></div>');
  core = await createCore({ dataDir: join(dir, 'data'), mode: 'web', version: '0.0.0-test', scrypt: { N: 1024, r: 8, p: 1 } });
  host = await startWebHost({ core, port: 0, rendererDir, token: TOKEN, bodyLimit: 1024 * 1024 });
});

afterEach(async () => {
  await host.close();
  await core.close();
  rmSync(dir, { recursive: true, force: true });
});

const auth = { authorization: `Bearer ${TOKEN}` };
const json = { 'content-type': 'application/json' };

describe('Web bridge › access control', () => {
  it('binds 127.0.0.1 and prints a URL that carries the token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${TOKEN}`);
  });

  it('refuses an operation without a token', async () => {
    const res = await rawRequest(host.port, { method: 'POST', path: '/api/op/vault.status', headers: json, body: '{}' });
    expect(res.status).toBe(401);
    expect(res.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
  });

  it('refuses the page itself without a token', async () => {
    const res = await rawRequest(host.port, { path: '/' });
    expect(res.status).toBe(401);
    expect(res.body).not.toContain('<div id="root">');
  });

  it('refuses a wrong token, as bearer or as cookie', async () => {
    const bearer = await rawRequest(host.port, { method: 'POST', path: '/api/op/vault.status', headers: { ...json, authorization: 'Bearer wrong' }, body: '{}' });
    expect(bearer.status).toBe(401);
    expect(bearer.json()).toMatchObject({ error: { code: 'UNAUTHORIZED', message: 'Refused: wrong token.' } });
    const cookie = await rawRequest(host.port, { method: 'POST', path: '/api/op/vault.status', headers: { ...json, cookie: `parley_token_${host.port}=wrong` }, body: '{}' });
    expect(cookie.status).toBe(401);
  });

  it('refuses a launch URL with a wrong token', async () => {
    const res = await rawRequest(host.port, { path: '/?token=not-the-token' });
    expect(res.status).toBe(401);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('swaps the launch token for an HttpOnly SameSite=Strict cookie and redirects to a clean URL', async () => {
    const res = await rawRequest(host.port, { path: `/?token=${TOKEN}` });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toContain(`parley_token_${host.port}=${TOKEN}`);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const page = await rawRequest(host.port, { path: '/', headers: { cookie: `parley_token_${host.port}=${TOKEN}` } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<div id="root">');
  });

  it('refuses a foreign Origin even with the right token', async () => {
    const res = await rawRequest(host.port, { method: 'POST', path: '/api/op/vault.status', headers: { ...json, ...auth, origin: 'http://evil.example' }, body: '{}' });
    expect(res.status).toBe(403);
    expect(res.json()).toMatchObject({ error: { code: 'FORBIDDEN_ORIGIN' } });
  });

  it('refuses a cross-site fetch marked by Sec-Fetch-Site', async () => {
    const res = await rawRequest(host.port, { method: 'POST', path: '/api/op/vault.status', headers: { ...json, ...auth, 'sec-fetch-site': 'cross-site' }, body: '{}' });
    expect(res.status).toBe(403);
  });

  it('refuses a wrong Host header (DNS rebinding) even with the right token', async () => {
    const res = await rawRequest(host.port, { method: 'POST', path: '/api/op/vault.status', headers: { ...json, ...auth, host: `rebind.example:${host.port}` }, body: '{}' });
    expect(res.status).toBe(403);
    expect(res.json()).toMatchObject({ error: { code: 'FORBIDDEN_HOST' } });
  });

  it('accepts its own origin under localhost as well as 127.0.0.1', async () => {
    const res = await rawRequest(host.port, {
      method: 'POST',
      path: '/api/op/vault.status',
      headers: { ...json, ...auth, host: `localhost:${host.port}`, origin: `http://localhost:${host.port}` },
      body: '{}',
    });
    expect(res.status).toBe(200);
  });

  it('sends no-store and a strict CSP on every response, refusals included', async () => {
    for (const res of [
      await rawRequest(host.port, { path: '/' }),
      await rawRequest(host.port, { method: 'POST', path: '/api/op/vault.status', headers: { ...json, ...auth }, body: '{}' }),
    ]) {
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['x-frame-options']).toBe('DENY');
    }
  });
});

describe('Web bridge › the contract over HTTP', () => {
  it('serves an operation with the right token', async () => {
    const res = await rawRequest(host.port, { method: 'POST', path: '/api/op/vault.status', headers: { ...json, ...auth }, body: '{}' });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ ok: true, value: { state: 'uninitialized', protector: 'passphrase', notices: [] } });
  });

  it('answers an unknown operation with a structured 404', async () => {
    const res = await rawRequest(host.port, { method: 'POST', path: '/api/op/vault.dump', headers: { ...json, ...auth }, body: '{}' });
    expect(res.status).toBe(404);
    expect(res.json()).toMatchObject({ ok: false, error: { code: 'UNKNOWN_OPERATION' } });
  });

  it('answers a payload the contract rejects with INVALID_INPUT and stays up', async () => {
    const res = await rawRequest(host.port, { method: 'POST', path: '/api/op/vault.setup', headers: { ...json, ...auth }, body: '{"passphrase":"short"}' });
    expect(res.json()).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', details: { issues: [{ path: 'passphrase' }] } } });
    const again = await rawRequest(host.port, { method: 'POST', path: '/api/op/vault.status', headers: { ...json, ...auth }, body: '{}' });
    expect(again.status).toBe(200);
  });

  it('answers malformed JSON with a structured 400', async () => {
    const res = await rawRequest(host.port, { method: 'POST', path: '/api/op/vault.status', headers: { ...json, ...auth }, body: '{"unterminated' });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('refuses text/plain bodies, which a cross-site form could send without a preflight', async () => {
    const res = await rawRequest(host.port, { method: 'POST', path: '/api/op/vault.status', headers: { 'content-type': 'text/plain', ...auth }, body: '{}' });
    expect(res.status).toBe(415);
    expect(res.json()).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED_MEDIA_TYPE' } });
  });

  it('answers a 5 MB body with 413 and stays up', async () => {
    const big = JSON.stringify({ text: 'A'.repeat(5 * 1024 * 1024) });
    const res = await rawRequest(host.port, { method: 'POST', path: '/api/op/keys.import', headers: { ...json, ...auth }, body: big });
    expect(res.status).toBe(413);
    expect(res.json()).toMatchObject({ ok: false, error: { code: 'PAYLOAD_TOO_LARGE' } });
    const again = await rawRequest(host.port, { method: 'POST', path: '/api/op/vault.status', headers: { ...json, ...auth }, body: '{}' });
    expect(again.status).toBe(200);
  });

  it('streams core events to an authenticated event stream', async () => {
    const controller = new AbortController();
    const res = await fetch(`${host.origin}/api/events`, { headers: auth, signal: controller.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    await rawRequest(host.port, { method: 'POST', path: '/api/op/vault.setup', headers: { ...json, ...auth }, body: '{"passphrase":"correct horse battery"}' });
    let text = '';
    while (!text.includes('vault.changed')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    controller.abort();
    expect(text).toContain('"name":"vault.changed"');
    expect(text).toContain('"state":"unlocked"');
    expect(text).not.toContain('correct horse battery');
  });

  it('refuses the event stream without a token', async () => {
    const res = await rawRequest(host.port, { path: '/api/events' });
    expect(res.status).toBe(401);
  });
});
