#!/bin/bash
# VRRPv3 interop with FRR's vrrpd over IPv6: the same scenario as
# t_interop_frr.sh (see lib_frr.sh), with an IPv6 VIP and adverts from
# link-local addresses. VRRPD_TEST_DAEMON=frr runs FRR on both sides.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_frr.sh"
frr_interop_main 6
