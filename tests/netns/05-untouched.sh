#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Inserting the module changes nothing until a policy loads, a policy in
# one namespace does not touch another, and reset makes a namespace
# untouched again.
source "$(dirname "$0")/lib.sh"

load_module
setup_network
# No policy: every path, lateral ones included, works as before.
for f in 4 6; do
	expect pass tcp $f db ops 9000
	expect pass udp $f out web 9000
	expect pass icmp $f web db
done
"$SGCTL" show | grep -q "no policy loaded" || fail "show without a policy"
[[ $(stat packets) == 0 ]] || fail "hooks saw packets with no policy loaded"

# A deny-all host policy inside the db namespace.
printf 'hook input, output\n' > "$WORK/deny-all.conf"
pp n db "$SGCTL" load "$WORK/deny-all.conf"
expect drop tcp 4 web db 9000
expect drop icmp 6 ops db
# ... leaves the gateway's own namespace, and the other hosts, alone.
expect pass tcp 4 web ops 9000
expect pass udp 6 out web 53
[[ $(stat packets) == 0 ]] || fail "the gateway namespace saw sgw packets"
# ... and db's own loopback still works under input/output hooks.
n db socat -T2 TCP-LISTEN:7777,reuseaddr EXEC:cat &
wait_for 300 listening db t 7777 || fail "no server on 7777 in db"
out=$(echo hi | n db socat -T2 - TCP:127.0.0.1:7777)
[[ $out == hi ]] || fail "loopback inside db broke under input/output hooks"

# Reset: untouched again.
pp n db "$SGCTL" reset
expect pass tcp 4 web db 9000
n db "$SGCTL" show | grep -q "no policy loaded" || fail "reset left a policy"
finish
