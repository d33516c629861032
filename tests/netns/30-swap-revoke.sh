#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Policy swaps under running traffic: a flow the new policy still allows
# never notices; a flow it no longer allows is cut at its next packet (TCP
# reset), counted as revoked; a new flow is decided by the new policy.
source "$(dirname "$0")/lib.sh"

load_module
setup_network
write_policy() {
	{
		echo "segment web 10.10.1.0/24, fd00:1::/64"
		echo "segment db  10.10.2.0/24, fd00:2::/64"
		echo "allow web -> db tcp 5432"
		echo "$1"
	} > "$WORK/policy.conf"
}
write_policy "allow web -> db tcp 22"
sgctl load "$WORK/policy.conf"

# Two long-lived connections: 5432 stays allowed, 22 will be revoked.
n web python3 "$TOP/tests/netns/tools/stream.py" 10.10.2.2 5432 "$WORK/stop" > "$WORK/keep.out" &
keep=$!
n web python3 "$TOP/tests/netns/tools/stream.py" fd00:2::2 22 "$WORK/stop" > "$WORK/cut.out" &
cut=$!
wait_for 100 stat_ge flows_active 2 || fail "flows did not start"

# Reload several times with the allowed flows unchanged.
for i in 1 2 3 4 5; do
	write_policy "allow web -> db tcp 22, 23$i"
	sgctl load "$WORK/policy.conf" >/dev/null
	sleep 0.3
done
kill -0 "$cut" 2>/dev/null || fail "an allowed flow died during reloads: $(cat "$WORK/cut.out")"

# Revoke port 22.
write_policy "allow web -> db udp 53"
revoked_before=$(stat flows_revoked)
sgctl load "$WORK/policy.conf"
wait_exit "$cut" 300 || fail "the revoked connection was not cut"
read -r how count < "$WORK/cut.out"
[[ $how == reset ]] || fail "revoked flow ended with '$how $count', want a reset"
[[ $(stat flows_revoked) -gt $revoked_before ]] || fail "revocation not counted"
[[ $(stat drop_revoked) -gt 0 ]] || fail "revoked packets not counted"
[[ $(stat resets_sent) -gt 0 ]] || fail "no reset sent"

# The kept flow survived every swap.
sleep 0.5
touch "$WORK/stop"
wait "$keep" || true
read -r how count < "$WORK/keep.out"
[[ $how == ok && $count -gt 10 ]] || fail "allowed flow: '$how $count'"

# A new connection to the revoked port is denied by the new policy.
expect drop tcp 6 web db 22
expect pass tcp 4 web db 5432
finish
