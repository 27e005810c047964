//! All field tables in one place: look a field up by id or by its Wireshark name.

use super::field::{FieldDef, FieldId};
use super::{
    arp, data, dhcp, dhcpv6, dns, eap, eapol, ethernet, frame, gquic, http, icmp, icmp_ext, icmpv6,
    ieee80211, ieee80211_mgt, igmp, ipv4, ipv6, links, llc, ntp, null, quic, radiotap, sll, ssh,
    tcp, teach, tftp, tls, tunnel, udp, vlan, wlan_radio, ws,
};
use super::{cdp, hsrp, ipx, lldp, nbdgm, nbns, nbss, rip, smb, smb2, ssdp, stp};
use super::{chdlc, ftp, ftp_data, imap, imf, multipart, pop, smtp, snmp, telnet, x509};
use super::{db_lsp_disc, dns_link, nat_pmp, netbios, ocsp, smb_netlogon, stun, tpkt, udpencap};
use super::{erspan, kerberos, msnms, ospf, pim, ptp, rmi, teredo, vrrp};
use super::{esp, gif, isakmp, jfif, png, ppp, pppoe, syslog};
use super::{ieee1905, loopback, ppi, raw, rtcp, rtp, rtsp, sdp, sip};
use std::collections::HashMap;
use std::sync::OnceLock;

/// Every protocol's table, in id order: (first id, definitions).
const TABLES: &[(u16, &[FieldDef])] = &[
    (ws::BASE, ws::DEFS),
    (frame::BASE, frame::DEFS),
    (ethernet::BASE, ethernet::DEFS),
    (vlan::BASE, vlan::DEFS),
    (sll::BASE, sll::DEFS),
    (null::BASE, null::DEFS),
    (arp::BASE, arp::DEFS),
    (ipv4::BASE, ipv4::DEFS),
    (ipv6::BASE, ipv6::DEFS),
    (icmp::BASE, icmp::DEFS),
    (icmp_ext::BASE, icmp_ext::DEFS),
    (icmpv6::BASE, icmpv6::DEFS),
    (udp::BASE, udp::DEFS),
    (tcp::BASE, tcp::DEFS),
    (teach::BASE, teach::DEFS),
    (dns::BASE, dns::DEFS),
    (dns_link::BASE, dns_link::DEFS),
    (http::BASE, http::DEFS),
    (jfif::BASE, jfif::DEFS),
    (png::BASE, png::DEFS),
    (gif::BASE, gif::DEFS),
    (tls::BASE, tls::DEFS),
    (data::BASE, data::DEFS),
    (tunnel::BASE, tunnel::DEFS),
    (links::BASE, links::DEFS),
    (radiotap::BASE, radiotap::DEFS),
    (ieee80211::BASE, ieee80211::DEFS),
    (ieee80211_mgt::BASE, ieee80211_mgt::DEFS),
    (llc::BASE, llc::DEFS),
    (eapol::BASE, eapol::DEFS),
    (eap::BASE, eap::DEFS),
    (wlan_radio::BASE, wlan_radio::DEFS),
    (ntp::BASE, ntp::DEFS),
    (tftp::BASE, tftp::DEFS),
    (ssh::BASE, ssh::DEFS),
    (quic::BASE, quic::DEFS),
    (gquic::BASE, gquic::DEFS),
    (igmp::BASE, igmp::DEFS),
    (dhcp::BASE, dhcp::DEFS),
    (dhcpv6::BASE, dhcpv6::DEFS),
    (nbns::BASE, nbns::DEFS),
    (ssdp::BASE, ssdp::DEFS),
    (hsrp::BASE, hsrp::DEFS),
    (rip::BASE, rip::DEFS),
    (nbdgm::BASE, nbdgm::DEFS),
    (stp::BASE, stp::DEFS),
    (lldp::BASE, lldp::DEFS),
    (cdp::BASE, cdp::DEFS),
    (ipx::BASE, ipx::DEFS),
    (ftp::BASE, ftp::DEFS),
    (pop::BASE, pop::DEFS),
    (smtp::BASE, smtp::DEFS),
    (x509::BASE, x509::DEFS),
    (ftp_data::BASE, ftp_data::DEFS),
    (telnet::BASE, telnet::DEFS),
    (imap::BASE, imap::DEFS),
    (snmp::BASE, snmp::DEFS),
    (chdlc::BASE, chdlc::DEFS),
    (imf::BASE, imf::DEFS),
    (multipart::BASE, multipart::DEFS),
    (nbss::BASE, nbss::DEFS),
    (smb::BASE, smb::DEFS),
    (smb2::BASE, smb2::DEFS),
    (sdp::BASE, sdp::DEFS),
    (sip::BASE, sip::DEFS),
    (rtp::BASE, rtp::DEFS),
    (rtcp::BASE, rtcp::DEFS),
    (rtsp::BASE, rtsp::DEFS),
    (loopback::BASE, loopback::DEFS),
    (ppi::BASE, ppi::DEFS),
    (ieee1905::BASE, ieee1905::DEFS),
    (raw::BASE, raw::DEFS),
    (udpencap::BASE, udpencap::DEFS),
    (db_lsp_disc::BASE, db_lsp_disc::DEFS),
    (smb_netlogon::BASE, smb_netlogon::DEFS),
    (netbios::BASE, netbios::DEFS),
    (stun::BASE, stun::DEFS),
    (nat_pmp::BASE, nat_pmp::DEFS),
    (ocsp::BASE, ocsp::DEFS),
    (syslog::BASE, syslog::DEFS),
    (ppp::BASE, ppp::DEFS),
    (pppoe::BASE, pppoe::DEFS),
    (isakmp::BASE, isakmp::DEFS),
    (esp::BASE, esp::DEFS),
    (tpkt::BASE, tpkt::DEFS),
    (rmi::BASE, rmi::DEFS),
    (teredo::BASE, teredo::DEFS),
    (kerberos::BASE, kerberos::DEFS),
    (ospf::BASE, ospf::DEFS),
    (vrrp::BASE, vrrp::DEFS),
    (pim::BASE, pim::DEFS),
    (msnms::BASE, msnms::DEFS),
    (erspan::BASE, erspan::DEFS),
    (ptp::BASE, ptp::DEFS),
];

struct Registry {
    defs: Vec<&'static FieldDef>,
    protocols: super::tree::FieldSet,
    /// For each id, the id of its protocol's first field (the protocol item).
    protocol: Vec<FieldId>,
    by_name: HashMap<&'static str, FieldId>,
}

fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut defs = Vec::new();
        let mut protocol = Vec::new();
        let mut by_name = HashMap::new();
        let mut protocols = super::tree::FieldSet::new();
        for (base, table) in TABLES {
            debug_assert_eq!(usize::from(*base), defs.len(), "tables must chain");
            for def in table.iter() {
                let id = FieldId(u16::try_from(defs.len()).unwrap_or(u16::MAX));
                defs.push(def);
                if def.is_protocol() {
                    protocols.insert(id);
                }
                protocol.push(FieldId(*base));
                by_name.entry(def.abbrev).or_insert(id);
            }
        }
        Registry {
            defs,
            protocols,
            protocol,
            by_name,
        }
    })
}

/// What an id outside the registry resolves to (never happens for ids it issued).
static UNKNOWN: FieldDef = FieldDef::new("_ws.text", "Text item", super::field::Kind::None);

/// The definition of `id`.
pub fn def(id: FieldId) -> &'static FieldDef {
    let reg = registry();
    reg.defs.get(usize::from(id.0)).copied().unwrap_or(&UNKNOWN)
}

/// The ids of every protocol item.
pub fn protocols() -> &'static super::tree::FieldSet {
    &registry().protocols
}

/// The field called `abbrev` (e.g. `tcp.flags.syn`).
pub fn lookup(abbrev: &str) -> Option<FieldId> {
    registry().by_name.get(abbrev).copied()
}

/// The protocol item id of the table `id` belongs to.
pub fn protocol_of(id: FieldId) -> FieldId {
    registry()
        .protocol
        .get(usize::from(id.0))
        .copied()
        .unwrap_or(FieldId(0))
}

/// Every field, in id order.
pub fn all() -> impl Iterator<Item = (FieldId, &'static FieldDef)> {
    registry()
        .defs
        .iter()
        .enumerate()
        .map(|(i, d)| (FieldId(i as u16), *d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_chain_and_names_resolve() {
        let mut next = 0;
        for (base, table) in TABLES {
            assert_eq!(*base, next);
            next += table.len() as u16;
        }
        let syn = lookup("tcp.flags.syn").unwrap();
        assert_eq!(def(syn).name, "Syn");
        assert_eq!(protocol_of(syn), lookup("tcp").unwrap());
        assert!(lookup("tcp.flg").is_none());
    }
}
