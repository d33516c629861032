#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# rmmod with a policy loaded and traffic flowing is clean (the harness
# fails the run on any kernel warning), and the module comes back.
source "$(dirname "$0")/lib.sh"

load_module
setup_network
cat > "$WORK/policy.conf" <<'CONF'
segment web 10.10.1.0/24, fd00:1::/64
segment db  10.10.2.0/24, fd00:2::/64
allow web -> db tcp 5201, 9000
allow web -> db udp 5201
CONF
sgctl load "$WORK/policy.conf"
n db iperf3 -s -D -1 >/dev/null
wait_for 300 listening db t 5201 || fail "no iperf3 server"
n web iperf3 -c 10.10.2.2 -t 6 > "$WORK/iperf.out" 2>&1 &
iperf=$!
wait_for 100 stat_ge flows_active 1 || fail "no flow"
sleep 1
pp rmmod sgw
wait $iperf || true
# Without the module the namespace is untouched again: everything passes.
expect pass tcp 4 db web 9000
load_module
sgctl load "$WORK/policy.conf"
expect pass tcp 4 web db 9000
expect drop tcp 4 db web 9000
finish
