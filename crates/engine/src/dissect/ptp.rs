//! PTP, the Precision Time Protocol of IEEE 1588 version 2, on EtherType 0x88f7 and
//! UDP 319/320: tshark 4.0's Protocol `PTPv2`, the message type in Info (a management
//! message's data set and action), and the common header's fields. The bodies after
//! the header (timestamps, announce data, TLVs) are not decoded.

use super::context::PacketContext;
use super::field::Base;
use super::field::kinds::*;
use super::tree::Dissection;
use super::value::{Value, value_name};
use crate::bytes;

/// Length of the common header.
const HEADER_LEN: usize = 34;

/// Message types as tshark 4.0 names them (`ptp.v2.messagetype`).
const MESSAGE_TYPES: &[(u64, &str)] = &[
    (0, "Sync Message"),
    (1, "Delay_Req Message"),
    (2, "Peer_Delay_Req Message"),
    (3, "Peer_Delay_Resp Message"),
    (8, "Follow_Up Message"),
    (9, "Delay_Resp Message"),
    (10, "Peer_Delay_Resp_Follow_Up Message"),
    (11, "Announce Message"),
    (12, "Signalling Message"),
    (13, "Management Message"),
];

/// Management message type.
const MANAGEMENT: u8 = 13;

/// A management message's action (`ptp.v2.mm.action`).
const ACTIONS: &[(u64, &str)] = &[
    (0, "GET"),
    (1, "SET"),
    (2, "RESPONSE"),
    (3, "COMMAND"),
    (4, "ACKNOWLEDGE"),
];

/// Management IDs as tshark's Info column words them.
const MANAGEMENT_IDS: &[(u64, &str)] = &[
    (0x0000, "Null management"),
    (0x0001, "Clock description"),
    (0x0002, "User description"),
    (0x0003, "Save in non volatile storage"),
    (0x0004, "Reset non volatile storage"),
    (0x0005, "Initialize"),
    (0x0006, "Fault log"),
    (0x0007, "Fault log reset"),
    (0x2000, "Default dataset"),
    (0x2001, "Current dataset"),
    (0x2002, "Parent dataset"),
    (0x2003, "Time properties dataset"),
    (0x2004, "Port dataset"),
    (0x2005, "Priority 1"),
    (0x2006, "Priority 2"),
    (0x2007, "Domain"),
    (0x2008, "Slave only"),
    (0x2009, "Log announce interval"),
    (0x200a, "Announce receipt timeout"),
    (0x200b, "Log sync interval"),
    (0x200c, "Version number"),
    (0x200d, "Enable port"),
    (0x200e, "Disable port"),
    (0x200f, "Time"),
    (0x2010, "Clock accuracy"),
    (0x2011, "UTC properties"),
    (0x2012, "Traceability properties"),
    (0x2013, "Timescale properties"),
    (0x2014, "Unicast negotiation enable"),
    (0x2015, "Path trace list"),
    (0x2016, "Path trace enable"),
    (0x2017, "Grandmaster cluster table"),
    (0x2018, "Unicast master table"),
    (0x2019, "Unicast master max table size"),
    (0x201a, "Acceptable master table"),
    (0x201b, "Acceptable master table enabled"),
    (0x201c, "Acceptable master max table size"),
    (0x201d, "Alternate master"),
    (0x201e, "Alternate time offset enable"),
    (0x201f, "Alternate time offset name"),
    (0x2020, "Alternate time offset max key"),
    (0x2021, "Alternate time offset properties"),
    (0x4000, "Transparent clock default dataset"),
    (0x4001, "Transparent clock port dataset"),
    (0x4002, "Primary domain"),
    (0x6000, "Delay mechanism"),
    (0x6001, "Log min pdelay req. interval"),
];

crate::define_fields! { after super::erspan::END;
    PTP = "ptp", "Precision Time Protocol (IEEE1588)", PROTO;
    MAJOR_SDO_ID = "ptp.v2.majorsdoid", "majorSdoId", uint(8, Base::Hex, 0xf0, None);
    MESSAGE_TYPE = "ptp.v2.messagetype", "messageType", uint(8, Base::Hex, 0x0f, Some(MESSAGE_TYPES));
    MINOR_VERSION = "ptp.v2.minorversionptp", "minorVersionPTP", uint(8, Base::Dec, 0xf0, None);
    VERSION = "ptp.v2.versionptp", "versionPTP", uint(8, Base::Dec, 0x0f, None);
    MESSAGE_LENGTH = "ptp.v2.messagelength", "messageLength", dec(16);
    DOMAIN = "ptp.v2.domainnumber", "domainNumber", dec(8);
    FLAGS = "ptp.v2.flags", "flags", hex(16);
    CORRECTION_NS = "ptp.v2.correction.ns", "correction", dec(64);
    CLOCK_IDENTITY = "ptp.v2.clockidentity", "ClockIdentity", hex(64);
    SOURCE_PORT_ID = "ptp.v2.sourceportid", "SourcePortID", dec(16);
    SEQUENCE_ID = "ptp.v2.sequenceid", "sequenceId", dec(16);
    CONTROL = "ptp.v2.controlfield", "controlField", dec(8);
    LOG_PERIOD = "ptp.v2.logmessageperiod", "logMessagePeriod", int(8);
    MM_ACTION = "ptp.v2.mm.action", "action", uint(8, Base::Dec, 0x0f, Some(ACTIONS));
    MM_MANAGEMENT_ID = "ptp.v2.mm.managementId", "managementId", dec(16);
}

/// Dissects the PTP message in `payload`, which lies at `at` of the packet `data`
/// (and runs to the end of the frame or the datagram). Only version 2 is read;
/// another version is left to the data dissector.
pub fn dissect<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    data: &'a [u8],
    at: usize,
    payload: &'a [u8],
) {
    let version = bytes::u8_at(payload, 1).map(|b| b & 0x0f);
    if version != Some(2) {
        super::data::dissect_bytes(d, payload, at);
        return;
    }
    d.open_protocol(PTP, (at, payload.len()), "ptp", "PTPv2");
    let (Some(first), Some(second)) = (bytes::u8_at(payload, 0), bytes::u8_at(payload, 1)) else {
        d.end();
        return;
    };
    let message_type = first & 0x0f;
    let info = management_info(payload, message_type)
        .or_else(|| value_name(Some(MESSAGE_TYPES), u64::from(message_type)).map(str::to_string));
    let info = info.unwrap_or_else(|| format!("Unknown ({message_type})"));
    d.set_info(|| info);
    d.add(MAJOR_SDO_ID, at, 1, Value::UInt(u64::from(first >> 4)));
    d.add(MESSAGE_TYPE, at, 1, Value::UInt(u64::from(message_type)));
    d.add(
        MINOR_VERSION,
        at + 1,
        1,
        Value::UInt(u64::from(second >> 4)),
    );
    d.add(VERSION, at + 1, 1, Value::UInt(u64::from(second & 0x0f)));
    if payload.len() < HEADER_LEN {
        d.end();
        super::truncated(d, ctx, data, at + 2, "PTP");
        return;
    }
    let u16_at = |o: usize| Value::UInt(u64::from(bytes::be_u16(payload, o).unwrap_or(0)));
    let u8_at = |o: usize| Value::UInt(u64::from(bytes::u8_at(payload, o).unwrap_or(0)));
    d.add(MESSAGE_LENGTH, at + 2, 2, u16_at(2));
    d.add(DOMAIN, at + 4, 1, u8_at(4));
    d.add(FLAGS, at + 6, 2, u16_at(6));
    let correction = bytes::be_u64(payload, 8).unwrap_or(0);
    // The field counts nanoseconds times 2^16.
    d.add(CORRECTION_NS, at + 8, 6, Value::UInt(correction >> 16));
    d.add(
        CLOCK_IDENTITY,
        at + 20,
        8,
        Value::UInt(bytes::be_u64(payload, 20).unwrap_or(0)),
    );
    d.add(SOURCE_PORT_ID, at + 28, 2, u16_at(28));
    d.add(SEQUENCE_ID, at + 30, 2, u16_at(30));
    d.add(CONTROL, at + 32, 1, u8_at(32));
    let period = bytes::u8_at(payload, 33).map_or(0, |b| i64::from(b as i8));
    d.add(LOG_PERIOD, at + 33, 1, Value::Int(period));
    if message_type == MANAGEMENT {
        if let Some(action) = bytes::u8_at(payload, 46) {
            d.add(MM_ACTION, at + 46, 1, Value::UInt(u64::from(action & 0x0f)));
        }
        if let Some(id) = bytes::be_u16(payload, 52) {
            d.add(MM_MANAGEMENT_ID, at + 52, 2, Value::UInt(u64::from(id)));
        }
    }
    d.end();
}

/// Where the PTP message at `offset` of an Ethernet frame ends (its declared length),
/// so that the bytes after it show as the frame's padding.
pub fn end_of(data: &[u8], offset: usize) -> Option<usize> {
    let len = usize::from(bytes::be_u16(data, offset + 2)?);
    Some(offset.saturating_add(len).min(data.len()))
}

/// A management message's Info: `Management (<data set>) <action>`, when both are
/// there and known.
fn management_info(payload: &[u8], message_type: u8) -> Option<String> {
    if message_type != MANAGEMENT {
        return None;
    }
    let action = value_name(Some(ACTIONS), u64::from(bytes::u8_at(payload, 46)? & 0x0f))?;
    let id = value_name(Some(MANAGEMENT_IDS), u64::from(bytes::be_u16(payload, 52)?))?;
    Some(format!("Management ({id}) {action}"))
}

#[cfg(test)]
mod tests {
    use crate::dissect::testing::{field, with_frame, with_truncated};

    /// tcpdump's ptp_ethernet.pcap, cut to its first frames: Sync, Follow_Up,
    /// Announce over Ethernet.
    #[test]
    fn message_types_over_ethernet() {
        with_frame("ptp_ethernet.pcap", 1, |d| {
            assert_eq!(d.columns.protocol, "PTPv2");
            assert_eq!(d.columns.info, "Sync Message");
            assert_eq!(field(d, "ptp.v2.versionptp"), "2");
            assert_eq!(field(d, "ptp.v2.messagetype"), "0x00");
        });
        with_frame("ptp_ethernet.pcap", 3, |d| {
            assert_eq!(d.columns.info, "Announce Message");
        });
    }

    /// Every cut of the header dissects without a panic.
    #[test]
    fn cut_headers() {
        for len in 0..60 {
            with_truncated("ptp_ethernet.pcap", 1, len, |_| ());
        }
    }
}
