/**
 * The two servers as child processes, each pinned to one core where the OS allows (`taskset -c N` on
 * Linux), talking to bench/run.ts over IPC (bench/child.ts). The parent (the load generator) pins its main
 * thread to another core, so the server measured and the load never share a core.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { ChildStats } from './child';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Whether `taskset` can pin processes here (Linux with util-linux, at least 2 cores). */
export function canPin(): boolean {
  if (process.platform !== 'linux' || availableParallelism() < 2) return false;
  return spawnSync('taskset', ['-V'], { stdio: 'ignore' }).status === 0;
}

/** Pins this process's main thread to `core` (the load generator); worker threads created before keep theirs. */
export function pinSelf(core: number): boolean {
  return spawnSync('taskset', ['-cp', String(core), String(process.pid)], { stdio: 'ignore' }).status === 0;
}

/** A benchmark server in its own process. */
export class ServerProcess {
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  #nextId = 0;
  issuer = '';
  pid = 0;

  private constructor(child: ChildProcess) {
    this.#child = child;
    child.on('message', (m: { type: string; id?: number; result?: unknown; error?: string }) => {
      if (m.type !== 'reply' || m.id === undefined) return;
      const waiter = this.#pending.get(m.id);
      this.#pending.delete(m.id);
      if (m.error !== undefined) waiter?.reject(new Error(m.error));
      else waiter?.resolve(m.result);
    });
  }

  /**
   * Starts `script` (relative to the repository) and waits for its ready message. `v8Flags` are given to
   * its node (bench/run.ts: `--no-memory-reducer` for the scenario servers); BENCH_NODE_FLAGS adds more to
   * every server, for experiments (e.g. `--trace-gc`).
   */
  static async start(script: string, core: number | undefined, cpuProfileDir?: string, v8Flags: readonly string[] = []): Promise<ServerProcess> {
    const profile = cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfileDir] : [];
    const extra = (process.env['BENCH_NODE_FLAGS'] ?? '').split(/\s+/).filter(Boolean);
    const node = [process.execPath, '--import', 'tsx', '--expose-gc', ...v8Flags, ...extra, ...profile, script];
    const [command, ...args] = core === undefined ? node : ['taskset', '-c', String(core), ...node];
    const child = spawn(command!, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: { ...process.env, NODE_ENV: 'production' } });
    const server = new ServerProcess(child);
    await new Promise<void>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`${script} exited (${code}) before it was ready`));
      child.once('exit', onExit);
      child.on('message', (m: { type: string; issuer?: string; pid?: number }) => {
        if (m.type !== 'ready') return;
        server.issuer = m.issuer ?? '';
        server.pid = m.pid ?? child.pid ?? 0;
        child.off('exit', onExit);
        resolve();
      });
    });
    return server;
  }

  /** Sends a request and waits for the reply. */
  request<T>(type: 'setup' | 'mint' | 'reset' | 'stats' | 'gc' | 'stop', payload?: unknown): Promise<T> {
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.#child.send({ type, id, ...(payload === undefined ? {} : { payload }) });
    });
  }

  reset(): Promise<null> {
    return this.request('reset');
  }

  stats(): Promise<ChildStats> {
    return this.request('stats');
  }

  /** Stops the server and waits for the process to end. */
  async stop(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
    await Promise.race([this.request('stop').catch(() => undefined), new Promise((r) => setTimeout(r, 3000))]);
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill('SIGTERM');
    await exited;
  }
}
