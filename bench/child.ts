/**
 * What both benchmark servers (bench/parley-server.ts, bench/oidc-provider-server.ts) share: the IPC
 * protocol with bench/run.ts, and the measurement of their own CPU time and resident memory.
 *
 * CPU is process.cpuUsage() (user + system, every thread of the process) between a `reset` and a `stats`
 * message; RSS is sampled every 50 ms by an unref'd timer (a sample costs one syscall), so `peakRssBytes` is
 * the peak seen since the last reset. Both work on every OS, unlike /proc.
 */

/** A message from the parent. */
export type ParentMessage =
  | { type: 'setup'; id: number; payload: unknown }
  | { type: 'mint'; id: number; payload: unknown }
  | { type: 'reset'; id: number }
  | { type: 'stats'; id: number }
  | { type: 'gc'; id: number }
  | { type: 'stop'; id: number };

/** The stats a child reports. */
export interface ChildStats {
  /** CPU time (user + system) since the last reset, in microseconds. */
  cpuMicros: number;
  /** Wall time since the last reset, in milliseconds. */
  wallMs: number;
  rssBytes: number;
  peakRssBytes: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  /** Memory outside the V8 heap that V8 knows of (Buffers and other ArrayBuffers among it). */
  externalBytes: number;
  /** Sizes of the server's bounded in-memory structures (Parley only). */
  sizes?: Record<string, number>;
}

let cpuAtReset = process.cpuUsage();
let wallAtReset = performance.now();
let peakRss = process.memoryUsage.rss();

const sampler = setInterval(() => {
  const rss = process.memoryUsage.rss();
  if (rss > peakRss) peakRss = rss;
}, 50);
sampler.unref();

/** Starts a new measurement window. */
export function resetStats(): void {
  cpuAtReset = process.cpuUsage();
  wallAtReset = performance.now();
  peakRss = process.memoryUsage.rss();
}

/** The measurement since the last reset. */
export function currentStats(sizes?: Record<string, number>): ChildStats {
  const cpu = process.cpuUsage(cpuAtReset);
  const rss = process.memoryUsage.rss();
  if (rss > peakRss) peakRss = rss;
  return {
    cpuMicros: cpu.user + cpu.system,
    wallMs: performance.now() - wallAtReset,
    rssBytes: rss,
    peakRssBytes: peakRss,
    ...(() => {
      const m = process.memoryUsage();
      return { heapUsedBytes: m.heapUsed, heapTotalBytes: m.heapTotal, externalBytes: m.external };
    })(),
    ...(sizes ? { sizes } : {}),
  };
}

/** Sends a message to the parent. */
export function send(message: Record<string, unknown>): void {
  process.send?.(message);
}

/**
 * Answers the parent's messages: `setup` and `mint` go to the server's handlers; `reset`, `stats` and `gc`
 * are answered here; `stop` closes the server and exits. Every request carries an id echoed in the reply.
 */
export function serve(handlers: {
  setup(payload: unknown): Promise<unknown>;
  mint?(payload: unknown): Promise<unknown>;
  sizes?(): Record<string, number>;
  stop(): Promise<void>;
}): void {
  process.on('message', (raw: ParentMessage) => {
    const reply = (result: unknown) => send({ type: 'reply', id: raw.id, result });
    const failed = (e: unknown) => send({ type: 'reply', id: raw.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    switch (raw.type) {
      case 'setup':
        handlers.setup(raw.payload).then(reply, failed);
        break;
      case 'mint':
        if (!handlers.mint) failed(new Error('this server mints no codes over IPC'));
        else handlers.mint(raw.payload).then(reply, failed);
        break;
      case 'reset':
        resetStats();
        reply(null);
        break;
      case 'stats':
        reply(currentStats(handlers.sizes?.()));
        break;
      case 'gc':
        (globalThis as { gc?: () => void }).gc?.();
        reply(currentStats(handlers.sizes?.()));
        break;
      case 'stop':
        handlers.stop().finally(() => {
          reply(null);
          setTimeout(() => process.exit(0), 20);
        });
        break;
    }
  });
  process.on('disconnect', () => {
    void handlers.stop().finally(() => process.exit(0));
  });
}
