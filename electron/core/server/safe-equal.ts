/**
 * Constant-time comparison of secrets (client secrets, PKCE verifiers, CSRF tokens): both sides are hashed
 * first, so that the lengths match and timingSafeEqual never throws or leaks the length.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Constant-time string comparison (both sides hashed first so the lengths match). */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}
