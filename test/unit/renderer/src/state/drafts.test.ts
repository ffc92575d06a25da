/**
 * Compose drafts and the Inspect input survive a restart (renderer/src/state/drafts-storage.ts): a restart is
 * a fresh store module over the same localStorage. Unreadable stored data is set aside with a notice, never
 * trusted and never a crash; what is secret-adjacent (a pasted key, the PKCE verifier, signed tokens) is not kept.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../../../../../renderer/src/api/client', () => ({
  call: () => Promise.reject(new Error('no core in this test')),
  subscribe: () => () => {},
  ApiError: class extends Error {},
}));

/** localStorage as the browser has it: strings by key (node has none). */
class MemoryStorage implements Storage {
  private readonly items = new Map<string, string>();
  get length(): number {
    return this.items.size;
  }
  clear(): void {
    this.items.clear();
  }
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  key(index: number): string | null {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
  setItem(key: string, value: string): void {
    this.items.set(key, String(value));
  }
}

const storage = new MemoryStorage();
vi.stubGlobal('localStorage', storage);

/** Starts the renderer's store afresh (a restart), over what localStorage holds. */
async function restart() {
  vi.resetModules();
  const { useAppStore } = await import('../../../../../renderer/src/state/store');
  const drafts = await import('../../../../../renderer/src/state/drafts-storage');
  return { store: useAppStore, drafts };
}

const JWT = 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSIsImF1ZCI6Imh0dHBzOi8vYXBpIn0.c2ln';

beforeEach(() => storage.clear());
afterEach(() => vi.resetModules());

describe('drafts › survive a restart', () => {
  it('keeps the Compose drafts and aim, not the signed tokens nor the PKCE verifier', async () => {
    const first = await restart();
    const s = first.store.getState();
    s.patchCompose({ mode: 'assertion', target: 'issuer', typedIssuer: 'https://tenant.example/', keyId: 'k1', pkceVerifier: 'verifier-not-kept' });
    s.setComposeProfile('jar', 'fapi2');
    s.setDraft('jar', { header: { alg: 'PS256', typ: 'oauth-authz-req+jwt' }, payload: { iss: 'client-1', scope: 'openid' } });
    s.setSigned('jar', { jws: 'signed.token.here', from: '{}' });
    first.drafts.flushDrafts();
    const stored = storage.getItem('parley.drafts.compose') ?? '';
    expect(stored).not.toContain('verifier-not-kept');
    expect(stored).not.toContain('signed.token.here');

    const second = await restart();
    const compose = second.store.getState().compose;
    expect(compose).toMatchObject({
      mode: 'assertion',
      target: 'issuer',
      typedIssuer: 'https://tenant.example/',
      keyId: 'k1',
      pkceVerifier: null,
      signed: { jar: null, assertion: null },
    });
    expect(compose.profiles.jar).toBe('fapi2');
    expect(compose.drafts.jar).toEqual({ header: { alg: 'PS256', typ: 'oauth-authz-req+jwt' }, payload: { iss: 'client-1', scope: 'openid' } });
    expect(second.drafts.draftProblems()).toEqual([]);
  });

  it('keeps the Inspect input, tab and lint choices, not a pasted key; the restored token is decoded again', async () => {
    const first = await restart();
    const s = first.store.getState();
    s.setInspectToken(JWT);
    s.setInspectTab('lint');
    s.setLintInputs({ kind: 'accessToken', profile: 'strict' });
    s.setVerifyInputs({ source: 'text', keyText: '-----BEGIN PRIVATE KEY----- pasted by mistake', jwksUrl: 'https://tenant.example/jwks' });
    first.drafts.flushDrafts();
    expect(storage.getItem('parley.drafts.inspect')).not.toContain('PRIVATE KEY');

    const second = await restart();
    const inspect = second.store.getState().inspect;
    expect(inspect).toMatchObject({ token: JWT, tab: 'lint', lint: { kind: 'accessToken', profile: 'strict' } });
    expect(inspect.verifyInputs).toEqual({ source: 'text', vaultKeyId: '', keyText: '', clientId: '', jwksUrl: 'https://tenant.example/jwks', issuer: '' });
    await vi.waitFor(() => expect(second.store.getState().inspect.decoded.kind).toBe('jws'), { timeout: 20_000 });
  });

  it('does not keep an input too long for storage (the screen keeps it for the session)', async () => {
    const first = await restart();
    const huge = `${JWT}${'A'.repeat(first.drafts.MAX_STORED_CHARS)}`;
    first.store.getState().setInspectToken(huge);
    first.drafts.flushDrafts();
    const second = await restart();
    expect(second.store.getState().inspect.token).toBe('');
    expect(second.drafts.draftProblems()).toEqual([]);
  });

  it('Clear forgets both screens, in the store and in storage', async () => {
    const first = await restart();
    const s = first.store.getState();
    s.setInspectToken(JWT);
    s.setDraft('assertion', { header: { alg: 'RS256' }, payload: { iss: 'c' } });
    first.drafts.flushDrafts();
    s.clearCompose();
    s.clearInspect();
    first.drafts.flushDrafts();
    expect(storage.getItem('parley.drafts.compose')).toBeNull();
    expect(storage.getItem('parley.drafts.inspect')).toBeNull();
    expect(first.store.getState().inspect.token).toBe('');
    expect(first.store.getState().compose.drafts.assertion).toBeNull();
  });
});

describe('drafts › bad stored data is set aside with a notice', () => {
  const cases: [string, string, string][] = [
    ['not JSON', 'parley.drafts.compose', '{"v":1,"mode":"jar"'],
    ['JSON of another version', 'parley.drafts.compose', JSON.stringify({ v: 0, drafts: {} })],
    ['a draft without its header', 'parley.drafts.compose', JSON.stringify({ v: 1, mode: 'jar', drafts: { jar: { payload: {} }, assertion: null } })],
    [
      'an unknown profile',
      'parley.drafts.inspect',
      JSON.stringify({
        v: 1,
        token: JWT,
        compareToken: '',
        tab: 'verify',
        lint: { kind: 'idToken', profile: 'nope', issuer: null, clientId: null },
        verifyInputs: { source: 'vault', vaultKeyId: '', clientId: '', jwksUrl: '', issuer: '' },
      }),
    ],
    ['an array', 'parley.drafts.inspect', '[1,2,3]'],
  ];
  for (const [what, key, text] of cases) {
    it(`${what}: the screen starts empty, the notice names it, the bad copy is removed`, async () => {
      storage.setItem(key, text);
      const { store, drafts } = await restart();
      expect(store.getState().compose.drafts).toEqual({ jar: null, assertion: null });
      expect(store.getState().inspect.token).toBe('');
      expect(drafts.draftProblems()).toEqual([key.endsWith('compose') ? 'compose' : 'inspect']);
      expect(storage.getItem(key)).toBeNull();
      drafts.dismissDraftProblems();
      expect(drafts.draftProblems()).toEqual([]);
    });
  }
});
