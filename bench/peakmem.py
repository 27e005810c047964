#!/usr/bin/env python3
"""Runs a command and prints its wall time and peak anonymous memory (RssAnon, the
mapped capture file does not count), sampling /proc every 2 ms.

    bench/peakmem.py CMD ARGS...    ->  "<seconds> <peak RssAnon bytes> <exit status>"
"""
import os
import subprocess
import sys
import time


def rss_anon(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("RssAnon:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def measure(argv, stdout=subprocess.DEVNULL):
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=stdout, stderr=subprocess.DEVNULL)
    peak = 0
    while child.poll() is None:
        peak = max(peak, rss_anon(child.pid))
        time.sleep(0.002)
    return time.perf_counter() - start, peak, child.returncode


if __name__ == "__main__":
    seconds, peak, status = measure(sys.argv[1:])
    print(f"{seconds:.3f} {peak} {status}")
