/** UI steps shared by the end-to-end tests, written the way a user (or a script) drives Parley. */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Download, Page } from '@playwright/test';
import { expect } from '@playwright/test';

/** The passphrase the tests set up their vaults with. */
export const PASSPHRASE = 'correct horse battery staple';

/** First run: creates the vault with a passphrase. */
export async function createVault(page: Page, passphrase = PASSPHRASE): Promise<void> {
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByLabel('Confirm passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Create vault' }).click();
  await expect(page.getByRole('link', { name: 'Keys' })).toBeVisible();
}

/** Unlocks a locked vault. */
export async function unlockVault(page: Page, passphrase = PASSPHRASE): Promise<void> {
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
}

/** Generates a key through the Generate key dialog and waits until it is listed. */
export async function generateKey(page: Page, name: string, spec: string, usages: string[] = ['JAR signing']): Promise<void> {
  await page.getByRole('link', { name: 'Keys' }).click();
  await page.getByRole('button', { name: 'Generate key' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByLabel('Key type').selectOption(spec);
  for (const usage of usages) await dialog.getByRole('checkbox', { name: usage }).check();
  await dialog.getByRole('button', { name: 'Generate', exact: true }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(keyListItem(page, name)).toBeVisible({ timeout: 30_000 });
}

/** The list entry of a key, by name. */
export function keyListItem(page: Page, name: string) {
  return page.getByRole('list', { name: 'Key list' }).getByRole('button', { name: new RegExp(escapeRegExp(name)) });
}

/** Selects a key and returns the full thumbprint shown in its detail. */
export async function selectedThumbprint(page: Page, name: string): Promise<string> {
  await keyListItem(page, name).click();
  const thumbprint = page.locator('.thumbprint code');
  await expect(thumbprint).toHaveText(/^[A-Za-z0-9_-]{43}$/);
  return (await thumbprint.textContent()) ?? '';
}

/** Reads a download's text. */
export async function downloadText(download: Download): Promise<string> {
  const path = await download.path();
  return readFileSync(path, 'utf8');
}

/** Every file below a directory, recursively. */
export function filesBelow(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesBelow(path) : [path];
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Calls a contract operation from inside the page, with the session the page got from its launch URL. */
export async function op<T>(page: Page, name: string, input: unknown): Promise<T> {
  const result = await page.evaluate(
    async ({ name, input }) => {
      const session = sessionStorage.getItem('parley.session') ?? '';
      const headers = { 'content-type': 'application/json', authorization: `Bearer ${session}` };
      const response = await fetch(`/api/op/${name}`, { method: 'POST', headers, body: JSON.stringify(input) });
      return (await response.json()) as { ok: boolean; value?: unknown; error?: { message: string } };
    },
    { name, input },
  );
  if (!result.ok) throw new Error(`${name} failed: ${result.error?.message}`);
  return result.value as T;
}

/**
 * Completes the embedded server's sign-in in a tab Parley opened: logs in when asked (an SSO session may
 * skip it), accepts the consent page when shown, waits for the loopback page, and closes the tab.
 */
export async function signInOnTab(tab: Page, user: { email: string; password: string }): Promise<void> {
  const done = tab.getByRole('heading', { name: 'You can close this tab' });
  const email = tab.getByLabel('Email');
  await expect(email.or(done).or(tab.getByRole('button', { name: 'Accept' }))).toBeVisible();
  if (await email.isVisible()) {
    await email.fill(user.email);
    await tab.getByLabel('Password').fill(user.password);
    await tab.getByRole('button', { name: 'Continue' }).click();
  }
  const accept = tab.getByRole('button', { name: 'Accept' });
  await expect(accept.or(done)).toBeVisible();
  if (await accept.isVisible()) await accept.click();
  await expect(done).toBeVisible();
  await tab.close();
}

/**
 * Set-up through the contract, to save time: two RSA vault keys ("<prefix> JAR key", "<prefix> auth key")
 * and an embedded-server application "<prefix> App" with one attached to JAR and the other to Private Key JWT.
 */
export async function createPkjApplication(page: Page, prefix: string): Promise<{ clientId: string; jarKeyId: string; authKeyId: string }> {
  const jarKey = await op<{ id: string }>(page, 'keys.generate', { name: `${prefix} JAR key`, spec: { kty: 'RSA', modulusLength: 2048 }, usages: ['jar'] });
  const authKey = await op<{ id: string }>(page, 'keys.generate', {
    name: `${prefix} auth key`,
    spec: { kty: 'RSA', modulusLength: 2048 },
    usages: ['client-auth'],
  });
  const client = await op<{ client_id: string }>(page, 'server.createClient', {
    body: {
      name: `${prefix} App`,
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
  return { clientId: client.client_id, jarKeyId: jarKey.id, authKeyId: authKey.id };
}

/**
 * Saves a Flows target for the application createPkjApplication made ("<prefix> App"), through the New target
 * dialog: Private Key JWT with "<prefix> auth key", request objects signed with "<prefix> JAR key".
 */
export async function savePkjTarget(page: Page, prefix: string): Promise<void> {
  await page.getByRole('link', { name: 'Flows' }).click();
  await page.getByRole('button', { name: 'New target' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Application', { exact: true }).selectOption({ label: `${prefix} App` });
  await dialog.getByLabel('Client authentication').selectOption('private_key_jwt');
  await dialog.getByLabel('Client assertion key').selectOption({ label: `${prefix} auth key` });
  await dialog.getByLabel('Request object key').selectOption({ label: `${prefix} JAR key` });
  await dialog.getByRole('button', { name: 'Save target' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
}
