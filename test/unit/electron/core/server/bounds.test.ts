/**
 * Every in-memory structure of the embedded server has a documented bound (docs/bounds.md); these tests
 * check that the bounds are the documented ones and that filling a structure past its bound never makes it
 * larger. They use the real classes, at their real sizes.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { freezeClock } from '../../../../../electron/core/clock';
import { pass, recordFailure } from '../../../../../electron/core/server/recording';
import { ENDPOINT_LIMITS, EndpointState } from '../../../../../electron/core/server/endpoints/state';
import { MEMORY_BOUNDS, MemoryStores } from '../../../../../electron/core/server/state/memory';
import { ServerDirectory } from '../../../../../electron/core/server/management/directory';
import { TtlSet, TtlStore } from '../../../../../electron/core/server/state/ttl-store';
import { MAX_TRACE_OUTCOMES, MAX_TRACE_TEXT, TraceRecorder, nextTraceId } from '../../../../../electron/core/server/trace';
import { TraceLog } from '../../../../../electron/core/server/trace-log';
import type { RequestTrace } from '../../../../../electron/core/server/trace';
import { confStoreFactory } from '../../../../../electron/core/store/document-store';

const NOW = Date.UTC(2026, 0, 1);
afterEach(() => freezeClock(undefined));

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('MemoryStores and EndpointState: the documented bounds', () => {
  it('each store is bounded by its MEMORY_BOUNDS / ENDPOINT_LIMITS entry', () => {
    const m = new MemoryStores();
    expect(m.codes.maxEntries).toBe(MEMORY_BOUNDS.codes);
    expect(m.pushedRequests.maxEntries).toBe(MEMORY_BOUNDS.pushedRequests);
    expect(m.logins.maxEntries).toBe(MEMORY_BOUNDS.logins);
    expect(m.assertionJtis.maxEntries).toBe(MEMORY_BOUNDS.assertionJtis);
    expect(m.requestObjectJtis.maxEntries).toBe(MEMORY_BOUNDS.requestObjectJtis);
    expect(m.refreshTokens.maxEntries).toBe(MEMORY_BOUNDS.refreshTokens);
    expect(m.revokedGrants.maxEntries).toBe(MEMORY_BOUNDS.revokedGrants);
    expect(m.dpopJtis.maxEntries).toBe(MEMORY_BOUNDS.dpopJtis);
    expect(m.sizes()).toHaveProperty('dpopJtis', 0);
    expect(m.nonceIssuedTokens.maxEntries).toBe(MEMORY_BOUNDS.nonceIssuedTokens);
    expect(m.sizes()).toHaveProperty('nonceIssuedTokens', 0);
    const e = new EndpointState();
    expect(e.sessions.maxEntries).toBe(ENDPOINT_LIMITS.sessions);
    expect(e.transactions.maxEntries).toBe(ENDPOINT_LIMITS.transactions);
    expect(e.parWindows.maxEntries).toBe(ENDPOINT_LIMITS.parWindows);
    expect(e.userFailures.maxEntries).toBe(ENDPOINT_LIMITS.userFailures);
    expect(ENDPOINT_LIMITS.userFailures).toBe(10_000);
  });

  it('the per-user sign-in failure counts (SES-7) stay within their bound, one per user, for 15 minutes', () => {
    freezeClock(NOW);
    const e = new EndpointState();
    for (let i = 0; i < ENDPOINT_LIMITS.userFailures + 5_000; i++) {
      e.userFailures.set(`auth0|${i}`, { count: 1 }, NOW + ENDPOINT_LIMITS.userFailureTtlMs);
      if (e.userFailures.size > ENDPOINT_LIMITS.userFailures) throw new Error(`grew to ${e.userFailures.size}`);
    }
    expect(e.userFailures.size).toBeLessThanOrEqual(ENDPOINT_LIMITS.userFailures);
    expect(ENDPOINT_LIMITS.userFailureTtlMs).toBe(15 * 60 * 1000);
    freezeClock(NOW + ENDPOINT_LIMITS.userFailureTtlMs);
    expect(e.userFailures.get(`auth0|${ENDPOINT_LIMITS.userFailures + 4_999}`)).toBeUndefined();
  });

  it('the client-assertion jti cache never holds more than 100,000 entries, however many arrive', () => {
    freezeClock(NOW);
    const jtis = new MemoryStores().assertionJtis;
    const far = NOW + 3600_000; // none expires: only the bound can make room
    for (let i = 0; i < MEMORY_BOUNDS.assertionJtis + 25_000; i++) {
      jtis.set(`jti-${i}`, true, far);
      if (jtis.size > MEMORY_BOUNDS.assertionJtis) throw new Error(`grew to ${jtis.size}`);
    }
    expect(jtis.size).toBeLessThanOrEqual(MEMORY_BOUNDS.assertionJtis);
    // The newest are kept; the oldest tenth went first.
    expect(jtis.has(`jti-${MEMORY_BOUNDS.assertionJtis + 24_999}`)).toBe(true);
    expect(jtis.has('jti-0')).toBe(false);
  });

  it('pushed requests, codes and sessions stay within their bounds when flooded', () => {
    freezeClock(NOW);
    const m = new MemoryStores();
    const e = new EndpointState();
    for (let i = 0; i < 12_000; i++) {
      m.pushedRequests.set(`urn:${i}`, { request: {} as never, client_id: 'c', auth_method: 'private_key_jwt', used: false }, NOW + 30_000);
      m.codes.set(`code-${i}`, {} as never, NOW + 600_000);
      e.sessions.set(`s-${i}`, { user_id: 'u', auth_time: 0, consents: [] }, NOW + ENDPOINT_LIMITS.sessionTtlMs);
    }
    expect(m.pushedRequests.size).toBeLessThanOrEqual(MEMORY_BOUNDS.pushedRequests);
    expect(m.codes.size).toBeLessThanOrEqual(MEMORY_BOUNDS.codes);
    expect(e.sessions.size).toBeLessThanOrEqual(ENDPOINT_LIMITS.sessions);
  });
});

describe('TtlStore and TtlSet', () => {
  for (const make of [() => new TtlStore<true>(100, 'store'), () => new TtlSet(100, 'set')]) {
    it(`${make().constructor.name}: sweeps expired entries before evicting live ones`, () => {
      freezeClock(NOW);
      const s = make();
      for (let i = 0; i < 50; i++) s.set(`old-${i}`, true, NOW + 1000);
      for (let i = 0; i < 50; i++) s.set(`live-${i}`, true, NOW + 60_000);
      freezeClock(NOW + 2000);
      s.set('new', true, NOW + 60_000);
      expect(s.size).toBe(51);
      expect(s.has('live-0')).toBe(true);
      expect(s.has('new')).toBe(true);
      expect(s.peek('old-0')).toBeUndefined();
    });

    it(`${make().constructor.name}: while entries expire one by one, a full store sweeps once per tenth of its bound, not per insert`, () => {
      freezeClock(NOW);
      const s = make();
      // Full, with entries expiring 1 ms apart (like PAR request_uris under steady load).
      for (let i = 0; i < 100; i++) s.set(`k-${i}`, true, NOW + 1 + i);
      const before = s.sweeps;
      for (let i = 100; i < 10_100; i++) {
        freezeClock(NOW + 1 + i - 100); // one more entry has expired at each insert
        s.set(`k-${i}`, true, NOW + 1 + i);
        if (s.size > 100) throw new Error(`grew to ${s.size}`);
      }
      // Sweeping only until there was room scanned the whole map at every one of these 10,000 inserts.
      expect(s.sweeps - before).toBeLessThanOrEqual(10_000 / 10 + 1);
      expect(s.has('k-10099')).toBe(true);
    });

    it(`${make().constructor.name}: an entry expires at its expiry, to the millisecond`, () => {
      freezeClock(NOW);
      const s = make();
      s.set('k', true, NOW + 1500);
      freezeClock(NOW + 1499);
      expect(s.get('k')).toBe(true);
      expect(s.peek('k')).toEqual({ value: true, expired: false });
      freezeClock(NOW + 1500);
      expect(s.has('k')).toBe(false);
      expect(s.peek('k')).toEqual({ value: true, expired: true });
    });
  }
});

describe('traces', () => {
  function trace(i: number): RequestTrace {
    return { id: `t${i}`, at: '', method: 'GET', endpoint: i % 2 ? 'par' : 'token', path: '/', status: i % 3 ? 200 : 400, rules: [], durationMs: 0 };
  }

  it('TraceLog keeps at most `capacity` traces, newest first, and finds them by id', () => {
    const log = new TraceLog(1000);
    for (let i = 0; i < 2500; i++) log.add(trace(i));
    expect(log.size).toBe(1000);
    const all = log.list();
    expect(all).toHaveLength(1000);
    expect(all[0]!.id).toBe('t2499');
    expect(all[999]!.id).toBe('t1500');
    expect(log.get('t1500')?.id).toBe('t1500');
    expect(log.get('t1499')).toBeUndefined();
    expect(log.list({ endpoint: 'par', limit: 3 }).map((t) => t.id)).toEqual(['t2499', 't2497', 't2495']);
    expect(log.list({ failedOnly: true, limit: 2 }).map((t) => t.id)).toEqual(['t2499', 't2496']);
    log.clear();
    expect(log.size).toBe(0);
    log.add(trace(1));
    expect(log.list().map((t) => t.id)).toEqual(['t1']);
  });

  it('a trace keeps at most MAX_TRACE_OUTCOMES outcomes, each text cut at MAX_TRACE_TEXT characters', () => {
    const t = new TraceRecorder('POST', 'par', '/oauth/par');
    recordFailure(t, { id: 'X-1', summary: 'first failure', source: 'test' }, 'e', 'a'.repeat(100_000));
    for (let i = 0; i < MAX_TRACE_OUTCOMES + 50; i++) pass(t, { id: `P-${i}`, summary: 'passed', source: 'test' }, 'x'.repeat(5000));
    const done = t.finish(400);
    expect(done.rules).toHaveLength(MAX_TRACE_OUTCOMES);
    expect(done.failedRule).toBe('X-1');
    for (const r of done.rules) {
      expect(r.actual?.length ?? 0).toBeLessThan(MAX_TRACE_TEXT + 40);
      expect(r.expected?.length ?? 0).toBeLessThan(MAX_TRACE_TEXT + 40);
    }
    expect(done.rules[0]!.actual).toMatch(/… \(100000 characters\)$/);
  });

  it('trace ids are unique without a random draw per request', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => nextTraceId()));
    expect(ids.size).toBe(10_000);
    expect(new TraceRecorder('GET', 'x', '/').id).not.toBe(new TraceRecorder('GET', 'x', '/').id);
  });
});

describe('client directory caches', () => {
  function pem(): string {
    return generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }

  it('serve one view per document version, follow every write, and drop keys of deleted credentials', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-bounds-'));
    dirs.push(dir);
    const directory = new ServerDirectory(confStoreFactory(dir), []);
    const created = (await directory.createClient({
      name: 'cache test',
      app_type: 'regular_web',
      callbacks: ['https://app.example.com/cb'],
      client_authentication_methods: { private_key_jwt: { credentials: [{ name: 'a', credential_type: 'public_key', pem: pem(), alg: 'RS256' }] } },
    })) as unknown as { client_id: string };
    const id = created.client_id;
    const view = directory.getClient(id)!;
    expect(directory.getClient(id)).toBe(view);
    expect(Object.isFrozen(view)).toBe(true);
    const [first] = directory.slotCredentials(id, 'private_key_jwt');
    expect(directory.slotCredentials(id, 'private_key_jwt')[0]!.publicKey).toBe(first!.publicKey);

    await directory.updateClient(id, { name: 'renamed' });
    expect(directory.getClient(id)!.name).toBe('renamed');
    // The credential's key was parsed once and is reused across document versions.
    expect(directory.slotCredentials(id, 'private_key_jwt')[0]!.publicKey).toBe(first!.publicKey);

    const second = await directory.createCredential(id, { name: 'b', credential_type: 'public_key', pem: pem(), alg: 'RS256' });
    await directory.updateClient(id, { client_authentication_methods: { private_key_jwt: { credentials: [{ id: second.id }] } } });
    const now = directory.slotCredentials(id, 'private_key_jwt');
    expect(now.map((c) => c.id)).toEqual([second.id]);
    expect(now[0]!.publicKey).not.toBe(first!.publicKey);

    await directory.deleteCredential(id, first!.id);
    expect(directory.slotCredentials(id, 'private_key_jwt').map((c) => c.id)).toEqual([second.id]);
    await directory.deleteClient(id);
    expect(directory.getClient(id)).toBeUndefined();
    expect(directory.slotCredentials(id, 'private_key_jwt')).toEqual([]);
  });
});
