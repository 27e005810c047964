#!/usr/bin/env bash
# Writes tests/expected/ from tshark 4.0 (and tcpdump), the oracles the tests hold
# synack to. Run from the repository root after adding a capture to tests/captures/.
set -euo pipefail
export TZ=UTC
cd "$(dirname "$0")/.."
FIELDS=$(python3 - <<'PY'
import re
src = open("tests/fields.txt").read().split()
print(" ".join("-e " + f for f in src))
PY
)
TABLES="-z conv,eth -z conv,ip -z conv,ipv6 -z conv,tcp -z conv,udp -z endpoints,eth
  -z endpoints,ip -z endpoints,ipv6 -z endpoints,tcp -z endpoints,udp -z io,stat,1
  -z io,stat,0.25,tcp,udp,tcp.len>0"
for cap in tests/captures/*.pcap*; do
  name=$(basename "$cap")
  tshark -r "$cap" 2>/dev/null > "tests/expected/$name.summary"
  # shellcheck disable=SC2086
  tshark -r "$cap" -T fields -E separator=/t $FIELDS 2>/dev/null > "tests/expected/$name.fields"
  tshark -r "$cap" -q -z expert 2>/dev/null > "tests/expected/$name.expert"
  tshark -r "$cap" -q -z io,phs 2>/dev/null > "tests/expected/$name.phs"
  # Conversations, endpoints and I/O intervals (tests/stats_reports.rs); tshark
  # prints them in the reverse order of the -z arguments.
  tshark -r "$cap" -q $TABLES 2>/dev/null > "tests/expected/$name.tables"
  # The TCP layers of -V without synack's teaching lines (tests/verbose_tree.rs).
  case "$name" in
    tcp_clean_close.pcap|tcp_abort_rst.pcap|tcp_refused.pcap|tcp_half_close.pcap|\
    tcp_simultaneous_close.pcap|tcp_ipv6.pcapng|http_keepalive.pcap|tcp_tso_gso.pcap)
      tshark -r "$cap" -V 2>/dev/null | awk '/^[^ ]/ { tcp = /^Transmission Control Protocol/ } tcp && NF' \
        > "tests/expected/$name.tcp-tree" ;;
  esac
  # Whole -V trees (tests/verbose_tree.rs).
  case "$name" in
    tcp_clean_close.pcap|multi_iface.pcapng|gen3.pcap|dns_udp.pcap|smtp_session.pcap|smtp_mails.pcap|\
    http_images.pcap|quic_handshake.pcap|quic_retry.pcap|quic_vn.pcap|quic_handshake_truncated.pcap|\
    icmp_extensions.pcapng|mpls_traceroute_ppp.pcap)
      tshark -r "$cap" -V 2>/dev/null > "tests/expected/$name.tree" ;;
  esac
done
# What a second pass shows (tests/two_pass.rs).
TWO_PASS=$(sed 's/^/-e /' tests/expected/two_pass/fields.txt | tr '\n' ' ')
for name in dns_udp http_keepalive http_post http_media icmp_arp_ping ip_fragments \
    ip_fragments_odd tcp_abort_rst tls_sni; do
  cap=$(ls tests/captures/"$name".pcap*)
  tshark -2 -r "$cap" 2>/dev/null > "tests/expected/two_pass/$name.summary"
  # shellcheck disable=SC2086
  tshark -2 -r "$cap" -T fields $TWO_PASS 2>/dev/null > "tests/expected/two_pass/$name.fields"
done
# Packet counts of tcpdump's test corpus (see tests/corpus.rs).
if [ -d tests/corpus/tcpdump ]; then
  for f in tests/corpus/tcpdump/*.pcap*; do
    printf '%s\t%s\n' "$(basename "$f")" "$(tshark -r "$f" -T fields -e frame.number 2>/dev/null | grep -c . || true)"
  done > tests/expected/corpus-counts.tsv
fi
