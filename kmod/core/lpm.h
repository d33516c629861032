/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Longest-prefix match from an address to a segment id.
 *
 * A table is built once from a list of prefixes and is immutable after
 * sgw_lpm_build(): readers on the packet path take no lock, and a policy
 * change builds a new table and swaps the pointer.
 *
 * The structure is a multibit trie with a 16-bit first stride and 8-bit
 * strides below it (DIR-16-8-8 for IPv4), leaf-pushed, so a lookup is one
 * array read per stride with no backtracking: at most 3 reads for IPv4,
 * 15 for IPv6, independent of the number of prefixes.
 */
#ifndef SGW_CORE_LPM_H
#define SGW_CORE_LPM_H

#include "compat.h"

enum sgw_lpm_limit {
	/* 256-entry chunks below the first stride, per table. Bounds
	 * memory at 1 KiB per chunk: 1M chunks is 1 GiB.
	 */
	SGW_LPM_MAX_CHUNKS	= 1U << 20,
};

struct sgw_lpm_prefix {
	u8	addr[16];	/* network byte order; IPv4 in addr[0..3] */
	u8	len;		/* bits: 0..32 (IPv4) or 0..128 (IPv6) */
	u16	value;		/* nonzero: segment id */
};

struct sgw_lpm;

/*
 * Build a table for addresses of @addr_bytes bytes (4 or 16) from
 * @n prefixes. Bits of an address past its prefix length are ignored.
 * Returns the table, or NULL with *err set: -EINVAL for a bad length or
 * value, -EEXIST for the same prefix twice, -ENOMEM, -E2BIG past
 * SGW_LPM_MAX_CHUNKS.
 */
struct sgw_lpm *sgw_lpm_build(unsigned int addr_bytes,
			      const struct sgw_lpm_prefix *prefixes,
			      size_t n, int *err);
void sgw_lpm_free(struct sgw_lpm *t);

/* Segment id of the longest prefix containing @addr, 0 if none. */
u16 sgw_lpm_lookup(const struct sgw_lpm *t, const u8 *addr);

/* Bytes of memory the table holds, for stats and benchmarks. */
size_t sgw_lpm_memory(const struct sgw_lpm *t);

#endif /* SGW_CORE_LPM_H */
