/**
 * /api/v2/connections and /api/v2/tenants/settings over HTTP against the real server: the tenant's database
 * connection listed as what it is, create/read/update/delete with Auth0's scopes and errors, the `strategy`
 * and `name` filters, offset and checkpoint paging, and persistence across a restart (connections.json,
 * server.json). The DPoP field (options.dpop_signing_alg) is tested in ../dpop/connections-registration.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from './helpers';
import { lastTrace, mgmtError, startServer, tempDataDir } from './helpers';

type Json = Record<string, unknown>;
let h: Harness;
const dir = tempDataDir();
beforeAll(async () => {
  h = await startServer(dir);
});
afterAll(async () => {
  await h.close();
});

describe('GET /api/v2/connections', () => {
  it('lists the database connection Username-Password-Authentication (strategy auth0) in a fresh tenant', async () => {
    const res = await h.call('GET', '/api/v2/connections');
    expect(res.status).toBe(200);
    const list = res.json<Json[]>();
    expect(list).toEqual([
      {
        id: expect.stringMatching(/^con_[A-Za-z0-9]{16}$/),
        name: 'Username-Password-Authentication',
        strategy: 'auth0',
        options: expect.any(Object),
        realms: ['Username-Password-Authentication'],
        is_domain_connection: false,
      },
    ]);
    // The one-connection read adds the deprecated enabled_clients, as Auth0's GetConnectionResponseContent does.
    const one = (await h.call('GET', `/api/v2/connections/${String(list[0]!.id)}`)).json<Json>();
    expect(one).toMatchObject({ name: 'Username-Password-Authentication', enabled_clients: [] });
  });

  it('filters by strategy (one or repeated) and name, and pages by offset and by checkpoint', async () => {
    for (const name of ['corp-a', 'corp-b', 'corp-c'])
      expect((await h.call('POST', '/api/v2/connections', { body: { name, strategy: 'oidc' } })).status).toBe(201);
    await h.call('POST', '/api/v2/connections', { body: { name: 'okta-1', strategy: 'okta' } });
    const oidc = (await h.call('GET', '/api/v2/connections?strategy=oidc')).json<Json[]>();
    expect(oidc.map((c) => c.name)).toEqual(['corp-a', 'corp-b', 'corp-c']);
    const both = (await h.call('GET', '/api/v2/connections?strategy=oidc&strategy=okta')).json<Json[]>();
    expect(both.map((c) => c.name)).toEqual(['corp-a', 'corp-b', 'corp-c', 'okta-1']);
    expect((await h.call('GET', '/api/v2/connections?name=corp-b')).json<Json[]>().map((c) => c.name)).toEqual(['corp-b']);

    const totals = (await h.call('GET', '/api/v2/connections?strategy=oidc&per_page=2&page=1&include_totals=true')).json<Json>();
    expect(totals).toMatchObject({ start: 2, limit: 2, length: 1, total: 3 });
    expect((totals.connections as Json[]).map((c) => c.name)).toEqual(['corp-c']);

    const first = (await h.call('GET', '/api/v2/connections?strategy=oidc&take=2')).json<Json>();
    expect((first.connections as Json[]).map((c) => c.name)).toEqual(['corp-a', 'corp-b']);
    expect(typeof first.next).toBe('string');
    const second = (await h.call('GET', `/api/v2/connections?strategy=oidc&take=2&from=${String(first.next)}`)).json<Json>();
    expect((second.connections as Json[]).map((c) => c.name)).toEqual(['corp-c']);
    expect(second.next).toBeUndefined();
    // fields are picked after paging, so a page without ids still pages.
    const named = (await h.call('GET', '/api/v2/connections?strategy=oidc&take=2&fields=name')).json<Json>();
    expect(named).toEqual({ connections: [{ name: 'corp-a' }, { name: 'corp-b' }], next: first.next });

    const bad = await h.call('GET', '/api/v2/connections?take=500');
    expect(bad.status).toBe(400);
    expect(mgmtError(bad).errorCode).toBe('invalid_query_string');
  });

  it('needs read:connections', async () => {
    const res = await h.call('GET', '/api/v2/connections', { token: await h.token('read:clients') });
    expect(res.status).toBe(403);
    expect(mgmtError(res)).toMatchObject({ errorCode: 'insufficient_scope', message: 'Insufficient scope, expected any of: read:connections' });
  });
});

describe('POST, PATCH, DELETE /api/v2/connections', () => {
  it('creates with defaults (realms = [name]), reads back, updates display_name and options, deletes', async () => {
    const created = await h.call('POST', '/api/v2/connections', {
      body: { name: 'partner-idp', strategy: 'oidc', options: { client_id: 'abc', discovery_url: 'https://idp.example.com/.well-known/openid-configuration' } },
      token: await h.token('create:connections'),
    });
    expect(created.status).toBe(201);
    const json = created.json<Json>();
    expect(json).toMatchObject({ name: 'partner-idp', strategy: 'oidc', realms: ['partner-idp'], is_domain_connection: false, enabled_clients: [] });
    const id = String(json.id);
    const patched = await h.call('PATCH', `/api/v2/connections/${id}`, { body: { display_name: 'Partner', show_as_button: true } });
    expect(patched.status).toBe(200);
    expect(patched.json<Json>()).toMatchObject({ display_name: 'Partner', show_as_button: true, options: { client_id: 'abc' } });
    expect(h.directory.getConnectionJson(id)).toMatchObject({ display_name: 'Partner' });
    expect((await h.call('DELETE', `/api/v2/connections/${id}`, { token: await h.token('delete:connections') })).status).toBe(204);
    const gone = await h.call('GET', `/api/v2/connections/${id}`);
    expect(gone.status).toBe(404);
    expect(mgmtError(gone)).toMatchObject({ errorCode: 'inexistent_connection', message: 'The connection does not exist' });
  });

  it('refuses a bad name, an unknown strategy, a second database connection, a duplicate name and a renaming PATCH', async () => {
    const badName = await h.call('POST', '/api/v2/connections', { body: { name: '-bad name', strategy: 'oidc' } });
    expect(badName.status).toBe(400);
    expect(mgmtError(badName).message).toMatch(/^Payload validation error: 'String does not match pattern .*' on property name\.$/);
    const strategy = await h.call('POST', '/api/v2/connections', { body: { name: 'x1', strategy: 'kerberos' } });
    expect(mgmtError(strategy)).toMatchObject({ errorCode: 'invalid_body', message: expect.stringContaining('on property strategy') });
    const database = await h.call('POST', '/api/v2/connections', { body: { name: 'db2', strategy: 'auth0' } });
    expect(database.status).toBe(400);
    expect(mgmtError(database).message).toMatch(/one database connection/);
    const dup = await h.call('POST', '/api/v2/connections', { body: { name: 'username-password-authentication', strategy: 'oidc' } });
    expect(dup.status).toBe(409);
    expect(mgmtError(dup)).toMatchObject({ errorCode: 'connection_conflict', message: 'A connection with the same name already exists' });
    const id = String((await h.call('POST', '/api/v2/connections', { body: { name: 'renamable', strategy: 'oidc' } })).json<Json>().id);
    const rename = await h.call('PATCH', `/api/v2/connections/${id}`, { body: { name: 'other' } });
    expect(rename.status).toBe(400);
    expect(mgmtError(rename).message).toBe("Payload validation error: 'Additional properties not allowed: name'.");
    expect((await lastTrace(h)).failedRule).toBe('DPC-12');
  });

  it('keeps the database connection: its DELETE is refused with a reason, and the users stay', async () => {
    const db = (await h.call('GET', '/api/v2/connections?strategy=auth0')).json<Json[]>()[0]!;
    const res = await h.call('DELETE', `/api/v2/connections/${String(db.id)}`);
    expect(res.status).toBe(400);
    expect(mgmtError(res)).toMatchObject({ errorCode: 'operation_not_supported', message: expect.stringContaining('users live there') });
    expect((await h.call('GET', `/api/v2/connections/${String(db.id)}`)).status).toBe(200);
  });
});

describe('GET, PATCH /api/v2/tenants/settings (flags.enable_dynamic_client_registration)', () => {
  it('is off by default, switches on with update:tenant_settings, refuses other flags and a non-boolean', async () => {
    expect((await h.call('GET', '/api/v2/tenants/settings', { token: await h.token('read:tenant_settings') })).json<Json>()).toEqual({
      flags: { enable_dynamic_client_registration: false },
    });
    const denied = await h.call('PATCH', '/api/v2/tenants/settings', {
      body: { flags: { enable_dynamic_client_registration: true } },
      token: await h.token('read:tenant_settings'),
    });
    expect(denied.status).toBe(403);
    const on = await h.call('PATCH', '/api/v2/tenants/settings', {
      body: { flags: { enable_dynamic_client_registration: true } },
      token: await h.token('update:tenant_settings'),
    });
    expect(on.json<Json>()).toEqual({ flags: { enable_dynamic_client_registration: true } });
    expect(h.ctx.settings().dynamicClientRegistration).toBe(true);
    const other = await h.call('PATCH', '/api/v2/tenants/settings', { body: { flags: { enable_pipeline2: true } } });
    expect(other.status).toBe(400);
    expect(mgmtError(other).message).toBe("Payload validation error: 'Additional properties not allowed: enable_pipeline2' on property flags.");
    const notBool = await h.call('PATCH', '/api/v2/tenants/settings', { body: { flags: { enable_dynamic_client_registration: 'yes' } } });
    expect(mgmtError(notBool).message).toBe(
      "Payload validation error: 'Expected type boolean but found type string' on property flags.enable_dynamic_client_registration.",
    );
  });
});

describe('persistence', () => {
  it('keeps connections (same database connection id) and the DCR flag across a restart', async () => {
    const before = (await h.call('GET', '/api/v2/connections')).json<Json[]>();
    await h.close();
    h = await startServer(dir);
    expect((await h.call('GET', '/api/v2/connections')).json<Json[]>()).toEqual(before);
    expect((await h.call('GET', '/api/v2/tenants/settings')).json<Json>()).toEqual({ flags: { enable_dynamic_client_registration: true } });
  });
});
