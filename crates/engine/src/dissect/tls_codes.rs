//! TLS's numbered names: content and handshake types, versions, alerts, and the IANA
//! "TLS Parameters" registries a hello carries (extensions, supported groups,
//! signature schemes, EC point formats). Cipher suite names come from `tls-parser`,
//! whose table is generated from IANA's TLS Cipher Suites registry.

#[rustfmt::skip]
pub(super) const CONTENT_TYPES: &[(u64, &str)] = &[
    (20, "Change Cipher Spec"), (21, "Alert"), (22, "Handshake"), (23, "Application Data"),
    (24, "Heartbeat"),
];
#[rustfmt::skip]
pub(super) const VERSIONS: &[(u64, &str)] = &[
    (0x0300, "SSL 3.0"), (0x0301, "TLS 1.0"), (0x0302, "TLS 1.1"), (0x0303, "TLS 1.2"),
    (0x0304, "TLS 1.3"),
];
/// Versions a supported_versions extension lists, GREASE values (RFC 8701) included.
#[rustfmt::skip]
pub(super) const SUPPORTED_VERSIONS: &[(u64, &str)] = &[
    (0x0300, "SSL 3.0"), (0x0301, "TLS 1.0"), (0x0302, "TLS 1.1"), (0x0303, "TLS 1.2"),
    (0x0304, "TLS 1.3"),
    (0x0a0a, GREASE), (0x1a1a, GREASE), (0x2a2a, GREASE), (0x3a3a, GREASE), (0x4a4a, GREASE),
    (0x5a5a, GREASE), (0x6a6a, GREASE), (0x7a7a, GREASE), (0x8a8a, GREASE), (0x9a9a, GREASE),
    (0xaaaa, GREASE), (0xbaba, GREASE), (0xcaca, GREASE), (0xdada, GREASE), (0xeaea, GREASE),
    (0xfafa, GREASE),
];
#[rustfmt::skip]
pub(super) const HANDSHAKE_TYPES: &[(u64, &str)] = &[
    (0, "Hello Request"), (1, "Client Hello"), (2, "Server Hello"), (3, "Hello Verify Request"),
    (4, "New Session Ticket"), (5, "End of Early Data"), (6, "Hello Retry Request"),
    (8, "Encrypted Extensions"), (11, "Certificate"), (12, "Server Key Exchange"),
    (13, "Certificate Request"), (14, "Server Hello Done"), (15, "Certificate Verify"),
    (16, "Client Key Exchange"), (20, "Finished"), (21, "Client Certificate URL"),
    (22, "Certificate Status"), (23, "Supplemental Data"), (24, "Key Update"),
    (25, "Compressed Certificate"), (67, "Encrypted Extensions"),
];
/// IANA's TLS ExtensionType Values, and GREASE (RFC 8701).
#[rustfmt::skip]
pub(super) const EXTENSION_TYPES: &[(u64, &str)] = &[
    (0, "server_name"), (1, "max_fragment_length"), (2, "client_certificate_url"),
    (3, "trusted_ca_keys"), (4, "truncated_hmac"), (5, "status_request"), (6, "user_mapping"),
    (7, "client_authz"), (8, "server_authz"), (9, "cert_type"), (10, "supported_groups"),
    (11, "ec_point_formats"), (12, "srp"), (13, "signature_algorithms"), (14, "use_srtp"),
    (15, "heartbeat"), (16, "application_layer_protocol_negotiation"),
    (17, "status_request_v2"), (18, "signed_certificate_timestamp"),
    (19, "client_certificate_type"), (20, "server_certificate_type"), (21, "padding"),
    (22, "encrypt_then_mac"), (23, "extended_master_secret"), (24, "token_binding"),
    (25, "cached_info"), (27, "compress_certificate"), (28, "record_size_limit"),
    (35, "session_ticket"), (41, "pre_shared_key"), (42, "early_data"),
    (43, "supported_versions"), (44, "cookie"), (45, "psk_key_exchange_modes"),
    (47, "certificate_authorities"), (48, "oid_filters"), (49, "post_handshake_auth"),
    (50, "signature_algorithms_cert"), (51, "key_share"), (57, "quic_transport_parameters"),
    (0x0a0a, GREASE), (0x1a1a, GREASE), (0x2a2a, GREASE), (0x3a3a, GREASE), (0x4a4a, GREASE),
    (0x5a5a, GREASE), (0x6a6a, GREASE), (0x7a7a, GREASE), (0x8a8a, GREASE), (0x9a9a, GREASE),
    (0xaaaa, GREASE), (0xbaba, GREASE), (0xcaca, GREASE), (0xdada, GREASE), (0xeaea, GREASE),
    (0xfafa, GREASE), (65281, "renegotiation_info"),
];
#[rustfmt::skip]
pub(super) const ALERT_LEVELS: &[(u64, &str)] = &[(1, "Warning"), (2, "Fatal")];
#[rustfmt::skip]
pub(super) const ALERT_DESCRIPTIONS: &[(u64, &str)] = &[
    (0, "Close Notify"), (10, "Unexpected Message"), (20, "Bad Record MAC"),
    (21, "Decryption Failed"), (22, "Record Overflow"), (30, "Decompression Failure"),
    (40, "Handshake Failure"), (41, "No Certificate"), (42, "Bad Certificate"),
    (43, "Unsupported Certificate"), (44, "Certificate Revoked"), (45, "Certificate Expired"),
    (46, "Certificate Unknown"), (47, "Illegal Parameter"), (48, "Unknown CA"),
    (49, "Access Denied"), (50, "Decode Error"), (51, "Decrypt Error"),
    (60, "Export Restriction"), (70, "Protocol Version"), (71, "Insufficient Security"),
    (80, "Internal Error"), (86, "Inappropriate Fallback"), (90, "User Canceled"),
    (100, "No Renegotiation"), (109, "Missing Extension"), (110, "Unsupported Extension"),
    (112, "Unrecognized Name"), (113, "Bad Certificate Status Response"),
    (115, "Unknown PSK Identity"), (116, "Certificate Required"),
    (120, "No application Protocol"),
];
/// RFC 5246 7.4.1.2 and RFC 3749.
#[rustfmt::skip]
pub(super) const COMPRESSION_METHODS: &[(u64, &str)] = &[(0, "null"), (1, "DEFLATE"), (64, "LZS")];
/// RFC 6066 3: NameType.
#[rustfmt::skip]
pub(super) const SERVER_NAME_TYPES: &[(u64, &str)] = &[(0, "host_name")];
/// IANA's EC Point Format registry.
#[rustfmt::skip]
pub(super) const EC_POINT_FORMATS: &[(u64, &str)] = &[
    (0, "uncompressed"), (1, "ansiX962_compressed_prime"), (2, "ansiX962_compressed_char2"),
];
/// IANA's EC Curve Type registry.
#[rustfmt::skip]
pub(super) const CURVE_TYPES: &[(u64, &str)] = &[
    (1, "explicit_prime"), (2, "explicit_char2"), (3, "named_curve"),
];
/// IANA's TLS Supported Groups registry, and GREASE (RFC 8701).
#[rustfmt::skip]
pub(super) const GROUPS: &[(u64, &str)] = &[
    (1, "sect163k1"), (2, "sect163r1"), (3, "sect163r2"), (4, "sect193r1"), (5, "sect193r2"),
    (6, "sect233k1"), (7, "sect233r1"), (8, "sect239k1"), (9, "sect283k1"), (10, "sect283r1"),
    (11, "sect409k1"), (12, "sect409r1"), (13, "sect571k1"), (14, "sect571r1"),
    (15, "secp160k1"), (16, "secp160r1"), (17, "secp160r2"), (18, "secp192k1"),
    (19, "secp192r1"), (20, "secp224k1"), (21, "secp224r1"), (22, "secp256k1"),
    (23, "secp256r1"), (24, "secp384r1"), (25, "secp521r1"), (26, "brainpoolP256r1"),
    (27, "brainpoolP384r1"), (28, "brainpoolP512r1"), (29, "x25519"), (30, "x448"),
    (31, "brainpoolP256r1tls13"), (32, "brainpoolP384r1tls13"), (33, "brainpoolP512r1tls13"),
    (256, "ffdhe2048"), (257, "ffdhe3072"), (258, "ffdhe4096"), (259, "ffdhe6144"),
    (260, "ffdhe8192"),
    (0x0a0a, GREASE), (0x1a1a, GREASE), (0x2a2a, GREASE), (0x3a3a, GREASE), (0x4a4a, GREASE),
    (0x5a5a, GREASE), (0x6a6a, GREASE), (0x7a7a, GREASE), (0x8a8a, GREASE), (0x9a9a, GREASE),
    (0xaaaa, GREASE), (0xbaba, GREASE), (0xcaca, GREASE), (0xdada, GREASE), (0xeaea, GREASE),
    (0xfafa, GREASE), (0xff01, "arbitrary_explicit_prime_curves"),
    (0xff02, "arbitrary_explicit_char2_curves"),
];
/// IANA's TLS SignatureScheme registry (RFC 8446 4.2.3); the TLS 1.2 hash and
/// signature pairs it lacks (RFC 5246 7.4.1.4.1) are named hash then signature, as
/// tshark names them.
#[rustfmt::skip]
pub(super) const SIGNATURE_SCHEMES: &[(u64, &str)] = &[
    (0x0201, "rsa_pkcs1_sha1"), (0x0202, "SHA1 DSA"), (0x0203, "ecdsa_sha1"),
    (0x0301, "SHA224 RSA"), (0x0302, "SHA224 DSA"), (0x0303, "SHA224 ECDSA"),
    (0x0401, "rsa_pkcs1_sha256"), (0x0402, "SHA256 DSA"), (0x0403, "ecdsa_secp256r1_sha256"),
    (0x0501, "rsa_pkcs1_sha384"), (0x0502, "SHA384 DSA"), (0x0503, "ecdsa_secp384r1_sha384"),
    (0x0601, "rsa_pkcs1_sha512"), (0x0602, "SHA512 DSA"), (0x0603, "ecdsa_secp521r1_sha512"),
    (0x0804, "rsa_pss_rsae_sha256"), (0x0805, "rsa_pss_rsae_sha384"),
    (0x0806, "rsa_pss_rsae_sha512"), (0x0807, "ed25519"), (0x0808, "ed448"),
    (0x0809, "rsa_pss_pss_sha256"), (0x080a, "rsa_pss_pss_sha384"),
    (0x080b, "rsa_pss_pss_sha512"), (0x081a, "ecdsa_brainpoolP256r1tls13_sha256"),
    (0x081b, "ecdsa_brainpoolP384r1tls13_sha384"), (0x081c, "ecdsa_brainpoolP512r1tls13_sha512"),
];
/// The hash byte of a TLS 1.2 SignatureAndHashAlgorithm (RFC 5246 7.4.1.4.1).
#[rustfmt::skip]
pub(super) const HASH_ALGORITHMS: &[(u64, &str)] = &[
    (1, "MD5"), (2, "SHA1"), (3, "SHA224"), (4, "SHA256"), (5, "SHA384"), (6, "SHA512"),
];
/// The signature byte of a TLS 1.2 SignatureAndHashAlgorithm.
#[rustfmt::skip]
pub(super) const SIGNATURE_ALGORITHMS: &[(u64, &str)] = &[
    (1, "RSA"), (2, "DSA"), (3, "ECDSA"), (4, "SM2"),
];
/// RFC 8446 4.2.9: PskKeyExchangeMode.
#[rustfmt::skip]
pub(super) const PSK_KE_MODES: &[(u64, &str)] = &[
    (0, "PSK-only key establishment (psk_ke)"),
    (1, "PSK with (EC)DHE key establishment (psk_dhe_ke)"),
];
/// RFC 6066 8: CertificateStatusType, and RFC 6961's ocsp_multi.
#[rustfmt::skip]
pub(super) const STATUS_TYPES: &[(u64, &str)] = &[(1, "OCSP"), (2, "OCSP Multi")];

/// RFC 8879 7.3: the TLS Certificate Compression Algorithm IDs.
#[rustfmt::skip]
pub(super) const CERT_COMPRESSION_ALGORITHMS: &[(u64, &str)] = &[
    (1, "zlib"), (2, "brotli"), (3, "zstd"),
];

/// RFC 8701's name for the values a client sends to keep peers tolerant.
const GREASE: &str = "Reserved (GREASE)";

/// Whether `value` is one of RFC 8701's GREASE values (`0x?a?a`, both bytes equal).
pub(super) fn is_grease(value: u16) -> bool {
    value & 0x0f0f == 0x0a0a && value >> 8 == value & 0xff
}

/// The IANA name of a cipher suite (`TLS_AES_128_GCM_SHA256`), GREASE included.
pub(super) fn cipher_suite_name(id: u16) -> Option<&'static str> {
    if is_grease(id) {
        return Some(GREASE);
    }
    tls_parser::TlsCipherSuite::from_id(id).map(|suite| suite.name)
}

/// `Name (0x1234)`, or `Unknown (0x1234)`: a cipher suite's label text.
pub(super) fn cipher_suite_text(id: u16) -> String {
    format!(
        "{} (0x{id:04x})",
        cipher_suite_name(id).unwrap_or("Unknown")
    )
}

#[cfg(test)]
mod tests {
    use super::{cipher_suite_name, is_grease};

    #[test]
    fn grease_and_suite_names() {
        assert!(is_grease(0x7a7a));
        assert!(!is_grease(0x7a6a));
        assert!(!is_grease(0x1301));
        assert_eq!(
            cipher_suite_name(0xc02f),
            Some("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")
        );
        assert_eq!(
            cipher_suite_name(0x00ff),
            Some("TLS_EMPTY_RENEGOTIATION_INFO_SCSV")
        );
        assert_eq!(
            cipher_suite_name(0x1303),
            Some("TLS_CHACHA20_POLY1305_SHA256")
        );
        assert_eq!(cipher_suite_name(0x2a2a), Some("Reserved (GREASE)"));
    }
}
