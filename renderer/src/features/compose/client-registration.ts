/**
 * What Compose knows of the application it composes for, as the lint's `ClientRegistration`: the embedded
 * server's view of the client (callbacks, JAR/PAR required, first-party, app_type), the public facts of the
 * credentials attached to each slot, and the server settings that change the verdict (profile, loopback
 * ports, tenant PAR). Pure, so the lint's verdict can be compared with the server's in a unit test.
 */
import type { ClientRegistration, SlotCredential } from '../../../../shared/jwt';
import { parRequirement } from '../../../../shared/jwt';
import type { ServerClient, ServerCredential, ServerSettings } from '../../../../shared/schemas/server';

/** The credential ids a slot names, in order. */
function slotIds(client: ServerClient, slot: 'signed_request_object' | 'private_key_jwt'): string[] {
  const refs =
    slot === 'signed_request_object' ? client.signed_request_object?.credentials : client.client_authentication_methods?.private_key_jwt?.credentials;
  return (refs ?? []).map((r) => r.id);
}

/**
 * The registration of an embedded-server client, or undefined while a slot names credentials whose list
 * has not arrived yet (a lint without them would wrongly say "no credentials").
 */
export function registrationOf(
  client: ServerClient,
  credentials: readonly ServerCredential[] | undefined,
  settings: Pick<ServerSettings, 'profile' | 'loopbackAnyPort' | 'parRequired'>,
): ClientRegistration | undefined {
  const jarIds = slotIds(client, 'signed_request_object');
  const pkjIds = slotIds(client, 'private_key_jwt');
  if (credentials === undefined && jarIds.length + pkjIds.length > 0) return undefined;
  const byId = new Map((credentials ?? []).map((c) => [c.id, c]));
  const facts = (ids: string[]): SlotCredential[] =>
    ids.flatMap((id) => {
      const c = byId.get(id);
      return c ? [{ id: c.id, kid: c.kid, alg: c.alg, expires_at: c.expires_at }] : [];
    });
  const complianceLevel = typeof client.compliance_level === 'string' ? client.compliance_level : null;
  return {
    clientId: client.client_id,
    firstParty: client.is_first_party !== false,
    // The server treats an absent app_type as a regular web application (clientView).
    appType: client.app_type ?? 'regular_web',
    callbacks: client.callbacks ?? [],
    jarRequired: client.signed_request_object?.required === true,
    parRequired: parRequirement({ complianceLevel, clientRequires: client.require_pushed_authorization_requests, tenantRequires: settings.parRequired }),
    slots: { signed_request_object: facts(jarIds), private_key_jwt: facts(pkjIds) },
    redirectPolicy: { strict: settings.profile === 'strict', loopbackAnyPort: settings.loopbackAnyPort },
  };
}
