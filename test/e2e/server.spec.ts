import { join } from 'node:path';
import { SCREENSHOT_DIR, expect, test } from './fixtures';
import { createVault, generateKey, selectedThumbprint } from './helpers';

test.describe('Server screen', () => {
  test('web mode starts the embedded server and its ready line carries the issuer, the Management client and a user', async ({ parley }) => {
    const { issuer, management, users } = parley.ready;
    expect(issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(management?.audience).toBe(`${issuer}api/v2/`);
    expect(users?.[0]?.email).toContain('@');
    const token = await fetch(`${issuer}oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: management!.client_id,
        client_secret: management!.client_secret,
        audience: management!.audience,
      }),
    });
    expect(token.status).toBe(200);
  });

  test('creates an application, adds a JAR credential from a vault key, and shows the Management trace in Logs', async ({ page, parley }) => {
    await page.goto(parley.url);
    await createVault(page);
    await generateKey(page, 'JAR key for Server', 'RSA-2048', ['JAR signing']);
    const thumbprint = await selectedThumbprint(page, 'JAR key for Server');

    await page.getByRole('link', { name: 'Server' }).click();
    await expect(page.getByText(/http:\/\/127\.0\.0\.1:\d+\//).first()).toBeVisible();

    await page.getByRole('button', { name: 'Create application' }).click();
    const create = page.getByRole('dialog');
    await create.getByLabel('Name').fill('My App using JAR');
    await create.getByLabel('Application type').selectOption({ label: 'Regular Web Application' });
    await create.getByLabel('Allowed Callback URLs').fill('https://myapp.com/callback');
    await create.getByRole('button', { name: 'Create', exact: true }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);

    // A new application opens on its detail.
    await expect(page.getByRole('heading', { name: 'My App using JAR' })).toBeVisible();
    await page.getByRole('tab', { name: 'Credentials' }).click();
    await page.getByRole('button', { name: 'Add credential' }).click();
    const add = page.getByRole('dialog');
    await add.getByLabel('Name').fill('My credential for JAR');
    await add.getByRole('radio', { name: 'Use a vault key' }).check();
    const vaultKey = add.getByRole('combobox', { name: 'Vault key' });
    const option = vaultKey.locator('option', { hasText: 'JAR key for Server' });
    await vaultKey.selectOption(await option.getAttribute('value'));
    await add.getByRole('radio', { name: 'JAR (signed request objects)' }).check();
    await add.getByRole('button', { name: 'Add', exact: true }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);

    // The credential's kid is the vault key's RFC 7638 thumbprint, as Auth0 assigns it.
    const row = page.getByRole('row', { name: /My credential for JAR/ });
    await expect(row).toContainText(`${thumbprint.slice(0, 8)}…${thumbprint.slice(-6)}`);
    await expect(row).toContainText('JAR');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'server-credentials.png'), fullPage: true });

    await page.getByRole('tab', { name: 'Logs' }).click();
    const logRow = page.getByRole('button', { name: /Open trace of POST \/api\/v2\/clients\/.*\/credentials \(201\)|Open trace of PATCH/ }).first();
    await expect(logRow).toBeVisible();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'server-logs.png'), fullPage: true });
  });

  test('the HTTPS switch is remembered, applies on restart, and shows the CA file and how to trust it', async ({ page, parley }) => {
    await page.goto(parley.url);
    await createVault(page);
    await page.getByRole('link', { name: 'Server' }).click();
    await expect(page.getByText(/^http:\/\/127\.0\.0\.1:\d+\/$/).first()).toBeVisible();

    await page.getByRole('switch', { name: 'Serve over HTTPS' }).check();
    await expect(page.getByText('The server switches to HTTPS when it restarts.')).toBeVisible();
    await page.getByRole('button', { name: 'Restart server' }).click();

    const issuerText = page.getByText(/^https:\/\/127\.0\.0\.1:\d+\/$/).first();
    await expect(issuerText).toBeVisible();
    const caPath = page.getByText(/tls[\\/]ca\.pem$/);
    await expect(caPath).toBeVisible();
    await expect(page.getByText(/^https:\/\/127\.0\.0\.1:\d+\/api\/v2\/$/)).toBeVisible();
    await page.getByText('Trust the local certificate authority').click();
    await expect(page.getByText('Node.js: set NODE_EXTRA_CA_CERTS to the CA file.')).toBeVisible();
    await expect(page.getByRole('switch', { name: 'Serve over HTTPS' })).toBeChecked();

    // The issuer really is https, with a certificate the shown CA file verifies.
    const issuer = (await issuerText.textContent())!.trim();
    const { Agent, fetch: undiciFetch } = await import('undici');
    const { readFileSync } = await import('node:fs');
    const ca = readFileSync((await caPath.textContent())!.trim(), 'utf8');
    const doc = await undiciFetch(`${issuer}.well-known/openid-configuration`, { dispatcher: new Agent({ connect: { ca } }) });
    expect(((await doc.json()) as { issuer: string }).issuer).toBe(issuer);
  });

  test('shows a rejected request with its failing rule id in the live log', async ({ page, parley }) => {
    await page.goto(parley.url);
    await createVault(page);
    await page.getByRole('link', { name: 'Server' }).click();
    await page.getByRole('tab', { name: 'Logs' }).click();
    const issuer = (await page
      .getByText(/^http:\/\/127\.0\.0\.1:\d+\/$/)
      .first()
      .textContent())!.trim();
    // A PAR request sent as GET breaks PAR-1: the server answers 405 and the trace names the rule.
    const res = await fetch(`${issuer}oauth/par`);
    expect(res.status).toBe(405);
    const row = page.getByRole('button', { name: 'Open trace of GET /oauth/par (405)' });
    await expect(row).toBeVisible();
    await row.click();
    const dialog = page.getByRole('dialog');
    await expect(dialog).toContainText('PAR-1');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'server-trace.png'), fullPage: true });
  });
});
