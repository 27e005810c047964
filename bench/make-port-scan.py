#!/usr/bin/env python3
"""Writes a pcap of a port scan with answers (issue 22's shapes): N probes, each a SYN
from one scanner to a random host and port, answered a few packets later by nothing,
an RST, or a SYN-ACK (then the scanner's RST), some SYNs sent again (same sequence
number: a retransmission) or again with a new one on the same ports (port reuse), a
few followed by an ACK carrying data. Deterministic (seeded).

    bench/make-port-scan.py N OUT.pcap
"""
import random
import struct
import sys


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return (~s) & 0xFFFF


ETH = bytes.fromhex("020000000001020000000002") + b"\x08\x00"


def packet(src, dst, sport, dport, seq, ack, flags, payload=b""):
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 0x50, flags, 64240, 0, 0)
    total = 20 + len(tcp) + len(payload)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, total, 0, 0, 64, 6, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return ETH + ip + tcp + payload


def main():
    n = int(sys.argv[1])
    random.seed(11)
    scanner = bytes([10, 9, 9, 9])
    pending = []  # (due index, packet)
    out = []
    for i in range(n):
        host = struct.pack("!I", random.getrandbits(32) | 0x01000000)
        sport = random.randint(1024, 65535)
        dport = random.choice([22, 80, 443, 8080, random.randint(1, 65535)])
        seq = random.getrandbits(32)
        out.append(packet(scanner, host, sport, dport, seq, 0, 0x02))
        kind = random.random()
        later = len(out) + random.randint(1, 5)
        if kind < 0.35:
            pass  # no answer
        elif kind < 0.6:
            pending.append((later, packet(host, scanner, dport, sport, 0, seq + 1, 0x14)))
        elif kind < 0.8:
            isn = random.getrandbits(32)
            pending.append((later, packet(host, scanner, dport, sport, isn, seq + 1, 0x12)))
            pending.append((later + 1, packet(scanner, host, sport, dport, seq + 1, 0, 0x04)))
        elif kind < 0.88:
            pending.append((later, packet(scanner, host, sport, dport, seq, 0, 0x02)))
        elif kind < 0.95:
            pending.append((later, packet(scanner, host, sport, dport, seq ^ 0x5555, 0, 0x02)))
        else:
            isn = random.getrandbits(32)
            pending.append((later, packet(host, scanner, dport, sport, isn, seq + 1, 0x12)))
            pending.append((later + 1, packet(scanner, host, sport, dport, seq + 1, isn + 1,
                                              0x18, b"GET / HTTP/1.0\r\n\r\n")))
        pending.sort(key=lambda p: p[0])
        while pending and pending[0][0] <= len(out):
            out.append(pending.pop(0)[1])
    out += [p for _, p in pending]
    with open(sys.argv[2], "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i, pkt in enumerate(out):
            f.write(struct.pack("<IIII", 1700000000 + i // 100000, (i % 100000) * 10,
                                len(pkt), len(pkt)))
            f.write(pkt)


if __name__ == "__main__":
    main()
