#!/usr/bin/env python3
"""Build the million-packet captures of issues 16 and 17 from small real ones.

    make-course-capture.py wifi OUT.pcap PACKETS [SHARED]
    make-course-capture.py web  OUT.pcap PACKETS [SHARED]

`wifi` (issue 16): one radiotap pcap (link type 127) of real 802.11 frames (tcpdump's
ieee802.11_* corpus: probe requests and responses, authentication, association, ACKs,
null functions, mesh beacons, protected QoS data, DHCP over QoS data; its reason_code-N
and status_code-N deauthentication and authentication frames, sixteen a replica in
turn) and the DHCP and DHCPv6 exchanges of tcpdump's corpus and tests/captures, each
Ethernet frame carried as the wireless LAN carries it: the radiotap header and QoS Data
header of ieee802.11_htc's DHCP Discover, To DS from the client and From DS from the
server, then LLC/SNAP and the IP datagram. Every replica gives each station (unicast
address) its own address, keeping the vendor's OUI, and the FCS is recomputed where the
frame had a good one.

`web` (issue 17): one Ethernet pcap of the HTTP and TLS captures of tests/captures
(messages over many segments: POSTs, media, keep-alive, chunked bodies, certificates,
course_segments' seven course traces). Every copy of a source moves each of its IP
addresses (IP headers and ARP) to one no other copy uses (10.x.y.z; IPv6 keeps its prefix), fixing
the IPv4, TCP, UDP and ICMPv6 checksums incrementally (RFC 1624): each copy of a connection is
a stream of its own for the TCP analysis and reassembly, and tshark's ARP check sees no
address claimed by two stations (the sources share 10.10.0.1 and 10.10.0.2).

In both, timestamps move forward replica after replica and gaps within a source
longer than a second are cut to a second (rx-stbc's frames are hours apart).
"""
import glob
import os
import struct
import sys
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TESTS = os.path.join(ROOT, "tests", "captures")
MAX_GAP = 1_000_000  # microseconds


def records(path):
    """(microseconds, original length, link type, frame bytes) of every packet of a
    pcap or pcapng file."""
    data = open(path, "rb").read()
    magic = struct.unpack_from("<I", data, 0)[0]
    if magic == 0x0A0D0D0A:
        return pcapng_records(data)
    endian = {0xA1B2C3D4: ("<", 1000), 0xA1B23C4D: ("<", 1), 0xD4C3B2A1: (">", 1000),
              0x4D3CB2A1: (">", 1)}.get(magic)
    if endian is None:
        sys.exit(f"{path}: not a pcap or pcapng file")
    e, per_usec_div = endian
    link = struct.unpack_from(e + "I", data, 20)[0] & 0x0FFFFFFF
    out, off = [], 24
    while off + 16 <= len(data):
        sec, frac, incl, orig = struct.unpack_from(e + "IIII", data, off)
        usec = frac if per_usec_div == 1000 else frac // 1000
        out.append((sec * 1_000_000 + usec, orig, link, bytes(data[off + 16: off + 16 + incl])))
        off += 16 + incl
    return out


def pcapng_records(data):
    """Enhanced and simple packet blocks of a pcapng file, in order."""
    out, off, e = [], 0, "<"
    interfaces = []  # (link type, ticks per second)
    while off + 12 <= len(data):
        kind = struct.unpack_from(e + "I", data, off)[0]
        if kind == 0x0A0D0D0A:
            e = "<" if struct.unpack_from("<I", data, off + 8)[0] == 0x1A2B3C4D else ">"
            interfaces = []
        length = struct.unpack_from(e + "I", data, off + 4)[0]
        if length < 12 or off + length > len(data):
            break
        body = data[off + 8: off + length - 4]
        if kind == 1:
            link = struct.unpack_from(e + "H", body, 0)[0]
            ticks, opt = 1_000_000, 8
            while opt + 4 <= len(body):
                code, olen = struct.unpack_from(e + "HH", body, opt)
                if code == 0:
                    break
                if code == 9 and olen >= 1:
                    res = body[opt + 4]
                    ticks = 2 ** (res & 0x7F) if res & 0x80 else 10 ** res
                opt += 4 + (olen + 3) // 4 * 4
            interfaces.append((link, ticks))
        elif kind == 6:
            iface, hi, lo, incl, orig = struct.unpack_from(e + "IIIII", body, 0)
            link, ticks = interfaces[iface]
            usec = ((hi << 32) | lo) * 1_000_000 // ticks
            out.append((usec, orig, link, bytes(body[20: 20 + incl])))
        elif kind == 3:
            orig = struct.unpack_from(e + "I", body, 0)[0]
            link, _ = interfaces[0]
            out.append((out[-1][0] if out else 0, orig, link, bytes(body[4: 4 + orig])))
        off += length
    return out


def csum_adjust(c, old, new):
    """RFC 1624: a ones'-complement checksum after `old` bytes became `new` (even
    lengths)."""
    s = (~c) & 0xFFFF
    for i in range(0, len(old), 2):
        s += (~((old[i] << 8) | old[i + 1]) & 0xFFFF) + ((new[i] << 8) | new[i + 1])
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


# --- Wi-Fi and DHCP ------------------------------------------------------------

def radiotap_len(frame):
    return struct.unpack_from("<H", frame, 2)[0]


def fcs_present(frame):
    """Whether the radiotap Flags field says the frame ends in its FCS (Flags is the
    first field after the presence words when bit 1 is set: one byte, no alignment)."""
    present = struct.unpack_from("<I", frame, 4)[0]
    if not present & 0x2:
        return False
    at, word = 8, present
    while word & 0x80000000:  # extended presence bitmaps
        word = struct.unpack_from("<I", frame, at)[0]
        at += 4
    if present & 0x1:  # TSFT: 8 bytes aligned to 8
        at = (at + 7) // 8 * 8 + 8
    return bool(frame[at] & 0x10)


def address_places(mac):
    """Offsets (within the 802.11 header) of the addresses a frame carries."""
    fc0, fc1 = mac[0], mac[1]
    kind, subtype = (fc0 >> 2) & 3, fc0 >> 4
    if kind == 1:  # control: ACK and CTS name the receiver alone
        return [4] if subtype in (12, 13) else [4, 10] if subtype >= 8 else []
    places = [4, 10, 16]
    if kind == 2 and fc1 & 3 == 3:
        places.append(24)
    return places


def station(addr, replica):
    """A unicast address moved to `replica`'s copy of that station (same OUI)."""
    if addr[0] & 1 or replica == 0:
        return addr
    nic = (int.from_bytes(addr[3:6], "big") + replica * 0x9E3779) & 0xFFFFFF
    return addr[:3] + nic.to_bytes(3, "big")


def wifi_readdress(frame, replica):
    rt = radiotap_len(frame)
    fcs = fcs_present(frame)
    body_end = len(frame) - 4 if fcs else len(frame)
    good = fcs and zlib.crc32(frame[rt:body_end]) == struct.unpack_from("<I", frame, body_end)[0]
    f = bytearray(frame)
    for place in address_places(frame[rt:]):
        at = rt + place
        if at + 6 <= body_end:
            f[at:at + 6] = station(bytes(f[at:at + 6]), replica)
    if good:
        struct.pack_into("<I", f, body_end, zlib.crc32(bytes(f[rt:body_end])))
    return bytes(f)


def as_wifi(template, eth, sequence):
    """An Ethernet frame carrying IP as the wireless LAN carries it: `template`'s
    radiotap header, a QoS Data header (To DS from a DHCP client, From DS from a DHCP
    server), LLC/SNAP and the datagram without the Ethernet padding."""
    dst, src = eth[0:6], eth[6:12]
    ethertype = struct.unpack_from(">H", eth, 12)[0]
    payload = eth[14:]
    if ethertype == 0x0800 and len(payload) >= 20:
        payload = payload[:max(20, struct.unpack_from(">H", payload, 2)[0])]
        ports = payload[(payload[0] & 0xF) * 4:][:2]
    elif ethertype == 0x86DD and len(payload) >= 40:
        payload = payload[:40 + struct.unpack_from(">H", payload, 4)[0]]
        ports = payload[40:42]
    else:
        return None
    rt = radiotap_len(template)
    radiotap = bytearray(template[:rt])
    bssid = template[rt + 4: rt + 10]
    from_server = ports in (b"\x00\x43", b"\x02\x23")  # 67, 547
    if from_server:
        fc, a1, a2, a3 = b"\x88\x02", dst, bssid, src
    else:
        fc, a1, a2, a3 = b"\x88\x01", bssid, src, dst
    header = fc + b"\x30\x00" + a1 + a2 + a3 + struct.pack("<H", (sequence & 0xFFF) << 4) \
        + b"\x00\x00"
    return bytes(radiotap) + header + b"\xaa\xaa\x03\x00\x00\x00" + eth[12:14] + payload


def wifi_sources(shared):
    """Lists of (timestamp, frame) per source, every frame radiotap."""
    corpus = os.path.join(shared, "captures", "tcpdump-tests")
    wifi = [records(os.path.join(corpus, name)) for name in
            ("ieee802.11_exthdr.pcap", "ieee802.11_meshid.pcap", "ieee802.11_rx-stbc.pcap",
             "ieee802.11_htc.pcap")]
    codes = [records(p)[0] for p in
             sorted(glob.glob(os.path.join(corpus, "reason_code-*.pcap")))
             + sorted(glob.glob(os.path.join(corpus, "status_code-*.pcap")))]
    template = wifi[3][0][3]  # ieee802.11_htc: a DHCP Discover over 802.11
    dhcp_files = sorted(set(
        glob.glob(os.path.join(corpus, "dhcp-*.pcap*"))
        + glob.glob(os.path.join(corpus, "dhcpv6-*.pcap"))
        + glob.glob(os.path.join(corpus, "dhcpv4v6-*.pcap"))))
    seen = set()
    dhcp = []
    for path in dhcp_files + sorted(glob.glob(os.path.join(TESTS, "dhcp*.pcap"))):
        recs = records(path)
        key = tuple(r[3] for r in recs)
        if key in seen or not recs or any(r[2] != 1 for r in recs):
            continue
        seen.add(key)
        carried = []
        for i, (t, _orig, _link, frame) in enumerate(recs):
            wifi_frame = as_wifi(template, frame, 100 + i)
            if wifi_frame is not None:
                carried.append((t, wifi_frame))
        if carried:
            dhcp.append(carried)
    for src in wifi:
        assert all(r[2] == 127 for r in src)
    return [[(t, f) for t, _o, _l, f in src] for src in wifi], [(t, f) for t, _o, _l, f in codes], dhcp


def build_wifi(out, target, shared):
    wifi, codes, dhcp = wifi_sources(shared)
    written, replica, clock = 0, 0, 1_700_000_000_000_000
    with open(out, "wb") as fh:
        fh.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 127))
        while written < target:
            turn = [codes[(replica * 16 + k) % len(codes)] for k in range(16)]
            sources = wifi[:2] + [turn] + dhcp[: len(dhcp) // 2] + wifi[2:] + dhcp[len(dhcp) // 2:]
            for src in sources:
                prev = src[0][0]
                for t, frame in src:
                    clock += min(max(t - prev, 0), MAX_GAP) + (0 if t > prev else 1)
                    prev = t
                    f = wifi_readdress(frame, replica)
                    fh.write(struct.pack("<IIII", clock // 1_000_000, clock % 1_000_000,
                                         len(f), len(f)) + f)
                    written += 1
                    if written >= target:
                        break
                clock += 1000
                if written >= target:
                    break
            replica += 1
    print(f"{out}: {written} packets, {replica} replicas")


# --- HTTP and TLS ---------------------------------------------------------------

WEB = ["http_post.pcap", "http_media.pcap", "http_keepalive.pcap", "http_auth_cond.pcap",
       "http_midstream.pcap", "tls12_cert.pcap", "tls_sni.pcapng", "course_segments.pcapng"]


def ip_parts(frame):
    """(IP offset, version, header length, protocol, is a later fragment) of an
    Ethernet frame carrying IP (after VLAN tags), or None. An IPv6 fragment counts as
    a later one (none of the sources has one)."""
    at = 12
    while at + 2 <= len(frame) and frame[at:at + 2] in (b"\x81\x00", b"\x88\xa8"):
        at += 4
    kind, at = frame[at:at + 2], at + 2
    if kind == b"\x08\x00" and len(frame) >= at + 20:
        ihl = (frame[at] & 0xF) * 4
        later = struct.unpack_from(">H", frame, at + 6)[0] & 0x1FFF
        return at, 4, ihl, frame[at + 9], bool(later)
    if kind == b"\x86\xdd" and len(frame) >= at + 40:
        # Past the extension headers to the one whose checksum covers the addresses
        # (MLD reports come after a hop-by-hop header).
        proto, length = frame[at + 6], 40
        while proto in (0, 43, 60) and len(frame) >= at + length + 2:
            proto, length = frame[at + length], length + (frame[at + length + 1] + 1) * 8
        return at, 6, length, proto, proto == 44
    return None


def addresses(frame, parts):
    at, version = parts[0], parts[1]
    if version == 4:
        return frame[at + 12: at + 16], frame[at + 16: at + 20]
    return frame[at + 8: at + 24], frame[at + 24: at + 40]


def all_addresses(recs):
    """Every IP address of a capture's IP headers and ARP packets, sorted."""
    found = set()
    for _t, _o, _l, frame in recs:
        parts = ip_parts(frame)
        if parts is not None:
            found.update(addresses(frame, parts))
        elif frame[12:14] == b"\x08\x06" and frame[16:22] == b"\x08\x00\x06\x04" \
                and len(frame) >= 42:
            found.update((frame[28:32], frame[38:42]))
    return sorted(a for a in found if unicast(a))


def unicast(addr):
    """Whether an address names one host (not 0.0.0.0, a broadcast, a multicast group
    or ::)."""
    if len(addr) == 4:
        return addr not in (bytes(4), b"\xff" * 4) and not 224 <= addr[0] <= 239
    return addr[0] != 0xFF and addr != bytes(16)


def arp_readdress(frame, mapping):
    """An Ethernet/IPv4 ARP packet with its sender and target addresses moved (ARP
    has no checksum)."""
    f = bytearray(frame)
    for place in (28, 38):
        new = mapping.get(bytes(f[place:place + 4]))
        if new is not None:
            f[place:place + 4] = new
    return bytes(f)


def web_readdress(frame, parts, mapping):
    at, version, ihl, proto, later = parts
    f = bytearray(frame)
    places = (at + 12, at + 16) if version == 4 else (at + 8, at + 24)
    size = 4 if version == 4 else 16
    old_words, new_words = b"", b""
    for place in places:
        old = bytes(f[place:place + size])
        new = mapping.get(old)
        if new is not None:
            f[place:place + size] = new
            old_words += old
            new_words += new
    if not old_words:
        return frame
    if version == 4:
        c = struct.unpack_from(">H", f, at + 10)[0]
        struct.pack_into(">H", f, at + 10, csum_adjust(c, old_words, new_words))
    if later:
        return bytes(f)
    pos = {6: at + ihl + 16, 17: at + ihl + 6, 58: at + ihl + 2}.get(proto)
    if pos is not None and len(f) >= pos + 2:
        c = struct.unpack_from(">H", f, pos)[0]
        if not (proto == 17 and c == 0):
            struct.pack_into(">H", f, pos, csum_adjust(c, old_words, new_words))
    return bytes(f)


def build_web(out, target):
    sources = []
    for name in WEB:
        recs = records(os.path.join(TESTS, name))
        if any(r[2] != 1 for r in recs):
            sys.exit(f"{name}: only Ethernet captures are taken")
        sources.append((recs, all_addresses(recs)))
    written, replica, clock, fresh = 0, 0, 1_700_000_000_000_000, 0
    with open(out, "wb") as fh:
        fh.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
        while written < target:
            for recs, moved in sources:
                mapping = {}
                for addr in moved:
                    if len(addr) == 4:
                        high, low = divmod(fresh, 250)
                        mapping[addr] = bytes([10, (high >> 8) & 0xFF, high & 0xFF, 1 + low])
                    else:
                        # The prefix stays (link-local stays link-local).
                        mapping[addr] = addr[:8] + struct.pack(">Q", fresh + 1)
                    fresh += 1
                prev = recs[0][0]
                for t, orig, _link, frame in recs:
                    clock += min(max(t - prev, 0), MAX_GAP) + (0 if t > prev else 1)
                    prev = t
                    parts = ip_parts(frame)
                    if parts is not None:
                        f = web_readdress(frame, parts, mapping)
                    elif frame[12:14] == b"\x08\x06":
                        f = arp_readdress(frame, mapping)
                    else:
                        f = frame
                    fh.write(struct.pack("<IIII", clock // 1_000_000, clock % 1_000_000,
                                         len(f), orig) + f)
                    written += 1
                    if written >= target:
                        break
                clock += 1000
                if written >= target:
                    break
            replica += 1
    print(f"{out}: {written} packets, {replica} replicas")


def main():
    if len(sys.argv) not in (4, 5) or sys.argv[1] not in ("wifi", "web"):
        sys.exit(__doc__)
    kind, out, target = sys.argv[1], sys.argv[2], int(sys.argv[3])
    shared = sys.argv[4] if len(sys.argv) == 5 else os.path.join(os.path.dirname(ROOT), "shared")
    if kind == "wifi":
        build_wifi(out, target, shared)
    else:
        build_web(out, target)


if __name__ == "__main__":
    main()
