/**
 * DPC-8 (../shared/spec/dpop-rules.md §6): the Dashboard's sender-constraining choices and the Management API's
 * `proof_of_possession`, mapped by the Server screen (renderer/src/features/server/sender-constraining.ts) and
 * written through the contract's operations on a REAL core. Every choice saved on the screen reads back
 * identically over GET /api/v2/resource-servers/{id} with a real Management API token, and so does the
 * client's "Require Sender Constraining" (DPC-1) over GET /api/v2/clients/{id}.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../../../../electron/core/host/core';
import { createCore } from '../../../../../../electron/core/host/core';
import type { DashboardSenderConstraining } from '../../../../../../renderer/src/features/server/sender-constraining';
import {
  SENDER_CONSTRAINING_METHODS,
  SENDER_CONSTRAINING_REQUIREMENTS,
  fromProofOfPossession,
  requirementOffered,
  toProofOfPossession,
} from '../../../../../../renderer/src/features/server/sender-constraining';
import type { WireError } from '../../../../../../shared/errors';
import type { ServerClient, ServerResourceServer } from '../../../../../../shared/schemas/server';

let dir: string;
let core: Core;
let issuer: string;
let mgmtToken: string;

async function call<T>(name: string, input: unknown = {}): Promise<T> {
  const result = await core.dispatch(name, input);
  if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

async function refusal(name: string, input: unknown): Promise<WireError> {
  const result = await core.dispatch(name, input);
  if (result.ok) throw new Error(`${name} succeeded: ${JSON.stringify(result.value)}`);
  return result.error;
}

/** A Management API GET with a real token (client_credentials of the server's own Management API client). */
async function mgmtGet(path: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${issuer}${path.slice(1)}`, { headers: { authorization: `Bearer ${mgmtToken}` } });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parley-dpc8-'));
  core = await createCore({ dataDir: dir, mode: 'web', version: 't', scrypt: { N: 1024, r: 8, p: 1 }, server: { port: 0 }, log: () => {} });
  issuer = core.server.running!.urls.issuer;
  const management = core.server.directory.bootstrapInfo().management;
  const res = await fetch(`${issuer}oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: management.client_id,
      client_secret: management.client_secret,
      audience: core.server.running!.urls.managementAudience,
    }),
  });
  mgmtToken = ((await res.json()) as { access_token: string }).access_token;
});

afterAll(async () => {
  await core.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Every choice the Dashboard offers. */
const OFFERED: DashboardSenderConstraining[] = SENDER_CONSTRAINING_METHODS.flatMap((method) =>
  SENDER_CONSTRAINING_REQUIREMENTS.filter((requirement) => requirementOffered(method, requirement)).map((requirement) => ({ method, requirement })),
);

describe('DPC-8 Dashboard mapping of the sender-constraining choices to proof_of_possession', () => {
  it('maps each choice as DPC-8 says: method = mechanism, Always = all_clients, For public applications = public_clients, None = null', () => {
    expect(OFFERED).toHaveLength(6);
    expect(toProofOfPossession({ method: 'dpop', requirement: 'all_clients' })).toEqual({ mechanism: 'dpop', required: true, required_for: 'all_clients' });
    expect(toProofOfPossession({ method: 'dpop', requirement: 'public_clients' })).toEqual({
      mechanism: 'dpop',
      required: true,
      required_for: 'public_clients',
    });
    expect(toProofOfPossession({ method: 'mtls', requirement: 'all_clients' })).toEqual({ mechanism: 'mtls', required: true, required_for: 'all_clients' });
    // A method without a requirement is DA2's "allowed" policy (DPB-1's middle column).
    expect(toProofOfPossession({ method: 'dpop', requirement: 'never' })).toEqual({ mechanism: 'dpop', required: false });
    expect(toProofOfPossession({ method: 'none', requirement: 'never' })).toBeNull();
  });

  it('does not offer For public applications with mTLS (DPC-5), nor a requirement without a method', () => {
    expect(requirementOffered('mtls', 'public_clients')).toBe(false);
    expect(() => toProofOfPossession({ method: 'mtls', requirement: 'public_clients' })).toThrow('"public_clients" is not offered for mtls');
    expect(() => toProofOfPossession({ method: 'none', requirement: 'all_clients' })).toThrow('"all_clients" is not offered for none');
  });

  it('reads back what the Management API may hold: null, absent, mechanism none, and mtls / true without required_for (DPC-6)', () => {
    expect(fromProofOfPossession(undefined)).toEqual({ method: 'none', requirement: 'never' });
    expect(fromProofOfPossession(null)).toEqual({ method: 'none', requirement: 'never' });
    expect(fromProofOfPossession({ mechanism: 'none', required: false })).toEqual({ method: 'none', requirement: 'never' });
    expect(fromProofOfPossession({ mechanism: 'mtls', required: true })).toEqual({ method: 'mtls', requirement: 'all_clients' });
  });

  it('round-trips every offered choice through the screen’s operation and GET /api/v2/resource-servers/{id}', async () => {
    const api = await call<ServerResourceServer>('server.createResourceServer', { body: { name: 'Orders', identifier: 'https://orders.example.com/' } });
    expect(api.proof_of_possession).toBeUndefined();
    for (const choice of OFFERED) {
      const saved = await call<ServerResourceServer>('server.updateResourceServer', { id: api.id, body: { proof_of_possession: toProofOfPossession(choice) } });
      const read = await mgmtGet(`/api/v2/resource-servers/${api.id}`);
      expect(read.status).toBe(200);
      expect(read.json.proof_of_possession).toEqual(toProofOfPossession(choice));
      expect(read.json.proof_of_possession).toEqual(saved.proof_of_possession);
      expect(fromProofOfPossession(read.json.proof_of_possession as ServerResourceServer['proof_of_possession'])).toEqual(choice);
      // The list the APIs tab shows says the same.
      const listed = (await call<ServerResourceServer[]>('server.listResourceServers')).find((r) => r.id === api.id);
      expect(fromProofOfPossession(listed?.proof_of_possession)).toEqual(choice);
    }
  });

  it('refuses over the contract what the Management API refuses (mtls + public_clients), with its message', async () => {
    const api = await call<ServerResourceServer>('server.createResourceServer', { body: { identifier: 'https://mtls.example.com/' } });
    const error = await refusal('server.updateResourceServer', {
      id: api.id,
      body: { proof_of_possession: { mechanism: 'mtls', required: true, required_for: 'public_clients' } },
    });
    expect(error.code).toBe('SERVER_REJECTED');
    expect(error.message).toBe('required_for public_clients is not supported with mtls');
    expect((await mgmtGet(`/api/v2/resource-servers/${api.id}`)).json.proof_of_possession).toBeUndefined();
    // The write is in the server's log as a dashboard request, with the rule that refused it.
    const trace = core.server.running!.ctx.traces.list({ endpoint: 'dashboard', limit: 1 })[0]!;
    expect(trace).toMatchObject({ method: 'PATCH', path: `/api/v2/resource-servers/${api.id}`, status: 400, failedRule: 'DPC-5' });
  });

  it('sets the client’s Require Sender Constraining (DPC-1) through the screen’s operation; the Management API reads it back', async () => {
    const client = await call<ServerClient>('server.createClient', { body: { name: 'SPA', app_type: 'spa', token_endpoint_auth_method: 'none' } });
    expect((await mgmtGet(`/api/v2/clients/${client.client_id}`)).json.require_proof_of_possession).toBe(false);
    await call('server.updateClient', { clientId: client.client_id, body: { require_proof_of_possession: true } });
    expect((await mgmtGet(`/api/v2/clients/${client.client_id}`)).json.require_proof_of_possession).toBe(true);
    const listed = (await call<ServerClient[]>('server.listClients')).find((c) => c.client_id === client.client_id);
    expect(listed?.require_proof_of_possession).toBe(true);
  });
});
