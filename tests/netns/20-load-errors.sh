#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A bad policy changes nothing; what show prints loads again and means the
# same; flush denies everything.
source "$(dirname "$0")/lib.sh"

load_module
setup_network
cat > "$WORK/good.conf" <<'CONF'
segment web 10.10.1.0/24, fd00:1::/64
segment db  10.10.2.0/24, fd00:2::/64
allow web -> db tcp 5432, 8000-8080
allow any -> web tcp 80
CONF
sgctl load "$WORK/good.conf"
gen=$("$SGCTL" show --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["generation"])')
"$SGCTL" show > "$WORK/before.txt"

# Parse errors name file, line and column, and reach no kernel.
printf 'segment web 10.10.1.0/24\nallow web -> dbb tcp 5432\n' > "$WORK/bad.conf"
if "$SGCTL" load "$WORK/bad.conf" 2> "$WORK/err.txt"; then
	fail "a policy naming an unknown segment loaded"
fi
grep -q "^$WORK/bad.conf:2:14: " "$WORK/err.txt" ||
	fail "error position: $(cat "$WORK/err.txt")"
"$SGCTL" show > "$WORK/after.txt"
cmp -s "$WORK/before.txt" "$WORK/after.txt" || fail "a bad policy changed the loaded one"
gen2=$("$SGCTL" show --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["generation"])')
[[ $gen == "$gen2" ]] || fail "generation moved from $gen to $gen2 on a failed load"
expect pass tcp 4 web db 5432
expect drop tcp 4 db web 5432

# What the parser refuses, the module refuses by itself too: two segments
# with one name, sent raw. The commit fails with the reason; nothing moves.
"$SGCTL" show > "$WORK/before-dup.txt"
out=$(/usr/bin/python3 "$TOP/tests/netns/genl.py" dup-segment-names)
[[ $out == "EEXIST segment name already used" ]] ||
	fail "two segments with one name: the module answered \"$out\""
"$SGCTL" show > "$WORK/after-dup.txt"
cmp -s "$WORK/before-dup.txt" "$WORK/after-dup.txt" || fail "a refused commit changed the policy"

# show's output loads again, to the same policy.
"$SGCTL" show > "$WORK/shown.conf"
sgctl load "$WORK/shown.conf"
"$SGCTL" show > "$WORK/shown2.conf"
grep -v '^#' "$WORK/shown.conf" > "$WORK/a"
grep -v '^#' "$WORK/shown2.conf" > "$WORK/b"
diff -u "$WORK/a" "$WORK/b" || fail "show output did not load back to the same policy"
expect pass tcp 6 web db 8080
expect drop tcp 6 web db 8081

# flush: an empty policy, deny everything on the same hooks.
sgctl flush
expect drop tcp 4 web db 5432
expect drop icmp 4 web db
"$SGCTL" show | grep -q "no policy loaded" && fail "flush removed the policy instead of emptying it"
finish
