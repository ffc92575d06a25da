/**
 * DPC-8 (dpop-rules.md §6): Auth0's Dashboard shows an API's `proof_of_possession` as two choices, and this
 * maps between them and the Management API object, both ways. "Sender Constraining Method" None / mTLS /
 * DPoP is `mechanism`; "Require Token Sender-Constraining" Always is `required: true` + `all_clients`, For
 * public applications is `required: true` + `public_clients` (never offered for mTLS, DPC-5), and Never is
 * `null` (DPC-7). Never with a method chosen is Auth0's "allowed" policy (DA2: "configured … by setting a
 * sender constraining method", DPB-1's middle column), `required: false`: reading Never as `null` there too
 * would leave that column out of the Dashboard's reach and make DPoP / Never read back as None. Pure: the
 * Server screen's APIs tab and the tests use it.
 */
import type { ProofOfPossession } from '../../../../shared/schemas/server';

/** The Dashboard's "Sender Constraining Method". */
export type SenderConstrainingMethod = 'none' | 'mtls' | 'dpop';
/** The Dashboard's "Require Token Sender-Constraining". */
export type SenderConstrainingRequirement = 'never' | 'public_clients' | 'all_clients';

/** The two choices as the Dashboard groups them. */
export interface DashboardSenderConstraining {
  method: SenderConstrainingMethod;
  requirement: SenderConstrainingRequirement;
}

export const SENDER_CONSTRAINING_METHODS: readonly SenderConstrainingMethod[] = ['none', 'mtls', 'dpop'];
export const SENDER_CONSTRAINING_REQUIREMENTS: readonly SenderConstrainingRequirement[] = ['never', 'public_clients', 'all_clients'];

/**
 * Whether the Dashboard offers a requirement with a method: mTLS binds only confidential clients, so not
 * "For public applications" with it (DPC-5); with None there is nothing to require.
 */
export function requirementOffered(method: SenderConstrainingMethod, requirement: SenderConstrainingRequirement): boolean {
  if (method === 'none') return requirement === 'never';
  return !(method === 'mtls' && requirement === 'public_clients');
}

/**
 * The Management API's `proof_of_possession` for a Dashboard choice: `null` for None (nothing to constrain
 * with, so nothing to require), the method alone for Never, and the method required for Always / For public
 * applications. A requirement not offered for the method is refused here, before anything is sent.
 */
export function toProofOfPossession(choice: DashboardSenderConstraining): ProofOfPossession | null {
  if (!requirementOffered(choice.method, choice.requirement)) throw new Error(`"${choice.requirement}" is not offered for ${choice.method}`);
  if (choice.method === 'none') return null;
  if (choice.requirement === 'never') return { mechanism: choice.method, required: false };
  return { mechanism: choice.method, required: true, required_for: choice.requirement };
}

/**
 * The Dashboard choice a stored `proof_of_possession` shows as. Absent, `null` or mechanism `none` (DPC-3) is
 * None / Never; `required: false` is the method with Never; a missing `required_for` is Auth0's default,
 * all clients (DPC-5), as a PATCH with mtls / true reads back (DPC-6).
 */
export function fromProofOfPossession(pop: ProofOfPossession | null | undefined): DashboardSenderConstraining {
  if (!pop || pop.mechanism === 'none') return { method: 'none', requirement: 'never' };
  if (!pop.required) return { method: pop.mechanism, requirement: 'never' };
  return { method: pop.mechanism, requirement: pop.required_for ?? 'all_clients' };
}
