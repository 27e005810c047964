//! Kerberos 5 (RFC 4120) on port 88, as tshark 4.0 names its messages: UDP datagrams
//! and TCP records (a 4-byte record mark, then the message, reassembled over segments
//! by the mark's length). The message is named by its ASN.1 application tag (AS-REQ,
//! TGS-REP, ...); a KRB-ERROR by its error code (`KRB Error:
//! KRB5KDC_ERR_PREAUTH_REQUIRED`). The rest of the DER is not decoded.

use super::apps::PduLen;
use super::field::kinds::*;
use super::tree::Dissection;
use super::value::Value;
use crate::bytes;

/// Kerberos' port on UDP and TCP.
pub const PORT: u16 = 88;

/// The most a TCP record may claim before it is taken for what it is not.
const MAX_RECORD: u32 = 1 << 20;

/// Message names by application tag, as tshark's Info shows them.
#[rustfmt::skip]
const MESSAGES: &[(u64, &str)] = &[
    (10, "AS-REQ"), (11, "AS-REP"), (12, "TGS-REQ"), (13, "TGS-REP"), (14, "AP-REQ"),
    (15, "AP-REP"), (16, "TGT-REQ"), (17, "TGT-REP"), (20, "KRB-SAFE"), (21, "KRB-PRIV"),
    (22, "KRB-CRED"), (30, "KRB-ERROR"),
];

/// Error codes (RFC 4120 7.5.9, RFC 4556 and Microsoft's) by the names tshark's Info
/// gives them.
#[rustfmt::skip]
const ERRORS: &[(u64, &str)] = &[
    (0, "KRB5KDC_ERR_NONE"), (1, "KRB5KDC_ERR_NAME_EXP"), (2, "KRB5KDC_ERR_SERVICE_EXP"),
    (3, "KRB5KDC_ERR_BAD_PVNO"), (4, "KRB5KDC_ERR_C_OLD_MAST_KVNO"),
    (5, "KRB5KDC_ERR_S_OLD_MAST_KVNO"), (6, "KRB5KDC_ERR_C_PRINCIPAL_UNKNOWN"),
    (7, "KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN"), (8, "KRB5KDC_ERR_PRINCIPAL_NOT_UNIQUE"),
    (9, "KRB5KDC_ERR_NULL_KEY"), (10, "KRB5KDC_ERR_CANNOT_POSTDATE"),
    (11, "KRB5KDC_ERR_NEVER_VALID"), (12, "KRB5KDC_ERR_POLICY"), (13, "KRB5KDC_ERR_BADOPTION"),
    (14, "KRB5KDC_ERR_ETYPE_NOSUPP"), (15, "KRB5KDC_ERR_SUMTYPE_NOSUPP"),
    (16, "KRB5KDC_ERR_PADATA_TYPE_NOSUPP"), (17, "KRB5KDC_ERR_TRTYPE_NOSUPP"),
    (18, "KRB5KDC_ERR_CLIENT_REVOKED"), (19, "KRB5KDC_ERR_SERVICE_REVOKED"),
    (20, "KRB5KDC_ERR_TGT_REVOKED"), (21, "KRB5KDC_ERR_CLIENT_NOTYET"),
    (22, "KRB5KDC_ERR_SERVICE_NOTYET"), (23, "KRB5KDC_ERR_KEY_EXP"),
    (24, "KRB5KDC_ERR_PREAUTH_FAILED"), (25, "KRB5KDC_ERR_PREAUTH_REQUIRED"),
    (26, "KRB5KDC_ERR_SERVER_NOMATCH"), (27, "KRB5KDC_ERR_MUST_USE_USER2USER"),
    (28, "KRB5KDC_ERR_PATH_NOT_ACCEPTED"), (29, "KRB5KDC_ERR_SVC_UNAVAILABLE"),
    (31, "KRB5KRB_AP_ERR_BAD_INTEGRITY"), (32, "KRB5KRB_AP_ERR_TKT_EXPIRED"),
    (33, "KRB5KRB_AP_ERR_TKT_NYV"), (34, "KRB5KRB_AP_ERR_REPEAT"), (35, "KRB5KRB_AP_ERR_NOT_US"),
    (36, "KRB5KRB_AP_ERR_BADMATCH"), (37, "KRB5KRB_AP_ERR_SKEW"), (38, "KRB5KRB_AP_ERR_BADADDR"),
    (39, "KRB5KRB_AP_ERR_BADVERSION"), (40, "KRB5KRB_AP_ERR_MSG_TYPE"),
    (41, "KRB5KRB_AP_ERR_MODIFIED"), (42, "KRB5KRB_AP_ERR_BADORDER"),
    (43, "KRB5KRB_AP_ERR_ILL_CR_TKT"), (44, "KRB5KRB_AP_ERR_BADKEYVER"),
    (45, "KRB5KRB_AP_ERR_NOKEY"), (46, "KRB5KRB_AP_ERR_MUT_FAIL"),
    (47, "KRB5KRB_AP_ERR_BADDIRECTION"), (48, "KRB5KRB_AP_ERR_METHOD"),
    (49, "KRB5KRB_AP_ERR_BADSEQ"), (50, "KRB5KRB_AP_ERR_INAPP_CKSUM"),
    (51, "KRB5KDC_AP_PATH_NOT_ACCEPTED"), (52, "KRB5KRB_ERR_RESPONSE_TOO_BIG"),
    (60, "KRB5KRB_ERR_GENERIC"), (61, "KRB5KRB_ERR_FIELD_TOOLONG"),
    (62, "KDC_ERROR_CLIENT_NOT_TRUSTED"), (63, "KDC_ERROR_KDC_NOT_TRUSTED"),
    (64, "KDC_ERROR_INVALID_SIG"), (65, "KDC_ERR_KEY_TOO_WEAK"),
    (66, "KDC_ERR_CERTIFICATE_MISMATCH"), (67, "KRB_AP_ERR_NO_TGT"), (68, "KDC_ERR_WRONG_REALM"),
    (69, "KRB_AP_ERR_USER_TO_USER_REQUIRED"), (70, "KDC_ERR_CANT_VERIFY_CERTIFICATE"),
    (71, "KDC_ERR_INVALID_CERTIFICATE"), (72, "KDC_ERR_REVOKED_CERTIFICATE"),
    (73, "KDC_ERR_REVOCATION_STATUS_UNKNOWN"), (74, "KDC_ERR_REVOCATION_STATUS_UNAVAILABLE"),
    (75, "KDC_ERR_CLIENT_NAME_MISMATCH"), (76, "KDC_ERR_KDC_NAME_MISMATCH"),
];

crate::define_fields! { after super::teredo::END;
    KERBEROS = "kerberos", "Kerberos", PROTO;
    RM_RESERVED = "kerberos.rm.reserved", "Reserved", flag(32, 0x8000_0000);
    RM_LENGTH = "kerberos.rm.length", "Record Length", uint(32, super::field::Base::Dec, 0x7fff_ffff, None);
    MSG_TYPE = "kerberos.msg_type", "msg-type", dec_named(32, MESSAGES);
    ERROR_CODE = "kerberos.error_code", "error-code", dec_named(32, ERRORS);
}

/// A DER element at `pos` of `data`: its identifier byte, where its content starts
/// and how long it is (short or long form, at most 4 length bytes).
fn element(data: &[u8], pos: usize) -> Option<(u8, usize, usize)> {
    let tag = bytes::u8_at(data, pos)?;
    let first = bytes::u8_at(data, pos + 1)?;
    if first & 0x80 == 0 {
        return Some((tag, pos + 2, usize::from(first)));
    }
    let n = usize::from(first & 0x7f);
    if n == 0 || n > 4 {
        return None;
    }
    let mut len = 0usize;
    for i in 0..n {
        len = (len << 8) | usize::from(bytes::u8_at(data, pos + 2 + i)?);
    }
    Some((tag, pos + 2 + n, len))
}

/// A KRB-ERROR's error code: context tag [6] of the SEQUENCE the application tag holds.
fn error_code(msg: &[u8], content: usize) -> Option<u64> {
    let (seq_tag, seq_at, seq_len) = element(msg, content)?;
    if seq_tag != 0x30 {
        return None;
    }
    let end = seq_at.checked_add(seq_len)?.min(msg.len());
    let mut pos = seq_at;
    // A KRB-ERROR has at most 13 fields.
    for _ in 0..16 {
        if pos >= end {
            break;
        }
        let (tag, at, len) = element(msg, pos)?;
        if tag == 0xa6 {
            let (int_tag, int_at, int_len) = element(msg, at)?;
            if int_tag != 0x02 || int_len == 0 || int_len > 4 {
                return None;
            }
            let raw = bytes::slice(msg, int_at, int_len)?;
            return Some(raw.iter().fold(0u64, |n, b| (n << 8) | u64::from(*b)));
        }
        pos = at.checked_add(len)?;
    }
    None
}

/// One Kerberos message at `at`; false when it opens with no application tag tshark
/// knows (the bytes stay data).
fn message(d: &mut Dissection<'_>, msg: &[u8], at: usize) -> bool {
    let Some((tag, content, _)) = element(msg, 0) else {
        return false;
    };
    // [APPLICATION n], constructed: 0x60 | n.
    let kind = u64::from(tag & 0x1f);
    let Some(name) = super::value::value_name(Some(MESSAGES), kind).filter(|_| tag & 0xe0 == 0x60)
    else {
        return false;
    };
    d.add(MSG_TYPE, at, 1, Value::UInt(kind));
    let info = if kind == 30 {
        match error_code(msg, content) {
            Some(code) => {
                d.add(ERROR_CODE, at, msg.len(), Value::UInt(code));
                let text = super::value::value_name(Some(ERRORS), code)
                    .map_or_else(|| format!("Unknown error code {code}"), str::to_string);
                format!("KRB Error: {text}")
            }
            None => "KRB Error".to_string(),
        }
    } else {
        name.to_string()
    };
    d.set_info(|| info);
    true
}

/// A Kerberos datagram on UDP port 88. False when its bytes are no Kerberos message.
pub fn dissect_udp(d: &mut Dissection<'_>, at: usize, payload: &[u8]) -> bool {
    let item = d.add(KERBEROS, at, payload.len(), Value::None);
    d.begin(item);
    let known = message(d, payload, at);
    d.end();
    if known {
        d.set_protocol("KRB5");
    }
    known
}

/// Length of the TCP record at the start of `bytes`: its 4-byte mark and the length
/// it announces.
pub fn pdu_len(bytes: &[u8]) -> PduLen {
    match bytes::be_u32(bytes, 0).map(|mark| mark & 0x7fff_ffff) {
        Some(len) if len <= MAX_RECORD => {
            let total = 4 + len as usize;
            if bytes.len() >= total {
                PduLen::Complete(total)
            } else {
                PduLen::NeedMore(Some(total))
            }
        }
        Some(_) => PduLen::Complete(bytes.len()),
        None => PduLen::NeedMore(None),
    }
}

/// One TCP record (mark and message) at `offset`.
pub fn dissect_tcp(d: &mut Dissection<'_>, record: &[u8], offset: usize) {
    d.set_protocol("KRB5");
    d.set_info(String::new);
    let item = d.add(KERBEROS, offset, record.len(), Value::None);
    d.begin(item);
    if let Some(mark) = bytes::be_u32(record, 0) {
        d.add(RM_RESERVED, offset, 4, Value::Bool(mark & 0x8000_0000 != 0));
        d.add(
            RM_LENGTH,
            offset,
            4,
            Value::UInt(u64::from(mark & 0x7fff_ffff)),
        );
    }
    let msg = bytes::tail(record, 4);
    message(d, msg, offset + 4);
    d.end();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info_of(payload: &[u8]) -> (bool, String) {
        let mut d = Dissection::new(crate::dissect::Want::All, true, true);
        let known = dissect_udp(&mut d, 42, payload);
        (known, d.columns.info.clone())
    }

    /// The first bytes of kerbrute's AS-REQ (PCAP-ATTACK's password-spray capture,
    /// frame 5) and of a KRB-ERROR answering it with PREAUTH_REQUIRED (25): names by
    /// application tag and error code; cut or foreign bytes are no message.
    #[test]
    fn messages_by_tag_and_error_code() {
        assert_eq!(
            info_of(&[0x6a, 0x81, 0x94, 0x30, 0x81, 0x91]),
            (true, "AS-REQ".into())
        );
        let error = [
            0x7e, 0x1a, 0x30, 0x18, 0xa0, 0x03, 0x02, 0x01, 0x05, 0xa1, 0x03, 0x02, 0x01, 0x1e,
            0xa4, 0x03, 0x02, 0x01, 0x00, 0xa6, 0x03, 0x02, 0x01, 0x19,
        ];
        assert_eq!(
            info_of(&error),
            (true, "KRB Error: KRB5KDC_ERR_PREAUTH_REQUIRED".into())
        );
        assert_eq!(info_of(&error[..20]), (true, "KRB Error".into()));
        assert!(!info_of(&[0x30, 0x03, 0x02, 0x01, 0x05]).0);
        assert!(!info_of(&[0x6a]).0);
        assert!(!info_of(&[0x6a, 0x85, 1, 2, 3, 4, 5]).0);
        assert_eq!(pdu_len(&[0, 0, 0, 3, 0x6a]), PduLen::NeedMore(Some(7)));
        assert_eq!(pdu_len(&[0, 0, 0, 1, 0x6a]), PduLen::Complete(5));
        assert_eq!(pdu_len(&[0x7f, 0xff, 0xff, 0xff]), PduLen::Complete(4));
        // Every prefix of a TCP record dissects without a panic.
        let mut record = vec![0, 0, 0, error.len() as u8];
        record.extend_from_slice(&error);
        for cut in 0..=record.len() {
            let mut d = Dissection::new(crate::dissect::Want::All, true, true);
            dissect_tcp(&mut d, &record[..cut], 54);
            let _ = pdu_len(&record[..cut]);
        }
    }
}
