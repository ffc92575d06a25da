/**
 * The Management API payloads of the seed guides (shared/seeds/*.md), sent exactly as written with only
 * the placeholders filled in (the host is the embedded server's). Where a guide's payload is not JSON
 * (configure-private-key-jwt: `"expires_at ": …,` with a stray space and a trailing comma), the test pins
 * what Auth0 would answer, and what a corrected body gets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastTrace, mgmtError, startServer } from './helpers';
import type { Harness } from './helpers';
import { SEED_GUIDE_PUBLIC_KEY, rsa } from './keys';

let h: Harness;
beforeAll(async () => {
  h = await startServer();
});
afterAll(async () => {
  await h.close();
});

type Json = Record<string, unknown>;

/** Fills `{placeholder}` / `[PLACEHOLDER]` in a seed payload's text; values are inserted as they would be typed. */
function fill(template: string, values: Record<string, string>): string {
  return Object.entries(values).reduce((text, [k, v]) => text.split(k).join(v), template);
}

/** A PEM as it must appear inside a JSON string: newlines escaped (the guides say so). */
function jsonEscaped(pem: string): string {
  return JSON.stringify(pem).slice(1, -1);
}

// configure-jar.en.md (same payloads in fr-ca and ja-jp): "Configure JAR for a new application".
const JAR_CREATE = `{
  "name": "My App using JAR",
  "signed_request_object": {
      "required": true,
"credentials": [{
        "name": "My credential for JAR",
        "credential_type": "public_key",
        "pem": "[YOUR PEM FILE CONTENT]",
        "alg": "RS256"
}]
  },
  "jwt_configuration": {
    "alg": "RS256"
  }
}`;

// configure-jar.en.md codeExample1 and codeExample2: "Configure JAR for an existing application".
const JAR_CREDENTIAL = `{
    "name": "My credentials for JAR",
    "credential_type": "public_key",
    "pem": "[YOUR PEM FILE CONTENT]",
    "alg": "RS256"
  }`;
const JAR_ATTACH = `{
  "signed_request_object": {
    "credentials": [{"id": "[YOUR CREDENTIAL ID]"}]
  }
}`;

// configure-private-key-jwt.en.md: "Configure a new application for private_key_jwt" (jwt_configuration nested as written).
const PKJ_CREATE = `{
 "name": "{clientName}",
 "app_type": "non_interactive",
 "client_authentication_methods": {
   "private_key_jwt": {
     "credentials": [
       { 
          "name": "{credentialName}", 
          "credential_type": "public_key", 
          "pem": "{credentialPublicKey}",
          "alg": "{algorithm}",
          "expires_at": "{expiresAt}"
       }
     ]
   },
   "jwt_configuration": {
     "alg": "RS256"
   }
 }
}`;

// configure-private-key-jwt.en.md: "Create the credential resource" — not JSON as printed.
const PKJ_CREDENTIAL_AS_PRINTED = `{
          "name": "{credentialName}", 
          "credential_type": "public_key", 
          "pem": "{credentialPublicKey}",
          "alg": "{algorithm}",
          "expires_at ": "{expiresAt}",
}`;

// "Associate the credential", "Configure an application to use Client Secret authentication", "Patch credentials with an expiration field".
const PKJ_ATTACH = `{
          "token_endpoint_auth_method": null, 
          "client_authentication_methods": {
             "private_key_jwt": {
                "credentials": [{ "id": {credentialId} }]
             }
          }
   }`;
const PKJ_REVERT = `{
          "token_endpoint_auth_method": "{tokenEndpointAuthMethod}", 
          "client_authentication_methods": null
   }`;
const PKJ_PATCH_EXPIRY = `{
          "expires_at": {expiresAt}
   }`;

const FUTURE = '2030-08-20T19:10:06.299Z';

describe('Management API › seed: configure-jar (new application)', () => {
  it('creates a JAR client and its credential in one POST, verbatim', async () => {
    const pair = await rsa(0);
    const res = await h.call('POST', '/api/v2/clients', { body: fill(JAR_CREATE, { '[YOUR PEM FILE CONTENT]': jsonEscaped(pair.spki) }) });
    expect(res.status, res.body).toBe(201);
    const client = res.json<Json>();
    expect(client).toMatchObject({
      name: 'My App using JAR',
      jwt_configuration: { secret_encoded: false, alg: 'RS256' },
      token_endpoint_auth_method: 'client_secret_post',
    });
    expect(client).not.toHaveProperty('app_type');
    const sro = client.signed_request_object as { required: boolean; credentials: { id: string }[] };
    expect(sro.required).toBe(true);
    expect(sro.credentials).toHaveLength(1);
    const creds = (await h.call('GET', `/api/v2/clients/${client.client_id as string}/credentials`)).json<Json[]>();
    expect(creds).toEqual([
      expect.objectContaining({ id: sro.credentials[0]!.id, name: 'My credential for JAR', alg: 'RS256', kid: pair.thumbprint, expires_at: null }),
    ]);
    expect(h.directory.getClient(client.client_id as string)?.signed_request_object).toEqual({ required: true });
  });
});

describe('Management API › seed: configure-jar (existing application)', () => {
  it('creates the credential, then attaches it with PATCH signed_request_object, verbatim', async () => {
    const clientId = (await h.call('POST', '/api/v2/clients', { body: { name: 'Existing app', app_type: 'regular_web' } })).json<Json>().client_id as string;
    const created = await h.call('POST', `/api/v2/clients/${clientId}/credentials`, {
      body: fill(JAR_CREDENTIAL, { '[YOUR PEM FILE CONTENT]': jsonEscaped((await rsa(1)).spki) }),
    });
    expect(created.status, created.body).toBe(201);
    const credentialId = created.json<Json>().id as string;
    const attached = await h.call('PATCH', `/api/v2/clients/${clientId}`, { body: fill(JAR_ATTACH, { '[YOUR CREDENTIAL ID]': credentialId }) });
    expect(attached.status, attached.body).toBe(200);
    expect(attached.json<Json>().signed_request_object).toEqual({ credentials: [{ id: credentialId }] });
    expect(h.directory.slotCredentials(clientId, 'signed_request_object').map((c) => c.id)).toEqual([credentialId]);
  });
});

describe('Management API › seed: configure-private-key-jwt (new application)', () => {
  it('creates a private_key_jwt client verbatim, taking the jwt_configuration nested in client_authentication_methods', async () => {
    const body = fill(PKJ_CREATE, {
      '{clientName}': 'PKJ app',
      '{credentialName}': 'guide key',
      '{credentialPublicKey}': jsonEscaped(SEED_GUIDE_PUBLIC_KEY),
      '{algorithm}': 'RS256',
      '{expiresAt}': FUTURE,
    });
    // The guide's table asks for create:credentials; creating a client needs create:clients (API reference, A15).
    const res = await h.call('POST', '/api/v2/clients', { body, token: await h.token('create:clients create:credentials') });
    expect(res.status, res.body).toBe(201);
    const client = res.json<Json>();
    expect(client.jwt_configuration).toEqual({ secret_encoded: false, alg: 'RS256' });
    expect(client).not.toHaveProperty('client_secret');
    expect(client).not.toHaveProperty('token_endpoint_auth_method');
    const ids = (client.client_authentication_methods as { private_key_jwt: { credentials: { id: string }[] } }).private_key_jwt.credentials;
    const [view] = h.directory.slotCredentials(client.client_id as string, 'private_key_jwt');
    expect(view).toMatchObject({ id: ids[0]!.id, name: 'guide key', alg: 'RS256', expires_at: FUTURE });
    expect(h.directory.getClient(client.client_id as string)).toMatchObject({ private_key_jwt: true, id_token_alg: 'RS256' });
    const trace = await lastTrace(h);
    expect(trace.rules.find((r) => r.id === 'MGC-6' && r.passed && r.actual?.includes('client_authentication_methods.jwt_configuration'))).toBeDefined();
  });

  it('refuses the nested jwt_configuration when it contradicts a top-level one', async () => {
    const body = JSON.parse(
      fill(PKJ_CREATE, { '{credentialPublicKey}': jsonEscaped((await rsa(2)).spki), '{algorithm}': 'RS256', '{expiresAt}': FUTURE }),
    ) as Json;
    const res = await h.call('POST', '/api/v2/clients', { body: { ...body, jwt_configuration: { alg: 'PS256' } } });
    expect(mgmtError(res).message).toBe('jwt_configuration is given twice (top level and inside client_authentication_methods) with different values');
  });
});

describe('Management API › seed: configure-private-key-jwt (existing application)', () => {
  it('answers the credential body as printed (trailing comma) with "Invalid request payload JSON format"', async () => {
    const clientId = (await h.call('POST', '/api/v2/clients', { body: { name: 'x', app_type: 'non_interactive' } })).json<Json>().client_id as string;
    const printed = fill(PKJ_CREDENTIAL_AS_PRINTED, {
      '{credentialName}': 'k',
      '{credentialPublicKey}': jsonEscaped((await rsa(3)).spki),
      '{algorithm}': 'RS256',
      '{expiresAt}': FUTURE,
    });
    const res = await h.call('POST', `/api/v2/clients/${clientId}/credentials`, { body: printed, token: await h.token('create:credentials') });
    expect(mgmtError(res)).toEqual({ statusCode: 400, error: 'Bad Request', message: 'Invalid request payload JSON format', errorCode: 'invalid_body' });
    // Without the trailing comma it is JSON, but "expires_at " (with a space) is not a property: Auth0's payload error, and a hint in the trace.
    const noComma = printed.replace(/,\s*}$/, '\n}');
    const res2 = await h.call('POST', `/api/v2/clients/${clientId}/credentials`, { body: noComma, token: await h.token('create:credentials') });
    expect(mgmtError(res2).message).toBe("Payload validation error: 'Additional properties not allowed: expires_at '.");
    expect((await lastTrace(h)).rules.at(-1)?.fix).toContain('did you mean "expires_at"');
  });

  it('creates the credential, associates it, reverts to a client secret and patches the expiry, verbatim', async () => {
    const created = (
      await h.call('POST', '/api/v2/clients', { body: { name: 'Existing M2M', app_type: 'non_interactive', jwt_configuration: { alg: 'RS256' } } })
    ).json<Json>();
    const clientId = created.client_id as string;
    const corrected = fill(PKJ_CREDENTIAL_AS_PRINTED, {
      '{credentialName}': 'k',
      '{credentialPublicKey}': jsonEscaped((await rsa(4)).spki),
      '{algorithm}': 'RS256',
      '{expiresAt}': FUTURE,
    })
      .replace('"expires_at "', '"expires_at"')
      .replace(/,\s*}$/, '\n}');
    const cred = await h.call('POST', `/api/v2/clients/${clientId}/credentials`, { body: corrected, token: await h.token('create:credentials') });
    expect(cred.status, cred.body).toBe(201);
    const credentialId = cred.json<Json>().id as string;

    // The guide lists update:client and update:credentials for these PATCHes.
    const guideToken = await h.token('update:client update:credentials');
    const attached = await h.call('PATCH', `/api/v2/clients/${clientId}`, {
      body: fill(PKJ_ATTACH, { '{credentialId}': JSON.stringify(credentialId) }),
      token: guideToken,
    });
    expect(attached.status, attached.body).toBe(200);
    const on = attached.json<Json>();
    expect(on.client_authentication_methods).toEqual({ private_key_jwt: { credentials: [{ id: credentialId }] } });
    expect(on).not.toHaveProperty('client_secret');

    const reverted = await h.call('PATCH', `/api/v2/clients/${clientId}`, {
      body: fill(PKJ_REVERT, { '{tokenEndpointAuthMethod}': 'client_secret_basic' }),
      token: guideToken,
    });
    expect(reverted.status, reverted.body).toBe(200);
    const off = reverted.json<Json>();
    expect(off).toMatchObject({ token_endpoint_auth_method: 'client_secret_basic', client_secret: created.client_secret });
    expect(off).not.toHaveProperty('client_authentication_methods');

    const patched = await h.call('PATCH', `/api/v2/clients/${clientId}/credentials/${credentialId}`, {
      body: fill(PKJ_PATCH_EXPIRY, { '{expiresAt}': JSON.stringify('2031-01-01T00:00:00Z') }),
      token: await h.token(' update:credentials'),
    });
    expect(patched.status, patched.body).toBe(200);
    expect(patched.json<Json>().expires_at).toBe('2031-01-01T00:00:00.000Z');
  });
});
