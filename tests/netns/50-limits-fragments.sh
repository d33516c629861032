#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Edges of the packet path: a full flow table drops new flows and says so;
# fragmented datagrams are reassembled before they are decided; truncated
# headers are dropped and counted, never read past.
source "$(dirname "$0")/lib.sh"

load_module
setup_network
cat > "$WORK/policy.conf" <<'CONF'
set flow-limit 3
segment web 10.10.1.0/24, fd00:1::/64
segment db  10.10.2.0/24, fd00:2::/64
allow web -> db tcp 5432
allow web -> db udp 53
CONF
sgctl load "$WORK/policy.conf"

# Fill the table with three live connections.
streams=()
for i in 1 2 3; do
	n web python3 "$TOP/tests/netns/tools/stream.py" 10.10.2.2 5432 "$WORK/stop" 0.2 > "$WORK/s$i.out" &
	streams+=($!)
done
wait_for 100 stat_ge flows_active 3 || fail "table did not fill"
expect drop tcp 4 web db 5432
[[ $(stat drop_table_full) -gt 0 ]] || fail "table-full drops not counted"
[[ $(stat flows_active) -le 3 ]] || fail "flow table grew past its limit"
touch "$WORK/stop"
wait "${streams[@]}" || true
for i in 1 2 3; do
	grep -q '^ok' "$WORK/s$i.out" || fail "connection $i: $(cat "$WORK/s$i.out")"
done

# Room again once those flows are over (FIN: closing timeout).
sgctl reset
sed -i 's/^set flow-limit 3$/set flow-limit 64/' "$WORK/policy.conf"
sgctl load "$WORK/policy.conf"

# 4000-byte datagrams are fragmented on the wire, both ways.
big() {
	n web python3 - "$1" <<'PY'
import socket, sys
host = sys.argv[1]
fam = socket.AF_INET6 if ":" in host else socket.AF_INET
s = socket.socket(fam, socket.SOCK_DGRAM)
s.settimeout(2)
msg = bytes(range(256)) * 16 # 4096 bytes
s.sendto(msg, (host, 53))
data, _ = s.recvfrom(65536)
sys.exit(0 if data == msg else 1)
PY
}
big 10.10.2.2 || fail "fragmented IPv4 datagram did not make it through"
big fd00:2::2 || fail "fragmented IPv6 datagram did not make it through"
[[ $(stat drop_fragment) == 0 ]] || fail "fragments reached the hook"

# Hostile packets: IPv4 and IPv6 claiming TCP/UDP with 3 bytes of header.
before=$(stat drop_malformed)
n web python3 - <<'PY'
from scapy.all import IP, IPv6, Raw, send, conf
conf.verb = 0
send(IP(dst="10.10.2.2", proto=6) / Raw(b"\x01\x02\x03"))
send(IP(dst="10.10.2.2", proto=17) / Raw(b"\x01\x02\x03"))
send(IPv6(dst="fd00:2::2", nh=6) / Raw(b"\x01\x02\x03"))
PY
wait_for 100 stat_ge drop_malformed $((before + 3)) ||
	fail "truncated headers: drop_malformed $(stat drop_malformed), was $before"
finish
