//! The datagram quoted inside an ICMP or ICMPv6 error: dissected like any IP packet,
//! but it changes neither the summary columns nor the TCP analysis.

use super::context::PacketContext;
use super::tree::Dissection;
use super::{ipv4, ipv6};

/// Dissects the quoted IP packet at `offset` (`version` 4 or 6).
pub fn dissect<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    data: &'a [u8],
    offset: usize,
    version: u8,
) {
    if offset >= data.len() || d.in_error {
        return;
    }
    let columns = d.set_columns_on(false);
    d.in_error = true;
    if version == 4 {
        ipv4::dissect(d, ctx, data, offset);
    } else {
        ipv6::dissect(d, ctx, data, offset);
    }
    d.in_error = false;
    d.set_columns_on(columns);
}
