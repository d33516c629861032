#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The L3/L4 policy between segments, with real TCP, UDP and ICMP over IPv4
# and IPv6: allowed flows pass both ways, every other combination is
# dropped (wrong port, lateral, reverse direction, wrong protocol,
# unsegmented source).
source "$(dirname "$0")/lib.sh"

load_module
setup_network
cat > "$WORK/policy.conf" <<'CONF'
hook forward
segment web 10.10.1.0/24, fd00:1::/64
segment db  10.10.2.0/24, fd00:2::/64
segment ops 10.10.9.5, fd00:9::5
allow web -> db tcp 5432
allow ops -> web, db tcp 22
allow any -> web tcp 80, 443
allow ops -> any icmp
allow ops -> any icmpv6
allow web -> world udp 53
allow web -> db tcp 8000-8080
CONF
sgctl load "$WORK/policy.conf"

for f in 4 6; do
	# Allowed, and the replies come back.
	expect pass tcp $f web db 5432
	expect pass tcp $f ops web 22
	expect pass tcp $f ops db 22
	expect pass tcp $f out web 80
	expect pass tcp $f db web 443
	expect pass tcp $f web db 8080
	expect pass udp $f web out 53
	expect pass icmp $f ops db
	expect pass icmp $f ops out
	# Wrong port, inside and at the edges of a range.
	expect drop tcp $f web db 9000
	expect drop tcp $f web db 22
	expect drop tcp $f out web 8080
	# Reverse direction of allowed flows.
	expect drop tcp $f db web 5432
	expect drop tcp $f web ops 22
	expect drop udp $f out web 53
	# Lateral, and a source in no segment.
	expect drop tcp $f db ops 22
	expect drop tcp $f out db 5432
	expect drop icmp $f out ops
	# Wrong protocol for an allowed port.
	expect drop udp $f web db 5432
	expect drop tcp $f web out 53
	expect drop icmp $f web db
done

# Every drop above is counted as a default deny, and no flow is left over
# from a denied attempt.
denied=$(stat drop_default)
[[ $denied -gt 0 ]] || fail "drop_default is $denied after denied traffic"
"$SGCTL" flows --json > "$WORK/flows.json"
python3 - "$WORK/flows.json" <<'PY' || fail "flow table holds a denied flow"
import json, sys
flows = json.load(open(sys.argv[1]))
bad = [f for f in flows if f["dport"] in (9000,) or f["src_seg"] == "world" and f["dst_seg"] == "db"]
sys.exit(1 if bad else 0)
PY
finish
