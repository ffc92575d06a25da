/**
 * Summaries (median with min–max over the repetitions) and the Markdown report of bench/run.ts.
 */
import type { LoadResult } from './load';
import type { StartupResult } from './startup';

/** One measured run of one scenario against one server. */
export interface Run extends LoadResult {
  /** Server CPU time over the run's wall time, in % of one core. */
  cpuPct: number;
  peakRssMB: number;
  rssMB: number;
}

/** median, min, max. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const median = n === 0 ? 0 : n % 2 === 1 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
  return { median, min: sorted[0] ?? 0, max: sorted[n - 1] ?? 0 };
}

/** A server's summary for one scenario. */
export interface ServerSummary {
  rps: Spread;
  p50Ms: Spread;
  p99Ms: Spread;
  errors: number;
  cpuPct: Spread;
  /** Requests per second of server CPU time: throughput corrected for CPU the server did not get (a busy machine). */
  perCpuSecond: Spread;
  peakRssMB: number;
  runs: Run[];
}

export function summarize(runs: Run[]): ServerSummary {
  return {
    rps: spread(runs.map((r) => r.rps)),
    p50Ms: spread(runs.map((r) => r.p50Ms)),
    p99Ms: spread(runs.map((r) => r.p99Ms)),
    errors: runs.reduce((n, r) => n + r.errors, 0),
    cpuPct: spread(runs.map((r) => r.cpuPct)),
    perCpuSecond: spread(runs.map((r) => r.rps / Math.max(0.01, r.cpuPct / 100))),
    peakRssMB: Math.max(...runs.map((r) => r.peakRssMB)),
    runs,
  };
}

/** One scenario's result. */
export interface ScenarioResult {
  id: string;
  title: string;
  parley: ServerSummary;
  oidcProvider: ServerSummary;
  /** Parley / oidc-provider requests per second: of the medians, and the range over paired repetitions. */
  ratio: Spread;
  /** The same ratio per second of server CPU time (less sensitive to other work on the machine). */
  cpuRatio: Spread;
  /** bench/floor-server.ts in the same runs (PAR + JAR only): HTTP plus the two RSA verifies, nothing else. */
  floor?: ServerSummary;
}

/** The soak's result. */
export interface SoakResult {
  requests: number;
  elapsedMs: number;
  rps: number;
  statusCounts: Record<string, number>;
  expectedStatusCounts: Record<string, number>;
  statusesAsExpected: boolean;
  kinds: Record<string, number>;
  rssAfterWarmupMB: number;
  rssAfterSoakMB: number;
  rssGrowthMB: number;
  peakRssMB: number;
  /** After a forced full GC (informational: V8 returns memory lazily). */
  rssAfterGcMB: number;
  heapUsedAfterWarmupMB: number;
  heapUsedAfterSoakMB: number;
  /** V8 heap in use after a forced full GC: what the server really keeps (informational). */
  liveHeapAfterWarmupMB: number;
  liveHeapAfterSoakMB: number;
  heapTotalAfterWarmupMB: number;
  heapTotalAfterSoakMB: number;
  externalAfterWarmupMB: number;
  externalAfterSoakMB: number;
  sizesAfterWarmup: Record<string, number>;
  sizesAfterSoak: Record<string, number>;
  withinBound: boolean;
}

/** Everything bench/run.ts writes. */
export interface BenchReport {
  generatedAt: string;
  machine: { cpu: string; cores: number; node: string; platform: string; memoryGB: number };
  settings: {
    connections: number;
    durationS: number;
    repetitions: number;
    pinned: boolean;
    serverCore: number | null;
    loadCore: number | null;
    serverFlags?: readonly string[];
  };
  load: { before: number[]; after: number[] };
  notes: string[];
  crypto: { rsa2048SignPerS: Spread; rsa2048VerifyPerS: Spread };
  scenarios: ScenarioResult[];
  soak: SoakResult | null;
  /** The headless server's start time beside oidc-provider's (bench/startup.ts); null with --startup-runs 0. */
  startup?: StartupResult | null;
  targets: { parley: string; oidcProvider: string };
}

/** The start-time line of the report. */
export function startupLine(r: StartupResult): string {
  const ms = (x: Spread) => `${Math.round(x.median)} ms (${Math.round(x.min)}–${Math.round(x.max)})`;
  return (
    `**Start-up** (spawn to the JSON ready line, median of ${r.runs}): \`parley-server\` (built, plain node) ${ms(r.parleyAgainMs)} over an existing data directory, ` +
    `${ms(r.parleyFirstMs)} creating one; oidc-provider ${ms(r.oidcProviderMs)} (bench/oidc-provider-start.mjs).`
  );
}

const f0 = (n: number) => Math.round(n).toLocaleString('en-US');
const f1 = (n: number) => n.toFixed(1);
const f2 = (n: number) => n.toFixed(2);

function range(s: Spread, fmt: (n: number) => string): string {
  return `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})`;
}

/** The Markdown report. */
export function markdown(r: BenchReport): string {
  const lines: string[] = [];
  lines.push('# Parley vs oidc-provider — `npm run bench`', '');
  lines.push(
    `${r.generatedAt} · ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memoryGB} GB · Node ${r.machine.node} (${r.machine.platform}) · ` +
      `concurrency ${r.settings.connections}, ${r.settings.durationS} s per run after warm-up, ${r.settings.repetitions} runs each: median (min–max) · ` +
      (r.settings.pinned ? `servers pinned to core ${r.settings.serverCore}, load generator to core ${r.settings.loadCore} (taskset)` : 'no CPU pinning') +
      (r.settings.serverFlags && r.settings.serverFlags.length > 0
        ? ` · every server runs with \`${r.settings.serverFlags.join(' ')}\` (docs/performance.md)`
        : ''),
    '',
  );
  lines.push(
    `Physical limit (Node crypto, one core): RSA-2048 verify ${range(r.crypto.rsa2048VerifyPerS, f0)}/s, sign ${range(r.crypto.rsa2048SignPerS, f0)}/s.`,
    '',
  );
  lines.push(
    '| Scenario | Server | req/s | p50 ms | p99 ms | Errors | CPU (% of a core) | req per CPU-second | Peak RSS MB | Parley / oidc-provider (req/s; per CPU-second) |',
  );
  lines.push('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const s of r.scenarios) {
    const row = (name: string, x: ServerSummary, ratio: string) =>
      `| ${name === 'Parley' ? s.title : ''} | ${name} | ${range(x.rps, f0)} | ${range(x.p50Ms, f2)} | ${range(x.p99Ms, f2)} | ${x.errors} | ${f0(x.cpuPct.median)} | ${f0(x.perCpuSecond.median)} | ${f0(x.peakRssMB)} | ${ratio} |`;
    lines.push(row('Parley', s.parley, `**${f2(s.ratio.median)}×** (${f2(s.ratio.min)}–${f2(s.ratio.max)}); ${f2(s.cpuRatio.median)}×`));
    lines.push(row('oidc-provider', s.oidcProvider, ''));
    if (s.floor) lines.push(row('Floor (reference)', s.floor, `${f2(s.floor.rps.median / s.oidcProvider.rps.median)}×`));
  }
  lines.push('');
  if (r.startup) lines.push(startupLine(r.startup), '');
  if (r.soak) {
    const k = r.soak;
    lines.push(
      `**Soak** (Parley): ${f0(k.requests)} requests (${Object.entries(k.kinds)
        .map(([kind, n]) => `${f0(n)} ${kind}`)
        .join(', ')}) at ${f0(k.rps)} req/s; statuses ${k.statusesAsExpected ? 'all as expected' : 'NOT as expected'} (${Object.entries(k.statusCounts)
        .map(([st, n]) => `${st}: ${f0(n)}`)
        .join(', ')}). ` +
        `Server RSS after warm-up ${f1(k.rssAfterWarmupMB)} MB, after the soak ${f1(k.rssAfterSoakMB)} MB: growth **${f1(k.rssGrowthMB)} MB** (bound 50 MB: ${k.withinBound ? 'within' : 'EXCEEDED'}); ` +
        `peak ${f1(k.peakRssMB)} MB; after a forced GC ${f1(k.rssAfterGcMB)} MB. Bounded stores after the soak: ${Object.entries(k.sizesAfterSoak)
          .map(([n, v]) => `${n} ${f0(v)}`)
          .join(', ')} (docs/bounds.md).`,
      '',
    );
  }
  const jar = r.scenarios.find((x) => x.id === 'par-jar-pkjwt');
  const verdict = (ok: boolean) => (ok ? 'met' : '**not met**');
  lines.push('Targets (issue #8):', '');
  if (jar) {
    lines.push(
      `- PAR + JAR + private_key_jwt at least 3× oidc-provider's req/s: ${f2(jar.ratio.median)}× (${f2(jar.cpuRatio.median)}× per CPU-second) — ${verdict(jar.ratio.median >= 3)}.`,
    );
    if (jar.floor) {
      lines.push(
        `  - 3× would be ${f0(3 * jar.oidcProvider.rps.median)} req/s. The floor (bench/floor-server.ts: Fastify + formbody, the two RSA-2048 verifies with cached keys, no claim checks, no replay cache, no trace) ` +
          `reached ${range(jar.floor.rps, f0)} req/s, ${f2(jar.floor.rps.median / jar.oidcProvider.rps.median)}× oidc-provider; Parley reached ${f0((100 * jar.parley.rps.median) / jar.floor.rps.median)} % of the floor.`,
      );
    }
    lines.push(`- Its p99 under 10 ms at concurrency ${r.settings.connections}: ${f2(jar.parley.p99Ms.median)} ms — ${verdict(jar.parley.p99Ms.median < 10)}.`);
  }
  if (r.scenarios.length > 0) {
    const slowest = [...r.scenarios].sort((a, b) => a.ratio.median - b.ratio.median)[0]!;
    lines.push(
      `- No scenario slower than oidc-provider: lowest ratio ${f2(slowest.ratio.median)}× (${slowest.title}) — ${verdict(slowest.ratio.median >= 1)}.`,
    );
    const errors = r.scenarios.reduce((n, x) => n + x.parley.errors + x.oidcProvider.errors, 0);
    lines.push(`- Errors in timed runs: ${errors} — ${verdict(errors === 0)}.`);
  }
  if (r.soak) lines.push(`- Soak: RSS within 50 MB of the post-warm-up RSS: ${f1(r.soak.rssGrowthMB)} MB — ${verdict(r.soak.withinBound)}.`);
  lines.push('');
  lines.push(`System load average (1, 5, 15 min) before: ${r.load.before.map(f2).join(', ')}; after: ${r.load.after.map(f2).join(', ')}.`, '');
  for (const note of r.notes) lines.push(`- ${note}`);
  lines.push('');
  return lines.join('\n');
}
