import { join } from 'node:path';
import { SCREENSHOT_DIR, expect, test } from './fixtures';
import { createVault, generateKey, op } from './helpers';

test.describe('Compose screen', () => {
  test('composes a JAR request object from the template, lints aud live, and signs it with a vault key', async ({ page, parley }) => {
    const issuer = parley.ready.issuer!;
    expect(issuer).toMatch(/\/$/);
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to apply/i.test(message.text())) violations.push(message.text());
    });

    await page.goto(parley.url);
    await createVault(page);
    await generateKey(page, 'JAR key for Compose', 'RSA-2048', ['JAR signing']);

    // The "Key generated" toast would cover the screenshots.
    await page.locator('.toaster').getByRole('button', { name: 'Dismiss' }).click();
    await page.getByRole('link', { name: 'Compose' }).click();
    await expect(page.getByRole('heading', { name: 'Compose', level: 1 })).toBeVisible();
    await expect(page.getByRole('tab', { name: 'Request object' })).toHaveAttribute('aria-selected', 'true');
    // A typed client_id: the lint checks the claims only (an embedded-server application would also have its
    // callbacks and credentials checked; see "checks the draft against the application's registration").
    await page.getByLabel('Client from').selectOption({ label: 'Typed client ID' });
    await page.getByLabel('Typed client ID').fill('my-client-id');
    await expect(page.getByText('not an application of the embedded server')).toBeVisible();
    await page.getByLabel('Templates').selectOption({ label: 'JAR for the authorization code flow' });

    const aud = page.getByLabel('aud', { exact: true });
    await expect(aud).toHaveValue(issuer);
    await expect(page.getByLabel('response_type', { exact: true })).toHaveValue('code');
    await expect(page.getByLabel('scope', { exact: true })).toHaveValue('openid profile');
    await expect(page.getByLabel('redirect_uri', { exact: true })).toHaveValue('https://myapp.com/callback');
    await expect(page.getByLabel('typ', { exact: true })).toHaveValue('oauth-authz-req+jwt');
    await expect(page.getByLabel('alg', { exact: true })).toHaveValue('RS256');

    const findings = page.getByRole('list', { name: 'Lint findings' });
    const jar11 = findings.getByRole('listitem').filter({ hasText: /^JAR-11/ });
    await expect(page.getByText('No problems')).toBeVisible();
    await expect(jar11).toHaveCount(0);

    // The JSON editor shows the same claims.
    const editor = page.getByRole('textbox', { name: 'Claims (JSON)' });
    await expect(editor).toContainText(`"aud": "${issuer}"`);

    // Dropping the trailing slash breaks JAR-11; restoring it fixes it.
    await aud.fill(issuer.slice(0, -1));
    await expect(jar11).toHaveCount(1);
    await expect(jar11).toContainText('trailing slash');
    await expect(page.getByText('1 problem', { exact: true })).toBeVisible();
    await expect(editor).toContainText(`"aud": "${issuer.slice(0, -1)}"`);
    await jar11.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'compose-lint.png') });
    await aud.fill(issuer);
    await expect(jar11).toHaveCount(0);
    await expect(page.getByText('No problems')).toBeVisible();

    // No typ (as express-openid-connect 3.4.0 signs): the Auth0 profile accepts it, so a warning, not a problem.
    const typ = page.getByLabel('typ', { exact: true });
    await typ.selectOption({ label: '(absent)' });
    const warnings = page.getByRole('list', { name: 'Lint warnings' });
    await expect(warnings.getByRole('listitem').filter({ hasText: /^JAR-6/ })).toContainText('express-openid-connect 3.4.0 sends none');
    await expect(page.getByText('1 warning', { exact: true })).toBeVisible();
    await expect(page.getByText('No problems')).toBeVisible();
    await typ.selectOption('oauth-authz-req+jwt');
    await expect(warnings).toHaveCount(0);

    await page.getByRole('button', { name: 'Sign', exact: true }).click();
    const compact = page
      .locator('.code-block')
      .filter({ has: page.getByRole('heading', { name: 'Compact JWS' }) })
      .locator('pre');
    await expect(compact).toHaveText(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const jws = ((await compact.textContent()) ?? '').trim();
    expect(jws.split('.')).toHaveLength(3);
    const header = JSON.parse(Buffer.from(jws.split('.')[0]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(header).toMatchObject({ alg: 'RS256', typ: 'oauth-authz-req+jwt' });
    await expect(page.getByText(`${issuer}authorize?client_id=`)).toBeVisible();
    await expect(page.getByRole('link', { name: 'Open in Inspect' })).toHaveAttribute('href', `#/inspect?token=${encodeURIComponent(jws)}`);

    // CodeMirror's styles arrive through constructable stylesheets: styled, and no CSP violation.
    const gutterDisplay = await page
      .locator('.cm-gutters')
      .first()
      .evaluate((el) => getComputedStyle(el).display);
    expect(gutterDisplay).toBe('flex');
    expect(violations).toEqual([]);

    // The screen scrolls inside the shell: a tall window shows the whole of it.
    await page.setViewportSize({ width: 1280, height: 2400 });
    await page.locator('.screen').evaluate((el) => el.scrollTo(0, 0));
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'compose.png') });

    // Client assertion mode: the JAR key is offered only with "Show all keys", with a usage warning.
    await page.getByRole('tab', { name: 'Client assertion' }).click();
    await expect(page.getByLabel('Signing key')).toHaveValue('');
    await page.getByRole('checkbox', { name: 'Show all keys' }).check();
    await expect(page.getByText('This key is not marked for this use')).toBeVisible();
    await expect(page.getByLabel('sub', { exact: true })).toHaveValue(await page.getByLabel('iss', { exact: true }).inputValue());
    await expect(page.getByLabel('aud', { exact: true })).toHaveValue(issuer);
    await expect(page.getByText('No problems')).toBeVisible();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'compose-assertion.png') });
  });

  test('checks the draft against the application’s registration: its first callback is filled in, and an unregistered one is RED-1 as on the server', async ({
    page,
    parley,
  }) => {
    await page.goto(parley.url);
    await createVault(page);
    await generateKey(page, 'JAR key for lint', 'RSA-2048', ['JAR signing']);
    const key = (await op<{ id: string; name: string }[]>(page, 'keys.list', {})).find((k) => k.name === 'JAR key for lint')!;
    const callbacks = ['https://app.example.test/callback', 'https://app.example.test/second'];
    const client = await op<{ client_id: string }>(page, 'server.createClient', { body: { name: 'Lint app', app_type: 'regular_web', callbacks } });
    await op(page, 'server.createCredential', {
      clientId: client.client_id,
      fromVaultKey: { keyId: key.id, name: 'Lint JAR credential', alg: 'RS256' },
      attachTo: 'signed_request_object',
    });
    await page.locator('.toaster').getByRole('button', { name: 'Dismiss' }).first().click();

    await page.getByRole('link', { name: 'Compose' }).click();
    await page.getByLabel('Templates').selectOption({ label: 'JAR for the authorization code flow' });
    // A new draft carries iat, exp and jti.
    for (const claim of ['iat', 'exp', 'jti']) await expect(page.getByLabel(claim, { exact: true })).not.toHaveValue('');
    const findings = page.getByRole('list', { name: 'Lint findings' });
    // Picking the application fills its first callback, and the lint checks its registration.
    await page.getByLabel('Client', { exact: true }).selectOption(client.client_id);
    const redirectUri = page.getByLabel('redirect_uri', { exact: true });
    await expect(redirectUri).toHaveValue(callbacks[0]!);
    await expect(page.getByText('also checks this application’s registration')).toBeVisible();
    await expect(page.getByText('No problems')).toBeVisible();

    // The docs' placeholder is not registered: RED-1, as the server answers.
    await redirectUri.fill('https://myapp.com/callback');
    const red1 = findings.getByRole('listitem').filter({ hasText: /^RED-1/ });
    await expect(red1).toHaveCount(1);
    await expect(red1).toContainText('https://myapp.com/callback');
    await page.getByRole('button', { name: 'Sign', exact: true }).click();
    const url = await page
      .locator('.code-block')
      .filter({ has: page.getByRole('heading', { name: 'Authorization URL' }) })
      .locator('pre')
      .textContent();
    const answer = await page.request.get((url ?? '').trim(), { maxRedirects: 0 });
    expect(answer.status()).toBe(400);
    expect(await answer.text()).toContain('Callback URL mismatch');

    // A client that requires PAR: sending the object to /authorize is AZR-8; pushing it is fine.
    await redirectUri.fill(callbacks[1]!);
    await expect(page.getByText('No problems')).toBeVisible();
    await op(page, 'server.updateClient', { clientId: client.client_id, body: { require_pushed_authorization_requests: true } });
    await page.getByRole('link', { name: 'Server' }).click();
    await page.getByRole('link', { name: 'Compose' }).click();
    await expect(findings.getByRole('listitem').filter({ hasText: /^AZR-8/ })).toContainText('must be pushed');
    await page.getByLabel('Sent to').selectOption({ label: '/oauth/par (pushed authorization request)' });
    await expect(page.getByText('No problems')).toBeVisible();
  });
});
