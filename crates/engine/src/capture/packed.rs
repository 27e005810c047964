//! The packet index in blocks of [`BLOCK_LEN`] records, each field stored in as few
//! bytes as its block needs, so that a capture of tiny records costs about a byte a
//! packet instead of a whole [`PacketRecord`], with O(1) access to any packet.
//!
//! A block keeps, per field, a base, a stride and a width in bytes; record `j` of the
//! block holds `value - base - j * stride` in that many bytes. Every value is relative
//! to its block's base, never to the record before it, so reading one packet reads
//! one block header and one row. The stride (the smallest step between neighbours)
//! makes evenly spaced values cost nothing: the offsets of equal-sized records, the
//! timestamps of a steady clock, the streams of a SYN flood numbered one a packet.
//! Nothing escapes to a side table: a block of wild values (huge gaps, timestamps
//! going backwards, pcapng interfaces and options) simply gets wider rows, never
//! wider than a plain record's fields.

use super::chunked::ChunkedVec;
use super::index::{BlockKind, PacketRecord};

/// Records per block. Larger blocks spread the header over more records but widen
/// the offsets' rows (a block of ordinary packets spans tens of kilobytes).
pub const BLOCK_LEN: usize = 64;

/// Bytes of one page of rows; a block's rows never straddle two pages.
const PAGE_BYTES: usize = 256 * 1024;

/// The fields of a record, in row order.
const COLUMNS: usize = 6;
const OFFSET: usize = 0;
const TS: usize = 1;
const CAP: usize = 2;
/// `orig_len - cap_len` (wrapping): 0 for every packet captured whole.
const ORIG: usize = 3;
/// Interface (16 bits), block kind (2 bits) and the options flag (1 bit).
const PLACE: usize = 4;
/// `stream + 1` (wrapping), so that [`PacketRecord::NO_STREAM`] is 0.
const STREAM: usize = 5;

/// One block's bases, strides, field widths and where its rows are: 56 bytes.
#[derive(Debug, Clone, Copy, Default)]
struct Block {
    /// Page of the rows.
    page: u32,
    /// Offset of the first row in the page.
    at: u32,
    offset_base: u64,
    ts_base: i64,
    offset_stride: u32,
    ts_stride: u32,
    stream_stride: u32,
    cap_base: u32,
    orig_base: u32,
    place_base: u32,
    stream_base: u32,
    /// 4 bits per field: its width in bytes (0 to 8); bits 24..30: the row's width.
    widths: u32,
}

const _: () = assert!(std::mem::size_of::<Block>() == 56);

impl Block {
    fn width(&self, column: usize) -> usize {
        ((self.widths >> (4 * column)) & 0xf) as usize
    }

    fn row_width(&self) -> usize {
        ((self.widths >> 24) & 0x3f) as usize
    }
}

/// How one field of a block is stored.
#[derive(Debug, Clone, Copy)]
struct Fit {
    base: u64,
    stride: u64,
    width: usize,
}

/// What one pass over a block's values of a field learns: enough to fit it without
/// a second pass (a block is fitted for every 64 packets a load reads, so this runs
/// a million times on a big capture; plain `u64` arithmetic, the values being in the
/// order their fields are, see [`columns`]).
#[derive(Debug, Clone, Copy)]
struct Span {
    first: u64,
    last: u64,
    smallest: u64,
    largest: u64,
    /// The smallest step between neighbours (wrapping when one falls).
    step: u64,
    /// Some value is below the one before it.
    falls: bool,
}

impl Span {
    fn new(value: u64) -> Span {
        Span {
            first: value,
            last: value,
            smallest: value,
            largest: value,
            step: u64::MAX,
            falls: false,
        }
    }

    #[inline(always)]
    fn push(&mut self, value: u64) {
        self.falls |= value < self.last;
        self.step = self.step.min(value.wrapping_sub(self.last));
        self.smallest = self.smallest.min(value);
        self.largest = self.largest.max(value);
        self.last = value;
    }

    /// The base, stride and width that hold the values (strided when `strided` and
    /// every step is between 0 and `u32::MAX`) of a block of `len` values.
    fn fit(&self, strided: bool, len: usize) -> Fit {
        let stride = if strided && !self.falls && self.step <= u64::from(u32::MAX) {
            self.step
        } else {
            0
        };
        // Every step is at least the stride, so the residues `value - j * stride` never
        // fall: the first is the smallest and the last the largest, and they never
        // spread wider than the values do (at most 8 bytes).
        let (base, top) = if stride == 0 {
            (self.smallest, self.largest)
        } else {
            let steps = (len as u64).saturating_sub(1).wrapping_mul(stride);
            (self.first, self.last.wrapping_sub(steps))
        };
        let spread = top.saturating_sub(base);
        let width = (u64::BITS - spread.leading_zeros()).div_ceil(8) as usize;
        Fit {
            base,
            stride,
            width,
        }
    }
}

/// The sign bit of a timestamp: flipping it maps `i64` onto `u64` in the same order.
const TS_BIAS: u64 = 1 << 63;

/// The fields of `record` as the block stores them, before the bases, each an
/// unsigned number in the order of the field's values.
fn columns(record: &PacketRecord) -> [u64; COLUMNS] {
    let place = u32::from(record.iface())
        | (u32::from(record.block() as u8) << 16)
        | (u32::from(record.has_options()) << 18);
    [
        record.data_offset(),
        (record.ts_nanos as u64) ^ TS_BIAS,
        u64::from(record.cap_len),
        u64::from(record.orig_len.wrapping_sub(record.cap_len)),
        u64::from(place),
        u64::from(record.stream.wrapping_add(1)),
    ]
}

/// Field `column` of a record's [`columns`] (0 past the last).
#[inline(always)]
fn field(row: &[u64; COLUMNS], column: usize) -> u64 {
    row.get(column).copied().unwrap_or(0)
}

/// Every packet's [`PacketRecord`], compacted a block at a time; the last, unfinished
/// block is kept as plain records (so a loading capture is readable as it grows).
#[derive(Debug, Clone, Default)]
pub struct PacketIndex {
    blocks: ChunkedVec<Block>,
    pages: Vec<Vec<u8>>,
    tail: Vec<PacketRecord>,
}

impl PacketIndex {
    /// An empty index.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of packets.
    #[inline]
    pub fn len(&self) -> usize {
        self.blocks.len() * BLOCK_LEN + self.tail.len()
    }

    /// True when there are no packets.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Appends the next packet's record.
    #[inline]
    pub fn push(&mut self, record: PacketRecord) {
        if self.tail.capacity() == 0 {
            self.tail.reserve_exact(BLOCK_LEN);
        }
        self.tail.push(record);
        if self.tail.len() == BLOCK_LEN {
            self.seal();
        }
    }

    /// Appends every record of `records`, in order.
    pub fn extend(&mut self, records: impl IntoIterator<Item = PacketRecord>) {
        for record in records {
            self.push(record);
        }
    }

    /// The record of packet `i` (0-based), if there is one.
    #[inline]
    pub fn get(&self, i: usize) -> Option<PacketRecord> {
        let b = i / BLOCK_LEN;
        if b >= self.blocks.len() {
            return self.tail.get(i - self.blocks.len() * BLOCK_LEN).copied();
        }
        let block = self.blocks.get(b)?;
        self.decode(block, i % BLOCK_LEN)
    }

    /// The last record, if any.
    pub fn last(&self) -> Option<PacketRecord> {
        self.get(self.len().checked_sub(1)?)
    }

    /// Every record in order.
    pub fn iter(&self) -> impl Iterator<Item = PacketRecord> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    /// Bytes of memory the records take: block headers, rows and the unfinished
    /// block (the untouched ends of the last chunk and page cost address space only).
    pub fn used_bytes(&self) -> usize {
        self.blocks.len() * std::mem::size_of::<Block>()
            + self.pages.iter().map(Vec::len).sum::<usize>()
            + self.tail.capacity() * std::mem::size_of::<PacketRecord>()
    }

    /// Compacts the full tail into a block.
    fn seal(&mut self) {
        let len = self.tail.len().min(BLOCK_LEN);
        if len == 0 {
            return;
        }
        // Each record's fields once, read by both passes below.
        let mut values = [[0u64; COLUMNS]; BLOCK_LEN];
        for (row, record) in values.iter_mut().zip(&self.tail) {
            *row = columns(record);
        }
        let values = values.get(..len).unwrap_or_default();
        // Row order: OFFSET, TS, CAP, ORIG, PLACE, STREAM.
        let strided = [true, true, false, false, false, true];
        let mut fits = [Fit {
            base: 0,
            stride: 0,
            width: 0,
        }; COLUMNS];
        for (column, (fit, strided)) in fits.iter_mut().zip(strided).enumerate() {
            let mut span = Span::new(values.first().map_or(0, |row| field(row, column)));
            for row in values.iter().skip(1) {
                span.push(field(row, column));
            }
            *fit = span.fit(strided, len);
        }
        let row_width: usize = fits.iter().map(|f| f.width).sum();
        let mut widths = (row_width as u32) << 24;
        for (column, f) in fits.iter().enumerate() {
            widths |= (f.width as u32) << (4 * column);
        }
        let rows = row_width * BLOCK_LEN;
        // Rows of zero width (every field evenly spaced) need no page at all.
        let (mut page_no, mut at) = (0, 0);
        if rows > 0 {
            // Room for the rows and 8 bytes past them: each field is written as a
            // whole word, the next field (or row) overwriting the bytes past its width.
            if self
                .pages
                .last()
                .is_none_or(|page| page.capacity() - page.len() < rows + 8)
            {
                self.pages.push(Vec::with_capacity(PAGE_BYTES));
            }
            page_no = self.pages.len() - 1;
            let Some(page) = self.pages.last_mut() else {
                return;
            };
            at = page.len();
            // Only the fields that take bytes are written (most blocks store two or
            // three of the six).
            let mut stored = [(0usize, 0u64, 0u64, 0usize); COLUMNS];
            let mut count = 0;
            for (column, f) in fits.iter().enumerate() {
                if f.width > 0
                    && let Some(slot) = stored.get_mut(count)
                {
                    *slot = (column, f.base, f.stride, f.width);
                    count += 1;
                }
            }
            let stored = stored.get(..count).unwrap_or_default();
            page.resize(at + rows + 8, 0);
            if let Some(out) = page.get_mut(at..) {
                let mut pos = 0;
                for (j, row) in values.iter().enumerate() {
                    for &(column, base, stride, width) in stored {
                        let rest = field(row, column)
                            .wrapping_sub((j as u64).wrapping_mul(stride))
                            .wrapping_sub(base);
                        if let Some(word) = out.get_mut(pos..pos + 8) {
                            word.copy_from_slice(&rest.to_le_bytes());
                        }
                        pos += width;
                    }
                }
            }
            // A block short of BLOCK_LEN rows (never one sealed by `push`) keeps its
            // full size, as `decode` expects.
            page.truncate(at + rows);
        }
        // Every base fits its field's type: the smallest value of a block does, and
        // the first value is the base of a strided field.
        let [offset, ts, cap, orig, place, stream] = fits;
        self.blocks.push(Block {
            page: page_no as u32,
            at: at as u32,
            offset_base: offset.base,
            ts_base: (ts.base ^ TS_BIAS) as i64,
            offset_stride: offset.stride as u32,
            ts_stride: ts.stride as u32,
            stream_stride: stream.stride as u32,
            cap_base: cap.base as u32,
            orig_base: orig.base as u32,
            place_base: place.base as u32,
            stream_base: stream.base as u32,
            widths,
        });
        self.tail.clear();
    }

    /// Record `j` of `block`.
    #[inline]
    fn decode(&self, block: &Block, j: usize) -> Option<PacketRecord> {
        let row_width = block.row_width();
        // The row and whatever follows it in its page: a field is read as a whole
        // word where eight bytes remain (every row but the page's last few), so
        // reading a record copies nothing.
        let row: &[u8] = if row_width > 0 {
            let page = self.pages.get(block.page as usize)?;
            let start = (block.at as usize).checked_add(j.checked_mul(row_width)?)?;
            page.get(start..)?
        } else {
            &[]
        };
        let mut at = 0;
        let mut field = |column: usize| -> u64 {
            let width = block.width(column);
            if width == 0 {
                return 0;
            }
            let word = match crate::bytes::array::<8>(row, at) {
                Some(word) => u64::from_le_bytes(word),
                None => {
                    let mut padded = [0u8; 8];
                    let bytes = row.get(at..at + width).unwrap_or_default();
                    if let Some(head) = padded.get_mut(..bytes.len()) {
                        head.copy_from_slice(bytes);
                    }
                    u64::from_le_bytes(padded)
                }
            };
            at += width;
            match width {
                8 => word,
                w => word & ((1u64 << (8 * w)) - 1),
            }
        };
        let (offset, ts, cap, orig, place, stream) = (
            field(OFFSET),
            field(TS),
            field(CAP),
            field(ORIG),
            field(PLACE),
            field(STREAM),
        );
        let j32 = j as u32;
        let data_offset = block
            .offset_base
            .wrapping_add(u64::from(j32) * u64::from(block.offset_stride))
            .wrapping_add(offset);
        let ts_nanos = block
            .ts_base
            .wrapping_add(i64::from(j32) * i64::from(block.ts_stride))
            .wrapping_add(ts as i64);
        let cap_len = block.cap_base.wrapping_add(cap as u32);
        let orig_len = cap_len.wrapping_add(block.orig_base.wrapping_add(orig as u32));
        let place = block.place_base.wrapping_add(place as u32);
        let stream = block
            .stream_base
            .wrapping_add(j32.wrapping_mul(block.stream_stride))
            .wrapping_add(stream as u32)
            .wrapping_sub(1);
        let mut record = PacketRecord::new(
            data_offset,
            ts_nanos,
            cap_len,
            orig_len,
            (place & 0xffff) as u16,
            BlockKind::from_code((place >> 16) as u8),
            place & (1 << 18) != 0,
        );
        record.stream = stream;
        Some(record)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(offset: u64, ts: i64, cap: u32, orig: u32, stream: u32) -> PacketRecord {
        let mut r = PacketRecord::new(offset, ts, cap, orig, 0, BlockKind::PcapRecord, false);
        r.stream = stream;
        r
    }

    #[test]
    fn tiny_records_cost_about_a_byte_each() {
        // bench/make-tiny-records.py's shape: zero-length records 16 bytes apart, a
        // million stamped alike each second.
        let mut index = PacketIndex::new();
        let n = 1_000_000 + 5 * BLOCK_LEN + 3;
        for i in 0..n {
            let ts = 1_700_000_000_000_000_000 + (i / 1_000_000) as i64 * 1_000_000_000;
            index.push(record(
                40 + 16 * i as u64,
                ts,
                0,
                0,
                PacketRecord::NO_STREAM,
            ));
        }
        assert_eq!(index.len(), n);
        for i in [0, 1, 63, 64, 999_999, 1_000_000, n - 4, n - 1] {
            let ts = 1_700_000_000_000_000_000 + (i / 1_000_000) as i64 * 1_000_000_000;
            let want = record(40 + 16 * i as u64, ts, 0, 0, PacketRecord::NO_STREAM);
            assert_eq!(index.get(i), Some(want), "packet {i}");
        }
        assert_eq!(index.get(n), None);
        let per_packet = index.used_bytes() as f64 / n as f64;
        assert!(per_packet < 1.5, "{per_packet} bytes a packet");
    }

    #[test]
    fn any_values_come_back_as_they_went_in() {
        // Out-of-order and negative timestamps, huge gaps and lengths, truncated
        // packets, several interfaces and block kinds, streams and none.
        let mut index = PacketIndex::new();
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut offset = 0u64;
        let mut records = Vec::new();
        for i in 0..10 * BLOCK_LEN + 17 {
            let r = next();
            offset += match i % 3 {
                0 => 16,
                1 => r % 2000,
                _ => r % (1 << 40),
            };
            let ts = match i % 5 {
                0 => i64::MIN + (r % 1000) as i64,
                1 => i64::MAX - (r % 1000) as i64,
                _ => r as i64,
            };
            let cap = (r >> 8) as u32 % 70_000;
            let orig = if i % 4 == 0 { cap } else { (r >> 40) as u32 };
            let block = BlockKind::from_code((r >> 20) as u8 & 3);
            let mut rec = PacketRecord::new(
                offset.min(PacketRecord::MAX_OFFSET),
                ts,
                cap,
                orig,
                (r >> 24) as u16,
                block,
                r & 1 == 0,
            );
            rec.stream = match i % 4 {
                0 => PacketRecord::NO_STREAM,
                1 => u32::MAX - 1,
                _ => (r >> 33) as u32,
            };
            records.push(rec);
            index.push(rec);
        }
        assert!(index.iter().eq(records.iter().copied()));
        for (i, rec) in records.iter().enumerate() {
            assert_eq!(index.get(i), Some(*rec), "packet {i}");
        }
    }

    #[test]
    fn a_syn_floods_streams_and_a_steady_clock_cost_nothing() {
        let mut index = PacketIndex::new();
        for i in 0..4 * BLOCK_LEN {
            let n = i as u32;
            index.push(record(
                40 + 70 * u64::from(n),
                1_000 * i64::from(n),
                54,
                54,
                n,
            ));
        }
        // Rows of zero width: the index is its block headers.
        assert!(index.pages.is_empty());
        assert_eq!(
            index.get(200),
            Some(record(40 + 70 * 200, 200_000, 54, 54, 200))
        );
    }
}
