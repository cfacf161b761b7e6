# shellcheck shell=bash
# Shared body of t_interop_v2.sh, t_interop_v3.sh and t_interop_v6.sh:
# keepalived on one router, vrrpd on the other, same VRID. INTEROP_FAMILY=6
# runs it over IPv6 (VRRPv3, a 2001:db8:: VIP, adverts from link-local
# addresses).
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
	local ver=$1 adv=$2 m s other
	require_root
	command -v keepalived >/dev/null 2>&1 || skip "keepalived is not installed (Debian package keepalived; tests/deps.sh installs it)"
	other=vrrpd
	if [ "$(daemon_kind)" = keepalived ]; then
		log "NOTE: VRRPD_TEST_DAEMON=keepalived: keepalived on both sides (lab development only)"
		other=keepalived
	fi
	lab_create 2
	if [ "${INTEROP_FAMILY:-4}" = 6 ]; then
		lab_ipv6
		VIP=2001:db8::100 VIP_PREFIX=64
	fi
	m=$(mdi "$adv" 100)
	s=$(skew "$adv" 100)
	cap_start

	log "== (a) keepalived on r1 (priority 150) master, $other on r2 (priority 100) backup"
	pair_conf version="$ver" advert_int="$adv"
	pair_up -k keepalived "$other" r1 "$(fcalc "2 * $m + 3")" "$(fcalc "$m + 0.5")"
	log "$other (r2) stayed backup while keepalived is master"
	kill_takeover r1 r2 "$(fcalc "$m + 3")"
	local tag=v$ver
	[ "$LAB_FAMILY" = 6 ] && tag="v$ver IPv6"
	result "$tag interop: kill -9 keepalived -> $other takes over in $TAKE s (Master_Down_Interval $m s)"
	assert_slack "v$ver takeover by $other" "$TAKE" "$m"
	client_ping "$VIP" r2

	log "== (b) roles reversed: $other on r2 (priority 150) master, keepalived on r1 (priority 100) backup"
	stop_daemon r2 TERM
	ipn r1 addr del "$VIP/$VIP_PREFIX" dev eth0 2>/dev/null # what the kill -9 left behind
	pair_conf version="$ver" advert_int="$adv" r1:priority=100 r2:priority=150
	pair_up -k "$other" keepalived r2 "$(fcalc "2 * $m + 3")" "$(fcalc "$m + 0.5")"
	log "keepalived (r1) stayed backup while $other is master"
	term_takeover r2 r1 "$(fcalc "$m + 3")"
	result "$tag interop: SIGTERM $other -> keepalived takes over in $TAKE s after the priority-0 advert (Skew_Time $s s)"
	assert_slack "v$ver takeover by keepalived after priority 0" "$TAKE" "$s"
	assert_only r1 "$VIP"
	client_ping "$VIP" r1
}
