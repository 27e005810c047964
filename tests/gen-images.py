#!/usr/bin/env python3
"""Writes tests/captures/http_images.pcap: HTTP responses, one TCP segment each, whose
bodies are JPEG, PNG and GIF images built byte by byte to reach every branch of the
image dissectors as tshark 4.0 shows them: JFIF and Exif headers (TIFF directories in
both byte orders, every value type, pointers to other directories, bogus offsets),
SOF/SOS/DQT/DHT/COM segments, fill bytes and stuffed bytes, every PNG chunk tshark
decodes and odd chunk types, GIF87a/GIF89a with extensions, local colour maps and
unknown blocks; then the same formats cut short, with lengths past their end, or too
short for their dissector (tshark's generic media item).

usage: gen-images.py [OUT]
"""
import struct, sys, zlib


def pcap(payloads, path):
    out = [struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1)]
    for i, payload in enumerate(payloads):
        tcp = struct.pack('>HHIIBBHHH', 80, 40000 + i, 1000, 1, 0x50, 0x18, 65535, 0, 0)
        ipl = 20 + len(tcp) + len(payload)
        ip = struct.pack('>BBHHHBBH4s4s', 0x45, 0, ipl, 1, 0, 64, 6, 0,
                         bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]))
        eth = b'\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\x08\x00'
        pkt = eth + ip + tcp + payload
        out.append(struct.pack('<IIII', 1700000000 + i, 0, len(pkt), len(pkt)) + pkt)
    with open(path, 'wb') as f:
        f.write(b''.join(out))


def http(ct, body):
    return (b'HTTP/1.1 200 OK\r\nContent-Type: ' + ct + b'\r\nContent-Length: '
            + str(len(body)).encode() + b'\r\n\r\n' + body)


def untyped(body):
    return b'HTTP/1.1 200 OK\r\nContent-Length: ' + str(len(body)).encode() + b'\r\n\r\n' + body


def seg(marker, data):
    return struct.pack('>HH', marker, len(data) + 2) + data


def chunk(kind, data):
    return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data))


def tiff(le, entries, next_ifd=0, start=8, extra=b'', order=None):
    e = '<' if le else '>'
    hdr = (order if order is not None else (b'II' if le else b'MM')) + struct.pack(e + 'HI', 42, start)
    ifd = struct.pack(e + 'H', len(entries))
    for tag, kind, count, value in entries:
        ifd += struct.pack(e + 'HHI', tag, kind, count) + value
    return hdr + ifd + struct.pack(e + 'I', next_ifd) + extra


def jpegs():
    app0 = seg(0xffe0, b'JFIF\x00\x01\x02\x01\x00\x48\x00\x48\x00\x00')
    app0_thumb = seg(0xffe0, b'JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x01\x02' + bytes(range(6)))
    dqt = seg(0xffdb, b'\x00' + bytes(range(64)))
    sof = seg(0xffc0, b'\x08\x00\x10\x00\x20\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01')
    dht = seg(0xffc4, b'\x00' + bytes(16))
    sos = seg(0xffda, b'\x03\x01\x00\x02\x11\x03\x11\x00\x3f\x00')
    com = seg(0xfffe, b'hello comment')
    data = b'\x12\x34\xff\x00\x56\xff\xd0\x78\x9a'
    soi = b'\xff\xd8'
    out = [
        soi + app0 + com + dqt + sof + dht + sos + data + b'\xff\xff\xff\xd9',
        soi + app0_thumb + seg(0xffe1, b'XMP\x00abc') + seg(0xffe2, b'ICC_PROFILE\x00zz')
        + seg(0xffe2, b'FPXR\x00zz') + b'\xff\xd9',
        soi + seg(0xffe0, b'JFXX\x00\x10abc') + b'\xff\xd9' + bytes(10),  # not JFIF: media
        soi + app0 + b'\xff\xdb\x01\x00' + bytes(10),  # DQT past the image
        soi + app0 + b'\xff\xdb\x00\x00' + bytes(10),  # length 0
        soi + app0 + b'\xff\xc0\x00\x08\x08\x00\x10\x00\x20\x05\x01',  # SOF cut
        soi + app0[:10],  # under 20 bytes: media
        soi + app0 + b'\x01\x02\xff',  # ends on 0xFF
        soi + app0 + b'\xff\xfe\x00\x01abc',  # COM length 1
        soi + app0 + b'\x00\x01\xff\x06\x00',  # reserved marker
    ]
    # Exif: one directory with every value type, inline and beside it.
    n = 9
    base = 8 + 2 + 12 * n + 4
    L = lambda v: struct.pack('<I', v)
    B = lambda v: struct.pack('>I', v)
    extra = (struct.pack('<II', 300, 1) + struct.pack('<ii', -5, 3) + b'hello world\x00'
             + struct.pack('<HHH', 1, 2, 3))
    entries = [
        (0x0112, 3, 1, struct.pack('<HH', 6, 0)),
        (0x011a, 5, 1, L(base)),
        (0x9201, 10, 1, L(base + 8)),
        (0x010f, 2, 12, L(base + 16)),
        (0x0102, 3, 3, L(base + 28)),
        (0x0100, 1, 3, b'\x01\x02\x03\x00'),
        (0x9000, 7, 4, b'0230'),
        (0x8825, 4, 1, L(400)),  # GPS pointer past the segment
        (0x1234, 9, 1, L(0xfffffffb)),
    ]
    t1 = tiff(True, entries, 0, 8, extra)
    # Big-endian, an Exif IFD pointer and a second directory.
    exif_at = 8 + 2 + 12 * 2 + 4
    ifd1_at = exif_at + 2 + 12 + 4
    e2 = [(0x8769, 4, 1, B(exif_at)), (0x0128, 3, 1, struct.pack('>HH', 2, 0))]
    exif_ifd = struct.pack('>H', 1) + struct.pack('>HHI', 0xa002, 4, 1) + B(161) + B(0)
    ifd1 = struct.pack('>H', 1) + struct.pack('>HHI', 0x0201, 4, 1) + B(0) + B(0)
    t2 = tiff(False, e2, ifd1_at, 8, exif_ifd + ifd1)
    cases = [
        t1, t2,
        tiff(True, [], 0, 4),  # first directory before the header's end
        tiff(True, [], 0, 8, order=b'XY'),  # no byte order
        tiff(True, [(0x0112, 3, 1, b'\x01\x00\x00\x00')], 2),  # next directory backwards
        tiff(True, [(0x010f, 2, 100, L(5000))], 0),  # value past the segment
        tiff(True, [(0x0112, 3, 1, b'\x01\x00\x00\x00')] * 3, 0)[:20],  # cut
    ]
    app1 = lambda t: seg(0xffe1, b'Exif\x00\x00' + t)
    out += [soi + app1(t) + b'\xff\xd9' for t in cases]
    out.append(soi + app0 + app1(t2) + b'\xff\xd9')
    # A segment longer than the image: contained-length exception.
    out.append(soi + app0 + b'\xff\xe1\x00\x40Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08\x00\x05')
    return out


def pngs():
    sig = b'\x89PNG\r\n\x1a\n'
    ihdr = chunk(b'IHDR', struct.pack('>IIBBBBB', 16, 8, 8, 2, 0, 0, 1))
    return [
        sig + ihdr + chunk(b'gAMA', struct.pack('>I', 45455))
        + chunk(b'cHRM', struct.pack('>8I', 31270, 32900, 64000, 33000, 30000, 60000, 15000, 6000))
        + chunk(b'sRGB', b'\x00') + chunk(b'pHYs', struct.pack('>IIB', 2835, 2835, 1))
        + chunk(b'tEXt', b'Software\x00synack test') + chunk(b'tIME', struct.pack('>HBBBBB', 2026, 12, 7, 3, 4, 5))
        + chunk(b'bKGD', struct.pack('>HHH', 1, 2, 3)) + chunk(b'PLTE', bytes(6)) + chunk(b'tRNS', b'\x00')
        + chunk(b'prVt', b'abc') + chunk(b'iTXt', b'k\x00\x00\x00\x00\x00v') + chunk(b'bKGD', b'\x07')
        + chunk(b'bKGD', b'\x00\x07') + chunk(b'IDAT', bytes(40)) + chunk(b'IEND', b''),
        sig + ihdr + b'\x00\x00\x10\x00IDAT' + bytes(8),  # chunk past the image
        sig + ihdr + b'\xff\xff\xff\xf0IDAT' + bytes(8),  # length past INT_MAX
        sig + chunk(b'IHDR', b'\x00\x01'),  # IHDR too short
        sig + ihdr + b'\x00\x00',  # cut in a length
        sig + bytes(4),  # under 20 bytes: media
        sig + ihdr + chunk(b'tEXt', b'\x00abc') + chunk(b'tEXt', b'abc') + chunk(b'IEND', b''),
        sig + ihdr + chunk(b'a\x01\x7fb', b'xy') + chunk(b'\x00BCD', b'') + chunk(b'a\x80\xffb', b'')
        + chunk(b'AB\x00D', b''),  # odd chunk types
    ]


def gifs():
    hdr = b'GIF89a' + struct.pack('<HH', 2, 2) + b'\xf1\x00\x00' + bytes(range(12))
    return [
        hdr + b'!\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00' + b'!\xfe\x05hello\x00'
        + b'!\xf9\x04\x04\x0a\x00\x00\x00'
        + b',' + struct.pack('<HHHH', 0, 0, 2, 2) + b'\x80' + bytes(6) + b'\x02\x03\x01\x02\x03\x00'
        + b',' + struct.pack('<HHHH', 1, 1, 1, 1) + b'\x40' + b'\x02\x02\x44\x01\x00' + b'\x3b',
        b'GIF87a' + struct.pack('<HH', 1, 1) + b'\x77\x00\x31' + b','
        + struct.pack('<HHHH', 0, 0, 1, 1) + b'\x07' + b'\x02\x02\x44\x01\x00;',
        hdr + b'\x00\x05' + b';',  # unknown blocks
        hdr + b'!\xf9\x40\x01',  # sub-block past the image
        hdr + b'!\x99\x01\x01\x00' + b'!',  # unknown extension, then cut
        b'GIF89a\x01\x00\x01\x00\x80\x00\x10' + bytes(3),  # under 20 bytes: media
        b'GIF89a' + struct.pack('<HH', 1, 1) + b'\x00\x00\x05' + b'!\xfe\x40' + bytes(64) + b'\x00;',
    ]


if __name__ == '__main__':
    out = sys.argv[1] if len(sys.argv) > 1 else 'tests/captures/http_images.pcap'
    frames = ([http(b'image/jpeg', j) for j in jpegs()] + [http(b'image/png', p) for p in pngs()]
              + [http(b'image/gif', g) for g in gifs()]
              + [http(b'Image/JPEG; q=1', b'\xff\xd8abc'), http(b'Application/X-Thing', b'abc')]
              # HTTP's heuristics: images as octet-stream (data), without a type,
              # and a GIF served as PNG.
              + [http(b'application/octet-stream', b) for b in (jpegs()[0], gifs()[1])]
              + [untyped(b) for b in (jpegs()[0], pngs()[0], gifs()[0])]
              + [http(b'image/png', gifs()[0])])
    pcap(frames, out)
