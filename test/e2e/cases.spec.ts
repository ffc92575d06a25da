/**
 * Case files, end to end in web mode: a PAR + JAR run with a wrong aud fails at push (JAR-11); "Export
 * case" saves a file that holds neither the client secret nor any private key; a SECOND Parley over a
 * fresh data directory (the "wiped" machine, its server on another port) first previews what the import
 * would create — the client, its callbacks, its keys, its grants (the Management API one left out) and the
 * replay's clock — then, on Apply, shows the same rule with the same explanation, reproduced from the
 * public keys alone, with its own server clock unchanged.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCREENSHOT_DIR, expect, launchParley, test } from './fixtures';
import { createVault, downloadText, op } from './helpers';

interface CaseJson {
  format: string;
  run: { steps: { name: string; serverTraces?: { failedRule?: string; rules: { id: string; message: string }[] }[] }[] };
}

test.describe('Case files', () => {
  test('exports a failing PAR + JAR case without secrets, and a fresh Parley reproduces its rule from it', async ({ page, parley, workDir, browser }) => {
    test.setTimeout(120_000);
    await page.goto(parley.url);
    await createVault(page);

    // Set-up through the contract: a JAR key and an application authenticating with its client secret.
    const jarKey = await op<{ id: string }>(page, 'keys.generate', { name: 'Case JAR key', spec: { kty: 'RSA', modulusLength: 2048 }, usages: ['jar'] });
    const client = await op<{ client_id: string }>(page, 'server.createClient', {
      body: {
        name: 'Customer App',
        app_type: 'regular_web',
        callbacks: [],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    });
    await op(page, 'server.createCredential', {
      clientId: client.client_id,
      fromVaultKey: { keyId: jarKey.id, name: 'customer jar', alg: 'RS256' },
      attachTo: 'signed_request_object',
    });
    // The client secret, read through the Management API as a customer's script would.
    const issuer = parley.ready.issuer!;
    const management = parley.ready.management!;
    // The client also holds a Management API grant: a case file must never carry it into another server.
    await op(page, 'server.createClientGrant', { client_id: client.client_id, audience: management.audience, scope: ['read:clients', 'delete:clients'] });
    const tokenResponse = await fetch(`${issuer}oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'client_credentials',
        client_id: management.client_id,
        client_secret: management.client_secret,
        audience: management.audience,
      }),
    });
    const { access_token } = (await tokenResponse.json()) as { access_token: string };
    const clientJson = (await (
      await fetch(`${issuer}api/v2/clients/${client.client_id}`, { headers: { authorization: `Bearer ${access_token}` } })
    ).json()) as { client_secret: string };
    const clientSecret = clientJson.client_secret;
    expect(clientSecret.length).toBeGreaterThan(20);
    await op(page, 'flows.saveTarget', {
      target: {
        id: 'customer',
        name: 'Customer app',
        issuer,
        client_id: client.client_id,
        auth: { method: 'client_secret_post', hasSecret: false },
        redirect_uri: 'http://127.0.0.1:53999/callback',
        scope: 'openid profile',
        jarKeyId: jarKey.id,
        embedded: true,
      },
      secret: clientSecret,
    });

    // PAR + JAR with a wrong aud: the server rejects the push with JAR-11.
    await page.getByRole('link', { name: 'Flows' }).click();
    await page.getByLabel('Target', { exact: true }).selectOption({ label: 'Customer app' });
    await page.getByLabel('Flow kind').selectOption({ label: 'PAR + JAR' });
    await page.getByLabel('Request object overrides (JSON)').fill('{"aud": "https://wrong.example/"}');
    await page.getByRole('button', { name: 'Run flow' }).click();
    const push = page.getByRole('list', { name: 'Steps' }).getByRole('listitem', { name: /^Push/ });
    await expect(push).toContainText('Failed');
    await expect(push).toContainText('JAR-11 failed');
    for (const extra of page.context().pages()) if (extra !== page) await extra.close();

    // Export case: one JSON file, without the client secret or any private key.
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export case' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^parley-case-par-jar-\d{8}-\d{6}\.parleycase$/);
    const text = await downloadText(download);
    const file = JSON.parse(text) as CaseJson;
    expect(file.format).toBe('parley-case/1');
    expect(text).not.toContain(clientSecret);
    expect(text).not.toContain(management.client_secret);
    expect(text).not.toContain('PRIVATE KEY');
    expect(text).not.toMatch(/"d"\s*:/);
    expect(text).toContain('client_secret=%5Bremoved%5D');
    const recorded = file.run.steps.find((s) => s.name === 'push')!.serverTraces!.find((t) => t.failedRule)!;
    expect(recorded.failedRule).toBe('JAR-11');
    const message = recorded.rules.find((r) => r.id === 'JAR-11')!.message;
    // Kept beside the test's data (Playwright's own artifacts directory belongs to the run, not to this test).
    const casePath = join(workDir, 'case.json');
    writeFileSync(casePath, text);

    // The "wiped" machine: a second Parley over a fresh data directory, in its own browser context.
    const wiped = await launchParley(join(workDir, 'wiped'));
    const context = await browser.newContext();
    try {
      expect(wiped.ready.issuer).not.toBe(issuer);
      const page2 = await context.newPage();
      await page2.goto(wiped.url);
      await createVault(page2);
      await page2.getByRole('link', { name: 'Flows' }).click();
      const choosing = page2.waitForEvent('filechooser');
      await page2.getByRole('button', { name: 'Import case' }).click();
      await (await choosing).setFiles(casePath);

      // The preview: nothing applied yet; the client, its callback, its keys, its grants and the replay's clock.
      const preview = page2.getByRole('dialog', { name: 'Import case: PAR + JAR · Customer app' });
      await expect(preview).toBeVisible({ timeout: 20_000 });
      await expect(preview).toContainText('Nothing has been applied yet.');
      await expect(preview).toContainText(client.client_id);
      await expect(preview).toContainText('Customer App');
      await expect(preview).toContainText('http://127.0.0.1:53999/callback');
      await expect(preview).toContainText('Management API access is not imported');
      await expect(preview).toContainText(management.audience);
      await expect(preview).toContainText('Not imported: Management API');
      await expect(preview).toContainText("for the replay only: the server's clock setting is not changed");
      await page2.setViewportSize({ width: 1280, height: 1300 });
      await page2.screenshot({ path: join(SCREENSHOT_DIR, 'case-import-preview.png') });
      await preview.getByRole('button', { name: 'Apply', exact: true }).click();

      const view = page2.getByRole('dialog', { name: 'Case: PAR + JAR · Customer app' });
      await expect(view).toBeVisible({ timeout: 20_000 });
      await expect(view).toContainText('Reproduced: JAR-11 failed again, with the same explanation.');
      await expect(view.locator('.case-outcome')).toHaveCount(2);
      for (const outcome of await view.locator('.case-outcome').all()) {
        await expect(outcome).toContainText('JAR-11');
        await expect(outcome).toContainText(message);
      }
      await expect(view).toContainText('POST /oauth/par → 400');
      await expect(view).toContainText(client.client_id);
      await expect(view).toContainText('Not imported: Management API');
      await page2.screenshot({ path: join(SCREENSHOT_DIR, 'case-import.png') });

      // The replay ran at the recorded time; the server's own clock is still real time.
      await view.getByRole('button', { name: 'Close', exact: true }).last().click();
      await page2.getByRole('link', { name: 'Server' }).click();
      await expect(page2.getByRole('group', { name: 'Server clock' })).toBeVisible();
      await page2.getByRole('group', { name: 'Server clock' }).scrollIntoViewIfNeeded();
      await expect(page2.getByRole('group', { name: 'Server clock' })).toContainText('Real time');
      await page2.screenshot({ path: join(SCREENSHOT_DIR, 'server-clock.png') });

      // The recreated credential (the customer's public key) can be made expired on the server, and back.
      await page2.getByRole('button', { name: 'Customer App', exact: true }).click();
      await page2.getByRole('tab', { name: 'Credentials' }).click();
      const row = page2.getByRole('row', { name: /customer jar/ });
      await row.getByRole('button', { name: 'Edit expiry of customer jar' }).click();
      await expect(page2.getByRole('dialog')).toContainText('Auth0');
      await page2.screenshot({ path: join(SCREENSHOT_DIR, 'credential-make-expired.png') });
      await page2.getByRole('dialog').getByRole('button', { name: 'Make expired' }).click();
      await expect(page2.getByRole('dialog')).toHaveCount(0);
      await expect(row).toContainText('Expired');
      await page2.screenshot({ path: join(SCREENSHOT_DIR, 'credential-expired.png') });
      await row.getByRole('button', { name: 'Edit expiry of customer jar' }).click();
      await page2.getByRole('dialog').getByRole('button', { name: 'Remove expiry' }).click();
      await expect(page2.getByRole('dialog')).toHaveCount(0);
      await expect(row).not.toContainText('Expired');
      await expect(row).toContainText('Never');
    } finally {
      await context.close();
      await wiped.stop();
    }
  });
});
