/**
 * The target dialog's logic without React: the form's values, their checks (each message names its
 * field), the defaults suggested by what an issuer's discovery document says, and the target saved.
 */
import type { FlowAuthMethod, FlowTarget, IssuerSummary } from '../../../../shared/schemas/flows';
import type { KeySummary } from '../../../../shared/schemas/keys';

/** Where the target's authorization server is. */
export type TargetSource = 'embedded' | 'issuer';

/** The id of the built-in target (the embedded server's Management API client). */
export const BUILT_IN_TARGET_ID = 'embedded';

/** The form's values. */
export interface TargetForm {
  source: TargetSource;
  /** The embedded server's application (source 'embedded'). */
  applicationId: string;
  /** The issuer URL (source 'issuer'). */
  issuer: string;
  /** The client ID at the issuer (source 'issuer'). */
  clientId: string;
  name: string;
  method: FlowAuthMethod;
  authKeyId: string;
  jarKeyId: string;
  /** Empty while editing means "keep the saved secret". */
  secret: string;
  redirectUri: string;
  scope: string;
  audience: string;
  /** Keep the sign-in browser's session between runs (cookies kept, so sign-in and consent may be skipped). */
  keepSession: boolean;
  /** A CA certificate (PEM) trusted for this issuer only (source 'issuer'); empty for none. */
  extraCa: string;
  /** The vault key that signs DPoP proofs; empty for no DPoP. Optional: forms made before DPoP read as off. */
  dpopKeyId?: string;
  /** DPoP: also send the key's thumbprint as dpop_jkt, binding the authorization code to the key. */
  dpopBindCode?: boolean;
}

/** The fields a check can fail on. */
export type TargetField = 'application' | 'issuer' | 'clientId' | 'authKey' | 'secret' | 'redirectUri' | 'extraCa';

/** Why a field was refused (the dialog turns the reason into words naming the field). */
export type TargetProblem =
  | 'applicationRequired'
  | 'serverStopped'
  | 'issuerRequired'
  | 'issuerInvalid'
  | 'clientIdRequired'
  | 'authKeyRequired'
  | 'secretRequired'
  | 'redirectUriInvalid'
  | 'extraCaInvalid';

/** Whether a method sends a client secret. */
export function usesSecret(method: FlowAuthMethod): boolean {
  return method === 'client_secret_post' || method === 'client_secret_basic';
}

/** Whether a string is an http(s) URL without query or fragment (the contract's issuer rule). */
export function isIssuerUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.search === '' && u.hash === '' && !value.includes('?') && !value.includes('#');
  } catch {
    return false;
  }
}

/** Whether a text is PEM certificate text (the contract's shape; the core parses it). */
export function isPemCertificate(value: string): boolean {
  return /^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----$/.test(value.trim());
}

function isAbsoluteUrl(value: string): boolean {
  try {
    new URL(value);
    return /^[a-z][a-z0-9+.-]*:/i.test(value);
  } catch {
    return false;
  }
}

/** The form's first problems, by field; empty when it can be saved. */
export function checkTargetForm(form: TargetForm, context: { serverIssuer: string | null; savedSecret: boolean }): Partial<Record<TargetField, TargetProblem>> {
  const problems: Partial<Record<TargetField, TargetProblem>> = {};
  if (form.source === 'embedded') {
    if (!form.applicationId) problems.application = 'applicationRequired';
    else if (!context.serverIssuer) problems.application = 'serverStopped';
  } else {
    const issuer = form.issuer.trim();
    if (!issuer) problems.issuer = 'issuerRequired';
    else if (!isIssuerUrl(issuer)) problems.issuer = 'issuerInvalid';
    if (!form.clientId.trim()) problems.clientId = 'clientIdRequired';
  }
  if (form.method === 'private_key_jwt' && !form.authKeyId) problems.authKey = 'authKeyRequired';
  if (usesSecret(form.method) && !form.secret && !context.savedSecret) problems.secret = 'secretRequired';
  if (!isAbsoluteUrl(form.redirectUri.trim())) problems.redirectUri = 'redirectUriInvalid';
  // The core reads the certificate itself and names what is wrong with it; here only its PEM shape.
  if (form.source === 'issuer' && form.extraCa.trim() && !isPemCertificate(form.extraCa)) problems.extraCa = 'extraCaInvalid';
  return problems;
}

/** The target to save (the form has been checked). */
export function targetOf(form: TargetForm, context: { id: string; serverIssuer: string | null; applicationName: string | undefined }): FlowTarget {
  const embedded = form.source === 'embedded';
  const issuer = embedded ? (context.serverIssuer ?? '') : form.issuer.trim();
  const clientId = embedded ? form.applicationId : form.clientId.trim();
  const audience = form.audience.trim();
  return {
    id: context.id,
    name: form.name.trim() || defaultName(form, context.applicationName),
    issuer,
    client_id: clientId,
    auth: { method: form.method, ...(form.method === 'private_key_jwt' ? { keyId: form.authKeyId } : {}), hasSecret: false },
    redirect_uri: form.redirectUri.trim(),
    scope: form.scope.trim(),
    ...(audience ? { audience } : {}),
    ...(form.jarKeyId ? { jarKeyId: form.jarKeyId } : {}),
    embedded,
    // Absent means a fresh session per run, the default.
    ...(form.keepSession ? { keepSession: true } : {}),
    ...(!embedded && form.extraCa.trim() ? { extraCa: form.extraCa.trim() } : {}),
    ...(form.dpopKeyId ? { dpop: { keyId: form.dpopKeyId, bindCode: form.dpopBindCode === true } } : {}),
  };
}

/** The name a target gets when none is typed: the application's name, or the issuer's host. */
export function defaultName(form: Pick<TargetForm, 'source' | 'issuer' | 'clientId'>, applicationName: string | undefined): string {
  if (form.source === 'embedded') return applicationName ?? '';
  try {
    return new URL(form.issuer.trim()).host;
  } catch {
    return form.clientId.trim();
  }
}

/** The form prefilled from a saved target (editing). */
export function formOf(target: FlowTarget): TargetForm {
  return {
    source: target.embedded ? 'embedded' : 'issuer',
    applicationId: target.embedded ? target.client_id : '',
    issuer: target.embedded ? '' : target.issuer,
    clientId: target.embedded ? '' : target.client_id,
    name: target.name,
    method: target.auth.method,
    authKeyId: target.auth.keyId ?? '',
    jarKeyId: target.jarKeyId ?? '',
    secret: '',
    redirectUri: target.redirect_uri,
    scope: target.scope,
    audience: target.audience ?? '',
    keepSession: target.keepSession === true,
    extraCa: target.extraCa ?? '',
    ...(target.dpop ? { dpopKeyId: target.dpop.keyId, dpopBindCode: target.dpop.bindCode } : {}),
  };
}

/** The methods an issuer accepts; RFC 8414 §2: client_secret_basic when it publishes none. */
export function acceptedMethods(summary: IssuerSummary): string[] {
  return summary.token_endpoint_auth_methods_supported ?? ['client_secret_basic'];
}

/**
 * The client authentication to preselect after checking an issuer: private_key_jwt when the issuer takes
 * it and the vault has a client-authentication key, else a secret (POST first), else none.
 */
export function suggestedAuth(summary: IssuerSummary, keys: readonly KeySummary[]): { method: FlowAuthMethod; authKeyId?: string } {
  const accepted = acceptedMethods(summary);
  const authKey = keys.find((k) => k.hasPrivateKey && k.usages.includes('client-auth'));
  if (accepted.includes('private_key_jwt') && authKey) return { method: 'private_key_jwt', authKeyId: authKey.id };
  for (const method of ['client_secret_post', 'client_secret_basic', 'none', 'private_key_jwt'] as const) if (accepted.includes(method)) return { method };
  return { method: 'client_secret_basic' };
}

/** The request object key to preselect: a JAR key signing with an algorithm the issuer publishes, if any. */
export function suggestedJarKey(summary: IssuerSummary, keys: readonly KeySummary[]): string | undefined {
  const algs = summary.request_object_signing_alg_values_supported;
  if (!algs) return undefined;
  return keys.find((k) => k.hasPrivateKey && k.usages.includes('jar') && k.algs.some((a) => algs.includes(a)))?.id;
}

/** What a new target can take from the application it is for. */
export interface ApplicationDefaults {
  method?: FlowAuthMethod;
  authKeyId?: string;
  jarKeyId?: string;
}

/**
 * The vault keys already registered on an application, by slot (a credential's kid is its key's RFC 7638
 * thumbprint), and the method it authenticates with: what a new target for it should start from.
 */
export function applicationDefaults(
  application: {
    client_authentication_methods?: { private_key_jwt?: { credentials: { id: string }[] } } | null;
    signed_request_object?: { credentials?: { id: string }[] } | null;
    token_endpoint_auth_method?: string;
  },
  credentials: readonly { id: string; kid: string }[],
  keys: readonly Pick<KeySummary, 'id' | 'thumbprint' | 'hasPrivateKey'>[],
): ApplicationDefaults {
  const keyFor = (refs: { id: string }[] | undefined) => {
    for (const ref of refs ?? []) {
      const kid = credentials.find((c) => c.id === ref.id)?.kid;
      const key = kid === undefined ? undefined : keys.find((k) => k.hasPrivateKey && k.thumbprint === kid);
      if (key) return key.id;
    }
    return undefined;
  };
  const out: ApplicationDefaults = {};
  const pkj = application.client_authentication_methods?.private_key_jwt?.credentials;
  if (pkj && pkj.length > 0) out.method = 'private_key_jwt';
  else if (
    application.token_endpoint_auth_method === 'client_secret_post' ||
    application.token_endpoint_auth_method === 'client_secret_basic' ||
    application.token_endpoint_auth_method === 'none'
  )
    out.method = application.token_endpoint_auth_method;
  const authKeyId = keyFor(pkj);
  if (authKeyId) out.authKeyId = authKeyId;
  const jarKeyId = keyFor(application.signed_request_object?.credentials);
  if (jarKeyId) out.jarKeyId = jarKeyId;
  return out;
}
