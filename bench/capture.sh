#!/usr/bin/env bash
# Live capture side by side: synack's helper, dumpcap and tcpdump capture the same
# loopback flood of small UDP datagrams at once, then capinfos counts what each kept.
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
