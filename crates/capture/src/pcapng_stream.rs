//! A pcapng file written as packets arrive: the helper's only output format. It is
//! kept apart from the engine's exporter so that the privileged helper links no
//! dissection: the few block-layout lines it needs are written here.

use std::io::Write;

/// pcapng block types and option codes this writer uses (pcapng spec, section 4).
const SHB: u32 = 0x0A0D_0D0A;
const IDB: u32 = 1;
const EPB: u32 = 6;
const BYTE_ORDER_MAGIC: u32 = 0x1A2B_3C4D;
const OPT_ENDOFOPT: u16 = 0;
const SHB_USERAPPL: u16 = 4;
const IF_NAME: u16 = 2;
/// pcapng Interface Statistics Block type.
const ISB: u32 = 5;
/// IDB option: the capture filter (first byte 0: libpcap filter string).
const IF_FILTER: u16 = 11;
/// ISB options: counters of packets received, dropped by the interface and by the OS.
const ISB_IFRECV: u16 = 4;
const ISB_IFDROP: u16 = 5;
const ISB_OSDROP: u16 = 7;

/// Appends one option (code, length, value padded to 32 bits), little-endian.
fn option(out: &mut Vec<u8>, code: u16, value: &[u8]) {
    let len = value.len().min(usize::from(u16::MAX));
    out.extend_from_slice(&code.to_le_bytes());
    out.extend_from_slice(&u16::try_from(len).unwrap_or(u16::MAX).to_le_bytes());
    out.extend_from_slice(value.get(..len).unwrap_or(&[]));
    out.resize(out.len() + (len.next_multiple_of(4) - len), 0);
}

/// Appends one block around `body`, with both total-length words.
fn block(out: &mut Vec<u8>, kind: u32, body: &[u8]) {
    let total = u32::try_from(12 + body.len().next_multiple_of(4)).unwrap_or(u32::MAX);
    out.extend_from_slice(&kind.to_le_bytes());
    out.extend_from_slice(&total.to_le_bytes());
    out.extend_from_slice(body);
    out.resize(out.len() + (body.len().next_multiple_of(4) - body.len()), 0);
    out.extend_from_slice(&total.to_le_bytes());
}

/// The writing application named in the section header.
fn user_application() -> String {
    format!("synack {}", env!("CARGO_PKG_VERSION"))
}

/// One interface of a live capture, as its pcapng file describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveInterface {
    /// Device name (`if_name`).
    pub name: String,
    /// Link type of the device.
    pub link_type: u16,
    /// Snapshot length in force.
    pub snaplen: u32,
    /// The capture filter, if one was applied (`if_filter`).
    pub filter: String,
}

/// What reached the file: the bytes and packets of the blocks written whole.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Committed {
    /// Length of the file up to the end of its last whole block.
    pub bytes: u64,
    /// Packets in those blocks.
    pub packets: u64,
}

/// A pcapng file written as packets arrive (live capture): the section header and one
/// interface description per device first, then one Enhanced Packet Block per packet,
/// microsecond timestamps. Blocks are gathered in memory and written by
/// [`PcapNgStream::flush`], which makes them visible to a reader following the file;
/// when a write fails (the disk is full), [`PcapNgStream::committed`] says where the
/// last whole block ends, so the file can be cut there and stay readable.
#[derive(Debug)]
pub struct PcapNgStream<W: Write> {
    out: W,
    pending: Vec<u8>,
    /// Where each pending block ends in `pending`, and whether it holds a packet.
    ends: Vec<(usize, bool)>,
    committed: Committed,
}

impl<W: Write> PcapNgStream<W> {
    /// Starts a file on `out`: the section header and the interface descriptions, in
    /// the order of their interface ids.
    pub fn new(out: W, ifaces: &[LiveInterface]) -> Self {
        let mut stream = PcapNgStream {
            out,
            pending: Vec::with_capacity(256 * 1024),
            ends: Vec::new(),
            committed: Committed::default(),
        };
        let mut shb = Vec::new();
        shb.extend_from_slice(&BYTE_ORDER_MAGIC.to_le_bytes());
        shb.extend_from_slice(&1u16.to_le_bytes());
        shb.extend_from_slice(&0u16.to_le_bytes());
        shb.extend_from_slice(&(-1i64).to_le_bytes());
        option(&mut shb, SHB_USERAPPL, user_application().as_bytes());
        option(&mut shb, OPT_ENDOFOPT, &[]);
        stream.push(SHB, &shb, false);
        for iface in ifaces {
            let mut idb = Vec::new();
            idb.extend_from_slice(&iface.link_type.to_le_bytes());
            idb.extend_from_slice(&0u16.to_le_bytes());
            idb.extend_from_slice(&iface.snaplen.to_le_bytes());
            option(&mut idb, IF_NAME, iface.name.as_bytes());
            if !iface.filter.is_empty() {
                let mut value = vec![0u8];
                value.extend_from_slice(iface.filter.as_bytes());
                option(&mut idb, IF_FILTER, &value);
            }
            option(&mut idb, OPT_ENDOFOPT, &[]);
            stream.push(IDB, &idb, false);
        }
        stream
    }

    fn push(&mut self, kind: u32, body: &[u8], is_packet: bool) {
        block(&mut self.pending, kind, body);
        self.ends.push((self.pending.len(), is_packet));
    }

    /// Appends one packet seen on interface `iface` (timestamp in microseconds since
    /// the epoch).
    pub fn packet(&mut self, iface: u32, ts_micros: u64, orig_len: u32, data: &[u8]) {
        let cap_len = u32::try_from(data.len()).unwrap_or(u32::MAX);
        let body_len = 20usize.saturating_add(data.len().next_multiple_of(4));
        let total = u32::try_from(body_len.saturating_add(12)).unwrap_or(u32::MAX);
        self.pending.extend_from_slice(&EPB.to_le_bytes());
        self.pending.extend_from_slice(&total.to_le_bytes());
        self.pending.extend_from_slice(&iface.to_le_bytes());
        self.pending
            .extend_from_slice(&((ts_micros >> 32) as u32).to_le_bytes());
        self.pending
            .extend_from_slice(&(ts_micros as u32).to_le_bytes());
        self.pending.extend_from_slice(&cap_len.to_le_bytes());
        self.pending.extend_from_slice(&orig_len.to_le_bytes());
        self.pending.extend_from_slice(data);
        self.pending
            .resize(self.pending.len().next_multiple_of(4), 0);
        self.pending.extend_from_slice(&total.to_le_bytes());
        self.ends.push((self.pending.len(), true));
    }

    /// Appends interface `iface`'s statistics (an Interface Statistics Block), as
    /// dumpcap does when a capture ends.
    pub fn statistics(
        &mut self,
        iface: u32,
        ts_micros: u64,
        received: u64,
        os_dropped: u64,
        if_dropped: u64,
    ) {
        let mut isb = Vec::new();
        isb.extend_from_slice(&iface.to_le_bytes());
        isb.extend_from_slice(&((ts_micros >> 32) as u32).to_le_bytes());
        isb.extend_from_slice(&(ts_micros as u32).to_le_bytes());
        option(&mut isb, ISB_IFRECV, &received.to_le_bytes());
        option(&mut isb, ISB_IFDROP, &if_dropped.to_le_bytes());
        option(&mut isb, ISB_OSDROP, &os_dropped.to_le_bytes());
        option(&mut isb, OPT_ENDOFOPT, &[]);
        self.push(ISB, &isb, false);
    }

    /// Bytes the file holds once what is pending is written.
    pub fn len(&self) -> u64 {
        self.committed
            .bytes
            .saturating_add(u64::try_from(self.pending.len()).unwrap_or(u64::MAX))
    }

    /// Whether nothing at all was written or is pending.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes gathered and not yet written.
    pub fn pending_len(&self) -> usize {
        self.pending.len()
    }

    /// What reached the output whole.
    pub fn committed(&self) -> Committed {
        self.committed
    }

    /// Writes what is pending. On an error, the blocks written whole count as
    /// committed and the rest is dropped: the caller stops and may cut the file at
    /// [`Committed::bytes`].
    pub fn flush(&mut self) -> std::io::Result<()> {
        let mut done = 0;
        let mut failure = None;
        while done < self.pending.len() {
            match self.out.write(self.pending.get(done..).unwrap_or(&[])) {
                Ok(0) => {
                    failure = Some(std::io::Error::from(std::io::ErrorKind::WriteZero));
                    break;
                }
                Ok(n) => done += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    failure = Some(e);
                    break;
                }
            }
        }
        let mut start = 0;
        for &(end, is_packet) in &self.ends {
            if end > done {
                break;
            }
            self.committed.bytes = self
                .committed
                .bytes
                .saturating_add(u64::try_from(end - start).unwrap_or(u64::MAX));
            self.committed.packets += u64::from(is_packet);
            start = end;
        }
        self.pending.clear();
        self.ends.clear();
        match failure {
            Some(e) => Err(e),
            None => self.out.flush(),
        }
    }

    /// The output, for a caller that must cut it after a failed write.
    pub fn get_mut(&mut self) -> &mut W {
        &mut self.out
    }
}
