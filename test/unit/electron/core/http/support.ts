/**
 * Real network parts for the transport tests, all on 127.0.0.1: a certificate authority made at test time
 * (@peculiar/x509), a TLS issuer serving a discovery document and a token endpoint, and a forward proxy
 * (Node's http server handling CONNECT, piping to the target with net.connect) that records what it
 * tunnelled and can ask for a password or send every tunnel to one local port.
 */
import { createPrivateKey, webcrypto } from 'node:crypto';
import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { connect, isIP } from 'node:net';
// @peculiar/x509's dependency injection needs the Reflect metadata polyfill loaded first.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[1]);

const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;
const DAY = 86_400_000;

let serial = 1;

async function keyPem(key: webcrypto.CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }).export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** A test CA that issues server certificates. */
export interface TestCa {
  pem: string;
  subject: string;
  issue(options: { names: string[]; cn?: string; notBefore?: Date; notAfter?: Date }): Promise<{ certPem: string; keyPem: string }>;
}

/** Makes a CA named `cn`. */
export async function testCa(cn: string): Promise<TestCa> {
  const keys = await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify']);
  const subject = `CN=${cn}, O=Parley tests`;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: String(serial++).padStart(2, '0'),
    subject,
    issuer: subject,
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + 30 * DAY),
    signingAlgorithm: SIGNING,
    publicKey: keys.publicKey,
    signingKey: keys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  } as Parameters<typeof x509.X509CertificateGenerator.create>[0]);
  return {
    pem: cert.toString('pem'),
    subject,
    async issue({ names, cn: leafCn, notBefore, notAfter }) {
      const leafKeys = await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify']);
      const leaf = await x509.X509CertificateGenerator.create({
        serialNumber: String(serial++).padStart(2, '0'),
        subject: `CN=${leafCn ?? names[0]}`,
        issuer: subject,
        notBefore: notBefore ?? new Date(Date.now() - DAY),
        notAfter: notAfter ?? new Date(Date.now() + 10 * DAY),
        signingAlgorithm: SIGNING,
        publicKey: leafKeys.publicKey,
        signingKey: keys.privateKey,
        extensions: [
          new x509.BasicConstraintsExtension(false),
          new x509.SubjectAlternativeNameExtension(names.map((n) => ({ type: isIP(n) ? ('ip' as const) : ('dns' as const), value: n }))),
          new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
          await x509.AuthorityKeyIdentifierExtension.create(cert),
        ],
      } as Parameters<typeof x509.X509CertificateGenerator.create>[0]);
      return { certPem: leaf.toString('pem'), keyPem: await keyPem(leafKeys.privateKey) };
    },
  };
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

function closeServer(server: Server, sockets: Set<Socket>): Promise<void> {
  for (const socket of sockets) socket.destroy();
  return new Promise((resolve) => server.close(() => resolve()));
}

function track(server: Server): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return sockets;
}

/** A TLS authorization server: a discovery document naming `issuer` (its public URL) and a token endpoint. */
export interface TlsIssuer {
  port: number;
  /** Paths requested, in order. */
  paths: string[];
  close(): Promise<void>;
}

/** Serves https on 127.0.0.1 with `certificate`; `issuer(port)` is the URL the document names. */
export async function tlsIssuer(certificate: { certPem: string; keyPem: string }, issuer: (port: number) => string): Promise<TlsIssuer> {
  const paths: string[] = [];
  let port = 0;
  const server = createHttpsServer({ cert: certificate.certPem, key: certificate.keyPem }, (req, res) => {
    paths.push(req.url ?? '');
    const base = issuer(port);
    if (req.url === '/.well-known/openid-configuration') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          issuer: base,
          authorization_endpoint: `${base}authorize`,
          token_endpoint: `${base}oauth/token`,
          jwks_uri: `${base}.well-known/jwks.json`,
          grant_types_supported: ['client_credentials'],
          token_endpoint_auth_methods_supported: ['client_secret_post'],
        }),
      );
      return;
    }
    if (req.url === '/oauth/token' && req.method === 'POST') {
      req.resume();
      req.on('end', () =>
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ access_token: 'opaque-test-token', token_type: 'Bearer', expires_in: 60 })),
      );
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not_found"}');
  });
  const sockets = track(server);
  port = await listen(server);
  return { port, paths, close: () => closeServer(server, sockets) };
}

/** A forward proxy on 127.0.0.1. */
export interface ForwardProxy {
  url: string;
  port: number;
  /** The CONNECT targets asked for (host:port), in order. */
  tunnels: string[];
  /** The Proxy-Authorization headers received. */
  authorizations: (string | undefined)[];
  close(): Promise<void>;
}

/**
 * A forward proxy: every CONNECT is recorded and piped (net.connect) to `routeTo` on 127.0.0.1 when given
 * (so a made-up host name reaches a local server, as a real proxy would resolve it), else to the host asked
 * for. With `password`, a CONNECT without `Proxy-Authorization: Basic base64(user:password)` gets 407.
 */
export async function forwardProxy(options: { routeTo?: number; password?: { user: string; password: string } } = {}): Promise<ForwardProxy> {
  const tunnels: string[] = [];
  const authorizations: (string | undefined)[] = [];
  const server = createHttpServer((_req, res) => res.writeHead(405).end());
  const sockets = track(server);
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    tunnels.push(req.url ?? '');
    authorizations.push(req.headers['proxy-authorization']);
    client.on('error', () => client.destroy());
    if (options.password) {
      const expected = `Basic ${Buffer.from(`${options.password.user}:${options.password.password}`).toString('base64')}`;
      if (req.headers['proxy-authorization'] !== expected) {
        client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="tests"\r\nContent-Length: 0\r\n\r\n');
        return;
      }
    }
    const target = new URL(`http://${req.url ?? ''}`);
    const upstream = connect(options.routeTo ?? Number(target.port), options.routeTo ? '127.0.0.1' : target.hostname, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}`, port, tunnels, authorizations, close: () => closeServer(server, sockets) };
}

/** A port on 127.0.0.1 nobody listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createHttpServer();
  const port = await listen(server);
  await new Promise((r) => server.close(r));
  return port;
}
