/**
 * The fixed part of the bash programs (bash.ts): shell functions that are the same in every export.
 * Kept as text, whole, so that they read as the code they are; the emitter places them. `${'$'}{` is a
 * literal `${` (String.raw keeps every backslash as written).
 */
import { BASH_JSON_URL_HELPERS } from '../../shell';

/**
 * The shell functions the exported scripts use: base64url, JSON string access, percent-encoding, and
 * `sign_jwt` (openssl dgst; RSASSA-PSS options for PS*, DER → r||s for ES*). Exported for the tests.
 */
export const SHELL_HELPERS = String.raw`# base64url without padding (RFC 7515 §2), from standard input.
b64url() {
  openssl base64 -A | tr '+/' '-_' | tr -d '='
}

# A random base64url token of $1 bytes of entropy.
random_token() {
  openssl rand "$1" | b64url
}

# A string as a JSON string literal (quotes and backslashes escaped).
json_quote() {
  local s=${'$'}{1//\\/\\\\}
  s=${'$'}{s//\"/\\\"}
  printf '"%s"' "$s"
}

${BASH_JSON_URL_HELPERS}

# An ECDSA signature from openssl (DER) as JWS wants it: r || s, each $1 bytes (RFC 7518 §3.4).
der_to_raw() {
  local size=$1 parsed line hex out=''
  parsed=$(openssl asn1parse -inform DER) || return 1
  while IFS= read -r line; do
    [[ $line == *INTEGER* ]] || continue
    hex=${'$'}{line##*:}
    hex=${'$'}{hex//[[:space:]]/}
    while (( ${'$'}{#hex} < size * 2 )); do hex=0$hex; done
    out+=${'$'}{hex: -$(( size * 2 ))}
  done <<<"$parsed"
  if (( ${'$'}{#out} != size * 4 )); then
    echo "Unexpected ECDSA signature from openssl." >&2
    return 1
  fi
  printf '%b' "$(printf '%s' "$out" | sed 's/../\\x&/g')"
}

# Signs a JWT: sign_jwt ALG KEY_FILE HEADER_JSON PAYLOAD_JSON. KEY_PASSPHRASE decrypts an encrypted PEM.
sign_jwt() {
  local alg=$1 key=$2 header=$3 payload=$4 digest size=0 input
  local -a options=()
  if [[ ! -r $key ]]; then
    echo "Cannot read $key: save the private key there as a PEM file (Parley: Keys, Export, Private key)." >&2
    return 1
  fi
  case $alg in
    RS256 | PS256 | ES256) digest=sha256 ;;
    RS384 | PS384 | ES384) digest=sha384 ;;
    RS512 | PS512 | ES512) digest=sha512 ;;
    *) echo "This script cannot sign with $alg." >&2; return 1 ;;
  esac
  case $alg in
    PS*) options=(-sigopt rsa_padding_mode:pss -sigopt "rsa_pss_saltlen:$(( ${'$'}{digest#sha} / 8 ))" -sigopt "rsa_mgf1_md:$digest") ;;
    ES256) size=32 ;;
    ES384) size=48 ;;
    ES512) size=66 ;;
  esac
  if [[ -n ${'$'}{KEY_PASSPHRASE:-} ]]; then options+=(-passin env:KEY_PASSPHRASE); fi
  input="$(printf '%s' "$header" | b64url).$(printf '%s' "$payload" | b64url)"
  if (( size > 0 )); then
    printf '%s.%s' "$input" "$(printf '%s' "$input" | openssl dgst "-$digest" -sign "$key" ${'$'}{options[@]+"${'$'}{options[@]}"} -binary | der_to_raw "$size" | b64url)"
  else
    printf '%s.%s' "$input" "$(printf '%s' "$input" | openssl dgst "-$digest" -sign "$key" ${'$'}{options[@]+"${'$'}{options[@]}"} -binary | b64url)"
  fi
}`;

/** post_form: a form POST that prints the body, then the HTTP status on its own last line. */
export const BASH_POST_FORM = String.raw`# POSTs a form (curl arguments follow the URL); prints the body, then the HTTP status on the last line.
post_form() {
  curl -sS -w '\n%{http_code}' -H 'accept: application/json' "$@"
}`;

/** status_of and body_of: the two parts of what post_form printed. */
export const BASH_STATUS_BODY = String.raw`# The HTTP status (last line) and the body (the rest) of what post_form printed.
status_of() { printf '%s' "${'$'}{1##*$'\n'}"; }
body_of() { printf '%s' "${'$'}{1%$'\n'*}"; }`;

/**
 * DPoP (RFC 9449): the script's own P-256 key (made when it runs, in a directory deleted at exit), a proof
 * per request signed with sign_jwt (with the server's latest nonce, and `ath` when an access token goes with
 * it), and post_form with a proof, keeping the answer's DPoP-Nonce. Replaces BASH_POST_FORM in DPoP
 * scripts: post_form runs in a subshell, so the nonce is kept in a file.
 */
export const BASH_DPOP = String.raw`# DPoP (RFC 9449): this script's own P-256 key, made now and deleted at exit.
dpop_dir=$(mktemp -d)
trap 'rm -rf "$dpop_dir"' EXIT
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$dpop_dir/key.pem" 2>/dev/null
# The public key as a JWK: the DER public key ends with the point 0x04 || x || y (32 bytes each).
dpop_x=$(openssl pkey -in "$dpop_dir/key.pem" -pubout -outform DER | tail -c 64 | head -c 32 | b64url)
dpop_y=$(openssl pkey -in "$dpop_dir/key.pem" -pubout -outform DER | tail -c 32 | b64url)
# Its RFC 7638 thumbprint (the required members, sorted, no whitespace): dpop_jkt, and cnf.jkt.
dpop_jkt=$(printf '{"crv":"P-256","kty":"EC","x":"%s","y":"%s"}' "$dpop_x" "$dpop_y" | openssl dgst -sha256 -binary | b64url)
dpop_header="{\"alg\":\"ES256\",\"typ\":\"dpop+jwt\",\"jwk\":{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"$dpop_x\",\"y\":\"$dpop_y\"}}"

# A DPoP proof: dpop_proof METHOD URL [ACCESS_TOKEN]; htu without query or fragment, the server's latest
# nonce, and ath (the access token's SHA-256) with an access token.
dpop_proof() {
  local payload
  payload="{\"htm\":\"$1\",\"htu\":$(json_quote "${'$'}{2%%[?#]*}"),\"jti\":\"$(random_token 16)\",\"iat\":$(date +%s)"
  if [[ -s $dpop_dir/nonce ]]; then payload+=",\"nonce\":$(json_quote "$(cat "$dpop_dir/nonce")")"; fi
  if [[ -n ${'$'}{3:-} ]]; then payload+=",\"ath\":\"$(printf '%s' "$3" | openssl dgst -sha256 -binary | b64url)\""; fi
  payload+='}'
  KEY_PASSPHRASE='' sign_jwt ES256 "$dpop_dir/key.pem" "$dpop_header" "$payload"
}

# Keeps the DPoP-Nonce of the last answer (its headers are in $dpop_dir/headers) for the next proofs.
keep_nonce() {
  local nonce
  nonce=$(sed -n 's/^[Dd][Pp][Oo][Pp]-[Nn][Oo][Nn][Cc][Ee]:[[:space:]]*//p' "$dpop_dir/headers" | tr -d '\r' | tail -n 1)
  if [[ -n $nonce ]]; then printf '%s' "$nonce" >"$dpop_dir/nonce"; fi
}

# POSTs a form with a DPoP proof (curl arguments follow the URL); prints the body, then the HTTP status on the last line.
post_form() {
  local url=$1 out
  shift
  out=$(curl -sS -D "$dpop_dir/headers" -w '\n%{http_code}' -H 'accept: application/json' -H "DPoP: $(dpop_proof POST "$url")" "$url" "$@")
  keep_nonce
  printf '%s' "$out"
}`;
