#!/usr/bin/env python3
"""Compare synack's display filters with tshark's, filter by filter.

For every filter in FILE (one per line, '#' comments) and every capture, runs
    tshark      -r CAP -Y FILTER -T fields -e frame.number
    synack dump -r CAP -Y FILTER -T fields -e frame.number
and checks that both accept it and select the same frames, or that both reject
it with the same message and underline (tshark's 'tshark:' prefix and
'Running as user' line are ignored). Needs tshark 4.0; not part of `cargo test`.

usage: compare-filters.py [--bin target/release/synack] FILE CAPTURE...
"""
import argparse, subprocess, sys

def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    err = [l for l in p.stderr.splitlines()
           if "Running as user" not in l and "CRITICAL" not in l and not l.startswith("  Note:")
           and "maybe you mixed them up" not in l]
    return p.returncode, p.stdout.split(), err

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/synack")
    ap.add_argument("file")
    ap.add_argument("captures", nargs="+")
    a = ap.parse_args()
    filters = [l.rstrip("\n") for l in open(a.file) if l.strip() and not l.startswith("#")]
    ok = bad = 0
    for q in filters:
        for cap in a.captures:
            trc, tout, terr = run(["tshark", "-r", cap, "-Y", q, "-T", "fields", "-e", "frame.number"])
            src, sout, serr = run([a.bin, "dump", "-r", cap, "-Y", q, "-T", "fields", "-e", "frame.number"])
            t_rejects = trc != 0 and terr
            if t_rejects:
                tmsg = [l.replace("tshark: ", "", 1) for l in terr]
                smsg = [l.replace("synack: ", "", 1) for l in serr]
                if src == 2 and tmsg == smsg:
                    ok += 1
                else:
                    bad += 1
                    print(f"REJECT {q!r}\n  tshark: {tmsg}\n  synack: rc={src} {smsg}")
                break  # a rejected filter is rejected for every capture
            if src == 0 and tout == sout:
                ok += 1
            else:
                bad += 1
                why = serr[:3] if src else f"only tshark {sorted(set(tout)-set(sout), key=int)[:8]} only synack {sorted(set(sout)-set(tout), key=int)[:8]}"
                print(f"DIFF {q!r} on {cap.split('/')[-1]}: {why}")
    print(f"{ok} agree, {bad} differ")
    sys.exit(1 if bad else 0)

if __name__ == "__main__":
    main()
