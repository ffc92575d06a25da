/**
 * A declared tenant (server/tenant): a JSON or YAML file's clients (with PEM and JWK credential files),
 * client grants, connections, users and settings are created through the Management API's own validation, idempotently;
 * every bad input is named by file, entry and field before anything is written; the export reads back as the
 * same tenant. The headless server applies it before listening, and a bad file leaves the data directory as
 * it was (test/unit/electron/cli/tenant-cli.test.ts).
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ServerSettingsStore } from '../../../../../../electron/core/server/settings';
import { CLIENTS_FOLDER } from '../../../../../../electron/core/server/state/client-records';
import { ServerDirectory } from '../../../../../../electron/core/server/management/directory';
import { MANAGEMENT_AUDIENCE_MARKER } from '../../../../../../electron/core/server/state/grants';
import { exportTenant, writeTenantExport } from '../../../../../../electron/core/server/tenant/tenant-export';
import { TenantError, applyTenant, loadTenantFile } from '../../../../../../electron/core/server/tenant/tenant-file';
import { confStoreFactory } from '../../../../../../electron/core/store/document-store';
import { tempDataDir } from '../management/helpers';
import type { StoreNotice } from '../../../../../../shared/schemas/app';

interface World {
  dir: string;
  files: string;
  directory: ServerDirectory;
  settings: ServerSettingsStore;
  notices: StoreNotice[];
}

function world(dir = tempDataDir()): World {
  const notices: StoreNotice[] = [];
  const files = join(dir, '..', `${dir.split('/').pop()!}-files`);
  mkdirSync(join(files, 'keys'), { recursive: true });
  return {
    dir,
    files,
    directory: new ServerDirectory(confStoreFactory(dir), notices),
    settings: new ServerSettingsStore(confStoreFactory(dir), notices),
    notices,
  };
}

function keyPair(): { publicPem: string; privatePem: string; publicJwk: Record<string, unknown>; privateJwk: Record<string, unknown> } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicJwk: publicKey.export({ format: 'jwk' }) as Record<string, unknown>,
    privateJwk: privateKey.export({ format: 'jwk' }) as Record<string, unknown>,
  };
}

const jar = keyPair();
const pkj = keyPair();

function tenantYaml(callback = 'https://app.example.com/callback'): string {
  return `# A CI tenant
clients:
  - name: Web app
    app_type: regular_web
    callbacks: [${callback}]
    grant_types: [authorization_code, refresh_token]
    require_pushed_authorization_requests: true
    signed_request_object:
      required: true
      credentials:
        - name: jar-key
          pem_file: keys/jar.pub.pem
          alg: RS256
    client_authentication_methods:
      private_key_jwt:
        credentials:
          - name: pkj-key
            jwk_file: keys/pkj.jwk.json
            alg: PS256
  - name: Reporting job
    client_id: reporting-job
    app_type: non_interactive
    client_secret_env: PARLEY_TEST_REPORTING_SECRET
    grant_types: [client_credentials]
clientGrants:
  - client_id: Reporting job
    audience: https://api.example.com/
    scope: [read:reports]
  - client_id: Reporting job
    audience: management
    scope: [read:clients]
connections:
  - name: corp-idp
    strategy: oidc
    options:
      client_id: upstream-client
      client_secret: upstream-secret-0123456789
      dpop_signing_alg: ES256
users:
  - email: Alice@Example.com
    name: Alice
    password_file: alice.password
    email_verified: true
settings:
  consent: false
  profile: strict
`;
}

function writeFiles(w: World, yaml = tenantYaml()): string {
  writeFileSync(join(w.files, 'keys', 'jar.pub.pem'), jar.publicPem);
  writeFileSync(join(w.files, 'keys', 'pkj.jwk.json'), JSON.stringify(pkj.publicJwk));
  writeFileSync(join(w.files, 'alice.password'), 'correct horse battery staple\n');
  const file = join(w.files, 'tenant.yaml');
  writeFileSync(file, yaml);
  return file;
}

/** Every file of the data directory with its inode, size and modification time. */
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

async function declare(w: World, file: string, shownAs = 'tenant.yaml') {
  const plan = await loadTenantFile(file, w.directory, { shownAs });
  return applyTenant(plan, w.directory, w.settings);
}

async function problems(w: World, yaml: string): Promise<string> {
  const file = writeFiles(w, yaml);
  const before = snapshot(w.dir);
  try {
    await loadTenantFile(file, w.directory, { shownAs: 'tenant.yaml' });
  } catch (e) {
    expect(e).toBeInstanceOf(TenantError);
    expect(snapshot(w.dir)).toEqual(before);
    return (e as Error).message;
  }
  throw new Error('the tenant file was accepted');
}

process.env['PARLEY_TEST_REPORTING_SECRET'] = 'reporting-secret-0123456789-abcdefghij';

describe('Declared tenant › apply', () => {
  it('creates the clients with their credentials, the grants, the users and the settings a YAML file declares', async () => {
    const w = world();
    const summary = await declare(w, writeFiles(w));
    expect(summary).toEqual({
      clients: { created: 2, updated: 0, unchanged: 0 },
      grants: { changed: 2, unchanged: 0 },
      users: { changed: 1, unchanged: 0 },
      connections: { changed: 1, unchanged: 0 },
      settings: true,
    });

    const [web] = w.directory.clientIdsNamed('Web app');
    const client = w.directory.getClientJson(web!);
    expect(client).toMatchObject({
      name: 'Web app',
      app_type: 'regular_web',
      callbacks: ['https://app.example.com/callback'],
      require_pushed_authorization_requests: true,
      signed_request_object: { required: true },
    });
    expect(client).not.toHaveProperty('token_endpoint_auth_method'); // private_key_jwt replaces it (MGC-7)
    const jarSlot = w.directory.slotCredentials(web!, 'signed_request_object');
    const pkjSlot = w.directory.slotCredentials(web!, 'private_key_jwt');
    expect(jarSlot.map((c) => [c.name, c.alg])).toEqual([['jar-key', 'RS256']]);
    expect(pkjSlot.map((c) => [c.name, c.alg])).toEqual([['pkj-key', 'PS256']]);
    expect(pkjSlot[0]!.publicKey.export({ format: 'jwk' })).toMatchObject({ n: pkj.publicJwk.n, e: pkj.publicJwk.e });

    expect(w.directory.getClientJson('reporting-job')).toMatchObject({
      client_secret: 'reporting-secret-0123456789-abcdefghij',
      grant_types: ['client_credentials'],
    });
    expect(w.directory.grantedScopes('reporting-job', 'https://api.example.com/')).toEqual(['read:reports']);
    expect(w.directory.listClientGrants('reporting-job').map((g) => g.audience)).toContain(MANAGEMENT_AUDIENCE_MARKER);
    expect(await w.directory.authenticate('alice@example.com', 'correct horse battery staple')).toMatchObject({ name: 'Alice', email_verified: true });
    expect(w.settings.saved()).toMatchObject({ consent: false, profile: 'strict' });
    const [corp] = w.directory.listConnections({ name: 'corp-idp' });
    expect(corp).toMatchObject({ strategy: 'oidc', options: { client_id: 'upstream-client', dpop_signing_alg: 'ES256' } });
  });

  it('is idempotent: the same file again writes nothing; a changed file updates what it declares, keeping ids', async () => {
    const w = world();
    const file = writeFiles(w);
    await declare(w, file);
    const [web] = w.directory.clientIdsNamed('Web app');
    const jarId = w.directory.slotCredentials(web!, 'signed_request_object')[0]!.id;
    const before = snapshot(w.dir);
    expect(await declare(w, file)).toEqual({
      clients: { created: 0, updated: 0, unchanged: 2 },
      grants: { changed: 0, unchanged: 2 },
      users: { changed: 0, unchanged: 1 },
      connections: { changed: 0, unchanged: 1 },
      settings: false,
    });
    expect(snapshot(w.dir)).toEqual(before);

    // A new callback and a rotated private_key_jwt key: same client, the JAR credential kept, the old PKJ one gone.
    const rotated = keyPair();
    writeFileSync(file, tenantYaml('https://app.example.com/new-callback'));
    writeFileSync(join(w.files, 'keys', 'pkj.jwk.json'), JSON.stringify(rotated.publicJwk));
    const oldPkj = w.directory.slotCredentials(web!, 'private_key_jwt')[0]!.id;
    expect((await declare(w, file)).clients).toEqual({ created: 0, updated: 1, unchanged: 1 });
    expect(w.directory.clientIdsNamed('Web app')).toEqual([web]);
    expect(w.directory.getClientJson(web!).callbacks).toEqual(['https://app.example.com/new-callback']);
    expect(w.directory.slotCredentials(web!, 'signed_request_object')[0]!.id).toBe(jarId);
    const newPkj = w.directory.slotCredentials(web!, 'private_key_jwt');
    expect(newPkj).toHaveLength(1);
    expect(newPkj[0]!.id).not.toBe(oldPkj);
    expect(
      w.directory
        .listCredentials(web!)
        .map((c) => c.id)
        .sort(),
    ).toEqual([jarId, newPkj[0]!.id].sort());
  });

  it('reads JSON too', async () => {
    const w = world();
    writeFiles(w);
    const file = join(w.files, 'tenant.json');
    writeFileSync(file, JSON.stringify({ clients: [{ name: 'SPA', app_type: 'spa', callbacks: ['http://127.0.0.1:3000/cb'] }] }));
    expect((await declare(w, file, 'tenant.json')).clients.created).toBe(1);
    expect(w.directory.getClientJson(w.directory.clientIdsNamed('SPA')[0]!)).toMatchObject({ token_endpoint_auth_method: 'none' });
  });
});

describe('Declared tenant › bad input is named by file, entry and field, and nothing is written', () => {
  it('a hostile callback scheme gets the Management API’s own words', async () => {
    const w = world();
    const message = await problems(
      w,
      tenantYaml().replace('grant_types: [client_credentials]', 'grant_types: [client_credentials]\n    callbacks: ["javascript:alert(1)"]'),
    );
    expect(message).toBe('tenant.yaml: clients[1] ("Reporting job").callbacks[0]: URL scheme "javascript:" is not allowed: javascript:alert(1)');
  });

  it('a credential PEM or JWK that is a private key is refused by name', async () => {
    const w = world();
    writeFiles(w);
    writeFileSync(join(w.files, 'keys', 'jar.key'), jar.privatePem);
    writeFileSync(join(w.files, 'keys', 'pkj.private.jwk'), JSON.stringify(pkj.privateJwk));
    const message = await problems(w, tenantYaml().replace('keys/jar.pub.pem', 'keys/jar.key').replace('keys/pkj.jwk.json', 'keys/pkj.private.jwk'));
    expect(message.split('\n')).toEqual([
      'tenant.yaml: clients[0] ("Web app").client_authentication_methods.private_key_jwt.credentials[0].jwk_file: keys/pkj.private.jwk is a private key; give the public key or certificate',
      'tenant.yaml: clients[0] ("Web app").signed_request_object.credentials[0].pem_file: keys/jar.key is a private key; give the public key or certificate',
    ]);
  });

  it('an unknown field, an unknown section and a Deploy CLI section Parley does not emulate', async () => {
    const w = world();
    const message = await problems(
      w,
      `${tenantYaml().replace('app_type: non_interactive', 'app_type: non_interactive\n    colour: blue')}resourceServers: []\nextras: {}\n`,
    );
    expect(message.split('\n')).toEqual([
      "tenant.yaml: resourceServers: Auth0 Deploy CLI's resourceServers section is not emulated by Parley; remove it from this file",
      'tenant.yaml: extras: unknown section; a tenant file holds clients, clientGrants, connections, users, settings',
      'tenant.yaml: clients[1] ("Reporting job"): Additional properties not allowed: colour',
    ]);
  });

  it('a duplicate client name, and a grant for a client the file does not have', async () => {
    const w = world();
    const message = await problems(
      w,
      tenantYaml()
        .replace('name: Reporting job', 'name: Web app')
        .replace('client_id: Reporting job\n    audience: https', 'client_id: Nobody\n    audience: https'),
    );
    expect(message.split('\n')).toEqual([
      'tenant.yaml: clients[1] ("Web app").name: duplicate client name; clients[0] has it too (clients are matched by name)',
      'tenant.yaml: clientGrants[0].client_id: no client named "Nobody" in this file (client_id names a client of the file, as in Auth0\'s Deploy CLI)',
      'tenant.yaml: clientGrants[1].client_id: no client named "Reporting job" in this file (client_id names a client of the file, as in Auth0\'s Deploy CLI)',
    ]);
  });

  it('a connection whose dpop_signing_alg is not a string, a duplicate connection, and a second database connection', async () => {
    const w = world();
    const message = await problems(
      w,
      tenantYaml().replace(
        'dpop_signing_alg: ES256\n',
        'dpop_signing_alg: 256\n  - name: CORP-IDP\n    strategy: okta\n  - name: second-db\n    strategy: auth0\n',
      ),
    );
    expect(message.split('\n')).toEqual([
      'tenant.yaml: connections[0] ("corp-idp").options.dpop_signing_alg: Expected type string but found type integer',
      'tenant.yaml: connections[1] ("CORP-IDP").name: duplicate connection name; connections[0] has it too (connections are matched by name)',
      'tenant.yaml: connections[2] ("second-db").strategy: Parley emulates one database connection (Username-Password-Authentication), where its users live',
    ]);
  });

  it('a malformed file, a missing secret and a bad setting', async () => {
    const w = world();
    expect(await problems(w, 'clients:\n  - name: [unclosed\n')).toMatch(/^tenant\.yaml: not valid YAML \(/);
    const message = await problems(
      w,
      tenantYaml().replace('PARLEY_TEST_REPORTING_SECRET', 'PARLEY_TEST_UNSET_VARIABLE').replace('profile: strict', 'profile: lenient\n  port: 4000'),
    );
    expect(message.split('\n')).toEqual([
      'tenant.yaml: clients[1] ("Reporting job").client_secret_env: the environment variable PARLEY_TEST_UNSET_VARIABLE is not set',
      'tenant.yaml: settings.profile: must be auth0 or strict, not "lenient"',
      'tenant.yaml: settings.port: is set on the command line (--port, --https), not in a tenant file',
    ]);
  });

  it('nothing of a valid part is written when another part is bad', async () => {
    const w = world();
    await problems(w, tenantYaml().replace('password_file: alice.password', 'password: short'));
    expect(w.directory.listClients()).toEqual([]);
    expect(readdirSync(w.dir)).not.toContain(CLIENTS_FOLDER);
  });
});

describe('Declared tenant › export', () => {
  it('writes the tenant in the form --tenant reads: re-applied to a new data directory, it exports the same', async () => {
    const w = world();
    await declare(w, writeFiles(w));
    const out = join(w.files, 'export.yaml');
    const exported = exportTenant(w.directory, w.settings.saved(), { includeSecrets: true });
    expect(JSON.stringify(exported)).not.toContain('correct horse');
    writeTenantExport(out, exported, { includeSecrets: true });

    const copy = world();
    // Users are exported without passwords: give the new data directory's user one, as a CI job would.
    writeFileSync(
      out,
      `${(await import('node:fs')).readFileSync(out, 'utf8').replace('email_verified: true\nsettings:', 'email_verified: true\n    password_env: PARLEY_TEST_REPORTING_SECRET\nsettings:')}`,
    );
    await declare(copy, out, 'export.yaml');
    expect(exportTenant(copy.directory, copy.settings.saved(), { includeSecrets: true })).toEqual(exported);

    const withoutSecrets = JSON.stringify(exportTenant(w.directory, w.settings.saved()));
    expect(withoutSecrets).not.toContain('"client_secret"');
    expect(withoutSecrets).not.toContain('reporting-secret-0123456789-abcdefghij');
    expect(withoutSecrets).not.toContain('upstream-secret-0123456789');
    expect(withoutSecrets).toContain('"dpop_signing_alg":"ES256"');
    expect(JSON.stringify(exported)).toContain('reporting-secret-0123456789-abcdefghij');
    expect(JSON.stringify(exported)).toContain('upstream-secret-0123456789');
  });
});
