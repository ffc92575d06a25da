/**
 * mTLS client certificates (RFC 8705 §3; Auth0's "mTLS Sender Constraining", DA5 in
 * ../shared/spec/dpop-rules.md). Over https the server asks every client for a certificate but does not
 * require one (app.ts: `requestCert: true`, `rejectUnauthorized: false`), so browsers and SDKs without one
 * connect as before. This is the one place that reads the certificate off the TLS socket; the token endpoint
 * binds an access token to it (`cnf.x5t#S256`) when the API's `proof_of_possession.mechanism` is `mtls`, and
 * /userinfo checks a certificate-bound token against the certificate of its own connection.
 *
 * The certificate is not verified against any CA: Auth0 leaves that to the customer's edge (self-managed
 * certificates) or to mTLS client authentication, neither of which the emulator has; binding needs only the
 * certificate the client proved it holds in the handshake.
 */
import { createHash } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { FastifyRequest } from 'fastify';

/** The client certificate of a connection. */
export interface ClientCertificate {
  /** `x5t#S256`: base64url (no padding) of the SHA-256 of the certificate's DER (RFC 8705 §3.1). */
  thumbprint: string;
  /** The subject's common name, for the trace (empty when it has none). */
  subject: string;
}

/** RFC 8705 §3.1: the `x5t#S256` of a DER certificate. */
export function certificateThumbprint(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('base64url');
}

/** One certificate per connection: computed once, whatever number of requests the connection carries. */
const seen = new WeakMap<object, ClientCertificate | null>();

/** The certificate the client presented in the TLS handshake of this request's connection; undefined over http or without one. */
export function clientCertificate(request: FastifyRequest): ClientCertificate | undefined {
  const socket = request.raw.socket as Partial<TLSSocket> | undefined;
  if (socket === undefined || typeof socket.getPeerCertificate !== 'function') return undefined;
  let found = seen.get(socket);
  if (found === undefined) {
    // An empty object when the client sent none (Node's documented answer).
    const peer = socket.getPeerCertificate(false);
    found =
      peer?.raw instanceof Uint8Array
        ? { thumbprint: certificateThumbprint(peer.raw), subject: typeof peer.subject?.CN === 'string' ? peer.subject.CN : '' }
        : null;
    seen.set(socket, found);
  }
  return found ?? undefined;
}
