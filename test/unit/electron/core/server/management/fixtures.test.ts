/**
 * Replays Auth0's recorded Management API traffic (terraform-provider-auth0 recordings, see
 * test/fixtures/auth0/README.md, copied from ../shared) against the embedded server: every request as
 * recorded, with only the ids mapped to ours. Statuses, field names, field order and values must match, except generated ids,
 * secrets, timestamps and the tenant certificate. Fields Auth0 added after a recording (e.g.
 * cross_origin_authentication in 2024 recordings) are allowed.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { freezeClock } from '../../../../../../electron/core/clock';
import { startServer } from './helpers';
import type { Harness } from './helpers';

const FIXTURES = fileURLToPath(new URL('../../../../../fixtures/auth0/', import.meta.url));

interface Interaction {
  vcr_id: number;
  method: string;
  path: string;
  query: string;
  request_body: unknown;
  status: number;
  response_body: unknown;
}

function load(name: string): Interaction[] {
  return (JSON.parse(readFileSync(`${FIXTURES}${name}.json`, 'utf8')) as { interactions: Interaction[] }).interactions;
}

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Replaces values that are generated per run, keeping their presence and position. */
function normalise(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) {
    const items = value.map((v) => normalise(v));
    // Auth0's credential list order is not creation order (README): compare as a set.
    return items.every((i) => typeof i === 'object' && i !== null && 'kid' in i)
      ? [...items].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))
      : items;
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalise(v, k)]));
  }
  if (key === 'client_secret' || key === 'cert') return '<secret>';
  if (key === 'id' && typeof value === 'string' && value.startsWith('cred_')) return '<cred>';
  if (key === 'client_id') return '<client>';
  if ((key === 'created_at' || key === 'updated_at') && typeof value === 'string') return ISO_MS.test(value) ? '<time>' : value;
  return value;
}

/** Key order of every object, recursively, as paths. */
function keyOrder(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => keyOrder(v, `${path}[${i}]`));
  if (typeof value !== 'object' || value === null) return [];
  return [
    Object.keys(value)
      .map((k) => `${path}.${k}`)
      .join(' '),
    ...Object.entries(value).flatMap(([k, v]) => keyOrder(v, `${path}.${k}`)),
  ];
}

/** Drops from `ours` the keys the recording does not have (fields Auth0 added later), recursively. */
function restrictTo(ours: unknown, recorded: unknown): unknown {
  if (Array.isArray(ours) && Array.isArray(recorded)) return ours.map((v, i) => restrictTo(v, recorded[i]));
  if (typeof ours === 'object' && ours !== null && typeof recorded === 'object' && recorded !== null && !Array.isArray(recorded)) {
    return Object.fromEntries(
      Object.entries(ours)
        .filter(([k]) => k in recorded)
        .map(([k, v]) => [k, restrictTo(v, (recorded as Record<string, unknown>)[k])]),
    );
  }
  return ours;
}

async function replay(h: Harness, name: string, options: { allowNewFields: readonly string[] }): Promise<number> {
  const ids = new Map<string, string>();
  const map = (text: string): string => [...ids].reduce((t, [from, to]) => t.split(from).join(to), text);
  let replayed = 0;
  for (const it of load(name)) {
    const path = map(it.path) + (it.query ? `?${it.query}` : '');
    const res = await h.call(it.method, path, it.request_body === null ? {} : { body: JSON.parse(map(JSON.stringify(it.request_body))) });
    const where = `${name} #${it.vcr_id} ${it.method} ${it.path}?${it.query}`;
    expect(res.status, `${where}: ${res.body}`).toBe(it.status);
    if (it.response_body === null) {
      expect(res.body, where).toBe('');
      continue;
    }
    const ours = res.json<unknown>();
    // Learn our ids for the recorded ones.
    for (const [recorded, mine] of [[it.response_body, ours]] as const) {
      if (typeof recorded === 'object' && recorded !== null && !Array.isArray(recorded)) {
        const r = recorded as Record<string, unknown>;
        const m = mine as Record<string, unknown>;
        if (typeof r.client_id === 'string' && typeof m.client_id === 'string' && it.method === 'POST') ids.set(r.client_id, m.client_id);
        if (typeof r.id === 'string' && typeof m.id === 'string' && it.method === 'POST') ids.set(r.id, m.id);
      }
    }
    const extra = Object.keys(typeof ours === 'object' && ours !== null && !Array.isArray(ours) ? ours : {}).filter(
      (k) => !(typeof it.response_body === 'object' && it.response_body !== null && k in it.response_body),
    );
    expect(
      extra.filter((k) => !options.allowNewFields.includes(k)),
      `${where}: fields Auth0 did not return`,
    ).toEqual([]);
    const comparable = restrictTo(ours, it.response_body);
    expect(keyOrder(comparable), `${where}: field order`).toEqual(keyOrder(it.response_body));
    expect(normalise(comparable), where).toEqual(normalise(it.response_body));
    replayed++;
  }
  return replayed;
}

describe('Management API › Auth0 recordings replayed verbatim (O3)', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    freezeClock(undefined);
    await h?.close();
    h = undefined;
  });

  it('TestAccClientAuthenticationMethodsPrivateKeyJWT: switch to private_key_jwt, rotate, change an expiry, revert to secrets', async () => {
    h = await startServer();
    expect(await replay(h, 'TestAccClientAuthenticationMethodsPrivateKeyJWT', { allowNewFields: ['require_proof_of_possession'] })).toBeGreaterThan(40);
  });

  it('TestAccClientCredentialsPrivateKeyJWTFullRotation: replace both attached credentials one at a time', async () => {
    h = await startServer();
    expect(await replay(h, 'TestAccClientCredentialsPrivateKeyJWTFullRotation', { allowNewFields: ['require_proof_of_possession'] })).toBeGreaterThan(20);
  });

  it('TestAccClientCredentialsPrivateKeyJWTRenameWithSameKeyRotates: the same key is created again after its record is deleted (same kid, new id)', async () => {
    h = await startServer();
    expect(
      await replay(h, 'TestAccClientCredentialsPrivateKeyJWTRenameWithSameKeyRotates', { allowNewFields: ['require_proof_of_possession'] }),
    ).toBeGreaterThan(15);
  });

  it('TestAccClientCanSetDefaultAuthMethodOnCreate: defaults per app_type, client_secret even with none', async () => {
    h = await startServer();
    // This recording's create bodies carry is_token_endpoint_ip_header_trusted; the 2026 field cross_origin_authentication is allowed.
    // require_proof_of_possession (DPoP, dpop-rules.md DPC-1) is read back as false by today's tenants; these recordings predate it.
    expect(
      await replay(h, 'TestAccClientCanSetDefaultAuthMethodOnCreate', { allowNewFields: ['cross_origin_authentication', 'require_proof_of_possession'] }),
    ).toBeGreaterThan(10);
  });

  it('TestAccClientAuthenticationMethodsSignedRequestObject (2024): JAR credentials, merge of signed_request_object, detach, delete', async () => {
    // Recorded on 2024-08-30; one credential expires in 2025, so replay at the recording's date.
    freezeClock(Date.parse('2024-08-30T19:18:40Z'));
    h = await startServer();
    expect(
      await replay(h, 'TestAccClientAuthenticationMethodsSignedRequestObject', {
        allowNewFields: ['cross_origin_authentication', 'require_proof_of_possession'],
      }),
    ).toBeGreaterThan(30);
  });

  it('TestAccDataSourceClientNonexistentID: 404 inexistent_client, byte for byte', async () => {
    h = await startServer();
    const res = await h.call('GET', '/api/v2/clients/this-client-does-not-exist');
    expect(res.status).toBe(404);
    expect(res.body).toBe('{"statusCode":404,"error":"Not Found","message":"The client does not exist","errorCode":"inexistent_client"}');
  });
});
