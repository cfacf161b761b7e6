#!/bin/bash
# VRRPv2 simple password (conformance 22): with different passwords the
# routers ignore each other (both become master) and the lower one logs the
# mismatch; with the same password the election is normal.
. "$(dirname "$0")/lib.sh"
require_root
lab_create 2
ADV=1
auth() { printf 'authentication {\n    auth_type PASS\n    auth_pass %s\n}' "$1"; }
pair_conf version=2 advert_int=$ADV r1:extra="$(auth secret1)" r2:extra="$(auth secret2)"
m2=$(mdi 1 100) # v2: 3 s + (256 - 100) / 256 s
cap_start
start_daemon r1 "$T/r1.conf"
start_daemon r2 "$T/r2.conf"
wait_vip r1 "$VIP" 8 || fail "r1 did not become master"
wait_vip r2 "$VIP" "$(fcalc "$m2 + 3")" || fail "r2 (other password) did not become master too: it must ignore r1's adverts; holders: $(holders "$VIP")"
log "different passwords: both are master ($(holders "$VIP")), as they must"
# the daemon must say why it ignores r1 (vrrpd logs and counts it; keepalived: "invalid passwd")
wait_until 2 grep -Eqi 'auth|passw' "${DLOG[r2]}" || fail "r2's log says nothing about the password mismatch"
log "r2 logged: $(grep -Ei 'auth|passw' "${DLOG[r2]}" | tail -n1)"

stop_daemon r2 TERM
conf_instance VI_1 51 100 version=2 advert_int=$ADV extra="$(auth secret1)" -- "$VIP/24" >"$T/r2.conf"
start_daemon r2 "$T/r2.conf"
tstart=${DSTART[r2]}
# r2 must stay backup longer than its Master_Down_Interval
assert_stable r1 "$VIP" "$(fcalc "$m2 + 1")"
n=$(adv_count "src == \"192.0.2.2\" && t > $tstart")
[ "$n" = 0 ] || fail "r2 (same password now) sent $n adverts: it did not accept r1's adverts"
log "same password: r2 stays backup"
client_ping "$VIP" r1
