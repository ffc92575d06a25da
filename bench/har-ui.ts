/**
 * A large HAR file opened in the app (issue 19: "HAR files of 50 MB open without freezing the screen"),
 * measured in Chromium the way a user meets it: the renderer built as `npm run build:renderer` builds it
 * (into a scratch directory), web mode's host and core in this process, the file chosen on the Explain
 * screen's HAR card. The page's own clock reports, from the file being chosen to the removals being shown:
 * the time taken, the longest main-thread task (the Long Tasks API: any task over 50 ms) and the longest
 * gap between two animation frames, i.e. how long the screen could not answer. The worker
 * (renderer/src/features/har/har.worker.ts) reads and parses the file; these numbers say what is left on
 * the main thread.
 *
 * The file is made here: page loads (scripts as text, images as base64) around real-shaped OAuth exchanges
 * (discovery, PAR with a signed request object, token), most of its size being what a customer's capture
 * holds besides the sign-in. `npx tsx bench/har-ui.ts [--mb 50] [--runs 3]`; not part of `npm run bench`.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { SignJWT } from 'jose';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { createCore } from '../electron/core/host/core';
import { startWebHost } from '../electron/web/host';
import type { Spread } from './report';
import { spread } from './report';

/** What the report shows (times in ms). */
export interface HarUiResult {
  fileMb: number;
  entries: number;
  runs: number;
  /** File chosen → the removals shown. */
  importMs: Spread;
  /** The longest main-thread task meanwhile (0: none over 50 ms). */
  longestTaskMs: Spread;
  /** The longest gap between two animation frames meanwhile. */
  longestFrameGapMs: Spread;
}

const ISSUER = 'https://tenant.example.com/';
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

function entry(method: string, url: string, body: string | undefined, response: string, mime: string, status = 200) {
  return {
    startedDateTime: '2026-12-07T14:03:11.000Z',
    time: 10,
    request: {
      method,
      url,
      httpVersion: 'HTTP/2',
      cookies: [],
      headers: [{ name: 'user-agent', value: 'bench' }],
      queryString: [],
      ...(body === undefined ? {} : { postData: { mimeType: 'application/x-www-form-urlencoded', text: body } }),
      headersSize: -1,
      bodySize: -1,
    },
    response: {
      status,
      statusText: '',
      httpVersion: 'HTTP/2',
      cookies: [],
      headers: [{ name: 'content-type', value: mime }],
      content: { size: response.length, mimeType: mime, text: response },
      redirectURL: '',
      headersSize: -1,
      bodySize: -1,
    },
    cache: {},
    timings: { send: 0, wait: 10, receive: 0 },
  };
}

/** Writes a HAR file of about `mb` megabytes; returns its entry count. */
async function writeHar(path: string, mb: number): Promise<number> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const requestObject = await new SignJWT({ client_id: 'app123', response_type: 'code', redirect_uri: 'https://app.example.com/cb', scope: 'openid' })
    .setProtectedHeader({ alg: 'RS256', kid: 'bench-key-0001' })
    .setIssuer('app123')
    .setAudience(ISSUER)
    .setIssuedAt()
    .setExpirationTime('5m')
    .setJti(randomBytes(8).toString('hex'))
    .sign(privateKey);
  const oauth = [
    entry(
      'GET',
      `${ISSUER}.well-known/openid-configuration`,
      undefined,
      JSON.stringify({
        issuer: ISSUER,
        authorization_endpoint: `${ISSUER}authorize`,
        token_endpoint: `${ISSUER}oauth/token`,
        pushed_authorization_request_endpoint: `${ISSUER}oauth/par`,
      }),
      'application/json',
    ),
    entry(
      'POST',
      `${ISSUER}oauth/par`,
      `client_id=app123&client_secret=bench-secret&request=${requestObject}`,
      JSON.stringify({ error: 'invalid_request_object', error_description: 'bench' }),
      'application/json',
      400,
    ),
    entry(
      'POST',
      `${ISSUER}oauth/token`,
      'grant_type=authorization_code&code=bench-code&code_verifier=bench-verifier&client_id=app123',
      JSON.stringify({ access_token: 'opaque', refresh_token: 'bench-refresh' }),
      'application/json',
    ),
  ];
  const blob = randomBytes(48 * 1024).toString('base64');
  const pages: unknown[] = [];
  let size = 0;
  for (let i = 0; size < mb * 1024 * 1024; i++) {
    const e =
      i % 2 === 0
        ? entry('GET', `https://app.example.com/static/chunk-${i}.js`, undefined, `/* ${i} */ ${blob}`, 'application/javascript')
        : entry('GET', `https://cdn.example.com/img/${i}.png`, undefined, blob, 'image/png');
    pages.push(e);
    size += blob.length + 600;
  }
  const entries = [...pages.slice(0, 10), ...oauth, ...pages.slice(10)];
  writeFileSync(path, JSON.stringify({ log: { version: '1.2', creator: { name: 'WebInspector', version: '537.36' }, entries } }));
  return entries.length;
}

/**
 * Installed before the page's scripts: a function that starts watching long tasks and animation-frame gaps.
 * A string, not a function: tsx would wrap a function's inner functions in a helper the page does not have,
 * and the page's CSP forbids evaluating strings later.
 */
const WATCH_MAIN_THREAD = `
  window.__harStartWatch = () => {
    const state = { longest: 0, gap: 0, last: performance.now(), running: true };
    window.__harWatch = state;
    new PerformanceObserver((list) => {
      for (const task of list.getEntries()) state.longest = Math.max(state.longest, task.duration);
    }).observe({ type: 'longtask' });
    const frame = (now) => {
      state.gap = Math.max(state.gap, now - state.last);
      state.last = now;
      if (state.running) requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  };
`;

/** Builds the renderer, starts web mode here, and opens the file `runs` times in fresh pages. */
export async function measureHarUi(mb: number, runs: number, log: (m: string) => void): Promise<HarUiResult> {
  const scratch = mkdtempSync(join(tmpdir(), 'parley-bench-har-ui-'));
  const rendererDir = join(scratch, 'renderer');
  const harPath = join(scratch, 'capture.har');
  const core = await createCore({ dataDir: join(scratch, 'data'), mode: 'web', version: '0.0.0-bench', server: { port: 0 }, scrypt: { N: 1024, r: 8, p: 1 } });
  let host: Awaited<ReturnType<typeof startWebHost>> | undefined;
  const browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
  try {
    const entries = await writeHar(harPath, mb);
    log(`wrote ${(statSync(harPath).size / 1024 / 1024).toFixed(1)} MB, ${entries} entries`);
    await build({ configFile: resolve('renderer/vite.config.ts'), logLevel: 'warn', build: { outDir: rendererDir, emptyOutDir: true } });
    host = await startWebHost({ core, port: 0, rendererDir });
    const done: { importMs: number; longestTaskMs: number; longestFrameGapMs: number }[] = [];
    for (let i = -1; i < runs; i++) {
      const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
      await context.addInitScript({ content: WATCH_MAIN_THREAD });
      const page = await context.newPage();
      await page.goto(i < 0 ? host.url : host.newLaunchUrl());
      if (i < 0) {
        await page.getByLabel('Passphrase', { exact: true }).fill('correct horse battery staple');
        await page.getByLabel('Confirm passphrase').fill('correct horse battery staple');
        await page.getByRole('button', { name: 'Create vault' }).click();
      }
      // Later pages find the vault unlocked (it is the core's, not the page's).
      await page.getByRole('link', { name: 'Explain' }).click();
      const input = page.locator('.har-panel input[type="file"]');
      await input.waitFor({ state: 'attached' });
      await page.evaluate(() => (globalThis as unknown as { __harStartWatch(): void }).__harStartWatch());
      const started = await page.evaluate(() => performance.now());
      await input.setInputFiles(harPath);
      await page.getByTestId('har-removed').waitFor({ timeout: 120_000 });
      const measured = await page.evaluate((t0) => {
        const state = (globalThis as unknown as { __harWatch: { longest: number; gap: number; running: boolean } }).__harWatch;
        state.running = false;
        return { importMs: performance.now() - t0, longestTaskMs: state.longest, longestFrameGapMs: state.gap };
      }, started);
      await context.close();
      // The first run pays for the host's, Chromium's and the worker chunk's first-time costs.
      if (i >= 0) done.push(measured);
    }
    const result: HarUiResult = {
      fileMb: Math.round((statSync(harPath).size / 1024 / 1024) * 10) / 10,
      entries,
      runs,
      importMs: spread(done.map((d) => d.importMs)),
      longestTaskMs: spread(done.map((d) => d.longestTaskMs)),
      longestFrameGapMs: spread(done.map((d) => d.longestFrameGapMs)),
    };
    log(harUiLine(result));
    return result;
  } finally {
    await browser.close();
    await host?.close();
    await core.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

function range(s: Spread): string {
  return `${s.median.toFixed(0)} ms (${s.min.toFixed(0)}–${s.max.toFixed(0)})`;
}

/** One line for the report. */
export function harUiLine(r: HarUiResult): string {
  return `HAR import in the app (Chromium, ${r.fileMb} MB, ${r.entries} entries, median of ${r.runs}): shown after ${range(r.importMs)}; longest main-thread task ${range(r.longestTaskMs)}; longest frame gap ${range(r.longestFrameGapMs)}.`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { mb: { type: 'string', default: '50' }, runs: { type: 'string', default: '3' } } });
  const started = performance.now();
  measureHarUi(Number(values.mb), Number(values.runs), (m) => console.error(`[har-ui ${((performance.now() - started) / 1000).toFixed(0)} s] ${m}`)).then(
    (r) => console.log(JSON.stringify(r, null, 2)),
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
