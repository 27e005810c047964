//! The dissection preferences students change with tshark's `-o PREF:VALUE`: one
//! small value the load pass and every dissector read through `PacketContext`, so a
//! preference changes what the engine computes rather than how text is printed.

use std::fmt;

/// Preferences in force for a load and the dissections of its packets. The default
/// is tshark 4.0's: every one on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prefs {
    /// `tcp.relative_sequence_numbers`: sequence and acknowledgment numbers relative
    /// to the stream's first (needs the analysis too, as in tshark).
    pub tcp_relative_seq: bool,
    /// `tcp.analyze_sequence_numbers`: the `tcp.analysis.*` fields, their expert
    /// items and Info prefixes.
    pub tcp_analyze_seq: bool,
    /// `tcp.calculate_timestamps`: `tcp.time_relative` and `tcp.time_delta`.
    pub tcp_calculate_timestamps: bool,
    /// `tcp.desegment_tcp_streams`: application PDUs reassembled across segments.
    pub tcp_desegment: bool,
    /// `ip.defragment`: IPv4 fragments reassembled into their datagram.
    pub ip_defragment: bool,
    /// `http.desegment_body`: an HTTP body reassembled across segments.
    pub http_desegment_body: bool,
}

impl Default for Prefs {
    fn default() -> Self {
        Prefs {
            tcp_relative_seq: true,
            tcp_analyze_seq: true,
            tcp_calculate_timestamps: true,
            tcp_desegment: true,
            ip_defragment: true,
            http_desegment_body: true,
        }
    }
}

/// Why an `-o` argument was refused; `Display` gives tshark 4.0's message (after
/// its program-name prefix), and tshark exits with status 1 for both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrefError {
    /// No `:` between name and value.
    Invalid(String),
    /// A name this engine does not know.
    Unknown(String),
}

impl fmt::Display for PrefError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PrefError::Invalid(arg) => write!(f, "Invalid -o flag \"{arg}\""),
            PrefError::Unknown(arg) => write!(f, "-o flag \"{arg}\" specifies unknown preference"),
        }
    }
}

impl Prefs {
    /// Applies one `-o` argument, `MODULE.NAME:VALUE`, as tshark reads it: split at
    /// the first `:`; the module name in any case, the preference name exactly; the
    /// value's leading blanks skipped, and a Boolean true only when the rest is
    /// `true` in any case (anything else, `1` included, is false).
    pub fn set(&mut self, arg: &str) -> Result<(), PrefError> {
        let Some((name, value)) = arg.split_once(':') else {
            return Err(PrefError::Invalid(arg.to_string()));
        };
        let unknown = || PrefError::Unknown(arg.to_string());
        let (module, pref) = name.split_once('.').ok_or_else(unknown)?;
        let slot = match (module.to_ascii_lowercase().as_str(), pref) {
            ("tcp", "relative_sequence_numbers") => &mut self.tcp_relative_seq,
            ("tcp", "analyze_sequence_numbers") => &mut self.tcp_analyze_seq,
            ("tcp", "calculate_timestamps") => &mut self.tcp_calculate_timestamps,
            ("tcp", "desegment_tcp_streams") => &mut self.tcp_desegment,
            ("ip", "defragment") => &mut self.ip_defragment,
            ("http", "desegment_body") => &mut self.http_desegment_body,
            _ => return Err(unknown()),
        };
        let value = value.trim_start_matches([' ', '\t']);
        *slot = value.eq_ignore_ascii_case("true");
        Ok(())
    }

    /// Whether TCP shows relative numbers: tshark needs both the preference and the
    /// sequence analysis.
    pub fn tcp_relative(&self) -> bool {
        self.tcp_relative_seq && self.tcp_analyze_seq
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_as_tshark_reads_them() {
        let mut p = Prefs::default();
        assert_eq!(p.set("tcp.relative_sequence_numbers:FaLsE"), Ok(()));
        assert!(!p.tcp_relative_seq);
        assert_eq!(p.set("tcp.relative_sequence_numbers: true"), Ok(()));
        assert!(p.tcp_relative_seq);
        // Only "true" is true: "1", "maybe" and a trailing blank are false.
        for v in ["1", "maybe", "true ", "", "false:x"] {
            p.tcp_relative_seq = true;
            assert_eq!(p.set(&format!("tcp.relative_sequence_numbers:{v}")), Ok(()));
            assert!(!p.tcp_relative_seq, "{v:?}");
        }
        assert_eq!(p.set("TCP.desegment_tcp_streams:TRUE"), Ok(()));
        assert!(p.tcp_desegment);
        assert_eq!(p.set("ip.defragment:false"), Ok(()));
        assert!(!p.ip_defragment);
        assert_eq!(p.set("tcp.desegment_tcp_streams:false"), Ok(()));
        assert!(!p.tcp_desegment);
        assert_eq!(p.set("http.desegment_body:FALSE"), Ok(()));
        assert!(!p.http_desegment_body);
    }

    #[test]
    fn bad_arguments_get_tsharks_messages() {
        let mut p = Prefs::default();
        let e = p.set("tcp.relative_sequence_numbers=false").unwrap_err();
        assert_eq!(
            e.to_string(),
            "Invalid -o flag \"tcp.relative_sequence_numbers=false\""
        );
        for arg in [
            "foo.bar:1",
            ":x",
            "tcp.Relative_sequence_numbers:false",
            "tcp.relative_sequence_numbers :false",
        ] {
            let e = p.set(arg).unwrap_err();
            assert_eq!(
                e.to_string(),
                format!("-o flag \"{arg}\" specifies unknown preference")
            );
        }
        assert_eq!(p, Prefs::default());
    }
}
