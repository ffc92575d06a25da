/**
 * The directory behind the Management API: first-start bootstrap (Management client, grant, demo user),
 * persistence across restarts, concurrent writes, client grants, users, and the guarantee that no
 * private key ever reaches a response or a file.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BOOTSTRAP_SCOPES, SCOPES_ADDED_LATER } from '../../../../../../electron/core/server/state/grants';
import { filesIn, mgmtError, startServer, tempDataDir } from './helpers';
import { rsa } from './keys';

type Json = Record<string, unknown>;

describe('Management API › bootstrap at first start', () => {
  it('creates the Management API client with a grant of every scope, and a demo user', async () => {
    const h = await startServer();
    try {
      const info = h.directory.bootstrapInfo();
      expect(info.management.client_id).toMatch(/^[A-Za-z0-9]{32}$/);
      expect(info.users).toEqual([{ email: 'demo@parley.local', password: expect.stringMatching(/^[A-Za-z0-9]{20}$/) as unknown }]);
      const client = h.directory.getClientJson(info.management.client_id);
      expect(client).toMatchObject({
        name: 'Parley Management API',
        app_type: 'non_interactive',
        token_endpoint_auth_method: 'client_secret_post',
        client_secret: info.management.client_secret,
        grant_types: ['client_credentials'],
      });
      expect(h.directory.getClientForUi(info.management.client_id)).toMatchObject({ parley_management: true });
      expect(h.directory.getClientForUi(info.management.client_id)).not.toHaveProperty('client_secret');
      expect(h.directory.getClient(info.management.client_id)?.is_management_client).toBe(true);
      expect(h.directory.grantedScopes(info.management.client_id, h.urls.managementAudience)).toEqual([...BOOTSTRAP_SCOPES]);
      for (const scope of [
        'create:clients',
        'read:client_credentials',
        'create:credentials',
        'update:credentials',
        'update:client',
        'create:users',
        'read:users',
        'delete:users',
      ]) {
        expect(BOOTSTRAP_SCOPES).toContain(scope);
      }
      // The marker is not an audience anyone can ask for.
      expect(h.directory.grantedScopes(info.management.client_id, 'management')).toBeUndefined();
      expect(await h.directory.authenticate('demo@parley.local', info.users[0]!.password)).toMatchObject({
        email: 'demo@parley.local',
        name: 'Demo User',
        email_verified: true,
      });
      const del = await h.call('DELETE', `/api/v2/clients/${info.management.client_id}`);
      expect(mgmtError(del)).toMatchObject({ statusCode: 400, errorCode: 'operation_not_supported' });
    } finally {
      await h.close();
    }
  });

  it('keeps the same client and grant after a restart on another port (grants do not depend on the port)', async () => {
    const dir = tempDataDir();
    const first = await startServer(dir);
    const info = first.directory.bootstrapInfo();
    const firstAudience = first.urls.managementAudience;
    await first.close();
    const second = await startServer(dir);
    try {
      expect(second.urls.managementAudience).not.toBe(firstAudience);
      expect(second.directory.bootstrapInfo()).toEqual(info);
      expect(second.directory.listClients().filter((c) => c.name === 'Parley Management API')).toHaveLength(1);
      expect(second.directory.grantedScopes(info.management.client_id, second.urls.managementAudience)).toEqual([...BOOTSTRAP_SCOPES]);
      expect(second.directory.grantedScopes(info.management.client_id, firstAudience)).toBeUndefined();
      expect(second.directory.listUsers()).toHaveLength(1);
    } finally {
      await second.close();
    }
  });
});

describe('Management API › a data directory from before the later scopes', () => {
  /** Rewrites the Management client's stored grant in its record file, as an older Parley left it. */
  function rewriteGrant(dir: string, clientId: string, scope: (old: string[]) => string[]): void {
    type Record = { client: { client_id: string }; grants: { audience: string; scope: string[] }[] };
    const files = readdirSync(join(dir, 'clients')).map((name) => join(dir, 'clients', name));
    const file = files.find((f) => (JSON.parse(readFileSync(f, 'utf8')) as Record).client.client_id === clientId)!;
    const record = JSON.parse(readFileSync(file, 'utf8')) as Record;
    for (const g of record.grants) if (g.audience === 'management') g.scope = scope(g.scope);
    writeFileSync(file, JSON.stringify(record));
  }

  it('grants the Management client the scopes added since (resource servers, connections, tenant settings) at start', async () => {
    const dir = tempDataDir();
    const first = await startServer(dir);
    const { client_id } = first.directory.bootstrapInfo().management;
    await first.close();
    rewriteGrant(dir, client_id, (old) => old.filter((s) => !SCOPES_ADDED_LATER.includes(s)));
    const second = await startServer(dir);
    try {
      expect(new Set(second.directory.grantedScopes(client_id, second.urls.managementAudience))).toEqual(new Set(BOOTSTRAP_SCOPES));
      // …so its token reaches the newer endpoints.
      expect((await second.call('GET', '/api/v2/connections')).status).toBe(200);
    } finally {
      await second.close();
    }
  });

  it('leaves a grant the user trimmed as it is', async () => {
    const dir = tempDataDir();
    const first = await startServer(dir);
    const { client_id } = first.directory.bootstrapInfo().management;
    await first.close();
    rewriteGrant(dir, client_id, (old) => old.filter((s) => !SCOPES_ADDED_LATER.includes(s) && s !== 'delete:users'));
    const second = await startServer(dir);
    try {
      const granted = second.directory.grantedScopes(client_id, second.urls.managementAudience) ?? [];
      expect(granted).not.toContain('delete:users');
      expect(granted.filter((s) => SCOPES_ADDED_LATER.includes(s))).toEqual([]);
    } finally {
      await second.close();
    }
  });
});

describe('Management API › persistence', () => {
  it('keeps clients, credentials (with usable keys) and users across a restart', async () => {
    const dir = tempDataDir();
    const a = await startServer(dir);
    const pair = await rsa(0);
    const client = (
      await a.call('POST', '/api/v2/clients', {
        body: { name: 'Persisted', signed_request_object: { required: true, credentials: [{ name: 'jar', credential_type: 'public_key', pem: pair.spki }] } },
      })
    ).json<Json>();
    const user = (
      await a.call('POST', '/api/v2/users', { body: { email: 'Alice@Example.com', password: 'correct horse', connection: 'Username-Password-Authentication' } })
    ).json<Json>();
    await a.close();
    const b = await startServer(dir);
    try {
      expect((await b.call('GET', `/api/v2/clients/${client.client_id as string}`)).json<Json>()).toEqual({
        ...client,
        signing_keys: expect.any(Array) as unknown,
      });
      const [view] = b.directory.slotCredentials(client.client_id as string, 'signed_request_object');
      expect(view?.kid).toBe(pair.thumbprint);
      expect(view?.publicKey.export({ type: 'spki', format: 'pem' })).toBe(pair.spki);
      expect((await b.call('GET', `/api/v2/users/${encodeURIComponent(user.user_id as string)}`)).json()).toEqual(user);
      expect(await b.directory.authenticate('alice@example.com', 'correct horse')).toMatchObject({ user_id: user.user_id });
    } finally {
      await b.close();
    }
  });

  it('keeps every one of 20 parallel creates', async () => {
    const dir = tempDataDir();
    const a = await startServer(dir);
    const token = await a.token();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => a.call('POST', '/api/v2/clients', { token, body: { name: `parallel ${i}` } })));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    await a.close();
    const b = await startServer(dir);
    try {
      const names = b.directory.listClients().map((c) => c.name);
      for (let i = 0; i < 20; i++) expect(names).toContain(`parallel ${i}`);
    } finally {
      await b.close();
    }
  });

  it('enforces the pool limit under parallel credential creates (exactly 4 of 6 succeed)', async () => {
    const h = await startServer();
    try {
      const clientId = (await h.call('POST', '/api/v2/clients', { body: { name: 'race' } })).json<Json>().client_id as string;
      const pems = await Promise.all([0, 1, 2, 3, 4, 5].map(async (i) => (await rsa(i)).spki));
      const results = await Promise.all(
        pems.map((pem) => h.call('POST', `/api/v2/clients/${clientId}/credentials`, { body: { credential_type: 'public_key', pem } })),
      );
      expect(results.filter((r) => r.status === 201)).toHaveLength(4);
      expect(results.filter((r) => r.status === 400).map((r) => mgmtError(r).message)).toEqual([
        'A client can have a maximum of 4 credentials.',
        'A client can have a maximum of 4 credentials.',
      ]);
      expect(h.directory.listCredentials(clientId)).toHaveLength(4);
    } finally {
      await h.close();
    }
  });

  it('moves an unreadable clients.json aside, reports it, and starts clean with a new Management client', async () => {
    const dir = tempDataDir();
    writeFileSync(join(dir, 'clients.json'), '{"version":1,"clients":"oops"}');
    const h = await startServer(dir);
    try {
      expect(h.notices).toEqual([
        expect.objectContaining({ file: join(dir, 'clients.json'), movedTo: expect.stringContaining('clients.json.corrupt-') as unknown }),
      ]);
      expect(h.directory.bootstrapInfo().management.client_id).toMatch(/^[A-Za-z0-9]{32}$/);
    } finally {
      await h.close();
    }
  });
});

describe('Management API › no private key anywhere (ARCHITECTURE §3)', () => {
  it('never returns or stores a private key, even when one is sent', async () => {
    const dir = tempDataDir();
    const h = await startServer(dir);
    const bodies: string[] = [];
    try {
      const pair = await rsa(0);
      const privateBase64 = pair.pkcs8.split('\n')[1]!;
      bodies.push(
        (
          await h.call('POST', '/api/v2/clients', {
            body: { name: 'k', client_authentication_methods: { private_key_jwt: { credentials: [{ credential_type: 'public_key', pem: pair.pkcs8 }] } } },
          })
        ).body,
      );
      const clientId = (await h.call('POST', '/api/v2/clients', { body: { name: 'ok' } })).json<Json>().client_id as string;
      bodies.push(
        (await h.call('POST', `/api/v2/clients/${clientId}/credentials`, { body: { credential_type: 'public_key', pem: `${pair.spki}${pair.pkcs8}` } })).body,
      );
      bodies.push((await h.call('POST', `/api/v2/clients/${clientId}/credentials`, { body: { credential_type: 'public_key', pem: pair.spki } })).body);
      bodies.push((await h.call('GET', `/api/v2/clients/${clientId}/credentials`)).body);
      bodies.push((await h.call('GET', '/api/v2/clients')).body);
      for (const body of bodies) {
        expect(body).not.toContain('PRIVATE KEY');
        expect(body).not.toContain(privateBase64);
      }
      for (const trace of h.traces) expect(JSON.stringify(trace)).not.toContain(privateBase64);
    } finally {
      await h.close();
    }
    for (const file of filesIn(dir)) {
      expect(file.text, file.path).not.toContain('PRIVATE KEY');
    }
  });
});

describe('Management API › client grants', () => {
  it('creates, lists and deletes grants; grantedScopes follows them', async () => {
    const h = await startServer();
    try {
      const clientId = (await h.call('POST', '/api/v2/clients', { body: { name: 'API caller', app_type: 'non_interactive' } })).json<Json>()
        .client_id as string;
      const created = await h.call('POST', '/api/v2/client-grants', {
        body: { client_id: clientId, audience: 'https://api.example.com/', scope: ['read:things'] },
      });
      expect(created.status).toBe(201);
      const grant = created.json<Json>();
      expect(Object.keys(grant)).toEqual(['id', 'client_id', 'audience', 'scope']);
      expect(h.directory.grantedScopes(clientId, 'https://api.example.com/')).toEqual(['read:things']);
      expect(h.directory.grantedScopes(clientId, h.urls.managementAudience)).toBeUndefined();
      const dup = await h.call('POST', '/api/v2/client-grants', { body: { client_id: clientId, audience: 'https://api.example.com/', scope: [] } });
      expect(mgmtError(dup).statusCode).toBe(409);
      const mgmt = await h.call('POST', '/api/v2/client-grants', {
        body: { client_id: clientId, audience: h.urls.managementAudience, scope: ['read:clients'] },
      });
      expect(mgmt.json<Json>().audience).toBe(h.urls.managementAudience);
      expect(h.directory.grantedScopes(clientId, h.urls.managementAudience)).toEqual(['read:clients']);
      const list = (await h.call('GET', `/api/v2/client-grants?client_id=${clientId}`)).json<Json[]>();
      expect(list).toHaveLength(2);
      expect((await h.call('DELETE', `/api/v2/client-grants/${grant.id as string}`)).status).toBe(204);
      expect(h.directory.grantedScopes(clientId, 'https://api.example.com/')).toBeUndefined();
      expect(mgmtError(await h.call('POST', '/api/v2/client-grants', { body: { client_id: clientId, audience: 'not a url', scope: [] } })).errorCode).toBe(
        'invalid_body',
      );
      expect(mgmtError(await h.call('POST', '/api/v2/client-grants', { body: { client_id: 'nope', audience: 'https://x/', scope: [] } })).errorCode).toBe(
        'inexistent_client',
      );
      // Deleting a client deletes its grants.
      await h.call('DELETE', `/api/v2/clients/${clientId}`);
      expect(h.directory.listClientGrants().filter((g) => g.client_id === clientId)).toEqual([]);
    } finally {
      await h.close();
    }
  });
});

describe('Management API › users', () => {
  it('creates (201, Auth0 shape), lists, reads and deletes (204) users; refuses duplicates and weak passwords', async () => {
    const h = await startServer();
    try {
      const res = await h.call('POST', '/api/v2/users', {
        body: { email: 'bob@example.com', password: 'a long password', name: 'Bob', connection: 'Username-Password-Authentication' },
      });
      expect(res.status).toBe(201);
      const user = res.json<Json>();
      expect(Object.keys(user)).toEqual(['created_at', 'email', 'email_verified', 'identities', 'name', 'nickname', 'updated_at', 'user_id']);
      expect(user).toMatchObject({
        email: 'bob@example.com',
        name: 'Bob',
        nickname: 'bob',
        email_verified: false,
        user_id: expect.stringMatching(/^auth0\|[0-9a-f]{24}$/) as unknown,
      });
      expect(res.body).not.toMatch(/password/);
      expect(mgmtError(await h.call('POST', '/api/v2/users', { body: { email: 'BOB@example.com', password: 'another password' } }))).toEqual({
        statusCode: 409,
        error: 'Conflict',
        message: 'The user already exists.',
        errorCode: 'auth0_idp_error',
      });
      expect(mgmtError(await h.call('POST', '/api/v2/users', { body: { email: 'c@example.com', password: 'short' } })).message).toBe(
        'PasswordStrengthError: Password is too weak',
      );
      expect(
        mgmtError(await h.call('POST', '/api/v2/users', { body: { email: 'c@example.com', password: 'long enough', connection: 'google-oauth2' } })).errorCode,
      ).toBe('inexistent_connection');
      expect(mgmtError(await h.call('POST', '/api/v2/users', { body: { email: 'not-an-email', password: 'long enough' } })).errorCode).toBe('invalid_body');
      expect((await h.call('GET', '/api/v2/users')).json<Json[]>().map((u) => u.email)).toEqual(['demo@parley.local', 'bob@example.com']);
      expect(h.directory.listUsersForUi().find((u) => u.email === 'bob@example.com')).toEqual({
        user_id: user.user_id,
        email: 'bob@example.com',
        name: 'Bob',
        email_verified: false,
        created_at: user.created_at,
      });
      expect(await h.directory.authenticate('bob@example.com', 'wrong password')).toBeUndefined();
      expect(await h.directory.authenticate('nobody@example.com', 'a long password')).toBeUndefined();
      expect(h.directory.getUser(user.user_id as string)).toEqual({ user_id: user.user_id, email: 'bob@example.com', name: 'Bob', email_verified: false });
      const path = `/api/v2/users/${encodeURIComponent(user.user_id as string)}`;
      expect((await h.call('DELETE', path)).status).toBe(204);
      expect(mgmtError(await h.call('GET', path))).toEqual({
        statusCode: 404,
        error: 'Not Found',
        message: 'The user does not exist.',
        errorCode: 'inexistent_user',
      });
      expect(mgmtError(await h.call('GET', '/api/v2/users', { token: await h.token('read:clients') })).message).toBe(
        'Insufficient scope, expected any of: read:users',
      );
      // Only a scrypt hash is stored for users other than the demo user.
      for (const file of filesIn(h.dir)) expect(file.text, file.path).not.toContain('a long password');
    } finally {
      await h.close();
    }
  });

  it('does not re-create a deleted demo user at the next start', async () => {
    const dir = tempDataDir();
    const a = await startServer(dir);
    const demo = a.directory.listUsersForUi()[0]!;
    await a.directory.deleteUser(demo.user_id);
    expect(a.directory.bootstrapInfo().users).toEqual([]);
    await a.close();
    const b = await startServer(dir);
    try {
      expect(b.directory.listUsers()).toEqual([]);
    } finally {
      await b.close();
    }
  });
});

describe('Management API › token from the client_credentials grant', () => {
  it('accepts a token the bootstrap client obtains at /oauth/token', async () => {
    const h = await startServer();
    try {
      const { client_id, client_secret } = h.directory.bootstrapInfo().management;
      const form = new URLSearchParams({ grant_type: 'client_credentials', client_id, client_secret, audience: h.urls.managementAudience }).toString();
      const tokenRes = await h.call('POST', '/oauth/token', { token: null, body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(tokenRes.status, tokenRes.body).toBe(200);
      const { access_token } = tokenRes.json<{ access_token: string }>();
      const res = await h.call('GET', '/api/v2/clients', { token: access_token });
      expect(res.status, res.body).toBe(200);
      const created = await h.call('POST', '/api/v2/clients', { token: access_token, body: { name: 'via /oauth/token' } });
      expect(created.status, created.body).toBe(201);
    } finally {
      await h.close();
    }
  });
});
