/**
 * Exports of a run (renderer/src/features/flows/export/replay.ts): the curl command of an exchange and the replay script of a
 * run. The shell does the checking: quoted words are read back through bash, the script goes through
 * `bash -n`, and the commands and the script of real runs are executed against the embedded server.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDACTED as CORE_REDACTED } from '../../../../../../../electron/core/flows/redact';
import {
  exchangeToCurl,
  exchangeToCurlCommand,
  REDACTED,
  runToShellScript,
  scriptFileName,
  variableFor,
} from '../../../../../../../renderer/src/features/flows/export/replay';
import { shellQuote } from '../../../../../../../renderer/src/features/flows/export/shell';
import type { FlowExchange, FlowRun, FlowTarget } from '../../../../../../../shared/schemas/flows';
import type { FlowHarness } from '../../../../../electron/core/flows/helpers';
import { flowHarness, REDIRECT, stepOf } from '../../../../../electron/core/flows/helpers';

// --norc: Node's stdio pipes are sockets, which bash takes for a remote shell and would source ~/.bashrc.
const BASH = '/bin/bash';
const execFileAsync = promisify(execFile);
const CURL = '/usr/bin/curl';

/** Runs a command with a stand-in `curl` that prints its arguments, NUL-separated: what curl would receive. */
function curlArgv(command: string, env: Record<string, string> = {}): string[] {
  const out = execFileSync(BASH, ['--norc', '-c', `curl() { printf '%s\\0' "$@"; }\n${command}`], { env: { PATH: '/usr/bin:/bin', ...env }, encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

/**
 * Runs a real curl command with bash; returns what it printed (the body, then the HTTP status on the last
 * line). Asynchronous: the embedded server answering it runs in this very process.
 */
async function runCurl(command: string, env: Record<string, string>): Promise<{ status: number; body: string }> {
  const { stdout } = await execFileAsync(BASH, ['--norc', '-c', `${command} -sS -w '\\n%{http_code}'`], {
    env: { PATH: '/usr/bin:/bin', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  const at = stdout.lastIndexOf('\n');
  return { status: Number(stdout.slice(at + 1)), body: stdout.slice(0, at) };
}

function bashSyntaxOk(script: string): void {
  // Throws (with bash's message) on a syntax error.
  execFileSync(BASH, ['--norc', '-n'], { input: script, env: { PATH: '/usr/bin:/bin' }, encoding: 'utf8' });
}

const formExchange = (body: string, headers: Record<string, string> = {}): FlowExchange => ({
  request: {
    method: 'POST',
    url: 'https://as.example.com/oauth/token',
    headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body,
  },
  response: { status: 200, headers: {}, body: '{}' },
  durationMs: 12,
});

describe('Export › shell quoting', () => {
  it('uses the same placeholder as the core', () => {
    expect(REDACTED).toBe(CORE_REDACTED);
  });

  it('reads back quotes, newlines, $, backticks and backslashes unchanged through bash', () => {
    const samples = [`it's`, `a"b`, '$HOME and ${PATH}', 'line 1\nline 2\r\n', '`id` $(id)', 'back\\slash\\', '!event', "''", '', ' lead and trail '];
    for (const s of samples)
      expect(execFileSync(BASH, ['--norc', '-c', `printf %s ${shellQuote(s)}`], { env: { PATH: '/usr/bin:/bin' }, encoding: 'utf8' })).toBe(s);
  });

  it('reads back any string without NUL (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => !s.includes('\0')),
        (s) => {
          expect(execFileSync(BASH, ['--norc', '-c', `printf %s ${shellQuote(s)}`], { env: { PATH: '/usr/bin:/bin' }, encoding: 'utf8' })).toBe(s);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('refuses a NUL, which no shell argument can carry', () => {
    expect(() => shellQuote('a\0b')).toThrow(/NUL/);
  });

  it('names variables after the redacted field', () => {
    expect(variableFor('client_secret')).toBe('CLIENT_SECRET');
    expect(variableFor('refresh_token')).toBe('REFRESH_TOKEN');
    expect(variableFor('x-api-key')).toBe('X_API_KEY');
    expect(variableFor('2fa')).toBe('_2FA');
  });
});

describe('Export › curl command of an exchange', () => {
  it('sends every form field exactly, whatever it contains', () => {
    const fields = {
      grant_type: 'authorization_code',
      code: `it's "quoted"`,
      redirect_uri: 'https://app.example.com/cb?x=1&y=$HOME',
      scope: 'openid profile\nemail',
      'we@ird=name': '`id`',
    };
    const exchange = formExchange(new URLSearchParams(fields).toString());
    const command = exchangeToCurl(exchange);
    const argv = curlArgv(command);
    // Each field is one -d / --data-urlencode argument; curl joins them with & (encoding the value of --data-urlencode).
    const sent: [string, string][] = [];
    for (let i = 0; i < argv.length; i++) {
      const option = argv[i];
      if (option !== '-d' && option !== '--data-urlencode') continue;
      const arg = argv[++i]!;
      const eq = arg.indexOf('=');
      const name = decodeURIComponent(arg.slice(0, eq));
      sent.push([name, option === '-d' ? decodeURIComponent(arg.slice(eq + 1)) : arg.slice(eq + 1)]);
    }
    expect(Object.fromEntries(sent)).toEqual(fields);
    expect(argv[0]).toBe('https://as.example.com/oauth/token');
    expect(argv).not.toContain('-X');
    // A name with @ must not read as a file (curl's name@file form): it is percent-encoded.
    expect(argv).toContain('we%40ird%3Dname=`id`');
  });

  it('keeps its headers but not those curl sets itself', () => {
    const argv = curlArgv(
      exchangeToCurl(formExchange('a=b', { 'content-length': '3', host: 'as.example.com', 'accept-encoding': 'gzip', 'x-trace': `o'hara` })),
    );
    const headers = argv.filter((_, i) => argv[i - 1] === '-H');
    expect(headers).toEqual(['accept: application/json', 'content-type: application/x-www-form-urlencoded', `x-trace: o'hara`]);
  });

  it('replaces a redacted client_secret and refresh_token by variables, and never sends the placeholder', () => {
    const exchange = formExchange(
      new URLSearchParams({ grant_type: 'refresh_token', refresh_token: REDACTED, client_id: 'abc', client_secret: REDACTED }).toString(),
    );
    const { command, variables } = exchangeToCurlCommand(exchange);
    expect(variables).toEqual(['REFRESH_TOKEN', 'CLIENT_SECRET']);
    expect(command).toContain('"client_secret=$CLIENT_SECRET"');
    expect(command).toContain('"refresh_token=$REFRESH_TOKEN"');
    expect(command).not.toContain('redacted');
    expect(command).not.toContain('%5B');
    const argv = curlArgv(command, { CLIENT_SECRET: `s3 cr'et$&x`, REFRESH_TOKEN: 'rt' });
    expect(argv).toContain(`client_secret=s3 cr'et$&x`);
    expect(argv).toContain('refresh_token=rt');
  });

  it('turns Basic credentials into -u "$CLIENT_ID:$CLIENT_SECRET", and a Bearer token into $ACCESS_TOKEN', () => {
    const basic = exchangeToCurlCommand(formExchange('grant_type=client_credentials', { authorization: 'Basic [redacted]' }));
    expect(basic.command).toContain('-u "$CLIENT_ID:$CLIENT_SECRET"');
    expect(basic.variables).toEqual(['CLIENT_ID', 'CLIENT_SECRET']);
    const argv = curlArgv(basic.command, { CLIENT_ID: 'app', CLIENT_SECRET: 'pw' });
    expect(argv[argv.indexOf('-u') + 1]).toBe('app:pw');
    expect(argv.join(' ')).not.toMatch(/authorization:/i);

    const bearer = exchangeToCurlCommand({
      request: { method: 'GET', url: 'https://as.example.com/userinfo', headers: { authorization: 'Bearer [redacted]', cookie: REDACTED } },
      durationMs: 1,
    });
    expect(bearer.variables).toEqual(['ACCESS_TOKEN', 'COOKIE']);
    const argv2 = curlArgv(bearer.command, { ACCESS_TOKEN: 'at', COOKIE: 'sid=1' });
    expect(argv2.filter((_, i) => argv2[i - 1] === '-H')).toEqual(['authorization: Bearer at', 'cookie: sid=1']);
  });

  it('splices redacted JSON members and query parameters from variables', () => {
    const json = exchangeToCurlCommand({
      request: {
        method: 'POST',
        url: 'https://as.example.com/api?client_secret=%5Bredacted%5D&x=%24y',
        headers: { 'content-type': 'application/json' },
        body: '{"user":"o\'hara","password":"[redacted]"}',
      },
      durationMs: 1,
    });
    expect(json.variables).toEqual(['CLIENT_SECRET', 'PASSWORD']);
    const argv = curlArgv(json.command, { CLIENT_SECRET: 'cs', PASSWORD: 'p"w' });
    expect(argv).toContain('https://as.example.com/api?client_secret=cs&x=%24y');
    expect(argv[argv.indexOf('--data-raw') + 1]).toBe('{"user":"o\'hara","password":"p"w"}');
  });

  it('says the method when curl would not infer it, and turns globbing off for brackets', () => {
    const argv = curlArgv(exchangeToCurl({ request: { method: 'DELETE', url: 'https://as.example.com/x?a[0]=1', headers: {} }, durationMs: 1 }));
    expect(argv.slice(0, 3)).toEqual(['-X', 'DELETE', '--globoff']);
  });
});

/** A finished run as the core records it (synthetic, for the script's shape). */
function syntheticRun(kind: FlowRun['kind'], overrides: Partial<FlowRun> = {}): FlowRun {
  const step = (name: FlowRun['steps'][number]['name'], extra: Partial<FlowRun['steps'][number]> = {}): FlowRun['steps'][number] => ({
    id: name,
    name,
    status: 'ok',
    jwts: [],
    serverTraceIds: [],
    durationMs: 3,
    ...extra,
  });
  const discover = step('discover', {
    exchange: {
      request: { method: 'GET', url: 'https://as.example.com/.well-known/openid-configuration', headers: { accept: 'application/json' } },
      response: { status: 200, headers: {}, body: '{}' },
      durationMs: 3,
    },
    detail: { issuer: 'https://as.example.com/' },
  });
  const params = { response_type: 'code', client_id: 'app', redirect_uri: 'http://127.0.0.1:1/cb', scope: 'openid', state: `st'ate\nx`, nonce: 'n' };
  const steps =
    kind === 'client_credentials'
      ? [discover, step('exchange', { exchange: formExchange('grant_type=client_credentials', { authorization: 'Basic [redacted]' }) })]
      : [
          discover,
          step('build', { detail: { parameters: params } }),
          step('push', {
            exchange: {
              ...formExchange(`${new URLSearchParams(params).toString()}&client_secret=%5Bredacted%5D`),
              response: { status: 201, headers: {}, body: '{"request_uri":"urn:x","expires_in":60}' },
            },
          }),
          step('authorize', { detail: { url: 'https://as.example.com/authorize?client_id=app&request_uri=urn%3Ax' } }),
          step('callback'),
          step('exchange', {
            exchange: formExchange('grant_type=authorization_code&code=recorded&redirect_uri=x&code_verifier=v&client_id=app&client_secret=%5Bredacted%5D'),
          }),
          step('verify', { jwts: [{ label: 'ID token', token: 'a.b.c' }] }),
        ];
  const authorizeUrl = kind === 'client_credentials' ? {} : { authorizeUrl: 'https://as.example.com/authorize?client_id=app&request_uri=urn%3Ax' };
  return {
    id: 'r1',
    kind,
    targetId: 't',
    options: { pkce: true },
    status: 'succeeded',
    startedAt: '2025-01-02T03:04:05.000Z',
    ...authorizeUrl,
    steps,
    ...overrides,
  };
}

describe('Export › replay script', () => {
  it('is a bash script bash -n accepts, that checks its variables first and contains no placeholder', () => {
    for (const run of [
      syntheticRun('par'),
      syntheticRun('client_credentials'),
      syntheticRun('par', {
        status: 'failed',
        steps: syntheticRun('par').steps.map((s) =>
          s.name === 'push'
            ? { ...s, status: 'failed', error: { code: 'par_rejected', message: 'Nope\n$(id)' } }
            : ['authorize', 'callback', 'exchange', 'verify'].includes(s.name)
              ? { ...s, status: 'pending', exchange: undefined }
              : s,
        ),
      }),
    ]) {
      const script = runToShellScript(run, { targetName: 'My "target"\nnext line', clientId: 'app' });
      bashSyntaxOk(script);
      expect(script.startsWith('#!/usr/bin/env bash\n')).toBe(true);
      expect(script).toContain('set -euo pipefail');
      expect(script).not.toContain('redacted');
      expect(script).toMatch(/single-use jti/);
    }
  });

  it('stops with a clear message naming the variables that are not set', () => {
    const script = runToShellScript(syntheticRun('client_credentials'));
    let failure: { status?: number; stderr?: string } = {};
    try {
      execFileSync(BASH, ['--norc', '-c', script, 'replay.sh'], { env: { PATH: '/usr/bin:/bin' }, encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      failure = e as typeof failure;
    }
    expect(failure.status).toBe(2);
    expect(failure.stderr).toContain('Set CLIENT_ID CLIENT_SECRET before running this script');
  });

  it('fills CLIENT_ID from the run when it is known', () => {
    expect(runToShellScript(syntheticRun('client_credentials'), { clientId: 'app' })).toContain(`if [[ -z "\${CLIENT_ID:-}" ]]; then CLIENT_ID='app'; fi`);
  });

  it('comments the steps without an exchange, and replays the others in order', () => {
    const script = runToShellScript(syntheticRun('par'));
    const order = [
      '# Step 1: discover',
      '# Step 2: build',
      'push_response=$(curl',
      '# Step 4: authorize',
      'read -r callback_url',
      'code=$(query_param code',
      'token_response=$(curl',
      '# Step 7: verify',
    ].map((s) => script.indexOf(s));
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(script).toContain('"code=$code"');
    expect(script).not.toContain('code=recorded');
    expect(script).toContain("-d 'code_verifier=v'");
  });

  it('names the file after the kind and the date', () => {
    expect(scriptFileName({ kind: 'par+jar', startedAt: '2025-01-02T03:04:05.678Z' })).toBe('parley-flow-par-jar-2025-01-02T03-04-05.sh');
  });
});

describe('Export › runs against the embedded server', () => {
  let h: FlowHarness;
  let postSecret: string;
  let basicSecret: string;

  beforeAll(async () => {
    h = await flowHarness();
    const issuer = h.core.server.running!.urls.issuer;
    const makeClient = async (name: string, method: 'client_secret_post' | 'client_secret_basic', id: string) => {
      const created = await h.call<{ client_id: string }>('server.createClient', {
        body: { name, app_type: 'regular_web', callbacks: [], grant_types: ['authorization_code'], token_endpoint_auth_method: method },
      });
      const secret = (h.core.server.directory.getClientJson(created.client_id) as unknown as { client_secret: string }).client_secret;
      await h.call<FlowTarget>('flows.saveTarget', {
        target: {
          id,
          name,
          issuer,
          client_id: created.client_id,
          auth: { method, hasSecret: false },
          redirect_uri: REDIRECT,
          scope: 'openid profile',
          embedded: true,
        },
        secret,
      });
      return secret;
    };
    postSecret = await makeClient('Post App', 'client_secret_post', 'post');
    basicSecret = await makeClient('Basic App', 'client_secret_basic', 'basic');
  });
  afterAll(async () => {
    await h.core.close();
  });

  it('client_credentials (client_secret_post): the copied curl of the exchange gets a token (200), and 401 without the secret', async () => {
    const run = await h.run('embedded', 'client_credentials');
    expect(run.status, JSON.stringify(run.steps.map((s) => [s.name, s.error?.message]))).toBe('succeeded');
    const exchange = stepOf(run, 'exchange').exchange!;
    const { command, variables } = exchangeToCurlCommand(exchange);
    expect(variables).toEqual(['CLIENT_SECRET']);
    const secret = h.core.server.directory.bootstrapInfo().management.client_secret;
    expect(command).not.toContain(secret);
    const ok = await runCurl(command, { CLIENT_SECRET: secret });
    expect(ok.status, ok.body).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ access_token: expect.any(String), token_type: 'Bearer' });
    // The secret really comes from the variable: a wrong one is refused.
    expect((await runCurl(command, { CLIENT_SECRET: 'wrong' })).status).toBe(401);
  });

  it('PAR (client_secret_post): the copied curl of the push is accepted (201 with a request_uri)', async () => {
    const run = await h.run('post', 'par');
    expect(run.status, JSON.stringify(run.steps.map((s) => [s.name, s.error?.message]))).toBe('succeeded');
    const pushed = await runCurl(exchangeToCurl(stepOf(run, 'push').exchange!), { CLIENT_SECRET: postSecret });
    expect(pushed.status, pushed.body).toBe(201);
    expect(JSON.parse(pushed.body)).toMatchObject({ request_uri: expect.stringMatching(/^urn:ietf:params:oauth:request_uri:/) });
  });

  it('PAR (client_secret_basic): the copied curl authenticates with -u "$CLIENT_ID:$CLIENT_SECRET" (201)', async () => {
    const run = await h.run('basic', 'par');
    expect(run.status, JSON.stringify(run.steps.map((s) => [s.name, s.error?.message]))).toBe('succeeded');
    const push = stepOf(run, 'push');
    const command = exchangeToCurl(push.exchange!);
    expect(command).toContain('-u "$CLIENT_ID:$CLIENT_SECRET"');
    const clientId = new URLSearchParams(push.exchange!.request.body).get('client_id')!;
    expect((await runCurl(command, { CLIENT_ID: clientId, CLIENT_SECRET: basicSecret })).status).toBe(201);
  });

  it('PAR (client_secret_post): the whole replay script runs: push, sign-in with the printed URL, pasted callback, token (200)', async () => {
    const run = await h.run('post', 'par');
    expect(run.status).toBe('succeeded');
    const script = runToShellScript(run, { targetName: 'Post App' });
    bashSyntaxOk(script);
    expect(script).not.toContain(postSecret);

    const file = join(mkdtempSync(join(tmpdir(), 'parley-replay-')), scriptFileName(run));
    writeFileSync(file, script, { mode: 0o700 });
    const child = spawn(BASH, ['--norc', file], { env: { PATH: '/usr/bin:/bin', CLIENT_SECRET: postSecret }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    // stdin is the user at the terminal: the pasted callback URL goes there.
    const lines = createInterface({ input: child.stdout });
    const authorizeUrl = await new Promise<string>((resolve, reject) => {
      lines.on('line', (line) => {
        stdout += `${line}\n`;
        if (/^ {2}https?:\/\/.*\/authorize\?/.test(line)) resolve(line.trim());
      });
      void exited.then(() => reject(new Error(`the script ended before printing the authorize URL:\n${stdout}\n${stderr}`)));
    });
    expect(authorizeUrl).toMatch(/[?&]request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3A/);
    expect(authorizeUrl).not.toContain(encodeURIComponent(String(stepOf(run, 'push').detail?.['request_uri'])));
    const outcome = await h.launcher.signIn(authorizeUrl);
    if (!('callbackUrl' in outcome)) throw new Error('sign-in failed');
    child.stdin.end(`${outcome.callbackUrl}\n`);
    expect(await exited, `${stdout}\n${stderr}`).toBe(0);
    expect(stdout).toContain('discover: HTTP 200');
    expect(stdout).toContain('push: HTTP 201 (recorded: 201)');
    expect(stdout).toContain('exchange: HTTP 200 (recorded: 200)');
    expect(stdout).toMatch(/"id_token":"eyJ/);
    if (stepOf(run, 'verify').exchange) expect(stdout).toContain('verify (JWKS): HTTP 200');
    rmSync(dirname(file), { recursive: true, force: true });
  });

  it('the curl binary the tests use is there', () => {
    expect(execFileSync(CURL, ['--version'], { encoding: 'utf8' })).toMatch(/^curl /);
  });
});
