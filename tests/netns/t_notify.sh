#!/bin/bash
# Notify commands and the notify FIFO (issue 3 item 4): two routers with
# notify_master/backup/fault/stop and notify, each command appending a
# timestamped line to a file, and a notify_fifo read in the background.
# Checks the calls, their arguments and their order (BACKUP at start, MASTER
# on r1; after kill -9 of r1, MASTER on r2; STOP on SIGTERM of r2), the FIFO
# lines in keepalived's format, and that r2's notify_master, which sleeps 5 s,
# delays neither the takeover (on the wire: last r1 advert -> first r2
# advert within Master_Down_Interval + NETNS_SLACK) nor r2's adverts nor the
# generic notify command.
. "$(dirname "$0")/lib.sh"
require_root
lab_create 2
ADV=0.1 SLOW=5
KIND=$(daemon_kind)

# The commands run as root (script_user root; no script security), from a
# root-owned directory nobody else can write to.
chmod 0755 "$T"
mkdir -m 0755 "$T/bin"
cat >"$T/bin/note.sh" <<'EOF'
#!/bin/sh
# note.sh FILE [slow] ARGS...: appends "TIME note.sh ARGS" to FILE.
f=$1
shift
slow=0
[ "$1" = slow ] && slow=1 && shift
echo "$(date +%s.%N) $(basename "$0") $*" >>"$f"
[ $slow = 1 ] && sleep SLOW
exit 0
EOF
sed -i "s/sleep SLOW/sleep $SLOW/" "$T/bin/note.sh"
chmod 0755 "$T/bin/note.sh"

# write_conf HOST PRIO MASTER-EXTRA
write_conf() {
	local h=$1 n="$T/bin/note.sh $T/$1.calls"
	{
		printf 'global_defs {\n    router_id %s\n    script_user root\n    notify_fifo %s\n}\n' \
			"$h" "$T/$h.fifo"
		conf_instance VI_1 51 "$2" advert_int=$ADV extra="notify_master \"$n $3master\"
notify_backup \"$n backup\"
notify_fault \"$n fault\"
notify_stop \"$n stop\"
notify \"$n notify\"" -- "$VIP/24"
	} >"$T/$h.conf"
}
write_conf r1 150 ""
write_conf r2 100 "slow "

# r1's FIFO exists before the daemon starts, with a reader that holds it
# open read-write (so it never sees EOF when a writer goes away).
mkfifo -m 0600 "$T/r1.fifo"
bash -c 'exec cat 0<>"$1" >"$2"' fifo-r1 "$T/r1.fifo" "$T/r1.fifo.out" &
BG_PIDS+=($!)

cap_start
pair_up r1 10

# r2's FIFO: the daemon creates it.
wait_until 5 test -p "$T/r2.fifo" || fail "the daemon on r2 did not create its notify FIFO $T/r2.fifo"
if [ "$KIND" = vrrpd ]; then
	mode=$(stat -c %a "$T/r2.fifo")
	[ "$mode" = 640 ] || fail "r2's notify FIFO has mode $mode, expected 640 (man vrrpd.conf)"
fi
bash -c 'exec cat 0<>"$1" >"$2"' fifo-r2 "$T/r2.fifo" "$T/r2.fifo.out" &
BG_PIDS+=($!)

# calls HOST: "TIME WHAT ARGS" lines in time order.
calls() { sort -n "$T/$1.calls" 2>/dev/null; }
has_call() { calls "$1" | grep -q -- " note.sh $2\$"; }
wait_call() { wait_until "$3" has_call "$1" "$2" || fail "no notify call '$2' on $1 within $3 s; calls: $(calls "$1" | tr '\n' '|')"; }
# states HOST: the states notified, in order, repeats folded.
states() { calls "$1" | awk '$3 == "notify" { s = $6 } $3 != "notify" { s = toupper($3) } s != last { printf "%s ", s; last = s }'; }

wait_call r1 "backup" 5
wait_call r1 "notify INSTANCE VI_1 BACKUP 150" 5
wait_call r1 "master" 5
wait_call r1 "notify INSTANCE VI_1 MASTER 150" 5
wait_call r2 "backup" 5
wait_call r2 "notify INSTANCE VI_1 BACKUP 100" 5
[ "$(states r1)" = "BACKUP MASTER " ] || fail "r1 notified '$(states r1)', expected 'BACKUP MASTER'"
[ "$(states r2)" = "BACKUP " ] || fail "r2 notified '$(states r2)', expected 'BACKUP'"
log "start: r1 BACKUP then MASTER, r2 BACKUP, each with its notify_* and notify commands"
if [ "$KIND" = vrrpd ]; then
	assert_log r1 "notify: INSTANCE VI_1 MASTER: notify_master started" "notify_master started"
fi

# kill -9 of r1: r2 takes over; its notify_master sleeps $SLOW s.
kill_takeover r1 r2 5
[ -n "$T_LAST" ] || fail "no advert from r1 in the capture"
m=$(mdi $ADV 100)
result "takeover with a ${SLOW} s notify_master $TAKE s (last r1 advert -> first r2 advert; Master_Down_Interval $m s)"
assert_slack "takeover with a slow notify_master" "$TAKE" "$m"
wait_call r2 "master" 2
wait_call r2 "notify INSTANCE VI_1 MASTER 100" 2
# The generic notify started with notify_master, not after its $SLOW s.
tm=$(calls r2 | awk '$3 == "master" { print $1; exit }')
tn=$(calls r2 | awk '$3 == "notify" && $6 == "MASTER" { print $1; exit }')
dn=$(fcalc "$tn - $tm")
dn=${dn#-}
assert_le "time between notify_master and notify on r2" "$dn" 1
# r2 keeps advertising on time while its notify_master sleeps.
sleep "$SLOW"
gap=$(adverts | awk -v t="$T_NEW" -v e="$(fcalc "$T_NEW + $SLOW")" '$4 == "192.0.2.2" && $8 > 0 && $1 >= t && $1 <= e {
	if (last != "" && $1 - last > max) max = $1 - last; last = $1 } END { printf "%.3f", max }')
result "largest r2 advert gap while its notify_master slept: $gap s (advert_int $ADV)"
assert_le "r2 advert gap during the slow notify_master" "$gap" "$(fcalc "2 * $ADV")"
log "takeover not delayed by the slow notify_master"

# SIGTERM of r2: STOP.
stop_daemon r2 TERM
wait_call r2 "stop" 3
wait_call r2 "notify INSTANCE VI_1 STOP 100" 3
[ "$(states r2)" = "BACKUP MASTER STOP " ] || fail "r2 notified '$(states r2)', expected 'BACKUP MASTER STOP'"
[ "$(states r1)" = "BACKUP MASTER " ] || fail "r1 notified '$(states r1)' (nothing after its kill -9), expected 'BACKUP MASTER'"
log "calls r1: $(calls r1 | cut -d' ' -f2- | tr '\n' '|')"
log "calls r2: $(calls r2 | cut -d' ' -f2- | tr '\n' '|')"

# The FIFO lines, in keepalived's format.
fifo_has() { grep -qx -- "$2" "$T/$1.fifo.out"; }
wait_until 2 fifo_has r2 'INSTANCE "VI_1" STOP 100' || true
for want in 'r1 INSTANCE "VI_1" BACKUP 150' 'r1 INSTANCE "VI_1" MASTER 150' \
	'r2 INSTANCE "VI_1" MASTER 100' 'r2 INSTANCE "VI_1" STOP 100'; do
	h=${want%% *}
	fifo_has "$h" "${want#* }" || fail "$h's FIFO did not get '${want#* }'; it got: $(tr '\n' '|' <"$T/$h.fifo.out")"
done
order=$(grep '^INSTANCE "VI_1"' "$T/r1.fifo.out" | awk '{ print $3 }' | uniq | tr '\n' ' ')
[ "$order" = "BACKUP MASTER " ] || fail "r1's FIFO lines came in the order '$order', expected 'BACKUP MASTER'"
log "fifo r1: $(tr '\n' '|' <"$T/r1.fifo.out")"
log "fifo r2: $(tr '\n' '|' <"$T/r2.fifo.out")"
