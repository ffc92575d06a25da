/**
 * The local certificate authority behind the embedded server's HTTPS (`npm run server -- --https`, the
 * Server screen's switch). Auth0's SDKs build every URL as `https://{domain}/`, so a drop-in stand-in must
 * speak TLS; a self-signed leaf would have to be trusted name by name, a CA once per data directory.
 *
 * Kept in `<data dir>/tls/`:
 * - `ca.pem`: the CA certificate, the file users trust (NODE_EXTRA_CA_CERTS, curl --cacert, SSL_CERT_FILE…);
 * - `ca-key.pem`: its private key, mode 0600, never exported or shown (PKCS#8 PEM);
 * - `server.pem`, `server-key.pem`: the leaf for 127.0.0.1, ::1, localhost and any extra host names,
 *   re-issued whenever the names change, it nears expiry, or it was not issued by this CA.
 *
 * A CA that exists but cannot be read is an error, never silently replaced: a new CA would break every
 * trust already configured for this directory, with a far less readable TLS error elsewhere.
 * Reading existing files needs only Node's X509Certificate; @peculiar/x509 is loaded to issue one.
 */
// tsyringe (under @peculiar/x509) needs the Reflect metadata API before it loads.
import 'reflect-metadata';
import type * as X509 from '@peculiar/x509';
import { createHash, createPrivateKey, webcrypto, X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { nowMs } from '../../clock';
import { randomBytes } from '../../random';

/** The CA's lifetime: long, since re-trusting it is the costly part. */
export const CA_VALIDITY_DAYS = 3650;
/** The leaf's lifetime: within the CA/Browser Forum's 398-day cap (browsers refuse longer ones). */
export const LEAF_VALIDITY_DAYS = 397;
/** A leaf with less than this left is re-issued at start. */
export const LEAF_RENEW_DAYS = 30;
/** The names every leaf carries. */
export const BUILT_IN_NAMES: readonly string[] = ['127.0.0.1', '::1', 'localhost'];

const DAY_MS = 86_400_000;

/** The TLS material the server listens with. */
export interface LocalTls {
  /** The CA certificate file to trust. */
  caFile: string;
  /** The CA certificate (PEM). */
  caPem: string;
  /** The leaf certificate (PEM). */
  certPem: string;
  /** The leaf's private key (PKCS#8 PEM); held in memory by the server only. */
  keyPem: string;
  /** The names the leaf is valid for. */
  names: string[];
}

/** The local CA could not be used; the message names the file and what to do. */
export class LocalCaError extends Error {
  override readonly name = 'LocalCaError';
}

/** Where a data directory keeps its CA. */
export function tlsDir(dataDir: string): string {
  return join(dataDir, 'tls');
}

/**
 * Checks a `--host-name`: a DNS name (letters, digits, hyphens, dots; as RFC 1123 allows) or an IP
 * address. Returns it lower-cased; throws LocalCaError naming it otherwise.
 */
export function checkHostName(name: string): string {
  const value = name.trim().toLowerCase();
  if (isIP(value)) return value;
  const label = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
  if (value.length === 0 || value.length > 253 || !value.split('.').every((l) => label.test(l))) {
    throw new LocalCaError(`The host name ${JSON.stringify(name)} is not a DNS name or an IP address.`);
  }
  return value;
}

/** The leaf's names: the built-in ones, then the extra ones, each once. */
export function leafNames(extra: readonly string[] = []): string[] {
  return [...new Set([...BUILT_IN_NAMES, ...extra.map(checkHostName)])];
}

let x509Module: Promise<typeof X509> | undefined;

function loadX509(): Promise<typeof X509> {
  x509Module ??= (async () => {
    const x509 = await import('@peculiar/x509');
    x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof X509.cryptoProvider.set>[1]);
    return x509;
  })();
  return x509Module;
}

const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;

/** A random positive serial without a leading zero byte (RFC 5280 §4.1.2.2). */
function serialNumber(): string {
  const serial = randomBytes(16);
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x40;
  return serial.toString('hex');
}

/** A short stable id of the data directory, so two directories' CAs are told apart in a trust store. */
function directoryHash(dataDir: string): string {
  let path = dataDir;
  try {
    path = realpathSync(dataDir);
  } catch {
    // Not created yet: the path as given.
  }
  return createHash('sha256').update(path).digest('hex').slice(0, 8);
}

/** Writes a file atomically with `mode` (temp file + rename), so a crash never leaves half a key. */
function writeFileAtomic(path: string, text: string, mode: number): void {
  const temp = `${path}.tmp-${process.pid}`;
  writeFileSync(temp, text, { mode });
  chmodSync(temp, mode); // the umask may have narrowed it; never widened
  renameSync(temp, path);
}

async function exportKeyPem(key: webcrypto.CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  try {
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }).export({ type: 'pkcs8', format: 'pem' }).toString();
  } finally {
    der.fill(0);
  }
}

function pemOf(cert: X509.X509Certificate): string {
  return `${cert.toString('pem').replace(/\r\n/g, '\n').trim()}\n`;
}

/** The CA as read from disk. */
interface CaMaterial {
  cert: X509Certificate;
  pem: string;
  keyPem: string;
}

function readCa(dir: string): CaMaterial | undefined {
  const certFile = join(dir, 'ca.pem');
  const keyFile = join(dir, 'ca-key.pem');
  const certExists = existsSync(certFile);
  const keyExists = existsSync(keyFile);
  if (!certExists && !keyExists) return undefined;
  const fix = `Fix the file, or delete the folder ${dir} to create a new CA (then trust the new ca.pem again).`;
  if (!certExists || !keyExists) throw new LocalCaError(`The local CA in ${dir} is incomplete: ${certExists ? 'ca-key.pem' : 'ca.pem'} is missing. ${fix}`);
  let pem: string;
  let cert: X509Certificate;
  try {
    pem = readFileSync(certFile, 'utf8');
    cert = new X509Certificate(pem);
  } catch (e) {
    throw new LocalCaError(`The local CA certificate ${certFile} could not be read (${reason(e)}). ${fix}`, { cause: e });
  }
  let keyPem: string;
  try {
    keyPem = readFileSync(keyFile, 'utf8');
    const key = createPrivateKey(keyPem);
    if (!cert.checkPrivateKey(key)) throw new Error('it is not the key of ca.pem');
  } catch (e) {
    throw new LocalCaError(`The local CA key ${keyFile} could not be read (${reason(e)}). ${fix}`, { cause: e });
  }
  if (!cert.ca) throw new LocalCaError(`${certFile} is not a CA certificate (basicConstraints CA is not set). ${fix}`);
  if (Date.parse(cert.validTo) < nowMs() + LEAF_RENEW_DAYS * DAY_MS) {
    throw new LocalCaError(`The local CA ${certFile} expires on ${cert.validTo}. Delete the folder ${dir} to create a new CA, then trust the new ca.pem.`);
  }
  return { cert, pem, keyPem };
}

function reason(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return e instanceof Error ? e.message : String(e);
}

async function createCa(dir: string, dataDir: string): Promise<CaMaterial> {
  const x509 = await loadX509();
  const keys = await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify']);
  const name = `CN=Parley local CA (${directoryHash(dataDir)}),O=Parley`;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: name,
    issuer: name,
    notBefore: new Date(nowMs() - DAY_MS), // a day back: a host clock slightly behind still accepts it
    notAfter: new Date(nowMs() + CA_VALIDITY_DAYS * DAY_MS),
    signingAlgorithm: SIGNING,
    publicKey: keys.publicKey,
    signingKey: keys.privateKey,
    extensions: [
      // pathLen 0: this CA signs leaves only.
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  } as Parameters<typeof x509.X509CertificateGenerator.create>[0]);
  const pem = pemOf(cert);
  const keyPem = await exportKeyPem(keys.privateKey);
  // The key first: a ca.pem without its key would be "incomplete" at the next start.
  writeFileAtomic(join(dir, 'ca-key.pem'), keyPem, 0o600);
  writeFileAtomic(join(dir, 'ca.pem'), pem, 0o644);
  return { cert: new X509Certificate(pem), pem, keyPem };
}

/** The names in a certificate's subjectAltName (Node's text form: `DNS:a, IP Address:127.0.0.1`). */
function sanNames(cert: X509Certificate): string[] {
  return (cert.subjectAltName ?? '')
    .split(', ')
    .map((entry) => entry.replace(/^(DNS|IP Address):/, '').toLowerCase())
    .filter(Boolean);
}

/** The existing leaf, if it can still serve: issued by this CA, with these names, not near expiry. */
function usableLeaf(dir: string, ca: CaMaterial, names: readonly string[]): { certPem: string; keyPem: string } | undefined {
  try {
    const certPem = readFileSync(join(dir, 'server.pem'), 'utf8');
    const keyPem = readFileSync(join(dir, 'server-key.pem'), 'utf8');
    const cert = new X509Certificate(certPem);
    if (!cert.checkIssued(ca.cert) || !cert.verify(ca.cert.publicKey)) return undefined;
    if (!cert.checkPrivateKey(createPrivateKey(keyPem))) return undefined;
    if (Date.parse(cert.validTo) < nowMs() + LEAF_RENEW_DAYS * DAY_MS) return undefined;
    const have = sanNames(cert).sort();
    const want = [...names].map((n) => (isIP(n) === 6 ? expandIpv6(n) : n)).sort();
    if (have.length !== want.length || have.some((n, i) => n !== want[i])) return undefined;
    return { certPem, keyPem };
  } catch {
    // Missing or unreadable: the leaf is derived material, issued again.
    return undefined;
  }
}

/** Node prints IPv6 SANs in full form (0:0:0:0:0:0:0:1); compare in that form. */
function expandIpv6(address: string): string {
  const [head = '', tail = ''] = address.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t] : h;
  return groups.map((g) => g.replace(/^0+(?=.)/, '').toUpperCase()).join(':');
}

async function issueLeaf(dir: string, ca: CaMaterial, names: readonly string[]): Promise<{ certPem: string; keyPem: string }> {
  const x509 = await loadX509();
  const caKeyDer = createPrivateKey(ca.keyPem).export({ type: 'pkcs8', format: 'der' });
  let caKey: webcrypto.CryptoKey;
  try {
    caKey = await webcrypto.subtle.importKey('pkcs8', caKeyDer, EC, false, ['sign']);
  } finally {
    caKeyDer.fill(0);
  }
  const caCert = new x509.X509Certificate(ca.pem);
  const keys = await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify']);
  const sans = names.map((n) => ({ type: isIP(n) ? ('ip' as const) : ('dns' as const), value: n }));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: `CN=${names.includes('localhost') ? 'localhost' : (names[0] ?? 'localhost')},O=Parley`,
    issuer: caCert.subject,
    notBefore: new Date(nowMs() - DAY_MS),
    notAfter: new Date(nowMs() + LEAF_VALIDITY_DAYS * DAY_MS - DAY_MS),
    signingAlgorithm: SIGNING,
    publicKey: keys.publicKey,
    signingKey: caKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(sans),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  } as Parameters<typeof x509.X509CertificateGenerator.create>[0]);
  const certPem = pemOf(cert);
  const keyPem = await exportKeyPem(keys.privateKey);
  writeFileAtomic(join(dir, 'server-key.pem'), keyPem, 0o600);
  writeFileAtomic(join(dir, 'server.pem'), certPem, 0o644);
  return { certPem, keyPem };
}

/**
 * The TLS material for a data directory: creates the CA on first use, and the leaf whenever it is missing,
 * near expiry, for other names, or not from this CA. Throws LocalCaError when the CA exists but cannot serve.
 */
export async function ensureLocalTls(dataDir: string, extraNames: readonly string[] = []): Promise<LocalTls> {
  const names = leafNames(extraNames);
  const dir = tlsDir(dataDir);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (e) {
    throw new LocalCaError(`The folder ${dir} for the local CA could not be created (${reason(e)}).`, { cause: e });
  }
  const ca = readCa(dir) ?? (await createCa(dir, dataDir));
  const leaf = usableLeaf(dir, ca, names) ?? (await issueLeaf(dir, ca, names));
  return { caFile: join(dir, 'ca.pem'), caPem: ca.pem, certPem: leaf.certPem, keyPem: leaf.keyPem, names };
}
