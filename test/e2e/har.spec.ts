/**
 * HAR files in the app, end to end in web mode. A PAR + JAR run with a wrong aud fails at push (JAR-11);
 * its "Export HAR" file validates against the published HAR 1.2 schema (har-schema, ajv). That file,
 * with a browser's secrets planted in it (a client secret, a password, cookies, a refresh token, an
 * authorization code and its verifier) and the authorization and token exchanges a browser would have
 * recorded, is dropped on Explain: every exchange is listed and explained, what was removed is said with
 * counts, and the PAR exchange is reproduced on the embedded server from the client's public key. None of
 * the planted secrets is in the page, in what the page sent the core, or in any file under the data
 * directory. A truncated HAR, a JSON file that is not a HAR and a 200 MB file get a clear error.
 */
import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { Page } from '@playwright/test';
import { SCREENSHOT_DIR, expect, test } from './fixtures';
import { createPkjApplication, createVault, downloadText, filesBelow, op } from './helpers';

const require = createRequire(import.meta.url);

const PLANTED = {
  clientSecret: 'PLANTED-client-secret-b7e1c9',
  password: 'PLANTED-password-Tr0ub4dor',
  cookie: 'PLANTED-cookie-5d2f8a',
  refreshToken: 'PLANTED-refresh-token-0c44e2',
  code: 'PLANTED-code-91aa3f',
  verifier: 'PLANTED-verifier-6b0d7e5c3a1f9e2d4c6b8a0f1e3d5c7b9a',
};

interface HarDoc {
  log: {
    entries: {
      startedDateTime: string;
      request: {
        method: string;
        url: string;
        headers: { name: string; value: string }[];
        cookies: { name: string; value: string }[];
        postData?: { mimeType: string; text?: string };
      };
      response: { status: number; headers: { name: string; value: string }[]; content: { size: number; mimeType: string; text?: string } };
    }[];
  };
}

/** har-schema's JSON Schema (draft-06), formats checked. */
function validateHar(doc: unknown): { ok: boolean; errors: string } {
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json') as object);
  addFormats(ajv);
  for (const schema of Object.values(require('har-schema') as Record<string, object>)) ajv.addSchema(schema);
  const validate = ajv.getSchema('har.json#')!;
  const ok = validate(doc) as boolean;
  return { ok, errors: JSON.stringify(validate.errors ?? []) };
}

/** Drops a file on an element the way a file manager does (a real `drop` event with a DataTransfer holding a File). */
async function dropFile(page: Page, testId: string, name: string, text: string): Promise<void> {
  const transfer = await page.evaluateHandle(
    ({ name, text }) => {
      const data = new DataTransfer();
      data.items.add(new File([text], name, { type: 'application/json' }));
      return data;
    },
    { name, text },
  );
  const zone = page.getByTestId(testId);
  await zone.dispatchEvent('dragover', { dataTransfer: transfer });
  await zone.dispatchEvent('drop', { dataTransfer: transfer });
}

function entry(
  startedDateTime: string,
  method: string,
  url: string,
  request: { headers?: [string, string][]; cookies?: [string, string][]; body?: string },
  response: { status: number; headers?: [string, string][]; body?: string },
) {
  return {
    startedDateTime,
    time: 20,
    request: {
      method,
      url,
      httpVersion: 'HTTP/1.1',
      headers: (request.headers ?? []).map(([name, value]) => ({ name, value })),
      queryString: [],
      cookies: (request.cookies ?? []).map(([name, value]) => ({ name, value })),
      ...(request.body === undefined ? {} : { postData: { mimeType: 'application/x-www-form-urlencoded', text: request.body } }),
      headersSize: -1,
      bodySize: request.body?.length ?? 0,
    },
    response: {
      status: response.status,
      statusText: '',
      httpVersion: 'HTTP/1.1',
      headers: (response.headers ?? []).map(([name, value]) => ({ name, value })),
      cookies: [],
      content: { size: response.body?.length ?? 0, mimeType: 'application/json', ...(response.body === undefined ? {} : { text: response.body }) },
      redirectURL: '',
      headersSize: -1,
      bodySize: -1,
    },
    cache: {},
    timings: { send: 0, wait: 20, receive: 0 },
  };
}

test.describe('HAR files', () => {
  test('exports a run as valid HAR 1.2; a HAR with planted secrets dropped on Explain is explained and reproduced, no secret reaching the page, the core or the disk', async ({
    page,
    parley,
    workDir,
  }) => {
    test.setTimeout(180_000);
    // Everything the page sends the core, to check that no planted secret goes along (the case included).
    const sent: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/op/')) sent.push(`${request.url()} ${request.postData() ?? ''}`);
    });
    await page.goto(parley.url);
    await createVault(page);

    // A JAR key, and an application authenticating with Private Key JWT (its keys in the vault).
    const app = await createPkjApplication(page, 'HAR');
    const issuer = parley.ready.issuer!;
    await op(page, 'flows.saveTarget', {
      target: {
        id: 'customer',
        name: 'Customer app',
        issuer,
        client_id: app.clientId,
        auth: { method: 'private_key_jwt', keyId: app.authKeyId, hasSecret: false },
        redirect_uri: 'http://127.0.0.1:53999/callback',
        scope: 'openid profile',
        jarKeyId: app.jarKeyId,
        embedded: true,
      },
    });

    await page.getByRole('link', { name: 'Flows' }).click();
    await page.getByLabel('Target', { exact: true }).selectOption({ label: 'Customer app' });
    await page.getByLabel('Flow kind').selectOption({ label: 'PAR + JAR' });
    await page.getByLabel('Request object overrides (JSON)').fill('{"aud": "https://wrong.example/"}');
    await page.getByRole('button', { name: 'Run flow' }).click();
    const push = page.getByRole('list', { name: 'Steps' }).getByRole('listitem', { name: /^Push/ });
    await expect(push).toContainText('JAR-11 failed');

    // Export HAR: HAR 1.2 by the published schema, the run's requests in it, its secret redacted.
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export HAR' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^parley-flow-par-jar-[\d-]+T[\d-]+\.har$/);
    const exported = await downloadText(download);
    const har = JSON.parse(exported) as HarDoc;
    const valid = validateHar(har);
    expect(valid.ok, valid.errors).toBe(true);
    expect(har.log.entries.map((e) => `${e.request.method} ${new URL(e.request.url).pathname}`)).toEqual([
      'GET /.well-known/openid-configuration',
      'POST /oauth/par',
    ]);

    // The customer's HAR: the run's requests as their browser recorded them, secrets and all.
    const par = har.log.entries[1]!;
    par.request.headers.push({ name: 'Cookie', value: `did=${PLANTED.cookie}` });
    par.request.cookies.push({ name: 'did', value: PLANTED.cookie });
    const at = par.startedDateTime;
    (har.log.entries as unknown[]).push(
      // The sign-in form (not an OAuth exchange: dropped whole, its password with it).
      entry(
        at,
        'POST',
        `${issuer}u/login`,
        { body: `username=jane%40example.com&password=${PLANTED.password}` },
        { status: 302, headers: [['Location', `${issuer}authorize/resume`]] },
      ),
      entry(
        at,
        'GET',
        `${issuer}authorize?client_id=${app.clientId}&response_type=code&redirect_uri=http%3A%2F%2F127.0.0.1%3A53999%2Fcallback&scope=openid&state=s1&code_challenge=abc&code_challenge_method=S256`,
        { cookies: [['auth0', PLANTED.cookie]] },
        {
          status: 302,
          headers: [['Location', `http://127.0.0.1:53999/callback?code=${PLANTED.code}&state=s1`]],
        },
      ),
      entry(
        at,
        'POST',
        `${issuer}oauth/token`,
        {
          body: `grant_type=authorization_code&code=${PLANTED.code}&code_verifier=${PLANTED.verifier}&client_id=${app.clientId}&client_secret=${PLANTED.clientSecret}&redirect_uri=http%3A%2F%2F127.0.0.1%3A53999%2Fcallback`,
        },
        { status: 200, body: JSON.stringify({ access_token: 'opaque-access', refresh_token: PLANTED.refreshToken, token_type: 'Bearer', expires_in: 86400 }) },
      ),
    );
    const customerHar = JSON.stringify(har, null, 2);

    // Dropped on Explain.
    await page.getByRole('link', { name: 'Explain' }).click();
    await dropFile(page, 'har-dropzone', 'customer.har', customerHar);
    const removed = page.getByTestId('har-removed');
    await expect(removed).toContainText('Removed: 1 client secret', { timeout: 30_000 });
    // The code twice: in the token request, and in the redirect that brought it back (the authorization response).
    for (const part of ['2 authorization codes', '1 PKCE verifier', '1 refresh token', '2 cookies']) await expect(removed).toContainText(part);
    await expect(page.getByText('4 OAuth exchanges found; 1 other request dropped unread.')).toBeVisible();

    // Every exchange listed, each explained with the Explain view; the failing PAR first, with JAR-11.
    const rows = page.getByRole('list', { name: 'OAuth exchanges in the file' }).getByRole('button');
    await expect(rows).toHaveCount(4);
    const view = page.locator('.har-exchange-view');
    await expect(rows.nth(1)).toHaveAttribute('aria-pressed', 'true');
    await expect(view.getByRole('heading')).toContainText('Pushed authorization request: POST');
    await expect(view).toContainText('400 invalid_request_object');
    // The profile is chosen by issuer, with its reason, and can be changed: 127.0.0.1 is judged by the
    // standards as written (RS256 is refused there for the request object and the client assertion, beside
    // the wrong aud); as Auth0, only JAR-11 fails.
    await expect(view).toContainText('Judged as Strict (RFC 9101 / FAPI 2.0): another server, so the standards as written.');
    await expect(view.locator('.explain-verdict')).toContainText('3 of');
    for (const rule of ['JAR-5', 'PKJ-6']) await expect(view.locator('.explain-list').first()).toContainText(rule);
    await expect(view.locator('.explain-list').first()).toContainText('JAR-11');
    await view.getByLabel('Profile').selectOption({ label: 'Auth0' });
    await expect(view).toContainText('Judged as Auth0: chosen by you.');
    await expect(view.locator('.explain-verdict')).toContainText('JAR-11 fails — 1 of');
    const kinds = ['Discovery', 'Pushed authorization request', 'Authorization request', 'Token request'];
    for (const [i, kind] of kinds.entries()) {
      await rows.nth(i).click();
      await expect(view.getByRole('heading')).toContainText(kind);
      await expect(view.locator('.explain-verdict')).toBeVisible();
    }
    await page.setViewportSize({ width: 1280, height: 1300 });
    await page.locator('.har-panel').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'har-explain.png') });

    // Reproduce the PAR exchange on the embedded server, with the client's public key pasted.
    // The client's public keys as a customer would send them: a JWKS of both (kid = thumbprint, as Auth0's).
    const keys = await Promise.all(
      [app.jarKeyId, app.authKeyId].map((id) => op<{ thumbprint: string; publicJwk: Record<string, unknown> }>(page, 'keys.get', { id })),
    );
    const jwks = JSON.stringify({ keys: keys.map((k) => ({ ...k.publicJwk, kid: k.thumbprint })) });
    await rows.nth(1).click();
    // The profile chosen (Auth0) stayed while the other exchanges were looked at: the replay runs under it.
    await expect(view).toContainText('Judged as Auth0: chosen by you.');
    await view.getByLabel("Client's public key (optional)").fill(jwks);
    await view.getByRole('button', { name: 'Reproduce on the embedded server' }).click();
    const preview = page.getByRole('dialog', { name: /^Import case: PAR \+ JAR/ });
    await expect(preview).toBeVisible({ timeout: 20_000 });
    await expect(preview).toContainText(app.clientId);
    await preview.getByRole('button', { name: 'Replace and import' }).click();
    const caseView = page.getByRole('dialog', { name: /^Case: PAR \+ JAR/ });
    await expect(caseView).toBeVisible({ timeout: 20_000 });
    await expect(caseView.locator('.case-outcome')).toContainText('JAR-11');
    await expect(caseView).toContainText('POST /oauth/par → 400');

    // No planted secret on the screen, in anything the page sent the core (the case included), or on disk.
    const pageText = `${await page.content()}\n${await page.locator('body').innerText()}`;
    const written = filesBelow(parley.dataDir).map((file) => readFileSync(file, 'latin1'));
    expect(sent.some((s) => s.includes('har.caseFromExchange'))).toBe(true);
    for (const [name, secret] of Object.entries(PLANTED)) {
      expect(pageText, name).not.toContain(secret);
      expect(sent.join('\n'), name).not.toContain(secret);
      for (const file of written) expect(file, name).not.toContain(secret);
    }
    await page.keyboard.press('Escape');
    await expect(caseView).toBeHidden();

    // Bad input: a HAR cut short, and JSON that is not a HAR, each named.
    const truncated = join(workDir, 'truncated.har');
    writeFileSync(truncated, customerHar.slice(0, Math.floor(customerHar.length / 2)));
    await page.locator('.har-panel input[type="file"]').setInputFiles(truncated);
    await expect(page.getByRole('alert').filter({ hasText: 'truncated.har could not be read' })).toContainText('The file was cut short');
    const notHar = join(workDir, 'package.json');
    writeFileSync(notHar, JSON.stringify({ name: 'not-a-har', version: '1.0.0' }));
    await page.locator('.har-panel input[type="file"]').setInputFiles(notHar);
    await expect(page.getByRole('alert').filter({ hasText: 'package.json could not be read' })).toContainText('not a HAR file');
    await expect(page.getByRole('alert').filter({ hasText: 'package.json could not be read' })).toContainText('name, version');
    // A 200 MB file is refused by its size, before anything is read (a sparse file: nothing is written to disk).
    const huge = join(workDir, 'huge.har');
    writeFileSync(huge, '');
    truncateSync(huge, 200 * 1024 * 1024);
    await page.locator('.har-panel input[type="file"]').setInputFiles(huge);
    await expect(page.getByRole('alert').filter({ hasText: 'huge.har could not be read' })).toContainText('larger than 100 MB');

    // Flows › Import HAR opens the same panel.
    const customerPath = join(workDir, 'customer.har');
    writeFileSync(customerPath, customerHar);
    await page.getByRole('link', { name: 'Flows' }).click();
    await page.getByRole('button', { name: 'Import HAR' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import a HAR file' });
    await dialog.locator('input[type="file"]').setInputFiles(customerPath);
    await expect(dialog.getByTestId('har-removed')).toContainText('Removed: 1 client secret');
    await expect(dialog.getByRole('list', { name: 'OAuth exchanges in the file' }).getByRole('button')).toHaveCount(4);
    await expect(dialog.locator('.explain-verdict')).toBeVisible();
  });
});
