#!/bin/sh
# Builds the seed corpora of the fuzz targets in fuzz/corpus/<target>/ (git-ignored).
#
#   fuzz/seed.sh [CAPTURE_DIR...]
#
# Captures come from the given directories, by default the shared real captures and
# tcpdump's test files, plus the repository's own tests/captures. Frames are extracted
# with synack's own reader (examples/seed.rs); a directory of symlinks to chosen files
# works as well as a real one. Filter strings come from tshark-diff's list and section 6
# of docs/tshark-semantics.md. Re-running only adds new seeds.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
shared=${SYNACK_SHARED:-/work/shared}
corpus="$here/corpus"
[ $# -gt 0 ] || set -- "$shared/captures/real" "$shared/captures/tcpdump-tests"
set -- "$@" "$root/tests/captures"
mkdir -p "$corpus"

# 1. Captures: readers, single frames, TCP conversations.
files=$(for d in "$@"; do [ -d "$d" ] && find -L "$d" -type f \( -name '*.pcap' -o -name '*.pcapng' \); done | sort)
# shellcheck disable=SC2086
cargo run --quiet --manifest-path "$here/Cargo.toml" --example seed -- "$corpus" $files

# 2. gzip: every reader seed compressed, one two-member stream and one cut short.
mkdir -p "$corpus/gzip_reader"
for f in "$corpus"/pcap_reader/* "$corpus"/pcapng_reader/*; do
    gzip -9 -n -c "$f" > "$corpus/gzip_reader/$(basename "$f").gz"
done
set -- "$corpus"/pcap_reader/*
if [ -f "$1" ] && [ -f "${2:-}" ]; then
    { gzip -n -c "$1"; gzip -n -c "$2"; } > "$corpus/gzip_reader/two-members.gz"
    gzip -n -c "$1" | head -c 100 > "$corpus/gzip_reader/cut-short.gz"
fi

# 3. Filter strings: tshark-diff's FILTERS, and every `quoted` snippet and evidence
#    line of section 6 of the semantics notes.
mkdir -p "$corpus/filter_parse"
python3 - "$shared/tools/tshark-diff.py" "$shared/docs/tshark-semantics.md" "$corpus/filter_parse" <<'PY'
import ast, hashlib, os, re, sys
tool, doc, out = sys.argv[1:4]
filters = set()
if os.path.exists(tool):
    for node in ast.walk(ast.parse(open(tool).read())):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "FILTERS" for t in node.targets):
            filters.update(ast.literal_eval(node.value))
if os.path.exists(doc):
    section = open(doc).read().split("\n## 6.", 1)[-1].split("\n## 7.", 1)[0]
    parts = section.split("```")
    for prose in parts[0::2]:
        filters.update(re.findall(r"`([^`\n]+)`", prose))
    for block in parts[1::2]:
        for line in block.splitlines():
            # Evidence: "FILTER => frames    FILTER => frames".
            filters.update(re.findall(r"(?:^|\s{2,})(\S.*?)\s+=>", line))
            # Errors: "tshark: message   ("filter", "filter")".
            for group in re.findall(r"\((\"[^)]*)\)\s*$", line):
                filters.update(re.findall(r'"([^"]+)"', group))
for f in filters:
    data = f.encode()
    with open(os.path.join(out, hashlib.sha1(data).hexdigest()[:16]), "wb") as fh:
        fh.write(data)
print(f"seed: {len(filters)} filter strings", file=sys.stderr)
PY
for t in "$corpus"/*/; do printf '%6d  %s\n' "$(ls "$t" | wc -l)" "$(basename "$t")"; done
