# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Shared by the host-side VM scripts (sourced, not run).

# The newest installed 6.1 Debian kernel: what the VM scripts test by default.
default_kernel() {
	local k
	for k in /boot/vmlinuz-6.1.*-amd64; do
		[[ -e $k ]] && echo "${k#/boot/vmlinuz-}"
	done | sort -V | tail -n 1
}

# Every installed Debian kernel we can both boot and build for, oldest first.
all_kernels() {
	local k r
	for k in /boot/vmlinuz-*-amd64; do
		r=${k#/boot/vmlinuz-}
		[[ -f /lib/modules/$r/build/Makefile ]] && echo "$r"
	done | sort -V
}
