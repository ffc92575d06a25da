/**
 * Callback and logout URLs with a scheme a browser would run or read locally (issue #13, item 8; RED-3):
 * POST and PATCH /api/v2/clients refuse them with Auth0's 400 Management error shape, and /v2/logout never
 * redirects to one, even when a client's stored file (written by hand, or before this check) still holds it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENTS_FOLDER, recordFileName } from '../../../../../../electron/core/server/state/client-records';
import { rawRequest } from '../../../../../helpers/http';
import type { Harness } from './helpers';
import { lastTrace, mgmtError, startServer, tempDataDir } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await startServer();
});
afterAll(async () => {
  await h.close();
});

type Json = Record<string, unknown>;

const HOSTILE = [
  'javascript:alert(document.cookie)',
  'JavaScript:alert(1)',
  ' java\tscript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'file:///etc/passwd',
  'vbscript:msgbox(1)',
];

describe('Management API › RED-3 callback and logout URL schemes', () => {
  for (const field of ['callbacks', 'allowed_logout_urls']) {
    it(`POST refuses each hostile scheme in ${field} with Auth0's 400 invalid_body shape`, async () => {
      for (const url of HOSTILE) {
        const res = await h.call('POST', '/api/v2/clients', { body: { name: 'Evil', app_type: 'regular_web', [field]: ['https://app.example.com/ok', url] } });
        expect(res.status, url).toBe(400);
        const body = mgmtError(res);
        expect(body).toMatchObject({ statusCode: 400, error: 'Bad Request', errorCode: 'invalid_body' });
        expect(body.message).toMatch(
          new RegExp(`^Payload validation error: 'URL scheme "(javascript|data|file|vbscript):" is not allowed: .*' on property ${field}\\[1\\]\\.$`, 's'),
        );
        expect((await lastTrace(h)).failedRule).toBe('RED-3');
      }
      expect(h.directory.listClients().some((c) => c.name === 'Evil')).toBe(false);
    });

    it(`PATCH refuses a hostile scheme in ${field} and leaves the client unchanged`, async () => {
      const created = await h.call('POST', '/api/v2/clients', { body: { name: 'Good', app_type: 'regular_web', [field]: ['https://app.example.com/cb'] } });
      expect(created.status, created.body).toBe(201);
      const id = created.json<Json>().client_id as string;
      const res = await h.call('PATCH', `/api/v2/clients/${id}`, { body: { [field]: ['data:text/html,hi'] } });
      expect(mgmtError(res)).toMatchObject({ statusCode: 400, errorCode: 'invalid_body' });
      expect((h.directory.getClientJson(id) as unknown as Json)[field]).toEqual(['https://app.example.com/cb']);
    });
  }

  it('still accepts https, loopback http and a native app’s private-use scheme', async () => {
    const urls = ['https://app.example.com/callback', 'http://127.0.0.1:8080/cb', 'com.example.app://callback', 'myapp:/oauth2redirect'];
    const res = await h.call('POST', '/api/v2/clients', { body: { name: 'Native', app_type: 'native', callbacks: urls, allowed_logout_urls: urls } });
    expect(res.status, res.body).toBe(201);
    expect(res.json<Json>()).toMatchObject({ callbacks: urls, allowed_logout_urls: urls });
  });
});

describe('/v2/logout › never redirects to a hostile scheme, even one already stored (LGO-1, defence in depth)', () => {
  it('refuses returnTo=javascript:… from a hand-edited client file with an HTML page, and no Location', async () => {
    const dir = tempDataDir();
    let s = await startServer(dir);
    const created = await s.call('POST', '/api/v2/clients', {
      body: { name: 'Old', app_type: 'regular_web', allowed_logout_urls: ['https://app.example.com/bye'] },
    });
    const id = created.json<Json>().client_id as string;
    await s.close();
    const file = join(dir, CLIENTS_FOLDER, recordFileName(id));
    writeFileSync(file, readFileSync(file, 'utf8').replace('https://app.example.com/bye', 'javascript:alert(1)'));
    s = await startServer(dir);
    try {
      expect(s.notices).toEqual([]);
      expect(s.directory.getClient(id)?.allowed_logout_urls).toEqual(['javascript:alert(1)']);
      for (const path of [
        `/v2/logout?client_id=${id}&returnTo=${encodeURIComponent('javascript:alert(1)')}`,
        `/oidc/logout?client_id=${id}&post_logout_redirect_uri=${encodeURIComponent('javascript:alert(1)')}`,
      ]) {
        const res = await rawRequest(s.port, { path });
        expect(res.status, path).toBe(400);
        expect(res.headers.location).toBeUndefined();
        expect(res.headers['content-type']).toContain('text/html');
        expect(res.body).toContain('never followed');
        expect((await lastTrace(s)).failedRule).toBe('LGO-1');
      }
    } finally {
      await s.close();
    }
  });
});
