#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# "sgctl rule add/delete" changes one rule of the loaded policy: the new
# rule decides new flows at once, every other rule keeps its counters and
# its flows, a flow only the deleted rule allowed is cut, an application
# rule shared by the generations keeps working once the generation that
# loaded it is gone, and a change the module or sgctl refuses changes
# nothing at all.
source "$(dirname "$0")/lib.sh"

load_module
setup_network
cat > "$WORK/policy.conf" <<'CONF'
segment web 10.10.1.0/24, fd00:1::/64
segment db  10.10.2.0/24, fd00:2::/64
segment ops 10.10.9.0/24, fd00:9::/64
allow web -> db tcp 5432
allow ops -> db tcp 22 app ssh
CONF
sgctl load "$WORK/policy.conf"

# A client banner is enough for the module to classify the flow as SSH;
# the echo server sends it back.
ssh_banner() {
	local out
	out=$(printf 'SSH-2.0-sgwprobe\r\n' | n ops timeout 8 socat -T4 - \
		"TCP4:${V4[db]}:22,connect-timeout=3" 2>/dev/null) || true
	[[ $out == SSH-2.0-sgwprobe* ]]
}
check_ssh() { # pass|drop
	if ssh_banner; then got=pass; else got=drop; fi
	[[ $got == "$1" ]] && pretty ok "ssh banner ops -> db:22: $got" ||
		fail "ssh banner ops -> db:22: expected $1, got $got"
}
show_json() { "$SGCTL" show --json; }
# json_get EXPR: a value from show --json, EXPR in python over "p".
json_get() {
	show_json | python3 -c "import json,sys; p=json.load(sys.stdin); print($1)"
}
rule_id() { # PORT: id of the rule for that port
	json_get "[r['id'] for r in p['rules'] if r['ports'] and r['ports'][0]['lo'] == $1][0]"
}
flows_of() { # PORT: flows counted by the rule for that port
	json_get "[r.get('counters', {}).get('flows', 0) for r in p['rules'] if r['ports'] and r['ports'][0]['lo'] == $1][0]"
}

expect pass tcp 4 web db 5432
expect drop tcp 4 web db 8080
check_ssh pass
flows_5432=$(flows_of 5432)
[[ $flows_5432 -ge 1 ]] || fail "rule 5432 counted $flows_5432 flows"
segments_before=$(json_get "p['segments']")
gen=$(json_get "p['generation']")

# Add: allowed at once, both families; the rest as it was.
sgctl rule add 'allow web -> db tcp 8080' > "$WORK/add.out"
grep -Eq "^added rule 0x[0-9a-f]{8}, generation $((gen + 1))$" "$WORK/add.out" ||
	fail "rule add said: $(cat "$WORK/add.out")"
expect pass tcp 4 web db 8080
expect pass tcp 6 web db 8080
expect drop tcp 4 db web 8080
expect pass tcp 4 web db 5432
[[ $(flows_of 5432) -ge $((flows_5432 + 1)) ]] ||
	fail "rule 5432 lost its counters in the update: $(flows_of 5432) flows"
[[ $(json_get "p['segments']") == "$segments_before" ]] ||
	fail "the segments changed in an update"
"$SGCTL" show | grep -q 'added by "sgctl rule add"' ||
	fail "show does not say where the added rule came from: $("$SGCTL" show)"
id8080=$(rule_id 8080)
[[ $(printf '0x%08x' "$id8080") == $(grep -o '0x[0-9a-f]*' "$WORK/add.out") ]] ||
	fail "rule add printed another id than show lists"

# Adding it again changes nothing.
gen=$(json_get "p['generation']")
out=$("$SGCTL" rule add 'allow db <- web tcp 8080' 2>&1) && fail "a rule with \"<-\" was taken: $out"
out=$("$SGCTL" rule add 'allow  web  ->  db  tcp  8080') || fail "adding a loaded rule again failed: $out"
[[ $out == "rule $(printf '0x%08x' "$id8080") is already loaded" ]] ||
	fail "adding a loaded rule again said: $out"
[[ $(json_get "p['generation']") == "$gen" ]] || fail "adding a loaded rule made a new generation"

# The application rule outlives the generation that loaded it: after a few
# more updates that generation is long freed.
for port in 9000 9001 9002; do
	"$SGCTL" rule add "allow web -> ops udp $port" >/dev/null
done
"$SGCTL" rule delete "allow web -> ops udp 9001" >/dev/null
sleep 1
check_ssh pass
expect drop tcp 4 ops db 22
expect pass udp 4 web ops 9000
expect drop udp 4 web ops 9001
json_get "[r for r in p['rules'] if r['proto'] == 'tcp' and r['ports'][0]['lo'] == 22][0]['app']" |
	grep -q "ssh" || fail "the ssh rule lost its app clause: $(show_json)"

# Delete by text: a live flow only that rule allowed is cut.
n web python3 "$TOP/tests/netns/tools/stream.py" "${V4[db]}" 8080 "$WORK/stop" > "$WORK/cut.out" &
cut=$!
n web python3 "$TOP/tests/netns/tools/stream.py" "${V4[db]}" 5432 "$WORK/stop" > "$WORK/keep.out" &
keep=$!
wait_for 100 stat_ge flows_active 2 || fail "flows did not start"
revoked=$(stat flows_revoked)
sgctl rule delete 'allow web -> db tcp 8080'
wait_exit "$cut" 300 || fail "the flow of the deleted rule was not cut"
read -r how count < "$WORK/cut.out"
[[ $how == reset ]] || fail "deleted rule's flow ended with '$how $count', want a reset"
[[ $(stat flows_revoked) -gt $revoked ]] || fail "revocation not counted"
expect drop tcp 4 web db 8080
sleep 0.5
kill -0 "$keep" 2>/dev/null || fail "a flow of a kept rule died: $(cat "$WORK/keep.out")"
touch "$WORK/stop"
wait "$keep" || true

# Delete by id, then add back.
ssh_id=$(json_get "[r['id'] for r in p['rules'] if r['proto'] == 'tcp' and r['ports'][0]['lo'] == 22][0]")
sgctl rule delete "$(printf '0x%08x' "$ssh_id")"
check_ssh drop
sgctl rule add 'allow ops -> db tcp 22 app ssh'
check_ssh pass

# Refusals change nothing: not the generation, not the policy show prints
# (its counter comments may move: flows of earlier probes still end).
policy_text() { "$SGCTL" show | grep -v '^#'; }
gen=$(json_get "p['generation']")
policy_text > "$WORK/before.txt"
refused() { # WHAT PATTERN CMD...: CMD must fail, saying PATTERN
	local what=$1 pattern=$2 out
	shift 2
	if out=$("$@" 2>&1); then
		fail "$what: accepted ($out)"
	elif ! grep -Eq -- "$pattern" <<< "$out"; then
		fail "$what: said \"$out\""
	else
		pretty ok "$what: refused"
	fi
}
refused "unknown segment" 'the loaded policy has no segment "nosuch"' \
	"$SGCTL" rule add 'allow web -> nosuch tcp 1'
refused "bad port" '^rule:1:21: ' "$SGCTL" rule add 'allow web -> db tcp 99999'
refused "unquoted arrow" 'shell redirection' "$SGCTL" rule add allow web -
refused "not a rule" '^rule:1:1: expected a rule' \
	"$SGCTL" rule add 'segment x 10.0.0.0/8'
refused "two rules" 'give one rule' "$SGCTL" rule add 'allow web -> db tcp 1
allow web -> db tcp 2'
refused "delete a rule not loaded" 'no loaded rule is' \
	"$SGCTL" rule delete 'allow web -> db tcp 7777'
refused "delete an id not loaded" 'no loaded rule has this id \(No such file' \
	"$SGCTL" rule delete 0x00000001
refused "no such subcommand" 'Usage' "$SGCTL" rule replace 'allow web -> db'
# What sgctl never sends, the module refuses by itself. (Python names
# errno 95, EOPNOTSUPP, ENOTSUP.)
/usr/bin/python3 "$TOP/tests/netns/genl.py" update-refusals "$ssh_id" > "$WORK/genl.out"
diff -u - "$WORK/genl.out" <<'OUT' || fail "the module's answers to bad updates differ"
hooks-in-update EINVAL an update keeps the live hooks and settings: load the whole policy to change them
segment-in-update EINVAL an update keeps the live segments: load the whole policy to change them
delete-outside-update EINVAL rules are deleted only in an update
delete-unknown-id ENOENT no loaded rule has this id
delete-twice EINVAL a rule is deleted twice
add-loaded-id EEXIST a loaded rule already has this id
stale-generation ESTALE the policy changed since it was read
dump-unknown-flags ENOTSUP
OUT
policy_text > "$WORK/after.txt"
diff -u "$WORK/before.txt" "$WORK/after.txt" || fail "a refused change changed the policy"
[[ $(json_get "p['generation']") == "$gen" ]] ||
	fail "a refused change made a new generation"

# A full load replaces whatever the updates did.
sgctl load "$WORK/policy.conf"
expect drop udp 4 web ops 9000
[[ $(json_get "len(p['rules'])") == 2 ]] || fail "a full load kept rules added by updates"
# A rule added by command has the id a full load gives the same rule.
{ cat "$WORK/policy.conf"; echo "allow web -> db tcp 8080"; } > "$WORK/with8080.conf"
sgctl load "$WORK/with8080.conf"
[[ $(rule_id 8080) == "$id8080" ]] ||
	fail "rule add gave id $id8080, a full load $(rule_id 8080)"

# No policy, nothing to update: an allow rule added to nothing would deny
# everything else.
sgctl reset
refused "update without a policy" 'no policy is loaded to update' \
	"$SGCTL" rule add 'allow world -> world tcp 80'
expect pass tcp 4 web db 9000
finish
