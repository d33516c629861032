# SPDX-License-Identifier: GPL-2.0
#
# Shared by the kernel tests: a segmented network of namespaces around a
# gateway, and helpers that drive real traffic through it. Sourced by each
# tests/netns/*.sh, which runs as root inside the QEMU guest.
#
#            web 10.10.1.2  fd00:1::2        db 10.10.2.2  fd00:2::2
#                      \                       /
#                       veth             veth
#                         [ gateway: this namespace ]
#                       veth             veth
#                      /                       \
#            ops 10.10.9.5  fd00:9::5       out 192.0.2.2  2001:db8::2
#
# The gateway holds .1 of each /24 (and ::1 of each /64) and forwards.
# Every host runs echo servers: TCP and UDP on ports 22, 53, 80, 443,
# 5432, 8080 and 9000.

set -e
shopt -s extglob

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SGCTL=${SGW_SGCTL:-$TOP/ctl/sgctl}
SGW_KO=${SGW_KO:-$TOP/tests/vm/build/$(uname -r)/sgw.ko}
[[ -e $SGW_KO ]] || SGW_KO=$TOP/kmod/sgw.ko
HOSTS=(web db ops out)
PORTS=(22 53 80 443 5432 8080 9000)
declare -A V4=([web]=10.10.1.2 [db]=10.10.2.2 [ops]=10.10.9.5 [out]=192.0.2.2)
declare -A V6=([web]=fd00:1::2 [db]=fd00:2::2 [ops]=fd00:9::5 [out]=2001:db8::2)
declare -A GW4=([web]=10.10.1.1 [db]=10.10.2.1 [ops]=10.10.9.1 [out]=192.0.2.1)
declare -A GW6=([web]=fd00:1::1 [db]=fd00:2::1 [ops]=fd00:9::1 [out]=2001:db8::1)
declare -A LEN4=([web]=24 [db]=24 [ops]=24 [out]=24)
WORK=$(mktemp -d /tmp/sgw-test.XXXXXX)
FAILED=0

pretty() { echo -e "\x1b[32m\x1b[1m[+] ${1:+$1: }$2\x1b[0m" >&2; }
pp() { pretty "" "$*"; "$@"; }
n() { local ns=$1; shift; ip netns exec "$ns" "$@"; }
sgctl() { pretty sgctl "$*"; "$SGCTL" "$@"; }

fail() {
	echo "FAIL: $*" >&2
	FAILED=$((FAILED + 1))
}

cleanup() {
	set +e
	local ns
	jobs -p | xargs -r kill 2>/dev/null
	for ns in "${HOSTS[@]}" "${EXTRA_NS[@]}"; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
	"$SGCTL" reset >/dev/null 2>&1
	# Namespaces go away asynchronously, and their veth peers with them:
	# the next test must not find our links.
	for ns in "${HOSTS[@]}"; do
		ip link del "gw-$ns" 2>/dev/null
	done
	wait_for 100 eval '! ip -o link show | grep -q " gw-"'
	rm -rf "$WORK"
}

load_module() {
	lsmod | grep -q '^sgw ' && return 0
	# insmod resolves no dependencies: load what sgw.ko links against.
	modprobe -a nf_defrag_ipv4 nf_defrag_ipv6 nf_reject_ipv4 nf_reject_ipv6
	pp insmod "$SGW_KO"
}

# Wait up to $1 tenths of a second for a command to succeed. The limit is
# on time, not tries: a command may itself take seconds in the guest.
wait_for() {
	local deadline=$((SECONDS + ($1 + 9) / 10))
	shift
	while ((SECONDS <= deadline)); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}

# Wait up to $2 tenths of a second for process $1 to exit; false if not.
wait_exit() {
	wait_for "$2" eval "! kill -0 $1" || { kill "$1" 2>/dev/null; return 1; }
	wait "$1" 2>/dev/null || true
}

# listening NS t|u PORT: does something listen there? (ss itself always
# succeeds, match or not.)
listening() {
	[[ -n $(n "$1" ss -H"$2"ln "sport = :$3") ]]
}

# Is there a live flow to port $1 (any protocol)?
flow_to() {
	"$SGCTL" flows --json | python3 -c '
import json, sys
sys.exit(0 if any(f["dport"] == int(sys.argv[1]) for f in json.load(sys.stdin)) else 1)' "$1"
}

start_servers() {
	n "$1" python3 "$TOP/tests/netns/tools/echo.py" "${PORTS[@]}" &
}

setup_network() {
	local h
	sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
	for h in "${HOSTS[@]}"; do
		ip netns add "$h"
		ip link add "gw-$h" type veth peer name eth0 netns "$h"
		ip addr add "${GW4[$h]}/${LEN4[$h]}" dev "gw-$h"
		ip addr add "${GW6[$h]}/64" dev "gw-$h" nodad
		ip link set "gw-$h" up
		n "$h" ip link set lo up
		n "$h" ip addr add "${V4[$h]}/${LEN4[$h]}" dev eth0
		n "$h" ip addr add "${V6[$h]}/64" dev eth0 nodad
		n "$h" ip link set eth0 up
		n "$h" ip route add default via "${GW4[$h]}"
		n "$h" ip -6 route add default via "${GW6[$h]}"
		start_servers "$h"
	done
	for h in "${HOSTS[@]}"; do
		wait_for 300 listening "$h" u 9000 || fail "no echo server in $h"
	done
	warm_up
}

# One round of traffic between every pair before any policy, so that
# neighbour entries exist and the first real probe is not the slow one.
warm_up() {
	local a b pids=()
	for a in "${HOSTS[@]}"; do
		for b in "${HOSTS[@]}"; do
			[[ $a == "$b" ]] && continue
			n "$a" ping -c1 -W3 -q "${V4[$b]}" >/dev/null 2>&1 &
			pids+=($!)
			n "$a" ping -6 -c1 -W3 -q "${V6[$b]}" >/dev/null 2>&1 &
			pids+=($!)
		done
	done
	# Only these: the servers are background jobs too.
	wait "${pids[@]}" || true
}

# Address of host $2 in family $1 (4 or 6).
addr() { if [[ $1 == 6 ]]; then echo "${V6[$2]}"; else echo "${V4[$2]}"; fi; }

# Does traffic get through? Each prints nothing and returns 0 or 1.
# Timeouts are generous: the guest runs under software emulation on a
# shared machine, and a denied probe costs its full timeout either way.
# tcp FAMILY FROM TO PORT: a real TCP connection carrying a line back.
tcp() {
	local out
	out=$(echo "sgw-probe" | n "$2" timeout 8 socat -T4 - \
		"TCP$1:$(fmt_addr "$1" "$(addr "$1" "$3")"):$4,connect-timeout=3" 2>/dev/null) || true
	[[ $out == sgw-probe ]]
}
udp() {
	local out
	out=$(echo "sgw-probe" | n "$2" timeout 8 socat -T3 - \
		"UDP$1:$(fmt_addr "$1" "$(addr "$1" "$3")"):$4" 2>/dev/null) || true
	[[ $out == sgw-probe ]]
}
icmp() {
	n "$2" ping -"$1" -c1 -W3 -n -q "$(addr "$1" "$3")" >/dev/null 2>&1
}
fmt_addr() { if [[ $1 == 6 ]]; then echo "[$2]"; else echo "$2"; fi; }

# expect pass|drop PROTO FAMILY FROM TO [PORT]
expect() {
	local want=$1 proto=$2 fam=$3 from=$4 to=$5 port=$6 what got
	what="$proto/v$fam $from -> $to${port:+:$port}"
	if "$proto" "$fam" "$from" "$to" $port; then got=pass; else got=drop; fi
	if [[ $got == "$want" ]]; then
		pretty ok "$what: $got"
	else
		fail "$what: expected $want, got $got"
	fi
}

# A stats counter by its text name, e.g. stat drop_default.
stat() {
	"$SGCTL" stats --json | python3 -c '
import json, sys
print(json.load(sys.stdin)[sys.argv[1]])' "$1"
}

# stat_ge NAME N: is counter NAME at least N? (for wait_for)
stat_ge() { [[ $(stat "$1") -ge $2 ]]; }

finish() {
	if ((FAILED)); then
		echo "$FAILED check(s) failed" >&2
		exit 1
	fi
	pretty "" "all checks passed"
}

trap cleanup EXIT
