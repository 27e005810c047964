#!/usr/bin/env bash
# Records assets/samples/handshake.pcap: a real TCP connection between two network
# namespaces: three-way handshake, an HTTP-like request and reply, and a four-way
# close (the server acknowledges the client's FIN, then sends its own a moment later).
# Needs root, iproute2, tcpdump and python3.
set -euo pipefail
out="$(cd "$(dirname "$0")" && pwd)/handshake.pcap"
C=synack-c; S=synack-s
cleanup() { ip netns del $C 2>/dev/null || true; ip netns del $S 2>/dev/null || true; }
trap cleanup EXIT
cleanup
ip netns add $C; ip netns add $S
ip link add vc netns $C type veth peer name vs netns $S
ip -n $C addr add 10.0.0.1/24 dev vc; ip -n $S addr add 10.0.0.2/24 dev vs
ip -n $C link set vc up; ip -n $S link set vs up
ip -n $C link set lo up; ip -n $S link set lo up
for ns in $C $S; do ip netns exec $ns ethtool -K v${ns: -1} tso off gso off gro off >/dev/null 2>&1 || true; done
ip netns exec $S python3 - <<'PY' &
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.0.0.2", 8080)); s.listen(1)
c, _ = s.accept()
c.recv(1000)
c.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 6\r\n\r\nhello\n")
c.recv(1000)            # the client's FIN: the kernel acknowledges it at once
time.sleep(0.2)         # ... and only later does the server close: a four-way close
c.close()
time.sleep(0.3)
PY
sleep 0.5
ip netns exec $C tcpdump -i vc -w "$out" -U tcp port 8080 2>/dev/null &
dump=$!
sleep 1
ip netns exec $C python3 - <<'PY'
import socket, time
s = socket.create_connection(("10.0.0.2", 8080))
s.sendall(b"GET / HTTP/1.0\r\n\r\n")
print(s.recv(1000).decode().splitlines()[0])
time.sleep(0.1)
s.shutdown(socket.SHUT_WR)
s.recv(1000)
time.sleep(0.3)
s.close()
PY
sleep 1
kill $dump; wait $dump 2>/dev/null || true
echo "wrote $out"
