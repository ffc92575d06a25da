import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { RequestTrace, ServerClient, ServerStatus } from '../../../../../shared/schemas/server';

const call = vi.fn();
vi.mock('../../../../../renderer/src/api/client', () => ({
  call: (...args: unknown[]) => call(...args),
  subscribe: () => () => {},
  ApiError: class extends Error {},
}));

const { useAppStore } = await import('../../../../../renderer/src/state/store');
const { applyEvent } = await import('../../../../../renderer/src/state/core-events');
const { MAX_LOGS, mergeTraces, traceMatches } = await import('../../../../../renderer/src/state/server-slice');

function trace(id: string, extra: Partial<RequestTrace> = {}): RequestTrace {
  return {
    id,
    at: `2026-01-01T00:00:${id.padStart(2, '0').slice(-2)}.000Z`,
    method: 'POST',
    endpoint: 'par',
    path: '/oauth/par',
    status: 201,
    rules: [],
    durationMs: 1,
    ...extra,
  };
}

function status(running: boolean): ServerStatus {
  return {
    running,
    issuer: running ? 'http://127.0.0.1:4747/' : null,
    port: running ? 4747 : null,
    settings: {
      profile: 'auth0',
      loopbackAnyPort: false,
      consent: true,
      parEnabled: true,
      parRequired: false,
      issParameter: false,
      jarReplayCheck: false,
      clockOffsetSeconds: 0,
      port: 4747,
      https: false,
    },
    error: running ? null : 'listen EADDRINUSE: address already in use 127.0.0.1:4747',
    management: null,
    memory: {},
    tls: null,
  };
}

function client(id: string): ServerClient {
  return { client_id: id, name: id };
}

const initial = useAppStore.getState();

beforeEach(() => {
  call.mockReset();
  useAppStore.setState(initial, true);
});

describe('Renderer store › server logs', () => {
  it('merges newest first, without duplicates, capped at MAX_LOGS', () => {
    const many = Array.from({ length: MAX_LOGS + 20 }, (_, i) => trace(`t${i}`, { at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString() }));
    const merged = mergeTraces(many, [many[0]!]);
    expect(merged).toHaveLength(MAX_LOGS);
    expect(merged[0]!.id).toBe(`t${MAX_LOGS + 19}`);
    expect(new Set(merged.map((t) => t.id)).size).toBe(MAX_LOGS);
  });

  it('adds live traces on top, only those matching the filters', () => {
    useAppStore.setState((s) => ({ server: { ...s.server, logFilter: { endpoint: '', clientId: '', failedOnly: true } } }));
    applyEvent({ name: 'server.trace', payload: trace('1', { status: 201 }) });
    applyEvent({ name: 'server.trace', payload: trace('2', { status: 400, failedRule: 'PAR-5' }) });
    applyEvent({ name: 'server.trace', payload: trace('3', { status: 401 }) });
    expect(useAppStore.getState().server.logs.map((t) => t.id)).toEqual(['3', '2']);
  });

  it('keeps live traces that arrive while the log is being read', async () => {
    let release: (v: RequestTrace[]) => void = () => {};
    call.mockImplementationOnce(() => new Promise((resolve) => (release = resolve)));
    const loading = useAppStore.getState().loadLogs();
    applyEvent({ name: 'server.trace', payload: trace('9') });
    release([trace('2'), trace('1')]);
    await loading;
    expect(useAppStore.getState().server.logs.map((t) => t.id)).toEqual(['9', '2', '1']);
    expect(call).toHaveBeenCalledWith('server.listLogs', { limit: MAX_LOGS });
  });

  it('sends the filters to the core and drops what no longer matches at once', async () => {
    call.mockResolvedValue([]);
    useAppStore.setState((s) => ({ server: { ...s.server, logs: [trace('1', { endpoint: 'token' }), trace('2')] } }));
    useAppStore.getState().setLogFilter({ endpoint: 'par', clientId: 'abc', failedOnly: true });
    expect(useAppStore.getState().server.logs).toEqual([]);
    await vi.waitFor(() => expect(call).toHaveBeenCalledWith('server.listLogs', { limit: MAX_LOGS, endpoint: 'par', clientId: 'abc', failedOnly: true }));
  });

  it('matches a trace against filters', () => {
    const any = { endpoint: '', clientId: '', failedOnly: false };
    expect(traceMatches(trace('1'), any)).toBe(true);
    expect(traceMatches(trace('1', { clientId: 'x' }), { ...any, clientId: 'y' })).toBe(false);
    expect(traceMatches(trace('1', { endpoint: 'token' }), { ...any, endpoint: 'par' })).toBe(false);
  });

  it('empties the log on clear', async () => {
    call.mockResolvedValue({ cleared: 2 });
    useAppStore.setState((s) => ({ server: { ...s.server, logs: [trace('1'), trace('2')] } }));
    expect(await useAppStore.getState().clearLogs()).toBe(2);
    expect(useAppStore.getState().server.logs).toEqual([]);
  });
});

describe('Renderer store › server status and applications', () => {
  it('applies a pushed status, and re-reads the loaded lists unless only the memory counters moved', async () => {
    vi.useFakeTimers();
    try {
      useAppStore.setState((s) => ({ server: { ...s.server, clientsLoaded: true, status: status(true) } }));
      call.mockResolvedValue([client('c1')]);
      applyEvent({ name: 'server.changed', payload: { ...status(true), memory: { codes: 3 } } });
      await vi.advanceTimersByTimeAsync(200);
      expect(useAppStore.getState().server.status?.memory).toEqual({ codes: 3 });
      expect(call).not.toHaveBeenCalled();
      applyEvent({ name: 'server.changed', payload: status(false) });
      expect(useAppStore.getState().server.status?.running).toBe(false);
      await vi.advanceTimersByTimeAsync(200);
      expect(useAppStore.getState().server.clients.map((c) => c.client_id)).toEqual(['c1']);
      expect(call).toHaveBeenCalledWith('server.listClients', {});
      expect(call).not.toHaveBeenCalledWith('server.listUsers', {});
    } finally {
      vi.useRealTimers();
    }
  });

  it('drops a status answer older than a pushed status', async () => {
    let release: (v: ServerStatus) => void = () => {};
    call.mockImplementationOnce(() => new Promise((resolve) => (release = resolve)));
    const loading = useAppStore.getState().loadServerStatus();
    useAppStore.getState().setServerStatus(status(true));
    release(status(false));
    await loading;
    expect(useAppStore.getState().server.status?.running).toBe(true);
  });

  it('forgets the selection and the credentials of a deleted application', async () => {
    call.mockImplementation(async (name: string) => (name === 'server.listClients' ? [client('c2')] : { deleted: 'c1' }));
    useAppStore.setState((s) => ({
      server: { ...s.server, clients: [client('c1'), client('c2')], clientsLoaded: true, selectedClientId: 'c1', credentials: { c1: [] } },
    }));
    await useAppStore.getState().deleteClient('c1');
    const { server } = useAppStore.getState();
    expect(server.selectedClientId).toBeNull();
    expect(server.credentials).toEqual({});
    expect(call).toHaveBeenCalledWith('server.deleteClient', { clientId: 'c1', confirm: true });
  });

  it('re-reads the client and its credentials after creating a credential, even when it fails', async () => {
    call.mockImplementation(async (name: string) => {
      if (name === 'server.createCredential') throw new Error('Array is too long (3), maximum 2');
      return [];
    });
    await expect(
      useAppStore
        .getState()
        .createCredential({ clientId: 'c1', fromVaultKey: { keyId: 'key-aaaa-1', name: 'k', alg: 'RS256' }, attachTo: 'signed_request_object' }),
    ).rejects.toThrow('maximum 2');
    expect(call).toHaveBeenCalledWith('server.listClients', {});
    expect(call).toHaveBeenCalledWith('server.listCredentials', { clientId: 'c1' });
  });

  it('refreshes the lists after a successful Management API write seen in the log', async () => {
    vi.useFakeTimers();
    try {
      call.mockResolvedValue([]);
      useAppStore.setState((s) => ({ server: { ...s.server, clientsLoaded: true, usersLoaded: true } }));
      applyEvent({ name: 'server.trace', payload: trace('1', { endpoint: 'management.clients', method: 'PATCH', status: 200 }) });
      applyEvent({ name: 'server.trace', payload: trace('2', { endpoint: 'management.clients', method: 'GET', status: 200 }) });
      await vi.advanceTimersByTimeAsync(200);
      expect(call.mock.calls.filter(([name]) => name === 'server.listClients')).toHaveLength(1);
      expect(call.mock.calls.filter(([name]) => name === 'server.listUsers')).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('refreshes the client list after a dynamic registration (POST /oidc/register creates a client), not after a refused one', async () => {
    vi.useFakeTimers();
    try {
      call.mockResolvedValue([]);
      useAppStore.setState((s) => ({ server: { ...s.server, clientsLoaded: true, usersLoaded: true } }));
      applyEvent({ name: 'server.trace', payload: trace('1', { endpoint: 'register', method: 'POST', status: 403 }) });
      await vi.advanceTimersByTimeAsync(200);
      expect(call.mock.calls.filter(([name]) => name === 'server.listClients')).toHaveLength(0);
      applyEvent({ name: 'server.trace', payload: trace('2', { endpoint: 'register', method: 'POST', status: 201 }) });
      await vi.advanceTimersByTimeAsync(200);
      expect(call.mock.calls.filter(([name]) => name === 'server.listClients')).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('Renderer store › client grants (the APIs tab)', () => {
  const AUD = 'http://127.0.0.1:4747/api/v2/';
  const apis = [{ audience: AUD, management: true, scopes: ['read:clients', 'read:users'] }];
  const grant = (scope: string[], id = 'cgr_old') => ({ id, client_id: 'c1', audience: AUD, scope });

  /** A fake core holding one client's grants. */
  function fakeCore(initial: ReturnType<typeof grant>[], failCreate?: (scope: string[]) => boolean) {
    let grants = [...initial];
    let n = 0;
    call.mockImplementation(async (name: string, input: Record<string, unknown>) => {
      if (name === 'server.listClientGrants') return { client_grants: grants.filter((g) => g.client_id === input.clientId), apis };
      if (name === 'server.deleteClientGrant') {
        grants = grants.filter((g) => g.id !== input.grantId);
        return { deleted: input.grantId };
      }
      if (name === 'server.createClientGrant') {
        const scope = input.scope as string[];
        if (failCreate?.(scope)) throw new Error('Refused');
        const created = grant(scope, `cgr_new${++n}`);
        grants.push(created);
        return created;
      }
      throw new Error(`unexpected ${name}`);
    });
    return { grants: () => grants };
  }
  const names = () => call.mock.calls.map(([name]) => name as string).filter((name) => name !== 'server.listClientGrants');

  it('loads a client’s grants and the APIs', async () => {
    fakeCore([grant(['read:users'])]);
    await useAppStore.getState().loadClientGrants('c1');
    expect(useAppStore.getState().server.clientGrants).toEqual({ c1: [grant(['read:users'])] });
    expect(useAppStore.getState().server.apis).toEqual(apis);
    expect(call).toHaveBeenCalledWith('server.listClientGrants', { clientId: 'c1' });
  });

  it('authorizes with a new grant, and removes it with confirm', async () => {
    const core = fakeCore([]);
    const created = await useAppStore.getState().saveClientGrant('c1', AUD, ['read:users']);
    expect(call).toHaveBeenCalledWith('server.createClientGrant', { client_id: 'c1', audience: AUD, scope: ['read:users'] });
    expect(useAppStore.getState().server.clientGrants.c1).toEqual([created]);
    expect(await useAppStore.getState().saveClientGrant('c1', AUD, null)).toBeNull();
    expect(call).toHaveBeenCalledWith('server.deleteClientGrant', { grantId: created!.id, confirm: true });
    expect(core.grants()).toEqual([]);
    expect(useAppStore.getState().server.clientGrants.c1).toEqual([]);
  });

  it('replaces a grant whose scopes changed, and leaves an unchanged one alone', async () => {
    fakeCore([grant(['read:users'])]);
    await useAppStore.getState().saveClientGrant('c1', AUD, ['read:users']);
    expect(names()).toEqual([]);
    await useAppStore.getState().saveClientGrant('c1', AUD, ['read:clients', 'read:users']);
    expect(names()).toEqual(['server.deleteClientGrant', 'server.createClientGrant']);
    expect(useAppStore.getState().server.clientGrants.c1?.map((g) => g.scope)).toEqual([['read:clients', 'read:users']]);
  });

  it('puts the previous grant back when the replacement is refused', async () => {
    const core = fakeCore([grant(['read:users'])], (scope) => scope.includes('bad'));
    await expect(useAppStore.getState().saveClientGrant('c1', AUD, ['bad'])).rejects.toThrow('Refused');
    expect(core.grants().map((g) => g.scope)).toEqual([['read:users']]);
    expect(useAppStore.getState().server.clientGrants.c1?.map((g) => g.scope)).toEqual([['read:users']]);
  });

  it('forgets the grants of a deleted application', async () => {
    call.mockImplementation(async (name: string) => (name === 'server.listClients' ? [] : { deleted: 'c1' }));
    useAppStore.setState((s) => ({ server: { ...s.server, clients: [client('c1')], clientsLoaded: true, clientGrants: { c1: [grant([])] } } }));
    await useAppStore.getState().deleteClient('c1');
    expect(useAppStore.getState().server.clientGrants).toEqual({});
  });
});
