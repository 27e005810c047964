#!/usr/bin/env python3
"""Writes ppi.pcap: 802.11 frames of tcpdump's test captures (radiotap, link type 127)
given a PPI header instead (link type 192, CACE's Per-Packet Information header
1.0.7): the radiotap TSFT, flags, rate, channel and dBm signal/noise become an
802.11-Common field, radiotap's MCS an 802.11n MAC or MAC+PHY field; then frames
that exercise the rest of the header (aligned fields, fields of no known layout,
an Ethernet frame by the header's DLT, wrong and impossible lengths, a cut field).
usage: gen-ppi.py CORPUS_DIR OUT"""
import os, struct, sys

def records(path):
    """(seconds, microseconds, captured bytes, original length) of a pcap file."""
    b = open(path, "rb").read()
    e = "<" if b[:4] == b"\xd4\xc3\xb2\xa1" else ">"
    link = struct.unpack(e + "I", b[20:24])[0]
    at, out = 24, []
    while at + 16 <= len(b):
        s, us, cap, orig = struct.unpack(e + "IIII", b[at:at + 16])
        out.append((s, us, b[at + 16:at + 16 + cap], orig))
        at += 16 + cap
    return link, out

# (alignment, size) of radiotap bits 0-22, as radiotap.org defines them.
LAYOUT = [(8, 8), (1, 1), (1, 1), (2, 4), (1, 2), (1, 1), (1, 1), (2, 2), (2, 2), (2, 2),
          (1, 1), (1, 1), (1, 1), (1, 1), (2, 2), (2, 2), (1, 1), (1, 1), (4, 8), (1, 3),
          (4, 8), (2, 12), (8, 12)]

def radiotap(frame):
    """The radiotap fields of the first namespace that PPI can carry, and the 802.11
    frame after the header."""
    length = struct.unpack("<H", frame[2:4])[0]
    words, at = [], 4
    while True:
        w = struct.unpack("<I", frame[at:at + 4])[0]
        words.append(w)
        at += 4
        if not w & 0x80000000:
            break
    found = {}
    for bit in range(23):
        if not words[0] & (1 << bit):
            continue
        align, size = LAYOUT[bit]
        at = (at + align - 1) // align * align
        found[bit] = frame[at:at + size]
        at += size
    return found, frame[length:]

def field(kind, data, aligned=False):
    pad = b"\0" * ((-len(data)) % 4) if aligned else b""
    return struct.pack("<HH", kind, len(data)) + data + pad

def common(rt, fcs, **over):
    """An 802.11-Common field (type 2, 20 bytes) from radiotap's fields."""
    v = dict(
        tsft=struct.unpack("<Q", rt[0])[0] if 0 in rt else 0,
        flags=(1 if fcs else 0) | (2 if 0 not in rt else 0),
        rate=rt[2][0] if 2 in rt else 0,
        freq=struct.unpack("<H", rt[3][:2])[0] if 3 in rt else 0,
        chflags=struct.unpack("<H", rt[3][2:])[0] if 3 in rt else 0,
        hopset=0, pattern=0,
        signal=struct.unpack("b", rt[5])[0] if 5 in rt else -128,
        noise=struct.unpack("b", rt[6])[0] if 6 in rt else -128)
    v.update(over)
    return field(2, struct.pack("<QHHHHBBbb", v["tsft"], v["flags"], v["rate"], v["freq"],
                                v["chflags"], v["hopset"], v["pattern"], v["signal"], v["noise"]))

def mac(flags, ampdu=0, delims=0):
    """An 802.11n MAC Extensions field (type 3, 12 bytes)."""
    return field(3, struct.pack("<IIB3s", flags, ampdu, delims, b"\0\0\0"))

def mac_phy(flags, mcs, streams, rssi, ext_freq=0, ext_flags=0, evm=(0, 0, 0, 0), delims=0):
    """An 802.11n MAC+PHY Extensions field (type 4, 48 bytes)."""
    return field(4, struct.pack("<IIBBBB4B4BHH8b4I", flags, 0, delims, mcs, streams,
                                rssi, 40, 42, 255, 255, 38, 39, 255, 255, ext_freq, ext_flags,
                                -52, -95, -55, -95, -128, -128, -128, -128, *evm))

def ppi(fields, dlt=105, flags=0, length=None, version=0):
    body = b"".join(fields)
    n = 8 + len(body) if length is None else length
    return struct.pack("<BBHI", version, flags, n, dlt) + body

def main():
    corpus, out = sys.argv[1], sys.argv[2]
    frames = []  # (seconds, microseconds, bytes, original length)

    def add(src, data, cut=None):
        _, _, cap, orig = src
        extra = orig - len(cap)
        wire = len(data) + extra
        # One clock for the whole file, 10 ms a frame (the sources' clocks are years
        # apart, which would make tshark's I/O table enormous).
        t = 1_700_000_000_000_000 + 10_000 * len(frames)
        frames.append((t // 1_000_000, t % 1_000_000, data if cut is None else data[:cut], wire))

    def wifi(name):
        _, recs = records(os.path.join(corpus, name))
        return recs

    # 1-26: a probe, authentication and association exchange, 802.11-Common only.
    for rec in wifi("ieee802.11_exthdr.pcap"):
        rt, dot11 = radiotap(rec[2])
        fcs = bool(rt.get(1, b"\0")[0] & 0x10)
        add(rec, ppi([common(rt, fcs)]) + dot11)
    # 27-29: HT frames with radiotap's MCS field: 802.11-Common, then MAC+PHY.
    for i, rec in enumerate(wifi("ieee802.11_rx-stbc.pcap")):
        rt, dot11 = radiotap(rec[2])
        fcs = bool(rt.get(1, b"\0")[0] & 0x10)
        known, mflags, index = rt[19] if 19 in rt else (0, 0, 0)
        flags = (0x02 if mflags & 0x03 == 1 else 0) | (0x04 if mflags & 0x04 else 0)
        streams = index // 8 + 1
        add(rec, ppi([common(rt, fcs), mac_phy(flags | (0x01 if i == 1 else 0), index,
                                               streams, 50 + i, 2442 if i == 2 else 0,
                                               0x00c0 if i == 2 else 0,
                                               (7, 0, 0, 0) if i == 0 else (0, 0, 0, 0))]) + dot11)
    # 30: a DHCP Discover over 802.11 (+HTC): 802.11-Common and 802.11n MAC.
    for i, rec in enumerate(wifi("ieee802.11_htc.pcap")):
        rt, dot11 = radiotap(rec[2])
        fcs = bool(rt.get(1, b"\0")[0] & 0x10)
        add(rec, ppi([common(rt, fcs), mac([0x02, 0x04, 0x08 | 0x01][i % 3], 0, i)]) + dot11)
    # 31: a beacon with a mesh ID, 802.11-Common with the TSFT in milliseconds, FHSS
    # values and the FCS flagged invalid, fields padded to 32 bits (alignment flag).
    # tshark counts the header's length down by the fields' lengths without their
    # padding: a length with the padding makes it read the 802.11 header as one more
    # field, so this one leaves the padding out.
    mesh = wifi("ieee802.11_meshid.pcap")
    rt, dot11 = radiotap(mesh[0][2])
    fcs = bool(rt.get(1, b"\0")[0] & 0x10)
    c = common(rt, fcs, flags=(1 if fcs else 0) | 0x0006, hopset=3, pattern=0x21)
    add(mesh[0], ppi([c, field(7, b"\x01\x02\x03", aligned=True)], flags=1, length=8 + 24 + 7) + dot11)
    probe = wifi("ieee802.11_exthdr.pcap")[0]
    rt, dot11 = radiotap(probe[2])
    # Without an 802.11-Common field tshark assumes no FCS: those frames go without
    # theirs (else its 4 bytes read as a cut tagged parameter).
    bare = dot11[:-4]
    # 32: invalid values (zero TSFT, rate and frequency; -128 dBm), a PHY error, then
    # fields of no known layout: spectrum map, process info, a private type.
    c = common(rt, True, tsft=0, rate=0, freq=0, chflags=0, flags=0x0009, signal=-128, noise=-128)
    add(probe, ppi([c, field(5, b"\xaa" * 6), field(6, b"\xbb" * 2), field(0xCACE, b"\xcc" * 4)]) + dot11)
    # 33: an 802.11-Common field of the wrong length (tshark: "Invalid length").
    add(probe, ppi([field(2, b"\0" * 12)]) + bare)
    # 34: a field whose length runs past the PPI header's.
    bad = common(rt, True)
    add(probe, ppi([bad], length=8 + len(bad) - 6) + dot11)
    # 35: a header length below 8 (impossible).
    add(probe, ppi([], length=4) + bare)
    # 36: a header length past the captured bytes.
    add(probe, ppi([common(rt, True)], length=400) + dot11[:20])
    # 37: the capture cut inside the 802.11-Common field.
    whole = ppi([common(rt, True)]) + dot11
    add(probe, whole, cut=20)
    # 38: no fields at all: the 8-byte header, then the frame.
    add(probe, ppi([]) + bare)
    # 39: an Ethernet frame (DLT 1) behind the header: a DHCP Discover.
    _, eth = records(os.path.join(corpus, "dhcp-rfc3004.pcap"))
    add(eth[0], ppi([field(9, struct.pack("<II", 1, 0))], dlt=1) + eth[0][2])
    # 40: an unknown version.
    add(probe, ppi([common(rt, True)], version=1) + dot11)
    # 41: a DLT this header cannot carry (an unknown one).
    add(probe, ppi([common(rt, True)], dlt=147) + dot11)

    # 42-49: the PHY each channel-flags combination names (802.11a, g, pure g, turbo,
    # FHSS with its hop set and pattern, DSSS), with an 802.11b rate in an 802.11g
    # channel (timed as 802.11b) and a signal given as 0 dBm (no signal, for tshark).
    for freq, chflags, rate, extra in [(5180, 0x0140, 12, {}), (2437, 0x00c0, 108, {}),
                                       (2437, 0x0480, 4, {}), (5180, 0x0150, 96, {}),
                                       (2437, 0x00d0, 48, {}),
                                       (2412, 0x0880, 2, dict(hopset=5, pattern=9)),
                                       (2412, 0x0080, 2, dict(signal=0)),
                                       (2484, 0x0000, 0, {})]:
        c = common(rt, True, freq=freq, chflags=chflags, rate=rate, **extra)
        add(probe, ppi([c]) + dot11)
    # 50-51: 802.11n MAC flags without HT40 (20 MHz) in an 802.11g channel (where
    # tshark 4.0 reads the 802.11g mode as MCS index 0), MAC+PHY with more extension
    # streams than tshark can time. (An 802.11n field with no MCS (255) or of the
    # wrong length makes tshark 4.0 show the previous frame's 802.11n values: left
    # out.)
    ht = wifi("ieee802.11_rx-stbc.pcap")[0]
    rt, dot11 = radiotap(ht[2])
    # Distinct TSFs: tshark takes consecutive 802.11n frames with one TSF for an
    # A-MPDU and shows the aggregate's values.
    add(ht, ppi([common(rt, True, tsft=9000), mac(0x04)]) + dot11)
    add(ht, ppi([common(rt, True, tsft=11000), mac_phy(0x02, 9, 5, 60)]) + dot11)
    # 52: an Aggregation Extension, then the 802.11-Common field.
    add(probe, ppi([field(8, struct.pack("<I", 3)), common(rt, True)]) + dot11)

    with open(out, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 192))
        for s, us, data, orig in frames:
            f.write(struct.pack("<IIII", s, us, len(data), orig) + data)

if __name__ == "__main__":
    main()
