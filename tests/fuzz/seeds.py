#!/usr/bin/env python3
"""Writes the generated seed files of tests/fuzz/corpus/ (binary inputs are
easier to build than to write by hand). Run from the top of the tree:

    python3 tests/fuzz/seeds.py

It (re)writes corpus/pkt/seed-*, corpus/nlack/seed-*, corpus/ctl/seed-*,
corpus/script/seed-* and corpus/smtp/seed-*; other files there (findings,
hand-written seeds, corpus/conf/) are left alone. Input formats: see the
comment at the top of each harness."""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def write(sub, name, data):
    d = os.path.join(HERE, "corpus", sub)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data)


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ip4(s):
    return bytes(int(x) for x in s.split("."))


def ip6(s):
    import ipaddress
    return ipaddress.IPv6Address(s).packed


# ---- pkt: flags, priority, then an IPv4 datagram or IPv6 facts + message
F_V6, F_FIXSUM, F_MSGONLY, F_PREEMPT, F_DELAY, F_QUIET = 1, 2, 4, 8, 16, 32


def vrrp(version, vrid, prio, addrs, adver_int, auth_type=0, auth=b"", src=None, dst=None,
         pseudo=True, alen=4):
    if version == 2:
        hdr = bytes([0x21, vrid, prio, len(addrs), auth_type, adver_int, 0, 0])
        msg = hdr + b"".join(addrs) + auth.ljust(8, b"\0")[:8]
        ck = csum(msg)
    else:
        hdr = bytes([0x31, vrid, prio, len(addrs), (adver_int >> 8) & 0x0F, adver_int & 0xFF, 0, 0])
        msg = hdr + b"".join(addrs)
        if alen == 16:
            ph = src + dst + struct.pack("!I", len(msg)) + b"\0\0\0" + bytes([112])
        elif pseudo:
            ph = src + dst + bytes([0, 112]) + struct.pack("!H", len(msg))
        else:
            ph = b""
        ck = csum(ph + msg)
    return msg[:6] + struct.pack("!H", ck) + msg[8:]


def ipv4(msg, src="192.0.2.2", dst="224.0.0.18", ttl=255, proto=112, frag=0, options=b""):
    ihl = (20 + len(options)) // 4
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0xC0, 20 + len(options) + len(msg), 1, frag,
                    ttl, proto, 0, ip4(src), ip4(dst)) + options
    return h + msg


S4, D4 = ip4("192.0.2.2"), ip4("224.0.0.18")
S6, D6 = ip6("fe80::2"), ip6("ff02::12")
V4 = [ip4("192.0.2.%d" % i) for i in (10, 11, 12)]
V6 = [ip6("2001:db8::%x" % i) for i in (10, 11)]


def pkt(name, flags, prio, body):
    write("pkt", name, bytes([flags, prio]) + body)


pkt("v2", 0, 100, ipv4(vrrp(2, 51, 150, V4[:1], 1)))
pkt("v2-pass", F_PREEMPT, 100, ipv4(vrrp(2, 51, 100, V4, 1, 1, b"secret")))
pkt("v2-stepdown", 0, 100, ipv4(vrrp(2, 51, 0, V4[:1], 3)))
pkt("v2-lower", F_PREEMPT | F_DELAY, 200, ipv4(vrrp(2, 7, 50, V4[:2], 1)))
pkt("v3-pseudo", 0, 100, ipv4(vrrp(3, 51, 150, V4[:2], 100, src=S4, dst=D4)))
pkt("v3-msgonly", F_QUIET, 200, ipv4(vrrp(3, 51, 100, V4[:2], 100, src=S4, dst=D4, pseudo=False)))
pkt("v3-owner", 0, 100, ipv4(vrrp(3, 1, 255, V4[:1], 1, src=S4, dst=D4)))
pkt("v3-options", 0, 100,
    ipv4(vrrp(3, 9, 120, V4[:1], 4095, src=S4, dst=D4), options=b"\x94\x04\0\0"))
pkt("v3-fix", F_FIXSUM, 100, ipv4(vrrp(3, 51, 150, V4[:3], 50, src=S4, dst=D4)[:6] + b"\0\0"
                                  + b"".join(V4)))
pkt("v3-fix-msgonly", F_FIXSUM | F_MSGONLY, 100,
    ipv4(vrrp(3, 51, 150, V4[:1], 50, src=S4, dst=D4, pseudo=False)))
pkt("v2-fix", F_FIXSUM | F_PREEMPT, 254, ipv4(vrrp(2, 200, 100, V4[:2], 2, 1, b"pw")))
pkt("ttl64", 0, 100, ipv4(vrrp(2, 51, 150, V4[:1], 1), ttl=64))
pkt("fragment", 0, 100, ipv4(vrrp(2, 51, 150, V4[:1], 1), frag=0x2000))
pkt("not-vrrp", 0, 100, ipv4(vrrp(2, 51, 150, V4[:1], 1), proto=17))
pkt("short", 0, 100, ipv4(vrrp(2, 51, 150, V4[:3], 1))[:-6])
pkt("short-msg", 0, 100, ipv4(vrrp(2, 51, 150, V4[:3], 1)[:-6]))
pkt("v6", F_V6, 100, S6 + D6 + b"\xff" + vrrp(3, 51, 150, V6, 100, src=S6, dst=D6, alen=16))
pkt("v6-fix", F_V6 | F_FIXSUM | F_PREEMPT, 200,
    S6 + D6 + b"\xff" + vrrp(3, 51, 150, V6[:1], 10, src=S6, dst=D6, alen=16)[:6] + b"\0\0" + V6[0])
pkt("v6-v2", F_V6 | F_FIXSUM, 100, S6 + D6 + b"\xff" + vrrp(2, 51, 150, [V6[0][:4]], 1))
pkt("v6-hop1", F_V6, 100, S6 + D6 + b"\x01" + vrrp(3, 51, 150, V6, 100, src=S6, dst=D6, alen=16))


# ---- nlack: the bytes of one read of acks, batch seq 1000..1015, port 4242
def nlmsg(mtype, seq, payload, pid=4242, flags=0x100):
    m = struct.pack("=IHHII", 16 + len(payload), mtype, flags, seq, pid) + payload
    return m + b"\0" * (-len(m) % 4)


def ack(seq, err, pid=4242):
    return nlmsg(2, seq, struct.pack("=i", err) + struct.pack("=IHHII", 40, 20, 5, seq, pid), pid)


write("nlack", "all-ok", b"".join(ack(1000 + i, 0) for i in range(16)))
write("nlack", "errors", ack(1000, -17) + ack(1001, -2) + ack(1002, -99) + ack(1004, -1)
      + ack(1005, -19) + ack(1006, -3) + ack(1007, -105))
write("nlack", "strangers", ack(999, 0) + ack(1016, -1) + ack(1003, -1, pid=1)
      + nlmsg(3, 1003, struct.pack("=i", 0)) + ack(1003, 0))
write("nlack", "uncapped", nlmsg(2, 1001, struct.pack("=i", -22) + nlmsg(20, 1001, b"\0" * 8)))

# ---- ctl: a delivery byte (bits 0-5: bytes per write - 1; bit 6: reload
# fails), then what the client sends.
for name, first, req in [
    ("status", 63, b"status\n"), ("status-one", 63, b"status VI_1\n"),
    ("status-json", 63, b"status --json\n"), ("status-v6-json", 2, b"status V6 --json\n"),
    ("status-unknown", 63, b"status nosuch\n"), ("status-two", 63, b"status VI_1 V6\n"),
    ("stats", 63, b"stats\n"), ("stats-json", 0, b"stats VI_1 --json\n"),
    ("metrics", 63, b"metrics\n"), ("metrics-arg", 63, b"metrics now\n"),
    ("reload", 63, b"reload\n"), ("reload-fails", 64 | 63, b"reload\n"),
    ("empty", 63, b"\n"), ("crlf", 63, b"status\r\n"), ("tabs", 63, b"\tstats\t--json\t\n"),
    ("eof", 63, b"status"), ("unknown", 63, b"\x1b[31mhello\x7f\n"),
    ("too-many", 63, b"a b c d e\n"), ("dash", 63, b"status -x\n"),
    ("too-long", 63, b"status " + b"a" * 300 + b"\n"), ("nul", 63, b"stat\0us\n"),
    ("bytes", 0, b"stats V6\n")]:
    write("ctl", name, bytes([first]) + req)

# ---- script: a command line
for name, line in [
    ("plain", "/usr/bin/pidof haproxy"), ("quoted", "\"/etc/vrrpd/notify.sh\" MASTER 'a b'"),
    ("joined", "a'b c'd\"e f\"g"), ("escapes", "printf \\x41\\101\\cA\\t\\n\\a\\E\\q"),
    ("shell-pipe", "sh -c 'pidof x' | grep -q ."), ("shell-assign", "FOO=1 /bin/true"),
    ("shell-dollar", "echo \"$HOME\""), ("shell-hash", "/bin/true #comment"),
    ("not-shell-hash", "/bin/echo a#b '$x' \\$y"), ("unterminated", "echo 'abc"),
    ("backslash-end", "echo abc\\"), ("empty", "   \t "), ("empty-word", "'' arg"),
    ("newline", "echo a\necho b"), ("glob", "ls /etc/*.conf"), ("octal", "echo \\0 \\777 \\08"),
    ("tilde", "cat ~/x")]:
    write("script", name, line)

# ---- smtp: feed size, take size, text length, the mail's text, the server
OK = (b"220 mx.example.com ESMTP\r\n250-mx.example.com\r\n250-PIPELINING\r\n250 8BITMIME\r\n"
      b"250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n251 2.1.5 forwarded\r\n354 End data with <CR><LF>.<CR><LF>\r\n"
      b"250 2.0.0 queued as 1234\r\n221 2.0.0 Bye\r\n")


def smtp(name, feed, take, text, server):
    write("smtp", name, bytes([feed, take, len(text)]) + text + server)


smtp("happy", 63, 0, b"[r1] VI_1 is now MASTER|VI_1 went from BACKUP to MASTER.\n", OK)
smtp("bytewise", 0, 1, b"s|b", OK)
smtp("stuffing", 7, 5, b"subj\r\nBcc: x@y|.\n..\r\n.x\rlast", OK)
smtp("helo", 63, 0, b"", b"220 x\r\n502 no EHLO\r\n250 hi\r\n250 ok\r\n250 ok\r\n250 ok\r\n"
     b"354 go\r\n250 ok\r\n221 bye\r\n")
smtp("refused-rcpt", 63, 0, b"x|y", b"220 x\r\n250 x\r\n250 ok\r\n550 5.1.1 no such user\r\n")
smtp("greeting-421", 63, 0, b"x|y", b"421 busy\r\n")
smtp("multiline-mismatch", 63, 0, b"x|y", b"220-a\r\n221 b\r\n")
smtp("malformed", 63, 0, b"x|y", b"hello\r\n")
smtp("bare-lf", 3, 0, b"x|y", OK.replace(b"\r\n", b"\n"))
smtp("long-line", 63, 0, b"x|y", b"220 " + b"x" * 700 + b"\r\n250 ok\r\n")
smtp("bare-code", 63, 0, b"x|y", b"220\r\n250\r\n250\r\n250\r\n250\r\n354\r\n250\r\n")
smtp("control", 63, 0, b"x|y", b"220 x\r\n250 x\r\n550 \x1b[31mno\rsuch\0user\r\n")
