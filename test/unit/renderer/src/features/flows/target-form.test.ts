import { describe, expect, it } from 'vitest';
import type { FlowTarget, IssuerSummary } from '../../../../../../shared/schemas/flows';
import type { KeySummary } from '../../../../../../shared/schemas/keys';
import type { TargetForm } from '../../../../../../renderer/src/features/flows/target-form';
import { checkTargetForm, formOf, suggestedAuth, suggestedJarKey, targetOf } from '../../../../../../renderer/src/features/flows/target-form';

const summary = (extra: Partial<IssuerSummary> = {}): IssuerSummary => ({
  issuer: 'https://tenant.example/',
  authorization_endpoint: 'https://tenant.example/authorize',
  token_endpoint: 'https://tenant.example/oauth/token',
  ...extra,
});
const key = (id: string, usages: KeySummary['usages'], algs: KeySummary['algs'] = ['RS256']): KeySummary =>
  ({
    id,
    name: id,
    kty: 'RSA',
    algs,
    usages,
    thumbprint: id,
    hasPrivateKey: true,
    createdAt: '2025-01-01T00:00:00.000Z',
    expiresAt: null,
    certificate: null,
    warnings: [],
  }) as KeySummary;

const issuerForm: TargetForm = {
  source: 'issuer',
  applicationId: '',
  issuer: 'https://tenant.example/',
  clientId: 'abc',
  name: '',
  method: 'client_secret_post',
  authKeyId: '',
  jarKeyId: '',
  secret: 's3cret',
  redirectUri: 'http://127.0.0.1:47811/callback',
  scope: 'openid',
  audience: ' https://api.example/ ',
  keepSession: false,
  extraCa: '',
};

describe('Target dialog › defaults from the issuer', () => {
  it('prefers private_key_jwt with a client-authentication key, else a secret sent by POST', () => {
    const methods = ['client_secret_basic', 'client_secret_post', 'private_key_jwt'];
    expect(
      suggestedAuth(summary({ token_endpoint_auth_methods_supported: methods }), [key('k-jar-0001', ['jar']), key('k-auth-001', ['client-auth'])]),
    ).toEqual({ method: 'private_key_jwt', authKeyId: 'k-auth-001' });
    expect(suggestedAuth(summary({ token_endpoint_auth_methods_supported: methods }), [key('k-jar-0001', ['jar'])])).toEqual({ method: 'client_secret_post' });
    // RFC 8414 §2: no list published means client_secret_basic.
    expect(suggestedAuth(summary(), [key('k-auth-001', ['client-auth'])])).toEqual({ method: 'client_secret_basic' });
  });

  it('preselects a JAR key only when the issuer publishes an algorithm it can sign with', () => {
    const keys = [key('k-ec-00001', ['jar'], ['ES256']), key('k-rsa-0001', ['jar'], ['RS256', 'PS256'])];
    expect(suggestedJarKey(summary({ request_object_signing_alg_values_supported: ['PS256'] }), keys)).toBe('k-rsa-0001');
    expect(suggestedJarKey(summary(), keys)).toBeUndefined();
  });
});

describe('Target dialog › checks name the field', () => {
  it('refuses a missing or malformed issuer, a missing client ID, a relative redirect URI', () => {
    expect(checkTargetForm({ ...issuerForm, issuer: '', clientId: ' ', redirectUri: '/callback' }, { serverIssuer: null, savedSecret: false })).toEqual({
      issuer: 'issuerRequired',
      clientId: 'clientIdRequired',
      redirectUri: 'redirectUriInvalid',
    });
    expect(checkTargetForm({ ...issuerForm, issuer: 'https://tenant.example/?x=1' }, { serverIssuer: null, savedSecret: false })).toEqual({
      issuer: 'issuerInvalid',
    });
  });

  it('needs a secret for a new secret target, not when one is saved already', () => {
    expect(checkTargetForm({ ...issuerForm, secret: '' }, { serverIssuer: null, savedSecret: false })).toEqual({ secret: 'secretRequired' });
    expect(checkTargetForm({ ...issuerForm, secret: '' }, { serverIssuer: null, savedSecret: true })).toEqual({});
  });

  it('needs an application of a running server for an embedded target', () => {
    const embedded: TargetForm = { ...issuerForm, source: 'embedded', applicationId: '' };
    expect(checkTargetForm(embedded, { serverIssuer: 'http://127.0.0.1:1/', savedSecret: false })).toEqual({ application: 'applicationRequired' });
    expect(checkTargetForm({ ...embedded, applicationId: 'app' }, { serverIssuer: null, savedSecret: false })).toEqual({ application: 'serverStopped' });
  });
});

describe('Target dialog › the target saved', () => {
  it('builds another issuer’s target (host as default name, audience trimmed) and prefills it back', () => {
    const target = targetOf(issuerForm, { id: 't-00000001', serverIssuer: 'http://127.0.0.1:1/', applicationName: undefined });
    expect(target).toEqual<FlowTarget>({
      id: 't-00000001',
      name: 'tenant.example',
      issuer: 'https://tenant.example/',
      client_id: 'abc',
      auth: { method: 'client_secret_post', hasSecret: false },
      redirect_uri: 'http://127.0.0.1:47811/callback',
      scope: 'openid',
      audience: 'https://api.example/',
      embedded: false,
    });
    expect(formOf({ ...target, auth: { ...target.auth, hasSecret: true } })).toEqual({
      ...issuerForm,
      name: 'tenant.example',
      secret: '',
      audience: 'https://api.example/',
    });
  });

  it('saves "keep the session between runs" only when ticked, and prefills it back', () => {
    const context = { id: 't-00000002', serverIssuer: null, applicationName: undefined };
    const kept = targetOf({ ...issuerForm, keepSession: true }, context);
    expect(kept.keepSession).toBe(true);
    expect(formOf(kept).keepSession).toBe(true);
    // Unticked: no field at all, so the target means what a target saved before the option meant (a fresh session).
    expect(targetOf(issuerForm, context)).not.toHaveProperty('keepSession');
    expect(formOf(targetOf(issuerForm, context)).keepSession).toBe(false);
  });
});

describe('Target dialog › an extra CA certificate', () => {
  const pem = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIBATAKBggqhkjOPQQDAjAA\n-----END CERTIFICATE-----';
  const context = { id: 't-00000003', serverIssuer: 'http://127.0.0.1:1/', applicationName: 'App' };

  it('is saved (trimmed) for another issuer, prefilled back, and left out when empty', () => {
    const target = targetOf({ ...issuerForm, extraCa: `\n${pem}\n` }, context);
    expect(target.extraCa).toBe(pem);
    expect(formOf(target).extraCa).toBe(pem);
    expect(targetOf(issuerForm, context)).not.toHaveProperty('extraCa');
    expect(formOf(targetOf(issuerForm, context)).extraCa).toBe('');
  });

  it('is never saved for an embedded target (its issuer is this machine, over http)', () => {
    expect(targetOf({ ...issuerForm, source: 'embedded', applicationId: 'app', extraCa: pem }, context)).not.toHaveProperty('extraCa');
  });

  it('must look like a PEM certificate; the check names the field', () => {
    expect(checkTargetForm({ ...issuerForm, extraCa: 'MIIB…' }, { serverIssuer: null, savedSecret: false })).toEqual({ extraCa: 'extraCaInvalid' });
    expect(checkTargetForm({ ...issuerForm, extraCa: pem }, { serverIssuer: null, savedSecret: false })).toEqual({});
  });
});

describe('Target dialog › DPoP', () => {
  const context = { id: 't-00000004', serverIssuer: null, applicationName: undefined };

  it('saves the DPoP key and the code binding when a key is chosen, prefills them back, and leaves DPoP out otherwise', () => {
    const target = targetOf({ ...issuerForm, dpopKeyId: 'k-dpop-001', dpopBindCode: true }, context);
    expect(target.dpop).toEqual({ keyId: 'k-dpop-001', bindCode: true });
    expect(formOf(target)).toMatchObject({ dpopKeyId: 'k-dpop-001', dpopBindCode: true });
    expect(targetOf({ ...issuerForm, dpopKeyId: 'k-dpop-001', dpopBindCode: false }, context).dpop).toEqual({ keyId: 'k-dpop-001', bindCode: false });
    // No key: no field at all, so the target means what a target saved before DPoP meant (Bearer tokens).
    expect(targetOf({ ...issuerForm, dpopKeyId: '', dpopBindCode: true }, context)).not.toHaveProperty('dpop');
    expect(targetOf(issuerForm, context)).not.toHaveProperty('dpop');
    expect(formOf(targetOf(issuerForm, context)).dpopKeyId).toBeUndefined();
  });
});
