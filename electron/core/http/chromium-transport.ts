/**
 * The core's transport in the app: Chromium's network stack through Electron's `net` module, so the
 * system's proxy settings (PAC and WPAD included) and the OS certificate store apply, as in a browser on
 * the same machine (corporate TLS inspection included).
 *
 * It is built over `net.request` (Electron's ClientRequest), not `net.fetch`: with `redirect: 'manual'`,
 * net.fetch rejects ("Redirect was cancelled") instead of answering the 3xx, and the request policy needs
 * that answer to check a redirect's Location before following it (http/request-policy.ts). ClientRequest
 * announces the redirect with its status and headers; this answers it as a Response and drops the request.
 *
 * This module never imports `electron` (the core does not): the shell passes `net.request` in.
 */
import type { CoreFetch } from './request-policy';
import type { NetworkFailureKind } from './network-error';
import { NetworkError, certificateMessage, proxyMessage } from './network-error';
import { readPeerCertificate } from './peer-certificate';

/** What is passed to `net.request` (a subset of Electron's ClientRequestConstructorOptions). */
export interface ChromiumRequestOptions {
  method: string;
  url: string;
  redirect: 'manual';
  /** No cookie jar: the core's requests carry only what the flow puts in them. */
  useSessionCookies: false;
  /** Never answered from Chromium's HTTP cache: a fixed discovery document shows at once. */
  cache: 'no-store';
}

/** The parts of Electron's IncomingMessage read here. */
export interface ChromiumResponse {
  statusCode: number;
  statusMessage: string;
  headers: Record<string, string | string[]>;
  on(event: string, listener: (...args: never[]) => void): unknown;
}

/** The parts of Electron's ClientRequest used here. */
export interface ChromiumRequest {
  setHeader(name: string, value: string): void;
  on(event: string, listener: (...args: never[]) => void): unknown;
  write(chunk: string): unknown;
  end(): unknown;
  abort(): void;
}

/** What the shell hands in. */
export interface ChromiumTransportOptions {
  /** `net.request`. */
  request: (options: ChromiumRequestOptions) => ChromiumRequest;
  /** `session.defaultSession.resolveProxy`: names the proxy in a proxy failure ("PROXY host:port; DIRECT"). */
  resolveProxy?: (url: string) => Promise<string>;
}

/** Headers Chromium sets itself (setting them throws net::ERR_INVALID_ARGUMENT). */
const MANAGED_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'accept-encoding']);
const NULL_BODY = new Set([101, 204, 205, 304]);

function headersOf(raw: Record<string, string | string[]>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  return headers;
}

/** The first proxy of a PAC-style answer ("PROXY h:p; DIRECT"), as a URL; undefined for DIRECT. */
export function proxyOfPac(answer: string): URL | undefined {
  const first = answer.split(';')[0]?.trim() ?? '';
  const match = /^(PROXY|HTTPS|SOCKS|SOCKS4|SOCKS5)\s+(\S+)$/i.exec(first);
  if (!match) return undefined;
  const scheme = { PROXY: 'http', HTTPS: 'https', SOCKS: 'socks4', SOCKS4: 'socks4', SOCKS5: 'socks5' }[match[1]!.toUpperCase() as 'PROXY'];
  try {
    return new URL(`${scheme}://${match[2]}`);
  } catch {
    return undefined;
  }
}

/** Chromium's error name from a net error (its message is `net::ERR_…`). */
function chromiumCode(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return /net::(ERR_[A-Z_]+)/.exec(message)?.[1] ?? '';
}

const PROXY_AUTH = new Set(['ERR_PROXY_AUTH_REQUESTED', 'ERR_PROXY_AUTH_UNSUPPORTED', 'ERR_PROXY_AUTH_REQUESTED_WITH_NO_CONNECTION']);
const PROXY_CONFIG = new Set(['ERR_MANDATORY_PROXY_CONFIGURATION_FAILED', 'ERR_PAC_SCRIPT_FAILED', 'ERR_PAC_NOT_IN_DHCP']);
const UNREACHABLE: Record<string, Extract<NetworkFailureKind, 'refused' | 'dns' | 'reset' | 'timeout' | 'unreachable'>> = {
  ERR_CONNECTION_REFUSED: 'refused',
  ERR_NAME_NOT_RESOLVED: 'dns',
  ERR_NAME_RESOLUTION_FAILED: 'dns',
  ERR_CONNECTION_RESET: 'reset',
  ERR_CONNECTION_CLOSED: 'reset',
  ERR_EMPTY_RESPONSE: 'reset',
  ERR_CONNECTION_TIMED_OUT: 'timeout',
  ERR_TIMED_OUT: 'timeout',
  ERR_INTERNET_DISCONNECTED: 'unreachable',
  ERR_ADDRESS_UNREACHABLE: 'unreachable',
  ERR_NETWORK_CHANGED: 'unreachable',
  ERR_CONNECTION_FAILED: 'unreachable',
};

/** A Chromium net error, named. Errors that are not net errors (an abort) are returned as they came. */
export async function describeChromiumFailure(error: unknown, url: URL, resolveProxy?: (url: string) => Promise<string>): Promise<unknown> {
  const code = chromiumCode(error);
  if (code === '') return error;
  const full = `net::${code}`;
  const host = url.host;
  const proxy = async (): Promise<URL | undefined> => {
    try {
      return resolveProxy ? proxyOfPac(await resolveProxy(url.href)) : undefined;
    } catch {
      return undefined;
    }
  };
  const proxyName = async (): Promise<string> => {
    const found = await proxy();
    return found ? `${found.protocol}//${found.host}` : 'of the system settings';
  };
  if (code === 'ERR_PROXY_CONNECTION_FAILED')
    return new NetworkError('proxy-refused', proxyMessage('proxy-refused', await proxyName(), host), full, { cause: error });
  if (PROXY_AUTH.has(code))
    return new NetworkError(
      'proxy-auth',
      proxyMessage('proxy-auth', await proxyName(), host).replace(
        /: put the user name.*$/,
        ': Parley does not ask for proxy passwords; ask for an exemption for this host, or use a proxy that does not need one.',
      ),
      full,
      { cause: error },
    );
  if (code === 'ERR_TUNNEL_CONNECTION_FAILED')
    return new NetworkError(
      'proxy-failed',
      proxyMessage('proxy-failed', await proxyName(), host, `${full}: it refused to open a tunnel, or asked for a password`),
      full,
      { cause: error },
    );
  if (PROXY_CONFIG.has(code))
    return new NetworkError('proxy-failed', `The system's proxy configuration could not be used (${full}), so ${host} was not reached.`, full, {
      cause: error,
    });
  if (code.startsWith('ERR_CERT_') || code.startsWith('ERR_SSL_') || code === 'ERR_BAD_SSL_CLIENT_AUTH_CERT') {
    let kind: Extract<NetworkFailureKind, 'unknown-ca' | 'cert-expired' | 'cert-not-yet-valid' | 'hostname-mismatch' | 'tls'> = 'tls';
    if (code === 'ERR_CERT_AUTHORITY_INVALID') kind = 'unknown-ca';
    else if (code === 'ERR_CERT_COMMON_NAME_INVALID') kind = 'hostname-mismatch';
    else if (code === 'ERR_CERT_DATE_INVALID') kind = 'cert-expired';
    const via = await proxy();
    const cert = kind === 'tls' ? undefined : await readPeerCertificate(url, via?.protocol === 'http:' ? via : undefined);
    // Chromium says only "date invalid": the certificate tells which end of its validity was missed.
    if (kind === 'cert-expired' && cert && Date.parse(cert.validFrom) > Date.now()) kind = 'cert-not-yet-valid';
    return new NetworkError(kind, certificateMessage(kind, host, full, cert), full, { cause: error });
  }
  const kind = UNREACHABLE[code];
  if (kind === 'refused')
    return new NetworkError(kind, `${host} is unreachable: the connection was refused (${full}); check the URL and that the server is running.`, full, {
      cause: error,
    });
  if (kind === 'dns') return new NetworkError(kind, `${url.hostname} is unreachable: the host name could not be resolved (${full}).`, full, { cause: error });
  if (kind === 'reset') return new NetworkError(kind, `${host} closed the connection (${full}).`, full, { cause: error });
  if (kind === 'timeout') return new NetworkError(kind, `${host} is unreachable: the connection timed out (${full}).`, full, { cause: error });
  return new NetworkError('unreachable', `${host} is unreachable (${full}).`, full, { cause: error });
}

/** A fetch over Chromium's network stack (see the top of this file). */
export function chromiumFetch(options: ChromiumTransportOptions): CoreFetch {
  return (url, init) =>
    new Promise<Response>((resolve, reject) => {
      const target = new URL(url);
      const signal = init.signal ?? undefined;
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      let settled = false;
      const fail = (error: unknown): void => {
        if (settled) return;
        settled = true;
        void describeChromiumFailure(error, target, options.resolveProxy).then(reject);
      };
      const request = options.request({ method: (init.method ?? 'GET').toUpperCase(), url, redirect: 'manual', useSessionCookies: false, cache: 'no-store' });
      const onAbort = (): void => {
        request.abort();
        if (!settled) {
          settled = true;
          reject(signal?.reason);
        }
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      new Headers(init.headers).forEach((value, name) => {
        if (!MANAGED_HEADERS.has(name)) request.setHeader(name, value);
      });
      request.on('redirect', ((statusCode: number, _method: string, _redirectUrl: string, responseHeaders: Record<string, string | string[]>) => {
        // Answer the redirect itself; the request is dropped, so nothing at its Location is fetched.
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        request.abort();
        resolve(new Response(null, { status: statusCode, headers: headersOf(responseHeaders) }));
      }) as (...args: never[]) => void);
      request.on('response', ((response: ChromiumResponse) => {
        if (settled) return;
        settled = true;
        const method = (init.method ?? 'GET').toUpperCase();
        const empty = NULL_BODY.has(response.statusCode) || method === 'HEAD';
        const body = empty
          ? null
          : new ReadableStream<Uint8Array>({
              start(controller) {
                response.on('data', ((chunk: Buffer) => controller.enqueue(new Uint8Array(chunk))) as (...args: never[]) => void);
                response.on('end', (() => {
                  signal?.removeEventListener('abort', onAbort);
                  controller.close();
                }) as (...args: never[]) => void);
                response.on('error', ((e: Error) => controller.error(e)) as (...args: never[]) => void);
              },
              cancel() {
                request.abort();
              },
            });
        const out = new Response(body, { status: response.statusCode, statusText: response.statusMessage, headers: headersOf(response.headers) });
        Object.defineProperty(out, 'url', { value: url });
        resolve(out);
      }) as (...args: never[]) => void);
      request.on('error', ((e: Error) => fail(e)) as (...args: never[]) => void);
      if (typeof init.body === 'string') request.write(init.body);
      else if (init.body !== undefined && init.body !== null) {
        fail(new TypeError('Only string request bodies are sent through Chromium here.'));
        request.abort();
        return;
      }
      request.end();
    });
}
