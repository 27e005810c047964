//! Microsoft's old Windows logon protocol (SMB_NETLOGON) in the `\MAILSLOT\NET\...`
//! mailslots: the command, named as tshark names it in the Info column, and the
//! computer name a PDC query comes from.

use super::field::kinds::*;
use super::tree::Dissection;
use super::value::Value;
use crate::bytes;

/// The logon commands ([MS-ADTS] 6.3.1, and LAN Manager's older ones) under
/// tshark's names.
#[rustfmt::skip]
const COMMANDS: &[(u64, &str)] = &[
    (0x00, "LM1.0/LM2.0 LOGON Request"), (0x01, "LM1.0 LOGON Response"),
    (0x02, "LM1.0 Query - Centralized Initialization"),
    (0x03, "LM1.0 Query - Distributed Initialization"),
    (0x04, "LM1.0 Response - Centralized Query"),
    (0x05, "LM1.0 Response - Distributed Initialization"),
    (0x06, "LM2.0 Response to LOGON Request"), (0x07, "Query for PDC"),
    (0x08, "Announce Startup of PDC"), (0x09, "Announce Failed PDC"),
    (0x0a, "Announce Change to UAS or SAM"), (0x0b, "Announce no user on machine"),
    (0x0c, "Response from PDC"), (0x0d, "LM1.0/LM2.0 Response to re-LOGON Request"),
    (0x0e, "LM1.0/LM2.0 Response to Interrogate Request"),
    (0x0f, "LM2.0 Response during LOGON pause"), (0x10, "LM2.0 Response - user unknown"),
    (0x11, "LM2.0 Announce account updates"), (0x12, "SAM LOGON request from client"),
    (0x13, "Response to SAM LOGON request"), (0x14, "SAM Response during LOGON pause"),
    (0x15, "SAM Response - user unknown"), (0x16, "SAM Response to Interrogate Request"),
    (0x17, "SAM Active Directory Response - user unknown"),
    (0x18, "SAM unknown command 0x18"),
    (0x19, "Active Directory Response to SAM LOGON request"),
];

/// The PDC query's command ([MS-ADTS] 6.3.1.2 NETLOGON_PRIMARY_QUERY).
const PDC_QUERY: u8 = 0x07;

crate::define_fields! { after super::db_lsp_disc::END;
    SMB_NETLOGON = "smb_netlogon", "Microsoft Windows Logon Protocol (Old)", PROTO;
    COMMAND = "smb_netlogon.command", "Command", hex_named(8, COMMANDS);
    COMPUTER_NAME = "smb_netlogon.computer_name", "Computer Name", STR;
}

/// Dissects a logon message (`msg`, at `offset`) written to a NETLOGON mailslot.
// TODO(lab2): the commands' bodies beyond the PDC query's computer name.
pub fn dissect(d: &mut Dissection<'_>, offset: usize, msg: &[u8]) {
    let Some(cmd) = bytes::u8_at(msg, 0) else {
        return;
    };
    d.open_protocol(
        SMB_NETLOGON,
        (offset, msg.len()),
        "smb_netlogon",
        "SMB_NETLOGON",
    );
    d.add(COMMAND, offset, 1, Value::UInt(u64::from(cmd)));
    let mut info = match super::value::value_name(Some(COMMANDS), u64::from(cmd)) {
        Some(name) => name.to_string(),
        None => format!("Unknown Command:{cmd:02x}"),
    };
    // The command byte and one byte tshark skips, then the command's fields.
    if cmd == PDC_QUERY {
        let rest = bytes::tail(msg, 2);
        let end = rest.iter().position(|b| *b == 0).unwrap_or(rest.len());
        let name = rest.get(..end).unwrap_or(rest);
        let text = super::media::ascii_text(name);
        info.push_str(" from ");
        info.push_str(&String::from_utf8_lossy(&text));
        let len = (end + 1).min(rest.len());
        d.add(COMPUTER_NAME, offset + 2, len, Value::owned_str(&text));
    }
    d.set_info(|| info);
    d.end();
}

#[cfg(test)]
mod tests {
    use crate::dissect::testing::{field, with_frame, with_truncated};

    /// netbios_llc.pcap frames 1 and 2 (dns-ethereal-trace-2 frames 23 and 37): a SAM
    /// logon request and a PDC query from EDA2001.
    #[test]
    fn commands_named_as_tshark_names_them() {
        with_frame("netbios_llc.pcap", 1, |d| {
            assert_eq!(d.columns.protocol, "SMB_NETLOGON");
            assert_eq!(d.columns.info, "SAM LOGON request from client");
            assert_eq!(field(d, "smb_netlogon.command"), "0x12");
        });
        with_frame("netbios_llc.pcap", 2, |d| {
            assert_eq!(d.columns.info, "Query for PDC from EDA2001");
            assert_eq!(field(d, "smb_netlogon.computer_name"), "EDA2001");
        });
        // Cut inside the computer name: what is there.
        with_truncated("netbios_llc.pcap", 2, 160, |d| {
            assert_eq!(d.columns.info, "Query for PDC from EDA20");
        });
    }
}
