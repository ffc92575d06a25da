/**
 * The core's own requests to the embedded server over https (flows against the embedded target, Check
 * issuer, Inspect's remote keys, Break it) trust the data directory's local CA, and only for that origin:
 * every other URL keeps the host's transport and its trust. The CA is read from the running server at each
 * request, so a restart into (or out of) https, or onto another port, needs nothing else.
 *
 * It reuses the core transport's extra-CA path (http/transport.ts `forExtraCa`): the same Node transport a
 * target with a pasted CA gets, with the default roots plus this one certificate.
 */
import type { CoreTransport } from '../../http/transport';
import type { CoreFetch } from '../../http/request-policy';
import { withRequestPolicy } from '../../http/request-policy';

/** What the wrapper needs of the embedded server (EmbeddedServer.trustedCa). */
export interface EmbeddedCaSource {
  trustedCa(): { issuer: string; caPem: string } | null;
}

function sameOrigin(url: string, issuer: string): boolean {
  try {
    return new URL(url).origin === new URL(issuer).origin;
  } catch {
    return false; // the policy names an invalid URL
  }
}

/** The transport, with requests to the embedded https issuer's origin trusting its local CA. */
export function trustEmbeddedCa(transport: CoreTransport, server: EmbeddedCaSource): CoreTransport {
  const route = (other: CoreFetch): CoreFetch =>
    // Policed outside too: each redirect hop is routed again (a hop off the embedded origin loses the CA).
    withRequestPolicy(async (url, init) => {
      const trusted = server.trustedCa();
      if (trusted && sameOrigin(url, trusted.issuer)) return transport.forExtraCa(trusted.caPem)(url, init);
      return other(url, init);
    });
  const plain = route(transport.fetch);
  return {
    fetch: plain,
    forExtraCa: (extraCa) => (extraCa?.trim() ? route(transport.forExtraCa(extraCa)) : plain),
    close: () => transport.close(),
  };
}
