#!/usr/bin/env bash
# DEVELOPMENT ONLY - NOT FOR PRODUCTION.
# Prints a bearer token signed with the development key pair in this folder, accepted by a service
# started with `./mvnw quarkus:dev` (and by the test profile). The prod profile refuses to start with
# this key. Needs only bash and openssl.
#
#   deploy/dev/token.sh ROLE [ACCOUNT...]
#
#   ROLE      meeting-client | region-admin | ops
#   ACCOUNT   account ids a region-admin may manage (the token's "accounts" claim)
#
# Environment: MERIDIAN_DEV_SUBJECT (default dev-ROLE), MERIDIAN_DEV_TOKEN_TTL seconds (default 3600);
# MERIDIAN_TOKEN_KEY and MERIDIAN_TOKEN_ISSUER sign with another key and issuer (the benchmark's own).
set -euo pipefail

usage() {
  echo "usage: $0 meeting-client|region-admin|ops [ACCOUNT...]" >&2
  exit 2
}

[ $# -ge 1 ] || usage
role=$1
shift
case "$role" in
  meeting-client|region-admin|ops) ;;
  *) echo "unknown role '$role'" >&2; usage ;;
esac

here=$(cd "$(dirname "$0")" && pwd)
key="${MERIDIAN_TOKEN_KEY:-$here/private-key.pem}"
issuer="${MERIDIAN_TOKEN_ISSUER:-https://meridian.example/dev}"
subject="${MERIDIAN_DEV_SUBJECT:-dev-$role}"
ttl="${MERIDIAN_DEV_TOKEN_TTL:-3600}"
case "$subject" in *[!A-Za-z0-9._:@-]*|"") echo "subject may use letters, digits and . _ : @ -" >&2; exit 2 ;; esac
case "$ttl" in *[!0-9]*|"") echo "MERIDIAN_DEV_TOKEN_TTL must be a number of seconds" >&2; exit 2 ;; esac

accounts=""
for account in "$@"; do
  case "$account" in *[!A-Za-z0-9._:@-]*|"") echo "bad account id '$account'" >&2; exit 2 ;; esac
  accounts="${accounts:+$accounts,}\"$account\""
done

now=$(date +%s)
jti=$(openssl rand -hex 16)
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

header='{"alg":"RS256","typ":"JWT","kid":"meridian-dev"}'
payload=$(printf '{"iss":"%s","sub":"%s","upn":"%s","groups":["%s"],"accounts":[%s],"iat":%d,"nbf":%d,"exp":%d,"jti":"%s"}' \
  "$issuer" "$subject" "$subject" "$role" "$accounts" "$now" "$now" "$((now + ttl))" "$jti")

signing_input="$(printf '%s' "$header" | b64url).$(printf '%s' "$payload" | b64url)"
signature=$(printf '%s' "$signing_input" | openssl dgst -sha256 -sign "$key" | b64url)
printf '%s.%s\n' "$signing_input" "$signature"
