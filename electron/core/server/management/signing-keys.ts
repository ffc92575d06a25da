/**
 * Auth0 returns `signing_keys: [{cert}]` on every client (even when `fields` filters everything else
 * out): the tenant's signing certificate. Here that is a self-signed certificate for the tenant key, made
 * once per key (keys change at each start) and only when a client is first shown.
 */
import { createSelfSignedCertificate } from '../../vault/certificate';
import type { TenantKeys } from '../tenant-keys';

const certificates = new WeakMap<TenantKeys, Promise<string>>();

/** The tenant's signing certificate, PEM. */
export function tenantCertificate(keys: TenantKeys): Promise<string> {
  let cert = certificates.get(keys);
  if (!cert) {
    const size = keys.publicKey.asymmetricKeyDetails?.modulusLength ?? 2048;
    cert = createSelfSignedCertificate({
      privateKey: keys.privateKey,
      publicKey: keys.publicKey,
      shape: { kty: 'RSA', size },
      commonName: 'Parley tenant',
      days: 3650,
    }).then((c) => c.pem);
    // A failure is not cached: the next request tries again.
    cert.catch(() => certificates.delete(keys));
    certificates.set(keys, cert);
  }
  return cert;
}

/** The client JSON with `signing_keys` placed after `jwt_configuration`, where Auth0 puts it. */
export function withSigningKeys(client: Record<string, unknown>, cert: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(client)) {
    out[key] = value;
    if (key === 'jwt_configuration') out.signing_keys = [{ cert }];
  }
  return out;
}
