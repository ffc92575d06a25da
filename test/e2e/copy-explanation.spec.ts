/**
 * Taking explanations out (issue 19), in a real browser against the embedded server: a flow step the server
 * refused (JAR by value, wrong aud: JAR-11) is copied as Markdown and its Server log row as plain text,
 * read back from Chromium's real clipboard; the Logs search finds the request by rule id, client_id and
 * error, highlights what matched, and the export of what is shown is the searched requests as JSON and HAR.
 * A pasted DPoP proof's explanation is copied with its htu lens and clock line (issue 17), the access token
 * pasted for ath never in the text.
 */
import { join } from 'node:path';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { SCREENSHOT_DIR, expect, test } from './fixtures';
import { createVault, createPkjApplication, downloadText, savePkjTarget } from './helpers';

test.describe('Copy an explanation, search and export the logs', () => {
  test('copies a failing flow step as Markdown and its log row as plain text; searches and exports the logs', async ({ page, parley, context }) => {
    test.setTimeout(90_000);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: parley.origin });
    const clipboard = () => page.evaluate(() => navigator.clipboard.readText());
    await page.goto(parley.url);
    await createVault(page);
    const { clientId } = await createPkjApplication(page, 'Copy');

    await savePkjTarget(page, 'Copy');

    // JAR by value with a wrong aud: the server refuses it at /authorize (JAR-11).
    await page.getByLabel('Flow kind').selectOption({ label: 'JAR by value' });
    await page.getByLabel('Request object overrides (JSON)').fill('{"aud": "https://wrong.example/"}');
    const opened = context.waitForEvent('page');
    await page.getByRole('button', { name: 'Run flow' }).click();
    const tab = await opened;
    const authorize = page.getByRole('list', { name: 'Steps' }).getByRole('listitem', { name: /^Authorize/ });
    await expect(authorize).toContainText('JAR-11 failed');
    await tab.close();

    // The step's explanation, copied as Markdown: the failing rule first, expected and actual, the source linked, the fix, one line of passes.
    await authorize.getByRole('button', { name: 'Explain' }).click();
    const stepDialog = page.getByRole('dialog', { name: 'Explain · Authorize' });
    await stepDialog.getByRole('button', { name: 'Copy as Markdown' }).click();
    await expect(stepDialog.getByRole('status').filter({ hasText: 'The explanation was copied as Markdown.' })).toBeAttached();
    const md = await clipboard();
    const lines = md.split('\n');
    expect(lines[0]).toBe('### Explain · Authorize');
    expect(lines[2]).toMatch(/^\*\*JAR-11 fails — 1 of \d+ rules failed\. /);
    expect(lines[4]).toMatch(/^1\. \*\*`JAR-11`\*\*: /);
    expect(md).toContain('   - Actual: `https://wrong.example/`');
    expect(md).toMatch(/ {3}- Expected: `http:\/\/127\.0\.0\.1:\d+\/ \(or an array containing it\)`/);
    expect(md).toContain('[RFC 9101 §4](https://www.rfc-editor.org/rfc/rfc9101#section-4)');
    expect(md).toContain('   - How to fix: ');
    expect(md).toMatch(/\nRules passed: \d+ \(`/);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'explain-copy.png') });
    await stepDialog.getByRole('button', { name: 'Close' }).last().click();
    await expect(page.getByRole('dialog')).toHaveCount(0);

    // Server › Logs: the search finds the refused request by its failed rule, highlighted, and by the client.
    await page.getByRole('link', { name: 'Server' }).click();
    await page.getByRole('tab', { name: 'Logs' }).click();
    const table = page.getByRole('table', { name: 'Requests received by the server' });
    await expect(table.getByRole('row').filter({ hasText: 'JAR-11' })).toHaveCount(1);
    const all = (await table.getByRole('row').count()) - 1;
    expect(all).toBeGreaterThan(3);
    const search = page.getByRole('searchbox', { name: 'Search' });
    await search.fill('jar-11');
    await expect(page.getByRole('status').filter({ hasText: `1 of ${all} requests matches “jar-11”.` })).toBeVisible();
    await expect(table.getByRole('row')).toHaveCount(2);
    await expect(table.locator('mark')).toHaveText(['JAR-11']);
    // The export of what is shown: the one request found, as JSON.
    const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export JSON' }).click()]);
    expect(json.suggestedFilename()).toMatch(/^parley-logs-[\dT-]+\.json$/);
    const doc = JSON.parse(await downloadText(json)) as {
      count: number;
      filter: { query: string };
      traces: { failedRule?: string; clientId?: string; error?: string }[];
    };
    expect(doc.count).toBe(1);
    expect(doc.filter.query).toBe('jar-11');
    expect(doc.traces[0]).toMatchObject({ failedRule: 'JAR-11', clientId });
    const error = doc.traces[0]!.error!;
    expect(error).toMatch(/^invalid_/);

    // Part of the client_id is not a hit; the whole one finds the client's requests; with the error, the one refused.
    await search.fill(clientId.slice(0, 10));
    await expect(page.getByText(`No request matches “${clientId.slice(0, 10)}”.`)).toBeVisible();
    await search.fill(`client:${clientId}`);
    await expect(table.getByRole('row').filter({ hasText: 'JAR-11' })).toHaveCount(1);
    await expect(table.getByRole('row').filter({ hasText: '/.well-known/openid-configuration' })).toHaveCount(0);
    await search.fill(`${clientId} error:${error}`);
    await expect(table.getByRole('row')).toHaveCount(2);
    await expect(table.locator('mark').filter({ hasText: error })).toHaveCount(1);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'server-logs-search.png') });

    // As HAR: the one request, HAR 1.2.
    const [har] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export HAR' }).click()]);
    expect(har.suggestedFilename()).toMatch(/\.har$/);
    const log = (
      JSON.parse(await downloadText(har)) as { log: { version: string; entries: { request: { method: string; url: string }; response: { status: number } }[] } }
    ).log;
    expect(log.version).toBe('1.2');
    expect(log.entries).toHaveLength(1);
    expect(log.entries[0]!.request.method).toBe('GET');
    expect(log.entries[0]!.request.url).toMatch(/\/authorize$/);
    expect(log.entries[0]!.response.status).toBe(400);

    // The log row's explanation, copied as plain text.
    const row = table.getByRole('row').filter({ hasText: 'JAR-11' });
    await row.getByRole('button', { name: 'Explain' }).click();
    const logDialog = page.getByRole('dialog', { name: /^Explain · GET \/authorize/ });
    await logDialog.getByRole('button', { name: 'Copy as plain text' }).click();
    await expect(logDialog.getByRole('status').filter({ hasText: 'The explanation was copied as plain text.' })).toBeAttached();
    const plain = await clipboard();
    expect(plain.split('\n')[0]).toBe('Explain · GET /authorize (400)');
    expect(plain).toMatch(/\n✗ JAR-11: /);
    expect(plain).toContain('  Actual: https://wrong.example/');
    expect(plain).toContain('RFC 9101 §4 <https://www.rfc-editor.org/rfc/rfc9101#section-4>');
    expect(plain).not.toContain('**');
  });

  test('copies a DPoP proof’s explanation with its htu lens and clock line, without the access token', async ({ page, parley, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: parley.origin });
    const tokenUrl = 'https://tenant.example.com/oauth/token';
    const accessToken = 'planted-e2e-access-token-77ab';
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const iat = Math.floor(Date.now() / 1000) - 600;
    // Made for the token URL with a trailing slash, ten minutes ago: DPP-9 and DPP-10 fail.
    const proof = await new SignJWT({ jti: 'copy-e2e', htm: 'POST', htu: `${tokenUrl}/`, iat })
      .setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk: await exportJWK(publicKey) })
      .sign(privateKey);
    await page.goto(parley.url);
    await createVault(page);
    await page.getByRole('link', { name: 'Explain' }).click();
    const card = page.getByRole('region', { name: 'Explain a DPoP proof' });
    await card.getByRole('textbox', { name: 'DPoP proof' }).fill(proof);
    await card.getByRole('textbox', { name: 'Request line' }).fill(`POST ${tokenUrl}`);
    await card.getByRole('textbox', { name: 'Access token (optional)' }).fill(accessToken);
    await card.getByRole('button', { name: 'Explain the proof' }).click();
    const result = card.getByRole('region', { name: `DPoP proof for POST ${tokenUrl}` });
    await result.getByRole('button', { name: 'Copy as Markdown' }).click();
    await expect(result.getByRole('status').filter({ hasText: 'The explanation was copied as Markdown.' })).toBeAttached();
    const md = await page.evaluate(() => navigator.clipboard.readText());
    expect(md.split('\n')[0]).toBe(`### DPoP proof for POST ${tokenUrl}`);
    expect(md).toContain(
      '**htu lens**: The trailing slash differs. Usual cause: the same path with and without a final “/”; trailing slashes are significant.',
    );
    expect(md).toContain(`- URL the server computed: \`${tokenUrl}\``);
    expect(md).toContain(`- Proof’s htu: \`${tokenUrl}/\``);
    expect(md).toContain('- path — Differs: trailing slash (URL the server computed: `/oauth/token` · Proof’s htu: `/oauth/token/`)');
    expect(md).toContain('**Clock**: The proof is too old for the server’s window.');
    expect(md).toContain(`- Proof iat: \`${new Date(iat * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')}\` (${iat})`);
    expect(md).toMatch(/- iat − server time: −6\d\d s/);
    expect(md.indexOf('**htu lens**')).toBeLessThan(md.indexOf('**`DPP-'));
    expect(md).not.toContain(accessToken);
    await result.getByRole('button', { name: 'Copy as plain text' }).click();
    const plain = await page.evaluate(() => navigator.clipboard.readText());
    expect(plain).toContain(`htu lens: The trailing slash differs.`);
    expect(plain).toContain('Clock: The proof is too old for the server’s window.');
    expect(plain).not.toContain(accessToken);
  });
});
