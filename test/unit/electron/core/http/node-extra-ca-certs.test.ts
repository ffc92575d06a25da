/**
 * NODE_EXTRA_CA_CERTS is read by Node once, at startup, so it is tested in a child process started with
 * it: the core's Node transport (web and headless modes) trusts a TLS server signed by a CA made at test
 * time, and keeps trusting it when a target's extra CA makes the transport build its own CA list.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestCa, TlsIssuer } from './support';
import { testCa, tlsIssuer } from './support';

let dir: string;
let envCa: TestCa;
let otherCa: TestCa;
let server: TlsIssuer;
let script: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parley-extra-ca-'));
  envCa = await testCa('Corporate Inspection CA');
  otherCa = await testCa('Some Other Dev CA');
  writeFileSync(join(dir, 'corporate.pem'), envCa.pem);
  server = await tlsIssuer(await envCa.issue({ names: ['127.0.0.1'] }), (port) => `https://127.0.0.1:${port}/`);
  const transport = pathToFileURL(join(import.meta.dirname, '../../../../../electron/core/http/node-transport.ts')).href;
  script = join(dir, 'child.mts'); // ESM (top-level await) outside the project's package.json
  writeFileSync(
    script,
    `import { nodeTransport } from ${JSON.stringify(transport)};
const [url, extraCa] = process.argv.slice(2);
const transport = nodeTransport(extraCa ? { extraCa: [extraCa] } : {});
try {
  const response = await transport.fetch(url, { method: 'GET' });
  console.log(JSON.stringify({ status: response.status, body: await response.json() }));
} catch (e) {
  console.log(JSON.stringify({ error: e instanceof Error ? e.message : String(e) }));
}
await transport.close();
`,
  );
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the child (asynchronously: the TLS server answers from this process) and returns what it printed. */
function child(env: NodeJS.ProcessEnv, extraCa?: string): Promise<{ status?: number; body?: { issuer?: string }; error?: string }> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(https?_proxy|no_proxy|node_extra_ca_certs)$/i.test(k)));
  const args = ['--import', 'tsx', script, `https://127.0.0.1:${server.port}/.well-known/openid-configuration`, ...(extraCa ? [extraCa] : [])];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { env: { ...clean, ...env }, cwd: join(import.meta.dirname, '../../../../..') }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stderr}`));
      else resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { status?: number; error?: string });
    });
  });
}

describe('Node transport › NODE_EXTRA_CA_CERTS', () => {
  it('a server signed by the CA in NODE_EXTRA_CA_CERTS is trusted', async () => {
    const out = await child({ NODE_EXTRA_CA_CERTS: join(dir, 'corporate.pem') });
    expect(out).toMatchObject({ status: 200, body: { issuer: `https://127.0.0.1:${server.port}/` } });
  });

  it('without it, the failure names the certificate and its unknown issuer', async () => {
    const out = await child({});
    expect(out.error).toMatch(
      /its certificate \(subject CN=127\.0\.0\.1\) was issued by CN=Corporate Inspection CA, O=Parley tests, a certificate authority this machine does not trust/,
    );
  });

  it('a target’s extra CA is trusted on top of NODE_EXTRA_CA_CERTS, not instead of it', async () => {
    const out = await child({ NODE_EXTRA_CA_CERTS: join(dir, 'corporate.pem') }, otherCa.pem);
    expect(out).toMatchObject({ status: 200 });
  });
});
