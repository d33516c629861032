#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host-based segmentation on a workload host: input and output hooks
# inside the db namespace. Only what the policy allows reaches db or
# leaves it; loopback and IPv6 neighbour discovery keep working.
source "$(dirname "$0")/lib.sh"

load_module
setup_network
cat > "$WORK/db.conf" <<'CONF'
hook input, output
segment self 10.10.2.2, fd00:2::2
segment app  10.10.1.0/24, fd00:1::/64
allow app -> self tcp 5432
allow self -> world udp 53
CONF
pp n db "$SGCTL" load "$WORK/db.conf"
# Fresh neighbour entries: discovery must work through the hooks.
n db ip -6 neigh flush dev eth0
ip -6 neigh flush dev gw-db
for f in 4 6; do
	expect pass tcp $f web db 5432
	expect drop tcp $f web db 22
	expect drop tcp $f ops db 5432
	expect drop icmp $f web db
	expect pass udp $f db out 53
	expect drop tcp $f db out 80
done
n db ip -6 neigh show dev eth0 | grep -q 'fd00:2::1.*\(REACHABLE\|STALE\|DELAY\)' ||
	fail "no IPv6 neighbour entry for the gateway"
n db ping -c1 -W1 -q 127.0.0.1 >/dev/null || fail "loopback ping inside db"
n db ping -6 -c1 -W1 -q ::1 >/dev/null || fail "loopback ping6 inside db"
[[ $(n db "$SGCTL" stats --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["passed_local"])') -gt 0 ]] ||
	fail "no local packets counted"
finish
