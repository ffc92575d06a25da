/**
 * Rule texts in the UI language (issue 18, "Mixed languages"): in fr-CA and ja-JP, Explain and the Compose
 * lint show every rule's summary and fix translated, with the rule id as it is; only the failure's own
 * English detail is marked `lang="en"`. Screenshots of both screens in both languages are kept. A DPoP
 * proof's failure in ja-JP: its expected and actual values translated, and copied with the lens and clock line.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { SCREENSHOT_DIR, expect, test } from './fixtures';
import { createVault } from './helpers';

const ISSUER = 'https://tenant.example.com/';

function catalogue(language: string): { nav: Record<string, string>; explain: { paste: Record<string, string> } } {
  return JSON.parse(readFileSync(join(process.cwd(), 'renderer/src/i18n/locales', `${language}.json`), 'utf8')) as never;
}
function rules(language: string): { rules: Record<string, { summary: string; fix?: string }> } {
  return JSON.parse(readFileSync(join(process.cwd(), 'renderer/src/i18n/rules', `${language}.json`), 'utf8')) as never;
}

for (const language of ['fr-CA', 'ja-JP'] as const) {
  test(`${language}: Explain and the Compose lint show the rules' summaries and fixes translated`, async ({ page, parley }) => {
    const ui = catalogue(language);
    const texts = rules(language).rules;
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'customer-key-1', use: 'sig' };
    const now = Math.floor(Date.now() / 1000);
    const requestObject = await new SignJWT({
      iss: 'customer-app',
      aud: 'https://wrong.example/',
      client_id: 'customer-app',
      response_type: 'code',
      redirect_uri: 'https://app.example/cb',
      scope: 'openid',
      state: 's1',
      nonce: 'n1',
      iat: now,
      nbf: now,
      exp: now + 300,
    })
      .setProtectedHeader({ alg: 'RS256', typ: 'oauth-authz-req+jwt', kid: 'customer-key-1' })
      .sign(privateKey);

    await page.goto(parley.url);
    await createVault(page);
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Language').selectOption(language);
    await expect(page.locator('html')).toHaveAttribute('lang', language);

    await page.getByRole('link', { name: ui.nav['explain']!, exact: true }).click();
    await page.getByRole('textbox', { name: ui.explain.paste['input']!, exact: true }).fill(requestObject);
    await page.getByRole('textbox', { name: ui.explain.paste['issuer']!, exact: true }).fill(ISSUER);
    await page.getByRole('textbox', { name: ui.explain.paste['key']!, exact: true }).fill(JSON.stringify(jwk));
    await page.locator('form.explain-card button[type="submit"]').click();

    const first = page.locator('.explain-list .rule').first();
    await expect(first).toContainText('JAR-11');
    await expect(first).toContainText(texts['JAR-11']!.summary);
    await expect(first).toContainText(texts['JAR-11']!.fix!);
    await expect(first).not.toContainText('Set aud to the issuer');
    // The passed rules, folded away, are translated too: not one English summary among them.
    await page.locator('.explain-passed > summary').click();
    await expect(page.locator('.explain-passed')).toContainText(texts['JAR-10']!.summary);
    await expect(page.locator('.explain-view .rule-message[lang="en"], .explain-view .rule-fix [lang="en"]')).toHaveCount(0);
    // The expected and actual values too: the server's fixed English phrases translated, the values as they are.
    await expect(first.locator('.rule-values')).toContainText(ISSUER);
    await expect(first.locator('.rule-values')).toContainText(language === 'fr-CA' ? '(ou un tableau qui la contient)' : '（またはそれを含む配列）');
    await expect(page.locator('.explain-view .rule-values [lang="en"]')).toHaveCount(0);
    // A passed rule shows no English sentence of its own (JAR-8's "The signature is valid: …" repeats it).
    await expect(page.locator('.explain-passed .rule-detail')).toHaveCount(0);
    await page.screenshot({ path: join(SCREENSHOT_DIR, `explain-rules-${language}.png`), fullPage: true });

    // Compose: the starting draft, then an HMAC alg: JWT-2 fails, in the UI language, with the English detail marked.
    await page.getByRole('link', { name: catalogue(language).nav['compose']!, exact: true }).click();
    const lint = page.locator('.lint-panel');
    await expect(lint).toBeVisible();
    await expect(lint.locator('.lint-passed')).toBeVisible();
    await lint.locator('.lint-passed > summary').click();
    for (const item of await lint.locator('.lint-passed li').all()) {
      const id = (await item.locator('.lint-id').textContent())!;
      await expect(item, id).toContainText(texts[id]!.summary.replace(/\{\{token\}\}.*/, '').slice(0, 10));
    }
    await page.screenshot({ path: join(SCREENSHOT_DIR, `compose-lint-${language}.png`), fullPage: true });
  });
}

test('fr-CA: a flow run names its tokens and the built-in target in French, in whole sentences', async ({ page, parley }) => {
  test.setTimeout(60_000);
  const fr = JSON.parse(readFileSync(join(process.cwd(), 'renderer/src/i18n/locales', 'fr-CA.json'), 'utf8')) as {
    nav: Record<string, string>;
    flows: { form: Record<string, string>; kinds: Record<string, string>; target: Record<string, string>; jwt: Record<string, Record<string, string>> };
  };
  await page.goto(parley.url);
  await createVault(page);
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByLabel('Language').selectOption('fr-CA');
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr-CA');

  await page.getByRole('link', { name: fr.nav['flows']!, exact: true }).click();
  // The built-in target is named from the catalogue, not by the core's English string.
  const target = page.getByLabel(fr.flows.form['target']!, { exact: true });
  await expect(target.locator('option', { hasText: 'Serveur intégré (client Management API)' })).toHaveCount(1);
  await expect(target.locator('option', { hasText: 'Embedded server' })).toHaveCount(0);
  await target.selectOption({ label: fr.flows.target['builtInName']! });
  await page.getByLabel(fr.flows.form['kind']!).selectOption({ label: fr.flows.kinds['clientCredentials']! });
  await page.getByRole('button', { name: fr.flows.form['run']! }).click();

  // The access token the token endpoint returned: "Ouvrir le jeton d’accès dans l’écran Inspecter", never "Ouvrir Access token dans …".
  const open = page.getByRole('link', { name: 'Ouvrir le jeton d’accès dans l’écran Inspecter', exact: true });
  await expect(open).toBeVisible({ timeout: 15_000 });
  await expect(open).toHaveAttribute('href', /^#\/inspect\?token=eyJ/);
  await expect(page.locator('.flow-jwts')).toContainText(fr.flows.jwt['accessToken']!['name']!);
  await expect(page.locator('main')).not.toContainText('Access token');
  await expect(page.locator('main')).not.toContainText('Embedded server');
});

test('ja-JP: a flow run uses Auth0’s Japanese terms (クライアント資格情報) and names its tokens in Japanese', async ({ page, parley }) => {
  test.setTimeout(60_000);
  const ja = JSON.parse(readFileSync(join(process.cwd(), 'renderer/src/i18n/locales', 'ja-JP.json'), 'utf8')) as {
    nav: Record<string, string>;
    flows: { form: Record<string, string>; kinds: Record<string, string>; target: Record<string, string>; jwt: Record<string, Record<string, string>> };
  };
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(parley.url);
  await createVault(page);
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByLabel('Language').selectOption('ja-JP');
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja-JP');

  await page.getByRole('link', { name: ja.nav['flows']!, exact: true }).click();
  await page.getByLabel(ja.flows.form['target']!, { exact: true }).selectOption({ label: ja.flows.target['builtInName']! });
  await page.getByLabel(ja.flows.form['kind']!).selectOption({ label: 'クライアント資格情報' });
  await page.getByRole('button', { name: ja.flows.form['run']! }).click();
  await expect(page.locator('.flow-jwts')).toContainText(ja.flows.jwt['accessToken']!['name']!, { timeout: 15_000 });
  await expect(page.locator('main')).not.toContainText('Access token');
  await expect(page.locator('main')).not.toContainText(/クライアントクレデンシャル|Client Credentials|リクエスト/);
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'flows-run-ja-JP.png') });
});

test('ja-JP: a DPoP proof’s failures show their values in Japanese, and are copied with the htu lens and the clock line', async ({ page, parley, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: parley.origin });
  const ja = JSON.parse(readFileSync(join(process.cwd(), 'renderer/src/i18n/locales', 'ja-JP.json'), 'utf8')) as {
    nav: Record<string, string>;
    dpopTools: { explain: Record<string, string> };
    explain: { copy: Record<string, string> };
  };
  const tokenUrl = `${ISSUER}oauth/token`;
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  // A proof for another method, ten minutes old, with a nonce the server never issued: DPP-8, DPP-10, DPN-4.
  const proof = await new SignJWT({ jti: 'ja-dpop', htm: 'GET', htu: tokenUrl, iat: Math.floor(Date.now() / 1000) - 600, nonce: 'old-nonce' })
    .setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk: await exportJWK(publicKey) })
    .sign(privateKey);
  await page.goto(parley.url);
  await createVault(page);
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByLabel('Language').selectOption('ja-JP');
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja-JP');
  await page.getByRole('link', { name: ja.nav['explain']!, exact: true }).click();
  const card = page.getByRole('region', { name: ja.dpopTools.explain['title']! });
  await card.getByRole('textbox', { name: ja.dpopTools.explain['proof']!, exact: true }).fill(proof);
  await card.getByRole('textbox', { name: ja.dpopTools.explain['requestLine']! }).fill(`POST ${tokenUrl}`);
  await card.getByRole('textbox', { name: ja.dpopTools.explain['nonce']! }).fill('current-nonce');
  await card.getByRole('button', { name: ja.dpopTools.explain['button']! }).click();
  const failed = card.locator('.explain-list .rule-failed');
  await expect(failed.filter({ hasText: 'DPP-10' }).locator('.rule-values')).toContainText(/現在 − 300秒 ≤ iat ≤ 現在 \+ 30秒（現在 = [\d.]+）/);
  await expect(failed.filter({ hasText: 'DPN-4' }).locator('.rule-values')).toContainText('不明（old-nonce）');
  // No English value phrase left in the DPoP explanation.
  await expect(card.locator('.explain-view .rule-values [lang="en"]')).toHaveCount(0);
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'explain-dpop-ja-JP.png'), fullPage: true });
  await card.getByRole('button', { name: ja.explain.copy['markdown']! }).click();
  await expect(card.getByRole('status').filter({ hasText: ja.explain.copy['copiedMarkdown']! })).toBeAttached();
  const md = await page.evaluate(() => navigator.clipboard.readText());
  expect(md).toContain('**htuレンズ**：証明のhtuはサーバーが算出したURLと一致します。');
  expect(md).toContain('**時刻**：証明はサーバーの許容範囲より古すぎます。');
  expect(md).toContain('- 許容範囲：サーバー時刻の300秒前から30秒後まで');
  expect(md).not.toMatch(/htu lens|Clock|Usual cause/);
});
