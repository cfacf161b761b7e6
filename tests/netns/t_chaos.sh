#!/bin/bash
# The short seeded chaos run of `make check` (issue 10, item 2): 20 faults
# from seed 1 on three routers, each checked after its heal; see
# tests/chaos/chaos.sh for the faults and the checks, and `make chaos
# SEED=... EVENTS=...` for longer runs. CHAOS_SEED / CHAOS_EVENTS override.
export CHAOS_SEED=${CHAOS_SEED:-1} CHAOS_EVENTS=${CHAOS_EVENTS:-20}
exec bash "$(dirname "$0")/../chaos/chaos.sh"
