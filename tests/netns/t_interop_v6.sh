#!/bin/bash
# VRRPv3 over IPv6 interop with keepalived (advert_int 0.1 s), both
# directions: see lib_interop.sh.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_interop.sh"
INTEROP_FAMILY=6
interop_main 3 0.1
