//! Line helpers the text protocols (FTP, POP, SMTP, HTTP, SSDP, RTSP, SDP, SIP) share: lines with their offsets,
//! line ends trimmed, the first word split from the rest.

/// The lines of `bytes` (each with its line end) and where each starts.
pub fn split(bytes: &[u8]) -> impl Iterator<Item = (usize, &[u8])> {
    let mut pos = 0usize;
    std::iter::from_fn(move || {
        let rest = bytes.get(pos..)?;
        if rest.is_empty() {
            return None;
        }
        // memchr: mails and HTTP headers are split line by line in the load pass.
        let len = memchr::memchr(b'\n', rest).map_or(rest.len(), |p| p + 1);
        let start = pos;
        pos += len;
        Some((start, rest.get(..len)?))
    })
}

/// The first line of `bytes` as tshark's `tvb_find_line_end` ends it: at the first
/// CR or LF, whichever comes first (a lone CR ends a line too).
pub fn first_line(bytes: &[u8]) -> &[u8] {
    let end = memchr::memchr2(b'\r', b'\n', bytes).unwrap_or(bytes.len());
    bytes.get(..end).unwrap_or(bytes)
}

/// `line` without its CRLF or LF.
pub fn trim_eol(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// The first space-separated word of `line` and what follows the space.
pub fn word_and_rest(line: &[u8]) -> (&[u8], &[u8]) {
    match line.iter().position(|b| *b == b' ') {
        Some(p) => (
            line.get(..p).unwrap_or(line),
            crate::bytes::tail(line, p + 1),
        ),
        None => (line, &[]),
    }
}
