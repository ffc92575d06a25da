/**
 * "Export code" (renderer/src/features/flows/export/code/): the TypeScript, Python and bash programs generated from a
 * real run are RUN against the embedded server. Keys are generated here, imported into the vault (so the
 * engine and the programs share them) and written as PEM files; the server's own traces must show every
 * rule passed — JAR-* for the request object, PKJ-* for the client assertion — not just an exit code 0.
 */
import type { ChildProcess } from 'node:child_process';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { compactVerify, importSPKI } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeExportInput, CodeLanguage } from '../../../../../../../../renderer/src/features/flows/export/code';
import { CODE_LANGUAGES, codeFileName, exportCode, SHELL_HELPERS } from '../../../../../../../../renderer/src/features/flows/export/code';
import type { FlowRun, FlowTarget } from '../../../../../../../../shared/schemas/flows';
import type { ExportedFile, ImportResult, KeySummary } from '../../../../../../../../shared/schemas/keys';
import type { RequestTrace } from '../../../../../../../../shared/schemas/server';
import { traceHostTimeMs } from '../../../../../../../../shared/schemas/server';
import type { FlowHarness } from '../../../../../../electron/core/flows/helpers';
import { flowHarness, REDIRECT, stepOf } from '../../../../../../electron/core/flows/helpers';
import type { SystemTool } from '../../../../../../../helpers/system-tools';
import { commandTool, itNeeding } from '../../../../../../../helpers/system-tools';

const REPO = fileURLToPath(new URL('../../../../../../../../', import.meta.url));
const TSX = join(REPO, 'node_modules/.bin/tsx');
const TSC = join(REPO, 'node_modules/.bin/tsc');
// Debian's Python, where CI installs PyJWT and requests; PARLEY_TEST_PYTHON points at another one.
const PYTHON = process.env.PARLEY_TEST_PYTHON ?? '/usr/bin/python3';
const BASH = '/bin/bash';
/** Every program is killed after this long. */
const PROGRAM_TIMEOUT_MS = 40_000;
// node for tsx's shebang; no proxy variables: the programs talk to 127.0.0.1 directly.
const PATH = `${dirname(process.execPath)}:/usr/bin:/bin`;

/** A Python tool: usable when `PYTHON -c <probe>` exits 0; otherwise the last line of why not. */
function pythonTool(name: string, probe: string, install: string): SystemTool {
  const result = spawnSync(PYTHON, ['-c', probe], { encoding: 'utf8' });
  const why = (result.stderr || result.error?.message || `exit ${result.status}`).trim().split('\n').pop();
  return { name, missing: result.status === 0 ? undefined : why, install };
}
// The system tools the exported programs run with (.ci/run installs them); see test/helpers/system-tools.ts.
const PYTHON3 = pythonTool(PYTHON, 'import ast', 'apt-get install -y python3');
// python3-jwt only recommends python3-cryptography (RS256/PS256/ES256).
const PYTHON_LIBS = pythonTool(
  `${PYTHON} with jwt, requests and cryptography`,
  'import jwt, requests, cryptography',
  'apt-get install -y python3-jwt python3-requests python3-cryptography',
);
const CURL = commandTool('curl', PATH, 'apt-get install -y curl');
const OPENSSL = commandTool('openssl', PATH, 'apt-get install -y openssl');

let h: FlowHarness;
/** Under the repository, so that `jose` resolves from node_modules for the TypeScript programs. */
let dir: string;
let jarKey: KeySummary;
let authKey: KeySummary;
let target: FlowTarget;
let apiTarget: FlowTarget;
let builtIn: FlowTarget;
const runs = {} as Record<'par+jar' | 'par' | 'jar' | 'client_credentials' | 'builtin', FlowRun>;
let jarPem: string;
let authPem: string;

function rsaPem(): string {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

function keyInfo(key: KeySummary): { name: string; kid: string; alg: string } {
  return { name: key.name, kid: key.thumbprint, alg: key.algs[0]! };
}

function inputFor(run: FlowRun, t: FlowTarget): CodeExportInput {
  return { run, target: t, keys: { jar: keyInfo(jarKey), clientAuth: keyInfo(authKey) } };
}

function expectSucceeded(run: FlowRun): void {
  expect(run.status, JSON.stringify(run.steps.map((s) => [s.name, s.status, s.error?.message]))).toBe('succeeded');
}

beforeAll(async () => {
  h = await flowHarness();
  mkdirSync(join(REPO, 'test-results'), { recursive: true });
  dir = mkdtempSync(join(REPO, 'test-results', 'code-export-'));
  // The same keys in the vault (for the engine) and in PEM files (for the programs).
  jarPem = rsaPem();
  authPem = rsaPem();
  jarKey = (await h.call<ImportResult>('keys.import', { name: 'Code export JAR', text: jarPem, usages: ['jar'] })).key;
  authKey = (await h.call<ImportResult>('keys.import', { name: 'Code export auth', text: authPem, usages: ['client-auth'] })).key;
  writeFileSync(join(dir, 'jar-key.pem'), jarPem, { mode: 0o600 });
  writeFileSync(join(dir, 'client-auth-key.pem'), authPem, { mode: 0o600 });

  const client = await h.call<{ client_id: string }>('server.createClient', {
    body: {
      name: 'Code Export App',
      app_type: 'regular_web',
      callbacks: [],
      grant_types: ['authorization_code', 'client_credentials'],
      token_endpoint_auth_method: 'client_secret_post',
    },
  });
  await h.call('server.createCredential', {
    clientId: client.client_id,
    fromVaultKey: { keyId: jarKey.id, name: 'jar', alg: 'RS256' },
    attachTo: 'signed_request_object',
  });
  await h.call('server.createCredential', {
    clientId: client.client_id,
    fromVaultKey: { keyId: authKey.id, name: 'pkj', alg: 'RS256' },
    attachTo: 'private_key_jwt',
  });
  const urls = h.core.server.running!.urls;
  await h.core.server.directory.createClientGrant({ client_id: client.client_id, audience: urls.managementAudience, scope: ['read:clients'] });
  const base = {
    issuer: urls.issuer,
    client_id: client.client_id,
    auth: { method: 'private_key_jwt' as const, keyId: authKey.id, hasSecret: false },
    redirect_uri: REDIRECT,
    scope: 'openid profile email',
    jarKeyId: jarKey.id,
    embedded: true,
  };
  target = await h.call<FlowTarget>('flows.saveTarget', { target: { id: 'code', name: 'Code "export" app', ...base } });
  apiTarget = await h.call<FlowTarget>('flows.saveTarget', { target: { id: 'code-api', name: 'Code export API', ...base, audience: urls.managementAudience } });
  builtIn = (await h.call<FlowTarget[]>('flows.listTargets')).find((x) => x.id === 'embedded')!;

  runs['par+jar'] = await h.run('code', 'par+jar');
  runs.par = await h.run('code', 'par');
  runs.jar = await h.run('code', 'jar');
  runs.client_credentials = await h.run('code-api', 'client_credentials');
  runs.builtin = await h.run('embedded', 'client_credentials');
  for (const run of Object.values(runs)) expectSucceeded(run);
});

afterAll(async () => {
  await h.core.close();
  rmSync(dir, { recursive: true, force: true });
});

/** What a program did. */
interface ProgramResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The URL the program said to open, when it printed one. */
  authorizeUrl?: string;
  /** The server's traces of the requests made while the program ran (oldest first). */
  traces: RequestTrace[];
}

/**
 * Writes a program and runs it (cwd: its directory). When it prints the URL to open, `onAuthorize`
 * decides what the user pastes back (undefined: nothing, standard input ends). Bounded by a timeout.
 */
async function runProgram(
  language: CodeLanguage,
  code: string,
  options: { env?: Record<string, string>; name?: string; onAuthorize?: (url: string) => Promise<string | undefined> } = {},
): Promise<ProgramResult> {
  const file = join(
    dir,
    options.name ?? `${language}-${Math.random().toString(36).slice(2)}${language === 'typescript' ? '.mts' : language === 'python' ? '.py' : '.sh'}`,
  );
  writeFileSync(file, code, { mode: 0o700 });
  // --norc: Node's stdio pipes are sockets, which bash takes for a remote shell and would source ~/.bashrc.
  const [command, args] = language === 'typescript' ? [TSX, [file]] : language === 'python' ? [PYTHON, [file]] : [BASH, ['--norc', file]];
  const since = Date.now();
  const child: ChildProcess = spawn(command, args, { cwd: dir, env: { PATH, HOME: dir, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let authorizeUrl: string | undefined;
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${language} program still running after ${PROGRAM_TIMEOUT_MS} ms:\n${stdout}\n${stderr}`));
    }, PROGRAM_TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
  const lines = createInterface({ input: child.stdout! });
  let answered = false;
  lines.on('line', (line) => {
    stdout += `${line}\n`;
    if (answered || !/^ {2}https?:\/\/\S+\/authorize\?/.test(line)) return;
    answered = true;
    authorizeUrl = line.trim();
    void (async () => {
      const pasted = options.onAuthorize ? await options.onAuthorize(authorizeUrl) : undefined;
      child.stdin!.end(pasted === undefined ? '' : `${pasted}\n`);
    })();
  });
  if (!options.onAuthorize) child.stdin!.end();
  const code_ = await exited;
  await new Promise((r) => setTimeout(r, 20));
  const traces = (h.core.server.running!.ctx.traces.list({ limit: 50 }) as RequestTrace[]).filter((t) => traceHostTimeMs(t) >= since - 1).reverse();
  return { code: code_, stdout, stderr, ...(authorizeUrl ? { authorizeUrl } : {}), traces };
}

/** The trace must exist, answer `status`, and show every rule passed (including rules of `families`). */
function expectAllRulesPassed(trace: RequestTrace | undefined, status: number, families: string[]): void {
  expect(trace, 'no server trace of the request').toBeDefined();
  const failed = trace!.rules.filter((r) => !r.passed).map((r) => `${r.id}: ${r.message}`);
  expect(failed, `failed rules (${trace!.path})`).toEqual([]);
  expect(trace!.failedRule).toBeUndefined();
  expect(trace!.status, `${trace!.path}: ${trace!.error ?? ''} ${trace!.errorDescription ?? ''}`).toBe(status);
  for (const family of families)
    expect(
      trace!.rules.some((r) => r.id.startsWith(`${family}-`)),
      `${family}-* rules in the trace of ${trace!.path}`,
    ).toBe(true);
}

const only = (traces: RequestTrace[], path: string): RequestTrace | undefined => {
  const found = traces.filter((t) => t.path === path);
  expect(found.length, `traces of ${path}`).toBe(1);
  return found[0];
};

function requestUriOf(stdout: string): string {
  const line = stdout.split('\n').find((l) => l.startsWith('request_uri: '));
  expect(line, stdout).toBeDefined();
  const uri = line!.slice('request_uri: '.length);
  expect(uri).toMatch(/^urn:ietf:params:oauth:request_uri:[A-Za-z0-9_-]+$/);
  return uri;
}

/** Signs in through the real login form and returns the callback URL the browser reaches. */
async function signIn(url: string): Promise<string> {
  const outcome = await h.launcher.signIn(url);
  if (!('callbackUrl' in outcome)) throw new Error(`sign-in did not reach the redirect URI for ${url}`);
  return outcome.callbackUrl;
}

const LANGUAGES_RUN: { language: CodeLanguage; tools: SystemTool[] }[] = [
  { language: 'typescript', tools: [] },
  { language: 'python', tools: [PYTHON_LIBS] },
  { language: 'shell', tools: [CURL, OPENSSL] },
];

describe('Code export › the programs', () => {
  it('never contain a private key or a client secret, and name each key file with its vault key and kid', () => {
    const secret = h.core.server.directory.bootstrapInfo().management.client_secret;
    const pemBody = (pem: string) => pem.split('\n').filter((l) => l && !l.startsWith('-----'));
    for (const language of CODE_LANGUAGES) {
      for (const [run, t] of [
        [runs['par+jar'], target],
        [runs.builtin, builtIn],
      ] as const) {
        const { code } = exportCode(inputFor(run, t), language);
        expect(code).not.toMatch(/PRIVATE KEY-----/);
        for (const line of [...pemBody(jarPem), ...pemBody(authPem)]) expect(code).not.toContain(line);
        expect(code).not.toContain(secret);
      }
      const { code } = exportCode(inputFor(runs['par+jar'], target), language);
      expect(code).toContain(
        `JAR_KEY_FILE (default ./jar-key.pem): the vault key "Code export JAR" (RS256, kid ${jarKey.thumbprint}): signs the request object.`,
      );
      expect(code).toContain(
        `CLIENT_AUTH_KEY_FILE (default ./client-auth-key.pem): the vault key "Code export auth" (RS256, kid ${authKey.thumbprint}): signs the client assertions.`,
      );
      expect(code).toContain('KEY_PASSPHRASE');
      // A secret-based target reads its secret from the environment.
      expect(exportCode(inputFor(runs.builtin, builtIn), language).code).toContain('CLIENT_SECRET');
    }
  });

  it('names the files by kind and language', () => {
    expect(CODE_LANGUAGES.map((l) => codeFileName({ kind: 'par+jar' }, l))).toEqual([
      'parley-flow-par-jar.mts',
      'parley-flow-par-jar.py',
      'parley-flow-par-jar.sh',
    ]);
  });

  it('the TypeScript programs typecheck in strict mode against jose and @types/node', () => {
    const check = join(dir, 'typecheck');
    mkdirSync(check);
    const kinds: [FlowRun, FlowTarget][] = [
      [runs['par+jar'], target],
      [runs.par, target],
      [runs.jar, target],
      [runs.client_credentials, apiTarget],
      [runs.builtin, builtIn],
      [
        { ...runs.par, id: 'plain', kind: 'plain' },
        { ...target, auth: { method: 'client_secret_basic', hasSecret: true } },
      ],
      [
        { ...runs.jar, id: 'extra', options: { pkce: false, jarClaims: { aud: 'https://wrong.example/', "it's": [1, { y: null }] } }, steps: [] },
        { ...target, name: 'Name\u2028with\nbreaks */', scope: `openid it's "x" \\ $HOME \u2028 \ud800`, auth: { method: 'none', hasSecret: false } },
      ],
      // DPoP: proofs, the nonce retry and /userinfo (with and without key files and PKCE).
      [runs['par+jar'], { ...target, dpop: { keyId: jarKey.id, bindCode: true } }],
      [
        { ...runs.par, id: 'plain-dpop', kind: 'plain', options: { pkce: false }, steps: [] },
        { ...target, auth: { method: 'none', hasSecret: false }, dpop: { keyId: jarKey.id, bindCode: false } },
      ],
      [runs.client_credentials, { ...apiTarget, dpop: { keyId: jarKey.id, bindCode: false } }],
    ];
    kinds.forEach(([run, t], i) => writeFileSync(join(check, `p${i}.mts`), exportCode(inputFor(run, t), 'typescript').code));
    writeFileSync(
      join(check, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noUncheckedIndexedAccess: true,
          noUnusedLocals: true,
          noUnusedParameters: true,
          noEmit: true,
          types: ['node'],
          skipLibCheck: true,
        },
        include: ['*.mts'],
      }),
    );
    const result = spawnSync(TSC, ['-p', join(check, 'tsconfig.json')], { encoding: 'utf8', timeout: 60_000 });
    expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
  }, 60_000);

  // Every kind and client authentication, with awkward names, scopes and claims.
  function programInputs(): CodeExportInput[] {
    const methods: FlowTarget['auth'][] = [
      { method: 'private_key_jwt', keyId: authKey.id, hasSecret: false },
      { method: 'client_secret_basic', hasSecret: true },
      { method: 'client_secret_post', hasSecret: true },
      { method: 'none', hasSecret: false },
    ];
    return (['jar', 'par', 'par+jar', 'plain', 'client_credentials'] as const).flatMap((kind) =>
      methods.flatMap((auth) => {
        const run: FlowRun = {
          ...runs.jar,
          kind,
          options: { pkce: kind !== 'plain', ...(kind === 'jar' ? { jarClaims: { "it's": 'a "quote"\n$(id)' } } : {}) },
          steps: [],
        };
        const t: FlowTarget = { ...target, name: 'Name with\nnewline', auth, scope: `openid it's "x" $HOME` };
        // Each also with DPoP (proofs, the nonce retry, /userinfo).
        return [inputFor(run, t), inputFor(run, { ...t, dpop: { keyId: jarKey.id, bindCode: false } })];
      }),
    );
  }

  it('the bash scripts parse, for every kind and client authentication', () => {
    for (const input of programInputs()) execFileSync(BASH, ['--norc', '-n'], { input: exportCode(input, 'shell').code, encoding: 'utf8' });
  });

  itNeeding(PYTHON3)('the Python programs compile, for every kind and client authentication', () => {
    for (const input of programInputs())
      execFileSync(PYTHON, ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: exportCode(input, 'python').code, encoding: 'utf8' });
  });

  itNeeding(OPENSSL)('the shell signing step makes JWS that verify: RS256, PS256 and ES256/ES384 (DER turned into r || s)', async () => {
    const keys = {
      RS256: generateKeyPairSync('rsa', { modulusLength: 2048 }),
      PS256: generateKeyPairSync('rsa', { modulusLength: 2048 }),
      ES256: generateKeyPairSync('ec', { namedCurve: 'P-256' }),
      ES384: generateKeyPairSync('ec', { namedCurve: 'P-384' }),
    };
    for (const [alg, pair] of Object.entries(keys)) {
      const file = join(dir, `sign-${alg}.pem`);
      writeFileSync(file, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), { mode: 0o600 });
      const spki = await importSPKI(pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(), alg);
      // ECDSA signatures vary in length (a leading zero byte in r or s): sign several times.
      for (let i = 0; i < (alg.startsWith('ES') ? 12 : 2); i++) {
        const header = JSON.stringify({ alg, typ: 'JWT', kid: 'k' });
        const payload = JSON.stringify({ i, s: `it's "x"` });
        const jws = execFileSync(BASH, ['--norc', '-c', `${SHELL_HELPERS}\nsign_jwt "$@"`, 'sign', alg, file, header, payload], {
          env: { PATH },
          encoding: 'utf8',
        });
        const verified = await compactVerify(jws, spki);
        expect(verified.protectedHeader).toEqual({ alg, typ: 'JWT', kid: 'k' });
        expect(new TextDecoder().decode(verified.payload)).toBe(payload);
      }
    }
  });
});

describe('Code export › against the embedded server', () => {
  for (const { language, tools } of LANGUAGES_RUN) {
    const itRuns = itNeeding(...tools);

    itRuns(`${language}: PAR + JAR with private_key_jwt prints a request_uri, every PAR rule passes, and the pasted callback gets tokens`, async () => {
      const { code } = exportCode(inputFor(runs['par+jar'], target), language);
      // Python reads the keys as Parley exports them (encrypted PKCS#8) with KEY_PASSPHRASE; the others read plain PKCS#8.
      let env: Record<string, string> = {};
      if (language === 'python') {
        const passphrase = 'an export passphrase';
        const exported = async (id: string, name: string) => {
          // Every private export proves the vault's passphrase (the one flows/helpers.ts sets up with).
          const file = await h.call<ExportedFile>('keys.exportPrivate', { id, confirm: true, passphrase, vaultPassphrase: 'correct horse battery staple' });
          expect(file.content).toContain('ENCRYPTED PRIVATE KEY');
          writeFileSync(join(dir, name), file.content, { mode: 0o600 });
          return join(dir, name);
        };
        env = {
          JAR_KEY_FILE: await exported(jarKey.id, 'jar.private.pem'),
          CLIENT_AUTH_KEY_FILE: await exported(authKey.id, 'auth.private.pem'),
          KEY_PASSPHRASE: passphrase,
        };
      }
      let callbackUrl = '';
      const result = await runProgram(language, code, {
        env,
        onAuthorize: async (url) => {
          callbackUrl = await signIn(url);
          return callbackUrl;
        },
      });
      expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
      const requestUri = requestUriOf(result.stdout);
      console.log(`[code-export] ${language} par+jar → request_uri: ${requestUri}`);
      expectAllRulesPassed(only(result.traces, '/oauth/par'), 201, ['JAR', 'PKJ']);
      // The authorize URL carries the new request_uri, and the browser went through to the redirect URI with a code.
      expect(new URL(result.authorizeUrl!).searchParams.get('request_uri')).toBe(requestUri);
      expect(new URL(callbackUrl).searchParams.get('code')).toBeTruthy();
      // The code exchange: a second, fresh client assertion; the token endpoint's rules all pass.
      expectAllRulesPassed(only(result.traces, '/oauth/token'), 200, ['PKJ']);
      expect(result.stdout).toMatch(/"id_token": ?"eyJ/);
      const assertions = result.stdout.split('\n').filter((l) => l.startsWith('Client assertion: '));
      expect(assertions.length).toBe(2);
      expect(new Set(assertions).size).toBe(2);
    });

    itRuns(`${language}: JAR by value prints an /authorize URL whose request object passes the server's checks (302 to the login page)`, async () => {
      const { code } = exportCode(inputFor(runs.jar, target), language);
      let response: Response | undefined;
      const result = await runProgram(language, code, {
        onAuthorize: async (url) => {
          response = await fetch(url, { redirect: 'manual' });
          return undefined;
        },
      });
      expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
      expect(result.stdout).toContain('No callback URL: stopping before the token exchange.');
      const url = new URL(result.authorizeUrl!);
      expect(url.searchParams.get('client_id')).toBe(target.client_id);
      expect(url.searchParams.get('request')).toMatch(/^eyJ/);
      expect(response?.status).toBe(302);
      expect(new URL(response!.headers.get('location')!, url).pathname).toBe('/u/login');
      expectAllRulesPassed(only(result.traces, '/authorize'), 302, ['JAR']);
      console.log(
        `[code-export] ${language} jar → ${url.origin}${url.pathname}?client_id=…&request=${url.searchParams.get('request')!.slice(0, 24)}… → 302 ${response!.headers.get('location')}`,
      );
    });

    itRuns(`${language}: client_credentials with private_key_jwt prints an access token`, async () => {
      const { code } = exportCode(inputFor(runs.client_credentials, apiTarget), language);
      const result = await runProgram(language, code);
      expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
      expect(result.stdout).toMatch(/^access_token: eyJ/m);
      expectAllRulesPassed(only(result.traces, '/oauth/token'), 200, ['PKJ']);
    });
  }

  itNeeding(CURL, OPENSSL)('shell: PAR with plain parameters (no request object) is accepted too', async () => {
    const result = await runProgram('shell', exportCode(inputFor(runs.par, target), 'shell').code);
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    console.log(`[code-export] shell par → request_uri: ${requestUriOf(result.stdout)}`);
    expectAllRulesPassed(only(result.traces, '/oauth/par'), 201, ['PKJ']);
  });

  for (const language of ['shell', 'python'] as const) {
    itNeeding(...(language === 'python' ? [PYTHON_LIBS] : [CURL, OPENSSL]))(
      `${language}: the built-in target's client_credentials reads CLIENT_SECRET (and stops without it)`,
      async () => {
        const { code } = exportCode(inputFor(runs.builtin, builtIn), language);
        const missing = await runProgram(language, code);
        expect(missing.code).toBe(2);
        expect(missing.stderr).toContain('Set CLIENT_SECRET');
        const secret = h.core.server.directory.bootstrapInfo().management.client_secret;
        const result = await runProgram(language, code, { env: { CLIENT_SECRET: secret } });
        expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
        expect(result.stdout).toMatch(/^access_token: eyJ/m);
        expect(only(result.traces, '/oauth/token')?.status).toBe(200);
      },
    );
  }

  it('typescript: with the wrong request-object key the program fails, and the server names the failed JAR rule', async () => {
    writeFileSync(join(dir, 'wrong-key.pem'), rsaPem(), { mode: 0o600 });
    const { code } = exportCode(inputFor(runs['par+jar'], target), 'typescript');
    const result = await runProgram('typescript', code, { env: { JAR_KEY_FILE: join(dir, 'wrong-key.pem') } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/The PAR endpoint rejected the request \(HTTP 400 invalid_request_object/);
    const par = only(result.traces, '/oauth/par');
    expect(par?.failedRule).toMatch(/^JAR-/);
  });

  it('typescript: a missing key file is named with the vault key it must hold', async () => {
    const { code } = exportCode(inputFor(runs['par+jar'], target), 'typescript');
    const result = await runProgram('typescript', code, { env: { JAR_KEY_FILE: join(dir, 'nowhere.pem') } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `Cannot read ${join(dir, 'nowhere.pem')}: save the vault key "Code export JAR" (RS256, kid ${jarKey.thumbprint}): signs the request object there`,
    );
    expect(result.traces.filter((t) => t.path === '/oauth/par')).toEqual([]);
  });

  it('the engine run and the export agree on the request object: same header and the same claim names', () => {
    const recorded = stepOf(runs['par+jar'], 'build').jwts.find((j) => j.label === 'Request object')!.token;
    const header = JSON.parse(Buffer.from(recorded.split('.')[0]!, 'base64url').toString()) as Record<string, unknown>;
    expect(header).toEqual({ alg: 'RS256', typ: 'oauth-authz-req+jwt', kid: jarKey.thumbprint });
    const claims = Object.keys(JSON.parse(Buffer.from(recorded.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>);
    const { code } = exportCode(inputFor(runs['par+jar'], target), 'typescript');
    for (const claim of claims) expect(code, claim).toMatch(new RegExp(`^\\s+${claim}[:,]`, 'm'));
    expect(code).toContain(`kid: '${jarKey.thumbprint}'`);
    expect(code).toContain("sign(JAR_KEY, 'oauth-authz-req+jwt'");
  });
});

describe('Code export › DPoP (RFC 9449) against the embedded server', () => {
  const dpopRuns = {} as Record<'public' | 'confidential', { run: FlowRun; target: FlowTarget }>;
  beforeAll(async () => {
    const dpopKey = await h.call<KeySummary>('keys.generate', { name: 'Code export DPoP', spec: { kty: 'EC', crv: 'P-256' }, usages: ['other'] });
    const dpop = { keyId: dpopKey.id, bindCode: true };
    // A public client (plain parameters: public clients cannot push): the embedded server asks it for a
    // nonce at /oauth/token (DPN-1), so the retry happens. The confidential one pushes a request object.
    const pub = await h.call<{ client_id: string }>('server.createClient', {
      body: { name: 'Code Export DPoP', app_type: 'spa', callbacks: [REDIRECT], grant_types: ['authorization_code'], token_endpoint_auth_method: 'none' },
    });
    const issuer = h.core.server.running!.urls.issuer;
    const publicTarget = await h.call<FlowTarget>('flows.saveTarget', {
      target: {
        id: 'code-dpop',
        name: 'Code export DPoP',
        issuer,
        client_id: pub.client_id,
        auth: { method: 'none', hasSecret: false },
        redirect_uri: REDIRECT,
        scope: 'openid profile email',
        embedded: true,
        dpop,
      },
    });
    const { id: _id, ...confidential } = target;
    const confidentialTarget = await h.call<FlowTarget>('flows.saveTarget', {
      target: { ...confidential, id: 'code-dpop-conf', name: 'Code export DPoP (confidential)', dpop },
    });
    dpopRuns.public = { run: await h.run('code-dpop', 'plain'), target: publicTarget };
    dpopRuns.confidential = { run: await h.run('code-dpop-conf', 'par+jar'), target: confidentialTarget };
    for (const { run } of Object.values(dpopRuns)) expectSucceeded(run);
  });

  it('the programs without DPoP send no proof (the export follows the target)', () => {
    for (const language of CODE_LANGUAGES) expect(exportCode(inputFor(runs.par, target), language).code.toLowerCase()).not.toContain('dpop');
  });

  for (const { language, tools } of LANGUAGES_RUN) {
    itNeeding(...tools)(
      `${language}: a public client: DPoP proofs, the nonce retry at the token endpoint, a DPoP-bound token and /userinfo with it`,
      async () => {
        const { run, target: t } = dpopRuns.public;
        const result = await runProgram(language, exportCode(inputFor(run, t), language).code, { onAuthorize: signIn });
        expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
        const issuer = h.core.server.running!.urls.issuer;
        // The first token request is challenged for a nonce; the program sends it again with that nonce.
        const tokens = result.traces.filter((t) => t.path === '/oauth/token');
        expect(tokens.map((t) => [t.status, t.error])).toEqual([
          [400, 'use_dpop_nonce'],
          [200, undefined],
        ]);
        expectAllRulesPassed(tokens[1], 200, ['DPP', 'DPN']);
        expect(tokens[1]!.rules.find((r) => r.id === 'DPB-2')?.actual).toMatch(/^cnf\.jkt [A-Za-z0-9_-]{43}$/);
        expect(result.stdout).toContain(`${new URL('oauth/token', issuer).href}: use_dpop_nonce, sending again with the server's nonce.`);
        expect(result.stdout).toMatch(/"token_type": ?"DPoP"/);
        // /userinfo: the DPoP scheme with a proof carrying ath, accepted.
        expectAllRulesPassed(only(result.traces, '/userinfo'), 200, ['DPP']);
        expect(result.stdout).toContain('Userinfo:');
        expect(result.stdout).toMatch(/"sub": ?"/);
      },
    );

    itNeeding(...tools)(
      `${language}: PAR + JAR + private_key_jwt: proofs accepted at PAR and token, token_type DPoP with cnf.jkt, /userinfo with it`,
      async () => {
        const { run, target: t } = dpopRuns.confidential;
        const result = await runProgram(language, exportCode(inputFor(run, t), language).code, { onAuthorize: signIn });
        expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
        expectAllRulesPassed(only(result.traces, '/oauth/par'), 201, ['JAR', 'PKJ', 'DPP']);
        const token = only(result.traces, '/oauth/token');
        expectAllRulesPassed(token, 200, ['PKJ', 'DPP']);
        expect(token!.rules.find((r) => r.id === 'DPB-2')?.actual).toMatch(/^cnf\.jkt [A-Za-z0-9_-]{43}$/);
        // The run bound its code (dpop_jkt): the program binds it to its own key, and redeems it with that key.
        expect(run.steps.find((s) => s.name === 'build')?.detail?.['parameters']).toHaveProperty('dpop_jkt');
        expect(token!.rules.find((r) => r.id === 'DPB-7')?.passed).toBe(true);
        expect(result.stdout).toMatch(/"token_type": ?"DPoP"/);
        expectAllRulesPassed(only(result.traces, '/userinfo'), 200, ['DPP']);
      },
    );
  }
});

describe('Code export › a run that signed PS256 (the strict profile lists only PS256: PKJ-6, JAR-5)', () => {
  let strictRun: { run: FlowRun; target: FlowTarget };
  beforeAll(async () => {
    await h.call('server.updateSettings', { profile: 'strict' });
    const client = await h.call<{ client_id: string }>('server.createClient', {
      body: {
        name: 'Code Export PS256',
        app_type: 'regular_web',
        callbacks: [REDIRECT],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    });
    for (const [keyId, attachTo] of [
      [jarKey.id, 'signed_request_object'],
      [authKey.id, 'private_key_jwt'],
    ] as const)
      await h.call('server.createCredential', { clientId: client.client_id, fromVaultKey: { keyId, name: attachTo, alg: 'PS256' }, attachTo });
    const { id: _id, ...base } = target;
    const t = await h.call<FlowTarget>('flows.saveTarget', { target: { ...base, id: 'code-ps256', name: 'Code export PS256', client_id: client.client_id } });
    strictRun = { run: await h.run('code-ps256', 'par+jar'), target: t };
    expectSucceeded(strictRun.run);
  });
  afterAll(async () => {
    await h.call('server.updateSettings', { profile: 'auth0' });
  });

  for (const { language, tools } of LANGUAGES_RUN) {
    itNeeding(...tools)(`${language}: the program signs PS256 as the run did (the keys' first alg is RS256), and the PAR and token rules pass`, async () => {
      const exported = exportCode(inputFor(strictRun.run, strictRun.target), language);
      expect(inputFor(strictRun.run, strictRun.target).keys?.jar?.alg).toBe('RS256');
      expect(exported.keyFiles.map((k) => [k.role, k.alg])).toEqual([
        ['jar', 'PS256'],
        ['clientAuth', 'PS256'],
      ]);
      const result = await runProgram(language, exported.code, { onAuthorize: signIn });
      expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
      const par = only(result.traces, '/oauth/par');
      expectAllRulesPassed(par, 201, ['JAR', 'PKJ']);
      expect(par!.rules.filter((r) => r.id === 'PKJ-6' || r.id === 'JAR-5').map((r) => r.passed)).toEqual([true, true]);
      expectAllRulesPassed(only(result.traces, '/oauth/token'), 200, ['PKJ']);
      expect(result.stdout).toMatch(/"id_token": ?"eyJ/);
    });
  }
});
