//! The `matches` operator's patterns, compiled as Wireshark's PCRE2 would.

use crate::filter::error::FilterError;
use regex::bytes::{Regex, RegexBuilder};

/// Compiles a `matches` pattern as PCRE2 does for Wireshark: caseless, bytes
/// (no UTF-8). Bytes above 0x7f become `\xHH` so the pattern matches them as
/// bytes, as PCRE's non-UTF mode does.
pub(super) fn compile_regex(pattern: &[u8]) -> Result<Regex, FilterError> {
    let mut text = String::with_capacity(pattern.len());
    for &b in pattern {
        if b.is_ascii() {
            text.push(char::from(b));
        } else {
            text.push_str(&format!("\\x{b:02x}"));
        }
    }
    RegexBuilder::new(&text)
        .case_insensitive(true)
        .unicode(false)
        .size_limit(1 << 22)
        .build()
        .map_err(|e| {
            let full = e.to_string();
            let reason = full
                .lines()
                .rev()
                .find_map(|l| l.trim().strip_prefix("error: "))
                .unwrap_or(full.trim());
            FilterError::nowhere(format!("Regex compilation error: {}.", pcre_words(reason)))
        })
}

/// PCRE2's wording for the common pattern errors (the `regex` crate words
/// them differently).
fn pcre_words(reason: &str) -> &str {
    match reason {
        "unclosed character class" => "missing terminating ] for character class",
        "unclosed group" => "missing closing parenthesis",
        "unopened group" => "unmatched closing parenthesis",
        "repetition operator missing expression" => "quantifier does not follow a repeatable item",
        "incomplete escape sequence, reached end of pattern prematurely" => "\\ at end of pattern",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use crate::filter::Filter;

    #[test]
    fn errors_in_pcre_words() {
        let regex = Filter::compile("http.host matches \"[\"").unwrap_err();
        assert_eq!(
            (regex.message.as_str(), regex.len),
            (
                "Regex compilation error: missing terminating ] for character class.",
                0
            )
        );
    }
}
