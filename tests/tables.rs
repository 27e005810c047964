//! `synack tables` read back by DuckDB and checked against tshark's conversation
//! tables, Zeek's conn_state/history rules and the reference Community ID
//! implementation (`tests/tables/check_tables.py`, with PyPI's `duckdb` and
//! `communityid`, which `packaging/install-deps.sh` installs in `tests/tables/.venv`).
//! Skips, saying so, when Python with both packages or tshark is missing.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

mod common;
use common::{root, runs};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The Python that has both packages: the project's venv, else the system's.
fn python() -> Option<PathBuf> {
    let venv = root().join("tests/tables/.venv/bin/python");
    let candidates = [venv, PathBuf::from("python3")];
    candidates.into_iter().find(|p| {
        Command::new(p)
            .args(["-c", "import duckdb, communityid"])
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// The shared captures (`../shared/captures/real`, the set) when present,
/// else their copies in `tests/captures` (the three big ones as their first packets).
fn captures() -> Vec<PathBuf> {
    let shared = root().join("../shared/captures/real");
    let names: &[&str] = &[
        "dns_udp.pcap",
        "http_keepalive.pcap",
        "icmp_arp_ping.pcap",
        "linux_cooked_any.pcap",
        "multi_iface.pcapng",
        "tcp_abort_rst.pcap",
        "tcp_clean_close.pcap",
        "tcp_half_close.pcap",
        "tcp_ipv6.pcapng",
        "tcp_lossy_bulk.pcap",
        "tcp_many_streams.pcap",
        "tcp_nanosecond.pcap",
        "tcp_refused.pcap",
        "tcp_server_closes_first.pcapng",
        "tcp_simultaneous_close.pcap",
        "tcp_snaplen_96.pcap",
        "tcp_zero_window.pcap",
        "tls_sni.pcapng",
        "vlan_tagged.pcap",
    ];
    if shared.is_dir() {
        let mut all: Vec<PathBuf> = std::fs::read_dir(&shared)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "pcap" || e == "pcapng"))
            .collect();
        all.sort();
        return all;
    }
    let local = root().join("tests/captures");
    names
        .iter()
        .map(|n| {
            let p = local.join(n);
            if p.exists() {
                return p;
            }
            let head = n.replace(".pcap", "_head.pcap");
            local.join(head)
        })
        .collect()
}

#[test]
fn tables_match_tshark_zeek_rules_and_community_ids() {
    let Some(python) = python() else {
        eprintln!(
            "SKIPPED tables check: no Python with duckdb and communityid \
             (run packaging/install-deps.sh)"
        );
        return;
    };
    if !runs("tshark", "-v") {
        eprintln!("SKIPPED tables check: tshark is missing");
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let caps = captures();
    assert!(caps.iter().all(|p| Path::new(p).exists()), "{caps:?}");
    let result = Command::new(&python)
        .arg(root().join("tests/tables/check_tables.py"))
        .arg(env!("CARGO_BIN_EXE_synack"))
        .arg(out.path())
        .args(&caps)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&result.stdout);
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(result.status.success(), "{stdout}{stderr}");
    eprintln!("{stdout}");
}
