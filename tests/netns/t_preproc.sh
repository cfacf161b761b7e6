#!/bin/bash
# keepalived's preprocessor on three routers: ONE shared file, each daemon
# started with its own -i (r1, r2, r3) choosing its lines: @ID sets the
# priority and the unicast source, @^ID leaves itself out of the unicast
# peers, $NAME definitions (one multi-line) and a ~SEQ of three VIPs do the
# rest. r1 (150) must become master with all three VIPs; kill -9 of r1
# moves them to r2 (120); a reload of r2 (vrrpctl reload, after the file's
# @r2 priority changed) keeps its -i; kill -9 of r2 moves them to r3 (90).
. "$(dirname "$0")/lib.sh"
require_root
lab_create 3
ADV=0.1
VIPS="192.0.2.100 192.0.2.101 192.0.2.102"
VIP=192.0.2.100 # kill_takeover's
CONF=$T/shared.conf
write_conf() { # write_conf R2_PRIORITY
	cat >"$CONF" <<CONF
! one file for r1, r2 and r3 (vrrpd -i rN)
\$NET=192.0.2
@r1 \$PRIO=150
@r2 \$PRIO=$1
@r3 \$PRIO=90
@r1 \$ME=1
@r2 \$ME=2
@r3 \$ME=3
global_defs {
    router_id 'router \${_INSTANCE}'
}
\$PEERS= \\
unicast_peer { \\
    @^r1 \${NET}.1 \\
    @^r2 \${NET}.2 \\
    @^r3 \${NET}.3 \\
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priority \$PRIO
    version 3
    advert_int $ADV
    unicast_src_ip \${NET}.\${ME}
    \$PEERS
    virtual_ipaddress {
        ~SEQ(h, 100, 102) \${NET}.\${h}/24
    }
}
CONF
}
write_conf 120

# What each id reads, as vrrpd -t prints it.
for i in 1 2 3; do
	"$REPO/vrrpd" -t -i "r$i" -f "$CONF" >"$T/t$i.out" 2>&1 || fail "vrrpd -t -i r$i: $(cat "$T/t$i.out")"
done
grep -q 'priority 150' "$T/t1.out" || fail "-i r1 does not read priority 150"
grep -q 'priority 120' "$T/t2.out" || fail "-i r2 does not read priority 120"
grep -q 'priority 90' "$T/t3.out" || fail "-i r3 does not read priority 90"
grep -q 'unicast_src_ip 192.0.2.3' "$T/t3.out" || fail "-i r3: not unicast_src_ip 192.0.2.3"
n=$(grep -c '192.0.2.10[0-2]/24' "$T/t1.out")
[ "$n" = 3 ] || fail "-i r1: $n VIPs from the ~SEQ, not 3"
grep -A3 unicast_peer "$T/t2.out" | grep -q '192.0.2.2$' && fail "-i r2 lists itself as a unicast peer"
log "vrrpd -t: r1 150, r2 120, r3 90; unicast sources and peers by @ID / @^ID; 3 VIPs from ~SEQ"

all_on() { local v; for v in $VIPS; do _only "$1" "$v" || return 1; done; }
# after a kill -9 the dead router keeps its addresses: only the new one counts
all_have() { local v; for v in $VIPS; do has_vip "$1" "$v" || return 1; done; }
cap_start
for i in 1 2 3; do
	VRRPD_EXTRA_ARGS="-i r$i" start_daemon "r$i" "$CONF"
done
wait_until 10 all_on r1 || fail "the VIPs are not all on r1 only: $(for v in $VIPS; do printf '%s:%s ' "$v" "$(holders "$v")"; done)"
log "r1 (150) is master with $VIPS"
client_ping "$VIP" r1

kill_takeover r1 r2 5
m=$(mdi $ADV 120)
result "preproc: kill -9 of r1: r2 took over after $TAKE s (Master_Down_Interval $m s)"
assert_slack "takeover by r2 after kill -9 of r1" "$TAKE" "$m"
wait_until 2 all_have r2 || fail "the VIPs are not all on r2 after the kill of r1"
client_ping "$VIP" r2

# The reload reads the file with the same -i: r2's priority follows its
# @r2 line (without -i, $PRIO would be undefined and the reload refused).
write_conf 130
"$REPO/vrrpctl" -s "$T/r2.sock" reload >"$T/reload.out" 2>&1 || fail "reload of r2 failed: $(cat "$T/reload.out")"
prio() { "$REPO/vrrpctl" -s "$T/$1.sock" --json status | tr ',' '\n' | sed -n 's/^"priority":\([0-9]*\)$/\1/p' | head -n1; }
_prio_is() { [ "$(prio "$1")" = "$2" ]; }
wait_until 3 _prio_is r2 130 || fail "r2's priority after the reload is $(prio r2), not 130"
all_have r2 || fail "the VIPs left r2 on its reload"
log "reload of r2 with -i r2 kept: priority 130, still master"

kill_takeover r2 r3 5
m=$(mdi $ADV 90)
result "preproc: kill -9 of r2: r3 took over after $TAKE s (Master_Down_Interval $m s)"
assert_slack "takeover by r3 after kill -9 of r2" "$TAKE" "$m"
wait_until 2 all_have r3 || fail "the VIPs are not all on r3 after the kill of r2"
client_ping "$VIP" r3
log "r3 (90) holds $VIPS"
