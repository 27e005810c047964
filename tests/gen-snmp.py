#!/usr/bin/env python3
"""Writes tests/captures/snmp_session.pcap: SNMP v1 and v2c requests and responses (get, get-next,
set, getBulk with every common value type, noSuchObject, an error status) and a v2 trap, built
byte by byte (BER) over Ethernet/IPv4/UDP. usage: gen-snmp.py OUT.pcap"""
import struct, sys
def tlv(t, v): 
    n=len(v)
    if n<128: l=bytes([n])
    elif n<256: l=bytes([0x81,n])
    else: l=bytes([0x82])+struct.pack(">H",n)
    return bytes([t])+l+v
def integer(i):
    b=i.to_bytes(max(1,(i.bit_length()+8)//8),'big',signed=True); return tlv(2,b)
def octets(s): return tlv(4,s)
def oid(s):
    p=[int(x) for x in s.split('.')]; out=[40*p[0]+p[1]]
    enc=b''
    for x in [40*p[0]+p[1]]+p[2:]:
        bs=[x&0x7f]; x>>=7
        while x: bs.insert(0,(x&0x7f)|0x80); x>>=7
        enc+=bytes(bs)
    return tlv(6,enc)
def seq(*a): return tlv(0x30,b''.join(a))
def vb(o,v): return seq(oid(o),v)
def msg(ver, comm, pdu_t, rid, es, ei, vbs):
    return seq(integer(ver), octets(comm), tlv(pdu_t, integer(rid)+integer(es)+integer(ei)+seq(*vbs)))
null=tlv(5,b'')
pkts=[
 ("c",msg(0,b"public",0xa0,1234,0,0,[vb("1.3.6.1.2.1.1.1.0",null),vb("1.3.6.1.2.1.1.5.0",null)])),
 ("s",msg(0,b"public",0xa2,1234,0,0,[vb("1.3.6.1.2.1.1.1.0",octets(b"Linux router 5.10")),vb("1.3.6.1.2.1.1.5.0",octets(b"lab-router"))])),
 ("c",msg(1,b"public",0xa1,1235,0,0,[vb("1.3.6.1.2.1.2.2.1.2",null)])),
 ("s",msg(1,b"public",0xa2,1235,0,0,[vb("1.3.6.1.2.1.2.2.1.2.1",octets(b"lo"))])),
 ("c",msg(1,b"private",0xa3,1236,0,0,[vb("1.3.6.1.2.1.1.6.0",octets(b"Lab 2"))])),
 ("s",msg(1,b"private",0xa2,1236,0,0,[vb("1.3.6.1.2.1.1.6.0",octets(b"Lab 2"))])),
 ("c",msg(1,b"public",0xa5,1237,0,3,[vb("1.3.6.1.2.1.1",null)])),
 ("s",msg(1,b"public",0xa2,1237,0,0,[vb("1.3.6.1.2.1.1.3.0",tlv(0x43,(123456).to_bytes(3,'big'))),vb("1.3.6.1.2.1.4.1.0",integer(1)),vb("1.3.6.1.2.1.4.20.1.1.10.0.0.1",tlv(0x40,bytes([10,0,0,1]))),vb("1.3.6.1.2.1.2.2.1.10.1",tlv(0x41,(4000000000).to_bytes(5,'big'))),vb("1.3.6.1.2.1.31.1.1.1.6.1",tlv(0x46,(2**40).to_bytes(6,'big')))])),
 ("c",msg(1,b"public",0xa0,1238,0,0,[vb("1.3.6.1.2.1.99.0",null)])),
 ("s",msg(1,b"public",0xa2,1238,0,0,[vb("1.3.6.1.2.1.99.0",tlv(0x80,b''))])),
 ("c",msg(0,b"public",0xa0,1239,0,0,[vb("1.3.6.1.2.1.99.0",null)])),
 ("s",msg(0,b"public",0xa2,1239,2,1,[vb("1.3.6.1.2.1.99.0",null)])),
 ("s",msg(1,b"public",0xa7,7,0,0,[vb("1.3.6.1.2.1.1.3.0",tlv(0x43,bytes([1,0]))),vb("1.3.6.1.6.3.1.1.4.1.0",oid("1.3.6.1.6.3.1.1.5.3"))])),
]
# pcap with ethernet/ipv4/udp
def csum(b):
    if len(b)%2: b+=b'\0'
    s=sum(struct.unpack("!%dH"%(len(b)//2),b)); s=(s>>16)+(s&0xffff); s+=s>>16; return (~s)&0xffff
out=open(sys.argv[1],"wb"); out.write(struct.pack("<IHHiIII",0xa1b2c3d4,2,4,0,0,65535,1))
C=bytes([10,30,0,1]); S=bytes([10,30,0,2]); t=1796540000
for i,(d,p) in enumerate(pkts):
    src,dst,sp,dp=(C,S,40000,161) if d=="c" else (S,C,161,40000)
    if p[0:1]==b'' : pass
    if i==len(pkts)-1: src,dst,sp,dp=(S,C,40001,162)
    udp=struct.pack("!HHHH",sp,dp,8+len(p),0)+p
    ph=src+dst+struct.pack("!BBH",0,17,len(udp)); c=csum(ph+udp) or 0xffff
    udp=udp[:6]+struct.pack("!H",c)+udp[8:]
    ip=struct.pack("!BBHHHBBH4s4s",0x45,0,20+len(udp),i+1,0x4000,64,17,0,src,dst); ip=ip[:10]+struct.pack("!H",csum(ip))+ip[12:]
    eth=bytes.fromhex("020000000002020000000001" if d=="c" else "020000000001020000000002")+b"\x08\x00"
    fr=eth+ip+udp; out.write(struct.pack("<IIII",t+i,1000*i,len(fr),len(fr))+fr)
