/**
 * The Python emitter: a Python 3 program (PyJWT and cryptography for the JWTs, requests for HTTP). It
 * writes a plan (plan.ts) out; its fixed helper functions are text (text/python.ts).
 */
import type { CodeEmitter } from './emitter';
import { expression, keyDescription, oneLine } from './emitter';
import type { CodeKeyFile, Plan, Value } from './plan';
import { ASSERTION_CLAIMS, CODE_ENV, JWT_BEARER, JWT_CLAIMS } from './plan';
import { PY_DPOP, PY_FAIL, PY_POST_FORM, PY_SIGNING } from './text/python';

/** A Python string literal (JSON's escapes are Python's). */
const py = (value: string): string => JSON.stringify(value);

/** How a Python program names each fresh value. */
const PY_FRESH = { state: 'state', nonce: 'nonce', code_challenge: 'code_challenge', jti: 'random_token(16)', dpop_jkt: 'dpop_jkt()' };

function pyValue(value: Value): string {
  return expression(value, (v) => (typeof v === 'string' ? py(v) : `json.loads(${py(JSON.stringify(v) ?? 'null')})`), PY_FRESH);
}

/** A dict literal, one member a line (`**spread` first when given). */
function pyDict(entries: [string, Value][], indent: string, spread?: string): string {
  const lines = [...(spread ? [`**${spread},`] : []), ...entries.map(([n, v]) => `${py(n)}: ${pyValue(v)},`)];
  return `{\n${lines.map((l) => `${indent}    ${l}`).join('\n')}\n${indent}}`;
}

function pyKey(key: CodeKeyFile, fallbackVar?: string): string {
  const file = fallbackVar
    ? `os.environ.get(${py(key.envVar)}) or os.environ.get(${py(fallbackVar)}) or ${py(key.defaultFile)}`
    : `os.environ.get(${py(key.envVar)}) or ${py(key.defaultFile)}`;
  return `{"file": ${file}, "alg": ${py(key.alg)}, "kid": ${key.kid ? py(key.kid) : 'None'}, "what": ${py(oneLine(keyDescription(key)))}}`;
}

const runCommand = (fileName: string): string => `python3 ${fileName}`;

/** A form POST with the client authentication (and, with DPoP, a proof and the nonce retry: PY_DPOP). */
function postLines(plan: Plan, answer: string, endpointName: string, form: string): string[] {
  if (plan.dpop) return [`    status, ${answer} = post_form(endpoint("${endpointName}"), ${form}, lambda: authenticate(${form}, issuer))`];
  return [`    headers = authenticate(${form}, issuer)`, `    status, ${answer} = post_form(endpoint("${endpointName}"), ${form}, headers)`];
}

/** What comes before main(): imports, constants, the keys, the secret's check, the helpers and the client authentication. */
function prologue(plan: Plan, fileName: string): string[] {
  const L: string[] = [];
  const push = (...lines: string[]) => L.push(...lines);
  const { signs } = plan;
  // DPoP proofs are JWTs too: PyJWT and cryptography (an EC key made when the program runs).
  const jwts = signs || plan.dpop !== undefined;
  push('import base64', 'import hashlib', 'import json', 'import os', 'import secrets', 'import sys', 'import time', 'import urllib.parse', '');
  push('try:', '    import requests');
  if (jwts) push('    import jwt');
  if (signs) push('    from cryptography.hazmat.primitives import serialization');
  if (plan.dpop) push('    from cryptography.hazmat.primitives.asymmetric import ec');
  push(
    'except ImportError as missing:',
    `    sys.exit(f"This program needs ${jwts ? 'PyJWT, cryptography and requests' : 'requests'} ({missing}): pip install ${jwts ? "'pyjwt[crypto]' " : ''}requests")`,
    '',
    `ISSUER = os.environ.get(${py(CODE_ENV.issuer)}) or ${py(plan.issuer)}`,
    `CLIENT_ID = ${py(plan.clientId)}`,
  );
  if (plan.usesBrowser) push(`REDIRECT_URI = ${py(plan.redirectUri)}`);
  if (plan.audience !== undefined) push(`AUDIENCE = ${py(plan.audience)}`);
  if (plan.extraClaims) push('# The claims the run merged over the request object.', `EXTRA_CLAIMS = json.loads(${py(JSON.stringify(plan.extraClaims))})`);
  if (plan.jarKey) push(`JAR_KEY = ${pyKey(plan.jarKey)}`);
  if (plan.authKey) push(`CLIENT_AUTH_KEY = ${pyKey(plan.authKey, plan.sameKey ? CODE_ENV.jarKeyFile : undefined)}`);
  if (plan.usesSecret) {
    push(
      `CLIENT_SECRET = os.environ.get(${py(CODE_ENV.clientSecret)}, "")`,
      'if not CLIENT_SECRET:',
      `    print("Set CLIENT_SECRET to the client secret before running this program, e.g.: CLIENT_SECRET=... ${runCommand(fileName)}", file=sys.stderr)`,
      '    sys.exit(2)',
    );
  }
  push('', '', PY_FAIL);
  if (signs) push('', '', PY_SIGNING);
  push('', '', plan.dpop ? PY_DPOP : PY_POST_FORM);
  push(
    '',
    '',
    'def authenticate(form, issuer):',
    '    """Adds the client authentication to a request (RFC 6749 §2.3, RFC 7523 §2.2); returns extra headers."""',
  );
  switch (plan.authMethod) {
    case 'none':
      push('    form["client_id"] = CLIENT_ID', '    return {}');
      break;
    case 'client_secret_post':
      push('    form["client_id"] = CLIENT_ID', '    form["client_secret"] = CLIENT_SECRET', '    return {}');
      break;
    case 'client_secret_basic':
      push(
        '    # Each part is form-urlencoded before the Basic encoding (RFC 6749 §2.3.1).',
        '    def enc(s):',
        '        return urllib.parse.quote(s, safe="-_.!~*\'()").replace("%20", "+")',
        '    credentials = base64.b64encode(f"{enc(CLIENT_ID)}:{enc(CLIENT_SECRET)}".encode()).decode()',
        '    return {"authorization": f"Basic {credentials}"}',
      );
      break;
    case 'private_key_jwt':
      push(
        '    iat = int(time.time())',
        `    assertion = sign(CLIENT_AUTH_KEY, "JWT", ${pyDict(ASSERTION_CLAIMS, '    ')})`,
        '    print(f"Client assertion: {assertion}")',
        '    form["client_id"] = CLIENT_ID',
        `    form["client_assertion_type"] = ${py(JWT_BEARER)}`,
        '    form["client_assertion"] = assertion',
        '    return {}',
      );
      break;
  }
  return L;
}

/** The URL's query, by what it carries. */
const AUTHORIZE_QUERY: Record<'request_uri' | 'requestObject' | 'parameters', string> = {
  request_uri: '    query = {"client_id": CLIENT_ID, "request_uri": request_uri}',
  requestObject: '    query = {"client_id": CLIENT_ID, "request": request_object}',
  parameters: '    query = params',
};

/** The endpoint the URL opens, read before the PAR request when there is one. */
const AUTHORIZATION_ENDPOINT = ['', '    authorization_endpoint = endpoint("authorization_endpoint")'];

/** The Python programs. */
export const python: CodeEmitter = {
  language: 'python',
  extension: 'py',
  mimeType: 'text/x-python',
  setupCommand: "pip install 'pyjwt[crypto]' requests",
  runCommand,
  runInstructions: (fileName) => [
    "pip install 'pyjwt[crypto]' requests",
    '  (Debian/Ubuntu: apt install python3-jwt python3-requests python3-cryptography)',
    `python3 ${fileName}`,
  ],
  keyNotes: () => [],
  program: (plan, fileName, header, steps) =>
    [
      '#!/usr/bin/env python3',
      ...header.map((line) => (line === '' ? '#' : `# ${line}`)),
      '',
      ...prologue(plan, fileName),
      '',
      '',
      'def main():',
      ...steps,
      '',
      '',
      'if __name__ == "__main__":',
      '    try:',
      '        main()',
      '    except requests.RequestException as e:',
      '        fail(str(e))',
      '',
    ].join('\n'),
  steps: {
    discover: () => [
      '    discovery_url = ISSUER.rstrip("/") + "/.well-known/openid-configuration"',
      '    res = requests.get(discovery_url, headers={"accept": "application/json"}, timeout=30)',
      '    if res.status_code != 200:',
      '        fail(f"{discovery_url} answered HTTP {res.status_code}.")',
      '    discovery = res.json()',
      '',
      '    def endpoint(name):',
      '        value = discovery.get(name)',
      '        if not isinstance(value, str):',
      '            fail(f"The discovery document has no {name}.")',
      '        return value',
      '',
      '    issuer = endpoint("issuer")',
      '    if issuer.rstrip("/") != ISSUER.rstrip("/"):',
      '        fail(f"The discovery document names the issuer {issuer}, not {ISSUER}.")',
    ],
    clientCredentials: (plan) => [
      '',
      '    # Client credentials: one token request.',
      '    form = {"grant_type": "client_credentials"}',
      ...(plan.audience !== undefined ? ['    form["audience"] = AUDIENCE'] : []),
      ...postLines(plan, 'tokens', 'token_endpoint', 'form'),
      '    if status != 200 or not isinstance(tokens.get("access_token"), str):',
      '        fail(f"The token endpoint rejected the request (HTTP {status} {describe(tokens)}).")',
      '    print(f"access_token: {tokens[\'access_token\']}")',
      '    print(json.dumps(tokens, indent=2))',
    ],
    authorizationRequest: (plan) => [
      '',
      '    # The authorization request: fresh state and nonce' + (plan.pkce ? ', and a PKCE pair (RFC 7636, S256).' : '.'),
      '    state = random_token(16)',
      '    nonce = random_token(16)',
      ...(plan.pkce
        ? [
            '    code_verifier = random_token(32)',
            '    code_challenge = base64.urlsafe_b64encode(hashlib.sha256(code_verifier.encode()).digest()).rstrip(b"=").decode()',
          ]
        : []),
      `    params = ${pyDict(plan.params, '    ')}`,
    ],
    requestObject: (plan) => [
      '',
      '    # The request object (RFC 9101): the parameters as claims, iss = client_id, aud = issuer, a short life.',
      '    iat = int(time.time())',
      `    claims = ${pyDict(JWT_CLAIMS, '    ', 'params')}`,
      ...(plan.extraClaims ? ['    claims.update(EXTRA_CLAIMS)'] : []),
      '    request_object = sign(JAR_KEY, "oauth-authz-req+jwt", claims)',
      '    print(f"Request object: {request_object}")',
    ],
    push: (plan, step) => [
      ...AUTHORIZATION_ENDPOINT,
      '',
      '    # PAR (RFC 9126): push the request, get a request_uri.',
      `    par_form = ${step.body === 'requestObject' ? '{"request": request_object}' : 'dict(params)'}`,
      ...postLines(plan, 'pushed', 'pushed_authorization_request_endpoint', 'par_form'),
      '    request_uri = pushed.get("request_uri")',
      '    if status != 201 or not isinstance(request_uri, str):',
      '        fail(f"The PAR endpoint rejected the request (HTTP {status} {describe(pushed)}).")',
      '    print(f"request_uri: {request_uri}")',
      '    if isinstance(pushed.get("expires_in"), int):',
      '        print(f"expires_in: {pushed[\'expires_in\']} s")',
    ],
    authorize: (_plan, step) => [
      ...(step.query === 'request_uri' ? [] : AUTHORIZATION_ENDPOINT),
      AUTHORIZE_QUERY[step.query],
      '    authorize_url = authorization_endpoint + ("&" if "?" in authorization_endpoint else "?") + urllib.parse.urlencode(query)',
      '',
      '    print()',
      '    print("Open this URL in a browser and sign in:")',
      '    print(f"  {authorize_url}")',
      '',
      '    # The browser ends at the redirect URI with ?code=...: paste that URL (Enter alone stops here).',
      '    print()',
      '    print("Then paste the URL the browser was sent back to (or press Enter to stop here):", flush=True)',
      '    try:',
      '        callback_url = input().strip()',
      '    except EOFError:',
      '        callback_url = ""',
      '    if not callback_url:',
      '        print("No callback URL: stopping before the token exchange.")',
      '        return',
      '    parsed = urllib.parse.urlsplit(callback_url)',
      '    answer = dict(urllib.parse.parse_qsl(parsed.query or parsed.fragment))',
      '    if answer.get("error"):',
      "        fail(f\"The authorization server answered error={answer['error']}: {answer.get('error_description', '')}\")",
      '    if answer.get("state") != state:',
      '        fail("The state in that URL is not the one this program sent (is it from another request?).")',
      '    if "iss" in answer and answer["iss"] != issuer:',
      '        fail(f"The callback names the issuer {answer[\'iss\']}, not {issuer} (RFC 9207).")',
      '    code = answer.get("code")',
      '    if not code:',
      '        fail("That URL has no code parameter.")',
    ],
    codeExchange: (plan) => [
      '',
      '    # The code exchange, with a new client authentication.',
      '    token_form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI}',
      ...(plan.pkce ? ['    token_form["code_verifier"] = code_verifier'] : []),
      ...postLines(plan, 'tokens', 'token_endpoint', 'token_form'),
      '    if status != 200 or not isinstance(tokens.get("access_token"), str):',
      '        fail(f"The token endpoint rejected the request (HTTP {status} {describe(tokens)}).")',
      '    print("Tokens:")',
      '    print(json.dumps(tokens, indent=2))',
    ],
    userinfo: () => [
      '',
      '    # /userinfo with the DPoP-bound access token: the DPoP scheme, and a proof whose ath is its hash (RFC 9449 §7).',
      '    access_token = tokens["access_token"]',
      '    if tokens.get("token_type") != "DPoP":',
      '        fail(f"The token is not DPoP-bound (token_type {tokens.get(\'token_type\')}).")',
      '    userinfo_url = endpoint("userinfo_endpoint")',
      '    for attempt in (1, 2):',
      '        headers = {"accept": "application/json", "authorization": f"DPoP {access_token}", "DPoP": dpop_proof("GET", userinfo_url, access_token)}',
      '        res = requests.get(userinfo_url, headers=headers, timeout=30)',
      '        # A nonce challenge is a 401 whose WWW-Authenticate says use_dpop_nonce (RFC 9449 §9): once more with it.',
      '        if not (remember_nonce(res) and res.status_code == 401 and "use_dpop_nonce" in res.headers.get("WWW-Authenticate", "")) or attempt == 2:',
      '            break',
      '        print(f"{userinfo_url}: use_dpop_nonce, sending again with the server\'s nonce.")',
      '    if res.status_code != 200:',
      "        fail(f\"The userinfo endpoint refused the token (HTTP {res.status_code} {res.headers.get('WWW-Authenticate', '')}).\")",
      '    print("Userinfo:")',
      '    print(json.dumps(res.json(), indent=2))',
    ],
  },
};
