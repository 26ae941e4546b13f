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
