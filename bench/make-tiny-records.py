#!/usr/bin/env python3
"""Writes a gzip-compressed pcap of N zero-length records (issue 22's shape: a 2 MB file
that inflates to 2 GB and 134 million packets), a million records a second, those of
one second stamped alike (so the file compresses as such a bomb does).

    bench/make-tiny-records.py N OUT.pcap.gz
"""
import gzip
import struct
import sys

BLOCK = 1_000_000  # records a second: one block per second of capture


def main():
    n = int(sys.argv[1])
    with gzip.open(sys.argv[2], "wb", compresslevel=6) as out:
        out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        done, sec = 0, 1_700_000_000
        while done < n:
            count = min(BLOCK, n - done)
            # Each record: seconds, microseconds 0, caplen 0, len 0.
            out.write(struct.pack("<IIII", sec, 0, 0, 0) * count)
            done += count
            sec += 1


if __name__ == "__main__":
    main()
