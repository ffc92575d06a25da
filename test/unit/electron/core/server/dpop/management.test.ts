/**
 * The Management API's DPoP fields (../shared/spec/dpop-rules.md §6, DPC-1..7; X-D25): client
 * `require_proof_of_possession` and resource-server `proof_of_possession`, over HTTP with Auth0's scopes and
 * payload-validation errors, against the real server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../management/helpers';
import { lastTrace, mgmtError, startServer } from '../management/helpers';

let h: Harness;
beforeAll(async () => {
  h = await startServer();
});
afterAll(async () => {
  await h.close();
});

type Json = Record<string, unknown>;
let n = 0;
const identifier = () => `https://api-${++n}.example.com/`;

async function createApi(body: Json): Promise<{ status: number; json: Json }> {
  const res = await h.call('POST', '/api/v2/resource-servers', { body: { identifier: identifier(), ...body } });
  return { status: res.status, json: res.json<Json>() };
}

describe('DPC-1 client require_proof_of_possession (boolean, false by default)', () => {
  it('reads back false by default, sets it on create and update, and refuses a non-boolean', async () => {
    const created = (await h.call('POST', '/api/v2/clients', { body: { name: 'PoP' } })).json<Json>();
    expect(created.require_proof_of_possession).toBe(false);
    const on = await h.call('PATCH', `/api/v2/clients/${String(created.client_id)}`, { body: { require_proof_of_possession: true } });
    expect(on.json<Json>().require_proof_of_possession).toBe(true);
    expect(h.directory.getClient(String(created.client_id))!.require_proof_of_possession).toBe(true);
    const withIt = (await h.call('POST', '/api/v2/clients', { body: { name: 'PoP2', require_proof_of_possession: true } })).json<Json>();
    expect(withIt.require_proof_of_possession).toBe(true);
    const bad = await h.call('PATCH', `/api/v2/clients/${String(created.client_id)}`, { body: { require_proof_of_possession: 'yes' } });
    expect(bad.status).toBe(400);
    expect(mgmtError(bad).message).toBe("Payload validation error: 'Expected type boolean but found type string' on property require_proof_of_possession.");
    expect((await lastTrace(h)).failedRule).toBe('DPC-1');
  });
});

describe('DPC-2 resource-server proof_of_possession on create and update, with their scopes', () => {
  it('creates with create:resource_servers and updates with update:resource_servers; another scope is 403', async () => {
    const created = await createApi({ proof_of_possession: { mechanism: 'dpop', required: true, required_for: 'all_clients' } });
    expect(created.status).toBe(201);
    expect(created.json.proof_of_possession).toEqual({ mechanism: 'dpop', required: true, required_for: 'all_clients' });
    const denied = await h.call('POST', '/api/v2/resource-servers', { body: { identifier: identifier() }, token: await h.token('read:resource_servers') });
    expect(denied.status).toBe(403);
    const patched = await h.call('PATCH', `/api/v2/resource-servers/${String(created.json.id)}`, {
      body: { proof_of_possession: { mechanism: 'dpop', required: false } },
      token: await h.token('update:resource_servers'),
    });
    expect(patched.status).toBe(200);
    const deniedPatch = await h.call('PATCH', `/api/v2/resource-servers/${String(created.json.id)}`, {
      body: { proof_of_possession: null },
      token: await h.token('create:resource_servers'),
    });
    expect(deniedPatch.status).toBe(403);
    expect(mgmtError(deniedPatch).errorCode).toBe('insufficient_scope');
  });
});

describe('DPC-3, DPC-4, DPC-5 payload validation of proof_of_possession (X-D25)', () => {
  it('refuses mechanism "bearer" with Auth0’s payload-validation error', async () => {
    const res = await h.call('POST', '/api/v2/resource-servers', {
      body: { identifier: identifier(), proof_of_possession: { mechanism: 'bearer', required: true } },
    });
    expect(res.status).toBe(400);
    expect(mgmtError(res)).toMatchObject({
      errorCode: 'invalid_body',
      message: "Payload validation error: 'Invalid value' on property proof_of_possession.mechanism.",
    });
    expect((await lastTrace(h)).failedRule).toBe('DPC-3');
  });

  it('accepts mechanism none (the documented third value)', async () => {
    expect((await createApi({ proof_of_possession: { mechanism: 'none', required: false } })).status).toBe(201);
  });

  it('refuses an object without required (DPC-4)', async () => {
    const res = await h.call('POST', '/api/v2/resource-servers', { body: { identifier: identifier(), proof_of_possession: { mechanism: 'dpop' } } });
    expect(res.status).toBe(400);
    expect(mgmtError(res)).toMatchObject({
      errorCode: 'invalid_body',
      message: "Payload validation error: 'Missing required property: required' on property proof_of_possession.",
    });
    expect((await lastTrace(h)).failedRule).toBe('DPC-4');
  });

  it('refuses mtls with required_for public_clients (DPC-5)', async () => {
    const res = await h.call('POST', '/api/v2/resource-servers', {
      body: { identifier: identifier(), proof_of_possession: { mechanism: 'mtls', required: true, required_for: 'public_clients' } },
    });
    expect(res.status).toBe(400);
    expect(mgmtError(res)).toMatchObject({ errorCode: 'invalid_body', message: 'required_for public_clients is not supported with mtls' });
    expect((await lastTrace(h)).failedRule).toBe('DPC-5');
  });
});

describe('DPC-6 responses echo what was stored, without filling in required_for', () => {
  it('reads mtls / true back without required_for', async () => {
    const created = await createApi({ proof_of_possession: { mechanism: 'mtls', required: true } });
    expect(created.json.proof_of_possession).toEqual({ mechanism: 'mtls', required: true });
    const read = (await h.call('GET', `/api/v2/resource-servers/${String(created.json.id)}`)).json<Json>();
    expect(read.proof_of_possession).toEqual({ mechanism: 'mtls', required: true });
    const byIdentifier = (await h.call('GET', `/api/v2/resource-servers/${encodeURIComponent(String(created.json.identifier))}`)).json<Json>();
    expect(byIdentifier.id).toBe(created.json.id);
  });
});

describe('DPC-7 null removes sender constraining; an object replaces the whole policy', () => {
  it('replaces without merging, and removes with null', async () => {
    const created = await createApi({ proof_of_possession: { mechanism: 'dpop', required: true, required_for: 'public_clients' } });
    const id = String(created.json.id);
    const replaced = (
      await h.call('PATCH', `/api/v2/resource-servers/${id}`, { body: { proof_of_possession: { mechanism: 'dpop', required: false } } })
    ).json<Json>();
    expect(replaced.proof_of_possession).toEqual({ mechanism: 'dpop', required: false });
    const removed = (await h.call('PATCH', `/api/v2/resource-servers/${id}`, { body: { proof_of_possession: null } })).json<Json>();
    expect(removed.proof_of_possession).toBeNull();
    expect(h.directory.resourceServerProofOfPossession(String(created.json.identifier))).toBeNull();
    expect((await h.call('DELETE', `/api/v2/resource-servers/${id}`)).status).toBe(204);
    expect((await h.call('GET', `/api/v2/resource-servers/${id}`)).status).toBe(404);
  });
});
