/**
 * Set-up for driving Auth0's own SDKs against the embedded server as a CI job would: the headless server
 * (EmbeddedServer, as `npm run server -- --https` starts it) over https with its local CA, and, for each SDK,
 * nothing but a `domain` (`127.0.0.1:PORT`) or `issuerBaseURL`, a client id, keys and the CA file.
 *
 * The SDKs trust the CA through the options they accept (a `fetch`/`customFetch` over an undici Agent with
 * the CA, an https.Agent for node-auth0's JWKS fetch); extra-ca-certs.test.ts runs the README's examples in a
 * child Node trusting it through NODE_EXTRA_CA_CERTS instead.
 */
import { generateKeyPairSync } from 'node:crypto';
import { Agent as HttpsAgent } from 'node:https';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, fetch as undiciFetch } from 'undici';
import { EventBus } from '../../../electron/core/events';
import { EmbeddedServer } from '../../../electron/core/server/embedded';
import type { ServerSettings } from '../../../electron/core/server/settings';
import { confStoreFactory } from '../../../electron/core/store/document-store';
import type { RequestTrace } from '../../../shared/schemas/server';
import type { RuleOutcome } from '../../../shared/jwt/rule';
import { Browser } from '../../helpers/browser';

/** An RSA key pair as an SDK takes it (PKCS#8 PEM) and as Auth0 registers it (SPKI PEM). */
export interface PemKeyPair {
  privatePem: string;
  publicPem: string;
}

/** A fresh RSA-2048 key pair. */
export function pemKeyPair(): PemKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** A running https server and what an SDK user is given: the domain, the CA file, the Management API client. */
export interface SdkServer {
  server: EmbeddedServer;
  /** `127.0.0.1:PORT`: what Auth0's SDKs take as `domain`. */
  domain: string;
  /** `https://127.0.0.1:PORT/`. */
  issuer: string;
  caFile: string;
  caPem: string;
  management: { clientId: string; clientSecret: string; audience: string };
  user: { email: string; password: string };
  /** Every trace the server recorded, oldest first. */
  traces: RequestTrace[];
  /** fetch trusting the local CA (undici, as an SDK's `fetch`/`customFetch` option). */
  fetch: typeof fetch;
  /** An https.Agent trusting the local CA (node-auth0's `agent`, used for its JWKS fetch). */
  httpsAgent: HttpsAgent;
  close(): Promise<void>;
}

/** Starts the embedded server over https in a fresh data directory. */
export async function startHttpsServer(launch: Partial<ServerSettings> = {}): Promise<SdkServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-sdk-'));
  const events = new EventBus();
  const traces: RequestTrace[] = [];
  // A listener also makes the server build each trace as it answers (onTraceActive), as the app does.
  events.subscribe((event) => {
    if (event.name === 'server.trace') traces.push(event.payload);
  });
  const server = new EmbeddedServer({
    store: confStoreFactory(dataDir),
    notices: [],
    events,
    port: 0,
    dataDir,
    launchSettings: { https: true, ...launch },
    log: () => {},
  });
  const status = await server.start();
  if (!status.running || !status.tls || !status.issuer) throw new Error(`the https server did not start: ${status.error ?? 'no TLS'}`);
  const caPem = readFileSync(status.tls.caFile, 'utf8');
  const agent = new Agent({ connect: { ca: caPem } });
  const httpsAgent = new HttpsAgent({ ca: caPem, keepAlive: false });
  const info = server.directory.bootstrapInfo();
  const trustedFetch = ((url: string | URL | Request, init?: RequestInit) => {
    // An SDK may pass its own `dispatcher` (node-auth0 passes its `agent`); this transport keeps the CA's.
    const { dispatcher: _ignored, ...rest } = (init ?? {}) as RequestInit & { dispatcher?: unknown };
    return undiciFetch(url as Parameters<typeof undiciFetch>[0], { ...(rest as Parameters<typeof undiciFetch>[1]), dispatcher: agent });
  }) as unknown as typeof fetch;
  return {
    server,
    domain: new URL(status.issuer).host,
    issuer: status.issuer,
    caFile: status.tls.caFile,
    caPem,
    management: { clientId: info.management.client_id, clientSecret: info.management.client_secret, audience: status.management!.audience },
    user: info.users[0]!,
    traces,
    fetch: trustedFetch,
    httpsAgent,
    async close() {
      await server.stop();
      httpsAgent.destroy();
      await agent.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The traces of an endpoint since `from` (an index into `traces`). */
export function tracesOf(s: SdkServer, endpoint: string, from = 0): RequestTrace[] {
  return s.traces.slice(from).filter((t) => t.endpoint === endpoint);
}

/** A rule's outcome in a trace. */
export function ruleIn(trace: RequestTrace | undefined, id: string): RuleOutcome | undefined {
  return trace?.rules.find((r) => r.id === id);
}

/** The hidden fields of a page's form. */
function hiddenFields(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) out[m[1]!] = m[2]!.replace(/&amp;/g, '&').replace(/&quot;/g, '"');
  return out;
}

/** A cookie-jar browser whose transport trusts the local CA (it also reaches plain-http apps on 127.0.0.1). */
export function browserFor(s: SdkServer): Browser {
  return new Browser((url, init) => s.fetch(url, init));
}

/**
 * Follows redirects from `startUrl` through the server's real sign-in form (and consent when shown), the
 * way a browser would, until a redirect leaves the server. Returns that URL (the app's callback).
 */
export async function signInThroughForm(s: SdkServer, browser: Browser, startUrl: string): Promise<URL> {
  let url = startUrl;
  let res = await browser.fetch(url);
  for (let hops = 0; hops < 10; hops++) {
    if (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.get('location')!, url).href;
      if (!url.startsWith(s.issuer)) return new URL(url);
      res = await browser.fetch(url);
      continue;
    }
    const html = await res.text();
    if (res.status !== 200) throw new Error(`unexpected ${res.status} at ${url}: ${html.slice(0, 500)}`);
    const fields = hiddenFields(html);
    const origin = s.issuer.slice(0, -1);
    const post = (path: string, extra: Record<string, string>) =>
      browser.fetch(`${s.issuer}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin, 'sec-fetch-site': 'same-origin' },
        body: new URLSearchParams({ ...fields, ...extra }),
      });
    if (url.includes('/u/login')) {
      res = await post('u/login', { email: s.user.email, password: s.user.password });
      url = `${s.issuer}u/login`;
    } else if (url.includes('/u/consent')) {
      res = await post('u/consent', { action: 'accept' });
      url = `${s.issuer}u/consent`;
    } else {
      throw new Error(`unexpected page ${url}`);
    }
  }
  throw new Error('too many redirects');
}
