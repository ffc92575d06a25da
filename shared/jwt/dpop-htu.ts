/**
 * DPoP `htu` comparison (dpop-rules.md DPP-9, §9 item 4, §11 "htu mismatch"): the URL the server computed
 * for the request against the proof's `htu`, both parsed with the WHATWG URL parser and normalised as
 * RFC 3986 §6.2.2 says, query and fragment ignored. Besides equal / not equal it says WHICH component
 * differs first and the usual cause, for the DPP-9 message and Explain's `htu` lens. Browser-safe.
 */

/** A component of an `htu`, in the order they are compared. */
export type HtuPart = 'url' | 'scheme' | 'host' | 'port' | 'path' | 'trailing-slash' | 'query' | 'fragment';

/**
 * The usual cause of a difference, for the explainer to name:
 * - `proxy`: TLS or the address was changed in front of the server (http vs https, an internal host or port);
 * - `path-prefix`: a mount path or reverse-proxy prefix on one side only;
 * - `default-port`: a default port (80/443) written for the other scheme, or a port where the other side has none;
 * - `trailing-slash`: the same path with and without a final `/`;
 * - `path-case`: the same path in another letter case (paths are case-sensitive);
 * - `another-endpoint`: a proof made for another endpoint (e.g. `/userinfo` sent to `/oauth/token`);
 * - `another-host`: a different host name (a custom domain against the canonical one, another tenant);
 * - `not-a-url`: the proof's `htu` is not an absolute http(s) URL.
 */
export type HtuCause = 'proxy' | 'path-prefix' | 'default-port' | 'trailing-slash' | 'path-case' | 'another-endpoint' | 'another-host' | 'not-a-url';

/** One side of the comparison, split into the components the lens shows. */
export interface HtuComponents {
  /** The normalised URL without query and fragment (what is compared). */
  normalised: string;
  scheme: string;
  host: string;
  /** The explicit port after normalisation ('' for the scheme's default). */
  port: string;
  path: string;
  /** The query as written, '' when none (ignored by the comparison). */
  query: string;
  /** The fragment as written, '' when none (ignored by the comparison). */
  fragment: string;
  /** The port as written before normalisation, when it was the scheme's default (":443" on https). */
  defaultPortWritten?: string;
}

/** The outcome of comparing a proof's `htu` with the URL the server computed. */
export interface HtuComparison {
  equal: boolean;
  /** The server's URL, normalised (undefined only if the server's own URL is not a URL: a server bug). */
  expected?: HtuComponents;
  /** The proof's `htu`, normalised (undefined when it is not an absolute http(s) URL). */
  actual?: HtuComponents;
  /** The first component that differs (absent when equal). */
  differs?: Exclude<HtuPart, 'query' | 'fragment'>;
  /** The usual cause of the difference (absent when equal). */
  cause?: HtuCause;
  /**
   * Components of the proof's `htu` that were ignored or normalised away: a query or fragment (stripped,
   * never the cause, DPP-9) and a default port written out. The lint shows them as notes.
   */
  ignored: ('query' | 'fragment' | 'default-port')[];
}

const UNRESERVED = /[A-Za-z0-9\-._~]/;
const DEFAULT_PORTS: Readonly<Record<string, string>> = { 'http:': '80', 'https:': '443' };

/**
 * RFC 3986 §6.2.2.1–6.2.2.2 on a path the WHATWG parser produced: escapes of unreserved characters are
 * decoded, every other escape is uppercased. The parser already lowercased scheme and host, dropped the
 * default port, turned an empty path into `/` and removed dot segments (§6.2.2.3, §6.2.3).
 */
function normalisePath(path: string): string {
  return path.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => {
    const char = String.fromCharCode(parseInt(hex, 16));
    return UNRESERVED.test(char) ? char : `%${hex.toUpperCase()}`;
  });
}

/**
 * The port as written, when it is the scheme's default: the parser drops `:443` from an https URL, so the
 * same text is parsed again under a non-special scheme (`parley-https:`), for which the parser keeps it.
 */
function writtenDefaultPort(text: string, protocol: string): string | undefined {
  let port: string;
  try {
    port = new URL(`parley-${text.trim()}`).port;
  } catch {
    return undefined;
  }
  return port !== '' && port === DEFAULT_PORTS[protocol] ? `:${port}` : undefined;
}

/** Parses and normalises one `htu`; undefined when it is not an absolute http(s) URL. */
export function normaliseHtu(text: string): HtuComponents | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  const path = normalisePath(url.pathname);
  const components: HtuComponents = {
    normalised: `${url.protocol}//${url.host}${path}`,
    scheme: url.protocol.slice(0, -1),
    host: url.hostname,
    port: url.port,
    path,
    query: url.search,
    fragment: url.hash,
  };
  const written = writtenDefaultPort(text, url.protocol);
  if (written !== undefined) components.defaultPortWritten = written;
  return components;
}

/** Loopback, private or link-local addresses, and names that are never a public tenant host. */
function isInternalHost(host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local') || host.endsWith('.internal')) return true;
  if (host.startsWith('[')) return host === '[::1]' || /^\[f[cd]/i.test(host) || /^\[fe80:/i.test(host);
  const octets = host.split('.').map(Number);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o))) return !host.includes('.');
  const [a, b] = octets as [number, number, number, number];
  return a === 127 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || a === 0;
}

/** The path difference and its cause. */
function pathCause(expected: string, actual: string): { differs: 'path' | 'trailing-slash'; cause: HtuCause } {
  const trim = (p: string) => (p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p);
  if (trim(expected) === trim(actual)) return { differs: 'trailing-slash', cause: 'trailing-slash' };
  if (expected.toLowerCase() === actual.toLowerCase()) return { differs: 'path', cause: 'path-case' };
  const e = trim(expected);
  const a = trim(actual);
  if (a.endsWith(e) || e.endsWith(a)) return { differs: 'path', cause: 'path-prefix' };
  return { differs: 'path', cause: 'another-endpoint' };
}

/**
 * Compares a proof's `htu` with the URL the server computed for the request (DPP-9). The server's URL
 * must come from configuration (the tenant's public base URL plus the route path), never from a `Host`
 * header (X-D24); this function only compares.
 */
export function compareHtu(serverUrl: string, proofHtu: string): HtuComparison {
  const expected = normaliseHtu(serverUrl);
  const actual = normaliseHtu(proofHtu);
  const ignored: HtuComparison['ignored'] = [];
  if (actual?.query) ignored.push('query');
  if (actual?.fragment) ignored.push('fragment');
  if (actual?.defaultPortWritten) ignored.push('default-port');
  const base = { ...(expected ? { expected } : {}), ...(actual ? { actual } : {}), ignored };
  if (expected === undefined || actual === undefined) return { ...base, equal: false, differs: 'url', cause: 'not-a-url' };
  if (expected.normalised === actual.normalised) return { ...base, equal: true };
  if (expected.scheme !== actual.scheme) return { ...base, equal: false, differs: 'scheme', cause: 'proxy' };
  if (expected.host !== actual.host) {
    return { ...base, equal: false, differs: 'host', cause: isInternalHost(actual.host) || isInternalHost(expected.host) ? 'proxy' : 'another-host' };
  }
  if (expected.port !== actual.port) {
    // A default port of the other scheme (https://host:80/) or a port where the server has none.
    const defaults = Object.values(DEFAULT_PORTS);
    return { ...base, equal: false, differs: 'port', cause: defaults.includes(actual.port) || defaults.includes(expected.port) ? 'default-port' : 'proxy' };
  }
  return { ...base, equal: false, ...pathCause(expected.path, actual.path) };
}
