/**
 * Explain in web mode, in a real browser: a customer's request object pasted with its public JWK (signed
 * here, with a wrong aud) has JAR-11 on top with expected, actual and a fix, its signature checked by the
 * core; an /authorize URL with both request and request_uri has JAR-1 on top; malformed input and keys are
 * named. Then Explain from a flow step and from a Server log entry, against the embedded server.
 */
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { Page } from '@playwright/test';
import { SCREENSHOT_DIR, expect, test } from './fixtures';
import { createVault, op } from './helpers';

const ISSUER = 'https://tenant.example.com/';

/** The whole screen in one picture: the screen scrolls inside the window, so the window is made tall enough. */
async function shoot(page: Page, name: string): Promise<void> {
  const height = await page.locator('.explain-screen').evaluate((el) => el.scrollHeight);
  await page.setViewportSize({ width: 1280, height: Math.min(Math.max(height + 40, 800), 6000) });
  await page.screenshot({ path: join(SCREENSHOT_DIR, name) });
  await page.setViewportSize({ width: 1280, height: 800 });
}

test.describe('Explain', () => {
  test('explains a pasted request object with a wrong aud, an authorize URL with request and request_uri, and names malformed input', async ({
    page,
    parley,
  }) => {
    // The customer's key and request object, made here: RS256, aud naming another server.
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'customer-key-1', use: 'sig' };
    const now = Math.floor(Date.now() / 1000);
    const requestObject = await new SignJWT({
      iss: 'customer-app',
      aud: 'https://wrong.example/',
      client_id: 'customer-app',
      response_type: 'code',
      redirect_uri: 'https://app.example/cb',
      scope: 'openid',
      state: 's1',
      nonce: 'n1',
      iat: now,
      nbf: now,
      exp: now + 300,
    })
      .setProtectedHeader({ alg: 'RS256', typ: 'oauth-authz-req+jwt', kid: 'customer-key-1' })
      .sign(privateKey);

    await page.goto(parley.url);
    await createVault(page);
    await page.getByRole('link', { name: 'Explain' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Explain' })).toBeVisible();
    // The new entry sits right after Inspect, the others keep their order.
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link')).toHaveText([
      'Keys',
      'Compose',
      'Inspect',
      'Explain',
      'Flows',
      'Server',
      'Settings',
    ]);

    const request = page.getByRole('textbox', { name: 'Request', exact: true });
    await request.fill(requestObject);
    await expect(page.getByText('Detected: a JWT, explained as a request object.')).toBeVisible();
    // Never prefilled from the token's aud (the customer's claim is what is being checked): the real issuer is typed.
    const issuer = page.getByRole('textbox', { name: 'Expected issuer' });
    await expect(issuer).toHaveValue('');
    await expect(page.getByRole('textbox', { name: 'Expected client_id' })).toHaveValue('customer-app');
    await issuer.fill(ISSUER);
    await page.getByRole('textbox', { name: 'Public key (optional)' }).fill(JSON.stringify(jwk, null, 2));
    await page.getByRole('button', { name: 'Explain', exact: true }).click();

    const result = page.getByRole('region', { name: 'Explanation (Auth0 profile)' });
    await expect(result).toContainText(/^Explanation \(Auth0 profile\)Evaluated at [0-9T:Z-]+ \(now\)\.JAR-11 fails — 1 of \d+ rules failed\./);
    const rules = result.getByRole('list', { name: 'Rules applied, the first failing on top' });
    const first = rules.getByRole('listitem').first();
    await expect(first).toContainText('JAR-11');
    await expect(first).toContainText('Failed');
    await expect(first).toContainText(`Expected${ISSUER} (or an array containing it)`);
    await expect(first).toContainText('Actualhttps://wrong.example/');
    await expect(first).toContainText('How to fix: Set aud to the issuer exactly as discovery publishes it');
    await expect(first.getByRole('link', { name: 'RFC 9101 §4' })).toHaveAttribute('href', 'https://www.rfc-editor.org/rfc/rfc9101#section-4');
    // The signature, verified by the core against the pasted JWK, passes: among the passes, collapsed.
    await expect(rules.getByRole('listitem').filter({ hasText: 'Failed' })).toHaveCount(1);
    await result.getByText(/^Rules passed: \d+$/).click();
    await expect(result.getByRole('list', { name: 'Rules passed' }).getByRole('listitem').filter({ hasText: 'JAR-8' })).toContainText(
      'verified by kid customer-key-1',
    );
    await shoot(page, 'explain.png');

    // The same token against another key: JAR-11 still on top, JAR-8 now fails too.
    const other = await exportJWK((await generateKeyPair('RS256')).publicKey);
    await page.getByRole('textbox', { name: 'Public key (optional)' }).fill(JSON.stringify({ keys: [other] }));
    await page.getByRole('button', { name: 'Explain', exact: true }).click();
    await expect(rules.getByRole('listitem').filter({ hasText: 'Failed' })).toHaveCount(2);
    await expect(rules.getByRole('listitem').first()).toContainText('JAR-11');
    await expect(rules.getByRole('listitem').nth(1)).toContainText('JAR-8');

    // A malformed key is named, and the rest is still explained.
    await page.getByRole('textbox', { name: 'Public key (optional)' }).fill('ssh-rsa AAAAB3NzaC1yc2E');
    await page.getByRole('button', { name: 'Explain', exact: true }).click();
    await expect(page.getByRole('alert')).toContainText('Malformed key');
    await expect(page.getByRole('alert')).toContainText('neither PEM (PUBLIC KEY or CERTIFICATE) nor JSON');
    await expect(rules.getByRole('listitem').first()).toContainText('JAR-11');
    await expect(result).toContainText('signature not checked');

    // An /authorize URL with both request and request_uri: JAR-1 on top; the issuer typed before is kept.
    await page.getByRole('textbox', { name: 'Public key (optional)' }).fill('');
    await request.fill(`${ISSUER}authorize?client_id=customer-app&request=${requestObject}&request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3Aabc`);
    await expect(page.getByText('Detected: an authorization URL carrying a request object.')).toBeVisible();
    await expect(issuer).toHaveValue(ISSUER);
    await page.getByRole('button', { name: 'Explain', exact: true }).click();
    const top = rules.getByRole('listitem').first();
    await expect(top).toContainText('JAR-1');
    await expect(top).toContainText('Expectedrequest or request_uri, not both');
    await expect(top).toContainText('Actualboth');
    await expect(top).toContainText('How to fix: Send either the request object (request) or a pushed request_uri, not both.');

    // Input that is not a request says why.
    for (const [text, problem] of [
      ['aaa.bbb.ccc.ddd.eee', 'JWE not supported'],
      ['https://tenant example.com/authorize?x=1', 'Not a URL'],
      ['client_id=a&oops', 'Not a form body: “oops” is not name=value'],
      ['aaa.bbb', 'Not a JWT: the token has 2 dot-separated parts'],
      ['hello', 'Not recognised'],
    ] as const) {
      await request.fill(text);
      await page.getByRole('button', { name: 'Explain', exact: true }).click();
      await expect(page.getByRole('alert')).toContainText(problem);
      await expect(result).toHaveCount(0);
    }

    // Inspect: the decoded token, explained as the Lint tab judges it, with the Verify tab's verdict.
    await page.getByRole('link', { name: 'Inspect' }).click();
    await page.getByRole('textbox', { name: 'Token', exact: true }).fill(requestObject);
    await page.getByLabel('Verify with').selectOption({ label: 'Paste a key or JWKS' });
    await page.getByRole('textbox', { name: 'Verification key' }).fill(JSON.stringify(jwk));
    await page.getByRole('button', { name: 'Verify', exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: /^Signature/ })).toHaveText(/^Signature valid/);
    await page.getByRole('button', { name: 'Explain', exact: true }).click();
    const inspectDialog = page.getByRole('dialog', { name: 'Explain · Request object (JAR) (Auth0 profile)' });
    const inspectRules = inspectDialog.getByRole('list', { name: 'Rules applied, the first failing on top' }).getByRole('listitem');
    // The lint compares aud with the embedded server's issuer by default.
    await expect(inspectRules.first()).toContainText('JAR-11');
    await inspectDialog.getByText(/^Rules passed: \d+$/).click();
    await expect(inspectDialog.getByRole('list', { name: 'Rules passed' }).getByRole('listitem').filter({ hasText: 'JAR-8' })).toContainText(
      'verified by kid customer-key-1',
    );
  });

  test('explains a rejected flow step and its Server log entry, the failing rule on top', async ({ page, parley, context }) => {
    test.setTimeout(90_000);
    await page.goto(parley.url);
    await createVault(page);

    // Set-up through the contract, as in flows.spec.ts: a JAR key, an auth key, an application with both credentials.
    const jarKey = await op<{ id: string }>(page, 'keys.generate', { name: 'Explain JAR key', spec: { kty: 'RSA', modulusLength: 2048 }, usages: ['jar'] });
    const authKey = await op<{ id: string }>(page, 'keys.generate', {
      name: 'Explain auth key',
      spec: { kty: 'RSA', modulusLength: 2048 },
      usages: ['client-auth'],
    });
    const client = await op<{ client_id: string }>(page, 'server.createClient', {
      body: {
        name: 'Explain App',
        app_type: 'regular_web',
        callbacks: [],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    });
    await op(page, 'server.createCredential', {
      clientId: client.client_id,
      fromVaultKey: { keyId: jarKey.id, name: 'jar', alg: 'RS256' },
      attachTo: 'signed_request_object',
    });
    await op(page, 'server.createCredential', {
      clientId: client.client_id,
      fromVaultKey: { keyId: authKey.id, name: 'pkj', alg: 'RS256' },
      attachTo: 'private_key_jwt',
    });

    await page.getByRole('link', { name: 'Flows' }).click();
    await page.getByRole('button', { name: 'New target' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Application', { exact: true }).selectOption({ label: 'Explain App' });
    await dialog.getByLabel('Client authentication').selectOption('private_key_jwt');
    await dialog.getByLabel('Client assertion key').selectOption({ label: 'Explain auth key' });
    await dialog.getByLabel('Request object key').selectOption({ label: 'Explain JAR key' });
    await dialog.getByRole('button', { name: 'Save target' }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);

    // JAR by value with a wrong aud: the server refuses it at /authorize (JAR-11).
    await page.getByLabel('Flow kind').selectOption({ label: 'JAR by value' });
    await page.getByLabel('Request object overrides (JSON)').fill('{"aud": "https://wrong.example/"}');
    const opened = context.waitForEvent('page');
    await page.getByRole('button', { name: 'Run flow' }).click();
    // The click opens a blank tab at once and sends it to the authorize URL later; closing it before the
    // browser has asked for /authorize would leave the run waiting, so it is closed once the step failed.
    const tab = await opened;
    const timeline = page.getByRole('list', { name: 'Steps' });
    const authorize = timeline.getByRole('listitem', { name: /^Authorize/ });
    await expect(authorize).toContainText('JAR-11 failed');
    await tab.close();

    // Explain on the step: the server's trace, the deciding rule on top.
    await authorize.getByRole('button', { name: 'Explain' }).click();
    const explainDialog = page.getByRole('dialog', { name: 'Explain · Authorize' });
    const first = explainDialog.getByRole('list', { name: 'Rules applied, the first failing on top' }).getByRole('listitem').first();
    await expect(first).toContainText('JAR-11');
    await expect(first).toContainText('Actualhttps://wrong.example/');
    await expect(first).toContainText('How to fix:');
    await expect(explainDialog).toContainText(/JAR-11 fails — 1 of \d+ rules failed\./);
    for (const dismiss of await page.locator('.toaster').getByRole('button', { name: 'Dismiss' }).all()) await dismiss.click();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'explain-step.png') });
    await explainDialog.getByRole('button', { name: 'Close' }).last().click();
    await expect(page.getByRole('dialog')).toHaveCount(0);

    // The build step (no request reached the server) is explained by the shared lint with the server's profile.
    const build = timeline.getByRole('listitem', { name: /^Build/ });
    await build.getByRole('button', { name: 'Explain' }).click();
    const lintDialog = page.getByRole('dialog', { name: /^Explain · Build \(lint, Auth0 profile\)/ });
    await expect(lintDialog.getByRole('listitem').first()).toContainText('JAR-11');
    await lintDialog.getByRole('button', { name: 'Close' }).last().click();

    // Server → Logs: the same request, explained from its row and from its trace.
    await page.getByRole('link', { name: 'Server' }).click();
    await page.getByRole('tab', { name: 'Logs' }).click();
    const row = page.getByRole('row').filter({ hasText: 'JAR-11' }).first();
    await row.getByRole('button', { name: 'Explain' }).click();
    const logDialog = page.getByRole('dialog', { name: /^Explain · GET \/authorize/ });
    await expect(logDialog.getByRole('listitem').first()).toContainText('JAR-11');
    await expect(logDialog.getByRole('listitem').first()).toContainText('How to fix:');
    await logDialog.getByRole('button', { name: 'Close' }).last().click();
    await expect(page.getByRole('dialog')).toHaveCount(0);

    await row.getByRole('button', { name: /^Open trace of GET/ }).click();
    const trace = page.getByRole('dialog');
    await trace.getByRole('button', { name: 'Explain' }).click();
    await expect(trace.getByRole('list', { name: 'Rules applied, the first failing on top' }).getByRole('listitem').first()).toContainText('JAR-11');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'explain-trace.png') });
    // And back to the plain trace.
    await trace.getByRole('button', { name: 'Show the trace' }).click();
    await expect(trace.getByRole('heading', { name: /^Rules applied/ })).toBeVisible();
  });

  test("a support engineer's answer: the issuer never taken from the token, evaluated at the token's iat, failures first, sources linked", async ({
    page,
    parley,
  }) => {
    // A request object from a customer's log, an hour old, whose aud is their custom domain.
    const { privateKey } = await generateKeyPair('RS256');
    const sent = Math.floor(Date.now() / 1000) - 3600;
    const customDomain = 'https://login.customer.example/';
    const requestObject = await new SignJWT({
      iss: 'customer-app',
      aud: customDomain,
      client_id: 'customer-app',
      response_type: 'code',
      redirect_uri: 'https://app.example/cb',
      scope: 'openid',
      state: 's1',
      nonce: 'n1',
      iat: sent,
      nbf: sent,
      exp: sent + 300,
    })
      .setProtectedHeader({ alg: 'RS256', typ: 'oauth-authz-req+jwt' })
      .sign(privateKey);

    await page.goto(parley.url);
    await createVault(page);
    await page.getByRole('link', { name: 'Explain' }).click();
    await page.getByRole('textbox', { name: 'Request', exact: true }).fill(requestObject);
    const issuer = page.getByRole('textbox', { name: 'Expected issuer' });
    await expect(issuer).toHaveValue('');
    const explain = page.getByRole('button', { name: 'Explain', exact: true });
    await explain.click();

    // No issuer given: JAR-11 is not evaluated, says what to give, and the verdict never says all passed.
    const result = page.getByRole('region', { name: 'Explanation (Auth0 profile)' });
    const open = result.getByRole('list', { name: 'Rules applied, the first failing on top' });
    const jar11 = open.getByRole('listitem').filter({ hasText: 'JAR-11' });
    await expect(jar11).toContainText('Not evaluated');
    await expect(jar11).toContainText('give the expected issuer');
    await expect(result).not.toContainText(/All \d+ rules passed/);
    await expect(result).toContainText(/Not evaluated: 1/);
    // Judged now, the hour-old token has expired (JAR-13), a failure on top, before JAR-11.
    await expect(open.getByRole('listitem').first()).toContainText('JAR-13');
    await expect(result).toContainText(/Evaluated at \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z \(now\)\./);

    // Evaluated at the token's iat, JAR-13 passes; the time chosen is shown.
    await page.getByRole('radio', { name: 'The token’s iat' }).check();
    await explain.click();
    const iso = new Date(sent * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    await expect(result).toContainText(`Evaluated at ${iso} (the token’s iat).`);
    await expect(open.getByRole('listitem').filter({ hasText: 'JAR-13' })).toHaveCount(0);
    await expect(result).toContainText(/^Explanation \(Auth0 profile\)Evaluated at .*Passed: \d+\. Not evaluated: 1/);

    // A time typed from the log line (UTC, no offset) works the same way.
    await page.getByRole('radio', { name: 'A time I type' }).check();
    await page.getByRole('textbox', { name: 'Time', exact: true }).fill(iso.replace('T', ' ').replace('Z', ''));
    await explain.click();
    await expect(result).toContainText(`Evaluated at ${iso} (the time typed).`);
    await expect(open.getByRole('listitem').filter({ hasText: 'JAR-13' })).toHaveCount(0);

    // The real issuer, typed: JAR-11 now fails (the custom domain is not the tenant's issuer), on top.
    await issuer.fill(ISSUER);
    await explain.click();
    const first = open.getByRole('listitem').first();
    await expect(first).toContainText('JAR-11');
    await expect(first).toContainText('Failed');
    await expect(first).toContainText(`Actual${customDomain}`);
    await expect(result).toContainText(/JAR-11 fails — 1 of \d+ rules failed\./);
    await expect(result).not.toContainText('Not evaluated');

    // Failures first; the passes collapsed under "Rules passed: N", opened on demand.
    const passedToggle = result.getByText(/^Rules passed: \d+$/);
    await expect(passedToggle).toBeVisible();
    const passes = result.getByRole('list', { name: 'Rules passed' });
    await expect(passes).toBeHidden();
    await passedToggle.click();
    await expect(passes).toBeVisible();
    await expect(passes.getByRole('listitem').filter({ hasText: 'JAR-13' })).toHaveCount(1);

    // Every source a link: the RFC section and the Auth0 page, never a bare "(A1)".
    await expect(first.getByRole('link', { name: 'RFC 9101 §4' })).toHaveAttribute('href', 'https://www.rfc-editor.org/rfc/rfc9101#section-4');
    await expect(first.getByRole('link', { name: 'Auth0 JAR docs' })).toHaveAttribute('href', /^https:\/\/auth0\.com\/docs\//);
    await expect(result).not.toContainText('(A1)');

    // A saved target gives the issuer too: the built-in one, the embedded server's.
    await issuer.fill('');
    const target = page.getByLabel('Saved target');
    await target.selectOption({ index: 1 });
    await expect(issuer).toHaveValue(/^https?:\/\/127\.0\.0\.1:\d+\/$/);
    // And Check issuer reads it from the discovery document (flows.discover, in the core).
    await page.getByRole('button', { name: 'Check issuer' }).click();
    await expect(page.getByText(/^Discovery publishes the issuer https?:\/\/127\.0\.0\.1:\d+\/\.$/)).toBeVisible();

    // The in-app rule reference: a link to a rule opens its entry.
    await page.evaluate(() => {
      window.location.hash = '#/explain?rule=JAR-13';
    });
    const reference = page.locator('details.explain-reference');
    await expect(reference).toHaveAttribute('open', '');
    await expect(page.locator('#rule-JAR-13')).toBeVisible();
  });

  test('Explain in Japanese: the issuer not evaluated, the evaluation time, the passes collapsed', async ({ page, parley }) => {
    const { privateKey } = await generateKeyPair('RS256');
    const now = Math.floor(Date.now() / 1000);
    const requestObject = await new SignJWT({
      iss: 'customer-app',
      aud: 'https://login.customer.example/',
      client_id: 'customer-app',
      response_type: 'code',
      redirect_uri: 'https://app.example/cb',
      scope: 'openid',
      iat: now - 3600,
      exp: now - 3300,
    })
      .setProtectedHeader({ alg: 'RS256', typ: 'oauth-authz-req+jwt' })
      .sign(privateKey);
    await page.goto(parley.url);
    await createVault(page);
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Language').selectOption('ja-JP');
    await expect(page.locator('html')).toHaveAttribute('lang', 'ja-JP');
    await page.getByRole('link', { name: '説明' }).click();
    await page.getByRole('textbox', { name: '要求', exact: true }).fill(requestObject);
    await page.getByRole('button', { name: '説明', exact: true }).click();
    // The result card (the HAR file card below it is a section too).
    const result = page.locator('.explain-screen section.card').filter({ has: page.locator('.explain-view') });
    await expect(result).toContainText('未評価');
    await expect(result).toContainText(/合格したルール：\d+件/);
    await shoot(page, 'explain-ja.png');
  });
});
