/**
 * The tour's state and set-up with the core mocked: offered once, right after the vault is created (never
 * after an unlock), its answer kept in the tab's sessionStorage; and "Set up the demo" making the keys,
 * application, credentials, target and user the first time and finding them by name the next time.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { KeySummary } from '../../../../../../shared/schemas/keys';
import type { ServerClient, ServerCredential } from '../../../../../../shared/schemas/server';
import type { FlowTarget } from '../../../../../../shared/schemas/flows';

const call = vi.fn();
vi.mock('../../../../../../renderer/src/api/client', () => ({
  call: (...args: unknown[]) => call(...args),
  subscribe: () => () => {},
  ApiError: class extends Error {},
}));

// A sessionStorage for this tab (node has none).
const session = new Map<string, string>();
Object.assign(globalThis, {
  sessionStorage: {
    getItem: (k: string) => session.get(k) ?? null,
    setItem: (k: string, v: string) => void session.set(k, v),
    removeItem: (k: string) => void session.delete(k),
  },
});

const { useAppStore } = await import('../../../../../../renderer/src/state/store');
const { readStoredTour } = await import('../../../../../../renderer/src/state/tour-slice');
const { setUpDemo, TourSetupError } = await import('../../../../../../renderer/src/features/tour/demo-setup');
const { TOUR_NAMES } = await import('../../../../../../renderer/src/features/tour/tour-model');

const initial = useAppStore.getState();

beforeEach(() => {
  call.mockReset();
  session.clear();
  useAppStore.setState(initial, true);
});

const status = (state: 'uninitialized' | 'locked' | 'unlocked') => ({ state, protector: 'passphrase' as const, notices: [] });

describe('Tour › offered once, after the vault is created', () => {
  it('offers the tour when the vault goes from uninitialized to unlocked', () => {
    call.mockResolvedValue([]);
    useAppStore.getState().setVaultStatus(status('uninitialized'));
    expect(useAppStore.getState().tour.offered).toBe(false);
    useAppStore.getState().setVaultStatus(status('unlocked'));
    expect(useAppStore.getState().tour.offered).toBe(true);
  });

  it('does not offer it after an unlock (a returning user)', () => {
    call.mockResolvedValue([]);
    useAppStore.getState().setVaultStatus(status('locked'));
    useAppStore.getState().setVaultStatus(status('unlocked'));
    expect(useAppStore.getState().tour.offered).toBe(false);
  });

  it('Skip hides the offer; Take the tour opens it at the intro; both are kept for a reload of the tab', () => {
    call.mockResolvedValue([]);
    useAppStore.getState().setVaultStatus(status('uninitialized'));
    useAppStore.getState().setVaultStatus(status('unlocked'));
    expect(readStoredTour(session.get('parley.tour') ?? null)?.offered).toBe(true);
    useAppStore.getState().answerTourOffer(false);
    expect(useAppStore.getState().tour).toMatchObject({ offered: false, open: false });
    expect(readStoredTour(session.get('parley.tour') ?? null)).toMatchObject({ offered: false, open: false });

    useAppStore.setState({ tour: { ...useAppStore.getState().tour, offered: true } });
    useAppStore.getState().answerTourOffer(true);
    expect(useAppStore.getState().tour).toMatchObject({ offered: false, open: true, page: 'intro' });
  });

  it('keeps an open tour where it is when started again, and forgets its progress when closed', () => {
    const store = useAppStore.getState();
    store.startTour();
    store.setTourPage('push');
    store.setTourDemo({ targetId: 't-1', clientId: 'c1', email: 'tour@parley.local' });
    store.setTourRun('run-1');
    useAppStore.getState().startTour();
    expect(useAppStore.getState().tour).toMatchObject({ open: true, page: 'push', runId: 'run-1' });
    expect(readStoredTour(session.get('parley.tour') ?? null)).toEqual({
      offered: false,
      open: true,
      page: 'push',
      demo: { targetId: 't-1', clientId: 'c1', email: 'tour@parley.local' },
      runId: 'run-1',
    });
    useAppStore.getState().closeTour();
    expect(useAppStore.getState().tour).toEqual({ offered: false, open: false, page: 'intro', demo: null, runId: null });
  });

  it('reads back only a well-formed stored tour (never a password)', () => {
    expect(readStoredTour(null)).toBeNull();
    expect(readStoredTour('not json')).toBeNull();
    expect(readStoredTour(JSON.stringify({ offered: false, open: true, page: 'elsewhere' }))).toBeNull();
    expect(
      readStoredTour(
        JSON.stringify({ offered: false, open: true, page: 'build', demo: { targetId: 't', clientId: 'c', email: 'e', password: 'p' }, runId: 7 }),
      ),
    ).toEqual({
      offered: false,
      open: true,
      page: 'build',
      demo: { targetId: 't', clientId: 'c', email: 'e' },
      runId: null,
    });
  });
});

function key(id: string, name: string, usage: 'jar' | 'client-auth'): KeySummary {
  return {
    id,
    name,
    kty: 'RSA',
    size: 2048,
    algs: ['RS256'],
    usages: [usage],
    thumbprint: `tp-${id}`,
    hasPrivateKey: true,
    createdAt: '',
    expiresAt: null,
    certificate: null,
    warnings: [],
  };
}

/** A fake core holding the objects the set-up reads and makes. */
function fakeCore() {
  const db = {
    keys: [] as KeySummary[],
    clients: [{ client_id: 'mgmt', name: 'Parley Management API', parley_management: true }] as ServerClient[],
    credentials: {} as Record<string, ServerCredential[]>,
    targets: [] as FlowTarget[],
    users: [{ user_id: 'auth0|demo', email: 'demo@parley.local', name: 'demo', email_verified: true, created_at: '' }],
    passwords: {} as Record<string, string>,
    running: true,
  };
  let n = 0;
  call.mockImplementation(async (name: string, input: Record<string, unknown>) => {
    switch (name) {
      case 'server.status':
        return { running: db.running, issuer: db.running ? 'http://127.0.0.1:4999/' : null };
      case 'keys.list':
        return db.keys;
      case 'keys.generate': {
        const k = key(`key-${++n}-xxxxxxxx`, input['name'] as string, (input['usages'] as ['jar' | 'client-auth'])[0]);
        db.keys.push(k);
        return k;
      }
      case 'server.listClients':
        return db.clients;
      case 'server.createClient': {
        const c = { client_id: `app${++n}`, ...(input['body'] as object) } as ServerClient;
        db.clients.push(c);
        return c;
      }
      case 'server.listCredentials':
        return db.credentials[input['clientId'] as string] ?? [];
      case 'server.createCredential': {
        const clientId = input['clientId'] as string;
        const from = input['fromVaultKey'] as { keyId: string; name: string };
        const cred: ServerCredential = {
          id: `cred_${++n}`,
          credential_type: 'public_key',
          kid: `tp-${from.keyId}`,
          alg: 'RS256',
          name: from.name,
          created_at: '',
          updated_at: '',
          expires_at: null,
        };
        (db.credentials[clientId] ??= []).push(cred);
        const client = db.clients.find((c) => c.client_id === clientId)!;
        if (input['attachTo'] === 'private_key_jwt')
          client.client_authentication_methods = {
            private_key_jwt: { credentials: [...(client.client_authentication_methods?.private_key_jwt?.credentials ?? []), { id: cred.id }] },
          };
        else client.signed_request_object = { credentials: [...(client.signed_request_object?.credentials ?? []), { id: cred.id }] };
        return cred;
      }
      case 'flows.listTargets':
        return db.targets;
      case 'flows.saveTarget': {
        const target = input['target'] as FlowTarget;
        db.targets = [...db.targets.filter((x) => x.id !== target.id), target];
        return target;
      }
      case 'server.listUsers':
        return db.users;
      case 'server.deleteUser':
        db.users = db.users.filter((u) => u.user_id !== input['userId']);
        return { deleted: input['userId'] };
      case 'server.createUser': {
        const user = { user_id: `auth0|${++n}`, email: input['email'] as string, name: input['name'] as string, email_verified: false, created_at: '' };
        db.users.push(user);
        db.passwords[user.email] = input['password'] as string;
        return user;
      }
      default:
        return [];
    }
  });
  return db;
}

const bytes = (b: Uint8Array) => crypto.getRandomValues(b);

describe('Tour › Set up the demo', () => {
  it('makes two RSA keys, the application with both credentials attached, the target and a user the first time', async () => {
    const db = fakeCore();
    const tasks: string[] = [];
    const result = await setUpDemo((task, state) => tasks.push(`${task}:${state}`), bytes);

    expect(db.keys.map((k) => [k.name, k.usages])).toEqual([
      [TOUR_NAMES.jarKey, ['jar']],
      [TOUR_NAMES.clientKey, ['client-auth']],
    ]);
    const generate = call.mock.calls.filter(([n]) => n === 'keys.generate').map(([, input]) => (input as { spec: unknown }).spec);
    expect(generate).toEqual([
      { kty: 'RSA', modulusLength: 2048 },
      { kty: 'RSA', modulusLength: 2048 },
    ]);
    const app = db.clients.find((c) => c.name === 'Parley tour app')!;
    expect(app).toMatchObject({ app_type: 'regular_web', grant_types: ['authorization_code'] });
    expect(app.signed_request_object?.credentials).toHaveLength(1);
    expect(app.client_authentication_methods?.private_key_jwt?.credentials).toHaveLength(1);
    const [jarKey, clientKey] = db.keys;
    expect(db.credentials[app.client_id]!.map((c) => c.kid)).toEqual([`tp-${jarKey!.id}`, `tp-${clientKey!.id}`]);

    expect(db.targets).toHaveLength(1);
    expect(db.targets[0]).toMatchObject({
      name: 'Parley tour app',
      issuer: 'http://127.0.0.1:4999/',
      client_id: app.client_id,
      auth: { method: 'private_key_jwt', keyId: clientKey!.id, hasSecret: false },
      jarKeyId: jarKey!.id,
      scope: 'openid profile email',
      embedded: true,
    });
    expect(db.targets[0]!.redirect_uri).toMatch(/^http:\/\/127\.0\.0\.1:4[78]\d\d\d\/callback$/);

    expect(result.demo).toEqual({ targetId: db.targets[0]!.id, clientId: app.client_id, email: 'tour@parley.local' });
    expect(db.passwords['tour@parley.local']).toBe(result.password);
    expect(tasks).toEqual([
      'keys:working',
      'keys:created',
      'application:working',
      'application:created',
      'credentials:working',
      'credentials:created',
      'target:working',
      'target:created',
      'user:working',
      'user:created',
    ]);
    // The bootstrap demo user is left alone.
    expect(db.users.map((u) => u.email)).toEqual(['demo@parley.local', 'tour@parley.local']);
  });

  it('finds everything by name the second time, keeps the redirect URI, and replaces the user with a new password', async () => {
    const db = fakeCore();
    const first = await setUpDemo(() => {}, bytes);
    const redirect = db.targets[0]!.redirect_uri;
    call.mockClear();
    const tasks: string[] = [];
    const second = await setUpDemo((task, state) => tasks.push(`${task}:${state}`), bytes);

    const made = call.mock.calls.map(([n]) => n as string).filter((n) => /generate|create(Client|Credential)/.test(n));
    expect(made).toEqual([]);
    expect(db.keys).toHaveLength(2);
    expect(db.clients.filter((c) => c.name === 'Parley tour app')).toHaveLength(1);
    expect(db.targets).toHaveLength(1);
    expect(db.targets[0]!.redirect_uri).toBe(redirect);
    expect(second.demo).toEqual(first.demo);
    expect(second.password).not.toBe(first.password);
    expect(db.users.filter((u) => u.email === 'tour@parley.local')).toHaveLength(1);
    expect(db.passwords['tour@parley.local']).toBe(second.password);
    expect(tasks.filter((x) => !x.endsWith(':working'))).toEqual(['keys:reused', 'application:reused', 'credentials:reused', 'target:reused', 'user:created']);
  });

  it('makes again only what is missing: a key deleted since gets a new key and a new credential', async () => {
    const db = fakeCore();
    await setUpDemo(() => {}, bytes);
    db.keys = db.keys.filter((k) => k.name !== TOUR_NAMES.clientKey);
    call.mockClear();
    await setUpDemo(() => {}, bytes);
    expect(call.mock.calls.filter(([n]) => n === 'keys.generate').map(([, i]) => (i as { name: string }).name)).toEqual([TOUR_NAMES.clientKey]);
    expect(call.mock.calls.filter(([n]) => n === 'server.createCredential').map(([, i]) => (i as { attachTo: string }).attachTo)).toEqual(['private_key_jwt']);
    expect(db.targets[0]!.auth.keyId).toBe(db.keys.find((k) => k.name === TOUR_NAMES.clientKey)!.id);
  });

  it('stops before making anything when the embedded server is not running', async () => {
    const db = fakeCore();
    db.running = false;
    await expect(setUpDemo(() => {}, bytes)).rejects.toBeInstanceOf(TourSetupError);
    expect(call.mock.calls.map(([n]) => n)).toEqual(['server.status']);
  });
});
