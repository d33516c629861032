// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * FNV-1a, array growth and the hash index the parser uses for names,
 * prefixes, rule meanings and rule ids.
 */
#include <stdlib.h>
#include "policy_hash.h"

uint32_t policy_fnv1a(uint32_t h, const void *data, size_t len)
{
	const unsigned char *d = data;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= d[i];
		h *= POLICY_FNV_PRIME;
	}
	return h;
}

void *policy_grow(void *arr, size_t *cap, size_t need, size_t size)
{
	size_t ncap = *cap ? *cap : 4;
	void *n;

	if (need <= *cap)
		return arr;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2 / size)
			return NULL;
		ncap *= 2;
	}
	n = realloc(arr, ncap * size);
	if (n)
		*cap = ncap;
	return n;
}

size_t policy_cap(size_t n)
{
	size_t cap = 4;

	if (!n)
		return 0;
	while (cap < n)
		cap *= 2;
	return cap;
}

/* Kept at most half full, so probe sequences stay short and end. */
int policy_index_reserve(struct policy_index *ix, size_t need)
{
	struct policy_slot *ns;
	size_t ncap = ix->cap ? ix->cap : 16, i, j;

	if (need <= ix->cap / 2)
		return 0;
	while (ncap / 2 < need)
		ncap *= 2;
	ns = calloc(ncap, sizeof(*ns));
	if (!ns)
		return -1;
	for (i = 0; i < ix->cap; i++) {
		if (!ix->slot[i].val)
			continue;
		for (j = ix->slot[i].hash & (ncap - 1); ns[j].val;
		     j = (j + 1) & (ncap - 1))
			;
		ns[j] = ix->slot[i];
	}
	free(ix->slot);
	ix->slot = ns;
	ix->cap = ncap;
	return 0;
}

/*
 * An index with no slots yet answers every lookup with this empty slot; it
 * is never written, as a put always follows a reserve.
 */
static const struct policy_slot empty;

struct policy_slot *policy_index_first(const struct policy_index *ix,
				       uint32_t hash)
{
	if (!ix->cap)
		return (struct policy_slot *)&empty;
	return &ix->slot[hash & (ix->cap - 1)];
}

struct policy_slot *policy_index_next(const struct policy_index *ix,
				      struct policy_slot *s)
{
	return s + 1 == ix->slot + ix->cap ? ix->slot : s + 1;
}

void policy_index_put(struct policy_index *ix, struct policy_slot *s,
		      uint32_t hash, uint32_t index)
{
	s->hash = hash;
	s->val = index + 1;
	ix->n++;
}

void policy_index_free(struct policy_index *ix)
{
	free(ix->slot);
	ix->slot = NULL;
	ix->cap = ix->n = 0;
}
