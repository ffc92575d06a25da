import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { KeySummary } from '../../../../../shared/schemas/keys';

const call = vi.fn();
vi.mock('../../../../../renderer/src/api/client', () => ({
  call: (...args: unknown[]) => call(...args),
  subscribe: () => () => {},
  ApiError: class extends Error {},
}));

const { useAppStore } = await import('../../../../../renderer/src/state/store');
const { applyEvent } = await import('../../../../../renderer/src/state/core-events');

function key(id: string, name = id): KeySummary {
  return {
    id,
    name,
    kty: 'EC',
    crv: 'P-256',
    algs: ['ES256'],
    usages: [],
    thumbprint: `tp-${id}`,
    hasPrivateKey: true,
    createdAt: '2026-01-01T00:00:00.000Z',
    expiresAt: null,
    certificate: null,
    warnings: [],
  };
}

const initial = useAppStore.getState();

beforeEach(() => {
  call.mockReset();
  useAppStore.setState(initial, true);
});

describe('Renderer store › keys', () => {
  it('drops a key list that arrives after a newer one', async () => {
    let releaseOld: (v: KeySummary[]) => void = () => {};
    call.mockImplementationOnce(() => new Promise((resolve) => (releaseOld = resolve)));
    call.mockImplementationOnce(async () => [key('newer-key-1')]);
    const older = useAppStore.getState().loadKeys();
    await useAppStore.getState().loadKeys();
    releaseOld([key('older-key-1')]);
    await older;
    expect(useAppStore.getState().keys.items.map((k) => k.id)).toEqual(['newer-key-1']);
  });

  it('forgets keys, selection and toasts when the vault locks', async () => {
    call.mockImplementation(async (name: string) =>
      name === 'keys.list' ? [key('key-aaaa-1')] : { ...key('key-aaaa-1'), publicJwk: { kty: 'EC' }, publicPem: '', certificatePem: null },
    );
    useAppStore.getState().setVaultStatus({ state: 'unlocked', protector: 'passphrase', notices: [] });
    await vi.waitFor(() => expect(useAppStore.getState().keys.items).toHaveLength(1));
    useAppStore.getState().selectKey('key-aaaa-1');
    useAppStore.getState().pushToast({ kind: 'success', message: 'done' });
    useAppStore.getState().setVaultStatus({ state: 'locked', protector: 'passphrase', notices: [] });
    const state = useAppStore.getState();
    expect(state.keys.items).toEqual([]);
    expect(state.keys.selectedId).toBeNull();
    expect(state.notices.toasts).toEqual([]);
  });

  it('clears the selection when a keys.changed event says the selected key was deleted', async () => {
    useAppStore.setState({ vault: { status: { state: 'unlocked', protector: 'passphrase', notices: [] }, loadError: null } });
    useAppStore.setState((s) => ({ keys: { ...s.keys, items: [key('key-bbbb-1')], loaded: true, selectedId: 'key-bbbb-1' } }));
    call.mockResolvedValue([]);
    applyEvent({ name: 'keys.changed', payload: { reason: 'deleted', id: 'key-bbbb-1' } });
    expect(useAppStore.getState().keys.selectedId).toBeNull();
    await vi.waitFor(() => expect(useAppStore.getState().keys.items).toEqual([]));
    expect(call).toHaveBeenCalledWith('keys.list', {});
  });
});

describe('Renderer store › jobs', () => {
  it('tracks a running generation until the core reports it done', () => {
    applyEvent({ name: 'jobs.progress', payload: { jobId: 'j1', kind: 'generate-key', label: 'RSA 4096', state: 'running' } });
    expect(Object.keys(useAppStore.getState().jobs.running)).toEqual(['j1']);
    applyEvent({ name: 'jobs.progress', payload: { jobId: 'j1', kind: 'generate-key', label: 'RSA 4096', state: 'done', keyId: 'k' } });
    expect(useAppStore.getState().jobs.running).toEqual({});
  });
});

describe('Renderer store › notices', () => {
  it('keeps at most three toasts, newest last', () => {
    for (const message of ['a', 'b', 'c', 'd']) useAppStore.getState().pushToast({ kind: 'info', message });
    expect(useAppStore.getState().notices.toasts.map((t) => t.message)).toEqual(['b', 'c', 'd']);
  });

  it('shows the same toast once: a repeat replaces the older copy instead of stacking (issue 18)', () => {
    for (const message of ['Key generated (RSA 2048).', 'Saved', 'Key generated (RSA 2048).']) useAppStore.getState().pushToast({ kind: 'success', message });
    expect(useAppStore.getState().notices.toasts.map((t) => t.message)).toEqual(['Saved', 'Key generated (RSA 2048).']);
  });

  it('remembers a dismissed store notice', () => {
    const notice = { file: '/d/vault.json', movedTo: '/d/vault.json.corrupt-1', reason: 'bad JSON', at: '2026-01-01T00:00:00Z' };
    useAppStore.getState().dismissStoreNotice(notice);
    useAppStore.getState().dismissStoreNotice(notice);
    expect(useAppStore.getState().notices.dismissedStoreNotices).toHaveLength(1);
  });
});
