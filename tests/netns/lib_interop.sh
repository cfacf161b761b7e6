# shellcheck shell=bash
# Shared body of t_interop_v2.sh and t_interop_v3.sh: keepalived on one
# router, vrrpd on the other, same VRID.
#  (a) keepalived has the higher priority: it is master and vrrpd stays backup
#      (so vrrpd accepts keepalived's adverts); kill -9 keepalived: vrrpd takes
#      over within Master_Down_Interval + 100 ms.
#  (b) roles reversed: vrrpd is master and keepalived stays backup; SIGTERM
#      vrrpd: keepalived takes over within Skew_Time + 100 ms of vrrpd's
#      priority-0 advert (so keepalived accepts vrrpd's adverts, priority 0
#      included).
# With VRRPD_TEST_DAEMON=keepalived (developing the lab) both sides run
# keepalived; otherwise the vrrpd side must exist, or the test fails.

interop_main() {
	local ver=$1 adv=$2 VIP=192.0.2.100 m s other
	require_root
	command -v keepalived >/dev/null 2>&1 || skip "keepalived is not installed (Debian package keepalived; tests/deps.sh installs it)"
	other=vrrpd
	if [ "$(daemon_kind)" = keepalived ]; then
		log "NOTE: VRRPD_TEST_DAEMON=keepalived: keepalived on both sides (lab development only)"
		other=keepalived
	fi
	lab_create 2
	m=$(mdi "$adv" 100)
	s=$(skew "$adv" 100)
	cap_start

	log "== (a) keepalived on r1 (priority 150) master, $other on r2 (priority 100) backup"
	conf_instance VI_1 51 150 version="$ver" advert_int="$adv" -- "$VIP/24" >"$T/r1.conf"
	conf_instance VI_1 51 100 version="$ver" advert_int="$adv" -- "$VIP/24" >"$T/r2.conf"
	start_daemon -k keepalived r1 "$T/r1.conf"
	start_daemon -k "$other" r2 "$T/r2.conf"
	wait_only r1 "$VIP" "$(fcalc "2 * $m + 3")" || fail "keepalived (r1) is not the only holder of $VIP: $(holders "$VIP")"
	assert_stable r1 "$VIP" "$(fcalc "$m + 0.5")"
	log "$other (r2) stays backup while keepalived is master"
	client_ping "$VIP" r1
	local tkill tnew tlast take
	tkill=$(now)
	stop_daemon r1 KILL
	wait_vip r2 "$VIP" "$(fcalc "$m + 3")" || fail "$other (r2) did not take $VIP after keepalived was killed"
	tnew=$(wait_adv 192.0.2.2 "$tkill" 3) || fail "no advert from r2 after the kill"
	tlast=$(adv_last 192.0.2.1 "$tnew")
	take=$(fcalc "$tnew - $tlast")
	result "v$ver interop: kill -9 keepalived -> $other takes over in $take s (Master_Down_Interval $m s)"
	assert_le "v$ver takeover by $other" "$take" "$(fcalc "$m + ${NETNS_SLACK:-0.1}")"
	client_ping "$VIP" r2

	log "== (b) roles reversed: $other on r2 (priority 150) master, keepalived on r1 (priority 100) backup"
	stop_daemon r2 TERM
	ipn r1 addr del "$VIP/24" dev eth0 2>/dev/null # what the kill -9 left behind
	conf_instance VI_1 51 100 version="$ver" advert_int="$adv" -- "$VIP/24" >"$T/r1.conf"
	conf_instance VI_1 51 150 version="$ver" advert_int="$adv" -- "$VIP/24" >"$T/r2.conf"
	start_daemon -k "$other" r2 "$T/r2.conf"
	start_daemon -k keepalived r1 "$T/r1.conf"
	wait_only r2 "$VIP" "$(fcalc "2 * $m + 3")" || fail "$other (r2) is not the only holder of $VIP: $(holders "$VIP")"
	assert_stable r2 "$VIP" "$(fcalc "$m + 0.5")"
	log "keepalived (r1) stays backup while $other is master"
	client_ping "$VIP" r2
	local tterm t0
	tterm=$(now)
	stop_daemon r2 TERM
	assert_no_vip r2 "$VIP"
	t0=$(wait_adv 192.0.2.2 "$tterm" 2 "" "p == 0") || fail "no priority-0 advert from $other (r2) after SIGTERM"
	wait_vip r1 "$VIP" "$(fcalc "$m + 3")" || fail "keepalived (r1) did not take $VIP after $other stopped"
	tnew=$(wait_adv 192.0.2.1 "$t0" 3) || fail "no advert from keepalived (r1) after the priority-0 advert"
	take=$(fcalc "$tnew - $t0")
	result "v$ver interop: SIGTERM $other -> keepalived takes over in $take s after the priority-0 advert (Skew_Time $s s)"
	assert_le "v$ver takeover by keepalived after priority 0" "$take" "$(fcalc "$s + ${NETNS_SLACK:-0.1}")"
	assert_only r1 "$VIP"
	client_ping "$VIP" r1
}
