/**
 * `npm run server -- --tenant FILE` (a real child process): the declared clients work at once (a
 * client-credentials token for the Management API from a secret given by environment variable), a second
 * start with the same file changes no file of the data directory, and a bad file stops the process before it
 * listens, naming the file, the entry and the field, with the data directory exactly as it was.
 * `--export-tenant` writes the tenant and exits.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';

interface Ready {
  issuer: string;
  management: { audience: string };
}

const root = mkdtempSync(join(tmpdir(), 'parley-tenant-cli-'));
const dataDir = join(root, 'data');
const children = new Set<ChildProcess>();
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

const SECRET = 'ci-job-secret-0123456789-abcdefghijklmnop';
const env = { ...process.env, PARLEY_TEST_CI_SECRET: SECRET, PARLEY_TEST_CI_PASSWORD: 'correct horse battery staple' };

function run(args: string[]): { child: ChildProcess; ready: Promise<Ready>; exit: Promise<{ code: number | null; stderr: string }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'electron/cli/server.ts', '--port', '0', '--data-dir', dataDir, '--json', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  children.add(child);
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exit = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.once('exit', (code) => {
      children.delete(child);
      resolve({ code, stderr });
    }),
  );
  const ready = new Promise<Ready>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line) as Ready));
    void exit.then(({ code }) => reject(new Error(`exited with ${code} before its ready line: ${stderr}`)));
  });
  ready.catch(() => {});
  return { child, ready, exit };
}

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string): void => {
    for (const name of readdirSync(d)) {
      const s = statSync(join(d, name), { bigint: true });
      if (s.isDirectory()) walk(join(d, name), `${prefix}${name}/`);
      else out[`${prefix}${name}`] = `${s.ino}:${s.size}:${s.mtimeNs}`;
    }
  };
  walk(dir, '');
  return out;
}

const tenantDir = join(root, 'ci');
mkdirSync(join(tenantDir, 'keys'), { recursive: true });
const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
writeFileSync(join(tenantDir, 'keys', 'jar.pub.pem'), publicKey.export({ type: 'spki', format: 'pem' }));
writeFileSync(join(tenantDir, 'keys', 'jar.key.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
const tenant = join(tenantDir, 'tenant.yaml');
const good = `clients:
  - name: CI job
    app_type: non_interactive
    client_secret_env: PARLEY_TEST_CI_SECRET
    grant_types: [client_credentials]
  - name: Web app
    app_type: regular_web
    callbacks: [https://app.example.com/callback]
    signed_request_object:
      required: true
      credentials:
        - name: jar
          pem_file: keys/jar.pub.pem
          alg: RS256
clientGrants:
  - client_id: CI job
    audience: management
    scope: [read:clients]
users:
  - email: tester@example.com
    password_env: PARLEY_TEST_CI_PASSWORD
`;

describe('Headless mode › --tenant and --export-tenant', () => {
  it('applies the tenant before listening: its client gets a Management API token with the declared secret and scope', { timeout: 60_000 }, async () => {
    writeFileSync(tenant, good);
    const { child, ready, exit } = run(['--tenant', tenant]);
    const r = await ready;
    const list = readdirSync(join(dataDir, 'clients'));
    expect(list.length).toBe(3); // the two declared clients and the Management API's own
    // The CI job's client_id was generated: the export (which needs no running server) tells it.
    const exportFile = join(root, 'first-export.yaml');
    child.kill('SIGTERM');
    expect((await exit).code).toBe(0);
    const exported = run(['--export-tenant', exportFile]);
    expect((await exported.exit).code).toBe(0);
    const doc = parseYaml(readFileSync(exportFile, 'utf8')) as {
      clients: { name: string; client_id: string; client_secret?: string }[];
      users: { email: string }[];
    };
    expect(doc.clients.map((c) => c.name)).toEqual(['CI job', 'Web app']);
    expect(doc.clients.some((c) => 'client_secret' in c)).toBe(false);
    expect(doc.users.map((u) => u.email)).toContain('tester@example.com');
    expect(r.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);

    // Started again with the same file: no file of the data directory changes, and the client works.
    const before = snapshot(dataDir);
    const again = run(['--tenant', tenant]);
    const r2 = await again.ready;
    const ciId = doc.clients[0]!.client_id;
    const token = await fetch(`${r2.issuer}oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: ciId, client_secret: SECRET, audience: r2.management.audience }),
    });
    expect(token.status).toBe(200);
    const { access_token: accessToken, scope } = (await token.json()) as { access_token: string; scope: string };
    expect(scope).toBe('read:clients');
    const clients = await fetch(`${r2.issuer}api/v2/clients?include_totals=true`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(((await clients.json()) as { total: number }).total).toBe(3);
    again.child.kill('SIGTERM');
    expect((await again.exit).code).toBe(0);
    expect(snapshot(dataDir)).toEqual(before);
  });

  it('refuses a bad tenant file before listening, naming file, entry and field, and changes nothing', { timeout: 60_000 }, async () => {
    const bad = join(tenantDir, 'bad.yaml');
    writeFileSync(
      bad,
      good
        .replace('pem_file: keys/jar.pub.pem', 'pem_file: keys/jar.key.pem')
        .replace('callbacks: [https://app.example.com/callback]', 'callbacks: ["javascript:alert(1)"]')
        .replace('name: Web app', 'name: CI job'),
    );
    const before = snapshot(dataDir);
    const { ready, exit } = run(['--tenant', bad]);
    const { code, stderr } = await exit;
    await expect(ready).rejects.toThrow();
    expect(code).toBe(1);
    expect(stderr).toContain('the tenant file was not applied; nothing was changed');
    expect(stderr).toContain(`${bad}: clients[1] ("CI job").name: duplicate client name; clients[0] has it too`);
    expect(snapshot(dataDir)).toEqual(before);

    writeFileSync(
      bad,
      good.replace('name: Web app', 'name: Web app\n    callbacks: ["javascript:alert(1)"]').replace('    callbacks: [https://app.example.com/callback]\n', ''),
    );
    const second = run(['--tenant', bad]);
    const result = await second.exit;
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${bad}: clients[1] ("Web app").callbacks[0]: URL scheme "javascript:" is not allowed`);

    writeFileSync(bad, good.replace('pem_file: keys/jar.pub.pem', 'pem_file: keys/jar.key.pem'));
    const third = await run(['--tenant', bad]).exit;
    expect(third.code).toBe(1);
    expect(third.stderr).toContain(
      `${bad}: clients[1] ("Web app").signed_request_object.credentials[0].pem_file: keys/jar.key.pem is a private key; give the public key or certificate`,
    );
    expect(snapshot(dataDir)).toEqual(before);
  });
});
