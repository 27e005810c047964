//! `synack flow --list`: one tab-separated line per TCP connection with its badge and
//! notes, for every test capture. Each expectation says why, from the packets as
//! `tshark -r F -Y tcp` shows them (stream, frame, flags). Packets and durations were
//! checked against tshark's `tcp.stream` and `frame.time_epoch` (first to last frame
//! of the stream, truncated to microseconds).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::*;

const HEADER: &str = "stream\tclient\tserver\tpackets\tduration\tbadge\tnotes\n";

/// (capture, the lines after the header).
const EXPECTED: &[(&str, &str)] = &[
    // UDP and ICMP only: the header and nothing else.
    ("dns_udp.pcap", ""),
    ("dns_retransmissions.pcapng", ""),
    ("icmp_arp_ping.pcap", ""),
    ("gquic.pcap", ""),
    ("ntp-control.pcap", ""),
    ("ntp-mode7.pcap", ""),
    ("ntp.pcap", ""),
    ("quic_handshake.pcap", ""),
    ("quic_retry.pcap", ""),
    ("quic_vn.pcap", ""),
    ("quic_handshake_truncated.pcap", ""),
    ("icmp_extensions.pcapng", ""),
    ("mpls_traceroute_ppp.pcap", ""),
    ("tftp.pcap", ""),
    ("ikev2four.pcap", ""),
    ("isakmp4500.pcap", ""),
    ("syslog_udp.pcap", ""),
    // ERSPAN in GRE: mirrored frames without TCP.
    ("erspan-type-i-3.pcap", ""),
    ("erspan-type-ii-1.pcap", ""),
    ("erspan-type-iii-ft-0.pcap", ""),
    // PTP over Ethernet and UDP.
    ("ptp_ethernet.pcap", ""),
    ("ptp_udp.pcap", ""),
    ("ptp_management.pcap", ""),
    // PPP links and PPPoE: no TCP in them.
    ("mlppp_cut.pcap", ""),
    ("ppp_chap.pcapng", ""),
    ("ppp_hdlc_control.pcap", ""),
    ("pppoe.pcap", ""),
    ("pppoes.pcap", ""),
    ("igmp_v2.pcap", ""),
    ("igmpv3-queries.pcap", ""),
    ("dhcp-rfc3004.pcap", ""),
    ("dhcpv6-ia-pd.pcap", ""),
    ("ip_fragments.pcap", ""),
    ("ip_fragments_odd.pcap", ""),
    // One SYN 9 into an unreachable route; the ICMP error 10 quoting it finds the
    // conversation (tshark gives it stream 0) but is not one of its segments.
    (
        "icmp_errors.pcap",
        "0\t10.20.1.1:46270\t10.20.9.9:80\t1\t0.000000\tsyn-only\t-\n",
    ),
    ("lan_chatter.pcap", ""),
    ("stp_bridge.pcap", ""),
    ("ppi.pcap", ""),
    ("arp_duplicate.pcapng", ""),
    ("udpencap_keepalive.pcapng", ""),
    ("dropbox_lsp_disc.pcapng", ""),
    ("stun_natpmp.pcapng", ""),
    ("netbios_llc.pcap", ""),
    // One segment cut from a longer connection: mid-stream.
    (
        "ftp_binary_request.pcapng",
        "0\t192.168.110.132:38566\t192.168.110.130:21\t1\t0.000000\tmid-stream\t-\n",
    ),
    // The first 11 frames of an SSH session: no close yet.
    (
        "ssh_kex_split.pcapng",
        "0\t192.168.200.1:34850\t192.168.200.10:22\t11\t0.014412\tno-close\t-\n",
    ),
    // A download captured mid-transfer (kannaammulu25's course capture, stream 1):
    // no handshake, no close, 32 segments from 146.75.118.172:80 first.
    (
        "http_midtransfer.pcapng",
        "0\t146.75.118.172:80\t192.168.226.9:62930\t32\t2.540308\tmid-stream\t-\n",
    ),
    // A TLS download captured mid-session (WaliMuhammadAhmad's UDP lab, frames
    // 622-662 of stream 1): 41 segments, the server's first.
    (
        "tls_sslv2_midsession.pcapng",
        "0\t20.207.73.82:443\t192.168.172.125:55015\t41\t0.613583\tmid-stream\t-\n",
    ),
    // An SSLv2 Client Hello and the SSLv3 answer's first segments: no close.
    (
        "sslv2_client_hello.pcap",
        "0\t128.238.38.162:2271\t216.75.194.220:443\t8\t0.056046\tno-close\t-\n",
    ),
    // An SMB2 request and its answer cut from a longer session.
    (
        "smb2_dfs_referral.pcapng",
        "0\t192.168.1.181:54422\t192.168.1.195:445\t2\t0.000307\tmid-stream\t-\n",
    ),
    // nmap's three SSH probes, each closed by both sides.
    (
        "ssh_nmap_probes.pcapng",
        "0\t192.168.110.132:55944\t192.168.110.130:22\t13\t0.028593\tcomplete\t-\n\
         1\t192.168.110.132:55948\t192.168.110.130:22\t13\t0.019744\tcomplete\t-\n\
         2\t192.168.110.132:55958\t192.168.110.130:22\t14\t0.376060\tcomplete\t-\n",
    ),
    // SYN 1, SYN+ACK 2, the SSH session, then the client's FIN 47 (Seq=5282, its last
    // data 5186..5282 lost and resent with the FIN in 49), the server's ACK 51 of
    // 5283 = FIN + 1, the server's FIN 52 and the client's ACK 53 of 3313: both FINs
    // sent and acknowledged, no RST.
    (
        "ssh.pcap",
        "0\t202.108.87.165:62146\t223.132.53.222:22\t54\t0.575377\tcomplete\t-\n",
    ),
    // Stream 0: SYN 1, SYN+ACK 2, ACK 3, data, then FIN 6 (client) and FIN+ACK 7 whose
    // Ack=7 acknowledges FIN 6: the second FIN carries the first one's ACK, so the close
    // takes three packets. Frame 9 (a dup ACK after the close) changes nothing.
    // Stream 1: SYN 10 with a new ISN on the same 4-tuple (tshark: "Port numbers
    // reused", so a new stream), SYN 11 retransmitted with the same ISN, SYN+ACK 12, ACK
    // 13, then nothing: no FIN, no RST.
    // Stream 2: data 14 from port 81, ACK 15, RST 16: no SYN and no SYN+ACK, so the
    // opening was not seen; the client is the first frame's sender, as tshark's
    // conversation table puts it (address A), since no SYN says who opened.
    // Stream 3: SYN 17, RST+ACK 18 from port 82: nobody listened there.
    // Stream 4: one PSH without ACK (frame 19) and nothing else.
    (
        "gen1.pcap",
        "0\t10.0.0.1:40000\t10.0.0.2:80\t9\t0.080000\tcomplete\tthree-packet-close\n\
         1\t10.0.0.1:40000\t10.0.0.2:80\t4\t1.020000\tno-close\tsyn-retransmitted,ports-reused\n\
         2\t10.0.0.2:81\t10.0.0.1:40001\t3\t0.020000\tmid-stream\t-\n\
         3\t10.0.0.1:40002\t10.0.0.2:82\t2\t0.010000\trefused\t-\n\
         4\t10.0.0.1:40003\t10.0.0.2:83\t1\t0.000000\tmid-stream\t-\n",
    ),
    // SYN 1, SYN+ACK 2, the analysis zoo (lost segments, dup ACKs, retransmissions,
    // zero window), FIN 27 and FIN+ACK 28 with Ack=3702 = FIN 27's seq + 1.
    (
        "gen2.pcap",
        "0\t10.0.0.1:1000\t10.0.0.2:80\t29\t2.232000\tcomplete\tthree-packet-close\n",
    ),
    // Stream 0 starts at the SYN+ACK 1 from port 80 (the SYN is not in the capture), so
    // its receiver 10.0.0.1:2000 is the client; ACK 2, then SYN+ACK 3 with another ISN
    // (tshark: "Port numbers reused", same stream). No FIN or RST.
    // Stream 1: an ACK and data from the middle of a connection.
    (
        "gen3.pcap",
        "0\t10.0.0.1:2000\t10.0.0.2:80\t3\t0.020000\tno-close\tpartial-handshake,ports-reused\n\
         1\t10.0.0.2:81\t10.0.0.1:2001\t2\t0.010000\tmid-stream\t-\n",
    ),
    // Stream 0: SYN 7, SYN+ACK 8, three requests, FIN 26 from the client and FIN+ACK
    // 27 acknowledging it (Ack=269 = 268 + 1). Stream 1: SYN 29, SYN+ACK 30, the
    // server's FIN 38 first, the client's FIN+ACK 39 acknowledging it (Ack=522).
    (
        "http_keepalive.pcap",
        "0\t10.10.0.1:33600\t10.10.0.2:15759\t22\t0.047611\tcomplete\tthree-packet-close\n\
         1\t10.10.0.1:33610\t10.10.0.2:15759\t12\t0.001331\tcomplete\tthree-packet-close\n",
    ),
    // The same connection as tcp_clean_close, recorded on `any` (SLL2): SYN 9,
    // SYN+ACK 10, FIN 16, FIN+ACK 17 acknowledging it, ACK 18.
    (
        "linux_cooked_any.pcap",
        "0\t10.10.0.1:45268\t10.10.0.2:26878\t10\t0.104124\tcomplete\tthree-packet-close\n",
    ),
    // SYN 7, SYN+ACK 8, FIN 14, FIN+ACK 15 acknowledging it, ACK 16.
    (
        "multi_iface.pcapng",
        "0\t10.10.0.1:54672\t10.10.0.2:53689\t10\t0.104815\tcomplete\tthree-packet-close\n",
    ),
    // SYN 8, SYN+ACK 9, ACK 10, a request and its reply, then the client's RST+ACK 15
    // (SO_LINGER 0): an abort after the handshake, no FIN at all.
    (
        "tcp_abort_rst.pcap",
        "0\t10.10.0.1:54302\t10.10.0.2:54577\t8\t0.000793\treset\t-\n",
    ),
    // SYN 9, SYN+ACK 10, ACK 11, request 12, reply 14, FIN 16 from the client, FIN+ACK
    // 17 from the server with Ack=20 = FIN 16's seq 19 + 1, ACK 18.
    (
        "tcp_clean_close.pcap",
        "0\t10.10.0.1:59804\t10.10.0.2:10805\t10\t0.104131\tcomplete\tthree-packet-close\n",
    ),
    // SYN 10, SYN+ACK 11, the client's FIN 15 (shutdown of its sending side), then the
    // server still sends data (16, 18, 20, acknowledging the FIN with Ack=9) before
    // its own FIN 23: a half-close. Not three packets: the server's ACK of FIN 15 came
    // with its data, before its FIN.
    (
        "tcp_half_close.pcap",
        "0\t10.10.0.1:45958\t10.10.0.2:52054\t14\t0.151606\tcomplete\thalf-close\n",
    ),
    // IPv6 (sockets in brackets): SYN 9, SYN+ACK 10, FIN 16, FIN+ACK 17 acknowledging
    // it, ACK 18.
    (
        "tcp_ipv6.pcapng",
        "0\t[fd00::1]:44970\t[fd00::2]:6135\t10\t0.101094\tcomplete\tthree-packet-close\n",
    ),
    // The head of a bulk upload: SYN 8, SYN+ACK 9, then data and ACKs;
    // the capture was cut before any FIN or RST.
    (
        "tcp_lossy_bulk_head.pcap",
        "0\t10.10.0.1:54726\t10.10.0.2:51870\t693\t0.004244\tno-close\t-\n",
    ),
    // Nanosecond timestamps (the duration is still truncated to microseconds): SYN 8,
    // SYN+ACK 9, FIN 15, FIN+ACK 16 acknowledging it, ACK 17.
    (
        "tcp_nanosecond.pcap",
        "0\t10.10.0.1:55184\t10.10.0.2:32949\t10\t0.102727\tcomplete\tthree-packet-close\n",
    ),
    // Recorded on a veth pair with TSO/GSO on: SYN 1, SYN+ACK 2, ACK 3, six large
    // segments (4 to 13) and their ACKs, the client's FIN 14, the server's ACK 15 of
    // 102602 = FIN 14's seq + 1, its own FIN 16 and the client's ACK 17: a four-packet
    // close, no RST.
    (
        "tcp_tso_gso.pcap",
        "0\t10.77.0.1:35976\t10.77.0.2:5001\t17\t0.003889\tcomplete\t-\n",
    ),
    // SYN 6 to port 57537, RST+ACK 7 from it: refused.
    (
        "tcp_refused.pcap",
        "0\t10.10.0.1:57192\t10.10.0.2:57537\t2\t0.000012\trefused\t-\n",
    ),
    // The server's FIN 15 first; the client's FIN+ACK 16 acknowledges it (Ack=45 =
    // 44 + 1). The client is still the SYN's sender.
    (
        "tcp_server_closes_first.pcapng",
        "0\t10.10.0.1:53508\t10.10.0.2:39303\t10\t0.000865\tcomplete\tthree-packet-close\n",
    ),
    // The server's FIN 15 (Seq=18) and the client's FIN 16 with Ack=18: the client's
    // FIN does not acknowledge the server's, so the two crossed on the wire
    // (simultaneous close; both ends pass through CLOSING). ACKs 17 and 18 follow.
    (
        "tcp_simultaneous_close.pcap",
        "0\t10.10.0.1:38900\t10.10.0.2:10805\t11\t0.300511\tcomplete\tsimultaneous-close\n",
    ),
    // Snap length 96, the head of the file: SYN 9, SYN+ACK 10, bulk data, cut before any
    // FIN or RST. (Truncated frames still count their bytes on the wire.)
    (
        "tcp_snaplen_96_head.pcap",
        "0\t10.10.0.1:59156\t10.10.0.2:44702\t192\t0.001960\tno-close\t-\n",
    ),
    // The first packets of the zero-window recording: SYN 8, SYN+ACK 9, data, window
    // full and zero windows, cut before the close.
    (
        "tcp_zero_window_head.pcap",
        "0\t10.10.0.1:39888\t10.10.0.2:34468\t391\t3.770304\tno-close\t-\n",
    ),
    // TLS: the server's FIN 18 first; the client then sends 24 bytes (its close_notify
    // alert, frame 19, which acknowledges FIN 18 with Ack=1887) before its own FIN 20:
    // data after the peer's FIN is a half-close. ACK 21 ends it.
    (
        "tls_sni.pcapng",
        "0\t10.10.0.1:37446\t10.10.0.2:56772\t16\t0.003532\tcomplete\thalf-close\n",
    ),
    // The clean close with an 802.1Q tag on every frame: the tag changes nothing.
    (
        "vlan_tagged.pcap",
        "0\t10.10.0.1:50830\t10.10.0.2:27546\t10\t0.105979\tcomplete\tthree-packet-close\n",
    ),
    // Application captures of tests/gen-app-captures.py (MTU 600): each a
    // handshake, requests and replies, then FIN, FIN+ACK and the last ACK.
    (
        "http_media.pcap",
        "0\t10.20.0.1:45678\t10.20.0.2:80\t38\t0.176898\tcomplete\tthree-packet-close\n",
    ),
    (
        "http_auth_cond.pcap",
        "0\t10.20.0.1:45684\t10.20.0.2:80\t17\t0.046523\tcomplete\tthree-packet-close\n\
         1\t10.20.0.1:45686\t10.20.0.2:80\t10\t0.001282\tcomplete\tthree-packet-close\n",
    ),
    (
        "http_post.pcap",
        "0\t10.20.0.1:45700\t10.20.0.2:80\t28\t0.006684\tcomplete\tthree-packet-close\n",
    ),
    // http_post.pcap from its 6th frame: no SYN, so the opening was not seen.
    (
        "http_midstream.pcap",
        "0\t10.20.0.1:45700\t10.20.0.2:80\t23\t0.006562\tmid-stream\tthree-packet-close\n",
    ),
    // An HTTP/1.0 POST answered by a response without Content-Length, closed by
    // the server's FIN (5 packets), then the client's FIN and the last ACK.
    (
        "http10_until_fin.pcap",
        "0\t128.238.38.162:2282\t199.243.163.108:80\t9\t0.132677\tcomplete\t-\n",
    ),
    (
        "pop_session.pcap",
        "0\t10.20.0.1:45580\t10.20.0.2:110\t21\t0.001024\tcomplete\tthree-packet-close\n",
    ),
    // The NetBIOS session of the Kurose-Ross HTTP lab trace: SMB over TCP 139.
    (
        "nbss_smb_lab.pcap",
        "0\t192.168.1.100:3019\t192.168.1.102:139\t33\t0.010216\tcomplete\tthree-packet-close\n",
    ),
    // An SMB2 session built by tests/gen-smb2.py: handshake, no FIN.
    (
        "smb2_session.pcap",
        "0\t10.0.0.1:50000\t10.0.0.2:445\t29\t0.028000\tno-close\t-\n",
    ),
    // The same session cut and joined into other segments (tests/gen-nbss-split.py).
    (
        "nbss_smb_split.pcap",
        "0\t192.168.1.100:3019\t192.168.1.102:139\t36\t0.010216\tcomplete\tthree-packet-close\n",
    ),
    (
        "smtp_session.pcap",
        "0\t10.20.0.1:57388\t10.20.0.2:25\t24\t0.005083\tcomplete\tthree-packet-close\n",
    ),
    // Seven public course traces cut and joined (tests/captures.md). Stream 0: SYN,
    // SYN+ACK, two requests and a chunked response still running when the cut ends (no
    // FIN); 1: SYN and SYN+ACK only, then nothing; 2: a WebSocket stream joined
    // mid-way (no SYN: the first sender, port 80, is the client); 3: SMTP whose server
    // FIN+ACK answers the client's FIN (three packets); 4: IMAP turned TLS, cut before
    // any FIN; 5: a TLS download joined mid-way; 6: SMTP closed by both FINs; 7: a POP
    // retrieval joined mid-way.
    (
        "course_segments.pcapng",
        "0\t192.168.122.145:49328\t45.32.238.202:80\t29\t2.804293\tno-close\t-\n\
         1\t192.168.122.145:49329\t45.32.238.202:80\t3\t0.632937\tno-close\t-\n\
         2\t172.16.1.2:80\t172.16.1.1:52428\t12\t0.002551\tmid-stream\t-\n\
         3\t172.16.16.221:56694\t172.16.16.231:25\t15\t0.015729\tcomplete\tthree-packet-close\n\
         4\t172.16.16.235:51147\t172.16.16.231:143\t39\t0.555878\tno-close\t-\n\
         5\t10.0.0.44:53955\t23.38.112.64:443\t35\t0.022962\tmid-stream\t-\n\
         6\t172.16.16.225:50593\t172.16.16.221:25\t58\t0.071765\tcomplete\t-\n\
         7\t12.234.13.202:1567\t161.58.73.170:110\t12\t0.096135\tmid-stream\t-\n",
    ),
    // A HelloRetryRequest session of a student's lab capture, cut before its FIN.
    (
        "tls13_hello_retry.pcapng",
        "0\t192.168.0.6:44960\t204.79.197.222:443\t48\t47.704230\tno-close\t-\n",
    ),
    // Only IEEE 1905.1 messages: no TCP stream.
    ("ieee1905_topology.pcapng", ""),
    // Linux cooked frames of EtherType 0x2e00 and ARP: no TCP stream.
    ("sll_any_chatter.pcapng", ""),
    // UDP pinger datagrams read as LLC: no TCP stream.
    ("udp_pinger_llc.pcapng", ""),
    // A neverssl.com page and its favicon, cut before the connection closed.
    (
        "http_favicon_png.pcapng",
        "0\t192.168.1.68:50189\t34.223.124.45:80\t14\t0.605821\tno-close\t-\n",
    ),
    // nmap's OS probes: odd flag sets, segments without a SYN, closed ports.
    (
        "tcp_nmap_os_probes.pcapng",
        "0\t192.168.110.132:56352\t192.168.110.130:21\t3\t0.001844\treset\t-\n\
         1\t192.168.110.132:56354\t192.168.110.130:21\t4\t0.354564\tmid-stream\t-\n\
         2\t192.168.110.132:56355\t192.168.110.130:21\t4\t0.354152\tsyn-only\tsyn-retransmitted\n\
         3\t192.168.110.132:56356\t192.168.110.130:21\t2\t0.000717\tmid-stream\t-\n\
         4\t192.168.110.132:56357\t192.168.110.130:1\t2\t0.000362\trefused\t-\n\
         5\t192.168.110.132:56358\t192.168.110.130:1\t2\t0.000806\tmid-stream\t-\n\
         6\t192.168.110.132:56359\t192.168.110.130:1\t2\t0.001100\tmid-stream\tone-fin\n\
         7\t192.168.110.132:56596\t192.168.110.130:21\t3\t0.002071\treset\t-\n\
         8\t192.168.110.132:56597\t192.168.110.130:21\t1\t0.000000\tsyn-only\t-\n",
    ),
    // A student's HTTPS download cut at frame 160, before any FIN.
    (
        "tls13_lost_segments.pcapng",
        "0\t192.168.1.103:55111\t104.20.0.85:443\t111\t0.981697\tno-close\t-\n",
    ),
    // The server closes first and the client answers with a FIN of its own: four packets.
    (
        "smtp_mails.pcap",
        "0\t10.20.0.1:47026\t10.20.0.2:25\t46\t0.658153\tcomplete\t-\n",
    ),
    // The server's close_notify and FIN 15 come first; the client's alert 16 is data
    // after the peer's FIN.
    (
        "tls12_cert.pcap",
        "0\t10.20.0.1:37250\t10.20.0.2:443\t18\t0.006101\tcomplete\thalf-close\n",
    ),
    // The control connection (recording stopped before its close) and the passive data
    // connection of the LIST.
    (
        "ftp_session.pcap",
        "0\t10.20.0.1:55474\t10.20.0.2:21\t18\t0.006075\tno-close\t-\n\
         1\t10.20.0.1:34278\t10.20.0.2:54879\t8\t0.000748\tcomplete\tthree-packet-close\n",
    ),
    // The control connection and three data connections (two EPSV, one PASV), each
    // closed by the server's FIN answered with FIN+ACK (packets and durations as
    // tshark's tcp.stream and frame.time_epoch give them).
    (
        "ftp_transfers.pcap",
        "0\t10.20.0.1:34848\t10.20.0.2:21\t52\t0.141929\tcomplete\tthree-packet-close\n\
         1\t10.20.0.1:54720\t10.20.0.2:55701\t8\t0.000288\tcomplete\tthree-packet-close\n\
         2\t10.20.0.1:60016\t10.20.0.2:46877\t8\t0.000179\tcomplete\tthree-packet-close\n\
         3\t10.20.0.1:49056\t10.20.0.2:43483\t8\t0.000620\tcomplete\tthree-packet-close\n",
    ),
    (
        "imap_session.pcap",
        "0\t10.20.0.1:55752\t10.20.0.2:143\t19\t0.003653\tcomplete\tthree-packet-close\n",
    ),
    (
        "telnet_session.pcap",
        "0\t10.20.0.1:59418\t10.20.0.2:23\t27\t0.015564\tcomplete\tthree-packet-close\n",
    ),
    // UDP only.
    ("snmp_session.pcap", ""),
    ("sip_call.pcap", ""),
];

fn list(capture_name: &str, extra: &[&str]) -> String {
    let path = capture(capture_name);
    let mut args = vec!["flow", "-r", path.to_str().unwrap(), "--list"];
    args.extend_from_slice(extra);
    synack_ok(&args)
}

#[test]
fn every_test_capture_lists_each_connection_with_its_badge() {
    let mut failures = Vec::new();
    for (file, rows) in EXPECTED {
        let got = list(file, &[]);
        let want = format!("{HEADER}{rows}");
        if got != want {
            failures.push(format!("{file}:\n--- want\n{want}--- got\n{got}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every capture in tests/captures is covered above or here.
#[test]
fn every_test_capture_has_an_expectation() {
    for path in captures() {
        let file = name(&path);
        assert!(
            file == "tcp_many_streams.pcap"
                || file == "http_images.pcap"
                || EXPECTED.iter().any(|(f, _)| *f == file),
            "{file} has no expected --list output"
        );
    }
}

/// tests/gen-images.py writes each HTTP response as one segment of its own
/// connection, without a handshake: 42 connections of one packet, each mid-stream.
/// The responses come from port 80, but nothing says which end is the client, so
/// the first sender is (as for any connection seen mid-stream).
#[test]
fn image_responses_are_each_one_mid_stream_segment() {
    let got = list("http_images.pcap", &[]);
    let rows: Vec<&str> = got.lines().skip(1).collect();
    assert_eq!(rows.len(), 42);
    for (i, row) in rows.iter().enumerate() {
        let want = format!(
            "{i}\t10.0.0.1:80\t10.0.0.2:{}\t1\t0.000000\tmid-stream\t-",
            40000 + i
        );
        assert_eq!(*row, want);
    }
}

/// 55 concurrent short connections, each SYN, SYN+ACK, ACK, request, reply, FIN,
/// FIN+ACK acknowledging it, ACK (tshark numbers them 0..54 in first-frame order):
/// 10 packets each, all complete in three closing packets.
#[test]
fn many_streams_are_each_complete() {
    let got = list("tcp_many_streams.pcap", &[]);
    let rows: Vec<&str> = got.lines().skip(1).collect();
    assert_eq!(rows.len(), 55);
    for (i, row) in rows.iter().enumerate() {
        let fields: Vec<&str> = row.split('\t').collect();
        assert_eq!(fields.len(), 7, "{row}");
        assert_eq!(fields[0], i.to_string());
        assert_eq!(fields[2], "10.10.0.2:18716", "{row}");
        assert_eq!(
            (fields[3], fields[5], fields[6]),
            ("10", "complete", "three-packet-close"),
            "{row}"
        );
    }
    assert_eq!(
        rows[0],
        "0\t10.10.0.1:39278\t10.10.0.2:18716\t10\t0.101499\tcomplete\tthree-packet-close"
    );
}

/// `-Y` picks connections (those with a packet it keeps) and each line still
/// describes the whole connection: filtering on RSTs keeps gen1's streams 2 and 3,
/// and stream 3 stays 2 packets and refused although only its RST matched.
#[test]
fn a_filter_picks_connections_and_keeps_them_whole() {
    let got = list("gen1.pcap", &["-Y", "tcp.flags.reset == 1"]);
    assert_eq!(
        got,
        format!(
            "{HEADER}2\t10.0.0.2:81\t10.0.0.1:40001\t3\t0.020000\tmid-stream\t-\n\
             3\t10.0.0.1:40002\t10.0.0.2:82\t2\t0.010000\trefused\t-\n"
        )
    );
    let none = list("gen1.pcap", &["-Y", "udp"]);
    assert_eq!(none, HEADER);
}

#[test]
fn stream_picks_rows_and_json_carries_the_final_states() {
    let got = list("gen1.pcap", &["--stream", "3", "--stream", "0"]);
    let streams: Vec<&str> = got.lines().skip(1).map(|l| &l[..1]).collect();
    assert_eq!(streams, ["3", "0"]);
    let json: serde_json::Value =
        serde_json::from_str(&list("tcp_clean_close.pcap", &["--format", "json"])).unwrap();
    let c = &json[0];
    assert_eq!(c["badge"], "complete");
    assert_eq!(c["notes"], serde_json::json!(["three-packet-close"]));
    // The client acknowledged the last FIN and waits out 2 MSL; the server is done.
    assert_eq!(
        (&c["client_state"], &c["server_state"]),
        (&"TIME-WAIT".into(), &"CLOSED".into())
    );
    assert_eq!(
        (&c["first_frame"], &c["last_frame"]),
        (&9.into(), &18.into())
    );
    assert_eq!(c["fin_frames"], serde_json::json!([16, 17]));
    assert_eq!(
        (
            &c["packets_client_to_server"],
            &c["packets_server_to_client"]
        ),
        (&6.into(), &4.into())
    );
}

#[test]
fn list_refuses_drawing_formats_and_unknown_streams() {
    let path = capture("gen1.pcap");
    let file = path.to_str().unwrap();
    let out = synack(&["flow", "-r", file, "--list", "--format", "svg"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--list prints text or json"));
    let out = synack(&["flow", "-r", file, "--list", "--stream", "9"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("there is no TCP stream 9"));
}
