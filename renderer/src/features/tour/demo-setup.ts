/**
 * "Set up the demo": everything the tour's PAR + JAR run needs, made through the same contract operations
 * as the Keys, Server and Flows screens, and found again by name on a later tour instead of duplicated:
 * - two RSA 2048 vault keys, one for request objects (JAR), one for client assertions (private_key_jwt);
 * - an application of the embedded server (regular web) whose credentials are those keys' public keys,
 *   attached to `signed_request_object` and `private_key_jwt` (attaching the latter makes private_key_jwt
 *   its token endpoint authentication);
 * - a flow target for it with a loopback redirect URI (saving it registers the URI as a callback);
 * - a sign-in user for the tour. The bootstrap demo user's password is not available to the UI (the
 *   core keeps it for the CLI's ready line only), so the tour makes its own user with a password made here,
 *   shown in the tour for this sign-in only, never logged nor stored in the renderer's store. A later tour
 *   deletes that user and makes it again with a new password.
 */
import type { ServerClient, ServerCredential } from '../../../../shared/schemas/server';
import type { FlowTarget } from '../../../../shared/schemas/flows';
import type { KeySummary, KeyUsage } from '../../../../shared/schemas/keys';
import { call } from '../../api/client';
import { useAppStore } from '../../state/store';
import type { TourDemo } from '../../state/tour-slice';
import { defaultRedirectUri, newTargetId } from '../flows/flow-labels';
import type { SetupTask, SetupTaskState } from './tour-model';
import { TOUR_NAMES, demoPassword } from './tour-model';

/** Why the set-up stopped before calling anything that could fail on its own. */
export class TourSetupError extends Error {
  constructor(readonly reason: 'serverStopped') {
    super(reason);
    this.name = 'TourSetupError';
  }
}

/** The set-up's result: the demo (ids) and the sign-in password, for the tour panel only. */
export interface DemoSetupResult {
  demo: TourDemo;
  password: string;
}

/** Finds a usable key by name (an RSA key with its private half and the usage), or generates it. */
async function ensureKey(keys: KeySummary[], name: string, usage: KeyUsage): Promise<{ key: KeySummary; created: boolean }> {
  const found = keys.find((k) => k.name === name && k.kty === 'RSA' && k.hasPrivateKey && k.usages.includes(usage));
  if (found) return { key: found, created: false };
  const key = await useAppStore.getState().generateKey({ name, spec: { kty: 'RSA', modulusLength: 2048 }, usages: [usage] });
  return { key, created: true };
}

/** The credential ids in a slot of a client. */
function slotIds(client: ServerClient, slot: 'private_key_jwt' | 'signed_request_object'): string[] {
  const list = slot === 'private_key_jwt' ? client.client_authentication_methods?.private_key_jwt?.credentials : client.signed_request_object?.credentials;
  return (list ?? []).map((c) => c.id);
}

/** Whether a slot already holds a live credential of this key (same kid: its RFC 7638 thumbprint). */
function slotHasKey(
  client: ServerClient,
  credentials: ServerCredential[],
  slot: 'private_key_jwt' | 'signed_request_object',
  key: KeySummary,
  now = Date.now(),
): boolean {
  const ids = new Set(slotIds(client, slot));
  return credentials.some((c) => ids.has(c.id) && c.kid === key.thumbprint && (c.expires_at === null || Date.parse(c.expires_at) > now));
}

/** Sets up (or finds) the demo; `onTask` follows each part. Throws ApiError or TourSetupError. */
export async function setUpDemo(
  onTask: (task: SetupTask, state: SetupTaskState) => void,
  randomBytes: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b),
): Promise<DemoSetupResult> {
  const store = useAppStore.getState();

  const status = await call('server.status', {});
  if (!status.running || !status.issuer) throw new TourSetupError('serverStopped');
  const issuer = status.issuer;

  onTask('keys', 'working');
  const keys = await call('keys.list', {});
  const jar = await ensureKey(keys, TOUR_NAMES.jarKey, 'jar');
  const auth = await ensureKey(keys, TOUR_NAMES.clientKey, 'client-auth');
  onTask('keys', jar.created || auth.created ? 'created' : 'reused');

  onTask('application', 'working');
  let client = (await call('server.listClients', {})).find((c) => c.name === TOUR_NAMES.application && !c.parley_management);
  const appCreated = !client;
  if (!client) {
    client = await store.createClient({
      name: TOUR_NAMES.application,
      app_type: 'regular_web',
      callbacks: [],
      grant_types: ['authorization_code'],
      // Auth0 creates a confidential client with a secret; attaching a private_key_jwt credential below replaces it.
      token_endpoint_auth_method: 'client_secret_post',
    });
  }
  const clientId = client.client_id;
  onTask('application', appCreated ? 'created' : 'reused');

  onTask('credentials', 'working');
  const credentials = await call('server.listCredentials', { clientId });
  let credentialsCreated = false;
  for (const [slot, key] of [
    ['signed_request_object', jar.key],
    ['private_key_jwt', auth.key],
  ] as const) {
    if (slotHasKey(client, credentials, slot, key)) continue;
    await store.createCredential({ clientId, fromVaultKey: { keyId: key.id, name: key.name, alg: 'RS256' }, attachTo: slot });
    credentialsCreated = true;
  }
  onTask('credentials', credentialsCreated ? 'created' : 'reused');

  onTask('target', 'working');
  const existing = (await call('flows.listTargets', {})).find((x) => x.embedded && x.name === TOUR_NAMES.target);
  const target: FlowTarget = {
    id: existing?.id ?? newTargetId(),
    name: TOUR_NAMES.target,
    issuer,
    client_id: clientId,
    auth: { method: 'private_key_jwt', keyId: auth.key.id, hasSecret: false },
    // The same proposal as the New target dialog: a loopback URI on a random port (RFC 8252 §7.3).
    redirect_uri: existing?.redirect_uri ?? defaultRedirectUri(),
    scope: 'openid profile email',
    jarKeyId: jar.key.id,
    embedded: true,
  };
  // Saved every time (same id when found): it follows the keys and application found or made above.
  const saved = await store.saveFlowTarget({ target });
  onTask('target', existing ? 'reused' : 'created');

  onTask('user', 'working');
  const password = demoPassword(randomBytes);
  const previous = (await call('server.listUsers', {})).find((u) => u.email === TOUR_NAMES.userEmail);
  // A password cannot be read back: a later tour replaces the user to show a password that works.
  if (previous) await store.deleteUser(previous.user_id);
  await store.createUser({ email: TOUR_NAMES.userEmail, password, name: TOUR_NAMES.userName });
  onTask('user', 'created');

  return { demo: { targetId: saved.id, clientId, email: TOUR_NAMES.userEmail }, password };
}
