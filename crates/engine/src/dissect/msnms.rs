//! MSN Messenger Service on TCP 1863, as tshark 4.0 shows it: each segment's first
//! line in the Info column (as `format_text` writes it), its lines in the tree.

use super::field::kinds::*;
use super::tree::Dissection;
use super::value::Value;

/// MSN Messenger's port (tshark's `tcp.port` registration).
pub const PORT: u16 = 1863;

crate::define_fields! { after super::pim::END;
    MSNMS = "msnms", "MSN Messenger Service", PROTO;
}

/// Dissects one TCP payload on the MSNMS port, lying at `offset` of the frame.
pub fn dissect(d: &mut Dissection<'_>, payload: &[u8], offset: usize) {
    d.set_protocol("MSNMS");
    // tshark's line end without desegmenting: CR, LF or CR LF; none, and the line
    // runs to the end of the segment.
    let first = memchr::memchr2(b'\r', b'\n', payload).unwrap_or(payload.len());
    let line = payload.get(..first).unwrap_or(payload);
    let info = super::format_text::format_text(line);
    d.set_info(|| info);
    let item = d.add(MSNMS, offset, payload.len(), Value::None);
    d.begin(item);
    for (start, line) in super::lines::split(payload) {
        d.text(offset + start, line.len(), || {
            super::format_text::format_text(super::lines::trim_eol(line))
        });
    }
    d.end();
}

#[cfg(test)]
mod tests {
    use super::*;

    /// msnms.pcap frame 4 (markofu/pcaps): a USR command; a line cut short, an empty
    /// payload's first line and a control byte.
    #[test]
    fn first_line_in_info() {
        let info = |payload: &[u8]| {
            let mut d = Dissection::new(crate::dissect::Want::All, true, true);
            dissect(&mut d, payload, 54);
            assert_eq!(d.columns.protocol, "MSNMS");
            d.columns.info.clone()
        };
        assert_eq!(
            info(b"USR 93 tesla_brian@hotmail.com 1835953129.20013021.2623242\r\n"),
            "USR 93 tesla_brian@hotmail.com 1835953129.20013021.2623242"
        );
        assert_eq!(info(b"VER 1 MSNP8"), "VER 1 MSNP8");
        assert_eq!(info(b"\r\nCVR 2"), "");
        assert_eq!(info(b"MSG \x01x\n"), "MSG \\001x");
    }
}
