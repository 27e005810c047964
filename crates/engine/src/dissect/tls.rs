//! TLS (RFC 8446 and earlier): records, and the ClientHello and ServerHello handshake
//! messages with their extensions (server name, supported versions). Encrypted records
//! are shown as application data.

use super::apps::PduLen;
use super::context::TcpFrameInfo;
use super::field::kinds::*;
use super::tree::Dissection;
use super::value::Value;
use crate::bytes;

use super::tls_codes::*;

/// Largest record length accepted (2^14 plus the expansion TLS allows).
const MAX_RECORD_LEN: usize = (1 << 14) + 2048;
/// Records dissected per segment at most.
const MAX_RECORDS: usize = 1024;

/// tshark's version number for an SSLv2 session.
pub const SSLV2_VERSION: u16 = 0x0002;

crate::define_fields! { after super::gif::END;
    TLS = "tls", "Transport Layer Security", PROTO;
    RECORD = "tls.record", "Record Layer", NONE;
    RECORD_CONTENT_TYPE = "tls.record.content_type", "Content Type", dec_named(8, CONTENT_TYPES);
    RECORD_OPAQUE_TYPE = "tls.record.opaque_type", "Opaque Type", dec_named(8, CONTENT_TYPES);
    RECORD_VERSION = "tls.record.version", "Version", hex_named(16, VERSIONS);
    RECORD_LENGTH = "tls.record.length", "Length", dec(16);
    HANDSHAKE = "tls.handshake", "Handshake Protocol", NONE;
    HANDSHAKE_TYPE = "tls.handshake.type", "Handshake Type", dec_named(8, HANDSHAKE_TYPES);
    HANDSHAKE_LENGTH = "tls.handshake.length", "Length", dec(24);
    HANDSHAKE_VERSION = "tls.handshake.version", "Version", hex_named(16, VERSIONS);
    HANDSHAKE_RANDOM = "tls.handshake.random", "Random", BYTES;
    SESSION_ID_LENGTH = "tls.handshake.session_id_length", "Session ID Length", dec(8);
    SESSION_ID = "tls.handshake.session_id", "Session ID", BYTES;
    CIPHER_SUITES_LENGTH = "tls.handshake.cipher_suites_length", "Cipher Suites Length", dec(16);
    CIPHERSUITE = "tls.handshake.ciphersuite", "Cipher Suite", hex(16);
    COMP_METHODS_LENGTH = "tls.handshake.comp_methods_length", "Compression Methods Length", dec(8);
    COMP_METHOD = "tls.handshake.comp_method", "Compression Method", dec_named(8, COMPRESSION_METHODS);
    EXTENSIONS_LENGTH = "tls.handshake.extensions_length", "Extensions Length", dec(16);
    EXTENSION_TYPE = "tls.handshake.extension.type", "Type", dec_named(16, EXTENSION_TYPES);
    EXTENSION_LEN = "tls.handshake.extension.len", "Length", dec(16);
    SNI_LIST_LEN = "tls.handshake.extensions_server_name_list_len", "Server Name list length", dec(16);
    SNI_TYPE = "tls.handshake.extensions_server_name_type", "Server Name Type", dec_named(8, SERVER_NAME_TYPES);
    SNI_LEN = "tls.handshake.extensions_server_name_len", "Server Name length", dec(16);
    SNI = "tls.handshake.extensions_server_name", "Server Name", STR;
    SUPPORTED_VERSION = "tls.handshake.extensions.supported_version", "Supported Version", hex_named(16, SUPPORTED_VERSIONS);
    CHANGE_CIPHER_SPEC = "tls.change_cipher_spec", "Change Cipher Spec Message", NONE;
    APP_DATA = "tls.app_data", "Encrypted Application Data", BYTES;
    ALERT_MESSAGE = "tls.alert_message", "Alert Message", NONE;
    ALERT_LEVEL = "tls.alert_message.level", "Level", dec_named(8, ALERT_LEVELS);
    ALERT_DESC = "tls.alert_message.desc", "Description", dec_named(8, ALERT_DESCRIPTIONS);
    CERTIFICATES_LENGTH = "tls.handshake.certificates_length", "Certificates Length", dec(24);
    CERTIFICATES = "tls.handshake.certificates", "Certificates", NONE;
    CERTIFICATE_LENGTH = "tls.handshake.certificate_length", "Certificate Length", dec(24);
    CERTIFICATE = "tls.handshake.certificate", "Certificate", BYTES;
    RANDOM_TIME = "tls.handshake.random_time", "GMT Unix Time", ABS_TIME;
    RANDOM_BYTES = "tls.handshake.random_bytes", "Random Bytes", BYTES;
    CIPHERSUITES = "tls.handshake.ciphersuites", "Cipher Suites", NONE;
    COMP_METHODS = "tls.handshake.comp_methods", "Compression Methods", NONE;
    EXTENSION_DATA = "tls.handshake.extension.data", "Data", BYTES;
    SUPPORTED_GROUPS_LENGTH = "tls.handshake.extensions_supported_groups_length", "Supported Groups List Length", dec(16);
    SUPPORTED_GROUPS = "tls.handshake.extensions_supported_groups", "Supported Groups List", NONE;
    SUPPORTED_GROUP = "tls.handshake.extensions_supported_group", "Supported Group", hex_named(16, GROUPS);
    EC_POINT_FORMATS_LENGTH = "tls.handshake.extensions_ec_point_formats_length", "EC point formats Length", dec(8);
    EC_POINT_FORMATS_LIST = "tls.handshake.extensions_ec_point_formats", "EC point formats", NONE;
    EC_POINT_FORMAT = "tls.handshake.extensions_ec_point_format", "EC point format", dec_named(8, EC_POINT_FORMATS);
    ALPN_LEN = "tls.handshake.extensions_alpn_len", "ALPN Extension Length", dec(16);
    ALPN_LIST = "tls.handshake.extensions_alpn_list", "ALPN Protocol", NONE;
    ALPN_STR_LEN = "tls.handshake.extensions_alpn_str_len", "ALPN string length", dec(8);
    ALPN_STR = "tls.handshake.extensions_alpn_str", "ALPN Next Protocol", STR;
    RENEG_INFO_LEN = "tls.handshake.extensions_reneg_info_len", "Renegotiation info extension length", dec(8);
    RENEG_INFO = "tls.handshake.extensions_reneg_info", "Renegotiation info", BYTES;
    KEY_SHARE_CLIENT_LENGTH = "tls.handshake.extensions_key_share_client_length", "Client Key Share Length", dec(16);
    KEY_SHARE_GROUP = "tls.handshake.extensions_key_share_group", "Group", dec_named(16, GROUPS);
    KEY_SHARE_KE_LENGTH = "tls.handshake.extensions_key_share_key_exchange_length", "Key Exchange Length", dec(16);
    KEY_SHARE_KE = "tls.handshake.extensions_key_share_key_exchange", "Key Exchange", BYTES;
    KEY_SHARE_SELECTED_GROUP = "tls.handshake.extensions_key_share_selected_group", "Selected Group", dec_named(16, GROUPS);
    SUPPORTED_VERSIONS_LEN = "tls.handshake.extensions.supported_versions_len", "Supported Versions length", dec(8);
    PADDING_DATA = "tls.handshake.extensions_padding_data", "Padding Data", BYTES;
    STATUS_REQUEST_TYPE = "tls.handshake.extensions_status_request_type", "Certificate Status Type", dec_named(8, STATUS_TYPES);
    STATUS_REQUEST_RESPONDER_IDS_LEN = "tls.handshake.extensions_status_request_responder_ids_len", "Responder ID list Length", dec(16);
    STATUS_REQUEST_EXTS_LEN = "tls.handshake.extensions_status_request_exts_len", "Request Extensions Length", dec(16);
    SIG_HASH_ALG_LEN = "tls.handshake.sig_hash_alg_len", "Signature Hash Algorithms Length", dec(16);
    SIG_HASH_ALGS = "tls.handshake.sig_hash_algs", "Signature Algorithms", NONE;
    SIG_HASH_ALG = "tls.handshake.sig_hash_alg", "Signature Algorithm", hex_named(16, SIGNATURE_SCHEMES);
    SIG_HASH_HASH = "tls.handshake.sig_hash_hash", "Signature Hash Algorithm Hash", dec_named(8, HASH_ALGORITHMS);
    SIG_HASH_SIG = "tls.handshake.sig_hash_sig", "Signature Hash Algorithm Signature", dec_named(8, SIGNATURE_ALGORITHMS);
    PSK_KE_MODES_LENGTH = "tls.extension.psk_ke_modes_length", "PSK Key Exchange Modes Length", dec(8);
    PSK_KE_MODE = "tls.extension.psk_ke_mode", "PSK Key Exchange Mode", dec_named(8, PSK_KE_MODES);
    RECORD_SIZE_LIMIT = "tls.record_size_limit", "Record Size Limit", dec(16);
    SESSION_TICKET_LIFETIME_HINT = "tls.handshake.session_ticket_lifetime_hint", "Session Ticket Lifetime Hint", dec(32);
    SESSION_TICKET_LENGTH = "tls.handshake.session_ticket_length", "Session Ticket Length", dec(16);
    SESSION_TICKET = "tls.handshake.session_ticket", "Session Ticket", BYTES;
    SERVER_CURVE_TYPE = "tls.handshake.server_curve_type", "Curve Type", hex_named(8, CURVE_TYPES);
    SERVER_NAMED_CURVE = "tls.handshake.server_named_curve", "Named Curve", hex_named(16, GROUPS);
    SERVER_POINT_LEN = "tls.handshake.server_point_len", "Pubkey Length", dec(8);
    SERVER_POINT = "tls.handshake.server_point", "Pubkey", BYTES;
    CLIENT_POINT_LEN = "tls.handshake.client_point_len", "Pubkey Length", dec(8);
    CLIENT_POINT = "tls.handshake.client_point", "Pubkey", BYTES;
    SIG_LEN = "tls.handshake.sig_len", "Signature Length", dec(16);
    SIG = "tls.handshake.sig", "Signature", BYTES;
    APP_DATA_PROTO = "tls.app_data_proto", "Application Data Protocol", STR;
    COMPRESS_CERT_ALGS_LENGTH = "tls.compress_certificate.algorithms_length", "Algorithms Length", dec(8);
    COMPRESS_CERT_ALG = "tls.compress_certificate.algorithm", "Algorithm", dec_named(16, CERT_COMPRESSION_ALGORITHMS);
    JA3_FULL = "tls.handshake.ja3_full", "JA3 Fullstring", STR;
    JA3 = "tls.handshake.ja3", "JA3", STR;
    JA3S_FULL = "tls.handshake.ja3s_full", "JA3S Fullstring", STR;
    JA3S = "tls.handshake.ja3s", "JA3S", STR;
    // QUIC transport parameters (the quic_transport_parameters extension, quic_tp.rs).
    PARAMETER_TYPE = "tls.quic.parameter.type", "Type", dec(64);
    PARAMETER_LENGTH = "tls.quic.parameter.length", "Length", dec(64);
    PARAMETER_VALUE = "tls.quic.parameter.value", "Value", BYTES;
    ORIGINAL_DCID = "tls.quic.parameter.original_destination_connection_id", "Original Destination Connection ID", BYTES;
    MAX_IDLE_TIMEOUT = "tls.quic.parameter.max_idle_timeout", "max_idle_timeout", dec(64);
    STATELESS_RESET_TOKEN = "tls.quic.parameter.stateless_reset_token", "Stateless Reset Token", BYTES;
    MAX_UDP_PAYLOAD_SIZE = "tls.quic.parameter.max_udp_payload_size", "max_udp_payload_size", dec(64);
    INITIAL_MAX_DATA = "tls.quic.parameter.initial_max_data", "initial_max_data", dec(64);
    INITIAL_MAX_STREAM_DATA_BIDI_LOCAL = "tls.quic.parameter.initial_max_stream_data_bidi_local", "initial_max_stream_data_bidi_local", dec(64);
    INITIAL_MAX_STREAM_DATA_BIDI_REMOTE = "tls.quic.parameter.initial_max_stream_data_bidi_remote", "initial_max_stream_data_bidi_remote", dec(64);
    INITIAL_MAX_STREAM_DATA_UNI = "tls.quic.parameter.initial_max_stream_data_uni", "initial_max_stream_data_uni", dec(64);
    INITIAL_MAX_STREAMS_BIDI = "tls.quic.parameter.initial_max_streams_bidi", "initial_max_streams_bidi", dec(64);
    INITIAL_MAX_STREAMS_UNI = "tls.quic.parameter.initial_max_streams_uni", "initial_max_streams_uni", dec(64);
    ACK_DELAY_EXPONENT = "tls.quic.parameter.ack_delay_exponent", "ack_delay_exponent", dec(64);
    MAX_ACK_DELAY = "tls.quic.parameter.max_ack_delay", "max_ack_delay", dec(64);
    ACTIVE_CID_LIMIT = "tls.quic.parameter.active_connection_id_limit", "Active Connection ID Limit", dec(64);
    INITIAL_SCID = "tls.quic.parameter.initial_source_connection_id", "Initial Source Connection ID", BYTES;
    RETRY_SCID = "tls.quic.parameter.retry_source_connection_id", "Retry Source Connection ID", BYTES;
    MAX_DATAGRAM_FRAME_SIZE = "tls.quic.parameter.max_datagram_frame_size", "max_datagram_frame_size", dec(64);
    MIN_ACK_DELAY = "tls.quic.parameter.min_ack_delay", "min_ack_delay", dec(64);
}

/// The protocol column name of a version (`TLSv1.3`).
pub fn version_column(version: u16) -> &'static str {
    match version {
        0x0300 => "SSLv3",
        0x0301 => "TLSv1",
        0x0302 => "TLSv1.1",
        0x0303 => "TLSv1.2",
        0x0304 => "TLSv1.3",
        SSLV2_VERSION => "SSLv2",
        _ => "TLS",
    }
}

fn record_header(bytes: &[u8], at: usize) -> Option<(u8, u16, usize)> {
    let kind = bytes::u8_at(bytes, at)?;
    let version = bytes::be_u16(bytes, at + 1)?;
    let len = usize::from(bytes::be_u16(bytes, at + 3)?);
    Some((kind, version, len))
}

fn plausible(kind: u8, version: u16, len: usize) -> bool {
    (20..=24).contains(&kind) && (0x0300..=0x0304).contains(&version) && len <= MAX_RECORD_LEN
}

/// Whether a record header reads as a record in a session of version `session`.
/// While the version is unknown, it must look like a record (content type, record
/// version, length). A session of SSL 3.0 to TLS 1.2 takes any valid content type
/// (20 to 25) and whatever length follows (a mid-session capture desegments on it).
/// tshark knows no record layer of its own for TLS 1.3 sessions: each record is
/// tried as at the start of a session (a valid content type and a record version of
/// SSL 3.0 to TLS 1.2, which TLS 1.3's records carry).
fn record_fits(kind: u8, version: u16, len: usize, session: Option<u16>) -> bool {
    match session {
        None => plausible(kind, version, len),
        Some(v) if has_record_layer(v) => valid_content_type(kind),
        Some(_) => valid_content_type(kind) && matches!(version, 0x0300..=0x0303 | 0x0101),
    }
}

/// The content types tshark's TLS takes as a record's (Change Cipher Spec to the
/// TLS 1.2 connection ID record).
fn valid_content_type(kind: u8) -> bool {
    (20..=25).contains(&kind)
}

/// The session versions tshark reads with its SSL 3.0/TLS record layer (TLS 1.3's
/// is not among them).
fn has_record_layer(version: u16) -> bool {
    matches!(version, 0x0300..=0x0303 | 0x0101)
}

/// What tshark makes of bytes that are no record in a session of `session`: TLS 1.0
/// to 1.2 skip the rest of the segment ("Ignored Unknown Record", as RFC 2246 tells
/// them to ignore unknown records); SSL 3.0 reads the five bytes as a record header
/// all the same, calls what they announce "Continuation Data" and goes on after it;
/// an unknown or TLS 1.3 session calls the rest of the segment "Continuation Data".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NoRecord {
    Ignored,
    SkipAnnounced,
    ContinuationToEnd,
}

fn no_record(session: Option<u16>) -> NoRecord {
    match session {
        Some(0x0300) => NoRecord::SkipAnnounced,
        Some(v) if has_record_layer(v) => NoRecord::Ignored,
        _ => NoRecord::ContinuationToEnd,
    }
}

/// Bytes of an SSLv2 record at `pos`, header included, when a session that tries
/// each record as at its start (one whose version is unknown, or TLS 1.3's) finds
/// one there: a first byte with the high bit set (a two-byte header) and an SSLv2
/// handshake type in the third (error, client hello, client master key, server
/// hello), tshark's `ssl_looks_like_sslv2`. tshark then reads it as SSLv2 (random
/// bytes after a lost segment or in a capture started mid-session, mostly:
/// "Encrypted Data").
///
/// A session known to be SSLv2 reads every record as SSLv2: a two-byte header (high
/// bit set) or a three-byte one (its length then counts the padding). One known to
/// be SSL 3.0 to TLS 1.2 still reads an SSLv2 Client Hello as one.
fn sslv2_record_len(bytes: &[u8], pos: usize, session: Option<u16>) -> Option<usize> {
    let first = bytes::u8_at(bytes, pos)?;
    let second = bytes::u8_at(bytes, pos + 1)?;
    if session == Some(SSLV2_VERSION) {
        return Some(if first & 0x80 != 0 {
            2 + ((usize::from(first & 0x7f) << 8) | usize::from(second))
        } else {
            3 + ((usize::from(first & 0x3f) << 8) | usize::from(second))
        });
    }
    if session.is_some_and(has_record_layer) && !is_v2_client_hello(bytes, pos) {
        return None;
    }
    let kind = bytes::u8_at(bytes, pos + 2)?;
    if first < 0x80 || !matches!(kind, 0 | 1 | 2 | 4) {
        return None;
    }
    Some(2 + ((usize::from(first & 0x7f) << 8) | usize::from(second)))
}

/// The session version an SSLv2 record at `pos` sets while none is known: a message
/// type from Client Master Key (2) to Client Certificate (8), tshark's sign of an
/// SSLv2 session (a Client Hello could still go on in SSL 3.0).
fn sslv2_sets_version(bytes: &[u8], pos: usize, session: Option<u16>) -> Option<u16> {
    match (session, bytes::u8_at(bytes, pos + 2)) {
        (None, Some(2..=8)) => Some(SSLV2_VERSION),
        _ => session,
    }
}

/// Whether the bytes at `pos` open an SSLv2 Client Hello, which tshark looks for
/// while a session's version is unknown: a two-byte header whose first byte is 0x80
/// (a length under 256), then message type 1.
fn is_v2_client_hello(bytes: &[u8], pos: usize) -> bool {
    bytes::u8_at(bytes, pos) == Some(0x80) && bytes::u8_at(bytes, pos + 2) == Some(1)
}

/// Whether `payload` passes tshark's TLS heuristic on TCP: a Handshake or
/// Application Data record header of SSL 3.0 to TLS 1.2 (or GM/T's 0x0101) with a
/// length from 1 to under 2^14 + 2048 (the record itself may follow in the next
/// segment), or an SSLv2-compatible Client Hello. Alerts and Change Cipher Spec
/// records do not pass: a capture that starts with one shows TCP.
pub fn looks_like_tls(payload: &[u8]) -> bool {
    let record = matches!(
        (bytes::u8_at(payload, 0), bytes::be_u16(payload, 1), bytes::be_u16(payload, 3)),
        (Some(22 | 23), Some(0x0300..=0x0303 | 0x0101), Some(len))
            if len > 0 && usize::from(len) < MAX_RECORD_LEN
    );
    record || is_v2_compatible_client_hello(payload)
}

/// An SSL 2.0-compatible Client Hello (RFC 5246 E.2) as tshark's heuristic checks it:
/// a two-byte header under 256, message type 1, a non-zero cipher spec length that
/// is a multiple of 3, a session id of 0 or 16 bytes and a 32-byte challenge.
fn is_v2_compatible_client_hello(payload: &[u8]) -> bool {
    payload.len() >= 46
        && bytes::u8_at(payload, 0) == Some(0x80)
        && bytes::u8_at(payload, 2) == Some(1)
        && bytes::be_u16(payload, 5).is_some_and(|n| n != 0 && n % 3 == 0)
        && bytes::be_u16(payload, 7).is_some_and(|n| n == 0 || n == 16)
        && bytes::be_u16(payload, 9) == Some(32)
}

/// Bytes of complete records at the start of `bytes`; more are needed when the first
/// record is incomplete. `session_version`: the session's version, when known.
pub fn pdu_len(bytes: &[u8], session_version: Option<u16>) -> PduLen {
    let mut session_version = session_version;
    let mut pos = 0usize;
    for _ in 0..MAX_RECORDS {
        if pos >= bytes.len() {
            break;
        }
        let Some((kind, version, len)) = record_header(bytes, pos) else {
            return if pos == 0 {
                PduLen::NeedMore(None)
            } else {
                PduLen::Complete(pos)
            };
        };
        if let Some(v2_len) = sslv2_record_len(bytes, pos, session_version) {
            if pos + v2_len > bytes.len() {
                return if pos == 0 {
                    PduLen::NeedMore(Some(v2_len))
                } else {
                    PduLen::Complete(pos)
                };
            }
            session_version = sslv2_sets_version(bytes, pos, session_version);
            pos += v2_len;
            continue;
        }
        if !record_fits(kind, version, len, session_version) {
            if no_record(session_version) == NoRecord::SkipAnnounced {
                pos += 5 + len;
                continue;
            }
            return PduLen::Complete(bytes.len());
        }
        if pos + 5 + len > bytes.len() {
            return if pos == 0 {
                PduLen::NeedMore(Some(5 + len))
            } else {
                PduLen::Complete(pos)
            };
        }
        pos += 5 + len;
    }
    PduLen::Complete(pos.max(1).min(bytes.len()))
}

/// Bytes of the first record of `bytes`: tshark reassembles a record split over
/// segments on its own, and the records after it in the last segment apart.
pub fn first_record_len(bytes: &[u8], session_version: Option<u16>) -> PduLen {
    if bytes.len() >= 5
        && let Some(v2_len) = sslv2_record_len(bytes, 0, session_version)
    {
        return if bytes.len() >= v2_len {
            PduLen::Complete(v2_len)
        } else {
            PduLen::NeedMore(Some(v2_len))
        };
    }
    match record_header(bytes, 0) {
        Some((kind, version, len)) if record_fits(kind, version, len, session_version) => {
            if bytes.len() >= 5 + len {
                PduLen::Complete(5 + len)
            } else {
                PduLen::NeedMore(Some(5 + len))
            }
        }
        Some(_) => PduLen::NotMine,
        None => PduLen::NeedMore(None),
    }
}

/// The session's version after the records in `bytes`, given the version `known`
/// before them: a ServerHello sets the version it negotiates (supported_versions, else
/// its own); while the version is unknown, the first record whose version tshark takes
/// as authoritative (Change Cipher Spec, Alert, Application Data, Heartbeat) sets its
/// record version, as a capture that starts mid-session shows.
pub fn negotiated_version(bytes: &[u8], known: Option<u16>) -> Option<u16> {
    let mut version = known;
    let mut pos = 0usize;
    for _ in 0..MAX_RECORDS {
        let Some((kind, rversion, len)) = record_header(bytes, pos) else {
            break;
        };
        if let Some(v2_len) = sslv2_record_len(bytes, pos, version) {
            if pos + v2_len > bytes.len() {
                break;
            }
            version = sslv2_sets_version(bytes, pos, version);
            pos += v2_len;
            continue;
        }
        if !plausible(kind, rversion, len) {
            break;
        }
        if kind == 22 && bytes::u8_at(bytes, pos + 5) == Some(2) {
            let body = bytes::clamped(bytes, pos + 9, len.saturating_sub(4));
            version = Some(server_hello_version(body));
        } else if kind == 22
            && version.is_none()
            && bytes::u8_at(bytes, pos + 5) == Some(1)
            && super::tls_hello::client_sends_tls13_early_data(bytes::clamped(
                bytes,
                pos + 9,
                len.saturating_sub(4),
            )) == Some(true)
        {
            version = Some(0x0304);
        } else if version.is_none() && sets_version(kind) {
            version = Some(rversion);
        }
        pos += 5 + len;
    }
    version
}

/// Content types whose record version tshark takes as the session's while it knows
/// none (a handshake record counts only as a ServerHello).
fn sets_version(kind: u8) -> bool {
    matches!(kind, 20 | 21 | 23 | 24)
}

/// The protocol TLS hands its application data to, by the stream's lower port then
/// its higher: the implicit-TLS ports (HTTPS, IMAPS, POP3S, SMTPS) and the ports whose
/// text protocol switches to TLS with STARTTLS.
fn app_protocol((a, b): (u16, u16)) -> Option<&'static str> {
    let by_port = |port: u16| {
        let proto = match port {
            443 => super::http::HTTP,
            143 | 993 => super::imap::IMAP,
            110 | 995 => super::pop::POP,
            25 | 465 | 587 => super::smtp::SMTP,
            _ => return None,
        };
        Some(super::registry::def(proto).name)
    };
    by_port(a.min(b)).or_else(|| by_port(a.max(b)))
}

/// Whether tshark's TLS refuses a payload outright: its first four bytes are printable
/// ASCII, which real TLS never starts with (plain text on a TLS port).
pub fn refuses(payload: &[u8]) -> bool {
    payload.len() > 4 && payload.iter().take(4).all(|b| (0x20..=0x7e).contains(b))
}

fn server_hello_version(body: &[u8]) -> u16 {
    let legacy = bytes::be_u16(body, 0).unwrap_or(0);
    let sid_len = usize::from(bytes::u8_at(body, 34).unwrap_or(0));
    let ext_at = 35 + sid_len + 3;
    let Some(ext_len) = bytes::be_u16(body, ext_at) else {
        return legacy;
    };
    let mut p = ext_at + 2;
    let end = p + usize::from(ext_len);
    while p + 4 <= end {
        let (Some(t), Some(l)) = (bytes::be_u16(body, p), bytes::be_u16(body, p + 2)) else {
            break;
        };
        if t == 43
            && let Some(v) = bytes::be_u16(body, p + 4)
        {
            return v;
        }
        p += 4 + usize::from(l);
    }
    legacy
}

/// The TLS layer of a segment TLS was handed but could not use yet (a record that
/// continues in later segments): tshark shows the protocol item with nothing in it.
pub fn empty_layer(d: &mut Dissection<'_>, offset: usize, len: usize) {
    d.add(TLS, offset, len, Value::None);
    d.push_layer("tls");
}

/// Dissects the TLS records in `bytes` (at `offset` of the current data source).
/// `desegment`: tshark's `tcp.desegment_tcp_streams`; off, a record the segment cuts
/// is skipped, as tshark skips it.
pub fn dissect<'a>(
    d: &mut Dissection<'a>,
    bytes: &'a [u8],
    offset: usize,
    info: Option<&TcpFrameInfo>,
    desegment: bool,
    ports: (u16, u16),
) {
    let app_proto = app_protocol(ports);
    let mut version = info.and_then(|i| i.tls_version);
    let mut pos = 0usize;
    let mut names: Vec<&'static str> = Vec::new();
    let mut first_record_version = None;
    let mut ccs_seen = false;
    // The segment ended in bytes that are no record while no version was known.
    let mut continuation = false;
    // An SSLv2 record was read: the Protocol column says SSLv2.
    let mut sslv2 = false;
    // Alerts in clear are named with their level and description.
    let mut alert_names: Vec<String> = Vec::new();
    let item = d.add(TLS, offset, bytes.len(), Value::None);
    d.push_layer("tls");
    d.begin(item);
    for _ in 0..MAX_RECORDS {
        if pos >= bytes.len() {
            break;
        }
        let Some((kind, rversion, len)) = record_header(bytes, pos) else {
            break;
        };
        if let Some(v2_len) = sslv2_record_len(bytes, pos, version) {
            if pos + v2_len > bytes.len() {
                break;
            }
            let name = if version.is_none() && is_v2_client_hello(bytes, pos) {
                "Client Hello"
            } else {
                "Encrypted Data"
            };
            let node = d.text(offset + pos, v2_len, || {
                format!("SSLv2 Record Layer: {name}")
            });
            if name == "Client Hello"
                && let (Some(kind), Some(hello_version)) =
                    (bytes::u8_at(bytes, pos + 2), bytes::be_u16(bytes, pos + 3))
            {
                // The message type and the version the client offers (SSL 3.0 and
                // up, in a v2-compatible hello).
                d.begin(node);
                d.add(
                    HANDSHAKE_TYPE,
                    offset + pos + 2,
                    1,
                    Value::UInt(u64::from(kind)),
                );
                d.add(
                    HANDSHAKE_VERSION,
                    offset + pos + 3,
                    2,
                    Value::UInt(u64::from(hello_version)),
                );
                d.end();
            }
            names.push(name);
            sslv2 = true;
            version = sslv2_sets_version(bytes, pos, version);
            pos += v2_len;
            continue;
        }
        if !record_fits(kind, rversion, len, version) {
            match no_record(version) {
                NoRecord::SkipAnnounced => {
                    names.push("Continuation Data");
                    pos += 5 + len;
                    continue;
                }
                NoRecord::Ignored => {
                    let item = d.text(offset + pos, bytes.len() - pos, || {
                        "Ignored Unknown Record".into()
                    });
                    d.expert(
                        item,
                        super::tree::Expert {
                            severity: super::tree::Severity::Warning,
                            group: "Protocol",
                            protocol: "TLS",
                            message: "Ignored Unknown Record".into(),
                        },
                    );
                    names.push("Ignored Unknown Record");
                }
                NoRecord::ContinuationToEnd => {
                    // Nothing like a record: tshark lumps the rest in as continuation
                    // data, under the session's version (SSL while it has none).
                    names.push("Continuation Data");
                    continuation = version.is_none();
                }
            }
            break;
        }
        let cut = pos
            .checked_add(5)
            .and_then(|p| p.checked_add(len))
            .is_none_or(|end| end > bytes.len());
        if cut && !desegment {
            break;
        }
        first_record_version.get_or_insert(rversion);
        if version.is_none() && sets_version(kind) {
            version = Some(rversion);
        }
        let body = bytes::clamped(bytes, pos + 5, len);
        let tls13 = version == Some(0x0304);
        let vname = version_column(version.unwrap_or(rversion));
        let ctype =
            super::value::value_name(Some(CONTENT_TYPES), u64::from(kind)).unwrap_or("Unknown");
        let record = d.add_labeled(
            RECORD,
            offset + pos,
            5 + body.len(),
            Value::None,
            String::new,
        );
        d.begin(record);
        if tls13 && kind == 23 {
            d.add(
                RECORD_OPAQUE_TYPE,
                offset + pos,
                1,
                Value::UInt(u64::from(kind)),
            );
        } else {
            d.add(
                RECORD_CONTENT_TYPE,
                offset + pos,
                1,
                Value::UInt(u64::from(kind)),
            );
        }
        d.add(
            RECORD_VERSION,
            offset + pos + 1,
            2,
            Value::UInt(u64::from(rversion)),
        );
        d.add(RECORD_LENGTH, offset + pos + 3, 2, Value::UInt(len as u64));
        // The record's label, made only when labels are (not in the load pass).
        let labels = d.labels();
        macro_rules! label {
            ($($text:tt)*) => {
                if labels { format!($($text)*) } else { String::new() }
            };
        }
        let mut record_label = label!("{vname} Record Layer: {ctype} Protocol");
        // After a Change Cipher Spec the sender's handshake messages are encrypted; a
        // message whose length disagrees with its record's is one too (its CCS was in
        // an earlier segment).
        // TLS 1.3's Change Cipher Spec is a dummy for middleboxes: a ClientHello
        // after it (answering a HelloRetryRequest) is still in clear.
        let encrypted_hs = ccs_seen && !tls13
            || tls13 && body.first().is_none_or(|t| *t != 1 && *t != 2)
            || !clear_handshake(body);
        match kind {
            22 if !encrypted_hs => {
                let mut at = 0usize;
                let mut count = 0usize;
                while at < body.len() && count < MAX_RECORDS {
                    let msg = bytes::tail(body, at);
                    let hs_name = message_name(msg).unwrap_or("Encrypted Handshake Message");
                    names.push(hs_name);
                    if count == 0 {
                        if labels {
                            record_label.push_str(": ");
                            record_label.push_str(hs_name);
                        }
                    } else if count == 1 {
                        record_label = label!(
                            "{vname} Record Layer: {ctype} Protocol: Multiple Handshake Messages"
                        );
                    }
                    if let Some(v) = handshake_in(d, msg, offset + pos + 5 + at, version) {
                        version = Some(v);
                    }
                    let len = bytes::be_u24(msg, 1).map_or(msg.len(), |l| l as usize + 4);
                    at = at.saturating_add(len.max(4));
                    count += 1;
                }
            }
            22 => {
                names.push("Encrypted Handshake Message");
                record_label.push_str(": Encrypted Handshake Message");
                d.add_labeled(HANDSHAKE, offset + pos + 5, body.len(), Value::None, || {
                    "Handshake Protocol: Encrypted Handshake Message".into()
                });
            }
            20 => {
                ccs_seen = true;
                names.push("Change Cipher Spec");
                record_label.push_str(": Change Cipher Spec");
                d.add(
                    CHANGE_CIPHER_SPEC,
                    offset + pos + 5,
                    body.len(),
                    Value::None,
                );
            }
            21 => {
                let (level, desc) = (bytes::u8_at(body, 0), bytes::u8_at(body, 1));
                match (level, desc) {
                    (Some(level), Some(desc)) if body.len() == 2 && !ccs_seen => {
                        let lname = super::value::value_name(Some(ALERT_LEVELS), u64::from(level))
                            .unwrap_or("Unknown");
                        let dname =
                            super::value::value_name(Some(ALERT_DESCRIPTIONS), u64::from(desc))
                                .unwrap_or("Unknown");
                        let text = format!("Alert (Level: {lname}, Description: {dname})");
                        record_label = label!("{vname} Record Layer: {text}");
                        let item =
                            d.add_labeled(ALERT_MESSAGE, offset + pos + 5, 2, Value::None, || {
                                "Alert Message".into()
                            });
                        d.begin(item);
                        d.add(
                            ALERT_LEVEL,
                            offset + pos + 5,
                            1,
                            Value::UInt(u64::from(level)),
                        );
                        d.add(
                            ALERT_DESC,
                            offset + pos + 6,
                            1,
                            Value::UInt(u64::from(desc)),
                        );
                        d.end();
                        alert_names.push(text);
                        names.push("");
                    }
                    _ => {
                        names.push("Encrypted Alert");
                        record_label = label!("{vname} Record Layer: Encrypted Alert");
                        d.add_labeled(
                            ALERT_MESSAGE,
                            offset + pos + 5,
                            body.len(),
                            Value::None,
                            || "Alert Message: Encrypted Alert".into(),
                        );
                    }
                }
            }
            23 => {
                names.push("Application Data");
                let proto_name = app_proto.unwrap_or("Application Data");
                record_label =
                    label!("{vname} Record Layer: Application Data Protocol: {proto_name}");
                d.add(
                    APP_DATA,
                    offset + pos + 5,
                    body.len(),
                    Value::Bytes(body.into()),
                );
                if let Some(name) = app_proto {
                    d.add_generated(
                        APP_DATA_PROTO,
                        0,
                        0,
                        Value::Str(std::borrow::Cow::Borrowed(name.as_bytes())),
                    );
                }
            }
            _ => names.push("Unknown"),
        }
        d.end();
        d.set_label(record, || record_label);
        pos += 5 + len;
    }
    d.end();
    let column = if sslv2 {
        "SSLv2"
    } else if continuation {
        "SSL"
    } else {
        version_column(version.or(first_record_version).unwrap_or(0x0301))
    };
    d.set_protocol(column);
    if names.is_empty() && !desegment {
        // TLS clears the Info column before its records; a segment holding none
        // whole (reassembly off) leaves it empty.
        d.set_info(String::new);
    }
    if !names.is_empty() {
        let fenced = d.info_fenced();
        d.set_info(|| {
            let mut alerts = alert_names.into_iter();
            let texts: Vec<String> = names
                .iter()
                .map(|n| match n {
                    &"" => alerts.next().unwrap_or_default(),
                    n => (*n).to_string(),
                })
                .collect();
            // TLS appends each record with ", ", after TCP's analysis prefix too.
            if fenced {
                format!(", {}", texts.join(", "))
            } else {
                texts.join(", ")
            }
        });
    }
}

/// Whether a handshake record's body reads as handshake messages in clear: known types
/// whose lengths tile the record exactly, or one known message that continues in a
/// later record. Encrypted bytes (a Finished after Change Cipher Spec) rarely do.
fn clear_handshake(body: &[u8]) -> bool {
    let mut at = 0usize;
    for count in 0..MAX_RECORDS {
        if at == body.len() {
            return count > 0;
        }
        let (Some(kind), Some(len)) = (bytes::u8_at(body, at), bytes::be_u24(body, at + 1)) else {
            return false;
        };
        if kind == 0 && len == 0 || !HANDSHAKE_TYPES.iter().any(|(t, _)| *t == u64::from(kind)) {
            return false;
        }
        let next = at.saturating_add(4).saturating_add(len as usize);
        if next > body.len() {
            // A message fragmented over records: only as the record's one message.
            return count == 0;
        }
        at = next;
    }
    false
}

/// The name of the handshake message `body` starts with (`Client Hello`).
pub fn handshake_name(body: &[u8]) -> &'static str {
    message_name(body).unwrap_or("Unknown")
}

/// The Random of a ServerHello that is a HelloRetryRequest (RFC 8446 4.1.3: the
/// SHA-256 of "HelloRetryRequest").
const HELLO_RETRY_RANDOM: [u8; 32] = [
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
    0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
];

/// The name tshark gives the handshake message `msg` starts with: its type's, except
/// a ServerHello carrying the HelloRetryRequest Random ("Hello Retry Request").
fn message_name(msg: &[u8]) -> Option<&'static str> {
    let kind = bytes::u8_at(msg, 0)?;
    if kind == 2 && bytes::slice(msg, 6, 32) == Some(&HELLO_RETRY_RANDOM[..]) {
        return Some("Hello Retry Request");
    }
    super::value::value_name(Some(HANDSHAKE_TYPES), u64::from(kind))
}

/// Dissects a handshake message; returns the version a ServerHello negotiates.
/// QUIC's CRYPTO frames carry these messages without records (TLS 1.3 only).
pub fn handshake<'a>(d: &mut Dissection<'a>, body: &'a [u8], at: usize) -> Option<u16> {
    handshake_in(d, body, at, Some(0x0304))
}

/// A handshake message of a session whose version is `version` (when known).
fn handshake_in<'a>(
    d: &mut Dissection<'a>,
    body: &'a [u8],
    at: usize,
    version: Option<u16>,
) -> Option<u16> {
    let hs_type = bytes::u8_at(body, 0)?;
    let len = bytes::be_u24(body, 1)? as usize;
    let msg = bytes::clamped(body, 4, len);
    let name = message_name(body).unwrap_or("Unknown");
    let item = d.add_labeled(HANDSHAKE, at, 4 + msg.len(), Value::None, || {
        format!("Handshake Protocol: {name}")
    });
    d.begin(item);
    d.add(HANDSHAKE_TYPE, at, 1, Value::UInt(u64::from(hs_type)));
    d.add(HANDSHAKE_LENGTH, at + 1, 3, Value::UInt(len as u64));
    let mut negotiated = None;
    // The message's fields are no protocol item, expert item or column: with none of
    // TLS's fields kept (the load pass, most filters) only the version a ServerHello
    // negotiates matters (a certificate's x509 fields are its own protocol's).
    let base = at + 4;
    if !(d.keeps_fields_of(TLS) || hs_type == 11 && d.keeps_fields()) {
        if hs_type == 2 {
            negotiated = Some(server_hello_version(msg));
        }
    } else {
        match hs_type {
            1 | 2 => negotiated = super::tls_hello::hello(d, msg, base, hs_type, version),
            4 => super::tls_hello::new_session_ticket(d, msg, base, version),
            11 => super::tls_hello::certificates(d, msg, base),
            12 => super::tls_hello::server_key_exchange(d, msg, base),
            16 => super::tls_hello::client_key_exchange(d, msg, base),
            _ => {}
        }
    }
    d.end();
    negotiated
}

#[cfg(test)]
mod tests {
    use super::{looks_like_tls, negotiated_version, pdu_len, refuses};
    use crate::dissect::apps::PduLen;
    use crate::dissect::testing::{field, with_frame, with_patched, with_truncated};

    /// sslv2_client_hello.pcap frame 4 (ssl-ethereal-trace-1 frame 106): an SSLv2
    /// Client Hello (0x80, its length, type 1) at a session's start.
    #[test]
    fn sslv2_client_hello_at_session_start() {
        with_frame("sslv2_client_hello.pcap", 4, |d| {
            assert_eq!(d.columns.protocol, "SSLv2");
            assert_eq!(d.columns.info, "Client Hello");
        });
        // Type 2 (Client Master Key) at the start is no Client Hello: not SSLv2.
        with_patched(
            "sslv2_client_hello.pcap",
            4,
            |b| b[56] = 2,
            |d| {
                assert_ne!(d.columns.info, "Client Hello");
            },
        );
    }

    /// The session version: an Application Data record sets its record version while
    /// none is known (a capture that starts mid-session), never over a known one; a
    /// ClientHello sets nothing. Plain text is refused.
    #[test]
    fn session_version_from_authoritative_records() {
        let app_data = [23, 3, 3, 0, 2, 0xaa, 0xbb];
        assert_eq!(negotiated_version(&app_data, None), Some(0x0303));
        assert_eq!(negotiated_version(&app_data, Some(0x0304)), Some(0x0304));
        let client_hello = [22, 3, 1, 0, 4, 1, 0, 0, 0];
        assert_eq!(negotiated_version(&client_hello, None), None);
        assert!(refuses(b"220-FileZilla"));
        assert!(!refuses(&app_data));
        assert!(!refuses(b"GET"), "four bytes or fewer are never refused");
    }

    /// tls_sni.pcapng frame 9: the ClientHello with SNI.
    #[test]
    fn client_hello() {
        with_frame("tls_sni.pcapng", 9, |d| {
            assert_eq!(field(d, "tls.record.content_type"), "22");
            assert_eq!(field(d, "tls.record.version"), "0x0301");
            assert_eq!(field(d, "tls.handshake.type"), "1");
            assert_eq!(
                field(d, "tls.handshake.extensions_server_name"),
                "tls.example.test"
            );
            assert_eq!(d.columns.info, "Client Hello");
            assert_eq!(d.columns.protocol, "TLSv1");
        });
    }

    #[test]
    fn record_lengths() {
        let record = [22u8, 3, 1, 0, 4, 1, 0, 0, 0];
        assert!(looks_like_tls(&record));
        assert_eq!(pdu_len(&record, None), PduLen::Complete(9));
        assert_eq!(pdu_len(&record[..7], None), PduLen::NeedMore(Some(9)));
        assert!(!looks_like_tls(&[22, 9, 9, 0, 1]));
        // The Kurose Ethernet lab's frame 110 (port 8190): an Encrypted Alert record
        // passes no TLS heuristic of tshark's, which shows the segment as TCP.
        assert!(!looks_like_tls(&[21, 3, 3, 0, 26, 0x9d, 0x2c]));
        assert!(!looks_like_tls(&[20, 3, 3, 0, 1, 1]));
        assert!(
            !looks_like_tls(&[23, 3, 4, 0, 1, 0]),
            "0x0304 is no record version"
        );
        assert!(!looks_like_tls(&[23, 3, 3, 0, 0]), "an empty record");
        assert!(
            !looks_like_tls(&[23, 3, 3, 0x48, 0]),
            "2^14 + 2048 bytes is too long"
        );
        assert!(looks_like_tls(&[23, 3, 3, 0x47, 0xff]));
        // An SSLv2-compatible Client Hello: 3 cipher specs, no session id, a
        // 32-byte challenge.
        let mut v2 = vec![0x80, 44, 1, 3, 1, 0, 9, 0, 0, 0, 32];
        v2.extend_from_slice(&[0; 9]);
        v2.extend_from_slice(&[0x5a; 32]);
        assert!(looks_like_tls(&v2));
        v2[6] = 8;
        assert!(!looks_like_tls(&v2), "cipher specs are 3 bytes each");
        // Bytes that are no record, in the middle of a session: TLS 1.2 ignores the
        // rest of the segment and TLS 1.3 calls it continuation data; SSL 3.0 skips
        // the length they seem to announce (2) and reads the record after them, here
        // one that continues in the next segment.
        let lost = [0x99u8, 1, 3, 0, 2, 7, 7, 23, 3, 3, 0, 9, 1];
        assert_eq!(pdu_len(&lost, Some(0x0303)), PduLen::Complete(13));
        assert_eq!(pdu_len(&lost, Some(0x0304)), PduLen::Complete(13));
        assert_eq!(pdu_len(&lost, Some(0x0300)), PduLen::Complete(7));
        // TLS 1.3 takes a record only with an older record version, as its records
        // carry; 0x0304 there is no record.
        assert_eq!(
            pdu_len(&[23, 3, 4, 0, 9, 1], Some(0x0304)),
            PduLen::Complete(6)
        );
        assert_eq!(
            pdu_len(&[23, 3, 3, 0, 9, 1], Some(0x0304)),
            PduLen::NeedMore(Some(14))
        );
        // In TLS 1.3, bytes like an SSLv2 handshake header (0x80 | length, then a
        // handshake type) are an SSLv2 record of that length.
        let v2 = [0x80u8, 3, 1, 9, 9, 7];
        assert_eq!(pdu_len(&v2, Some(0x0304)), PduLen::Complete(5));
        assert_eq!(pdu_len(&v2[..4], Some(0x0304)), PduLen::NeedMore(None));
        assert_eq!(
            pdu_len(&[0x81, 0, 4, 0, 0], Some(0x0304)),
            PduLen::NeedMore(Some(258))
        );
        with_truncated("tls_sni.pcapng", 9, 100, |d| {
            assert_eq!(field(d, "tls.handshake.extensions_server_name"), "");
        });
    }

    /// tls12_cert.pcap frames 12 (Finished after Change Cipher Spec, encrypted) and
    /// 14 (an encrypted alert).
    #[test]
    fn encrypted_after_change_cipher_spec() {
        with_frame("tls12_cert.pcap", 12, |d| {
            assert_eq!(
                d.columns.info,
                "Client Key Exchange, Change Cipher Spec, Encrypted Handshake Message"
            );
            assert_eq!(field(d, "tls.handshake.type"), "16");
        });
        with_frame("tls12_cert.pcap", 14, |d| {
            assert_eq!(d.columns.info, "Encrypted Alert");
        });
    }

    /// A clear alert names its level and description; random bytes in a handshake
    /// record are not read as messages.
    #[test]
    fn alerts_and_encrypted_handshakes() {
        assert!(super::clear_handshake(&[14, 0, 0, 0]));
        assert!(!super::clear_handshake(&[0, 0, 0, 0, 0, 0, 0, 0]));
        assert!(!super::clear_handshake(&[99, 0, 0, 1, 7]));
        assert!(super::clear_handshake(&[11, 0, 0, 200, 1]));
        let mut d = crate::dissect::Dissection::new(crate::dissect::Want::All, true, true);
        super::dissect(&mut d, &[21, 3, 3, 0, 2, 2, 40], 0, None, true, (0, 0));
        assert_eq!(
            d.columns.info,
            "Alert (Level: Fatal, Description: Handshake Failure)"
        );
        assert_eq!(field(&d, "tls.alert_message.desc"), "40");
    }

    /// Application data goes to the protocol of the stream's port (IMAP after its
    /// STARTTLS on 143, as in course_segments.pcapng), else stays unnamed.
    #[test]
    fn application_data_protocol() {
        let record = [23, 3, 3, 0, 2, 0xaa, 0xbb];
        let mut d = crate::dissect::Dissection::new(crate::dissect::Want::All, true, true);
        super::dissect(&mut d, &record, 0, None, true, (51147, 143));
        assert_eq!(
            field(&d, "tls.app_data_proto"),
            "Internet Message Access Protocol"
        );
        let mut d = crate::dissect::Dissection::new(crate::dissect::Want::All, true, true);
        super::dissect(&mut d, &record, 0, None, true, (37446, 56772));
        assert_eq!(field(&d, "tls.app_data_proto"), "");
    }
}
