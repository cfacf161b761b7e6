#!/bin/bash
# smtp_server as a host name (issue 9): resolved at send time by a getent
# job, never in the event loop. The name comes from the lab only: `ip netns
# exec` bind-mounts /etc/netns/NS/hosts (and resolv.conf) over /etc's, so
# mail.lab.test means 192.0.2.20 in r1's namespace and nowhere else.
# 1. The name resolves: r1's MASTER mail arrives at the lab's server.
# 2. The name does not resolve and DNS hangs (resolv.conf points at a lab
#    address nobody answers from): the resolver is killed at
#    smtp_connect_timeout, the drop is logged with its reason, and r1's
#    adverts stay on time meanwhile.
. "$(dirname "$0")/lib.sh"
require_root
[ "$(daemon_kind)" = keepalived ] && skip "keepalived resolves smtp_server while it loads (blocking); this tests vrrpd's resolver"
PY=/usr/bin/python3
"$PY" -c 'import aiosmtpd' 2>/dev/null || skip "python3-aiosmtpd is not installed (tests/deps.sh installs it)"
command -v getent >/dev/null 2>&1 || skip "getent (libc-bin) is missing"
lab_create 1
_host_add r20
MAILIP=192.0.2.20 PORT=2525 ADV=0.1 TMO=2
mkdir "$T/mail"
inns r20 "$PY" "$REPO/tests/netns/smtpd.py" "$MAILIP" "$PORT" "$T/mail" >"$T/smtpd.log" 2>&1 &
BG_PIDS+=($!)
wait_until 10 grep -q ready "$T/smtpd.log" || fail "the SMTP server did not start: $(cat "$T/smtpd.log")"

ETC=/etc/netns/$(ns r1)
[ -e "$ETC" ] && fail "$ETC exists already"
CLEANUP_PATHS+=("$ETC")
mkdir -p "$ETC"
printf '127.0.0.1 localhost\n%s mail.lab.test\n' "$MAILIP" >"$ETC/hosts"
# nobody answers DNS at 192.0.2.53: a name not in hosts hangs the resolver
printf 'nameserver 192.0.2.53\noptions timeout:5 attempts:3\n' >"$ETC/resolv.conf"

write_conf() { # SERVER-NAME
	{
		printf 'global_defs {\n    router_id r1\n    notification_email {\n        ops@example.com\n    }\n'
		printf '    notification_email_from vrrpd-r1@example.com\n    smtp_server %s %s\n    smtp_connect_timeout %s\n}\n' \
			"$1" "$PORT" "$TMO"
		conf_instance VI_1 51 150 advert_int=$ADV extra="smtp_alert" -- "$VIP/24"
	} >"$T/r1.conf"
}
n_mails() { find "$T/mail" -name '*.eml' | grep -c .; }
_mails_ge() { [ "$(n_mails)" -ge "$1" ]; }

# 1. a name from the lab's hosts file
write_conf mail.lab.test
"$REPO/vrrpd" -t -f "$T/r1.conf" >"$T/t.out" 2>&1 || fail "vrrpd -t refuses smtp_server mail.lab.test: $(cat "$T/t.out")"
t0=$(now)
start_daemon r1 "$T/r1.conf"
wait_vip r1 "$VIP" 5 || fail "r1 did not become master"
wait_until 10 _mails_ge 2 || fail "expected r1's BACKUP and MASTER mails through mail.lab.test, got $(n_mails): $(tail -n 5 "${DLOG[r1]}" | tr '\n' ';')"
t_mail=$(fcalc "$(now) - $t0")
grep -qh "VI_1 is now MASTER" "$T"/mail/*.eml || fail "no MASTER mail among $(n_mails)"
assert_log r1 "alert mail sent to 1 recipient" "the mail as sent"
result "smtp_server mail.lab.test: both mails in by ${t_mail} s after r1's start (polled)"
stop_daemon r1 TERM

# 2. a name nobody can resolve, DNS hanging: adverts stay on time
sleep 0.5
before=$(n_mails)
write_conf mail.nowhere.test
cap_start
t0=$(now)
start_daemon r1 "$T/r1.conf"
wait_vip r1 "$VIP" 5 || fail "r1 did not become master"
_unres() { grep -q "cannot resolve smtp_server mail.nowhere.test" "${DLOG[r1]}"; }
wait_until $((TMO + 5)) _unres || fail "r1 did not log the failed resolution within $((TMO + 5)) s: $(tail -n 5 "${DLOG[r1]}" | tr '\n' ';')"
t_fail=$(fcalc "$(now) - $t0")
tmaster=$(wait_adv 192.0.2.1 "$t0" 3) || fail "no advert from r1"
sleep 0.3
gap=$(adverts | awk -v t="$tmaster" '$4 == "192.0.2.1" && $8 > 0 && $1 >= t {
	if (last != "" && $1 - last > max) max = $1 - last; last = $1 } END { printf "%.3f", max }')
log "r1: $(grep "cannot resolve" "${DLOG[r1]}" | tail -n 1)"
result "smtp_server whose DNS hangs: failure logged ${t_fail} s after the start (smtp_connect_timeout $TMO s); largest r1 advert gap meanwhile $gap s (advert_int $ADV)"
assert_le "r1's advert gap while its resolver hung" "$gap" "$(fcalc "1.5 * $ADV")"
[ "$(n_mails)" = "$before" ] || fail "a mail arrived although its server's name does not resolve ($before before, $(n_mails) after)"
