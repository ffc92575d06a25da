/**
 * The vault's idle lock: the vault locks itself when the user has done nothing in Parley for the
 * configured time (Settings, 15 minutes by default, or never), in every host. The Electron shell also
 * locks it at once when the OS locks the screen or goes to sleep (shell.ts, `powerMonitor`).
 *
 * What counts as the user doing something: a contract operation, except the reads the renderer makes
 * on its own (at start, and to refresh what a core event says has changed: PASSIVE_OPERATIONS). Those
 * arrive while nobody is at the keyboard (traffic to the embedded server refreshes its logs, say), so
 * they must not keep the keys open. Events and the embedded server's own traffic never count.
 *
 * Time is read from clock.ts, and the deadline is checked against it whenever a timer fires and before
 * every operation: a machine that slept past the deadline locks before the first call after waking is
 * served, even if the timer has not fired yet (timers do not run while the machine sleeps).
 */
import type { OpName } from '../../../shared/ipc/contract';
import { nowMs } from '../clock';
import type { EventBus } from '../events';
import type { VaultStatus } from '../../../shared/schemas/app';

/** How the idle lock waits: a one-shot timer, cancelled by the function it returns. Tests drive their own. */
export interface IdleTimers {
  set(callback: () => void, ms: number): () => void;
}

/** Node's timers, unref'd: a pending idle lock never keeps a process alive. */
export const nodeTimers: IdleTimers = {
  set(callback, ms) {
    const timer = setTimeout(callback, ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
};

/**
 * The longest single wait. Timers stop while a machine sleeps, so a long one would fire long after the
 * deadline on the wall clock; waking up at least once a minute re-reads the clock.
 */
const MAX_WAIT_MS = 60_000;

/**
 * Reads the renderer makes without the user asking: at start (status, settings, host facts) and to
 * refresh views when a core event arrives (keys, the server's status, clients, users, logs, flow runs).
 */
export const PASSIVE_OPERATIONS: ReadonlySet<OpName> = new Set<OpName>([
  'app.info',
  'settings.get',
  'vault.status',
  'keys.list',
  'keys.get',
  'server.status',
  'server.listClients',
  'server.listCredentials',
  'server.listClientGrants',
  'server.listResourceServers',
  'server.listUsers',
  'server.listLogs',
  'flows.get',
  'flows.history',
  'flows.listTargets',
]);

/** What the idle lock needs of the vault. */
export interface LockableVault {
  status(): VaultStatus;
  lock(): VaultStatus;
}

/** The idle lock's settings and, in tests, its timers. */
export interface IdleLockOptions {
  /** Minutes without an action from the user, or 'never'. */
  minutes: number | 'never';
  timers?: IdleTimers;
}

/** Locks the vault after `minutes` without an action from the user; see the module comment. */
export class IdleLock {
  readonly #vault: LockableVault;
  readonly #timers: IdleTimers;
  readonly #unsubscribe: () => void;
  #minutes: number | 'never';
  #lastActivity = nowMs();
  #cancel: (() => void) | undefined;

  constructor(vault: LockableVault, events: EventBus, options: IdleLockOptions) {
    this.#vault = vault;
    this.#timers = options.timers ?? nodeTimers;
    this.#minutes = options.minutes;
    // Unlocking is an action: the idle time counts from there. Locked, there is nothing to wait for.
    this.#unsubscribe = events.subscribe((event) => {
      if (event.name !== 'vault.changed') return;
      if (event.payload.state === 'unlocked') {
        this.#lastActivity = nowMs();
        this.#arm();
      } else {
        this.#disarm();
      }
    });
    this.#arm();
  }

  /** Applies a new idle time (a settings change); counting restarts now, since changing it is an action. */
  configure(minutes: number | 'never'): void {
    this.#minutes = minutes;
    this.#lastActivity = nowMs();
    this.#arm();
  }

  /**
   * Called before each contract operation is served: locks first when the deadline has passed (so that call
   * meets a locked vault), then counts the operation as an action unless it is a passive read.
   */
  beforeOperation(name: unknown): void {
    this.#lockIfIdle();
    if (typeof name === 'string' && !PASSIVE_OPERATIONS.has(name as OpName)) this.#lastActivity = nowMs();
  }

  /** Locks now, whatever the idle time (the OS locked the screen or is going to sleep). True when it was unlocked. */
  lockNow(): boolean {
    if (this.#vault.status().state !== 'unlocked') return false;
    this.#vault.lock();
    return true;
  }

  /** Stops the timer and the subscription (the core is closing). */
  dispose(): void {
    this.#disarm();
    this.#unsubscribe();
  }

  #deadline(): number | undefined {
    return this.#minutes === 'never' ? undefined : this.#lastActivity + this.#minutes * 60_000;
  }

  #lockIfIdle(): void {
    const deadline = this.#deadline();
    if (deadline !== undefined && nowMs() >= deadline) this.lockNow();
  }

  /** Waits for the deadline (at most MAX_WAIT_MS at a time) while the vault is unlocked. */
  #arm(): void {
    this.#disarm();
    const deadline = this.#deadline();
    if (deadline === undefined || this.#vault.status().state !== 'unlocked') return;
    const wait = Math.min(Math.max(deadline - nowMs(), 0), MAX_WAIT_MS);
    this.#cancel = this.#timers.set(() => {
      this.#cancel = undefined;
      this.#lockIfIdle();
      // Still unlocked: an action moved the deadline, or the wait was capped. Locking disarmed it already.
      this.#arm();
    }, wait);
  }

  #disarm(): void {
    this.#cancel?.();
    this.#cancel = undefined;
  }
}
