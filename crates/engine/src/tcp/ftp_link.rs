//! FTP's links between a control connection and its data connections, as tshark's
//! single pass makes them: the working directory each control message sees (`CWD`,
//! `CDUP` and `PWD` replies move it), the data connection a `PASV`/`EPSV` reply or a
//! `PORT`/`EPRT` request announces, and the command whose data it carries.
//!
//! The load pass runs an [`FtpTracker`] and records what each frame was shown in an
//! [`FtpRecord`]; the finished analysis answers from the record, so a packet dissected
//! again later shows what it showed during the load.

use super::results::Sparse;
use crate::dissect::context::{FtpControl, FtpDataLink, FtpExpect, TransactionKey};
use crate::dissect::ipv4::Addr;
use rustc_hash::FxHashMap;
use std::sync::Arc;

/// Announced data connections kept per capture: past this, new ones are not followed
/// (a capture built to exhaust memory with PASV replies).
const MAX_DATA_CONNECTIONS: usize = 1 << 16;

/// What the load pass recorded for the FTP frames.
#[derive(Debug, Default)]
pub struct FtpRecord {
    /// The working directory shown on each FTP control frame.
    pub cwd: Sparse<Arc<str>>,
    /// The data connection of each FTP-DATA frame.
    pub data: Sparse<Arc<FtpDataLink>>,
    /// The requests (key hash, frame, capture time) responses answer (IMAP's tagged
    /// responses, SNMP's by request id), by the responses' frame.
    pub requests: Sparse<Vec<(u32, u32, i64)>>,
}

/// The part of a request key that tells the requests answered in one frame apart.
pub fn tag_hash(key: &TransactionKey) -> u32 {
    u32::from(key.id) << 16 | u32::from(key.seq)
}

impl FtpRecord {
    /// The records of two partitions of a parallel load (disjoint frames).
    pub fn merge(a: FtpRecord, b: FtpRecord) -> FtpRecord {
        FtpRecord {
            cwd: Sparse::merge(a.cwd, b.cwd),
            data: Sparse::merge(a.data, b.data),
            requests: Sparse::merge(a.requests, b.requests),
        }
    }
}

/// One control connection's state.
#[derive(Debug)]
struct Control {
    cwd: Arc<str>,
    last_command: Option<Box<[u8]>>,
    /// The data connection announced last (index in [`FtpTracker::data`]).
    current: Option<usize>,
}

/// The load pass's FTP state.
#[derive(Debug, Default)]
pub struct FtpTracker {
    controls: FxHashMap<u32, Control>,
    /// Announced data connections, in order, with what they show.
    data: Vec<(FtpExpect, Arc<FtpDataLink>)>,
    /// The announced connections by their exact endpoint.
    by_endpoint: FxHashMap<(Addr, u16), Vec<usize>>,
    /// The last request (frame, time) of each IMAP tag or SNMP request id.
    requests: FxHashMap<TransactionKey, (u32, i64)>,
}

/// Commands whose reply comes over the data connection (tshark's list; it compares
/// the first four bytes).
fn answers_on_data(line: &[u8]) -> bool {
    const DATA: [&[u8]; 7] = [
        b"RETR", b"STOR", b"STOU", b"APPE", b"LIST", b"NLST", b"MLSD",
    ];
    line.get(..4).is_some_and(|w| DATA.contains(&w))
}

impl FtpTracker {
    /// Follows a control message of `frame`; answers the working directory it shows.
    pub fn control(&mut self, frame: u32, m: &FtpControl<'_>) -> Arc<str> {
        let c = self.controls.entry(m.stream).or_insert_with(|| Control {
            cwd: Arc::from(""),
            last_command: None,
            current: None,
        });
        let mut shown = c.cwd.clone();
        if m.request {
            c.last_command = Some(m.line.into());
            if let Some((_, link)) = c.current.and_then(|i| self.data.get_mut(i)) {
                let replace = match &link.command {
                    None => true,
                    Some((cmd, _)) => !answers_on_data(cmd.as_bytes()) && answers_on_data(m.line),
                };
                if replace {
                    let text: Arc<str> = String::from_utf8_lossy(m.line).into();
                    Arc::make_mut(link).command = Some((text, frame));
                }
            }
        } else {
            let last = c.last_command.as_deref().unwrap_or(&[]);
            let moved = match m.code {
                Some(250) if last.starts_with(b"CWD ") => {
                    Some(change_dir(&c.cwd, crate::bytes::tail(last, 4)))
                }
                Some(250) if last.starts_with(b"CDUP") => Some(change_dir(&c.cwd, b"..")),
                Some(257) if m.line.len() >= 4 => pwd_reply(crate::bytes::tail(m.line, 4)),
                _ => None,
            };
            if let Some(dir) = moved {
                c.cwd = dir;
                shown = c.cwd.clone();
            }
        }
        if let Some(expect) = m.announces
            && self.data.len() < MAX_DATA_CONNECTIONS
        {
            let link = FtpDataLink {
                setup_frame: frame,
                method: expect.method,
                command: None,
                cwd: c.cwd.clone(),
            };
            let index = self.data.len();
            self.data.push((expect, Arc::new(link)));
            self.by_endpoint.entry(expect.a).or_default().push(index);
            c.current = Some(index);
        }
        shown
    }

    /// Notes a request (an IMAP tagged line, an SNMP request; `ts_nanos` its time),
    /// or answers the request a response answers.
    pub fn request(
        &mut self,
        frame: u32,
        key: &TransactionKey,
        ts_nanos: i64,
        response: bool,
    ) -> Option<(u32, i64)> {
        if response {
            return self.requests.get(key).copied();
        }
        // Bounded: a capture of endless distinct tags keeps the most recent ones.
        if self.requests.len() >= MAX_DATA_CONNECTIONS {
            self.requests.clear();
        }
        self.requests.insert(*key, (frame, ts_nanos));
        None
    }

    /// The data connection a segment belongs to: the one announced last whose
    /// exact endpoint is either end of the segment and whose open end has the other
    /// end's address (tshark's conversation with a wildcard second port).
    pub fn data_link(&self, src: (Addr, u16), dst: (Addr, u16)) -> Option<Arc<FtpDataLink>> {
        if self.data.is_empty() {
            return None;
        }
        let latest = |exact: (Addr, u16), other: Addr| {
            self.by_endpoint.get(&exact)?.iter().rev().find_map(|i| {
                let (e, link) = self.data.get(*i)?;
                (e.b == other).then(|| link.clone())
            })
        };
        // tshark looks from the source's side first, then from the destination's.
        latest(src, dst.0).or_else(|| latest(dst, src.0))
    }
}

/// The directory after a successful `CWD path` (or `CDUP`, as `..`): an absolute path
/// replaces it, a relative one is appended and `.`/`..` folded as tshark folds them.
fn change_dir(cwd: &str, path: &[u8]) -> Arc<str> {
    if path.first() == Some(&b'/') {
        return String::from_utf8_lossy(path).into();
    }
    if cwd.is_empty() {
        return String::from_utf8_lossy(path).into();
    }
    let mut joined = cwd.as_bytes().to_vec();
    if !joined.ends_with(b"/") {
        joined.push(b'/');
    }
    joined.extend_from_slice(path);
    let mut out: Vec<u8> = Vec::new();
    let absolute = cwd.starts_with('/');
    if absolute {
        out.push(b'/');
    }
    // A NUL ends the path, as in tshark's C string.
    let end = joined.iter().position(|b| *b == 0).unwrap_or(joined.len());
    let body = joined.get(usize::from(absolute)..end).unwrap_or(&[]);
    for folder in body.split(|b| *b == b'/').filter(|f| !f.is_empty()) {
        match folder {
            b".." => {
                while !out.is_empty() && !out.ends_with(b"/") {
                    out.pop();
                }
                if out.len() > 1 && out.ends_with(b"/") {
                    out.pop();
                }
            }
            b"." => {}
            _ => {
                if !out.is_empty() && !out.ends_with(b"/") {
                    out.push(b'/');
                }
                out.extend_from_slice(folder);
            }
        }
    }
    String::from_utf8_lossy(&out).into()
}

/// The directory a `257 "dir"` reply names (`""` stands for one quote), or `None`
/// when the text after the code is not a quoted name.
fn pwd_reply(text: &[u8]) -> Option<Arc<str>> {
    if text.len() < 2 || text.first() != Some(&b'"') {
        return None;
    }
    let mut out = Vec::new();
    let mut started = false;
    let mut i = 0;
    while let Some(&b) = text.get(i) {
        if b == b'\r' || b == b'\n' {
            break;
        }
        if b == b'"' {
            if text.get(i + 1) == Some(&b'"') {
                out.push(b'"');
                i += 1;
            } else if started {
                break;
            } else {
                started = true;
            }
        } else {
            out.push(b);
        }
        i += 1;
    }
    (text.get(i) == Some(&b'"')).then(|| String::from_utf8_lossy(&out).into())
}

#[cfg(test)]
mod tests {
    use super::{answers_on_data, change_dir, pwd_reply};

    #[test]
    fn directories_fold_as_tshark_folds_them() {
        assert_eq!(&*change_dir("/", b"pub/labs"), "/pub/labs");
        assert_eq!(&*change_dir("/pub/labs", b".."), "/pub");
        assert_eq!(&*change_dir("/pub", b".."), "/");
        assert_eq!(&*change_dir("/", b".."), "/");
        assert_eq!(&*change_dir("/a", b"./b/../c"), "/a/c");
        assert_eq!(&*change_dir("", b"rel"), "rel");
        assert_eq!(&*change_dir("/x", b"/abs"), "/abs");
        assert_eq!(&*change_dir("home", b"sub"), "home/sub");
    }

    #[test]
    fn pwd_replies() {
        assert_eq!(
            pwd_reply(b"\"/\" is the current directory").as_deref(),
            Some("/")
        );
        assert_eq!(pwd_reply(b"\"a\"\"b\" here").as_deref(), Some("a\"b"));
        assert_eq!(pwd_reply(b"\"unterminated"), None);
        assert_eq!(pwd_reply(b"/ no quotes"), None);
        assert_eq!(pwd_reply(b"\""), None);
    }

    #[test]
    fn data_commands() {
        assert!(answers_on_data(b"RETR notes.txt"));
        assert!(answers_on_data(b"LIST"));
        assert!(!answers_on_data(b"TYPE I"));
        assert!(!answers_on_data(b"LIS"));
    }
}
