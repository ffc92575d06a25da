/**
 * Management API client credentials (server-rules.md §12, CRD-1..15) and the attack inputs of X-25.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freezeClock } from '../../../../../../electron/core/clock';
import { lastTrace, mgmtError, startServer } from './helpers';
import type { Harness } from './helpers';
import type { RawResponse } from '../../../../../helpers/http';
import { SEED_GUIDE_PUBLIC_KEY, certificate, ecPublicPem, ed25519PublicPem, rsa, rsaPublicPemOfSize } from './keys';

let h: Harness;
beforeAll(async () => {
  h = await startServer();
});
afterAll(async () => {
  await h.close();
});
afterEach(() => freezeClock(undefined));

type Json = Record<string, unknown>;
const DAY = 86_400_000;

async function newClient(): Promise<string> {
  const res = await h.call('POST', '/api/v2/clients', { body: { name: 'Credential tests', app_type: 'non_interactive', jwt_configuration: { alg: 'RS256' } } });
  return res.json<Json>().client_id as string;
}

function post(clientId: string, body: unknown) {
  return h.call('POST', `/api/v2/clients/${clientId}/credentials`, { body });
}

async function postOk(clientId: string, body: Json): Promise<Json> {
  const res = await post(clientId, { credential_type: 'public_key', name: 'k', ...body });
  expect(res.status, res.body).toBe(201);
  return res.json<Json>();
}

async function expect400(clientId: string, body: unknown, message: string, rule?: string): Promise<void> {
  const res = await post(clientId, body);
  expect(mgmtError(res), JSON.stringify(body).slice(0, 120)).toEqual({ statusCode: 400, error: 'Bad Request', message, errorCode: 'invalid_body' });
  if (rule) expect((await lastTrace(h)).failedRule).toBe(rule);
}

const cred = (pem: string, extra: Json = {}): Json => ({ name: 'k', credential_type: 'public_key', pem, ...extra });

describe('Management API › CRD-1 credential_type', () => {
  it('requires public_key; refuses the mTLS types and unknown values', async () => {
    const id = await newClient();
    const pem = (await rsa(0)).spki;
    await expect400(id, { name: 'k', pem }, "Payload validation error: 'Missing required property: credential_type'.");
    await expect400(
      id,
      cred(pem, { credential_type: 'x509_cert' }),
      'credential_type x509_cert is not supported: only public_key credentials (private_key_jwt and JAR) are',
      'CRD-1',
    );
    await expect400(
      id,
      cred(pem, { credential_type: 'password' }),
      `Payload validation error: 'Invalid value "password"' on property credential_type.`,
      'CRD-1',
    );
  });
});

describe('Management API › CRD-2 pem', () => {
  it('accepts SPKI, PKCS#1 and a certificate, and the guide PEM even with its indentation', async () => {
    const pair = await rsa(0);
    for (const pem of [pair.spki, pair.pkcs1, await certificate(pair, new Date(Date.now() - DAY), new Date(Date.now() + 365 * DAY))]) {
      const id = await newClient();
      expect((await postOk(id, { pem })).kid).toBe(pair.thumbprint);
    }
    const indented = SEED_GUIDE_PUBLIC_KEY.split('\n').join('\n      ');
    expect((await post(await newClient(), cred(indented))).status).toBe(201);
  });

  it('refuses private keys, non-RSA keys, damaged armour and chains', async () => {
    const id = await newClient();
    const pair = await rsa(1);
    const prefix = 'invalid certificate/public key: ';
    await expect400(id, cred(pair.pkcs8), `${prefix}pem contains a private key; upload only the public key or certificate`, 'CRD-2');
    await expect400(id, cred(`${pair.spki}\n${pair.pkcs8}`), `${prefix}pem contains a private key; upload only the public key or certificate`);
    await expect400(
      id,
      cred(pair.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()),
      `${prefix}pem contains a private key; upload only the public key or certificate`,
    );
    await expect400(
      id,
      cred('-----BEGIN OPENSSH PRIVATE KEY-----\nnot base64!\n-----END OPENSSH PRIVATE KEY-----'),
      `${prefix}pem contains a private key; upload only the public key or certificate`,
    );
    await expect400(id, cred(ecPublicPem()), `${prefix}only RSA keys are supported (got ec)`, 'CRD-2');
    await expect400(id, cred(ed25519PublicPem()), `${prefix}only RSA keys are supported (got ed25519)`);
    await expect400(
      id,
      cred('-----BEGIN PUBLIC KEY-----\nnot*base64\n-----END PUBLIC KEY-----'),
      `${prefix}The PEM block's base64 is invalid (in the "PUBLIC KEY" block).`,
    );
    await expect400(
      id,
      cred(pair.spki.replace('-----END PUBLIC KEY-----', '')),
      `${prefix}The PEM block "PUBLIC KEY" has no matching "-----END PUBLIC KEY-----" line.`,
    );
    await expect400(id, cred('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----'), `${prefix}the PEM contents could not be decoded`);
    await expect400(id, cred('ssh-rsa AAAAB3NzaC1yc2E'), `${prefix}pem must hold exactly one public key or certificate (found 0 PEM blocks)`);
    await expect400(id, cred(`${pair.spki}${(await rsa(2)).spki}`), `${prefix}pem must hold exactly one public key or certificate (found 2 PEM blocks)`);
    await expect400(id, { name: 'k', credential_type: 'public_key' }, "Payload validation error: 'Missing required property: pem'.");
    await expect400(id, cred(''), "Payload validation error: 'String is too short (0 chars), minimum 1' on property pem.");
  });
});

describe('Management API › CRD-3 RSA key size', () => {
  it('accepts 2048 and 4096 bits and refuses 1024 and 8192', async () => {
    const id = await newClient();
    await postOk(id, { pem: rsaPublicPemOfSize(4096) });
    await expect400(id, cred(rsaPublicPemOfSize(1024)), 'RSA key size must be between 2048 and 4096 bits', 'CRD-3');
    await expect400(id, cred(rsaPublicPemOfSize(8192)), 'RSA key size must be between 2048 and 4096 bits', 'CRD-3');
    const trace = await lastTrace(h);
    expect(trace.rules.find((r) => r.id === 'CRD-3')).toMatchObject({ passed: false, expected: '2048–4096 bits', actual: '8192 bits' });
  });
});

describe('Management API › CRD-4 alg', () => {
  it('defaults to RS256, accepts RS384 and PS256, refuses anything else', async () => {
    const id = await newClient();
    expect((await postOk(id, { pem: (await rsa(0)).spki })).alg).toBe('RS256');
    expect((await postOk(id, { pem: (await rsa(1)).spki, alg: 'RS384' })).alg).toBe('RS384');
    expect((await postOk(id, { pem: (await rsa(2)).spki, alg: 'PS256' })).alg).toBe('PS256');
    for (const alg of ['ES256', 'HS256', 'none', 'RS512'])
      await expect400(id, cred((await rsa(3)).spki, { alg }), `Payload validation error: 'Invalid value "${alg}"' on property alg.`, 'CRD-4');
  });
});

describe('Management API › CRD-5 expires_at', () => {
  it('normalises to millisecond ISO (…:13Z → …:13.000Z, offsets → Z)', async () => {
    const id = await newClient();
    expect((await postOk(id, { pem: (await rsa(0)).spki, expires_at: '2095-05-13T09:33:13Z' })).expires_at).toBe('2095-05-13T09:33:13.000Z');
    expect((await postOk(id, { pem: (await rsa(1)).spki, expires_at: '2095-05-13T11:33:13.5+02:00' })).expires_at).toBe('2095-05-13T09:33:13.500Z');
    expect((await postOk(id, { pem: (await rsa(2)).spki })).expires_at).toBeNull();
  });

  it('refuses past dates and unparsable dates', async () => {
    const id = await newClient();
    await expect400(id, cred((await rsa(0)).spki, { expires_at: '2020-08-20T19:10:06.299Z' }), 'expires_at must be a date in the future', 'CRD-5');
    await expect400(
      id,
      cred((await rsa(0)).spki, { expires_at: 'next tuesday' }),
      "Payload validation error: 'Object didn't pass validation for format date-time: next tuesday' on property expires_at.",
      'CRD-5',
    );
    await expect400(
      id,
      cred((await rsa(0)).spki, { expires_at: '2095-13-45T00:00:00Z' }),
      "Payload validation error: 'Object didn't pass validation for format date-time: 2095-13-45T00:00:00Z' on property expires_at.",
    );
  });
});

describe('Management API › CRD-6 parse_expiry_from_cert', () => {
  it("takes the certificate's notAfter, with .000Z milliseconds", async () => {
    const id = await newClient();
    const notAfter = new Date('2031-02-03T04:05:06Z');
    const pem = await certificate(await rsa(0), new Date(Date.now() - DAY), notAfter);
    expect((await postOk(id, { pem, parse_expiry_from_cert: true })).expires_at).toBe('2031-02-03T04:05:06.000Z');
  });

  it('needs a certificate, refuses an expired one, and excludes expires_at (false + expires_at is fine)', async () => {
    const id = await newClient();
    const pair = await rsa(1);
    await expect400(id, cred(pair.spki, { parse_expiry_from_cert: true }), 'parse_expiry_from_cert requires a certificate, but pem is a public key', 'CRD-6');
    const expired = await certificate(pair, new Date(Date.now() - 10 * DAY), new Date('2024-01-01T00:00:00Z'));
    await expect400(id, cred(expired, { parse_expiry_from_cert: true }), 'the certificate has expired (notAfter 2024-01-01T00:00:00.000Z)', 'CRD-6');
    const valid = await certificate(pair, new Date(Date.now() - DAY), new Date(Date.now() + 30 * DAY));
    await expect400(
      id,
      cred(valid, { parse_expiry_from_cert: true, expires_at: '2095-01-01T00:00:00Z' }),
      'parse_expiry_from_cert and expires_at are mutually exclusive',
      'CRD-6',
    );
    expect((await postOk(id, { pem: valid, parse_expiry_from_cert: false, expires_at: '2095-01-01T00:00:00Z' })).expires_at).toBe('2095-01-01T00:00:00.000Z');
  });
});

describe('Management API › CRD-7 kid', () => {
  it('is the RFC 7638 thumbprint by default, the same for the same key on different clients', async () => {
    const pair = await rsa(0);
    const a = await postOk(await newClient(), { pem: pair.spki });
    const b = await postOk(await newClient(), { pem: pair.pkcs1 });
    expect(a.kid).toBe(pair.thumbprint);
    expect(a.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(b.kid).toBe(a.kid);
    expect(b.id).not.toBe(a.id);
  });

  it('accepts a caller kid matching [0-9a-zA-Z-_]{10,64} and refuses others', async () => {
    const id = await newClient();
    expect((await postOk(id, { pem: (await rsa(0)).spki, kid: 'my-key_2026-01' })).kid).toBe('my-key_2026-01');
    for (const kid of ['short', 'has space in it', 'slash/not/allowed', 'x'.repeat(65)]) {
      await expect400(
        id,
        cred((await rsa(1)).spki, { kid }),
        `Payload validation error: 'String does not match pattern ^[0-9a-zA-Z-_]{10,64}$: ${kid}' on property kid.`,
        'CRD-7',
      );
    }
    await expect400(
      id,
      cred((await rsa(1)).spki, { kid: 'my-key_2026-01' }),
      'kid my-key_2026-01 is already used by another credential of this client',
      'CRD-7',
    );
  });
});

describe('Management API › CRD-8 pool limit', () => {
  it('refuses a fifth credential with "A client can have a maximum of 4 credentials."', async () => {
    const id = await newClient();
    for (let i = 0; i < 4; i++) await postOk(id, { pem: (await rsa(i)).spki });
    await expect400(id, cred((await rsa(4)).spki), 'A client can have a maximum of 4 credentials.', 'CRD-8');
  });
});

describe('Management API › CRD-9 duplicate keys', () => {
  it('refuses the same public key twice on a client, whatever its PEM form', async () => {
    const id = await newClient();
    const pair = await rsa(0);
    await postOk(id, { pem: pair.spki });
    await expect400(id, cred(pair.spki), 'credentials contains public keys that already exist in client', 'CRD-9');
    await expect400(id, cred(pair.pkcs1, { kid: 'another-kid-1' }), 'credentials contains public keys that already exist in client');
    const cert = await certificate(pair, new Date(Date.now() - DAY), new Date(Date.now() + DAY));
    await expect400(id, cred(cert), 'credentials contains public keys that already exist in client');
  });
});

describe('Management API › CRD-10 created credential', () => {
  it('answers 201 with exactly the eight fields in order, never a pem', async () => {
    const id = await newClient();
    const res = await post(id, cred((await rsa(0)).spki, { alg: 'PS256', expires_at: '2090-01-01T00:00:00Z' }));
    expect(res.status).toBe(201);
    const body = res.json<Json>();
    expect(Object.keys(body)).toEqual(['id', 'credential_type', 'kid', 'alg', 'name', 'created_at', 'updated_at', 'expires_at']);
    expect(body.id).toMatch(/^cred_[A-Za-z0-9]{22}$/);
    expect(body.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(body.updated_at).toBe(body.created_at);
    expect(res.body).not.toContain('BEGIN');
  });
});

describe('Management API › CRD-11 created unattached', () => {
  it('is usable only once a slot references it', async () => {
    const id = await newClient();
    const c = await postOk(id, { pem: (await rsa(0)).spki });
    expect(h.directory.slotCredentials(id, 'private_key_jwt')).toEqual([]);
    expect(h.directory.slotCredentials(id, 'signed_request_object')).toEqual([]);
    await h.call('PATCH', `/api/v2/clients/${id}`, {
      body: { token_endpoint_auth_method: null, client_authentication_methods: { private_key_jwt: { credentials: [{ id: c.id }] } } },
    });
    const [view] = h.directory.slotCredentials(id, 'private_key_jwt');
    expect(view).toMatchObject({ id: c.id, client_id: id, kid: c.kid, alg: 'RS256', expires_at: null });
    expect(view!.publicKey.asymmetricKeyType).toBe('rsa');
    // Parsed once: the same KeyObject on every lookup.
    expect(h.directory.slotCredentials(id, 'private_key_jwt')[0]!.publicKey).toBe(view!.publicKey);
    expect(h.directory.slotCredentials(id, 'signed_request_object')).toEqual([]);
  });
});

describe('Management API › CRD-12 reading credentials', () => {
  it('lists a bare array ([] when empty, even with include_totals) and 404s unknown ids', async () => {
    const id = await newClient();
    const empty = await h.call('GET', `/api/v2/clients/${id}/credentials?include_totals=true&per_page=50`);
    expect(empty.body).toBe('[]');
    const c = await postOk(id, { pem: (await rsa(0)).spki });
    expect((await h.call('GET', `/api/v2/clients/${id}/credentials`)).json()).toEqual([c]);
    expect((await h.call('GET', `/api/v2/clients/${id}/credentials/${c.id as string}`)).json()).toEqual(c);
    const unknown = await h.call('GET', `/api/v2/clients/${id}/credentials/cred_AAAAAAAAAAAAAAAAAAAAAA`);
    expect(mgmtError(unknown)).toEqual({ statusCode: 404, error: 'Not Found', message: 'The credential does not exist', errorCode: 'inexistent_credential' });
    const noClient = await h.call('GET', '/api/v2/clients/nope/credentials');
    expect(mgmtError(noClient)).toEqual({ statusCode: 404, error: 'Not Found', message: 'The client does not exist', errorCode: 'inexistent_client' });
    expect((await lastTrace(h)).failedRule).toBe('CRD-12');
  });
});

describe('Management API › CRD-13 PATCH only expires_at', () => {
  it('changes expires_at and updated_at only, accepts null, and is idempotent', async () => {
    const id = await newClient();
    const c = await postOk(id, { pem: (await rsa(0)).spki, expires_at: '2095-05-13T09:33:13Z' });
    await new Promise((r) => setTimeout(r, 5));
    const res = await h.call('PATCH', `/api/v2/clients/${id}/credentials/${c.id as string}`, { body: { expires_at: '2050-05-13T09:33:13Z' } });
    expect(res.status).toBe(200);
    const patched = res.json<Json>();
    expect(patched).toEqual({ ...c, expires_at: '2050-05-13T09:33:13.000Z', updated_at: patched.updated_at });
    expect(patched.updated_at).not.toBe(c.updated_at);
    const again = await h.call('PATCH', `/api/v2/clients/${id}/credentials/${c.id as string}`, { body: { expires_at: '2050-05-13T09:33:13.000Z' } });
    expect(again.json()).toEqual(patched);
    const never = await h.call('PATCH', `/api/v2/clients/${id}/credentials/${c.id as string}`, { body: { expires_at: null } });
    expect(never.json<Json>().expires_at).toBeNull();
  });

  it('refuses every other property, and past dates', async () => {
    const id = await newClient();
    const c = await postOk(id, { pem: (await rsa(0)).spki });
    const url = `/api/v2/clients/${id}/credentials/${c.id as string}`;
    for (const [key, value] of [
      ['name', 'renamed'],
      ['pem', (await rsa(1)).spki],
      ['alg', 'PS256'],
      ['kid', 'another-kid-00'],
    ] as const) {
      const res = await h.call('PATCH', url, { body: { [key]: value } });
      expect(mgmtError(res).message).toBe(`Payload validation error: 'Additional properties not allowed: ${key}'.`);
      expect((await lastTrace(h)).failedRule).toBe('CRD-13');
    }
    const past = await h.call('PATCH', url, { body: { expires_at: '2001-01-01T00:00:00Z' } });
    expect(mgmtError(past).message).toBe('expires_at must be a date in the future');
  });
});

describe('Management API › CRD-14 DELETE', () => {
  it('refuses to delete an attached credential, then deletes it with 204 once detached', async () => {
    const id = await newClient();
    const c = await postOk(id, { pem: (await rsa(0)).spki });
    await h.call('PATCH', `/api/v2/clients/${id}`, { body: { signed_request_object: { credentials: [{ id: c.id }] } } });
    const url = `/api/v2/clients/${id}/credentials/${c.id as string}`;
    const refused = await h.call('DELETE', url);
    expect(mgmtError(refused)).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'credential is in use; remove it from the client first',
      errorCode: 'invalid_body',
    });
    const trace = await lastTrace(h);
    expect(trace.rules.find((r) => r.id === 'CRD-14')).toMatchObject({ passed: false, actual: 'attached to signed_request_object.credentials' });
    await h.call('PATCH', `/api/v2/clients/${id}`, { body: { signed_request_object: null } });
    const deleted = await h.call('DELETE', url);
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBe('');
    expect((await h.call('GET', url)).status).toBe(404);
    // The same key can be registered again after its record is deleted (O3).
    expect((await postOk(id, { pem: (await rsa(0)).spki })).kid).toBe(c.kid);
  });
});

describe('Management API › CRD-15 expired credentials', () => {
  it('stay listed and attached, with their expiry, for callers to skip (PKJ-14)', async () => {
    const id = await newClient();
    const c = await postOk(id, { pem: (await rsa(0)).spki, expires_at: new Date(Date.now() + DAY).toISOString() });
    await h.call('PATCH', `/api/v2/clients/${id}`, {
      body: { token_endpoint_auth_method: null, client_authentication_methods: { private_key_jwt: { credentials: [{ id: c.id }] } } },
    });
    freezeClock(Date.now() + 2 * DAY);
    expect((await h.call('GET', `/api/v2/clients/${id}/credentials`)).json()).toEqual([c]);
    expect((await lastTrace(h)).rules.find((r) => r.id === 'CRD-15')).toMatchObject({
      passed: true,
      actual: `${c.id as string} expired ${c.expires_at as string}`,
    });
    expect(h.directory.slotCredentials(id, 'private_key_jwt')[0]).toMatchObject({ id: c.id, expires_at: c.expires_at });
  });
});

describe('Management API › X-25 attack inputs', () => {
  it('answers 400 invalid_body to every input of the X-25 row', async () => {
    const id = await newClient();
    const other = await newClient();
    const pair = await rsa(0);
    const expiredCert = await certificate(pair, new Date(Date.now() - 10 * DAY), new Date(Date.now() - DAY));
    const attacks: [string, unknown][] = [
      ['private key', cred(pair.pkcs8)],
      ['EC key', cred(ecPublicPem())],
      ['Ed25519 key', cred(ed25519PublicPem())],
      ['RSA 1024', cred(rsaPublicPemOfSize(1024))],
      ['RSA 8192', cred(rsaPublicPemOfSize(8192))],
      ['expired certificate with parse_expiry_from_cert', cred(expiredCert, { parse_expiry_from_cert: true })],
      ['past expires_at', cred(pair.spki, { expires_at: '2000-01-01T00:00:00Z' })],
      ['illegal kid', cred(pair.spki, { kid: '../../etc/passwd' })],
    ];
    for (const [what, body] of attacks) {
      const res = await post(id, body);
      expect(res.status, what).toBe(400);
      expect(mgmtError(res).errorCode, what).toBe('invalid_body');
    }
    const creds: Json[] = [];
    for (let i = 0; i < 4; i++) creds.push(await postOk(id, { pem: (await rsa(i)).spki }));
    const more: [string, () => Promise<RawResponse>][] = [
      ['duplicate key', () => post(id, cred(pair.spki))],
      ['5th credential', async () => post(id, cred((await rsa(4)).spki))],
      [
        '3rd id in a slot',
        () => h.call('PATCH', `/api/v2/clients/${id}`, { body: { signed_request_object: { credentials: creds.slice(0, 3).map((c) => ({ id: c.id })) } } }),
      ],
      [
        "another client's credential",
        () => h.call('PATCH', `/api/v2/clients/${other}`, { body: { signed_request_object: { credentials: [{ id: creds[0]!.id }] } } }),
      ],
      ['PATCH of pem', () => h.call('PATCH', `/api/v2/clients/${id}/credentials/${creds[0]!.id as string}`, { body: { pem: pair.spki } })],
      ['PATCH of alg', () => h.call('PATCH', `/api/v2/clients/${id}/credentials/${creds[0]!.id as string}`, { body: { alg: 'PS256' } })],
      ['PATCH of name', () => h.call('PATCH', `/api/v2/clients/${id}/credentials/${creds[0]!.id as string}`, { body: { name: 'x' } })],
    ];
    for (const [what, run] of more) {
      const res = await run();
      expect(res.status, what).toBe(400);
      expect(mgmtError(res).errorCode, what).toBe('invalid_body');
    }
    await h.call('PATCH', `/api/v2/clients/${id}`, { body: { signed_request_object: { credentials: [{ id: creds[0]!.id }] } } });
    const attached = await h.call('DELETE', `/api/v2/clients/${id}/credentials/${creds[0]!.id as string}`);
    expect(mgmtError(attached)).toMatchObject({ statusCode: 400, errorCode: 'invalid_body' });
  });
});
