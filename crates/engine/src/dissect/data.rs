//! Bytes no dissector claims: Wireshark's "Data" protocol.

use super::field::kinds::*;
use super::tree::Dissection;
use super::value::Value;
use crate::bytes;

crate::define_fields! { after super::tls::END;
    DATA = "data", "Data", PROTO;
    DATA_DATA = "data.data", "Data", BYTES;
    DATA_LEN = "data.len", "Length", dec(32);
}

/// Shows everything from `offset` to the end of the captured bytes as data.
pub fn dissect<'a>(d: &mut Dissection<'a>, data: &'a [u8], offset: usize) {
    dissect_bytes(d, bytes::tail(data, offset), offset);
}

/// Shows `len` bytes at `offset` (as many as were captured) as data.
pub fn dissect_len<'a>(d: &mut Dissection<'a>, data: &'a [u8], offset: usize, len: usize) {
    let bytes = bytes::clamped(data, offset, len);
    dissect_bytes(d, bytes, offset);
}

/// Shows `bytes`, found at `offset` of the current data source, as data.
pub fn dissect_bytes<'a>(d: &mut Dissection<'a>, bytes: &'a [u8], offset: usize) {
    if bytes.is_empty() {
        return;
    }
    // The payload of a datagram quoted in an ICMP error lands at the top level of
    // tshark's tree, outside the ICMP item that holds the quoted headers.
    if d.in_error {
        d.at_top_level(|d| add_data(d, bytes, offset));
    } else {
        add_data(d, bytes, offset);
    }
}

/// Shows `bytes` as data in the current subtree, even inside an ICMP error (where
/// ICMP itself hands an echo's data to the data dissector under its own tree).
pub fn dissect_nested<'a>(d: &mut Dissection<'a>, bytes: &'a [u8], offset: usize) {
    if !bytes.is_empty() {
        add_data(d, bytes, offset);
    }
}

fn add_data<'a>(d: &mut Dissection<'a>, bytes: &'a [u8], offset: usize) {
    let n = bytes.len();
    let item = d.add_labeled(DATA, offset, n, Value::None, || {
        let unit = if n == 1 { "byte" } else { "bytes" };
        format!("Data ({n} {unit})")
    });
    d.push_layer("data");
    d.begin(item);
    d.add(DATA_DATA, offset, n, Value::Bytes(bytes.into()));
    d.add_generated(DATA_LEN, offset, n, Value::UInt(n as u64));
    d.end();
}
