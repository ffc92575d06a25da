/**
 * The vault's idle lock, through the real core and its dispatcher (what every host calls): the vault
 * locks itself after the configured time without an action from the user, and the renderer hears it
 * (`vault.changed`). Time is clock.ts's frozen clock, moved by ManualTimers: minutes pass without waiting.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../../../electron/core/host/core';
import { createCore } from '../../../../../electron/core/host/core';
import { freezeClock } from '../../../../../electron/core/clock';
import { OP_NAMES } from '../../../../../shared/ipc/contract';
import type { ParleyEvent } from '../../../../../shared/ipc/contract';
import type { Result } from '../../../../../shared/ipc/result';
import { PASSIVE_OPERATIONS } from '../../../../../electron/core/vault';
import { FAST_SCRYPT, PASSPHRASE, tempDataDir } from './helpers';
import { ManualTimers } from './manual-timers';
import type { Settings } from '../../../../../shared/schemas/settings';
import type { VaultStatus } from '../../../../../shared/schemas/app';

const MINUTE = 60_000;

let timers: ManualTimers;
let cores: Core[] = [];

beforeEach(() => {
  freezeClock(Date.UTC(2030, 0, 1, 9, 0, 0));
  timers = new ManualTimers();
});
afterEach(async () => {
  for (const core of cores) await core.close();
  cores = [];
  freezeClock(undefined);
});

async function open(
  dir = tempDataDir(),
): Promise<{ core: Core; events: ParleyEvent[]; call: (name: string, input?: unknown) => Promise<Result<unknown>>; dir: string }> {
  const core = await createCore({ dataDir: dir, mode: 'web', version: 't', scrypt: FAST_SCRYPT, idleTimers: timers, log: () => {} });
  cores.push(core);
  const events: ParleyEvent[] = [];
  core.events.subscribe((e) => events.push(e));
  return { core, events, dir, call: (name, input = {}) => core.dispatch(name, input) };
}

/** A core whose vault is set up and unlocked. */
async function unlocked(dir?: string) {
  const h = await open(dir);
  const setup = await h.call('vault.setup', { passphrase: PASSPHRASE });
  expect(setup).toMatchObject({ ok: true, value: { state: 'unlocked' } });
  return h;
}

const state = (core: Core) => core.vault.status().state;
const lockEvents = (events: ParleyEvent[]) => events.filter((e) => e.name === 'vault.changed').map((e) => (e.payload as VaultStatus).state);

describe('Vault › idle lock', () => {
  it('locks after 15 minutes without an action by default, and tells the renderer (vault.changed)', async () => {
    const { core, events, call } = await unlocked();
    expect(await call('settings.get')).toMatchObject({ ok: true, value: { idleLockMinutes: 15 } });
    timers.advance(15 * MINUTE - 1000);
    expect(state(core)).toBe('unlocked');
    timers.advance(1000);
    expect(state(core)).toBe('locked');
    expect(lockEvents(events).at(-1)).toBe('locked');
    // Locked means locked: the keys are gone until the passphrase is given again.
    expect(await call('keys.generate', { name: 'k', spec: { kty: 'EC', crv: 'P-256' }, usages: [] })).toMatchObject({
      ok: false,
      error: { code: 'VAULT_LOCKED' },
    });
  });

  it('counts from the last action: an operation the user asked for restarts the count', async () => {
    const { core, call } = await unlocked();
    timers.advance(10 * MINUTE);
    expect(await call('keys.generate', { name: 'k', spec: { kty: 'EC', crv: 'P-256' }, usages: [] })).toMatchObject({ ok: true });
    timers.advance(14 * MINUTE);
    expect(state(core)).toBe('unlocked');
    timers.advance(1 * MINUTE);
    expect(state(core)).toBe('locked');
  });

  it('does not count the reads the renderer makes on its own (status, lists, logs)', async () => {
    const { core, call } = await unlocked();
    for (let minute = 0; minute < 15; minute++) {
      timers.advance(MINUTE - 1);
      for (const name of ['vault.status', 'keys.list', 'server.status', 'server.listLogs', 'flows.history', 'app.info', 'settings.get']) await call(name);
    }
    expect(state(core)).toBe('unlocked');
    timers.advance(15);
    expect(state(core)).toBe('locked');
  });

  it('lists only real operations as passive', () => {
    expect([...PASSIVE_OPERATIONS].filter((name) => !OP_NAMES.includes(name))).toEqual([]);
  });

  it('locks before serving the first call after the deadline, even when no timer fired (a machine waking up)', async () => {
    const { core, events, call } = await unlocked();
    // The clock jumps (the machine slept); timers have not run yet.
    freezeClock(Date.UTC(2030, 0, 1, 9, 0, 0) + 2 * 60 * MINUTE);
    expect(await call('keys.generate', { name: 'k', spec: { kty: 'EC', crv: 'P-256' }, usages: [] })).toMatchObject({
      ok: false,
      error: { code: 'VAULT_LOCKED' },
    });
    expect(state(core)).toBe('locked');
    expect(lockEvents(events).at(-1)).toBe('locked');
  });

  it('re-reads the clock at least once a minute, so a long sleep is noticed soon after waking', async () => {
    const { core } = await unlocked();
    expect(timers.size).toBe(1);
    // Whatever the idle time, no single wait is longer than a minute.
    timers.advance(MINUTE);
    expect(timers.size).toBe(1);
    expect(state(core)).toBe('unlocked');
  });

  it('follows the setting: 1 minute, then never (no timer left), and counts again from an unlock', async () => {
    const { core, call } = await unlocked();
    expect(await call('settings.update', { idleLockMinutes: 1 })).toMatchObject({ ok: true, value: { idleLockMinutes: 1 } });
    timers.advance(MINUTE);
    expect(state(core)).toBe('locked');
    expect(timers.size).toBe(0);

    expect(await call('vault.unlock', { passphrase: PASSPHRASE })).toMatchObject({ ok: true, value: { state: 'unlocked' } });
    expect(await call('settings.update', { idleLockMinutes: 'never' })).toMatchObject({ ok: true, value: { idleLockMinutes: 'never' } });
    expect(timers.size).toBe(0);
    timers.advance(48 * 60 * MINUTE);
    expect(state(core)).toBe('unlocked');
  });

  it('keeps the setting across launches, and a settings file from before it gets the default', async () => {
    const dir = tempDataDir();
    const first = await open(dir);
    await first.call('settings.update', { idleLockMinutes: 30 });
    await first.core.close();
    cores = cores.filter((c) => c !== first.core);
    expect(await (await open(dir)).call('settings.get')).toMatchObject({ ok: true, value: { idleLockMinutes: 30 } });

    const old = tempDataDir();
    writeFileSync(join(old, 'settings.json'), JSON.stringify({ version: 1, language: 'fr-CA' }));
    const reopened = await open(old);
    expect((await reopened.call('settings.get')) as Result<Settings>).toMatchObject({ ok: true, value: { language: 'fr-CA', idleLockMinutes: 15 } });
    expect(reopened.core.vault.status().notices).toEqual([]);
  });

  it.each([0, -5, 1441, 2.5, 'soon', null])('refuses an idle time of %j, naming the field', async (value) => {
    const { call } = await open();
    const result = await call('settings.update', { idleLockMinutes: value });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('idleLockMinutes') } });
    expect(await call('settings.get')).toMatchObject({ ok: true, value: { idleLockMinutes: 15 } });
  });

  it('lockNow (the OS locking or sleeping) locks an unlocked vault at once and does nothing to a locked one', async () => {
    const { core, events } = await unlocked();
    expect(core.idleLock.lockNow()).toBe(true);
    expect(state(core)).toBe('locked');
    const count = events.length;
    expect(core.idleLock.lockNow()).toBe(false);
    expect(events.length).toBe(count);
  });
});
