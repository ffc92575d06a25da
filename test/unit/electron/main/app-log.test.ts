import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppLog, redactLogText, teeConsole } from '../../../../electron/main/app-log';

const JWT = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlc2lnbmF0dXJl';
const PEM = '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'parley-log-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('desktop › log file › redaction', () => {
  it.each([
    ['a JWT anywhere', `verify failed for ${JWT} at step 2`, [JWT, 'c2lnbmF0dXJl']],
    ['a PEM private key', `imported ${PEM} ok`, ['MIGHAgEAMBMG']],
    ['secrets in a URL', 'GET https://idp.example/cb?code=abc123&state=s1 refused', ['abc123']],
    ['a form body', 'POST body client_secret=hunter2&grant_type=authorization_code&code_verifier=v3rifier', ['hunter2', 'v3rifier']],
    ['JSON members', '{"refresh_token":"rt-1","access_token":"opaque-at","passphrase":"p@ss word"}', ['rt-1', 'opaque-at', 'p@ss word']],
    ['an Authorization header', 'headers: { authorization: "Basic dXNlcjpwYXNz", accept: "json" }', ['dXNlcjpwYXNz']],
    ['a deep link token', `opening parley://inspect?token=notajwtbutsecret`, ['notajwtbutsecret']],
  ])('removes %s', (_name, text, secrets) => {
    const out = redactLogText(text);
    for (const secret of secrets) expect(out).not.toContain(secret);
    expect(out).toContain('[redacted]');
  });

  it('keeps what is not secret', () => {
    expect(redactLogText('[parley] flows.start failed: issuer https://idp.example/ unreachable (ECONNREFUSED)')).toBe(
      '[parley] flows.start failed: issuer https://idp.example/ unreachable (ECONNREFUSED)',
    );
    expect(redactLogText('state=s1 id=42')).toBe('state=s1 id=42');
  });
});

describe('desktop › log file › writing and rotation', () => {
  const at = () => new Date('2026-01-02T03:04:05.000Z');

  it('appends timestamped, level-tagged, redacted lines to parley.log', () => {
    const log = new AppLog({ dir: join(dir, 'logs'), now: at });
    log.write('info', 'Parley starting');
    log.write('error', `token ${JWT}\nsecond line`);
    expect(log.path).toBe(join(dir, 'logs', 'parley.log'));
    expect(readFileSync(log.path, 'utf8')).toBe(
      '2026-01-02T03:04:05.000Z INFO  Parley starting\n2026-01-02T03:04:05.000Z ERROR token [token [redacted]]\n    second line\n',
    );
  });

  it('rotates by size, keeping the configured number of files and dropping the oldest', () => {
    const log = new AppLog({ dir, maxBytes: 200, files: 3, now: at });
    // Each line is 100 bytes with its prefix and newline: two fit in a file.
    const line = (n: number) => `line ${String(n).padStart(2, '0')} ${'x'.repeat(100 - 32 - 9)}`;
    for (let n = 1; n <= 7; n++) log.write('info', line(n));
    const read = (f: string) =>
      readFileSync(join(dir, f), 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.slice(31, 38));
    expect(read('parley.log')).toEqual(['line 07']);
    expect(read('parley.1.log')).toEqual(['line 05', 'line 06']);
    expect(read('parley.2.log')).toEqual(['line 03', 'line 04']);
    expect(existsSync(join(dir, 'parley.3.log'))).toBe(false);
    for (const f of ['parley.log', 'parley.1.log', 'parley.2.log']) expect(readFileSync(join(dir, f)).length).toBeLessThanOrEqual(200);
  });

  it('continues a log left by the previous launch, rotating when it is full', () => {
    writeFileSync(join(dir, 'parley.log'), 'x'.repeat(190));
    const log = new AppLog({ dir, maxBytes: 200, now: at });
    log.write('info', 'new launch');
    expect(readFileSync(join(dir, 'parley.1.log'), 'utf8')).toBe('x'.repeat(190));
    expect(readFileSync(log.path, 'utf8')).toContain('new launch');
  });

  it('a log that cannot be written is reported once and never throws', () => {
    const errors: string[] = [];
    writeFileSync(join(dir, 'not-a-folder'), '');
    const log = new AppLog({ dir: join(dir, 'not-a-folder'), onError: (m) => errors.push(m) });
    log.write('info', 'one');
    log.write('info', 'two');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('cannot write the log file');
  });
});

describe('desktop › log file › the console', () => {
  it('copies console lines to the log (redacted) after the console has them unchanged', () => {
    const seen: unknown[][] = [];
    const target = { debug: () => {}, log: (...a: unknown[]) => seen.push(a), info: () => {}, warn: () => {}, error: (...a: unknown[]) => seen.push(a) };
    const log = new AppLog({ dir, now: () => new Date('2026-01-02T03:04:05.000Z') });
    const restore = teeConsole(log, target);
    target.log('[parley] hello %s', 'world');
    target.error('[parley] failed:', new Error(`bad ${JWT}`));
    restore();
    target.log('after restore');
    expect(seen[0]).toEqual(['[parley] hello %s', 'world']);
    const text = readFileSync(log.path, 'utf8');
    expect(text).toContain('INFO  [parley] hello world');
    expect(text).toContain('ERROR [parley] failed: Error: bad [token [redacted]]');
    expect(text).not.toContain(JWT);
    expect(text).not.toContain('after restore');
  });
});
