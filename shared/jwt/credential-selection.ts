/**
 * Key selection inside one client's one credential slot (JWT-10), as pure functions over the credentials'
 * public facts (id, kid, alg, expiry). The embedded server runs them over its stored credentials; Compose's
 * lint runs them over the credentials the Management API lists, so both reach the same verdict.
 */

/** The facts of a registered credential that key selection reads (never key material). */
export interface SlotCredential {
  id: string;
  kid: string;
  alg: string;
  /** ISO 8601, or null for never. */
  expires_at: string | null;
}

/** A client's two credential slots. */
export type CredentialSlot = 'private_key_jwt' | 'signed_request_object';

/** Whether a credential is past its `expires_at` (PKJ-14, CRD-15); an unparsable date fails closed. */
export function isExpired(credential: Pick<SlotCredential, 'expires_at'>, now: number): boolean {
  if (credential.expires_at === null) return false;
  const at = Date.parse(credential.expires_at);
  return Number.isNaN(at) || at <= now * 1000;
}

/** The result of looking for verification keys in one slot. */
export type Selection<C extends SlotCredential = SlotCredential> =
  | { ok: true; kid: string | undefined; candidates: C[] }
  | {
      ok: false;
      kid: string | undefined;
      reason: 'kid-not-in-slot' | 'kid-in-other-slot' | 'expired' | 'no-alg-match';
      expected: string;
      actual: string;
      message: string;
    };

const OTHER_SLOT: Record<CredentialSlot, CredentialSlot> = { private_key_jwt: 'signed_request_object', signed_request_object: 'private_key_jwt' };

/**
 * JWT-10: the credentials of `slot` that may verify a token with this header. With a `kid`, only the
 * credentials with that kid; without one, those whose alg equals the header's. Expired ones are skipped.
 * `otherSlot` is read only when the kid is unknown, to say whether it names the client's other slot (PKJ-15).
 */
export function selectCredentials<C extends SlotCredential>(
  slotCredentials: readonly C[],
  header: Record<string, unknown>,
  now: number,
  slot: CredentialSlot,
  otherSlot: () => readonly SlotCredential[],
): Selection<C> {
  const kidValue = Object.hasOwn(header, 'kid') ? header.kid : undefined;
  const kid = typeof kidValue === 'string' ? kidValue : undefined;
  const alg = typeof header.alg === 'string' ? header.alg : '';
  const pool = kidValue === undefined ? slotCredentials : slotCredentials.filter((c) => c.kid === kid);
  const known = slotCredentials.map((c) => c.kid).join(', ') || '(none)';
  if (kidValue !== undefined && pool.length === 0) {
    const other = kid === undefined ? undefined : otherSlot().find((c) => c.kid === kid);
    if (other !== undefined) {
      const otherName = OTHER_SLOT[slot];
      return {
        ok: false,
        kid,
        reason: 'kid-in-other-slot',
        expected: `a kid of this client's ${slot} credentials: ${known}`,
        actual: `kid ${kid} (the ${otherName} credential ${other.id})`,
        message: `The kid "${kid}" names this client's ${otherName} credential; ${slot} needs its own key (the slots are separate).`,
      };
    }
    return {
      ok: false,
      kid,
      reason: 'kid-not-in-slot',
      expected: `a kid of this client's ${slot} credentials: ${known}`,
      actual: `kid ${typeof kidValue === 'string' ? kidValue : JSON.stringify(kidValue)}`,
      message: `No ${slot} credential of this client has the kid "${String(kidValue)}".`,
    };
  }
  const usable = pool.filter((c) => !isExpired(c, now));
  if (usable.length === 0) {
    const expired = pool.map((c) => `${c.id} (expired ${c.expires_at ?? ''})`).join(', ');
    return {
      ok: false,
      kid,
      reason: 'expired',
      expected: 'a credential that has not expired',
      actual: expired || '(no credentials)',
      message: `The ${slot} credential${pool.length === 1 ? ' is' : 's are'} past expires_at and can no longer be used.`,
    };
  }
  const candidates = usable.filter((c) => c.alg === alg);
  if (candidates.length === 0) {
    return {
      ok: false,
      kid,
      reason: 'no-alg-match',
      expected: `alg ${[...new Set(usable.map((c) => c.alg))].join(' or ')}`,
      actual: `alg ${alg}`,
      message: `No usable ${slot} credential${kid === undefined ? '' : ` with kid "${kid}"`} is registered for alg ${alg}.`,
    };
  }
  return { ok: true, kid, candidates };
}

/** The algs registered with the credentials a token could use (for JWT-2 / JAR-5 / PKJ-6), or undefined when none is usable. */
export function credentialAlgsFor(slotCredentials: readonly SlotCredential[], header: Record<string, unknown>, now: number): string[] | undefined {
  const kid = Object.hasOwn(header, 'kid') ? header.kid : undefined;
  const usable = slotCredentials.filter((c) => (kid === undefined || c.kid === kid) && !isExpired(c, now));
  return usable.length === 0 ? undefined : [...new Set(usable.map((c) => c.alg))];
}
