/**
 * What the composer is aimed at, derived from the compose slice and the cached core state: the issuer
 * (with its trailing slash), the client_id, the keys offered for the mode and the chosen one, the profile,
 * and the lint context built from them.
 */
import { useMemo } from 'react';
import type { ClientAssertionLintContext, ClientRegistration, ProfileId, RequestObjectLintContext } from '../../../../shared/jwt';
import type { KeySummary } from '../../../../shared/schemas/keys';
import type { ServerClient, ServerCredential, ServerSettings } from '../../../../shared/schemas/server';
import type { AppState } from '../../state/store';
import { useAppStore } from '../../state/store';
import type { ComposeMode } from './compose-model';
import { USAGE_BY_MODE, normalizeIssuer, parEndpointOf, tokenEndpointOf } from './compose-model';
import { registrationOf } from './client-registration';

/** The composer's aim. */
export interface ComposeTarget {
  mode: ComposeMode;
  /** The issuer with its trailing slash; '' when unknown (server not running, nothing typed). */
  issuer: string;
  clientId: string;
  /** The embedded server's clients offered (its own Management client last). */
  clients: ServerClient[];
  /** The keys offered for the mode (all of them with "show all keys"). */
  keys: KeySummary[];
  key: KeySummary | null;
  profile: ProfileId;
  /**
   * The registration of the client, when Compose knows it (an embedded-server application): the lint then
   * applies the server's client-side rules (callbacks, credentials, JAR and PAR required).
   */
  client: ClientRegistration | undefined;
}

/** Embedded-server clients in the order offered: applications first, the Management client last. */
function offeredClients(clients: ServerClient[]): ServerClient[] {
  return [...clients.filter((c) => !c.parley_management), ...clients.filter((c) => c.parley_management)];
}

/** What the aim is derived from. */
interface TargetInputs {
  aim: Pick<AppState['compose'], 'target' | 'typedIssuer' | 'clientSource' | 'serverClientId' | 'typedClientId' | 'keyId' | 'showAllKeys' | 'profiles'>;
  serverIssuer: string | null;
  serverClients: ServerClient[];
  serverSettings: ServerSettings | null;
  credentials: Record<string, ServerCredential[]>;
  allKeys: KeySummary[];
}

/** The composer's aim for a mode. */
function targetFrom({ aim, serverIssuer, serverClients, serverSettings, credentials, allKeys }: TargetInputs, mode: ComposeMode): ComposeTarget {
  const { target, typedIssuer, clientSource, serverClientId, typedClientId, keyId, showAllKeys, profiles } = aim;
  const issuer = normalizeIssuer(target === 'server' ? (serverIssuer ?? '') : typedIssuer);
  const clients = offeredClients(serverClients);
  const serverClient = clients.find((c) => c.client_id === serverClientId) ?? clients[0];
  const clientId = clientSource === 'server' ? (serverClient?.client_id ?? '') : typedClientId.trim();
  const signable = allKeys.filter((k) => k.hasPrivateKey);
  const keys = showAllKeys ? signable : signable.filter((k) => k.usages.includes(USAGE_BY_MODE[mode]));
  // A key chosen with "show all keys" stays chosen when the list is filtered again.
  const key = signable.find((k) => k.id === keyId) ?? keys[0] ?? null;
  // Only the embedded server's own client is known; a typed client_id or issuer may be registered anywhere.
  const known = target === 'server' && clientSource === 'server' && serverClient !== undefined && serverSettings !== null;
  const client = known ? registrationOf(serverClient, credentials[serverClient.client_id], serverSettings) : undefined;
  return { mode, issuer, clientId, clients, keys, key, profile: profiles[mode], client };
}

/** The aim for a mode, read from the store now (for event handlers). */
export function currentTarget(mode: ComposeMode): ComposeTarget {
  const s = useAppStore.getState();
  return targetFrom(
    {
      aim: s.compose,
      serverIssuer: s.server.status?.issuer ?? null,
      serverClients: s.server.clients,
      serverSettings: s.server.status?.settings ?? null,
      credentials: s.server.credentials,
      allKeys: s.keys.items,
    },
    mode,
  );
}

/** The composer's aim for the current mode (recomputed when the aim changes, not when the draft does). */
export function useComposeTarget(): ComposeTarget {
  const mode = useAppStore((s) => s.compose.mode);
  const target = useAppStore((s) => s.compose.target);
  const typedIssuer = useAppStore((s) => s.compose.typedIssuer);
  const clientSource = useAppStore((s) => s.compose.clientSource);
  const serverClientId = useAppStore((s) => s.compose.serverClientId);
  const typedClientId = useAppStore((s) => s.compose.typedClientId);
  const keyId = useAppStore((s) => s.compose.keyId);
  const showAllKeys = useAppStore((s) => s.compose.showAllKeys);
  const profiles = useAppStore((s) => s.compose.profiles);
  const serverIssuer = useAppStore((s) => s.server.status?.issuer ?? null);
  const serverClients = useAppStore((s) => s.server.clients);
  const serverSettings = useAppStore((s) => s.server.status?.settings ?? null);
  const credentials = useAppStore((s) => s.server.credentials);
  const allKeys = useAppStore((s) => s.keys.items);
  return useMemo(
    () =>
      targetFrom(
        {
          aim: { target, typedIssuer, clientSource, serverClientId, typedClientId, keyId, showAllKeys, profiles },
          serverIssuer,
          serverClients,
          serverSettings,
          credentials,
          allKeys,
        },
        mode,
      ),
    [
      mode,
      target,
      typedIssuer,
      clientSource,
      serverClientId,
      typedClientId,
      keyId,
      showAllKeys,
      profiles,
      serverIssuer,
      serverClients,
      serverSettings,
      credentials,
      allKeys,
    ],
  );
}

/** The request-object lint context for a target. */
export function requestObjectContext(target: ComposeTarget, endpoint: 'authorize' | 'par', now: number): RequestObjectLintContext {
  return { issuer: target.issuer, clientId: target.clientId, profile: target.profile, now, endpoint, ...(target.client ? { client: target.client } : {}) };
}

/** The client-assertion lint context for a target. */
export function clientAssertionContext(target: ComposeTarget, endpoint: 'token' | 'par', now: number): ClientAssertionLintContext {
  const tokenEndpoint = tokenEndpointOf(target.issuer);
  return {
    issuer: target.issuer,
    tokenEndpoint,
    endpointUrl: endpoint === 'par' ? parEndpointOf(target.issuer) : tokenEndpoint,
    clientIdParam: target.clientId || undefined,
    profile: target.profile,
    now,
    ...(target.client ? { client: target.client } : {}),
  };
}
