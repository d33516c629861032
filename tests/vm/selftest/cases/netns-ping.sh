#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The guest basics the kernel tests stand on: namespaces, a veth pair
# between them, addresses, and a ping across.
#
#   [ a: 10.99.0.1 ] veth [ b: 10.99.0.2 ]

set -e
pp() { echo "[+] $*"; "$@"; }
cleanup() { ip netns del a 2>/dev/null; ip netns del b 2>/dev/null; }
trap cleanup EXIT

pp ip netns add a
pp ip netns add b
pp ip -n a link set lo up
pp ip -n b link set lo up
pp ip -n a link add eth0 type veth peer name eth0 netns b
pp ip -n a addr add 10.99.0.1/24 dev eth0
pp ip -n b addr add 10.99.0.2/24 dev eth0
pp ip -n a link set eth0 up
pp ip -n b link set eth0 up
pp ip netns exec a ping -c1 -W5 -n 10.99.0.2
pp ip netns exec b ping -c1 -W5 -n 10.99.0.1
