//! Builds the seed corpora of the fuzz targets from capture files, reading them with
//! synack's own reader: whole files for the readers (cut at a packet boundary when
//! larger than 16 KiB), single frames for the dissector targets, and TCP conversations
//! re-encoded in `tcp_analysis`'s input format. `fuzz/seed.sh` runs it.
//!
//! Usage: `seed OUT_DIR CAPTURE...`; seeds go to `OUT_DIR/<target>/<hash>`.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use synack_engine::bytes;
use synack_engine::capture::{Capture, LinkType, Scanner, Step};

/// An address and port on each side: (client, client port, server, server port).
type Conversation = (Vec<u8>, u16, Vec<u8>, u16);
use synack_engine::dissect::{
    Dissection, FieldSet, PacketContext, Value, Want, dissect_packet, registry,
};
use synack_fuzz::tcp_shape::{self, Segment};

/// Reader seeds are cut to this size at a packet boundary.
const MAX_FILE_SEED: usize = 16 * 1024;
/// Frames taken from one capture for the dissector targets.
const FRAMES_PER_CAPTURE: usize = 64;
/// TCP frames taken from one capture for `tcp_analysis`.
const TCP_FRAMES_PER_CAPTURE: usize = 200;

struct Out {
    dir: PathBuf,
    written: usize,
}

impl Out {
    fn put(&mut self, target: &str, data: &[u8]) {
        let mut h = DefaultHasher::new();
        data.hash(&mut h);
        let dir = self.dir.join(target);
        if let Err(e) = std::fs::create_dir_all(&dir) {
            panic!("cannot create {}: {e}", dir.display());
        }
        let path = dir.join(format!("{:016x}", h.finish()));
        if !path.exists() {
            if let Err(e) = std::fs::write(&path, data) {
                panic!("cannot write {}: {e}", path.display());
            }
            self.written += 1;
        }
    }
}

/// The file's bytes, cut after the last packet that ends within [`MAX_FILE_SEED`].
fn file_seed(data: &[u8], path: &Path) -> Option<Vec<u8>> {
    let mut scanner = Scanner::new(data, path).ok()?;
    if data.len() <= MAX_FILE_SEED {
        return Some(data.to_vec());
    }
    let mut cut = data.len();
    while let Step::Packet(rec) = scanner.next_step(data, false) {
        if rec.data_offset() + u64::from(rec.cap_len) > MAX_FILE_SEED as u64 {
            cut = rec.block_offset() as usize;
            break;
        }
    }
    data.get(..cut).map(<[u8]>::to_vec)
}

fn link_target(link: LinkType) -> Option<&'static str> {
    match link.0 {
        1 => Some("dissect_ethernet"),
        12 | 14 | 101 | 228 | 229 => Some("dissect_raw_ip"),
        113 => Some("dissect_sll"),
        276 => Some("dissect_sll2"),
        0 | 108 => Some("dissect_null"),
        _ => None,
    }
}

/// Where the TCP header is, how long the payload is, and both addresses.
struct Located {
    tcp_at: usize,
    seglen: usize,
    src: Vec<u8>,
    dst: Vec<u8>,
}

fn locate(capture: &Capture, i: usize, want: &FieldSet) -> Option<Located> {
    let (record, frame) = capture.packet(i)?;
    let ctx = PacketContext::alone((i + 1) as u32, record, capture.interface_of(&record));
    let mut d = Dissection::new(Want::Fields(want.clone()), false, false);
    dissect_packet(&mut d, &ctx, frame);
    let field = |name: &str| registry::lookup(name);
    let tcp = d.nodes.iter().find(|n| Some(n.field) == field("tcp"))?;
    let seglen = d.first(field("tcp.len")?).and_then(Value::as_u64)?;
    let addr = |v4: &str, v6: &str| -> Option<Vec<u8>> {
        match d.first(field(v4)?).or_else(|| d.first(field(v6)?))? {
            Value::Ipv4(a) => Some(a.to_vec()),
            Value::Ipv6(a) => Some(a.to_vec()),
            _ => None,
        }
    };
    Some(Located {
        tcp_at: tcp.start as usize,
        seglen: usize::try_from(seglen).ok()?,
        src: addr("ip.src", "ipv6.src")?,
        dst: addr("ip.dst", "ipv6.dst")?,
    })
}

/// The TCP segments of `capture` (first four conversations) in `tcp_analysis` format.
fn tcp_seed(capture: &Capture) -> Option<Vec<u8>> {
    let mut want = FieldSet::new();
    for name in ["tcp", "tcp.len", "ip.src", "ip.dst", "ipv6.src", "ipv6.dst"] {
        want.insert(registry::lookup(name)?);
    }
    let mut conversations: Vec<Conversation> = Vec::new();
    let mut frames = Vec::new();
    let mut prev_ts: Option<i64> = None;
    // Both directions of a conversation map to (its number, sent by the server).
    let mut by_key: HashMap<Conversation, (u8, bool)> = HashMap::new();
    for i in 0..capture.len() {
        if frames.len() >= TCP_FRAMES_PER_CAPTURE {
            break;
        }
        let Some(at) = locate(capture, i, &want) else {
            continue;
        };
        let Some((record, frame)) = capture.packet(i) else {
            continue;
        };
        let (Some(sport), Some(dport), Some(seq), Some(ack), Some(off_flags), Some(window)) = (
            bytes::be_u16(frame, at.tcp_at),
            bytes::be_u16(frame, at.tcp_at + 2),
            bytes::be_u32(frame, at.tcp_at + 4),
            bytes::be_u32(frame, at.tcp_at + 8),
            bytes::be_u16(frame, at.tcp_at + 12),
            bytes::be_u16(frame, at.tcp_at + 14),
        ) else {
            continue;
        };
        let urgent = bytes::be_u16(frame, at.tcp_at + 18).unwrap_or(0);
        let hdr_len = usize::from(off_flags >> 12) * 4;
        let options = frame
            .get(at.tcp_at + 20..at.tcp_at + hdr_len.max(20))
            .unwrap_or(&[])
            .to_vec();
        let payload = bytes::tail(frame, at.tcp_at + hdr_len);
        let payload = payload.get(..at.seglen).unwrap_or(payload).to_vec();
        let key = (at.src.clone(), sport, at.dst.clone(), dport);
        let (conversation, from_server) = match by_key.get(&key) {
            Some(known) => *known,
            None if conversations.len() < 4 => {
                let n = conversations.len() as u8;
                conversations.push((at.src.clone(), sport, at.dst.clone(), dport));
                by_key.insert(key, (n, false));
                by_key.insert((at.dst.clone(), dport, at.src.clone(), sport), (n, true));
                (n, false)
            }
            None => continue,
        };
        let delta = prev_ts.map_or(0, |p| record.ts_nanos - p) / 1000;
        prev_ts = Some(record.ts_nanos);
        frames.push(Segment {
            from_server,
            conversation,
            backwards: delta < 0,
            seq,
            ack,
            off_flags,
            window,
            urgent,
            options,
            payload,
            ip_len_adjust: 0,
            snap: 0,
            delta_micros: u16::try_from(delta.unsigned_abs()).unwrap_or(u16::MAX),
        });
    }
    if frames.is_empty() {
        return None;
    }
    let mut out = Vec::new();
    for i in 0..4 {
        let (_, client, _, server) = conversations.get(i).cloned().unwrap_or_default();
        out.extend_from_slice(&client.to_be_bytes());
        out.extend_from_slice(&server.to_be_bytes());
    }
    for f in &frames {
        f.encode(&mut out);
    }
    Some(out)
}

fn seed_capture(out: &mut Out, path: &Path) {
    let Ok(data) = std::fs::read(path) else {
        return;
    };
    if let Some(seed) = file_seed(&data, path) {
        let target = if bytes::le_u32(&data, 0) == Some(0x0A0D_0D0A) {
            "pcapng_reader"
        } else {
            "pcap_reader"
        };
        out.put(target, &seed);
    }
    let Ok(capture) = Capture::open(path) else {
        return;
    };
    for i in 0..capture.len().min(FRAMES_PER_CAPTURE) {
        let Some((record, frame)) = capture.packet(i) else {
            continue;
        };
        let link = capture.interface_of(&record).link_type;
        if let Some(target) = link_target(link) {
            out.put(target, frame);
        }
        let mut any = synack_fuzz::link_type_bytes(link).to_vec();
        any.extend_from_slice(frame);
        out.put("dissect_any", &any);
        let mut eval = vec![i as u8];
        eval.extend_from_slice(&any);
        out.put("filter_eval", &eval);
    }
    if let Some(seed) = tcp_seed(&capture) {
        // The seed must survive the round trip through the target's decoder.
        assert!(tcp_shape::pcap_file(&seed).is_some());
        out.put("tcp_analysis", &seed);
    }
}

/// A pcapng block of `kind` (little-endian) around `body`, padded.
fn block(kind: u32, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    synack_engine::capture::writer::block(&mut out, kind, body).expect("a Vec takes every write");
    out
}

/// A pcapng option, padded.
fn option(code: u16, value: &[u8]) -> Vec<u8> {
    let mut out = code.to_le_bytes().to_vec();
    out.extend_from_slice(&(value.len() as u16).to_le_bytes());
    out.extend_from_slice(value);
    out.resize(4 + value.len().next_multiple_of(4), 0);
    out
}

/// pcapng features real captures rarely use, so the fuzzer starts from them: two
/// sections, interface options (name, description, every kind of clock, a time
/// offset, a speed), enhanced packets with options, simple and obsolete packets,
/// and a block type nobody knows.
fn synthetic_pcapng() -> Vec<u8> {
    let frame = tcp_shape::frame(
        &Segment {
            seq: 1,
            off_flags: 0x5002,
            window: 1024,
            ..Segment::default()
        },
        &[(40000, 80); 4],
        1,
    );
    let shb = {
        let mut body = 0x1A2B_3C4Du32.to_le_bytes().to_vec();
        body.extend_from_slice(&[1, 0, 0, 0]);
        body.extend_from_slice(&(-1i64).to_le_bytes());
        body.extend(option(1, b"a section comment"));
        body.extend(option(0, b""));
        block(0x0A0D_0D0A, &body)
    };
    let idb = |link: u16, opts: &[Vec<u8>]| {
        let mut body = link.to_le_bytes().to_vec();
        body.extend_from_slice(&[0, 0]);
        body.extend_from_slice(&65535u32.to_le_bytes());
        for o in opts {
            body.extend_from_slice(o);
        }
        body.extend(option(0, b""));
        block(1, &body)
    };
    let epb = |iface: u32, ticks: u64, opts: &[Vec<u8>]| {
        let mut body = iface.to_le_bytes().to_vec();
        body.extend_from_slice(&((ticks >> 32) as u32).to_le_bytes());
        body.extend_from_slice(&(ticks as u32).to_le_bytes());
        body.extend_from_slice(&(frame.len() as u32).to_le_bytes());
        body.extend_from_slice(&(frame.len() as u32 + 4).to_le_bytes());
        body.extend_from_slice(&frame);
        body.resize(20 + frame.len().next_multiple_of(4), 0);
        for o in opts {
            body.extend_from_slice(o);
        }
        block(6, &body)
    };
    let mut out = shb.clone();
    out.extend(idb(
        1,
        &[
            option(2, b"eth0"),
            option(3, b"the wire"),
            option(9, &[9]),
            option(14, &1_000i64.to_le_bytes()),
        ],
    ));
    out.extend(idb(
        1,
        &[
            option(9, &[0x80 | 20]),
            option(14, &(-1_000i64).to_le_bytes()),
        ],
    ));
    out.extend(idb(1, &[option(8, &1_000_000_000u64.to_le_bytes())]));
    out.extend(epb(
        0,
        1_700_000_000_000_000_000,
        &[option(1, b"a comment"), option(2, &[1, 0, 0, 0])],
    ));
    out.extend(epb(1, 1 << 50, &[]));
    out.extend(epb(2, 1_700_000_000_000_000, &[]));
    let mut spb = (frame.len() as u32).to_le_bytes().to_vec();
    spb.extend_from_slice(&frame);
    out.extend(block(3, &spb));
    out.extend(block(0x0BAD, b"custom"));
    out.extend(shb);
    out.extend(idb(101, &[]));
    let mut opb = 0u16.to_le_bytes().to_vec();
    opb.extend_from_slice(&0u16.to_le_bytes());
    opb.extend_from_slice(&[0; 8]);
    opb.extend_from_slice(&((frame.len() - 14) as u32).to_le_bytes());
    opb.extend_from_slice(&((frame.len() - 14) as u32).to_le_bytes());
    opb.extend_from_slice(frame.get(14..).unwrap_or(&[]));
    out.extend(block(2, &opb));
    out
}

fn main() {
    let mut args = std::env::args_os().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: seed OUT_DIR CAPTURE...");
        std::process::exit(2);
    };
    let mut out = Out {
        dir: PathBuf::from(dir),
        written: 0,
    };
    let mut captures = 0;
    for path in args {
        seed_capture(&mut out, Path::new(&path));
        captures += 1;
    }
    let synthetic = synthetic_pcapng();
    out.put("pcapng_reader", &synthetic);
    out.put("gzip_reader", &synthetic);
    eprintln!("seed: {} new seeds from {captures} captures", out.written);
}
