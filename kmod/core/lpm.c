// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Longest-prefix match: a leaf-pushed multibit trie, 16-bit first stride
 * then 8-bit strides. See lpm.h.
 *
 * Every entry is a u32. With LPM_CHILD set, the low bits are the index of
 * a 256-entry chunk holding the next 8 bits; otherwise the low 16 bits
 * are the segment id of the longest prefix covering the entry (0: none).
 * Leaf pushing means an entry never needs to remember a shorter match
 * "behind" a child pointer: a new chunk starts as 256 copies of the entry
 * it replaces, so a lookup just follows pointers until it meets a value.
 */
#include "lpm.h"

enum {
	LPM_ROOT_BITS	= 16,
	LPM_ROOT_SIZE	= 1U << LPM_ROOT_BITS,
	LPM_CHUNK_BITS	= 8,
	LPM_CHUNK_SIZE	= 1U << LPM_CHUNK_BITS,
	/* Chunks the table starts with; it doubles from there. */
	LPM_CHUNKS_MIN	= 16,
};

/* Not enumerators: these do not fit in an int. */
#define LPM_CHILD	(1U << 31)
#define LPM_INDEX	(LPM_CHILD - 1)
/* The "chunk" holding the entries of the first stride. */
#define LPM_IN_ROOT	(~0U)

struct sgw_lpm {
	u32	*chunks;	/* nchunks * LPM_CHUNK_SIZE entries */
	u32	nchunks;
	u32	cap;		/* chunks allocated, during build only */
	u32	addr_bytes;
	/* Inline, so the first read needs no pointer chase. */
	u32	root[LPM_ROOT_SIZE];
};

/* kvmalloc() refuses (and warns about) anything past INT_MAX bytes. */
static void *zalloc_array(size_t n, size_t size)
{
	size_t bytes;

	if (check_mul_overflow(n, size, &bytes) || bytes > 0x7fffffff)
		return NULL;
	return sgw_zalloc(bytes);
}

/* Resize the chunk array to @cap chunks: there is no krealloc for kvmalloc
 * memory on every kernel we support, so allocate, copy and free.
 */
static int resize_chunks(struct sgw_lpm *t, u32 cap)
{
	u32 *n = NULL;

	if (cap) {
		n = zalloc_array(cap, LPM_CHUNK_SIZE * sizeof(*n));
		if (!n)
			return -ENOMEM;
		if (t->nchunks)
			memcpy(n, t->chunks,
			       (size_t)t->nchunks * LPM_CHUNK_SIZE * sizeof(*n));
	}
	sgw_free(t->chunks);
	t->chunks = n;
	t->cap = cap;
	return 0;
}

/* A new chunk, every entry a copy of @fill: the prefix it refines. */
static int add_chunk(struct sgw_lpm *t, u32 fill, u32 *idx)
{
	u32 *c;
	unsigned int i;
	int ret;

	if (t->nchunks == t->cap) {
		u32 cap = t->cap ? t->cap * 2 : LPM_CHUNKS_MIN;

		if (t->cap >= SGW_LPM_MAX_CHUNKS)
			return -E2BIG;
		if (cap > SGW_LPM_MAX_CHUNKS)
			cap = SGW_LPM_MAX_CHUNKS;
		ret = resize_chunks(t, cap);
		if (ret)
			return ret;
	}
	c = &t->chunks[(size_t)t->nchunks * LPM_CHUNK_SIZE];
	for (i = 0; i < LPM_CHUNK_SIZE; i++)
		c[i] = fill;
	*idx = t->nchunks++;
	return 0;
}

static u32 *entry(struct sgw_lpm *t, u32 chunk, unsigned int slot)
{
	if (chunk == LPM_IN_ROOT)
		return &t->root[slot];
	return &t->chunks[(size_t)chunk * LPM_CHUNK_SIZE + slot];
}

static void fill(u32 *e, unsigned int count, u32 value)
{
	unsigned int i;

	for (i = 0; i < count; i++)
		e[i] = value;
}

/*
 * Prefixes arrive shortest first. So when @p ends inside a stride, no entry
 * of the range it covers there can be a child pointer yet: that would take
 * an earlier, longer prefix. Overwriting the range is therefore exactly
 * "longest match wins", and chunks made later under it inherit its value.
 */
static int insert(struct sgw_lpm *t, const struct sgw_lpm_prefix *p)
{
	unsigned int slot = (unsigned int)p->addr[0] << 8 | p->addr[1];
	unsigned int rest, i;
	u32 parent = LPM_IN_ROOT;
	int ret;

	if (p->len <= LPM_ROOT_BITS) {
		fill(&t->root[slot], 1U << (LPM_ROOT_BITS - p->len), p->value);
		return 0;
	}
	rest = p->len - LPM_ROOT_BITS;
	for (i = 2; ; i++, rest -= LPM_CHUNK_BITS) {
		u32 e = *entry(t, parent, slot);
		u32 c;

		if (e & LPM_CHILD) {
			c = e & LPM_INDEX;
		} else {
			/* May move t->chunks: take the entry's address anew. */
			ret = add_chunk(t, e, &c);
			if (ret)
				return ret;
			*entry(t, parent, slot) = LPM_CHILD | c;
		}
		parent = c;
		slot = p->addr[i];
		if (rest <= LPM_CHUNK_BITS) {
			fill(entry(t, parent, slot),
			     1U << (LPM_CHUNK_BITS - rest), p->value);
			return 0;
		}
	}
}

static void mask_host_bits(u8 *addr, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < 16; i++) {
		if (len >= 8 * (i + 1))
			continue;
		if (len <= 8 * i)
			addr[i] = 0;
		else
			addr[i] &= (u8)(0xff00 >> (len - 8 * i));
	}
}

/* Shortest first, so insert() can rely on it; then by address, so the
 * same prefix given twice ends up adjacent.
 */
static int cmp_prefix(const void *a, const void *b)
{
	const struct sgw_lpm_prefix *x = a, *y = b;

	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return memcmp(x->addr, y->addr, sizeof(x->addr));
}

struct sgw_lpm *sgw_lpm_build(unsigned int addr_bytes,
			      const struct sgw_lpm_prefix *prefixes,
			      size_t n, int *err)
{
	struct sgw_lpm_prefix *work = NULL;
	struct sgw_lpm *t = NULL;
	size_t i;
	int ret;

	ret = -EINVAL;
	if ((addr_bytes != 4 && addr_bytes != 16) || (n && !prefixes))
		goto out;
	if (n) {
		ret = -ENOMEM;
		work = zalloc_array(n, sizeof(*work));
		if (!work)
			goto out;
		memcpy(work, prefixes, n * sizeof(*work));
	}
	for (i = 0; i < n; i++) {
		ret = -EINVAL;
		if (work[i].len > addr_bytes * 8 || !work[i].value)
			goto out;
		/* Also clears addr[4..15] of IPv4 prefixes, which the
		 * comparison below looks at.
		 */
		mask_host_bits(work[i].addr, work[i].len);
	}
	if (n)
		sgw_sort(work, n, sizeof(*work), cmp_prefix);
	for (i = 1; i < n; i++) {
		ret = -EEXIST;
		if (!cmp_prefix(&work[i - 1], &work[i]))
			goto out;
	}

	ret = -ENOMEM;
	t = sgw_zalloc(sizeof(*t));
	if (!t)
		goto out;
	t->addr_bytes = addr_bytes;
	for (i = 0; i < n; i++) {
		ret = insert(t, &work[i]);
		if (ret)
			goto out;
	}
	/* Give back the slack of the last doubling: the table lives long. */
	ret = 0;
	if (t->cap != t->nchunks)
		ret = resize_chunks(t, t->nchunks);

out:
	sgw_free(work);
	if (ret) {
		sgw_lpm_free(t);
		t = NULL;
	}
	*err = ret;
	return t;
}

void sgw_lpm_free(struct sgw_lpm *t)
{
	if (!t)
		return;
	sgw_free(t->chunks);
	sgw_free(t);
}

/*
 * The packet path: one read per stride, no branches but the loop's. The
 * build only creates a child where a prefix goes deeper, so the walk never
 * reads past the address length.
 */
u16 sgw_lpm_lookup(const struct sgw_lpm *t, const u8 *addr)
{
	u32 e = t->root[(u32)addr[0] << 8 | addr[1]];
	const u8 *p = addr + 2;

	while (e & LPM_CHILD)
		e = t->chunks[(e & LPM_INDEX) << LPM_CHUNK_BITS | *p++];
	return (u16)e;
}

size_t sgw_lpm_memory(const struct sgw_lpm *t)
{
	return sizeof(*t) +
	       (size_t)t->nchunks * LPM_CHUNK_SIZE * sizeof(*t->chunks);
}
