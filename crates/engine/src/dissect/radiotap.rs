//! Radiotap (link type 127): the presence words and the fields they announce; what
//! they say goes to `wlan_radio`, then the 802.11 frame.

use super::context::PacketContext;
use super::field::Base;
use super::field::kinds::*;
use super::ieee80211;
use super::tree::Dissection;
use super::value::Value;
use crate::wire::{RadiotapField, RadiotapView};

#[rustfmt::skip]
const PRESENT_NAMES: [&str; 32] = [
    "TSFT", "Flags", "Rate", "Channel", "FHSS", "dBm Antenna Signal", "dBm Antenna Noise",
    "Lock Quality", "TX Attenuation", "dB TX Attenuation", "dBm TX Power", "Antenna",
    "dB Antenna Signal", "dB Antenna Noise", "RX flags", "TX flags", "RTS retries",
    "data retries", "Channel+", "MCS information", "A-MPDU Status", "VHT information",
    "frame timestamp", "HE information", "HE-MU information", "HE-MU-other-user information",
    "0 Length PSDU", "L-SIG", "TLVs", "Radiotap NS next", "Vendor NS next", "Ext",
];

/// HT channel widths (radiotap's MCS field, `wlan_radio.11n.bandwidth`).
pub(super) const BANDWIDTHS: &[(u64, &str)] = &[
    (0, "20 MHz"),
    (1, "40 MHz"),
    (2, "20 MHz lower"),
    (3, "20 MHz upper"),
];

crate::define_fields! { after super::links::END;
    RADIOTAP = "radiotap", "Radiotap Header", PROTO;
    VERSION = "radiotap.version", "Header revision", dec(8);
    PAD = "radiotap.pad", "Header pad", dec(8);
    LENGTH = "radiotap.length", "Header length", dec(16);
    PRESENT = "radiotap.present", "Present flags", NONE;
    PRESENT_WORD = "radiotap.present.word", "Present flags word", hex(32);
    PRESENT_TSFT = "radiotap.present.tsft", "TSFT", flag(32, 1 << 0);
    PRESENT_FLAGS = "radiotap.present.flags", "Flags", flag(32, 1 << 1);
    PRESENT_RATE = "radiotap.present.rate", "Rate", flag(32, 1 << 2);
    PRESENT_CHANNEL = "radiotap.present.channel", "Channel", flag(32, 1 << 3);
    PRESENT_FHSS = "radiotap.present.fhss", "FHSS", flag(32, 1 << 4);
    PRESENT_DBM_ANTSIGNAL = "radiotap.present.dbm_antsignal", "dBm Antenna Signal", flag(32, 1 << 5);
    PRESENT_DBM_ANTNOISE = "radiotap.present.dbm_antnoise", "dBm Antenna Noise", flag(32, 1 << 6);
    PRESENT_LOCK_QUALITY = "radiotap.present.lock_quality", "Lock Quality", flag(32, 1 << 7);
    PRESENT_TX_ATTENUATION = "radiotap.present.tx_attenuation", "TX Attenuation", flag(32, 1 << 8);
    PRESENT_DB_TX_ATTENUATION = "radiotap.present.db_tx_attenuation", "dB TX Attenuation", flag(32, 1 << 9);
    PRESENT_DBM_TX_POWER = "radiotap.present.dbm_tx_power", "dBm TX Power", flag(32, 1 << 10);
    PRESENT_ANTENNA = "radiotap.present.antenna", "Antenna", flag(32, 1 << 11);
    PRESENT_DB_ANTSIGNAL = "radiotap.present.db_antsignal", "dB Antenna Signal", flag(32, 1 << 12);
    PRESENT_DB_ANTNOISE = "radiotap.present.db_antnoise", "dB Antenna Noise", flag(32, 1 << 13);
    PRESENT_RXFLAGS = "radiotap.present.rxflags", "RX flags", flag(32, 1 << 14);
    PRESENT_TXFLAGS = "radiotap.present.txflags", "TX flags", flag(32, 1 << 15);
    PRESENT_DATA_RETRIES = "radiotap.present.data_retries", "data retries", flag(32, 1 << 17);
    PRESENT_XCHANNEL = "radiotap.present.xchannel", "Channel+", flag(32, 1 << 18);
    PRESENT_MCS = "radiotap.present.mcs", "MCS information", flag(32, 1 << 19);
    PRESENT_AMPDU = "radiotap.present.ampdu", "A-MPDU Status", flag(32, 1 << 20);
    PRESENT_VHT = "radiotap.present.vht", "VHT information", flag(32, 1 << 21);
    PRESENT_TIMESTAMP = "radiotap.present.timestamp", "frame timestamp", flag(32, 1 << 22);
    PRESENT_HE = "radiotap.present.he", "HE information", flag(32, 1 << 23);
    PRESENT_HE_MU = "radiotap.present.he_mu", "HE-MU information", flag(32, 1 << 24);
    PRESENT_0_LENGTH_PSDU = "radiotap.present.0_length.psdu", "0 Length PSDU", flag(32, 1 << 26);
    PRESENT_L_SIG = "radiotap.present.l_sig", "L-SIG", flag(32, 1 << 27);
    PRESENT_TLV = "radiotap.present.tlv", "TLVs", flag(32, 1 << 28);
    PRESENT_RTAP_NS = "radiotap.present.rtap_ns", "Radiotap NS next", flag(32, 1 << 29);
    PRESENT_VENDOR_NS = "radiotap.present.vendor_ns", "Vendor NS next", flag(32, 1 << 30);
    PRESENT_EXT = "radiotap.present.ext", "Ext", flag(32, 1 << 31);
    MACTIME = "radiotap.mactime", "MAC timestamp", dec(64);
    FLAGS = "radiotap.flags", "Flags", hex(8);
    FLAGS_CFP = "radiotap.flags.cfp", "CFP", flag(8, 0x01);
    FLAGS_PREAMBLE = "radiotap.flags.preamble", "Preamble", flag(8, 0x02);
    FLAGS_WEP = "radiotap.flags.wep", "WEP", flag(8, 0x04);
    FLAGS_FRAG = "radiotap.flags.frag", "Fragmentation", flag(8, 0x08);
    FLAGS_FCS = "radiotap.flags.fcs", "FCS at end", flag(8, 0x10);
    FLAGS_DATAPAD = "radiotap.flags.datapad", "Data Pad", flag(8, 0x20);
    FLAGS_BADFCS = "radiotap.flags.badfcs", "Bad FCS", flag(8, 0x40);
    FLAGS_SHORTGI = "radiotap.flags.shortgi", "Short GI", flag(8, 0x80);
    DATARATE = "radiotap.datarate", "Data Rate", FLOAT;
    CHANNEL_FREQ = "radiotap.channel.freq", "Channel frequency", dec(16);
    CHANNEL_FLAGS = "radiotap.channel.flags", "Channel flags", hex(16);
    CHANNEL_700MHZ = "radiotap.channel.flags.700mhz", "700 MHz spectrum", flag(16, 0x0001);
    CHANNEL_800MHZ = "radiotap.channel.flags.800mhz", "800 MHz spectrum", flag(16, 0x0002);
    CHANNEL_900MHZ = "radiotap.channel.flags.900mhz", "900 MHz spectrum", flag(16, 0x0004);
    CHANNEL_TURBO = "radiotap.channel.flags.turbo", "Turbo", flag(16, 0x0010);
    CHANNEL_CCK = "radiotap.channel.flags.cck", "Complementary Code Keying (CCK)", flag(16, 0x0020);
    CHANNEL_OFDM = "radiotap.channel.flags.ofdm", "Orthogonal Frequency-Division Multiplexing (OFDM)", flag(16, 0x0040);
    CHANNEL_2GHZ = "radiotap.channel.flags.2ghz", "2 GHz spectrum", flag(16, 0x0080);
    CHANNEL_5GHZ = "radiotap.channel.flags.5ghz", "5 GHz spectrum", flag(16, 0x0100);
    CHANNEL_PASSIVE = "radiotap.channel.flags.passive", "Passive", flag(16, 0x0200);
    CHANNEL_DYNAMIC = "radiotap.channel.flags.dynamic", "Dynamic CCK-OFDM", flag(16, 0x0400);
    CHANNEL_GFSK = "radiotap.channel.flags.gfsk", "Gaussian Frequency Shift Keying (GFSK)", flag(16, 0x0800);
    CHANNEL_GSM = "radiotap.channel.flags.gsm", "GSM (900MHz)", flag(16, 0x1000);
    CHANNEL_STURBO = "radiotap.channel.flags.sturbo", "Static Turbo", flag(16, 0x2000);
    CHANNEL_HALF = "radiotap.channel.flags.half", "Half Rate Channel (10MHz Channel Width)", flag(16, 0x4000);
    CHANNEL_QUARTER = "radiotap.channel.flags.quarter", "Quarter Rate Channel (5MHz Channel Width)", flag(16, 0x8000);
    DBM_ANTSIGNAL = "radiotap.dbm_antsignal", "Antenna signal", int(8);
    DBM_ANTNOISE = "radiotap.dbm_antnoise", "Antenna noise", int(8);
    ANTENNA = "radiotap.antenna", "Antenna", dec(32);
    QUALITY = "radiotap.quality", "Signal Quality", dec(16);
    DB_ANTSIGNAL = "radiotap.db_antsignal", "dB antenna signal", dec(8);
    DB_ANTNOISE = "radiotap.db_antnoise", "dB antenna noise", dec(8);
    RXFLAGS_BADPLCP = "radiotap.rxflags.badplcp", "Bad PLCP", flag(24, 0x0002);
    RXFLAGS = "radiotap.rxflags", "RX flags", hex(16);
    TXFLAGS = "radiotap.txflags", "TX flags", hex(16);
    DBM_TX_POWER = "radiotap.txpower", "Transmit power", int(8);
    DATA_RETRIES = "radiotap.data_retries", "data retries", dec(8);
    MCS = "radiotap.mcs", "MCS information", NONE;
    MCS_KNOWN = "radiotap.mcs.known", "Known MCS information", hex(8);
    MCS_BW = "radiotap.mcs.bw", "Bandwidth", uint(8, Base::Dec, 0x03, Some(BANDWIDTHS));
    MCS_GI = "radiotap.mcs.gi", "Guard interval", uint(8, Base::Dec, 0x04, None);
    MCS_INDEX = "radiotap.mcs.index", "MCS index", dec(8);
    VHT = "radiotap.vht", "VHT information", NONE;
    VENDOR_NS = "radiotap.vendor_namespace", "Vendor namespace", BYTES;
    VENDOR_OUI = "radiotap.vendor_oui", "Vendor OUI", hex(24);
    VENDOR_SUBNS = "radiotap.vendor_subns", "Vendor sub namespace", dec(8);
    VENDOR_SKIP = "radiotap.vendor_data_len", "Vendor data length", dec(16);
}

/// What the radio header said, for `wlan_radio` and the 802.11 dissector.
#[derive(Debug, Clone, Copy, Default)]
pub struct Radio {
    /// The radiotap Flags field.
    pub flags: Option<u8>,
    /// Rate in 500 kb/s units.
    pub rate: Option<u8>,
    /// Channel frequency (MHz) and flags.
    pub channel: Option<(u16, u16)>,
    /// Antenna signal (dBm): the last one given.
    pub signal: Option<i8>,
    /// Antenna noise (dBm): the last one given.
    pub noise: Option<i8>,
    /// TSF timestamp.
    pub tsft: Option<u64>,
    /// Antenna signal and noise in dB (from an arbitrary reference).
    pub db_signal: Option<u8>,
    /// Antenna noise in dB.
    pub db_noise: Option<u8>,
    /// MCS known, flags, index.
    pub mcs: Option<(u8, u8, u8)>,
    /// A VHT field was present.
    pub vht: bool,
    /// An HE field was present.
    pub he: bool,
    /// The HE field's six 16-bit data words, when present.
    pub he_data: Option<[u16; 6]>,
    /// The PHY a header names outright (PPI's channel flags and 802.11n fields):
    /// `Some(None)` when it names none; `None` to infer it from the fields above
    /// (radiotap).
    pub phy: Option<Option<u64>>,
    /// FHSS hop set and hop pattern (PPI, on an FHSS channel).
    pub fhss: Option<(u8, u8)>,
    /// 802.11a turbo type (PPI): 0 non-turbo, 2 dynamic turbo.
    pub turbo_type: Option<u64>,
    /// 802.11g proprietary mode (PPI): 0 none, 1 Super G.
    pub g_mode: Option<u64>,
    /// Number of HT extension spatial streams when the header gives it outright (PPI's
    /// MAC+PHY field: its stream count, which tshark reads as this).
    pub ness: Option<u8>,
}

impl Radio {
    /// Whether the frame ends with a 4-byte FCS.
    pub fn has_fcs(&self) -> bool {
        self.flags.is_some_and(|f| f & 0x10 != 0)
    }
}

/// The 802.11 channel number of a frequency in MHz, as tshark computes it.
pub fn channel_of(freq: u16) -> Option<u16> {
    match freq {
        2484 => Some(14),
        2412..=2472 => Some((freq - 2407) / 5),
        4910..=4980 => Some((freq - 4000) / 5),
        5000..=5925 => Some((freq - 5000) / 5),
        5950..=7125 => Some((freq - 5950) / 5),
        _ => None,
    }
}

/// The HT data rate in Mb/s of an MCS index (0 to 31), 40 MHz and short GI as given.
pub(super) fn ht_rate(index: u8, wide: bool, short_gi: bool) -> Option<f64> {
    // Mb/s of one spatial stream at 20 and 40 MHz with the long guard interval.
    const RATES_20: [f64; 8] = [6.5, 13.0, 19.5, 26.0, 39.0, 52.0, 58.5, 65.0];
    const RATES_40: [f64; 8] = [13.5, 27.0, 40.5, 54.0, 81.0, 108.0, 121.5, 135.0];
    if index > 31 {
        return None;
    }
    let streams = f64::from(index / 8 + 1);
    let table = if wide { &RATES_40 } else { &RATES_20 };
    let base = table.get(usize::from(index % 8))? * streams;
    let rate = if short_gi { base * 10.0 / 9.0 } else { base };
    // tshark prints one decimal.
    Some((rate * 10.0).round() / 10.0)
}

/// Dissects a radiotap header and the 802.11 frame after it.
pub fn dissect<'a>(d: &mut Dissection<'a>, ctx: &PacketContext<'_>, data: &'a [u8]) {
    let Some(rt) = super::view_or_cut(d, ctx, RadiotapView::new(data), 0) else {
        return;
    };
    let len = rt.len();
    let item = d.add_labeled(RADIOTAP, 0, len, Value::None, || {
        format!("Radiotap Header v{}, Length {len}", rt.version())
    });
    d.push_layer("radiotap");
    d.set_protocol("802.11");
    let mut radio = Radio::default();
    // Inlined into the walk: the load pass runs this for every field of every frame.
    rt.for_each_field(
        #[inline(always)]
        |f| {
            let first = f.namespace == 0;
            // Each value read only by the arm that keeps it (the walk places every field).
            // The sizes are the layout's (TSFT 8 bytes, channel two 16-bit words, the
            // rest one byte).
            let b = rt.bytes();
            let byte = || crate::bytes::u8_at(b, f.offset);
            match f.bit {
                0 if first => radio.tsft = crate::bytes::Endian::Little.u64(b, f.offset),
                1 if first => radio.flags = byte(),
                2 if first => radio.rate = byte(),
                3 if first => {
                    if let (Some(freq), Some(flags)) = (
                        crate::bytes::le_u16(b, f.offset),
                        crate::bytes::le_u16(b, f.offset + 2),
                    ) {
                        radio.channel = Some((freq, flags));
                    }
                }
                // With several antennas, tshark keeps the last value.
                5 => radio.signal = byte().map(|v| i8::from_ne_bytes([v])),
                6 => radio.noise = byte().map(|v| i8::from_ne_bytes([v])),
                12 => radio.db_signal = byte(),
                13 => radio.db_noise = byte(),
                19 if first => {
                    if let (Some(k), Some(fl), Some(i)) = (
                        crate::bytes::u8_at(b, f.offset),
                        crate::bytes::u8_at(b, f.offset + 1),
                        crate::bytes::u8_at(b, f.offset + 2),
                    ) {
                        radio.mcs = Some((k, fl, i));
                    }
                }
                21 => radio.vht = true,
                23 => {
                    radio.he = true;
                    let word = |i: usize| crate::bytes::le_u16(b, f.offset + 2 * i);
                    if let (Some(a), Some(b2), Some(c), Some(d4), Some(e), Some(g)) =
                        (word(0), word(1), word(2), word(3), word(4), word(5))
                    {
                        radio.he_data = Some([a, b2, c, d4, e, g]);
                    }
                }
                _ => {}
            }
        },
    );
    if d.keeps_fields_of(RADIOTAP) {
        d.begin(item);
        header_tree(d, &rt, &radio);
        d.end();
    }
    super::wlan_radio::dissect(d, &radio, data.len().saturating_sub(len));
    let fcs = radio.has_fcs();
    ieee80211::dissect(d, ctx, data, len, fcs);
}

fn signed(v: u64) -> i8 {
    i8::from_ne_bytes([u8::try_from(v & 0xff).unwrap_or(0)])
}

/// The radiotap fields under the protocol item.
fn header_tree<'a>(d: &mut Dissection<'a>, rt: &RadiotapView<'a>, radio: &Radio) {
    // The tree is built for one packet at a time: a list is fine here.
    let mut fields: Vec<RadiotapField> = Vec::new();
    rt.for_each_field(|f| fields.push(f));
    d.add(VERSION, 0, 1, Value::UInt(u64::from(rt.version())));
    d.add(PAD, 1, 1, Value::UInt(u64::from(rt.pad())));
    d.add(LENGTH, 2, 2, Value::UInt(rt.len() as u64));
    let words: Vec<(usize, u32)> = rt.present_words().collect();
    let span = words.len() * 4;
    let present = d.add(PRESENT, 4, span, Value::None);
    d.begin(present);
    for (i, &(offset, word)) in words.iter().enumerate() {
        let w = d.add(PRESENT_WORD, offset, 4, Value::UInt(u64::from(word)));
        d.begin(w);
        // The first word's bits all; a later word's namespace bits only (as tshark).
        let first = i == 0;
        {
            for (field, bit) in [
                (PRESENT_TSFT, 0),
                (PRESENT_FLAGS, 1),
                (PRESENT_RATE, 2),
                (PRESENT_CHANNEL, 3),
                (PRESENT_FHSS, 4),
                (PRESENT_DBM_ANTSIGNAL, 5),
                (PRESENT_DBM_ANTNOISE, 6),
                (PRESENT_LOCK_QUALITY, 7),
                (PRESENT_TX_ATTENUATION, 8),
                (PRESENT_DB_TX_ATTENUATION, 9),
                (PRESENT_DBM_TX_POWER, 10),
                (PRESENT_ANTENNA, 11),
                (PRESENT_DB_ANTSIGNAL, 12),
                (PRESENT_DB_ANTNOISE, 13),
                (PRESENT_RXFLAGS, 14),
                (PRESENT_TXFLAGS, 15),
                (PRESENT_DATA_RETRIES, 17),
                (PRESENT_XCHANNEL, 18),
                (PRESENT_MCS, 19),
                (PRESENT_AMPDU, 20),
                (PRESENT_VHT, 21),
                (PRESENT_TIMESTAMP, 22),
                (PRESENT_HE, 23),
                (PRESENT_HE_MU, 24),
                (PRESENT_0_LENGTH_PSDU, 26),
                (PRESENT_L_SIG, 27),
                (PRESENT_TLV, 28),
                (PRESENT_RTAP_NS, 29),
                (PRESENT_VENDOR_NS, 30),
                (PRESENT_EXT, 31),
            ] {
                if !first && bit < 29 {
                    continue;
                }
                let on = word & (1 << bit) != 0;
                d.add_labeled(field, offset, 4, Value::Bool(on), || {
                    let name = PRESENT_NAMES.get(bit).copied().unwrap_or("");
                    let chart = super::value::bit_chart(32, 1 << bit, u64::from(on));
                    let text = match (bit, on) {
                        (29 | 30, true) => "True",
                        (29 | 30, false) => "False",
                        (_, true) => "Present",
                        (_, false) => "Absent",
                    };
                    format!("{chart} = {name}: {text}")
                });
            }
        }
        d.end();
    }
    d.end();
    for f in fields {
        let v = rt.value(&f);
        let (at, n) = (f.offset, f.len);
        match f.bit {
            0 => {
                d.add(MACTIME, at, n, Value::UInt(v));
            }
            1 => {
                let it = d.add(FLAGS, at, n, Value::UInt(v));
                d.begin(it);
                for (field, mask) in [
                    (FLAGS_CFP, 0x01),
                    (FLAGS_PREAMBLE, 0x02),
                    (FLAGS_WEP, 0x04),
                    (FLAGS_FRAG, 0x08),
                    (FLAGS_FCS, 0x10),
                    (FLAGS_DATAPAD, 0x20),
                    (FLAGS_BADFCS, 0x40),
                    (FLAGS_SHORTGI, 0x80),
                ] {
                    let set = v & mask != 0;
                    if field == FLAGS_PREAMBLE {
                        d.add_labeled(field, at, n, Value::Bool(set), || {
                            let chart = super::value::bit_chart(8, mask, u64::from(set));
                            format!("{chart} = Preamble: {}", if set { "Short" } else { "Long" })
                        });
                    } else {
                        bool_true_false(d, field, at, n, set);
                    }
                }
                d.end();
            }
            2 => {
                let rate = v as f64 / 2.0;
                d.add_labeled(DATARATE, at, n, Value::Float(rate), || {
                    format!("Data Rate: {rate:.1} Mb/s")
                });
            }
            3 => {
                let freq = v & 0xffff;
                let flags = v >> 16;
                d.add_labeled(CHANNEL_FREQ, at, 2, Value::UInt(freq), || {
                    let band = if flags & 0x0100 != 0 { "A" } else { "BG" };
                    match channel_of(u16::try_from(freq).unwrap_or(0)) {
                        Some(c) => format!("Channel frequency: {freq} [{band} {c}]"),
                        None => format!("Channel frequency: {freq}"),
                    }
                });
                let it = d.add_labeled(CHANNEL_FLAGS, at + 2, 2, Value::UInt(flags), || {
                    let mut label = format!("Channel flags: 0x{flags:04x}");
                    for &(bit, name) in CHANNEL_FLAG_NAMES {
                        if flags & bit != 0 {
                            label.push_str(", ");
                            label.push_str(name);
                        }
                    }
                    label
                });
                d.begin(it);
                for (field, mask) in [
                    (CHANNEL_700MHZ, 0x0001),
                    (CHANNEL_800MHZ, 0x0002),
                    (CHANNEL_900MHZ, 0x0004),
                    (CHANNEL_TURBO, 0x0010),
                    (CHANNEL_CCK, 0x0020),
                    (CHANNEL_OFDM, 0x0040),
                    (CHANNEL_2GHZ, 0x0080),
                    (CHANNEL_5GHZ, 0x0100),
                    (CHANNEL_PASSIVE, 0x0200),
                    (CHANNEL_DYNAMIC, 0x0400),
                    (CHANNEL_GFSK, 0x0800),
                    (CHANNEL_GSM, 0x1000),
                    (CHANNEL_STURBO, 0x2000),
                    (CHANNEL_HALF, 0x4000),
                    (CHANNEL_QUARTER, 0x8000),
                ] {
                    bool_true_false(d, field, at + 2, 2, flags & mask != 0);
                }
                d.end();
            }
            5 => {
                let s = signed(v);
                d.add_labeled(DBM_ANTSIGNAL, at, n, Value::Int(i64::from(s)), || {
                    format!("Antenna signal: {s} dBm")
                });
            }
            6 => {
                let s = signed(v);
                d.add_labeled(DBM_ANTNOISE, at, n, Value::Int(i64::from(s)), || {
                    format!("Antenna noise: {s} dBm")
                });
            }
            10 => {
                let s = signed(v);
                d.add_labeled(DBM_TX_POWER, at, n, Value::Int(i64::from(s)), || {
                    format!("Transmit power: {s} dBm")
                });
            }
            7 => {
                d.add(QUALITY, at, n, Value::UInt(v));
            }
            11 => {
                d.add(ANTENNA, at, n, Value::UInt(v));
            }
            12 => {
                d.add_labeled(DB_ANTSIGNAL, at, n, Value::UInt(v), || {
                    format!("dB antenna signal: {v} dB")
                });
            }
            13 => {
                d.add_labeled(DB_ANTNOISE, at, n, Value::UInt(v), || {
                    format!("dB antenna noise: {v} dB")
                });
            }
            14 => {
                let it = d.add(RXFLAGS, at, n, Value::UInt(v));
                d.begin(it);
                bool_true_false(d, RXFLAGS_BADPLCP, at, n, v & 0x0002 != 0);
                d.end();
            }
            15 => {
                d.add(TXFLAGS, at, n, Value::UInt(v));
            }
            17 => {
                d.add(DATA_RETRIES, at, n, Value::UInt(v));
            }
            19 => mcs_tree(d, at, radio),
            21 => {
                d.add(VHT, at, n, Value::None);
            }
            23 => {
                d.text(at, n, || "HE information".to_string());
            }
            30 => {
                let b = rt.bytes();
                let it = d.add_labeled(
                    VENDOR_NS,
                    at,
                    n,
                    Value::Bytes(b.get(at..at + n).unwrap_or(&[]).into()),
                    || "Vendor namespace".to_string(),
                );
                d.begin(it);
                if let Some(oui) = crate::bytes::be_u24(b, at) {
                    d.add_labeled(VENDOR_OUI, at, 3, Value::UInt(u64::from(oui)), || {
                        let [_, x, y, z] = oui.to_be_bytes();
                        format!("Vendor OUI: {x:02x}:{y:02x}:{z:02x}")
                    });
                }
                if let Some(s) = crate::bytes::u8_at(b, at + 3) {
                    d.add(VENDOR_SUBNS, at + 3, 1, Value::UInt(u64::from(s)));
                }
                if let Some(s) = crate::bytes::le_u16(b, at + 4) {
                    d.add(VENDOR_SKIP, at + 4, 2, Value::UInt(u64::from(s)));
                }
                d.end();
            }
            _ => {}
        }
    }
    if let Some(rate) = mcs_rate(radio) {
        d.add_labeled(DATARATE, 0, 0, Value::Float(rate), || {
            format!("[Data Rate: {rate:.1} Mb/s]")
        });
    }
}

/// Names of the channel flags tshark lists after the value, in bit order.
#[rustfmt::skip]
const CHANNEL_FLAG_NAMES: &[(u64, &str)] = &[
    (0x0010, "Turbo"), (0x0020, "Complementary Code Keying (CCK)"),
    (0x0040, "Orthogonal Frequency-Division Multiplexing (OFDM)"), (0x0080, "2 GHz spectrum"),
    (0x0100, "5 GHz spectrum"), (0x0200, "Passive"), (0x0400, "Dynamic CCK-OFDM"),
    (0x0800, "Gaussian Frequency Shift Keying (GFSK)"), (0x1000, "GSM (900MHz)"),
    (0x2000, "Static Turbo"), (0x4000, "Half Rate Channel (10MHz Channel Width)"),
    (0x8000, "Quarter Rate Channel (5MHz Channel Width)"),
];

/// A flag labelled True/False (a boolean without value names, as tshark shows it).
fn bool_true_false(
    d: &mut Dissection<'_>,
    field: super::field::FieldId,
    at: usize,
    len: usize,
    set: bool,
) {
    let def = super::registry::def(field);
    let (bits, mask) = match def.kind {
        super::field::Kind::Bool { bits, mask, .. } => (bits, mask),
        _ => (8, 0),
    };
    d.add_labeled(field, at, len, Value::Bool(set), || {
        let chart = super::value::bit_chart(bits, mask, u64::from(set));
        format!(
            "{chart} = {}: {}",
            def.name,
            if set { "True" } else { "False" }
        )
    });
}

/// The MCS field: known bits, bandwidth, guard interval, index.
fn mcs_tree(d: &mut Dissection<'_>, at: usize, radio: &Radio) {
    let Some((known, flags, index)) = radio.mcs else {
        return;
    };
    let it = d.add(MCS, at, 3, Value::None);
    d.begin(it);
    d.add(MCS_KNOWN, at, 1, Value::UInt(u64::from(known)));
    if known & 0x01 != 0 {
        d.add(MCS_BW, at + 1, 1, Value::UInt(u64::from(flags & 0x03)));
    }
    if known & 0x04 != 0 {
        let gi = (flags >> 2) & 1;
        d.add_labeled(MCS_GI, at + 1, 1, Value::UInt(u64::from(gi)), || {
            let chart = super::value::bit_chart(8, 0x04, u64::from(gi));
            format!(
                "{chart} = Guard interval: {} ({gi})",
                if gi == 1 { "short" } else { "long" }
            )
        });
    }
    if known & 0x02 != 0 {
        d.add(MCS_INDEX, at + 2, 1, Value::UInt(u64::from(index)));
    }
    d.end();
}

/// The data rate an MCS field implies, when its index, bandwidth and GI are known.
pub(super) fn mcs_rate(radio: &Radio) -> Option<f64> {
    let (known, flags, index) = radio.mcs?;
    if known & 0x02 == 0 {
        return None;
    }
    let wide = known & 0x01 != 0 && flags & 0x03 == 1;
    let short_gi = known & 0x04 != 0 && flags & 0x04 != 0;
    ht_rate(index, wide, short_gi)
}

/// The HT data rate in Mb/s of the MCS field, unrounded as `wlan_radio.data_rate`
/// holds it (7.22222 at MCS 0 with a short guard interval, where radiotap's own
/// field says 7.2).
pub(super) fn mcs_rate_exact(radio: &Radio) -> Option<f64> {
    let (known, flags, index) = radio.mcs?;
    if known & 0x02 == 0 {
        return None;
    }
    let wide = known & 0x01 != 0 && flags & 0x03 == 1;
    let short_gi = known & 0x04 != 0 && flags & 0x04 != 0;
    if index > 31 {
        return None;
    }
    // tshark's `wlan_radio.data_rate` is not rounded (7.22222 at MCS 0 with a short
    // guard interval): data bits per 4 µs symbol at 20 MHz, 108 of 52 subcarriers
    // more at 40 MHz, over the symbol time.
    const DBPS: [u16; 8] = [26, 52, 78, 104, 156, 208, 234, 260];
    let dbps = f64::from(*DBPS.get(usize::from(index % 8))?) * f64::from(index / 8 + 1);
    let carriers = if wide { 108.0 } else { 52.0 };
    let rate = dbps * carriers / 52.0 / if short_gi { 3.6 } else { 4.0 };
    // A 32-bit float, which tshark prints with 6 significant digits.
    format!("{rate:.5e}").parse().ok()
}

#[cfg(test)]
mod tests {
    use crate::dissect::testing::{field, with_frame, with_patched, with_truncated};

    /// In tcpdump's test corpus (tests/corpus/tcpdump).
    const EXTHDR: &str = "../corpus/tcpdump/ieee802.11_exthdr.pcap";
    const MESHID: &str = "../corpus/tcpdump/ieee802.11_meshid.pcap";
    const RX_STBC: &str = "../corpus/tcpdump/ieee802.11_rx-stbc.pcap";

    /// ieee802.11_exthdr.pcap frame 1: 802.11b at 1 Mb/s, two presence words.
    #[test]
    fn dsss_frame() {
        with_frame(EXTHDR, 1, |d| {
            assert_eq!(field(d, "radiotap.present.word"), "0x8000486f,0x107701f7");
            assert_eq!(field(d, "radiotap.dbm_antsignal"), "-22");
            assert_eq!(field(d, "wlan_radio.phy"), "4");
            assert_eq!(field(d, "wlan_radio.snr"), "64");
            assert_eq!(field(d, "wlan_radio.duration"), "840");
            assert_eq!(field(d, "wlan_radio.start_tsf"), "10015520");
        });
    }

    /// ieee802.11_meshid.pcap frame 1: three radiotap namespaces (per-antenna signal).
    #[test]
    fn antenna_namespaces() {
        with_frame(MESHID, 1, |d| {
            assert_eq!(field(d, "radiotap.dbm_antsignal"), "-34,-39,-34");
            assert_eq!(field(d, "radiotap.antenna"), "0,1");
            assert_eq!(field(d, "wlan_radio.duration"), "268");
        });
    }

    /// ieee802.11_htc.pcap frame 1: HE SU, MCS 9, 20 MHz, 0.8 µs GI, 2 streams.
    #[test]
    fn he_rate() {
        with_frame("../corpus/tcpdump/ieee802.11_htc.pcap", 1, |d| {
            assert_eq!(field(d, "wlan_radio.phy"), "11");
            assert_eq!(field(d, "wlan_radio.data_rate"), "229.4");
        });
    }

    /// ieee802.11_rx-stbc.pcap frame 1: HT MCS 7, 40 MHz, short GI, one STBC stream.
    #[test]
    fn ht_frame() {
        with_frame(RX_STBC, 1, |d| {
            assert_eq!(field(d, "wlan_radio.data_rate"), "150");
            assert_eq!(field(d, "wlan_radio.duration"), "54");
            assert_eq!(field(d, "wlan_radio.preamble"), "40");
        });
    }

    #[test]
    fn truncated_header_is_a_note() {
        with_truncated(RX_STBC, 1, 20, |d| {
            assert!(d.has(crate::dissect::ws::SHORT));
            assert_eq!(field(d, "wlan.fc"), "");
        });
    }

    /// The header length raised past the frame: an impossible header, no 802.11.
    #[test]
    fn impossible_length() {
        with_patched(
            RX_STBC,
            1,
            |b| {
                if let Some(len) = b.get_mut(2) {
                    *len = 0xff;
                }
            },
            |d| {
                assert!(d.has(crate::dissect::ws::MALFORMED));
                assert_eq!(field(d, "wlan.fc"), "");
            },
        );
    }
}
