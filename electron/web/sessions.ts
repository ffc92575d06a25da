/**
 * Web mode's launch tokens and sessions. A launch token travels in a URL (the terminal, the address bar,
 * the browser's history), so it is single-use: opening it once swaps it for a session secret that only
 * the page that opened it holds (in its own per-origin, per-tab storage) and sends as a header. Cookies are
 * not used at all: browsers send 127.0.0.1's cookies to every port, so any local server the browser
 * visits would receive them.
 */
import { createHash } from 'node:crypto';
import { randomToken } from '../core/random';

/** What redeeming a launch token gave. */
export type Redemption = { ok: true; session: string } | { ok: false; reason: 'used' | 'unknown' };

/** Longest secret worth hashing; anything longer is not one of ours. */
const MAX_SECRET_LENGTH = 512;

// Secrets are kept and looked up as SHA-256 digests: a lookup's timing can then only tell something about
// a digest, never about a secret, and no secret sits in memory longer than it has to.
function digest(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}

/** The launch tokens and sessions of one web host. */
export class SessionBook {
  private readonly unused = new Set<string>();
  private readonly spent = new Set<string>();
  private readonly sessions = new Set<string>();

  /** Makes a new single-use launch token (tests may fix its value). */
  issueLaunchToken(token: string = randomToken(32)): string {
    const key = digest(token);
    if (this.spent.has(key) || this.sessions.has(key)) throw new Error('A launch token cannot be reused.');
    this.unused.add(key);
    return token;
  }

  /** Spends a launch token: a new session the first time, refused ever after. */
  redeem(token: string): Redemption {
    if (token.length === 0 || token.length > MAX_SECRET_LENGTH) return { ok: false, reason: 'unknown' };
    const key = digest(token);
    if (this.spent.has(key)) return { ok: false, reason: 'used' };
    if (!this.unused.delete(key)) return { ok: false, reason: 'unknown' };
    this.spent.add(key);
    const session = randomToken(32);
    this.sessions.add(digest(session));
    return { ok: true, session };
  }

  /** True when `presented` is a session this book handed out. A launch token is not a session. */
  isSession(presented: string | undefined): boolean {
    if (presented === undefined || presented.length === 0 || presented.length > MAX_SECRET_LENGTH) return false;
    return this.sessions.has(digest(presented));
  }
}
