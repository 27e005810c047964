#!/usr/bin/env python3
"""Writes tests/captures/sip_call.pcap: a SIP call over UDP 5060 as a VoIP lab shows it
(OPTIONS and its 200 without a body, REGISTER answered 401 then 200 with one binding,
INVITE with an SDP offer, 100 Trying, 200 OK with the SDP answer, ACK), the G.711 RTP the
two SDP bodies announce (a marked first packet, a telephone-event DTMF digit, a dynamic
type named by rtpmap), RTCP on the next ports (Sender Report + SDES, then Receiver Report
+ SDES + BYE), an unannounced UDP stream that stays UDP, and BYE/200. Built byte by byte
over Ethernet/IPv4/UDP. usage: gen-sip.py OUT.pcap"""
import struct, sys

A, B = bytes([10, 0, 0, 5]), bytes([10, 0, 0, 9])
MAC_A, MAC_B = bytes.fromhex("0200000000a5"), bytes.fromhex("0200000000b9")

def csum(b):
    if len(b) % 2: b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff

def udp(src, dst, sport, dport, payload):
    ulen = 8 + len(payload)
    pseudo = src + dst + struct.pack("!BBH", 0, 17, ulen)
    hdr = struct.pack("!HHHH", sport, dport, ulen, 0)
    c = csum(pseudo + hdr + payload) or 0xffff
    seg = struct.pack("!HHHH", sport, dport, ulen, c) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(seg), 0x1234, 0x4000, 64, 17, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    smac, dmac = (MAC_A, MAC_B) if src == A else (MAC_B, MAC_A)
    return dmac + smac + b"\x08\x00" + ip + seg

def sip(first, headers, body=b""):
    h = [first] + headers
    if body:
        h.append("Content-Type: application/sdp")
    h.append("Content-Length: %d" % len(body))
    return ("\r\n".join(h) + "\r\n\r\n").encode() + body

def common(method, seq, to_tag=False, branch="z9hG4bK1"):
    return [
        "Via: SIP/2.0/UDP 10.0.0.5:5060;branch=%s" % branch,
        "From: <sip:alice@10.0.0.9>;tag=a1",
        "To: <sip:bob@10.0.0.9>" + (";tag=b2" if to_tag else ""),
        "Call-ID: call-1@10.0.0.5",
        "CSeq: %d %s" % (seq, method),
        "Max-Forwards: 70",
    ]

def sdp(addr, port, extra=""):
    return ("v=0\r\no=- 1 1 IN IP4 %s\r\ns=lab\r\nc=IN IP4 %s\r\nt=0 0\r\n"
            "m=audio %d RTP/AVP 0 101 97\r\na=rtpmap:0 PCMU/8000\r\n"
            "a=rtpmap:101 telephone-event/8000\r\na=rtpmap:97 speex/8000\r\n%s"
            % (addr, addr, port, extra)).encode()

def rtp(pt, seq, ts, ssrc, payload, marker=False):
    return struct.pack("!BBHII", 0x80, (0x80 if marker else 0) | pt, seq, ts, ssrc) + payload

pkts = []
t = [0.0]
def add(src, dst, sport, dport, payload, dt=0.01):
    t[0] += dt
    pkts.append((t[0], udp(src, dst, sport, dport, payload)))

add(A, B, 5060, 5060, sip("OPTIONS sip:bob@10.0.0.9 SIP/2.0", common("OPTIONS", 1)))
add(B, A, 5060, 5060, sip("SIP/2.0 200 OK", common("OPTIONS", 1, True)))
reg = ["Via: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK2", "From: <sip:alice@10.0.0.9>;tag=r1",
       "To: <sip:alice@10.0.0.9>", "Call-ID: reg-1@10.0.0.5", "CSeq: 1 REGISTER",
       "Contact: <sip:alice@10.0.0.5:5060>;expires=3600", "Expires: 3600"]
add(A, B, 5060, 5060, sip("REGISTER sip:10.0.0.9 SIP/2.0", reg))
add(B, A, 5060, 5060, sip("SIP/2.0 401 Unauthorized", reg[:4] + ["CSeq: 1 REGISTER",
    'WWW-Authenticate: Digest realm="lab", nonce="abc"']))
reg2 = [h.replace("CSeq: 1", "CSeq: 2") for h in reg]
add(A, B, 5060, 5060, sip("REGISTER sip:10.0.0.9 SIP/2.0", reg2))
add(B, A, 5060, 5060, sip("SIP/2.0 200 OK", reg2))
add(A, B, 5060, 5060, sip("INVITE sip:bob@10.0.0.9 SIP/2.0", common("INVITE", 1) +
    ["Contact: <sip:alice@10.0.0.5>"], sdp("10.0.0.5", 8000)))
add(B, A, 5060, 5060, sip("SIP/2.0 100 Trying", common("INVITE", 1)))
add(B, A, 5060, 5060, sip("SIP/2.0 200 OK", common("INVITE", 1, True) +
    ["Contact: <sip:bob@10.0.0.9>"], sdp("10.0.0.9", 9000)))
add(A, B, 5060, 5060, sip("ACK sip:bob@10.0.0.9 SIP/2.0", common("ACK", 1, True)))
for i in range(4):
    add(A, B, 8000, 9000, rtp(0, 100 + i, 160 * i, 0x1234ABCD, b"\xff" * 160, marker=(i == 0)), 0.02)
    add(B, A, 9000, 8000, rtp(0, 500 + i, 8000 + 160 * i, 0x00C0FFEE, b"\x7f" * 160), 0.001)
add(A, B, 8000, 9000, rtp(101, 104, 640, 0x1234ABCD, bytes([5, 0x0a, 0, 160])), 0.02)
add(A, B, 8000, 9000, rtp(101, 105, 640, 0x1234ABCD, bytes([5, 0x8a, 1, 64])), 0.02)
add(A, B, 8000, 9000, rtp(97, 106, 800, 0x1234ABCD, b"\x01" * 20), 0.02)
sr = struct.pack("!BBHIIIIII", 0x80, 200, 6, 0x1234ABCD, 0xE0000000, 0, 800, 7, 1120)
sdes = struct.pack("!BBHI", 0x81, 202, 3, 0x1234ABCD) + bytes([1, 5]) + b"alice" + b"\0"
add(A, B, 8001, 9001, sr + sdes, 0.01)
rr = struct.pack("!BBHI", 0x80, 201, 1, 0x00C0FFEE)
sdes2 = struct.pack("!BBHI", 0x81, 202, 3, 0x00C0FFEE) + bytes([1, 2]) + b"b9" + b"\0" * 4
bye = struct.pack("!BBHI", 0x81, 203, 1, 0x00C0FFEE)
add(B, A, 9001, 8001, rr + sdes2 + bye, 0.01)
add(A, B, 7000, 7002, rtp(0, 1, 0, 0x55, b"\xff" * 20), 0.01)
add(A, B, 5060, 5060, sip("BYE sip:bob@10.0.0.9 SIP/2.0", common("BYE", 2, True)))
add(B, A, 5060, 5060, sip("SIP/2.0 200 OK", common("BYE", 2, True)))

with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for ts, frame in pkts:
        sec = 1700000000 + int(ts)
        usec = int(round((ts - int(ts)) * 1e6))
        f.write(struct.pack("<IIII", sec, usec, len(frame), len(frame)) + frame)
