//! The certificate status bodies HTTP carries by media type: OCSP requests and
//! responses (RFC 6960, `application/ocsp-request` and `application/ocsp-response`)
//! and certificate revocation lists (RFC 5280, `application/pkix-crl`). Their top
//! level only, read with a small DER walker: tshark's Protocol column (`OCSP`,
//! `PKIX-CRL`), its Info (`Request`, `Response`, `Certificate Revocation List`) and
//! the outer items with its field names.

use super::field::kinds::*;
use super::tree::Dissection;
use super::value::Value;
use crate::bytes;

#[rustfmt::skip]
const RESPONSE_STATUSES: &[(u64, &str)] = &[
    (0, "successful"), (1, "malformedRequest"), (2, "internalError"), (3, "tryLater"),
    (5, "sigRequired"), (6, "unauthorized"),
];

crate::define_fields! { after super::nat_pmp::END;
    OCSP = "ocsp", "Online Certificate Status Protocol", PROTO;
    TBS_REQUEST = "ocsp.tbsRequest_element", "tbsRequest", NONE;
    OPTIONAL_SIGNATURE = "ocsp.optionalSignature_element", "optionalSignature", NONE;
    REQUEST_LIST = "ocsp.requestList", "requestList", dec(32);
    REQUEST = "ocsp.Request_element", "Request", NONE;
    RESPONSE_STATUS = "ocsp.responseStatus", "responseStatus", dec_named(32, RESPONSE_STATUSES);
    RESPONSE_BYTES = "ocsp.responseBytes_element", "responseBytes", NONE;
    RESPONSE_TYPE_ID = "ocsp.responseType.id", "ResponseType Id", STR;
    BASIC_RESPONSE = "ocsp.BasicOCSPResponse_element", "BasicOCSPResponse", NONE;
    SIGNED_CERTIFICATE_LIST = "x509af.signedCertificateList_element", "signedCertificateList", NONE;
}

/// Most elements of a list counted (a request names one or a few certificates).
const MAX_ELEMENTS: usize = 4096;

/// One DER element: its tag, where its contents start and how long they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Tlv {
    tag: u8,
    start: usize,
    len: usize,
}

impl Tlv {
    /// The element at `at` of `der`; `None` for a multi-byte tag, an indefinite or
    /// over-long length, or contents past the end of `der`.
    fn at(der: &[u8], at: usize) -> Option<Tlv> {
        let tag = bytes::u8_at(der, at)?;
        if tag & 0x1f == 0x1f {
            return None;
        }
        let first = bytes::u8_at(der, at.checked_add(1)?)?;
        let (len, header) = match first {
            0..=0x7f => (usize::from(first), 2),
            0x81..=0x84 => {
                let n = usize::from(first & 0x7f);
                let raw = bytes::slice(der, at + 2, n)?;
                let len = raw.iter().fold(0usize, |v, b| (v << 8) | usize::from(*b));
                (len, 2 + n)
            }
            _ => return None,
        };
        let start = at.checked_add(header)?;
        if start.checked_add(len)? > der.len() {
            return None;
        }
        Some(Tlv { tag, start, len })
    }

    fn end(&self) -> usize {
        self.start + self.len
    }

    /// The element's whole span from `at`, header included.
    fn span(&self, at: usize) -> usize {
        self.end() - at
    }
}

/// Which of the three bodies a media type names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    /// `application/ocsp-request`.
    OcspRequest,
    /// `application/ocsp-response`.
    OcspResponse,
    /// `application/pkix-crl`.
    Crl,
}

impl Body {
    /// The body a (lowercased) media type names, if one of these.
    pub fn of_media(media: &str) -> Option<Body> {
        match media {
            "application/ocsp-request" => Some(Body::OcspRequest),
            "application/ocsp-response" => Some(Body::OcspResponse),
            "application/pkix-crl" => Some(Body::Crl),
            _ => None,
        }
    }
}

/// Dissects `body` (at `at` of the current data source) as `kind`; returns the Info
/// text tshark puts in place of HTTP's.
pub fn dissect(d: &mut Dissection<'_>, body: &[u8], at: usize, kind: Body) -> &'static str {
    match kind {
        Body::OcspRequest | Body::OcspResponse => {
            d.set_protocol("OCSP");
            let item = d.add(OCSP, at, body.len(), Value::None);
            d.push_layer("ocsp");
            d.begin(item);
            let whole = Tlv::at(body, 0).filter(|t| t.tag == 0x30);
            if let Some(outer) = whole {
                if kind == Body::OcspRequest {
                    request(d, body, at, outer);
                } else {
                    response(d, body, at, outer);
                }
            }
            d.end();
            if whole.is_none() {
                super::packet::malformed_pdu(d, "OCSP", at, body.len());
            }
            if kind == Body::OcspRequest {
                "Request"
            } else {
                "Response"
            }
        }
        Body::Crl => {
            d.set_protocol("PKIX-CRL");
            let item = d.text(at, body.len(), || "Certificate Revocation List".into());
            d.push_layer("x509af");
            if let Some(list) = Tlv::at(body, 0)
                .filter(|t| t.tag == 0x30)
                .and_then(|outer| Tlv::at(body, outer.start))
                .filter(|t| t.tag == 0x30)
            {
                d.begin(item);
                let first = outer_start(body);
                d.add(
                    SIGNED_CERTIFICATE_LIST,
                    at + first,
                    list.span(first),
                    Value::None,
                );
                d.end();
            }
            "Certificate Revocation List"
        }
    }
}

/// Where the first element inside the outer SEQUENCE starts.
fn outer_start(body: &[u8]) -> usize {
    Tlv::at(body, 0).map_or(0, |t| t.start)
}

/// OCSPRequest ::= SEQUENCE { tbsRequest, optionalSignature [0] EXPLICIT OPTIONAL }.
fn request(d: &mut Dissection<'_>, body: &[u8], at: usize, outer: Tlv) {
    let Some(tbs) = Tlv::at(body, outer.start).filter(|t| t.tag == 0x30) else {
        return;
    };
    let item = d.add(
        TBS_REQUEST,
        at + outer.start,
        tbs.span(outer.start),
        Value::None,
    );
    d.begin(item);
    // TBSRequest: version [0] and requestorName [1] are optional, then requestList.
    let mut pos = tbs.start;
    for _ in 0..3 {
        let Some(e) = Tlv::at(body, pos).filter(|e| e.end() <= tbs.end()) else {
            break;
        };
        if e.tag == 0x30 {
            let count = elements(body, e);
            // tshark's item of a SEQUENCE OF covers its contents, not its header.
            let list = d.add_labeled(
                REQUEST_LIST,
                at + e.start,
                e.len,
                Value::UInt(count as u64),
                || {
                    format!(
                        "requestList: {count} item{}",
                        if count == 1 { "" } else { "s" }
                    )
                },
            );
            d.begin(list);
            let mut p = e.start;
            for _ in 0..MAX_ELEMENTS {
                let Some(r) = Tlv::at(body, p).filter(|r| r.end() <= e.end()) else {
                    break;
                };
                d.add(REQUEST, at + p, r.span(p), Value::None);
                p = r.end();
            }
            d.end();
            break;
        }
        pos = e.end();
    }
    d.end();
    if let Some(sig) = Tlv::at(body, tbs.end()).filter(|t| t.tag == 0xa0 && t.end() <= outer.end())
    {
        d.add(
            OPTIONAL_SIGNATURE,
            at + tbs.end(),
            sig.span(tbs.end()),
            Value::None,
        );
    }
}

/// OCSPResponse ::= SEQUENCE { responseStatus ENUMERATED, responseBytes [0] EXPLICIT
/// SEQUENCE { responseType OBJECT IDENTIFIER, response OCTET STRING } OPTIONAL }.
fn response(d: &mut Dissection<'_>, body: &[u8], at: usize, outer: Tlv) {
    let Some(status) = Tlv::at(body, outer.start).filter(|t| t.tag == 0x0a) else {
        return;
    };
    let value = bytes::slice(body, status.start, status.len)
        .unwrap_or(&[])
        .iter()
        .take(4)
        .fold(0u64, |v, b| (v << 8) | u64::from(*b));
    d.add(
        RESPONSE_STATUS,
        at + status.start,
        status.len,
        Value::UInt(value),
    );
    let Some(explicit) = Tlv::at(body, status.end()).filter(|t| t.tag == 0xa0) else {
        return;
    };
    let Some(rb) = Tlv::at(body, explicit.start).filter(|t| t.tag == 0x30) else {
        return;
    };
    let item = d.add(
        RESPONSE_BYTES,
        at + explicit.start,
        rb.span(explicit.start),
        Value::None,
    );
    d.begin(item);
    if let Some(oid) = Tlv::at(body, rb.start).filter(|t| t.tag == 0x06) {
        let raw = bytes::slice(body, oid.start, oid.len).unwrap_or(&[]);
        let dotted = oid_text(raw);
        let name = match dotted.as_str() {
            "1.3.6.1.5.5.7.48.1.1" => Some("id-pkix-ocsp-basic"),
            _ => None,
        };
        d.add_labeled(
            RESPONSE_TYPE_ID,
            at + oid.start,
            oid.len,
            Value::owned_str(dotted.as_bytes()),
            || match name {
                Some(n) => format!("ResponseType Id: {dotted} ({n})"),
                None => format!("ResponseType Id: {dotted}"),
            },
        );
        if name.is_some()
            && let Some(octets) = Tlv::at(body, oid.end()).filter(|t| t.tag == 0x04)
            && let Some(basic) = Tlv::at(body, octets.start).filter(|t| t.tag == 0x30)
        {
            d.add(
                BASIC_RESPONSE,
                at + octets.start,
                basic.span(octets.start),
                Value::None,
            );
        }
    }
    d.end();
}

/// How many elements the constructed element `e` holds.
fn elements(der: &[u8], e: Tlv) -> usize {
    let mut n = 0usize;
    let mut p = e.start;
    for _ in 0..MAX_ELEMENTS {
        let Some(x) = Tlv::at(der, p).filter(|x| x.end() <= e.end()) else {
            break;
        };
        n += 1;
        p = x.end();
    }
    n
}

/// An OBJECT IDENTIFIER's contents in dotted form (X.690 section 8.19).
fn oid_text(raw: &[u8]) -> String {
    let mut arcs: Vec<u64> = Vec::new();
    let mut v = 0u64;
    for b in raw {
        v = (v << 7) | u64::from(b & 0x7f);
        if b & 0x80 == 0 {
            if arcs.is_empty() {
                let first = (v / 40).min(2);
                arcs.push(first);
                arcs.push(v - first * 40);
            } else {
                arcs.push(v);
            }
            v = 0;
        }
        if v > u64::MAX >> 8 {
            break;
        }
    }
    arcs.iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

#[cfg(test)]
mod tests {
    use super::{Body, Tlv, dissect, oid_text};
    use crate::dissect::Dissection;
    use crate::dissect::testing::field;

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len() / 2)
            .filter_map(|i| u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok())
            .collect()
    }

    #[test]
    fn oids_and_lengths() {
        assert_eq!(oid_text(&hex("2b0601050507300101")), "1.3.6.1.5.5.7.48.1.1");
        assert_eq!(
            Tlv::at(&hex("3003020101"), 0),
            Some(Tlv {
                tag: 0x30,
                start: 2,
                len: 3
            })
        );
        // A length past the bytes, an indefinite length, a long tag.
        assert_eq!(Tlv::at(&hex("3005020101"), 0), None);
        assert_eq!(Tlv::at(&hex("3080"), 0), None);
        assert_eq!(Tlv::at(&hex("1f0100"), 0), None);
    }

    #[test]
    fn request_top_level() {
        let body = hex(OCSP_REQUEST);
        let mut d = Dissection::new(crate::dissect::Want::All, true, true);
        assert_eq!(dissect(&mut d, &body, 0, Body::OcspRequest), "Request");
        assert_eq!(d.columns.protocol, "OCSP");
        assert_eq!(field(&d, "ocsp.requestList"), "1");
        assert!(d.has(super::TBS_REQUEST));
        // Cut short: the outer SEQUENCE no longer fits, the body is malformed.
        let mut d = Dissection::new(crate::dissect::Want::All, true, true);
        dissect(&mut d, &body[..40], 0, Body::OcspRequest);
        assert!(!d.has(super::TBS_REQUEST));
    }

    /// adityaruge1008 quic.pcapng frame 1012's body.
    const OCSP_REQUEST: &str = "30523050304e304c304a300906052b0e03021a050004145342d4848bc117f9b6144d777cfb23310f7b35cd0414de1b1eed7915d43e3724c321bbec34396d42b230021100ba967e938eb30e2b0ad50bd2294ab14e";
}
