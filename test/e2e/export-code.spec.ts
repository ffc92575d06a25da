/**
 * "Export code" in web mode: a client_credentials run on the built-in target, the dialog's TypeScript /
 * Python / Shell tabs, the downloaded shell program (no secret in it) run for real with $CLIENT_SECRET,
 * and no axe violation in the open dialog.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { SCREENSHOT_DIR, expect, test } from './fixtures';
import type { KeySummary } from '../../shared/schemas/keys';
import { createVault, downloadText, op } from './helpers';

const BUILT_IN = 'Embedded server (Management API client)';

test('Export code: tabs per language, copy and download, and the downloaded program gets a token', async ({ page, parley }) => {
  const secret = parley.ready.management!.client_secret;
  await page.goto(parley.url);
  await createVault(page);
  await page.getByRole('link', { name: 'Flows' }).click();
  await page.getByLabel('Target', { exact: true }).selectOption({ label: BUILT_IN });
  await page.getByLabel('Flow kind').selectOption({ label: 'Client credentials' });
  await page.getByRole('button', { name: 'Run flow' }).click();
  const timeline = page.getByRole('list', { name: 'Steps' });
  await expect(timeline.getByRole('listitem', { name: 'Exchange · OK' })).toBeVisible({ timeout: 15_000 });

  await page.getByRole('button', { name: 'Export code' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export code: Client credentials' });
  await expect(dialog).toBeVisible();
  const tabs = dialog.getByRole('tablist', { name: 'Language' });
  await expect(tabs.getByRole('tab')).toHaveText(['TypeScript', 'Python', 'Shell']);
  await expect(tabs.getByRole('tab', { name: 'TypeScript' })).toHaveAttribute('aria-selected', 'true');
  const panel = dialog.getByRole('tabpanel');
  await expect(panel.getByRole('heading', { name: 'parley-flow-client_credentials.mts' })).toBeVisible();
  await expect(panel).toContainText('npx tsx parley-flow-client_credentials.mts');
  await expect(panel.locator('pre')).toContainText("const token = await postForm(endpoint('token_endpoint')");
  await expect(panel).toContainText('Set CLIENT_SECRET to the client secret');
  await expect(panel.getByRole('button', { name: 'Copy code' })).toBeVisible();
  await expect(panel).not.toContainText(secret);

  await tabs.getByRole('tab', { name: 'Python' }).click();
  await expect(panel.getByRole('heading', { name: 'parley-flow-client_credentials.py' })).toBeVisible();
  await expect(panel).toContainText('python3 parley-flow-client_credentials.py');

  // Arrow keys move between tabs too.
  await tabs.getByRole('tab', { name: 'Python' }).press('ArrowRight');
  await expect(tabs.getByRole('tab', { name: 'Shell' })).toHaveAttribute('aria-selected', 'true');
  await expect(panel.getByRole('heading', { name: 'parley-flow-client_credentials.sh' })).toBeVisible();
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'export-code.png') });

  const axe = await new AxeBuilder({ page }).include('[role="dialog"]').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);

  const downloading = page.waitForEvent('download');
  await panel.getByRole('button', { name: 'Download' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('parley-flow-client_credentials.sh');
  const script = await downloadText(download);
  expect(script.startsWith('#!/usr/bin/env bash\n')).toBe(true);
  expect(script).not.toContain(secret);
  // The program runs against the server of this Parley (its own process), the secret from the environment.
  const out = execFileSync('/bin/bash', ['--norc', (await download.path())!], {
    env: { PATH: '/usr/bin:/bin', CLIENT_SECRET: secret },
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(out).toMatch(/^access_token: eyJ/m);

  await dialog.getByRole('button', { name: 'Close' }).first().click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Export code' })).toBeFocused();
});

test('Export code on a private_key_jwt target names each key file with its vault key and kid', async ({ page, parley }) => {
  await page.goto(parley.url);
  await createVault(page);
  const jarKey = await op<KeySummary>(page, 'keys.generate', { name: 'Export JAR key', spec: { kty: 'RSA', modulusLength: 2048 }, usages: ['jar'] });
  const authKey = await op<KeySummary>(page, 'keys.generate', { name: 'Export auth key', spec: { kty: 'RSA', modulusLength: 2048 }, usages: ['client-auth'] });
  const client = await op<{ client_id: string }>(page, 'server.createClient', {
    body: {
      name: 'Export App',
      app_type: 'regular_web',
      callbacks: [],
      grant_types: ['authorization_code', 'client_credentials'],
      token_endpoint_auth_method: 'client_secret_post',
    },
  });
  await op(page, 'server.createCredential', {
    clientId: client.client_id,
    fromVaultKey: { keyId: authKey.id, name: 'pkj', alg: 'RS256' },
    attachTo: 'private_key_jwt',
  });
  await op(page, 'flows.saveTarget', {
    target: {
      id: 'export-pkj',
      name: 'Export App',
      issuer: parley.ready.issuer,
      client_id: client.client_id,
      auth: { method: 'private_key_jwt', keyId: authKey.id, hasSecret: false },
      redirect_uri: 'http://127.0.0.1:53999/callback',
      scope: 'openid',
      jarKeyId: jarKey.id,
      embedded: true,
    },
  });
  await page.getByRole('link', { name: 'Flows' }).click();
  await page.getByLabel('Target', { exact: true }).selectOption({ label: 'Export App' });
  await page.getByLabel('Flow kind').selectOption({ label: 'Client credentials' });
  await page.getByRole('button', { name: 'Run flow' }).click();
  // No grant for an API: the token request is refused, and the run can still be exported.
  await expect(page.getByRole('list', { name: 'Steps' }).getByRole('listitem', { name: /^Exchange · (OK|Failed)$/ })).toBeVisible({ timeout: 15_000 });

  await page.getByRole('button', { name: 'Export code' }).click();
  const panel = page.getByRole('dialog').getByRole('tabpanel');
  await expect(panel).toContainText('./client-auth-key.pem');
  await expect(panel).toContainText(
    `signs the client assertions: the vault key “Export auth key” (RS256, kid ${authKey.thumbprint}). Another path: set CLIENT_AUTH_KEY_FILE.`,
  );
  await expect(panel).toContainText('set KEY_PASSPHRASE');
  await expect(panel.locator('pre')).toContainText(`kid: '${authKey.thumbprint}'`);
  await expect(panel.locator('pre')).not.toContainText('PRIVATE KEY-----');
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'export-code-keys.png') });
});
