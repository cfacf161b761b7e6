#!/bin/bash
# Accept_Mode (conformance 56): with no_accept a non-owner master holds the
# VIP but drops packets addressed to it (the client's ping fails), while
# ARP keeps working (the client still learns the master's MAC); with accept
# (keepalived's default) the ping is answered. An address owner (priority
# 255) accepts whatever no_accept says. The drop rules live in vrrpd's own
# nftables table, which is gone after the daemon stops.
. "$(dirname "$0")/lib.sh"
require_root
lab_create 2
pair_conf extra="no_accept"
cap_start
pair_up r1 10
inns r1 nft list table inet vrrpd >"$T/nft.txt" 2>&1 || fail "no nftables table inet vrrpd on r1: $(cat "$T/nft.txt")"
grep -q "$VIP" "$T/nft.txt" || fail "r1's vrrpd table does not list $VIP: $(cat "$T/nft.txt")"
inns c ping -n -q -c 3 -i 0.2 -W 1 "$VIP" >"$T/ping.out" 2>&1 && fail "with no_accept the client's ping to $VIP was answered"
wait_until 2 _neigh_is "$VIP" "$(host_mac r1)" || fail "ARP for $VIP does not work with no_accept: entry '$(_neigh_mac "$VIP")'"
inns c ping -n -q -c 2 -i 0.2 -W 1 192.0.2.1 >/dev/null 2>&1 || fail "no_accept also dropped r1's own address"
log "no_accept: ping to $VIP dropped on r1 (ARP answered, r1's own address reachable)"

kill_takeover r1 r2 5
inns r2 nft list table inet vrrpd 2>/dev/null | grep -q "$VIP" || fail "r2 took over without the drop rule for $VIP"
inns c ping -n -q -c 3 -i 0.2 -W 1 "$VIP" >/dev/null 2>&1 && fail "with no_accept r2 answered a ping to $VIP"
stop_daemon r2 TERM
inns r2 nft list table inet vrrpd >/dev/null 2>&1 && fail "r2 left its nftables table behind"
log "no_accept follows the master; the table is gone after SIGTERM"

pair_conf extra="accept"
pair_up r1 10
client_ping "$VIP" r1
log "accept: the ping to $VIP is answered"
stop_daemon r1 TERM
stop_daemon r2 TERM

pair_conf r1:priority=255 extra="no_accept"
pair_up r1 10
client_ping "$VIP" r1
log "no_accept on the address owner (priority 255): the ping is answered"
