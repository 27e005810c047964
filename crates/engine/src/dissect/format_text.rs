//! Packet text as tshark 4.0's `format_text` shows it in the Info column (FTP, POP,
//! IMAP and SMTP lines): printable characters as they are, ASCII controls as C
//! escapes, other unprintable characters as `\uXXXX`, broken UTF-8 as U+FFFD.

use unicode_general_category::{GeneralCategory, get_general_category};

/// U+FFFD, which stands for a byte sequence that is not UTF-8.
const REPLACEMENT: u32 = 0xfffd;

/// `bytes` as tshark's `format_text` writes them. Its decoder is lax where Rust's is
/// strict: it takes overlong forms and 5- and 6-byte sequences, so `C0 80` is the
/// character U+0000 (shown `\u0000`, since the byte that ended it is not ASCII),
/// while a NUL byte is `\000`.
pub fn format_text(bytes: &[u8]) -> String {
    let plain = bytes
        .iter()
        .position(|b| !(0x20..0x7f).contains(b))
        .unwrap_or(bytes.len());
    let (head, rest) = bytes.split_at(plain);
    let mut out = String::with_capacity(bytes.len().saturating_add(8));
    out.push_str(std::str::from_utf8(head).unwrap_or_default());
    let mut at = 0usize;
    while let Some(&first) = rest.get(at) {
        at += 1;
        if (0x20..0x7f).contains(&first) {
            out.push(char::from(first));
            continue;
        }
        if first < 0x80 {
            escape_ascii(first, &mut out);
            continue;
        }
        let (more, mask) = match first {
            b if b & 0xe0 == 0xc0 => (1, 0x1f),
            b if b & 0xf0 == 0xe0 => (2, 0x0f),
            b if b & 0xf8 == 0xf0 => (3, 0x07),
            b if b & 0xfc == 0xf8 => (4, 0x03),
            b if b & 0xfe == 0xfc => (5, 0x01),
            _ => (0, 0),
        };
        // The last byte read: tshark tests it, not the character, for the ASCII
        // escapes of an overlong form.
        let mut last = first;
        let mut uc = REPLACEMENT;
        if more > 0 {
            uc = u32::from(first & mask);
            for _ in 0..more {
                match rest.get(at) {
                    Some(&c) if c & 0xc0 == 0x80 => {
                        at += 1;
                        last = c;
                        uc = (uc << 6) | u32::from(c & 0x3f);
                    }
                    // A missing or non-continuation byte: the character is broken
                    // and that byte starts the next one.
                    _ => {
                        uc = REPLACEMENT;
                        break;
                    }
                }
            }
        }
        let ch = char::from_u32(uc).unwrap_or('\u{fffd}');
        if printable(ch) {
            out.push(ch);
        } else if last < 0x80 {
            escape_ascii(last, &mut out);
        } else if uc <= 0xffff {
            out.push_str(&format!("\\u{uc:04X}"));
        } else {
            out.push_str(&format!("\\U{uc:08X}"));
        }
    }
    out
}

/// Whether GLib calls `c` printable: anything but controls, format characters,
/// unassigned code points and surrogates.
fn printable(c: char) -> bool {
    !matches!(
        get_general_category(c),
        GeneralCategory::Control
            | GeneralCategory::Format
            | GeneralCategory::Unassigned
            | GeneralCategory::Surrogate
    )
}

/// An unprintable ASCII byte: C's escape letters, octal for the rest.
fn escape_ascii(b: u8, out: &mut String) {
    let letter = match b {
        0x07 => 'a',
        0x08 => 'b',
        0x0c => 'f',
        b'\n' => 'n',
        b'\r' => 'r',
        b'\t' => 't',
        0x0b => 'v',
        _ => {
            out.push_str(&format!("\\{b:03o}"));
            return;
        }
    };
    out.push('\\');
    out.push(letter);
}

#[cfg(test)]
mod tests {
    use super::format_text;

    #[test]
    fn ascii_controls_and_printable_text() {
        assert_eq!(format_text(b"USER bob"), "USER bob");
        assert_eq!(
            format_text(b"\x16\x03\x01\x00k\x07\x08\t\x0b\x0c\r\n\x7f\\"),
            "\\026\\003\\001\\000k\\a\\b\\t\\v\\f\\r\\n\\177\\"
        );
    }

    #[test]
    fn utf8_as_glib_reads_it() {
        // Valid and printable: kept.
        assert_eq!(format_text("é€".as_bytes()), "é€");
        // An overlong NUL, a C1 control, a lone continuation byte, a cut sequence.
        assert_eq!(format_text(b"\xc0\x80"), "\\u0000");
        assert_eq!(format_text(b"\xc2\x85"), "\\u0085");
        assert_eq!(format_text(b"\x80a"), "\u{fffd}a");
        assert_eq!(format_text(b"\xe2\x82"), "\u{fffd}");
        // A broken sequence gives back the byte that broke it.
        assert_eq!(format_text(b"\xe2\x00"), "\u{fffd}\\000");
        // A zero-width space is a format character.
        assert_eq!(format_text("\u{200b}".as_bytes()), "\\u200B");
    }
}
