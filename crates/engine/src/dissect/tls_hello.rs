//! TLS handshake messages in clear (RFC 5246 7.4, RFC 8446 4): the hellos with their
//! extensions and JA3 fingerprints, the certificate chain, the key exchanges and the
//! TLS 1.2 session ticket. Called only when some TLS field is kept.

use super::tls::*;
use super::tls_codes::{cipher_suite_text, is_grease};
use super::tree::Dissection;
use super::value::{Value, value_name};
use crate::bytes;
use std::borrow::Cow;

/// Items of one list (suites, groups, extensions) shown at most.
const MAX_ITEMS: usize = 1024;

/// `n` and its noun, singular or plural (`1 method`, `2 suites`).
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The 16-bit values of `data` (a list's body), at most [`MAX_ITEMS`].
fn u16s(data: &[u8]) -> impl Iterator<Item = (usize, u16)> + '_ {
    (0..data.len() / 2)
        .take(MAX_ITEMS)
        .filter_map(move |i| Some((i * 2, bytes::be_u16(data, i * 2)?)))
}

/// A ClientHello or ServerHello (RFC 8446 4.1.2, 4.1.3) at `base`; returns the
/// version a ServerHello negotiates. `session`: the session's version, when known.
pub(super) fn hello<'a>(
    d: &mut Dissection<'a>,
    msg: &'a [u8],
    base: usize,
    hs_type: u8,
    session: Option<u16>,
) -> Option<u16> {
    let client = hs_type == 1;
    let version = bytes::be_u16(msg, 0).unwrap_or(0);
    d.add(HANDSHAKE_VERSION, base, 2, Value::UInt(u64::from(version)));
    let negotiated = (!client).then(|| server_version(msg).unwrap_or(version));
    if let Some(random) = bytes::slice(msg, 2, 32) {
        let item = d.add(HANDSHAKE_RANDOM, base + 2, 32, Value::Bytes(random.into()));
        // TLS 1.3 made all 32 bytes random (RFC 8446 4.1.2): the time is shown
        // only for earlier versions.
        if session != Some(0x0304) && negotiated != Some(0x0304) {
            d.begin(item);
            let secs = bytes::be_u32(random, 0).unwrap_or(0);
            d.add(
                RANDOM_TIME,
                base + 2,
                4,
                Value::Time(i64::from(secs) * 1_000_000_000),
            );
            d.add(
                RANDOM_BYTES,
                base + 6,
                28,
                Value::Bytes(bytes::tail(random, 4).into()),
            );
            d.end();
        }
    }
    let sid_len = usize::from(bytes::u8_at(msg, 34)?);
    d.add(SESSION_ID_LENGTH, base + 34, 1, Value::UInt(sid_len as u64));
    if sid_len > 0
        && let Some(sid) = bytes::slice(msg, 35, sid_len)
    {
        d.add(SESSION_ID, base + 35, sid_len, Value::Bytes(sid.into()));
    }
    let mut p = 35 + sid_len;
    let mut ja3 = Ja3 {
        version,
        ..Ja3::default()
    };
    if client {
        let cs_len = usize::from(bytes::be_u16(msg, p)?);
        d.add(
            CIPHER_SUITES_LENGTH,
            base + p,
            2,
            Value::UInt(cs_len as u64),
        );
        let suites = bytes::clamped(msg, p + 2, cs_len);
        let list = d.add_labeled(
            CIPHERSUITES,
            base + p + 2,
            suites.len(),
            Value::None,
            || {
                format!(
                    "Cipher Suites ({})",
                    count(suites.len() / 2, "suite", "suites")
                )
            },
        );
        d.begin(list);
        for (at, suite) in u16s(suites) {
            let value = Value::UInt(u64::from(suite));
            d.add_labeled(CIPHERSUITE, base + p + 2 + at, 2, value, || {
                format!("Cipher Suite: {}", cipher_suite_text(suite))
            });
            ja3.ciphers.push(suite);
        }
        d.end();
        p = p.checked_add(2 + cs_len)?;
        let cm_len = usize::from(bytes::u8_at(msg, p)?);
        d.add(COMP_METHODS_LENGTH, base + p, 1, Value::UInt(cm_len as u64));
        let methods = bytes::clamped(msg, p + 1, cm_len);
        let list = d.add_labeled(
            COMP_METHODS,
            base + p + 1,
            methods.len(),
            Value::None,
            || {
                format!(
                    "Compression Methods ({})",
                    count(methods.len(), "method", "methods")
                )
            },
        );
        d.begin(list);
        for (i, m) in methods.iter().enumerate() {
            d.add(COMP_METHOD, base + p + 1 + i, 1, Value::UInt(u64::from(*m)));
        }
        d.end();
        p += 1 + cm_len;
    } else {
        let suite = bytes::be_u16(msg, p)?;
        d.add_labeled(
            CIPHERSUITE,
            base + p,
            2,
            Value::UInt(u64::from(suite)),
            || format!("Cipher Suite: {}", cipher_suite_text(suite)),
        );
        ja3.ciphers.push(suite);
        if let Some(m) = bytes::u8_at(msg, p + 2) {
            d.add(COMP_METHOD, base + p + 2, 1, Value::UInt(u64::from(m)));
        }
        p += 3;
    }
    if let Some(ext_len) = bytes::be_u16(msg, p) {
        d.add(
            EXTENSIONS_LENGTH,
            base + p,
            2,
            Value::UInt(u64::from(ext_len)),
        );
        let list = bytes::clamped(msg, p + 2, usize::from(ext_len));
        extensions(d, list, base + p + 2, hs_type, &mut ja3);
    }
    if client {
        ja3.add(d, JA3_FULL, JA3, true);
    } else if hs_type == 2 {
        ja3.add(d, JA3S_FULL, JA3S, false);
    }
    negotiated
}

/// Whether a ClientHello's body (after the handshake header) offers TLS 1.3 in its
/// supported_versions extension (RFC 8446 section 4.2.1) and sends 0-RTT data (its
/// early_data extension, section 4.2.10): tshark then takes the session for TLS 1.3
/// until the ServerHello says otherwise, so what the client sends before it (its
/// Change Cipher Spec, the early data) reads TLSv1.3. A hello without early data
/// leaves the version to the records that follow.
pub fn client_sends_tls13_early_data(msg: &[u8]) -> Option<bool> {
    let sid_len = usize::from(bytes::u8_at(msg, 34)?);
    let suites_at = 35usize.checked_add(sid_len)?;
    let suites_len = usize::from(bytes::be_u16(msg, suites_at)?);
    let comp_at = suites_at.checked_add(2 + suites_len)?;
    let comp_len = usize::from(bytes::u8_at(msg, comp_at)?);
    let ext_at = comp_at.checked_add(1 + comp_len)?;
    let list = bytes::clamped(msg, ext_at + 2, usize::from(bytes::be_u16(msg, ext_at)?));
    let (mut tls13, mut early_data) = (false, false);
    let mut p = 0usize;
    for _ in 0..MAX_ITEMS {
        let (Some(t), Some(l)) = (bytes::be_u16(list, p), bytes::be_u16(list, p + 2)) else {
            break;
        };
        match t {
            42 => early_data = true,
            43 => {
                let n = usize::from(bytes::u8_at(list, p + 4).unwrap_or(0));
                tls13 = u16s(bytes::clamped(list, p + 5, n)).any(|(_, v)| v == 0x0304);
            }
            _ => {}
        }
        p = p.checked_add(4 + usize::from(l))?;
    }
    Some(tls13 && early_data)
}

/// The version a ServerHello's supported_versions extension names.
fn server_version(msg: &[u8]) -> Option<u16> {
    let sid_len = usize::from(bytes::u8_at(msg, 34)?);
    let at = 35 + sid_len + 3;
    let list = bytes::clamped(msg, at + 2, usize::from(bytes::be_u16(msg, at)?));
    let mut p = 0usize;
    for _ in 0..MAX_ITEMS {
        let (t, l) = (
            bytes::be_u16(list, p)?,
            usize::from(bytes::be_u16(list, p + 2)?),
        );
        if t == 43 {
            return bytes::be_u16(list, p + 4);
        }
        p = p.checked_add(4 + l)?;
    }
    None
}

/// What a JA3 or JA3S fingerprint is made of, GREASE values left out.
#[derive(Default)]
struct Ja3 {
    version: u16,
    ciphers: Vec<u16>,
    extensions: Vec<u16>,
    groups: Vec<u16>,
    point_formats: Vec<u8>,
}

impl Ja3 {
    /// Adds the fingerprint's string and its MD5 as generated fields, when kept.
    fn add(
        &self,
        d: &mut Dissection<'_>,
        full: super::field::FieldId,
        hash: super::field::FieldId,
        client: bool,
    ) {
        if !d.wants(full) && !d.wants(hash) {
            return;
        }
        fn join<T: std::fmt::Display>(out: &mut String, items: impl Iterator<Item = T>) {
            for (i, item) in items.enumerate() {
                if i > 0 {
                    out.push('-');
                }
                out.push_str(&item.to_string());
            }
        }
        let mut text = format!("{},", self.version);
        let kept = |v: &&u16| !is_grease(**v);
        join(&mut text, self.ciphers.iter().filter(kept));
        text.push(',');
        join(&mut text, self.extensions.iter().filter(kept));
        if client {
            text.push(',');
            join(&mut text, self.groups.iter().filter(kept));
            text.push(',');
            join(&mut text, self.point_formats.iter());
        }
        use md5::Digest;
        let digest = md5::Md5::digest(text.as_bytes());
        let hex = super::value::hex_text(&digest, None);
        d.add_generated(full, 0, 0, Value::Str(Cow::Owned(text.into_bytes())));
        d.add_generated(hash, 0, 0, Value::Str(Cow::Owned(hex.into_bytes())));
    }
}

/// A hello's extensions (RFC 8446 4.2) in `list` at `at`.
fn extensions<'a>(d: &mut Dissection<'a>, list: &'a [u8], at: usize, hs_type: u8, ja3: &mut Ja3) {
    let mut e = 0usize;
    for _ in 0..MAX_ITEMS {
        let (Some(t), Some(l)) = (bytes::be_u16(list, e), bytes::be_u16(list, e + 2)) else {
            break;
        };
        let l = usize::from(l);
        let tname =
            value_name(Some(super::tls_codes::EXTENSION_TYPES), u64::from(t)).unwrap_or("Unknown");
        let ext = d.add_labeled(super::ws::TEXT, at + e, 4 + l, Value::None, || {
            format!("Extension: {tname} (len={l})")
        });
        d.begin(ext);
        d.add(EXTENSION_TYPE, at + e, 2, Value::UInt(u64::from(t)));
        d.add(EXTENSION_LEN, at + e + 2, 2, Value::UInt(l as u64));
        let data = bytes::clamped(list, e + 4, l);
        extension(d, t, data, at + e + 4, hs_type, ja3);
        ja3.extensions.push(t);
        d.end();
        e = match e.checked_add(4 + l) {
            Some(next) if next < list.len() => next,
            _ => break,
        };
    }
}

/// One extension's body.
fn extension<'a>(
    d: &mut Dissection<'a>,
    kind: u16,
    data: &'a [u8],
    at: usize,
    hs_type: u8,
    ja3: &mut Ja3,
) {
    let client = hs_type == 1;
    let len8 = || usize::from(bytes::u8_at(data, 0).unwrap_or(0));
    let len16 = || usize::from(bytes::be_u16(data, 0).unwrap_or(0));
    match kind {
        0 if client => server_name(d, data, at),
        0 => {}
        5 if client => {
            if let Some(t) = bytes::u8_at(data, 0) {
                d.add(STATUS_REQUEST_TYPE, at, 1, Value::UInt(u64::from(t)));
            }
            if let Some(n) = bytes::be_u16(data, 1) {
                d.add(
                    STATUS_REQUEST_RESPONDER_IDS_LEN,
                    at + 1,
                    2,
                    Value::UInt(u64::from(n)),
                );
            }
            if let Some(n) = bytes::be_u16(data, 3) {
                d.add(
                    STATUS_REQUEST_EXTS_LEN,
                    at + 3,
                    2,
                    Value::UInt(u64::from(n)),
                );
            }
        }
        10 => {
            let n = len16();
            d.add(SUPPORTED_GROUPS_LENGTH, at, 2, Value::UInt(n as u64));
            let groups = bytes::clamped(data, 2, n);
            let item = d.add_labeled(SUPPORTED_GROUPS, at + 2, groups.len(), Value::None, || {
                format!(
                    "Supported Groups ({})",
                    count(groups.len() / 2, "group", "groups")
                )
            });
            d.begin(item);
            for (i, g) in u16s(groups) {
                d.add(SUPPORTED_GROUP, at + 2 + i, 2, Value::UInt(u64::from(g)));
                ja3.groups.push(g);
            }
            d.end();
        }
        11 => {
            let n = len8();
            d.add(EC_POINT_FORMATS_LENGTH, at, 1, Value::UInt(n as u64));
            let formats = bytes::clamped(data, 1, n);
            let item = d.add_labeled(
                EC_POINT_FORMATS_LIST,
                at + 1,
                formats.len(),
                Value::None,
                || format!("Elliptic curves point formats ({})", formats.len()),
            );
            d.begin(item);
            for (i, f) in formats.iter().enumerate() {
                d.add(EC_POINT_FORMAT, at + 1 + i, 1, Value::UInt(u64::from(*f)));
                ja3.point_formats.push(*f);
            }
            d.end();
        }
        13 => {
            let n = len16();
            d.add(SIG_HASH_ALG_LEN, at, 2, Value::UInt(n as u64));
            let algs = bytes::clamped(data, 2, n);
            let item = d.add_labeled(SIG_HASH_ALGS, at + 2, algs.len(), Value::None, || {
                format!(
                    "Signature Hash Algorithms ({})",
                    count(algs.len() / 2, "algorithm", "algorithms")
                )
            });
            d.begin(item);
            for (i, alg) in u16s(algs) {
                signature_algorithm(d, alg, at + 2 + i);
            }
            d.end();
        }
        16 => {
            let n = len16();
            d.add(ALPN_LEN, at, 2, Value::UInt(n as u64));
            let names = bytes::clamped(data, 2, n);
            let item = d.add(ALPN_LIST, at + 2, names.len(), Value::None);
            d.begin(item);
            let mut p = 0usize;
            for _ in 0..MAX_ITEMS {
                let Some(len) = bytes::u8_at(names, p) else {
                    break;
                };
                let len = usize::from(len);
                d.add(ALPN_STR_LEN, at + 2 + p, 1, Value::UInt(len as u64));
                let name = bytes::clamped(names, p + 1, len);
                d.add(
                    ALPN_STR,
                    at + 3 + p,
                    name.len(),
                    Value::Str(Cow::Borrowed(name)),
                );
                p += 1 + len;
            }
            d.end();
        }
        21 => {
            d.add(PADDING_DATA, at, data.len(), Value::Bytes(data.into()));
        }
        22 | 23 | 49 => {}
        28 => {
            if let Some(limit) = bytes::be_u16(data, 0) {
                d.add(RECORD_SIZE_LIMIT, at, 2, Value::UInt(u64::from(limit)));
            }
        }
        27 => {
            let n = len8();
            d.add(COMPRESS_CERT_ALGS_LENGTH, at, 1, Value::UInt(n as u64));
            for (i, alg) in u16s(bytes::clamped(data, 1, n)) {
                d.add(
                    COMPRESS_CERT_ALG,
                    at + 1 + i,
                    2,
                    Value::UInt(u64::from(alg)),
                );
            }
        }
        35 if data.is_empty() => {
            d.add_labeled(EXTENSION_DATA, at, 0, Value::Bytes(data.into()), || {
                "Data (0 bytes)".into()
            });
        }
        35 => {
            d.add(SESSION_TICKET, at, data.len(), Value::Bytes(data.into()));
        }
        43 if client => {
            let n = len8();
            d.add(SUPPORTED_VERSIONS_LEN, at, 1, Value::UInt(n as u64));
            for (i, v) in u16s(bytes::clamped(data, 1, n)) {
                d.add(SUPPORTED_VERSION, at + 1 + i, 2, Value::UInt(u64::from(v)));
            }
        }
        43 => {
            if let Some(v) = bytes::be_u16(data, 0) {
                d.add(SUPPORTED_VERSION, at, 2, Value::UInt(u64::from(v)));
            }
        }
        45 => {
            let n = len8();
            d.add(PSK_KE_MODES_LENGTH, at, 1, Value::UInt(n as u64));
            for (i, m) in bytes::clamped(data, 1, n).iter().enumerate() {
                d.add(PSK_KE_MODE, at + 1 + i, 1, Value::UInt(u64::from(*m)));
            }
        }
        51 => key_share(d, data, at, hs_type),
        57 => super::quic_tp::parameters(d, data, at),
        65281 => {
            let item = d.add_labeled(super::ws::TEXT, at, data.len(), Value::None, || {
                "Renegotiation Info extension".into()
            });
            d.begin(item);
            let n = len8();
            d.add(RENEG_INFO_LEN, at, 1, Value::UInt(n as u64));
            if n > 0 {
                let info = bytes::clamped(data, 1, n);
                d.add(RENEG_INFO, at + 1, info.len(), Value::Bytes(info.into()));
            }
            d.end();
        }
        // An extension without a name shows its bytes (tshark's `<MISSING>` for none).
        _ if is_grease(kind) || !known_extension(kind) => {
            d.add_labeled(
                EXTENSION_DATA,
                at,
                data.len(),
                Value::Bytes(data.into()),
                || {
                    if data.is_empty() {
                        "Data: <MISSING>".into()
                    } else {
                        format!("Data: {}", super::value::hex_text(data, None))
                    }
                },
            );
        }
        _ => {}
    }
}

/// Whether IANA names extension `kind` (GREASE values are only reserved).
fn known_extension(kind: u16) -> bool {
    value_name(Some(super::tls_codes::EXTENSION_TYPES), u64::from(kind)).is_some()
}

/// A signature scheme with the hash and signature bytes of its TLS 1.2 reading.
fn signature_algorithm(d: &mut Dissection<'_>, alg: u16, at: usize) {
    let item = d.add(SIG_HASH_ALG, at, 2, Value::UInt(u64::from(alg)));
    d.begin(item);
    d.add(SIG_HASH_HASH, at, 1, Value::UInt(u64::from(alg >> 8)));
    d.add(SIG_HASH_SIG, at + 1, 1, Value::UInt(u64::from(alg & 0xff)));
    d.end();
}

/// key_share (RFC 8446 4.2.8): the client's list, the server's one entry, or a
/// HelloRetryRequest's selected group.
fn key_share<'a>(d: &mut Dissection<'a>, data: &'a [u8], at: usize, hs_type: u8) {
    let item = d.add_labeled(super::ws::TEXT, at, data.len(), Value::None, || {
        "Key Share extension".into()
    });
    d.begin(item);
    let (entries, entries_at) = if hs_type == 1 {
        let n = usize::from(bytes::be_u16(data, 0).unwrap_or(0));
        d.add(KEY_SHARE_CLIENT_LENGTH, at, 2, Value::UInt(n as u64));
        (bytes::clamped(data, 2, n), at + 2)
    } else if data.len() == 2 {
        if let Some(g) = bytes::be_u16(data, 0) {
            d.add(KEY_SHARE_SELECTED_GROUP, at, 2, Value::UInt(u64::from(g)));
        }
        (&[][..], at)
    } else {
        (data, at)
    };
    let mut p = 0usize;
    for _ in 0..MAX_ITEMS {
        let (Some(group), Some(len)) = (bytes::be_u16(entries, p), bytes::be_u16(entries, p + 2))
        else {
            break;
        };
        let len = usize::from(len);
        let key = bytes::clamped(entries, p + 4, len);
        let gname =
            value_name(Some(super::tls_codes::GROUPS), u64::from(group)).unwrap_or("Unknown");
        let entry = d.add_labeled(
            super::ws::TEXT,
            entries_at + p,
            4 + key.len(),
            Value::None,
            || format!("Key Share Entry: Group: {gname}, Key Exchange length: {len}"),
        );
        d.begin(entry);
        d.add(
            KEY_SHARE_GROUP,
            entries_at + p,
            2,
            Value::UInt(u64::from(group)),
        );
        d.add(
            KEY_SHARE_KE_LENGTH,
            entries_at + p + 2,
            2,
            Value::UInt(len as u64),
        );
        d.add(
            KEY_SHARE_KE,
            entries_at + p + 4,
            key.len(),
            Value::Bytes(key.into()),
        );
        d.end();
        p += 4 + len;
    }
    d.end();
}

/// server_name (RFC 6066 3): the list of names.
fn server_name<'a>(d: &mut Dissection<'a>, data: &'a [u8], at: usize) {
    let Some(list_len) = bytes::be_u16(data, 0) else {
        return;
    };
    let item = d.add_labeled(super::ws::TEXT, at, data.len(), Value::None, || {
        "Server Name Indication extension".into()
    });
    d.begin(item);
    d.add(SNI_LIST_LEN, at, 2, Value::UInt(u64::from(list_len)));
    let mut p = 2usize;
    let end = 2 + usize::from(list_len);
    for _ in 0..64 {
        if p + 3 > end {
            break;
        }
        let (Some(kind), Some(len)) = (bytes::u8_at(data, p), bytes::be_u16(data, p + 1)) else {
            break;
        };
        let len = usize::from(len);
        d.add(SNI_TYPE, at + p, 1, Value::UInt(u64::from(kind)));
        d.add(SNI_LEN, at + p + 1, 2, Value::UInt(len as u64));
        if let Some(name) = bytes::slice(data, p + 3, len) {
            d.add(SNI, at + p + 3, len, Value::Str(Cow::Borrowed(name)));
        }
        p += 3 + len;
    }
    d.end();
}

/// A TLS 1.2 NewSessionTicket (RFC 5077 3.3): lifetime hint and ticket. TLS 1.3's
/// travels encrypted.
pub(super) fn new_session_ticket<'a>(
    d: &mut Dissection<'a>,
    msg: &'a [u8],
    at: usize,
    version: Option<u16>,
) {
    let (Some(hint), Some(len)) = (bytes::be_u32(msg, 0), bytes::be_u16(msg, 4)) else {
        return;
    };
    if version == Some(0x0304) {
        return;
    }
    let item = d.add_labeled(super::ws::TEXT, at, msg.len(), Value::None, || {
        "TLS Session Ticket".into()
    });
    d.begin(item);
    d.add_labeled(
        SESSION_TICKET_LIFETIME_HINT,
        at,
        4,
        Value::UInt(u64::from(hint)),
        || {
            format!(
                "Session Ticket Lifetime Hint: {hint} seconds ({})",
                super::value::duration_text(hint)
            )
        },
    );
    d.add(
        SESSION_TICKET_LENGTH,
        at + 4,
        2,
        Value::UInt(u64::from(len)),
    );
    let ticket = bytes::clamped(msg, 6, usize::from(len));
    d.add(
        SESSION_TICKET,
        at + 6,
        ticket.len(),
        Value::Bytes(ticket.into()),
    );
    d.end();
}

/// A ServerKeyExchange read as ECDHE's (RFC 8422 5.4) when its lengths fit exactly:
/// which key exchange applies is the cipher suite's, from an earlier message.
pub(super) fn server_key_exchange<'a>(d: &mut Dissection<'a>, msg: &'a [u8], at: usize) {
    let (Some(3), Some(curve), Some(plen)) = (
        bytes::u8_at(msg, 0),
        bytes::be_u16(msg, 1),
        bytes::u8_at(msg, 3),
    ) else {
        return;
    };
    let plen = usize::from(plen);
    let sig_at = 4 + plen;
    // TLS 1.2 puts the signature's algorithm before it (RFC 5246 7.4.3).
    let with_alg =
        bytes::be_u16(msg, sig_at + 2).is_some_and(|n| sig_at + 4 + usize::from(n) == msg.len());
    let without_alg =
        bytes::be_u16(msg, sig_at).is_some_and(|n| sig_at + 2 + usize::from(n) == msg.len());
    if !with_alg && !without_alg {
        return;
    }
    let item = d.add_labeled(super::ws::TEXT, at, msg.len(), Value::None, || {
        "EC Diffie-Hellman Server Params".into()
    });
    d.begin(item);
    d.add(SERVER_CURVE_TYPE, at, 1, Value::UInt(3));
    d.add(SERVER_NAMED_CURVE, at + 1, 2, Value::UInt(u64::from(curve)));
    d.add(SERVER_POINT_LEN, at + 3, 1, Value::UInt(plen as u64));
    let point = bytes::clamped(msg, 4, plen);
    d.add(
        SERVER_POINT,
        at + 4,
        point.len(),
        Value::Bytes(point.into()),
    );
    let mut p = sig_at;
    if with_alg && let Some(alg) = bytes::be_u16(msg, p) {
        signature_algorithm(d, alg, at + p);
        p += 2;
    }
    let slen = usize::from(bytes::be_u16(msg, p).unwrap_or(0));
    d.add(SIG_LEN, at + p, 2, Value::UInt(slen as u64));
    let sig = bytes::clamped(msg, p + 2, slen);
    d.add(SIG, at + p + 2, sig.len(), Value::Bytes(sig.into()));
    d.end();
}

/// A ClientKeyExchange read as ECDHE's (RFC 8422 5.7) when its one-byte length
/// covers the message exactly.
pub(super) fn client_key_exchange<'a>(d: &mut Dissection<'a>, msg: &'a [u8], at: usize) {
    let Some(plen) = bytes::u8_at(msg, 0) else {
        return;
    };
    let plen = usize::from(plen);
    if plen == 0 || 1 + plen != msg.len() {
        return;
    }
    let item = d.add_labeled(super::ws::TEXT, at, msg.len(), Value::None, || {
        "EC Diffie-Hellman Client Params".into()
    });
    d.begin(item);
    d.add(CLIENT_POINT_LEN, at, 1, Value::UInt(plen as u64));
    let point = bytes::tail(msg, 1);
    d.add(
        CLIENT_POINT,
        at + 1,
        point.len(),
        Value::Bytes(point.into()),
    );
    d.end();
}

/// A TLS 1.2 Certificate message (RFC 5246 7.4.2): the chain, each certificate
/// decoded by [`super::x509`].
pub(super) fn certificates(d: &mut Dissection<'_>, msg: &[u8], at: usize) {
    let Some(total) = bytes::be_u24(msg, 0) else {
        return;
    };
    let total = total as usize;
    d.add(CERTIFICATES_LENGTH, at, 3, Value::UInt(total as u64));
    let list = bytes::clamped(msg, 3, total);
    let item = d.add_labeled(CERTIFICATES, at + 3, list.len(), Value::None, || {
        format!("Certificates ({total} bytes)")
    });
    d.begin(item);
    let mut pos = 0usize;
    for _ in 0..64 {
        let Some(len) = bytes::be_u24(list, pos) else {
            break;
        };
        let len = len as usize;
        d.add(CERTIFICATE_LENGTH, at + 3 + pos, 3, Value::UInt(len as u64));
        let der = bytes::clamped(list, pos + 3, len);
        let der_at = at + 3 + pos + 3;
        // The certificate's bytes are copied into the value only when it is kept.
        let value = if d.wants(CERTIFICATE) {
            Value::Bytes(Cow::Owned(der.to_vec()))
        } else {
            Value::None
        };
        let cert = d.add_labeled(CERTIFICATE, der_at, der.len(), value, || {
            let shown = der.get(..der.len().min(36)).unwrap_or(der);
            let more = if der.len() > 36 { "…" } else { "" };
            let subject = super::x509::subject_text(der)
                .map(|s| format!(" ({s})"))
                .unwrap_or_default();
            format!(
                "Certificate: {}{more}{subject}",
                super::value::hex_text(shown, None)
            )
        });
        d.begin(cert);
        // The decoded certificate is fields and x509 layer names only (no protocol
        // item, expert item or column): with no field kept (the load pass, where it
        // cost more than the rest of TLS) there is nothing to decode it for.
        if d.keeps_fields() {
            super::x509::dissect(d, der, der_at);
        }
        d.end();
        pos = pos.saturating_add(3).saturating_add(len);
        if pos >= list.len() {
            break;
        }
    }
    d.end();
}

#[cfg(test)]
mod tests {
    use crate::dissect::testing::{field, values, with_frame, with_patched, with_truncated};

    /// Every label of the tree that starts with `prefix`, trimmed.
    fn labels(d: &crate::dissect::Dissection<'_>, prefix: &str) -> Vec<String> {
        d.nodes
            .iter()
            .map(|n| n.label())
            .filter(|l| l.starts_with(prefix))
            .collect()
    }

    /// A ClientHello record offering TLS 1.3 (with early_data when `early`), then
    /// the client's Change Cipher Spec, as adityaruge1008 quic.pcapng frames 622 and
    /// 626 send them (extensions cut to the two that matter).
    fn hello_then_ccs(early: bool) -> Vec<u8> {
        let mut exts = vec![0x00, 0x2b, 0x00, 0x03, 0x02, 0x03, 0x04];
        if early {
            exts.extend_from_slice(&[0x00, 0x2a, 0x00, 0x00]);
        }
        let mut body = vec![0x03, 0x03];
        body.extend_from_slice(&[0u8; 32]);
        body.extend_from_slice(&[0x00, 0x00, 0x02, 0x13, 0x01, 0x01, 0x00]);
        body.extend_from_slice(&(exts.len() as u16).to_be_bytes());
        body.extend_from_slice(&exts);
        let mut hs = vec![0x01, 0x00];
        hs.extend_from_slice(&(body.len() as u16).to_be_bytes());
        hs.extend_from_slice(&body);
        let mut rec = vec![0x16, 0x03, 0x01];
        rec.extend_from_slice(&(hs.len() as u16).to_be_bytes());
        rec.extend_from_slice(&hs);
        rec.extend_from_slice(&[0x14, 0x03, 0x03, 0x00, 0x01, 0x01]);
        rec
    }

    /// tshark reads what a client sends after a hello with 0-RTT data as TLS 1.3; a
    /// hello without it leaves the version to the Change Cipher Spec's record.
    #[test]
    fn early_data_hello_makes_the_session_tls13() {
        use crate::dissect::tls::negotiated_version;
        assert_eq!(
            negotiated_version(&hello_then_ccs(true), None),
            Some(0x0304)
        );
        assert_eq!(
            negotiated_version(&hello_then_ccs(false), None),
            Some(0x0303)
        );
        // A version known before stays; a hello cut inside its extensions says nothing.
        assert_eq!(
            negotiated_version(&hello_then_ccs(true), Some(0x0303)),
            Some(0x0303)
        );
        let hello = hello_then_ccs(true);
        let body = &hello[9..hello.len() - 6];
        assert_eq!(super::client_sends_tls13_early_data(&body[..40]), None);
        // An extension length past the list ends the walk without a panic.
        let mut bad = body.to_vec();
        let n = bad.len();
        bad[n - 9] = 0xff;
        assert_eq!(super::client_sends_tls13_early_data(&bad), Some(false));
    }

    /// tls12_cert.pcap frame 4: the ClientHello a lab asks about (how many suites,
    /// their names, the random's time, the SNI), as tshark 4.0 shows it.
    #[test]
    fn client_hello_suites_random_and_extensions() {
        with_frame("tls12_cert.pcap", 4, |d| {
            assert_eq!(field(d, "tls.handshake.ciphersuite"), "0xc02f,0x00ff");
            assert_eq!(
                labels(d, "Cipher Suite"),
                [
                    "Cipher Suites Length: 4",
                    "Cipher Suites (2 suites)",
                    "Cipher Suite: TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (0xc02f)",
                    "Cipher Suite: TLS_EMPTY_RENEGOTIATION_INFO_SCSV (0x00ff)",
                ]
            );
            assert_eq!(
                labels(d, "Compression Method"),
                [
                    "Compression Methods Length: 1",
                    "Compression Methods (1 method)",
                    "Compression Method: null (0)"
                ]
            );
            assert_eq!(
                field(d, "tls.handshake.random_bytes"),
                "8bad63fc826e8ad00a150947fe3d15a4afe3b11fd9c084643144da15"
            );
            assert_eq!(
                field(d, "tls.handshake.extensions_server_name"),
                "tls.example.test"
            );
            assert_eq!(
                labels(d, "Server Name Type"),
                ["Server Name Type: host_name (0)"]
            );
            assert_eq!(
                field(d, "tls.handshake.extensions_supported_group"),
                "0x001d,0x0017,0x001e,0x0019,0x0018"
            );
            assert_eq!(
                labels(d, "Supported Group:")[0],
                "Supported Group: x25519 (0x001d)"
            );
            assert_eq!(
                values(d, "tls.handshake.extensions_ec_point_format"),
                ["0", "1", "2"]
            );
            assert_eq!(values(d, "tls.handshake.sig_hash_alg").len(), 20);
            assert_eq!(
                labels(d, "Signature Algorithm:")[14],
                "Signature Algorithm: SHA224 ECDSA (0x0303)"
            );
            assert_eq!(
                field(d, "tls.handshake.ja3_full"),
                "771,49199-255,0-11-10-35-22-23-13,29-23-30-25-24,0-1-2"
            );
            assert_eq!(
                field(d, "tls.handshake.ja3"),
                "d1f47f694f10b1faf653048918492609"
            );
        });
    }

    /// tls_sni.pcapng frame 11: a ServerHello that negotiates TLS 1.3 has no time in
    /// its random; its key share names the group.
    #[test]
    fn server_hello_tls13() {
        with_frame("tls_sni.pcapng", 11, |d| {
            assert_eq!(field(d, "tls.handshake.ciphersuite"), "0x1302");
            assert_eq!(field(d, "tls.handshake.random_time"), "");
            assert_eq!(field(d, "tls.handshake.extensions_key_share_group"), "29");
            assert_eq!(
                field(d, "tls.handshake.ja3s"),
                "15af977ce25de452b96affa2addb1036"
            );
        });
    }

    /// tls12_cert.pcap frames 12 and 13: the client's ECDHE point and the session
    /// ticket's lifetime.
    #[test]
    fn key_exchange_and_ticket() {
        with_frame("tls12_cert.pcap", 12, |d| {
            assert_eq!(field(d, "tls.handshake.client_point_len"), "32");
        });
        with_frame("tls12_cert.pcap", 13, |d| {
            assert_eq!(
                field(d, "tls.handshake.session_ticket_lifetime_hint"),
                "7200"
            );
            assert_eq!(field(d, "tls.handshake.session_ticket_length"), "176");
        });
    }

    /// Every prefix of the ClientHello, and a cipher suite list claiming 65535 bytes,
    /// decode without a panic; the impossible list is cut at the message's end.
    #[test]
    fn truncated_and_impossible_lengths() {
        for len in 60..227 {
            with_truncated("tls12_cert.pcap", 4, len, |_| {});
        }
        // Ethernet, IPv4 and TCP with timestamps (66 bytes), the record and handshake
        // headers (9), the version (2) and random (32): the session ID's length.
        let sid_len_at = 66 + 9 + 2 + 32;
        with_patched(
            "tls12_cert.pcap",
            4,
            |b| {
                let at = sid_len_at + 1 + usize::from(b[sid_len_at]);
                b[at] = 0xff;
                b[at + 1] = 0xff;
            },
            |d| {
                assert_eq!(field(d, "tls.handshake.cipher_suites_length"), "65535");
                assert!(values(d, "tls.handshake.ciphersuite").len() < 100);
            },
        );
    }
}
