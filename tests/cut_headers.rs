//! A capture cut inside a TCP header: `synack dump -V` keeps tshark's words and adds
//! what the header needed and had, with true numbers.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::*;
use std::io::Write;

/// tcp_clean_close.pcap frame 9 (the SYN): Ethernet, 20 bytes of IPv4, then 40 of TCP.
fn syn_frame() -> Vec<u8> {
    let bytes = std::fs::read(capture("tcp_clean_close.pcap")).unwrap();
    let mut pos = 24;
    for _ in 1..9 {
        let caplen = u32::from_le_bytes(bytes[pos + 8..pos + 12].try_into().unwrap()) as usize;
        pos += 16 + caplen;
    }
    let caplen = u32::from_le_bytes(bytes[pos + 8..pos + 12].try_into().unwrap()) as usize;
    bytes[pos + 16..pos + 16 + caplen].to_vec()
}

/// A one-packet Ethernet pcap of `frame` cut to `cap_len` bytes of `orig_len`.
fn one_packet_pcap(frame: &[u8], cap_len: usize, orig_len: usize) -> tempfile::NamedTempFile {
    let mut out = Vec::new();
    out.extend_from_slice(&0xa1b2_c3d4u32.to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&4u16.to_le_bytes());
    out.extend_from_slice(&[0; 8]);
    out.extend_from_slice(&65535u32.to_le_bytes());
    out.extend_from_slice(&1u32.to_le_bytes());
    out.extend_from_slice(&[0; 8]);
    out.extend_from_slice(&(cap_len as u32).to_le_bytes());
    out.extend_from_slice(&(orig_len as u32).to_le_bytes());
    out.extend_from_slice(&frame[..cap_len]);
    let mut f = tempfile::Builder::new().suffix(".pcap").tempfile().unwrap();
    f.write_all(&out).unwrap();
    f.flush().unwrap();
    f
}

#[test]
fn snapshot_inside_the_tcp_header_states_needed_and_had() {
    // editcap -s 44: 14 + 20 + 10 bytes, the TCP header cut after 10 of its 20.
    let frame = syn_frame();
    let file = one_packet_pcap(&frame, 44, frame.len());
    let out = synack_ok(&["dump", "-r", file.path().to_str().unwrap(), "-V"]);
    assert!(
        out.contains("[Packet size limited during capture: TCP truncated]"),
        "{out}"
    );
    assert!(
        out.contains("[TCP needed 20 bytes at offset 34, had 10]"),
        "{out}"
    );
}

#[test]
fn whole_packet_too_short_for_its_tcp_header_is_malformed_with_the_numbers() {
    // The same 44 bytes, but that is all there was on the wire.
    let frame = syn_frame();
    let file = one_packet_pcap(&frame, 44, 44);
    let out = synack_ok(&["dump", "-r", file.path().to_str().unwrap(), "-V"]);
    assert!(out.contains("[Malformed Packet: TCP]"), "{out}");
    assert!(
        out.contains("[TCP needed 20 bytes at offset 34, had 10]"),
        "{out}"
    );
}
