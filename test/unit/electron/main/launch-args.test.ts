import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { caseFile, describeLink, parseDeepLink, requestsFromArgv } from '../../../../electron/main/launch-args';
import { MAX_CASE_BYTES, commandFor } from '../../../../electron/main/open-requests';

const JWT = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl';

describe('desktop › parley:// links', () => {
  it('parley://inspect?token=<JWT> opens the token in Inspect', () => {
    expect(parseDeepLink(`parley://inspect?token=${JWT}`)).toEqual({ kind: 'inspect', token: JWT });
    // Some systems add a slash after the host; a JWE has five parts.
    expect(parseDeepLink(`parley://inspect/?token=${JWT}`)).toEqual({ kind: 'inspect', token: JWT });
    expect(parseDeepLink(`PARLEY://INSPECT?token=${JWT}..x`)).toEqual({ kind: 'inspect', token: `${JWT}..x` });
  });

  it('parley://case?file=<absolute path or file: URL> names a .parleycase file', () => {
    const path = join(tmpdir(), 'a case.parleycase');
    expect(parseDeepLink(`parley://case?file=${encodeURIComponent(path)}`)).toEqual({ kind: 'case', path });
    expect(parseDeepLink(`parley://case?file=${encodeURIComponent(pathToFileURL(path).href)}`)).toEqual({ kind: 'case', path });
  });

  it.each([
    ['not a URL at all', 'parley//inspect', 'it is not a URL'],
    ['another scheme', `https://inspect?token=${JWT}`, 'it is not a parley:// link'],
    ['no action', `parley:?token=${JWT}`, 'it names no action'],
    ['an unknown action', 'parley://delete-everything?all=1', 'unknown action "delete-everything"'],
    ['a path after the action', `parley://inspect/extra?token=${JWT}`, 'unknown path "/extra"'],
    ['no token', 'parley://inspect', 'it needs exactly one token parameter'],
    ['two tokens', `parley://inspect?token=${JWT}&token=${JWT}`, 'it needs exactly one token parameter'],
    ['a token that is not a JWT', 'parley://inspect?token=<script>alert(1)</script>', 'the token is not a compact JWT (base64url parts separated by dots)'],
    ['a relative file', 'parley://case?file=case.parleycase', 'the file must be an absolute path'],
    ['a remote file URL', 'parley://case?file=file%3A%2F%2Fevil.example%2Fshare%2Fx.parleycase', 'the file URL is not a local file'],
    [
      'a network share',
      `parley://case?file=${encodeURIComponent('\\\\evil.example\\share\\x.parleycase')}`,
      'the file must be on this computer, not a network share',
    ],
  ])('refuses %s with a reason, and never echoes a token', (_name, url, reason) => {
    const parsed = parseDeepLink(url);
    expect(parsed).toMatchObject({ kind: 'rejected', problem: 'bad-link', reason });
    if (parsed.kind === 'rejected') expect(parsed.subject).not.toContain(JWT);
  });

  it('refuses a case link to a file that is not a .parleycase file', () => {
    expect(parseDeepLink(`parley://case?file=${encodeURIComponent('/etc/passwd')}`)).toMatchObject({
      kind: 'rejected',
      problem: 'not-a-case-file',
      subject: 'passwd',
    });
  });

  it('describes a link by its action and parameter names only', () => {
    expect(describeLink(`parley://inspect?token=${JWT}`)).toBe('parley://inspect?token=…');
    expect(describeLink('not a url \u0000 at all, and long')).toBe('not a url ? at a…');
  });
});

describe('desktop › command-line arguments (first launch and a second instance)', () => {
  it('takes links and .parleycase files, skips switches and the program, and lists what it ignored', () => {
    const { requests, ignored } = requestsFromArgv(
      ['/opt/Parley/parley', '--no-sandbox', `parley://inspect?token=${JWT}`, 'cases/Run.PARLEYCASE', 'notes.txt', '--', 'parley://nope'],
      { skip: 1, cwd: '/home/ada' },
    );
    expect(requests).toEqual([
      { kind: 'inspect', token: JWT },
      { kind: 'case', path: resolve('/home/ada', 'cases/Run.PARLEYCASE') },
      expect.objectContaining({ kind: 'rejected', problem: 'bad-link', reason: 'unknown action "nope"' }),
    ]);
    expect(ignored).toEqual(['notes.txt']);
  });

  it('skips the app path in development (electron <app> …)', () => {
    expect(requestsFromArgv(['/usr/bin/electron', '/src/parley', 'x.parleycase'], { skip: 2, cwd: '/w' })).toEqual({
      requests: [{ kind: 'case', path: resolve('/w', 'x.parleycase') }],
      ignored: [],
    });
  });

  it('caseFile accepts only the .parleycase extension', () => {
    expect(caseFile('/a/b.parleycase')).toEqual({ kind: 'case', path: '/a/b.parleycase' });
    expect(caseFile('/a/b.json')).toMatchObject({ kind: 'rejected', problem: 'not-a-case-file', subject: 'b.json' });
  });
});

describe('desktop › opening what was asked', () => {
  let dir: string;
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'parley-open-'));
    lines.length = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a case file whole for the renderer', async () => {
    const path = join(dir, 'run.parleycase');
    writeFileSync(path, '{"format":"parley-case/1"}');
    expect(await commandFor({ kind: 'case', path }, log)).toEqual({ command: 'open-case', fileName: 'run.parleycase', json: '{"format":"parley-case/1"}' });
  });

  it('names a missing file, a folder and a file too large, without reading them', async () => {
    mkdirSync(join(dir, 'folder.parleycase'));
    writeFileSync(join(dir, 'big.parleycase'), Buffer.alloc(MAX_CASE_BYTES + 1, 0x20));
    expect(await commandFor({ kind: 'case', path: join(dir, 'gone.parleycase') }, log)).toEqual({
      command: 'problem',
      problem: 'unreadable-case',
      subject: 'gone.parleycase',
      detail: 'the file does not exist',
    });
    expect(await commandFor({ kind: 'case', path: join(dir, 'folder.parleycase') }, log)).toEqual({
      command: 'problem',
      problem: 'unreadable-case',
      subject: 'folder.parleycase',
      detail: 'it is a folder',
    });
    expect(await commandFor({ kind: 'case', path: join(dir, 'big.parleycase') }, log)).toMatchObject({
      command: 'problem',
      problem: 'case-too-large',
      subject: 'big.parleycase',
    });
    expect(lines).toHaveLength(3);
  });

  it('hands a token to Inspect without logging it', async () => {
    expect(await commandFor({ kind: 'inspect', token: JWT }, log)).toEqual({ command: 'inspect', token: JWT });
    expect(lines.join('\n')).not.toContain(JWT);
  });
});

describe('desktop › packaging registers what the shell opens', () => {
  it('electron-builder.yml associates .parleycase files and the parley:// scheme with the app', async () => {
    const { parse } = await import('yaml');
    const { CASE_EXTENSION, PROTOCOL } = await import('../../../../electron/main/launch-args');
    const config = parse(readFileSync(new URL('../../../../build/electron-builder.yml', import.meta.url), 'utf8')) as {
      fileAssociations: { ext: string; name: string; mimeType: string }[];
      protocols: { name: string; schemes: string[] }[];
    };
    expect(config.fileAssociations).toEqual([
      expect.objectContaining({ ext: CASE_EXTENSION.slice(1), name: 'Parley case', mimeType: 'application/x-parley-case' }),
    ]);
    expect(config.protocols).toEqual([{ name: 'Parley link', schemes: [PROTOCOL] }]);
  });
});
