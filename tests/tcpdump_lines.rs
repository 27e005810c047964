//! `synack dump --tcpdump` against what `tcpdump -n` 4.99.3 printed for the same
//! capture (files in `tests/expected/`, written with `TZ=UTC tcpdump -n [-S] [-v] -r
//! tests/captures/tcp_clean_close.pcap tcp`), so tcpdump need not be installed.

use std::error::Error;
use std::path::Path;
use std::process::Command;

/// Runs the built binary on the capture with `flags` in UTC and compares its output
/// line by line with the expected file.
fn check(flags: &[&str], expected_file: &str) -> Result<(), Box<dyn Error>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = Command::new(env!("CARGO_BIN_EXE_synack"))
        .args(["dump", "-r"])
        .arg(root.join("tests/captures/tcp_clean_close.pcap"))
        .args(["-Y", "tcp", "--tcpdump"])
        .args(flags)
        .env("TZ", "UTC")
        .output()?;
    assert!(
        output.status.success(),
        "synack {flags:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let actual = String::from_utf8(output.stdout)?;
    let expected = std::fs::read_to_string(root.join("tests/expected").join(expected_file))?;
    for (n, (want, got)) in expected.lines().zip(actual.lines()).enumerate() {
        assert_eq!(got, want, "{flags:?}: line {} differs", n + 1);
    }
    assert_eq!(
        actual.lines().count(),
        expected.lines().count(),
        "{flags:?}: number of lines"
    );
    Ok(())
}

#[test]
fn relative_numbers() -> Result<(), Box<dyn Error>> {
    check(&[], "tcp_clean_close.tcpdump.txt")
}

#[test]
fn absolute_numbers() -> Result<(), Box<dyn Error>> {
    check(&["-S"], "tcp_clean_close.tcpdump-S.txt")
}

#[test]
fn verbose_absolute() -> Result<(), Box<dyn Error>> {
    check(&["-v", "-S"], "tcp_clean_close.tcpdump-vS.txt")
}
