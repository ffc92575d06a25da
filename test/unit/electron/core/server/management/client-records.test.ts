/**
 * The clients' store (state/client-records.ts): one file per client, so a Management write touches that
 * client's file only, whatever the tenant's size; an older Parley's clients.json is migrated on first start;
 * a corrupt client file is moved aside and reported while every other client loads.
 */
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, readdirSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLIENTS_FOLDER, recordFileName } from '../../../../../../electron/core/server/state/client-records';
import { freezeClock } from '../../../../../../electron/core/clock';
import { ServerDirectory } from '../../../../../../electron/core/server/management/directory';
import { confStoreFactory } from '../../../../../../electron/core/store/document-store';
import { tempDataDir } from './helpers';
import type { StoreNotice } from '../../../../../../shared/schemas/app';

function pem(): string {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

/** Every file of the clients folder: name → inode, size and modification time (ns). */
function snapshot(dir: string): Map<string, string> {
  const folder = join(dir, CLIENTS_FOLDER);
  return new Map(
    readdirSync(folder).map((name) => {
      const s = statSync(join(folder, name), { bigint: true });
      return [name, `${s.ino}:${s.size}:${s.mtimeNs}`];
    }),
  );
}

/** The names whose file was added, removed or replaced between two snapshots. */
function changed(before: Map<string, string>, after: Map<string, string>): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((n) => before.get(n) !== after.get(n)).sort();
}

describe('Client store › one file per client', () => {
  it('a write touches the written client’s file only, however many clients there are', async () => {
    const dir = tempDataDir();
    const directory = new ServerDirectory(confStoreFactory(dir), []);
    const ids: string[] = [];
    for (let i = 0; i < 300; i++)
      ids.push((await directory.createClient({ name: `c${i}`, app_type: 'regular_web', callbacks: [`https://app${i}.example.com/cb`] })).client_id);
    const target = ids[150]!;
    const step = async (what: () => Promise<unknown>, expected: (id?: string) => string[]): Promise<void> => {
      const before = snapshot(dir);
      const result = await what();
      const id = (result as { client_id?: string } | undefined)?.client_id;
      expect(changed(before, snapshot(dir))).toEqual(expected(id));
    };
    const own = [recordFileName(target)];

    await step(
      () => directory.createClient({ name: 'one more', app_type: 'spa' }),
      (id) => [recordFileName(id!)],
    );
    await step(
      () => directory.updateClient(target, { description: 'patched' }),
      () => own,
    );
    const credential = await directory.createCredential(target, { name: 'k', credential_type: 'public_key', pem: pem(), alg: 'RS256' });
    await step(
      () => directory.updateClient(target, { signed_request_object: { credentials: [{ id: credential.id }] } }),
      () => own,
    );
    await step(
      () => directory.createClientGrant({ client_id: target, audience: 'https://api.example.com/', scope: ['read:x'] }),
      () => own,
    );
    const grant = directory.listClientGrants(target)[0]!;
    await step(
      () => directory.deleteClientGrant(grant.id),
      () => own,
    );
    await step(
      () => directory.deleteClient(ids[3]!),
      () => [recordFileName(ids[3]!)],
    );

    // The written file is that client alone: its size does not grow with the tenant.
    const size = statSync(join(dir, CLIENTS_FOLDER, recordFileName(target))).size;
    expect(size).toBeLessThan(8 * 1024);

    // And everything reads back after a restart, in creation order.
    const reopened = new ServerDirectory(confStoreFactory(dir), []);
    expect(reopened.listClients().map((c) => c.name)).toEqual(directory.listClients().map((c) => c.name));
    expect(reopened.getClientJson(target)).toMatchObject({ description: 'patched', signed_request_object: { credentials: [{ id: credential.id }] } });
    expect(reopened.listCredentials(target).map((c) => c.id)).toEqual([credential.id]);
  });

  it('keeps creation order across a restart when clients are created in the same millisecond', async () => {
    const dir = tempDataDir();
    const directory = new ServerDirectory(confStoreFactory(dir), []);
    freezeClock(Date.parse('2030-01-01T00:00:00.000Z'));
    try {
      for (let i = 0; i < 40; i++) await directory.createClient({ name: `same-ms-${i}`, app_type: 'spa' });
    } finally {
      freezeClock(undefined);
    }
    const names = Array.from({ length: 40 }, (_, i) => `same-ms-${i}`);
    expect(directory.listClients().map((c) => c.name)).toEqual(names);
    const reopened = new ServerDirectory(confStoreFactory(dir), []);
    expect(reopened.listClients().map((c) => c.name)).toEqual(names);
    // A client created after the restart comes last, not among them.
    await reopened.createClient({ name: 'after', app_type: 'spa' });
    expect(new ServerDirectory(confStoreFactory(dir), []).listClients().map((c) => c.name)).toEqual([...names, 'after']);
  });

  it('client ids that differ only by case get different files (case-insensitive file systems)', async () => {
    const dir = tempDataDir();
    const directory = new ServerDirectory(confStoreFactory(dir), []);
    await directory.importClient('abcDEF', { name: 'upper', app_type: 'non_interactive' });
    await directory.importClient('abcdef', { name: 'lower', app_type: 'non_interactive' });
    expect(new Set([recordFileName('abcDEF').toLowerCase(), recordFileName('abcdef').toLowerCase()]).size).toBe(2);
    const reopened = new ServerDirectory(confStoreFactory(dir), []);
    expect(reopened.getClientJson('abcDEF').name).toBe('upper');
    expect(reopened.getClientJson('abcdef').name).toBe('lower');
  });

  it('moves a corrupt client file aside, reports it, and loads every other client', async () => {
    const dir = tempDataDir();
    const directory = new ServerDirectory(confStoreFactory(dir), []);
    const a = await directory.createClient({ name: 'a', app_type: 'spa' });
    const b = await directory.createClient({ name: 'b', app_type: 'spa' });
    const file = join(dir, CLIENTS_FOLDER, recordFileName(a.client_id));
    writeFileSync(file, readFileSync(file, 'utf8').slice(0, 40));
    const notices: StoreNotice[] = [];
    const reopened = new ServerDirectory(confStoreFactory(dir), notices);
    expect(notices).toEqual([
      expect.objectContaining({
        file,
        movedTo: expect.stringContaining(`${recordFileName(a.client_id)}.corrupt-`) as unknown,
        reason: expect.stringContaining('not valid JSON') as unknown,
      }),
    ]);
    expect(existsSync(notices[0]!.movedTo)).toBe(true);
    expect(reopened.listClients().map((c) => c.client_id)).toEqual([b.client_id]);
  });
});

describe('Client store › migration from clients.json', () => {
  it('moves every client, credential and grant into its own file, removes clients.json, and serves them unchanged', async () => {
    const dir = tempDataDir();
    // Written the way an older Parley did: one document for every client, its credentials and grants.
    const at = '2026-01-01T00:00:00.000Z';
    const client = (id: string, name: string, extra: Record<string, unknown> = {}) => ({
      client_id: id,
      client_secret: `secret-of-${id}-0123456789abcdefghijklmnop`,
      name,
      app_type: 'regular_web',
      is_first_party: true,
      is_token_endpoint_ip_header_trusted: false,
      oidc_conformant: false,
      jwt_configuration: { secret_encoded: false, lifetime_in_seconds: 36000 },
      sso_disabled: false,
      cross_origin_authentication: false,
      callbacks: ['https://app.example.com/cb'],
      grant_types: ['authorization_code', 'client_credentials'],
      custom_login_page_on: true,
      token_endpoint_auth_method: 'client_secret_post',
      refresh_token: {
        rotation_type: 'non-rotating',
        expiration_type: 'non-expiring',
        leeway: 0,
        token_lifetime: 31557600,
        infinite_token_lifetime: true,
        infinite_idle_token_lifetime: true,
        idle_token_lifetime: 2592000,
      },
      created_at: at,
      ...extra,
    });
    // A credential as the old store kept it (the same stored shape): made by this store, then put in the old document.
    const scratchDir = tempDataDir();
    const scratch = new ServerDirectory(confStoreFactory(scratchDir), []);
    await scratch.importClient('old-two', { name: 'scratch', app_type: 'regular_web' });
    const cred = await scratch.createCredential('old-two', { name: 'jar', credential_type: 'public_key', pem: pem(), alg: 'RS256' });
    const storedCred = (JSON.parse(readFileSync(join(scratchDir, CLIENTS_FOLDER, recordFileName('old-two')), 'utf8')) as { credentials: unknown[] })
      .credentials[0];
    const legacy = {
      version: 1,
      clients: [client('old-one', 'First'), client('old-two', 'Second', { signed_request_object: { required: true, credentials: [cred.id] } })],
      credentials: [storedCred],
      grants: [{ id: 'cgr_old1', client_id: 'old-one', audience: 'https://api.example.com/', scope: ['read:things'], created_at: at }],
    };
    writeFileSync(join(dir, 'clients.json'), JSON.stringify(legacy));

    const notices: StoreNotice[] = [];
    const directory = new ServerDirectory(confStoreFactory(dir), notices);
    expect(notices).toEqual([]);
    expect(existsSync(join(dir, 'clients.json'))).toBe(false);
    expect(readdirSync(join(dir, CLIENTS_FOLDER)).sort()).toEqual([recordFileName('old-one'), recordFileName('old-two')].sort());
    expect(directory.listClients().map((c) => [c.client_id, c.name, c.client_secret])).toEqual([
      ['old-one', 'First', 'secret-of-old-one-0123456789abcdefghijklmnop'],
      ['old-two', 'Second', 'secret-of-old-two-0123456789abcdefghijklmnop'],
    ]);
    expect(directory.listCredentials('old-two')).toEqual([cred]);
    expect(directory.slotCredentials('old-two', 'signed_request_object').map((c) => c.id)).toEqual([cred.id]);
    expect(directory.listClientGrants()).toEqual([{ id: 'cgr_old1', client_id: 'old-one', audience: 'https://api.example.com/', scope: ['read:things'] }]);
    expect(directory.grantedScopes('old-one', 'https://api.example.com/')).toEqual(['read:things']);

    // A second start finds nothing to migrate and the same tenant.
    const again = new ServerDirectory(confStoreFactory(dir), notices);
    expect(notices).toEqual([]);
    expect(again.listClients()).toEqual(directory.listClients());
  });

  it('moves an unreadable clients.json aside and reports it, as before', () => {
    const dir = tempDataDir();
    writeFileSync(join(dir, 'clients.json'), '{"version":1,"clients":"oops"}');
    const notices: StoreNotice[] = [];
    const directory = new ServerDirectory(confStoreFactory(dir), notices);
    expect(notices).toEqual([
      expect.objectContaining({ file: join(dir, 'clients.json'), movedTo: expect.stringContaining('clients.json.corrupt-') as unknown }),
    ]);
    expect(existsSync(notices[0]!.movedTo)).toBe(true);
    expect(directory.listClients()).toEqual([]);
  });
});
