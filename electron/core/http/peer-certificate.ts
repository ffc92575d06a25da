/**
 * Reads the certificate a TLS server presents, ONLY to describe a failed verification ("issued by CN=…").
 * A failed handshake does not hand its certificate to the caller, so a second connection is opened with
 * verification off, the certificate is read, and the socket is destroyed before a single byte of
 * application data is sent: nothing is ever sent to, or accepted from, a server this way.
 *
 * Through a proxy, the second connection is tunnelled the same way (an HTTP CONNECT made with Node's http
 * client), so the certificate read is the one the failed request saw (a TLS-inspecting proxy's, say).
 */
import { request as httpRequest } from 'node:http';
import type { Socket } from 'node:net';
import { X509Certificate } from 'node:crypto';
import { connect as tlsConnect } from 'node:tls';
import type { CertificateFacts } from './network-error';

/** How long the description may take before the failure is reported without it. */
const PEEK_TIMEOUT_MS = 3000;

/** A distinguished name on one line ("CN=Dev CA, O=Example"), from X509Certificate's one-per-line form. */
function oneLine(name: string): string {
  return name.split('\n').filter(Boolean).join(', ');
}

/** The facts of a DER certificate (the leaf the server presented). */
export function certificateFacts(der: Buffer): CertificateFacts {
  const cert = new X509Certificate(der);
  return {
    subject: oneLine(cert.subject),
    issuer: oneLine(cert.issuer),
    validFrom: new Date(cert.validFrom).toISOString(),
    validTo: new Date(cert.validTo).toISOString(),
    ...(cert.subjectAltName ? { altNames: cert.subjectAltName } : {}),
  };
}

/** Opens a tunnel to host:port through an http proxy; resolves with the raw socket. */
function tunnel(proxy: URL, host: string, port: number, signal: AbortSignal): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const authorization = proxy.username
      ? { 'proxy-authorization': `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}` }
      : {};
    const req = httpRequest({
      host: proxy.hostname.replace(/^\[|\]$/g, ''),
      port: Number(proxy.port || 80),
      method: 'CONNECT',
      path: `${host}:${port}`,
      headers: { host: `${host}:${port}`, ...authorization },
      signal,
    });
    req.on('connect', (res, socket) => {
      if (res.statusCode === 200) resolve(socket);
      else {
        socket.destroy();
        reject(new Error(`proxy answered ${res.statusCode}`));
      }
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * The certificate `url`'s server presents (through `proxy` when the failed request went through one), or
 * undefined when it cannot be read within a few seconds. Never throws.
 */
export async function readPeerCertificate(url: URL, proxy?: URL): Promise<CertificateFacts | undefined> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || 443);
  const signal = AbortSignal.timeout(PEEK_TIMEOUT_MS);
  let socket: Socket | undefined;
  try {
    if (proxy) socket = await tunnel(proxy, host, port, signal);
    const raw = socket;
    return await new Promise<CertificateFacts | undefined>((resolve) => {
      // Verification off: this connection only reads the certificate, then is destroyed at once.
      const tls = tlsConnect({
        ...(raw ? { socket: raw } : { host, port }),
        servername: /^[\d.]+$|:/.test(host) ? '' : host,
        rejectUnauthorized: false,
        ALPNProtocols: ['http/1.1'],
      });
      const done = (facts: CertificateFacts | undefined): void => {
        tls.destroy();
        resolve(facts);
      };
      signal.addEventListener('abort', () => done(undefined), { once: true });
      tls.once('secureConnect', () => {
        const peer = tls.getPeerCertificate();
        done(peer && peer.raw ? certificateFacts(peer.raw) : undefined);
      });
      tls.once('error', () => done(undefined));
    });
  } catch {
    return undefined;
  } finally {
    socket?.destroy();
  }
}
