/**
 * `flows.discover` (the target dialog's "Check issuer"): the core fetches the discovery document and sums
 * up what the issuer supports; a failure is a ParleyError naming the problem plainly.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowHarness } from './helpers';
import { flowHarness } from './helpers';
import type { IssuerSummary } from '../../../../../shared/schemas/flows';

let h: FlowHarness;
let html: ReturnType<typeof createServer>;
let htmlBase: string;

beforeAll(async () => {
  h = await flowHarness();
  html = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' }).end('<html>a login portal</html>');
  });
  await new Promise<void>((r) => html.listen(0, '127.0.0.1', r));
  htmlBase = `http://127.0.0.1:${(html.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  html.close();
  await h.core.close();
});

async function discoverError(issuer: string): Promise<{ code: string; message: string; details?: Record<string, unknown> }> {
  const result = await h.core.dispatch('flows.discover', { issuer });
  if (result.ok) throw new Error(`expected flows.discover to fail for ${issuer}`);
  return result.error;
}

describe('flows.discover', () => {
  it('sums up the embedded server: its endpoints, PAR, and the client authentication methods', async () => {
    const issuer = h.core.server.running!.urls.issuer;
    const summary = await h.call<IssuerSummary>('flows.discover', { issuer });
    expect(summary).toMatchObject({
      issuer,
      authorization_endpoint: `${issuer}authorize`,
      token_endpoint: `${issuer}oauth/token`,
      pushed_authorization_request_endpoint: `${issuer}oauth/par`,
      jwks_uri: `${issuer}.well-known/jwks.json`,
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
    });
    // The Auth0 profile (the default) does not publish JAR algorithms, nor require PAR.
    expect(summary.request_object_signing_alg_values_supported).toBeUndefined();
    expect(summary.require_pushed_authorization_requests).toBeUndefined();
  });

  it('takes the issuer without its trailing slash too', async () => {
    const issuer = h.core.server.running!.urls.issuer;
    const summary = await h.call<IssuerSummary>('flows.discover', { issuer: issuer.replace(/\/$/, '') });
    expect(summary.issuer).toBe(issuer);
  });

  it('names an issuer nobody listens on as unreachable', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const error = await discoverError(`http://127.0.0.1:${port}/`);
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toBe(`127.0.0.1:${port} is unreachable (ECONNREFUSED): check the URL and that the server is running.`);
    expect(error.details).toEqual({ reason: 'issuer_unreachable' });
  });

  it('names an HTML page where the discovery document should be as not JSON', async () => {
    const error = await discoverError(htmlBase);
    expect(error.message).toBe(`The discovery document of ${htmlBase} is not JSON (HTTP 200, text/html).`);
    expect(error.details).toEqual({ reason: 'not_json' });
  });

  it('refuses an issuer that is not an http(s) URL before fetching anything', async () => {
    const error = await discoverError('ftp://example.com/');
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain('issuer');
  });
});
