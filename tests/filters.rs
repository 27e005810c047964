//! End to end: `synack dump -Y FILTER` on a real capture selects the frames
//! tshark 4.0.17 selects, and rejects what tshark rejects, with its message.
//! Expected values were written from `tshark -r tests/captures/tcp_clean_close.pcap
//! -Y FILTER -T fields -e frame.number`; tshark is not needed to run this.

use std::path::PathBuf;
use std::process::{Command, Output};

fn capture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/captures/tcp_clean_close.pcap")
}

fn dump(filter: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_synack"))
        .args(["dump", "-r"])
        .arg(capture())
        .args(["-Y", filter, "-T", "fields", "-e", "frame.number"])
        .output()
        .unwrap_or_else(|e| panic!("cannot run synack: {e}"))
}

fn frames(filter: &str) -> Vec<u32> {
    let out = dump(filter);
    assert!(
        out.status.success(),
        "{filter}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .map(|n| {
            n.parse()
                .unwrap_or_else(|_| panic!("not a frame number: {n}"))
        })
        .collect()
}

const TCP: [u32; 10] = [9, 10, 11, 12, 13, 14, 15, 16, 17, 18];

#[test]
fn selects_the_frames_tshark_selects() {
    let cases: &[(&str, &[u32])] = &[
        ("tcp", &TCP),
        ("arp", &[7, 8]),
        ("tcp.flags.syn == 1 && tcp.flags.ack == 0", &[9]),
        ("tcp.flags.fin == 1", &[16, 17]),
        ("tcp.flags.syn && !tcp.flags.ack", &[]),
        ("ip.addr != 10.10.0.1", &[]),
        (
            "ip.dst not in {10.10.0.2}",
            &[1, 2, 3, 4, 5, 6, 7, 8, 10, 13, 14, 17, 19],
        ),
        ("tcp.payload contains \"GET\"", &[12]),
        ("frame[0:3] == 46:8a:89", &[9, 11, 12, 15, 16, 18]),
        ("ip.src#1 == 10.10.0.1", &[9, 11, 12, 15, 16, 18]),
        (
            "count(tcp.option_kind) == 3 && len(tcp.payload) > 0",
            &[12, 14],
        ),
        ("tcp.srcport + 1 == 10806", &[10, 13, 14, 17]),
        ("http.request.method matches \"^g\"", &[12]),
        ("ipv6.dst == ff02::/8", &[1, 2, 3, 4, 5, 6, 19]),
        (
            "frame.len in {60..70, 84}",
            &[3, 6, 11, 12, 13, 15, 16, 17, 18],
        ),
        ("eth.type == ipv4 && ip.proto == TCP", &TCP),
        (
            "frame.number==1 or frame.number==2 and frame.number==3",
            &[1],
        ),
    ];
    for (filter, want) in cases {
        assert_eq!(frames(filter), *want, "{filter}");
    }
}

#[test]
fn rejects_like_tshark() {
    // (filter, tshark's stderr without its "tshark: " prefix)
    let cases = [
        (
            "tcp.flg",
            "tcp.flg is neither a field nor a protocol name.\n    tcp.flg\n    ^~~~~~~\n",
        ),
        ("tcp.port ==", "Unexpected end of filter expression.\n"),
        (
            "tcp.port = 80",
            "\"=\" was unexpected in this context.\n    tcp.port = 80\n             ^\n",
        ),
        (
            "tcp.port == 70000",
            "\"70000\" too big for this field, maximum 65535.\n    tcp.port == 70000\n                ^~~~~\n",
        ),
        (
            "tcp.flags.syn == true",
            "\"true\" cannot be found among the possible values for tcp.flags.syn.\n    tcp.flags.syn == true\n                     ^~~~\n",
        ),
        (
            "-1 == tcp.port",
            "Constant arithmetic expression on the LHS is invalid.\n    -1 == tcp.port\n     ^\n",
        ),
    ];
    for (filter, want) in cases {
        let out = dump(filter);
        assert_eq!(out.status.code(), Some(2), "{filter}");
        assert!(out.stdout.is_empty(), "{filter}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            stderr.strip_prefix("synack: ").unwrap_or(&stderr),
            want,
            "{filter}"
        );
    }
}
