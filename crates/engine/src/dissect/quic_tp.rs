//! QUIC transport parameters (RFC 9000 section 18), the TLS extension
//! `quic_transport_parameters` (57) of a QUIC ClientHello or EncryptedExtensions, as
//! tshark 4.0 shows them: one subtree a parameter, titled with its name, length and
//! (for the numbers) value, over its type, length and raw value, then the value read
//! as its type says.

use super::tls::{
    ACK_DELAY_EXPONENT, ACTIVE_CID_LIMIT, INITIAL_MAX_DATA, INITIAL_MAX_STREAM_DATA_BIDI_LOCAL,
    INITIAL_MAX_STREAM_DATA_BIDI_REMOTE, INITIAL_MAX_STREAM_DATA_UNI, INITIAL_MAX_STREAMS_BIDI,
    INITIAL_MAX_STREAMS_UNI, INITIAL_SCID, MAX_ACK_DELAY, MAX_DATAGRAM_FRAME_SIZE,
    MAX_IDLE_TIMEOUT, MAX_UDP_PAYLOAD_SIZE, MIN_ACK_DELAY, ORIGINAL_DCID, PARAMETER_LENGTH,
    PARAMETER_TYPE, PARAMETER_VALUE, RETRY_SCID, STATELESS_RESET_TOKEN,
};
use super::tree::Dissection;
use super::value::{Value, value_name};
use crate::bytes;
use crate::wire::quic_varint as varint;

/// Parameter names as tshark names them (`quic_transport_parameter_id`).
#[rustfmt::skip]
const NAMES: &[(u64, &str)] = &[
    (0x00, "original_destination_connection_id"), (0x01, "max_idle_timeout"),
    (0x02, "stateless_reset_token"), (0x03, "max_udp_payload_size"),
    (0x04, "initial_max_data"), (0x05, "initial_max_stream_data_bidi_local"),
    (0x06, "initial_max_stream_data_bidi_remote"), (0x07, "initial_max_stream_data_uni"),
    (0x08, "initial_max_streams_bidi"), (0x09, "initial_max_streams_uni"),
    (0x0a, "ack_delay_exponent"), (0x0b, "max_ack_delay"),
    (0x0c, "disable_active_migration"), (0x0d, "preferred_address"),
    (0x0e, "active_connection_id_limit"), (0x0f, "initial_source_connection_id"),
    (0x10, "retry_source_connection_id"), (0x20, "max_datagram_frame_size"),
    (0x1000, "cibir_encoding"), (0x1057, "loss_bits"), (0x2ab2, "grease_quic_bit"),
    (0x3127, "google_initial_rtt"), (0x3128, "google_connection_options"),
    (0x3129, "google_user_agent"), (0x312a, "google_key_update_not_yet_supported"),
    (0x312b, "google_support_handshake_done"), (0x4751, "google_quic_params"),
    (0x4752, "google_quic_version"), (0x7157, "enable_time_stamp"),
    (0x7158, "enable_time_stamp_v2"), (0xde1a, "min_ack_delay"),
    (0xff73db, "version_information"), (0xff02de1a, "min_ack_delay"),
];

/// Most parameters read from one extension.
const MAX_PARAMETERS: usize = 256;

/// How a parameter's value reads, and what its subtree's title adds.
enum Reading {
    /// A variable-length integer, in this field, with this unit after it in the title
    /// (`None`: the title shows no value).
    Number(super::field::FieldId, Option<&'static str>),
    /// Bytes, in this field.
    Bytes(super::field::FieldId),
    /// Only the raw value.
    Raw,
}

fn reading(kind: u64) -> Reading {
    use Reading::*;
    match kind {
        0x00 => Bytes(ORIGINAL_DCID),
        0x01 => Number(MAX_IDLE_TIMEOUT, Some(" ms")),
        0x02 => Bytes(STATELESS_RESET_TOKEN),
        0x03 => Number(MAX_UDP_PAYLOAD_SIZE, Some("")),
        0x04 => Number(INITIAL_MAX_DATA, Some("")),
        0x05 => Number(INITIAL_MAX_STREAM_DATA_BIDI_LOCAL, Some("")),
        0x06 => Number(INITIAL_MAX_STREAM_DATA_BIDI_REMOTE, Some("")),
        0x07 => Number(INITIAL_MAX_STREAM_DATA_UNI, Some("")),
        0x08 => Number(INITIAL_MAX_STREAMS_BIDI, Some("")),
        0x09 => Number(INITIAL_MAX_STREAMS_UNI, Some("")),
        0x0a => Number(ACK_DELAY_EXPONENT, None),
        0x0b => Number(MAX_ACK_DELAY, Some("")),
        0x0e => Number(ACTIVE_CID_LIMIT, Some("")),
        0x0f => Bytes(INITIAL_SCID),
        0x10 => Bytes(RETRY_SCID),
        0x20 => Number(MAX_DATAGRAM_FRAME_SIZE, Some("")),
        0xde1a | 0xff02_de1a => Number(MIN_ACK_DELAY, Some("")),
        _ => Raw,
    }
}

/// RFC 9000 section 18.1: ids 31 * N + 27 are reserved to exercise the rule that
/// unknown parameters are ignored.
fn is_grease(kind: u64) -> bool {
    kind.wrapping_sub(27).is_multiple_of(31)
}

/// The name of parameter `kind`: "GREASE" for a reserved id, else tshark's name
/// (`None` for an id it does not know).
fn known_name(kind: u64) -> Option<&'static str> {
    if is_grease(kind) {
        return Some("GREASE");
    }
    value_name(Some(NAMES), kind)
}

/// The name tshark gives parameter `kind` in its Type field.
fn type_name(kind: u64) -> &'static str {
    known_name(kind).unwrap_or("Unknown")
}

/// The parameters of an extension body `data` at frame offset `at`.
pub fn parameters<'a>(d: &mut Dissection<'a>, data: &'a [u8], at: usize) {
    let mut pos = 0usize;
    for _ in 0..MAX_PARAMETERS {
        if pos >= data.len() {
            break;
        }
        let Ok((kind, kind_len)) = varint(data, pos) else {
            break;
        };
        let Ok((len, len_len)) = varint(data, pos + kind_len) else {
            break;
        };
        let value_at = pos + kind_len + len_len;
        let len = usize::try_from(len).unwrap_or(usize::MAX);
        let value = bytes::clamped(data, value_at, len);
        let read = reading(kind);
        // The number a numeric parameter holds, for the title and its field.
        let number = match read {
            Reading::Number(..) => varint(value, 0).ok(),
            _ => None,
        };
        let title = || {
            // An unknown id: tshark's title prints it in 4 hex digits, or 8 past 32 bits.
            let name = match known_name(kind) {
                Some(n) => n.to_string(),
                None if kind > u64::from(u32::MAX) => format!("Unknown 0x{kind:08x}"),
                None => format!("Unknown 0x{kind:04x}"),
            };
            let shown = match (&read, number) {
                (Reading::Number(_, Some(unit)), Some((v, _))) => format!(" {v}{unit}"),
                _ => String::new(),
            };
            format!("Parameter: {name} (len={len}){shown}")
        };
        let item = d.add_labeled(
            super::ws::TEXT,
            at + pos,
            kind_len + len_len + value.len(),
            Value::None,
            title,
        );
        d.begin(item);
        d.add_labeled(
            PARAMETER_TYPE,
            at + pos,
            kind_len,
            Value::UInt(kind),
            || format!("Type: {} (0x{kind:02x})", type_name(kind)),
        );
        d.add(
            PARAMETER_LENGTH,
            at + pos + kind_len,
            len_len,
            Value::UInt(len as u64),
        );
        bytes_item(d, PARAMETER_VALUE, at + value_at, value);
        match read {
            Reading::Number(field, _) => {
                if let Some((v, n)) = number {
                    d.add(field, at + value_at, n, Value::UInt(v));
                }
            }
            Reading::Bytes(field) => bytes_item(d, field, at + value_at, value),
            Reading::Raw => {}
        }
        d.end();
        pos = value_at.saturating_add(len);
        if pos > data.len() {
            break;
        }
    }
}

/// A bytes field; tshark shows an empty one as `<MISSING>`.
fn bytes_item<'a>(
    d: &mut Dissection<'a>,
    field: super::field::FieldId,
    at: usize,
    value: &'a [u8],
) {
    d.add_labeled(field, at, value.len(), Value::Bytes(value.into()), || {
        let name = super::registry::def(field).name;
        if value.is_empty() {
            format!("{name}: <MISSING>")
        } else {
            format!("{name}: {}", super::value::hex_text(value, None))
        }
    });
}

#[cfg(test)]
mod tests {
    use crate::dissect::testing::{field, values, with_frame, with_truncated};

    /// quic_handshake.pcap frame 1: the client's nine parameters, as tshark shows them.
    #[test]
    fn client_parameters() {
        with_frame("quic_handshake.pcap", 1, |d| {
            assert_eq!(field(d, "tls.quic.parameter.max_idle_timeout"), "30000");
            assert_eq!(field(d, "tls.quic.parameter.initial_max_data"), "2097152");
            assert_eq!(
                field(d, "tls.quic.parameter.active_connection_id_limit"),
                "64"
            );
            assert_eq!(values(d, "tls.quic.parameter.type").len(), 9);
            assert_eq!(
                field(d, "tls.quic.parameter.initial_source_connection_id"),
                ""
            );
        });
    }

    /// Names, GREASE and unknown ids as tshark's Type field shows them.
    #[test]
    fn type_names() {
        assert_eq!(super::type_name(0x01), "max_idle_timeout");
        assert_eq!(super::type_name(27 + 31 * 5), "GREASE");
        assert_eq!(super::type_name(0x4242), "Unknown");
    }

    /// A list cut anywhere, or with a length past its end, stops without a panic.
    #[test]
    fn cut_and_lying_lengths() {
        for cut in 0..8 {
            with_truncated("quic_handshake.pcap", 1, cut, |_| {});
        }
        let mut d = crate::dissect::Dissection::full();
        super::parameters(&mut d, &[0x01, 0x3f, 0x80], 0);
        super::parameters(&mut d, &[0x01, 0x04, 0x80, 0x00], 0);
        super::parameters(&mut d, &[0xc0], 0);
    }
}
