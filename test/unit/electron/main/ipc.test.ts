import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeFrame, FakeWebContents, fake } from './fake-electron';
import { EVENT_CHANNEL, opChannel } from '../../../../shared/ipc/bridge';
import { OP_NAMES } from '../../../../shared/ipc/contract';
import type { OpName } from '../../../../shared/ipc/contract';
import type { Result } from '../../../../shared/ipc/result';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule());

const { forwardEvents, registerIpc } = await import('../../../../electron/main/ipc');
const { TrustedSenders } = await import('../../../../electron/main/trusted-sender');
const { createCore } = await import('../../../../electron/core/host/core');

type Core = Awaited<ReturnType<typeof createCore>>;
type Sender = { sender: FakeWebContents; senderFrame: FakeFrame | null };

let dir: string;
let core: Core;
let trusted: InstanceType<typeof TrustedSenders>;
let dispose: () => void;

beforeEach(async () => {
  fake.reset();
  dir = mkdtempSync(join(tmpdir(), 'parley-ipc-'));
  core = await createCore({ dataDir: dir, mode: 'electron', version: '0.0.0-test', scrypt: { N: 1024, r: 8, p: 1 } });
  trusted = new TrustedSenders();
  dispose = registerIpc(core.dispatch, (event) => trusted.isTrusted(event));
});

afterEach(async () => {
  dispose();
  await core.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Web contents of an app window showing the app, registered as trusted. */
function appWindow(): FakeWebContents {
  const contents = new FakeWebContents(fake.session.defaultSession);
  contents.mainFrame.url = 'app://parley/index.html';
  trusted.add(contents as never);
  return contents;
}

function call(name: OpName, from: Sender, input: unknown): Promise<Result<unknown>> {
  const handler = fake.ipcMain.handlers.get(opChannel(name));
  if (handler === undefined) throw new Error(`no handler for ${name}`);
  return handler(from, input) as Promise<Result<unknown>>;
}

const FORBIDDEN = { ok: false, error: { code: 'FORBIDDEN_SENDER', message: 'This window is not allowed to call Parley operations.' } };

describe('Electron shell › IPC handlers', () => {
  it('registers exactly one handler per contract operation, each on its own channel', () => {
    expect([...fake.ipcMain.handlers.keys()].sort()).toEqual(OP_NAMES.map(opChannel).sort());
  });

  it('passes a message from the app window main frame on the app origin to the core', async () => {
    const contents = appWindow();
    const result = await call('app.info', { sender: contents, senderFrame: contents.mainFrame }, {});
    expect(result).toMatchObject({ ok: true, value: { name: 'Parley', mode: 'electron', dataDir: dir } });
  });

  it('still validates a trusted message against the contract', async () => {
    const contents = appWindow();
    const result = await call('settings.update', { sender: contents, senderFrame: contents.mainFrame }, { language: 'klingon' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('INVALID_INPUT');
  });

  const untrusted: [string, () => Sender][] = [
    [
      'a window this process did not create',
      () => {
        const other = new FakeWebContents(fake.session.defaultSession);
        other.mainFrame.url = 'app://parley/index.html';
        return { sender: other, senderFrame: other.mainFrame };
      },
    ],
    ['a message without a sender frame (navigated or destroyed)', () => ({ sender: appWindow(), senderFrame: null })],
    [
      'a subframe of the app window, even on the app origin',
      () => {
        const contents = appWindow();
        return { sender: contents, senderFrame: new FakeFrame('app://parley/frame.html', contents.mainFrame) };
      },
    ],
    [
      'the app window after it navigated to another origin',
      () => {
        const contents = appWindow();
        contents.mainFrame.url = 'https://evil.example/';
        return { sender: contents, senderFrame: contents.mainFrame };
      },
    ],
    [
      'another host of the app scheme',
      () => {
        const contents = appWindow();
        contents.mainFrame.url = 'app://parley.evil/index.html';
        return { sender: contents, senderFrame: contents.mainFrame };
      },
    ],
    [
      'a file:// page in the app window',
      () => {
        const contents = appWindow();
        contents.mainFrame.url = 'file:///tmp/index.html';
        return { sender: contents, senderFrame: contents.mainFrame };
      },
    ],
    [
      'an app window whose web contents were destroyed',
      () => {
        const contents = appWindow();
        contents.destroy();
        return { sender: contents, senderFrame: contents.mainFrame };
      },
    ],
  ];

  it.each(untrusted)('refuses %s with FORBIDDEN_SENDER, and the core never sees the call', async (_label, sender) => {
    const from = sender();
    expect(await call('settings.update', from, { language: 'ja-JP' })).toEqual(FORBIDDEN);
    // The refused update did not happen: a trusted read still sees the default.
    const reader = appWindow();
    expect(await call('settings.get', { sender: reader, senderFrame: reader.mainFrame }, {})).toMatchObject({ ok: true, value: { language: 'system' } });
  });

  it('removes every handler when disposed', () => {
    dispose();
    expect(fake.ipcMain.handlers.size).toBe(0);
    dispose = () => undefined;
  });
});

describe('Electron shell › core events', () => {
  it('are sent to the app windows showing the app, and to no other web contents', () => {
    const app = appWindow();
    const navigatedAway = appWindow();
    navigatedAway.mainFrame.url = 'https://evil.example/';
    const stranger = new FakeWebContents(fake.session.defaultSession);
    stranger.mainFrame.url = 'app://parley/index.html';
    const unsubscribe = forwardEvents(core.events, () => trusted.targets() as never);

    core.events.emit('keys.changed', { reason: 'locked' });

    expect(app.sent).toEqual([{ channel: EVENT_CHANNEL, args: [{ name: 'keys.changed', payload: { reason: 'locked' } }] }]);
    expect(navigatedAway.sent).toEqual([]);
    expect(stranger.sent).toEqual([]);
    unsubscribe();
    core.events.emit('keys.changed', { reason: 'unlocked' });
    expect(app.sent).toHaveLength(1);
  });

  it('skip windows that were closed', () => {
    const app = appWindow();
    forwardEvents(core.events, () => trusted.targets() as never);
    app.destroy();
    core.events.emit('keys.changed', { reason: 'locked' });
    expect(app.sent).toEqual([]);
  });
});
