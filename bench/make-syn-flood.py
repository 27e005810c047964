#!/usr/bin/env python3
"""Writes a pcap of N SYNs from random sources and ports to 10.0.0.1:80 (a port scan or
SYN flood, issue 22's memory case): bench/make-syn-flood.py N OUT.pcap"""
import random, struct, sys
n=int(sys.argv[1]); out=open(sys.argv[2],'wb')
out.write(struct.pack('<IHHiIII',0xa1b2c3d4,2,4,0,0,65535,1))
random.seed(7)
def csum(b):
    if len(b)%2: b+=b'\0'
    s=sum(struct.unpack('!%dH'%(len(b)//2),b)); s=(s>>16)+(s&0xffff); s+=s>>16; return (~s)&0xffff
eth=bytes.fromhex('020000000001020000000002')+b'\x08\x00'
for i in range(n):
    src=struct.pack('!I',random.getrandbits(32)|0x01000000); dst=bytes([10,0,0,1])
    sport=random.randint(1024,65535); dport=80
    tcp=struct.pack('!HHIIBBHHH',sport,dport,random.getrandbits(32),0,0x50,0x02,64240,0,0)
    ip=struct.pack('!BBHHHBBH4s4s',0x45,0,40,i&0xffff,0,64,6,0,src,dst)
    ip=ip[:10]+struct.pack('!H',csum(ip))+ip[12:]
    pkt=eth+ip+tcp
    ts=1700000000+i//100000
    out.write(struct.pack('<IIII',ts,(i%100000)*10,len(pkt),len(pkt))); out.write(pkt)
