//! FTP data connections: the payload of a connection an FTP control connection
//! announced (`PASV`/`EPSV` replies, `PORT`/`EPRT` requests; the link is made by the
//! load-time analysis, `tcp::ftp_link`) or of TCP port 20. tshark shows the
//! connection's setup and command as top-level fields after an empty `ftp-data`
//! item, then the bytes as text lines when they look like text.

use super::context::FtpDataLink;
use super::field::kinds::*;
use super::lines;
use super::tree::Dissection;
use super::value::Value;

/// FTP's data port (the active-mode server side).
pub const PORT: u16 = 20;

crate::define_fields! { after super::x509::END;
    FTP_DATA = "ftp-data", "FTP Data", PROTO;
    SETUP_FRAME = "ftp-data.setup-frame", "Setup frame", FRAME;
    SETUP_METHOD = "ftp-data.setup-method", "Setup method", STR;
    COMMAND = "ftp-data.command", "Command", STR;
    COMMAND_FRAME = "ftp-data.command-frame", "Command frame", FRAME;
    CWD = "ftp-data.current-working-directory", "Current working directory", STR;
}

/// How many leading bytes decide whether the data is text (tshark's count).
const TEXT_CHECK: usize = 20;

/// Whether the data looks like text: its first bytes printable ASCII or line ends.
fn looks_like_text(payload: &[u8]) -> bool {
    payload
        .iter()
        .take(TEXT_CHECK)
        .all(|&c| c == b'\r' || c == b'\n' || (b' '..=b'~').contains(&c))
}

/// Dissects a data-connection segment at `at`; `reported` is its length on the wire.
pub fn dissect<'a>(
    d: &mut Dissection<'a>,
    payload: &'a [u8],
    at: usize,
    reported: usize,
    link: Option<&FtpDataLink>,
) {
    d.set_protocol("FTP-DATA");
    let len = payload.len();
    d.add_labeled(FTP_DATA, at, len, Value::None, || {
        format!("FTP Data ({len} bytes data)")
    });
    d.push_layer("ftp-data");
    let mut info = format!("FTP Data: {reported} bytes");
    if let Some(link) = link {
        d.add_generated(SETUP_FRAME, at, 0, Value::Frame(link.setup_frame));
        d.note_top_field(SETUP_FRAME);
        d.add_generated(
            SETUP_METHOD,
            at,
            0,
            Value::owned_str(link.method.as_bytes()),
        );
        d.note_top_field(SETUP_METHOD);
        info.push_str(&format!(" ({})", link.method));
        if let Some((command, frame)) = &link.command {
            d.add_generated(COMMAND, at, 0, Value::owned_str(command.as_bytes()));
            d.note_top_field(COMMAND);
            // tshark does not mark this one generated.
            d.add(COMMAND_FRAME, at, 0, Value::Frame(*frame));
            d.note_top_field(COMMAND_FRAME);
            info.push_str(&format!(" ({command})"));
        }
        d.add_generated(CWD, at, 0, Value::owned_str(link.cwd.as_bytes()));
        d.note_top_field(CWD);
    }
    d.set_info(|| info);
    if looks_like_text(payload) {
        text_lines(d, payload, at);
    }
}

/// `Line-based text data (n lines)` with one item per line, as a protocol of its own.
pub(super) fn text_lines<'a>(d: &mut Dissection<'a>, payload: &'a [u8], at: usize) {
    // Lines are counted and walked only for labels: the load pass (none) reads a
    // mail's or a file's text once per segment otherwise.
    let text = d.add_labeled(
        super::http::TEXT_LINES,
        at,
        payload.len(),
        Value::None,
        || {
            format!(
                "Line-based text data ({} lines)",
                lines::split(payload).count()
            )
        },
    );
    d.push_layer("data-text-lines");
    d.begin(text);
    if d.labels() {
        for (start, line) in lines::split(payload) {
            d.text(at + start, line.len(), || {
                super::value::string_label_text(line)
            });
        }
    }
    d.end();
}

#[cfg(test)]
pub(crate) mod tests {
    use super::looks_like_text;
    use crate::dissect::testing::field;
    use crate::dissect::{Dissection, Value};

    /// Dissects frame `number` of a test capture as a loaded capture shows it (with the
    /// recorded analysis that links data connections to their control connection).
    pub(crate) fn loaded_frame(name: &str, number: usize, f: impl FnOnce(&Dissection<'_>)) {
        let path = crate::dissect::testing::capture_path(name);
        let loaded = crate::tcp::Loaded::open(&path).expect("test capture");
        let analysis = loaded.analysis();
        let mut d = Dissection::full();
        loaded
            .dissect_into(number - 1, None, &analysis, &mut d)
            .expect("frame");
        f(&d);
    }

    /// ftp_transfers.pcap frame 28: the file an EPSV connection carries for `RETR`.
    #[test]
    fn extended_passive_retrieve() {
        loaded_frame("ftp_transfers.pcap", 28, |d| {
            assert_eq!(d.columns.protocol, "FTP-DATA");
            assert_eq!(
                d.columns.info,
                "FTP Data: 20 bytes (EPASV) (RETR notes.txt)"
            );
            assert_eq!(field(d, "ftp-data.setup-frame"), "22");
            assert_eq!(field(d, "ftp-data.setup-method"), "EPASV");
            assert_eq!(field(d, "ftp-data.command"), "RETR notes.txt");
            assert_eq!(field(d, "ftp-data.command-frame"), "26");
            assert_eq!(field(d, "ftp-data.current-working-directory"), "/pub");
            assert_eq!(
                d.layers_joined(),
                "eth:ethertype:ip:tcp:ftp-data:data-text-lines"
            );
        });
    }

    /// ftp_session.pcap frame 22: a PASV connection's listing.
    #[test]
    fn passive_list() {
        loaded_frame("ftp_session.pcap", 22, |d| {
            assert_eq!(d.columns.info, "FTP Data: 48 bytes (PASV) (LIST)");
            assert_eq!(field(d, "ftp-data.current-working-directory"), "/");
        });
    }

    /// Cut short, Info still counts the bytes on the wire; nothing is linked.
    #[test]
    fn truncated_and_empty() {
        let mut d = Dissection::full();
        super::dissect(&mut d, b"line o", 66, 20, None);
        assert_eq!(d.columns.info, "FTP Data: 20 bytes");
        assert_eq!(field(&d, "ftp-data.setup-frame"), "");
        let mut d = Dissection::full();
        super::dissect(&mut d, b"", 66, 0, None);
        assert_eq!(d.columns.info, "FTP Data: 0 bytes");
        assert!(
            d.values(crate::dissect::http::TEXT_LINES)
                .all(|v| *v == Value::None)
        );
    }

    #[test]
    fn text_test_reads_twenty_bytes() {
        assert!(looks_like_text(b"line one\r\nline two\r\n"));
        assert!(looks_like_text(b""));
        assert!(!looks_like_text(b"\x89PNG\r\n"));
        let mut late_binary = b"01234567890123456789".to_vec();
        late_binary.push(0);
        assert!(looks_like_text(&late_binary));
    }
}
