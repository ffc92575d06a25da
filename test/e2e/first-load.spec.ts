/**
 * The first load in a language other than English (issue 19: the catalogues are loaded when needed): a
 * Japanese system gets its catalogue before the first render, so the first screen never shows a key or
 * English first, and the French catalogue is never fetched. Every text the page showed while loading is
 * recorded from the first script on (a MutationObserver installed before the page's own scripts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures';

function catalogue(language: string): { vault: { setup: { title: string } }; nav: Record<string, string> } {
  return JSON.parse(readFileSync(join(process.cwd(), 'renderer/src/i18n/locales', `${language}.json`), 'utf8')) as never;
}

/** Records #root's text after every change, from before the page's scripts run. */
const RECORD_TEXTS = `
  window.__parleyTexts = [];
  new MutationObserver(() => {
    const root = document.getElementById('root');
    if (root) window.__parleyTexts.push(root.textContent ?? '');
  }).observe(document, { childList: true, subtree: true, characterData: true });
`;

test.use({ locale: 'ja-JP' });

test('a Japanese system: the first screen is Japanese from its first frame, no key and no English before it', async ({ page, parley }) => {
  const ja = catalogue('ja-JP');
  const en = catalogue('en');
  const catalogues: string[] = [];
  page.on('request', (request) => {
    const name = /\/assets\/((?:fr-CA|ja-JP|en)-[^/]+\.js)$/.exec(request.url())?.[1];
    if (name) catalogues.push(name);
  });
  await page.addInitScript({ content: RECORD_TEXTS });
  await page.goto(parley.url);
  await expect(page.getByRole('heading', { name: ja.vault.setup.title })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja-JP');

  const texts = (await page.evaluate(() => (window as unknown as { __parleyTexts: string[] }).__parleyTexts)).filter((text) => text.trim() !== '');
  expect(texts.length).toBeGreaterThan(0);
  for (const text of texts) {
    expect(text).not.toContain(en.vault.setup.title);
    // A key shown instead of its text (i18next returns the key when a catalogue is missing).
    expect(text).not.toMatch(/\bvault\.[a-z]+\.[a-zA-Z]+\b|\bapp\.(name|tagline)\b/);
  }
  expect(texts[0]).toContain(ja.vault.setup.title);
  expect(catalogues.some((name) => name.startsWith('ja-JP-'))).toBe(true);
  expect(catalogues.some((name) => name.startsWith('fr-CA-'))).toBe(false);
});
