/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Small helpers of the policy parser: FNV-1a, array growth and an
 * open-addressing index. Internal to ctl/policy*.c.
 */
#ifndef SGCTL_POLICY_HASH_H
#define SGCTL_POLICY_HASH_H

#include <stddef.h>
#include <stdint.h>

#define POLICY_FNV_BASIS	2166136261u
#define POLICY_FNV_PRIME	16777619u

/* FNV-1a 32 of @len bytes, continuing from @h (POLICY_FNV_BASIS to start). */
uint32_t policy_fnv1a(uint32_t h, const void *data, size_t len);

/*
 * Grow @arr (of *@cap elements of @size) to hold @need, doubling. Returns
 * the array, or NULL with @arr untouched when out of memory.
 */
void *policy_grow(void *arr, size_t *cap, size_t need, size_t size);

/*
 * The capacity policy_grow gave an array that holds @n elements and was
 * grown one at a time from empty: for arrays of the model, which keep only
 * their length.
 */
size_t policy_cap(size_t n);

/*
 * A hash index over some array the caller owns: each slot holds an array
 * index and its hash, so the index grows without calling back. Lookups
 * walk the probe sequence and compare entries themselves:
 *
 *	for (s = policy_index_first(ix, h); s->val;
 *	     s = policy_index_next(ix, s))
 *		if (s->hash == h && equal(array[s->val - 1], key))
 *			return s;	(found)
 *	policy_index_put(ix, s, h, i);	  (s is now the empty slot)
 *
 * Call policy_index_reserve() before the walk that ends in a put.
 */
struct policy_slot {
	uint32_t	hash;
	uint32_t	val;	/* array index + 1; 0: empty */
};

struct policy_index {
	struct policy_slot	*slot;
	size_t			cap;	/* 0 or a power of two */
	size_t			n;
};

int policy_index_reserve(struct policy_index *ix, size_t need);
struct policy_slot *policy_index_first(const struct policy_index *ix,
				       uint32_t hash);
struct policy_slot *policy_index_next(const struct policy_index *ix,
				      struct policy_slot *s);
void policy_index_put(struct policy_index *ix, struct policy_slot *s,
		      uint32_t hash, uint32_t index);
void policy_index_free(struct policy_index *ix);

#endif /* SGCTL_POLICY_HASH_H */
