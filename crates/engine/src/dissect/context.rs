//! What a dissector knows beyond the packet's own bytes: its place in the capture and
//! the results of the load-time analysis (TCP conversations, request/response pairs).
//!
//! The analysis itself lives in `crate::tcp`; it reaches the dissectors through the
//! [`Analysis`] trait so that `dissect` does not depend on `tcp`.

use super::ipv4::Addr;
use crate::capture::{Interface, PacketRecord};
use std::sync::Arc;

/// Bits of `TcpFrameInfo::flags`: tshark's `tcp.analysis.*` flags.
pub mod flag {
    /// `tcp.analysis.retransmission`
    pub const RETRANSMISSION: u32 = 1 << 0;
    /// `tcp.analysis.fast_retransmission`
    pub const FAST_RETRANSMISSION: u32 = 1 << 1;
    /// `tcp.analysis.spurious_retransmission`
    pub const SPURIOUS_RETRANSMISSION: u32 = 1 << 2;
    /// `tcp.analysis.out_of_order`
    pub const OUT_OF_ORDER: u32 = 1 << 3;
    /// `tcp.analysis.lost_segment`
    pub const LOST_SEGMENT: u32 = 1 << 4;
    /// `tcp.analysis.ack_lost_segment`
    pub const ACK_LOST_SEGMENT: u32 = 1 << 5;
    /// `tcp.analysis.duplicate_ack`
    pub const DUPLICATE_ACK: u32 = 1 << 6;
    /// `tcp.analysis.zero_window`
    pub const ZERO_WINDOW: u32 = 1 << 7;
    /// `tcp.analysis.zero_window_probe`
    pub const ZERO_WINDOW_PROBE: u32 = 1 << 8;
    /// `tcp.analysis.zero_window_probe_ack`
    pub const ZERO_WINDOW_PROBE_ACK: u32 = 1 << 9;
    /// `tcp.analysis.window_full`
    pub const WINDOW_FULL: u32 = 1 << 10;
    /// `tcp.analysis.window_update`
    pub const WINDOW_UPDATE: u32 = 1 << 11;
    /// `tcp.analysis.keep_alive`
    pub const KEEP_ALIVE: u32 = 1 << 12;
    /// `tcp.analysis.keep_alive_ack`
    pub const KEEP_ALIVE_ACK: u32 = 1 << 13;
    /// `tcp.analysis.reused_ports`
    pub const REUSED_PORTS: u32 = 1 << 14;
    /// Not a tshark flag: the first FIN of the conversation ("initiates the closing").
    pub const FIRST_FIN: u32 = 1 << 15;
    /// Not a tshark flag: the second FIN ("undergoes the closing").
    pub const SECOND_FIN: u32 = 1 << 16;
    /// The frame has an analysis record (`tcp.analysis` is present).
    pub const HAS_RECORD: u32 = 1 << 17;
    /// The TCP header was longer than the segment (a "short segment": no analysis).
    pub const SHORT_SEGMENT: u32 = 1 << 18;
    /// Every bit that counts for `tcp.analysis.flags`.
    pub const ANY_ANALYSIS: u32 = (1 << 15) - 1;
}

/// How the payload of a TCP segment was handed to an application dissector.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Pdu {
    /// No application protocol, or the segment was not passed up (retransmission).
    #[default]
    None,
    /// The whole payload is one or more complete PDUs of the protocol.
    Whole(AppProto),
    /// The payload starts a PDU (or continues one) that later segments finish:
    /// tshark shows "[TCP segment of a reassembled PDU]".
    Partial {
        /// Application protocol.
        proto: AppProto,
        /// The PDU starts in this segment (the application saw it and may have set
        /// the Info column), at this offset of the payload.
        starts_at: Option<u32>,
        /// A middle segment the application was handed again with all the PDU's bytes
        /// so far (it had asked for "one more segment", as HTTP does for a chunked
        /// body): the Info text it left, shown before "[TCP segment of a reassembled
        /// PDU]" (empty for TLS, which clears the column).
        shown: Option<std::sync::Arc<str>>,
    },
    /// The protocol's dissector declined the payload (an HTTP conversation captured
    /// mid-message): nothing is shown beyond TCP.
    Rejected(AppProto),
    /// A keep-alive whose byte lies inside a PDU already reassembled from several
    /// segments: tshark's reassembly refuses it with "New fragment overlaps old data
    /// (retransmission?)".
    Overlaps(AppProto),
    /// Whole PDUs up to `tail`, then the start of one that later segments finish.
    WholeThenPartial {
        /// Application protocol.
        proto: AppProto,
        /// Where the unfinished PDU starts in the payload.
        tail: u32,
    },
    /// This segment completes a PDU that began in `frames` (earlier frames, in order);
    /// `first_offset` is where the PDU starts in the first frame's payload.
    Completes {
        /// Application protocol.
        proto: AppProto,
        /// Earlier frames holding the start of the PDU.
        frames: Vec<u32>,
        /// Offset of the PDU in the first of those frames' payload.
        first_offset: u32,
        /// Bytes of this segment's payload the PDU takes (whole PDUs may follow).
        end: u32,
        /// Where an unfinished PDU starts in this payload, if one does.
        tail: Option<u32>,
    },
}

/// An application protocol over TCP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AppProto {
    /// HTTP/1.x.
    Http,
    /// TLS.
    Tls,
    /// DNS over TCP.
    Dns,
    /// NetBIOS Session Service (and the SMB it carries).
    Nbss,
    /// SSH: its banners and the key exchange's binary packets in clear.
    Ssh,
    /// TPKT (RFC 1006) on Remote Desktop's port, once a segment opened with a TPKT
    /// header: its PDUs by their length, other bytes as continuation.
    Tpkt,
    /// Kerberos on TCP: records of a 4-byte mark and a message.
    Kerberos,
}

/// What the load-time TCP analysis says about one frame.
#[derive(Debug, Clone, Default)]
pub struct TcpFrameInfo {
    /// `tcp.stream`.
    pub stream: u32,
    /// The sender's base sequence number (raw seq of relative 0).
    pub seq_base: u32,
    /// The receiver's base, when known (for the relative ack).
    pub ack_base: Option<u32>,
    /// Window scale shift in effect: -1 unknown, -2 no scaling, else the shift.
    pub window_shift: i8,
    /// Whether the receiver's first ACK was seen (window-full uses it).
    pub flags: u32,
    /// `tcp.completeness` as shown on this frame.
    pub completeness: u8,
    /// `tcp.analysis.acks_frame`.
    pub acks_frame: Option<u32>,
    /// `tcp.analysis.ack_rtt` in nanoseconds.
    pub ack_rtt_nanos: Option<i64>,
    /// `tcp.analysis.initial_rtt` in nanoseconds.
    pub initial_rtt_nanos: Option<i64>,
    /// `tcp.analysis.bytes_in_flight`.
    pub bytes_in_flight: Option<u32>,
    /// `tcp.analysis.push_bytes_sent`.
    pub push_bytes_sent: Option<u32>,
    /// `tcp.analysis.duplicate_ack_num`.
    pub dup_ack_num: Option<u32>,
    /// `tcp.analysis.duplicate_ack_frame`.
    pub dup_ack_frame: Option<u32>,
    /// `tcp.analysis.rto` in nanoseconds.
    pub rto_nanos: Option<i64>,
    /// `tcp.analysis.rto_frame`.
    pub rto_frame: Option<u32>,
    /// Time since the stream's first frame (`tcp.time_relative`).
    pub time_relative_nanos: i64,
    /// Time since the stream's previous frame (`tcp.time_delta`).
    pub time_delta_nanos: i64,
    /// The server port learned from the handshake, if any.
    pub server_port: Option<u16>,
    /// How the payload went to an application dissector.
    pub pdu: Pdu,
    /// The TLS version the conversation negotiated so far (from a ServerHello).
    pub tls_version: Option<u16>,
    /// An HTTP request was seen in the stream before this segment (tshark's "have
    /// seen HTTP"): without one, bytes that start no HTTP message set no column.
    pub http_request_seen: bool,
}

/// A TCP endpoint state of RFC 9293 section 3.3.2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TcpState {
    /// No connection.
    Closed,
    /// Waiting for a connection request.
    Listen,
    /// SYN sent, waiting for SYN+ACK.
    SynSent,
    /// SYN received, SYN+ACK sent, waiting for the ACK.
    SynReceived,
    /// Open.
    Established,
    /// FIN sent, waiting for its ACK or the peer's FIN.
    FinWait1,
    /// Our FIN acknowledged, waiting for the peer's FIN.
    FinWait2,
    /// The peer's FIN received, we may still send.
    CloseWait,
    /// Both FINs crossed, waiting for the ACK of ours.
    Closing,
    /// Our FIN sent after the peer's, waiting for its ACK.
    LastAck,
    /// Both FINs done, waiting out 2 MSL.
    TimeWait,
}

impl TcpState {
    /// RFC 9293's name, e.g. `FIN-WAIT-1`.
    pub fn name(self) -> &'static str {
        match self {
            TcpState::Closed => "CLOSED",
            TcpState::Listen => "LISTEN",
            TcpState::SynSent => "SYN-SENT",
            TcpState::SynReceived => "SYN-RECEIVED",
            TcpState::Established => "ESTABLISHED",
            TcpState::FinWait1 => "FIN-WAIT-1",
            TcpState::FinWait2 => "FIN-WAIT-2",
            TcpState::CloseWait => "CLOSE-WAIT",
            TcpState::Closing => "CLOSING",
            TcpState::LastAck => "LAST-ACK",
            TcpState::TimeWait => "TIME-WAIT",
        }
    }
}

/// A packet's place in its connection, for the `synack.*` teaching fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Teaching {
    /// `synack.step`: handshake-1, close-2+3, data, ack, reset, ...
    pub step: &'static str,
    /// The sender's state just after the packet.
    pub sender_state: TcpState,
    /// The receiver's state just after the packet.
    pub receiver_state: TcpState,
    /// `synack.relation`, e.g. `seq=y ack=x+1` (empty when the step has none).
    pub relation: String,
    /// `synack.explain`: one plain sentence.
    pub explain: String,
    /// The path's MSS: the smaller of the MSS options the two SYNs carried (the
    /// largest segment either side sends on the wire), when one was seen.
    pub path_mss: Option<u16>,
}

/// The parsed TCP header fields the analysis needs.
#[derive(Debug, Clone, Copy)]
pub struct TcpSegment<'a> {
    /// Source address.
    pub src: Addr,
    /// Destination address.
    pub dst: Addr,
    /// Source port.
    pub src_port: u16,
    /// Destination port.
    pub dst_port: u16,
    /// Raw sequence number.
    pub seq: u32,
    /// Raw acknowledgment number.
    pub ack: u32,
    /// The 12 flag bits.
    pub flags: u16,
    /// Raw window field.
    pub window: u16,
    /// Payload length from the IP-reported length (`tcp.len`).
    pub seglen: u32,
    /// Header length in bytes.
    pub hdr_len: u32,
    /// Window scale option shift, if present.
    pub wscale: Option<u8>,
    /// Maximum Segment Size option, if present (a SYN's tells the peer the largest
    /// segment this side takes).
    pub mss: Option<u16>,
    /// Total bytes covered by SACK blocks in this segment.
    pub sack_bytes: u32,
    /// The captured payload (may be shorter than `seglen`).
    pub payload: &'a [u8],
    /// Capture time.
    pub ts_nanos: i64,
}

/// Identifies an echo or a DNS transaction: (requester, responder, id, sequence).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TransactionKey {
    /// Protocol: 1 ICMP, 58 ICMPv6, 53 DNS.
    pub proto: u8,
    /// The requester's address.
    pub requester: Addr,
    /// The responder's address.
    pub responder: Addr,
    /// Identifier (echo id, DNS id).
    pub id: u16,
    /// Sequence (echo sequence; 0 for DNS).
    pub seq: u16,
    /// What else tshark keys the transaction by: for an echo, the checksum its reply
    /// carries (so a request and a reply that differ in more than their type, such
    /// as a scanner's probe with a nonzero code, are not paired); 0 otherwise.
    pub tag: u16,
}

/// Identifies the fragments of one IP datagram, as tshark keys its reassembly tables:
/// the addresses and the identification, plus the protocol for IPv4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FragmentKey {
    /// Source address.
    pub src: Addr,
    /// Destination address.
    pub dst: Addr,
    /// Identification (16 bits in IPv4, 32 in IPv6).
    pub id: u32,
    /// IPv4's protocol field (0 for IPv6, whose key leaves the next header out).
    pub proto: u8,
}

/// One IP fragment the network layer hands to the reassembly.
#[derive(Debug, Clone, Copy)]
pub struct FragmentIn<'a> {
    /// Which datagram it belongs to.
    pub key: FragmentKey,
    /// Where its bytes go in the datagram's payload.
    pub offset: u32,
    /// More fragments follow (IPv4's MF flag, IPv6's M flag).
    pub more: bool,
    /// Its payload, all captured.
    pub payload: &'a [u8],
    /// Where that payload starts in the frame.
    pub at: u32,
}

/// Bits of [`FragmentPart::flags`] and [`Reassembly::flags`]: what tshark flags in a
/// fragment list.
pub mod frag_flag {
    /// `*.fragment.overlap`: the fragment covers bytes an earlier one covered.
    pub const OVERLAP: u8 = 1;
    /// `*.fragment.overlap.conflict`: with other bytes.
    pub const CONFLICT: u8 = 2;
    /// `*.fragment.multipletails`: a second last fragment ending elsewhere.
    pub const MULTIPLE_TAILS: u8 = 4;
    /// `*.fragment.toolongfragment`: bytes past the end the last fragment set.
    pub const TOO_LONG: u8 = 8;
    /// The flags that make a fragment a `*.fragment.error` instead of a `*.fragment`.
    pub const ERRORS: u8 = CONFLICT | MULTIPLE_TAILS | TOO_LONG;
}

/// One fragment of a reassembled datagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FragmentPart {
    /// Its frame.
    pub frame: u32,
    /// Where its bytes go in the datagram's payload.
    pub offset: u32,
    /// How many bytes it carries.
    pub len: u32,
    /// Where they start in its frame.
    pub at: u32,
    /// [`frag_flag`] bits.
    pub flags: u8,
}

/// A datagram the current frame completes.
#[derive(Debug, Clone, Default)]
pub struct Reassembly {
    /// Its fragments in tshark's order (by offset, ties in arrival order).
    pub parts: Vec<FragmentPart>,
    /// The reassembled payload.
    pub data: Vec<u8>,
    /// [`frag_flag`] bits of any of its fragments.
    pub flags: u8,
}

/// An earlier ARP packet that bound an IPv4 address to another MAC address
/// (tshark's `arp.duplicate-address-detected`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ArpDuplicate {
    /// The frame that last showed the address with its first owner.
    pub frame: u32,
    /// That owner's MAC address.
    pub mac: [u8; 6],
    /// Seconds from that frame to this one.
    pub seconds: i64,
}

/// Per-capture results the dissectors consult. The load-time pass implements it by
/// computing and recording (through interior mutability) as each frame is dissected in
/// order; the finished analysis implements it by looking the recorded results up.
pub trait Analysis {
    /// TCP results for `frame` (1-based).
    fn tcp(&self, frame: u32, segment: &TcpSegment<'_>) -> Option<TcpFrameInfo>;
    /// Teaching fields for `frame`, if it is a TCP segment.
    fn teaching(&self, frame: u32, segment: &TcpSegment<'_>) -> Option<Teaching>;
    /// For a response, the request it answers; requests are recorded (and a second
    /// pass gives a request its response).
    fn transaction(&self, frame: u32, key: &TransactionKey, is_response: bool) -> Option<Linked>;
    /// For a frame that completes a reassembled PDU: the earlier parts of the PDU (the
    /// load pass hands them over once, to the frame's first call).
    fn pdu_parts(&self, frame: u32) -> Option<PduParts>;
    /// Adds an IP fragment of `frame` to its datagram; when `frame` completes the
    /// datagram, the datagram. (The finished analysis answers from its record.)
    fn fragment(&self, _frame: u32, _fragment: &FragmentIn<'_>) -> Option<Reassembly> {
        None
    }
    /// The captured bytes of an earlier `frame`, when this analysis can reach them
    /// (the finished analysis can; the load pass cannot and keeps what it needs).
    fn frame_bytes(&self, _frame: u32) -> Option<Vec<u8>> {
        None
    }
    /// The TCP payload of an earlier `frame`, when this analysis can reach it (as
    /// [`Analysis::frame_bytes`]).
    fn tcp_payload(&self, _frame: u32) -> Option<Vec<u8>> {
        None
    }
    /// For a TCP header quoted in an ICMP error of `frame`: the stream of its
    /// conversation and that conversation's completeness so far, as tshark shows them
    /// (it looks the conversation up but runs no analysis).
    fn quoted_tcp(&self, _frame: u32, _segment: &TcpSegment<'_>) -> Option<(u32, u8)> {
        None
    }
    /// For a DNS message the load found repeating an earlier one (asked after
    /// [`Analysis::transaction`]): the frame of the query or response it repeats.
    fn dns_retransmit(&self, _frame: u32) -> Option<u32> {
        None
    }
    /// An HTTP message's place among its TCP stream's requests and responses (the
    /// first pass records it from `message`; the finished analysis looks it up).
    fn http_link(&self, _frame: u32, _message: &HttpMessage<'_>) -> Option<HttpLink> {
        None
    }
    /// A UDP datagram's conversation (`udp.stream`) and, unless the header is quoted
    /// in an ICMP error (`quoted`: looked up, no times), its times in it.
    fn udp(&self, _frame: u32, _key: &UdpKey, _quoted: bool) -> Option<UdpInfo> {
        None
    }
    /// Whether QUIC takes the UDP datagram from `src` to `dst` (`payload`), and its
    /// connection: before the port table (`heuristic` false) when the conversation is
    /// QUIC's already, after it by QUIC's heuristic. `None`: not QUIC.
    fn quic(
        &self,
        _frame: u32,
        _src: (Addr, u16),
        _dst: (Addr, u16),
        _payload: &[u8],
        _heuristic: bool,
    ) -> Option<QuicDatagram> {
        None
    }
    /// A CRYPTO frame of an Initial packet (offset `offset`, `len` bytes) of QUIC
    /// connection `conn`, sent by the server when `from_server`: whether its bytes
    /// were all delivered before (tshark's "reused stream offset", whose bytes it does
    /// not hand to TLS again).
    fn quic_crypto_reused(
        &self,
        _frame: u32,
        _conn: u32,
        _from_server: bool,
        _offset: u64,
        _len: u64,
    ) -> bool {
        false
    }
    /// In a second pass (`dump -2`), the later frame `what` names for `frame`; the
    /// load pass and a single-pass reading know no later frame, as tshark's first pass.
    fn later(&self, _frame: u32, _what: Later) -> Option<u32> {
        None
    }
    /// An FTP control message: the analysis follows the working directory and the data
    /// connections it announces, and answers the directory current at `frame` (tshark's
    /// `ftp.current-working-directory`).
    fn ftp_control(&self, _frame: u32, _message: &FtpControl<'_>) -> Option<Arc<str>> {
        None
    }
    /// A request is noted (at capture time `ts_nanos`: an IMAP tagged line, an SNMP
    /// request); a response answers the last request with its `key`, as (frame, time).
    fn request_link(
        &self,
        _frame: u32,
        _key: &TransactionKey,
        _ts_nanos: i64,
        _is_response: bool,
    ) -> Option<(u32, i64)> {
        None
    }
    /// For a TCP segment with payload from `src` to `dst`: the FTP data connection it
    /// belongs to, as the control connection announced it so far.
    fn ftp_data(
        &self,
        _frame: u32,
        _src: (Addr, u16),
        _dst: (Addr, u16),
    ) -> Option<Arc<FtpDataLink>> {
        None
    }
    /// What an SMTP segment of TCP `stream` is by the session's state so far
    /// (tshark's: commands, message text after `DATA`, the end of the message with
    /// the text gathered since, or the answers to `AUTH LOGIN`'s prompts); a server's
    /// segment (`request` false) moves the session on and is a reply.
    fn smtp(&self, _frame: u32, _stream: u32, _payload: &[u8], _request: bool) -> Option<SmtpPdu> {
        None
    }
    /// What a POP segment of TCP `stream` is by the session's state so far (`request`:
    /// from the client): a reply or command, a DATA fragment of a retrieved message,
    /// or the segment that completes it, in SMTP's shapes (`own` is the whole payload).
    fn pop(&self, _frame: u32, _stream: u32, _payload: &[u8], _request: bool) -> Option<SmtpPdu> {
        None
    }
    /// An ARP packet of `frame` binds `ip` to `mac` (its sender's, or for a reply its
    /// target's when `target`): the earlier binding of `ip` to another MAC address, if
    /// any (tshark's duplicate address detection).
    fn arp_binding(
        &self,
        _frame: u32,
        _mac: [u8; 6],
        _ip: [u8; 4],
        _target: bool,
    ) -> Option<ArpDuplicate> {
        None
    }
    /// An SDP body of `frame` announces media streams: each becomes an RTP or RTCP
    /// conversation open to any peer (tshark's conversation with the second address
    /// and port left open), replacing an earlier announcement of the same socket.
    /// `carrier` is the packet's address pair.
    fn rtp_announce(&self, _frame: u32, _carrier: (Addr, Addr), _media: &[RtpAnnounce]) {}
    /// For a UDP datagram from `src` to `dst`: the RTP or RTCP conversation an SDP body
    /// announced earlier on one of its sockets.
    fn rtp(&self, _frame: u32, _src: (Addr, u16), _dst: (Addr, u16)) -> Option<Arc<RtpLink>> {
        None
    }
}

/// One socket an SDP body announces for media.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RtpAnnounce {
    /// The connection address (`c=`).
    pub addr: Addr,
    /// The media port (`m=`), or the port after it for RTCP.
    pub port: u16,
    /// What the conversation carries.
    pub link: Arc<RtpLink>,
}

/// An RTP or RTCP conversation as SDP or RTSP set it up (`rtp.setup`, `rtcp.setup`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RtpLink {
    /// The frame whose SDP announced it (`rtp.setup-frame`).
    pub setup_frame: u32,
    /// RTCP (the port after the media port), else RTP.
    pub rtcp: bool,
    /// The announced socket: the conversation's one known side (UDP numbers the
    /// conversation by it, whatever the peer).
    pub socket: (Addr, u16),
    /// The protocol that set it up (`rtp.setup-method`): `SDP` or `RTSP`.
    pub method: &'static str,
    /// Dynamic payload types the SDP's `a=rtpmap` lines name: (type, encoding name).
    pub names: Arc<[(u8, Box<str>)]>,
}

/// An SMTP client segment as the session's state classifies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SmtpPdu {
    /// Command lines.
    Command,
    /// Message text after `DATA`, before the line that ends it (a DATA fragment).
    Message,
    /// The segment with the end-of-message line (`.`).
    Eom {
        /// The earlier fragments of the message (the load pass leaves out the bytes
        /// past [`SMTP_MESSAGE_BYTES`]).
        parts: PduParts,
        /// How many bytes of this segment precede the end-of-message line.
        own: u32,
        /// The length of the end-of-message line, its line ending left out.
        line: u32,
    },
    /// The client's answer to the server's username prompt (`334` after `AUTH LOGIN`).
    AuthUser,
    /// The client's answer to the server's password prompt (the next `334`).
    AuthPass,
}

/// The earlier parts of a PDU or message that a later segment completes: each part's
/// frame and length, and their bytes joined in order. One buffer rather than one per
/// part: a completed PDU's bytes are appended to as they come and handed on whole,
/// never copied again part by part.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PduParts {
    /// Each part's frame and how many bytes of `bytes` it gave, in order.
    pub parts: Vec<(u32, usize)>,
    /// The parts' bytes, one after another.
    pub bytes: Vec<u8>,
}

impl PduParts {
    /// Appends `frame`'s `bytes` as the next part.
    pub fn push(&mut self, frame: u32, bytes: &[u8]) {
        self.parts.push((frame, bytes.len()));
        self.bytes.extend_from_slice(bytes);
    }

    /// The parts' frames, in order.
    pub fn frames(&self) -> Vec<u32> {
        self.parts.iter().map(|(f, _)| *f).collect()
    }

    /// The whole PDU, this segment's `own` bytes (frame `number`) after the parts',
    /// and each part as (frame, offset in the whole, length); `own` is no part when
    /// empty.
    pub fn complete(self, number: u32, own: &[u8]) -> (Vec<u8>, Vec<(u32, usize, usize)>) {
        let mut placed = Vec::with_capacity(self.parts.len() + 1);
        let mut at = 0usize;
        for (frame, len) in self.parts {
            placed.push((frame, at, len));
            at = at.saturating_add(len);
        }
        let mut whole = self.bytes;
        if !own.is_empty() {
            placed.push((number, whole.len(), own.len()));
            whole.extend_from_slice(own);
        }
        (whole, placed)
    }
}

/// Most bytes of one SMTP message the load pass keeps while it waits for its end.
pub const SMTP_MESSAGE_BYTES: usize = 16 * 1024 * 1024;

/// A UDP conversation: its two sockets, lower first (either direction is the same
/// conversation, as in tshark).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UdpKey {
    /// The lower socket.
    pub a: (Addr, u16),
    /// The higher socket.
    pub b: (Addr, u16),
}

impl UdpKey {
    /// The conversation of a datagram from `src` to `dst`.
    pub fn new(src: (Addr, u16), dst: (Addr, u16)) -> UdpKey {
        let (a, b) = if src <= dst { (src, dst) } else { (dst, src) };
        UdpKey { a, b }
    }
}

/// A QUIC connection as tshark's tracking knows it when a datagram arrives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuicConn {
    /// The server sent the datagram.
    pub from_server: bool,
    /// Length of the client's first Source Connection ID (the DCID of the server's
    /// short headers).
    pub client_cid_len: u8,
    /// Length of the server's first Source Connection ID.
    pub server_cid_len: u8,
    /// The DCID the connection's Initial keys derive from (the client's first).
    pub initial_dcid: Option<Arc<[u8]>>,
    /// The connection's version (the client's first Initial's, or the server's
    /// Initial's when it differs): the Initial keys' salt.
    pub version: u32,
    /// tshark's connection number (`quic.connection.number`): connections in the
    /// order their first Initial came.
    pub number: u32,
    /// The datagram is the connection's first with a short header: the one where
    /// tshark, without 1-RTT secrets, gives up decrypting the connection (and says so).
    pub first_short: bool,
}

/// A UDP datagram QUIC takes, and its connection if one is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuicDatagram {
    /// The connection, when the datagram belongs to one.
    pub conn: Option<QuicConn>,
}

/// What UDP shows of its conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UdpInfo {
    /// `udp.stream`.
    pub stream: u32,
    /// `udp.time_relative` and `udp.time_delta` (none for a quoted header).
    pub times: Option<(i64, i64)>,
}

/// The other message of a request/response pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Linked {
    /// Its frame.
    pub frame: u32,
    /// Its capture time (for `dns.time`, `icmp.resptime`).
    pub ts_nanos: i64,
}

/// What a second pass knows of later frames (tshark's `-2`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Later {
    /// The response to this request (`dns.response_in`, `icmp.resp_in`).
    Response,
    /// The frame that completes the TCP PDU this segment starts or continues
    /// (`tcp.reassembled_in`).
    ReassembledPdu,
    /// The frame that completes the IP datagram this fragment belongs to
    /// (`ip.reassembled_in`, `ipv6.reassembled.in`).
    ReassembledDatagram,
    /// The frame that ends the SMTP message this DATA fragment belongs to
    /// (`smtp.data.reassembled.in`).
    SmtpMessage,
}

/// What the FTP dissector tells the analysis about a control segment's first line.
#[derive(Debug, Clone, Copy)]
pub struct FtpControl<'m> {
    /// The control connection's `tcp.stream`.
    pub stream: u32,
    /// A request (else a response).
    pub request: bool,
    /// The first line, without its end of line.
    pub line: &'m [u8],
    /// A response's code.
    pub code: Option<u32>,
    /// The data connection the message announces, if it names one.
    pub announces: Option<FtpExpect>,
}

/// A data connection an FTP control message announces, as tshark keys its conversation:
/// one endpoint exact, the other's port left open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FtpExpect {
    /// The first endpoint.
    pub a: (Addr, u16),
    /// The second endpoint's address (any port).
    pub b: Addr,
    /// `PASV`, `EPASV`, `PORT` or `EPRT`: how it was set up (`ftp-data.setup-method`).
    pub method: &'static str,
}

/// What the FTP data dissector shows of its connection (`ftp-data.*`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FtpDataLink {
    /// The frame that announced the connection (`ftp-data.setup-frame`).
    pub setup_frame: u32,
    /// `ftp-data.setup-method`.
    pub method: &'static str,
    /// The command the data answers and its frame, once the control connection sent one.
    pub command: Option<(Arc<str>, u32)>,
    /// The working directory when the connection was announced.
    pub cwd: Arc<str>,
}

/// What the HTTP dissector tells the analysis about one message.
#[derive(Debug, Clone, Copy)]
pub struct HttpMessage<'m> {
    /// `tcp.stream`.
    pub stream: u32,
    /// A response (else a request).
    pub is_response: bool,
    /// Capture time of the frame.
    pub ts_nanos: i64,
    /// A request's full URI (`http://host/path`).
    pub uri: Option<&'m [u8]>,
}

/// A message's links to the other messages of its conversation, as tshark's single
/// pass knows them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HttpLink {
    /// The message's number among the stream's requests (or responses), from 1.
    pub number: u32,
    /// `http.prev_request_in`.
    pub prev_request: Option<u32>,
    /// `http.prev_response_in`.
    pub prev_response: Option<u32>,
    /// For a response: `http.request_in`.
    pub request_in: Option<u32>,
    /// For a response: its request's capture time (`http.time`).
    pub request_ts_nanos: Option<i64>,
    /// For a response: `http.response_for.uri`.
    pub request_uri: Option<Box<[u8]>>,
    /// A response (else a request).
    pub is_response: bool,
    /// Second pass only: the stream's number of messages of this kind (`[HTTP request 1/3]`).
    pub total: Option<u32>,
    /// Second pass only, for a request: `http.response_in`.
    pub response_in: Option<u32>,
    /// Second pass only: `http.next_request_in`.
    pub next_request: Option<u32>,
    /// Second pass only, for a response: `http.next_response_in`.
    pub next_response: Option<u32>,
}

/// Where a packet sits in the capture.
#[derive(Clone, Copy)]
pub struct PacketContext<'c> {
    /// Frame number, 1-based.
    pub number: u32,
    /// The index record.
    pub record: PacketRecord,
    /// Its interface.
    pub iface: &'c Interface,
    /// Timestamp of the first packet.
    pub first_ts_nanos: i64,
    /// Timestamp of the previous captured packet (itself for the first).
    pub prev_ts_nanos: i64,
    /// Timestamp of the previously displayed packet.
    pub prev_displayed_ts_nanos: i64,
    /// Load-time analysis, when available.
    pub analysis: Option<&'c dyn Analysis>,
    /// Whether the packet is marked by the user.
    pub marked: bool,
    /// The preferences in force (`-o`).
    pub prefs: crate::prefs::Prefs,
}

impl std::fmt::Debug for PacketContext<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PacketContext")
            .field("number", &self.number)
            .field("record", &self.record)
            .finish_non_exhaustive()
    }
}
