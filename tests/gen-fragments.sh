#!/usr/bin/env bash
# Records the fragment and ICMP test captures for real in network namespaces
# (client fc -- router fr -- server fs, every link MTU 1280) and writes the crafted
# one of odd fragments. Needs root, iproute2, tcpdump and python3 (stdlib only).
# usage: tests/gen-fragments.sh [OUTDIR]   (default tests/captures)
set -euo pipefail
out=$(realpath "${1:-$(dirname "$0")/captures}")
C=fcli R=frtr S=fsrv
ns() { ip netns exec "$@"; }
teardown() { for n in $C $R $S; do ip netns del $n 2>/dev/null || true; done; }
trap teardown EXIT
teardown
for n in $C $R $S; do ip netns add $n; ns $n ip link set lo up; done
ip link add vc netns $C type veth peer name vr1 netns $R
ip link add vs netns $S type veth peer name vr2 netns $R
setif() { # ns dev v4 v6
  ns "$1" ip link set "$2" mtu 1280 up
  ns "$1" ip addr add "$3" dev "$2"
  ns "$1" ip -6 addr add "$4" dev "$2" nodad
  ns "$1" ethtool -K "$2" tso off gso off gro off tx off rx off >/dev/null 2>&1 || true
}
setif $C vc 10.20.1.1/24 fd20:1::1/64
setif $R vr1 10.20.1.254/24 fd20:1::fe/64
setif $R vr2 10.20.2.254/24 fd20:2::fe/64
setif $S vs 10.20.2.2/24 fd20:2::2/64
ns $C ip route add default via 10.20.1.254
ns $C ip -6 route add default via fd20:1::fe
ns $S ip route add default via 10.20.2.254
ns $S ip -6 route add default via fd20:2::fe
ns $R sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
ns $R ip route add unreachable 10.20.9.0/24
# Known neighbours: no ARP or NDP in the captures.
mac() { ns "$1" cat /sys/class/net/"$2"/address; }
ns $C ip neigh add 10.20.1.254 lladdr "$(mac $R vr1)" dev vc
ns $C ip -6 neigh add fd20:1::fe lladdr "$(mac $R vr1)" dev vc
ns $R ip neigh add 10.20.1.1 lladdr "$(mac $C vc)" dev vr1
ns $R ip -6 neigh add fd20:1::1 lladdr "$(mac $C vc)" dev vr1
ns $R ip neigh add 10.20.2.2 lladdr "$(mac $S vs)" dev vr2
ns $R ip -6 neigh add fd20:2::2 lladdr "$(mac $S vs)" dev vr2
ns $S ip neigh add 10.20.2.254 lladdr "$(mac $R vr2)" dev vs
ns $S ip -6 neigh add fd20:2::fe lladdr "$(mac $R vr2)" dev vs
sleep 1

record() { # file, the python run in the client namespace, then (optional) in the router's
  ip netns exec $C tcpdump -U -n -i vc -w "$out/$1" "ip or ip6" 2>/dev/null & local pid=$!
  sleep 1
  ns $C python3 -c "$PY_COMMON$2"
  if [ -n "${3:-}" ]; then ns $R python3 -c "$PY_COMMON$3"; fi
  sleep 1; kill $pid; wait $pid || true
}

PY_COMMON='
import socket, struct, time
def csum(b):
    if len(b) % 2: b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
def icmp(kind, code, rest, body=b""):
    m = struct.pack("!BBH", kind, code, 0) + rest + body
    return m[:2] + struct.pack("!H", csum(m)) + m[4:]
def send4(msg, dst, ttl=64, via=None):
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, ttl)
    if via:
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, ttl)
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(via))
    s.sendto(msg, (dst, 0)); time.sleep(0.3)
def ping6(dst, size, ident, seq):
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    s.sendto(struct.pack("!BBHHH", 128, 0, 0, ident, seq) + bytes(i % 256 for i in range(size)), (dst, 0))
    time.sleep(0.3)
def udp(dst, port, size, hops=64):
    fam = socket.AF_INET6 if ":" in dst else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    if fam == socket.AF_INET: s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, hops)
    else: s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, hops)
    s.sendto(bytes(b"synack-%d " % size) * (size // 10) + b"x" * (size % 10), (dst, port)); time.sleep(0.3)
'

# 1. Big pings and UDP datagrams over a 1280-byte MTU, in IPv4 and IPv6: the sender
# fragments them, the server's replies come back fragmented, and the UDP datagrams
# to a closed port bring back a port unreachable quoting the reassembled datagram.
record ip_fragments.pcap "
send4(icmp(8, 0, struct.pack('!HH', 0x1234, 1), bytes(i % 256 for i in range(1400))), '10.20.2.2')
udp('10.20.2.2', 9, 2600)
ping6('fd20:2::2', 1400, 0x1234, 1)
udp('fd20:2::2', 9, 1300)
"

# 2. A traceroute in both IP versions (UDP probes with TTL 1 then 2: time exceeded
# from the router, port unreachable from the server), a TCP SYN into an unreachable
# route, timestamp request and reply, and a router solicitation and advertisement.
record icmp_errors.pcap "
for ttl in (1, 2):
    udp('10.20.2.2', 33433 + ttl, 32, ttl)
for hops in (1, 2):
    udp('fd20:2::2', 33433 + hops, 32, hops)
t = socket.socket(); t.settimeout(0.5)
try: t.connect(('10.20.9.9', 80))
except OSError: pass
send4(icmp(13, 0, struct.pack('!HHIII', 0x4242, 1, 3600000, 0, 0)), '10.20.2.2')
send4(icmp(10, 0, b'\\0\\0\\0\\0'), '224.0.0.2', ttl=1, via='10.20.1.1')
" "
send4(icmp(9, 0, struct.pack('!BBH', 1, 2, 1800), socket.inet_aton('10.20.1.254') + struct.pack('!I', 0)), '224.0.0.1', ttl=1, via='10.20.1.254')
"

# 3. Crafted (not recorded): odd fragment trains tshark flags, written by python.
python3 "$(dirname "$0")/gen-odd-fragments.py" "$out/ip_fragments_odd.pcap"
