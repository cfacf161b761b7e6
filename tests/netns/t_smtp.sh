#!/bin/bash
# Mail alerts (issue 3 item 5) against a real SMTP server: Debian's
# python3-aiosmtpd, in a namespace of its own on the lab's switch
# (192.0.2.20, port 2525). Both routers have smtp_alert: one mail per
# transition arrives, with the subject "[ROUTER_ID] VI_1 is now STATE", for
# every recipient. Then the mail server is cut off the switch: the failure
# is logged within smtp_connect_timeout, and the transitions and adverts go
# on meanwhile, on time.
. "$(dirname "$0")/lib.sh"
require_root
PY=/usr/bin/python3
"$PY" -c 'import aiosmtpd' 2>/dev/null || skip "python3-aiosmtpd is not installed (tests/deps.sh installs it)"
lab_create 2
# The mail server: one more host on the switch, "r20" = 192.0.2.20 (not a
# router: it is not in LAB_ROUTERS).
_host_add r20
MAILIP=192.0.2.20 PORT=2525 ADV=0.1 TMO=3
KIND=$(daemon_kind)

mkdir "$T/mail"
inns r20 "$PY" "$REPO/tests/netns/smtpd.py" "$MAILIP" "$PORT" "$T/mail" >"$T/smtpd.log" 2>&1 &
BG_PIDS+=($!)
wait_until 10 grep -q ready "$T/smtpd.log" || fail "the SMTP server did not start: $(cat "$T/smtpd.log")"
log "SMTP server (aiosmtpd) on $MAILIP:$PORT"

write_conf() { # HOST PRIO
	{
		printf 'global_defs {\n    router_id %s\n    notification_email {\n        ops@example.com\n        oncall@example.com\n    }\n' "$1"
		printf '    notification_email_from vrrpd-%s@example.com\n    smtp_server %s %s\n    smtp_connect_timeout %s\n}\n' \
			"$1" "$MAILIP" "$PORT" "$TMO"
		conf_instance VI_1 51 "$2" advert_int=$ADV extra="smtp_alert" -- "$VIP/24"
	} >"$T/$1.conf"
}
write_conf r1 150
write_conf r2 100

# subjects: "Subject" lines of the mails received, one per line, sorted.
subjects() {
	local f
	for f in "$T"/mail/*.eml; do
		[ -e "$f" ] || continue
		sed -n 's/^Subject: \(.*\)\r$/\1/p' "$f"
	done | sort
}
n_mails() { subjects | grep -c .; }
# mail_for HOST STATE: how many mails announce that transition.
mail_for() {
	if [ "$KIND" = vrrpd ]; then
		subjects | grep -cx "\[$1\] VI_1 is now $2"
	else # keepalived: "[r1] VRRP Instance VI_1 - Entering MASTER state"
		subjects | grep -c "\[$1\].*VI_1.*$2"
	fi
}
_mails_ge() { [ "$(n_mails)" -ge "$1" ]; }

cap_start
pair_up r1 10
# r1's mails (BACKUP, MASTER) and r2's (BACKUP) are out before r1 dies.
wait_until 10 _mails_ge 3 || fail "expected 3 mails by now, got $(n_mails): $(subjects | tr '\n' '|')"
stop_daemon r1 KILL
wait_vip r2 "$VIP" 5 || fail "r2 did not take $VIP within 5 s of the kill"
# r1: BACKUP, MASTER; r2: BACKUP, MASTER.
wait_until 10 _mails_ge 4 || fail "expected 4 mails, got $(n_mails): $(subjects | tr '\n' '|')"
sleep 0.5
log "mails: $(subjects | tr '\n' '|')"
[ "$(n_mails)" = 4 ] || fail "expected exactly 4 mails (one per transition), got $(n_mails): $(subjects | tr '\n' '|')"
for hs in "r1 BACKUP" "r1 MASTER" "r2 BACKUP" "r2 MASTER"; do
	# shellcheck disable=SC2086 # two words on purpose
	c=$(mail_for $hs)
	[ "$c" = 1 ] || fail "expected one mail for '$hs', got $c: $(subjects | tr '\n' '|')"
done
f=$(grep -l "VI_1 is now MASTER\|Entering MASTER" "$T"/mail/*.eml | xargs grep -l "r2" | head -n1)
grep -q "^X-Rcpt-To: ops@example.com, oncall@example.com" "$f" ||
	fail "the mail did not go to both recipients: $(head -n1 "$f")"
grep -q "^From: vrrpd-r2@example.com" "$f" || fail "wrong sender: $(grep '^From:' "$f")"
if [ "$KIND" = vrrpd ]; then
	grep -q "^Priority: 100" "$f" || fail "the mail's body does not give the priority: $(cat "$f")"
	assert_log r2 "INSTANCE VI_1 MASTER: alert mail sent to 2 recipient" "the mail as sent"
fi
log "one mail per transition, to both recipients"

# The server is cut off: r1 comes back and preempts, r2 goes back to
# BACKUP; both mails fail (after at most smtp_connect_timeout), nothing
# waits for them.
partition r20
t0=$(now)
start_daemon r1 "$T/r1.conf"
wait_only r1 "$VIP" 5 || fail "r1 did not take $VIP back: $(holders "$VIP")"
tmaster=$(wait_adv 192.0.2.1 "$t0" 3) || fail "no advert from r1 after its restart"
t_vip=$(fcalc "$(now) - $t0")
# r1 advertises on time while its mails hang.
sleep "$TMO"
gap=$(adverts | awk -v t="$tmaster" -v e="$(fcalc "$tmaster + $TMO")" '$4 == "192.0.2.1" && $8 > 0 && $1 >= t && $1 <= e {
	if (last != "" && $1 - last > max) max = $1 - last; last = $1 } END { printf "%.3f", max }')
result "mail server unreachable: r1 master ${t_vip} s after its start; largest r1 advert gap while its mails hung: $gap s (advert_int $ADV)"
assert_le "r1 advert gap while the mail server is unreachable" "$gap" "$(fcalc "2 * $ADV")"
if [ "$KIND" = vrrpd ]; then
	pat="alert mail not sent: smtp: "
else
	pat="smtp.*(error|fail|timeout|timed out|unreachable)|(error|fail|timeout).*smtp"
fi
_failed_logged() { grep -Eqi -- "$pat" "${DLOG[$1]}"; }
wait_until $((TMO + 3)) _failed_logged r1 || fail "r1's log does not report the failed mail (/$pat/)"
wait_until $((TMO + 3)) _failed_logged r2 || fail "r2's log does not report the failed mail (/$pat/)"
log "r1: $(grep -Ei -- "$pat" "${DLOG[r1]}" | tail -n1)"
[ "$(n_mails)" = 4 ] || fail "mails arrived while the server was cut off"
