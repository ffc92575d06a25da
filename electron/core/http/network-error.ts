/**
 * A transport failure named plainly. Both transports of the core (Node's, http/node-transport.ts, and
 * Chromium's, http/chromium-transport.ts) turn their own error shapes (undici's "fetch failed" with a
 * `cause.code`, Chromium's `net::ERR_…`) into one of these, so every caller (flows, Check issuer,
 * jwt.verify, Break it) shows the same sentence: which proxy refused, which certificate was not trusted
 * and who issued it, when it expired, which names it holds.
 */

/** What went wrong on the way to the server. */
export type NetworkFailureKind =
  | 'proxy-refused'
  | 'proxy-unreachable'
  | 'proxy-auth'
  | 'proxy-failed'
  | 'unknown-ca'
  | 'cert-expired'
  | 'cert-not-yet-valid'
  | 'hostname-mismatch'
  | 'tls'
  | 'refused'
  | 'dns'
  | 'reset'
  | 'timeout'
  | 'unreachable';

/** A request that never got an answer; `message` is one sentence naming the cause. */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';

  constructor(
    readonly kind: NetworkFailureKind,
    message: string,
    /** The underlying code (ECONNREFUSED, UNABLE_TO_VERIFY_LEAF_SIGNATURE, net::ERR_CERT_AUTHORITY_INVALID…). */
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** True for a failure of the TLS handshake with the server (its certificate, mostly). */
  get isTls(): boolean {
    return (
      this.kind === 'unknown-ca' ||
      this.kind === 'cert-expired' ||
      this.kind === 'cert-not-yet-valid' ||
      this.kind === 'hostname-mismatch' ||
      this.kind === 'tls'
    );
  }
}

/** The parts of a server certificate a message shows (read only to describe a failure). */
export interface CertificateFacts {
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  /** subjectAltName as OpenSSL writes it ("DNS:a.example, IP Address:127.0.0.1"), when present. */
  altNames?: string;
}

/** "the certificate CN=…, issued by CN=…" (or a plainer phrase when it could not be read). */
function certificatePhrase(cert: CertificateFacts | undefined): string {
  return cert ? `its certificate (subject ${cert.subject}) was issued by ${cert.issuer}` : 'its certificate';
}

/** The sentence for a certificate failure of `host`, with what was read of the certificate. */
export function certificateMessage(
  kind: 'unknown-ca' | 'cert-expired' | 'cert-not-yet-valid' | 'hostname-mismatch' | 'tls',
  host: string,
  code: string,
  cert: CertificateFacts | undefined,
  detail = '',
): string {
  switch (kind) {
    case 'unknown-ca':
      return `The TLS connection to ${host} failed: ${certificatePhrase(cert)}, a certificate authority this machine does not trust (${code}). If this is a development issuer, add its CA certificate to the target ("Extra CA certificate"); behind a TLS-inspecting proxy, trust the proxy's CA (see "Proxies and custom CAs" in the README).`;
    case 'cert-expired':
      return `The TLS connection to ${host} failed: its certificate${cert ? ` (subject ${cert.subject}, issued by ${cert.issuer})` : ''} expired${cert ? ` on ${cert.validTo}` : ''} (${code}).`;
    case 'cert-not-yet-valid':
      return `The TLS connection to ${host} failed: its certificate${cert ? ` (subject ${cert.subject})` : ''} is not valid yet${cert ? `: it starts on ${cert.validFrom}` : ''}; check this machine's clock (${code}).`;
    case 'hostname-mismatch':
      return `The TLS connection to ${host} failed: its certificate does not name ${host.replace(/:\d+$/, '')}${cert?.altNames ? ` (it names ${cert.altNames})` : cert ? ` (subject ${cert.subject})` : ''} (${code}).`;
    case 'tls':
      return `The TLS connection to ${host} failed (${code})${detail ? `: ${detail}` : ''}.`;
  }
}

/** The sentence for a proxy failure. `proxy` is the proxy's URL without credentials. */
export function proxyMessage(kind: 'proxy-refused' | 'proxy-unreachable' | 'proxy-auth' | 'proxy-failed', proxy: string, host: string, detail = ''): string {
  switch (kind) {
    case 'proxy-refused':
      return `The proxy ${proxy} refused the connection (the request to ${host} went nowhere): check the proxy settings (HTTPS_PROXY / HTTP_PROXY, or the system's).`;
    case 'proxy-unreachable':
      return `The proxy ${proxy} is unreachable${detail ? ` (${detail})` : ''}, so ${host} could not be reached: check the proxy settings.`;
    case 'proxy-auth':
      return `The proxy ${proxy} requires authentication (HTTP 407) before it connects to ${host}: put the user name and password in the proxy URL (http://user:password@proxy:port) or ask for an exemption (NO_PROXY).`;
    case 'proxy-failed':
      return `The proxy ${proxy} did not connect to ${host}${detail ? ` (${detail})` : ''}.`;
  }
}

/** A proxy URL as shown: without its user name and password. */
export function shownProxy(proxy: URL): string {
  return `${proxy.protocol}//${proxy.host}`;
}
