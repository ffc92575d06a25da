import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';

interface Ready {
  issuer: string;
  management: { client_id: string; client_secret: string; audience: string };
  users: { email: string; password: string }[];
  dataDir: string;
}

const dir = mkdtempSync(join(tmpdir(), 'parley-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function startServer(args: string[]): Promise<{ child: ChildProcess; ready: Ready }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'electron/cli/server.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line in 20 s: ${stderr}`)), 20_000);
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve({ child, ready: JSON.parse(line) as Ready });
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${stderr}`)));
  });
}

function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill(signal);
  });
}

async function managementToken(ready: Ready): Promise<string> {
  const res = await fetch(`${ready.issuer}oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: ready.management.client_id,
      client_secret: ready.management.client_secret,
      audience: ready.management.audience,
    }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

describe('Headless mode › npm run server', () => {
  let clientId = '';

  it('prints one JSON ready line with the issuer, the Management API client and a user, and serves discovery', async () => {
    const { child, ready } = await startServer(['--port', '0', '--data-dir', join(dir, 'data'), '--json']);
    try {
      expect(ready.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(ready.management.audience).toBe(`${ready.issuer}api/v2/`);
      expect(ready.management.client_id).toMatch(/^[A-Za-z0-9]{32}$/);
      expect(ready.management.client_secret.length).toBeGreaterThanOrEqual(32);
      expect(ready.users[0]?.email).toContain('@');
      const discovery = (await (await fetch(`${ready.issuer}.well-known/openid-configuration`)).json()) as Record<string, unknown>;
      expect(discovery['issuer']).toBe(ready.issuer);
      expect(discovery['pushed_authorization_request_endpoint']).toBe(`${ready.issuer}oauth/par`);

      const token = await managementToken(ready);
      const created = await fetch(`${ready.issuer}api/v2/clients`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Created headless', app_type: 'regular_web', callbacks: ['https://myapp.com/callback'] }),
      });
      expect(created.status).toBe(201);
      clientId = ((await created.json()) as { client_id: string }).client_id;
    } finally {
      expect(await stop(child, 'SIGTERM')).toBe(0);
    }
  });

  it('keeps clients and the same Management credentials across a restart, and stops cleanly on SIGINT', async () => {
    const { child, ready } = await startServer(['--port', '0', '--data-dir', join(dir, 'data'), '--json', '--profile', 'strict']);
    try {
      const token = await managementToken(ready);
      const res = await fetch(`${ready.issuer}api/v2/clients/${clientId}`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { name: string }).name).toBe('Created headless');
    } finally {
      expect(await stop(child, 'SIGINT')).toBe(0);
    }
  });

  it('refuses an unknown profile with a clear message', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'electron/cli/server.ts', '--profile', 'okta', '--data-dir', join(dir, 'other')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('--profile must be auth0 or strict');
  });
});
