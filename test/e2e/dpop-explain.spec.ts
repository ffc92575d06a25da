/**
 * DPoP in Explain, Inspect and Compose (issue 17), in web mode in a real browser. Proofs are made here
 * with a real EC P-256 key (jose in Node) and pasted: one whose htu has a reverse-proxy path prefix shows
 * the htu lens with the path marked and the cause named; one with a stale iat shows the clock line. Inspect
 * shows a proof's claims and thumbprint and names the vault key a cnf.jkt token is bound to; Compose signs a
 * proof with a vault key and lints it. A public DPoP client's flow shows the nonce history in its exchange
 * step's explanation, and in its copied text. In ja-JP the lens is in Japanese.
 */
import AxeBuilder from '@axe-core/playwright';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompactSign, calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { JWK } from 'jose';
import { SCREENSHOT_DIR, expect, test } from './fixtures';
import { createVault, op, signInOnTab } from './helpers';

const TOKEN_URL = 'https://tenant.example.com/oauth/token';

/** A signed DPoP proof with a fresh key; `claims` patch the defaults. */
async function makeProof(claims: Record<string, unknown> = {}): Promise<{ proof: string; jwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = await exportJWK(publicKey);
  const payload = { jti: `jti-${Math.random().toString(36).slice(2)}`, htm: 'POST', htu: TOKEN_URL, iat: Math.floor(Date.now() / 1000), ...claims };
  const proof = await new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk })
    .sign(privateKey);
  return { proof, jwk };
}

test.describe('DPoP tools', () => {
  test('Explain shows the htu lens and the clock line; Inspect shows a proof and a bound token; Compose lints a proof', async ({ page, parley }) => {
    const prefixed = await makeProof({ htu: 'https://tenant.example.com/auth/oauth/token' });
    const stale = await makeProof({ iat: Math.floor(Date.now() / 1000) - 600 });

    await page.goto(parley.url);
    await createVault(page);
    await page.getByRole('link', { name: 'Explain' }).click();

    // Pasted in the request box, a proof is recognised and pointed to the DPoP card (it is not a request object).
    await page.getByRole('textbox', { name: 'Request', exact: true }).fill(prefixed.proof);
    await expect(page.getByText('Detected: a DPoP proof. It is judged for the request it was sent with')).toBeVisible();

    // A proof made behind a path prefix: DPP-9 on top, the lens marks the path and names the cause.
    const card = page.getByRole('region', { name: 'Explain a DPoP proof' });
    await card.getByRole('textbox', { name: 'DPoP proof' }).fill(prefixed.proof);
    await card.getByRole('textbox', { name: 'Request line' }).fill(`POST ${TOKEN_URL}`);
    await card.getByRole('button', { name: 'Explain the proof' }).click();
    const lens = card.getByRole('region', { name: 'htu lens' });
    await expect(lens).toContainText('The path differs.');
    await expect(lens).toContainText('Usual cause: a path prefix (a mount path or reverse-proxy prefix) on one side only.');
    await expect(lens.locator('tr[data-part="path"]')).toContainText('/oauth/token/auth/oauth/tokenDiffers');
    for (const part of ['scheme', 'host', 'port']) await expect(lens.locator(`tr[data-part="${part}"]`)).toContainText('Same');
    const result = card.getByRole('region', { name: `DPoP proof for POST ${TOKEN_URL}` });
    await expect(result.locator('.explain-list .rule').first()).toContainText('DPP-9');
    await expect(card.getByRole('region', { name: 'Clock' })).toContainText('The proof’s iat is inside the server’s window.');
    await lens.screenshot({ path: join(SCREENSHOT_DIR, 'dpop-htu-lens.png') });

    // A stale iat: DPP-10 on top, the clock line says the proof is too old, with the skew from the Date.
    await card.getByRole('textbox', { name: 'DPoP proof' }).fill(stale.proof);
    await card.getByRole('textbox', { name: 'Response Date (optional)' }).fill(new Date().toUTCString());
    await card.getByRole('button', { name: 'Explain the proof' }).click();
    const clock = card.getByRole('region', { name: 'Clock' });
    await expect(clock).toContainText('The proof is too old for the server’s window.');
    await expect(clock).toContainText('300 s before to 30 s after the server time');
    await expect(clock).toContainText(/Measured skew−6\d\d s against the response Date/);
    await expect(result.locator('.explain-list .rule').first()).toContainText('DPP-10');
    await expect(card.getByRole('region', { name: 'htu lens' })).toContainText('The proof’s htu matches the URL the server computed.');
    // The lens, the clock line and the rules pass axe (WCAG 2.1 AA): the differing part is said in words, not colour only.
    const axe = await new AxeBuilder({ page }).include('.dpop-explain').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);

    // Inspect: a proof's claims and its key's thumbprint.
    await page.getByRole('link', { name: 'Inspect' }).click();
    await page.getByRole('textbox', { name: 'Token', exact: true }).fill(prefixed.proof);
    const inspectCard = page.getByTestId('dpop-inspect');
    await expect(inspectCard.getByRole('heading', { name: 'DPoP proof' })).toBeVisible();
    await expect(inspectCard).toContainText('htuhttps://tenant.example.com/auth/oauth/token');
    await expect(inspectCard).toContainText(`Key thumbprint (RFC 7638)${await calculateJwkThumbprint(prefixed.jwk, 'sha256')}`);

    // A token bound to a vault key (cnf.jkt = the key's thumbprint) names the key.
    const key = await op<{ id: string; thumbprint: string }>(page, 'keys.generate', {
      name: 'DPoP e2e key',
      spec: { kty: 'EC', crv: 'P-256' },
      usages: ['other'],
    });
    const { privateKey } = await generateKeyPair('RS256');
    const bound = await new SignJWT({ sub: 'user-1', cnf: { jkt: key.thumbprint } }).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt' }).sign(privateKey);
    await page.getByRole('textbox', { name: 'Token', exact: true }).fill(bound);
    await expect(inspectCard.getByRole('heading', { name: 'DPoP binding' })).toBeVisible();
    await expect(inspectCard).toContainText(`Bound to the vault key DPoP e2e key: ${key.thumbprint}`);
    // An mTLS-bound token (cnf.x5t#S256), which Auth0 types DPoP too, is named certificate-bound, not DPoP-bound.
    const x5t = 'bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2';
    const certBound = await new SignJWT({ sub: 'user-1', cnf: { 'x5t#S256': x5t } }).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt' }).sign(privateKey);
    await page.getByRole('textbox', { name: 'Token', exact: true }).fill(certBound);
    await expect(inspectCard.getByRole('heading', { name: 'Certificate binding (mTLS)' })).toBeVisible();
    await expect(inspectCard).toContainText(`Bound to an mTLS client certificate, not to a DPoP key; its x5t#S256: ${x5t}`);
    await expect(inspectCard).not.toContainText('vault key');

    // Compose: the template for a request, signed with the vault key, linted by the server's rules.
    await page.getByRole('link', { name: 'Compose' }).click();
    const compose = page.getByRole('region', { name: 'DPoP proof', exact: true });
    await expect(compose.getByRole('combobox', { name: 'Key' })).toHaveValue(key.id);
    await compose.getByRole('textbox', { name: 'Request URL' }).fill(`${TOKEN_URL}?x=1`);
    await compose.getByRole('button', { name: 'Sign and check' }).click();
    const signed = compose.getByRole('textbox', { name: 'Signed proof' });
    await expect(signed).toHaveValue(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    await expect(compose.locator('.explain-verdict')).toContainText(/All \d+ rules passed\./);
    const header = JSON.parse(Buffer.from((await signed.inputValue()).split('.')[0] ?? '', 'base64url').toString('utf8')) as { typ: string; jwk: JWK };
    expect(header.typ).toBe('dpop+jwt');
    expect(await calculateJwkThumbprint(header.jwk, 'sha256')).toBe(key.thumbprint);
    // The template dropped the query from htu (DPP-9 passed); the same POST proof checked for a GET request fails DPP-8.
    await compose.getByRole('combobox', { name: 'Method' }).selectOption('GET');
    await compose.getByRole('button', { name: 'Sign and check' }).click();
    await expect(compose.locator('.explain-list .rule').first()).toContainText('DPP-8');
  });

  test('a flow step’s explanation shows its nonce history: the challenge, the retry with the nonce, the answer', async ({ page, parley, context }) => {
    test.setTimeout(90_000);
    const user = parley.ready.users![0]!;
    await page.goto(parley.url);
    await createVault(page);
    // A public client (no secret, no assertion): the embedded server puts it under the nonce policy (DPN-1).
    await op(page, 'keys.generate', { name: 'Flow DPoP key', spec: { kty: 'EC', crv: 'P-256' }, usages: ['other'] });
    await op(page, 'server.createClient', {
      body: { name: 'DPoP Public App', app_type: 'spa', callbacks: [], grant_types: ['authorization_code'], token_endpoint_auth_method: 'none' },
    });
    await page.getByRole('link', { name: 'Flows' }).click();
    await page.getByRole('button', { name: 'New target' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Application', { exact: true }).selectOption({ label: 'DPoP Public App' });
    await dialog.getByLabel('Client authentication').selectOption('none');
    await dialog.getByLabel('DPoP key (optional)').selectOption({ label: 'Flow DPoP key' });
    await dialog.getByRole('button', { name: 'Save target' }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);

    await page.getByLabel('Flow kind').selectOption({ label: 'Plain authorize' });
    const opened = context.waitForEvent('page');
    await page.getByRole('button', { name: 'Run flow' }).click();
    await signInOnTab(await opened, user);
    const timeline = page.getByRole('list', { name: 'Steps' });
    await expect(timeline.getByRole('listitem', { name: /^Verify/ })).toContainText('OK', { timeout: 15_000 });

    await timeline
      .getByRole('listitem', { name: /^Exchange/ })
      .getByRole('button', { name: 'Explain' })
      .click();
    const history = page.getByRole('dialog').getByRole('region', { name: 'Nonce history' });
    await expect(history.getByRole('listitem').nth(0)).toHaveText('Request 1 was sent with a proof without a nonce.');
    await expect(history.getByRole('listitem').nth(1)).toContainText(/^The server answered 400 with a nonce challenge, nonce \S+\.$/);
    const nonce = /nonce (\S+)\.$/.exec((await history.getByRole('listitem').nth(1).textContent()) ?? '')?.[1];
    await expect(history.getByRole('listitem').nth(2)).toHaveText(`Request 2 was sent with a proof carrying the nonce ${nonce}.`);
    await expect(history.getByRole('listitem').last()).toHaveText('The server answered 200.');
    // Copied, the explanation carries the history above the rules (shared/explain/dpop-text.ts).
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: parley.origin });
    await page.getByRole('dialog').getByRole('button', { name: 'Copy as plain text' }).click();
    const plain = await page.evaluate(() => navigator.clipboard.readText());
    expect(plain).toContain(
      `Nonce history\n  1. Request 1 was sent with a proof without a nonce.\n  2. The server answered 400 with a nonce challenge, nonce ${nonce}.\n  3. Request 2 was sent with a proof carrying the nonce ${nonce}.`,
    );
  });

  test('ja-JP: the htu lens labels are translated', async ({ page, parley }) => {
    const ja = JSON.parse(readFileSync(join(process.cwd(), 'renderer/src/i18n/locales', 'ja-JP.json'), 'utf8')) as {
      nav: Record<string, string>;
      dpopTools: { explain: Record<string, string>; lens: Record<string, string> & { parts: Record<string, string>; causes: Record<string, string> } };
    };
    const prefixed = await makeProof({ htu: 'https://tenant.example.com/auth/oauth/token' });
    await page.goto(parley.url);
    await createVault(page);
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Language').selectOption('ja-JP');
    await expect(page.locator('html')).toHaveAttribute('lang', 'ja-JP');
    await page.getByRole('link', { name: ja.nav['explain']!, exact: true }).click();
    const card = page.getByRole('region', { name: ja.dpopTools.explain['title']! });
    await card.getByRole('textbox', { name: ja.dpopTools.explain['proof']!, exact: true }).fill(prefixed.proof);
    await card.getByRole('textbox', { name: ja.dpopTools.explain['requestLine']! }).fill(`POST ${TOKEN_URL}`);
    await card.getByRole('button', { name: ja.dpopTools.explain['button']! }).click();
    const lens = card.getByRole('region', { name: ja.dpopTools.lens['title']! });
    await expect(lens).toContainText('パスが異なります。');
    await expect(lens).toContainText(`よくある原因：${ja.dpopTools.lens.causes['pathPrefix']!}`);
    await expect(lens.getByRole('columnheader')).toHaveText([
      ja.dpopTools.lens['part']!,
      ja.dpopTools.lens['server']!,
      ja.dpopTools.lens['proof']!,
      ja.dpopTools.lens['status']!,
    ]);
    await expect(lens.locator('tr[data-part="path"]')).toContainText(ja.dpopTools.lens['rowDiffers']!);
    await expect(lens.locator('tr[data-part="path"] th')).toHaveText(ja.dpopTools.lens.parts['path']!);
  });
});
