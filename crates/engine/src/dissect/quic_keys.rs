//! QUIC's Initial packet protection (RFC 9001 section 5): the Initial secrets each
//! version derives from the client's first Destination Connection ID, header
//! protection removal and AEAD decryption of an Initial, and the Retry Integrity Tag.
//! With the `aes`, `aes-gcm`, `hkdf` and `sha2` crates.

use crate::bytes;
use aes::cipher::{BlockEncrypt, KeyInit};
use aes_gcm::aead::{Aead, Payload};

/// RFC 9001 section 5.2: the salt of version 1's Initial secrets (and of drafts 33
/// and 34).
const V1_SALT: [u8; 20] = [
    0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17, 0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad,
    0xcc, 0xbb, 0x7f, 0x0a,
];
/// The Initial salt of drafts 29 to 32 (draft-ietf-quic-tls-29 section 5.2).
const DRAFT29_SALT: [u8; 20] = [
    0xaf, 0xbf, 0xec, 0x28, 0x99, 0x93, 0xd2, 0x4c, 0x9e, 0x97, 0x86, 0xf1, 0x9c, 0x61, 0x11, 0xe0,
    0x43, 0x90, 0xa8, 0x99,
];
/// The Initial salt of drafts 23 to 28 (draft-ietf-quic-tls-23 section 5.2).
const DRAFT23_SALT: [u8; 20] = [
    0xc3, 0xee, 0xf7, 0x12, 0xc7, 0x2e, 0xbb, 0x5a, 0x11, 0xa7, 0xd2, 0x43, 0x2b, 0xb4, 0x63, 0x65,
    0xbe, 0xf9, 0xf5, 0x02,
];
/// The Initial salt of drafts 21 and 22 (draft-ietf-quic-tls-21 section 5.2).
const DRAFT21_SALT: [u8; 20] = [
    0x7f, 0xbc, 0xdb, 0x0e, 0x7c, 0x66, 0xbb, 0xe9, 0x19, 0x3a, 0x96, 0xcd, 0x21, 0x51, 0x9e, 0xbd,
    0x7a, 0x02, 0x64, 0x4a,
];

/// The Initial salt of Google's Q050 (Chromium's QUIC sources).
const Q050_SALT: [u8; 20] = [
    0x50, 0x45, 0x74, 0xef, 0xd0, 0x66, 0xfe, 0x2f, 0x9d, 0x94, 0x5c, 0xfc, 0xdb, 0xd3, 0xa7, 0xf0,
    0xd3, 0xb5, 0x6b, 0x45,
];

/// The draft a version follows as tshark 4.0 numbers them (0: not one its heuristic
/// accepts; version 1 counts as draft 34, version 2 as 100).
pub(crate) fn draft_version(version: u32) -> u8 {
    match version {
        v if v >> 8 == 0x00ff_0000 => (v & 0xff) as u8,
        0xface_b001 => 22,
        0xface_b002 | 0xface_b00e => 27,
        // Google Q050, T050 and T051.
        0x5130_3530 | 0x5430_3530 | 0x5430_3531 => 27,
        // Versions reserved to force Version Negotiation: tshark 4.0 derives their
        // Initial keys with draft 29's salt.
        v if v & 0x0f0f_0f0f == 0x0a0a_0a0a => 29,
        1 => 34,
        0x6b33_43cf => 100,
        _ => 0,
    }
}

/// The Initial salt of `version` (version 1's for versions of no known draft).
fn initial_salt(version: u32) -> &'static [u8; 20] {
    if version == super::gquic::Q050 {
        return &Q050_SALT;
    }
    match draft_version(version) {
        21..=22 => &DRAFT21_SALT,
        23..=28 => &DRAFT23_SALT,
        29..=32 => &DRAFT29_SALT,
        _ => &V1_SALT,
    }
}

/// Initial keys of one direction (RFC 9001 section 5.2).
pub(crate) struct Keys {
    pub(crate) key: [u8; 16],
    pub(crate) iv: [u8; 12],
    pub(crate) hp: [u8; 16],
}

/// HKDF-Expand-Label of TLS 1.3 (RFC 8446 section 7.1) with an empty context.
fn expand_label<const N: usize>(prk: &hkdf::Hkdf<sha2::Sha256>, label: &str) -> Option<[u8; N]> {
    let full = format!("tls13 {label}");
    let mut info = Vec::with_capacity(4 + full.len());
    info.extend_from_slice(&u16::try_from(N).ok()?.to_be_bytes());
    info.push(u8::try_from(full.len()).ok()?);
    info.extend_from_slice(full.as_bytes());
    info.push(0);
    let mut out = [0u8; N];
    prk.expand(&info, &mut out).ok()?;
    Some(out)
}

/// The Initial keys of the client (`client` true) or the server, from the client's
/// first Destination Connection ID.
pub(crate) fn initial_keys(dcid: &[u8], client: bool, version: u32) -> Option<Keys> {
    let (_, initial) = hkdf::Hkdf::<sha2::Sha256>::extract(Some(initial_salt(version)), dcid);
    let label = if client { "client in" } else { "server in" };
    let secret: [u8; 32] = expand_label(&initial, label)?;
    let prk = hkdf::Hkdf::<sha2::Sha256>::from_prk(&secret).ok()?;
    Some(Keys {
        key: expand_label(&prk, "quic key")?,
        iv: expand_label(&prk, "quic iv")?,
        hp: expand_label(&prk, "quic hp")?,
    })
}

/// An Initial packet with header protection removed: the packet number and the
/// decrypted frames, or only the packet number when the AEAD tag does not verify.
pub(crate) struct Opened {
    /// The first byte with its protection removed.
    pub(crate) first: u8,
    /// The packet number.
    pub(crate) pn: u64,
    /// Its length in bytes.
    pub(crate) pn_len: usize,
    /// The frames, when the AEAD tag verifies.
    pub(crate) frames: Option<Vec<u8>>,
}

/// The Retry Integrity Tag a server computes (RFC 9001 section 5.8; RFC 9369 section
/// 3.3.3 for version 2): AES-128-GCM with a fixed key over the Original Destination
/// Connection ID and the Retry packet without its tag. `None` for versions without
/// a known key.
pub(crate) fn retry_tag(version: u32, odcid: &[u8], retry: &[u8]) -> Option<Vec<u8>> {
    let (key, nonce): ([u8; 16], [u8; 12]) = match version {
        1 => (
            [
                0xbe, 0x0c, 0x69, 0x0b, 0x9f, 0x66, 0x57, 0x5a, 0x1d, 0x76, 0x6b, 0x54, 0xe3, 0x68,
                0xc8, 0x4e,
            ],
            [
                0x46, 0x15, 0x99, 0xd3, 0x5d, 0x63, 0x2b, 0xf2, 0x23, 0x98, 0x25, 0xbb,
            ],
        ),
        0x6b33_43cf => (
            [
                0x8f, 0xb4, 0xb0, 0x1b, 0x56, 0xac, 0x48, 0xe2, 0x60, 0xfb, 0xcb, 0xce, 0xad, 0x7c,
                0xcc, 0x92,
            ],
            [
                0xd8, 0x69, 0x69, 0xbc, 0x2d, 0x7c, 0x6d, 0x99, 0x90, 0xef, 0xb0, 0x4a,
            ],
        ),
        _ => return None,
    };
    let mut pseudo = Vec::with_capacity(1 + odcid.len() + retry.len());
    pseudo.push(u8::try_from(odcid.len()).ok()?);
    pseudo.extend_from_slice(odcid);
    pseudo.extend_from_slice(retry);
    let aead = aes_gcm::Aes128Gcm::new(&key.into());
    aead.encrypt(
        &nonce.into(),
        Payload {
            msg: &[],
            aad: &pseudo,
        },
    )
    .ok()
}

/// Removes header protection (RFC 9001 section 5.4) and decrypts the payload of the
/// long-header packet `packet` whose packet number starts at `pn_at` and whose Length
/// field says `len` bytes (packet number and payload).
pub(crate) fn open(packet: &[u8], pn_at: usize, len: usize, keys: &Keys) -> Option<Opened> {
    let sample = bytes::array::<16>(packet, pn_at.checked_add(4)?)?;
    let cipher = aes::Aes128::new(&keys.hp.into());
    let mut mask = sample.into();
    cipher.encrypt_block(&mut mask);
    let mask: [u8; 16] = mask.into();
    let first = bytes::u8_at(packet, 0)? ^ (mask.first()? & 0x0f);
    let pn_len = usize::from(first & 3) + 1;
    let mut header = bytes::slice(packet, 0, pn_at.checked_add(pn_len)?)?.to_vec();
    *header.first_mut()? = first;
    let mut pn = 0u64;
    for i in 0..pn_len {
        let b = header.get_mut(pn_at + i)?;
        *b ^= mask.get(1 + i)?;
        pn = (pn << 8) | u64::from(*b);
    }
    let body_len = len.checked_sub(pn_len)?;
    let frames = bytes::slice(packet, pn_at + pn_len, body_len).and_then(|ct| {
        let mut nonce = keys.iv;
        for (i, b) in pn.to_be_bytes().iter().enumerate() {
            if let Some(n) = nonce.get_mut(4 + i) {
                *n ^= b;
            }
        }
        let aead = aes_gcm::Aes128Gcm::new(&keys.key.into());
        aead.decrypt(
            &nonce.into(),
            Payload {
                msg: ct,
                aad: &header,
            },
        )
        .ok()
    });
    Some(Opened {
        first,
        pn,
        pn_len,
        frames,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn salts_by_version() {
        assert_eq!(super::initial_salt(0xff00_001d), &super::DRAFT29_SALT);
        assert_eq!(super::initial_salt(1), &super::V1_SALT);
    }

    /// RFC 9001 appendix A.4: the Retry of the example connection (ODCID
    /// 8394c8f03e515708) carries tag 04a265ba2eff4d829058fb3f0f2496ba.
    #[test]
    fn rfc9001_retry_tag() {
        let odcid = [0x83, 0x94, 0xc8, 0xf0, 0x3e, 0x51, 0x57, 0x08];
        let retry = [
            0xff, 0x00, 0x00, 0x00, 0x01, 0x00, 0x08, 0xf0, 0x67, 0xa5, 0x50, 0x2a, 0x42, 0x62,
            0xb5, 0x74, 0x6f, 0x6b, 0x65, 0x6e,
        ];
        let tag = super::retry_tag(1, &odcid, &retry).unwrap();
        let hex = crate::dissect::value::hex_text(&tag, None);
        assert_eq!(hex, "04a265ba2eff4d829058fb3f0f2496ba");
    }
}
