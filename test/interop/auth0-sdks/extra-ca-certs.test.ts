/**
 * The README's "Auth0's SDKs" examples as a CI job runs them: a separate Node process given the domain,
 * the client id, a secret or a private key file, and `NODE_EXTRA_CA_CERTS` pointing at the server's CA file;
 * no SDK option about TLS at all. Without the CA the same process fails with a certificate error.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SdkServer } from './support';
import { pemKeyPair, startHttpsServer } from './support';

const run = promisify(execFile);
let s: SdkServer;
let env: NodeJS.ProcessEnv;

// The examples, as in the README: node-auth0's ManagementClient, its AuthenticationClient (auth0/legacy)
// and @auth0/auth0-auth-js, configured from the environment.
const SCRIPT = `
import { readFileSync } from 'node:fs';
import { ManagementClient } from 'auth0';
import { AuthenticationClient } from 'auth0/legacy';
import { AuthClient } from '@auth0/auth0-auth-js';
const { AUTH0_DOMAIN: domain, MGMT_CLIENT_ID, MGMT_CLIENT_SECRET, APP_CLIENT_ID: clientId, APP_KEY_FILE } = process.env;
const management = new ManagementClient({ domain, clientId: MGMT_CLIENT_ID, clientSecret: MGMT_CLIENT_SECRET });
const page = await management.clients.list({ per_page: 10 });
const key = readFileSync(APP_KEY_FILE, 'utf8');
const auth = new AuthenticationClient({ domain, clientId, clientAssertionSigningKey: key });
const { data } = await auth.oauth.clientCredentialsGrant({ audience: \`https://\${domain}/api/v2/\` });
const authClient = new AuthClient({ domain, clientId, clientAssertionSigningKey: key });
const tokens = await authClient.getTokenByClientCredentials({ audience: \`https://\${domain}/api/v2/\` });
console.log(JSON.stringify({ clients: page.data.map((c) => c.name), legacy: data.token_type, authJs: typeof tokens.accessToken }));
`;

beforeAll(async () => {
  s = await startHttpsServer();
  const key = pemKeyPair();
  const created = (await s.server.directory.createClient({
    name: 'CI app',
    app_type: 'non_interactive',
    grant_types: ['client_credentials'],
    client_authentication_methods: { private_key_jwt: { credentials: [{ name: 'ci', credential_type: 'public_key', pem: key.publicPem, alg: 'RS256' }] } },
  })) as unknown as { client_id: string };
  await s.server.directory.createClientGrant({ client_id: created.client_id, audience: s.management.audience, scope: ['read:clients'] });
  const keyFile = join(dirname(s.caFile), 'app-key.pem');
  writeFileSync(keyFile, key.privatePem, { mode: 0o600 });
  env = {
    ...process.env,
    AUTH0_DOMAIN: s.domain,
    MGMT_CLIENT_ID: s.management.clientId,
    MGMT_CLIENT_SECRET: s.management.clientSecret,
    APP_CLIENT_ID: created.client_id,
    APP_KEY_FILE: keyFile,
  };
  delete env['NODE_EXTRA_CA_CERTS'];
});
afterAll(() => s.close());

describe("Auth0's SDKs in a child Node trusting the CA through NODE_EXTRA_CA_CERTS", () => {
  it('ManagementClient, AuthenticationClient and AuthClient work with only domain, client id, secret or key', async () => {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', SCRIPT], {
      cwd: process.cwd(),
      env: { ...env, NODE_EXTRA_CA_CERTS: s.caFile },
    });
    expect(JSON.parse(stdout)).toEqual({ clients: expect.arrayContaining(['CI app']), legacy: 'Bearer', authJs: 'string' });
  });

  it('without the CA the same script fails on the certificate, never falling back to http', async () => {
    const failed = await run(process.execPath, ['--input-type=module', '-e', SCRIPT], { cwd: process.cwd(), env }).then(
      () => null,
      (e: { stderr?: string }) => e.stderr ?? '',
    );
    expect(failed).toMatch(/UNABLE_TO_GET_ISSUER_CERT_LOCALLY|UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|certificate/i);
  });
});
