#!/usr/bin/env bash
# Records tests/captures/tcp_tso_gso.pcap (run as root): two network namespaces joined
# by a veth pair with TSO and GSO on; the client sends 102600 bytes over TCP and shuts
# down, the capture on the sender's end (snap length 128, so the file stays small)
# sees the kernel's large segments before the "NIC" cuts them to the 1460-byte MSS.
set -euo pipefail
out="$(cd "$(dirname "$0")" && pwd)/captures/tcp_tso_gso.pcap"
work=$(mktemp -d)
cleanup() { ip netns del tsoA 2>/dev/null || true; ip netns del tsoB 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
ip netns add tsoA
ip netns add tsoB
ip link add vtsoA type veth peer name vtsoB
ip link set vtsoA netns tsoA
ip link set vtsoB netns tsoB
ip -n tsoA addr add 10.77.0.1/24 dev vtsoA
ip -n tsoB addr add 10.77.0.2/24 dev vtsoB
ip -n tsoA link set vtsoA up
ip -n tsoB link set vtsoB up
ip netns exec tsoA ethtool -K vtsoA tso on gso on
ip netns exec tsoB ethtool -K vtsoB tso on gso on
cat > "$work/srv.py" <<'PY'
import socket
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.77.0.2", 5001))
s.listen(1)
c, _ = s.accept()
while c.recv(65536):
    pass
c.close()
PY
cat > "$work/cli.py" <<'PY'
import socket
c = socket.create_connection(("10.77.0.2", 5001))
c.sendall(b"synack TSO lesson. " * 5400)
c.shutdown(socket.SHUT_WR)
while c.recv(4096):
    pass
c.close()
PY
ip netns exec tsoB python3 "$work/srv.py" &
sleep 0.5
ip netns exec tsoA tcpdump -i vtsoA -s 128 -U -w "$work/tso.pcap" tcp port 5001 &
dump=$!
sleep 1
ip netns exec tsoA python3 "$work/cli.py"
sleep 1
kill "$dump"
wait
cp "$work/tso.pcap" "$out"
