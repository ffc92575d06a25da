/**
 * The headless server as built JavaScript (issue #15): `vite.server.config.ts` bundles electron/cli/server.ts
 * and its packages into one file that plain `node` runs (no tsx), published as the `parley-server` bin.
 * Built here into a scratch folder (fresh every run, and never racing a developer's out/server), then spawned
 * the way CI would and read to its ready line. How fast it starts is measured in `npm run bench`, not here.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { SignJWT, calculateJwkThumbprint, decodeJwt, exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = mkdtempSync(join(tmpdir(), 'parley-built-server-'));
const outDir = join(root, 'out');
const entry = join(outDir, 'parley-server.js');
afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeAll(() => {
  const vite = join(process.cwd(), 'node_modules', 'vite', 'bin', 'vite.js');
  const built = spawnSync(process.execPath, [vite, 'build', '--config', 'vite.server.config.ts', '--outDir', outDir], { encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`the server build failed: ${built.stderr}${built.stdout}`);
}, 120_000);

function start(args: string[]): Promise<{ child: ChildProcess; line: Record<string, unknown> }> {
  // From a folder outside the repository: the bundle must not need node_modules or the sources.
  const child = spawn(process.execPath, [entry, '--port', '0', '--json', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => resolve({ child, line: JSON.parse(line) as Record<string, unknown> }));
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${stderr}`)));
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

describe('parley-server › the built headless server', () => {
  it('is the package bin, one file with a node shebang, with no TypeScript left to run', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { bin?: Record<string, string> };
    expect(pkg.bin?.['parley-server']).toBe('out/server/parley-server.js');
    const text = readFileSync(entry, 'utf8');
    expect(text.startsWith('#!/usr/bin/env node\n')).toBe(true);
    // Every import is a Node built-in or a chunk of the build: nothing is looked up in node_modules.
    const files = [entry, ...readdirSync(join(outDir, 'chunks')).map((f) => join(outDir, 'chunks', f))];
    const specifiers = files.flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(/^(?:import|export)\b[^;'"]*?from\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/gm)].map(
        (m) => m[1] ?? m[2]!,
      ),
    );
    expect(specifiers.length).toBeGreaterThan(0);
    expect(specifiers.filter((s) => !s.startsWith('node:') && !s.startsWith('./') && !s.startsWith('../'))).toEqual([]);
  });

  it('runs with plain node from another folder and prints the JSON ready line; the issuer answers', async () => {
    const { child, line } = await start(['--data-dir', join(root, 'data')]);
    try {
      expect(line['issuer']).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const doc = (await (await fetch(`${String(line['issuer'])}.well-known/openid-configuration`)).json()) as { issuer: string };
      expect(doc.issuer).toBe(line['issuer']);
    } finally {
      expect(await stop(child)).toBe(0);
    }
  });

  it('binds a token to a DPoP key and answers a SPA’s CORS preflight, from the built file (issue 17)', async () => {
    const { child, line } = await start(['--data-dir', join(root, 'dpop-data')]);
    try {
      const issuer = String(line['issuer']);
      const management = line['management'] as { client_id: string; client_secret: string; audience: string };
      const tokenUrl = `${issuer}oauth/token`;
      const post = (url: string, body: URLSearchParams | object, headers: Record<string, string> = {}) =>
        fetch(url, {
          method: 'POST',
          headers: { 'content-type': body instanceof URLSearchParams ? 'application/x-www-form-urlencoded' : 'application/json', ...headers },
          body: body instanceof URLSearchParams ? body : JSON.stringify(body),
        });
      const credentials = { grant_type: 'client_credentials', client_id: management.client_id, client_secret: management.client_secret };
      const mgmt = (await (await post(tokenUrl, new URLSearchParams({ ...credentials, audience: management.audience }))).json()) as { access_token: string };
      const auth = { authorization: `Bearer ${mgmt.access_token}` };
      // An API that allows DPoP, and a grant to it for the Management client.
      const api = 'https://orders.example/';
      expect(
        (await post(`${issuer}api/v2/resource-servers`, { identifier: api, name: 'Orders', proof_of_possession: { mechanism: 'dpop', required: false } }, auth))
          .status,
      ).toBe(201);
      expect((await post(`${issuer}api/v2/client-grants`, { client_id: management.client_id, audience: api, scope: [] }, auth)).status).toBe(201);
      // A proof signed here with a fresh P-256 key.
      const { privateKey, publicKey } = await generateKeyPair('ES256');
      const jwk = await exportJWK(publicKey);
      const proof = await new SignJWT({ htm: 'POST', htu: tokenUrl, jti: randomUUID(), iat: Math.floor(Date.now() / 1000) })
        .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk })
        .sign(privateKey);
      const res = await post(tokenUrl, new URLSearchParams({ ...credentials, audience: api }), { dpop: proof });
      const body = (await res.json()) as { token_type: string; access_token: string };
      expect(res.status, JSON.stringify(body)).toBe(200);
      expect(body.token_type).toBe('DPoP');
      expect((decodeJwt(body.access_token) as { cnf?: { jkt?: string } }).cnf?.jkt).toBe(await calculateJwkThumbprint(jwk));
      // A SPA on another origin may send the DPoP header and read the nonce (ED-3).
      const preflight = await fetch(tokenUrl, {
        method: 'OPTIONS',
        headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'POST', 'access-control-request-headers': 'dpop, content-type' },
      });
      expect(preflight.status).toBeLessThan(300);
      expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('dpop');
      expect(preflight.headers.get('access-control-expose-headers')?.toLowerCase()).toContain('dpop-nonce');
    } finally {
      expect(await stop(child)).toBe(0);
    }
  });

  it('serves https from the built file too (the local CA is issued by the bundled @peculiar/x509)', async () => {
    const { child, line } = await start(['--data-dir', join(root, 'tls-data'), '--https']);
    try {
      expect(line['issuer']).toMatch(/^https:\/\//);
      expect(line['ca_file']).toBe(join(root, 'tls-data', 'tls', 'ca.pem'));
    } finally {
      expect(await stop(child)).toBe(0);
    }
  });
});
