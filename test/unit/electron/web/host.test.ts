import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore } from '../../../../electron/core/host/core';
import type { Core } from '../../../../electron/core/host/core';
import { startWebHost } from '../../../../electron/web/host';
import type { WebHost } from '../../../../electron/web/host';
import { rawRequest } from '../../../helpers/http';

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

const json = { 'content-type': 'application/json' };
/** The session the page receives when it opens the launch URL, as a header for contract calls. */
let auth: { authorization: string };

/** Opens a launch URL the way a browser tab does and returns the session embedded in the page. */
async function openLaunchUrl(url: string): Promise<string> {
  const { pathname, search } = new URL(url);
  const res = await rawRequest(host.port, { path: pathname + search });
  expect(res.status).toBe(200);
  const session = /<meta name="parley-session" content="([A-Za-z0-9_-]+)">/.exec(res.body)?.[1];
  expect(session).toBeDefined();
  return session!;
}

beforeEach(async () => {
  auth = { authorization: `Bearer ${await openLaunchUrl(host.url)}` };
});

describe('Web bridge › access control', () => {
  it('binds 127.0.0.1 and prints a URL that carries the token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${TOKEN}`);
  });

  it('refuses an operation without a session with a JSON error that says how to get one', async () => {
    const res = await rawRequest(host.port, { method: 'POST', path: '/api/op/vault.status', headers: json, body: '{}' });
    expect(res.status).toBe(401);
    expect(res.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED', message: expect.stringContaining('Authorization: Bearer') } });
  });

  it('refuses a wrong session', async () => {
    const res = await rawRequest(host.port, { method: 'POST', path: '/api/op/vault.status', headers: { ...json, authorization: 'Bearer wrong' }, body: '{}' });
    expect(res.status).toBe(401);
    expect(res.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED', message: expect.stringContaining('not a session of this launch') } });
  });

  it('does not accept the launch token as a session, as bearer or as cookie', async () => {
    for (const headers of [{ authorization: `Bearer ${TOKEN}` }, { cookie: `parley_token_${host.port}=${TOKEN}` }] as Record<string, string>[]) {
      const res = await rawRequest(host.port, { method: 'POST', path: '/api/op/vault.status', headers: { ...json, ...headers }, body: '{}' });
      expect(res.status).toBe(401);
      expect(res.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    }
  });

  it('serves the page without a session (it holds none), but no contract call', async () => {
    const page = await rawRequest(host.port, { path: '/' });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<div id="root">');
    expect(page.body).not.toContain('parley-session');
  });

  it('swaps the launch URL once for the page with a session embedded, and sets no cookie', async () => {
    const url = host.newLaunchUrl();
    const res = await rawRequest(host.port, { path: new URL(url).pathname + new URL(url).search });
    expect(res.status).toBe(200);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toContain('<div id="root">');
    const session = /<meta name="parley-session" content="([A-Za-z0-9_-]{43})">/.exec(res.body)?.[1];
    expect(session).toBeDefined();
    const call = await rawRequest(host.port, {
      method: 'POST',
      path: '/api/op/vault.status',
      headers: { ...json, authorization: `Bearer ${session}` },
      body: '{}',
    });
    expect(call.status).toBe(200);
  });

  it('refuses a launch URL used a second time with a readable page, and hands out no session', async () => {
    const again = await rawRequest(host.port, { path: `/?token=${TOKEN}` });
    expect(again.status).toBe(410);
    expect(again.headers['content-type']).toContain('text/html');
    expect(again.headers['set-cookie']).toBeUndefined();
    expect(again.body).toContain('This launch link was already used');
    expect(again.body).toContain('press Enter');
    expect(again.body).not.toContain('parley-session');
  });

  it('refuses a launch URL with a wrong token with a readable page', async () => {
    const res = await rawRequest(host.port, { path: '/?token=not-the-token' });
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.body).toContain('not a launch link of this Parley');
    expect(res.body).not.toContain('parley-session');
  });

  it('makes a new single-use launch URL on demand; every session stays valid', async () => {
    const first = auth;
    const url = host.newLaunchUrl();
    expect(url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${host.port}/\\?token=[A-Za-z0-9_-]{43}$`));
    expect(url).not.toBe(host.url);
    const second = { authorization: `Bearer ${await openLaunchUrl(url)}` };
    expect(second).not.toEqual(first);
    expect((await rawRequest(host.port, { path: new URL(url).pathname + new URL(url).search })).status).toBe(410);
    for (const headers of [first, second]) {
      const res = await rawRequest(host.port, { method: 'POST', path: '/api/op/vault.status', headers: { ...json, ...headers }, body: '{}' });
      expect(res.status).toBe(200);
    }
  });

  it('does not spend a launch URL on a browser prefetch', async () => {
    const url = new URL(host.newLaunchUrl());
    const prefetch = await rawRequest(host.port, { path: url.pathname + url.search, headers: { 'sec-purpose': 'prefetch;prerender' } });
    expect(prefetch.status).toBe(503);
    expect(prefetch.body).not.toContain('parley-session');
    await openLaunchUrl(url.href);
  });

  it('does not spend a launch URL when the page cannot be read, and says why', async () => {
    const url = new URL(host.newLaunchUrl());
    const indexPath = join(dir, 'renderer', 'index.html');
    rmSync(indexPath);
    const missing = await rawRequest(host.port, { path: url.pathname + url.search });
    expect(missing.status).toBe(500);
    expect(missing.body).toContain('npm run build:renderer');
    writeFileSync(indexPath, '<!doctype html><title>Parley</title><div id="root"></div>');
    await openLaunchUrl(url.href);
  });

  it('exchanges a launch token for a session once over POST /api/session, for automation', async () => {
    const token = new URL(host.newLaunchUrl()).searchParams.get('token')!;
    const res = await rawRequest(host.port, { method: 'POST', path: '/api/session', headers: json, body: JSON.stringify({ token }) });
    expect(res.status).toBe(200);
    const { value } = res.json<{ value: { session: string } }>();
    const call = await rawRequest(host.port, {
      method: 'POST',
      path: '/api/op/vault.status',
      headers: { ...json, authorization: `Bearer ${value.session}` },
      body: '{}',
    });
    expect(call.status).toBe(200);
    const again = await rawRequest(host.port, { method: 'POST', path: '/api/session', headers: json, body: JSON.stringify({ token }) });
    expect(again.status).toBe(401);
    expect(again.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED', message: expect.stringContaining('already used') } });
    const malformed = await rawRequest(host.port, { method: 'POST', path: '/api/session', headers: json, body: '{"token": 42}' });
    expect(malformed.status).toBe(400);
    expect(malformed.json()).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('refuses a foreign Origin even with the right session', async () => {
    const res = await rawRequest(host.port, {
      method: 'POST',
      path: '/api/op/vault.status',
      headers: { ...json, ...auth, origin: 'http://evil.example' },
      body: '{}',
    });
    expect(res.status).toBe(403);
    expect(res.json()).toMatchObject({ error: { code: 'FORBIDDEN_ORIGIN' } });
  });

  it('refuses a cross-site or same-site request marked by Sec-Fetch-Site, the launch URL included', async () => {
    const res = await rawRequest(host.port, {
      method: 'POST',
      path: '/api/op/vault.status',
      headers: { ...json, ...auth, 'sec-fetch-site': 'cross-site' },
      body: '{}',
    });
    expect(res.status).toBe(403);
    // Another port of 127.0.0.1 is the same site: a neighbour navigating to a launch URL does not spend it.
    const url = new URL(host.newLaunchUrl());
    const navigation = await rawRequest(host.port, { path: url.pathname + url.search, headers: { 'sec-fetch-site': 'same-site' } });
    expect(navigation.status).toBe(403);
    await openLaunchUrl(url.href);
  });

  it('refuses a wrong Host header (DNS rebinding) even with the right session', async () => {
    const res = await rawRequest(host.port, {
      method: 'POST',
      path: '/api/op/vault.status',
      headers: { ...json, ...auth, host: `rebind.example:${host.port}` },
      body: '{}',
    });
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
      await rawRequest(host.port, { path: '/?token=wrong' }),
      await rawRequest(host.port, { method: 'POST', path: '/api/op/vault.status', headers: json, body: '{}' }),
      await rawRequest(host.port, { method: 'POST', path: '/api/op/vault.status', headers: { ...json, ...auth }, body: '{}' }),
    ]) {
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['x-frame-options']).toBe('DENY');
    }
  });
});

describe('Web bridge › the contract over HTTP', () => {
  it('serves an operation with the session', async () => {
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

  it('streams core events as JSON lines to an event stream that presents the session', async () => {
    const controller = new AbortController();
    const res = await fetch(`${host.origin}/api/events`, { headers: auth, signal: controller.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/x-ndjson');
    const reader = res.body!.getReader();
    await rawRequest(host.port, { method: 'POST', path: '/api/op/vault.setup', headers: { ...json, ...auth }, body: '{"passphrase":"correct horse battery"}' });
    let text = '';
    while (!/vault\.changed[^\n]*\n/.test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    controller.abort();
    const events = text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as { name: string; payload: unknown });
    expect(events).toContainEqual({ name: 'vault.changed', payload: expect.objectContaining({ state: 'unlocked' }) });
    expect(text).toContain('"name":"vault.changed"');
    expect(text).toContain('"state":"unlocked"');
    expect(text).not.toContain('correct horse battery');
  });

  it('refuses the event stream without a session, or with the launch token', async () => {
    for (const headers of [{}, { authorization: `Bearer ${TOKEN}` }] as Record<string, string>[]) {
      const res = await rawRequest(host.port, { path: '/api/events', headers });
      expect(res.status).toBe(401);
      expect(res.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    }
  });
});
