//! Protocol dissectors: bytes in, a field tree (with Wireshark's field names, values,
//! labels and byte ranges) and the summary columns out.
//!
//! [`dissect_packet`] is the entry point; [`Dissection`] says which fields to keep.
//! Each protocol lives in its own module with its field table.

#![deny(clippy::indexing_slicing)]

pub mod apps;
pub mod arp;
pub mod cdp;
pub mod chdlc;
pub mod checksum;
pub mod context;
pub mod data;
pub mod db_lsp_disc;
pub mod dhcp;
pub mod dhcpv6;
pub mod dns;
pub mod eap;
pub mod eapol;
pub mod ethernet;
pub mod ethertype_names;
pub mod field;
mod field_set;
pub mod format_text;
pub mod fragments;
pub mod frame;
pub mod ftp;
pub mod ftp_data;
pub mod gif;
pub mod gquic;
pub mod hsrp;
pub mod http;
mod http_body;
pub mod icmp;
pub mod icmp_ext;
pub mod icmpv6;
pub mod ieee1905;
pub mod ieee80211;
pub mod ieee80211_codes;
pub mod ieee80211_mgt;
pub mod igmp;
pub mod imap;
pub mod imf;
pub mod ip_protocols;
pub mod ipv4;
pub mod ipv6;
pub mod ipx;
pub mod jfif;
pub mod jfif_exif;
pub mod lines;
pub mod links;
pub mod llc;
pub mod lldp;
pub mod loopback;
pub mod media;
pub mod multipart;
pub mod nat_pmp;
pub mod nbdgm;
pub mod nbns;
pub mod nbss;
pub mod netbios;
mod node;
pub mod ntp;
pub mod null;
pub mod ocsp;
mod packet;
pub mod png;
pub mod pop;
pub mod ports;
pub mod ppi;
pub mod quic;
mod quic_frames;
mod quic_keys;
pub mod quic_tp;
pub mod quoted;
pub mod radiotap;
pub mod raw;
pub mod registry;
pub mod rip;
pub mod route;
pub mod rtcp;
pub mod rtp;
pub mod rtsp;
pub mod sdp;
pub mod sip;
pub mod sll;
pub mod smb;
pub mod smb2;
pub mod smb_codes;
pub mod smb_netlogon;
pub mod smb_status;
pub mod smtp;
pub mod snmp;
pub mod ssdp;
pub mod ssh;
pub mod stp;
pub mod stun;
pub mod tcp;
mod tcp_analysis;
mod tcp_options;
pub mod teach;
pub mod telnet;
#[cfg(test)]
pub mod testing;
pub mod tftp;
pub mod time;
pub mod tls;
pub mod tls_codes;
pub mod tls_hello;
pub mod tree;
pub mod tunnel;
pub mod udp;
pub mod udpencap;
pub mod value;
pub mod vlan;
pub mod wlan_radio;
pub mod ws;
pub mod x509;

pub use context::{Analysis, PacketContext, TcpFrameInfo, TcpSegment, TcpState, Teaching};
pub use field::{FieldDef, FieldId};
pub use packet::{
    cut_header, dissect_packet, expert_malformed, malformed, short, truncated, view_or_cut,
};
pub use tcp_analysis::completeness_text;
pub use tree::{Dissection, Expert, FieldSet, Node, Severity, Want};
pub use value::Value;
