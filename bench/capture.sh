#!/usr/bin/env bash
# Live capture side by side: synack's helper, dumpcap and tcpdump capture the same
# loopback flood of small UDP datagrams at once, then capinfos counts what each kept.
# A second run floods again with the window (driven headless by bench/gui.rs's
# --follow-capture, release build) capturing through the helper and following the
# capture as it grows, dumpcap beside it; WINDOW=0 skips it.
# Usage: bench/capture.sh [DATAGRAMS] (default 1000000); needs root, gcc, dumpcap,
# tcpdump and capinfos (apt-get install tshark tcpdump). FLOOD_SRC names flood.c
# (default: ../shared/tools/flood.c beside the repository); HELPER_ARGS adds flags
# to the helper (e.g. "-B 8").
set -euo pipefail

count=${1:-1000000}
port=${PORT:-40999}
root=$(cd "$(dirname "$0")/.." && pwd)
flood_src=${FLOOD_SRC:-$root/../shared/tools/flood.c}
target=${CARGO_TARGET_DIR:-$root/target}

cargo build --quiet --release -p synack-capture --manifest-path "$root/Cargo.toml"
helper=$target/release/synack-capture
tmp=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill -INT "$pid" 2>/dev/null || true; done
    rm -rf "$tmp"
}
trap cleanup EXIT
gcc -O2 -o "$tmp/flood" "$flood_src"

filter="udp dst port $port"
# Each starts now and captures the same flood; -Z root keeps tcpdump from switching
# to a user that may not write into the private temporary folder.
dumpcap -q -i lo -f "$filter" -w "$tmp/dumpcap.pcapng" 2>"$tmp/dumpcap.err" &
pids+=($!)
tcpdump -q -Z root -i lo -w "$tmp/tcpdump.pcap" "$filter" 2>"$tmp/tcpdump.err" &
pids+=($!)
# shellcheck disable=SC2086 # HELPER_ARGS is a list of words
"$helper" -i lo -f "$filter" ${HELPER_ARGS:-} -w "$tmp/synack.pcapng" 2>"$tmp/synack.err" &
pids+=($!)
# Let each open its device before the flood starts.
sleep 2
"$tmp/flood" "$count" "$port"
sleep 1
for pid in "${pids[@]}"; do kill -INT "$pid"; done
for pid in "${pids[@]}"; do wait "$pid" || true; done
pids=()

kept() { capinfos -c -M "$1" | awk -F: '/Number of packets/ { gsub(/ /, "", $2); print $2 }'; }
printf '%-15s %10s\n' capturer kept
printf '%-15s %10s\n' synack-capture "$(kept "$tmp/synack.pcapng")"
printf '%-15s %10s\n' dumpcap "$(kept "$tmp/dumpcap.pcapng")"
printf '%-15s %10s\n' tcpdump "$(kept "$tmp/tcpdump.pcap")"
echo "synack-capture: $(tail -n 1 "$tmp/synack.err" | tr -d '\r')"
echo "dumpcap: $(grep -i 'packets' "$tmp/dumpcap.err" | tail -n 2 | tr '\n' ' ')"
echo "tcpdump: $(grep -i 'packets' "$tmp/tcpdump.err" | tr '\n' ' ')"

if [ "${WINDOW:-1}" = 0 ]; then exit 0; fi
# Second run: the window follows the capture (its worker loads the growing file in
# batches while the helper writes it); dumpcap captures the same flood beside it.
echo
echo "window following the capture (second run):"
dumpcap -q -i lo -f "$filter" -w "$tmp/dumpcap2.pcapng" 2>"$tmp/dumpcap2.err" &
pids+=($!)
sleep 2
(cd "$root" && cargo bench --quiet --bench gui -- --follow-capture "$helper" lo "$filter" \
    "$tmp/flood" "$count" "$port") >"$tmp/window.out" 2>"$tmp/window.err" || {
    cat "$tmp/window.err" >&2
    exit 1
}
sleep 1
for pid in "${pids[@]}"; do kill -INT "$pid"; done
for pid in "${pids[@]}"; do wait "$pid" || true; done
pids=()
window_file=$(awk '/^window_file / { print $2 }' "$tmp/window.out")
printf '%-15s %10s\n' capturer kept
printf '%-15s %10s\n' "synack window" "$(kept "$window_file")"
printf '%-15s %10s\n' dumpcap "$(kept "$tmp/dumpcap2.pcapng")"
grep -v '^window_file ' "$tmp/window.out"
rm -f "$window_file"
