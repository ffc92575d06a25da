/**
 * Exports of a recorded flow run (ARCHITECTURE.md §7): one HTTP exchange as a copy-pasteable curl
 * command, and a whole run as a bash script that replays its requests in order. Pure: no DOM, no Node.
 *
 * Runs only ever hold redacted exchanges (`[redacted]` in place of client secrets, refresh tokens,
 * passwords, Basic credentials, cookies, authorization codes and PKCE verifiers). Each redacted value
 * becomes a shell variable the user sets (`"$CLIENT_SECRET"`, `-u "$CLIENT_ID:$CLIENT_SECRET"`): an export
 * never contains a secret, and never pretends to by sending the placeholder text. The replay script gets
 * its code from the new sign-in, and makes a new PKCE pair when the recorded verifier was not kept and the
 * code_challenge it replays can be replaced (not inside a signed request object).
 */
import type { FlowExchange, FlowRun, FlowStep } from '../../../../../shared/schemas/flows';
import { exportFileStem, recordedParameters } from './recorded-run';
import { BASH_JSON_URL_HELPERS, shellQuote } from './shell';

/** What the core records in place of a secret (electron/core/flows/redact.ts says the same). */
export const REDACTED = '[redacted]';

/** Headers curl computes itself (or that would make it print compressed bytes). */
const CURL_OWNED_HEADERS = new Set(['content-length', 'host', 'connection', 'transfer-encoding', 'accept-encoding', 'expect']);

/** The shell variable a redacted field stands for: `client_secret` → `CLIENT_SECRET`. */
export function variableFor(field: string): string {
  const name = field
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (name === '') return 'SECRET';
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

/** A literal prefix followed by a variable's value, as one shell word. */
function literalThenVariable(prefix: string, variable: string): string {
  // Inside double quotes only " \ $ ` (and ! in an interactive bash) are special: avoid them there.
  if (/^[A-Za-z0-9_.:/%=@+,~ -]*$/.test(prefix)) return `"${prefix}$${variable}"`;
  return `${shellQuote(prefix)}"$${variable}"`;
}

/** Options of `exchangeToCurl`. */
export interface CurlOptions {
  /**
   * Form fields to take from a shell variable instead of the recorded value (`{ code: 'code' }`: the
   * script's own `$code`). These variables are not reported as required.
   */
  formVariables?: Record<string, string>;
  /** Extra curl options placed right after `curl` (already shell-quoted words, e.g. `-sS`). */
  extraArgs?: string[];
}

/** A curl command and the variables the user must set before running it. */
export interface CurlCommand {
  command: string;
  /** Upper-case shell variables standing for redacted values, in order of appearance. */
  variables: string[];
}

/** Builds the curl command of an exchange and names the variables it needs. */
export function exchangeToCurlCommand(exchange: FlowExchange, options: CurlOptions = {}): CurlCommand {
  const { request } = exchange;
  const variables: string[] = [];
  const need = (name: string): string => {
    if (!variables.includes(name)) variables.push(name);
    return name;
  };
  /** One option (with its value) per line. */
  const words: string[] = [];
  const url = urlWord(request.url, need);
  const method = request.method.toUpperCase();
  const hasBody = request.body !== undefined;
  const inferred = hasBody ? 'POST' : 'GET';
  const head = ['curl', ...(options.extraArgs ?? [])];
  if (method !== inferred) head.push('-X', shellQuote(method));
  if (/[[\]{}]/.test(request.url)) head.push('--globoff');
  head.push(url);

  let contentType = '';
  for (const [rawName, value] of Object.entries(request.headers)) {
    const name = rawName.toLowerCase();
    if (CURL_OWNED_HEADERS.has(name)) continue;
    if (name === 'content-type') contentType = value;
    words.push(...headerWords(name, value, need));
  }

  if (request.body !== undefined) {
    if (contentType.includes('application/x-www-form-urlencoded')) words.push(...formWords(request.body, options.formVariables ?? {}, need));
    else words.push(...rawBodyWords(request.body, contentType, need));
  }
  const command = [head.join(' '), ...words].join(' \\\n  ');
  return { command, variables };
}

/** A copy-pasteable curl command replaying an exchange; redacted values are shell variables. */
export function exchangeToCurl(exchange: FlowExchange, options: CurlOptions = {}): string {
  return exchangeToCurlCommand(exchange, options).command;
}

function urlWord(url: string, need: (name: string) => string): string {
  if (!url.includes(encodeURIComponent(REDACTED)) && !url.includes(REDACTED)) return shellQuote(url);
  // A secret in the query: the literal parts quoted, the value from its variable (sent as the user typed it).
  const queryAt = url.indexOf('?');
  if (queryAt === -1) return shellQuote(url);
  const fragmentAt = url.indexOf('#', queryAt);
  const end = fragmentAt === -1 ? url.length : fragmentAt;
  const pairs = url.slice(queryAt + 1, end).split('&');
  let word = '';
  let literal = url.slice(0, queryAt + 1);
  pairs.forEach((pair, i) => {
    const eq = pair.indexOf('=');
    const name = eq === -1 ? pair : pair.slice(0, eq);
    const value = eq === -1 ? '' : pair.slice(eq + 1);
    const separator = i === 0 ? '' : '&';
    if (eq !== -1 && safeDecode(value) === REDACTED) {
      word += `${shellQuote(`${literal}${separator}${name}=`)}"$${need(variableFor(safeDecode(name)))}"`;
      literal = '';
    } else {
      literal += `${separator}${pair}`;
    }
  });
  literal += url.slice(end);
  return literal === '' ? word : `${word}${shellQuote(literal)}`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

function headerWords(name: string, value: string, need: (name: string) => string): string[] {
  if (name === 'authorization') {
    const [scheme = '', ...rest] = value.split(' ');
    const credentials = rest.join(' ');
    if (value === REDACTED) return [`-H ${literalThenVariable(`${name}: `, need('AUTHORIZATION'))}`];
    if (credentials === REDACTED) {
      if (scheme.toLowerCase() === 'basic') return [`-u "$${need('CLIENT_ID')}:$${need('CLIENT_SECRET')}"`];
      const variable = scheme.toLowerCase() === 'bearer' || scheme.toLowerCase() === 'dpop' ? 'ACCESS_TOKEN' : 'AUTHORIZATION_CREDENTIALS';
      return [`-H ${literalThenVariable(`${name}: ${scheme} `, need(variable))}`];
    }
  } else if (value === REDACTED) {
    return [`-H ${literalThenVariable(`${name}: `, need(variableFor(name)))}`];
  }
  return [`-H ${shellQuote(`${name}: ${value}`)}`];
}

/** One curl option per form field: `-d` when the value needs no encoding, else `--data-urlencode`. */
function formWords(body: string, formVariables: Record<string, string>, need: (name: string) => string): string[] {
  const words: string[] = [];
  for (const [name, value] of new URLSearchParams(body)) {
    // curl sends the name part as given: encode it here (this also keeps a name from reading as @file).
    const encodedName = encodeURIComponent(name);
    const local = formVariables[name];
    if (local !== undefined) {
      words.push(`--data-urlencode ${literalThenVariable(`${encodedName}=`, local)}`);
    } else if (value === REDACTED) {
      words.push(`--data-urlencode ${literalThenVariable(`${encodedName}=`, need(variableFor(name)))}`);
    } else if (encodeURIComponent(value) === value && encodedName !== '') {
      words.push(`-d ${shellQuote(`${encodedName}=${value}`)}`);
    } else {
      words.push(`--data-urlencode ${shellQuote(`${encodedName}=${value}`)}`);
    }
  }
  return words;
}

/** A non-form body, sent byte for byte (`--data-raw` never reads a file); redacted JSON members become variables. */
function rawBodyWords(body: string, contentType: string, need: (name: string) => string): string[] {
  if (!body.includes(REDACTED)) return [`--data-raw ${shellQuote(body)}`];
  if (contentType.includes('json')) {
    // `"member":"[redacted]"` → the member's value spliced from its variable (JSON-escaping is the user's).
    const parts: string[] = [];
    let last = 0;
    for (const match of body.matchAll(/"((?:[^"\\]|\\.)*)"(\s*:\s*)"\[redacted\]"/g)) {
      const member = match[1] ?? '';
      const valueAt = (match.index ?? 0) + match[0].length - REDACTED.length - 1;
      parts.push(shellQuote(body.slice(last, valueAt)), `"$${need(variableFor(member))}"`);
      last = valueAt + REDACTED.length;
    }
    parts.push(shellQuote(body.slice(last)));
    return [`--data-raw ${parts.join('')}`];
  }
  return [`--data-raw ${shellQuote(body.split(REDACTED).join(''))}`];
}

/** Options of `runToShellScript`. */
export interface ScriptOptions {
  /** The target's name, for the header comment. */
  targetName?: string;
  /** The client_id, when the run does not say it (Basic authentication of client_credentials). */
  clientId?: string;
}

/** The file name a run's script is saved under: `parley-flow-<kind>-<date>.sh`. */
export function scriptFileName(run: Pick<FlowRun, 'kind' | 'startedAt'>): string {
  const date = run.startedAt.slice(0, 19).replace(/:/g, '-');
  return `${exportFileStem(run)}-${date}.sh`;
}

/** A comment line: a newline in a recorded value must never end the comment. */
function comment(text = ''): string {
  return text === '' ? '#' : `# ${text.replace(/[\r\n]+/g, ' ')}`;
}

/** A recorded form body, parsed (undefined when the exchange has none). */
function formOf(exchange: FlowExchange | undefined): URLSearchParams | undefined {
  const body = exchange?.request.body;
  if (body === undefined || !exchange?.request.headers['content-type']?.includes('application/x-www-form-urlencoded')) return undefined;
  return new URLSearchParams(body);
}

function urlHasParam(url: string | undefined, name: string): boolean {
  if (!url) return false;
  try {
    return new URL(url).searchParams.has(name);
  } catch {
    return false;
  }
}

function clientIdOf(run: FlowRun, params: Record<string, string>, options: ScriptOptions): string | undefined {
  const fromParams = params['client_id'];
  if (fromParams) return fromParams;
  if (run.authorizeUrl) {
    try {
      const fromUrl = new URL(run.authorizeUrl).searchParams.get('client_id');
      if (fromUrl) return fromUrl;
    } catch {
      // Not a URL: fall through.
    }
  }
  for (const step of run.steps) {
    const body = step.exchange?.request.body;
    if (body && step.exchange?.request.headers['content-type']?.includes('form')) {
      const id = new URLSearchParams(body).get('client_id');
      if (id) return id;
    }
  }
  return options.clientId;
}

/**
 * A bash script replaying a run's requests in order: discovery, the PAR push (its request_uri taken from
 * the new response), the authorize URL to open (the callback URL is pasted back), and the token exchange
 * with the new code. Steps without an HTTP exchange become comments.
 */
export function runToShellScript(run: FlowRun, options: ScriptOptions = {}): string {
  const step = (name: FlowStep['name']) => run.steps.find((s) => s.name === name);
  const build = step('build');
  const push = step('push');
  const params = Object.fromEntries(recordedParameters(build));
  const clientId = clientIdOf(run, params, options);
  const usesBrowser = run.kind !== 'client_credentials';
  const discover = step('discover');
  const issuer = typeof discover?.detail?.['issuer'] === 'string' ? discover.detail['issuer'] : undefined;
  const required: string[] = [];
  const body: string[] = [];
  let browserPrompted = false;
  const callbackStep = step('callback');
  const callbackReached = callbackStep !== undefined && callbackStep.status !== 'pending' && callbackStep.status !== 'cancelled';
  let pushedReplayed = false;
  // PKCE: the recorded verifier is not kept; a new pair replaces the challenge where it is readable.
  const exchangeForm = formOf(step('exchange')?.exchange);
  const verifierRedacted = exchangeForm?.get('code_verifier') === REDACTED;
  const pushForm = formOf(push?.exchange);
  const challengeInPush = pushForm?.has('code_challenge') === true;
  const challengeInUrl = !push?.exchange && urlHasParam(run.authorizeUrl, 'code_challenge');
  const freshPkce = usesBrowser && verifierRedacted && (challengeInPush || challengeInUrl);

  const curl = (exchange: FlowExchange, curlOptions: CurlOptions = {}): string => {
    const built = exchangeToCurlCommand(exchange, curlOptions);
    for (const v of built.variables) if (!required.includes(v)) required.push(v);
    return built.command;
  };

  run.steps.forEach((s, index) => {
    const recorded = s.exchange?.response ? `, recorded HTTP ${s.exchange.response.status}` : '';
    body.push('', comment(`Step ${index + 1}: ${s.name} (${s.status}${recorded})`));
    if (s.error) body.push(comment(`Recorded error (${s.error.code}): ${s.error.message}`));
    if (s.status === 'pending' || (s.status === 'cancelled' && !s.exchange)) {
      body.push(comment('Not reached in the recorded run.'));
      return;
    }
    switch (s.name) {
      case 'discover': {
        if (!s.exchange) break;
        body.push(`${curl(s.exchange, { extraArgs: ['-sS', '-o', '/dev/null', '-w', shellQuote('discover: HTTP %{http_code}\\n')] })}`);
        break;
      }
      case 'build': {
        body.push(comment('Built in Parley, not an HTTP request. The authorization request parameters:'));
        for (const [k, v] of Object.entries(params)) body.push(comment(`  ${k}=${v}`));
        if (s.jwts.some((j) => j.label === 'Request object'))
          body.push(comment('The request object (JAR) was signed in the vault; it is replayed exactly as recorded.'));
        break;
      }
      case 'push': {
        if (!s.exchange) break;
        pushedReplayed = true;
        if (freshPkce && challengeInPush) body.push(comment('The code_challenge is the new one (see the PKCE pair above).'));
        body.push(
          `push_response=$(${curl(s.exchange, { extraArgs: ['-sS', '-w', shellQuote('\\n%{http_code}')], ...(freshPkce && challengeInPush ? { formVariables: { code_challenge: 'code_challenge' } } : {}) })})`,
          `push_status=\${push_response##*$'\\n'}`,
          `push_body=\${push_response%$'\\n'*}`,
          `echo "push: HTTP $push_status${s.exchange.response ? ` (recorded: ${s.exchange.response.status})` : ''}"`,
          'printf \'%s\\n\' "$push_body"',
          'request_uri=$(json_string request_uri "$push_body")',
          'if [[ -z "$request_uri" ]]; then',
          '  echo "The PAR response has no request_uri: the pushed request was rejected (see above)." >&2',
          '  exit 1',
          'fi',
        );
        break;
      }
      case 'authorize': {
        if (!run.authorizeUrl) break;
        browserPrompted = callbackReached;
        let urlLine: string;
        if (pushedReplayed && push?.exchange) {
          // The new push answered a new request_uri: the authorize URL carries it instead of the recorded one.
          const u = new URL(run.authorizeUrl);
          u.searchParams.delete('request_uri');
          const prefix = `${u.href}${u.search ? '&' : '?'}request_uri=`;
          urlLine = `authorize_url=${shellQuote(prefix)}"$(urlencode "$request_uri")"`;
        } else if (freshPkce && challengeInUrl) {
          // The new PKCE pair's challenge instead of the recorded one (base64url: nothing to encode).
          const u = new URL(run.authorizeUrl);
          u.searchParams.delete('code_challenge');
          urlLine = `authorize_url=${shellQuote(`${u.href}${u.search ? '&' : '?'}code_challenge=`)}"$code_challenge"`;
        } else {
          urlLine = `authorize_url=${shellQuote(run.authorizeUrl)}`;
        }
        body.push(urlLine, 'echo', 'echo "Open this URL in a browser and sign in:"', 'printf \'  %s\\n\' "$authorize_url"');
        if (!browserPrompted) {
          body.push(comment('The recorded run stopped at this step: the browser never came back with a code.'));
          break;
        }
        body.push(
          'echo',
          'printf \'%s\\n\' "Then paste the URL the browser was sent back to (the redirect URI, with ?code=...), and press Enter:"',
          'IFS= read -r callback_url || [[ -n "$callback_url" ]]',
        );
        break;
      }
      case 'callback': {
        if (!browserPrompted) break;
        body.push(
          'callback_error=$(query_param error "$callback_url")',
          'if [[ -n "$callback_error" ]]; then',
          '  echo "The authorization server answered error=$callback_error: $(query_param error_description "$callback_url")" >&2',
          '  exit 1',
          'fi',
          'code=$(query_param code "$callback_url")',
          'if [[ -z "$code" ]]; then',
          '  echo "That URL has no code parameter: paste the whole URL the browser was redirected to." >&2',
          '  exit 1',
          'fi',
        );
        if (params['state']) {
          body.push(
            `if [[ "$(query_param state "$callback_url")" != ${shellQuote(params['state'])} ]]; then`,
            '  echo "Warning: the state in that URL is not the one this script sent (is it from another request?)." >&2',
            'fi',
          );
        }
        break;
      }
      case 'exchange': {
        if (!s.exchange) break;
        const withCode = usesBrowser && browserPrompted;
        if (withCode && freshPkce) body.push(comment("The recorded code is replaced by the new one, and the code_verifier is the new pair's."));
        else if (withCode && verifierRedacted)
          body.push(
            comment(
              'The recorded code is replaced by the new one. The code_verifier was not recorded and its challenge is inside the signed request object: set CODE_VERIFIER if you have it.',
            ),
          );
        else if (withCode)
          body.push(comment('The recorded code is replaced by the new one; the recorded code_verifier is kept (it matches the replayed code_challenge).'));
        const formVariables: Record<string, string> = withCode ? { code: 'code', ...(freshPkce ? { code_verifier: 'code_verifier' } : {}) } : {};
        body.push(
          `token_response=$(${curl(s.exchange, { extraArgs: ['-sS', '-w', shellQuote('\\n%{http_code}')], formVariables })})`,
          `token_status=\${token_response##*$'\\n'}`,
          `token_body=\${token_response%$'\\n'*}`,
          `echo "exchange: HTTP $token_status${s.exchange.response ? ` (recorded: ${s.exchange.response.status})` : ''}"`,
          'printf \'%s\\n\' "$token_body"',
        );
        break;
      }
      case 'verify': {
        if (s.exchange) {
          body.push(comment("The issuer's keys (jwks_uri), which the ID token was verified with:"));
          body.push(curl(s.exchange, { extraArgs: ['-sS', '-o', '/dev/null', '-w', shellQuote('verify (JWKS): HTTP %{http_code}\\n')] }));
        }
        body.push(comment("Parley verified the ID token here (signature, iss, aud, exp, nonce): open it in Parley's Inspect screen to check it."));
        break;
      }
    }
    if (!s.exchange && (s.name === 'discover' || s.name === 'push' || s.name === 'exchange'))
      body.push(comment('No HTTP exchange was recorded for this step.'));
  });

  const header = [
    '#!/usr/bin/env bash',
    comment(`Parley flow replay: ${run.kind}${options.targetName ? ` against "${options.targetName}"` : ''}${issuer ? ` (issuer ${issuer})` : ''}.`),
    comment(`Recorded ${run.startedAt} (run ${run.id}), ${run.status}.`),
    comment(),
    comment('Replays the recorded requests in order. Secrets were never recorded: each one is a variable'),
    comment('you set when running the script (for example CLIENT_SECRET=... bash this-script.sh).'),
    comment(),
    comment('Recorded client assertions (private_key_jwt) and request objects (JAR) carry an exp a few minutes'),
    comment('after they were signed and a single-use jti: replayed after that, the server is expected to'),
    comment('reject them (RFC 7523 / RFC 9101, the PKJ and JAR rules). That is the point of a replay: it'),
    comment('sends exactly what was sent.'),
    'set -euo pipefail',
    '',
    'command -v curl >/dev/null 2>&1 || { echo "This script needs curl." >&2; exit 2; }',
  ];
  const check: string[] = [];
  if (required.length > 0) {
    if (required.includes('CLIENT_ID') && clientId) {
      check.push(`if [[ -z "\${CLIENT_ID:-}" ]]; then CLIENT_ID=${shellQuote(clientId)}; fi`);
    }
    check.push(
      'missing=()',
      `for name in ${required.join(' ')}; do`,
      '  [[ -n "${!name:-}" ]] || missing+=("$name")',
      'done',
      'if (( ${#missing[@]} > 0 )); then',
      '  echo "Set ${missing[*]} before running this script (the recorded run does not contain secrets), e.g.:" >&2',
      '  echo "  $(printf \'%s=... \' "${missing[@]}")bash $0" >&2',
      '  exit 2',
      'fi',
    );
  } else {
    check.push(comment('No secret is needed: this run sent none (its client authentication, if any, is replayed as recorded).'));
  }
  const helpers = usesBrowser ? ['', BASH_JSON_URL_HELPERS] : [];
  const pkce = freshPkce
    ? [
        '',
        comment('The recorded PKCE code_verifier was not kept (it is a secret): a new pair (RFC 7636, S256).'),
        'command -v openssl >/dev/null 2>&1 || { echo "This script needs openssl (for the PKCE pair)." >&2; exit 2; }',
        "code_verifier=$(openssl rand 32 | openssl base64 -A | tr '+/' '-_' | tr -d '=')",
        "code_challenge=$(printf '%s' \"$code_verifier\" | openssl dgst -sha256 -binary | openssl base64 -A | tr '+/' '-_' | tr -d '=')",
      ]
    : [];
  return [...header, '', ...check, ...helpers, ...pkce, ...body, '', 'echo "Replay finished."', ''].join('\n');
}
