//! Dropbox's LAN sync discovery broadcasts (UDP 17500): a JSON object, shown as
//! tshark's protocol item with JSON's under it (JSON's members are not broken out).

use super::field::kinds::*;
use super::http::JSON;
use super::tree::Dissection;
use super::value::Value;

crate::define_fields! { after super::udpencap::END;
    DB_LSP_DISC = "db-lsp-disc", "Dropbox LAN sync Discovery Protocol", PROTO;
}

/// Dissects a discovery datagram's payload at `offset`.
// TODO(lab2): JSON's object, member and value items (`json.object`, `json.member`).
pub fn dissect(d: &mut Dissection<'_>, offset: usize, payload: &[u8]) {
    d.open_protocol(
        DB_LSP_DISC,
        (offset, payload.len()),
        "db-lsp-disc",
        "DB-LSP-DISC",
    );
    d.set_info(|| "Dropbox LAN sync Discovery Protocol".to_string());
    // tshark hands the whole payload to JSON, which appends its name to both columns.
    d.add(JSON, offset, payload.len(), Value::None);
    d.push_layer("json");
    d.set_protocol("DB-LSP-DISC/JSON");
    d.append_info(", JavaScript Object Notation");
    d.end();
}

#[cfg(test)]
mod tests {
    use crate::dissect::testing::{with_frame, with_truncated};

    /// dropbox_lsp_disc.pcapng frame 1 (shichaoxia ch1-ws-intro trace.pcapng): a
    /// discovery broadcast.
    #[test]
    fn discovery_broadcast() {
        with_frame("dropbox_lsp_disc.pcapng", 1, |d| {
            assert_eq!(d.columns.protocol, "DB-LSP-DISC/JSON");
            assert_eq!(
                d.columns.info,
                "Dropbox LAN sync Discovery Protocol, JavaScript Object Notation"
            );
        });
        // Cut inside the object: still the two items, nothing read past the end.
        with_truncated("dropbox_lsp_disc.pcapng", 1, 60, |d| {
            assert_eq!(d.columns.protocol, "DB-LSP-DISC/JSON");
        });
    }
}
