# Shared by the bench/ scripts (sourced, not run).

# write_block MARKER HEADING TABLE: puts TABLE into docs/benchmarks.md between the
# "<!-- MARKER:start -->" and "<!-- MARKER:end -->" comments, or appends it under "## HEADING"
# when the file has no such block yet. Text around the block is kept as it is.
write_block() {
  python3 - "$1" "$2" "$3" <<'PY'
import re, sys
marker, heading, table = sys.argv[1:4]
path = "docs/benchmarks.md"
doc = open(path).read()
start, end = f"<!-- {marker}:start -->", f"<!-- {marker}:end -->"
block = start + "\n" + table + "\n" + end
if start in doc:
    doc = re.sub(re.escape(start) + ".*?" + re.escape(end), lambda m: block, doc, flags=re.S)
else:
    doc += "\n## " + heading + "\n\n" + block + "\n"
open(path, "w").write(doc)
PY
}

# transparency_keys DIR: a throw-away Ed25519 signing key and hash secret for the transparency log
# under DIR, exported as MERIDIAN_TRANSPARENCY_SIGNING_KEY_LOCATION / _HASH_SECRET_LOCATION, without
# which the packaged service (prod profile) refuses to start.
transparency_keys() {
  [ -s "$1/transparency-key.pem" ] || openssl genpkey -algorithm ed25519 -out "$1/transparency-key.pem"
  [ -s "$1/transparency-secret" ] || openssl rand -base64 32 > "$1/transparency-secret"
  export MERIDIAN_TRANSPARENCY_SIGNING_KEY_LOCATION="$PWD/$1/transparency-key.pem"
  export MERIDIAN_TRANSPARENCY_HASH_SECRET_LOCATION="$PWD/$1/transparency-secret"
}
