#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The demo, run inside the QEMU guest by `make demo`: a segmented network
# behind this namespace as the gateway, examples/three-tier.conf loaded,
# real clients sending allowed and denied traffic, and what sgctl shows.
source "$(dirname "$0")/../netns/lib.sh"

say() { echo -e "\n\x1b[1m== $*\x1b[0m"; }
try() {
	local label=$1; shift
	if "$@"; then
		printf '  %-52s \x1b[32mpassed\x1b[0m\n' "$label"
	else
		printf '  %-52s \x1b[31mdropped\x1b[0m\n' "$label"
	fi
}

say "Network: four hosts in their own namespaces, this VM is the gateway"
cat <<'PIC'
      web 10.10.1.2 fd00:1::2          db 10.10.2.2 fd00:2::2
                 \                        /
                  +------ gateway -------+
                 /       (sgw.ko)         \
      ops 10.10.9.5 fd00:9::5          out 192.0.2.2 2001:db8::2 (world)
PIC
load_module
setup_network

say "Policy: examples/three-tier.conf"
grep -v '^\s*$' "$TOP/examples/three-tier.conf"
say "sgctl load examples/three-tier.conf"
"$SGCTL" load "$TOP/examples/three-tier.conf"

say "sgctl monitor: the flow log, live (the lines starting with time=)"
"$SGCTL" monitor &
monitor=$!
sleep 2

say "Traffic from real clients (socat, ping) through the gateway"
try "web -> db   tcp/5432 (database)" tcp 4 web db 5432
try "web -> db   tcp/5432 over IPv6" tcp 6 web db 5432
try "out -> web  tcp/443 (public HTTPS)" tcp 4 out web 443
try "ops -> db   tcp/22 (admin SSH)" tcp 4 ops db 22
try "ops -> web  ping" icmp 4 ops web
try "web -> out  udp/53 (DNS to the world)" udp 4 web out 53
try "db  -> web  tcp/22 (lateral movement)" tcp 4 db web 22
try "web -> db   tcp/22 (not the database port)" tcp 4 web db 22
try "out -> db   tcp/5432 (world to the database)" tcp 4 out db 5432
try "web -> db   udp/5432 (wrong protocol)" udp 4 web db 5432

# Keep one connection open so the flow table has something live to show.
n web python3 "$TOP/tests/netns/tools/stream.py" 10.10.2.2 5432 "$WORK/stop" 0.2 >/dev/null &
stream=$!
sleep 1

sleep 2
kill -INT "$monitor"
wait "$monitor" || true

say "sgctl flows: what is flowing now, and which rule allowed it"
"$SGCTL" flows
say "sgctl stats: every packet counted, drops by reason"
"$SGCTL" stats
say "sgctl show: the loaded policy, as policy text"
"$SGCTL" show
touch "$WORK/stop"
wait "$stream" || true
