/**
 * List endpoints page as Auth0's Management API reference says: `per_page` 50 by default and at most 100,
 * `page` from 0, `include_totals` wraps the page as `{start, limit, length, total, clients}`; a bad value is
 * Auth0's 400 `invalid_query_string`, never clamped. The app's own operations (the Server screen) still see
 * every client.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from './helpers';
import { mgmtError, startServer } from './helpers';

type Json = Record<string, unknown>;
const CREATED = 120;
let h: Harness;
beforeAll(async () => {
  h = await startServer();
  for (let i = 0; i < CREATED; i++) await h.directory.createClient({ name: `paged-${String(i).padStart(3, '0')}`, app_type: 'non_interactive' });
  for (let i = 0; i < 3; i++)
    await h.directory.createClientGrant({
      client_id: h.directory.listClients(10 + i, 1)[0]!.client_id,
      audience: 'https://api.example.com/',
      scope: ['read:x'],
    });
}, 60_000);
afterAll(async () => {
  await h.close();
});

const names = (list: Json[]): string[] => list.map((c) => c.name as string);
const TOTAL = CREATED + 1; // and the Management API client

describe('Management API › paging', () => {
  it('returns 50 clients without paging parameters, the first ones created', async () => {
    const list = (await h.call('GET', '/api/v2/clients')).json<Json[]>();
    expect(list).toHaveLength(50);
    expect(names(list).slice(1, 3)).toEqual(['paged-000', 'paged-001']);
  });

  it('pages with per_page (at most 100) and page (from 0), every client exactly once', async () => {
    const first = (await h.call('GET', '/api/v2/clients?per_page=100&page=0')).json<Json[]>();
    const second = (await h.call('GET', '/api/v2/clients?per_page=100&page=1')).json<Json[]>();
    const beyond = (await h.call('GET', '/api/v2/clients?per_page=100&page=7')).json<Json[]>();
    expect(first).toHaveLength(100);
    expect(second).toHaveLength(TOTAL - 100);
    expect(beyond).toEqual([]);
    expect(new Set([...first, ...second].map((c) => c.client_id)).size).toBe(TOTAL);
    expect(names((await h.call('GET', '/api/v2/clients?per_page=5&page=3')).json<Json[]>())).toEqual([
      'paged-014',
      'paged-015',
      'paged-016',
      'paged-017',
      'paged-018',
    ]);
  });

  it('wraps the page with include_totals as Auth0 does', async () => {
    const wrapped = (await h.call('GET', '/api/v2/clients?include_totals=true&per_page=10&page=12')).json<Json>();
    expect(Object.keys(wrapped)).toEqual(['start', 'limit', 'length', 'total', 'clients']);
    expect(wrapped).toMatchObject({ start: 120, limit: 10, length: 1, total: TOTAL });
    const defaults = (await h.call('GET', '/api/v2/clients?include_totals=true')).json<Json>();
    expect(defaults).toMatchObject({ start: 0, limit: 50, length: 50, total: TOTAL });
  });

  it.each([
    ['per_page=101', "Query validation error: 'Value 101 is greater than maximum 100' on property per_page"],
    ['per_page=0', "Query validation error: 'Value 0 is less than minimum 1' on property per_page"],
    ['per_page=ten', "Query validation error: 'Expected type integer but found type string' on property per_page"],
    ['page=-1', "Query validation error: 'Value -1 is less than minimum 0' on property page"],
    ['page=1.5', "Query validation error: 'Expected type integer but found type number' on property page"],
  ])('refuses %s with Auth0’s 400 invalid_query_string', async (query, message) => {
    const res = await h.call('GET', `/api/v2/clients?${query}`);
    expect(res.status).toBe(400);
    const error = mgmtError(res);
    expect(error).toMatchObject({ statusCode: 400, error: 'Bad Request', errorCode: 'invalid_query_string' });
    expect(error.message.startsWith(message)).toBe(true);
  });

  it('pages client grants and users the same way', async () => {
    const grants = (await h.call('GET', '/api/v2/client-grants?include_totals=true&per_page=2')).json<Json>();
    expect(grants).toMatchObject({ start: 0, limit: 2, length: 2, total: 4 });
    expect(mgmtError(await h.call('GET', '/api/v2/users?per_page=500')).errorCode).toBe('invalid_query_string');
  });

  it('the app’s own list (server.listClients) still holds every client', () => {
    expect(h.directory.listClientsForUi()).toHaveLength(TOTAL);
  });
});
