/**
 * The core's outgoing HTTP, composed once per core: the host's transport (Chromium's in the app, Node's
 * elsewhere) for every request, and, for a target that names an extra CA certificate, a transport that
 * trusts it on top of the defaults. Both are wrapped in the request policy, so no path bypasses it.
 */
import { X509Certificate } from 'node:crypto';
import { ParleyError } from '../../../shared/errors';
import { nodeTransport } from './node-transport';
import type { CoreFetch } from './request-policy';
import { withRequestPolicy } from './request-policy';

/** What a host may choose (CoreOptions.fetch / fetchWithCa). */
export interface CoreTransportOptions {
  /** The transport of every request; Node's (proxy variables honoured) by default. */
  fetch?: CoreFetch | undefined;
  /** A transport trusting extra CA certificates (PEM); Node's by default (also in the app: see chromium-transport.ts). */
  fetchWithCa?: ((pems: readonly string[]) => CoreFetch) | undefined;
  /** Where the default transports read HTTPS_PROXY, NO_PROXY, NODE_EXTRA_CA_CERTS; process.env by default. */
  env?: NodeJS.ProcessEnv | undefined;
}

/** The core's transports, policed. */
export interface CoreTransport {
  /** Every request that is not for a target with an extra CA. */
  readonly fetch: CoreFetch;
  /** The fetch for a target (or Check issuer) naming `extraCa`; the plain one without it. */
  forExtraCa(extraCa: string | undefined): CoreFetch;
  close(): Promise<void>;
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * The certificates of an extra CA field (one PEM, or several one after the other), each checked: it must
 * parse as an X.509 certificate and not have expired. Throws INVALID_INPUT naming the problem.
 */
export function extraCaCertificates(extraCa: string): string[] {
  const blocks = extraCa.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0)
    throw new ParleyError(
      'INVALID_INPUT',
      'The extra CA certificate is not a PEM certificate: paste the text from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----.',
    );
  return blocks.map((pem, index) => {
    const which = blocks.length > 1 ? `certificate ${index + 1} of the extra CA` : 'the extra CA certificate';
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(pem);
    } catch (cause) {
      throw new ParleyError(
        'INVALID_INPUT',
        `${which[0]!.toUpperCase()}${which.slice(1)} could not be read as an X.509 certificate (its base64 is damaged or it is not a certificate).`,
        { cause },
      );
    }
    if (Date.parse(cert.validTo) < Date.now()) {
      throw new ParleyError(
        'INVALID_INPUT',
        `${which[0]!.toUpperCase()}${which.slice(1)} (${cert.subject.split('\n').join(', ')}) expired on ${new Date(cert.validTo).toISOString()}.`,
      );
    }
    return pem;
  });
}

/** Composes the core's transports. */
export function coreTransport(options: CoreTransportOptions = {}): CoreTransport {
  const env = options.env ?? process.env;
  const owned: { close(): Promise<void> }[] = [];
  let plain: CoreFetch;
  if (options.fetch) plain = options.fetch;
  else {
    const node = nodeTransport({ env });
    owned.push(node);
    plain = node.fetch;
  }
  const policed = withRequestPolicy(plain);
  const withCa =
    options.fetchWithCa ??
    ((pems: readonly string[]): CoreFetch => {
      const node = nodeTransport({ env, extraCa: pems });
      owned.push(node);
      return node.fetch;
    });
  // One transport (and its pooled connections) per distinct CA text; targets are few.
  const byCa = new Map<string, CoreFetch>();
  return {
    fetch: policed,
    forExtraCa(extraCa) {
      const text = extraCa?.trim();
      if (!text) return policed;
      let found = byCa.get(text);
      if (found === undefined) {
        found = withRequestPolicy(withCa(extraCaCertificates(text)));
        byCa.set(text, found);
      }
      return found;
    },
    async close() {
      await Promise.all(owned.map((o) => o.close().catch(() => undefined)));
    },
  };
}
