#!/bin/bash
# virtual_routes / virtual_rules follow the master; static_routes stay on
# every router while vrrpd runs (keepalived's semantics): r1 master has the
# route 203.0.113.0/24 via 192.0.2.254 and the rule "from 192.0.2.100
# lookup 100", r2 has neither; after kill -9 of r1 they are on r2 (and r1's
# were left by the crash); after SIGTERM none is left. static route
# 198.51.100.0/24 via 192.0.2.253 on both while they run.
. "$(dirname "$0")/lib.sh"
require_root
lab_create 2
X='virtual_routes {\n    203.0.113.0/24 via 192.0.2.254 dev eth0\n}\nvirtual_rules {\n    from 192.0.2.100/32 table 100 priority 1000\n}'
pair_conf extra="$X"
for h in r1 r2; do
	printf 'static_routes {\n    198.51.100.0/24 via 192.0.2.253 dev eth0\n}\n' >>"$T/$h.conf"
done
"$(vrrpd_bin)" -t -f "$T/r1.conf" >"$T/t.out" 2>&1 || fail "vrrpd -t refuses the file: $(cat "$T/t.out")"
grep -qi "virtual_routes.*not implemented\|static_routes.*not implemented" "$T/t.out" && fail "vrrpd -t skips routes: $(cat "$T/t.out")"
has_route() { ipn "$1" route show 203.0.113.0/24 | grep -q "via 192.0.2.254"; }
has_rule() { ipn "$1" rule show | grep -q "1000:.*from 192.0.2.100 lookup 100"; }
has_static() { ipn "$1" route show 198.51.100.0/24 | grep -q "via 192.0.2.253"; }
cap_start
pair_up r1 10
wait_until 2 has_route r1 || fail "r1 (master) has no route 203.0.113.0/24: $(ipn r1 route)"
has_rule r1 || fail "r1 (master) has no rule from 192.0.2.100: $(ipn r1 rule)"
has_route r2 && fail "r2 (backup) has the virtual route"
has_rule r2 && fail "r2 (backup) has the virtual rule"
has_static r1 && has_static r2 || fail "the static route is not on both routers"
log "master r1 has the virtual route and rule; backup r2 has neither; both have the static route"
kill_takeover r1 r2 5
wait_until 2 has_route r2 || fail "r2 did not install the route after taking over"
has_rule r2 || fail "r2 did not install the rule after taking over"
result "routes: virtual route and rule on r2 after it took over (kill -9 of r1)"
stop_daemon r2 TERM
has_route r2 && fail "r2 left its virtual route after SIGTERM"
has_rule r2 && fail "r2 left its virtual rule after SIGTERM"
has_static r2 && fail "r2 left its static route after SIGTERM"
log "after SIGTERM r2 has no virtual or static route or rule"
