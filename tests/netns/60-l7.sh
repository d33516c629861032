#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Application rules with real clients and servers: curl to an HTTP server
# (hosts, methods, paths), curl and openssl s_client to a TLS server (SNI,
# ALPN, a ClientHello spanning two segments), dig to dnsmasq (allowed and
# denied names in one flow), ssh to sshd and to a non-SSH service on port
# 22. For each denied request, a capture on the server side shows that
# none of its payload arrived.
source "$(dirname "$0")/lib.sh"

load_module
setup_network

# Servers: HTTP and TLS on web, DNS on out (the world), sshd on db, in
# place of the echo servers there; ops keeps its echo server on 22.
for h in web out db; do
	ip netns pids "$h" | xargs -r kill
done
# Their ports must be free before the new servers bind them.
for h in web out db; do
	wait_for 100 eval "[[ -z \$(ip netns pids $h) ]]" || fail "echo servers in $h did not exit"
done
mkdir -p "$WORK/www/api" && echo "api ok" > "$WORK/www/api/index.html" &&
	echo "home" > "$WORK/www/index.html"
(cd "$WORK/www" && exec ip netns exec web /usr/bin/python3 -m http.server -b :: 80 >"$WORK/http.log" 2>&1) &
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
	-subj /CN=shop.example.com -keyout "$WORK/key.pem" -out "$WORK/cert.pem" \
	-days 2 2>/dev/null
n web openssl s_server -accept 443 -cert "$WORK/cert.pem" -key "$WORK/key.pem" \
	-alpn h2,http/1.1 -www -quiet >/dev/null 2>&1 &
n out dnsmasq --no-daemon --no-resolv --no-hosts --port=53 --listen-address=192.0.2.2 \
	--bind-interfaces --address=/corp.example/10.0.0.7 --address=/evil.example/10.0.0.66 \
	>/dev/null 2>&1 &
ssh-keygen -q -t ed25519 -N '' -f "$WORK/hostkey"
mkdir -p /run/sshd
n db /usr/sbin/sshd -D -e -f /dev/null -h "$WORK/hostkey" -p 22 \
	-o PidFile=none -o UsePAM=no >/dev/null 2>&1 &
# python's http.server takes its time to start in the guest: wait for a
# real answer, before any policy, not in the first check.
wait_for 900 n web curl -s -m 5 -o /dev/null "http://${V4[web]}/" ||
	fail "HTTP server does not answer: $(cat "$WORK/http.log"; n web ss -Htlnp)"
wait_for 300 listening web t 443 || fail "no TLS server"
wait_for 300 listening db t 22 || fail "no sshd"
wait_for 300 listening out u 53 || fail "no dnsmasq"

# Server-side captures: payload of denied requests must never show up.
n web tcpdump -i eth0 -U -w "$WORK/web.pcap" 'tcp port 80 or tcp port 443' 2>/dev/null &
n out tcpdump -i eth0 -U -w "$WORK/dns.pcap" 'udp port 53' 2>/dev/null &
n ops tcpdump -i eth0 -U -w "$WORK/ops.pcap" 'tcp port 22' 2>/dev/null &
sleep 1

cat > "$WORK/l7.conf" <<'CONF'
segment web 10.10.1.0/24, fd00:1::/64
segment db  10.10.2.0/24, fd00:2::/64
segment ops 10.10.9.5, fd00:9::5
allow any -> web tcp 80 app http host shop.example.com, *.shop.example.com method GET, POST path /api/*
allow any -> web tcp 443 app tls sni shop.example.com alpn h2, http/1.1
allow web -> world udp 53 app dns qname *.corp.example
allow web -> db, ops tcp 22 app ssh
allow world -> web tcp 443 app tls sni big.example.com
CONF
sgctl load "$WORK/l7.conf"

check() {
	local want=$1 what=$2 got
	shift 2
	if "$@" >/dev/null 2>&1; then got=pass; else got=drop; fi
	if [[ $got == "$want" ]]; then
		pretty ok "$what: $got"
	else
		fail "$what: expected $want, got $got"
	fi
}
# Any HTTP answer at all means the request got through (the test server
# answers POST with 501); a cut request gets none (000).
http() { # FAMILY HOST METHOD PATH
	local url="http://$2$4" addr code
	addr=$(fmt_addr "$1" "${V6[web]}"); [[ $1 == 4 ]] && addr=${V4[web]}
	code=$(n out curl -s -m 15 -X "$3" --resolve "$2:80:$addr" "$url" \
		-o /dev/null -w '%{http_code}')
	[[ $code != 000 ]]
}
# A completed TLS handshake, whatever comes after it.
tls() { # SNI ALPN
	echo | n out timeout 8 openssl s_client -connect "${V4[web]}:443" \
		-servername "$1" -alpn "$2" 2>&1 | grep -q "^New, TLSv1"
}

check pass "http GET shop.example.com/api/x" http 4 shop.example.com GET /api/
check pass "http POST a.b.shop.example.com/api/ (v6)" http 6 a.b.shop.example.com POST /api/
check drop "http GET evil.example.com/api/" http 4 evil.example.com GET /api/
check drop "http DELETE shop.example.com/api/" http 4 shop.example.com DELETE /api/
check drop "http GET shop.example.com/admin" http 4 shop.example.com GET /admin
check drop "http GET shop.example.com/api/../admin" http 4 shop.example.com GET /api/%2e%2e/admin

check pass "tls sni shop.example.com alpn h2" tls shop.example.com h2
check pass "tls sni shop.example.com alpn h2, http/1.1" tls shop.example.com h2,http/1.1
check pass "curl https://shop.example.com/ (http/1.1)" n out curl -s -k -f -m 6 \
	--http1.1 --resolve "shop.example.com:443:${V4[web]}" https://shop.example.com/ -o /dev/null
check drop "tls sni evil.example.com" tls evil.example.com h2
check drop "tls sni shop.example.com alpn h3" tls shop.example.com h3
# A ClientHello larger than one segment: 40 ALPN ids offered.
alpn=$(python3 -c 'print(",".join(["http/1.1"] + ["h2"] + ["x-%02d-%s" % (i, "p" * 40) for i in range(38)]))')
big_hello() { tls "$1" "$alpn"; }
[[ ${#alpn} -gt 1500 ]] || fail "the ALPN list is too short to need two segments"
check pass "tls 2-segment ClientHello, sni big.example.com" big_hello big.example.com
check drop "tls 2-segment ClientHello, sni bad.example.com" big_hello bad.example.com
# The shop rule wants every offered ALPN id to be h2 or http/1.1.
check drop "tls 2-segment ClientHello, shop with extra ALPN ids" big_hello shop.example.com

# DNS: allowed and denied names from one socket, in one flow.
dns_both() {
	n web dig +tries=1 +time=3 -b "${V4[web]}#5533" @"${V4[out]}" a.corp.example evil.example > "$WORK/dig.out" 2>&1 || true
}
dns_both
grep -q "a.corp.example.*10.0.0.7" "$WORK/dig.out" || fail "allowed DNS name got no answer: $(cat "$WORK/dig.out")"
grep -q "evil.example.*10.0.0.66" "$WORK/dig.out" && fail "denied DNS name was answered"
check drop "dns qname www.debian.org" n web dig +tries=1 +time=3 +short @"${V4[out]}" www.debian.org

# SSH: a real sshd answers the key exchange; a non-SSH service on 22 is cut.
ssh_kex() {
	n web timeout 10 ssh -v -o BatchMode=yes -o StrictHostKeyChecking=no \
		-o UserKnownHostsFile=/dev/null -o ConnectTimeout=5 "nobody@$1" true 2>&1 |
		grep -q "SSH2_MSG_KEXINIT received"
}
check pass "ssh to sshd" ssh_kex "${V4[db]}"
check drop "non-SSH on port 22" tcp 4 web ops 22

# Data in the SYN (TCP Fast Open style) would reach the server before a
# verdict: the packet is dropped, never delivered.
before=$(stat drop_unclassified)
n out python3 - "${V4[web]}" <<'PY'
import sys
from scapy.all import IP, TCP, Raw, send, conf
conf.verb = 0
send(IP(dst=sys.argv[1]) / TCP(sport=40404, dport=80, flags="S", seq=1000) /
     Raw(b"GET /api/ HTTP/1.1\r\nHost: synfast.shop.example.com\r\n\r\n"))
PY
wait_for 50 stat_ge drop_unclassified $((before + 1)) || fail "SYN with data not dropped as unclassified"

sleep 1
pkill tcpdump || true
sleep 1
# None of the denied requests' payload reached a server.
for s in evil.example.com DELETE /admin bad.example.com synfast; do
	tcpdump -r "$WORK/web.pcap" -A 2>/dev/null | grep -q -- "$s" &&
		fail "denied payload '$s' reached the web server"
done
tcpdump -r "$WORK/web.pcap" -A 2>/dev/null | grep -q "shop.example.com" ||
	fail "capture saw no allowed request: the check above proves nothing"
tcpdump -r "$WORK/dns.pcap" -A 2>/dev/null | grep -q "evil" &&
	fail "denied DNS query reached dnsmasq"
tcpdump -r "$WORK/ops.pcap" -A 2>/dev/null | grep -q "sgw-probe" &&
	fail "non-SSH payload reached port 22"
[[ $(stat l7_classified) -gt 0 ]] || fail "no flow was classified"
[[ $(stat drop_l7) -gt 0 ]] || fail "no L7 drop counted"
"$SGCTL" stats
finish
