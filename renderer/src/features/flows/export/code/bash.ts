/**
 * The bash emitter: a script that needs only curl and openssl (openssl signs the JWTs: RSASSA-PSS options
 * for PS*, DER → r||s for ES*). It writes a plan (plan.ts) out; its fixed shell functions are text
 * (text/bash.ts).
 */
import { shellQuote } from '../shell';
import type { CodeEmitter } from './emitter';
import type { CodeKeyFile, Plan, Value } from './plan';
import { ASSERTION_CLAIMS, CODE_ASSERTION_LIFETIME_S, CODE_REQUEST_OBJECT_LIFETIME_S, JWT_BEARER, requestObjectClaims } from './plan';
import { BASH_DPOP, BASH_POST_FORM, BASH_STATUS_BODY, SHELL_HELPERS } from './text/bash';

/** A JSON value as pieces: literal JSON text, and shell expansions (already double-quoted) in between. */
function shellPieces(value: Value): ({ text: string } | { expansion: string })[] {
  if ('literal' in value) return [{ text: JSON.stringify(value.literal) ?? 'null' }];
  if ('constant' in value) return [{ expansion: `"$(json_quote "$${value.constant}")"` }];
  if ('issuer' in value) return [{ expansion: '"$issuer_json"' }];
  // Fresh values are base64url: safe inside a JSON string as they are.
  if ('fresh' in value) return [{ text: '"' }, { expansion: value.fresh === 'jti' ? '"$(random_token 16)"' : `"$${value.fresh}"` }, { text: '"' }];
  return [
    {
      expansion:
        value.time === 'iat' ? '"$iat"' : `"$(( iat + ${value.time === 'exp_request' ? CODE_REQUEST_OBJECT_LIFETIME_S : CODE_ASSERTION_LIFETIME_S} ))"`,
    },
  ];
}

/** Lines building a JSON object in `$variable`, one member a line. */
function shellJson(variable: string, entries: [string, Value][], indent: string): string[] {
  const line = (name: string, value: Value, first: boolean): string => {
    const pieces = [{ text: `${first ? '' : ','}${JSON.stringify(name)}:` }, ...shellPieces(value)];
    let word = '';
    let text = '';
    for (const piece of pieces) {
      if ('text' in piece) {
        text += piece.text;
      } else {
        if (text) word += shellQuote(text);
        text = '';
        word += piece.expansion;
      }
    }
    if (text) word += shellQuote(text);
    return `${indent}${variable}+=${word}`;
  };
  return [`${indent}${variable}='{'`, ...entries.map(([name, value], i) => line(name, value, i === 0)), `${indent}${variable}+='}'`];
}

/** A form field as curl words: the name as given, the value percent-encoded by curl. */
function shellFormField(name: string, value: Value): string {
  if ('literal' in value)
    return `--data-urlencode ${shellQuote(`${name}=${typeof value.literal === 'string' ? value.literal : JSON.stringify(value.literal)}`)}`;
  if ('constant' in value) return `--data-urlencode "${name}=$${value.constant}"`;
  if ('fresh' in value) return `--data-urlencode "${name}=$${value.fresh}"`;
  return `--data-urlencode "${name}=$issuer"`;
}

function shellHeader(key: CodeKeyFile, typ: string): string {
  return shellQuote(JSON.stringify({ alg: key.alg, typ, ...(key.kid ? { kid: key.kid } : {}) }));
}

const runCommand = (fileName: string): string => `bash ${fileName}`;

/**
 * A request (client_auth, then post_form into $response); with DPoP, sent once more when the server answers
 * 400 use_dpop_nonce (post_form kept its nonce), with a new client authentication: an assertion's jti is used once.
 */
function withNonceRetry(plan: Plan, urlVar: string, request: string[]): string[] {
  if (!plan.dpop) return request;
  return [
    ...request,
    'if [[ "$(status_of "$response")" == 400 && "$(json_string error "$(body_of "$response")")" == use_dpop_nonce && -s $dpop_dir/nonce ]]; then',
    `  echo "$${urlVar}: use_dpop_nonce, sending again with the server's nonce."`,
    ...request.map((line) => `  ${line}`),
    'fi',
  ];
}

/** What comes before the first request: the tools' check, constants, the key files, the secret's check, the helpers and client_auth. */
function prologue(plan: Plan, fileName: string): string[] {
  const L: string[] = [];
  const push = (...lines: string[]) => L.push(...lines);
  push(
    'set -euo pipefail',
    '',
    'for tool in curl openssl; do',
    '  command -v "$tool" >/dev/null 2>&1 || { echo "This script needs $tool." >&2; exit 2; }',
    'done',
    '',
    `default_issuer=${shellQuote(plan.issuer)}`,
    'ISSUER=${ISSUER:-$default_issuer}',
    `CLIENT_ID=${shellQuote(plan.clientId)}`,
  );
  if (plan.usesBrowser) push(`REDIRECT_URI=${shellQuote(plan.redirectUri)}`);
  if (plan.audience !== undefined) push(`AUDIENCE=${shellQuote(plan.audience)}`);
  if (plan.jarKey) push(`JAR_KEY_FILE=\${JAR_KEY_FILE:-${shellQuote(plan.jarKey.defaultFile)}}`);
  if (plan.authKey) push(`CLIENT_AUTH_KEY_FILE=\${CLIENT_AUTH_KEY_FILE:-${plan.sameKey ? '$JAR_KEY_FILE' : shellQuote(plan.authKey.defaultFile)}}`);
  if (plan.usesSecret) {
    push(
      'if [[ -z "${CLIENT_SECRET:-}" ]]; then',
      `  echo "Set CLIENT_SECRET to the client secret before running this script, e.g.: CLIENT_SECRET=... ${runCommand(fileName)}" >&2`,
      '  exit 2',
      'fi',
    );
  }
  push('', SHELL_HELPERS, '', plan.dpop ? BASH_DPOP : BASH_POST_FORM);
  push('', '# Sets auth_args: the curl arguments of the client authentication (RFC 6749 §2.3, RFC 7523 §2.2).', 'client_auth() {');
  switch (plan.authMethod) {
    case 'none':
      push('  auth_args=(--data-urlencode "client_id=$CLIENT_ID")');
      break;
    case 'client_secret_post':
      push('  auth_args=(--data-urlencode "client_id=$CLIENT_ID" --data-urlencode "client_secret=$CLIENT_SECRET")');
      break;
    case 'client_secret_basic':
      push(
        '  # Each part is form-urlencoded before the Basic encoding (RFC 6749 §2.3.1).',
        '  local id secret',
        '  id=$(urlencode "$CLIENT_ID"); id=${id//%20/+}',
        '  secret=$(urlencode "$CLIENT_SECRET"); secret=${secret//%20/+}',
        '  auth_args=(-H "authorization: Basic $(printf \'%s:%s\' "$id" "$secret" | openssl base64 -A)")',
      );
      break;
    case 'private_key_jwt': {
      const key = plan.authKey!;
      push('  local iat payload assertion', '  iat=$(date +%s)', ...shellJson('payload', ASSERTION_CLAIMS, '  '));
      push(
        `  assertion=$(sign_jwt ${shellQuote(key.alg)} "$CLIENT_AUTH_KEY_FILE" ${shellHeader(key, 'JWT')} "$payload")`,
        '  echo "Client assertion: $assertion"',
        `  auth_args=(--data-urlencode "client_id=$CLIENT_ID" -d ${shellQuote(`client_assertion_type=${JWT_BEARER}`)} --data-urlencode "client_assertion=$assertion")`,
      );
      break;
    }
  }
  push('}', '', BASH_STATUS_BODY);
  return L;
}

/** The bash programs. */
export const bash: CodeEmitter = {
  language: 'shell',
  extension: 'sh',
  mimeType: 'text/x-shellscript',
  runCommand,
  runInstructions: (fileName) => [`bash ${fileName}      (needs curl and openssl)`],
  keyNotes: (keys) => (keys.some((k) => /^ES/.test(k.alg)) ? ['  ECDSA: openssl signs in DER, which this script turns into the JWS form (r || s).'] : []),
  program: (plan, fileName, header, steps) =>
    ['#!/usr/bin/env bash', ...header.map((line) => (line === '' ? '#' : `# ${line}`)), '', ...prologue(plan, fileName), '', ...steps, ''].join('\n'),
  steps: {
    discover: () => [
      '# Discovery: the endpoints, as real client code finds them.',
      'discovery_url="${ISSUER%/}/.well-known/openid-configuration"',
      'discovery=$(curl -sS -f -H \'accept: application/json\' "$discovery_url") || { echo "Cannot read $discovery_url." >&2; exit 1; }',
      'issuer=$(json_string issuer "$discovery")',
      'if [[ "${issuer%/}" != "${ISSUER%/}" ]]; then',
      '  echo "The discovery document names the issuer ${issuer:-(none)}, not $ISSUER." >&2',
      '  exit 1',
      'fi',
      'issuer_json=$(json_quote "$issuer")',
      'endpoint() {',
      '  local value',
      '  value=$(json_string "$1" "$discovery")',
      '  if [[ -z $value ]]; then echo "The discovery document has no $1." >&2; exit 1; fi',
      '  printf \'%s\' "$value"',
      '}',
      'token_endpoint=$(endpoint token_endpoint)',
    ],
    clientCredentials: (plan) => [
      '',
      '# Client credentials: one token request.',
      ...withNonceRetry(plan, 'token_endpoint', [
        'client_auth',
        `response=$(post_form "$token_endpoint" -d 'grant_type=client_credentials'${plan.audience !== undefined ? ' --data-urlencode "audience=$AUDIENCE"' : ''} "\${auth_args[@]}")`,
      ]),
      'status=$(status_of "$response"); body=$(body_of "$response")',
      'access_token=$(json_string access_token "$body")',
      'if [[ $status != 200 || -z $access_token ]]; then',
      '  echo "The token endpoint rejected the request (HTTP $status): $body" >&2',
      '  exit 1',
      'fi',
      'echo "access_token: $access_token"',
      'printf \'%s\\n\' "$body"',
    ],
    authorizationRequest: (plan) => [
      'authorization_endpoint=$(endpoint authorization_endpoint)',
      '',
      `# The authorization request: fresh state and nonce${plan.pkce ? ', and a PKCE pair (RFC 7636, S256).' : '.'}`,
      'state=$(random_token 16)',
      'nonce=$(random_token 16)',
      ...(plan.pkce ? ['code_verifier=$(random_token 32)', 'code_challenge=$(printf \'%s\' "$code_verifier" | openssl dgst -sha256 -binary | b64url)'] : []),
    ],
    requestObject: (plan) => {
      const key = plan.jarKey!;
      return [
        '',
        '# The request object (RFC 9101): the parameters as claims, iss = client_id, aud = issuer, a short life.',
        'iat=$(date +%s)',
        ...shellJson('claims', requestObjectClaims(plan), ''),
        `request_object=$(sign_jwt ${shellQuote(key.alg)} "$JAR_KEY_FILE" ${shellHeader(key, 'oauth-authz-req+jwt')} "$claims")`,
        'echo "Request object: $request_object"',
      ];
    },
    push: (plan, step) => [
      '',
      '# PAR (RFC 9126): push the request, get a request_uri.',
      'par_endpoint=$(endpoint pushed_authorization_request_endpoint)',
      ...withNonceRetry(plan, 'par_endpoint', [
        'client_auth',
        'response=$(post_form "$par_endpoint" \\',
        ...(step.body === 'requestObject' ? ['  --data-urlencode "request=$request_object" \\'] : parFormFields(plan)),
        '  "${auth_args[@]}")',
      ]),
      'status=$(status_of "$response"); body=$(body_of "$response")',
      'request_uri=$(json_string request_uri "$body")',
      'if [[ $status != 201 || -z $request_uri ]]; then',
      '  echo "The PAR endpoint rejected the request (HTTP $status): $body" >&2',
      '  exit 1',
      'fi',
      'echo "request_uri: $request_uri"',
    ],
    authorize: (plan, step) => [
      authorizeQuery(plan, step.query),
      'if [[ $authorization_endpoint == *\\?* ]]; then authorize_url="$authorization_endpoint&$query"; else authorize_url="$authorization_endpoint?$query"; fi',
      '',
      'echo',
      'echo "Open this URL in a browser and sign in:"',
      'printf \'  %s\\n\' "$authorize_url"',
      '',
      '# The browser ends at the redirect URI with ?code=...: paste that URL (Enter alone stops here).',
      'echo',
      'echo "Then paste the URL the browser was sent back to (or press Enter to stop here):"',
      "callback_url=''",
      'IFS= read -r callback_url || true',
      'callback_url=${callback_url//[[:space:]]/}',
      'if [[ -z $callback_url ]]; then',
      '  echo "No callback URL: stopping before the token exchange."',
      '  exit 0',
      'fi',
      'callback_error=$(query_param error "$callback_url")',
      'if [[ -n $callback_error ]]; then',
      '  echo "The authorization server answered error=$callback_error: $(query_param error_description "$callback_url")" >&2',
      '  exit 1',
      'fi',
      'if [[ "$(query_param state "$callback_url")" != "$state" ]]; then',
      '  echo "The state in that URL is not the one this script sent (is it from another request?)." >&2',
      '  exit 1',
      'fi',
      'returned_issuer=$(query_param iss "$callback_url")',
      'if [[ -n $returned_issuer && $returned_issuer != "$issuer" ]]; then',
      '  echo "The callback names the issuer $returned_issuer, not $issuer (RFC 9207)." >&2',
      '  exit 1',
      'fi',
      'code=$(query_param code "$callback_url")',
      'if [[ -z $code ]]; then',
      '  echo "That URL has no code parameter." >&2',
      '  exit 1',
      'fi',
    ],
    codeExchange: (plan) => [
      '',
      '# The code exchange, with a new client authentication.',
      ...withNonceRetry(plan, 'token_endpoint', [
        'client_auth',
        'response=$(post_form "$token_endpoint" -d \'grant_type=authorization_code\' --data-urlencode "code=$code" --data-urlencode "redirect_uri=$REDIRECT_URI" \\',
        ...(plan.pkce ? ['  --data-urlencode "code_verifier=$code_verifier" \\'] : []),
        '  "${auth_args[@]}")',
      ]),
      'status=$(status_of "$response"); body=$(body_of "$response")',
      'if [[ $status != 200 || -z "$(json_string access_token "$body")" ]]; then',
      '  echo "The token endpoint rejected the request (HTTP $status): $body" >&2',
      '  exit 1',
      'fi',
      'echo "Tokens:"',
      'printf \'%s\\n\' "$body"',
    ],
    userinfo: () => [
      '',
      '# /userinfo with the DPoP-bound access token: the DPoP scheme, and a proof whose ath is its hash (RFC 9449 §7).',
      'access_token=$(json_string access_token "$body")',
      'token_type=$(json_string token_type "$body")',
      'if [[ $token_type != DPoP ]]; then',
      '  echo "The token is not DPoP-bound (token_type ${token_type:-none})." >&2',
      '  exit 1',
      'fi',
      'userinfo_endpoint=$(endpoint userinfo_endpoint)',
      'userinfo_get() {',
      '  curl -sS -D "$dpop_dir/headers" -w \'\\n%{http_code}\' -H \'accept: application/json\' -H "authorization: DPoP $access_token" \\',
      '    -H "DPoP: $(dpop_proof GET "$userinfo_endpoint" "$access_token")" "$userinfo_endpoint"',
      '}',
      'response=$(userinfo_get)',
      'keep_nonce',
      '# A nonce challenge is a 401 whose WWW-Authenticate says use_dpop_nonce (RFC 9449 §9): once more with it.',
      'if [[ "$(status_of "$response")" == 401 ]] && grep -qi \'^www-authenticate:.*use_dpop_nonce\' "$dpop_dir/headers"; then',
      '  echo "$userinfo_endpoint: use_dpop_nonce, sending again with the server\'s nonce."',
      '  response=$(userinfo_get)',
      '  keep_nonce',
      'fi',
      'status=$(status_of "$response"); body=$(body_of "$response")',
      'if [[ $status != 200 ]]; then',
      '  echo "The userinfo endpoint refused the token (HTTP $status): $(grep -i \'^www-authenticate:\' "$dpop_dir/headers" | tr -d \'\\r\')" >&2',
      '  exit 1',
      'fi',
      'echo "Userinfo:"',
      'printf \'%s\\n\' "$body"',
    ],
  },
};

/** The `query=` line: the request_uri, the request object, or the parameters, each value percent-encoded. */
function authorizeQuery(plan: Plan, query: 'request_uri' | 'requestObject' | 'parameters'): string {
  if (query === 'request_uri') return 'query="client_id=$(urlencode "$CLIENT_ID")&request_uri=$(urlencode "$request_uri")"';
  if (query === 'requestObject') return 'query="client_id=$(urlencode "$CLIENT_ID")&request=$(urlencode "$request_object")"';
  return (
    'query=' +
    plan.params
      .map(([n, v], i) => {
        const word =
          'literal' in v
            ? shellQuote(typeof v.literal === 'string' ? v.literal : JSON.stringify(v.literal))
            : 'constant' in v
              ? `"$${v.constant}"`
              : 'fresh' in v
                ? `"$${v.fresh}"`
                : '"$issuer"';
        return `"${i === 0 ? '' : '&'}${encodeURIComponent(n)}=$(urlencode ${word})"`;
      })
      .join('')
  );
}

/** The parameters as PAR form fields, one a line; client_id comes with client_auth's arguments, except under Basic. */
function parFormFields(plan: Plan): string[] {
  return plan.params.filter(([n]) => n !== 'client_id' || plan.authMethod === 'client_secret_basic').map(([n, v]) => `  ${shellFormField(n, v)} \\`);
}
