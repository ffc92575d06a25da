import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { createVault, generateKey } from './helpers';

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(', ')}`,
    );
}

test.describe('Accessibility (axe, WCAG 2.1 AA)', () => {
  test('every screen has no serious or critical findings', async ({ page, parley }) => {
    // No colour transitions (the app honours reduced motion): axe must measure a button's contrast at rest,
    // not halfway through the hover fade of the button the test has just clicked.
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(parley.url);
    expect(await seriousViolations(page), 'vault setup').toEqual([]);
    await createVault(page);
    await generateKey(page, 'A11y key', 'EC-P-256', ['JAR signing']);
    // The guided tour's one-time offer (right after the vault was created) is on screen for the scans below.
    await expect(page.getByRole('button', { name: 'Take the tour' })).toBeVisible();
    for (const screen of ['Keys', 'Compose', 'Inspect', 'Explain', 'Server', 'Settings']) {
      await page.getByRole('link', { name: screen }).click();
      await expect(page.getByRole('heading', { level: 1, name: screen })).toBeVisible();
      expect(await seriousViolations(page), screen).toEqual([]);
      if (screen === 'Explain') {
        // With an explanation shown: verdict, rules with source links, notes.
        await page
          .getByRole('textbox', { name: 'Request', exact: true })
          .fill('https://tenant.example.com/authorize?client_id=a&request_uri=https%3A%2F%2Fevil.example%2Fr');
        await page.getByRole('button', { name: 'Explain', exact: true }).click();
        await expect(page.getByRole('list', { name: 'Rules applied, the first failing on top' })).toBeVisible();
        expect(await seriousViolations(page), 'Explain with an explanation').toEqual([]);
      }
      if (screen === 'Settings') {
        // The guided tour: a non-modal region beside the screen, on its first two pages.
        await page.getByRole('button', { name: 'Start the guided tour' }).click();
        const tour = page.getByRole('region', { name: 'Guided tour' });
        await expect(tour.getByRole('heading', { name: 'What the tour does' })).toBeVisible();
        expect(await seriousViolations(page), 'Guided tour').toEqual([]);
        await tour.getByRole('button', { name: 'Next' }).click();
        await expect(tour.getByRole('button', { name: 'Set up the demo' })).toBeVisible();
        expect(await seriousViolations(page), 'Guided tour, set-up page').toEqual([]);
        await tour.getByRole('button', { name: 'Skip tour' }).click();
        await expect(page.getByRole('region', { name: 'Guided tour' })).toHaveCount(0);
      }
    }
    // Flows, with a step-through run paused (the pending request's editable fields), then presenter mode.
    await page.getByRole('link', { name: 'Flows' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Flows' })).toBeVisible();
    await page.getByLabel('Step through').check();
    await page.getByRole('button', { name: 'Run flow' }).click();
    await expect(page.getByRole('region', { name: 'Paused before: Discovery' })).toBeVisible();
    await page.getByRole('button', { name: 'Next step' }).click();
    await expect(page.getByRole('region', { name: 'Paused before: Token request' })).toBeVisible();
    // The pause can be announced before the Next step call returns: scan once the button is no longer busy.
    await expect(page.getByRole('button', { name: 'Next step' }).first()).not.toHaveAttribute('aria-busy', 'true');
    await page.mouse.move(0, 0);
    expect(await seriousViolations(page), 'Flows, paused in step-through').toEqual([]);
    await page.getByRole('button', { name: 'Presenter mode' }).click();
    await expect(page.getByRole('dialog')).toBeVisible();
    expect(await seriousViolations(page), 'Flows, presenter mode').toEqual([]);
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);

    // Control: the scanner really runs here (under the app's CSP) and reports what it should.
    await page.evaluate(() => document.querySelector('main')?.append(Object.assign(document.createElement('button'), { id: 'a11y-control' })));
    expect((await seriousViolations(page)).some((v) => v.startsWith('button-name'))).toBe(true);
  });
});
