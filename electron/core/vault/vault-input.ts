/**
 * Checks the vault applies to its own inputs. The contract's zod schemas already ran for IPC and web
 * callers; these keep direct callers (the CLI, tests, other core modules) to the same rules.
 */
import { ParleyError } from '../../../shared/errors';
import type { KeyUsage } from '../../../shared/schemas/keys';
import { KEY_USAGES } from '../../../shared/schemas/keys';

/** The longest key name, as in the contract. */
export const MAX_NAME_CHARS = 100;

/** A trimmed, non-empty key name of at most MAX_NAME_CHARS characters. */
export function checkName(name: string): string {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (trimmed === '') throw new ParleyError('INVALID_INPUT', 'A key name is required.');
  if (trimmed.length > MAX_NAME_CHARS) throw new ParleyError('INVALID_INPUT', `A key name has at most ${MAX_NAME_CHARS} characters.`);
  return trimmed;
}

/** Usages deduplicated and in the catalogue's order, so stored usages compare equal however they were given. */
export function checkUsages(usages: readonly KeyUsage[]): KeyUsage[] {
  if (!Array.isArray(usages)) throw new ParleyError('INVALID_INPUT', 'Usages must be a list.');
  for (const u of usages) {
    if (!(KEY_USAGES as readonly string[]).includes(u))
      throw new ParleyError('INVALID_INPUT', `Unknown key usage ${JSON.stringify(u)}; use ${KEY_USAGES.join(', ')}.`);
  }
  return KEY_USAGES.filter((u) => usages.includes(u));
}

/**
 * Refuses usages a key type cannot serve. Ed25519 (OKP) keys sign DPoP proofs only: Auth0 accepts RSA
 * credentials alone for request objects and client assertions (server-rules.md CRD-2), so a JAR or
 * client-authentication Ed25519 key could never be registered with the server Parley emulates.
 */
export function checkUsagesForType(kty: 'RSA' | 'EC' | 'OKP', usages: readonly KeyUsage[]): void {
  if (kty !== 'OKP') return;
  const refused = usages.filter((u) => u === 'jar' || u === 'client-auth');
  if (refused.length === 0) return;
  throw new ParleyError(
    'INVALID_INPUT',
    `An Ed25519 key cannot be used for ${refused.map((u) => (u === 'jar' ? 'JAR signing' : 'client authentication')).join(' or ')}: Auth0 accepts only RSA keys as client credentials (CRD-2). Use Ed25519 keys for DPoP proofs (usage "other"), and an RSA key for request objects and client assertions.`,
    { details: { usages: refused } },
  );
}
