/** Store selectors shared by the Server screen's components. */
import type { ServerCredential } from '../../../../shared/schemas/server';
import { useAppStore } from '../../state/store';
import { shortThumbprint } from '../keys/key-labels';
import type { Slot } from './client-model';
import { reusesKeyAcrossSlots } from './client-model';

/** A stable empty list: a selector must not return a new array on every call. */
const NO_CREDENTIALS: ServerCredential[] = [];

/** A client's credentials as last read, whether they were read, and the error of the last read. */
export function useClientCredentials(clientId: string): { credentials: ServerCredential[]; loaded: boolean; error: unknown } {
  const list = useAppStore((s) => s.server.credentials[clientId]);
  const error = useAppStore((s) => s.server.credentialsError[clientId] ?? null);
  return { credentials: list ?? NO_CREDENTIALS, loaded: list !== undefined, error };
}

/**
 * A function telling whether putting the key with this kid in a slot reuses it for the other purpose
 * (see reusesKeyAcrossSlots). `exceptClientId` leaves one client's slots out, when the caller decides
 * that client's new slots itself.
 */
export function useReuseCheck(): (kid: string, slot: Slot, exceptClientId?: string) => boolean {
  const vaultKeys = useAppStore((s) => s.keys.items);
  const clients = useAppStore((s) => s.server.clients);
  const credentials = useAppStore((s) => s.server.credentials);
  return (kid, slot, exceptClientId) =>
    reusesKeyAcrossSlots(kid, slot, { vaultKeys, clients: exceptClientId ? clients.filter((c) => c.client_id !== exceptClientId) : clients, credentials });
}

/** A credential as one line in a select: name, algorithm and the start and end of its kid. */
export function credentialOptionLabel(credential: ServerCredential): string {
  return `${credential.name} · ${credential.alg} · ${shortThumbprint(credential.kid)}`;
}
