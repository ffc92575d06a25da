/**
 * Management API clients: authentication and scopes (MGC-1), credential slots on create and update
 * (MGC-2..4), authentication-method switching (MGC-5..7), merging (MGC-8), PAR/FAPI fields (MGC-9), and
 * Auth0's response and error shapes (E-7).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastTrace, mgmtError, startServer } from './helpers';
import type { Harness } from './helpers';
import { rsa } from './keys';

let h: Harness;
beforeAll(async () => {
  h = await startServer();
});
afterAll(async () => {
  await h.close();
});

type Json = Record<string, unknown>;

async function createClient(body: Json = {}): Promise<Json> {
  const res = await h.call('POST', '/api/v2/clients', { body: { name: 'App', app_type: 'regular_web', ...body } });
  expect(res.status, res.body).toBe(201);
  return res.json<Json>();
}

async function createCredential(clientId: string, key: number, extra: Json = {}): Promise<Json> {
  const res = await h.call('POST', `/api/v2/clients/${clientId}/credentials`, {
    body: { name: `key ${key}`, credential_type: 'public_key', pem: (await rsa(key)).spki, ...extra },
  });
  expect(res.status, res.body).toBe(201);
  return res.json<Json>();
}

function credential(name: string, pem: string): Json {
  return { name, credential_type: 'public_key', pem, alg: 'RS256' };
}

describe('Management API › MGC-1 bearer token and scopes', () => {
  it('answers 401 "Missing authentication" without a token, in Auth0 shape with WWW-Authenticate', async () => {
    const res = await h.call('GET', '/api/v2/clients', { token: null });
    expect(res.status).toBe(401);
    expect(mgmtError(res)).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'Missing authentication', errorCode: 'missing_authentication' });
    expect(res.headers['www-authenticate']).toBe('Bearer realm="parley"');
    expect((await lastTrace(h)).rules.find((r) => r.id === 'MGC-1')).toMatchObject({ passed: false });
  });

  it('answers 401 "Invalid token" for a token the tenant did not sign, and for a non-Bearer header', async () => {
    const forged = (await h.token()).replace(/\.[^.]+$/, '.AAAA');
    const res = await h.call('GET', '/api/v2/clients', { token: forged });
    expect(mgmtError(res)).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'Invalid token', errorCode: 'invalid_token' });
    expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
    const basic = await h.call('GET', '/api/v2/clients', { headers: { authorization: 'Basic YTpi' } });
    expect(mgmtError(basic)).toMatchObject({ statusCode: 401, message: 'Bad HTTP authentication header format' });
  });

  it('refuses an expired token and a token for another audience', async () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = await h.call('GET', '/api/v2/clients', { token: await h.token(undefined, { iat: now - 7200, exp: now - 3600 }) });
    expect(mgmtError(expired)).toMatchObject({ statusCode: 401, message: 'Expired token received for JSON Web Token validation', errorCode: 'invalid_token' });
    const otherAudience = await h.call('GET', '/api/v2/clients', { token: await h.token(undefined, { aud: 'https://api.example.com/' }) });
    expect(mgmtError(otherAudience)).toMatchObject({ statusCode: 401, message: `Bad audience: ${h.urls.managementAudience}` });
  });

  it('answers 403 insufficient_scope naming the API reference scope', async () => {
    const res = await h.call('POST', '/api/v2/clients', { token: await h.token('read:clients'), body: { name: 'x' } });
    expect(mgmtError(res)).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      message: 'Insufficient scope, expected any of: create:clients',
      errorCode: 'insufficient_scope',
    });
    const trace = await lastTrace(h);
    expect(trace.failedRule).toBe('MGC-1');
    expect(trace.rules.find((r) => r.id === 'MGC-1')).toMatchObject({ id: 'MGC-1', passed: false, actual: 'read:clients' });
  });

  it('checks the token before reading the body (no payload error for an unauthenticated caller)', async () => {
    const res = await h.call('POST', '/api/v2/clients', { token: null, body: '{not json' });
    expect(res.status).toBe(401);
  });

  it('accepts the *:client_credentials names and the guide aliases (create:credentials, update:credentials, update:client)', async () => {
    const client = await createClient();
    const id = client.client_id as string;
    const created = await h.call('POST', `/api/v2/clients/${id}/credentials`, {
      token: await h.token('create:credentials'),
      body: credential('k', (await rsa(0)).spki),
    });
    expect(created.status).toBe(201);
    const credId = created.json<Json>().id as string;
    const attach = { token_endpoint_auth_method: null, client_authentication_methods: { private_key_jwt: { credentials: [{ id: credId }] } } };
    for (const scope of ['update:client_credentials', 'update:credentials', 'update:client', 'update:client_keys']) {
      expect((await h.call('PATCH', `/api/v2/clients/${id}`, { token: await h.token(scope), body: attach })).status, scope).toBe(200);
    }
    const patched = await h.call('PATCH', `/api/v2/clients/${id}/credentials/${credId}`, {
      token: await h.token('update:credentials'),
      body: { expires_at: '2099-01-01T00:00:00Z' },
    });
    expect(patched.status).toBe(200);
  });

  it('requires update:clients (not update:client_credentials) for fields other than the authentication ones', async () => {
    const client = await createClient();
    const res = await h.call('PATCH', `/api/v2/clients/${client.client_id as string}`, {
      token: await h.token('update:client_credentials'),
      body: { name: 'renamed' },
    });
    expect(mgmtError(res)).toMatchObject({ statusCode: 403, message: 'Insufficient scope, expected any of: update:clients,update:client_keys' });
  });

  it('requires delete:client_credentials to delete a credential and read:client_credentials to list them', async () => {
    const client = await createClient();
    const cred = await createCredential(client.client_id as string, 1);
    const del = await h.call('DELETE', `/api/v2/clients/${client.client_id as string}/credentials/${cred.id as string}`, {
      token: await h.token('delete:clients'),
    });
    expect(mgmtError(del).message).toBe('Insufficient scope, expected any of: delete:client_credentials');
    const list = await h.call('GET', `/api/v2/clients/${client.client_id as string}/credentials`, { token: await h.token('read:clients') });
    expect(mgmtError(list).message).toBe('Insufficient scope, expected any of: read:client_credentials');
  });
});

describe('Management API › E-7 bodies and error shapes', () => {
  it('refuses a form body with 415 in Auth0 shape', async () => {
    const res = await h.call('POST', '/api/v2/clients', { body: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(415);
    expect(mgmtError(res).errorCode).toBe('unsupported_media_type');
  });

  it('accepts application/json with a charset parameter', async () => {
    const res = await h.call('POST', '/api/v2/clients', { body: { name: 'charset' }, headers: { 'content-type': 'application/json; charset=utf-8' } });
    expect(res.status).toBe(201);
  });

  it('refuses malformed JSON with "Invalid request payload JSON format" (e.g. a trailing comma)', async () => {
    const res = await h.call('POST', '/api/v2/clients', { body: '{"name": "x",}' });
    expect(mgmtError(res)).toEqual({ statusCode: 400, error: 'Bad Request', message: 'Invalid request payload JSON format', errorCode: 'invalid_body' });
  });

  it('refuses unknown properties with Auth0 payload-validation wording', async () => {
    const res = await h.call('POST', '/api/v2/clients', { body: { name: 'x', colour: 'red' } });
    expect(mgmtError(res)).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: "Payload validation error: 'Additional properties not allowed: colour'.",
      errorCode: 'invalid_body',
    });
    const typed = await h.call('POST', '/api/v2/clients', { body: { name: 'x', is_first_party: 'yes' } });
    expect(mgmtError(typed).message).toBe("Payload validation error: 'Expected type boolean but found type string' on property is_first_party.");
    const missing = await h.call('POST', '/api/v2/clients', { body: { app_type: 'spa' } });
    expect(mgmtError(missing).message).toBe("Payload validation error: 'Missing required property: name'.");
  });

  it('refuses __proto__ keys in a body', async () => {
    const res = await h.call('POST', '/api/v2/clients', { body: '{"name":"x","__proto__":{"admin":true}}' });
    expect(mgmtError(res).message).toBe('Invalid request payload JSON format');
  });

  it('answers 404 inexistent_client for GET, PATCH and DELETE of an unknown client', async () => {
    for (const method of ['GET', 'PATCH', 'DELETE']) {
      const res = await h.call(method, '/api/v2/clients/nope', method === 'PATCH' ? { body: { name: 'x' } } : {});
      expect(mgmtError(res), method).toEqual({ statusCode: 404, error: 'Not Found', message: 'The client does not exist', errorCode: 'inexistent_client' });
    }
  });

  it('DELETE answers 204 with an empty body and removes the client with its credentials', async () => {
    const client = await createClient();
    const id = client.client_id as string;
    await createCredential(id, 2);
    const res = await h.call('DELETE', `/api/v2/clients/${id}`);
    expect(res.status).toBe(204);
    expect(res.body).toBe('');
    expect((await h.call('GET', `/api/v2/clients/${id}/credentials`)).status).toBe(404);
    expect(h.directory.slotCredentials(id, 'private_key_jwt')).toEqual([]);
  });

  it('records the client id in the trace of requests on a client', async () => {
    const client = await createClient();
    await h.call('GET', `/api/v2/clients/${client.client_id as string}`);
    expect((await lastTrace(h)).clientId).toBe(client.client_id);
  });
});

describe('Management API › client shape (fixtures)', () => {
  it('fills Auth0 defaults on create, in the recorded field order, with signing_keys after jwt_configuration', async () => {
    const res = await h.call('POST', '/api/v2/clients', { body: { name: 'Defaults' } });
    const body = res.json<Json>();
    expect(Object.keys(body)).toEqual([
      'name',
      'client_id',
      'client_secret',
      'is_first_party',
      'is_token_endpoint_ip_header_trusted',
      'oidc_conformant',
      'jwt_configuration',
      'signing_keys',
      'sso_disabled',
      'cross_origin_authentication',
      'grant_types',
      'custom_login_page_on',
      'token_endpoint_auth_method',
      'refresh_token',
      // DPC-1: read back as false by default (dpop-rules.md; Terraform recordings DO9).
      'require_proof_of_possession',
    ]);
    expect(body.require_proof_of_possession).toBe(false);
    expect(body.client_id).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(body.jwt_configuration).toEqual({ secret_encoded: false, lifetime_in_seconds: 36000 });
    expect(body.grant_types).toEqual(['authorization_code', 'implicit', 'refresh_token', 'client_credentials']);
    expect((body.signing_keys as { cert: string }[])[0]!.cert).toMatch(/^-----BEGIN CERTIFICATE-----/);
  });

  it('defaults public app types to token_endpoint_auth_method none, without client_credentials, but still returns client_secret', async () => {
    const body = (await h.call('POST', '/api/v2/clients', { body: { name: 'SPA', app_type: 'spa' } })).json<Json>();
    expect(body.token_endpoint_auth_method).toBe('none');
    expect(body.grant_types).toEqual(['authorization_code', 'implicit', 'refresh_token']);
    expect(typeof body.client_secret).toBe('string');
    const bad = await h.call('POST', '/api/v2/clients', { body: { name: 'x', token_endpoint_auth_method: 'none', grant_types: ['client_credentials'] } });
    expect(mgmtError(bad).message).toBe('Invalid grant types: client_credentials');
  });

  it('applies fields/include_fields like Auth0 (signing_keys always comes along)', async () => {
    const client = await createClient();
    const res = await h.call('GET', `/api/v2/clients/${client.client_id as string}?fields=client_id%2Capp_type&include_fields=true`);
    expect(Object.keys(res.json<Json>())).toEqual(['client_id', 'app_type', 'signing_keys']);
    const excluded = await h.call('GET', `/api/v2/clients/${client.client_id as string}?fields=client_secret&include_fields=false`);
    expect(excluded.json<Json>()).not.toHaveProperty('client_secret');
  });

  it('lists clients as an array, or wrapped with include_totals', async () => {
    const list = (await h.call('GET', '/api/v2/clients')).json<Json[]>();
    expect(Array.isArray(list)).toBe(true);
    const wrapped = (await h.call('GET', '/api/v2/clients?include_totals=true&per_page=2&page=0')).json<Json>();
    expect(wrapped).toMatchObject({ start: 0, limit: 2, length: 2, total: list.length });
    expect((wrapped.clients as Json[]).length).toBe(2);
  });

  it('repeating a PATCH with the same values returns 200 and an unchanged body', async () => {
    const client = await createClient();
    const first = await h.call('PATCH', `/api/v2/clients/${client.client_id as string}`, { body: { token_endpoint_auth_method: 'client_secret_basic' } });
    const second = await h.call('PATCH', `/api/v2/clients/${client.client_id as string}`, { body: { token_endpoint_auth_method: 'client_secret_basic' } });
    expect(second.status).toBe(200);
    expect(second.body).toBe(first.body);
  });
});

describe('Management API › MGC-2 full credential objects on create', () => {
  it('creates and attaches the credentials of both slots, returning only their ids', async () => {
    const body = await createClient({
      app_type: 'non_interactive',
      jwt_configuration: { alg: 'RS256' },
      client_authentication_methods: { private_key_jwt: { credentials: [credential('pkj', (await rsa(0)).spki)] } },
      signed_request_object: { required: true, credentials: [credential('jar', (await rsa(1)).spki)] },
    });
    const pkj = (body.client_authentication_methods as { private_key_jwt: { credentials: { id: string }[] } }).private_key_jwt.credentials;
    const jar = (body.signed_request_object as { required: boolean; credentials: { id: string }[] }).credentials;
    expect(pkj).toEqual([{ id: expect.stringMatching(/^cred_[A-Za-z0-9]{22}$/) as unknown }]);
    expect(body.signed_request_object).toEqual({ required: true, credentials: [{ id: expect.stringMatching(/^cred_/) as unknown }] });
    expect(body).not.toHaveProperty('client_secret');
    expect(body).not.toHaveProperty('token_endpoint_auth_method');
    const views = h.directory.slotCredentials(body.client_id as string, 'signed_request_object');
    expect(views.map((v) => v.id)).toEqual(jar.map((c) => c.id));
    expect(views[0]!.kid).toBe((await rsa(1)).thumbprint);
    expect(h.directory.slotCredentials(body.client_id as string, 'private_key_jwt').map((v) => v.id)).toEqual(pkj.map((c) => c.id));
  });

  it('refuses {id} references on create', async () => {
    const res = await h.call('POST', '/api/v2/clients', {
      body: { name: 'x', signed_request_object: { credentials: [{ id: 'cred_aaaaaaaaaaaaaaaaaaaaaa' }] } },
    });
    expect(mgmtError(res).message).toBe("Payload validation error: 'Additional properties not allowed: id' on property signed_request_object.credentials[0].");
    expect((await lastTrace(h)).failedRule).toBe('MGC-2');
  });

  it('refuses the same key in both slots (CRD-9)', async () => {
    const pem = (await rsa(2)).spki;
    const res = await h.call('POST', '/api/v2/clients', {
      body: {
        name: 'x',
        client_authentication_methods: { private_key_jwt: { credentials: [credential('a', pem)] } },
        signed_request_object: { credentials: [credential('b', pem)] },
      },
    });
    expect(mgmtError(res).message).toBe('credentials contains public keys that already exist in client');
  });
});

describe('Management API › MGC-3 references on update', () => {
  it("refuses an unknown id and another client's credential id", async () => {
    const a = await createClient();
    const b = await createClient();
    const other = await createCredential(b.client_id as string, 3);
    for (const id of ['cred_doesnotexist00000000', other.id as string]) {
      const res = await h.call('PATCH', `/api/v2/clients/${a.client_id as string}`, { body: { signed_request_object: { credentials: [{ id }] } } });
      expect(mgmtError(res)).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: `credential ${id} does not exist on this client`,
        errorCode: 'invalid_body',
      });
    }
    expect((await lastTrace(h)).failedRule).toBe('MGC-3');
  });

  it('refuses full credential objects on update', async () => {
    const a = await createClient();
    const res = await h.call('PATCH', `/api/v2/clients/${a.client_id as string}`, {
      body: { signed_request_object: { credentials: [credential('x', (await rsa(0)).spki)] } },
    });
    expect(mgmtError(res).message).toBe(
      "Payload validation error: 'Additional properties not allowed: name,credential_type,pem,alg' on property signed_request_object.credentials[0].",
    );
  });

  it('refuses the same credential in both slots (PKJ-15)', async () => {
    const a = await createClient();
    const cred = await createCredential(a.client_id as string, 0);
    const res = await h.call('PATCH', `/api/v2/clients/${a.client_id as string}`, {
      body: {
        token_endpoint_auth_method: null,
        client_authentication_methods: { private_key_jwt: { credentials: [{ id: cred.id }] } },
        signed_request_object: { credentials: [{ id: cred.id }] },
      },
    });
    expect(mgmtError(res).message).toContain('cannot be attached to both private_key_jwt and signed_request_object');
  });
});

describe('Management API › MGC-4 two credentials per slot', () => {
  it('refuses a third id with "Array is too long (3), maximum 2"', async () => {
    const a = await createClient();
    const id = a.client_id as string;
    const creds = [await createCredential(id, 0), await createCredential(id, 1), await createCredential(id, 2)];
    const res = await h.call('PATCH', `/api/v2/clients/${id}`, {
      body: { token_endpoint_auth_method: null, client_authentication_methods: { private_key_jwt: { credentials: creds.map((c) => ({ id: c.id })) } } },
    });
    expect(mgmtError(res)).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: "Payload validation error: 'Array is too long (3), maximum 2' on property client_authentication_methods.private_key_jwt.credentials.",
      errorCode: 'invalid_body',
    });
    expect((await lastTrace(h)).failedRule).toBe('MGC-4');
    const jar = await h.call('PATCH', `/api/v2/clients/${id}`, { body: { signed_request_object: { credentials: creds.map((c) => ({ id: c.id })) } } });
    expect(mgmtError(jar).message).toContain("'Array is too long (3), maximum 2' on property signed_request_object.credentials");
  });

  it('refuses three full objects on create', async () => {
    const pems = await Promise.all([0, 1, 2].map(async (i) => credential(`k${i}`, (await rsa(i)).spki)));
    const res = await h.call('POST', '/api/v2/clients', { body: { name: 'x', signed_request_object: { credentials: pems } } });
    expect(mgmtError(res).message).toContain("'Array is too long (3), maximum 2'");
  });
});

describe('Management API › MGC-5 token_endpoint_auth_method vs client_authentication_methods', () => {
  it('refuses client_authentication_methods together with a non-null token_endpoint_auth_method', async () => {
    const a = await createClient();
    const cred = await createCredential(a.client_id as string, 0);
    const attach = { client_authentication_methods: { private_key_jwt: { credentials: [{ id: cred.id }] } } };
    const both = await h.call('PATCH', `/api/v2/clients/${a.client_id as string}`, { body: { ...attach, token_endpoint_auth_method: 'client_secret_post' } });
    expect(mgmtError(both).message).toBe('token_endpoint_auth_method must be null when client_authentication_methods is set');
    // Without the null, the stored method would remain: the same rule.
    const implicit = await h.call('PATCH', `/api/v2/clients/${a.client_id as string}`, { body: attach });
    expect(mgmtError(implicit).message).toBe('token_endpoint_auth_method must be null when client_authentication_methods is set');
    expect((await lastTrace(h)).failedRule).toBe('MGC-5');
    const onCreate = await h.call('POST', '/api/v2/clients', {
      body: {
        name: 'x',
        token_endpoint_auth_method: 'client_secret_basic',
        client_authentication_methods: { private_key_jwt: { credentials: [credential('k', (await rsa(4)).spki)] } },
      },
    });
    expect(mgmtError(onCreate).message).toBe('token_endpoint_auth_method must be null when client_authentication_methods is set');
  });

  it('refuses leaving a client with neither method', async () => {
    const a = await createClient();
    const res = await h.call('PATCH', `/api/v2/clients/${a.client_id as string}`, { body: { token_endpoint_auth_method: null } });
    expect(mgmtError(res).message).toBe('token_endpoint_auth_method is required when client_authentication_methods is not set');
  });
});

describe('Management API › MGC-6 HS256 and private_key_jwt (PKJ-17)', () => {
  it('refuses enabling private_key_jwt while jwt_configuration.alg is HS256', async () => {
    const a = await createClient({ jwt_configuration: { alg: 'HS256' } });
    const cred = await createCredential(a.client_id as string, 0);
    const res = await h.call('PATCH', `/api/v2/clients/${a.client_id as string}`, {
      body: { token_endpoint_auth_method: null, client_authentication_methods: { private_key_jwt: { credentials: [{ id: cred.id }] } } },
    });
    expect(mgmtError(res).message).toBe('HS256 is not supported with private_key_jwt');
    expect((await lastTrace(h)).failedRule).toBe('MGC-6');
  });

  it('refuses switching to HS256 while private_key_jwt is on, and creating such a client', async () => {
    const a = await createClient({
      jwt_configuration: { alg: 'RS256' },
      client_authentication_methods: { private_key_jwt: { credentials: [credential('k', (await rsa(0)).spki)] } },
    });
    const res = await h.call('PATCH', `/api/v2/clients/${a.client_id as string}`, { body: { jwt_configuration: { alg: 'HS256' } } });
    expect(mgmtError(res).message).toBe('HS256 is not supported with private_key_jwt');
    const created = await h.call('POST', '/api/v2/clients', {
      body: {
        name: 'x',
        jwt_configuration: { alg: 'HS256' },
        client_authentication_methods: { private_key_jwt: { credentials: [credential('k', (await rsa(1)).spki)] } },
      },
    });
    expect(mgmtError(created).message).toBe('HS256 is not supported with private_key_jwt');
  });
});

describe('Management API › MGC-7 token_endpoint_auth_method values', () => {
  it('refuses private_key_jwt as a token_endpoint_auth_method (payload validation)', async () => {
    const res = await h.call('POST', '/api/v2/clients', { body: { name: 'x', token_endpoint_auth_method: 'private_key_jwt' } });
    expect(mgmtError(res)).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: `Payload validation error: 'Invalid value "private_key_jwt"' on property token_endpoint_auth_method.`,
      errorCode: 'invalid_body',
    });
    expect((await lastTrace(h)).failedRule).toBe('MGC-7');
  });

  it('hides client_secret and token_endpoint_auth_method while private_key_jwt is on, and shows the same secret after revert', async () => {
    const a = await createClient({ jwt_configuration: { alg: 'RS256' } });
    const id = a.client_id as string;
    const cred = await createCredential(id, 0);
    const on = (
      await h.call('PATCH', `/api/v2/clients/${id}`, {
        body: { token_endpoint_auth_method: null, client_authentication_methods: { private_key_jwt: { credentials: [{ id: cred.id }] } } },
      })
    ).json<Json>();
    expect(on).not.toHaveProperty('client_secret');
    expect(on).not.toHaveProperty('token_endpoint_auth_method');
    expect(h.directory.getClient(id)).toMatchObject({ private_key_jwt: true, client_secret: undefined, token_endpoint_auth_method: null });
    const off = (
      await h.call('PATCH', `/api/v2/clients/${id}`, { body: { token_endpoint_auth_method: 'client_secret_post', client_authentication_methods: null } })
    ).json<Json>();
    expect(off.client_secret).toBe(a.client_secret);
    expect(off).not.toHaveProperty('client_authentication_methods');
  });
});

describe('Management API › MGC-8 signed_request_object merge', () => {
  it('keeps credentials when only required changes, omits required when never set, and clears on null', async () => {
    const a = await createClient();
    const id = a.client_id as string;
    const cred = await createCredential(id, 0);
    const only = (await h.call('PATCH', `/api/v2/clients/${id}`, { body: { signed_request_object: { credentials: [{ id: cred.id }] } } })).json<Json>();
    expect(only.signed_request_object).toEqual({ credentials: [{ id: cred.id }] });
    const required = (await h.call('PATCH', `/api/v2/clients/${id}`, { body: { signed_request_object: { required: true } } })).json<Json>();
    expect(required.signed_request_object).toEqual({ required: true, credentials: [{ id: cred.id }] });
    expect(required.client_secret).toBe(a.client_secret); // a JAR client still authenticates with its secret
    expect(h.directory.getClient(id)?.signed_request_object).toEqual({ required: true });
    const cleared = (await h.call('PATCH', `/api/v2/clients/${id}`, { body: { signed_request_object: null } })).json<Json>();
    expect(cleared).not.toHaveProperty('signed_request_object');
    expect((await lastTrace(h)).rules.some((r) => r.id === 'MGC-8' && r.passed)).toBe(true);
  });
});

describe('Management API › MGC-9 PAR and compliance fields', () => {
  it('stores require_pushed_authorization_requests and compliance_level and shows them to the Authentication API', async () => {
    const a = await createClient({ require_pushed_authorization_requests: true, compliance_level: 'fapi2_sp_pkj_mtls' });
    expect(a).toMatchObject({ require_pushed_authorization_requests: true, compliance_level: 'fapi2_sp_pkj_mtls' });
    expect(h.directory.getClient(a.client_id as string)).toMatchObject({ require_pushed_authorization_requests: true, compliance_level: 'fapi2_sp_pkj_mtls' });
    const cleared = (await h.call('PATCH', `/api/v2/clients/${a.client_id as string}`, { body: { compliance_level: null } })).json<Json>();
    expect(cleared.compliance_level).toBeNull();
  });

  it('refuses unknown compliance levels and non-boolean require_pushed_authorization_requests', async () => {
    const level = await h.call('POST', '/api/v2/clients', { body: { name: 'x', compliance_level: 'fapi3' } });
    expect(mgmtError(level).message).toBe(`Payload validation error: 'Invalid value "fapi3"' on property compliance_level.`);
    const flag = await h.call('POST', '/api/v2/clients', { body: { name: 'x', require_pushed_authorization_requests: 'yes' } });
    expect(mgmtError(flag).message).toBe(
      "Payload validation error: 'Expected type boolean but found type string' on property require_pushed_authorization_requests.",
    );
    expect((await lastTrace(h)).failedRule).toBe('MGC-9');
  });
});
