/**
 * The rules Explain can apply to a request no server saw, in one list: the decoding and claim rules of
 * request objects and client assertions (shared/jwt, the same rule objects the embedded server runs), the
 * request-level rules of a pasted URL or PAR body, the signature checks, and the DPoP proof rules (shared/jwt,
 * as the server, Compose's lint and `parley lint` apply them; the server-only DPoP rules stay in its traces). The in-app rule reference
 * (Explain's "Rule reference") lists them, and a test checks that every source resolves to links.
 */
import { CLIENT_ASSERTION_DECODE_RULES, REQUEST_OBJECT_DECODE_RULES } from '../../../../shared/jwt/rules/decode';
import { CLIENT_ASSERTION_RULES } from '../../../../shared/jwt/rules/client-assertion';
import { REQUEST_OBJECT_RULES } from '../../../../shared/jwt/rules/request-object';
import { DPOP_JKT_FORMAT_RULE, DPOP_PROOF_RULES } from '../../../../shared/jwt/rules/dpop-proof';
import { SIGNATURE_RULES } from '../../../../shared/explain/explain';
import { REQUEST_LEVEL_RULES } from '../../../../shared/explain/paste';

/** What a catalogue entry is about. */
export type CatalogueSubject = 'request' | 'requestObject' | 'clientAssertion';

/** One rule as the reference shows it. */
export interface CatalogueRule {
  id: string;
  subject: CatalogueSubject;
  summary: string;
  fix: string;
  source: string;
}

/** Every rule of the catalogue, in the order the server applies them (request, assertion, request object). */
export function ruleCatalogue(): CatalogueRule[] {
  const out: CatalogueRule[] = [];
  const seen = new Set<string>();
  const add = (subject: CatalogueSubject, rule: { id: string; summary: string; fix: string; source: string }) => {
    // JWT-* rules exist once per token kind with the kind in their sentence: both are kept.
    const key = `${subject}:${rule.id}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ id: rule.id, subject, summary: rule.summary, fix: rule.fix, source: rule.source });
  };
  for (const [id, rule] of Object.entries(REQUEST_LEVEL_RULES)) add('request', { id, ...rule });
  // A DPoP proof travels in the request's DPoP header: its rules are about the request.
  for (const rule of [DPOP_JKT_FORMAT_RULE, ...DPOP_PROOF_RULES]) add('request', { ...rule, fix: rule.fix ?? '' });
  for (const rule of [...CLIENT_ASSERTION_DECODE_RULES, ...CLIENT_ASSERTION_RULES]) add('clientAssertion', rule);
  const signature = SIGNATURE_RULES.clientAssertion;
  add('clientAssertion', {
    id: signature.id,
    summary: `The ${signature.noun}'s signature verifies with the client's registered key.`,
    fix: signature.fix,
    source: signature.source,
  });
  for (const rule of [...REQUEST_OBJECT_DECODE_RULES, ...REQUEST_OBJECT_RULES]) add('requestObject', rule);
  const jar = SIGNATURE_RULES.requestObject;
  add('requestObject', { id: jar.id, summary: `The ${jar.noun}'s signature verifies with the client's registered key.`, fix: jar.fix, source: jar.source });
  return out;
}

/** The HTML id of a rule's entry in the reference. */
export function ruleAnchor(id: string): string {
  return `rule-${id}`;
}
