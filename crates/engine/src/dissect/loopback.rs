//! Ethernet's Configuration Test Protocol (EtherType 0x9000, "LOOP"), the keepalives
//! Cisco switches send to themselves: the skip count, the function it points at and
//! that function's argument (little-endian, as the protocol defines it), then data.

use super::field::kinds::*;
use super::tree::Dissection;
use super::value::Value;
use crate::bytes;

const FUNCTIONS: &[(u64, &str)] = &[(1, "Reply"), (2, "Forward Data")];

crate::define_fields! { after super::rtsp::END;
    LOOP = "loop", "Configuration Test Protocol (loopback)", PROTO;
    SKIPCOUNT = "loop.skipcount", "skipCount", dec(16);
    RELEVANT_FUNCTION = "loop.relevant_function", "Relevant function", dec_named(16, FUNCTIONS);
    FUNCTION = "loop.function", "Function", dec_named(16, FUNCTIONS);
    RECEIPT_NUMBER = "loop.receipt_number", "Receipt number", dec(16);
    FORWARDING_ADDRESS = "loop.forwarding_address", "Forwarding address", ETHER;
}

/// Little-endian 16-bit value at `at`.
fn le_u16(data: &[u8], at: usize) -> Option<u16> {
    bytes::array::<2>(data, at).map(u16::from_le_bytes)
}

/// Dissects the message at `offset`; the bytes after the functions go to data.
pub fn dissect<'a>(d: &mut Dissection<'a>, data: &'a [u8], offset: usize) {
    d.push_layer("loop");
    d.set_protocol("LOOP");
    let item = d.add(LOOP, offset, 0, Value::None);
    d.begin(item);
    let Some(skip) = le_u16(data, offset) else {
        d.end();
        super::malformed(d, data, offset, "LOOP", 2);
        return;
    };
    d.add(SKIPCOUNT, offset, 2, Value::UInt(u64::from(skip)));
    // The function the skip count selects is marked where the list reaches it.
    let relevant_at = offset.saturating_add(2).saturating_add(usize::from(skip));
    let mut at = offset + 2;
    let mut first = None;
    // Functions are Forward (with an address) until a Reply, which ends the list.
    for _ in 0..64 {
        let Some(f) = le_u16(data, at) else {
            break;
        };
        first.get_or_insert(f);
        if at == relevant_at {
            d.add(RELEVANT_FUNCTION, at, 2, Value::UInt(u64::from(f)));
        }
        d.add(FUNCTION, at, 2, Value::UInt(u64::from(f)));
        match f {
            1 => {
                if let Some(n) = le_u16(data, at + 2) {
                    d.add(RECEIPT_NUMBER, at + 2, 2, Value::UInt(u64::from(n)));
                }
                at += 4;
                break;
            }
            2 => {
                if let Some(mac) = bytes::array::<6>(data, at + 2) {
                    d.add(FORWARDING_ADDRESS, at + 2, 6, Value::Ether(mac));
                }
                at += 8;
            }
            _ => {
                at += 2;
                break;
            }
        }
    }
    d.end();
    let relevant = le_u16(data, relevant_at).or(first);
    d.set_info(|| match relevant {
        Some(f) => super::value::value_name(Some(FUNCTIONS), u64::from(f))
            .map_or_else(|| format!("Unknown function ({f})"), str::to_string),
        None => String::new(),
    });
    let rest = bytes::tail(data, at.min(data.len()));
    super::data::dissect_bytes(d, rest, at.min(data.len()));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dissect::testing::field;

    /// A Cisco keepalive (kg_q4.pcapng frame 1's message): skip 0, Reply, receipt 0.
    #[test]
    fn reply_and_cut() {
        let msg = [0u8, 0, 1, 0, 0, 0, 0, 0];
        let mut d = Dissection::full();
        dissect(&mut d, &msg, 0);
        assert_eq!(field(&d, "loop.function"), "1");
        assert_eq!(field(&d, "loop.receipt_number"), "0");
        assert_eq!(d.columns.info, "Reply");
        for n in 0..msg.len() {
            let mut d = Dissection::full();
            dissect(&mut d, &msg[..n], 0);
        }
    }
}
