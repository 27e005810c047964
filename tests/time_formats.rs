//! `synack dump -t X` prints the Time column as `tshark -t X` does, through the
//! engine's formatter the window uses too (View ▸ Time Display Format).

use std::process::Command;

/// Frame 10 of tcp_clean_close.pcap with `-Y tcp` (the second packet displayed), as
/// `TZ=UTC tshark -r tcp_clean_close.pcap -Y tcp -t X` prints it.
const FRAME_10: [(&str, &str); 8] = [
    ("ad", "2026-11-24 23:56:21.345256"),
    ("a", "23:56:21.345256"),
    ("r", "1.168011"),
    ("d", "0.000016"),
    ("dd", "0.000016"),
    ("e", "1795564581.345256"),
    ("u", "23:56:21.345256"),
    ("ud", "2026-11-24 23:56:21.345256"),
];

#[test]
fn every_t_flag_prints_tsharks_time() {
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/captures/tcp_clean_close.pcap"
    );
    for (flag, want) in FRAME_10 {
        let out = Command::new(env!("CARGO_BIN_EXE_synack"))
            .args(["dump", "-r", file, "-Y", "tcp", "-t", flag])
            .env("TZ", "UTC")
            .output()
            .unwrap_or_else(|e| panic!("cannot run synack: {e}"));
        let text = String::from_utf8_lossy(&out.stdout);
        let line = text.lines().nth(1).unwrap_or_default();
        assert!(
            line.starts_with(&format!("   10 {want} "))
                || line.starts_with(&format!("   10 {want:>10} ")),
            "-t {flag}: {line}"
        );
    }
}

#[test]
fn an_unknown_t_flag_is_refused() {
    let out = Command::new(env!("CARGO_BIN_EXE_synack"))
        .args(["dump", "-r", "nothing.pcap", "-t", "x"])
        .output()
        .unwrap_or_else(|e| panic!("cannot run synack: {e}"));
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid -t format"));
}
