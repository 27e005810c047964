#!/bin/sh
# Runs fuzz targets one after another (they share the machine's cores), each for
# SECONDS (default 180), with the options that suit it.
#
#   fuzz/run.sh [SECONDS] [TARGET...]      (default: every target)
#
# Needs cargo-fuzz; no nightly toolchain is needed (RUSTC_BOOTSTRAP=1 is set here).
# Crashes land in fuzz/artifacts/<target>/; the log of each run in fuzz/logs/.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cd "$(dirname "$here")"
seconds=${1:-180}
[ $# -gt 0 ] && shift
[ $# -gt 0 ] || set -- $(cargo fuzz list)
export RUSTC_BOOTSTRAP=1
mkdir -p "$here/logs"
status=0
for target in "$@"; do
    case $target in
        pcap_reader|pcapng_reader|gzip_reader) extra="-max_len=16384" ;;
        tcp_analysis) extra="-max_len=65536" ;;
        filter_parse) extra="-dict=$here/filter.dict" ;;
        *) extra="" ;;
    esac
    log="$here/logs/$target.log"
    # shellcheck disable=SC2086
    if cargo fuzz run "$target" -- -max_total_time="$seconds" -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 $extra >"$log" 2>&1; then
        result=clean
    else
        result="FOUND SOMETHING (see $log and fuzz/artifacts/$target/)"
        status=1
    fi
    runs=$(grep -o '^Done [0-9]* runs in [0-9]* second' "$log" | tail -1 || true)
    printf '%-18s %s: %s\n' "$target" "${runs:-no summary}" "$result"
done
exit $status
