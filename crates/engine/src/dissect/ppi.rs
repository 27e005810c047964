//! PPI, CACE's Per-Packet Information header (link type 192): the header, its fields
//! (802.11-Common, 802.11n MAC and MAC+PHY, the aggregation and 802.3 extensions,
//! and the ones tshark shows as bytes), then the frame by the header's link type:
//! what the fields say about the radio goes to `wlan_radio` before the 802.11 frame.

use super::context::PacketContext;
use super::field::Base;
use super::field::kinds::*;
use super::radiotap::Radio;
use super::tree::Dissection;
use super::value::Value;
use crate::bytes;
use crate::wire::{PpiField, PpiView};

#[rustfmt::skip]
const FIELD_TYPES: &[(u64, &str)] = &[
    (2, "802.11-Common"), (3, "802.11n MAC Extensions"), (4, "802.11n MAC+PHY Extensions"),
    (5, "Spectrum-Map"), (6, "Process-Info"), (7, "Capture-Info"),
    (8, "Aggregation Extension"), (9, "802.3 Extension"),
    (30000, "Intel Corporation (private)"), (30001, "Mohamed Thaga (private)"),
    (30002, "GPS Tagging (private)"), (30003, "Vector Tagging (private)"),
    (30004, "Sensor tagging (private)"), (30005, "Antenna Tagging (private)"),
    (0xCACE, "CACE Technologies (private)"), (0xC017, "FlukeNetworks (private)"),
];

crate::define_fields! { after super::loopback::END;
    PPI = "ppi", "PPI Packet Header", PROTO;
    VERSION = "ppi.version", "Version", dec(8);
    FLAGS = "ppi.flags", "Flags", hex(8);
    FLAGS_ALIGNMENT = "ppi.flags.alignment", "Alignment", flag(8, 0x01);
    FLAGS_RESERVED = "ppi.flags.reserved", "Reserved", uint(8, Base::Hex, 0xfe, None);
    LENGTH = "ppi.length", "Header length", dec(16);
    DLT = "ppi.dlt", "DLT", dec(32);
    FIELD_TYPE = "ppi.field_type", "Field type", dec_named(16, FIELD_TYPES);
    FIELD_LEN = "ppi.field_len", "Field length", dec(16);
    TSFT = "ppi.80211-common.tsft", "TSFT", dec(64);
    COMMON_FLAGS = "ppi.80211-common.flags", "Flags", hex(16);
    COMMON_FLAGS_FCS = "ppi.80211-common.flags.fcs", "FCS present flag", flag(16, 0x0001);
    COMMON_FLAGS_TSFT = "ppi.80211-common.flags.tsft", "TSFT flag", flag(16, 0x0002);
    COMMON_FLAGS_FCS_INVALID = "ppi.80211-common.flags.fcs-invalid", "FCS validity", flag(16, 0x0004);
    COMMON_FLAGS_PHY_ERR = "ppi.80211-common.flags.phy-err", "PHY error flag", flag(16, 0x0008);
    RATE = "ppi.80211-common.rate", "Data rate", dec(16);
    CHAN_FREQ = "ppi.80211-common.chan.freq", "Channel frequency", dec(16);
    CHAN_FLAGS = "ppi.80211-common.chan.flags", "Channel flags", hex(16);
    CHAN_TURBO = "ppi.80211-common.chan.flags.turbo", "Turbo", flag(16, 0x0010);
    CHAN_CCK = "ppi.80211-common.chan.flags.cck", "Complementary Code Keying (CCK)", flag(16, 0x0020);
    CHAN_OFDM = "ppi.80211-common.chan.flags.ofdm", "Orthogonal Frequency-Division Multiplexing (OFDM)", flag(16, 0x0040);
    CHAN_2GHZ = "ppi.80211-common.chan.flags.2ghz", "2 GHz spectrum", flag(16, 0x0080);
    CHAN_5GHZ = "ppi.80211-common.chan.flags.5ghz", "5 GHz spectrum", flag(16, 0x0100);
    CHAN_PASSIVE = "ppi.80211-common.chan.flags.passive", "Passive", flag(16, 0x0200);
    CHAN_DYNAMIC = "ppi.80211-common.chan.flags.dynamic", "Dynamic CCK-OFDM", flag(16, 0x0400);
    CHAN_GFSK = "ppi.80211-common.chan.flags.gfsk", "Gaussian Frequency Shift Keying (GFSK)", flag(16, 0x0800);
    FHSS_HOPSET = "ppi.80211-common.fhss.hopset", "FHSS hopset", hex(8);
    FHSS_PATTERN = "ppi.80211-common.fhss.pattern", "FHSS pattern", hex(8);
    DBM_ANTSIGNAL = "ppi.80211-common.dbm.antsignal", "dBm antenna signal", int(8);
    DBM_ANTNOISE = "ppi.80211-common.dbm.antnoise", "dBm antenna noise", int(8);
    MAC_FLAGS = "ppi.80211n-mac.flags", "MAC flags", hex(32);
    MAC_GREENFIELD = "ppi.80211n-mac.flags.greenfield", "Greenfield flag", flag(32, 0x01);
    MAC_HT40 = "ppi.80211n-mac.flags.ht20_40", "HT20/HT40 flag", flag(32, 0x02);
    MAC_SGI = "ppi.80211n-mac.flags.rx.short_guard_interval", "RX Short Guard Interval (SGI) flag", flag(32, 0x04);
    MAC_DUPLICATE = "ppi.80211n-mac.flags.rx.duplicate", "Duplicate RX flag", flag(32, 0x08);
    MAC_AGGREGATE = "ppi.80211n-mac.flags.agg", "Aggregate flag", flag(32, 0x10);
    MAC_MORE_AGGREGATES = "ppi.80211n-mac.flags.more_agg", "More aggregates flag", flag(32, 0x20);
    MAC_DELIM_CRC = "ppi.80211n-mac.flags.delim_crc_error_after", "A-MPDU Delimiter CRC error after this frame flag", flag(32, 0x40);
    AMPDU_ID = "ppi.80211n-mac.ampdu_id", "AMPDU-ID", hex(32);
    NUM_DELIMITERS = "ppi.80211n-mac.num_delimiters", "Num-Delimiters", dec(8);
    MAC_RESERVED = "ppi.80211n-mac.reserved", "Reserved", hex(24);
    MCS = "ppi.80211n-mac-phy.mcs", "MCS", dec(8);
    NUM_STREAMS = "ppi.80211n-mac-phy.num_streams", "Number of spatial streams", dec(8);
    RSSI_COMBINED = "ppi.80211n-mac-phy.rssi.combined", "RSSI combined", dec(8);
    RSSI_ANT0_CTL = "ppi.80211n-mac-phy.rssi.ant0ctl", "Antenna 0 control RSSI", dec(8);
    RSSI_ANT1_CTL = "ppi.80211n-mac-phy.rssi.ant1ctl", "Antenna 1 control RSSI", dec(8);
    RSSI_ANT2_CTL = "ppi.80211n-mac-phy.rssi.ant2ctl", "Antenna 2 control RSSI", dec(8);
    RSSI_ANT3_CTL = "ppi.80211n-mac-phy.rssi.ant3ctl", "Antenna 3 control RSSI", dec(8);
    RSSI_ANT0_EXT = "ppi.80211n-mac-phy.rssi.ant0ext", "Antenna 0 extension RSSI", dec(8);
    RSSI_ANT1_EXT = "ppi.80211n-mac-phy.rssi.ant1ext", "Antenna 1 extension RSSI", dec(8);
    RSSI_ANT2_EXT = "ppi.80211n-mac-phy.rssi.ant2ext", "Antenna 2 extension RSSI", dec(8);
    RSSI_ANT3_EXT = "ppi.80211n-mac-phy.rssi.ant3ext", "Antenna 3 extension RSSI", dec(8);
    EXT_CHAN_FREQ = "ppi.80211-mac-phy.ext-chan.freq", "Extended channel frequency", dec(16);
    EXT_CHAN_FLAGS = "ppi.80211-mac-phy.ext-chan.flags", "Channel flags", hex(16);
    EXT_CHAN_TURBO = "ppi.80211-mac-phy.ext-chan.flags.turbo", "Turbo", flag(16, 0x0010);
    EXT_CHAN_CCK = "ppi.80211-mac-phy.ext-chan.flags.cck", "Complementary Code Keying (CCK)", flag(16, 0x0020);
    EXT_CHAN_OFDM = "ppi.80211-mac-phy.ext-chan.flags.ofdm", "Orthogonal Frequency-Division Multiplexing (OFDM)", flag(16, 0x0040);
    EXT_CHAN_2GHZ = "ppi.80211-mac-phy.ext-chan.flags.2ghz", "2 GHz spectrum", flag(16, 0x0080);
    EXT_CHAN_5GHZ = "ppi.80211-mac-phy.ext-chan.flags.5ghz", "5 GHz spectrum", flag(16, 0x0100);
    EXT_CHAN_PASSIVE = "ppi.80211-mac-phy.ext-chan.flags.passive", "Passive", flag(16, 0x0200);
    EXT_CHAN_DYNAMIC = "ppi.80211-mac-phy.ext-chan.flags.dynamic", "Dynamic CCK-OFDM", flag(16, 0x0400);
    EXT_CHAN_GFSK = "ppi.80211-mac-phy.ext-chan.flags.gfsk", "Gaussian Frequency Shift Keying (GFSK)", flag(16, 0x0800);
    DBM_ANT0_SIGNAL = "ppi.80211n-mac-phy.dbmant0.signal", "dBm antenna 0 signal", int(8);
    DBM_ANT0_NOISE = "ppi.80211n-mac-phy.dbmant0.noise", "dBm antenna 0 noise", int(8);
    DBM_ANT1_SIGNAL = "ppi.80211n-mac-phy.dbmant1.signal", "dBm antenna 1 signal", int(8);
    DBM_ANT1_NOISE = "ppi.80211n-mac-phy.dbmant1.noise", "dBm antenna 1 noise", int(8);
    DBM_ANT2_SIGNAL = "ppi.80211n-mac-phy.dbmant2.signal", "dBm antenna 2 signal", int(8);
    DBM_ANT2_NOISE = "ppi.80211n-mac-phy.dbmant2.noise", "dBm antenna 2 noise", int(8);
    DBM_ANT3_SIGNAL = "ppi.80211n-mac-phy.dbmant3.signal", "dBm antenna 3 signal", int(8);
    DBM_ANT3_NOISE = "ppi.80211n-mac-phy.dbmant3.noise", "dBm antenna 3 noise", int(8);
    EVM0 = "ppi.80211n-mac-phy.evm0", "EVM-0", dec(32);
    EVM1 = "ppi.80211n-mac-phy.evm1", "EVM-1", dec(32);
    EVM2 = "ppi.80211n-mac-phy.evm2", "EVM-2", dec(32);
    EVM3 = "ppi.80211n-mac-phy.evm3", "EVM-3", dec(32);
    SPECTRUM_MAP = "ppi.spectrum-map", "Radio spectrum map", BYTES;
    PROC_INFO = "ppi.proc-info", "Process information", BYTES;
    CAP_INFO = "ppi.cap-info", "Capture information", BYTES;
    AGG_INTERFACE_ID = "ppi.aggregation_extension.interface_id", "Interface ID", dec(32);
    E8023_FLAGS = "ppi.8023_extension.flags", "Flags", hex(32);
    E8023_FLAGS_FCS = "ppi.8023_extension.flags.fcs_present", "FCS Present Flag", flag(32, 0x01);
    E8023_ERRORS = "ppi.8023_extension.errors", "Errors", hex(32);
    E8023_ERRORS_FCS = "ppi.8023_extension.errors.fcs", "FCS Error", flag(32, 0x01);
    E8023_ERRORS_SEQUENCE = "ppi.8023_extension.errors.sequence", "Sequence Error", flag(32, 0x02);
    E8023_ERRORS_SYMBOL = "ppi.8023_extension.errors.symbol", "Symbol Error", flag(32, 0x04);
    E8023_ERRORS_DATA = "ppi.8023_extension.errors.data", "Data Error", flag(32, 0x08);
    GPS = "ppi.gps", "GPS", BYTES;
    VECTOR = "ppi.vector", "VECTOR", BYTES;
    HARRIS = "ppi.harris", "HARRIS", BYTES;
    ANTENNA = "ppi.antenna", "ANTENNA", BYTES;
    FNET = "ppi.fnet", "FNET", BYTES;
    RESERVED = "ppi.reserved", "Reserved", BYTES;
    USER_DLT = "user_dlt", "DLT User", PROTO;
}

/// Data lengths tshark requires of the fields it decodes (the 4-byte field header
/// not counted).
const COMMON_LEN: usize = 20;
const MAC_LEN: usize = 12;
const MAC_PHY_LEN: usize = 48;
const AGGREGATION_LEN: usize = 4;
const E8023_LEN: usize = 8;

/// The link type of an 802.11 frame without a radio header.
const DLT_IEEE802_11: u32 = 105;

/// What the 802.11n fields said, gathered for `wlan_radio`.
#[derive(Debug, Default, Clone, Copy)]
struct Ht {
    /// The MAC flags (greenfield, HT40, short GI, ...).
    flags: u32,
    /// The MCS index (MAC+PHY, unless 255).
    mcs: Option<u8>,
    /// The spatial stream count (MAC+PHY), which tshark takes for `ness`.
    streams: Option<u8>,
}

/// What the fields gathered: the radio information and whether the frame has an FCS.
#[derive(Debug, Default)]
struct Gathered {
    radio: Radio,
    /// tshark's "FCS length": unknown (no 802.11-Common field) means none.
    fcs: bool,
    /// The PHY the channel flags name (`None`: none of tshark's combinations).
    channel_phy: Option<u64>,
    ht: Option<Ht>,
}

/// Dissects a PPI header and the frame after it.
pub fn dissect<'a>(d: &mut Dissection<'a>, ctx: &PacketContext<'_>, data: &'a [u8]) {
    d.set_protocol("PPI");
    let Some(p) = super::view_or_cut(d, ctx, PpiView::new(data), 0) else {
        return;
    };
    let (version, flags, length, dlt) = (p.version(), p.flags(), p.length(), p.dlt());
    d.set_info(|| format!("PPI version {version}, {length} bytes"));
    let span = usize::from(length).min(data.len());
    let item = d.add_labeled(PPI, 0, span, Value::None, || {
        format!("PPI version {version}, {length} bytes")
    });
    d.push_layer("ppi");
    let keep = d.keeps_fields_of(PPI);
    if keep {
        d.begin(item);
        d.add(VERSION, 0, 1, Value::UInt(u64::from(version)));
        let f = d.add(FLAGS, 1, 1, Value::UInt(u64::from(flags)));
        d.begin(f);
        let aligned = flags & crate::wire::PPI_ALIGNED != 0;
        d.add_labeled(FLAGS_ALIGNMENT, 1, 1, Value::Bool(aligned), || {
            let text = if aligned {
                "32-bit aligned"
            } else {
                "Not aligned"
            };
            format!("{} = Alignment: {text}", chart(8, 0x01, aligned))
        });
        d.add(FLAGS_RESERVED, 1, 1, Value::UInt(u64::from(flags >> 1)));
        d.end();
        d.add(LENGTH, 2, 2, Value::UInt(u64::from(length)));
        d.add(DLT, 4, 4, Value::UInt(u64::from(dlt)));
    }
    let gathered = fields(d, ctx, data, flags, length, keep);
    if keep {
        d.end();
    }
    let Some((at, mut g)) = gathered else {
        return;
    };
    if dlt == DLT_IEEE802_11 {
        g.radio.phy = Some(phy(&g));
        radio_ht(&mut g);
        // tshark times the frame behind a PPI header 4 bytes longer than it is (an
        // FCS counted whether or not the frame carries one).
        let airtime_len = data.len().saturating_sub(at) + 4;
        super::wlan_radio::dissect(d, &g.radio, airtime_len);
        super::ieee80211::dissect(d, ctx, data, at, g.fcs);
    } else {
        link(d, ctx, data, at, dlt);
    }
}

/// The fields after the fixed part, as tshark walks them: it counts the declared
/// length down by each field's length (not its padding) and reads a field wherever
/// the count is still positive, even past the declared end. Returns where the frame
/// starts and what the fields said; `None` when a field ran past the captured bytes
/// (the packet is then cut short or malformed).
fn fields<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    data: &'a [u8],
    flags: u8,
    length: u16,
    keep: bool,
) -> Option<(usize, Gathered)> {
    let mut g = Gathered::default();
    let mut left = i64::from(length) - 8;
    let mut at = 8usize;
    while left > 0 {
        let Some(f) = PpiView::field_at(data, at) else {
            super::truncated(d, ctx, data, at, "PPI");
            return None;
        };
        let span = f.span();
        left -= i64::try_from(span).unwrap_or(i64::MAX);
        // Every field is an item over its header and data: one past the captured
        // bytes ends the dissection there.
        if data.len() < at + span {
            super::truncated(d, ctx, data, at, "PPI");
            return None;
        }
        match f.kind {
            2 => common(d, data, &f, keep, &mut g),
            3 => ht_mac(d, data, &f, keep, &mut g),
            4 => ht_mac_phy(d, data, &f, keep, &mut g),
            8 => aggregation(d, data, &f, keep),
            9 => ext_8023(d, data, &f, keep),
            kind => {
                let field = match kind {
                    5 => SPECTRUM_MAP,
                    6 => PROC_INFO,
                    7 => CAP_INFO,
                    30002 => GPS,
                    30003 => VECTOR,
                    30004 => HARRIS,
                    30005 => ANTENNA,
                    0xC017 => FNET,
                    _ => RESERVED,
                };
                let raw = bytes::slice(data, at, span).unwrap_or(&[]);
                d.add(field, at, span, Value::Bytes(raw.into()));
            }
        }
        at += span;
        if flags & crate::wire::PPI_ALIGNED != 0 {
            at = at.next_multiple_of(4);
        }
    }
    Some((at, g))
}

/// Where the frame after a PPI header starts, as [`fields`] walks the header, and the
/// link type the header names; `None` when the walk runs out of captured bytes. For
/// the parallel load's routing, which looks no further than the addresses.
pub fn frame_start(data: &[u8]) -> Option<(usize, u32)> {
    let p = PpiView::new(data).ok()?;
    let mut left = i64::from(p.length()) - 8;
    let mut at = 8usize;
    while left > 0 {
        let span = PpiView::field_at(data, at)?.span();
        left -= i64::try_from(span).ok()?;
        at = at.checked_add(span).filter(|&end| end <= data.len())?;
        if p.flags() & crate::wire::PPI_ALIGNED != 0 {
            at = at.next_multiple_of(4);
        }
    }
    Some((at, p.dlt()))
}

/// A field's subtree item and its header's two items (the subtree left open when
/// kept); where the field's data starts, or `None` (after tshark's "Invalid length"
/// error, the subtree closed) when its data is not `expected` bytes long.
fn field_header(
    d: &mut Dissection<'_>,
    f: &PpiField,
    title: &'static str,
    expected: usize,
    keep: bool,
) -> Option<usize> {
    let at = f.offset;
    if keep {
        let node = d.text(at, f.span(), || title.to_string());
        d.begin(node);
        d.add(FIELD_TYPE, at, 2, Value::UInt(u64::from(f.kind)));
        d.add(FIELD_LEN, at + 2, 2, Value::UInt(u64::from(f.len)));
    }
    let len = usize::from(f.len);
    if len != expected {
        super::expert_malformed(d, at + 4, len, "PPI", format!("Invalid length: {len}"));
        if keep {
            d.end();
        }
        return None;
    }
    Some(at + 4)
}

/// The PHY tshark's channel-flag combinations name (turbo and static turbo counted).
fn channel_phy(flags: u16) -> (Option<u64>, Option<u64>, Option<u64>) {
    // (PHY, 802.11a turbo type, 802.11g mode)
    match flags & 0x2df0 {
        0x0880 => (Some(1), None, None),
        0x0080 => (Some(3), None, None),
        0x0140 => (Some(5), Some(0), None),
        0x00a0 => (Some(4), None, None),
        0x00c0 | 0x0480 => (Some(6), None, Some(0)),
        0x0150 => (Some(5), Some(2), None),
        0x00d0 => (Some(6), None, Some(1)),
        _ => (None, None, None),
    }
}

/// A value's text with tshark's " [invalid]" when it is the field's "unknown" value.
fn invalid_mark(invalid: bool) -> &'static str {
    if invalid { " [invalid]" } else { "" }
}

/// A frequency as tshark writes it: with its band and channel when it has one.
fn mhz_text(freq: u16) -> String {
    match super::radiotap::channel_of(freq) {
        Some(c) => {
            let band = if freq <= 2484 { "BG" } else { "A" };
            format!("{freq} [{band} {c}]")
        }
        None => freq.to_string(),
    }
}

/// A bit chart of `bits` bits with `mask` set or clear.
fn chart(bits: u8, mask: u64, set: bool) -> String {
    super::value::bit_chart(bits, mask, u64::from(set))
}

/// A boolean item with tshark's words for true and false.
fn flag_item(
    d: &mut Dissection<'_>,
    field: super::field::FieldId,
    (at, len): (usize, usize),
    value: u64,
    (on, off): (&'static str, &'static str),
) {
    let def = super::registry::def(field);
    let (bits, mask) = match def.kind {
        super::field::Kind::Bool { bits, mask, .. } => (bits, mask),
        _ => (8, 0),
    };
    let set = value & mask != 0;
    d.add_labeled(field, at, len, Value::Bool(set), || {
        format!(
            "{} = {}: {}",
            chart(bits, mask, set),
            def.name,
            if set { on } else { off }
        )
    });
}

/// An unsigned byte item, marked invalid at `invalid`.
fn u8_item(d: &mut Dissection<'_>, field: super::field::FieldId, at: usize, v: u8, invalid: u8) {
    let def = super::registry::def(field);
    d.add_labeled(field, at, 1, Value::UInt(u64::from(v)), || {
        format!("{}: {v}{}", def.name, invalid_mark(v == invalid))
    });
}

/// A signed dBm byte item, marked invalid at -128.
fn dbm_item(d: &mut Dissection<'_>, field: super::field::FieldId, at: usize, v: i8) {
    let def = super::registry::def(field);
    d.add_labeled(field, at, 1, Value::Int(i64::from(v)), || {
        format!("{}: {v}{}", def.name, invalid_mark(v == i8::MIN))
    });
}

/// Channel flags and their eight bits, under `field`.
fn channel_flags(d: &mut Dissection<'_>, fields: &[super::field::FieldId; 9], at: usize, v: u16) {
    let [item, bits @ ..] = fields;
    let it = d.add(*item, at, 2, Value::UInt(u64::from(v)));
    d.begin(it);
    for field in bits {
        flag_item(d, *field, (at, 2), u64::from(v), ("True", "False"));
    }
    d.end();
}

/// The 802.11-Common field: TSFT, flags, rate, channel, FHSS, signal and noise.
fn common(d: &mut Dissection<'_>, data: &[u8], f: &PpiField, keep: bool, g: &mut Gathered) {
    let Some(v) = field_header(d, f, "802.11-Common", COMMON_LEN, keep) else {
        return;
    };
    let u16_at = |i: usize| bytes::le_u16(data, v + i).unwrap_or(0);
    let u8_at = |i: usize| bytes::u8_at(data, v + i).unwrap_or(0);
    let i8_at = |i: usize| i8::from_ne_bytes([u8_at(i)]);
    let tsft = bytes::Endian::Little.u64(data, v).unwrap_or(0);
    let flags = u16_at(8);
    let rate = u16_at(10);
    let freq = u16_at(12);
    let chan_flags = u16_at(14);
    let (hopset, pattern) = (u8_at(16), u8_at(17));
    let (signal, noise) = (i8_at(18), i8_at(19));
    g.fcs = flags & 0x0001 != 0;
    let r = &mut g.radio;
    if tsft != 0 {
        r.tsft = Some(if flags & 0x0002 != 0 {
            tsft.saturating_mul(1000)
        } else {
            tsft
        });
    }
    r.rate = u8::try_from(rate).ok().filter(|&r| r != 0);
    if freq != 0 {
        r.channel = Some((freq, chan_flags));
    }
    // Channel flags name the PHY even without a frequency.
    let (phy, turbo, mode) = channel_phy(chan_flags);
    g.channel_phy = phy;
    r.turbo_type = turbo;
    r.g_mode = mode;
    r.fhss = (phy == Some(1)).then_some((hopset, pattern));
    // tshark takes -128 (the specification's "unknown") and 0 as no value.
    r.signal = (signal != i8::MIN && signal != 0).then_some(signal);
    r.noise = (noise != i8::MIN && noise != 0).then_some(noise);
    if !keep {
        return;
    }
    d.add_labeled(TSFT, v, 8, Value::UInt(tsft), || {
        format!("TSFT: {tsft}{}", invalid_mark(tsft == 0))
    });
    let it = d.add(COMMON_FLAGS, v + 8, 2, Value::UInt(u64::from(flags)));
    d.begin(it);
    let fl = u64::from(flags);
    flag_item(d, COMMON_FLAGS_FCS, (v + 8, 2), fl, ("Present", "Absent"));
    flag_item(
        d,
        COMMON_FLAGS_TSFT,
        (v + 8, 2),
        fl,
        ("milliseconds", "microseconds"),
    );
    flag_item(
        d,
        COMMON_FLAGS_FCS_INVALID,
        (v + 8, 2),
        fl,
        ("Invalid", "Valid"),
    );
    flag_item(
        d,
        COMMON_FLAGS_PHY_ERR,
        (v + 8, 2),
        fl,
        ("PHY error", "No errors"),
    );
    d.end();
    // The value is in kb/s (tshark's 16-bit field keeps the low 16 bits).
    let kbps = u32::from(rate) * 500;
    d.add_labeled(
        RATE,
        v + 10,
        2,
        Value::UInt(u64::from(kbps & 0xffff)),
        || {
            format!(
                "Rate: {:.1} Mbps{}",
                f64::from(kbps) / 1000.0,
                invalid_mark(kbps == 0)
            )
        },
    );
    d.add_labeled(CHAN_FREQ, v + 12, 2, Value::UInt(u64::from(freq)), || {
        format!("Channel frequency: {}", mhz_text(freq))
    });
    channel_flags(
        d,
        &[
            CHAN_FLAGS,
            CHAN_TURBO,
            CHAN_CCK,
            CHAN_OFDM,
            CHAN_2GHZ,
            CHAN_5GHZ,
            CHAN_PASSIVE,
            CHAN_DYNAMIC,
            CHAN_GFSK,
        ],
        v + 14,
        chan_flags,
    );
    d.add(FHSS_HOPSET, v + 16, 1, Value::UInt(u64::from(hopset)));
    d.add(FHSS_PATTERN, v + 17, 1, Value::UInt(u64::from(pattern)));
    dbm_item(d, DBM_ANTSIGNAL, v + 18, signal);
    dbm_item(d, DBM_ANTNOISE, v + 19, noise);
    d.end();
}

/// The MAC flags, A-MPDU id and delimiter count shared by the MAC and MAC+PHY fields,
/// at `v`.
fn mac_part(d: &mut Dissection<'_>, data: &[u8], v: usize, keep: bool, g: &mut Gathered) {
    let flags = bytes::le_u32(data, v).unwrap_or(0);
    let ht = g.ht.get_or_insert_with(Ht::default);
    ht.flags = flags;
    if !keep {
        return;
    }
    let it = d.add(MAC_FLAGS, v, 4, Value::UInt(u64::from(flags)));
    d.begin(it);
    let fl = u64::from(flags);
    let tf = ("True", "False");
    flag_item(d, MAC_GREENFIELD, (v, 4), fl, tf);
    flag_item(d, MAC_HT40, (v, 4), fl, ("HT40", "HT20"));
    flag_item(d, MAC_SGI, (v, 4), fl, tf);
    flag_item(d, MAC_DUPLICATE, (v, 4), fl, tf);
    flag_item(d, MAC_AGGREGATE, (v, 4), fl, tf);
    flag_item(d, MAC_MORE_AGGREGATES, (v, 4), fl, tf);
    flag_item(d, MAC_DELIM_CRC, (v, 4), fl, tf);
    d.end();
    let id = bytes::le_u32(data, v + 4).unwrap_or(0);
    d.add(AMPDU_ID, v + 4, 4, Value::UInt(u64::from(id)));
    let n = bytes::u8_at(data, v + 8).unwrap_or(0);
    d.add(NUM_DELIMITERS, v + 8, 1, Value::UInt(u64::from(n)));
}

/// The 802.11n MAC Extensions field.
fn ht_mac(d: &mut Dissection<'_>, data: &[u8], f: &PpiField, keep: bool, g: &mut Gathered) {
    let Some(v) = field_header(d, f, "802.11n MAC", MAC_LEN, keep) else {
        return;
    };
    mac_part(d, data, v, keep, g);
    if keep {
        let b = |i: usize| u32::from(bytes::u8_at(data, v + 9 + i).unwrap_or(0));
        let reserved = b(0) | b(1) << 8 | b(2) << 16;
        d.add(MAC_RESERVED, v + 9, 3, Value::UInt(u64::from(reserved)));
        d.end();
    }
}

/// The 802.11n MAC+PHY Extensions field: the MAC part, then MCS, streams, RSSI per
/// antenna, the extension channel, signal and noise per antenna, EVM per stream.
fn ht_mac_phy(d: &mut Dissection<'_>, data: &[u8], f: &PpiField, keep: bool, g: &mut Gathered) {
    let Some(v) = field_header(d, f, "802.11n MAC+PHY", MAC_PHY_LEN, keep) else {
        return;
    };
    mac_part(d, data, v, keep, g);
    let p = v + 9;
    let u8_at = |i: usize| bytes::u8_at(data, p + i).unwrap_or(0);
    let (mcs, streams) = (u8_at(0), u8_at(1));
    if let Some(ht) = g.ht.as_mut() {
        if mcs != 255 {
            ht.mcs = Some(mcs);
        }
        ht.streams = Some(streams);
    }
    if !keep {
        return;
    }
    u8_item(d, MCS, p, mcs, 255);
    d.add_labeled(
        NUM_STREAMS,
        p + 1,
        1,
        Value::UInt(u64::from(streams)),
        || {
            let unknown = if streams == 0 { " (unknown)" } else { "" };
            format!("Number of spatial streams: {streams}{unknown}")
        },
    );
    for (i, field) in [
        RSSI_COMBINED,
        RSSI_ANT0_CTL,
        RSSI_ANT1_CTL,
        RSSI_ANT2_CTL,
        RSSI_ANT3_CTL,
        RSSI_ANT0_EXT,
        RSSI_ANT1_EXT,
        RSSI_ANT2_EXT,
        RSSI_ANT3_EXT,
    ]
    .into_iter()
    .enumerate()
    {
        u8_item(d, field, p + 2 + i, u8_at(2 + i), 255);
    }
    let ext_freq = bytes::le_u16(data, p + 11).unwrap_or(0);
    d.add_labeled(
        EXT_CHAN_FREQ,
        p + 11,
        2,
        Value::UInt(u64::from(ext_freq)),
        || format!("Ext. Channel frequency: {}", mhz_text(ext_freq)),
    );
    channel_flags(
        d,
        &[
            EXT_CHAN_FLAGS,
            EXT_CHAN_TURBO,
            EXT_CHAN_CCK,
            EXT_CHAN_OFDM,
            EXT_CHAN_2GHZ,
            EXT_CHAN_5GHZ,
            EXT_CHAN_PASSIVE,
            EXT_CHAN_DYNAMIC,
            EXT_CHAN_GFSK,
        ],
        p + 13,
        bytes::le_u16(data, p + 13).unwrap_or(0),
    );
    for (i, field) in [
        DBM_ANT0_SIGNAL,
        DBM_ANT0_NOISE,
        DBM_ANT1_SIGNAL,
        DBM_ANT1_NOISE,
        DBM_ANT2_SIGNAL,
        DBM_ANT2_NOISE,
        DBM_ANT3_SIGNAL,
        DBM_ANT3_NOISE,
    ]
    .into_iter()
    .enumerate()
    {
        dbm_item(d, field, p + 15 + i, i8::from_ne_bytes([u8_at(15 + i)]));
    }
    for (i, field) in [EVM0, EVM1, EVM2, EVM3].into_iter().enumerate() {
        let at = p + 23 + 4 * i;
        let evm = bytes::le_u32(data, at).unwrap_or(0);
        let def = super::registry::def(field);
        d.add_labeled(field, at, 4, Value::UInt(u64::from(evm)), || {
            format!("{}: {evm}{}", def.name, invalid_mark(evm == 0))
        });
    }
    d.end();
}

/// The Aggregation Extension field: the interface the frame was captured on.
fn aggregation(d: &mut Dissection<'_>, data: &[u8], f: &PpiField, keep: bool) {
    let Some(v) = field_header(d, f, "Aggregation Extension", AGGREGATION_LEN, keep) else {
        return;
    };
    if keep {
        let id = bytes::le_u32(data, v).unwrap_or(0);
        d.add(AGG_INTERFACE_ID, v, 4, Value::UInt(u64::from(id)));
        d.end();
    }
}

/// The 802.3 Extension field: FCS presence and error flags.
fn ext_8023(d: &mut Dissection<'_>, data: &[u8], f: &PpiField, keep: bool) {
    let Some(v) = field_header(d, f, "802.3 Extension", E8023_LEN, keep) else {
        return;
    };
    if !keep {
        return;
    }
    let tf = ("True", "False");
    let flags = u64::from(bytes::le_u32(data, v).unwrap_or(0));
    let it = d.add(E8023_FLAGS, v, 4, Value::UInt(flags));
    d.begin(it);
    flag_item(d, E8023_FLAGS_FCS, (v, 4), flags, tf);
    d.end();
    let errors = u64::from(bytes::le_u32(data, v + 4).unwrap_or(0));
    let it = d.add(E8023_ERRORS, v + 4, 4, Value::UInt(errors));
    d.begin(it);
    for field in [
        E8023_ERRORS_FCS,
        E8023_ERRORS_SEQUENCE,
        E8023_ERRORS_SYMBOL,
        E8023_ERRORS_DATA,
    ] {
        flag_item(d, field, (v + 4, 4), errors, tf);
    }
    d.end();
    d.end();
}

/// The PHY tshark hands `wlan_radio`: 802.11n once an 802.11n field was read, else
/// the channel flags'.
fn phy(g: &Gathered) -> Option<u64> {
    if g.ht.is_some() {
        Some(7)
    } else {
        g.channel_phy
    }
}

/// The 802.11n fields as a radiotap MCS field (known bits, flags, index) and the
/// extension stream count, which `wlan_radio` reads.
fn radio_ht(g: &mut Gathered) {
    let Some(ht) = g.ht else {
        return;
    };
    // Bandwidth, guard interval and format are always given.
    let mut known = 0x01 | 0x04 | 0x08;
    let mut flags = 0u8;
    if ht.flags & 0x02 != 0 {
        flags |= 0x01;
    }
    if ht.flags & 0x04 != 0 {
        flags |= 0x04;
    }
    if ht.flags & 0x01 != 0 {
        flags |= 0x08;
    }
    // tshark 4.0 keeps the 802.11g mode an 802.11g channel set where the MCS index
    // would be (the two share memory), so an 802.11n field without an MCS shows it.
    let index = ht
        .mcs
        .or_else(|| (g.channel_phy == Some(6)).then(|| g.radio.g_mode.unwrap_or(0) as u8));
    if index.is_some() {
        known |= 0x02;
        // tshark's rate is then the MCS's, whatever the 802.11-Common rate said.
        g.radio.rate = None;
    }
    g.radio.mcs = Some((known, flags, index.unwrap_or(0)));
    g.radio.ness = ht.streams;
    g.radio.turbo_type = None;
    g.radio.g_mode = None;
    g.radio.fhss = None;
}

/// A frame of another link type after the header: the ones this dissector knows, or
/// tshark's note for the user link types, then the bytes.
fn link<'a>(d: &mut Dissection<'a>, ctx: &PacketContext<'_>, data: &'a [u8], at: usize, dlt: u32) {
    // tshark hands these to its "pcap_pktdata" dissector, a layer of their own.
    d.push_layer("pcap_pktdata");
    match dlt {
        1 => super::ethernet::dissect(d, ctx, data, at),
        147..=162 => {
            // tshark's DLT_USER protocol: a level of the hierarchy, no line of the tree.
            d.add_hidden(USER_DLT, at, data.len().saturating_sub(at), Value::None);
            d.push_layer("user_dlt");
            let message = format!(
                "User encapsulation not handled: DLT={dlt}, check your Preferences->Protocols->DLT_USER"
            );
            let node = d.text(at, 0, || message.clone());
            d.expert(
                node,
                super::tree::Expert {
                    severity: super::tree::Severity::Warning,
                    group: "Undecoded",
                    protocol: "DLT_USER",
                    message: message.into(),
                },
            );
            super::data::dissect_bytes(d, bytes::tail(data, at), at);
        }
        _ => super::data::dissect_bytes(d, bytes::tail(data, at), at),
    }
}

#[cfg(test)]
mod tests {
    use crate::dissect::testing::{field, values, with_frame, with_patched, with_truncated};

    /// Written by tests/gen-ppi.py from tcpdump's radiotap captures.
    const PPI: &str = "ppi.pcap";

    /// Frame 1: a probe request with an 802.11-Common field (802.11b, FCS).
    #[test]
    fn common_field() {
        with_frame(PPI, 1, |d| {
            assert_eq!(field(d, "ppi.version"), "0");
            assert_eq!(field(d, "ppi.length"), "32");
            assert_eq!(field(d, "ppi.dlt"), "105");
            assert_eq!(field(d, "ppi.field_type"), "2");
            assert_eq!(field(d, "ppi.80211-common.tsft"), "10016360");
            assert_eq!(field(d, "ppi.80211-common.rate"), "1000");
            assert_eq!(field(d, "ppi.80211-common.chan.freq"), "2412");
            assert_eq!(field(d, "ppi.80211-common.dbm.antsignal"), "-22");
            assert_eq!(field(d, "wlan_radio.phy"), "4");
            assert_eq!(field(d, "wlan_radio.duration"), "776");
            assert_eq!(d.columns.protocol, "802.11");
            assert_eq!(
                d.columns.info,
                "Probe Request, SN=1, FN=0, Flags=........C, SSID=\"omus\""
            );
        });
    }

    /// Frames 27 and 50: 802.11n MAC+PHY (MCS 7, HT40, short GI) and 802.11n MAC in
    /// an 802.11g channel (tshark's MCS index 0).
    #[test]
    fn ht_fields() {
        with_frame(PPI, 27, |d| {
            assert_eq!(field(d, "ppi.80211n-mac-phy.mcs"), "7");
            assert_eq!(field(d, "ppi.80211n-mac.flags.ht20_40"), "1");
            assert_eq!(field(d, "wlan_radio.phy"), "7");
            assert_eq!(field(d, "wlan_radio.11n.ness"), "1");
            assert_eq!(field(d, "wlan_radio.data_rate"), "150");
            assert_eq!(field(d, "wlan_radio.duration"), "51");
        });
        with_frame(PPI, 50, |d| {
            assert_eq!(field(d, "wlan_radio.11n.mcs_index"), "0");
            assert_eq!(field(d, "wlan_radio.data_rate"), "7.22222");
            assert_eq!(field(d, "wlan_radio.duration"), "198");
        });
    }

    /// Frame 33: an 802.11-Common field 12 bytes long: tshark's "Invalid length".
    #[test]
    fn invalid_length() {
        with_frame(PPI, 33, |d| {
            assert_eq!(field(d, "ppi.field_len"), "12");
            assert_eq!(field(d, "ppi.80211-common.tsft"), "");
            assert!(d.experts.iter().any(|e| e.message == "Invalid length: 12"));
        });
    }

    /// The capture cut inside the 802.11-Common field: short, no 802.11 frame.
    #[test]
    fn cut_in_a_field() {
        with_truncated(PPI, 1, 20, |d| {
            assert_eq!(field(d, "ppi.length"), "32");
            assert_eq!(field(d, "ppi.80211-common.tsft"), "");
            assert_eq!(field(d, "wlan.fc.type_subtype"), "");
            assert!(
                d.columns
                    .info
                    .ends_with("[Packet size limited during capture]")
            );
        });
        with_truncated(PPI, 1, 5, |d| {
            assert_eq!(field(d, "ppi.version"), "");
            assert_eq!(d.columns.protocol, "PPI");
        });
    }

    /// Impossible lengths: a header length below 8 (the frame follows the fixed part),
    /// a field past the captured bytes (malformed).
    #[test]
    fn impossible_lengths() {
        with_patched(
            PPI,
            1,
            |b| b[2..4].copy_from_slice(&[4, 0]),
            |d| {
                assert_eq!(field(d, "ppi.length"), "4");
                assert_eq!(field(d, "ppi.field_type"), "");
                // The 802.11-Common field's bytes read as the 802.11 frame.
                assert_eq!(values(d, "wlan_radio").len(), 1);
            },
        );
        with_patched(
            PPI,
            1,
            |b| b[10..12].copy_from_slice(&[0xff, 0xff]),
            |d| {
                assert_eq!(field(d, "ppi.80211-common.tsft"), "");
                assert_eq!(field(d, "wlan.fc.type_subtype"), "");
                assert!(d.columns.info.ends_with("[Malformed Packet]"));
            },
        );
    }

    /// Frame 39: an Ethernet frame behind the header, with an 802.3 Extension.
    #[test]
    fn ethernet_by_dlt() {
        with_frame(PPI, 39, |d| {
            assert_eq!(field(d, "ppi.dlt"), "1");
            assert_eq!(field(d, "ppi.8023_extension.flags.fcs_present"), "1");
            assert_eq!(d.columns.protocol, "DHCP");
        });
    }
}
