/**
 * The CI switches of `npm run server`, parsed into what the embedded server takes: each bad value is named
 * with what would be accepted. Kept apart from server.ts (which runs on import) so they can be tested alone.
 */
import { MAX_CLOCK_OFFSET_SECONDS } from '../../shared/schemas/server';

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/**
 * `--clock-offset`: whole seconds (`-300`) or a duration (`-5m`, `+2h`, `1d`, `30s`); the server's clock
 * reads the host's plus this. Returns an error sentence instead of throwing, for the CLI to print.
 */
export function parseClockOffset(value: string): { seconds: number } | { error: string } {
  const match = /^([+-]?)(\d{1,12})([smhd]?)$/.exec(value.trim());
  if (!match) return { error: `--clock-offset must be whole seconds or a duration such as -5m, 30s, 2h or 1d, not ${JSON.stringify(value)}` };
  const magnitude = Number(match[2]) * (UNIT_SECONDS[match[3] || 's'] ?? 1);
  const seconds = match[1] === '-' ? -magnitude : magnitude;
  if (Math.abs(seconds) > MAX_CLOCK_OFFSET_SECONDS)
    return { error: `--clock-offset ${value} is more than ten years (${MAX_CLOCK_OFFSET_SECONDS} seconds) either way` };
  return { seconds };
}

/** `--rate-limits on|off` (default on). */
export function parseRateLimits(value: string | undefined): { on: boolean } | { error: string } {
  if (value === undefined || value === 'on') return { on: true };
  if (value === 'off') return { on: false };
  return { error: `--rate-limits must be on or off, not ${JSON.stringify(value)}` };
}

/**
 * parseArgs reads `--clock-offset -5m` as a missing value followed by an option; a negative number or
 * duration right after `--clock-offset` is its value, so the natural spelling works.
 */
export function joinNegativeValues(argv: readonly string[], options: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    if (options.includes(arg) && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}
