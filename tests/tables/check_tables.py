#!/usr/bin/env python3
"""Checks `synack tables` against independent readers and references.

Usage: check_tables.py SYNACK OUT_DIR CAPTURE...

Runs `SYNACK tables -r CAPTURE... -o OUT_DIR`, then reads the Parquet with DuckDB
(PyPI `duckdb`) and checks, for every capture:
  - the packet count against tshark's;
  - each TCP and UDP conversation's packets and bytes both ways against
    `tshark -q -z conv,tcp` and `conv,udp`;
  - each TCP connection's conn_state and history against what Zeek's documented
    rules give for that capture (EXPECTED below says why, capture by capture);
  - every Community ID against the reference implementation (PyPI `communityid`).
Prints one line per failure and exits 1 if there was any.
"""

import concurrent.futures
import re
import subprocess
import sys
from pathlib import Path

import communityid
import duckdb

# conn_state and history of the TCP connections of each capture, and why (Zeek's
# conn.log documentation: S = SYN, h = SYN+ACK, A = pure ACK, D = data, F = FIN,
# R = RST, T = retransmitted payload, W = zero window; upper case from the
# originator, lower case from the responder).
EXPECTED = {
    # A request, its answer, then FIN from the client and FIN+ACK from the server
    # (three-packet close): both sides closed, no RST -> SF.
    "tcp_clean_close": {("SF", "ShADadFf")},
    # Same shape over Linux cooked capture, two interfaces, IPv6, nanosecond
    # timestamps and an 802.1Q tag: the link layer does not change the conversation.
    "linux_cooked_any": {("SF", "ShADadFf")},
    "multi_iface": {("SF", "ShADadFf")},
    "tcp_ipv6": {("SF", "ShADadFf")},
    "tcp_nanosecond": {("SF", "ShADadFf")},
    "vlan_tagged": {("SF", "ShADadFf")},
    # Fifty-five short connections, each closed cleanly -> SF.
    "tcp_many_streams": {("SF", "ShADadFf")},
    # Two keep-alive connections closed by either side (f before F when the server
    # closes first) -> SF.
    "http_keepalive": {("SF", "ShADadFf"), ("SF", "ShADadfF")},
    # The server sends its FIN first (f), the client answers with its own (F) -> SF.
    "tcp_server_closes_first": {("SF", "ShADadfF")},
    # Both FINs cross on the wire; the server's was captured first -> SF.
    "tcp_simultaneous_close": {("SF", "ShADadfF")},
    # TLS: the server closes first after the alert -> SF; service is ssl.
    "tls_sni": {("SF", "ShADadfF")},
    # The client closes its direction (F) and the server still sends data (d) before
    # its FIN (f): a half-close, still SF at the end.
    "tcp_half_close": {("SF", "ShADaFdf")},
    "tcp_snaplen_96": {("SF", "ShADaFdf")},
    # After the handshake and some data the client aborts with an RST -> RSTO.
    "tcp_abort_rst": {("RSTO", "ShADadR")},
    # The SYN is answered by RST+ACK: nothing listened -> REJ.
    "tcp_refused": {("REJ", "Sr")},
    # A bulk transfer with losses: retransmissions (T, at the 1st and 10th), both
    # FINs -> SF.
    "tcp_lossy_bulk": {("SF", "ShADaTTFdf")},
    # The receiver advertises a zero window (w) and the sender retransmits (T)
    # probes; both close -> SF.
    "tcp_zero_window": {("SF", "ShADaTwFf")},
    # The first packets only of the three big captures (tests/captures/*_head):
    # established, never closed -> S1.
    "tcp_lossy_bulk_head": {("S1", "ShADaTT")},
    "tcp_snaplen_96_head": {("S1", "ShADa")},
    "tcp_zero_window_head": {("S1", "ShADaTw")},
}

failures = []


def fail(capture, what):
    failures.append(f"{capture}: {what}")


def tshark(*args):
    return subprocess.run(
        ["tshark", *args], capture_output=True, text=True, check=True
    ).stdout


def parse_size(n, unit):
    """tshark's conv sizes: exact in bytes, else rounded to kB/MB (SI)."""
    n = int(n)
    scale = {"bytes": 1, "kB": 1000, "MB": 1000**2, "GB": 1000**3}[unit]
    return n, scale


def tshark_tables(path):
    """One tshark run for what the checks need: the frame count (io,stat) and the
    conversation rows of each kind."""
    out = tshark("-r", str(path), "-q", "-z", "io,stat,0", "-z", "conv,tcp", "-z", "conv,udp")
    frames = 0
    m = re.search(r"^\|\s*[\d.]+ <> [\d.]+\s*\|\s*(\d+)\s*\|", out, re.M)
    if m:
        frames = int(m.group(1))
    # Each table starts with its title ("TCP Conversations"); tshark prints them in
    # its own order.
    tables = {}
    for part in re.split(r"^(?=(?:TCP|UDP) Conversations$)", out, flags=re.M):
        for kind in ("tcp", "udp"):
            if part.startswith(f"{kind.upper()} Conversations"):
                tables[kind] = conversations(part)
    return frames, tables


def conversations(out):
    """tshark's conv table rows: (a, b, frames a->b, bytes a->b, frames b->a, bytes b->a)."""
    rows = []
    line_re = re.compile(
        r"^(\S+)\s+<->\s+(\S+)\s+(\d+)\s+(\d+) (bytes|kB|MB|GB)\s+(\d+)\s+(\d+) (bytes|kB|MB|GB)\s+"
    )
    for line in out.splitlines():
        m = line_re.match(line)
        if m:
            a, b = m.group(1), m.group(2)
            # tshark's "<-" columns are B to A, "->" A to B.
            rows.append(
                (a, b, int(m.group(6)), parse_size(m.group(7), m.group(8)),
                 int(m.group(3)), parse_size(m.group(4), m.group(5)))
            )
    return rows


def endpoint(addr, port):
    return f"[{addr}]:{port}" if ":" in addr else f"{addr}:{port}"


def tshark_endpoint(text):
    # tshark writes IPv6 endpoints as ADDR:PORT without brackets.
    addr, _, port = text.rpartition(":")
    return endpoint(addr, port)


def same_size(ours, theirs):
    n, scale = theirs
    if scale == 1:
        return ours == n
    return abs(ours / scale - n) <= 1


def check(capture_path, out_dir, con, tshark_out):
    name = capture_path.name
    for ext in (".gz", ".pcapng", ".pcap"):
        if name.endswith(ext):
            name = name[: -len(ext)]
    part = out_dir / f"capture={name}"
    packets = con.execute(f"SELECT count(*) FROM '{part}/packets.parquet'").fetchone()[0]
    frames, tables = tshark_out
    if packets != frames:
        fail(name, f"{packets} packet rows, tshark reads {frames}")
    conns = con.execute(
        f"""SELECT proto, "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p",
                   orig_pkts, resp_pkts, orig_frame_bytes, resp_frame_bytes,
                   conn_state, history, community_id
            FROM '{part}/connections.parquet' ORDER BY first_frame"""
    ).fetchall()
    # Conversations against tshark's tables, in first-appearance order per pair.
    for kind in ("tcp", "udp"):
        ours = [c for c in conns if c[0] == kind]
        theirs = tables[kind]
        if len(ours) != len(theirs):
            fail(name, f"{len(ours)} {kind} conversations, tshark lists {len(theirs)}")
        pending = list(ours)
        for a, b, fab, bab, fba, bba in theirs:
            a, b = tshark_endpoint(a), tshark_endpoint(b)
            match = None
            for c in pending:
                o, r = endpoint(c[1], c[2]), endpoint(c[3], c[4])
                if {o, r} == {a, b}:
                    match = c
                    break
            if match is None:
                fail(name, f"no {kind} conversation {a} <-> {b}")
                continue
            pending.remove(match)
            o = endpoint(match[1], match[2])
            # Our counts from A's side.
            if o == a:
                got = (match[5], match[7], match[6], match[8])
            else:
                got = (match[6], match[8], match[5], match[7])
            if got[0] != fab or got[2] != fba:
                fail(name, f"{kind} {a} <-> {b}: packets {got[0]}/{got[2]}, tshark {fab}/{fba}")
            if not same_size(got[1], bab) or not same_size(got[3], bba):
                fail(name, f"{kind} {a} <-> {b}: bytes {got[1]}/{got[3]}, tshark {bab}/{bba}")
    # conn_state and history.
    expected = EXPECTED.get(name)
    for c in conns:
        if c[0] == "tcp" and expected is not None and (c[9], c[10]) not in expected:
            fail(name, f"tcp {c[1]}:{c[2]} -> {c[3]}:{c[4]}: {c[9]} {c[10]}, expected one of {sorted(expected)}")
    if expected is None and any(c[0] == "tcp" for c in conns):
        fail(name, "no expected conn_state/history for this capture: add it to EXPECTED")
    # Community IDs against the reference implementation.
    cid = communityid.CommunityID()
    for c in conns:
        proto, oh, op, rh, rp = c[0], c[1], c[2], c[3], c[4]
        v6 = ":" in oh
        if proto == "tcp":
            t = communityid.FlowTuple.make_tcp(oh, rh, op, rp)
        elif proto == "udp":
            t = communityid.FlowTuple.make_udp(oh, rh, op, rp)
        elif v6:
            t = communityid.FlowTuple.make_icmp6(oh, rh, op, rp)
        else:
            t = communityid.FlowTuple.make_icmp(oh, rh, op, rp)
        want = cid.calc(t)
        if c[11] != want:
            fail(name, f"{proto} {oh}:{op} -> {rh}:{rp}: community_id {c[11]}, reference {want}")
    return len(conns)


def check_extra_columns(synack, capture, out_dir, con):
    """-e FIELD columns are typed by the field: numbers, flags, times, text."""
    fields = {"tcp.srcport": "BIGINT", "tcp.flags.syn": "BOOLEAN",
              "frame.time": "TIMESTAMPTZ_NS", "eth.src": "VARCHAR",
              "frame.time_delta": "DOUBLE"}
    argv = [synack, "tables", "-r", str(capture), "-o", str(out_dir)]
    for f in fields:
        argv += ["-e", f]
    subprocess.run(argv, check=True, stderr=subprocess.DEVNULL)
    part = next(out_dir.glob("capture=*"))
    described = con.execute(f"DESCRIBE SELECT * FROM '{part}/packets.parquet'").fetchall()
    types = {row[0]: row[1] for row in described}
    for f, want in fields.items():
        got = str(types.get(f))
        # DuckDB versions name the nanosecond UTC timestamp differently.
        if got != want and not (want.startswith("TIMESTAMP") and got.startswith("TIMESTAMP")):
            fail("-e", f"{f}: column type {got}, expected {want}")
    # A flag column agrees with the packet's own bits.
    bad = con.execute(
        f"""SELECT count(*) FROM '{part}/packets.parquet'
            WHERE tcp_flags IS NOT NULL AND "tcp.flags.syn" <> ((tcp_flags & 2) <> 0)"""
    ).fetchone()[0]
    if bad:
        fail("-e", f"{bad} packets whose tcp.flags.syn column disagrees with tcp_flags")


def main():
    synack, out_dir, captures = sys.argv[1], Path(sys.argv[2]), [Path(p) for p in sys.argv[3:]]
    subprocess.run([synack, "tables", "-r", *map(str, captures), "-o", str(out_dir)],
                   check=True, stderr=subprocess.DEVNULL)
    # tshark is the slow part: two at a time (the machines that run this have two
    # cores or more).
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        references = list(pool.map(tshark_tables, captures))
    con = duckdb.connect()
    total = sum(check(p, out_dir, con, r) for p, r in zip(captures, references))
    # The whole directory reads as one Hive-partitioned dataset.
    n = con.execute(
        f"SELECT count(DISTINCT capture) FROM read_parquet('{out_dir}/*/connections.parquet', hive_partitioning = true)"
    ).fetchone()[0]
    if n != len(captures):
        fail("dataset", f"{n} capture partitions, {len(captures)} captures")
    check_extra_columns(synack, captures[0], out_dir / "extra", con)
    for f in failures:
        print(f)
    print(f"{len(captures)} captures, {total} connections checked, {len(failures)} failures")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
