/**
 * mTLS client certificates in the embedded server (RFC 8705; Auth0's mTLS sender constraining, DA5 of
 * ../shared/spec/dpop-rules.md) and their collision with DPoP (DPB-15). The real server over https on
 * 127.0.0.1:0 with a certificate of the local CA (tls/local-ca.ts); client certificates are self-signed,
 * generated at test time with @peculiar/x509, and sent by node:https in the TLS handshake — so every
 * binding asserted here exists only because the server read the certificate off the TLS socket (without
 * `requestCert` the client never sends it, and the tokens below come back unbound).
 */
// tsyringe (under @peculiar/x509) needs the Reflect metadata API before it loads.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { createHash, createPrivateKey, webcrypto, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureLocalTls } from '../../../../../../electron/core/server/tls/local-ca';
import type { LocalTls } from '../../../../../../electron/core/server/tls/local-ca';
import type { Harness, TestClient } from '../endpoints/helpers';
import { Browser, CALLBACK, authorizeUrl, pkce, signIn, startServer } from '../endpoints/helpers';
import type { DpopKey } from './helpers';
import { credentialsOf, dpopKey, expectRule, mark, proof, tokenUrl, traceOf, userinfoUrl } from './helpers';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[1]);

/** A client certificate and its key (PEM), with its x5t#S256 computed here, apart from the server's code. */
interface ClientCert {
  certPem: string;
  keyPem: string;
  x5t: string;
}

async function clientCert(cn: string): Promise<ClientCert> {
  const keys = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: `CN=${cn}`,
    notBefore: new Date(Date.now() - 86_400_000),
    notAfter: new Date(Date.now() + 86_400_000),
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    keys,
  });
  const certPem = cert.toString('pem');
  const keyPem = createPrivateKey({ key: Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)), format: 'der', type: 'pkcs8' })
    .export({ type: 'pkcs8', format: 'pem' })
    .toString();
  return { certPem, keyPem, x5t: createHash('sha256').update(new X509Certificate(certPem).raw).digest('base64url') };
}

interface HttpsResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

const root = mkdtempSync(join(tmpdir(), 'parley-mtls-'));
let tls: LocalTls;
let h: Harness;
let c: TestClient;
let key: DpopKey;
let cert: ClientCert;
let otherCert: ClientCert;
const MTLS_API = 'https://mtls.example.com/';
const MTLS_REQUIRED_API = 'https://mtls-required.example.com/';
const OPEN_API = 'https://open.example.com/';

/** One request on a new TLS connection (no agent), with the client certificate when given. */
function send(url: string, init: { method?: string; headers?: Record<string, string>; body?: string; cert?: ClientCert | undefined }): Promise<HttpsResponse> {
  mark(h);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      {
        method: init.method ?? 'GET',
        headers: init.headers ?? {},
        ca: tls.caPem,
        agent: false,
        ...(init.cert ? { cert: init.cert.certPem, key: init.cert.keyPem } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) });
        });
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

/** POST /oauth/token over https, with a DPoP proof and a client certificate when given. */
function tokenRequest(fields: Record<string, string>, options: { dpop?: string; cert?: ClientCert } = {}): Promise<HttpsResponse> {
  return send(tokenUrl(h), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(options.dpop ? { dpop: options.dpop } : {}) },
    body: new URLSearchParams(fields).toString(),
    cert: options.cert,
  });
}

function clientCredentials(audience: string, options: { dpop?: string; cert?: ClientCert } = {}): Promise<HttpsResponse> {
  return tokenRequest({ grant_type: 'client_credentials', audience, ...credentialsOf(c) }, options);
}

const cnfOf = (res: HttpsResponse): unknown => decodeJwt(String(res.body.access_token)).cnf;

/** Signs the demo user in through /authorize over https (a browser trusting the local CA) and returns the code. */
async function codeOverHttps(client: TestClient, extra: Record<string, string> = {}): Promise<string> {
  const agent = new Agent({ connect: { ca: tls.caPem } });
  const browser = new Browser(
    async (url, init) => (await undiciFetch(url, { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher: agent })) as unknown as Response,
  );
  const callback = await signIn(
    h,
    browser,
    authorizeUrl(h, { client_id: client.client_id, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid profile', state: 's', ...extra }),
  );
  const code = callback.searchParams.get('code');
  if (code === null) throw new Error(`no code: ${callback.href}`);
  return code;
}

beforeAll(async () => {
  tls = await ensureLocalTls(root);
  h = await startServer({ consent: false }, { certPem: tls.certPem, keyPem: tls.keyPem });
  c = await h.client();
  key = await dpopKey();
  cert = await clientCert('Parley mTLS client');
  otherCert = await clientCert('Someone else');
  const directory = h.server.ctx.directory;
  directory.createResourceServer({ identifier: MTLS_API, proof_of_possession: { mechanism: 'mtls', required: false } });
  directory.createResourceServer({ identifier: MTLS_REQUIRED_API, proof_of_possession: { mechanism: 'mtls', required: true } });
  directory.createResourceServer({ identifier: OPEN_API });
  for (const audience of [MTLS_API, MTLS_REQUIRED_API, OPEN_API]) directory.createClientGrant({ client_id: c.client_id, audience, scope: [] });
});
afterAll(async () => {
  await h.close();
  rmSync(root, { recursive: true, force: true });
});
afterEach(() => {
  h.settings({ profile: 'auth0', dpopEnabled: true });
});

describe('DPB-1, DPB-3 › an mTLS API (mechanism mtls) binds the access token to the client certificate (DA5)', () => {
  it('a certificate in the handshake: cnf holds x5t#S256 only, token_type DPoP (disagreement 2), traced as bound to the certificate', async () => {
    const res = await clientCredentials(MTLS_API, { cert });
    expect(res.status).toBe(200);
    expect(res.body.token_type).toBe('DPoP');
    expect(cnfOf(res)).toEqual({ 'x5t#S256': cert.x5t });
    const trace = await expectRule(h, 'token', 'DPB-1', true);
    expect(trace.rules.find((r) => r.id === 'DPB-1')?.actual).toBe(`bound to the client certificate (x5t#S256 ${cert.x5t})`);
    expect(trace.rules.find((r) => r.id === 'DPB-3')?.actual).toBe(`DPoP, cnf.x5t#S256 ${cert.x5t}`);
    expect(trace.rules.find((r) => r.id === 'DPB-15')?.actual).toBe(`client certificate only (x5t#S256 ${cert.x5t})`);
  });

  it('each connection is bound to its own certificate', async () => {
    const res = await clientCredentials(MTLS_API, { cert: otherCert });
    expect(cnfOf(res)).toEqual({ 'x5t#S256': otherCert.x5t });
    expect(otherCert.x5t).not.toBe(cert.x5t);
  });

  it('the strict profile types a certificate-bound token Bearer (RFC 8705)', async () => {
    h.settings({ profile: 'strict' });
    const res = await clientCredentials(MTLS_API, { cert });
    expect(res.status).toBe(200);
    expect(res.body.token_type).toBe('Bearer');
    expect(cnfOf(res)).toEqual({ 'x5t#S256': cert.x5t });
  });

  it('no certificate with required: false — a Bearer token, no cnf (a client without a certificate still connects)', async () => {
    const res = await clientCredentials(MTLS_API);
    expect(res.status).toBe(200);
    expect(res.body.token_type).toBe('Bearer');
    expect(cnfOf(res)).toBeUndefined();
    await expectRule(h, 'token', 'DPB-1', true);
  });

  it('no certificate with required: true — refused 400 invalid_request, DPB-1 failed in the trace', async () => {
    const res = await clientCredentials(MTLS_REQUIRED_API);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_request', error_description: 'client certificate is required' });
    expect(res.headers['cache-control']).toBe('no-store');
    expect((await traceOf(h, 'token')).failedRule).toBe('DPB-1');
    const bound = await clientCredentials(MTLS_REQUIRED_API, { cert });
    expect(bound.status).toBe(200);
    expect(cnfOf(bound)).toEqual({ 'x5t#S256': cert.x5t });
  });

  it('a public client’s certificate is ignored (DA5: only confidential clients support mTLS binding)', async () => {
    const { client_secret: _unused, ...spa } = await h.client({ app_type: 'spa', token_endpoint_auth_method: 'none' });
    const { verifier, challenge } = pkce();
    const code = await codeOverHttps(spa, { audience: MTLS_API, code_challenge: challenge, code_challenge_method: 'S256' });
    const res = await tokenRequest(
      { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, client_id: spa.client_id, code_verifier: verifier },
      { cert },
    );
    expect(res.status).toBe(200);
    expect(res.body.token_type).toBe('Bearer');
    expect(cnfOf(res)).toBeUndefined();
    const dpb1 = (await traceOf(h, 'token')).rules.find((r) => r.id === 'DPB-1');
    expect(dpb1?.expected).toMatch(/client certificate sent by a public client \(ignored/);
    expect(dpb1?.actual).toBe('Bearer (client certificate ignored)');
  });

  it('an API whose mechanism is not mtls ignores the certificate: Bearer, traced as ignored', async () => {
    const res = await clientCredentials(OPEN_API, { cert });
    expect(res.status).toBe(200);
    expect(res.body.token_type).toBe('Bearer');
    expect(cnfOf(res)).toBeUndefined();
    const trace = await traceOf(h, 'token');
    expect(trace.rules.find((r) => r.id === 'DPB-1')?.actual).toBe('Bearer (client certificate ignored)');
  });
});

describe('DPB-15 › a DPoP proof and an mTLS client certificate in one token request', () => {
  it('Auth0 mode: the token is bound to the DPoP key only (cnf.jkt, never x5t#S256 beside it), even at an mTLS API', async () => {
    for (const audience of [MTLS_API, OPEN_API]) {
      const res = await clientCredentials(audience, { cert, dpop: await proof(key, { htu: tokenUrl(h) }) });
      expect(res.status, audience).toBe(200);
      expect(res.body.token_type).toBe('DPoP');
      expect(cnfOf(res)).toEqual({ jkt: key.jkt });
      const trace = await expectRule(h, 'token', 'DPB-15', true);
      expect(trace.rules.find((r) => r.id === 'DPB-15')?.actual).toBe(
        `DPoP proof (key ${key.jkt}) and client certificate (x5t#S256 ${cert.x5t}): the certificate is ignored`,
      );
      expect(trace.rules.find((r) => r.id === 'DPB-1')?.actual).toBe('bound to the DPoP key; the client certificate is ignored (DPB-15)');
    }
  });

  it('strict profile: 400 invalid_request "multiple proof-of-possession mechanisms are not allowed", DPB-15 failed, and the proof is not burnt', async () => {
    h.settings({ profile: 'strict' });
    // An ES256 proof is on the strict (FAPI) allow-list.
    const dpop = await proof(key, { htu: tokenUrl(h) });
    const res = await clientCredentials(MTLS_API, { cert, dpop });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_request', error_description: 'multiple proof-of-possession mechanisms are not allowed' });
    expect(res.headers['www-authenticate']).toBeUndefined();
    const trace = await traceOf(h, 'token');
    expect(trace.failedRule).toBe('DPB-15');
    expect(trace.rules.find((r) => r.id === 'DPB-15')?.expected).toBe('one proof-of-possession mechanism per token request (strict)');
    // Refused before the replay record (DPP-11): the same proof without the certificate is accepted.
    const alone = await clientCredentials(MTLS_API, { dpop });
    expect(alone.status).toBe(200);
  });

  it('strict profile: the refusal comes before the grant, so the code stays redeemable (DPB-8)', async () => {
    h.settings({ profile: 'strict' });
    // The strict profile wants PKCE, and redirect_uri repeated (RFC 6749 §4.1.3).
    const { verifier, challenge } = pkce();
    const code = await codeOverHttps(c, { audience: MTLS_API, code_challenge: challenge, code_challenge_method: 'S256' });
    const fields = { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: verifier, ...credentialsOf(c) };
    const refused = await tokenRequest(fields, { cert, dpop: await proof(key, { htu: tokenUrl(h) }) });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('invalid_request');
    expect((await traceOf(h, 'token')).failedRule).toBe('DPB-15');
    const retried = await tokenRequest(fields, { cert });
    expect(retried.status).toBe(200);
    expect(cnfOf(retried)).toEqual({ 'x5t#S256': cert.x5t });
  });

  it('either mechanism alone is no conflict in the strict profile', async () => {
    h.settings({ profile: 'strict' });
    expect((await clientCredentials(MTLS_API, { cert })).status).toBe(200);
    expect((await traceOf(h, 'token')).rules.some((r) => r.id === 'DPB-15' && !r.passed)).toBe(false);
    expect((await clientCredentials(OPEN_API, { dpop: await proof(key, { htu: tokenUrl(h) }) })).status).toBe(200);
  });
});

describe('DPB-12 › /userinfo with a certificate-bound access token', () => {
  let accessToken = '';

  beforeAll(async () => {
    // A user token for the mTLS API that also names /userinfo (openid): the code flow over https.
    const code = await codeOverHttps(c, { audience: MTLS_API });
    const res = await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK, ...credentialsOf(c) }, { cert });
    expect(res.status).toBe(200);
    accessToken = String(res.body.access_token);
    expect(decodeJwt(accessToken)).toMatchObject({ aud: [MTLS_API, userinfoUrl(h)], cnf: { 'x5t#S256': cert.x5t } });
  });

  const userinfo = (scheme: string, certificate?: ClientCert) =>
    send(userinfoUrl(h), { headers: { authorization: `${scheme} ${accessToken}` }, cert: certificate });

  it('accepted with the same certificate, with the DPoP scheme (Auth0) and with Bearer (RFC 8705)', async () => {
    for (const scheme of ['DPoP', 'Bearer']) {
      const res = await userinfo(scheme, cert);
      expect(res.status, scheme).toBe(200);
      expect(res.body.sub).toBeTruthy();
      const trace = await expectRule(h, 'userinfo', 'DPB-12', true);
      expect(trace.rules.find((r) => r.id === 'DPB-12')?.actual).toBe(`client certificate x5t#S256 ${cert.x5t} (${scheme} scheme)`);
    }
  });

  it('refused 401 invalid_token without the certificate, or with another one', async () => {
    for (const [certificate, actual] of [
      [undefined, 'no client certificate'],
      [otherCert, `client certificate x5t#S256 ${otherCert.x5t}`],
    ] as const) {
      const res = await userinfo('DPoP', certificate);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: 'invalid_token', error_description: 'certificate-bound access token requires the certificate it is bound to' });
      expect(res.headers['www-authenticate']).toBe(
        'DPoP error="invalid_token", error_description="certificate-bound access token requires the certificate it is bound to"',
      );
      const trace = await traceOf(h, 'userinfo');
      expect(trace.failedRule).toBe('DPB-12');
      expect(trace.rules.find((r) => r.id === 'DPB-12')?.actual).toBe(actual);
    }
    const bearer = await userinfo('Bearer');
    expect(bearer.status).toBe(401);
    expect(bearer.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token"/);
  });
});
