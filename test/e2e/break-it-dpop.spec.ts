/**
 * Compose › Break it for DPoP proofs (issue 17), end to end in web mode: once the DPoP proof card holds a
 * proof, the client-assertion mode offers "Break it: DPoP", which plays every dpop_proof case of
 * shared/faults/cases.ts against the embedded server (each proof with a PAR request authenticated by the
 * composed assertion; the two /userinfo cases with a scratch user's DPoP-bound access token). Every row must
 * read "As specified" and every rejection must name its dpop-rules.md rule, as the request-object and
 * client-assertion modes do. One check in ja-JP.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { casesFor } from '../../shared/faults/cases';
import { SCREENSHOT_DIR, expect, test } from './fixtures';
import { createVault, op } from './helpers';

/** Compose's client-assertion draft from its template, and a DPoP proof held in the proof card. */
async function composeAssertionAndProof(
  page: Page,
  labels: { compose: string; assertionTab: string; templates: string; template: string; fill: string; url: string },
): Promise<void> {
  await page.getByRole('link', { name: labels.compose, exact: true }).click();
  await page.getByRole('tab', { name: labels.assertionTab }).click();
  await page.getByLabel(labels.templates).selectOption({ label: labels.template });
  await expect(page.getByLabel('sub', { exact: true })).not.toHaveValue('');
  await page.getByRole('textbox', { name: labels.url }).fill('https://tenant.example.com/oauth/par');
  await page.getByRole('button', { name: labels.fill }).click();
}

test.describe('Compose › Break it › DPoP', () => {
  test('with a proof held, the client-assertion mode runs every DPoP case, each as dpop-rules.md says', async ({ page, parley }) => {
    test.setTimeout(120_000);
    await page.goto(parley.url);
    await createVault(page);
    await op(page, 'keys.generate', { name: 'Auth key', spec: { kty: 'RSA', modulusLength: 2048 }, usages: ['client-auth'] });
    await op(page, 'keys.generate', { name: 'Proof key', spec: { kty: 'EC', crv: 'P-256' }, usages: ['other'] });

    await page.getByRole('link', { name: 'Compose' }).click();
    await page.getByRole('tab', { name: 'Client assertion' }).click();
    await page.getByLabel('Templates').selectOption({ label: 'Private Key JWT client assertion' });
    await expect(page.getByLabel('sub', { exact: true })).not.toHaveValue('');
    // No proof held yet: only the assertion's own Break it.
    await expect(page.getByRole('button', { name: 'Break it', exact: true })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Break it: DPoP' })).toHaveCount(0);

    await page.getByRole('textbox', { name: 'Request URL' }).fill('https://tenant.example.com/oauth/par');
    await page.getByRole('button', { name: 'Fill the template' }).click();
    await expect(page.getByText('Proof held: on the Client assertion tab')).toBeVisible();
    await page.getByRole('button', { name: 'Break it: DPoP' }).click();

    const panel = page.getByRole('region', { name: 'Break it: DPoP proofs' });
    const total = casesFor('dpop_proof').length;
    // 13 at /oauth/par and /oauth/token, 2 at /userinfo with a scratch user's DPoP-bound access token.
    expect(total).toBe(15);
    await expect(panel.getByText(`${total} of ${total} as the spec says`)).toBeVisible({ timeout: 60_000 });
    const rows = panel.locator('tbody tr');
    await expect(rows).toHaveCount(total);
    for (let i = 0; i < total; i++) {
      const row = rows.nth(i);
      const caseName = (await row.getByRole('rowheader').locator('.break-it-case').textContent()) ?? '';
      await expect(row.getByRole('cell').nth(2), caseName).toContainText('As specified');
      const actual = row.getByRole('cell').nth(1);
      if (caseName === 'Unchanged (control)' || caseName.startsWith('DPoP htu with a query')) {
        await expect(actual, caseName).toContainText('201');
        continue;
      }
      // A rejection names the DPoP rule that failed, the one the spec expects.
      await expect(actual.locator('.badge'), caseName).toHaveText(/^(DPP|DPN|DPB)-\d+$/);
      await expect(row.getByRole('cell').nth(0), caseName).toContainText(await actual.locator('.badge').innerText());
    }
    await expect(panel.getByRole('row', { name: /DPoP htm naming another method/ })).toContainText('400 invalid_dpop_proof');
    await expect(panel.getByRole('row', { name: /DPoP htm naming another method/ })).toContainText('DPP-8');
    await expect(panel.getByRole('row', { name: /DPoP proof sent twice/ })).toContainText('DPP-11');
    const ath = panel.getByRole('row', { name: /DPoP ath of another token/ });
    await expect(ath).toContainText('/userinfo');
    await expect(ath).toContainText('401 invalid_dpop_proof');
    await expect(ath).toContainText('DPP-13');
    const jkt = panel.getByRole('row', { name: /DPoP proof key not matching cnf.jkt/ });
    await expect(jkt).toContainText('/userinfo');
    await expect(jkt).toContainText('401 invalid_token');
    await expect(jkt).toContainText('DPB-12');

    // The trace of a row shows the rule the server failed.
    await panel.getByRole('button', { name: 'Trace: DPoP htm naming another method' }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByRole('heading', { name: 'POST /oauth/par' })).toBeVisible();
    await expect(dialog.locator('.rule-failed').first()).toContainText('DPP-8');
    await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();

    await page.setViewportSize({ width: 1280, height: 2200 });
    await panel.scrollIntoViewIfNeeded();
    await panel.screenshot({ path: join(SCREENSHOT_DIR, 'break-it-dpop.png') });
  });

  test('ja-JP: the DPoP Break it in Japanese', async ({ page, parley }) => {
    test.setTimeout(120_000);
    const ja = JSON.parse(readFileSync(join(process.cwd(), 'renderer/src/i18n/locales', 'ja-JP.json'), 'utf8')) as {
      nav: Record<string, string>;
      compose: { modes: Record<string, string>; templates: Record<string, string>; breakIt: Record<string, string> };
      dpopTools: { compose: Record<string, string> };
    };
    await page.goto(parley.url);
    await createVault(page);
    await op(page, 'keys.generate', { name: 'Auth key', spec: { kty: 'RSA', modulusLength: 2048 }, usages: ['client-auth'] });
    await op(page, 'keys.generate', { name: 'Proof key', spec: { kty: 'EC', crv: 'P-256' }, usages: ['other'] });
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Language').selectOption('ja-JP');
    await expect(page.locator('html')).toHaveAttribute('lang', 'ja-JP');
    await composeAssertionAndProof(page, {
      compose: ja.nav['compose']!,
      assertionTab: ja.compose.modes['assertion']!,
      templates: ja.compose.templates['label']!,
      template: ja.compose.templates['assertion']!,
      fill: ja.dpopTools.compose['fill']!,
      url: ja.dpopTools.compose['url']!,
    });
    await page.getByRole('button', { name: ja.compose.breakIt['buttonDpop']! }).click();
    const panel = page.getByRole('region', { name: ja.compose.breakIt['titleDpop']! });
    await expect(panel.locator('tbody tr')).toHaveCount(casesFor('dpop_proof').length, { timeout: 60_000 });
    await expect(panel.locator('tbody tr').first()).toContainText(ja.compose.breakIt['verdictPass']!);
    await expect(panel).toContainText(ja.compose.breakIt['introDpop']!);
  });
});
