#!/usr/bin/env python3
"""Compares `synack dump -T json` and `-T ek` with tshark's, key by key.

Usage: check_json.py SYNACK CAPTURE...

Both outputs must parse as JSON (duplicate keys kept, as tshark writes them) and
have the same packets; then, per packet, every key synack writes must carry the same
values (as a multiset, wherever they sit in the tree) as tshark's under that key.
Keys only tshark writes are fields synack does not dissect and are not compared.
Prints each difference and exits 1 if there was any.
"""

import concurrent.futures
import json
import subprocess
import sys
from collections import defaultdict

# Keys whose values depend on the machine or on name resolution tshark does and
# synack does not (none today); and expert objects, which synack does not write.
IGNORED = set()

# Differences that come from a dissector, not from the JSON writers (the same values
# differ in `-T fields`), listed so that a new one stands out:
KNOWN = {
    # synack types these as numbers, tshark 4.0 as a boolean / as printable text.
    "vlan_vlan_dei", "http.file_data", "http_http_file_data",
    # tshark reads the echo's first 8 data bytes as a timestamp (icmp.data_time).
    "data.len", "data.data", "data_data_len", "data_data_data",
    # MLDv2 multicast address records: synack lists one record per report.
    "icmpv6.mldr.mar", "icmpv6.mldr.mar.record_type", "icmpv6.mldr.mar.nb_sources",
    "icmpv6.mldr.mar.aux_data_len", "icmpv6_icmpv6_mldr_mar",
    "icmpv6_icmpv6_mldr_mar_record_type", "icmpv6_icmpv6_mldr_mar_nb_sources",
    "icmpv6_icmpv6_mldr_mar_aux_data_len",
    # tshark's D-SACK expert hangs on the SACK option, which synack's item lacks.
    "_ws.expert", "_ws.expert.message", "_ws.expert.severity", "_ws.expert.group",
    "_ws_expert", "_ws_expert__ws_expert_message", "_ws_expert__ws_expert_severity",
    "_ws_expert__ws_expert_group",
}


def pairs(items):
    return items  # keep duplicates: a list of (key, value)


def flatten(node, out):
    """Collects (key, value) leaves of a parsed object (lists of pairs)."""
    if isinstance(node, list) and all(isinstance(x, tuple) for x in node):
        for k, v in node:
            if k in IGNORED:
                continue
            if isinstance(v, list) and v and all(isinstance(x, tuple) for x in v):
                out[k].append("{}")
                flatten(v, out)
            elif isinstance(v, list):
                for x in v:
                    if isinstance(x, list) and x and all(isinstance(y, tuple) for y in x):
                        flatten(x, out)
                    else:
                        out[k].append(json.dumps(x))
            else:
                out[k].append(json.dumps(v))


def run(argv):
    return subprocess.run(argv, capture_output=True, text=True, check=True).stdout


def layers_json(text):
    doc = json.loads(text, object_pairs_hook=pairs)
    return [dict(dict(p)["_source"])["layers"] for p in doc]


def layers_ek(text):
    lines = [l for l in text.splitlines() if l.strip()]
    docs = []
    for i, line in enumerate(lines):
        d = json.loads(line, object_pairs_hook=pairs)
        if i % 2 == 0:
            if dict(d).get("index") is None:
                raise ValueError(f"line {i + 1}: no index line")
            continue
        docs.append(d)
    return docs


def known_keys():
    """The keys tshark 4.0 can write: `-T json` uses field names, `-T ek` the
    field's protocol and its name with underscores (a protocol: its name alone).
    synack's own fields (synack.*, 4.2 names) are not among them and are skipped."""
    json_keys, ek_keys = set(), set()
    for line in run(["tshark", "-G", "fields"]).splitlines():
        cols = line.split("\t")
        if len(cols) >= 3 and cols[0] == "P":
            json_keys.add(cols[2])
            ek_keys.add(cols[2].replace(".", "_"))
        elif len(cols) >= 5 and cols[0] == "F":
            json_keys.add(cols[2])
            ek_keys.add(f"{cols[4]}_{cols[2]}".replace(".", "_"))
    return {"json": json_keys, "ek": ek_keys}


def compare(name, fmt, ours, theirs, failures, known):
    if len(ours) != len(theirs):
        failures.append(f"{name} -T {fmt}: {len(ours)} packets, tshark {len(theirs)}")
        return 0
    compared = 0
    for n, (a, b) in enumerate(zip(ours, theirs), 1):
        fa, fb = defaultdict(list), defaultdict(list)
        flatten(a, fa)
        flatten(b, fb)
        for key, values in fa.items():
            if key not in known[fmt]:
                continue
            if key in KNOWN and sorted(values) != sorted(fb.get(key, [])):
                continue
            compared += len(values)
            if key not in fb:
                failures.append(f"{name} -T {fmt} frame {n}: {key} only in synack ({values[0]})")
            elif sorted(values) != sorted(fb[key]):
                failures.append(f"{name} -T {fmt} frame {n}: {key}: {sorted(values)} != tshark {sorted(fb[key])}")
    return compared


def main():
    synack, captures = sys.argv[1], sys.argv[2:]
    failures = []
    total = 0
    known = known_keys()
    jobs = [(cap, fmt) for cap in captures for fmt in ("json", "ek")]

    def outputs(job):
        cap, fmt = job
        return (run([synack, "dump", "-r", cap, "-T", fmt]), run(["tshark", "-r", cap, "-T", fmt]))

    # Two at a time: tshark is the slow part.
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(outputs, jobs))
    for (cap, fmt), (ours, theirs) in zip(jobs, results):
        parse = layers_json if fmt == "json" else layers_ek
        total += compare(cap.rsplit("/", 1)[-1], fmt, parse(ours), parse(theirs), failures, known)
    for f in failures:
        print(f)
    print(f"{len(captures)} captures, {total} values compared, {len(failures)} differences")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
