//! Splits a display filter into tokens the way Wireshark 4.0's flex scanner does:
//! longest match wins, so `10.10.0.0/255.255.255.0` is the address `10.10.0.0/25`
//! followed by `5.255.255.0`, exactly as tshark reads it.
//!
//! A scan failure (an unterminated string, a bad escape) becomes an
//! [`Tok::Error`] token: flex scans lazily, so tshark reports a syntax error that
//! comes earlier in the text first, and the parser does the same by reporting the
//! error only when it reaches that token.

use super::error::FilterError;
use std::net::Ipv6Addr;

/// What a token is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// `{`
    LBrace,
    /// `}`
    RBrace,
    /// `,`
    Comma,
    /// `..` in sets.
    DotDot,
    /// `$` (field references `${f}`).
    Dollar,
    /// `[` opening a slice or a layer range.
    LBracket,
    /// `]`
    RBracket,
    /// The text of one range inside brackets (`0:3`, `-1`, `2-4`).
    Range(String),
    /// `#` before a layer number.
    Hash,
    /// The layer number after `#`.
    Layer(u32),
    /// A comparison operator.
    Cmp(CmpTok),
    /// `contains`
    Contains,
    /// `matches` or `~`
    Matches,
    /// `and` or `&&`
    And,
    /// `or` or `||`
    Or,
    /// `not` or `!`
    Not,
    /// `in`
    In,
    /// `any` quantifier.
    Any,
    /// `all` quantifier.
    All,
    /// `+`
    Plus,
    /// `-`
    Minus,
    /// `*`
    Star,
    /// `/`
    Slash,
    /// `%`
    Percent,
    /// `&` or `bitwise_and`
    BitAnd,
    /// An identifier, number, address or byte string: a field name if the
    /// registry knows it, otherwise a literal read according to the other side.
    Word(String),
    /// `.name`: always a field.
    DotField(String),
    /// A double-quoted string, escapes decoded.
    Str(Vec<u8>),
    /// A character constant `'x'`.
    Char(u8),
    /// A character that starts no token (`=`, `|`, `^`, a lone `.`).
    Stray,
    /// A scan failure, reported when the parser reaches it.
    Error(FilterError),
    /// End of the text.
    Eof,
}

/// The comparison operators (each has several spellings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CmpTok {
    /// `==`, `eq`, `any_eq`
    AnyEq,
    /// `!=`, `ne`, `all_ne`
    AllNe,
    /// `===`, `all_eq`
    AllEq,
    /// `!==`, `any_ne`, `~=`
    AnyNe,
    /// `>`, `gt`
    Gt,
    /// `>=`, `ge`
    Ge,
    /// `<`, `lt`
    Lt,
    /// `<=`, `le`
    Le,
}

/// A token and where it is in the text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    /// The token.
    pub tok: Tok,
    /// Byte offset.
    pub pos: usize,
    /// Length in bytes.
    pub len: usize,
}

/// The scanner's modes (flex start conditions).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Normal,
    /// After `#`: a layer number or `[`.
    Layer,
    /// Inside `[...]`.
    Range,
}

/// Tokenizes `text`; the last token is [`Tok::Eof`] or [`Tok::Error`].
pub(crate) fn tokenize(text: &str) -> Vec<Token> {
    let mut lexer = Lexer {
        text: text.as_bytes(),
        pos: 0,
        mode: Mode::Normal,
        out: Vec::new(),
    };
    if let Some(err) = non_printable(text.as_bytes()) {
        lexer.out.push(Token {
            tok: Tok::Error(err),
            pos: 0,
            len: 0,
        });
        return lexer.out;
    }
    lexer.run();
    lexer.out
}

/// tshark refuses any byte that is not printable ASCII outside double quotes,
/// before it even scans the filter.
fn non_printable(text: &[u8]) -> Option<FilterError> {
    let mut in_string = false;
    let mut escaped = false;
    for (i, &b) in text.iter().enumerate() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        if b == b'"' {
            in_string = true;
            continue;
        }
        let printable = (0x20..0x7f).contains(&b) || matches!(b, b'\t' | b'\n' | b'\r');
        if !printable {
            return Some(FilterError::at(
                "Non-printable ASCII characters may only appear inside double-quotes.",
                i,
                1,
            ));
        }
    }
    None
}

struct Lexer<'t> {
    text: &'t [u8],
    pos: usize,
    mode: Mode,
    out: Vec<Token>,
}

fn is_word_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

fn is_word_start(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

impl Lexer<'_> {
    fn at(&self, i: usize) -> Option<u8> {
        self.text.get(i).copied()
    }

    fn push(&mut self, tok: Tok, pos: usize, len: usize) {
        self.out.push(Token { tok, pos, len });
    }

    fn slice(&self, from: usize, to: usize) -> String {
        String::from_utf8_lossy(self.text.get(from..to).unwrap_or_default()).into_owned()
    }

    /// Scans everything; stops after the first scan failure.
    fn run(&mut self) {
        loop {
            let ok = match self.mode {
                Mode::Normal => self.normal(),
                Mode::Layer => self.layer(),
                Mode::Range => self.range(),
            };
            match ok {
                Some(true) => {}
                Some(false) => return,
                None => {
                    let end = self.text.len();
                    self.push(Tok::Eof, end, 0);
                    return;
                }
            }
        }
    }

    /// One token in normal mode. `None` at the end; `Some(false)` after an error.
    fn normal(&mut self) -> Option<bool> {
        while matches!(self.at(self.pos), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
        let start = self.pos;
        let c = self.at(start)?;
        let next = self.at(start + 1);
        let next2 = self.at(start + 2);
        let punct: Option<(Tok, usize)> = match (c, next, next2) {
            (b'=', Some(b'='), Some(b'=')) => Some((Tok::Cmp(CmpTok::AllEq), 3)),
            (b'!', Some(b'='), Some(b'=')) => Some((Tok::Cmp(CmpTok::AnyNe), 3)),
            (b'=', Some(b'='), _) => Some((Tok::Cmp(CmpTok::AnyEq), 2)),
            (b'!', Some(b'='), _) => Some((Tok::Cmp(CmpTok::AllNe), 2)),
            (b'~', Some(b'='), _) => Some((Tok::Cmp(CmpTok::AnyNe), 2)),
            (b'>', Some(b'='), _) => Some((Tok::Cmp(CmpTok::Ge), 2)),
            (b'<', Some(b'='), _) => Some((Tok::Cmp(CmpTok::Le), 2)),
            (b'&', Some(b'&'), _) => Some((Tok::And, 2)),
            (b'|', Some(b'|'), _) => Some((Tok::Or, 2)),
            (b'.', Some(b'.'), _) => Some((Tok::DotDot, 2)),
            (b'>', ..) => Some((Tok::Cmp(CmpTok::Gt), 1)),
            (b'<', ..) => Some((Tok::Cmp(CmpTok::Lt), 1)),
            (b'~', ..) => Some((Tok::Matches, 1)),
            (b'!', ..) => Some((Tok::Not, 1)),
            (b'&', ..) => Some((Tok::BitAnd, 1)),
            (b'(', ..) => Some((Tok::LParen, 1)),
            (b')', ..) => Some((Tok::RParen, 1)),
            (b'{', ..) => Some((Tok::LBrace, 1)),
            (b'}', ..) => Some((Tok::RBrace, 1)),
            (b',', ..) => Some((Tok::Comma, 1)),
            (b'$', ..) => Some((Tok::Dollar, 1)),
            (b'+', ..) => Some((Tok::Plus, 1)),
            (b'-', ..) => Some((Tok::Minus, 1)),
            (b'*', ..) => Some((Tok::Star, 1)),
            (b'/', ..) => Some((Tok::Slash, 1)),
            (b'%', ..) => Some((Tok::Percent, 1)),
            _ => None,
        };
        if let Some((tok, len)) = punct {
            self.push(tok, start, len);
            self.pos = start + len;
            return Some(true);
        }
        match c {
            b'[' => {
                self.push(Tok::LBracket, start, 1);
                self.pos = start + 1;
                self.mode = Mode::Range;
                Some(true)
            }
            b'#' => {
                self.push(Tok::Hash, start, 1);
                self.pos = start + 1;
                self.mode = Mode::Layer;
                Some(true)
            }
            b'"' => Some(self.string(start, start + 1, false)),
            b'r' | b'R' if next == Some(b'"') => Some(self.string(start, start + 2, true)),
            b'\'' => Some(self.charconst(start)),
            b'.' if next.is_some_and(is_word_start) => {
                let end = self.word_end(start + 1);
                let name = self.slice(start + 1, end);
                self.push(Tok::DotField(name), start, end - start);
                self.pos = end;
                Some(true)
            }
            _ => {
                let len = self.literal_len(start);
                if len == 0 {
                    // A character no rule matches: flex's default rule hands it to
                    // the parser, which finds it unexpected.
                    self.push(Tok::Stray, start, 1);
                    self.pos = start + 1;
                    return Some(true);
                }
                let text = self.slice(start, start + len);
                let tok = keyword(&text).unwrap_or(Tok::Word(text));
                self.push(tok, start, len);
                self.pos = start + len;
                Some(true)
            }
        }
    }

    /// End of `[alnum_][alnum_-]*(\.[alnum_-]+)*` starting at `from`.
    fn word_end(&self, from: usize) -> usize {
        let mut i = from;
        if !self.at(i).is_some_and(is_word_start) {
            return from;
        }
        i += 1;
        loop {
            while self.at(i).is_some_and(is_word_char) {
                i += 1;
            }
            if self.at(i) == Some(b'.') && self.at(i + 1).is_some_and(is_word_char) {
                i += 1;
            } else {
                return i;
            }
        }
    }

    /// Length of the longest literal-like token at `start`: identifier/number,
    /// MAC address, IPv4 or IPv6 address (with prefix), or colon bytes.
    fn literal_len(&self, start: usize) -> usize {
        let rest = self.text.get(start..).unwrap_or_default();
        let mut best = self.word_end(start) - start;
        best = best.max(mac_len(rest));
        best = best.max(ipv4_len(rest));
        best = best.max(ipv6_len(rest));
        best = best.max(colon_bytes_len(rest));
        best
    }

    /// A double-quoted string starting at `start` whose body starts at `body`.
    fn string(&mut self, start: usize, body: usize, raw: bool) -> bool {
        let mut bytes = Vec::new();
        let mut i = body;
        loop {
            let Some(c) = self.at(i) else {
                let end = self.text.len();
                self.push(
                    Tok::Error(FilterError::at(
                        "The final quote was missing from a quoted string.",
                        end,
                        1,
                    )),
                    start,
                    end - start,
                );
                return false;
            };
            match c {
                b'"' => {
                    self.push(Tok::Str(bytes), start, i + 1 - start);
                    self.pos = i + 1;
                    return true;
                }
                b'\\' if raw => {
                    // Raw strings keep every backslash; `\"` and `\\` only stop
                    // the quote or backslash from ending the string.
                    bytes.push(b'\\');
                    if let Some(n) = self.at(i + 1) {
                        bytes.push(n);
                        i += 2;
                    } else {
                        i += 1;
                    }
                }
                b'\\' => match self.escape(i) {
                    Ok((b, len)) => {
                        bytes.push(b);
                        i += len;
                    }
                    Err(err) => {
                        self.push(Tok::Error(err), start, i - start);
                        return false;
                    }
                },
                _ => {
                    bytes.push(c);
                    i += 1;
                }
            }
        }
    }

    /// Decodes the escape sequence at `at` (a backslash) in a normal string:
    /// the byte and the length of the sequence.
    fn escape(&self, at: usize) -> Result<(u8, usize), FilterError> {
        let Some(c) = self.at(at + 1) else {
            return Err(FilterError::at(
                "The final quote was missing from a quoted string.",
                self.text.len(),
                1,
            ));
        };
        let simple = match c {
            b'\\' => Some(b'\\'),
            b'"' => Some(b'"'),
            b'\'' => Some(b'\''),
            b'a' => Some(0x07),
            b'b' => Some(0x08),
            b'f' => Some(0x0c),
            b'n' => Some(b'\n'),
            b'r' => Some(b'\r'),
            b't' => Some(b'\t'),
            b'v' => Some(0x0b),
            _ => None,
        };
        if let Some(b) = simple {
            return Ok((b, 2));
        }
        if (b'0'..=b'7').contains(&c) {
            let mut len = 1;
            let mut value: u32 = 0;
            while len <= 3 {
                match self.at(at + len) {
                    Some(d @ b'0'..=b'7') => {
                        value = value * 8 + u32::from(d - b'0');
                        len += 1;
                    }
                    _ => break,
                }
            }
            return match u8::try_from(value) {
                Ok(b) => Ok((b, len)),
                Err(_) => Err(FilterError::at(
                    format!("{} is larger than 255.", self.slice(at, at + len)),
                    at,
                    len,
                )),
            };
        }
        if c == b'x' {
            let mut len = 2;
            let mut value: u8 = 0;
            while len < 4 {
                match self.at(at + len).and_then(|d| (d as char).to_digit(16)) {
                    Some(d) => {
                        value = value.wrapping_mul(16).wrapping_add(d as u8);
                        len += 1;
                    }
                    None => break,
                }
            }
            if len > 2 {
                return Ok((value, len));
            }
        }
        if c == b'u' || c == b'U' {
            // tshark 4.0.17 rejects every universal character name.
            let max = if c == b'u' { 4 } else { 8 };
            let mut len = 2;
            while len < 2 + max && self.at(at + len).is_some_and(|d| d.is_ascii_hexdigit()) {
                len += 1;
            }
            return Err(FilterError::at(
                format!(
                    "{} is not a valid universal character name",
                    self.slice(at, at + len)
                ),
                at,
                len,
            ));
        }
        Err(FilterError::at(
            format!(
                "{} is not a valid character escape sequence",
                self.slice(at, at + 2)
            ),
            at,
            2,
        ))
    }

    /// A character constant `'x'`, `'\x41'`, `'\101'`, `'\''`.
    fn charconst(&mut self, start: usize) -> bool {
        let mut i = start + 1;
        loop {
            match self.at(i) {
                None => {
                    let end = self.text.len();
                    self.push(
                        Tok::Error(FilterError::at(
                            "The final quote was missing from a character constant.",
                            start,
                            end - start,
                        )),
                        start,
                        end - start,
                    );
                    return false;
                }
                Some(b'\\') => i += 2,
                Some(b'\'') => break,
                Some(_) => i += 1,
            }
        }
        let end = (i + 1).min(self.text.len());
        let text = self.slice(start, end);
        let body = self.text.get(start + 1..i).unwrap_or_default();
        match parse_charconst(body) {
            Ok(value) => {
                self.push(Tok::Char(value), start, end - start);
                self.pos = end;
                true
            }
            Err(kind) => {
                let message = match kind {
                    CharError::Empty => "Empty character constant.".to_string(),
                    CharError::TooLong => {
                        format!("{text} is too long to be a valid character constant.")
                    }
                };
                self.push(
                    Tok::Error(FilterError::at(message, start, end - start)),
                    start,
                    end - start,
                );
                false
            }
        }
    }

    /// After `#`: a layer number or `[`.
    fn layer(&mut self) -> Option<bool> {
        let start = self.pos;
        let c = self.at(start)?;
        if c == b'[' {
            self.push(Tok::LBracket, start, 1);
            self.pos = start + 1;
            self.mode = Mode::Range;
            return Some(true);
        }
        if c.is_ascii_digit() {
            let mut end = start;
            while self.at(end).is_some_and(|b| b.is_ascii_digit()) {
                end += 1;
            }
            let text = self.slice(start, end);
            let value = text.parse::<u32>().unwrap_or(u32::MAX);
            self.push(Tok::Layer(value), start, end - start);
            self.pos = end;
            self.mode = Mode::Normal;
            return Some(true);
        }
        let ch = char::from(c);
        self.push(
            Tok::Error(FilterError::at(
                format!("Expected digit or \"[\", not \"{ch}\""),
                start,
                1,
            )),
            start,
            1,
        );
        Some(false)
    }

    /// Inside brackets: range texts, commas and `]`.
    fn range(&mut self) -> Option<bool> {
        let start = self.pos;
        let Some(c) = self.at(start) else {
            let end = self.text.len();
            self.push(
                Tok::Error(FilterError::at(
                    "The right bracket was missing from a slice.",
                    end,
                    1,
                )),
                end,
                0,
            );
            return Some(false);
        };
        match c {
            b',' => {
                self.push(Tok::Comma, start, 1);
                self.pos = start + 1;
            }
            b']' => {
                self.push(Tok::RBracket, start, 1);
                self.pos = start + 1;
                self.mode = Mode::Normal;
            }
            _ => {
                let mut end = start;
                while self.at(end).is_some_and(|b| b != b']' && b != b',') {
                    end += 1;
                }
                let text = self.slice(start, end);
                self.push(Tok::Range(text), start, end - start);
                self.pos = end;
            }
        }
        Some(true)
    }
}

/// The spelled-out operators. Keywords are case-sensitive (`AND` is a word).
fn keyword(word: &str) -> Option<Tok> {
    Some(match word {
        "eq" | "any_eq" => Tok::Cmp(CmpTok::AnyEq),
        "ne" | "all_ne" => Tok::Cmp(CmpTok::AllNe),
        "all_eq" => Tok::Cmp(CmpTok::AllEq),
        "any_ne" => Tok::Cmp(CmpTok::AnyNe),
        "gt" => Tok::Cmp(CmpTok::Gt),
        "ge" => Tok::Cmp(CmpTok::Ge),
        "lt" => Tok::Cmp(CmpTok::Lt),
        "le" => Tok::Cmp(CmpTok::Le),
        "contains" => Tok::Contains,
        "matches" => Tok::Matches,
        "and" => Tok::And,
        "or" => Tok::Or,
        "not" => Tok::Not,
        "in" => Tok::In,
        "any" => Tok::Any,
        "all" => Tok::All,
        "bitwise_and" => Tok::BitAnd,
        _ => return None,
    })
}

enum CharError {
    Empty,
    TooLong,
}

/// The value of a character constant's body (between the quotes). tshark 4.0
/// accepts `\\`, `\'`, `\"`, hex and octal escapes; `'\n'` is "too long".
fn parse_charconst(body: &[u8]) -> Result<u8, CharError> {
    match body {
        [] => Err(CharError::Empty),
        [c] if *c != b'\\' => Ok(*c),
        [b'\\', c @ (b'\\' | b'\'' | b'"')] => Ok(*c),
        [b'\\', b'x', hex @ ..] if (1..=2).contains(&hex.len()) => {
            let text = std::str::from_utf8(hex).map_err(|_| CharError::TooLong)?;
            u8::from_str_radix(text, 16).map_err(|_| CharError::TooLong)
        }
        [b'\\', oct @ ..] if (1..=3).contains(&oct.len()) => {
            let text = std::str::from_utf8(oct).map_err(|_| CharError::TooLong)?;
            u32::from_str_radix(text, 8)
                .ok()
                .and_then(|v| u8::try_from(v).ok())
                .ok_or(CharError::TooLong)
        }
        _ => Err(CharError::TooLong),
    }
}

fn hex2(s: &[u8], at: usize) -> bool {
    s.get(at).is_some_and(|b| b.is_ascii_hexdigit())
        && s.get(at + 1).is_some_and(|b| b.is_ascii_hexdigit())
}

/// `aa:bb:cc:dd:ee:ff`, `aa-bb-…` or `aabb.ccdd.eeff`.
fn mac_len(s: &[u8]) -> usize {
    for sep in [b':', b'-'] {
        let ok = (0..6).all(|k| hex2(s, k * 3)) && (0..5).all(|k| s.get(k * 3 + 2) == Some(&sep));
        if ok {
            return 17;
        }
    }
    let quad = (0..3).all(|k| hex2(s, k * 5) && hex2(s, k * 5 + 2))
        && s.get(4) == Some(&b'.')
        && s.get(9) == Some(&b'.');
    if quad { 14 } else { 0 }
}

/// `:?hh(:hh)+` and `:hex+` (the latter keeps its colon; tshark reports `":6"`).
fn colon_bytes_len(s: &[u8]) -> usize {
    let lead = usize::from(s.first() == Some(&b':'));
    let mut best = 0;
    if hex2(s, lead) {
        let mut end = lead + 2;
        let mut groups = 1;
        while s.get(end) == Some(&b':') && hex2(s, end + 1) {
            end += 3;
            groups += 1;
        }
        if groups > 1 {
            best = end;
        }
    }
    if lead == 1 {
        let digits = s
            .iter()
            .skip(1)
            .take_while(|b| b.is_ascii_hexdigit())
            .count();
        if digits > 0 {
            best = best.max(1 + digits);
        }
    }
    best
}

/// Longest dotted-quad IPv4 address at the start of `s`, with `/n` or `/nn`.
fn ipv4_len(s: &[u8]) -> usize {
    fn octet_lens(s: &[u8], at: usize) -> Vec<usize> {
        // DecOctet: 0-9 | 1-9 0-9 | 1 0-9 0-9 | 2 0-4 0-9 | 25 0-5
        let d = |i: usize| s.get(at + i).copied().filter(u8::is_ascii_digit);
        let mut lens = Vec::new();
        if let Some(a) = d(0) {
            lens.push(1);
            if let Some(b) = d(1)
                && a != b'0'
            {
                lens.push(2);
                if let Some(c) = d(2) {
                    let ok = a == b'1'
                        || (a == b'2' && (b'0'..=b'4').contains(&b))
                        || (a == b'2' && b == b'5' && c <= b'5');
                    if ok {
                        lens.push(3);
                    }
                }
            }
        }
        lens
    }
    fn rest(s: &[u8], at: usize, octets: u8) -> Option<usize> {
        let mut best = None;
        for len in octet_lens(s, at) {
            let end = at + len;
            if octets == 3 {
                best = best.max(Some(end));
            } else if s.get(end) == Some(&b'.') {
                best = best.max(rest(s, end + 1, octets + 1));
            }
        }
        best
    }
    let Some(end) = rest(s, 0, 0) else {
        return 0;
    };
    end + prefix_len(s, end, 2)
}

/// Length of `/d{1,max}` at `at` (0 if absent).
fn prefix_len(s: &[u8], at: usize, max: usize) -> usize {
    if s.get(at) != Some(&b'/') {
        return 0;
    }
    let digits = s
        .iter()
        .skip(at + 1)
        .take(max)
        .take_while(|b| b.is_ascii_digit())
        .count();
    if digits == 0 { 0 } else { 1 + digits }
}

/// Longest IPv6 address at the start of `s`, with `/n` up to three digits.
fn ipv6_len(s: &[u8]) -> usize {
    let run = s
        .iter()
        .take_while(|b| b.is_ascii_hexdigit() || **b == b':' || **b == b'.')
        .count();
    for end in (2..=run).rev() {
        let Some(candidate) = s.get(..end) else {
            continue;
        };
        if !candidate.contains(&b':') {
            return 0;
        }
        let Ok(text) = std::str::from_utf8(candidate) else {
            continue;
        };
        if text.parse::<Ipv6Addr>().is_ok() {
            return end + prefix_len(s, end, 3);
        }
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<Tok> {
        tokenize(text).into_iter().map(|t| t.tok).collect()
    }

    fn word(s: &str) -> Tok {
        Tok::Word(s.into())
    }

    #[test]
    fn operators_and_words() {
        assert_eq!(
            toks("tcp.port==80&&!udp"),
            vec![
                word("tcp.port"),
                Tok::Cmp(CmpTok::AnyEq),
                word("80"),
                Tok::And,
                Tok::Not,
                word("udp"),
                Tok::Eof
            ]
        );
        assert_eq!(
            toks("a ==== b")[1..3],
            [Tok::Cmp(CmpTok::AllEq), Tok::Stray]
        );
        assert_eq!(toks("a ~= b")[1], Tok::Cmp(CmpTok::AnyNe));
        assert_eq!(toks("a AND b")[1], word("AND"));
        assert_eq!(toks("x bitwise_and 2")[1], Tok::BitAnd);
    }

    #[test]
    fn addresses_take_the_longest_match() {
        // tshark: `"5.255.255.0" was unexpected`, so the prefix stops at 2 digits.
        assert_eq!(
            toks("10.10.0.0/255.255.255.0")[..2],
            [word("10.10.0.0/25"), word("5.255.255.0")]
        );
        assert_eq!(toks("fe80::1/64")[0], word("fe80::1/64"));
        assert_eq!(toks("46:8a:89:72:3f:d1")[0], word("46:8a:89:72:3f:d1"));
        assert_eq!(
            toks("10.10.0.2:8080")[..2],
            [word("10.10.0.2"), word(":8080")]
        );
        assert_eq!(toks("4:5")[..2], [word("4"), word(":5")]);
        assert_eq!(toks("10.10.0.256")[0], word("10.10.0.256"));
        assert_eq!(toks("1-1")[0], word("1-1"));
        assert_eq!(toks("a..b")[..3], [word("a"), Tok::DotDot, word("b")]);
        assert_eq!(toks(".tcp")[0], Tok::DotField("tcp".into()));
    }

    #[test]
    fn strings_and_escapes() {
        assert_eq!(toks(r#""G\x45T""#)[0], Tok::Str(b"GET".to_vec()));
        assert_eq!(toks(r#""G\105T""#)[0], Tok::Str(b"GET".to_vec()));
        assert_eq!(toks(r#""a\"b\\""#)[0], Tok::Str(b"a\"b\\".to_vec()));
        assert_eq!(toks(r#"r"^/\w""#)[0], Tok::Str(br"^/\w".to_vec()));
        assert_eq!(toks(r#""\t\n""#)[0], Tok::Str(b"\t\n".to_vec()));
        let bad = |text: &str| match tokenize(text).pop().map(|t| t.tok) {
            Some(Tok::Error(e)) => (e.message, e.position, e.len),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            bad(r#"x == "\w""#),
            ("\\w is not a valid character escape sequence".into(), 6, 2)
        );
        assert_eq!(bad(r#"x == "\777""#).0, "\\777 is larger than 255.");
        assert_eq!(
            bad(r#"x == "\u0041""#).0,
            "\\u0041 is not a valid universal character name"
        );
        assert_eq!(
            bad("x == \"abc"),
            (
                "The final quote was missing from a quoted string.".into(),
                9,
                1
            )
        );
        assert_eq!(bad("x == ''").0, "Empty character constant.");
        assert_eq!(
            bad(r"x == '\n'").0,
            r"'\n' is too long to be a valid character constant."
        );
        assert_eq!(toks(r"'\x41'")[0], Tok::Char(0x41));
        assert_eq!(toks(r"'\''")[0], Tok::Char(b'\''));
    }

    #[test]
    fn slices_and_layers() {
        assert_eq!(
            toks("frame[0:2, -1]"),
            vec![
                word("frame"),
                Tok::LBracket,
                Tok::Range("0:2".into()),
                Tok::Comma,
                Tok::Range(" -1".into()),
                Tok::RBracket,
                Tok::Eof
            ]
        );
        assert_eq!(
            toks("ip.src#2")[..3],
            [word("ip.src"), Tok::Hash, Tok::Layer(2)]
        );
        let last = tokenize("frame[0").pop().map(|t| t.tok);
        assert!(matches!(last, Some(Tok::Error(e)) if e.message.contains("right bracket")));
        let last = tokenize("a#x").pop().map(|t| t.tok);
        assert!(
            matches!(last, Some(Tok::Error(e)) if e.message == "Expected digit or \"[\", not \"x\"")
        );
    }

    #[test]
    fn non_printable_outside_quotes() {
        let first = tokenize("tcp.port ≠ 80").remove(0).tok;
        assert!(matches!(first, Tok::Error(e) if e.position == 9));
        assert!(matches!(tokenize("x == \"é\"")[2].tok, Tok::Str(_)));
    }
}
