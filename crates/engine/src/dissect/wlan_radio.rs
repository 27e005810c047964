//! "802.11 radio information" (`wlan_radio`): what a radio header (radiotap) says in
//! one form, with the PHY type, data rate, channel, signal and noise, and the frame's
//! airtime as tshark computes it.

use super::field::kinds::*;
use super::radiotap::{Radio, channel_of, ht_rate, mcs_rate_exact};
use super::tree::Dissection;
use super::value::Value;

#[rustfmt::skip]
const PHY_NAMES: &[(u64, &str)] = &[
    (0, "Unknown"), (1, "802.11 FHSS"), (2, "802.11 IR"), (3, "802.11 DSSS"),
    (4, "802.11b (HR/DSSS)"), (5, "802.11a (OFDM)"), (6, "802.11g (ERP)"),
    (7, "802.11n (HT)"), (8, "802.11ac (VHT)"), (9, "802.11ad (DMG)"), (10, "802.11ah (S1G)"),
    (11, "802.11ax (HE)"),
];

const TURBO_TYPES: &[(u64, &str)] = &[(0, "Non-turbo"), (1, "Static turbo"), (2, "Dynamic turbo")];
const G_MODES: &[(u64, &str)] = &[(0, "None"), (1, "Super G")];

crate::define_fields! { after super::eap::END;
    RADIO = "wlan_radio", "802.11 radio information", PROTO;
    RADIO_PHY = "wlan_radio.phy", "PHY type", dec_named(32, PHY_NAMES);
    RADIO_MCS = "wlan_radio.11n.mcs_index", "MCS index", dec(32);
    RADIO_BW = "wlan_radio.11n.bandwidth", "Bandwidth", dec_named(32, super::radiotap::BANDWIDTHS);
    RADIO_SGI = "wlan_radio.11n.short_gi", "Short GI", flag(0, 0);
    RADIO_GREENFIELD = "wlan_radio.11n.greenfield", "Greenfield", flag(0, 0);
    RADIO_STBC = "wlan_radio.11n.stbc_streams", "Number of STBC streams", dec(32);
    RADIO_NESS = "wlan_radio.11n.ness", "Number of extension spatial streams", dec(32);
    RADIO_HOP_SET = "wlan_radio.fhss.hop_set", "Hop set", hex(8);
    RADIO_HOP_PATTERN = "wlan_radio.fhss.hop_pattern", "Hop pattern", hex(8);
    RADIO_TURBO = "wlan_radio.11a.turbo_type", "Turbo type", dec_named(32, TURBO_TYPES);
    RADIO_11G_MODE = "wlan_radio.11g.mode", "Proprietary mode", dec_named(32, G_MODES);
    RADIO_SHORT_PREAMBLE = "wlan_radio.short_preamble", "Short preamble", flag(0, 0);
    RADIO_DATA_RATE = "wlan_radio.data_rate", "Data rate", FLOAT;
    RADIO_CHANNEL = "wlan_radio.channel", "Channel", dec(8);
    RADIO_FREQUENCY = "wlan_radio.frequency", "Frequency", dec(16);
    RADIO_SIGNAL_DBM = "wlan_radio.signal_dbm", "Signal strength (dBm)", int(8);
    RADIO_NOISE_DBM = "wlan_radio.noise_dbm", "Noise level (dBm)", int(8);
    RADIO_SNR = "wlan_radio.snr", "Signal/noise ratio (dB)", dec(32);
    RADIO_SIGNAL_DB = "wlan_radio.signal_db", "Signal strength (dB)", dec(8);
    RADIO_NOISE_DB = "wlan_radio.noise_db", "Noise level (dB)", dec(8);
    RADIO_TIMESTAMP = "wlan_radio.timestamp", "TSF timestamp", dec(64);
    RADIO_DURATION = "wlan_radio.duration", "Duration", dec(32);
    RADIO_ASSUMED_SHORT_PREAMBLE = "wlan_radio.assumed.short_preamble", "No preamble length information was available, assuming short preamble.", NONE;
    RADIO_PREAMBLE = "wlan_radio.preamble", "Preamble", dec(32);
    RADIO_START_TSF = "wlan_radio.start_tsf", "Start", dec(64);
    RADIO_END_TSF = "wlan_radio.end_tsf", "End", dec(64);
}

/// The PHY type tshark infers: HE, VHT or HT fields first, then the channel flags,
/// then a DSSS rate.
fn phy_of(radio: &Radio) -> Option<u64> {
    if let Some(named) = radio.phy {
        // A header that names no PHY still has its DSSS rates read as 802.11b.
        return named.or_else(|| dsss_rate(radio));
    }
    if radio.he {
        return Some(11);
    }
    if radio.vht {
        return Some(8);
    }
    if radio.mcs.is_some() {
        return Some(7);
    }
    if let Some((_, flags)) = radio.channel {
        let cck = flags & 0x0020 != 0;
        let ofdm = flags & 0x0040 != 0;
        let ghz2 = flags & 0x0080 != 0;
        let ghz5 = flags & 0x0100 != 0;
        let dynamic = flags & 0x0400 != 0;
        if flags & 0x0800 != 0 {
            return Some(1);
        }
        if ghz5 && ofdm {
            return Some(5);
        }
        if ghz2 && cck {
            return Some(4);
        }
        if ghz2 && (ofdm || dynamic) {
            return Some(6);
        }
    }
    dsss_rate(radio)
}

/// 802.11b, when the rate is one of its four (1, 2, 5.5 or 11 Mb/s).
fn dsss_rate(radio: &Radio) -> Option<u64> {
    match radio.rate {
        Some(2 | 4 | 11 | 22) => Some(4),
        _ => None,
    }
}

/// tshark's "802.11 radio information": what the radio header says, in one form for
/// every radio header type.
pub fn dissect(d: &mut Dissection<'_>, radio: &Radio, frame_len: usize) {
    let item = d.add(RADIO, 0, 0, Value::None);
    d.push_layer("wlan_radio");
    let mut phy = phy_of(radio);
    // tshark times (and names) an 802.11g frame sent at an 802.11b rate as 802.11b.
    if phy == Some(6) && matches!(radio.rate, Some(2 | 4 | 11 | 22 | 44 | 66)) {
        phy = Some(4);
    }
    let airtime = duration(phy, radio, frame_len);
    if let Some(a) = airtime
        && d.wants_experts()
        && !d.keeps_fields_of(RADIO)
    {
        // The load pass counts the assumptions without building the tree.
        if a.assumed_short {
            d.expert(usize::MAX, assumed_short_preamble());
        }
        for message in a.assumed_ht.into_iter().flatten() {
            d.expert(usize::MAX, assumption(message));
        }
    }
    if !d.keeps_fields_of(RADIO) {
        return;
    }
    d.begin(item);
    if let Some(phy) = phy {
        d.add(RADIO_PHY, 0, 0, Value::UInt(phy));
    }
    match (phy, radio.fhss, radio.turbo_type, radio.g_mode) {
        (Some(1), Some((set, pattern)), _, _) => {
            d.add(RADIO_HOP_SET, 0, 0, Value::UInt(u64::from(set)));
            d.add(RADIO_HOP_PATTERN, 0, 0, Value::UInt(u64::from(pattern)));
        }
        (Some(5), _, Some(turbo), _) => _ = d.add(RADIO_TURBO, 0, 0, Value::UInt(turbo)),
        (Some(6), _, _, Some(mode)) => _ = d.add(RADIO_11G_MODE, 0, 0, Value::UInt(mode)),
        _ => {}
    }
    if let (Some(4), Some(flags)) = (phy, radio.flags) {
        let short = flags & 0x02 != 0;
        d.add_labeled(RADIO_SHORT_PREAMBLE, 0, 0, Value::Bool(short), || {
            format!("Short preamble: {}", if short { "True" } else { "False" })
        });
    }
    if let Some((known, flags, index)) = radio.mcs {
        if known & 0x02 != 0 {
            d.add(RADIO_MCS, 0, 0, Value::UInt(u64::from(index)));
        }
        if known & 0x01 != 0 {
            d.add(RADIO_BW, 0, 0, Value::UInt(u64::from(flags & 0x03)));
        }
        if known & 0x04 != 0 {
            let sgi = flags & 0x04 != 0;
            d.add_labeled(RADIO_SGI, 0, 0, Value::Bool(sgi), || {
                format!("Short GI: {}", if sgi { "True" } else { "False" })
            });
        }
        if known & 0x08 != 0 {
            let gf = flags & 0x08 != 0;
            d.add_labeled(RADIO_GREENFIELD, 0, 0, Value::Bool(gf), || {
                format!("Greenfield: {}", if gf { "True" } else { "False" })
            });
        }
        if known & 0x20 != 0 {
            d.add(
                RADIO_STBC,
                0,
                0,
                Value::UInt(u64::from((flags >> 5) & 0x03)),
            );
        }
        if let Some(ness) = ness_of(radio) {
            d.add(RADIO_NESS, 0, 0, Value::UInt(u64::from(ness)));
        }
    }
    let rate = radio
        .rate
        .map(|r| f64::from(r) / 2.0)
        .or_else(|| mcs_rate_exact(radio))
        .or_else(|| he_rate(radio));
    if let Some(rate) = rate {
        d.add_labeled(RADIO_DATA_RATE, 0, 0, Value::Float(rate), || {
            format!("Data rate: {rate:.1} Mb/s")
        });
    }
    if let Some((freq, _)) = radio.channel {
        if let Some(c) = channel_of(freq) {
            d.add(RADIO_CHANNEL, 0, 0, Value::UInt(u64::from(c)));
        }
        d.add_labeled(RADIO_FREQUENCY, 0, 0, Value::UInt(u64::from(freq)), || {
            format!("Frequency: {freq}MHz")
        });
    }
    if let Some(s) = radio.signal {
        d.add_labeled(RADIO_SIGNAL_DBM, 0, 0, Value::Int(i64::from(s)), || {
            format!("Signal strength (dBm): {s} dBm")
        });
    }
    if let Some(n) = radio.noise {
        d.add_labeled(RADIO_NOISE_DBM, 0, 0, Value::Int(i64::from(n)), || {
            format!("Noise level (dBm): {n} dBm")
        });
    }
    if let (Some(s), Some(n)) = (radio.signal, radio.noise) {
        let snr = (i64::from(s) - i64::from(n)).max(0);
        d.add_labeled(RADIO_SNR, 0, 0, Value::UInt(snr as u64), || {
            format!("Signal/noise ratio (dB): {snr} dB")
        });
    }
    if let Some(s) = radio.db_signal {
        d.add_labeled(RADIO_SIGNAL_DB, 0, 0, Value::UInt(u64::from(s)), || {
            format!("Signal strength (dB): {s} dB")
        });
    }
    if let Some(n) = radio.db_noise {
        d.add_labeled(RADIO_NOISE_DB, 0, 0, Value::UInt(u64::from(n)), || {
            format!("Noise level (dB): {n} dB")
        });
    }
    if let Some(t) = radio.tsft {
        d.add(RADIO_TIMESTAMP, 0, 0, Value::UInt(t));
    }
    if let Some(a) = airtime {
        let us = a.micros;
        let it = d.add_generated_labeled(RADIO_DURATION, Value::UInt(us), || {
            format!("Duration: {us}µs")
        });
        d.begin(it);
        if a.assumed_short {
            let node = d.add_generated_labeled(RADIO_ASSUMED_SHORT_PREAMBLE, Value::None, || {
                "No preamble length information was available, assuming short preamble.".to_string()
            });
            d.expert(node, assumed_short_preamble());
        }
        for message in a.assumed_ht.into_iter().flatten() {
            let node = d.text(0, 0, || format!("[{message}]"));
            d.expert(node, assumption(message));
        }
        let pre = a.preamble;
        d.add_generated_labeled(RADIO_PREAMBLE, Value::UInt(pre), || {
            format!("Preamble: {pre}µs")
        });
        // tshark takes the TSF timestamp as the end of the frame.
        if let Some(end) = radio.tsft {
            let start = end.saturating_sub(us);
            d.add_generated_labeled(RADIO_START_TSF, Value::UInt(start), || {
                format!("Start: {start}µs")
            });
            d.add_generated_labeled(RADIO_END_TSF, Value::UInt(end), || format!("End: {end}µs"));
        }
        d.end();
    }
    d.end();
}

/// The data rate in Mb/s of an HE single-user frame from its radiotap HE words (MCS,
/// bandwidth, guard interval and space-time streams, each when its "known" bit is
/// set): data subcarriers × coded bits per subcarrier × streams over the 12.8 µs
/// symbol plus its guard interval, rounded to one decimal as tshark prints it.
fn he_rate(radio: &Radio) -> Option<f64> {
    let [data1, data2, data3, _, data5, data6] = radio.he_data?;
    // PPDU format 0 (HE_SU) or 1 (HE_EXT_SU); MCS and BW known.
    if data1 & 0x0003 > 1 || data1 & 0x0020 == 0 || data1 & 0x4000 == 0 {
        return None;
    }
    // Coded bits per subcarrier ×12 for MCS 0 to 11 (BPSK 1/2 ... 1024-QAM 5/6).
    const BITS_X12: [u64; 12] = [6, 12, 18, 24, 36, 48, 54, 60, 72, 80, 90, 100];
    let mcs = usize::from((data3 >> 8) & 0x0f);
    let bits_x12 = *BITS_X12.get(mcs)?;
    let subcarriers: u64 = match data5 & 0x0f {
        0 => 234,
        1 => 468,
        2 => 980,
        3 => 1960,
        _ => return None,
    };
    let gi_tenths: u64 = if data2 & 0x0002 != 0 {
        match (data5 >> 4) & 0x03 {
            0 => 8,
            1 => 16,
            2 => 32,
            _ => return None,
        }
    } else {
        8
    };
    let streams = u64::from((data6 & 0x0f).max(1));
    // Mb/s = subcarriers × bits × streams / (12.8 + GI) µs.
    let numerator = subcarriers * bits_x12 * streams * 10;
    let denominator = 12 * (128 + gi_tenths);
    let tenths = (numerator * 10 + denominator / 2) / denominator;
    Some(tenths as f64 / 10.0)
}

/// How long a frame was on the air, as tshark computes it.
#[derive(Debug, Clone, Copy)]
struct Airtime {
    micros: u64,
    preamble: u64,
    assumed_short: bool,
    /// HT assumptions made for want of MCS "known" bits, in tshark's order.
    assumed_ht: [Option<&'static str>; 4],
}

/// The airtime of an HT frame of `bits` bits from its MCS field: the mixed-format
/// (or greenfield) preamble with one HT-LTF per space-time and extension stream, then
/// 3.6 or 4 µs symbols of 16 service bits, the frame and 6 tail bits, an even number
/// of them with STBC. What the MCS field does not say is assumed as tshark does.
fn ht_duration(radio: &Radio, bits: u64) -> Option<Airtime> {
    let (known, flags, index) = radio.mcs?;
    if known & 0x02 == 0 || index > 31 {
        return None;
    }
    let wide = known & 0x01 != 0 && flags & 0x03 == 1;
    let short_gi = known & 0x04 != 0 && flags & 0x04 != 0;
    let greenfield = known & 0x08 != 0 && flags & 0x08 != 0;
    let stbc = if known & 0x20 != 0 {
        u64::from((flags >> 5) & 0x03)
    } else {
        0
    };
    let ness = u64::from(ness_of(radio).unwrap_or(0));
    if ness > 3 {
        // tshark times no frame with more extension streams than HT has.
        return None;
    }
    let ltf = |n: u64| -> u64 {
        match n {
            0 => 0,
            1 => 1,
            2 => 2,
            _ => 4,
        }
    };
    let nss = u64::from(index / 8) + 1;
    if nss + stbc > 4 {
        return None;
    }
    let n_ltf = ltf(nss + stbc) + ltf(ness);
    // The legacy or greenfield training fields and signal, then 4 µs per HT-LTF.
    let preamble = if greenfield { 24 } else { 32 } + 4 * n_ltf;
    // Data bits per 4 µs symbol: four times the long-GI rate in Mb/s.
    let rate_tenths = (ht_rate(index, wide, false)? * 10.0).round() as u64;
    let n_dbps = rate_tenths * 4 / 10;
    if n_dbps == 0 {
        return None;
    }
    let mut symbols = (16 + bits + 6).div_ceil(n_dbps);
    if stbc > 0 && symbols % 2 == 1 {
        symbols += 1;
    }
    // Symbol time in tenths of a microsecond; tshark rounds to whole microseconds.
    let symbol_tenths = if short_gi { 36 } else { 40 };
    let micros = preamble + (symbols * symbol_tenths + 5) / 10;
    let assumed = |bit: u8, text: &'static str| (known & bit == 0).then_some(text);
    let ness_given = radio.ness.is_some() || known & 0x40 != 0;
    Some(Airtime {
        micros,
        preamble,
        assumed_short: false,
        assumed_ht: [
            assumed(
                0x08,
                "No plcp type information was available, assuming non greenfield.",
            ),
            assumed(0x20, "No stbc information was available, assuming no stbc."),
            (!ness_given).then_some(
                "No extension stream information was available, assuming no extension streams.",
            ),
            assumed(
                0x10,
                "No fec type information was available, assuming bcc fec.",
            ),
        ],
    })
}

/// The number of HT extension spatial streams: given outright (PPI) or by the MCS
/// field's known and flag bits (radiotap).
fn ness_of(radio: &Radio) -> Option<u8> {
    if radio.ness.is_some() {
        return radio.ness;
    }
    let (known, flags, _) = radio.mcs?;
    (known & 0x40 != 0).then_some((flags >> 7) & 0x01 | ((known >> 7) & 1) << 1)
}

/// An assumption the airtime needed, as tshark's expert item.
fn assumption(message: &'static str) -> super::tree::Expert {
    super::tree::Expert {
        severity: super::tree::Severity::Warning,
        group: "Assumption",
        protocol: "802.11 Radio",
        message: std::borrow::Cow::Borrowed(message),
    }
}

/// The expert item of an 802.11b frame whose radio header does not say its preamble.
fn assumed_short_preamble() -> super::tree::Expert {
    super::tree::Expert {
        severity: super::tree::Severity::Warning,
        group: "Assumption",
        protocol: "802.11 Radio",
        message: std::borrow::Cow::Borrowed(
            "No preamble length information was available, assuming short preamble.",
        ),
    }
}

/// The airtime of `frame_len` bytes (the 802.11 frame, FCS included) for the
/// DSSS/CCK (802.11b), OFDM (802.11a/g) and HT PHYs; none for VHT and HE (not done).
fn duration(phy: Option<u64>, radio: &Radio, frame_len: usize) -> Option<Airtime> {
    let bits = u64::try_from(frame_len).ok()?.checked_mul(8)?;
    if phy == Some(7) {
        return ht_duration(radio, bits);
    }
    let rate_half_mbps = u64::from(radio.rate?);
    if rate_half_mbps == 0 {
        return None;
    }
    match phy? {
        4 => {
            // 802.11b: a long (192 µs) or short (96 µs) preamble, then the bits at the rate.
            let short = radio.flags.map(|f| f & 0x02 != 0);
            let preamble = if short.unwrap_or(true) { 96 } else { 192 };
            let payload = (bits * 2).div_ceil(rate_half_mbps);
            Some(Airtime {
                micros: preamble + payload,
                preamble,
                assumed_short: short.is_none(),
                assumed_ht: [None; 4],
            })
        }
        5 | 6 => {
            // OFDM: 20 µs of preamble and SIGNAL, then 4 µs symbols carrying
            // 16 service bits, the frame and 6 tail bits (tshark adds no 802.11g
            // signal extension).
            let bits_per_symbol = rate_half_mbps * 2;
            let symbols = (16 + bits + 6).div_ceil(bits_per_symbol);
            Some(Airtime {
                micros: 20 + symbols * 4,
                preamble: 20,
                assumed_short: false,
                assumed_ht: [None; 4],
            })
        }
        _ => None,
    }
}
