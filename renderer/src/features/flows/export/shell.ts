/**
 * What both exports of a run write in bash (the replay script, replay.ts, and the exported program,
 * code/bash.ts): POSIX quoting, and the bash functions both scripts define. One copy, so that a quoting
 * fix reaches both. Pure: no DOM, no Node.
 */

/** Quotes a string for a POSIX shell: single quotes, each `'` written as `'\''`. Newlines and `$` stay literal. */
export function shellQuote(value: string): string {
  if (value.includes('\0')) throw new Error('A shell argument cannot contain a NUL character.');
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Bash functions both exports need: a JSON string member, and percent-encoding and -decoding for URLs. */
export const BASH_JSON_URL_HELPERS = String.raw`# The value of a string member of a JSON object (jq when installed, else a sed good enough for OAuth responses).
json_string() {
  if command -v jq >/dev/null 2>&1; then
    printf '%s' "$2" | jq -r --arg k "$1" '.[$k] // empty | strings' 2>/dev/null || true
  else
    printf '%s' "$2" | tr -d '\n' | sed -n 's/.*"'"$1"'"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p'
  fi
}

# Percent-encodes a value for a URL query.
urlencode() {
  local LC_ALL=C s=$1 out='' c i
  for (( i = 0; i < ${'$'}{#s}; i++ )); do
    c=${'$'}{s:i:1}
    case $c in
      [A-Za-z0-9._~-]) out+=$c ;;
      *) printf -v c '%%%02X' "'$c"; out+=$c ;;
    esac
  done
  printf '%s' "$out"
}

# Decodes a percent-encoded (form) value.
urldecode() {
  local s=${'$'}{1//+/ }
  printf '%b' "${'$'}{s//%/\\x}"
}

# The decoded value of a query (or fragment) parameter of a URL.
query_param() {
  local query pair pairs
  [[ $2 == *[?#]* ]] || return 0
  query=${'$'}{2#*[?#]}
  IFS='&#' read -r -a pairs <<<"$query"
  for pair in "${'$'}{pairs[@]}"; do
    if [[ ${'$'}{pair%%=*} == "$1" ]]; then
      urldecode "${'$'}{pair#*=}"
      return 0
    fi
  done
}`;
