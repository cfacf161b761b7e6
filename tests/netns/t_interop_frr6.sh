#!/bin/bash
# VRRPv3 interop with FRR's vrrpd over IPv6: the same scenario as
# t_interop_frr.sh (see lib_frr.sh). Skipped, with the reason, for as long
# as `vrrpd -t` says that this vrrpd does not run IPv6 instances; a real test
# from the day it does. VRRPD_TEST_DAEMON=frr runs FRR on both sides.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_frr.sh"
frr_interop_main 6
