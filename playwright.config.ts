import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

/**
 * Which Chromium drives web mode in the end-to-end tests, first match wins:
 * 1. PARLEY_CHROMIUM, when set: an explicit choice beats any guess (and a wrong path fails loudly);
 * 2. /usr/bin/chromium, Debian's, where it exists (this project's CI; Playwright downloads nothing there);
 * 3. Playwright's own Chromium (macOS, Windows, other Linux): run `npx playwright install chromium` once.
 */
function chromiumPath(): string | undefined {
  const explicit = process.env['PARLEY_CHROMIUM'];
  if (explicit !== undefined && explicit.trim() !== '') return explicit;
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  return undefined;
}

export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results/playwright',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: [['list']],
  use: {
    headless: true,
    locale: 'en-US',
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: chromiumPath(),
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
      ],
    },
    trace: 'off',
    screenshot: 'only-on-failure',
  },
});
