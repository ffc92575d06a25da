import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fake } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule());

const { DEFAULT_SIZE, initialBounds, loadWindowState, saveWindowState } = await import('../../../../electron/main/window-state');
const { startShell } = await import('../../../../electron/main/shell');
const { confStoreFactory } = await import('../../../../electron/core/store/document-store');

type Shell = NonNullable<Awaited<ReturnType<typeof startShell>>>;
type FakeWindow = InstanceType<typeof fake.BrowserWindow>;

let dir: string;
let started: Shell | undefined;
const lines: string[] = [];
const log = (line: string) => lines.push(line);

beforeEach(() => {
  fake.reset();
  dir = mkdtempSync(join(tmpdir(), 'parley-window-'));
  started = undefined;
  lines.length = 0;
});
afterEach(async () => {
  await started?.core.close();
  rmSync(dir, { recursive: true, force: true });
});

const saved = { version: 1 as const, x: 200, y: 150, width: 1000, height: 700, maximized: false };
const primary = { x: 0, y: 0, width: 1920, height: 1040 };
const right = { x: 1920, y: 0, width: 1280, height: 1000 };

describe('desktop › window state › file', () => {
  it('saves and loads size, position and maximised state', () => {
    const file = join(dir, 'window-state.json');
    saveWindowState(file, { ...saved, maximized: true }, log);
    expect(loadWindowState(file, log)).toEqual({ ...saved, maximized: true });
    expect(lines).toEqual([]);
  });

  it('a first launch (no file) opens at the default size, silently', () => {
    expect(loadWindowState(join(dir, 'window-state.json'), log)).toBeUndefined();
    expect(initialBounds(undefined, [primary])).toEqual({ ...DEFAULT_SIZE, maximized: false });
    expect(lines).toEqual([]);
  });

  it.each([
    ['not JSON', '{"x": 1,'],
    ['the wrong shape', JSON.stringify({ ...saved, width: 'wide' })],
    ['absurd numbers', JSON.stringify({ ...saved, x: 1e12 })],
  ])('a corrupt file (%s) gives the defaults and a clear log line, and is moved aside', (_name, content) => {
    const file = join(dir, 'window-state.json');
    writeFileSync(file, content);
    expect(loadWindowState(file, log)).toBeUndefined();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^\[parley\] window state .*window-state\.json is invalid \(.+\); moved to .*window-state\.json\.corrupt-\d+, using the default size$/,
    );
    const aside = readdirSync(dir).find((f) => f.startsWith('window-state.json.corrupt-'));
    expect(readFileSync(join(dir, aside!), 'utf8')).toBe(content);
  });
});

describe('desktop › window state › displays', () => {
  it('keeps bounds that are on a display', () => {
    expect(initialBounds(saved, [primary, right])).toEqual({ x: 200, y: 150, width: 1000, height: 700, maximized: false });
    expect(initialBounds({ ...saved, x: 2100, y: 100 }, [primary, right])).toMatchObject({ x: 2100, y: 100 });
  });

  it('moves a window half off its display fully inside the display it overlaps most', () => {
    expect(initialBounds({ ...saved, x: 1500, y: 600 }, [primary])).toMatchObject({ x: 920, y: 340, width: 1000, height: 700 });
  });

  it('opens on the primary display, letting the system place it, when its monitor is gone', () => {
    // Saved on the right-hand monitor, which is unplugged now.
    const bounds = initialBounds({ ...saved, x: 2100, y: 100, maximized: true }, [primary]);
    expect(bounds).toEqual({ width: 1000, height: 700, maximized: true });
  });

  it('shrinks a window larger than the display it opens on', () => {
    expect(initialBounds({ ...saved, x: 0, y: 0, width: 3000, height: 2000 }, [{ x: 0, y: 0, width: 1366, height: 728 }])).toEqual({
      x: 0,
      y: 0,
      width: 1366,
      height: 728,
      maximized: false,
    });
  });
});

describe('desktop › window state › across launches (through the fake)', () => {
  async function launch(): Promise<{ shell: Shell; window: FakeWindow }> {
    const shell = await startShell({
      mainDir: '/opt/parley/out/main',
      env: { PARLEY_DATA_DIR: join(dir, 'data') },
      platform: 'linux',
      storeFactory: confStoreFactory,
      argv: ['parley'],
    });
    if (shell === undefined) throw new Error('the shell did not start');
    started = shell;
    return { shell, window: shell.mainWindow() as unknown as FakeWindow };
  }

  it('the second launch opens where the first was closed, maximised if it was', async () => {
    const first = await launch();
    expect(first.window.options).toMatchObject({ width: 1280, height: 840 });
    expect(first.window.options).not.toHaveProperty('x');
    first.window.bounds = { x: 300, y: 200, width: 1100, height: 750 };
    first.window.maximized = true;
    first.window.close();
    await first.shell.core.close();
    started = undefined;

    fake.reset();
    const second = await launch();
    expect(second.window.options).toMatchObject({ x: 300, y: 200, width: 1100, height: 750 });
    second.window.emit('ready-to-show');
    expect(second.window.maximized).toBe(true);
  });

  it('a corrupt state file opens the default window and says so in the log file', async () => {
    const data = join(dir, 'data');
    (await launch()).window.close();
    await started?.core.close();
    started = undefined;
    writeFileSync(join(data, 'window-state.json'), '{ corrupt');

    fake.reset();
    const { shell, window } = await launch();
    expect(window.options).toMatchObject({ width: 1280, height: 840 });
    expect(readFileSync(shell.logFile, 'utf8')).toMatch(/WARN {2}\[parley\] window state .* is invalid \(not JSON/);
  });

  it('a window saved on a monitor that is gone opens inside the remaining display', async () => {
    fake.screen.workAreas = [primary, right];
    const first = await launch();
    first.window.bounds = { x: 2000, y: 100, width: 1200, height: 800 };
    first.window.close();
    await first.shell.core.close();
    started = undefined;

    fake.reset();
    fake.screen.workAreas = [{ x: 0, y: 0, width: 1280, height: 760 }];
    const { window } = await launch();
    expect(window.options).toMatchObject({ width: 1200, height: 760 });
    expect(window.options).not.toHaveProperty('x');
  });
});
