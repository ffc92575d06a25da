/**
 * The rules that depend on how the client is registered rather than on the token alone: its request-object
 * credentials (JAR-4, JAR-7, JWT-10), whether it must use JAR (JAR-3) or PAR (AZR-8), and its callbacks
 * (RED-1..3). The embedded server applies them to every request; Compose's lint applies them to a draft
 * when it knows the client (an embedded-server application, or a saved target on it), so that "no
 * problems" means the server accepts.
 */
import type { Selection, SlotCredential } from '../credential-selection';
import type { RedirectPolicy, RuleText } from '../redirect-uri';
import { RED_1, RED_1_PRESENT, RED_2, RED_3, loopbackMiss, matchRedirectUri, redirectSyntaxProblem } from '../redirect-uri';
import type { RuleDef, WireFailure } from '../rule';
import type { JsonObject } from '../contexts';

/** What the lint knows of a registered client (from the Management API's view of it and the server's settings). */
export interface ClientRegistration {
  clientId: string;
  firstParty: boolean;
  /** Auth0's app_type (the loopback exception is for `native`). */
  appType: string | null | undefined;
  callbacks: readonly string[];
  /** `signed_request_object.required`. */
  jarRequired: boolean;
  /** Why PAR is required for this client (parRequirement), or undefined. */
  parRequired: string | undefined;
  /** The credentials attached to each slot (public facts only). */
  slots: { signed_request_object: readonly SlotCredential[]; private_key_jwt: readonly SlotCredential[] };
  redirectPolicy: RedirectPolicy;
}

/** What decides whether PAR is required (AZR-8). */
export interface ParRequirementInput {
  complianceLevel: string | null | undefined;
  clientRequires: boolean | undefined;
  tenantRequires: boolean;
}

/** Why PAR is required for a client, or undefined (AZR-8). The texts follow Auth0 (A13) where known. */
export function parRequirement({ complianceLevel, clientRequires, tenantRequires }: ParRequirementInput): string | undefined {
  if (complianceLevel && complianceLevel !== 'none') return 'Pushed Authorization Requests are required by the configured compliance level';
  if (clientRequires) return 'Pushed Authorization Requests are required for this client';
  if (tenantRequires) return 'Pushed Authorization Requests are required for this tenant';
  return undefined;
}

export const JAR_3: RuleText = {
  id: 'JAR-3',
  summary: 'A client with signed_request_object.required sends a request object (by value or pushed).',
  source: 'Auth0 Configure JAR (A2)',
  fix: 'Sign the parameters into a request object, or turn off “Require JWT-Secured Authorization Requests”.',
};
export const AZR_8: RuleText = {
  id: 'AZR-8',
  summary: 'When PAR is required, /authorize accepts only a pushed request_uri.',
  source: 'RFC 9126 §4; Auth0 PAR (A3, A4, A13)',
  fix: 'Push the request to /oauth/par first.',
};

const COULD_NOT_VALIDATE: WireFailure = { status: 400, error: 'invalid_request_object', description: 'could not validate request object' };

/** What the client gate reads. */
export interface ClientGate {
  firstParty: boolean;
  credentialCount: number;
}

/** JAR-4 (A21): third-party applications cannot use JAR at all. Not traced for first-party clients. */
export const THIRD_PARTY: RuleDef<ClientGate> = {
  id: 'JAR-4',
  summary: 'Only first-party applications may send request objects.',
  fix: 'Mark the application as first-party, or send the parameters without a request object.',
  source: 'Auth0 third-party applications troubleshooting (A21)',
  wire: { status: 400, error: 'invalid_request', description: 'JWT-secured authorization requests are not supported for third-party applications' },
  evaluate: ({ firstParty }) => (firstParty ? null : { passed: false, expected: 'a first-party application', actual: 'third-party application' }),
};

/** JAR-4: the client has registered keys for request objects. */
export const HAS_JAR_CREDENTIALS: RuleDef<ClientGate> = {
  id: 'JAR-4',
  summary: 'The client has signed_request_object credentials to verify request objects with.',
  fix: "Attach a credential to the client's signed_request_object (PATCH /api/v2/clients/{id}).",
  source: 'Auth0 configure JAR (A2)',
  wire: { status: 400, error: 'invalid_request_object', description: 'no credentials configured for request object verification' },
  evaluate: ({ credentialCount }) =>
    credentialCount > 0
      ? { passed: true, expected: '≥ 1 signed_request_object credential', actual: `${credentialCount}` }
      : {
          passed: false,
          expected: '≥ 1 signed_request_object credential',
          actual: '0',
          message: 'The client has no signed_request_object credentials, so no request object can be verified.',
        },
};

/** JAR-7: a kid names one of this client's signed_request_object credentials. */
export const KID: RuleDef<Selection> = {
  id: 'JAR-7',
  summary: "The request object's kid, when present, names one of the client's signed_request_object credentials.",
  fix: "Use the kid of a credential attached to the client's signed_request_object (not a private_key_jwt one), or omit kid.",
  source: 'Auth0 JAR docs (A1); RFC 9101 §6.2',
  wire: COULD_NOT_VALIDATE,
  evaluate(sel) {
    if (!sel.ok && (sel.reason === 'kid-not-in-slot' || sel.reason === 'kid-in-other-slot'))
      return { passed: false, expected: sel.expected, actual: sel.actual, message: sel.message };
    return sel.kid === undefined ? null : { passed: true, expected: "a signed_request_object credential's kid", actual: sel.kid };
  },
};

/** JWT-10: a usable (unexpired, same-alg) credential of the slot remains. */
export const SLOT: RuleDef<Selection> = {
  id: 'JWT-10',
  summary: "A verification key is chosen among the client's own, unexpired signed_request_object credentials with the token's alg.",
  fix: "Sign with a credential attached to the client's signed_request_object that has not expired.",
  source: 'RFC 9101 §6.2; Auth0 JAR docs (A1); Credentials (A11)',
  wire: COULD_NOT_VALIDATE,
  evaluate(sel) {
    if (sel.ok) return { passed: true, expected: 'a usable signed_request_object credential', actual: sel.candidates.map((c) => c.id).join(', ') };
    return sel.reason === 'kid-not-in-slot' || sel.reason === 'kid-in-other-slot'
      ? null
      : { passed: false, expected: sel.expected, actual: sel.actual, message: sel.message };
  },
};

/** The gate and selection rules, in the server's order. */
export const REQUEST_OBJECT_GATE_RULES = [THIRD_PARTY, HAS_JAR_CREDENTIALS] as const;
export const REQUEST_OBJECT_SELECTION_RULES = [KID, SLOT] as const;

const invalid = (description: string): WireFailure => ({ status: 400, error: 'invalid_request', description });

/** What the registration rules of a request object read. */
export interface RegistrationContext {
  client: ClientRegistration;
  payload: JsonObject;
  endpoint: 'authorize' | 'par';
}

/** AZR-8: a client that must use PAR cannot send its request object straight to /authorize. */
export const PAR_REQUIRED: RuleDef<RegistrationContext> = {
  ...AZR_8,
  fix: AZR_8.fix ?? '',
  wire: invalid('Pushed Authorization Requests are required'),
  evaluate({ client, endpoint }) {
    const why = client.parRequired;
    if (why === undefined) return null;
    return endpoint === 'par'
      ? {
          passed: true,
          expected: 'a pushed request_uri',
          actual: 'pushed to /oauth/par',
          note: `${why}: send it to /oauth/par and open /authorize with the request_uri it returns.`,
        }
      : {
          passed: false,
          expected: 'a pushed request_uri',
          actual: 'request object sent to /authorize',
          message: `${why}: this request object must be pushed to /oauth/par, then /authorize opened with the returned request_uri.`,
        };
  },
};

/** JAR-3: a request object is exactly what a JAR-required client needs. */
export const JAR_REQUIRED: RuleDef<RegistrationContext> = {
  ...JAR_3,
  fix: JAR_3.fix ?? '',
  wire: invalid('JWT-secured authorization request is required for this client'),
  evaluate: ({ client }) => (client.jarRequired ? { passed: true, expected: 'a request object', actual: 'request object' } : null),
};

/** The redirect rules' outcomes for a payload: the same order and verdicts as checks/redirect-uri.ts. */
export function redirectVerdicts({
  client,
  payload,
}: RegistrationContext): { rule: RuleText; passed: boolean; expected: string; actual: string; message?: string }[] {
  const uri = payload.redirect_uri;
  const registered = `one of ${JSON.stringify(client.callbacks)}`;
  if (uri === undefined)
    return [
      {
        rule: RED_1_PRESENT,
        passed: false,
        expected: 'redirect_uri',
        actual: '(absent)',
        message: 'The request object has no redirect_uri, and the server requires one (Missing required parameter: redirect_uri).',
      },
    ];
  if (typeof uri !== 'string')
    return [{ rule: RED_3, passed: false, expected: 'an absolute URL, no fragment, safe scheme', actual: `${JSON.stringify(uri)} (not a string)` }];
  const problem = redirectSyntaxProblem(uri, client.redirectPolicy.strict);
  if (problem !== undefined) return [{ rule: RED_3, passed: false, expected: 'an absolute URL, no fragment, safe scheme', actual: `${uri} (${problem})` }];
  const out: ReturnType<typeof redirectVerdicts> = [{ rule: RED_3, passed: true, expected: 'an absolute URL, no fragment, safe scheme', actual: uri }];
  const match = matchRedirectUri({ callbacks: client.callbacks, app_type: client.appType }, uri, client.redirectPolicy);
  if (match?.how === 'exact') return [...out, { rule: RED_1, passed: true, expected: registered, actual: uri }];
  if (match?.how === 'loopback-port') return [...out, { rule: RED_2, passed: true, expected: `same as ${match.registered} except the port`, actual: uri }];
  out.push({
    rule: RED_1,
    passed: false,
    expected: registered,
    actual: uri,
    message:
      client.callbacks.length === 0
        ? `The application has no allowed callback URLs, so ${uri} is refused (Callback URL mismatch).`
        : `${uri} is not one of the application’s allowed callback URLs (Callback URL mismatch).`,
  });
  const why = loopbackMiss({ callbacks: client.callbacks, app_type: client.appType }, uri, client.redirectPolicy);
  if (why !== undefined) out.push({ rule: RED_2, passed: false, expected: 'a registered loopback URI differing only in port', actual: `${uri}: ${why}` });
  return out;
}
