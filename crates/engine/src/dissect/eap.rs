//! EAP (RFC 3748) inside EAPOL: code, identifier, length and method type, enough for
//! the Info column tshark writes ("Request, Identity", "Success").

use super::field::kinds::*;
use super::tree::Dissection;
use super::value::Value;
use crate::bytes;

const CODES: &[(u64, &str)] = &[
    (1, "Request"),
    (2, "Response"),
    (3, "Success"),
    (4, "Failure"),
    (5, "Initiate"),
    (6, "Finish"),
];
#[rustfmt::skip]
const TYPES: &[(u64, &str)] = &[
    (1, "Identity"), (2, "Notification"), (3, "Legacy Nak (Response Only)"),
    (4, "MD5-Challenge EAP (EAP-MD5-CHALLENGE)"), (13, "TLS EAP (EAP-TLS)"),
    (18, "GSM Subscriber Identity Modules EAP (EAP-SIM)"), (21, "Tunneled TLS EAP (EAP-TTLS)"),
    (23, "EAP-AKA Authentication (EAP-AKA)"), (25, "Protected EAP (EAP-PEAP)"),
    (26, "MS-CHAP-v2 EAP (EAP-MS-CHAP-v2)"),
];

crate::define_fields! { after super::eapol::END;
    EAP = "eap", "Extensible Authentication Protocol", PROTO;
    CODE = "eap.code", "Code", dec_named(8, CODES);
    ID = "eap.id", "Id", dec(8);
    LEN = "eap.len", "Length", dec(16);
    TYPE = "eap.type", "Type", dec_named(8, TYPES);
}

/// Dissects an EAP packet at `offset`.
pub fn dissect<'a>(d: &mut Dissection<'a>, data: &'a [u8], offset: usize) {
    let (Some(code), Some(id), Some(len)) = (
        bytes::u8_at(data, offset),
        bytes::u8_at(data, offset + 1),
        bytes::be_u16(data, offset + 2),
    ) else {
        super::malformed(d, data, offset, "EAP", 4);
        return;
    };
    let span = usize::from(len).min(data.len().saturating_sub(offset));
    let item = d.add(EAP, offset, span, Value::None);
    d.push_layer("eap");
    d.set_protocol("EAP");
    let code_name = super::value::value_name(Some(CODES), u64::from(code)).unwrap_or("Unknown");
    let kind = if matches!(code, 1 | 2) && len >= 5 {
        bytes::u8_at(data, offset + 4)
    } else {
        None
    };
    d.set_info(|| match kind {
        Some(t) => {
            let name = super::value::value_name(Some(TYPES), u64::from(t)).unwrap_or("Unknown");
            format!("{code_name}, {name}")
        }
        None => code_name.to_string(),
    });
    if d.keeps_fields_of(EAP) {
        d.begin(item);
        d.add(CODE, offset, 1, Value::UInt(u64::from(code)));
        d.add(ID, offset + 1, 1, Value::UInt(u64::from(id)));
        d.add(LEN, offset + 2, 2, Value::UInt(u64::from(len)));
        if let Some(t) = kind {
            d.add(TYPE, offset + 4, 1, Value::UInt(u64::from(t)));
        }
        d.end();
    }
}

#[cfg(test)]
mod tests {
    use crate::dissect::testing::{field, with_frame, with_truncated};

    /// In tcpdump's test corpus (tests/corpus/tcpdump).
    const EAPON1: &str = "../corpus/tcpdump/eapon1.pcap";

    /// eapon1.pcap frame 14: an EAP identity request in EAPOL.
    #[test]
    fn identity_request() {
        with_frame(EAPON1, 14, |d| {
            assert_eq!(field(d, "eapol.type"), "0");
            assert_eq!(field(d, "eap.code"), "1");
            assert_eq!(field(d, "eap.type"), "1");
            assert_eq!(d.columns.info, "Request, Identity");
        });
    }

    /// The same frame cut inside the EAP header.
    #[test]
    fn truncated_eap() {
        with_truncated(EAPON1, 14, 20, |d| {
            assert_eq!(field(d, "eap.code"), "");
        });
    }
}
