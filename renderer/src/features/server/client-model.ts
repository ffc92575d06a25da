/**
 * What the Server screen reads from an Auth0-shaped client, and the Management API bodies it sends.
 * Pure functions (no React, no store), so the exact request bodies are unit-tested: they are the same
 * JSON the Auth0 docs show for the dashboard's actions (server-rules.md §11–12).
 */
import type { KeySummary } from '../../../../shared/schemas/keys';
import type { RequestTrace, ServerClient, ServerCredential } from '../../../../shared/schemas/server';

/** The authentication methods of the Credentials tab, in the dashboard's order. */
export const AUTH_METHODS = ['client_secret_post', 'client_secret_basic', 'private_key_jwt', 'none'] as const;
/** A client authentication method at the token endpoint. */
export type AuthMethod = (typeof AUTH_METHODS)[number];
/** The token_endpoint_auth_method values (private_key_jwt is not one of them: MGC-7). */
export type SecretMethod = Exclude<AuthMethod, 'private_key_jwt'>;

/** The two places a credential can be attached to. */
export const SLOTS = ['private_key_jwt', 'signed_request_object'] as const;
/** A credential slot of a client. */
export type Slot = (typeof SLOTS)[number];

/** Auth0 keeps at most two credentials per slot (MGC-4). */
export const MAX_PER_SLOT = 2;
/** Auth0 keeps at most four credential records per client (CRD-8). */
export const MAX_CREDENTIALS = 4;

/** Application types of the Create dialog, as Auth0's `app_type`. */
export const APP_TYPES = ['regular_web', 'spa', 'native', 'non_interactive'] as const;
/** An application type. */
export type AppType = (typeof APP_TYPES)[number];

/** Credential algorithms Auth0 accepts (CRD-4). */
export const CREDENTIAL_ALGS = ['RS256', 'RS384', 'PS256'] as const;
/** A credential algorithm. */
export type CredentialAlg = (typeof CREDENTIAL_ALGS)[number];

/** ID token signing algorithms offered (IDT-4). */
export const ID_TOKEN_ALGS = ['RS256', 'PS256'] as const;

/** The client's current authentication method. Private Key JWT wins: Auth0 omits the other field then. */
export function authMethodOf(client: ServerClient): AuthMethod {
  if (client.client_authentication_methods?.private_key_jwt) return 'private_key_jwt';
  return client.token_endpoint_auth_method ?? 'client_secret_post';
}

/** The credential ids attached to a slot, in order. */
export function slotIds(client: ServerClient, slot: Slot): string[] {
  const list = slot === 'private_key_jwt' ? client.client_authentication_methods?.private_key_jwt?.credentials : client.signed_request_object?.credentials;
  return (list ?? []).map((c) => c.id);
}

/** The slots a credential is attached to. */
export function slotsOf(client: ServerClient, credentialId: string): Slot[] {
  return SLOTS.filter((slot) => slotIds(client, slot).includes(credentialId));
}

/** Whether JAR is required for the client. */
export function jarRequired(client: ServerClient): boolean {
  return client.signed_request_object?.required === true;
}

/** Whether PAR is required for the client. */
export function parRequired(client: ServerClient): boolean {
  return client.require_pushed_authorization_requests === true;
}

/** Whether a slot can take one more credential. */
export function slotHasRoom(client: ServerClient, slot: Slot): boolean {
  return slotIds(client, slot).length < MAX_PER_SLOT;
}

/** MGC-5: switch to Private Key JWT with these credentials. */
export function enablePrivateKeyJwtBody(credentialIds: readonly string[]): Record<string, unknown> {
  return {
    token_endpoint_auth_method: null,
    client_authentication_methods: { private_key_jwt: { credentials: credentialIds.map((id) => ({ id })) } },
  };
}

/** MGC-5: back from Private Key JWT to a secret (or none). */
export function revertToSecretBody(method: SecretMethod): Record<string, unknown> {
  return { client_authentication_methods: null, token_endpoint_auth_method: method };
}

/** The body that switches a client from its current method to `next` (null when there is nothing to do). */
export function authMethodBody(client: ServerClient, next: AuthMethod, privateKeyJwtIds: readonly string[] = []): Record<string, unknown> | null {
  const current = authMethodOf(client);
  if (next === current) return null;
  if (next === 'private_key_jwt') return enablePrivateKeyJwtBody(privateKeyJwtIds);
  if (current === 'private_key_jwt') return revertToSecretBody(next);
  return { token_endpoint_auth_method: next };
}

/**
 * The body that sets the credentials of one or both slots (MGC-3: references only). Putting a credential
 * in the Private Key JWT slot of a client that does not use it yet switches the method (MGC-5).
 */
export function assignBody(client: ServerClient, next: Partial<Record<Slot, readonly string[]>>): Record<string, unknown> | null {
  const body: Record<string, unknown> = {};
  const pkj = next.private_key_jwt;
  if (pkj && !sameIds(pkj, slotIds(client, 'private_key_jwt'))) {
    if (authMethodOf(client) === 'private_key_jwt') body.client_authentication_methods = { private_key_jwt: { credentials: pkj.map((id) => ({ id })) } };
    else if (pkj.length > 0) Object.assign(body, enablePrivateKeyJwtBody(pkj));
  }
  const jar = next.signed_request_object;
  // PATCH merges sub-objects (MGC-8): `required` is kept when only the credentials change.
  if (jar && !sameIds(jar, slotIds(client, 'signed_request_object'))) body.signed_request_object = { credentials: jar.map((id) => ({ id })) };
  return Object.keys(body).length > 0 ? body : null;
}

/** The JAR switch of the Settings tab: required, and the credential to put in an empty slot. */
export function jarBody(required: boolean, assignId?: string): Record<string, unknown> {
  return { signed_request_object: assignId ? { required, credentials: [{ id: assignId }] } : { required } };
}

/** The body of the Create application dialog. */
export function createClientBody(input: { name: string; appType: AppType; callbacks: readonly string[] }): Record<string, unknown> {
  return {
    name: input.name,
    app_type: input.appType,
    callbacks: [...input.callbacks],
    // Auth0's dashboard default: public clients authenticate with nothing, confidential ones with a secret.
    token_endpoint_auth_method: input.appType === 'spa' || input.appType === 'native' ? 'none' : 'client_secret_post',
  };
}

/** Callback URLs from a textarea, one per line (blank lines and surrounding spaces dropped). */
export function parseLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

/** A client id shortened for lists. */
export function shortId(id: string): string {
  return id.length <= 14 ? id : `${id.slice(0, 6)}…${id.slice(-4)}`;
}

/** Whether a credential has passed its expiry date (CRD-15: it stays listed but does not work). */
export function isExpired(credential: Pick<ServerCredential, 'expires_at'>, now = Date.now()): boolean {
  if (!credential.expires_at) return false;
  const at = Date.parse(credential.expires_at);
  return !Number.isNaN(at) && at <= now;
}

/** Whether a PEM text holds an X.509 certificate (only then can the expiry come from it: CRD-6). */
export function isCertificatePem(pem: string): boolean {
  return /-----BEGIN CERTIFICATE-----/.test(pem);
}

/** A date input's value (YYYY-MM-DD, local) as an ISO 8601 instant at the end of that local day. */
export function dateInputToIso(value: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return null;
  const d = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]), 23, 59, 59, 0);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** An ISO instant as a date input's value (local date). */
export function isoToDateInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Tomorrow as a date input's value: the earliest explicit expiry offered (CRD-5 refuses past dates). */
export function tomorrowDateInput(now = Date.now()): string {
  return isoToDateInput(new Date(now + 86_400_000).toISOString());
}

/** Vault keys Auth0 accepts as credentials: RSA, 2048 to 4096 bits (CRD-2, CRD-3). */
export function eligibleVaultKeys(keys: readonly KeySummary[]): KeySummary[] {
  return keys.filter((k) => k.kty === 'RSA' && (k.size === undefined || (k.size >= 2048 && k.size <= 4096)));
}

/**
 * Whether putting a key in `slot` reuses it for the other purpose: the key is marked for the other use in
 * the vault, or a credential with the same kid (the RFC 7638 thumbprint) sits in the other slot of any
 * client whose credentials are known. The Auth0 docs advise a separate key pair per use.
 */
export function reusesKeyAcrossSlots(
  kid: string,
  slot: Slot,
  context: { vaultKeys: readonly KeySummary[]; clients: readonly ServerClient[]; credentials: Readonly<Record<string, readonly ServerCredential[]>> },
): boolean {
  const other: Slot = slot === 'private_key_jwt' ? 'signed_request_object' : 'private_key_jwt';
  const otherUsage = other === 'private_key_jwt' ? 'client-auth' : 'jar';
  const ownUsage = slot === 'private_key_jwt' ? 'client-auth' : 'jar';
  const key = context.vaultKeys.find((k) => k.thumbprint === kid);
  if (key && key.usages.includes(otherUsage) && !key.usages.includes(ownUsage)) return true;
  for (const client of context.clients) {
    const ids = slotIds(client, other);
    if ((context.credentials[client.client_id] ?? []).some((c) => c.kid === kid && ids.includes(c.id))) return true;
  }
  return false;
}

/** A trace's rules in display order: failures first, each group in the order the server applied them. */
export function orderedRules(trace: RequestTrace): RequestTrace['rules'] {
  return [...trace.rules.filter((r) => !r.passed), ...trace.rules.filter((r) => r.passed)];
}

/** `issuer` + a path, with exactly one slash between them (the issuer ends with one: IDT-1). */
export function issuerUrl(issuer: string, path: string): string {
  return `${issuer.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

/** Whether the client may use the Client Credentials grant (a client grant alone is not enough). */
export function hasClientCredentials(client: ServerClient): boolean {
  return (client.grant_types ?? []).includes('client_credentials');
}

/** The PATCH body adding client_credentials to the client's grant types (Auth0 refuses it for public clients). */
export function enableClientCredentialsBody(client: ServerClient): Record<string, unknown> {
  return { grant_types: [...(client.grant_types ?? []).filter((g) => g !== 'client_credentials'), 'client_credentials'] };
}

/** The scopes offered for an API: those it defines, then any other scope the grant holds (so a save keeps them). */
export function scopeOptions(apiScopes: readonly string[], granted: readonly string[] = []): string[] {
  return [...new Set([...apiScopes, ...granted])];
}

/** The vault key usage that fits each slot. */
const USAGE_OF_SLOT = { signed_request_object: 'jar', private_key_jwt: 'client-auth' } as const;

/**
 * Where Add credential starts: the vault key whose usage matches the slot (a JAR-signing key for the
 * request-object slot, a client-authentication key for Private Key JWT), preferring one this application
 * does not hold yet, attached to that slot. Without a slot in mind, the first such key of either usage
 * picks the slot. Null when no vault key fits: the dialog then starts from an uploaded PEM.
 */
export function startingVaultKey(
  keys: readonly KeySummary[],
  client: ServerClient,
  defaultAttach: Slot | 'none',
  registeredKids: readonly string[],
): { keyId: string; attach: Slot } | null {
  const eligible = eligibleVaultKeys(keys);
  const fresh = (k: KeySummary) => !registeredKids.includes(k.thumbprint);
  const slots: Slot[] =
    defaultAttach === 'none' ? (['signed_request_object', 'private_key_jwt'] as const).filter((s) => slotHasRoom(client, s)) : [defaultAttach];
  for (const prefer of [fresh, () => true]) {
    for (const slot of slots) {
      const key = eligible.find((k) => k.usages.includes(USAGE_OF_SLOT[slot]) && prefer(k));
      if (key) return { keyId: key.id, attach: slot };
    }
  }
  return null;
}
