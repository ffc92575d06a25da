/**
 * Trainer's kit in web mode, in a real browser: a PAR + JAR run stepped through request by request
 * (discovery, PAR with the request object's scope edited, authorize opening the sign-in tab from the Next
 * step click, token, JWKS), the edited scope reaching the embedded server; the sequence diagram drawing
 * every exchange of the run; Previous step showing earlier steps again; then presenter mode driven by
 * the keyboard, with signatures hidden.
 */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { FlowRun } from '../../shared/schemas/flows';
import type { RequestTrace } from '../../shared/schemas/server';
import { SCREENSHOT_DIR, expect, test } from './fixtures';
import { createPkjApplication, createVault, op, signInOnTab } from './helpers';

/** The request object a recorded PAR request carried, decoded. */
function pushedClaims(run: FlowRun): Record<string, unknown> {
  const body = run.steps.find((s) => s.name === 'push')?.exchange?.request.body ?? '';
  const jwt = new URLSearchParams(body).get('request') ?? '';
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** The text saying which step the cursor shows ("Step 3 of 7 · Push"). */
function position(page: Page, text: RegExp) {
  return page.locator('.flow-sequence').getByRole('status').filter({ hasText: text });
}

test.describe('Trainer’s kit', () => {
  test('steps through PAR + JAR with an edited scope, draws every exchange, and presents the run', async ({ page, parley, context }) => {
    test.setTimeout(120_000);
    const user = parley.ready.users![0]!;
    await page.goto(parley.url);
    await createVault(page);

    // Set-up through the contract: two vault keys and an application with both credentials.
    const { clientId } = await createPkjApplication(page, 'Trainer');

    await page.getByRole('link', { name: 'Flows' }).click();
    await expect(page.getByRole('heading', { name: 'Flows', level: 1 })).toBeVisible();
    await page.getByRole('button', { name: 'New target' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Application', { exact: true }).selectOption({ label: 'Trainer App' });
    await dialog.getByLabel('Client authentication').selectOption('private_key_jwt');
    await dialog.getByLabel('Client assertion key').selectOption({ label: 'Trainer auth key' });
    await dialog.getByLabel('Request object key').selectOption({ label: 'Trainer JAR key' });
    await dialog.getByRole('button', { name: 'Save target' }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);

    // PAR + JAR, step through: nothing is sent, and no tab opens, until Next step.
    await page.getByLabel('Flow kind').selectOption({ label: 'PAR + JAR' });
    await page.getByLabel('Step through').check();
    await page.getByRole('button', { name: 'Run flow' }).click();
    const diagram = page.getByRole('list', { name: 'Exchanges' });
    const next = page.getByRole('button', { name: 'Next step' });
    const previous = page.getByRole('button', { name: 'Previous step' });

    // 1. Before discovery: the discovery arrow is the next request; everything else still to come.
    await expect(page.getByRole('region', { name: 'Paused before: Discovery' })).toBeVisible();
    await expect(diagram.getByRole('button', { name: 'GET /.well-known/openid-configuration', exact: true })).toHaveAccessibleDescription(
      'Next request, paused',
    );
    await expect(diagram.getByRole('button')).toHaveCount(1);
    await expect(position(page, /^Step 1 of 7 · Discover · Paused$/)).toBeVisible();
    expect(context.pages()).toHaveLength(1);
    await next.click();
    // The counter counts the steps shown: Build (which sends nothing) comes before the PAR pause.
    await expect(position(page, /^Step 2 of 7 · Build$/)).toBeVisible();
    await next.click();

    // 2. Before PAR: the form fields and the request object's claims, editable.
    const parPause = page.getByRole('region', { name: 'Paused before: Pushed authorization request' });
    await expect(parPause).toBeVisible();
    await expect(diagram.getByRole('button', { name: 'GET /.well-known/openid-configuration → 200' })).toHaveAccessibleDescription('Done');
    await expect(parPause.getByLabel('client_assertion_type')).toHaveValue('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    await expect(parPause.getByText('client_assertion: a JWT, shown decoded.')).toBeVisible();
    // The request object's claims are shown once (the editor), not decoded a second time as a field.
    await expect(parPause.getByRole('heading', { name: 'Request object (decoded) request' })).toHaveCount(0);
    // The client assertion is titled by its name in the UI language, its parameter beside it as code.
    await expect(parPause.getByRole('heading', { name: 'Client assertion (decoded) client_assertion', exact: true })).toBeVisible();
    await expect(parPause.getByText('request: the request object, signed when the request is sent. Its claims are below.')).toBeVisible();

    // Previous step shows the steps already run again; Next step walks back to the pause without sending.
    await previous.click();
    await expect(position(page, /^Step 2 of 7 · Build$/)).toBeVisible();
    await expect(parPause).toHaveCount(0);
    await expect(page.locator('.flow-sequence').getByRole('heading', { name: 'Request object (decoded)' })).toBeVisible();
    await previous.click();
    await expect(position(page, /^Step 1 of 7 · Discover$/)).toBeVisible();
    await expect(page.locator('.flow-sequence').getByRole('heading', { name: 'GET /.well-known/openid-configuration → 200' })).toBeVisible();
    await expect(previous).toBeDisabled();
    await next.click();
    await expect(position(page, /^Step 2 of 7 · Build$/)).toBeVisible();
    await next.click();
    await expect(parPause).toBeVisible();
    await expect(diagram.getByRole('button', { name: 'POST /oauth/par', exact: true })).toHaveAccessibleDescription('Next request, paused');

    // Edit the request object's scope: the core signs the claims again.
    const claimsEditor = parPause.getByLabel('Request object claims (JSON)');
    const claims = JSON.parse(await claimsEditor.inputValue()) as Record<string, unknown>;
    expect(claims['scope']).toBe('openid profile email');
    expect(claims['iss']).toBe(clientId);
    // A request object expiring in 3 s: the server caps the request_uri's lifetime at the request object's
    // exp, so the request_uri expires during the authorize pause as it would after 30 s of talk.
    await claimsEditor.fill(JSON.stringify({ ...claims, scope: 'openid email', exp: Math.floor(Date.now() / 1000) + 3 }, null, 2));
    // The main column scrolls by itself: a tall viewport shows the whole card.
    await page.setViewportSize({ width: 1280, height: 3200 });
    await page.locator('.flow-sequence').screenshot({ path: join(SCREENSHOT_DIR, 'trainer-paused.png') });
    await page.setViewportSize({ width: 1280, height: 800 });
    await next.click();

    // 3. Before authorize: the URL with the request_uri; Next step opens the sign-in tab (during the click).
    const authorizePause = page.getByRole('region', { name: 'Paused before: Authorization request' });
    await expect(authorizePause).toBeVisible();
    await expect(diagram.getByRole('button', { name: 'POST /oauth/par → 201', exact: true })).toBeVisible();
    await expect(authorizePause.getByLabel('request_uri')).toHaveValue(/^urn:ietf:params:oauth:request_uri:/);
    const firstUri = await authorizePause.getByLabel('request_uri').inputValue();
    // What was already sent, and when its request_uri expires.
    await expect(authorizePause).not.toContainText('Nothing has been sent yet');
    await expect(authorizePause.getByText(/^Pushed at \d{1,2}:\d{2}:\d{2}/)).toContainText(firstUri);
    await expect(authorizePause.getByText(/^The request_uri (expires in 0:0\d \(expires_in: \d s\)|has expired)/)).toBeVisible();
    // The countdown reaches zero while the trainer talks; Next step then pushes again before opening the page.
    await expect(authorizePause.getByRole('status').filter({ hasText: 'The request_uri has expired. Next step pushes the request again' })).toBeVisible({
      timeout: 30_000,
    });
    const opened = context.waitForEvent('page');
    await next.click();
    const tab = await opened;
    await signInOnTab(tab, user);

    // 4. The callback (no request of its own), then before the token request, 5. before the JWKS.
    await expect(position(page, /^Step 5 of 7 · Callback$/)).toBeVisible({ timeout: 15_000 });
    await next.click();
    await expect(page.getByRole('region', { name: 'Paused before: Token request' })).toBeVisible({ timeout: 15_000 });
    await expect(page.getByRole('region', { name: 'Paused before: Token request' }).getByLabel('grant_type')).toHaveValue('authorization_code');
    await next.click();
    await expect(page.getByRole('region', { name: /^Paused before: Fetching the server’s keys/ })).toBeVisible();

    // The last request is sent from presenter mode, by keyboard: ← shows the step before, Space comes back
    // to the pause without sending, → sends it.
    await page.getByRole('button', { name: 'Presenter mode' }).click();
    const live = page.getByRole('dialog');
    const liveAt = (text: RegExp) => live.getByRole('status').filter({ hasText: text });
    await expect(liveAt(/^Step 7 of 7 · Verify · Paused$/)).toBeVisible();
    await page.keyboard.press('ArrowLeft');
    await expect(liveAt(/^Step 6 of 7 · Exchange · Paused$/)).toBeVisible();
    await page.keyboard.press('Space');
    await expect(liveAt(/^Step 7 of 7 · Verify · Paused$/)).toBeVisible();
    await expect(live.getByRole('region', { name: /^Paused before: Fetching the server’s keys/ })).toBeVisible();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'presenter-paused.png') });
    await page.keyboard.press('ArrowRight');
    await expect(liveAt(/^Step 7 of 7 · Verify · Succeeded$/)).toBeVisible({ timeout: 15_000 });
    await page.keyboard.press('Escape');
    await expect(live).toHaveCount(0);

    const timeline = page.getByRole('list', { name: 'Steps' });
    await expect(timeline.getByRole('listitem', { name: /^Verify/ })).toContainText('OK', { timeout: 15_000 });
    await expect(page.getByText('Succeeded').first()).toBeVisible();

    // The edited scope reached the server: it granted exactly that (no profile claims in the ID token).
    const history = await op<FlowRun[]>(page, 'flows.history', {});
    const run = history.find((r) => r.kind === 'par+jar')!;
    expect(run.options.stepThrough).toBe(true);
    expect(pushedClaims(run)['scope']).toBe('openid email');
    expect(run.steps.find((s) => s.name === 'exchange')?.detail?.['scope']).toBe('openid email');
    expect(run.idTokenClaims?.['email']).toBe(user.email);
    expect(run.idTokenClaims?.['name']).toBeUndefined();
    const parLogs = await op<RequestTrace[]>(page, 'server.listLogs', { endpoint: 'par' });
    expect(parLogs.map((t) => t.status)).toEqual([201, 201]);
    // The request_uri expired during the pause: pushed again (its own exchange), and the browser got the new one.
    const again = run.steps.find((s) => s.name === 'authorize')?.extraExchanges ?? [];
    expect(again).toHaveLength(1);
    const secondUri = (JSON.parse(again[0]!.exchange.response!.body!) as { request_uri: string }).request_uri;
    expect(secondUri).not.toBe(firstUri);
    expect(new URL(run.authorizeUrl!).searchParams.get('request_uri')).toBe(secondUri);
    await expect(timeline.getByRole('listitem', { name: /^Authorize/ })).toContainText('PAR (again: the request_uri expired during the pause)');

    // The diagram: every exchange of the run, in order, each one a button (and the build note).
    const arrows = diagram.getByRole('button');
    await expect(arrows).toHaveCount(11);
    const names = await arrows.evaluateAll((els) => els.map((el) => el.getAttribute('aria-label') ?? el.firstChild?.textContent ?? ''));
    expect(names).toEqual([
      'GET /.well-known/openid-configuration → 200',
      'Build the request',
      'POST /oauth/par → 201',
      'PAR (again: the request_uri expired during the pause) POST /oauth/par → 201',
      expect.stringMatching(/^GET \/authorize → 30\d$/),
      'Sign-in page',
      'Sign in and consent',
      '302 → /callback',
      'GET /callback',
      'POST /oauth/token → 200',
      'GET /.well-known/jwks.json → 200',
    ]);

    // An arrow opens its exchange, JWTs decoded: the PAR carried the edited scope.
    await diagram.getByRole('button', { name: 'POST /oauth/par → 201', exact: true }).click();
    await expect(position(page, /^Step 3 of 7 · Push$/)).toBeVisible();
    const card = page.locator('.flow-sequence');
    await expect(card.getByRole('heading', { name: 'Request object (decoded)' })).toBeVisible();
    await expect(card.locator('code').filter({ hasText: '"scope": "openid email"' }).first()).toBeVisible();
    await next.click();
    await next.click();
    await next.click();
    await expect(position(page, /^Step 6 of 7 · Exchange$/)).toBeVisible();
    await expect(card.getByRole('heading', { name: 'POST /oauth/token → 200' })).toBeVisible();
    await next.click();
    await expect(position(page, /^Step 7 of 7 · Verify$/)).toBeVisible();
    await expect(next).toBeDisabled();
    await previous.click();
    await expect(position(page, /^Step 6 of 7 · Exchange$/)).toBeVisible();

    // Presenter mode: a modal over the whole window, driven by the keyboard.
    const presenterButton = page.getByRole('button', { name: 'Presenter mode' });
    await presenterButton.click();
    const presenter = page.getByRole('dialog');
    await expect(presenter).toBeVisible();
    await expect(presenter.getByRole('heading', { level: 1 })).toHaveText(/^PAR \+ JAR · /);
    const at = (text: RegExp) => presenter.getByRole('status').filter({ hasText: text });
    await expect(at(/^Step 6 of 7 · Exchange/)).toBeVisible();
    await page.keyboard.press('ArrowLeft');
    await expect(at(/^Step 5 of 7 · Callback/)).toBeVisible();
    await page.keyboard.press('Space');
    await expect(at(/^Step 6 of 7 · Exchange/)).toBeVisible();
    await page.keyboard.press('ArrowRight');
    await expect(at(/^Step 7 of 7 · Verify/)).toBeVisible();
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowLeft');
    await expect(at(/^Step 3 of 7 · Push/)).toBeVisible();
    // Signatures hidden unless asked for.
    const showSignatures = presenter.getByRole('checkbox', { name: 'Show signatures' });
    await expect(showSignatures).not.toBeChecked();
    const pushed = new URLSearchParams(run.steps.find((s) => s.name === 'push')!.exchange!.request.body!).get('request')!;
    const signature = pushed.split('.')[2]!;
    await expect(presenter).toContainText('[signature hidden]');
    await expect(presenter).not.toContainText(signature);
    await showSignatures.check();
    await expect(presenter).toContainText(signature);
    await showSignatures.uncheck();
    await expect(presenter.getByRole('button', { name: 'Previous step' })).toBeVisible();
    await expect(presenter.getByRole('button', { name: 'Next step' })).toBeVisible();
    await expect(presenter.getByRole('button', { name: 'Leave' })).toBeVisible();
    // Focus stays inside: Tab from the last control comes back to the first.
    await presenter.getByRole('button', { name: 'Next step' }).focus();
    await page.keyboard.press('Tab');
    expect(await presenter.evaluate((el) => el.contains(document.activeElement))).toBe(true);
    await presenter.focus();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'presenter.png') });

    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await expect(presenterButton).toBeFocused();
    // The cursor stays where the presentation left it.
    await expect(position(page, /^Step 3 of 7 · Push$/)).toBeVisible();
    await page.setViewportSize({ width: 1280, height: 2600 });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'trainer-diagram.png') });

    // Presenter mode from the first step, at 1920×1080: every Space moves the counter by one, the paused
    // PAR shows its decoded claims first, code is large enough for a room, and no heading repeats itself.
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.getByRole('button', { name: 'Run flow' }).click();
    await expect(page.getByRole('region', { name: 'Paused before: Discovery' })).toBeVisible();
    await page.getByRole('button', { name: 'Presenter mode' }).click();
    const room = page.getByRole('dialog');
    // The counter once the run has settled (paused again, or done): "Step n of 7 · … · Paused".
    const settledAt = (n: number) => room.getByRole('status').filter({ hasText: new RegExp(`^Step ${n} of 7 · .+ · (Paused|Succeeded)$`) });
    await expect(settledAt(1)).toBeVisible();
    const headingsRepeat = () =>
      room.evaluate((el) => {
        const texts = [...el.querySelectorAll('h1, h2, h3, h4, h5, h6')].map((h) => (h.textContent ?? '').trim());
        return texts.filter((text, i) => i > 0 && text === texts[i - 1]);
      });
    const smallCode = () =>
      room.evaluate((el) =>
        [...el.querySelectorAll('pre, code, .mono')].map((c) => Number.parseFloat(getComputedStyle(c).fontSize)).filter((size) => size < 20),
      );
    for (let n = 2; n <= 7; n++) {
      if (n === 5) {
        // Space at the authorize pause opens the sign-in tab.
        const signIn = context.waitForEvent('page');
        await page.keyboard.press('Space');
        await signInOnTab(await signIn, user);
        await page.bringToFront();
      } else {
        await page.keyboard.press('Space');
      }
      await expect(settledAt(n)).toBeVisible({ timeout: 15_000 });
      expect(await headingsRepeat(), `step ${n}: consecutive headings with the same text`).toEqual([]);
      expect(await smallCode(), `step ${n}: code under 20 px`).toEqual([]);
      if (n === 3) {
        // The paused PAR: the request object's claims, decoded, are the first block; the client assertion
        // decoded after them; the raw request last.
        const pausedPar = room.getByRole('region', { name: 'Paused before: Pushed authorization request' });
        const blocks = pausedPar.locator('pre');
        await expect(blocks.first()).toContainText('"scope": "openid profile email"');
        await expect(pausedPar.getByRole('heading', { name: 'Client assertion (decoded) client_assertion', exact: true })).toBeVisible();
        await expect(blocks.nth(1)).toContainText('"aud"');
        await expect(blocks.last()).toContainText('POST ');
        await page.screenshot({ path: join(SCREENSHOT_DIR, 'presenter-par-1920.png') });
      }
    }
    await page.keyboard.press('Space');
    await expect(settledAt(7)).toContainText('Succeeded', { timeout: 15_000 });
  });
});
