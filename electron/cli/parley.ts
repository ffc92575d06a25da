/**
 * `parley`: Explain's rules at the command line (issue #19). `explain`, `lint`, `decode` and `sign` use
 * the same shared code as the UI — shared/explain (paste recognition, the explanation, "evaluate at"),
 * shared/jwt (decode, lint, the rules and their words) — with the core's key reading and signature check,
 * and jose to sign. Keys come from files (no vault). Built into one file, out/cli/parley.js (the `parley`
 * bin; vite.cli.config.ts). Exit codes: 0 every rule passed, 1 a rule failed, 2 bad input or usage,
 * 3 no rule failed but some were not evaluated.
 */
import { parseArgs } from 'node:util';
import { CompactSign } from 'jose';
import type { Explanation } from '../../shared/explain/explain';
import type { EvaluateAtMode } from '../../shared/explain/evaluate-at';
import { evaluateAt } from '../../shared/explain/evaluate-at';
import type { PasteParse, PastedInput, PastedRole } from '../../shared/explain/paste';
import { detectRole, expectationsFor, explainPasted, parsePasted, pastedJwts } from '../../shared/explain/paste';
import { decodeCompactJwt, JwtDecodeError } from '../../shared/jwt/decode';
import type { ProfileId } from '../../shared/jwt/profiles';
import { PROFILES } from '../../shared/jwt/profiles';
import type { VerifyResult } from '../../shared/schemas/jwt';
import { explainHar } from '../../shared/har/explain';
import type { HarImport } from '../../shared/har/import';
import { importHar } from '../../shared/har/import';
import { HarReadError } from '../../shared/har/har';
import type { GivenText } from './parley/input';
import { CliError, looksLikeHar, MAX_INPUT_BYTES, readGiven, readStdin, readTextFile } from './parley/input';
import { defaultAlg, signingKey, verificationSource } from './parley/keys';
import { isDpopLint, lintDpopCommand } from './parley/dpop';
import type { ExplainContext } from './parley/render';
import {
  EXIT,
  colourFor,
  exitCodeOf,
  harExitCode,
  renderHarJson,
  renderHarMarkdown,
  renderHarText,
  renderJson,
  renderMarkdown,
  renderText,
  styles,
} from './parley/render';

const PROFILE_IDS = Object.keys(PROFILES) as ProfileId[];

const USAGE = `Usage: parley <command> [options]

  parley explain <INPUT> [--profile ${PROFILE_IDS.join('|')}] [--issuer URL] [--client-id ID]
                         [--audience URL] [--as request-object|client-assertion] [--at now|iat|TIME]
                         [--key FILE|URL] [--json]
      Explains a JWT, an /authorize URL or a PAR body with the rules Parley's server applies: every rule,
      the first failing on top, with expected, actual, source and fix.
  parley lint <JWT> --as request-object|client-assertion [same options as explain]
      The rules of one JWT in the role given.
  parley lint <PROOF> --as dpop-proof --request "METHOD URL" [--access-token TOKEN] [--nonce NONCE]
                       [--jkt THUMBPRINT] [--server-time now|TIME] [--response-date DATE] [--profile P]
                       [--json|--markdown]
      A DPoP proof judged for the request it was sent with (DPP-*, DPN-*, DPB-* rules), as Explain's DPoP
      card judges it, with the htu lens (the URL the server computes beside the proof's htu, the part that
      differs and its usual cause: a proxy, a path prefix, a default port, a trailing slash) and the clock
      line (iat, server time, the window; the skew measured from --response-date, the response's Date).
      --request "POST https://tenant.example.com/oauth/token" (or --method and --url; --htm and --htu
      are the same), --access-token checks ath as /userinfo does (hashed, never printed; --ath-token is
      the same), --nonce the server's DPoP-Nonce, --jkt the dpop_jkt or cnf.jkt the proof key must match,
      --server-time the time the server judges at (default now; --at is the same).
  parley decode <JWT> [--json]
      The header and payload of a JWT (or of each JWT in a URL or PAR body). Nothing is verified.
  parley sign --key FILE --claims FILE|JSON|- [--alg ALG] [--typ TYP] [--kid KID]
      Signs the claims (a JSON object, exactly as given) and prints the compact JWT.

INPUT and JWT: the text itself, a file holding it, or - for standard input (at most 2 MB).
  A HAR file (file.har, at most 100 MB; or HAR JSON on standard input): every OAuth exchange in it
  (discovery, JWKS, /authorize, PAR, token, userinfo) is found and explained, each at its own time and
  under the profile its issuer calls for (auth0 for *.auth0.com and --auth0-domain hosts, okta for Okta
  orgs, else strict) unless --profile is given. Secrets (client secrets, passwords, cookies, refresh
  tokens, codes and verifiers, access-token signatures) are removed on the way in; the report says which.

  --profile P     the server behaviour to judge by (default auth0; a HAR: by issuer): ${PROFILE_IDS.join(', ')}
  --auth0-domain H  a HAR's host that is an Auth0 custom domain (login.example.com; comma-separated)
  --issuer URL    the authorization server's issuer, exactly as discovery publishes it (Auth0: with the
                  trailing slash). Never taken from the token: without it the aud rules (JAR-11, PKJ-8) are
                  not evaluated
  --client-id ID  the client's client_id (default: from the input)
  --audience URL  where a client assertion was sent (default: {issuer}oauth/token, or oauth/par for a PAR body)
  --as ROLE       explain a bare JWT as a request-object or a client-assertion (default: detected)
  --at WHEN       evaluate the time rules at: now (default), iat (the token's own iat: for a token copied
                  from a log), or a time (2026-12-07T14:03:11Z, "2026-12-07 14:03:11" UTC, epoch seconds)
  --key FILE|URL  the client's public key to check signatures: PEM public key or certificate, a JWK or a
                  JWKS file, or a JWKS URL (https, or http to this machine). A private key file is accepted
                  (only its public half is used, and it is never printed)
  --json          print one JSON document (the verdict and every rule: id, status, summary, expected,
                  actual, sources, fix) instead of text
  --markdown      print the explanation as Markdown for a ticket, as the app's Copy as Markdown makes it
                  (failing rules first, then one line of passes; secrets removed)

  sign: --key FILE   the private key: PEM (PKCS#8, PKCS#1 RSA, SEC1 EC), a private JWK, or a JWKS holding one
        --claims C   a JSON object: inline ({"iss":…}), a file, or - for standard input
        --alg ALG    default from the key: RS256 (RSA), PS256 (RSA-PSS), ES256/384/512 (EC), EdDSA
        --typ TYP    the header typ, e.g. oauth-authz-req+jwt (none by default)
        --kid KID    the header kid (default: the JWK's kid, else none)

Exit codes:
  0  every rule passed (decode, sign: done)
  1  at least one rule failed
  2  bad input or usage (the message names the problem); nothing was judged
  3  no rule failed, but some were not evaluated (e.g. no --issuer): not a pass

Colour only on a terminal; NO_COLOR turns it off, FORCE_COLOR=1 on.`;

const MAX_PASTE_CHARS = 1_000_000;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

type Values = Record<string, string | boolean | undefined>;

function options(names: readonly string[]) {
  return {
    ...Object.fromEntries(names.map((n) => [n, { type: 'string' as const }])),
    json: { type: 'boolean' as const },
    markdown: { type: 'boolean' as const },
    help: { type: 'boolean' as const, short: 'h' },
  };
}

function parse(command: string, args: string[], names: readonly string[]): { values: Values; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args, options: options(names), allowPositionals: true, strict: true });
    return { values: values as Values, positionals };
  } catch (e) {
    throw new CliError(`${command}: ${e instanceof Error ? e.message : String(e)} (parley --help lists the options)`);
  }
}

function str(values: Values, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

function oneInput(command: string, positionals: string[], what: string): string {
  if (positionals.length === 0) throw new CliError(`${command}: give the ${what} (the text, a file, or - for standard input)`);
  if (positionals.length > 1)
    throw new CliError(`${command}: one ${what} at a time; got ${positionals.length} arguments (quote a URL: its & would split the command)`);
  return positionals[0]!;
}

function profileOption(values: Values): ProfileId {
  const profile = str(values, 'profile') ?? 'auth0';
  if (!(PROFILE_IDS as string[]).includes(profile)) throw new CliError(`--profile must be one of ${PROFILE_IDS.join(', ')}, not ${JSON.stringify(profile)}`);
  return profile as ProfileId;
}

function roleOption(values: Values): PastedRole | undefined {
  const role = str(values, 'as');
  if (role === undefined) return undefined;
  if (role === 'request-object') return 'requestObject';
  if (role === 'client-assertion') return 'clientAssertion';
  throw new CliError(`--as must be request-object or client-assertion, not ${JSON.stringify(role)}`);
}

function urlOption(values: Values, name: string): string {
  const value = str(values, name)?.trim() ?? '';
  if (value === '') return '';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliError(`--${name} must be a URL (e.g. https://tenant.example.com/), not ${JSON.stringify(value.slice(0, 80))}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new CliError(`--${name} must be an http(s) URL, not ${JSON.stringify(value.slice(0, 80))}`);
  return value;
}

/**
 * The pasted text as Explain reads it. A bare JWT past the paste box's 1 MB is still read as a JWT here,
 * so its size rule (JWT-8) answers — a bounded result — instead of a refusal that names no rule.
 */
function readPasted(text: string): PasteParse {
  const trimmed = text.trim();
  if (trimmed.length > MAX_PASTE_CHARS && COMPACT_JWS.test(trimmed)) {
    let role: PastedRole = 'requestObject';
    try {
      const { header, payload } = decodeCompactJwt(trimmed, { maxBytes: MAX_INPUT_BYTES });
      role = detectRole(header, payload);
    } catch {
      // Undecodable: its decode rule says why.
    }
    return { ok: true, input: { kind: 'jwt', token: trimmed, role } };
  }
  return parsePasted(text);
}

const INPUT_KINDS: Record<PastedInput['kind'], string> = { 'authorize-url': 'authorize-url', 'par-body': 'par-body', jwt: 'jwt' };

async function explainCommand(command: 'explain' | 'lint', args: string[]): Promise<number> {
  const { values, positionals } = parse(command, args, ['profile', 'issuer', 'client-id', 'audience', 'as', 'at', 'key', 'auth0-domain']);
  if (values['help']) return help();
  const json = values['json'] === true;
  if (json && values['markdown'] === true) throw new CliError(`${command}: --json or --markdown, not both`);
  const first = await readGiven(oneInput(command, positionals, command === 'lint' ? 'JWT' : 'input'));
  if (first.har === true || looksLikeHar(first.text)) {
    if (command === 'lint') throw new CliError(`lint takes one JWT; ${first.from} is a HAR file: use parley explain`);
    return explainHarCommand(first, values);
  }
  if (str(values, 'auth0-domain') !== undefined) throw new CliError('--auth0-domain is for a HAR file');
  const profile = profileOption(values);
  const role = roleOption(values);
  if (command === 'lint' && role === undefined) throw new CliError('lint: give the role with --as request-object or --as client-assertion');
  const issuer = urlOption(values, 'issuer');
  const audienceOption = urlOption(values, 'audience');
  const atOption = str(values, 'at') ?? 'now';
  const given = first;
  const parsed = readPasted(given.text);
  if (!parsed.ok) throw new CliError(`${given.from} cannot be explained: ${parsed.error.message}`);
  const input = parsed.input;
  if (command === 'lint' && input.kind !== 'jwt')
    throw new CliError(`lint takes one JWT; ${given.from} is ${input.kind === 'par-body' ? 'a PAR body' : 'an /authorize URL'}: use parley explain`);
  const roleOverride = input.kind === 'jwt' ? role : undefined;

  const mode: EvaluateAtMode = atOption === 'now' ? 'now' : atOption === 'iat' ? 'iat' : 'typed';
  const at = evaluateAt(mode, { nowMs: Date.now(), input, ...(roleOverride ? { role: roleOverride } : {}), typed: atOption });
  if (!at.ok) {
    if (at.error.code === 'time-no-iat') throw new CliError('--at iat: the token has no numeric iat; use --at now or give a time');
    throw new CliError(
      `--at ${JSON.stringify(atOption.slice(0, 40))} is not a time: use now, iat, ISO 8601 (2026-12-07T14:03:11Z), a log timestamp (2026-12-07 14:03:11, UTC) or epoch seconds`,
    );
  }

  const prefill = expectationsFor(input, roleOverride, issuer);
  const clientId = str(values, 'client-id')?.trim() ?? prefill.clientId;
  const audience = audienceOption || prefill.audience;
  const jwts = pastedJwts(input, roleOverride);

  const keyArg = str(values, 'key');
  const signatures: Partial<Record<PastedRole, VerifyResult | null>> = {};
  if (keyArg !== undefined && jwts.length > 0) {
    const { source, name } = verificationSource(keyArg);
    const { verifyWith } = await import('./parley/verify');
    for (const jwt of jwts) signatures[jwt.role] = await verifyWith(jwt.token.trim(), source, name);
    // A key that cannot be used judges nothing: say so, rather than an explanation without signatures.
    const unusable = Object.values(signatures).find((r) => r?.failure === 'source-invalid' || r?.failure === 'fetch-failed');
    if (unusable) throw new CliError(`--key ${keyArg}: ${unusable.message}`);
  }

  const explanation: Explanation = explainPasted(input, {
    issuer,
    audience,
    clientId,
    profile,
    now: at.seconds,
    ...(roleOverride ? { role: roleOverride } : {}),
    signatures,
  });
  const code = exitCodeOf(explanation);
  const ctx: ExplainContext = {
    command,
    input: { kind: INPUT_KINDS[input.kind], from: given.from, jwts: jwts.map((j) => j.role) },
    profile,
    issuer,
    clientId,
    // The audience is a client assertion's (PKJ-8); a request object's aud is judged against the issuer.
    audience: jwts.some((j) => j.role === 'clientAssertion') ? audience : '',
    at: mode,
    key: keyArg ?? null,
  };
  await write(
    json
      ? renderJson(explanation, ctx, code)
      : values['markdown'] === true
        ? renderMarkdown(explanation, ctx)
        : renderText(explanation, ctx, colourFor(process.stdout)),
  );
  return code;
}

/** `parley explain file.har`: every OAuth exchange in the file, explained; the exit code is the worst of them. */
async function explainHarCommand(given: GivenText, values: Values): Promise<number> {
  for (const name of ['client-id', 'audience', 'as', 'at']) {
    if (str(values, name) !== undefined)
      throw new CliError(`--${name} is not used with a HAR file: each exchange is read with its own client_id, audience and time`);
  }
  const profile = str(values, 'profile') === undefined ? undefined : profileOption(values);
  const issuer = urlOption(values, 'issuer');
  const auth0Domains = (str(values, 'auth0-domain') ?? '')
    .split(',')
    .map((d) => d.trim())
    .filter((d) => d !== '');
  let imported: HarImport;
  try {
    imported = importHar(given.text);
  } catch (e) {
    if (e instanceof HarReadError) throw new CliError(`${given.from} cannot be read: ${e.message}`);
    throw e;
  }
  if (imported.exchanges.length === 0) {
    throw new CliError(
      `${given.from} holds no OAuth exchange: none of its ${imported.entries} ${imported.entries === 1 ? 'entry is' : 'entries is'} a discovery, JWKS, /authorize, PAR, token or userinfo request`,
    );
  }
  const keyArg = str(values, 'key');
  const signatures = new Map<number, Partial<Record<PastedRole, VerifyResult | null>>>();
  if (keyArg !== undefined) {
    const { source, name } = verificationSource(keyArg);
    const { verifyWith } = await import('./parley/verify');
    for (const exchange of imported.exchanges) {
      const checked: Partial<Record<PastedRole, VerifyResult | null>> = {};
      for (const jwt of exchange.jwts) {
        if (jwt.role !== 'requestObject' && jwt.role !== 'clientAssertion') continue;
        const result = await verifyWith(jwt.token, source, name);
        if (result.failure === 'source-invalid' || result.failure === 'fetch-failed') throw new CliError(`--key ${keyArg}: ${result.message}`);
        checked[jwt.role] = result;
      }
      signatures.set(exchange.entry, checked);
    }
  }
  const explained = explainHar(imported, {
    ...(profile === undefined ? {} : { profile }),
    auth0Domains,
    ...(issuer === '' ? {} : { issuer }),
    now: Math.floor(Date.now() / 1000),
    signatures,
  });
  const code = harExitCode(explained);
  const ctx = { from: given.from, imported };
  await write(
    values['json'] === true
      ? renderHarJson(explained, ctx, code)
      : values['markdown'] === true
        ? renderHarMarkdown(explained, ctx)
        : renderHarText(explained, ctx, colourFor(process.stdout)),
  );
  return code;
}

async function decodeCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse('decode', args, []);
  if (values['help']) return help();
  const given = await readGiven(oneInput('decode', positionals, 'JWT'));
  if (given.har === true || looksLikeHar(given.text))
    throw new CliError(
      `decode takes a JWT, a URL or a PAR body; ${given.from} is a HAR file: parley explain ${given.har ? 'FILE.har' : '-'} --json lists its JWTs`,
    );
  const text = given.text.trim();
  let tokens: { role: string | null; token: string }[];
  // A URL or a PAR body: decode each JWT it carries; anything else is taken as one token.
  const isRequest = !COMPACT_JWS.test(text) && (/^[a-z][a-z0-9+.-]*:\/\//i.test(text) || text.startsWith('/') || text.startsWith('?') || text.includes('='));
  if (!isRequest) {
    tokens = [{ role: null, token: text }];
  } else {
    const parsed = parsePasted(text);
    if (!parsed.ok) throw new CliError(`${given.from} cannot be decoded: ${parsed.error.message}`);
    tokens = pastedJwts(parsed.input).map((j) => ({ role: j.role === 'requestObject' ? 'request object' : 'client assertion', token: j.token }));
    if (tokens.length === 0) throw new CliError(`${given.from} carries no JWT (no request, no client_assertion)`);
  }
  const decoded = tokens.map(({ role, token }) => {
    try {
      return { role, ...decodeCompactJwt(token, { maxBytes: MAX_INPUT_BYTES }) };
    } catch (e) {
      const reason = e instanceof JwtDecodeError ? e.message : String(e);
      throw new CliError(`${role ? `the ${role} in ${given.from}` : given.from} is not a readable JWT: ${reason}`);
    }
  });
  if (values['json'] === true) {
    const docs = decoded.map((d) => ({ ...(d.role ? { role: d.role } : {}), header: d.header, payload: d.payload, signature: d.signatureB64, bytes: d.bytes }));
    await write(`${JSON.stringify(docs.length === 1 ? docs[0] : docs, null, 2)}\n`);
    return EXIT.ok;
  }
  const s = styles(colourFor(process.stdout));
  const out: string[] = [];
  for (const d of decoded) {
    if (d.role) out.push(s.bold(`— ${d.role} —`));
    out.push(s.bold('Header'), JSON.stringify(d.header, null, 2), s.bold('Payload'), JSON.stringify(d.payload, null, 2));
    const times = (['iat', 'nbf', 'exp'] as const).filter(
      (n) => typeof d.payload[n] === 'number' && Number.isFinite(d.payload[n]) && Math.abs(d.payload[n] as number) < 1e11,
    );
    if (times.length > 0)
      out.push(s.dim(times.map((n) => `${n} ${new Date((d.payload[n] as number) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')}`).join(' · ')));
    out.push(
      s.dim(
        d.signatureB64 === ''
          ? 'No signature (unsigned).'
          : `Signature: ${Buffer.from(d.signatureB64, 'base64url').length} bytes, not verified (parley explain --key checks it).`,
      ),
      '',
    );
  }
  await write(out.join('\n'));
  return EXIT.ok;
}

async function signCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse('sign', args, ['key', 'claims', 'alg', 'typ', 'kid']);
  if (values['help']) return help();
  if (positionals.length > 0) throw new CliError(`sign takes no argument besides its options; got ${JSON.stringify(positionals[0]!.slice(0, 40))}`);
  const keyFile = str(values, 'key');
  const claimsArg = str(values, 'claims');
  if (keyFile === undefined) throw new CliError('sign: give the private key with --key FILE');
  if (claimsArg === undefined) throw new CliError('sign: give the claims with --claims FILE, --claims \'{"iss":…}\' or --claims -');
  const claimsText = claimsArg.trim().startsWith('{') ? claimsArg : claimsArg === '-' ? await readStdin() : readTextFile(claimsArg, '--claims');
  let claims: unknown;
  try {
    claims = JSON.parse(claimsText);
  } catch (e) {
    throw new CliError(`--claims is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) throw new CliError('--claims must be a JSON object ({ … })');
  const { key, kid } = signingKey(keyFile, str(values, 'kid'));
  const alg = str(values, 'alg') ?? defaultAlg(key);
  const typ = str(values, 'typ');
  const header = { alg, ...(typ === undefined ? {} : { typ }), ...(kid === undefined ? {} : { kid }) };
  let token: string;
  try {
    // The claims exactly as given (no iat or exp added): the point is to sign what the user wrote.
    token = await new CompactSign(new TextEncoder().encode(JSON.stringify(claims))).setProtectedHeader(header).sign(key);
  } catch (e) {
    throw new CliError(`sign: ${alg} cannot be used with this key (${e instanceof Error ? e.message : String(e)})`);
  }
  await write(values['json'] === true ? `${JSON.stringify({ token, header })}\n` : `${token}\n`);
  return EXIT.ok;
}

function help(): number {
  process.stdout.write(`${USAGE}\n`);
  return EXIT.ok;
}

/** Writes to stdout and waits until it is flushed (a pipe may be slower than the process's exit). */
function write(text: string): Promise<void> {
  return new Promise((resolve, reject) => process.stdout.write(text, (e) => (e ? reject(e) : resolve())));
}

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'explain':
    case 'lint':
      if (command === 'lint' && isDpopLint(rest)) return lintDpopCommand(rest, write);
      return explainCommand(command, rest);
    case 'decode':
      return decodeCommand(rest);
    case 'sign':
      return signCommand(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      return help();
    default:
      throw new CliError(`unknown command ${JSON.stringify(command.slice(0, 40))}: use explain, lint, decode or sign (parley --help)`);
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const json = argv.includes('--json');
  try {
    process.exitCode = await run(argv);
  } catch (e) {
    const message = e instanceof CliError ? e.message : `unexpected error: ${e instanceof Error ? e.message : String(e)}`;
    process.stderr.write(`${styles(colourFor(process.stderr)).red('parley:')} ${message}\n`);
    if (json) await write(`${JSON.stringify({ error: message, exitCode: EXIT.usage })}\n`).catch(() => undefined);
    process.exitCode = EXIT.usage;
  }
}

void main();
