#!/usr/bin/env python3
"""Records the LAN chatter test captures (tests/captures/lan_chatter.pcap, stp_bridge.pcap):
two network namespaces joined by a veth pair exchange real mDNS, LLMNR, SSDP and NBNS
datagrams over python sockets, and a Linux bridge with STP on sends its BPDUs.
Needs root, iproute2 and tcpdump. usage: gen-chatter.py OUTDIR"""
import os, struct, subprocess, sys, time

A, B = "chatA", "chatB"
AIP, BIP = "10.20.0.1", "10.20.0.2"


def sh(cmd, check=True):
    return subprocess.run(cmd, shell=True, check=check)


def ns(n, cmd, check=True):
    return sh(f"ip netns exec {n} {cmd}", check)


def setup():
    for n in (A, B):
        sh(f"ip netns del {n}", check=False)
        sh(f"ip netns add {n}")
        ns(n, "ip link set lo up")
    sh(f"ip link add va netns {A} address 02:00:00:00:0a:01 type veth peer name vb netns {B} address 02:00:00:00:0b:02")
    for n, dev, ip in ((A, "va", AIP), (B, "vb", BIP)):
        ns(n, f"ip link set {dev} up")
        ns(n, f"ip addr add {ip}/24 brd 10.20.0.255 dev {dev}")
        ns(n, f"ip route add 224.0.0.0/4 dev {dev}")
        ns(n, f"sysctl -qw net.ipv6.conf.{dev}.disable_ipv6=1")
    time.sleep(0.5)


def qname(name):
    out = b""
    for label in name.split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def nbname(name, suffix):
    raw = name.encode().ljust(15, b" ") + bytes([suffix])
    enc = b"".join(bytes([0x41 + (c >> 4), 0x41 + (c & 15)]) for c in raw)
    return b"\x20" + enc + b"\0"


def rr(name, rtype, rclass, ttl, rdata):
    return name + struct.pack(">HHIH", rtype, rclass, ttl, len(rdata)) + rdata


def packets():
    ip_b = bytes(map(int, BIP.split(".")))
    # mDNS: a QU question, then an answer with cache-flush records.
    mdns_q = struct.pack(">HHHHHH", 0, 0, 1, 0, 0, 0) + qname("_ipp._tcp.local") + struct.pack(">HH", 12, 0x8001)
    inst = qname("printer._ipp._tcp.local")
    mdns_r = struct.pack(">HHHHHH", 0, 0x8400, 0, 1, 0, 3)
    mdns_r += rr(qname("_ipp._tcp.local"), 12, 1, 4500, inst)
    mdns_r += rr(inst, 33, 0x8001, 120, struct.pack(">HHH", 0, 0, 631) + qname("hostb.local"))
    mdns_r += rr(inst, 16, 0x8001, 4500, b"\x09txtvers=1")
    mdns_r += rr(qname("hostb.local"), 1, 0x8001, 120, ip_b)
    # LLMNR: a query and its answer.
    llmnr_q = struct.pack(">HHHHHH", 0x4d2a, 0, 1, 0, 0, 0) + qname("hostb") + struct.pack(">HH", 1, 1)
    llmnr_r = struct.pack(">HHHHHH", 0x4d2a, 0x8000, 1, 1, 0, 0) + qname("hostb") + struct.pack(">HH", 1, 1)
    llmnr_r += rr(qname("hostb"), 1, 1, 30, ip_b)
    # SSDP: a search, its unicast answer and a notification.
    msearch = (b"M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\n"
               b"MX: 1\r\nST: ssdp:all\r\n\r\n")
    ok = (b"HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1800\r\nLOCATION: http://10.20.0.2:80/desc.xml\r\n"
          b"SERVER: Linux/5.0 UPnP/1.0 synack/1\r\nST: upnp:rootdevice\r\nUSN: uuid:1234::upnp:rootdevice\r\n\r\n")
    notify = (b"NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nCACHE-CONTROL: max-age=1800\r\n"
              b"LOCATION: http://10.20.0.2:80/desc.xml\r\nNT: upnp:rootdevice\r\nNTS: ssdp:alive\r\n"
              b"USN: uuid:1234::upnp:rootdevice\r\n\r\n")
    # NBNS: a broadcast name query, its positive answer, a status query and answer.
    nb_q = struct.pack(">HHHHHH", 0x1b2c, 0x0110, 1, 0, 0, 0) + nbname("HOSTB", 0x20) + struct.pack(">HH", 32, 1)
    nb_r = struct.pack(">HHHHHH", 0x1b2c, 0x8500, 0, 1, 0, 0)
    nb_r += rr(nbname("HOSTB", 0x20), 32, 1, 300000, struct.pack(">H", 0x6000) + ip_b)
    st_q = struct.pack(">HHHHHH", 0x1b2d, 0x0000, 1, 0, 0, 0) + nbname("*", 0x00).replace(b"CA", b"AA", 15) + struct.pack(">HH", 33, 1)
    names = b"".join(n.encode().ljust(15, b" ") + bytes([s]) + struct.pack(">H", f)
                     for n, s, f in (("HOSTB", 0x00, 0x0400), ("HOSTB", 0x20, 0x0400), ("WORKGROUP", 0x00, 0x8400)))
    st_data = bytes([3]) + names + bytes.fromhex("020000000b02") + bytes(40)
    st_r = struct.pack(">HHHHHH", 0x1b2d, 0x8400, 0, 1, 0, 0) + rr(st_q[12:-4], 33, 1, 0, st_data)
    return [
        (A, "224.0.0.251", 5353, 5353, mdns_q), (B, "224.0.0.251", 5353, 5353, mdns_r),
        (A, "224.0.0.252", 53001, 5355, llmnr_q), (B, AIP, 5355, 53001, llmnr_r),
        (A, "239.255.255.250", 53002, 1900, msearch), (B, AIP, 1900, 53002, ok),
        (B, "239.255.255.250", 1900, 1900, notify),
        (A, "10.20.0.255", 137, 137, nb_q), (B, AIP, 137, 137, nb_r),
        (A, BIP, 137, 137, st_q), (B, AIP, 137, 137, st_r),
    ]


SEND = r'''
import socket, sys
dst, sport, dport, data = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), bytes.fromhex(sys.argv[4])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 255)
s.bind(("", sport))
s.sendto(data, (dst, dport))
'''


def chatter(out):
    setup()
    cap = subprocess.Popen(["ip", "netns", "exec", A, "tcpdump", "-i", "va", "-w", out, "-U", "udp"],
                           stderr=subprocess.DEVNULL)
    time.sleep(1.5)
    for n, dst, sport, dport, data in packets():
        ns(n, f"python3 -c '{SEND}' {dst} {sport} {dport} {data.hex()}")
        time.sleep(0.05)
    time.sleep(1)
    cap.terminate(); cap.wait()


def stp(out):
    setup()
    ns(B, "ip link add br0 type bridge stp_state 1 hello_time 100 forward_delay 400")
    ns(B, "ip link set vb master br0")
    ns(B, "ip link set br0 up")
    cap = subprocess.Popen(["ip", "netns", "exec", A, "tcpdump", "-i", "va", "-w", out, "-U", "-c", "3", "stp"],
                           stderr=subprocess.DEVNULL)
    cap.wait(timeout=20)


if __name__ == "__main__":
    d = sys.argv[1]
    chatter(os.path.join(d, "lan_chatter.pcap"))
    stp(os.path.join(d, "stp_bridge.pcap"))
    for n in (A, B):
        sh(f"ip netns del {n}", check=False)
