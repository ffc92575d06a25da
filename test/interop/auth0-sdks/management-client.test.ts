/**
 * node-auth0 (`auth0` 7) ManagementClient against the embedded server over https, configured as for a real
 * tenant: `domain: '127.0.0.1:PORT'`, the Management API client's id and secret, and a fetch trusting the
 * local CA. It builds every URL as `https://{domain}/…` and asks for the audience `https://{domain}/api/v2/`.
 */
import { ManagementClient } from 'auth0';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PemKeyPair, SdkServer } from './support';
import { pemKeyPair, ruleIn, startHttpsServer, tracesOf } from './support';

let s: SdkServer;
let mgmt: ManagementClient;
let jar: PemKeyPair;
let pkj: PemKeyPair;

beforeAll(async () => {
  s = await startHttpsServer();
  mgmt = new ManagementClient({ domain: s.domain, clientId: s.management.clientId, clientSecret: s.management.clientSecret, fetch: s.fetch });
  [jar, pkj] = [pemKeyPair(), pemKeyPair()];
});
afterAll(() => s.close());

describe('node-auth0 ManagementClient over https', () => {
  it('creates a client with a JAR credential, attaches a new private_key_jwt credential, lists, updates expires_at, deletes', async () => {
    const created = await mgmt.clients.create({
      name: 'node-auth0 app',
      app_type: 'regular_web',
      callbacks: ['https://app.example.com/callback'],
      grant_types: ['authorization_code', 'client_credentials'],
      signed_request_object: { required: true, credentials: [{ name: 'request objects', credential_type: 'public_key', pem: jar.publicPem, alg: 'RS256' }] },
    });
    const clientId = created.client_id!;
    expect(created.signed_request_object?.required).toBe(true);
    expect(created.signed_request_object?.credentials).toHaveLength(1);

    const credential = await mgmt.clients.credentials.create(clientId, { credential_type: 'public_key', name: 'assertions', pem: pkj.publicPem, alg: 'RS256' });
    expect(credential.id).toMatch(/^cred_/);
    const updated = await mgmt.clients.update(clientId, {
      token_endpoint_auth_method: null,
      client_authentication_methods: { private_key_jwt: { credentials: [{ id: credential.id! }] } },
    });
    expect(updated.client_authentication_methods?.private_key_jwt?.credentials).toEqual([expect.objectContaining({ id: credential.id })]);

    const listed = await mgmt.clients.credentials.list(clientId);
    expect(listed.map((c) => c.name).sort()).toEqual(['assertions', 'request objects']);

    const expiresAt = new Date(Date.now() + 30 * 86_400_000);
    expiresAt.setUTCMilliseconds(0);
    const patched = await mgmt.clients.credentials.update(clientId, credential.id!, { expires_at: expiresAt.toISOString() });
    expect(new Date(String(patched.expires_at)).toISOString()).toBe(expiresAt.toISOString());
    expect(new Date(String((await mgmt.clients.credentials.get(clientId, credential.id!)).expires_at)).getTime()).toBe(expiresAt.getTime());

    // The credential works: a second ManagementClient signs in with it (client assertion aud https://{domain}/).
    await mgmt.clientGrants.create({ client_id: clientId, audience: s.management.audience, scope: ['read:clients'] });
    const from = s.traces.length;
    const asApp = new ManagementClient({ domain: s.domain, clientId, clientAssertionSigningKey: pkj.privatePem, fetch: s.fetch });
    const self = await asApp.clients.get(clientId);
    expect(self.name).toBe('node-auth0 app');
    const token = tracesOf(s, 'token', from).at(-1);
    expect(ruleIn(token, 'PKJ-8')).toMatchObject({ passed: true, actual: s.issuer });

    const jarCredential = listed.find((c) => c.name === 'request objects')!;
    await mgmt.clients.update(clientId, { signed_request_object: { required: false, credentials: [] } });
    await mgmt.clients.credentials.delete(clientId, jarCredential.id!);
    expect((await mgmt.clients.credentials.list(clientId)).map((c) => c.id)).toEqual([credential.id]);

    await mgmt.clients.delete(clientId);
    await expect(mgmt.clients.get(clientId)).rejects.toMatchObject({ statusCode: 404 });
  });

  it('pages through clients as Auth0 does (per_page, include_totals), with the SDK walking the pages', async () => {
    const names = ['paged 1', 'paged 2', 'paged 3'];
    for (const name of names) await mgmt.clients.create({ name, app_type: 'non_interactive' });
    const first = await mgmt.clients.list({ per_page: 2 });
    expect(first.data).toHaveLength(2);
    expect(first.response.total).toBeGreaterThanOrEqual(4);
    const all: string[] = [];
    for await (const client of await mgmt.clients.list({ per_page: 2 })) all.push(client.name!);
    expect(all).toEqual(expect.arrayContaining(names));
    expect(all).toHaveLength(first.response.total!);
  });

  it('lists connections by checkpoint (take/from) and strategy, creates an oidc connection and patches options.dpop_signing_alg (DPC-12)', async () => {
    const db = await mgmt.connections.list({ strategy: ['auth0'] });
    expect(db.data.map((c) => [c.name, c.strategy])).toEqual([['Username-Password-Authentication', 'auth0']]);

    const created = await mgmt.connections.create({ name: 'sdk-oidc', strategy: 'oidc', options: { client_id: 'upstream', dpop_signing_alg: 'ES256' } });
    expect(created.options).toMatchObject({ dpop_signing_alg: 'ES256' });
    const updated = await mgmt.connections.update(created.id!, { options: { client_id: 'upstream', dpop_signing_alg: 'Ed25519' } });
    expect(updated.options).toEqual({ client_id: 'upstream', dpop_signing_alg: 'Ed25519' });
    expect((await mgmt.connections.get(created.id!)).options).toMatchObject({ dpop_signing_alg: 'Ed25519' });

    for (const name of ['sdk-oidc-2', 'sdk-oidc-3']) await mgmt.connections.create({ name, strategy: 'oidc' });
    // The SDK walks the pages with `next`/`from`, two at a time.
    const names: string[] = [];
    for await (const c of await mgmt.connections.list({ strategy: ['oidc'], take: 2 })) names.push(c.name!);
    expect(names).toEqual(['sdk-oidc', 'sdk-oidc-2', 'sdk-oidc-3']);

    await mgmt.connections.delete(created.id!);
    await expect(mgmt.connections.get(created.id!)).rejects.toMatchObject({ statusCode: 404 });
  });

  it('switches dynamic client registration on through tenant settings, then registers a client at /oidc/register', async () => {
    expect((await mgmt.tenants.settings.get()).flags).toEqual({ enable_dynamic_client_registration: false });
    const updated = await mgmt.tenants.settings.update({ flags: { enable_dynamic_client_registration: true } });
    expect(updated.flags?.enable_dynamic_client_registration).toBe(true);
    const res = await s.fetch(`${s.issuer}oidc/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_name: 'sdk dcr', redirect_uris: ['https://rp.example.com/cb'] }),
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { client_id: string };
    expect((await mgmt.clients.get(body.client_id)).is_first_party).toBe(false);
  });
});
