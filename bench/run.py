#!/usr/bin/env python3
"""synack against tshark (and tcpdump where it can do the same job) on a
million-packet capture: wall time and peak anonymous memory (RssAnon: the
memory-mapped capture does not count), median of 3 runs each (times from runs
without the memory sampler), side by side in one run: the two tools' timed runs
alternate, so that both see the machine in the same state; then the engine figures the window depends on (bench/engine.rs) and
the window itself driven headless (bench/gui.rs).

    bench/run.py [--packets N] [--runs 3] [--scale 5000000] [--skip-gui] [--skip-reports] [--skip-tables] [--also CAPTURE]
                 [--shapes syn,mixed,tiny] [--only-shapes] [--course wifi,web] [--only-course]

--course also opens the course captures of issues 16 and 17 beside tshark, like the
open row: `wifi` a million packets of 802.11 (radiotap) and DHCP/DHCPv6 over Wi-Fi,
`web` a million packets of HTTP and TLS with messages over many segments (both built
by bench/make-course-capture.py when missing), and checks that `synack dump -r` prints
tshark's summary lines on their first 2,000 packets.

--shapes also measures the shaped captures of issue 22, each once, tshark beside
synack: `syn` a million SYNs from random sources (every packet a stream), `mixed` ten
million packets of the usual mix, `tiny` a gzip of 134 million zero-length records
(tshark is stopped after --tshark-limit seconds).

The capture is built when missing with ../shared/tools/make-big-capture.py
from the Ethernet pcap files of ../shared/captures/real, in $SYNACK_BENCH_DIR
(default /tmp/synack-bench). Prints one Markdown table (BENCHMARKS.md holds
the last one).
"""
import argparse
import glob
import hashlib
import os
import platform
import statistics
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peakmem import measure, rss_anon  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.environ.get("SYNACK_SHARED", os.path.join(os.path.dirname(ROOT), "shared"))
WORK = os.environ.get("SYNACK_BENCH_DIR", "/tmp/synack-bench")
SYNACK = os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")),
                      "release", "synack")
FILTER = "tcp.flags.syn == 1 || tcp.analysis.retransmission"
REPORTS = ["conv,tcp", "conv,udp", "conv,ip", "endpoints,ip", "io,stat,1"]


def ethernet_pcaps():
    """The real captures make-big-capture.py accepts (little-endian us pcap, Ethernet)."""
    found = []
    for path in sorted(glob.glob(os.path.join(SHARED, "captures", "real", "*.pcap"))):
        with open(path, "rb") as f:
            head = f.read(24)
        if len(head) == 24 and struct.unpack_from("<II", head, 0)[0] == 0xA1B2C3D4 \
                and struct.unpack_from("<I", head, 20)[0] == 1:
            found.append(path)
    return found


def capture(packets):
    os.makedirs(WORK, exist_ok=True)
    path = os.path.join(WORK, f"big-{packets}.pcap")
    if not os.path.exists(path):
        print(f"building {path} ...", file=sys.stderr)
        subprocess.run([sys.executable, os.path.join(SHARED, "tools", "make-big-capture.py"),
                        path + ".part", str(packets), *ethernet_pcaps()], check=True,
                       stdout=subprocess.DEVNULL)
        os.rename(path + ".part", path)
    return path


def from_disk(path):
    """Drops `path` from the page cache, so that the first run reads it from disk as
    it reads a capture saved some time ago. A file just written by a script stays in
    the page cache in 4 KiB pages, and a mapping of it (synack's) pays for each: on
    the 1M capture about 50 ms of page faults and 20 ms of unmapping that a file read
    from disk (kept in large pages by the kernel) does not cost. tshark reads with
    read() and does not notice either way."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def timed(argv):
    """Wall time and exit status of one run, with nothing else running beside it."""
    start = time.perf_counter()
    status = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    return time.perf_counter() - start, status


def median_run(argv, runs):
    """Median wall time of `runs` runs and median peak RssAnon of `runs` more (after
    one warm-up that puts the file in the page cache). Times come from runs without
    the memory sampler, whose polling would take CPU from a program using both
    cores."""
    timed(argv)
    times = [timed(argv) for _ in range(runs)]
    peaks = [measure(argv) for _ in range(runs)]
    failed = [r[-1] for r in times + peaks if r[-1] != 0]
    if failed:
        sys.exit(f"{' '.join(argv)}: exit status {failed[0]}")
    return statistics.median(t for t, _ in times), statistics.median(p for _, p, _ in peaks)


def side_by_side(theirs, ours, runs):
    """Like median_run for two programs doing one job, with their timed runs
    alternating (this machine's speed drifts by tens of percent over a minute, and a
    ratio should compare runs made under the same conditions). Also returns the
    ratio of each pair of runs."""
    timed(theirs)
    timed(ours)
    pairs = [(timed(theirs), timed(ours)) for _ in range(runs)]
    failed = [r[-1] for pair in pairs for r in pair if r[-1] != 0]
    if failed:
        sys.exit(f"{' '.join(theirs)} / {' '.join(ours)}: exit status {failed[0]}")
    peaks = []
    for argv in (theirs, ours):
        measured = [measure(argv) for _ in range(runs)]
        if any(r[-1] != 0 for r in measured):
            sys.exit(f"{' '.join(argv)}: exit status under the memory sampler")
        peaks.append(statistics.median(p for _, p, _ in measured))
    t_theirs = statistics.median(a[0] for a, _ in pairs)
    t_ours = statistics.median(b[0] for _, b in pairs)
    ratios = sorted(a[0] / b[0] for a, b in pairs)
    return t_theirs, peaks[0], t_ours, peaks[1], ratios


def same_report(theirs, ours):
    """Whether two -z reports print the same lines, white space folded."""
    def lines(argv):
        out = subprocess.run(argv, capture_output=True, text=True).stdout
        return [" ".join(line.split()) for line in out.splitlines()]
    return lines(theirs) == lines(ours)


def measure_limited(argv, limit):
    """Wall time, peak RssAnon and exit status of one run, sampling /proc; a run
    past `limit` seconds is stopped (status None)."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while child.poll() is None:
        peak = max(peak, rss_anon(child.pid))
        if time.perf_counter() - start > limit:
            child.kill()
            child.wait()
            return time.perf_counter() - start, peak, None
        time.sleep(0.002)
    return time.perf_counter() - start, peak, child.returncode


def shaped(kind):
    """The capture of one of issue 22's shapes (built when missing) and its packets."""
    os.makedirs(WORK, exist_ok=True)
    bench = os.path.dirname(os.path.abspath(__file__))
    if kind == "syn":
        n, path = 1_000_000, os.path.join(WORK, "syn-flood-1000000.pcap")
        tool = [os.path.join(bench, "make-syn-flood.py"), str(n)]
    elif kind == "tiny":
        n, path = 134_000_000, os.path.join(WORK, "tiny-records-134000000.pcap.gz")
        tool = [os.path.join(bench, "make-tiny-records.py"), str(n)]
    else:
        n = 10_000_000
        return capture(n), n
    if not os.path.exists(path):
        print(f"building {path} ...", file=sys.stderr)
        subprocess.run([sys.executable, *tool, path + ".part"], check=True)
        os.rename(path + ".part", path)
    return path, n


def shape_rows(kinds, limit, with_gui):
    """One run each of tshark and synack opening each shaped capture, then the window
    on the SYN flood and the ten million packets (unless `with_gui` is false)."""
    gui = {}
    names = {"syn": "1M single-SYN streams", "mixed": "10M mixed packets",
             "tiny": "gzip of 134M zero-length records"}
    lines = ["", "Shaped captures (issue 22), one run each, tshark then synack:", "",
             "| capture | tool | time | peak RssAnon | bytes/packet | tshark/synack |",
             "| --- | --- | --- | --- | --- | --- |"]
    for kind in kinds:
        path, n = shaped(kind)
        size = os.path.getsize(path) / 1e6
        t_ts, m_ts, st_ts = measure_limited(["tshark", "-r", path, "-q", "-z", "expert"], limit)
        t_sy, m_sy, st_sy = measure_limited([SYNACK, "stats", "-r", path, "-z", "expert"],
                                            limit)
        if st_sy != 0:
            sys.exit(f"synack stats -r {path}: exit status {st_sy}")
        job = f"{names.get(kind, kind)} ({size:.0f} MB)"
        if st_ts is None:
            lines.append(f"| {job} | tshark -q -z expert | stopped after {t_ts:.0f} s "
                         f"| {m_ts / 1e6:.1f} MB (then) | | |")
            lines.append(row("", "synack stats -z expert", t_sy, m_sy, n)
                         .rstrip("|").rstrip() + f" > {t_ts / t_sy:.0f}x |")
        else:
            lines.append(row(job, "tshark -q -z expert", t_ts, m_ts, n))
            lines.append(row("", "synack stats -z expert", t_sy, m_sy, n, t_ts))
        if kind in ("syn", "mixed") and with_gui:
            # The window on the same capture (issue 22: open, scroll to the end, filter).
            gui[job] = gui_figures(path)
    for job, figures in gui.items():
        lines += ["", f"The window on {job} (bench/gui.rs):", "", "| figure | value |",
                  "| --- | --- |"]
        lines += [f"| {name} | {value} |" for name, value in figures]
    return lines


COURSE = {"wifi": ("wifi-dhcp", "802.11 + DHCP (radiotap)"),
          "web": ("http-tls", "HTTP + TLS over many segments")}


def course_capture(kind, packets):
    """The capture of issue 16 (`wifi`) or 17 (`web`), built when missing, and a cut of
    its first 2,000 packets for the summary check."""
    os.makedirs(WORK, exist_ok=True)
    stem = COURSE[kind][0]
    path = os.path.join(WORK, f"{stem}-{packets}.pcap")
    cut = os.path.join(WORK, f"{stem}-2000.pcap")
    tool = os.path.join(os.path.dirname(os.path.abspath(__file__)), "make-course-capture.py")
    for target, n in ((path, packets), (cut, 2000)):
        if not os.path.exists(target):
            print(f"building {target} ...", file=sys.stderr)
            subprocess.run([sys.executable, tool, kind, target + ".part", str(n), SHARED],
                           check=True, stdout=subprocess.DEVNULL)
            os.rename(target + ".part", target)
    return path, cut


def same_summaries(path):
    """How many of `synack dump -r`'s summary lines equal `tshark -r`'s, and of how
    many."""
    theirs = subprocess.run(["tshark", "-r", path], capture_output=True, text=True).stdout
    ours = subprocess.run([SYNACK, "dump", "-r", path], capture_output=True, text=True).stdout
    a, b = theirs.splitlines(), ours.splitlines()
    equal = sum(1 for x, y in zip(a, b) if x == y)
    return equal, max(len(a), len(b))


def course_rows(kinds, packets, runs):
    """The open row on each course capture, tshark and synack alternating."""
    lines = ["", "Course captures (issues 16 and 17): open, tshark and synack alternating:", "",
             f"| capture | tool | time (median of {runs}) | peak RssAnon | bytes/packet "
             "| tshark/synack |", "| --- | --- | --- | --- | --- | --- |"]
    notes = []
    spread = lambda rs: ", ".join(f"{r:.1f}x" for r in rs)  # noqa: E731
    for kind in kinds:
        path, cut = course_capture(kind, packets)
        equal, total = same_summaries(cut)
        t_ts, m_ts, t_sy, m_sy, ratios = side_by_side(
            ["tshark", "-r", path, "-q", "-z", "expert"],
            [SYNACK, "stats", "-r", path, "-z", "expert"], runs)
        size = os.path.getsize(path) / 1e6
        lines.append(row(f"{COURSE[kind][1]}: {os.path.basename(path)} ({size:.0f} MB)",
                         "tshark -q -z expert", t_ts, m_ts, packets))
        lines.append(row("", "synack stats -z expert", t_sy, m_sy, packets, t_ts))
        notes.append(f"{kind}: pairs {spread(ratios)}; summaries of the first 2,000 packets: "
                     f"{equal:,} of {total:,} equal to tshark's")
    return lines + [""] + [n + "." for n in notes]


def packets_digest(path):
    """What a capture holds, independent of its container details."""
    out = subprocess.run(["tcpdump", "-r", path, "-n", "-tt", "-x"], capture_output=True,
                         check=True).stdout
    return hashlib.sha256(out).hexdigest(), out.count(b"\n\t0x0000:")


def engine_figures(path):
    out = subprocess.run(["cargo", "bench", "--quiet", "--bench", "engine", "--", path],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return [line.split(" ", 1) for line in out.splitlines() if " " in line]


def gui_figures(path):
    proc = subprocess.run(["cargo", "bench", "--quiet", "--bench", "gui", "--", path],
                          cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        return [("gui", "failed: " + (proc.stderr.strip().splitlines() or ["?"])[-1])]
    return [line.split(" ", 1) for line in proc.stdout.splitlines() if " " in line]


def row(job, tool, seconds, peak, packets, base=None):
    ratio = f"{base / seconds:.1f}x" if base else ""
    return (f"| {job} | {tool} | {seconds:.3f} s | {peak / 1e6:.1f} MB "
            f"| {peak / packets:.1f} | {ratio} |")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--packets", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--scale", type=int, default=0,
                    help="also time synack on a capture this many packets long")
    ap.add_argument("--skip-gui", action="store_true")
    ap.add_argument("--skip-reports", action="store_true",
                    help="skip the -z conv/endpoints/io,stat rows (issue 19)")
    ap.add_argument("--also", default="",
                    help="another capture to time open and filter + export on (issue 21's "
                         "bulk-heavy /tmp/big.pcap)")
    ap.add_argument("--skip-tables", action="store_true",
                    help="skip the Parquet tables rows and the forty captures (issue 21)")
    ap.add_argument("--shapes", default="",
                    help="comma-separated shaped captures to measure too: syn,mixed,tiny")
    ap.add_argument("--only-shapes", action="store_true",
                    help="measure only the shaped captures")
    ap.add_argument("--course", default="",
                    help="comma-separated course captures to open too: wifi,web")
    ap.add_argument("--only-course", action="store_true",
                    help="measure only the course captures")
    ap.add_argument("--tshark-limit", type=float, default=300,
                    help="seconds after which tshark is stopped on a shaped capture")
    args = ap.parse_args()
    kinds = [k for k in args.shapes.split(",") if k]

    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    courses = [k for k in args.course.split(",") if k]
    unknown = [k for k in courses if k not in COURSE]
    if unknown:
        sys.exit(f"--course: unknown capture {unknown[0]} (wifi, web)")
    if args.only_course:
        print("\n".join(course_rows(courses or list(COURSE), args.packets, args.runs)))
        return
    if args.only_shapes:
        print("\n".join(shape_rows(kinds or ["syn"], args.tshark_limit, not args.skip_gui)))
        return
    big = capture(args.packets)
    from_disk(big)
    out_synack = os.path.join(WORK, "out-synack.pcapng")
    out_tshark = os.path.join(WORK, "out-tshark.pcapng")
    out_tcpdump = os.path.join(WORK, "out-tcpdump.pcap")
    n = args.packets

    lines = [
        f"Capture: {os.path.basename(big)}, {n:,} packets, "
        f"{os.path.getsize(big) / 1e6:.0f} MB. Machine: {platform.node()}, "
        f"{os.cpu_count()} cores, {platform.platform()}. {time.strftime('%Y-%m-%d %H:%M')}.",
        "",
        "| job | tool | time (median of %d) | peak RssAnon | bytes/packet | tshark/synack |"
        % args.runs,
        "| --- | --- | --- | --- | --- | --- |",
    ]
    t_ts, m_ts, t_sy, m_sy, open_ratios = side_by_side(
        ["tshark", "-r", big, "-q", "-z", "expert"],
        [SYNACK, "stats", "-r", big, "-z", "expert"], args.runs)
    lines.append(row("open: index, TCP analysis, expert", "tshark -q -z expert", t_ts, m_ts, n))
    lines.append(row("", "synack stats -z expert", t_sy, m_sy, n, t_ts))

    t_tsf, m_tsf, t_syf, m_syf, filter_ratios = side_by_side(
        ["tshark", "-r", big, "-Y", FILTER, "-w", out_tshark],
        [SYNACK, "dump", "-r", big, "-Y", FILTER, "-w", out_synack], args.runs)
    t_tdf, m_tdf = median_run(["tcpdump", "-r", big, "-w", out_tcpdump,
                               "tcp[tcpflags] & tcp-syn != 0"], args.runs)
    same = packets_digest(out_synack) == packets_digest(out_tshark)
    kept = packets_digest(out_synack)[1]
    lines.append(row(f"filter + export `{FILTER}`", "tshark -Y -w", t_tsf, m_tsf, n))
    lines.append(row("", "synack dump -Y -w", t_syf, m_syf, n, t_tsf))
    lines.append(row("(SYN only: no TCP analysis)", "tcpdump -w 'tcp[tcpflags]...'",
                     t_tdf, m_tdf, n))
    lines.append("")
    lines.append(f"Export: synack wrote {kept:,} packets, "
                 f"{'the same packets as' if same else 'NOT the same packets as'} tshark.")
    spread = lambda rs: ", ".join(f"{r:.1f}x" for r in rs)  # noqa: E731
    lines.append(f"Ratio of each pair of alternating runs: open {spread(open_ratios)}; "
                 f"filter + export {spread(filter_ratios)}.")

    if args.also:
        other = args.also
        from_disk(other)
        size = os.path.getsize(other) / 1e6
        m = int(subprocess.run(["capinfos", "-M", "-c", "-T", other], capture_output=True,
                               text=True, check=True).stdout.split()[-1])
        t_a, m_a, t_b, m_b, also_open = side_by_side(
            ["tshark", "-r", other, "-q", "-z", "expert"],
            [SYNACK, "stats", "-r", other, "-z", "expert"], args.runs)
        lines.append(row(f"open {os.path.basename(other)} ({m:,} packets, {size:.0f} MB)",
                         "tshark -q -z expert", t_a, m_a, m))
        lines.append(row("", "synack stats -z expert", t_b, m_b, m, t_a))
        t_a, m_a, t_b, m_b, also_filter = side_by_side(
            ["tshark", "-r", other, "-Y", FILTER, "-w", out_tshark],
            [SYNACK, "dump", "-r", other, "-Y", FILTER, "-w", out_synack], args.runs)
        lines.append(row(f"filter + export on {os.path.basename(other)}", "tshark -Y -w",
                         t_a, m_a, m))
        lines.append(row("", "synack dump -Y -w", t_b, m_b, m, t_a))
        lines.append(f"Ratio of each pair on {os.path.basename(other)}: open "
                     f"{spread(also_open)}; filter + export {spread(also_filter)}.")

    # The Statistics reports a lab sheet asks for, as tshark -q -z prints them; both
    # tools' output is compared so that a fast wrong report cannot pass.
    if not args.skip_reports:
        report_ratios = []
        for report in REPORTS:
            theirs = ["tshark", "-r", big, "-q", "-z", report]
            ours = [SYNACK, "stats", "-r", big, "-z", report]
            same = same_report(theirs, ours)
            t_r, m_r, t_s, m_s, ratios = side_by_side(theirs, ours, args.runs)
            lines.append(row(f"report `-z {report}`", "tshark -q -z", t_r, m_r, n))
            lines.append(row("" if same else "(output DIFFERS from tshark's)",
                             "synack stats -z", t_s, m_s, n, t_r))
            report_ratios.append(f"{report} {spread(ratios)}")
        lines.append("Ratio of each pair of alternating runs: " + "; ".join(report_ratios) + ".")

    if not args.skip_tables:
        # Parquet tables against the bulk JSON an Elasticsearch load uses (tshark -T ek
        # to /dev/null: the cheapest place it could write).
        tables_out = os.path.join(WORK, "tables-out")
        t_ek, m_ek, t_tb, m_tb, tables_ratios = side_by_side(
            ["tshark", "-r", big, "-T", "ek"],
            [SYNACK, "tables", "-r", big, "-o", tables_out], args.runs)
        lines.append(row("tables: every packet and connection", "tshark -T ek", t_ek, m_ek, n))
        lines.append(row("", "synack tables (Parquet)", t_tb, m_tb, n, t_ek))
        lines.append(f"Ratio of each pair of alternating runs: tables {spread(tables_ratios)}.")

        # Forty copies of a 25k-packet capture in one directory: one capture per core.
        small = capture(25_000)
        course = os.path.join(WORK, "course")
        os.makedirs(course, exist_ok=True)
        copies = []
        for k in range(40):
            copy = os.path.join(course, f"student-{k:02}.pcap")
            if not os.path.exists(copy):
                os.link(small, copy)
            copies.append(copy)
        course_out = os.path.join(WORK, "course-out")
        cpu = []
        walls = []
        for jobs in ("1", str(os.cpu_count() or 1)):
            before = os.times()
            wall, status = timed([SYNACK, "tables", "-j", jobs, "-r", *copies, "-o", course_out])
            after = os.times()
            if status != 0:
                sys.exit(f"synack tables -j {jobs}: exit status {status}")
            walls.append(wall)
            cpu.append((after.children_user - before.children_user
                        + after.children_system - before.children_system) / wall)
        lines.append(f"Forty 25k-packet captures: {walls[0]:.2f} s one at a time "
                     f"({cpu[0]:.2f} cores busy), {walls[1]:.2f} s with -j {os.cpu_count()} "
                     f"({cpu[1]:.2f} cores busy): {walls[0] / walls[1]:.2f}x.")

    if args.scale:
        bigger = capture(args.scale)
        t_5, m_5 = median_run([SYNACK, "stats", "-r", bigger, "-z", "expert"], args.runs)
        lines.append(f"Scaling: {args.scale:,} packets open in {t_5:.3f} s and "
                     f"{m_5 / 1e6:.1f} MB: {t_5 / t_sy:.2f}x the time and "
                     f"{m_5 / m_sy:.2f}x the memory of {n:,} "
                     f"({args.scale / n:.1f}x the packets).")

    if kinds:
        lines += shape_rows(kinds, args.tshark_limit, not args.skip_gui)
    if courses:
        lines += course_rows(courses, args.packets, args.runs)

    lines += ["", "| engine (in-process, bench/engine.rs) | value |", "| --- | --- |"]
    lines += [f"| {name} | {value} |" for name, value in engine_figures(big)]
    if not args.skip_gui:
        lines += ["", "| window (egui_kittest, bench/gui.rs) | value |", "| --- | --- |"]
        lines += [f"| {name} | {value} |" for name, value in gui_figures(big)]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
