/**
 * Web mode's first screen (issue 19: "first screen interactive ≤ 300 ms"), measured in Chromium the way a
 * user meets it: the renderer built as `npm run build:renderer` builds it (into a scratch directory), the web
 * host and core of `npm run web` in a process of their own (bench/first-screen-host.ts) over a fresh data
 * directory, and Chromium (Debian's
 * /usr/bin/chromium or PARLEY_CHROMIUM, through playwright-core, with the end-to-end tests' flags) opening a
 * new launch URL in a fresh browser context per run, so nothing is cached.
 *
 * Interactive means the first screen's form is painted and answers: the frame that paints the vault's
 * passphrase field (React has rendered the screen in the UI language; its handlers are attached when it
 * commits). The time is the page's own clock from the start of the navigation (performance.now() in the page:
 * a MutationObserver installed before any script runs, then the next animation frame), so Playwright's
 * polling adds nothing. Also reported:
 * the same on a reload (the hashed assets come from the browser's cache), the JavaScript the first load
 * transferred (compressed) and decoded, and first contentful paint.
 *
 * `npx tsx bench/first-screen.ts [--runs N]` runs it alone; `npm run bench` runs it first
 * (`--first-screen-runs N`, 0 = skip; `--first-screen-only`).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import type { Spread } from './report';
import { spread } from './report';

/** What the report shows (times in ms, sizes in bytes; medians over the runs with their range). */
export interface FirstScreenResult {
  runs: number;
  /** Navigation start → the first screen's form on the page, cold cache. */
  interactiveMs: Spread;
  /** The same after a reload in the same context (a new launch URL; assets from the cache). */
  reloadInteractiveMs: Spread;
  firstContentfulPaintMs: Spread;
  /** JavaScript of the first load over the wire (compressed) and after decoding. */
  scriptTransferBytes: number;
  scriptDecodedBytes: number;
  scriptRequests: number;
}

/** The end-to-end tests' Chromium flags (playwright.config.ts). */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

function chromiumPath(): string | undefined {
  const explicit = process.env['PARLEY_CHROMIUM'];
  if (explicit !== undefined && explicit.trim() !== '') return explicit;
  return existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
}

/**
 * Installed before any of the page's scripts: notes when the first screen's passphrase field appears. A
 * string, not a function: tsx would wrap a function's inner functions in a helper the page does not have.
 */
const WATCH_FIRST_SCREEN = `
  const observer = new MutationObserver(() => {
    if (document.querySelector('#root input[type="password"]') !== null) {
      observer.disconnect();
      // The frame that paints it: a user can use the field from then on.
      requestAnimationFrame(() => { window.__parleyInteractive = performance.now(); });
    }
  });
  observer.observe(document, { childList: true, subtree: true });
`;

/** What the measurement reads of the page's globals (bench/ is compiled without the DOM's types). */
interface PageGlobals {
  __parleyInteractive?: number;
  performance: {
    getEntriesByType(type: string): { name: string; startTime: number; transferSize?: number; decodedBodySize?: number }[];
    getEntriesByName(name: string): { startTime: number }[];
  };
}

interface Load {
  interactiveMs: number;
  fcpMs: number;
  scriptTransfer: number;
  scriptDecoded: number;
  scripts: number;
}

async function openOnce(page: Page, url: string): Promise<Load> {
  await page.goto(url, { waitUntil: 'commit' });
  // Functions run in the page (its CSP forbids evaluating strings); they use the page's globals, untyped here.
  await page.waitForFunction(() => (globalThis as unknown as PageGlobals).__parleyInteractive !== undefined, undefined, { timeout: 30_000, polling: 50 });
  await page.waitForFunction(() => (globalThis as unknown as PageGlobals).performance.getEntriesByName('first-contentful-paint').length > 0, undefined, {
    timeout: 30_000,
    polling: 50,
  });
  return page.evaluate(() => {
    const page = globalThis as unknown as PageGlobals;
    const interactive = page.__parleyInteractive ?? Number.POSITIVE_INFINITY;
    // What the first screen waited for, not what the idle preloads fetched after it.
    const scripts = page.performance.getEntriesByType('resource').filter((e) => /\.js(\?|$)/.test(e.name) && e.startTime < interactive);
    const fcp = page.performance.getEntriesByName('first-contentful-paint')[0];
    return {
      interactiveMs: page.__parleyInteractive ?? Number.NaN,
      fcpMs: fcp ? fcp.startTime : Number.NaN,
      scriptTransfer: scripts.reduce((sum, e) => sum + (e.transferSize ?? 0), 0),
      scriptDecoded: scripts.reduce((sum, e) => sum + (e.decodedBodySize ?? 0), 0),
      scripts: scripts.length,
    };
  });
}

/** Web mode in a child process (bench/first-screen-host.ts): its first launch URL, and more on request. */
async function startWebMode(rendererDir: string, dataDir: string): Promise<{ url: string; newLaunchUrl(): Promise<string>; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve('bench/first-screen-host.ts'), rendererDir, dataDir], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const waiting: ((line: string) => void)[] = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  const next = () =>
    Promise.race([
      new Promise<string>((resolveLine) => waiting.push((line) => resolveLine((JSON.parse(line) as { url: string }).url))),
      exited.then(() => Promise.reject(new Error('bench/first-screen-host.ts exited early'))),
    ]);
  const url = await next();
  return {
    url,
    newLaunchUrl: () => {
      const answer = next();
      child.stdin!.write('\n');
      return answer;
    },
    stop: async () => {
      child.stdin!.end();
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGTERM');
    },
  };
}

/** Builds the renderer, starts web mode in a child process, and opens its first screen `runs` times. */
export async function measureFirstScreen(runs: number, log: (m: string) => void): Promise<FirstScreenResult> {
  const scratch = mkdtempSync(join(tmpdir(), 'parley-bench-first-screen-'));
  const rendererDir = join(scratch, 'renderer');
  let web: Awaited<ReturnType<typeof startWebMode>> | undefined;
  const browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
  try {
    await build({ configFile: resolve('renderer/vite.config.ts'), logLevel: 'warn', build: { outDir: rendererDir, emptyOutDir: true } });
    web = await startWebMode(rendererDir, join(scratch, 'data'));
    const cold: Load[] = [];
    const warm: Load[] = [];
    // One unmeasured run: the host's and Chromium's own first-time costs are not the page's.
    for (let i = -1; i < runs; i++) {
      const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
      await context.addInitScript({ content: WATCH_FIRST_SCREEN });
      const page = await context.newPage();
      const first = await openOnce(page, i < 0 ? web.url : await web.newLaunchUrl());
      const again = await openOnce(page, await web.newLaunchUrl());
      await context.close();
      if (i < 0) continue;
      cold.push(first);
      warm.push(again);
    }
    const last = cold[cold.length - 1]!;
    const result: FirstScreenResult = {
      runs,
      // Painted: the field's frame, or the first contentful paint when the browser presents that later.
      interactiveMs: spread(cold.map((l) => Math.max(l.interactiveMs, l.fcpMs))),
      reloadInteractiveMs: spread(warm.map((l) => Math.max(l.interactiveMs, l.fcpMs))),
      firstContentfulPaintMs: spread(cold.map((l) => l.fcpMs)),
      scriptTransferBytes: last.scriptTransfer,
      scriptDecodedBytes: last.scriptDecoded,
      scriptRequests: last.scripts,
    };
    log(firstScreenLine(result));
    return result;
  } finally {
    await browser.close();
    await web?.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

function range(s: Spread): string {
  return `${s.median.toFixed(0)} ms (${s.min.toFixed(0)}–${s.max.toFixed(0)})`;
}

/** One line for the report. */
export function firstScreenLine(r: FirstScreenResult): string {
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
  return (
    `First screen in web mode (Chromium, cold cache, median of ${r.runs}): interactive after ${range(r.interactiveMs)}, ` +
    `first contentful paint ${range(r.firstContentfulPaintMs)}; on a reload ${range(r.reloadInteractiveMs)}. ` +
    `JavaScript of the first load: ${r.scriptRequests} files, ${kb(r.scriptTransferBytes)} transferred, ${kb(r.scriptDecodedBytes)} decoded.`
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' } } });
  const started = performance.now();
  measureFirstScreen(Number(values.runs), (m) => console.error(`[first-screen ${((performance.now() - started) / 1000).toFixed(0)} s] ${m}`)).then(
    (r) => console.log(JSON.stringify(r, null, 2)),
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
