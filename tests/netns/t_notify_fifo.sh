#!/bin/bash
# The notify FIFO's keepalived extras (issue 9): two routers with a
# notify_fifo read in the background. Checks, in keepalived's line format:
#  - a failover (kill -9 of r1): r2's FIFO gets MASTER;
#  - vrrp_notify_priority_changes: a reload that lowers r2's priority from
#    100 to 90 while it is master gives 'INSTANCE "VI_1" MASTER_PRIORITY 90';
#  - fifo_write_vrrp_states_on_reload: that reload writes every instance's
#    state again (VI_1 MASTER 90, VI_2 and VI_3 BACKUP);
#  - notify_deleted: the reload that removes VI_2 (notify_deleted with a
#    command) gives DELETED and runs the command; VI_3 (without it) is
#    notified as FAULT and runs notify_fault, as keepalived does.
. "$(dirname "$0")/lib.sh"
require_root
[ "$(daemon_kind)" = keepalived ] && skip "keepalived 2.2.7 has no notify_deleted / fifo_write_vrrp_states_on_reload"
lab_create 2
ADV=0.1
chmod 0755 "$T"
mkdir -m 0755 "$T/bin"
printf '#!/bin/sh\necho "$*" >>%s\n' "$T/calls" >"$T/bin/note.sh"
chmod 0755 "$T/bin/note.sh"

# write_conf HOST PRIO WITH-VI2-VI3
write_conf() {
	local h=$1
	{
		printf 'global_defs {\n    router_id %s\n    script_user root\n    notify_fifo %s\n' "$h" "$T/$h.fifo"
		printf '    vrrp_notify_priority_changes\n    fifo_write_vrrp_states_on_reload\n}\n'
		conf_instance VI_1 51 "$2" advert_int=$ADV -- "$VIP/24"
		if [ "$3" = yes ]; then
			conf_instance VI_2 52 50 advert_int=$ADV extra="notify_deleted \"$T/bin/note.sh deleted VI_2\"" -- 192.0.2.102/24
			conf_instance VI_3 53 50 advert_int=$ADV extra="notify_fault \"$T/bin/note.sh fault VI_3\"" -- 192.0.2.103/24
		fi
	} >"$T/$h.conf"
}
write_conf r1 150 no
write_conf r2 100 yes
for h in r1 r2; do
	mkfifo -m 0600 "$T/$h.fifo"
	bash -c 'exec cat 0<>"$1" >"$2"' "fifo-$h" "$T/$h.fifo" "$T/$h.fifo.out" &
	BG_PIDS+=($!)
done
fifo_has() { grep -qx -- "$2" "$T/$1.fifo.out"; }
wait_fifo() { wait_until "$3" fifo_has "$1" "$2" || fail "$1's FIFO did not get '$2' within $3 s; it got: $(tr '\n' '|' <"$T/$1.fifo.out")"; }

cap_start
pair_up r1 10
wait_fifo r2 'INSTANCE "VI_1" BACKUP 100' 3
wait_fifo r2 'INSTANCE "VI_2" MASTER 50' 3

# Failover.
kill_takeover r1 r2 5
wait_fifo r2 'INSTANCE "VI_1" MASTER 100' 2
log "failover: r2's FIFO got MASTER"

# Reload: VI_1's priority 100 -> 90 (in place), VI_2 and VI_3 removed.
write_conf r2 90 no
n_before=$(wc -l <"$T/r2.fifo.out")
t_reload=$(now)
signal_daemon r2 HUP
wait_fifo r2 'INSTANCE "VI_1" MASTER_PRIORITY 90' 3
wait_fifo r2 'INSTANCE "VI_2" DELETED 50' 3
wait_fifo r2 'INSTANCE "VI_3" FAULT 50' 3
after=$(tail -n +"$((n_before + 1))" "$T/r2.fifo.out")
echo "$after" | grep -qx 'INSTANCE "VI_1" MASTER 90' ||
	fail "fifo_write_vrrp_states_on_reload: no 'INSTANCE \"VI_1\" MASTER 90' after the reload; got: $(echo "$after" | tr '\n' '|')"
echo "$after" | grep -q 'STOP' && fail "a removed instance was notified as STOP: $(echo "$after" | tr '\n' '|')"
wait_until 3 grep -qx 'deleted VI_2' "$T/calls" || fail "notify_deleted's command did not run; calls: $(tr '\n' '|' <"$T/calls" 2>/dev/null)"
wait_until 3 grep -qx 'fault VI_3' "$T/calls" || fail "VI_3 (no notify_deleted) did not run notify_fault on removal"
result "after the reload ($(fcalc "$(now) - $t_reload") s) r2's FIFO got: $(echo "$after" | tr '\n' '|')"
wait_no_vip r2 192.0.2.102 2 || fail "the removed VI_2's address stayed on r2"
assert_vip r2 "$VIP"
log "fifo r2: $(tr '\n' '|' <"$T/r2.fifo.out")"
