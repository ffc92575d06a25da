import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeEvent, fake } from './fake-electron';
import { EVENT_CHANNEL, opChannel } from '../../../../shared/ipc/bridge';
import type { ParleyBridge } from '../../../../shared/ipc/bridge';
import { OP_NAMES } from '../../../../shared/ipc/contract';
import type { ParleyEvent } from '../../../../shared/ipc/contract';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule());

// Evaluating the preload is what Electron does; record what it exposed before any test resets the fake.
await import('../../../../electron/preload/index');
const exposed = new Map(fake.contextBridge.exposed);

async function loadPreload(): Promise<ParleyBridge> {
  expect([...exposed.keys()]).toEqual(['parley']);
  return exposed.get('parley') as ParleyBridge;
}

beforeEach(() => fake.reset());

describe('Electron shell › preload', () => {
  it('exposes exactly one object, window.parley, for the electron host', async () => {
    const bridge = await loadPreload();
    expect(bridge.host).toBe('electron');
    expect(Object.keys(bridge).sort()).toEqual(['host', 'invoke', 'subscribe']);
  });

  it('carries every contract operation, each on its own channel', async () => {
    const bridge = await loadPreload();
    for (const name of OP_NAMES) await bridge.invoke(name, {} as never);
    expect(fake.ipcRenderer.invocations.map((i) => i.channel)).toEqual(OP_NAMES.map(opChannel));
  });

  it('sends each named operation on its own channel with the input as the only argument', async () => {
    const bridge = await loadPreload();
    fake.ipcRenderer.reply = async (channel) => ({ ok: true, value: channel });
    await expect(bridge.invoke('keys.rename', { id: 'abcdefgh', name: 'n' })).resolves.toEqual({ ok: true, value: 'parley:op:keys.rename' });
    await bridge.invoke('vault.status', {});
    expect(fake.ipcRenderer.invocations).toEqual([
      { channel: opChannel('keys.rename'), args: [{ id: 'abcdefgh', name: 'n' }] },
      { channel: opChannel('vault.status'), args: [{}] },
    ]);
  });

  it('refuses an operation name outside the contract without touching IPC', async () => {
    const bridge = await loadPreload();
    const result = await (bridge.invoke as (n: string, i: unknown) => Promise<unknown>)('electron-store-get-data', {});
    expect(result).toEqual({ ok: false, error: { code: 'UNKNOWN_OPERATION', message: 'Unknown operation: electron-store-get-data' } });
    expect(fake.ipcRenderer.invocations).toEqual([]);
  });

  it('turns a failed IPC call into an INTERNAL result instead of a rejection', async () => {
    const bridge = await loadPreload();
    fake.ipcRenderer.reply = async () => {
      throw new Error("No handler registered for 'parley:op:app.info'");
    };
    await expect(bridge.invoke('app.info', {})).resolves.toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: "No handler registered for 'parley:op:app.info'" },
    });
  });

  it('forwards only the event payload to a subscriber, never the IpcRendererEvent', async () => {
    const bridge = await loadPreload();
    const received: unknown[][] = [];
    bridge.subscribe((...args: unknown[]) => received.push(args));
    const event: ParleyEvent = { name: 'keys.changed', payload: { reason: 'generated', id: 'abcdefgh' } };
    const ipcEvent = Object.assign(new FakeEvent(), { sender: fake.ipcRenderer, ports: [] });
    fake.ipcRenderer.emit(EVENT_CHANNEL, ipcEvent, event);
    expect(received).toEqual([[event]]);
  });

  it('drops messages on the event channel that are not contract events', async () => {
    const bridge = await loadPreload();
    const received: unknown[] = [];
    bridge.subscribe((e) => received.push(e));
    fake.ipcRenderer.emit(EVENT_CHANNEL, new FakeEvent(), { name: 'not.an.event', payload: {} });
    fake.ipcRenderer.emit(EVENT_CHANNEL, new FakeEvent(), 'keys.changed');
    expect(received).toEqual([]);
  });

  it('stops delivering events after unsubscribe, and unsubscribing twice is harmless', async () => {
    const bridge = await loadPreload();
    const received: unknown[] = [];
    const unsubscribe = bridge.subscribe((e) => received.push(e));
    expect(fake.ipcRenderer.listenerCount(EVENT_CHANNEL)).toBe(1);
    unsubscribe();
    unsubscribe();
    expect(fake.ipcRenderer.listenerCount(EVENT_CHANNEL)).toBe(0);
    fake.ipcRenderer.emit(EVENT_CHANNEL, new FakeEvent(), { name: 'vault.changed', payload: {} });
    expect(received).toEqual([]);
  });
});
