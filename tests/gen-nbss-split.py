#!/usr/bin/env python3
"""Writes tests/captures/nbss_smb_split.pcap from nbss_smb_lab.pcap: the same NetBIOS
session with TCP segments joined and cut elsewhere, so NBSS messages span segments
(tshark's "[TCP segment of a reassembled PDU]"), share one, and a 2-byte segment
makes the rest of a direction continuation data. Sequence numbers and IP lengths
are rewritten; checksums are left as they were (tshark does not check them).

    python3 tests/gen-nbss-split.py tests/captures/nbss_smb_lab.pcap tests/captures/nbss_smb_split.pcap
"""
import struct
import sys

# Client segments joined with a later client segment (original frame numbers).
JOIN = {15: 17, 27: 29}
# Where each (joined) payload is cut.
CUTS = {15: [63], 13: [30, 60], 14: [60], 19: [2]}


def split_frame(pkt):
    ihl = (pkt[14] & 15) * 4
    thl = (pkt[14 + ihl + 12] >> 4) * 4
    end = 14 + struct.unpack_from(">H", pkt, 16)[0]  # Ethernet padding left out
    return pkt[: 14 + ihl + thl], pkt[14 + ihl + thl : end], ihl


def rebuild(hdr, payload, ihl, seq_delta):
    h = bytearray(hdr)
    struct.pack_into(">H", h, 16, len(hdr) - 14 + len(payload))
    seq = struct.unpack_from(">I", h, 14 + ihl + 4)[0]
    struct.pack_into(">I", h, 14 + ihl + 4, (seq + seq_delta) & 0xFFFFFFFF)
    return bytes(h) + payload


def main(src, dst):
    data = open(src, "rb").read()
    header, off, recs = data[:24], 24, []
    while off < len(data):
        ts1, ts2, incl, _ = struct.unpack("<IIII", data[off : off + 16])
        recs.append((ts1, ts2, data[off + 16 : off + 16 + incl]))
        off += 16 + incl
    out, skip = [], set(JOIN.values())
    for i, (ts1, ts2, pkt) in enumerate(recs, 1):
        if i in skip:
            continue
        hdr, payload, ihl = split_frame(pkt)
        if i in JOIN:
            payload += split_frame(recs[JOIN[i] - 1][2])[1]
        cuts = [0] + CUTS.get(i, []) + [len(payload)]
        for k in range(len(cuts) - 1):
            part = payload[cuts[k] : cuts[k + 1]]
            out.append((ts1, ts2 + k, rebuild(hdr, part, ihl, cuts[k])))
    with open(dst, "wb") as f:
        f.write(header)
        for ts1, ts2, p in out:
            f.write(struct.pack("<IIII", ts1, ts2, len(p), len(p)) + p)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
