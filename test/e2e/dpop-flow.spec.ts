/**
 * A DPoP flow end to end (issue 17, Acceptance 2), in web mode in a real browser: PAR + JAR with a
 * private_key_jwt client and an EC P-256 DPoP key against the embedded server, signing in on the tab it
 * opens, to a verified ID token and a userinfo call with the bound access token (token_type DPoP). Then the
 * run's own PAR proof, pasted into Explain with a request line whose URL has a reverse-proxy path prefix,
 * shows the htu lens with the path marked and the cause named.
 */
import { expect, test } from './fixtures';
import { createPkjApplication, createVault, op, signInOnTab } from './helpers';

test.describe('DPoP flow', () => {
  test('PAR + JAR + private_key_jwt with DPoP reaches a verified ID token and userinfo, then Explain shows an htu mismatch with the lens', async ({
    page,
    parley,
    context,
  }) => {
    test.setTimeout(120_000);
    const user = parley.ready.users![0]!;
    await page.goto(parley.url);
    await createVault(page);
    await createPkjApplication(page, 'DPoP');
    await op(page, 'keys.generate', { name: 'DPoP proof key', spec: { kty: 'EC', crv: 'P-256' }, usages: ['other'] });

    await page.getByRole('link', { name: 'Flows' }).click();
    await page.getByRole('button', { name: 'New target' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Application', { exact: true }).selectOption({ label: 'DPoP App' });
    await dialog.getByLabel('Client authentication').selectOption('private_key_jwt');
    await dialog.getByLabel('Client assertion key').selectOption({ label: 'DPoP auth key' });
    await dialog.getByLabel('Request object key').selectOption({ label: 'DPoP JAR key' });
    await dialog.getByLabel('DPoP key (optional)').selectOption({ label: 'DPoP proof key' });
    await dialog.getByRole('button', { name: 'Save target' }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);

    await page.getByLabel('Flow kind').selectOption({ label: 'PAR + JAR' });
    const opened = context.waitForEvent('page');
    await page.getByRole('button', { name: 'Run flow' }).click();
    await signInOnTab(await opened, user);

    const timeline = page.getByRole('list', { name: 'Steps' });
    await expect(timeline.getByRole('listitem', { name: /^Verify/ })).toContainText('OK', { timeout: 20_000 });
    for (const step of ['Discover', 'Build', 'Push', 'Authorize', 'Callback', 'Exchange', 'Verify'])
      await expect(timeline.getByRole('listitem', { name: new RegExp(`^${step} · OK`) })).toBeVisible();
    await expect(page.getByText('Succeeded').first()).toBeVisible();
    await expect(page.getByRole('heading', { name: 'ID token claims' })).toBeVisible();
    // The pushed request carried a proof; the token is DPoP-bound; userinfo was called with it and answered 200.
    await expect(timeline.getByRole('listitem', { name: /^Push/ })).toContainText('POST /oauth/par → 201');
    await expect(timeline.getByRole('listitem', { name: /^Exchange/ })).toContainText('"token_type":"DPoP"');
    const verify = timeline.getByRole('listitem', { name: /^Verify/ });
    await expect(verify).toContainText('Userinfo: the access token sent with the scheme its token_type names');
    await expect(verify).toContainText('GET /userinfo → 200');

    // The run's PAR proof, as the Push step links it, pasted into Explain behind a path prefix.
    const proofLink = timeline.getByRole('listitem', { name: /^Push/ }).getByRole('link', { name: 'Open DPoP in Inspect' }).first();
    const href = (await proofLink.getAttribute('href')) ?? '';
    const proof = new URLSearchParams(href.split('?')[1] ?? '').get('token') ?? '';
    expect(proof).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    const htu = (JSON.parse(Buffer.from(proof.split('.')[1]!, 'base64url').toString('utf8')) as { htu: string }).htu;
    const prefixed = htu.replace('/oauth/par', '/auth/oauth/par');

    await page.getByRole('link', { name: 'Explain' }).click();
    const card = page.getByRole('region', { name: 'Explain a DPoP proof' });
    await card.getByRole('textbox', { name: 'DPoP proof' }).fill(proof);
    await card.getByRole('textbox', { name: 'Request line' }).fill(`POST ${prefixed}`);
    await card.getByRole('button', { name: 'Explain the proof' }).click();
    const lens = card.getByRole('region', { name: 'htu lens' });
    await expect(lens).toContainText('The path differs.');
    await expect(lens).toContainText('Usual cause: a path prefix (a mount path or reverse-proxy prefix) on one side only.');
    await expect(lens.locator('tr[data-part="path"]')).toContainText('/auth/oauth/par/oauth/parDiffers');
    for (const part of ['scheme', 'host', 'port']) await expect(lens.locator(`tr[data-part="${part}"]`)).toContainText('Same');
    await expect(
      card
        .getByRole('region', { name: `DPoP proof for POST ${prefixed}` })
        .locator('.explain-list .rule')
        .first(),
    ).toContainText('DPP-9');
  });
});
