#!/usr/bin/env python3
"""Records the application-layer test captures (HTTP media types, a POST over several
segments, chunked+gzip, Basic auth, a conditional GET, TLS 1.2 with a certificate, SMTP,
POP and FTP) between two network namespaces joined by a veth pair whose MTU is small
(600), so messages span several TCP segments. Needs root, iproute2, tcpdump, curl,
openssl, editcap. Servers and clients are Python's standard library and openssl.

usage: gen-app-captures.py OUTDIR [--only NAME,...]
"""
import argparse, os, signal, subprocess, textwrap, time, zlib

CNS, SNS = "segc", "segs"
CIP, SIP = "10.20.0.1", "10.20.0.2"


def sh(cmd, check=True, **kw):
    return subprocess.run(cmd, shell=True, check=check, **kw)


def ns(n, cmd, check=True, **kw):
    return sh(f"ip netns exec {n} {cmd}", check=check, **kw)


def bg(n, cmd):
    return subprocess.Popen(f"exec ip netns exec {n} {cmd}", shell=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)


def stop(p):
    if p.poll() is None:
        os.killpg(p.pid, signal.SIGTERM)
        try:
            p.wait(5)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()


def teardown():
    for n in (CNS, SNS):
        sh(f"ip netns del {n}", check=False, stderr=subprocess.DEVNULL)


def setup(mtu):
    teardown()
    for n in (CNS, SNS):
        sh(f"ip netns add {n}")
        ns(n, "ip link set lo up")
    sh(f"ip link add vc netns {CNS} type veth peer name vs netns {SNS}")
    for n, dev, ip in ((CNS, "vc", CIP), (SNS, "vs", SIP)):
        ns(n, f"ip link set {dev} mtu {mtu} up")
        ns(n, f"ip addr add {ip}/24 dev {dev}")
        ns(n, f"ethtool -K {dev} tso off gso off gro off tx off rx off", check=False,
           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.3)


# Small bodies with the magic bytes tshark's media dissectors look for.
JPEG = (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
        + bytes((i * 7) & 0xff for i in range(1100)) + b"\xff\xd9")
def png_chunk(kind, data):
    return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")


PNG = (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", bytes([0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]))
       + png_chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00\xff")) + png_chunk(b"IEND", b""))
GIF = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
       b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")

HTTP_SERVER = textwrap.dedent('''
import base64, gzip, http.server, sys
BODIES = %r
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "synack-test/1.0"
    sys_version = ""
    def log_message(self, *a): pass
    def send(self, code, ctype, body, extra=()):
        self.send_response(code)
        if ctype: self.send_header("Content-Type", ctype)
        for k, v in extra: self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def do_GET(self):
        p = self.path
        if p == "/index.html":
            if self.headers.get("If-Modified-Since"):
                self.send_response(304); self.send_header("Content-Length", "0"); self.end_headers(); return
            self.send(200, "text/html; charset=utf-8", BODIES["html"], [("Last-Modified", "Sat, 05 Dec 2026 10:00:00 GMT"), ("ETag", '"abc123"')])
        elif p == "/img.jpg": self.send(200, "image/jpeg", BODIES["jpg"])
        elif p == "/pic.png": self.send(200, "image/png", BODIES["png"])
        elif p == "/anim.gif": self.send(200, "image/gif", BODIES["gif"])
        elif p == "/data.json": self.send(200, "application/json", BODIES["json"])
        elif p == "/gz":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            z = gzip.compress(BODIES["text"], mtime=0)
            for i in range(0, len(z), 40):
                c = z[i:i+40]
                self.wfile.write(b"%%x\\r\\n%%s\\r\\n" %% (len(c), c))
            self.wfile.write(b"0\\r\\n\\r\\n")
        elif p == "/secret":
            if self.headers.get("Authorization") == "Basic " + base64.b64encode(b"student:lab-pass").decode():
                self.send(200, "text/plain", b"the secret is 42\\n")
            else:
                self.send(401, "text/html", b"<html><body>401 Unauthorized</body></html>\\n", [("WWW-Authenticate", 'Basic realm="lab"')])
        else: self.send(404, "text/plain", b"not found\\n")
    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        data = self.rfile.read(n)
        self.send(200, "text/plain", b"got %%d bytes\\n" %% len(data))
http.server.HTTPServer((sys.argv[1], int(sys.argv[2])), H).serve_forever()
''')

LINE_SERVER = textwrap.dedent(r'''
import socket, sys, threading
mode, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
def lines(c):
    buf = b""
    while True:
        while b"\r\n" not in buf:
            d = c.recv(4096)
            if not d: return
            buf += d
        line, buf = buf.split(b"\r\n", 1)
        yield line
def smtp(c):
    c.sendall(b"220 mail.example.test ESMTP synack-test\r\n")
    it = lines(c)
    for line in it:
        cmd = line.split(b" ")[0].upper()
        if cmd == b"EHLO":
            c.sendall(b"250-mail.example.test Hello\r\n250-SIZE 1000000\r\n250 8BITMIME\r\n")
        elif cmd == b"DATA":
            c.sendall(b"354 End data with <CR><LF>.<CR><LF>\r\n")
            for l in it:
                if l == b".": break
            c.sendall(b"250 OK: queued as 12345\r\n")
        elif cmd == b"QUIT":
            c.sendall(b"221 Bye\r\n"); c.close(); return
        else:
            c.sendall(b"250 OK\r\n")
def pop(c):
    msg = b"From: alice@example.test\r\nTo: bob@example.test\r\nSubject: lab\r\n\r\nHello Bob.\r\n"
    c.sendall(b"+OK POP3 server ready\r\n")
    for line in lines(c):
        cmd = line.split(b" ")[0].upper()
        if cmd == b"STAT": c.sendall(b"+OK 1 %d\r\n" % len(msg))
        elif cmd == b"LIST": c.sendall(b"+OK 1 messages\r\n1 %d\r\n.\r\n" % len(msg))
        elif cmd == b"RETR": c.sendall(b"+OK %d octets\r\n" % len(msg) + msg + b".\r\n")
        elif cmd == b"QUIT": c.sendall(b"+OK bye\r\n"); c.close(); return
        else: c.sendall(b"+OK\r\n")
def ftp(c):
    c.sendall(b"220 synack-test FTP ready\r\n")
    data = None
    files = {b"notes.txt": b"line one\r\nline two\r\n"}
    def open_data():
        nonlocal data
        if isinstance(data, socket.socket) and data.type == socket.SOCK_STREAM and data.getsockname()[1] != 0 and mode_pasv[0]:
            d, _ = data.accept(); data.close(); return d
        return socket.create_connection(data)
    mode_pasv = [False]
    for line in lines(c):
        parts = line.split(b" ", 1); cmd = parts[0].upper(); arg = parts[1] if len(parts) > 1 else b""
        if cmd == b"USER": c.sendall(b"331 Password required\r\n")
        elif cmd == b"PASS": c.sendall(b"230 Logged in\r\n")
        elif cmd == b"SYST": c.sendall(b"215 UNIX Type: L8\r\n")
        elif cmd == b"PWD": c.sendall(b'257 "/" is the current directory\r\n')
        elif cmd == b"TYPE": c.sendall(b"200 Type set\r\n")
        elif cmd in (b"CWD", b"CDUP"): c.sendall(b"250 Directory changed\r\n")
        elif cmd in (b"PASV", b"EPSV"):
            s = socket.socket(); s.bind((host, 0)); s.listen(1); p = s.getsockname()[1]
            data = s; mode_pasv[0] = True
            if cmd == b"PASV":
                h = host.replace(".", ",").encode()
                c.sendall(b"227 Entering Passive Mode (%s,%d,%d)\r\n" % (h, p >> 8, p & 255))
            else:
                c.sendall(b"229 Entering Extended Passive Mode (|||%d|)\r\n" % p)
        elif cmd == b"PORT":
            n = arg.split(b","); data = (".".join(x.decode() for x in n[:4]), int(n[4]) * 256 + int(n[5]))
            mode_pasv[0] = False
            c.sendall(b"200 PORT command successful\r\n")
        elif cmd in (b"LIST", b"NLST", b"RETR", b"STOR"):
            c.sendall(b"150 Opening data connection\r\n")
            d = open_data()
            if cmd == b"STOR":
                while d.recv(4096): pass
            elif cmd == b"RETR": d.sendall(files.get(arg, b""))
            else: d.sendall(b"-rw-r--r-- 1 ftp ftp 20 Dec 05 10:00 notes.txt\r\n")
            d.close()
            c.sendall(b"226 Transfer complete\r\n")
        elif cmd == b"QUIT": c.sendall(b"221 Goodbye\r\n"); c.close(); return
        else: c.sendall(b"502 Not implemented\r\n")
def imap(c):
    msg = b"From: alice@example.test\r\nTo: bob@example.test\r\nSubject: lab\r\n\r\nHello Bob.\r\n"
    c.sendall(b"* OK [CAPABILITY IMAP4rev1] synack-test IMAP ready\r\n")
    for line in lines(c):
        tag, _, rest = line.partition(b" ")
        cmd = rest.split(b" ")[0].upper()
        if cmd == b"CAPABILITY":
            c.sendall(b"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n" + tag + b" OK CAPABILITY completed\r\n")
        elif cmd == b"LOGIN": c.sendall(tag + b" OK LOGIN completed\r\n")
        elif cmd == b"SELECT":
            c.sendall(b"* 1 EXISTS\r\n* 0 RECENT\r\n* FLAGS (\\Seen \\Answered)\r\n" + tag + b" OK [READ-WRITE] SELECT completed\r\n")
        elif cmd == b"FETCH":
            c.sendall(b"* 1 FETCH (RFC822 {%d}\r\n" % len(msg) + msg + b")\r\n" + tag + b" OK FETCH completed\r\n")
        elif cmd == b"LOGOUT":
            c.sendall(b"* BYE logging out\r\n" + tag + b" OK LOGOUT completed\r\n"); c.close(); return
        else: c.sendall(tag + b" BAD unknown command\r\n")
IAC, DO, DONT, WILL, WONT, SB, SE = 255, 253, 254, 251, 252, 250, 240
def heard(c):
    # What the client answers within the timeout, if anything.
    try:
        c.recv(4096)
    except OSError:
        pass
def line_in(c):
    # Reads up to a line end; False when the client hung up first.
    buf = b""
    while b"\n" not in buf:
        d = c.recv(4096)
        if not d: return False
        buf += d
    return True
def telnet(c):
    # Options a login server asks for: terminal type, echo, suppress go-ahead, window size.
    c.sendall(bytes([IAC, DO, 24, IAC, WILL, 1, IAC, WILL, 3, IAC, DO, 31]))
    c.settimeout(0.5)
    heard(c)
    c.sendall(bytes([IAC, SB, 24, 1, IAC, SE]))
    heard(c)
    c.settimeout(None)
    for prompt in (b"\r\nsynack-test login: ", b"Password: ", b"\r\nWelcome, student.\r\n$ "):
        c.sendall(prompt)
        if not line_in(c): return
    c.sendall(b"logout\r\n"); c.close()
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind((host, port)); s.listen(8)
while True:
    c, _ = s.accept(); threading.Thread(target={"smtp": smtp, "pop": pop, "ftp": ftp, "ftp_transfers": ftp, "imap": imap, "telnet": telnet, "smtp_mails": smtp}[mode], args=(c,), daemon=True).start()
''')

CLIENTS = {
    "smtp": textwrap.dedent('''
        import smtplib, sys
        s = smtplib.SMTP(sys.argv[1], 25, local_hostname="client.example.test")
        s.ehlo("client.example.test")
        body = "From: alice@example.test\\r\\nTo: bob@example.test\\r\\nSubject: Lab report\\r\\n\\r\\n" + ("The quick brown fox jumps over the lazy dog.\\r\\n" * 30)
        s.sendmail("alice@example.test", ["bob@example.test"], body)
        s.quit()
    '''),
    # Two messages by hand: the first's end-of-message line in a segment of its own
    # after a dot-stuffed line, the second whole in one segment.
    "smtp_mails": textwrap.dedent('''
        import socket, sys, time
        s = socket.create_connection((sys.argv[1], 25))
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        def reply():
            time.sleep(0.05); s.recv(4096)
        def cmd(line):
            s.sendall(line); reply()
        reply()
        cmd(b"EHLO client.example.test\\r\\n")
        cmd(b"MAIL FROM:<alice@example.test>\\r\\n"); cmd(b"RCPT TO:<bob@example.test>\\r\\n"); cmd(b"DATA\\r\\n")
        s.sendall(b"From: alice@example.test\\r\\nTo: bob@example.test\\r\\nSubject: first\\r\\n\\r\\nLine one.\\r\\n..leading dot\\r\\n")
        time.sleep(0.05)
        cmd(b".\\r\\n")
        cmd(b"MAIL FROM:<carol@example.test>\\r\\n"); cmd(b"RCPT TO:<bob@example.test>\\r\\n"); cmd(b"DATA\\r\\n")
        cmd(b"Subject: short\\r\\n\\r\\nHi.\\r\\n.\\r\\n")
        cmd(b"NOOP\\r\\n"); cmd(b"QUIT\\r\\n")
    '''),
    "pop": textwrap.dedent('''
        import poplib, sys
        p = poplib.POP3(sys.argv[1], 110)
        p.user("bob"); p.pass_("secret"); p.stat(); p.list(); p.retr(1); p.quit()
    '''),
    "ftp": textwrap.dedent('''
        import ftplib, io, sys
        f = ftplib.FTP(sys.argv[1], timeout=5)
        f.login("student", "lab-pass"); f.pwd()
        f.set_pasv(True); f.retrlines("LIST")
        f.sendcmd("TYPE I"); f.retrbinary("RETR notes.txt", io.BytesIO().write)
        f.set_pasv(False); f.retrlines("NLST")
        f.quit()
    '''),
    "imap": textwrap.dedent('''
        import imaplib, sys
        m = imaplib.IMAP4(sys.argv[1], 143)
        m.login("bob", "secret"); m.select("INBOX"); m.fetch("1", "(RFC822)"); m.logout()
    '''),
    "telnet": textwrap.dedent('''
        import telnetlib, sys, time
        t = telnetlib.Telnet()
        def answer(sock, cmd, opt):
            # Agree to send the terminal type and window size, accept echo and SGA.
            if cmd == telnetlib.DO and opt in (telnetlib.TTYPE, telnetlib.NAWS):
                sock.sendall(telnetlib.IAC + telnetlib.WILL + opt)
                if opt == telnetlib.NAWS:
                    sock.sendall(telnetlib.IAC + telnetlib.SB + telnetlib.NAWS + bytes([0, 80, 0, 24]) + telnetlib.IAC + telnetlib.SE)
            elif cmd == telnetlib.WILL:
                sock.sendall(telnetlib.IAC + telnetlib.DO + opt)
            elif cmd == telnetlib.SE and t.read_sb_data() == bytes([24, 1]):
                sock.sendall(telnetlib.IAC + telnetlib.SB + telnetlib.TTYPE + bytes([0]) + b"XTERM" + telnetlib.IAC + telnetlib.SE)
        t.set_option_negotiation_callback(answer)
        t.open(sys.argv[1], 23, timeout=5)
        t.read_until(b"login: ", 5); t.write(b"student\\r\\n")
        t.read_until(b"Password: ", 5); t.write(b"lab-pass\\r\\n")
        t.read_until(b"$ ", 5); t.write(b"exit\\r\\n")
        t.read_all()
    '''),
    # EPSV (ftplib sends it only over IPv6, so asked for here), CWD and CDUP that move
    # the working directory tshark tracks, and an upload.
    "ftp_transfers": textwrap.dedent('''
        import ftplib, io, sys
        class F(ftplib.FTP):
            epsv = False
            def makepasv(self):
                if self.epsv:
                    return self.host, ftplib.parse229(self.sendcmd("EPSV"), self.sock.getpeername())[1]
                return super().makepasv()
        f = F(sys.argv[1], timeout=5)
        f.login("student", "lab-pass"); f.pwd(); f.cwd("pub/labs"); f.cwd("..")
        f.epsv = True; f.sendcmd("TYPE I"); f.retrbinary("RETR notes.txt", io.BytesIO().write)
        f.storbinary("STOR report.txt", io.BytesIO(b"lab report line\\r\\n" * 4))
        f.sendcmd("CDUP"); f.epsv = False; f.retrlines("LIST")
        f.quit()
    '''),
}


def record(out, fn, filt="tcp"):
    cap = bg(SNS, f"tcpdump -U -n -i vs -w {out} '{filt}'")
    time.sleep(0.8)
    try:
        fn()
        time.sleep(0.5)
    finally:
        stop(cap)


def http_captures(outdir):
    bodies = {
        "html": b"<!DOCTYPE html>\n<html>\n<head><title>Lab page</title></head>\n<body>\n<p>Hello, student.</p>\n</body>\n</html>\n",
        "jpg": JPEG, "png": PNG, "gif": GIF,
        "json": b'{"course": "networks", "lab": 2, "topics": ["http", "tcp"]}\n',
        "text": b"compressed text line\n" * 40,
    }
    src = HTTP_SERVER % (bodies,)
    with open("/tmp/segs_http_server.py", "w") as f:
        f.write(src)
    srv = bg(SNS, f"python3 /tmp/segs_http_server.py {SIP} 80")
    time.sleep(1.0)
    u = f"http://{SIP}"
    try:
        record(f"{outdir}/http_media.pcap", lambda: ns(CNS,
            f"curl -s -o /dev/null -o /dev/null -o /dev/null -o /dev/null -o /dev/null -o /dev/null "
            f"{u}/index.html {u}/img.jpg {u}/pic.png {u}/anim.gif {u}/data.json {u}/gz"))
        record(f"{outdir}/http_auth_cond.pcap", lambda: (
            ns(CNS, f"curl -s -o /dev/null -o /dev/null {u}/secret -u student:lab-pass {u}/secret"),
            ns(CNS, f"curl -s -o /dev/null -H 'If-Modified-Since: Sat, 05 Dec 2026 10:00:00 GMT' "
                    f"-H 'If-None-Match: \"abc123\"' {u}/index.html")))
        blob = "/tmp/segs_post.txt"
        with open(blob, "w") as f:
            f.write("".join(f"line {i:04d} of the uploaded lab report\n" for i in range(120)))
        record(f"{outdir}/http_post.pcap", lambda: ns(CNS,
            f"curl -s -o /dev/null -H 'Expect:' -H 'Content-Type: text/plain' --data-binary @{blob} {u}/upload"))
    finally:
        stop(srv)


def tls_capture(outdir):
    sh("openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "
       "'/C=DE/O=Synack Lab/CN=tls.example.test' -keyout /tmp/segs_key.pem -out /tmp/segs_cert.pem",
       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    srv = bg(SNS, f"openssl s_server -quiet -accept {SIP}:443 -cert /tmp/segs_cert.pem -key /tmp/segs_key.pem")
    time.sleep(2.0)
    try:
        record(f"{outdir}/tls12_cert.pcap", lambda: ns(CNS,
            f"sh -c 'echo hello | timeout 5 openssl s_client -quiet -tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256 "
            f"-servername tls.example.test -connect {SIP}:443'", check=False,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    finally:
        stop(srv)


def line_capture(outdir, mode, port, name=None):
    with open("/tmp/segs_line_server.py", "w") as f:
        f.write(LINE_SERVER)
    with open(f"/tmp/segs_{mode}_client.py", "w") as f:
        f.write(CLIENTS[mode])
    srv = bg(SNS, f"python3 /tmp/segs_line_server.py {mode} {SIP} {port}")
    time.sleep(1.0)
    try:
        record(f"{outdir}/{name or mode + '_session.pcap'}", lambda: ns(CNS, f"python3 /tmp/segs_{mode}_client.py {SIP}"))
    finally:
        stop(srv)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("--only", default="")
    a = ap.parse_args()
    only = set(filter(None, a.only.split(",")))
    want = lambda n: not only or n in only
    os.makedirs(a.outdir, exist_ok=True)
    setup(600)
    try:
        if want("http"): http_captures(a.outdir)
        if want("tls"): tls_capture(a.outdir)
        if want("smtp"): line_capture(a.outdir, "smtp", 25)
        if want("smtp_mails"): line_capture(a.outdir, "smtp_mails", 25, "smtp_mails.pcap")
        if want("pop"): line_capture(a.outdir, "pop", 110)
        if want("ftp"): line_capture(a.outdir, "ftp", 21)
        if want("imap"): line_capture(a.outdir, "imap", 143)
        if want("telnet"): line_capture(a.outdir, "telnet", 23)
        if want("ftp_transfers"): line_capture(a.outdir, "ftp_transfers", 21, "ftp_transfers.pcap")
        if want("http"):
            # A capture started mid-stream: the POST capture without its handshake and first segments.
            sh(f"editcap -r {a.outdir}/http_post.pcap {a.outdir}/http_midstream.pcap 6-100")
    finally:
        teardown()


if __name__ == "__main__":
    main()
