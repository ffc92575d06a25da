/**
 * "Break it" (fault injection): the catalogue of mutations a composed request object or client assertion
 * is put through, and what the embedded server must answer to each, taken from
 * `../shared/spec/server-rules.md` (section and rule ids in `spec`). Pure data and two pure functions, so
 * the core runner, the renderer's table and the tests all read the same expectations.
 *
 * A verdict is the HTTP status, the OAuth `error`, and the id of the rule that decided it (the trace's
 * `failedRule`). Where the spec names several rules that may reject an input, the expectation accepts any
 * of them (`rules`); nothing else passes.
 */
import type { RequestTrace } from '../schemas/server';

/**
 * What is broken: a request object (JAR, RFC 9101), a client assertion (private_key_jwt, RFC 7523), or a
 * DPoP proof (RFC 9449) sent with a pushed request that the composed client assertion authenticates.
 */
export const FAULT_KINDS = ['request_object', 'client_assertion', 'dpop_proof'] as const;
/** What is broken. */
export type FaultKind = (typeof FAULT_KINDS)[number];

/**
 * Where a request object is sent by value (`/authorize`) or pushed (`/oauth/par`); `token` only for the DPoP
 * case that needs a public client's token request (a missing nonce, DPN-1); `userinfo` for the DPoP cases of
 * a bound user access token (its proof's `ath`, its `cnf.jkt`).
 */
export type FaultEndpoint = 'authorize' | 'par' | 'token' | 'userinfo';

/** Every case, in the order the table shows them (the control first). */
export const FAULT_CASE_IDS = [
  'control',
  'alg-none',
  'hs256-public-key',
  'aud-no-trailing-slash',
  'aud-other-issuer',
  'exp-expired',
  'nbf-future',
  'lifetime-over-5-min',
  'jti-replay',
  'jti-too-long',
  'wrong-kid',
  'other-slot-key',
  'tampered-signature',
  'client-id-mismatch',
  'request-and-request-uri',
  'request-uri-twice',
  'unregistered-redirect-uri',
  'dpop-htm-wrong',
  'dpop-htu-query',
  'dpop-htu-trailing-slash',
  'dpop-iat-stale',
  'dpop-iat-future',
  'dpop-nonce-missing',
  'dpop-nonce-stale',
  'dpop-jti-replay',
  'dpop-jkt-mismatch',
  'dpop-private-jwk',
  'dpop-alg-none',
  'dpop-hs256',
  'dpop-ath-other-token',
  'dpop-cnf-jkt-other-key',
] as const;
/** A case of the catalogue. */
export type FaultCaseId = (typeof FAULT_CASE_IDS)[number];

/** What the server must answer. */
export type ExpectedVerdict = { outcome: 'accepted'; status: number } | { outcome: 'rejected'; status: number; error: string; rules: readonly string[] };

/** What the server answered. */
export interface ActualVerdict {
  status: number;
  /** The OAuth `error` (JSON body, error redirect, or the HTML error page's trace). */
  error?: string;
  /** The rule that decided the failure, from the server's trace. */
  failedRule?: string;
}

/** A case's expectation for one kind of token. */
export interface FaultExpectation {
  /** Where the deciding request goes: a fixed endpoint, or wherever the request object was composed for. */
  endpoint: FaultEndpoint | 'composed';
  verdict: ExpectedVerdict;
  /** The verdict at /oauth/par when it differs from the one at /authorize (request objects sent "as composed"). */
  atPar?: ExpectedVerdict;
  /** Where server-rules.md says so. */
  spec: string;
}

/** One mutation. */
export interface FaultCase {
  id: FaultCaseId;
  /** A short English title (the renderer has translated ones). */
  title: string;
  /** The kinds it applies to, with what the server must answer for each. */
  expect: Partial<Record<FaultKind, FaultExpectation>>;
}

/** Success statuses: /authorize sends the browser on to the sign-in page (302); PAR answers 201 (PAR-13); tokens and /userinfo 200. */
export const ACCEPTED_STATUS: Readonly<Record<FaultEndpoint, number>> = { authorize: 302, par: 201, token: 200, userinfo: 200 };

const accepted = (endpoint: FaultEndpoint): ExpectedVerdict => ({ outcome: 'accepted', status: ACCEPTED_STATUS[endpoint] });
/** A bad request object: 400 invalid_request_object (JWT-1, JAR-4..15, PAR-11). */
const badObject = (...rules: string[]): ExpectedVerdict => ({ outcome: 'rejected', status: 400, error: 'invalid_request_object', rules });
/** A bad client assertion: 401 invalid_client (E-3, PKJ-16). */
const badAssertion = (...rules: string[]): ExpectedVerdict => ({ outcome: 'rejected', status: 401, error: 'invalid_client', rules });
const invalidRequest = (...rules: string[]): ExpectedVerdict => ({ outcome: 'rejected', status: 400, error: 'invalid_request', rules });
/** A bad DPoP proof at /oauth/par: 400 invalid_dpop_proof (dpop-rules.md ED-1). */
const badProof = (...rules: string[]): ExpectedVerdict => ({ outcome: 'rejected', status: 400, error: 'invalid_dpop_proof', rules });
/** A DPoP case: the proof goes with a pushed request (dpop-rules.md DPP-16 validates every proof there). */
const dpop = (verdict: ExpectedVerdict, spec: string): Partial<Record<FaultKind, FaultExpectation>> => ({ dpop_proof: { endpoint: 'par', verdict, spec } });

/** The catalogue. */
export const FAULT_CASES: readonly FaultCase[] = [
  {
    id: 'control',
    title: 'Unchanged (control)',
    expect: {
      request_object: {
        endpoint: 'composed',
        verdict: accepted('authorize'),
        atPar: accepted('par'),
        spec: '§2–§3 every rule passes: on to sign-in (302), or §4 PAR-13 (201) when pushed',
      },
      client_assertion: { endpoint: 'par', verdict: accepted('par'), spec: '§6 every rule passes; §4 PAR-13: 201 Created' },
      dpop_proof: { endpoint: 'par', verdict: accepted('par'), spec: 'dpop-rules.md DPP-16: a valid proof at /oauth/par; DPB-6 with dpop_jkt; PAR-13: 201' },
    },
  },
  {
    id: 'alg-none',
    title: 'alg: none (unsigned)',
    expect: {
      request_object: { endpoint: 'composed', verdict: badObject('JWT-2'), spec: '§14 X-1; §2 JWT-2: never accept none' },
      client_assertion: { endpoint: 'par', verdict: badAssertion('JWT-2'), spec: '§14 X-1; §2 JWT-2: never accept none' },
    },
  },
  {
    id: 'hs256-public-key',
    title: 'HS256 with the public key as the HMAC secret',
    expect: {
      request_object: { endpoint: 'composed', verdict: badObject('JWT-2'), spec: '§14 X-2; §2 JWT-2: HS* is never allowed with credentials' },
      client_assertion: { endpoint: 'par', verdict: badAssertion('JWT-2'), spec: '§14 X-2; §2 JWT-2: HS* is never allowed with credentials' },
    },
  },
  {
    id: 'aud-no-trailing-slash',
    title: 'aud without its trailing slash',
    expect: {
      request_object: { endpoint: 'composed', verdict: badObject('JAR-11'), spec: '§3 JAR-11: the issuer with scheme and trailing slash' },
      client_assertion: { endpoint: 'par', verdict: badAssertion('PKJ-8'), spec: '§14 X-15; §6 PKJ-8: compare strings exactly' },
    },
  },
  {
    id: 'aud-other-issuer',
    title: 'aud naming another issuer',
    expect: {
      request_object: { endpoint: 'composed', verdict: badObject('JAR-11'), spec: "§3 JAR-11: aud is this tenant's issuer" },
      client_assertion: { endpoint: 'par', verdict: badAssertion('PKJ-8'), spec: '§14 X-15; §6 PKJ-8: aud identifies this server' },
    },
  },
  {
    id: 'exp-expired',
    title: 'Expired exp',
    expect: {
      request_object: { endpoint: 'composed', verdict: badObject('JAR-13'), spec: '§14 X-7; §3 JAR-13: exp in the future' },
      client_assertion: { endpoint: 'par', verdict: badAssertion('PKJ-9'), spec: '§14 X-7; §6 PKJ-9: exp in the future' },
    },
  },
  {
    id: 'nbf-future',
    title: 'nbf in the future',
    expect: {
      request_object: { endpoint: 'composed', verdict: badObject('JAR-13'), spec: '§14 X-7; §3 JAR-13 with §2 JWT-9 (10 s skew)' },
      client_assertion: { endpoint: 'par', verdict: badAssertion('PKJ-11'), spec: '§14 X-7; §6 PKJ-11: nbf at most 10 s ahead' },
    },
  },
  {
    id: 'lifetime-over-5-min',
    title: 'exp − iat over 5 minutes',
    expect: {
      client_assertion: { endpoint: 'par', verdict: badAssertion('PKJ-10'), spec: '§14 X-7; §6 PKJ-10: exp − iat ≤ 300 s' },
    },
  },
  {
    id: 'jti-replay',
    title: 'Reused jti (the same assertion twice)',
    expect: {
      client_assertion: { endpoint: 'par', verdict: badAssertion('PKJ-12'), spec: '§14 X-8; §6 PKJ-12: one-time use' },
    },
  },
  {
    id: 'jti-too-long',
    title: 'jti over 64 bytes',
    expect: {
      request_object: { endpoint: 'composed', verdict: badObject('JAR-14'), spec: '§3 JAR-14: jti of at most 64 bytes' },
      client_assertion: { endpoint: 'par', verdict: badAssertion('PKJ-5'), spec: '§14 X-8; §6 PKJ-5: jti ≤ 64 characters' },
    },
  },
  {
    id: 'wrong-kid',
    title: 'kid of no registered credential',
    expect: {
      request_object: { endpoint: 'composed', verdict: badObject('JAR-7', 'JWT-10'), spec: '§3 JAR-7: an unknown kid fails; §2 JWT-10' },
      client_assertion: { endpoint: 'par', verdict: badAssertion('JWT-10', 'PKJ-6'), spec: '§6 PKJ-6: kid selects the credential (§2 JWT-10)' },
    },
  },
  {
    id: 'other-slot-key',
    title: 'Signed with the key of the other slot',
    expect: {
      request_object: {
        endpoint: 'composed',
        verdict: badObject('JAR-7', 'JAR-8', 'JWT-10', 'PKJ-15'),
        spec: '§14 X-4; §3 JAR-7 (a private_key_jwt kid fails), JAR-8; §6 PKJ-15',
      },
      client_assertion: { endpoint: 'par', verdict: badAssertion('PKJ-15', 'JWT-10'), spec: '§14 X-4; §6 PKJ-15: JAR keys never authenticate; §2 JWT-10' },
    },
  },
  {
    id: 'tampered-signature',
    title: 'Tampered signature',
    expect: {
      request_object: { endpoint: 'composed', verdict: badObject('JAR-8'), spec: '§3 JAR-8: the signature verifies with a client key' },
      client_assertion: { endpoint: 'par', verdict: badAssertion('PKJ-13'), spec: '§6 PKJ-13: the signature verifies with a private_key_jwt credential' },
    },
  },
  {
    id: 'client-id-mismatch',
    title: 'client_id mismatch',
    expect: {
      request_object: {
        endpoint: 'composed',
        verdict: badObject('JAR-2'),
        atPar: badObject('PAR-11'),
        spec: '§14 X-14; §3 JAR-2 (query vs object); §4 PAR-11 (authenticated client vs object)',
      },
      client_assertion: { endpoint: 'par', verdict: badAssertion('PKJ-3'), spec: "§14 X-14; §6 PKJ-3: the client_id field equals the assertion's sub" },
    },
  },
  {
    id: 'request-and-request-uri',
    title: 'request together with request_uri',
    expect: {
      request_object: { endpoint: 'authorize', verdict: invalidRequest('JAR-1'), spec: '§14 X-11; §3 JAR-1' },
    },
  },
  {
    id: 'request-uri-twice',
    title: 'request_uri used twice',
    expect: {
      request_object: {
        endpoint: 'authorize',
        verdict: { outcome: 'rejected', status: 400, error: 'invalid_request_uri', rules: ['AZR-3', 'AZR-4'] },
        spec: '§14 X-12; §5 AZR-4: one use, then the AZR-3 error',
      },
    },
  },
  {
    id: 'unregistered-redirect-uri',
    title: 'Unregistered redirect_uri',
    expect: {
      request_object: {
        endpoint: 'composed',
        verdict: invalidRequest('RED-1', 'RED-2', 'RED-3', 'PAR-7', 'PAR-9'),
        spec: '§14 X-16; §10 RED-1 (/authorize: HTML 400); §4 PAR-9 (PAR: JSON 400)',
      },
    },
  },
  // DPoP (RFC 9449): rule ids and wire errors from ../shared/spec/dpop-rules.md.
  { id: 'dpop-htm-wrong', title: 'DPoP htm naming another method', expect: dpop(badProof('DPP-8'), 'X-D6; DPP-8: htm equals the request method exactly') },
  {
    id: 'dpop-htu-query',
    title: 'DPoP htu with a query',
    expect: dpop(accepted('par'), 'DPP-9: query and fragment are stripped from htu, never a reason to reject'),
  },
  {
    id: 'dpop-htu-trailing-slash',
    title: 'DPoP htu with a trailing slash the endpoint has not',
    expect: dpop(badProof('DPP-9'), 'X-D7; DPP-9: trailing slashes stay significant after normalisation'),
  },
  {
    id: 'dpop-iat-stale',
    title: 'DPoP iat older than the window',
    expect: dpop(badProof('DPP-10'), 'X-D9; DPP-10: iat no older than the past window (300 s; 60 s strict)'),
  },
  { id: 'dpop-iat-future', title: 'DPoP iat in the future', expect: dpop(badProof('DPP-10'), 'X-D9; DPP-10: iat at most 30 s ahead (10 s strict)') },
  {
    id: 'dpop-nonce-missing',
    title: 'DPoP proof without nonce from a public client',
    expect: {
      dpop_proof: {
        endpoint: 'token',
        verdict: { outcome: 'rejected', status: 400, error: 'use_dpop_nonce', rules: ['DPN-1'] },
        spec: "X-D10; DPN-1: a public client's token request carries a server nonce; the proof is checked before the grant (DPB-8)",
      },
    },
  },
  {
    id: 'dpop-nonce-stale',
    title: 'DPoP nonce no longer accepted',
    expect: dpop(
      { outcome: 'rejected', status: 400, error: 'use_dpop_nonce', rules: ['DPN-4'] },
      'X-D11; DPN-4 (DPN-2: a nonce a confidential client sends must be current); DPP-12: use_dpop_nonce',
    ),
  },
  { id: 'dpop-jti-replay', title: 'DPoP proof sent twice (same jti)', expect: dpop(badProof('DPP-11'), 'X-D8; DPP-11: one-time jti per key') },
  {
    id: 'dpop-jkt-mismatch',
    title: 'DPoP proof key not matching dpop_jkt',
    expect: dpop(invalidRequest('DPB-6'), 'X-D16; DPB-6: dpop_jkt is the thumbprint of the proof key'),
  },
  {
    id: 'dpop-private-jwk',
    title: 'DPoP jwk header holding the private key',
    expect: dpop(badProof('DPP-5'), 'X-D2; DPP-5: jwk is a public key; private members are refused'),
  },
  {
    id: 'dpop-alg-none',
    title: 'DPoP proof with alg: none',
    expect: dpop(badProof('DPP-2', 'DPP-4'), 'X-D1, X-D13: an unsigned proof has an empty signature, malformed (DPP-2) before its alg is read (DPP-4)'),
  },
  { id: 'dpop-hs256', title: 'DPoP proof signed with HS256', expect: dpop(badProof('DPP-4'), 'X-D1; DPP-4: an asymmetric alg of the allow-list, never HS*') },
  // At /userinfo with a DPoP-bound user access token (the runner signs a scratch user in for it): 401 and a DPoP challenge (ED-2).
  {
    id: 'dpop-ath-other-token',
    title: 'DPoP ath of another token',
    expect: {
      dpop_proof: {
        endpoint: 'userinfo',
        verdict: { outcome: 'rejected', status: 401, error: 'invalid_dpop_proof', rules: ['DPP-13'] },
        spec: 'X-D20; DPP-13: ath is the hash of the access token sent with the proof; 401 with a DPoP challenge',
      },
    },
  },
  {
    id: 'dpop-cnf-jkt-other-key',
    title: 'DPoP proof key not matching cnf.jkt',
    expect: {
      dpop_proof: {
        endpoint: 'userinfo',
        verdict: { outcome: 'rejected', status: 401, error: 'invalid_token', rules: ['DPB-12'] },
        spec: "DPB-12: the proof key's thumbprint equals the access token's cnf.jkt; 401 with a DPoP invalid_token challenge",
      },
    },
  },
];

/** The cases of `catalogue` that apply to a kind, in order. */
export function casesFor(kind: FaultKind, catalogue: readonly FaultCase[] = FAULT_CASES): FaultCase[] {
  return catalogue.filter((c) => c.expect[kind] !== undefined);
}

/** Where a case's deciding request goes and what it must get back, for a kind and the composed endpoint. */
export function expectationFor(c: FaultCase, kind: FaultKind, composed: FaultEndpoint): { endpoint: FaultEndpoint; verdict: ExpectedVerdict; spec: string } {
  const e = c.expect[kind];
  if (e === undefined) throw new Error(`the case ${c.id} does not apply to a ${kind}`);
  const endpoint = e.endpoint === 'composed' ? composed : e.endpoint;
  const verdict = endpoint === 'par' && e.atPar !== undefined ? e.atPar : e.verdict;
  return { endpoint, verdict, spec: e.spec };
}

/** Whether the answer is the one expected: same status, same error, and a rule the spec names. */
export function judge(expected: ExpectedVerdict, actual: ActualVerdict): boolean {
  if (actual.status !== expected.status) return false;
  if (expected.outcome === 'accepted') return actual.error === undefined && actual.failedRule === undefined;
  return actual.error === expected.error && actual.failedRule !== undefined && expected.rules.includes(actual.failedRule);
}

/** Why a row's deciding request is not the one planned: a step before it did not go as it must. */
export type FaultRowNote = 'setup-rejected' | 'first-use-rejected' | 'user-token-failed';

/** One row of the results table. */
export interface FaultRow {
  caseId: FaultCaseId;
  /** Where the deciding request went. */
  endpoint: FaultEndpoint;
  expected: ExpectedVerdict;
  actual: ActualVerdict;
  pass: boolean;
  /** Where server-rules.md says so. */
  spec: string;
  note?: FaultRowNote;
  /** The answer's WWW-Authenticate challenge, when it had one (/userinfo: ED-2). */
  challenge?: string;
  /** The server's trace of the deciding request (for the Explain view). */
  traceId?: string;
  trace?: RequestTrace;
}

/** The key that plays "the other slot": another vault key, or one made in memory for the run. */
export type OtherSlotKey = { source: 'vault'; id: string; name: string } | { source: 'ephemeral' };

/** The result of a Break-it run. */
export interface FaultRun {
  kind: FaultKind;
  /** Where request objects went (client assertions always authenticate a PAR request). */
  endpoint: FaultEndpoint;
  issuer: string;
  /** The scratch application the run used. */
  clientId: string;
  clientName: string;
  keyId: string;
  otherKey: OtherSlotKey;
  /** Claims (and `kid`) the run rewrote so the unmutated token suits the scratch application. */
  rewritten: string[];
  /** Whether the control (the unmutated token) was accepted; if not, the other rows say little. */
  baselinePassed: boolean;
  rows: FaultRow[];
}
