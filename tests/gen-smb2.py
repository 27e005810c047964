#!/usr/bin/env python3
"""Writes tests/captures/smb2_session.pcap: an SMB2 session over TCP 445 built by hand
([MS-SMB2] layouts), its NTLMSSP messages taken from nbss_smb_lab.pcap: Negotiate,
Session Setup (NEGOTIATE, CHALLENGE with STATUS_MORE_PROCESSING_REQUIRED, AUTH), Tree
Connect, Create, Read, Close, a Create answered STATUS_OBJECT_NAME_NOT_FOUND, a compound
Create+Read+Close, a Write, warning and error responses, Tree Disconnect and Logoff. Checksums are zero (tshark does not check them).

    python3 tests/gen-smb2.py tests/captures/nbss_smb_lab.pcap tests/captures/smb2_session.pcap
"""
import struct, sys
lab = sys.argv[1]
def frames(path):
    d = open(path,'rb').read(); off = 24; out = []
    while off < len(d):
        _,_,incl,_ = struct.unpack('<IIII', d[off:off+16]); out.append(d[off+16:off+16+incl]); off += 16+incl
    return out
lf = frames(lab)
# The three NTLMSSP messages of the lab's first session setup (their blob lengths).
neg = lf[6][lf[6].find(b'NTLMSSP\0'):][:56]
chal = lf[7][lf[7].find(b'NTLMSSP\0'):][:190]
auth = lf[8][lf[8].find(b'NTLMSSP\0'):][:213]
def u16s(s): return s.encode('utf-16-le')
def hdr(cmd, mid, resp=False, status=0, tid=0, sid=0, credit=1):
    flags = 1 if resp else 0
    return struct.pack('<4sHHIHHIIQIIQ16s', b'\xfeSMB', 64, 0, status, cmd, credit, flags, 0, mid, 0xfeff, tid, sid, b'\0'*16)
msgs = []
C, S = 0, 1
msgs.append((C, hdr(0, 0) + struct.pack('<HHHHI16sQ', 36, 2, 1, 0, 0x7f, b'G'*16, 0) + struct.pack('<HH', 0x0202, 0x0210)))
msgs.append((S, hdr(0, 0, True) + struct.pack('<HHHH16sIIIIQQHHI', 65, 1, 0x0210, 0, b'S'*16, 7, 65536, 65536, 65536, 0, 0, 128, 0, 0)))
msgs.append((C, hdr(1, 1) + struct.pack('<HBBIIHHQ', 25, 0, 1, 1, 0, 88, len(neg), 0) + neg))
msgs.append((S, hdr(1, 1, True, 0xc0000016, sid=0x1234) + struct.pack('<HHHH', 9, 0, 72, len(chal)) + chal))
msgs.append((C, hdr(1, 2, sid=0x1234) + struct.pack('<HBBIIHHQ', 25, 0, 1, 1, 0, 88, len(auth), 0) + auth))
msgs.append((S, hdr(1, 2, True, sid=0x1234) + struct.pack('<HHHH', 9, 0, 0, 0)))
path = u16s('\\\\10.0.0.2\\share')
msgs.append((C, hdr(3, 3, sid=0x1234) + struct.pack('<HHHH', 9, 0, 72, len(path)) + path))
msgs.append((S, hdr(3, 3, True, tid=5, sid=0x1234) + struct.pack('<HBBIII', 16, 1, 0, 0, 0, 0x1f01ff)))
name = u16s('dir\\file.txt')
create = struct.pack('<HBBIQQIIIIIHHII', 57, 0, 0, 2, 0, 0, 0x120089, 0, 7, 1, 0x40, 120, len(name), 0, 0) + name
msgs.append((C, hdr(5, 4, tid=5, sid=0x1234) + create))
fid = b'\x11'*8 + b'\x22'*8
msgs.append((S, hdr(5, 4, True, tid=5, sid=0x1234) + struct.pack('<HBBIQQQQQQII', 89, 0, 0, 1, 0, 0, 0, 0, 4096, 100, 0x20, 0) + fid + struct.pack('<II', 0, 0)))
msgs.append((C, hdr(8, 5, tid=5, sid=0x1234) + struct.pack('<HBBIQ16sIIIHH', 49, 0, 0, 100, 0, fid, 1, 0, 0, 0, 0) + b'\0'))
data = b'hello world'*9 + b'!'
msgs.append((S, hdr(8, 5, True, tid=5, sid=0x1234) + struct.pack('<HBBIII', 17, 80, 0, len(data), 0, 0) + data))
msgs.append((C, hdr(6, 6, tid=5, sid=0x1234) + struct.pack('<HHI16s', 24, 0, 0, fid)))
msgs.append((S, hdr(6, 6, True, tid=5, sid=0x1234) + struct.pack('<HHIQQQQQQI', 60, 0, 0, 0, 0, 0, 0, 0, 0, 0)))
name2 = u16s('nothere.txt')
create2 = struct.pack('<HBBIQQIIIIIHHII', 57, 0, 0, 2, 0, 0, 0x120089, 0, 7, 1, 0x40, 120, len(name2), 0, 0) + name2
msgs.append((C, hdr(5, 7, tid=5, sid=0x1234) + create2))
msgs.append((S, hdr(5, 7, True, 0xc0000034, tid=5, sid=0x1234) + struct.pack('<HBBI', 9, 0, 0, 0) + b'\0'))
# A compound request (Create, then Read and Close of the related file: chain offsets,
# flag 0x4), a Write on the created file, and responses with warning and error status.
def chained(msg, nxt, related):
    m = bytearray(msg + b"\0" * ((8 - len(msg) % 8) % 8 if nxt else 0))
    struct.pack_into("<I", m, 20, len(m) if nxt else 0)
    if related:
        struct.pack_into("<I", m, 16, struct.unpack_from("<I", m, 16)[0] | 4)
    return bytes(m)
name3 = u16s('a.txt')
create3 = struct.pack('<HBBIQQIIIIIHHII', 57, 0, 0, 2, 0, 0, 0x120089, 0, 7, 1, 0x40, 120, len(name3), 0, 0) + name3
related = b'\xff' * 16
read3 = struct.pack('<HBBIQ16sIIIHH', 49, 0, 0, 10, 5, related, 1, 0, 0, 0, 0) + b'\0'
close3 = struct.pack('<HHI16s', 24, 0, 0, related)
msgs.append((C, chained(hdr(5, 10, tid=5, sid=0x1234) + create3, True, False)
             + chained(hdr(8, 11, tid=5, sid=0x1234) + read3, True, True)
             + chained(hdr(6, 12, tid=5, sid=0x1234) + close3, False, True)))
fid3 = b'\x33' * 16
msgs.append((S, hdr(5, 10, True, tid=5, sid=0x1234) + struct.pack('<HBBIQQQQQQII', 89, 0, 0, 1, 0, 0, 0, 0, 4096, 100, 0x20, 0) + fid3 + struct.pack('<II', 0, 0)))
wdata = b'x' * 20
msgs.append((C, hdr(9, 13, tid=5, sid=0x1234) + struct.pack('<HHIQ16sIIHHI', 49, 112, len(wdata), 7, fid3, 0, 0, 0, 0, 0) + wdata))
msgs.append((S, hdr(9, 13, True, tid=5, sid=0x1234) + struct.pack('<HHIIHH', 17, 0, len(wdata), 0, 0, 0)))
msgs.append((S, hdr(8, 11, True, 0x80000005, tid=5, sid=0x1234) + struct.pack('<HBBIII', 17, 80, 0, 4, 0, 0) + b'abcd'))
msgs.append((S, hdr(6, 12, True, 0xc0000008, tid=5, sid=0x1234) + struct.pack('<HBBI', 9, 0, 0, 0) + b'\0'))
msgs.append((C, hdr(4, 8, tid=5, sid=0x1234) + struct.pack('<HH', 4, 0)))
msgs.append((S, hdr(4, 8, True, tid=5, sid=0x1234) + struct.pack('<HH', 4, 0)))
msgs.append((C, hdr(2, 9, sid=0x1234) + struct.pack('<HH', 4, 0)))
msgs.append((S, hdr(2, 9, True, sid=0x1234) + struct.pack('<HH', 4, 0)))
def ip_tcp(src, dst, sport, dport, seq, ack, payload, flags=0x18):
    tcp = struct.pack('>HHIIBBHHH', sport, dport, seq, ack, 5<<4, flags, 64000, 0, 0)
    iplen = 20 + len(tcp) + len(payload)
    ip = struct.pack('>BBHHHBBH4s4s', 0x45, 0, iplen, 1, 0x4000, 64, 6, 0, bytes(src), bytes(dst))
    eth = b'\x00\x11\x22\x33\x44\x55' + b'\x00\x66\x77\x88\x99\xaa' + b'\x08\x00'
    if dst == [10,0,0,1]: eth = b'\x00\x66\x77\x88\x99\xaa' + b'\x00\x11\x22\x33\x44\x55' + b'\x08\x00'
    return eth + ip + tcp + payload
cli, srv = [10,0,0,1], [10,0,0,2]
seq = [1000, 5000]
recs = []
t = 0
recs.append(ip_tcp(cli, srv, 50000, 445, seq[0]-1, 0, b'', 0x02))
recs.append(ip_tcp(srv, cli, 445, 50000, seq[1]-1, seq[0], b'', 0x12))
recs.append(ip_tcp(cli, srv, 50000, 445, seq[0], seq[1], b'', 0x10))
for side, m in msgs:
    p = struct.pack('>I', len(m)) + m
    if side == C:
        recs.append(ip_tcp(cli, srv, 50000, 445, seq[0], seq[1], p)); seq[0] += len(p)
    else:
        recs.append(ip_tcp(srv, cli, 445, 50000, seq[1], seq[0], p)); seq[1] += len(p)
with open(sys.argv[2], 'wb') as f:
    f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for i, r in enumerate(recs):
        f.write(struct.pack('<IIII', 1700000000, i*1000, len(r), len(r)) + r)
