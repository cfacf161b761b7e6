#!/bin/bash
# VRRPv2 interop with keepalived (advert_int 1 s): see lib_interop.sh.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_interop.sh"
interop_main 2 1
