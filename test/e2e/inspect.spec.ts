import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { SCREENSHOT_DIR, expect, test } from './fixtures';
import { createVault, generateKey, op } from './helpers';

/**
 * A screenshot of the whole Inspect screen: the screen scrolls inside the window, so the window is made
 * tall enough to show all of it, and toasts are dismissed so they cover nothing.
 */
async function shoot(page: Page, name: string): Promise<void> {
  for (const dismiss of await page.locator('.toaster').getByRole('button', { name: 'Dismiss' }).all()) await dismiss.click();
  const height = await page.locator('.inspect-screen').evaluate((el) => el.scrollHeight);
  await page.setViewportSize({ width: 1280, height: Math.min(Math.max(height + 40, 800), 6000) });
  await page.screenshot({ path: join(SCREENSHOT_DIR, name) });
  await page.setViewportSize({ width: 1280, height: 800 });
}

/** Changes one character in the middle of the signature (the last one may only carry padding bits). */
function tamper(jws: string): string {
  const at = jws.lastIndexOf('.') + 20;
  const replacement = jws[at] === 'A' ? 'B' : 'A';
  return jws.slice(0, at) + replacement + jws.slice(at + 1);
}

test.describe('Inspect screen', () => {
  test('decodes a signed JWT, verifies it with a vault key and a pasted JWKS, and explains a tampered signature', async ({ page, parley }) => {
    const workers: string[] = [];
    const cspErrors: string[] = [];
    page.on('worker', (worker) => workers.push(worker.url()));
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) cspErrors.push(message.text());
    });

    await page.goto(parley.url);
    await createVault(page);
    await generateKey(page, 'Inspect RSA', 'RSA-2048');

    const keys = await op<{ id: string; name: string; thumbprint: string }[]>(page, 'keys.list', {});
    const key = keys.find((k) => k.name === 'Inspect RSA')!;
    const now = Math.floor(Date.now() / 1000);
    const { jws } = await op<{ jws: string }>(page, 'keys.sign', {
      id: key.id,
      header: { alg: 'RS256', typ: 'JWT', kid: key.thumbprint },
      payload: {
        iss: 'inspect-client',
        sub: 'inspect-client',
        aud: 'https://parley.example/',
        iat: now,
        nbf: now,
        exp: now + 300,
        jti: 'e2e-1',
        scope: 'openid profile',
      },
    });

    await page.getByRole('link', { name: 'Inspect' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Inspect' })).toBeVisible();

    // A malformed input says what is wrong.
    await page.getByRole('textbox', { name: 'Token', exact: true }).fill('abc.def');
    await expect(page.getByRole('alert')).toContainText('The token has 2 dot-separated parts');

    // Decoded: header and payload, claims explained, dates as local time and relative to now.
    await page.getByRole('textbox', { name: 'Token', exact: true }).fill(`  ${jws}\n`);
    const header = page.getByRole('table', { name: 'Header claims explained' });
    await expect(header.getByRole('row', { name: /^kid/ })).toContainText(key.thumbprint);
    await expect(header.getByRole('row', { name: /^alg/ })).toContainText('RS256');
    await expect(header.getByRole('row', { name: /^alg/ })).toContainText('RFC 7515 §4.1.1');
    const payload = page.getByRole('table', { name: 'Payload claims explained' });
    const expRow = payload.getByRole('row', { name: /^exp/ });
    await expect(expRow).toContainText(String(now + 300));
    await expect(expRow).toContainText(/expires in [45] minutes/);
    await expect(expRow).toContainText('Expiration time');
    await expect(payload.getByRole('row', { name: /^iat/ })).toContainText(/now|seconds? ago/);
    await expect(page.getByLabel('Payload JSON')).toContainText('"jti": "e2e-1"');
    expect(workers.some((url) => url.includes('decode.worker'))).toBe(true);

    // Verify with the vault key: valid, naming the key.
    await expect(page.getByLabel('Verify with')).toHaveValue('vault');
    await expect(page.getByRole('combobox', { name: 'Vault key' })).toHaveValue(key.id);
    await page.getByRole('button', { name: 'Verify' }).click();
    const verdict = page.getByRole('status').filter({ hasText: /^Signature/ });
    await expect(verdict).toHaveText(/^Signature valid/);
    await expect(verdict).toContainText('Inspect RSA');
    await expect(verdict).toContainText(key.thumbprint);

    // One character of the signature changed: invalid, with the reason.
    await page.getByRole('textbox', { name: 'Token', exact: true }).fill(tamper(jws));
    await expect(verdict).toHaveCount(0);
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect(verdict).toHaveText(/^Signature invalid: the signature does not match/);
    await expect(verdict.getByRole('table')).toContainText('Signature mismatch');
    await shoot(page, 'inspect-invalid.png');

    // A whole JWKS pasted, with an unrelated key first: valid, matched by kid.
    const exported = await op<{ content: string }>(page, 'keys.exportPublic', { id: key.id, format: 'jwks' });
    const ours = (JSON.parse(exported.content) as { keys: Record<string, unknown>[] }).keys;
    const unrelated = { ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' }), kid: 'unrelated-key', use: 'sig' };
    await page.getByRole('textbox', { name: 'Token', exact: true }).fill(jws);
    await page.getByLabel('Verify with').selectOption({ label: 'Paste a key or JWKS' });
    await page.getByRole('textbox', { name: 'Verification key' }).fill(JSON.stringify({ keys: [unrelated, ...ours] }, null, 2));
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect(verdict).toHaveText(/^Signature valid/);
    await expect(verdict).toContainText(key.thumbprint);
    const candidates = verdict.getByRole('table', { name: 'Keys tried' });
    await expect(candidates.getByRole('row', { name: /unrelated-key/ })).toContainText('Other kid');
    await expect(candidates.getByRole('row', { name: new RegExp(key.thumbprint) })).toContainText('Verified');

    expect(cspErrors).toEqual([]);
    await shoot(page, 'inspect.png');
  });

  test('opens prefilled from #/inspect?token=, lints and compares', async ({ page, parley }) => {
    await page.goto(parley.url);
    await createVault(page);
    await generateKey(page, 'Lint RSA', 'RSA-2048');
    const [key] = await op<{ id: string; thumbprint: string }[]>(page, 'keys.list', {});
    const now = Math.floor(Date.now() / 1000);
    const sign = (payload: Record<string, unknown>) =>
      op<{ jws: string }>(page, 'keys.sign', { id: key!.id, header: { alg: 'RS256', typ: 'oauth-authz-req+jwt', kid: key!.thumbprint }, payload });
    const base = {
      iss: 'client-1',
      aud: 'https://parley.example/',
      client_id: 'client-1',
      response_type: 'code',
      redirect_uri: 'https://app.example/cb',
      scope: 'openid',
      iat: now,
      exp: now + 300,
    };
    const { jws: first } = await sign(base);
    const { jws: second } = await sign({ ...base, scope: 'openid email', state: 'xyz', redirect_uri: undefined });

    await page.goto(`${new URL(parley.url).origin}/#/inspect?token=${encodeURIComponent(first)}`);
    await expect(page.getByRole('textbox', { name: 'Token', exact: true })).toHaveValue(first);
    await expect(page.getByRole('table', { name: 'Payload claims explained' })).toContainText('client-1');

    await page.getByRole('tab', { name: 'Lint' }).click();
    await expect(page.getByLabel('Check as')).toHaveValue('requestObject');
    await expect(page.getByLabel('Client ID')).toHaveValue('client-1');
    await expect(page.getByText(/\d+ failed, \d+ passed|All \d+ checks passed/)).toBeVisible();
    await shoot(page, 'inspect-lint.png');
    await page.getByLabel('Check as').selectOption('idToken');
    await expect(page.getByText('Client-side checks only')).toBeVisible();

    await page.getByRole('tab', { name: 'Compare' }).click();
    await page.getByRole('textbox', { name: 'Token (compare)' }).fill(second);
    const diff = page.getByRole('table', { name: 'Payload differences' });
    await expect(diff.getByRole('row', { name: /^scope/ })).toContainText('Changed');
    await expect(diff.getByRole('row', { name: /^state/ })).toContainText('Added');
    await expect(diff.getByRole('row', { name: /^redirect_uri/ })).toContainText('Removed');
    await shoot(page, 'inspect-compare.png');
  });
});
