#!/bin/bash
# VRRPv3 interop with keepalived (advert_int 0.1 s; keepalived's default v3
# IPv4 checksum, with the pseudo-header): see lib_interop.sh.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_interop.sh"
interop_main 3 0.1
