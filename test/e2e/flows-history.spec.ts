/**
 * Flows export and history, in web mode: client_credentials runs on the built-in embedded target (no
 * browser step), "Copy as curl" and "Download script" without the secret (and the downloaded script
 * really replays the run), Re-run from the history, Compare two runs side by side, Delete one.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import AxeBuilder from '@axe-core/playwright';
import { SCREENSHOT_DIR, expect, test } from './fixtures';
import { createVault, downloadText, op } from './helpers';

const execFileAsync = promisify(execFile);
const BUILT_IN = 'Embedded server (Management API client)';

test.describe('Flows history and export', () => {
  test('exports a run as curl and as a script without its secret, re-runs, compares and deletes runs', async ({ page, parley, context }) => {
    test.setTimeout(90_000);
    const secret = parley.ready.management!.client_secret;
    expect(secret.length).toBeGreaterThan(8);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: parley.origin });
    await page.goto(parley.url);
    await createVault(page);
    await page.getByRole('link', { name: 'Flows' }).click();
    await expect(page.getByRole('heading', { name: 'Flows', level: 1 })).toBeVisible();

    const timeline = page.getByRole('list', { name: 'Steps' });
    const history = page.getByRole('list', { name: 'History' });
    const runOnce = async (expected: number) => {
      await page.getByRole('button', { name: 'Run flow' }).click();
      await expect(timeline.getByRole('listitem', { name: /^Exchange · / })).toHaveAccessibleName(/^Exchange · (OK|Failed)$/, { timeout: 15_000 });
      await expect(history.getByRole('listitem')).toHaveCount(expected);
    };

    // Two client_credentials runs on the built-in target.
    await page.getByLabel('Target', { exact: true }).selectOption({ label: BUILT_IN });
    await page.getByLabel('Flow kind').selectOption({ label: 'Client credentials' });
    await runOnce(1);
    await expect(timeline.getByRole('listitem', { name: 'Exchange · OK' })).toBeVisible();
    await runOnce(2);
    await expect(timeline.getByRole('listitem', { name: 'Exchange · OK' })).toBeVisible();

    // Copy as curl: the token request, its secret a variable.
    await timeline.getByRole('listitem', { name: 'Exchange · OK' }).getByRole('button', { name: 'Copy as curl' }).click();
    const curl = await page.evaluate(() => navigator.clipboard.readText());
    expect(curl).toMatch(/^curl '/);
    expect(curl).toContain('/oauth/token');
    expect(curl).toContain(`--data-urlencode "client_secret=$CLIENT_SECRET"`);
    expect(curl).not.toContain(secret);
    expect(curl).not.toMatch(/redacted/i);
    // The discovery step has its own command.
    await expect(timeline.getByRole('listitem', { name: 'Discover · OK' }).getByRole('button', { name: 'Copy as curl' })).toBeVisible();

    // Download script: a bash script with no secret, that really replays the run when given the secret.
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download script' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^parley-flow-client_credentials-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.sh$/);
    const script = await downloadText(download);
    expect(script.startsWith('#!/usr/bin/env bash\n')).toBe(true);
    expect(script).toContain('set -euo pipefail');
    expect(script).toContain('curl ');
    expect(script).not.toContain(secret);
    for (const m of script.matchAll(/client_secret=([^\s'"\\]*)/g)) expect(m[1]).toBe('$CLIENT_SECRET');
    const path = await download.path();
    const replay = await execFileAsync('/bin/bash', ['--norc', path], {
      env: { PATH: '/usr/bin:/bin', CLIENT_SECRET: secret },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(replay.stdout).toContain('discover: HTTP 200');
    expect(replay.stdout).toContain('exchange: HTTP 200 (recorded: 200)');
    expect(replay.stdout).toContain('"access_token"');
    const refused = await execFileAsync('/bin/bash', ['--norc', path], { env: { PATH: '/usr/bin:/bin' }, encoding: 'utf8' }).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(refused).toMatchObject({ code: 2, stderr: expect.stringContaining('Set CLIENT_SECRET before running this script') });

    // Re-run from the history: a third run of the same kind on the same target.
    await history.getByRole('listitem').nth(1).getByRole('button', { name: 'Re-run', exact: true }).click();
    await expect(history.getByRole('listitem')).toHaveCount(3);
    await expect(history.getByRole('listitem').first()).toContainText('Client credentials');
    await expect(history.getByRole('listitem').first()).toContainText(BUILT_IN);

    // A run that fails (a target with a wrong secret), to compare with one that succeeded.
    const status = await op<{ issuer: string }>(page, 'server.status', {});
    const wrong = await op<{ client_id: string }>(page, 'server.createClient', {
      body: { name: 'Wrong Secret App', app_type: 'non_interactive', grant_types: ['client_credentials'], token_endpoint_auth_method: 'client_secret_post' },
    });
    await op(page, 'flows.saveTarget', {
      target: {
        id: 't-wrongsec',
        name: 'Wrong secret',
        issuer: status.issuer,
        client_id: wrong.client_id,
        auth: { method: 'client_secret_post', hasSecret: false },
        redirect_uri: 'http://127.0.0.1:47999/callback',
        scope: 'openid',
        audience: `${status.issuer}api/v2/`,
        embedded: true,
      },
      secret: 'not-the-secret',
    });
    await page.getByRole('link', { name: 'Keys' }).click();
    await page.getByRole('link', { name: 'Flows' }).click();
    await page.getByLabel('Target', { exact: true }).selectOption({ label: 'Wrong secret' });
    await page.getByLabel('Flow kind').selectOption({ label: 'Client credentials' });
    await runOnce(4);
    await expect(timeline.getByRole('listitem', { name: 'Exchange · Failed' })).toContainText('401');

    // Compare: tick the failed run and a succeeded one.
    const items = history.getByRole('listitem');
    await expect(page.getByText('Tick Compare on two runs to see them side by side.')).toBeVisible();
    await items.nth(0).getByRole('checkbox', { name: 'Compare' }).check();
    await expect(page.getByText('One run ticked: tick one more to compare them.')).toBeVisible();
    await items.nth(1).getByRole('checkbox', { name: 'Compare' }).check();
    // Two ticked: the others cannot be ticked until one is unticked.
    await expect(items.nth(2).getByRole('checkbox', { name: 'Compare' })).toBeDisabled();
    const panel = page.getByRole('region', { name: 'Compare runs' });
    await expect(panel).toBeVisible();
    await expect(panel.getByRole('term')).toHaveText(['Run 1', 'Run 2']);
    await expect(panel.getByRole('definition').nth(0)).toContainText(BUILT_IN);
    await expect(panel.getByRole('definition').nth(1)).toContainText('Wrong secret');
    await expect(panel.getByRole('status')).toHaveText(/^Differences: \d+ \(marked “Differs”\)\.$/);
    const steps = panel.getByRole('table', { name: 'Steps side by side' });
    const exchangeRow = steps.getByRole('row', { name: /^Exchange/ });
    await expect(exchangeRow).toContainText('HTTP 200');
    await expect(exchangeRow).toContainText('HTTP 401');
    await expect(exchangeRow).toContainText('Differs');
    await expect(steps.getByRole('row', { name: /^Discover/ })).toContainText('Same');
    const params = panel.getByRole('table', { name: 'Request parameters' });
    await expect(params.getByRole('row', { name: /^client_id/ })).toContainText('Differs');
    await expect(params.getByRole('row', { name: /^grant_type/ })).toContainText('Same');
    await expect(panel).toContainText('Request object claims: none in either run.');
    await expect(panel).toContainText('ID token claims: none in either run.');

    const axe = await new AxeBuilder({ page })
      .include('section[aria-labelledby="flows-compare-title"]')
      .include('section[aria-labelledby="flows-history-title"]')
      .include('section[aria-labelledby="flow-run-title"]')
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

    await page.setViewportSize({ width: 1280, height: 2400 });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'flows-compare.png') });
    await panel.screenshot({ path: join(SCREENSHOT_DIR, 'flows-compare-panel.png') });
    await page.setViewportSize({ width: 1280, height: 800 });

    // Delete a run (not one of the compared two): confirmed in a dialog, gone from the history.
    await items.nth(3).getByRole('button', { name: 'Delete', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this run?' });
    await expect(dialog).toContainText('Client credentials');
    await dialog.getByRole('button', { name: 'Delete run' }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await expect(items).toHaveCount(3);
    await expect(panel).toBeVisible();
    expect((await op<unknown[]>(page, 'flows.history', {})).length).toBe(3);

    // Closing the comparison unticks both runs.
    await panel.getByRole('button', { name: 'Close comparison' }).click();
    await expect(panel).toHaveCount(0);
    await expect(items.nth(0).getByRole('checkbox', { name: 'Compare' })).not.toBeChecked();
  });
});
