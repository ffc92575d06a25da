import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { createVault, generateKey } from './helpers';

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

test.describe('Accessibility (axe, WCAG 2.1 AA)', () => {
  test('every screen has no serious or critical findings', async ({ page, parley }) => {
    await page.goto(parley.url);
    expect(await seriousViolations(page), 'vault setup').toEqual([]);
    await createVault(page);
    await generateKey(page, 'A11y key', 'EC-P-256', ['JAR signing']);
    for (const screen of ['Keys', 'Compose', 'Inspect', 'Explain', 'Server', 'Settings']) {
      await page.getByRole('link', { name: screen }).click();
      await expect(page.getByRole('heading', { level: 1, name: screen })).toBeVisible();
      expect(await seriousViolations(page), screen).toEqual([]);
      if (screen === 'Explain') {
        // With an explanation shown: verdict, rules with source links, notes.
        await page.getByRole('textbox', { name: 'Request', exact: true }).fill('https://tenant.example.com/authorize?client_id=a&request_uri=https%3A%2F%2Fevil.example%2Fr');
        await page.getByRole('button', { name: 'Explain', exact: true }).click();
        await expect(page.getByRole('list', { name: 'Rules applied, the first failing on top' })).toBeVisible();
        expect(await seriousViolations(page), 'Explain with an explanation').toEqual([]);
      }
    }
    // Control: the scanner really runs here (under the app's CSP) and reports what it should.
    await page.evaluate(() => document.querySelector('main')?.append(Object.assign(document.createElement('button'), { id: 'a11y-control' })));
    expect((await seriousViolations(page)).some((v) => v.startsWith('button-name'))).toBe(true);
  });
});
