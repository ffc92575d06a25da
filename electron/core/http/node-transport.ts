/**
 * The core's transport outside Electron (web mode, automation, tests), and in the app for a target with
 * an extra CA certificate (Chromium's net cannot take a CA per request; see docs/architecture.md):
 * undici's fetch over undici's dispatchers, so that
 *
 * - HTTPS_PROXY / HTTP_PROXY / NO_PROXY (and their lower-case forms) are honoured, with the NO_PROXY rules
 *   of curl and undici (a host or a domain suffix, an optional :port, `*` for everything);
 * - loopback (127.0.0.0/8, ::1, localhost) is never sent to a proxy: the embedded server and local
 *   issuers are on this machine, and a corporate proxy cannot reach them. A NO_PROXY entry `<-loopback>`
 *   (Chromium's spelling) asks for loopback to be proxied too (to watch local traffic in a debugging proxy);
 * - NODE_EXTRA_CA_CERTS applies as for any Node program; a target's extra CA is trusted on top of it;
 * - failures are named (NetworkError): which proxy refused or wants a password, whose certificate was not
 *   trusted and who issued it, when it expired, which names it holds.
 *
 * The proxy is chosen here (not by undici's EnvHttpProxyAgent, which follows the same variables) because
 * naming a failure needs to know which proxy a request went through, and EnvHttpProxyAgent keeps that private.
 */
import { readFileSync } from 'node:fs';
import * as tls from 'node:tls';
import { Agent, ProxyAgent, fetch as undiciFetch } from 'undici';
import type { Dispatcher } from 'undici';
import type { CoreFetch } from './request-policy';
import { isLoopbackHost } from './request-policy';
import type { NetworkFailureKind } from './network-error';
import { NetworkError, certificateMessage, proxyMessage, shownProxy } from './network-error';
import { readPeerCertificate } from './peer-certificate';

/** The proxy configuration read from the environment. */
export interface ProxySettings {
  httpsProxy?: URL;
  httpProxy?: URL;
  /** NO_PROXY entries: a host name (or domain suffix) and an optional port (0 = any). */
  noProxy: { host: string; port: number }[];
  /** NO_PROXY is `*`: nothing is proxied. */
  noProxyAll: boolean;
  /** NO_PROXY holds `<-loopback>`: loopback is proxied too. */
  proxyLoopback: boolean;
}

/** A variable's value, lower-case form first (as curl and undici read them). */
function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name.toLowerCase()] ?? env[name.toUpperCase()];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** A proxy URL from a variable; `host:port` alone means http. Throws a NetworkError naming the variable. */
function proxyUrl(name: string, value: string | undefined): URL | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value.includes('://') ? value : `http://${value}`);
  } catch (cause) {
    throw new NetworkError('proxy-failed', `${name} is not a valid proxy URL (expected http://host:port).`, 'ERR_INVALID_PROXY', { cause });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new NetworkError(
      'proxy-failed',
      `${name} uses ${url.protocol} proxies, which Parley does not support outside the app: use an http:// or https:// proxy.`,
      'ERR_INVALID_PROXY',
    );
  }
  return url;
}

/** Reads HTTPS_PROXY, HTTP_PROXY and NO_PROXY. Throws a NetworkError when a proxy variable is not a URL. */
export function proxySettingsFrom(env: NodeJS.ProcessEnv): ProxySettings {
  const httpsProxy = proxyUrl('HTTPS_PROXY', envValue(env, 'https_proxy'));
  const httpProxy = proxyUrl('HTTP_PROXY', envValue(env, 'http_proxy'));
  const entries = (envValue(env, 'no_proxy') ?? '').split(/[,\s]+/).filter(Boolean);
  const noProxy: ProxySettings['noProxy'] = [];
  let proxyLoopback = false;
  for (const entry of entries) {
    if (entry === '<-loopback>') {
      proxyLoopback = true;
      continue;
    }
    const withPort = /^(.+):(\d+)$/.exec(entry);
    const host = (withPort ? withPort[1]! : entry).replace(/^\*?\./, '').toLowerCase();
    noProxy.push({ host, port: withPort ? Number(withPort[2]) : 0 });
  }
  return { ...(httpsProxy ? { httpsProxy } : {}), ...(httpProxy ? { httpProxy } : {}), noProxy, noProxyAll: entries.includes('*'), proxyLoopback };
}

/** The proxy a request to `url` goes through, or undefined for a direct connection. */
export function proxyFor(url: URL, settings: ProxySettings): URL | undefined {
  if (isLoopbackHost(url.hostname) && !settings.proxyLoopback) return undefined;
  const proxy = url.protocol === 'https:' ? (settings.httpsProxy ?? settings.httpProxy) : settings.httpProxy;
  if (proxy === undefined || settings.noProxyAll) return undefined;
  const host = url.hostname.toLowerCase();
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  for (const entry of settings.noProxy) {
    if (entry.port !== 0 && entry.port !== port) continue;
    if (host === entry.host || host.endsWith(`.${entry.host}`)) return undefined;
  }
  return proxy;
}

/**
 * The certificates Node trusts by default, for an explicit `ca` list (which replaces the defaults): its
 * bundled roots, NODE_EXTRA_CA_CERTS and, where Node can read it (22.15 and later, so in the app), the
 * OS store.
 */
function defaultRoots(env: NodeJS.ProcessEnv): string[] {
  const getCACertificates = (tls as { getCACertificates?: (type: 'default' | 'system') => string[] }).getCACertificates;
  if (typeof getCACertificates === 'function') {
    let system: string[] = [];
    try {
      system = getCACertificates('system');
    } catch {
      system = [];
    }
    return [...new Set([...getCACertificates('default'), ...system])];
  }
  const extraFile = env['NODE_EXTRA_CA_CERTS'];
  let extra: string[] = [];
  if (extraFile) {
    try {
      extra = [readFileSync(extraFile, 'utf8')];
    } catch {
      // Node itself only warns about an unreadable NODE_EXTRA_CA_CERTS; so does this (by not adding it).
      extra = [];
    }
  }
  return [...tls.rootCertificates, ...extra];
}

/** What a transport is made with. */
export interface NodeTransportOptions {
  /** Where the proxy variables (and NODE_EXTRA_CA_CERTS) are read; process.env by default. */
  env?: NodeJS.ProcessEnv;
  /** PEM certificates trusted in addition to the defaults (a target's extra CA). */
  extraCa?: readonly string[];
}

/** A fetch over Node's network stack, and its connections to close. */
export interface NodeTransport {
  readonly fetch: CoreFetch;
  close(): Promise<void>;
}

const UNKNOWN_CA = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'CERT_CHAIN_TOO_LONG',
]);
const TLS_CODE = /^(CERT_|ERR_TLS_|ERR_SSL_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH|ERR_CERT|UND_ERR_SECURE_PROXY|EPROTO)/;
const PROXY_UNREACHABLE = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/** The first `code` (and its error) in an error's cause chain. */
function codeOf(error: unknown): { code: string; error: unknown } {
  let current: unknown = error;
  for (let i = 0; i < 5 && current; i++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_ABORTED') return { code, error: current };
    const message = (current as { message?: unknown }).message;
    if (typeof message === 'string' && /^Proxy response \(\d+\)/.test(message)) return { code: 'UND_ERR_PROXY_RESPONSE', error: current };
    current = (current as { cause?: unknown }).cause;
  }
  return { code: '', error };
}

/**
 * A failure of undici's fetch, named: proxy and certificate failures become a NetworkError; anything
 * else (an abort, a refused or unresolved server without a proxy) is returned as it came, for the caller's
 * own wording.
 */
export async function describeNodeFailure(error: unknown, url: URL, proxy: URL | undefined): Promise<unknown> {
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'AbortError' || name === 'TimeoutError') return error;
  const { code, error: inner } = codeOf(error);
  const host = url.host;
  const detail = inner instanceof Error ? inner.message : '';
  if (proxy) {
    const shown = shownProxy(proxy);
    if (code === 'UND_ERR_PROXY_RESPONSE') {
      const status = Number(/\((\d+)\)/.exec(detail)?.[1] ?? 0);
      if (status === 407) return new NetworkError('proxy-auth', proxyMessage('proxy-auth', shown, host), 'HTTP 407', { cause: error });
      return new NetworkError('proxy-failed', proxyMessage('proxy-failed', shown, host, `it answered HTTP ${status} to CONNECT`), `HTTP ${status}`, {
        cause: error,
      });
    }
    if (code === 'ECONNREFUSED') return new NetworkError('proxy-refused', proxyMessage('proxy-refused', shown, host), code, { cause: error });
    if (PROXY_UNREACHABLE.has(code)) return new NetworkError('proxy-unreachable', proxyMessage('proxy-unreachable', shown, host, code), code, { cause: error });
  }
  if (!TLS_CODE.test(code)) return error;
  let kind: Extract<NetworkFailureKind, 'unknown-ca' | 'cert-expired' | 'cert-not-yet-valid' | 'hostname-mismatch' | 'tls'> = 'tls';
  if (UNKNOWN_CA.has(code)) kind = 'unknown-ca';
  else if (code === 'CERT_HAS_EXPIRED') kind = 'cert-expired';
  else if (code === 'CERT_NOT_YET_VALID') kind = 'cert-not-yet-valid';
  else if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' || code === 'HOSTNAME_MISMATCH') kind = 'hostname-mismatch';
  const cert = kind === 'tls' ? undefined : await readPeerCertificate(url, proxy?.protocol === 'http:' ? proxy : undefined);
  return new NetworkError(kind, certificateMessage(kind, host, code, cert, detail), code, { cause: error });
}

/** Creates a transport; the proxy variables are read once, here. */
export function nodeTransport(options: NodeTransportOptions = {}): NodeTransport {
  const env = options.env ?? process.env;
  let settings: ProxySettings | NetworkError;
  try {
    settings = proxySettingsFrom(env);
  } catch (e) {
    // Reported on every request (not at startup), so a bad variable never stops Parley from starting.
    settings = e as NetworkError;
  }
  const ca = options.extraCa && options.extraCa.length > 0 ? [...defaultRoots(env), ...options.extraCa] : undefined;
  const direct = new Agent(ca ? { connect: { ca } } : {});
  const proxied = new Map<string, ProxyAgent>();
  const dispatcherFor = (proxy: URL | undefined): Dispatcher => {
    if (proxy === undefined) return direct;
    let agent = proxied.get(proxy.href);
    if (agent === undefined) {
      agent = new ProxyAgent({ uri: proxy.href, ...(ca ? { requestTls: { ca } } : {}) });
      proxied.set(proxy.href, agent);
    }
    return agent;
  };
  const fetchFn: CoreFetch = async (url, init) => {
    if (settings instanceof NetworkError) throw settings;
    const target = new URL(url);
    const proxy = proxyFor(target, settings);
    try {
      // undici's own fetch with its own dispatcher: Node 20's global fetch bundles an older undici, whose
      // dispatcher interface the npm package's agents do not promise to match.
      return (await undiciFetch(url, { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher: dispatcherFor(proxy) })) as unknown as Response;
    } catch (e) {
      throw await describeNodeFailure(e, target, proxy);
    }
  };
  return {
    fetch: fetchFn,
    async close() {
      await Promise.all([direct.close(), ...[...proxied.values()].map((a) => a.close())]);
    },
  };
}
