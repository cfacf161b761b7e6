#!/bin/bash
# Address conflicts over IPv6 (issue 11 item 1c): r1 is master of the IPv6
# VIP 2001:db8::100 (advert_int 1 s) and a stranger, the client, claims it:
# it sends unsolicited Neighbour Advertisements for it from its own MAC,
# every 0.3 s for 6 s. r1 must log the claim within 1 s of the first NA (as the switch saw
# it), report an address conflict with the client's MAC once it has lasted
# one Master_Down_Interval, end it after one MDI of silence, and keep the VIP.
# (The client's NAs come from a small python sender: python3 is installed
# by tests/deps.sh for python3-aiosmtpd.)
# Measured: the delays from the first NA to the log line and to the
# notify_conflict start, and from the last NA to the end.
. "$(dirname "$0")/lib.sh"
require_root
[ "$(daemon_kind)" = vrrpd ] || skip "conflicts are vrrpd's (keepalived has none)"
[ -x /usr/bin/python3 ] || skip "/usr/bin/python3 is not installed (tests/deps.sh installs it)"
lab_create 2
lab_ipv6
VIP=2001:db8::100 VIP_PREFIX=64 ADV=1
MDI1=$(mdi $ADV 150)
chmod 0755 "$T"
mkdir -m 0755 "$T/bin"
printf '#!/bin/sh\necho "$(date +%%s.%%N) $*" >>"$1.calls"\n' >"$T/bin/note.sh"
sed -i 's|>>"$1.calls"|>>"'"$T"'/r1.calls"|' "$T/bin/note.sh"
chmod 0755 "$T/bin/note.sh"
: >"$T/r1.calls"
{
	printf 'global_defs {\n    router_id r1\n    script_user root\n}\n'
	conf_instance VI_1 51 150 advert_int=$ADV extra="notify_conflict \"$T/bin/note.sh conflict\"" -- "$VIP/64"
} >"$T/r1.conf"
cap_start
start_daemon r1 "$T/r1.conf"
wait_master r1 "$VIP" 10
sleep 1

CMAC=$(host_mac c)
# na.py IFACE MAC TARGET COUNT INTERVAL: unsolicited NAs (Override set,
# Target Link-Layer Address MAC) from TARGET to ff02::1, as a host that
# took the address would send them.
cat >"$T/na.py" <<'EOF2'
import socket, struct, sys, time
ifc, mac, tgt, count, gap = sys.argv[1], bytes.fromhex(sys.argv[2].replace(":", "")), \
    socket.inet_pton(socket.AF_INET6, sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
dst = socket.inet_pton(socket.AF_INET6, "ff02::1")
body = struct.pack("!BBHI", 136, 0, 0, 0x20000000) + tgt + bytes([2, 1]) + mac
pseudo = tgt + dst + struct.pack("!I3xB", len(body), 58)
s = 0
data = pseudo + body
for i in range(0, len(data), 2):
    s += (data[i] << 8) + data[i + 1]
while s >> 16:
    s = (s & 0xffff) + (s >> 16)
body = body[:2] + struct.pack("!H", ~s & 0xffff) + body[4:]
ip6 = struct.pack("!IHBB", 0x60000000, len(body), 58, 255) + tgt + dst
frame = bytes.fromhex("333300000001") + mac + b"\x86\xdd" + ip6 + body
sk = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
sk.bind((ifc, 0))
for _ in range(count):
    sk.send(frame)
    time.sleep(gap)
EOF2
t0=$(now)
log "stranger: c sends unsolicited NAs for $VIP every 0.3 s for 6 s"
inns c /usr/bin/python3 "$T/na.py" eth0 "$CMAC" "$VIP" 20 0.3 || fail "na.py failed"
t1=$(now)
has_call() { grep -q -- " $1\$" "$T/r1.calls"; }
call_time() { awk -v w=" $1" 'index($0, w) == length($0) - length(w) + 1 { print $1; exit }' "$T/r1.calls"; }
wait_until 10 has_call "conflict VI_1 address $CMAC end" ||
	fail "no address conflict start and end on r1; calls: $(tr '\n' '|' <"$T/r1.calls"); log: $(grep -i 'claim\|conflict' "$T/r1.log" | tail -3)"
# the client's NAs for the VIP as the switch saw them (its MAC, port pc)
nas=$(awk -v t="$t0" -v m="$CMAC" '$1 > t && $2 == "pc" && index($0, m) && /neighbor advertisement/ && index($0, "tgt is 2001:db8::100") { print $1 }' "$T/capture.txt")
first=$(echo "$nas" | head -1) last=$(echo "$nas" | tail -1)
[ -n "$first" ] || fail "the client's NAs were not captured: $(grep -c 'neighbor advertisement' "$T/capture.txt") NA lines"
warn=$(grep -m1 "VI_1: $CMAC claims our VIP $VIP" "$T/r1.log" | cut -d' ' -f1)
[ -n "$warn" ] || fail "r1 did not log the claim: $(grep -i 'claim\|conflict' "$T/r1.log")"
sod() { awk -F: '{ printf "%.6f", $1 * 3600 + $2 * 60 + $3 }'; }
seen=$(fcalc "$(echo "$warn" | sod) - $(date -d "@$first" +%H:%M:%S.%N | sod)")
ts=$(call_time "conflict VI_1 address $CMAC start") te=$(call_time "conflict VI_1 address $CMAC end")
result "IPv6 claim: $(echo "$nas" | wc -l) NAs from the stranger; logged by r1 $seen s after the first; conflict started $(fcalc "$ts - $first") s after it (MDI $MDI1 s), ended $(fcalc "$te - $last") s after the last"
assert_le "claim detection" "$seen" 1
fcmp "$seen" '>=' 0 || fail "the claim was logged before the first NA ($seen s)"
assert_le "address conflict start" "$(fcalc "$ts - $first")" "$(fcalc "$MDI1 + 1")"
assert_le "address conflict end" "$(fcalc "$te - $last")" "$(fcalc "$MDI1 + 1")"
[ "$(grep -c " conflict VI_1 address $CMAC start\$" "$T/r1.calls")" = 1 ] || fail "calls: $(tr '\n' '|' <"$T/r1.calls")"
assert_vip r1 "$VIP"
exit 0
