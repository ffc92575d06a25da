/**
 * The local CA behind `--https` (issue #15): created once per data directory, its key kept 0600, a leaf for
 * the loopback names (plus --host-name) that OpenSSL itself verifies against ca.pem, re-issued only when the
 * names change or it nears expiry, and a CA that cannot be read is an error rather than a silent new CA.
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { freezeClock } from '../../../../../../electron/core/clock';
import { LEAF_VALIDITY_DAYS, LocalCaError, checkHostName, ensureLocalTls } from '../../../../../../electron/core/server/tls/local-ca';

const root = mkdtempSync(join(tmpdir(), 'parley-ca-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => freezeClock(undefined));
let n = 0;
const freshDir = () => join(root, `d${++n}`);

describe('Local CA › creation', () => {
  it('creates a CA (10 years, CA:TRUE, keyCertSign, named after the data directory) and a leaf OpenSSL verifies against it', async () => {
    const dir = freshDir();
    const tls = await ensureLocalTls(dir, ['parley.test']);
    expect(tls.caFile).toBe(join(dir, 'tls', 'ca.pem'));

    const ca = new X509Certificate(readFileSync(tls.caFile));
    expect(ca.ca).toBe(true);
    expect(ca.subject).toMatch(/CN=Parley local CA \([0-9a-f]{8}\)/);
    const years = (Date.parse(ca.validTo) - Date.now()) / (365 * 86_400_000);
    expect(years).toBeGreaterThan(9.9);
    const caText = execFileSync('openssl', ['x509', '-in', tls.caFile, '-noout', '-text'], { encoding: 'utf8' });
    expect(caText).toMatch(/Key Usage: critical\s+Certificate Sign/);

    const leafFile = join(dir, 'tls', 'server.pem');
    // The acceptance check of the issue, with OpenSSL's own verifier, for the TLS server purpose.
    expect(execFileSync('openssl', ['verify', '-purpose', 'sslserver', '-CAfile', tls.caFile, leafFile], { encoding: 'utf8' })).toContain(': OK');

    const leaf = new X509Certificate(tls.certPem);
    expect(leaf.ca).toBe(false);
    expect(leaf.checkIssued(ca)).toBe(true);
    expect(leaf.subjectAltName).toBe('IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, DNS:localhost, DNS:parley.test');
    expect(leaf.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']); // Node names the EKU here: serverAuth
    const days = (Date.parse(leaf.validTo) - Date.parse(leaf.validFrom)) / 86_400_000;
    expect(days).toBeLessThanOrEqual(LEAF_VALIDITY_DAYS);
  });

  it('keeps both private keys readable by the owner only, and never in ca.pem', async () => {
    const dir = freshDir();
    const tls = await ensureLocalTls(dir);
    if (process.platform !== 'win32') {
      expect(statSync(join(dir, 'tls', 'ca-key.pem')).mode & 0o777).toBe(0o600);
      expect(statSync(join(dir, 'tls', 'server-key.pem')).mode & 0o777).toBe(0o600);
      expect(statSync(join(dir, 'tls')).mode & 0o077).toBe(0);
    }
    expect(readFileSync(tls.caFile, 'utf8')).not.toContain('PRIVATE KEY');
    expect(tls.caPem).not.toContain('PRIVATE KEY');
  });

  it('refuses a --host-name that is not a DNS name or an IP address', () => {
    expect(() => checkHostName('bad name')).toThrow(LocalCaError);
    expect(() => checkHostName('-x.test')).toThrow(/not a DNS name/);
    expect(checkHostName('Parley.Test')).toBe('parley.test');
    expect(checkHostName('10.0.0.5')).toBe('10.0.0.5');
  });
});

describe('Local CA › reuse and renewal', () => {
  it('reuses the CA and the leaf at the next start, and re-issues only the leaf when the names change', async () => {
    const dir = freshDir();
    const first = await ensureLocalTls(dir);
    const again = await ensureLocalTls(dir);
    expect(again.caPem).toBe(first.caPem);
    expect(again.certPem).toBe(first.certPem);

    const renamed = await ensureLocalTls(dir, ['auth.local.test']);
    expect(renamed.caPem).toBe(first.caPem);
    expect(renamed.certPem).not.toBe(first.certPem);
    expect(new X509Certificate(renamed.certPem).subjectAltName).toContain('DNS:auth.local.test');
  });

  it('re-issues a leaf that nears its expiry, from the same CA', async () => {
    const dir = freshDir();
    const first = await ensureLocalTls(dir);
    freezeClock(Date.now() + (LEAF_VALIDITY_DAYS - 10) * 86_400_000);
    const later = await ensureLocalTls(dir);
    expect(later.caPem).toBe(first.caPem);
    expect(later.certPem).not.toBe(first.certPem);
    expect(Date.parse(new X509Certificate(later.certPem).validTo)).toBeGreaterThan(Date.parse(new X509Certificate(first.certPem).validTo));
  });

  it('re-issues a leaf whose files were damaged (derived material), keeping the CA', async () => {
    const dir = freshDir();
    const first = await ensureLocalTls(dir);
    writeFileSync(join(dir, 'tls', 'server-key.pem'), 'garbage');
    const again = await ensureLocalTls(dir);
    expect(again.caPem).toBe(first.caPem);
    expect(again.certPem).not.toBe(first.certPem);
  });
});

describe('Local CA › a CA that cannot be used is an error, never replaced', () => {
  it('names a corrupt ca.pem', async () => {
    const dir = freshDir();
    await ensureLocalTls(dir);
    writeFileSync(join(dir, 'tls', 'ca.pem'), '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    await expect(ensureLocalTls(dir)).rejects.toThrow(/The local CA certificate .*ca\.pem could not be read/);
  });

  it('names a ca.pem that cannot be read (a directory in its place)', async () => {
    const dir = freshDir();
    await ensureLocalTls(dir);
    unlinkSync(join(dir, 'tls', 'ca.pem'));
    mkdirSync(join(dir, 'tls', 'ca.pem'));
    await expect(ensureLocalTls(dir)).rejects.toThrow(/ca\.pem could not be read \(it is a directory\)/);
  });

  it('names a key that is not the key of ca.pem, and a missing key', async () => {
    const dir = freshDir();
    await ensureLocalTls(dir);
    writeFileSync(join(dir, 'tls', 'ca-key.pem'), readFileSync(join(dir, 'tls', 'server-key.pem')));
    await expect(ensureLocalTls(dir)).rejects.toThrow(/ca-key\.pem could not be read \(it is not the key of ca\.pem\)/);
    unlinkSync(join(dir, 'tls', 'ca-key.pem'));
    await expect(ensureLocalTls(dir)).rejects.toThrow(/incomplete: ca-key\.pem is missing/);
  });
});
