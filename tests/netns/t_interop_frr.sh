#!/bin/bash
# VRRPv3 interop with FRR's vrrpd over IPv4 (advertisement interval 100 ms):
# FRR master then vrrpd master, failover both ways; see lib_frr.sh.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_frr.sh"
frr_interop_main 4
