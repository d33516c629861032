#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Rule hit times and "sgctl audit" against the real module: a rule that
# carried traffic has first and last hit times (in "show", text and JSON)
# and is not reported as unused; rules that never did are. A long
# connection on one port of a port range shows the range wider than its
# traffic; "any" on every port is broad; port 22 is administrative.
#
#   web 10.10.1.2 --tcp 5432, held open--> [gateway] --> db 10.10.2.2
source "$(dirname "$0")/lib.sh"

load_module
setup_network

cat > "$WORK/policy.conf" <<'CONF'
segment web 10.10.1.0/24, fd00:1::/64
segment db  10.10.2.0/24, fd00:2::/64
segment ops 10.10.9.5, fd00:9::5
allow web -> db tcp 5000-6000
allow web -> db udp 9000
allow ops -> web tcp 22
allow any -> db udp
CONF
sgctl load "$WORK/policy.conf"

# Nothing hit yet: every rule is unused, and none has hit times.
"$SGCTL" audit > "$WORK/audit0.out" || fail "sgctl audit failed before traffic"
cat "$WORK/audit0.out"
for line in 4 5 6 7; do
	grep -q "^rule 0x[0-9a-f]\{8\} line $line: never hit since it was loaded (allow " \
		"$WORK/audit0.out" || fail "line $line not reported unused before any traffic"
done

before=$(date +%s)
expect pass tcp 4 web db 5432
# A connection that stays in the flow table while sgctl looks.
n web python3 "$TOP/tests/netns/tools/stream.py" 10.10.2.2 5432 "$WORK/stop" 0.2 \
	> "$WORK/stream.out" &
stream=$!
# The probe's own flow to 5432 may still be in the table, closing.
established_to() {
	"$SGCTL" flows --json | python3 -c '
import json, sys
sys.exit(0 if any(f["dport"] == int(sys.argv[1]) and f["state"] == "established"
                  for f in json.load(sys.stdin)) else 1)' "$1"
}
wait_for 100 established_to 5432 || fail "the connection to port 5432 did not start"

rc=0
"$SGCTL" audit > "$WORK/audit.out" || rc=$?
cat "$WORK/audit.out"
((rc == 0)) || fail "sgctl audit exited $rc with findings"
has() { grep -q -- "$1" "$WORK/audit.out" || fail "audit lacks /$1/"; }
lacks() { ! grep -q -- "$1" "$WORK/audit.out" || fail "audit has /$1/"; }
lacks "line 4: never hit"
has "line 4: carried traffic on ports 5432 only, allows 5000-6000 (. flows\? in the flow table) (allow web -> db tcp 5000-6000)$"
has "line 4: allows administrative port 5900; grants without expiry are permanent"
has "line 5: never hit since it was loaded (allow web -> db udp 9000)$"
has "line 6: never hit since it was loaded (allow ops -> web tcp 22)$"
has "line 6: allows administrative port 22; grants without expiry are permanent (allow ops -> web tcp 22)$"
has "line 7: never hit since it was loaded (allow any -> db udp)$"
has "line 7: allows any source on every udp port (allow any -> db udp)$"
# Just hit, and a flow is live: not stale by any --days.
"$SGCTL" audit --days 1 > "$WORK/audit-days.out" || fail "sgctl audit --days 1 failed"
! grep -q "line 4: not hit" "$WORK/audit-days.out" || fail "a rule in use reported stale"
"$SGCTL" audit --days 0 2>/dev/null && fail "--days 0 accepted"

# The same findings as JSON.
"$SGCTL" audit --json > "$WORK/audit.json" || fail "sgctl audit --json failed"
python3 - "$WORK/audit.json" <<'PY' || fail "audit --json"
import json, sys
found = json.load(open(sys.argv[1]))
assert all(set(f) == {"id", "line", "rule", "finding", "kind"} for f in found), found
kinds = {(f["line"], f["kind"]) for f in found}
print(sorted(kinds))
want = {(4, "unused-ports"), (4, "admin-port"), (5, "never-hit"),
        (6, "never-hit"), (6, "admin-port"), (7, "never-hit"), (7, "broad")}
assert kinds == want, kinds
r4 = [f for f in found if f["line"] == 4][0]
assert r4["rule"] == "allow web -> db tcp 5000-6000", r4
assert isinstance(r4["id"], int) and r4["id"] > 0, r4
PY

# Hit times: ISO 8601, from the first probe on (the probe's flow ending
# is a hit too); absent for the rules never hit.
"$SGCTL" show --json > "$WORK/show.json"
after=$(date +%s)
python3 - "$WORK/show.json" "$before" "$after" <<'PY' || fail "show --json hit times"
import calendar, json, sys, time
rules = {r["line"]: r for r in json.load(open(sys.argv[1]))["rules"]}
lo, hi = int(sys.argv[2]), int(sys.argv[3])
c = rules[4]["counters"]
print("line 4 counters:", c)
for key in ("first_hit", "last_hit"):
    t = calendar.timegm(time.strptime(c[key], "%Y-%m-%dT%H:%M:%SZ"))
    assert lo - 1 <= t <= hi + 1, (key, c[key], lo, hi)
assert c["first_hit"] <= c["last_hit"]
for line in (5, 6, 7):
    c = rules[line]["counters"]
    assert c["flows"] == 0 and "first_hit" not in c and "last_hit" not in c, c
PY
"$SGCTL" show > "$WORK/show.txt"
cat "$WORK/show.txt"
grep -q "^# rule 0x[0-9a-f]\{8\}, loaded from line 4: packets [0-9]* bytes [0-9]* flows [1-9][0-9]* first_hit 20[0-9-]*T[0-9:]*Z last_hit 20[0-9-]*T[0-9:]*Z$" \
	"$WORK/show.txt" || fail "show: no hit times for the rule in use"
grep -q "line 5: packets 0 bytes 0 flows 0$" "$WORK/show.txt" ||
	fail "show: hit times for a rule never hit"
# The text still loads as is.
sgctl load "$WORK/show.txt" || fail "sgctl show output does not load back"

touch "$WORK/stop"
wait_exit "$stream" 100 || fail "the stream did not stop"
grep -q "^ok " "$WORK/stream.out" || fail "stream: $(cat "$WORK/stream.out")"

# No policy: nothing to audit, and no error.
sgctl reset
[[ $("$SGCTL" audit) == "no policy loaded" ]] || fail "audit without a policy"
[[ $("$SGCTL" audit --json | tr -d ' \n') == "[]" ]] || fail "audit --json without a policy"
finish
