/**
 * Emails in one normal form (issue #13, item 8): Unicode NFC and case-insensitive, as Auth0 compares them, on
 * create, on the uniqueness check, and at sign-in. `josé` written with a combining accent (NFD) and with `é`
 * (NFC) used to make two users. The server has no user update operation (PATCH /api/v2/users), so there is no
 * update path to normalise.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, CALLBACK, hiddenFields } from '../endpoints/helpers';
import type { Harness } from './helpers';
import { mgmtError, startServer, tempDataDir } from './helpers';

const NFC = 'jos\u00e9@example.com';
const NFD = 'jose\u0301@example.com';
const PASSWORD = 'correct horse battery staple';

let h: Harness;
beforeAll(async () => {
  h = await startServer();
});
afterAll(async () => {
  await h.close();
});

/** Signs in through the real form with `email`; true when the server accepted it (302 onwards). */
async function signsIn(server: Harness, email: string, password: string): Promise<boolean> {
  const base = server.urls.issuer;
  const client = await server.directory.createClient({
    name: 'Sign-in app',
    app_type: 'regular_web',
    callbacks: [CALLBACK],
    token_endpoint_auth_method: 'client_secret_post',
    grant_types: ['authorization_code'],
  });
  const browser = new Browser();
  const start = await browser.fetch(
    `${base}authorize?${new URLSearchParams({ client_id: client.client_id, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid', state: 's', prompt: 'login' }).toString()}`,
  );
  const page = await browser.fetch(new URL(start.headers.get('location') ?? '', base).href);
  const res = await browser.postForm(`${base}u/login`, { ...hiddenFields(await page.text()), email, password });
  return res.status === 302;
}

describe('Users › emails are NFC and case-insensitive', () => {
  it('stores the NFC form, and refuses the NFD and upper-case forms of the same email as duplicates (409)', async () => {
    const created = await h.call('POST', '/api/v2/users', { body: { email: NFD, password: PASSWORD, connection: 'Username-Password-Authentication' } });
    expect(created.status, created.body).toBe(201);
    expect(created.json<{ email: string }>().email).toBe(NFC);
    for (const again of [NFC, NFD, NFD.toUpperCase(), ` ${NFC.toUpperCase()} `]) {
      const res = await h.call('POST', '/api/v2/users', { body: { email: again, password: PASSWORD } });
      expect(res.status, JSON.stringify(again)).toBe(409);
      expect(mgmtError(res).errorCode).toBe('auth0_idp_error');
    }
    expect(h.directory.listUsers().filter((u) => u.email.normalize('NFC') === NFC)).toHaveLength(1);
  });

  it('signs in with either form and any case', async () => {
    expect(await signsIn(h, NFC, PASSWORD)).toBe(true);
    expect(await signsIn(h, NFD, PASSWORD)).toBe(true);
    expect(await signsIn(h, NFD.toUpperCase(), PASSWORD)).toBe(true);
    expect(await signsIn(h, NFD, 'wrong password!')).toBe(false);
  });

  it('a user stored in NFD before this change (users.json) is found by both forms, and blocks a duplicate', async () => {
    const dir = tempDataDir();
    let s = await startServer(dir);
    const created = await s.call('POST', '/api/v2/users', { body: { email: 'old@example.com', password: PASSWORD } });
    expect(created.status).toBe(201);
    await s.close();
    const file = join(dir, 'users.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('old@example.com', NFD.replace('@', '.old@')));
    s = await startServer(dir);
    try {
      expect(s.notices).toEqual([]);
      const dup = await s.call('POST', '/api/v2/users', { body: { email: NFC.replace('@', '.old@'), password: PASSWORD } });
      expect(dup.status).toBe(409);
      expect(await signsIn(s, NFC.replace('@', '.old@'), PASSWORD)).toBe(true);
    } finally {
      await s.close();
    }
  });
});
