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

/// Writes one block around `body`, with both total-length words.
fn block(out: &mut dyn Write, kind: u32, body: &[u8]) -> std::io::Result<()> {
    let total = u32::try_from(12 + body.len().next_multiple_of(4)).unwrap_or(u32::MAX);
    out.write_all(&kind.to_le_bytes())?;
    out.write_all(&total.to_le_bytes())?;
    out.write_all(body)?;
    let pad = body.len().next_multiple_of(4) - body.len();
    out.write_all([0u8; 3].get(..pad.min(3)).unwrap_or(&[]))?;
    out.write_all(&total.to_le_bytes())
}

/// The writing application named in the section header.
fn user_application() -> String {
    format!("synack {}", env!("CARGO_PKG_VERSION"))
}

/// The one interface of a live capture, as its pcapng file describes it.
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

/// A pcapng file written as packets arrive (live capture): the section header and the
/// interface first, then one Enhanced Packet Block per packet, microsecond timestamps.
/// Blocks are written whole, and [`PcapNgStream::flush`] makes them visible to a
/// reader following the file, which then sees complete blocks or waits.
#[derive(Debug)]
pub struct PcapNgStream<W: Write> {
    out: W,
    block: Vec<u8>,
}

impl<W: Write> PcapNgStream<W> {
    /// Writes the section header and the interface description to `out`.
    pub fn new(mut out: W, iface: &LiveInterface) -> std::io::Result<Self> {
        let mut shb = Vec::new();
        shb.extend_from_slice(&BYTE_ORDER_MAGIC.to_le_bytes());
        shb.extend_from_slice(&1u16.to_le_bytes());
        shb.extend_from_slice(&0u16.to_le_bytes());
        shb.extend_from_slice(&(-1i64).to_le_bytes());
        option(&mut shb, SHB_USERAPPL, user_application().as_bytes());
        option(&mut shb, OPT_ENDOFOPT, &[]);
        block(&mut out, SHB, &shb)?;
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
        block(&mut out, IDB, &idb)?;
        Ok(PcapNgStream {
            out,
            block: Vec::new(),
        })
    }

    /// Appends one packet (timestamp in microseconds since the epoch). The block is
    /// assembled first so that it reaches the writer in one piece.
    pub fn packet(&mut self, ts_micros: u64, orig_len: u32, data: &[u8]) -> std::io::Result<()> {
        let cap_len = u32::try_from(data.len()).unwrap_or(u32::MAX);
        let body_len = 20usize.saturating_add(data.len().next_multiple_of(4));
        let total = u32::try_from(body_len.saturating_add(12)).unwrap_or(u32::MAX);
        self.block.clear();
        self.block.extend_from_slice(&EPB.to_le_bytes());
        self.block.extend_from_slice(&total.to_le_bytes());
        self.block.extend_from_slice(&0u32.to_le_bytes());
        self.block
            .extend_from_slice(&((ts_micros >> 32) as u32).to_le_bytes());
        self.block
            .extend_from_slice(&(ts_micros as u32).to_le_bytes());
        self.block.extend_from_slice(&cap_len.to_le_bytes());
        self.block.extend_from_slice(&orig_len.to_le_bytes());
        self.block.extend_from_slice(data);
        self.block.resize(self.block.len().next_multiple_of(4), 0);
        self.block.extend_from_slice(&total.to_le_bytes());
        self.out.write_all(&self.block)
    }

    /// Appends the capture's statistics (an Interface Statistics Block), as dumpcap
    /// does when a capture ends.
    pub fn statistics(
        &mut self,
        ts_micros: u64,
        received: u64,
        os_dropped: u64,
        if_dropped: u64,
    ) -> std::io::Result<()> {
        let mut isb = Vec::new();
        isb.extend_from_slice(&0u32.to_le_bytes());
        isb.extend_from_slice(&((ts_micros >> 32) as u32).to_le_bytes());
        isb.extend_from_slice(&(ts_micros as u32).to_le_bytes());
        option(&mut isb, ISB_IFRECV, &received.to_le_bytes());
        option(&mut isb, ISB_IFDROP, &if_dropped.to_le_bytes());
        option(&mut isb, ISB_OSDROP, &os_dropped.to_le_bytes());
        option(&mut isb, OPT_ENDOFOPT, &[]);
        block(&mut self.out, ISB, &isb)
    }

    /// Pushes what was written to the file.
    pub fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}
