#!/usr/bin/env python3
"""Writes ip_fragments_odd.pcap: crafted IPv4 and IPv6 fragment trains that a real
stack seldom sends (out of order, duplicated, overlapping with other bytes, two last
fragments, one never completed, one past 65535 bytes, one cut by the snap length),
to hold synack's reassembly to tshark's flags. usage: gen-odd-fragments.py OUT"""
import struct, sys

def csum(b):
    if len(b) % 2: b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff

ETH4 = bytes.fromhex("020000000002" "020000000001" "0800")
ETH6 = bytes.fromhex("020000000002" "020000000001" "86dd")
A4, B4 = bytes([10, 30, 0, 1]), bytes([10, 30, 0, 2])
A6, B6 = bytes.fromhex("fd300000000000000000000000000001"), bytes.fromhex("fd300000000000000000000000000002")

def udp4(payload, sport=5000, dport=5001):
    u = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    pseudo = A4 + B4 + struct.pack("!BBH", 0, 17, len(u))
    return u[:6] + struct.pack("!H", csum(pseudo + u) or 0xffff) + u[8:]

def udp6(payload, sport=5000, dport=5001):
    u = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    pseudo = A6 + B6 + struct.pack("!IxxxB", len(u), 17)
    return u[:6] + struct.pack("!H", csum(pseudo + u) or 0xffff) + u[8:]

def frag4(ident, off, more, data, proto=17):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(data), ident,
                    (0x2000 if more else 0) | (off // 8), 64, proto, 0, A4, B4)
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return ETH4 + h + data

def frag6(ident, off, more, data, nxt=17):
    fh = struct.pack("!BBHI", nxt, 0, off | (1 if more else 0), ident)
    h = struct.pack("!IHBB16s16s", 0x60000000, 8 + len(fh[8:]) + len(data), 44, 64, A6, B6)
    return ETH6 + h + fh + data

frames = []  # (bytes, cut length or None)
def add(f, cut=None): frames.append((f, cut))

dgram = udp4(bytes(range(32)))                     # 40 bytes: pieces at 0, 16, 32
# Out of order: the last piece first, then the first, then the middle.
add(frag4(0x0a01, 32, False, dgram[32:]))
add(frag4(0x0a01, 0, True, dgram[:16]))
add(frag4(0x0a01, 16, True, dgram[16:32]))
# A duplicated first piece.
add(frag4(0x0a02, 0, True, dgram[:16]))
add(frag4(0x0a02, 0, True, dgram[:16]))
add(frag4(0x0a02, 16, False, dgram[16:]))
# An overlap with other bytes (offset 8 rewrites 8..24).
add(frag4(0x0a03, 0, True, dgram[:16]))
add(frag4(0x0a03, 8, True, b"\xee" * 16))
add(frag4(0x0a03, 24, False, dgram[24:]))
# Two last fragments that disagree on the end.
add(frag4(0x0a04, 0, True, dgram[:16]))
add(frag4(0x0a04, 32, False, dgram[32:]))
add(frag4(0x0a04, 16, False, dgram[16:24]))
add(frag4(0x0a04, 16, True, dgram[16:32]))
# Never completed: the last piece is missing.
add(frag4(0x0a05, 0, True, dgram[:16]))
add(frag4(0x0a05, 16, True, dgram[16:32]))
# Past the largest datagram: offset 65528 plus 16 bytes.
add(frag4(0x0a06, 0, True, dgram[:16]))
add(frag4(0x0a06, 65528, False, dgram[16:32]))
# Cut by the snap length: the middle piece is not all there.
add(frag4(0x0a07, 0, True, dgram[:16]))
add(frag4(0x0a07, 16, True, dgram[16:32]), cut=14 + 20 + 8)
add(frag4(0x0a07, 32, False, dgram[32:]))
# Same identification, another protocol: two datagrams.
add(frag4(0x0a08, 0, True, dgram[:16]))
add(frag4(0x0a08, 0, True, bytes(16), proto=253))
add(frag4(0x0a08, 16, False, dgram[16:]))
# IPv6: out of order with an overlap, then a first fragment alone.
d6 = udp6(bytes(range(40)))                        # 48 bytes
add(frag6(0x0b01, 24, False, d6[24:]))
add(frag6(0x0b01, 0, True, d6[:16]))
add(frag6(0x0b01, 8, True, d6[8:24]))
add(frag6(0x0b02, 0, True, d6[:16]))

with open(sys.argv[1], "wb") as out:
    out.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for i, (f, cut) in enumerate(frames):
        data = f[:cut] if cut else f
        out.write(struct.pack("<IIII", 1800000000 + i, 0, len(data), len(f)) + data)
