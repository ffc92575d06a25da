/**
 * The window itself never scrolls: only a screen's content area does. At 1024×700, on every screen (Flows
 * with a run open, every Server tab, Explain with results), the wheel over each region (sidebar, header,
 * content, bottom) leaves the document where it was, and the document has nothing to scroll to at all
 * (a scrollable document also slides away when focus moves to an element below the fold).
 */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { SCREENSHOT_DIR, expect, test } from './fixtures';
import { createPkjApplication, createVault, generateKey } from './helpers';

test.use({ viewport: { width: 1024, height: 700 } });

/** Where the window is scrolled to, and how far it could scroll. */
function documentScroll(page: Page) {
  return page.evaluate(() => {
    const root = document.scrollingElement ?? document.documentElement;
    return {
      top: root.scrollTop,
      left: root.scrollLeft,
      windowY: window.scrollY,
      windowX: window.scrollX,
      overflowY: root.scrollHeight - root.clientHeight,
      overflowX: root.scrollWidth - root.clientWidth,
    };
  });
}

const AT_REST = { top: 0, left: 0, windowY: 0, windowX: 0, overflowY: 0, overflowX: 0 };

/** Wheels down, right, up and left over each region of the current screen; the document stays put. */
async function wheelEverywhere(page: Page, what: string): Promise<void> {
  const box = async (selector: string) => {
    const b = await page.locator(selector).first().boundingBox();
    if (!b) throw new Error(`${what}: no ${selector} on screen`);
    return b;
  };
  const sidebar = await box('.sidebar');
  const header = await box('.screen-header');
  const main = await box('main');
  const regions: [string, number, number][] = [
    ['sidebar', sidebar.x + sidebar.width / 2, sidebar.y + sidebar.height / 2],
    ['sidebar bottom', sidebar.x + sidebar.width / 2, sidebar.y + sidebar.height - 8],
    ['header', header.x + header.width / 2, header.y + header.height / 2],
    ['content', main.x + main.width / 2, main.y + main.height / 2],
    ['bottom', main.x + main.width / 2, main.y + main.height - 8],
  ];
  for (const [region, x, y] of regions) {
    await page.mouse.move(x, y);
    for (const [dx, dy] of [
      [0, 3000],
      [3000, 0],
      [0, -3000],
      [-3000, 0],
      [0, 3000],
      [3000, 0],
    ] as const) {
      await page.mouse.wheel(dx, dy);
    }
    // Let the scroll the wheel started be applied before reading where the document is.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    expect(await documentScroll(page), `${what}, wheel over the ${region}`).toEqual(AT_REST);
  }
  // Scrolling the window by script must find nothing to scroll either (the root cause, not just the wheel).
  await page.evaluate(() => window.scrollTo(5000, 5000));
  expect(await documentScroll(page), `${what}, window.scrollTo`).toEqual(AT_REST);
}

async function openScreen(page: Page, name: string): Promise<void> {
  await page.getByRole('link', { name }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

test.describe('The window never scrolls', () => {
  test('wheel over every region of every screen at 1024×700 leaves the document at the top', async ({ page, parley }) => {
    test.setTimeout(120_000);
    await page.goto(parley.url);
    // The vault screen, in a window too short for its form: the form scrolls in its own area, the window does not.
    await page.setViewportSize({ width: 1024, height: 360 });
    await expect(page.getByRole('button', { name: 'Create vault' })).toBeVisible();
    await page.mouse.move(512, 180);
    await page.mouse.wheel(0, 3000);
    await expect(page.getByRole('button', { name: 'Create vault' })).toBeInViewport();
    expect(await documentScroll(page), 'vault set-up').toEqual(AT_REST);
    await page.setViewportSize({ width: 1024, height: 700 });
    await createVault(page);
    await generateKey(page, 'Scroll key', 'EC-P-256', ['JAR signing']);
    await createPkjApplication(page, 'Scroll');

    for (const screen of ['Keys', 'Compose', 'Inspect', 'Settings']) {
      await openScreen(page, screen);
      await wheelEverywhere(page, screen);
    }

    // Explain with results: a long list of rules.
    await openScreen(page, 'Explain');
    await page
      .getByRole('textbox', { name: 'Request', exact: true })
      .fill('https://tenant.example.com/authorize?client_id=a&request_uri=https%3A%2F%2Fevil.example%2Fr');
    await page.getByRole('button', { name: 'Explain', exact: true }).click();
    await expect(page.getByRole('list', { name: 'Rules applied, the first failing on top' })).toBeVisible();
    await wheelEverywhere(page, 'Explain with results');

    // Server, on each of its tabs, and an application's own tabs.
    await openScreen(page, 'Server');
    // The server's own tabs and an application's tabs both have one named APIs: each loop names its tablist.
    const serverTabs = page.getByRole('tablist', { name: 'Server sections' });
    for (const tab of ['APIs', 'Users', 'Logs', 'Applications']) {
      await serverTabs.getByRole('tab', { name: tab, exact: true }).click();
      await expect(serverTabs.getByRole('tab', { name: tab, exact: true })).toHaveAttribute('aria-selected', 'true');
      await wheelEverywhere(page, `Server, ${tab}`);
    }
    await page
      .getByRole('button', { name: /Scroll App/ })
      .first()
      .click();
    const applicationTabs = page.getByRole('tablist', { name: 'Application sections' });
    for (const tab of ['Settings', 'Credentials', 'APIs']) {
      await applicationTabs.getByRole('tab', { name: tab, exact: true }).click();
      await expect(applicationTabs.getByRole('tab', { name: tab, exact: true })).toHaveAttribute('aria-selected', 'true');
      await wheelEverywhere(page, `Server, application ${tab}`);
    }

    // Flows with a run open (paused in step-through, then run to its end).
    await openScreen(page, 'Flows');
    await page.getByLabel('Step through').check();
    await page.getByRole('button', { name: 'Run flow' }).click();
    await expect(page.getByRole('region', { name: 'Paused before: Discovery' })).toBeVisible();
    await page.getByRole('button', { name: 'Next step' }).click();
    await expect(page.getByRole('region', { name: 'Paused before: Token request' })).toBeVisible();
    await wheelEverywhere(page, 'Flows, paused');
    await page.getByLabel('Step through').uncheck();
    await page.getByRole('button', { name: 'Run flow' }).click();
    await expect(page.getByText('Succeeded').first()).toBeVisible({ timeout: 15_000 });
    await wheelEverywhere(page, 'Flows, a finished run');
    // After all that wheeling, the app is still in its window: look at it.
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'flows-1024x700-after-wheel.png') });
  });
});
