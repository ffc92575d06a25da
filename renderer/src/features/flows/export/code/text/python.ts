/**
 * The fixed part of the Python programs (python.ts): helper functions that are the same in every export.
 * Kept as text, whole, so that they read as the code they are; the emitter places them.
 */
import { CODE_ENV } from '../plan';

/** fail (print the message and exit 1) and random_token (fresh base64url values). */
export const PY_FAIL = `def fail(message):
    print(message, file=sys.stderr)
    sys.exit(1)


def random_token(size):
    """A random base64url token of \`size\` bytes of entropy."""
    return secrets.token_urlsafe(size)`;

/** private_key and sign: PEM files read once (encrypted ones with KEY_PASSPHRASE), JWTs signed with PyJWT. */
export const PY_SIGNING = `_loaded = {}


def private_key(key):
    """Reads a PEM private key, decrypting it with KEY_PASSPHRASE when it is encrypted."""
    if key["file"] not in _loaded:
        try:
            with open(key["file"], "rb") as f:
                pem = f.read()
        except OSError:
            fail(f"Cannot read {key['file']}: save {key['what']} there as a PEM file (Parley: Keys, Export, Private key).")
        passphrase = os.environ.get("${CODE_ENV.keyPassphrase}") or None
        try:
            _loaded[key["file"]] = serialization.load_pem_private_key(pem, password=passphrase.encode() if passphrase else None)
        except (ValueError, TypeError) as e:
            hint = "" if passphrase else " (is it encrypted? set KEY_PASSPHRASE)"
            fail(f"{key['file']} is not a private key this program can read{hint}: {e}")
    return _loaded[key["file"]]


def sign(key, typ, payload):
    """Signs a JWT with a key file: the header says alg, typ and the vault key's kid."""
    headers = {"typ": typ}
    if key["kid"]:
        headers["kid"] = key["kid"]
    token = jwt.encode(payload, private_key(key), algorithm=key["alg"], headers=headers)
    return token if isinstance(token, str) else token.decode()`;

/** post_form and describe: a form POST whose answer must be a JSON object, and its OAuth error in words. */
export const PY_POST_FORM = `def post_form(url, form, headers):
    """POSTs a form and reads the JSON answer."""
    res = requests.post(url, data=form, headers={"accept": "application/json", **headers}, timeout=30)
    try:
        body = res.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        fail(f"{url} answered HTTP {res.status_code} with something other than a JSON object: {res.text[:300]}")
    return res.status_code, body


def describe(body):
    return ": ".join(x for x in (body.get("error"), body.get("error_description")) if isinstance(x, str)) or json.dumps(body)`;

/**
 * DPoP (RFC 9449): the program's own ES256 key pair, a proof per request (with the server's latest nonce,
 * and `ath` when an access token goes with it), and the form POST that retries once on use_dpop_nonce.
 * Replaces PY_POST_FORM in DPoP programs: post_form there takes the client authentication as a function.
 */
export const PY_DPOP = `DPOP_KEY = ec.generate_private_key(ec.SECP256R1())
DPOP_JWK = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(DPOP_KEY.public_key()))
# The server's latest DPoP-Nonce (RFC 9449 §8): sent in every later proof.
_dpop = {"nonce": None}


def b64url_sha256(text):
    return base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()


def dpop_jkt():
    """The key's RFC 7638 thumbprint (its required members, sorted, no whitespace): dpop_jkt, and cnf.jkt."""
    members = {name: DPOP_JWK[name] for name in ("crv", "kty", "x", "y")}
    return b64url_sha256(json.dumps(members, separators=(",", ":"), sort_keys=True))


def dpop_proof(htm, url, access_token=None):
    """A DPoP proof for one request: htm, htu (no query or fragment), a fresh jti, and ath with an access token."""
    htu = urllib.parse.urlsplit(url)._replace(query="", fragment="").geturl()
    claims = {"htm": htm, "htu": htu, "jti": random_token(16), "iat": int(time.time())}
    if _dpop["nonce"] is not None:
        claims["nonce"] = _dpop["nonce"]
    if access_token is not None:
        claims["ath"] = b64url_sha256(access_token)
    token = jwt.encode(claims, DPOP_KEY, algorithm="ES256", headers={"typ": "dpop+jwt", "jwk": DPOP_JWK})
    return token if isinstance(token, str) else token.decode()


def remember_nonce(res):
    if "DPoP-Nonce" in res.headers:
        _dpop["nonce"] = res.headers["DPoP-Nonce"]
    return "DPoP-Nonce" in res.headers


def post_form(url, form, authenticate_form):
    """POSTs a form with a DPoP proof and reads the JSON answer; on 400 use_dpop_nonce it sends it once more
    with the server's nonce (a new proof, and a new client authentication: an assertion's jti is used once)."""
    for attempt in (1, 2):
        headers = {"accept": "application/json", **authenticate_form(), "DPoP": dpop_proof("POST", url)}
        res = requests.post(url, data=form, headers=headers, timeout=30)
        got_nonce = remember_nonce(res)
        try:
            body = res.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            fail(f"{url} answered HTTP {res.status_code} with something other than a JSON object: {res.text[:300]}")
        if attempt == 1 and res.status_code == 400 and body.get("error") == "use_dpop_nonce" and got_nonce:
            print(f"{url}: use_dpop_nonce, sending again with the server's nonce.")
            continue
        return res.status_code, body


def describe(body):
    return ": ".join(x for x in (body.get("error"), body.get("error_description")) if isinstance(x, str)) or json.dumps(body)`;
