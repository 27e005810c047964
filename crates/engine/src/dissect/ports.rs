//! The port table: which dissector a UDP or TCP port hands its payload to, as tshark
//! 4.0 registers them (`tshark -G decodes`), and Decode As (`-d udp.port==5000,dns`),
//! which replaces a port's entry as tshark's does.
//!
//! UDP and TCP try the lower port first, then the higher, then their heuristics
//! (tshark's "try heuristic sub-dissectors first" is off by default). Adding a
//! protocol on a port is one line in [`PORTS`] (and, to make it reachable by Decode
//! As, one line in [`NAMES`]); the transport's `match` on [`PortProto`] calls it.

use std::sync::RwLock;
use std::sync::atomic::{AtomicBool, Ordering};

/// The transport whose port table is meant (`udp.port`, `tcp.port`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Transport {
    /// `udp.port`.
    Udp,
    /// `tcp.port`.
    Tcp,
}

impl Transport {
    /// The dissector table's name, as `-d` spells it.
    pub fn table_name(self) -> &'static str {
        match self {
            Transport::Udp => "udp.port",
            Transport::Tcp => "tcp.port",
        }
    }
}

/// A dissector a port can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PortProto {
    /// Raw data (Decode As "data": no dissector).
    Data,
    /// DNS.
    Dns,
    /// Multicast DNS (its own protocol column, DNS's code).
    Mdns,
    /// Link-local Multicast Name Resolution.
    Llmnr,
    /// NetBIOS Name Service.
    Nbns,
    /// NetBIOS Datagram Service.
    Nbdgm,
    /// NetBIOS Session Service.
    Nbss,
    /// Simple Service Discovery Protocol.
    Ssdp,
    /// DHCP/BOOTP.
    Dhcp,
    /// DHCPv6.
    Dhcpv6,
    /// NTP.
    Ntp,
    /// TFTP.
    Tftp,
    /// QUIC.
    Quic,
    /// Google QUIC.
    Gquic,
    /// VXLAN.
    Vxlan,
    /// Geneve.
    Geneve,
    /// IEEE 802.2 LLC over UDP (ports 12000-12004).
    Llc,
    /// RIP.
    Rip,
    /// Cisco HSRP.
    Hsrp,
    /// UDP encapsulation of IPsec (NAT-keepalives).
    Udpencap,
    /// Dropbox LAN sync discovery.
    DbLspDisc,
    /// Syslog.
    Syslog,
    /// PTP (IEEE 1588) event and general messages.
    Ptp,
    /// ISAKMP and IKE.
    Isakmp,
    /// HTTP.
    Http,
    /// TLS.
    Tls,
    /// SSH.
    Ssh,
    /// SNMP.
    Snmp,
    /// SIP.
    Sip,
    /// NAT-PMP and the Port Control Protocol (tshark's `portcontrol`).
    PortControl,
    /// Session Traversal Utilities for NAT (UDP only here).
    Stun,
    /// Teredo (IPv6 over UDP).
    Teredo,
    /// Kerberos 5 (UDP datagrams, TCP records).
    Kerberos,
    /// TPKT (Remote Desktop's port): a conversation whose segment opens with a TPKT
    /// header; the heuristics see the others.
    Tpkt,
    /// A protocol on TCP the application layer dissects by its port (FTP, Telnet,
    /// SMTP, POP, IMAP, RTSP, SIP, RMI, MSNMS): its port keeps HTTP's and TLS's ports and
    /// the heuristics off the conversation, as its registration does in tshark.
    TcpPort,
}

use PortProto::*;
use Transport::{Tcp, Udp};

/// tshark 4.0's registrations on `udp.port` and `tcp.port` for the protocols synack
/// dissects, one line each (from `tshark -G decodes`).
#[rustfmt::skip]
pub const PORTS: &[(Transport, u16, PortProto)] = &[
    (Udp, 53, Dns),
    (Udp, 67, Dhcp),
    (Udp, 68, Dhcp),
    (Udp, 69, Tftp),
    (Udp, 88, Kerberos),
    (Udp, 123, Ntp),
    (Udp, 137, Nbns),
    (Udp, 161, Snmp),
    (Udp, 162, Snmp),
    (Udp, 138, Nbdgm),
    (Udp, 500, Isakmp),
    (Udp, 319, Ptp),
    (Udp, 320, Ptp),
    (Udp, 514, Syslog),
    (Udp, 520, Rip),
    (Udp, 546, Dhcpv6),
    (Udp, 547, Dhcpv6),
    (Udp, 1900, Ssdp),
    (Udp, 1985, Hsrp),
    (Udp, 5060, Sip),
    (Udp, 2029, Hsrp),
    (Udp, 4500, Udpencap),
    (Udp, 4789, Vxlan),
    (Udp, 5353, Mdns),
    (Udp, 5355, Llmnr),
    (Udp, 6081, Geneve),
    (Udp, 12000, Llc),
    (Udp, 12001, Llc),
    (Udp, 12002, Llc),
    (Udp, 12003, Llc),
    (Udp, 12004, Llc),
    (Udp, 3478, Stun),
    (Udp, 3544, Teredo),
    (Udp, 5350, PortControl),
    (Udp, 5351, PortControl),
    (Udp, 17500, DbLspDisc),
    (Tcp, 21, TcpPort),
    (Tcp, 22, Ssh),
    (Tcp, 23, TcpPort),
    (Tcp, 25, TcpPort),
    (Tcp, 53, Dns),
    (Tcp, 80, Http),
    (Tcp, 88, Kerberos),
    (Tcp, 110, TcpPort),
    (Tcp, 139, Nbss),
    (Tcp, 143, TcpPort),
    (Tcp, 443, Tls),
    (Tcp, 445, Nbss),
    (Tcp, 465, Tls),
    (Tcp, 554, TcpPort),
    (Tcp, 587, TcpPort),
    (Tcp, 636, Tls),
    (Tcp, 853, Tls),
    (Tcp, 989, Tls),
    (Tcp, 990, Tls),
    (Tcp, 993, Tls),
    (Tcp, 995, Tls),
    (Tcp, 1099, TcpPort),
    (Tcp, 1863, TcpPort),
    (Tcp, 1900, Http),
    (Tcp, 2710, Http),
    (Tcp, 2869, Http),
    (Tcp, 3128, Http),
    (Tcp, 3132, Http),
    (Tcp, 3389, Tpkt),
    (Tcp, 5060, TcpPort),
    (Tcp, 5353, Dns),
    (Tcp, 5985, Http),
    (Tcp, 8080, Http),
    (Tcp, 8088, Http),
    (Tcp, 11371, Http),
];

/// Decode As names: (tshark's short name, its description, the protocol, the
/// transports it registers on), one line each. Aliases tshark accepts come after
/// the name it lists.
#[rustfmt::skip]
pub const NAMES: &[(&str, &str, PortProto, &[Transport])] = &[
    ("data", "Data", Data, &[Tcp, Udp]),
    ("dhcp", "Dynamic Host Configuration Protocol", Dhcp, &[Udp]),
    ("bootp", "Dynamic Host Configuration Protocol", Dhcp, &[Udp]),
    ("dhcpv6", "DHCPv6", Dhcpv6, &[Udp]),
    ("dns", "Domain Name System", Dns, &[Tcp, Udp]),
    ("geneve", "Generic Network Virtualization Encapsulation", Geneve, &[Udp]),
    ("gquic", "GQUIC (Google Quick UDP Internet Connections)", Gquic, &[Udp]),
    ("hsrp", "Cisco Hot Standby Router Protocol", Hsrp, &[Udp]),
    ("isakmp", "Internet Security Association and Key Management Protocol", Isakmp, &[Udp]),
    ("db-lsp-disc", "Dropbox LAN sync Discovery Protocol", DbLspDisc, &[Udp]),
    ("snmp", "Simple Network Management Protocol", Snmp, &[Udp]),
    ("http", "Hypertext Transfer Protocol", Http, &[Tcp]),
    ("llc", "Logical-Link Control", Llc, &[Udp]),
    ("llmnr", "Link-local Multicast Name Resolution", Llmnr, &[Udp]),
    ("mdns", "Multicast Domain Name System", Mdns, &[Udp]),
    ("nbdgm", "NetBIOS Datagram Service", Nbdgm, &[Udp]),
    ("nbns", "NetBIOS Name Service", Nbns, &[Udp]),
    ("nbss", "NetBIOS Session Service", Nbss, &[Tcp]),
    ("ntp", "Network Time Protocol", Ntp, &[Udp]),
    ("quic", "QUIC IETF", Quic, &[Udp]),
    ("rip", "Routing Information Protocol", Rip, &[Udp]),
    ("sip", "Session Initiation Protocol", Sip, &[Udp]),
    ("ssdp", "Simple Service Discovery Protocol", Ssdp, &[Udp]),
    ("ssh", "SSH Protocol", Ssh, &[Tcp]),
    ("syslog", "Syslog message", Syslog, &[Udp]),
    ("ptp", "Precision Time Protocol (IEEE1588)", Ptp, &[Udp]),
    ("portcontrol", "Port Control Protocol", PortControl, &[Udp]),
    ("stun", "Session Traversal Utilities for NAT", Stun, &[Udp]),
    ("teredo", "Teredo IPv6 over UDP tunneling", Teredo, &[Udp]),
    ("kerberos", "Kerberos", Kerberos, &[Tcp, Udp]),
    ("tftp", "Trivial File Transfer Protocol", Tftp, &[Udp]),
    ("tls", "Transport Layer Security", Tls, &[Tcp]),
    ("udpencap", "UDP Encapsulation of IPsec Packets", Udpencap, &[Udp]),
    ("ssl", "Transport Layer Security", Tls, &[Tcp]),
    ("vxlan", "Virtual eXtensible Local Area Network", Vxlan, &[Udp]),
];

impl PortProto {
    /// The short name Decode As lists it under.
    pub fn name(self) -> &'static str {
        NAMES
            .iter()
            .find(|(_, _, p, _)| *p == self)
            .map_or("data", |(name, ..)| *name)
    }
}

/// One Decode As entry: ports `first..=last` of `transport` go to `proto`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeAs {
    /// The port table it changes.
    pub transport: Transport,
    /// The first port (tshark accepts selectors up to 2^32 - 1; ports above 65535
    /// simply never match).
    pub first: u32,
    /// The last port, inclusive.
    pub last: u32,
    /// What those ports now hand their payload to.
    pub proto: PortProto,
}

impl DecodeAs {
    /// `udp.port==5000,dns` as `-d` takes it.
    pub fn text(&self) -> String {
        let sel = if self.first == self.last {
            self.first.to_string()
        } else {
            format!("{}-{}", self.first, self.last)
        };
        format!(
            "{}=={sel},{}",
            self.transport.table_name(),
            self.proto.name()
        )
    }
}

/// Set while any Decode As entry is active, so lookups without one take no lock.
static ANY: AtomicBool = AtomicBool::new(false);
static ENTRIES: RwLock<Vec<DecodeAs>> = RwLock::new(Vec::new());

/// Replaces the process's Decode As entries (the CLI's `-d`s, the window's dialog).
/// Captures loaded before keep their analysis: reload them.
pub fn set_decode_as(entries: Vec<DecodeAs>) {
    let any = !entries.is_empty();
    if let Ok(mut e) = ENTRIES.write() {
        *e = entries;
    }
    ANY.store(any, Ordering::Release);
}

/// The active Decode As entries.
pub fn decode_as() -> Vec<DecodeAs> {
    if !ANY.load(Ordering::Acquire) {
        return Vec::new();
    }
    ENTRIES.read().map(|e| e.clone()).unwrap_or_default()
}

/// What `port` of `transport` hands its payload to: the last Decode As entry
/// covering it, else the table's.
pub fn lookup(transport: Transport, port: u16) -> Option<PortProto> {
    if ANY.load(Ordering::Acquire)
        && let Ok(entries) = ENTRIES.read()
        && let Some(e) = entries
            .iter()
            .rev()
            .find(|e| e.transport == transport && (e.first..=e.last).contains(&u32::from(port)))
    {
        return Some(e.proto);
    }
    table(transport, port)
}

/// One bit per port and transport: set where [`PORTS`] has an entry. Most ports of
/// a capture are in no table, and every TCP segment and UDP datagram asks for two or
/// three of them, so a miss costs one bit test instead of a walk of the table.
static REGISTERED: std::sync::LazyLock<[[u64; 1024]; 2]> = std::sync::LazyLock::new(|| {
    let mut bits = [[0u64; 1024]; 2];
    for (transport, port, _) in PORTS {
        let p = usize::from(*port);
        if let Some(word) = bits
            .get_mut(*transport as usize)
            .and_then(|words| words.get_mut(p / 64))
        {
            *word |= 1 << (p % 64);
        }
    }
    bits
});

/// The table's entry for `port` alone (no Decode As).
pub fn table(transport: Transport, port: u16) -> Option<PortProto> {
    let p = usize::from(port);
    let word = REGISTERED
        .get(transport as usize)
        .and_then(|words| words.get(p / 64))
        .copied()
        .unwrap_or(0);
    if word & (1 << (p % 64)) == 0 {
        return None;
    }
    PORTS
        .iter()
        .find(|(t, p, _)| *t == transport && *p == port)
        .map(|(_, _, proto)| *proto)
}

/// The ports of a datagram or segment in the order tshark tries them: the lower
/// first, then the higher (port 0 never, as tshark skips it), each once.
pub fn in_order(sport: u16, dport: u16) -> impl Iterator<Item = u16> {
    let (low, high) = if sport > dport {
        (dport, sport)
    } else {
        (sport, dport)
    };
    [Some(low), (high != low).then_some(high)]
        .into_iter()
        .flatten()
        .filter(|p| *p != 0)
}

/// The first protocol the ports name, in tshark's order.
pub fn by_ports(transport: Transport, sport: u16, dport: u16) -> Option<PortProto> {
    in_order(sport, dport).find_map(|p| lookup(transport, p))
}

/// Why a `-d` argument was refused, with tshark's message (the CLI adds the lists).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeAsError {
    /// No `==` (or `=`) and selector, or no comma.
    #[error(
        "Parameter \"{0}\" doesn't follow the template \"<layer_type>==<selector>,<decode_as_protocol>\""
    )]
    Template(String, Option<Transport>),
    /// A table synack (and tshark) has no such name for.
    #[error("Unknown layer type -- {0}")]
    UnknownLayer(String),
    /// The selector is not a number.
    #[error("Invalid selector number \"{0}\"")]
    Number(String),
    /// The selector is a malformed range.
    #[error("Invalid selector numeric range \"{0}\"")]
    Range(String),
    /// Nothing after the comma.
    #[error("No protocol name specified")]
    NoProtocol(Transport),
    /// A name no dissector has.
    #[error("Unknown protocol -- \"{0}\"")]
    UnknownProtocol(String, Transport),
    /// A dissector that does not register on this table.
    #[error("Protocol \"{0}\" isn't valid for layer type \"{1}\"")]
    WrongTable(String, &'static str, Transport),
}

impl DecodeAsError {
    /// The table whose valid protocols tshark lists after the message, if any.
    pub fn lists_protocols_of(&self) -> Option<Transport> {
        match self {
            DecodeAsError::Template(_, t) => *t,
            DecodeAsError::NoProtocol(t)
            | DecodeAsError::UnknownProtocol(_, t)
            | DecodeAsError::WrongTable(_, _, t) => Some(*t),
            _ => None,
        }
    }

    /// Whether tshark lists the valid layer types after the message.
    pub fn lists_layer_types(&self) -> bool {
        matches!(self, DecodeAsError::UnknownLayer(_))
    }
}

/// `(name, description)` of every protocol Decode As accepts on `transport`, sorted
/// as tshark lists them (aliases left out).
pub fn valid_protocols(transport: Transport) -> Vec<(&'static str, &'static str)> {
    let mut v: Vec<_> = NAMES
        .iter()
        .filter(|(name, _, proto, ts)| ts.contains(&transport) && proto.name() == *name)
        .map(|(name, desc, ..)| (*name, *desc))
        .collect();
    v.sort_unstable();
    v
}

/// `(name, description)` of the layer types `-d` accepts.
pub const LAYER_TYPES: &[(&str, &str)] = &[("tcp.port", "TCP port"), ("udp.port", "UDP port")];

/// The result of parsing one `-d`: the entry, and whether tshark warns that `=` was
/// written for `==`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parsed {
    /// The entry.
    pub entry: DecodeAs,
    /// `tcp.port=8888,http`: accepted with tshark's warning.
    pub single_equals: bool,
}

/// Parses `-d LAYER==SELECTOR,PROTOCOL` with tshark 4.0's rules: spaces around the
/// layer type and before the selector and the protocol are dropped, a selector is a
/// number (decimal, `0x` hex or `0` octal, up to 2^32 - 1), `A-B` or `A:COUNT`.
pub fn parse(arg: &str) -> Result<Parsed, DecodeAsError> {
    let template = |t| DecodeAsError::Template(arg.to_string(), t);
    let Some(eq) = arg.find('=') else {
        // tshark only names the template when the layer type itself is known.
        let layer = arg.split(',').next().unwrap_or("").trim();
        return Err(match transport_named(layer) {
            Some(t) => template(Some(t)),
            None => DecodeAsError::UnknownLayer(layer.to_string()),
        });
    };
    let layer = arg.get(..eq).unwrap_or("").trim();
    let mut rest = arg.get(eq + 1..).unwrap_or("");
    let single_equals = !rest.starts_with('=');
    if !single_equals {
        rest = rest.get(1..).unwrap_or("");
    }
    let transport =
        transport_named(layer).ok_or_else(|| DecodeAsError::UnknownLayer(layer.to_string()))?;
    let rest = rest.trim_start();
    let Some((selector, proto)) = rest.split_once(',') else {
        return Err(if rest.is_empty() {
            // tshark names both faults of `tcp.port==`; the template one decides.
            template(None)
        } else {
            template(Some(transport))
        });
    };
    let (first, last) = selector_range(selector)?;
    let name = proto.trim();
    if name.is_empty() {
        return Err(DecodeAsError::NoProtocol(transport));
    }
    let Some((_, _, proto, ts)) = NAMES.iter().find(|(n, ..)| *n == name) else {
        return Err(DecodeAsError::UnknownProtocol(name.to_string(), transport));
    };
    if !ts.contains(&transport) {
        return Err(DecodeAsError::WrongTable(
            name.to_string(),
            transport.table_name(),
            transport,
        ));
    }
    Ok(Parsed {
        entry: DecodeAs {
            transport,
            first,
            last,
            proto: *proto,
        },
        single_equals,
    })
}

fn transport_named(layer: &str) -> Option<Transport> {
    match layer {
        "udp.port" => Some(Transport::Udp),
        "tcp.port" => Some(Transport::Tcp),
        _ => None,
    }
}

/// `N`, `A-B` or `A:COUNT` as tshark's selector parser reads them.
fn selector_range(sel: &str) -> Result<(u32, u32), DecodeAsError> {
    let range_err = || DecodeAsError::Range(sel.to_string());
    if let Some((a, b)) = sel.split_once('-') {
        let (Some(a), Some(b)) = (number(a), number(b)) else {
            return Err(range_err());
        };
        return if a <= b { Ok((a, b)) } else { Err(range_err()) };
    }
    if let Some((a, n)) = sel.split_once(':') {
        let (Some(a), Some(n)) = (number(a), number(n)) else {
            return Err(range_err());
        };
        let last = n
            .checked_sub(1)
            .and_then(|n| a.checked_add(n))
            .ok_or_else(range_err)?;
        return Ok((a, last));
    }
    number(sel)
        .map(|n| (n, n))
        .ok_or_else(|| DecodeAsError::Number(sel.to_string()))
}

/// strtoul with base 0, whole string, no sign: `8888`, `0x22b8`, `010` (octal).
fn number(text: &str) -> Option<u32> {
    let (digits, radix) =
        if let Some(hex) = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
            (hex, 16)
        } else if text.len() > 1 && text.starts_with('0') {
            (text.get(1..)?, 8)
        } else {
            (text, 10)
        };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    u32::from_str_radix(digits, radix).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bitmap_finds_every_registered_port_and_no_other() {
        for transport in [Udp, Tcp] {
            for port in 0..=u16::MAX {
                let walked = PORTS
                    .iter()
                    .find(|(t, p, _)| *t == transport && *p == port)
                    .map(|(_, _, proto)| *proto);
                assert_eq!(table(transport, port), walked, "{transport:?} {port}");
            }
        }
    }

    #[test]
    fn table_matches_tsharks_order() {
        // Low port first: a reply from 137 to 5353 is NBNS, as in tshark.
        assert_eq!(by_ports(Udp, 5353, 137), Some(Nbns));
        assert_eq!(by_ports(Udp, 40000, 1900), Some(Ssdp));
        assert_eq!(by_ports(Tcp, 1900, 40000), Some(Http));
        assert_eq!(by_ports(Udp, 443, 40000), None);
        assert_eq!(in_order(0, 53).collect::<Vec<_>>(), vec![53]);
        assert_eq!(in_order(53, 53).collect::<Vec<_>>(), vec![53]);
    }

    #[test]
    fn parses_what_tshark_accepts() {
        let p = parse("tcp.port==8888,http").map(|p| p.entry);
        assert_eq!(
            p,
            Ok(DecodeAs {
                transport: Tcp,
                first: 8888,
                last: 8888,
                proto: Http
            })
        );
        let r = |s: &str| parse(s).map(|p| (p.entry.first, p.entry.last));
        assert_eq!(r("tcp.port==8888-8890,http"), Ok((8888, 8890)));
        assert_eq!(r("tcp.port==8888:3,http"), Ok((8888, 8890)));
        assert_eq!(r("tcp.port==0x22b8,http"), Ok((8888, 8888)));
        assert_eq!(r("tcp.port==010,http"), Ok((8, 8)));
        assert_eq!(r(" tcp.port == 8888, http "), Ok((8888, 8888)));
        assert_eq!(r("tcp.port==4294967295,http"), Ok((u32::MAX, u32::MAX)));
        assert_eq!(
            parse("tcp.port=8888,http").map(|p| p.single_equals),
            Ok(true)
        );
    }

    #[test]
    fn refuses_as_tshark_does() {
        let msg = |s: &str| parse(s).map(|_| ()).map_err(|e| e.to_string());
        assert_eq!(
            msg("tcp.port==8888"),
            Err("Parameter \"tcp.port==8888\" doesn't follow the template \"<layer_type>==<selector>,<decode_as_protocol>\"".into())
        );
        assert_eq!(
            msg("foo.port==1,http"),
            Err("Unknown layer type -- foo.port".into())
        );
        assert_eq!(
            msg("tcp.port==abc,http"),
            Err("Invalid selector number \"abc\"".into())
        );
        assert_eq!(
            msg("tcp.port==8888 ,http"),
            Err("Invalid selector number \"8888 \"".into())
        );
        assert_eq!(
            msg("tcp.port==4294967296,http"),
            Err("Invalid selector number \"4294967296\"".into())
        );
        assert_eq!(
            msg("tcp.port==1-2-3,http"),
            Err("Invalid selector numeric range \"1-2-3\"".into())
        );
        assert_eq!(
            msg("tcp.port==8888-8880,http"),
            Err("Invalid selector numeric range \"8888-8880\"".into())
        );
        assert_eq!(
            msg("tcp.port==1:0,http"),
            Err("Invalid selector numeric range \"1:0\"".into())
        );
        assert_eq!(
            msg("tcp.port==8888,"),
            Err("No protocol name specified".into())
        );
        assert_eq!(
            msg("tcp.port==8888,HTTP"),
            Err("Unknown protocol -- \"HTTP\"".into())
        );
        assert_eq!(
            msg("tcp.port==8888,8889,http"),
            Err("Unknown protocol -- \"8889,http\"".into())
        );
        assert_eq!(
            msg("udp.port==1,http"),
            Err("Protocol \"http\" isn't valid for layer type \"udp.port\"".into())
        );
        assert_eq!(
            msg("TCP.PORT==1,http"),
            Err("Unknown layer type -- TCP.PORT".into())
        );
    }
}
