// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Allow tables, see ruleset.h.
 *
 * Layout, all of it immutable once built:
 *
 *   slots[]   open-addressing hash on (src << 16 | dst), linear probing,
 *             power-of-two size, load at most 1/2. A slot with npset == 0
 *             is empty, so every key value, (any, any) = ~0 included,
 *             stays usable.
 *   psets[]   per pair, one entry per protocol its rules name, sorted by
 *             protocol number; SGW_PROTO_ANY (0) thus comes first.
 *   ivs[]     per (pair, protocol), disjoint port intervals sorted by lo;
 *             ports nobody covers have no interval.
 *   pool[]    rule index lists, one per interval, ascending.
 *
 * Protocols: every protocol number is accepted, each getting its own entry
 * in the pair's psets, found by binary search. The named ones (tcp, udp,
 * icmp, icmpv6) are not special there; only tcp and udp take ports, every
 * other protocol covers 0..65535 in one interval.
 *
 * The build expands rules to (pair, protocol, rule, port range) items,
 * sorts them, and sweeps each (pair, protocol) over its range boundaries
 * with the active rules in two bitmaps (with and without ->l7): the
 * interval's list is the active l7 rules below the first active rule
 * without l7, then that rule. O(items log items) overall.
 */
#include "ruleset.h"

enum {
	PROTO_TCP	= 6,	/* IANA numbers: compat.h has no netinet */
	PROTO_UDP	= 17,
	PORT_END	= 1U << 16,
	/* 64^4 bits: room for SGW_RULES_MAX rule indices. */
	BM_LEVELS	= 4,
};

#define NONE		(~0U)

_Static_assert(SGW_RULES_MAX <= 1ULL << (6 * BM_LEVELS),
	       "rule bitmap too shallow");
_Static_assert(SGW_RULES_MAX <= 0x7fffffff, "rule index must fit s32");

struct slot {
	u32	key;
	u32	pset;		/* first of npset entries in psets[] */
	u32	npset;		/* 0: empty slot */
};

struct pset {
	u32	iv;		/* first of niv entries in ivs[] */
	u32	niv;
	u8	proto;
};

struct interval {
	u16	lo;
	u16	hi;
	u32	off;		/* list in pool[] */
	u32	len;
	/* The list's last rule if it has no l7, else NONE: only the last
	 * can be without l7, and keeping it here lets a lookup skip both
	 * the pool and the rules.
	 */
	u32	l4;
};

struct sgw_ruleset {
	struct slot		*slots;
	u32			mask;
	u32			max_probe;	/* longest probe sequence built */
	struct pset		*psets;
	struct interval		*ivs;
	u32			*pool;
	struct sgw_rule_spec	*rules;
	u16			*segs;		/* copies of srcs and dsts */
	struct sgw_port_range	*ports;
	size_t			n;
	size_t			nsegs, nports;
	u32			npsets, nivs, npool;
};

/* A rule in one pair, for one port range; sorted by sk. */
struct item {
	u64	sk;		/* key << 24 | proto << 16 | lo */
	u32	rule;
	u16	hi;
};

/* Rule indices, in levels: a bit above is set iff its word below is. */
struct bitmap {
	u64		*w[BM_LEVELS];
	u32		nw[BM_LEVELS];
	unsigned int	levels;
};

struct build {
	struct sgw_ruleset	*rs;
	struct item		*items;
	u32			nitems;
	u64			*heap;		/* (hi << 32 | rule), min first */
	u32			nheap;
	struct bitmap		l4, l7;
	u32			ivs_cap, pool_cap;
	/* Scratch for one rule, normalized: sorted, deduplicated. */
	u16			*srcs, *dsts;
	struct sgw_port_range	*ranges;
	u32			ns, nd, nr;
};

/* kvmalloc() refuses (and warns about) anything past INT_MAX bytes. */
static void *zalloc_array(size_t n, size_t size)
{
	size_t bytes;

	if (check_mul_overflow(n, size, &bytes) || bytes > 0x7fffffff)
		return NULL;
	return sgw_zalloc(bytes);
}

/* There is no krealloc() for kvmalloc() memory: allocate, copy, free.
 * On failure @old is left alone for the caller to free.
 */
static void *resize(void *old, size_t keep, size_t n, size_t size)
{
	void *p = zalloc_array(n ? n : 1, size);

	if (!p)
		return NULL;
	if (keep)
		memcpy(p, old, keep * size);
	sgw_free(old);
	return p;
}

/* lowbias32 (C. Wellons): every input bit reaches every output bit, so
 * segment ids differing in a few low bits do not cluster.
 */
static u32 mix(u32 x)
{
	x ^= x >> 16;
	x *= 0x7feb352dU;
	x ^= x >> 15;
	x *= 0x846ca68bU;
	x ^= x >> 16;
	return x;
}

static u32 pair_key(u16 src, u16 dst)
{
	return (u32)src << 16 | dst;
}

/* Build only; written out because compat.h offers no ffs/ctz. */
static unsigned int ctz64(u64 w)
{
	unsigned int n = 0;

	if (!(w & 0xffffffffULL)) {
		n += 32;
		w >>= 32;
	}
	if (!(w & 0xffff)) {
		n += 16;
		w >>= 16;
	}
	if (!(w & 0xff)) {
		n += 8;
		w >>= 8;
	}
	if (!(w & 0xf)) {
		n += 4;
		w >>= 4;
	}
	if (!(w & 0x3)) {
		n += 2;
		w >>= 2;
	}
	if (!(w & 0x1))
		n += 1;
	return n;
}

static int bm_init(struct bitmap *b, u32 nbits)
{
	u32 nw = (nbits + 63) / 64, total = 0;
	unsigned int l;
	u64 *mem;

	for (l = 0; ; l++) {
		b->nw[l] = nw;
		total += nw;
		if (nw == 1)
			break;
		nw = (nw + 63) / 64;
	}
	b->levels = l + 1;
	mem = zalloc_array(total, sizeof(*mem));
	if (!mem)
		return -ENOMEM;
	for (l = 0; l < b->levels; l++) {
		b->w[l] = mem;
		mem += b->nw[l];
	}
	return 0;
}

static void bm_free(struct bitmap *b)
{
	sgw_free(b->w[0]);
}

static void bm_set(struct bitmap *b, u32 i)
{
	unsigned int l;

	for (l = 0; l < b->levels; l++, i >>= 6) {
		u64 *w = &b->w[l][i >> 6];
		u64 old = *w;

		*w |= 1ULL << (i & 63);
		if (old)
			break;
	}
}

static void bm_clear(struct bitmap *b, u32 i)
{
	unsigned int l;

	for (l = 0; l < b->levels; l++, i >>= 6) {
		u64 *w = &b->w[l][i >> 6];

		*w &= ~(1ULL << (i & 63));
		if (*w)
			break;
	}
}

/* The first set bit at or after @i, or NONE. */
static u32 bm_next(const struct bitmap *b, u32 i)
{
	unsigned int l = 0;
	u64 w;

	/* Climb until a word has a set bit at or after i... */
	for (;;) {
		if ((i >> 6) >= b->nw[l])
			return NONE;
		w = b->w[l][i >> 6] & (~0ULL << (i & 63));
		if (w) {
			i = (i & ~63U) + ctz64(w);
			break;
		}
		if (l + 1 == b->levels)
			return NONE;
		i = (i >> 6) + 1;
		l++;
	}
	/* ...then descend along the first set bit of each word below. */
	while (l > 0) {
		l--;
		i = (i << 6) + ctz64(b->w[l][i]);
	}
	return i;
}

/*
 * Segment ids need no check: every u16 is a segment (0 .. SGW_SEG_ID_MAX,
 * SGW_SEG_WORLD included) or SGW_SEG_ANY.
 */
static int check_rule(const struct sgw_rule_spec *r)
{
	u32 i;

	if (!r->id || !r->srcs || !r->nsrcs || !r->dsts || !r->ndsts)
		return -EINVAL;
	if (r->flags & ~(u32)__SGW_RULE_F_ALL)
		return -EOPNOTSUPP;
	if (r->nsrcs > SGW_RULE_SEGS_MAX || r->ndsts > SGW_RULE_SEGS_MAX ||
	    r->nports > SGW_RULE_PORTS_MAX)
		return -E2BIG;
	if (!r->nports)
		return 0;
	if (!r->ports || (r->proto != PROTO_TCP && r->proto != PROTO_UDP))
		return -EINVAL;
	for (i = 0; i < r->nports; i++)
		if (r->ports[i].lo > r->ports[i].hi)
			return -EINVAL;
	return 0;
}

/* Copy the specs and their arrays, so dumps can return them as given. */
static int copy_rules(struct sgw_ruleset *rs,
		      const struct sgw_rule_spec *rules, size_t n)
{
	size_t i, nsegs = 0, nports = 0;
	u16 *seg;
	struct sgw_port_range *port;

	if (!n)
		return 0;
	for (i = 0; i < n; i++) {
		nsegs += (size_t)rules[i].nsrcs + rules[i].ndsts;
		nports += rules[i].nports;
	}
	rs->rules = zalloc_array(n, sizeof(*rs->rules));
	rs->segs = zalloc_array(nsegs, sizeof(*rs->segs));
	rs->ports = nports ? zalloc_array(nports, sizeof(*rs->ports)) : NULL;
	if (!rs->rules || !rs->segs || (nports && !rs->ports))
		return -ENOMEM;
	rs->n = n;
	rs->nsegs = nsegs;
	rs->nports = nports;

	seg = rs->segs;
	port = rs->ports;
	for (i = 0; i < n; i++) {
		struct sgw_rule_spec *r = &rs->rules[i];

		*r = rules[i];
		memcpy(seg, r->srcs, r->nsrcs * sizeof(*seg));
		r->srcs = seg;
		seg += r->nsrcs;
		memcpy(seg, r->dsts, r->ndsts * sizeof(*seg));
		r->dsts = seg;
		seg += r->ndsts;
		if (r->nports) {
			memcpy(port, r->ports, r->nports * sizeof(*port));
			r->ports = port;
			port += r->nports;
		} else {
			r->ports = NULL;
		}
	}
	return 0;
}

static int cmp_u32(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

static int cmp_u16(const void *a, const void *b)
{
	u16 x = *(const u16 *)a, y = *(const u16 *)b;

	return x < y ? -1 : x > y;
}

static int cmp_range(const void *a, const void *b)
{
	const struct sgw_port_range *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static int cmp_item(const void *a, const void *b)
{
	const struct item *x = a, *y = b;

	return x->sk < y->sk ? -1 : x->sk > y->sk;
}

static int check_ids(const struct sgw_ruleset *rs)
{
	u32 *ids;
	size_t i;
	int ret = 0;

	if (rs->n < 2)
		return 0;
	ids = zalloc_array(rs->n, sizeof(*ids));
	if (!ids)
		return -ENOMEM;
	for (i = 0; i < rs->n; i++)
		ids[i] = rs->rules[i].id;
	sgw_sort(ids, rs->n, sizeof(*ids), cmp_u32);
	for (i = 1; i < rs->n; i++)
		if (ids[i - 1] == ids[i])
			ret = -EINVAL;
	sgw_free(ids);
	return ret;
}

static u32 dedup_segs(u16 *s, u32 n)
{
	u32 i, out = 1;

	/* Most rules name one segment a side: no call to sort for them. */
	if (n > 1)
		sgw_sort(s, n, sizeof(*s), cmp_u16);
	for (i = 1; i < n; i++)
		if (s[i] != s[out - 1])
			s[out++] = s[i];
	return out;
}

/*
 * A rule's segments and port ranges as sets: duplicates and overlaps
 * within one rule would otherwise put its index twice in a list.
 */
static void normalize(struct build *b, const struct sgw_rule_spec *r)
{
	struct sgw_port_range *g = b->ranges;
	u32 i, out;

	memcpy(b->srcs, r->srcs, r->nsrcs * sizeof(*b->srcs));
	b->ns = dedup_segs(b->srcs, r->nsrcs);
	memcpy(b->dsts, r->dsts, r->ndsts * sizeof(*b->dsts));
	b->nd = dedup_segs(b->dsts, r->ndsts);

	if (!r->nports) {
		g[0].lo = 0;
		g[0].hi = PORT_END - 1;
		b->nr = 1;
		return;
	}
	memcpy(g, r->ports, r->nports * sizeof(*g));
	if (r->nports > 1)
		sgw_sort(g, r->nports, sizeof(*g), cmp_range);
	/* Merge touching ranges too: one range, one open, one close. */
	for (i = 1, out = 0; i < r->nports; i++) {
		if ((u32)g[i].lo <= (u32)g[out].hi + 1) {
			if (g[i].hi > g[out].hi)
				g[out].hi = g[i].hi;
		} else {
			g[++out] = g[i];
		}
	}
	b->nr = out + 1;
}

/* Expand every rule into items, and sort them by (pair, proto, lo). */
static int expand(struct build *b)
{
	const struct sgw_ruleset *rs = b->rs;
	u32 maxs = 1, maxd = 1, maxp = 1, i, s, d, r;
	u64 total = 0;
	struct item *it;

	for (i = 0; i < rs->n; i++) {
		const struct sgw_rule_spec *rule = &rs->rules[i];

		if (rule->nsrcs > maxs)
			maxs = rule->nsrcs;
		if (rule->ndsts > maxd)
			maxd = rule->ndsts;
		if (rule->nports > maxp)
			maxp = rule->nports;
	}
	b->srcs = zalloc_array(maxs, sizeof(*b->srcs));
	b->dsts = zalloc_array(maxd, sizeof(*b->dsts));
	b->ranges = zalloc_array(maxp, sizeof(*b->ranges));
	if (!b->srcs || !b->dsts || !b->ranges)
		return -ENOMEM;

	/* Normalized twice, to count before allocating: cheap next to
	 * the sort, and it keeps the scratch to one rule.
	 */
	for (i = 0; i < rs->n; i++) {
		normalize(b, &rs->rules[i]);
		total += (u64)b->ns * b->nd * b->nr;
		if (total > SGW_RULESET_EXPAND_MAX)
			return -E2BIG;
	}
	if (!total)
		return 0;
	b->items = zalloc_array(total, sizeof(*b->items));
	b->heap = zalloc_array(total, sizeof(*b->heap));
	if (!b->items || !b->heap)
		return -ENOMEM;

	it = b->items;
	for (i = 0; i < rs->n; i++) {
		u8 proto = rs->rules[i].proto;

		normalize(b, &rs->rules[i]);
		for (s = 0; s < b->ns; s++)
			for (d = 0; d < b->nd; d++)
				for (r = 0; r < b->nr; r++, it++) {
					u64 key = pair_key(b->srcs[s],
							   b->dsts[d]);

					it->sk = key << 24 | (u64)proto << 16 |
						 b->ranges[r].lo;
					it->hi = b->ranges[r].hi;
					it->rule = i;
				}
	}
	b->nitems = total;
	sgw_sort(b->items, b->nitems, sizeof(*b->items), cmp_item);
	return 0;
}

static void heap_push(struct build *b, u64 v)
{
	u32 i = b->nheap++;

	while (i) {
		u32 up = (i - 1) / 2;

		if (b->heap[up] <= v)
			break;
		b->heap[i] = b->heap[up];
		i = up;
	}
	b->heap[i] = v;
}

static void heap_pop(struct build *b)
{
	u64 v = b->heap[--b->nheap];
	u32 i = 0, n = b->nheap;

	for (;;) {
		u32 c = 2 * i + 1;

		if (c >= n)
			break;
		if (c + 1 < n && b->heap[c + 1] < b->heap[c])
			c++;
		if (v <= b->heap[c])
			break;
		b->heap[i] = b->heap[c];
		i = c;
	}
	if (n)
		b->heap[i] = v;
}

static int pool_push(struct build *b, u32 v)
{
	struct sgw_ruleset *rs = b->rs;

	if (rs->npool == b->pool_cap) {
		u32 cap = b->pool_cap ? 2 * b->pool_cap : 1024;
		u32 *p;

		if (b->pool_cap >= SGW_RULESET_POOL_MAX)
			return -E2BIG;
		if (cap > SGW_RULESET_POOL_MAX)
			cap = SGW_RULESET_POOL_MAX;
		p = resize(rs->pool, rs->npool, cap, sizeof(*p));
		if (!p)
			return -ENOMEM;
		rs->pool = p;
		b->pool_cap = cap;
	}
	rs->pool[rs->npool++] = v;
	return 0;
}

/* The list for ports lo..hi of the current (pair, proto): the rules active
 * now, cut after the first one without l7.
 */
static int emit(struct build *b, const struct pset *ps, u32 lo, u32 hi)
{
	struct sgw_ruleset *rs = b->rs;
	u32 start = rs->npool, m = bm_next(&b->l4, 0), r, len;
	struct interval *prev;
	int ret;

	for (r = bm_next(&b->l7, 0); r < m; r = bm_next(&b->l7, r + 1)) {
		ret = pool_push(b, r);
		if (ret)
			return ret;
	}
	if (m != NONE) {
		ret = pool_push(b, m);
		if (ret)
			return ret;
	}
	len = rs->npool - start;

	/* Where a boundary changed nothing the cut lets us see, the
	 * interval before simply grows.
	 */
	prev = rs->nivs > ps->iv ? &rs->ivs[rs->nivs - 1] : NULL;
	if (prev && (u32)prev->hi + 1 == lo && prev->len == len &&
	    !memcmp(&rs->pool[prev->off], &rs->pool[start],
		    len * sizeof(*rs->pool))) {
		prev->hi = hi;
		rs->npool = start;
		return 0;
	}

	if (rs->nivs == b->ivs_cap) {
		u32 cap = b->ivs_cap ? 2 * b->ivs_cap : 256;
		struct interval *p = resize(rs->ivs, rs->nivs, cap, sizeof(*p));

		if (!p)
			return -ENOMEM;
		rs->ivs = p;
		b->ivs_cap = cap;
	}
	rs->ivs[rs->nivs++] = (struct interval){
		.lo = lo, .hi = hi, .off = start, .len = len, .l4 = m,
	};
	return 0;
}

static struct bitmap *active(struct build *b, u32 rule)
{
	return b->rs->rules[rule].l7 ? &b->l7 : &b->l4;
}

/*
 * Sweep items[a..e) (one pair and protocol, sorted by lo) from boundary to
 * boundary: ranges open at their lo and close after their hi, tracked by
 * a heap on hi.
 */
static int sweep(struct build *b, const struct pset *ps, u32 a, u32 e)
{
	u32 pos = (u16)b->items[a].sk, i = a, next;
	int ret;

	for (;;) {
		while (b->nheap && b->heap[0] >> 32 < pos) {
			bm_clear(active(b, (u32)b->heap[0]),
				 (u32)b->heap[0]);
			heap_pop(b);
		}
		while (i < e && (u16)b->items[i].sk == pos) {
			bm_set(active(b, b->items[i].rule), b->items[i].rule);
			heap_push(b, (u64)b->items[i].hi << 32 |
				  b->items[i].rule);
			i++;
		}
		if (!b->nheap) {
			if (i == e)
				return 0;
			pos = (u16)b->items[i].sk;
			continue;
		}
		next = (u32)(b->heap[0] >> 32) + 1;
		if (i < e && (u16)b->items[i].sk < next)
			next = (u16)b->items[i].sk;
		ret = emit(b, ps, pos, next - 1);
		if (ret)
			return ret;
		pos = next;
	}
}

static int build_tables(struct build *b)
{
	struct sgw_ruleset *rs = b->rs;
	struct slot *pairs = NULL;
	u32 npairs = 0, size = 1, i, a, e;
	int ret;

	for (i = 0; i < b->nitems; i++) {
		if (!i || b->items[i].sk >> 24 != b->items[i - 1].sk >> 24)
			npairs++;
		if (!i || b->items[i].sk >> 16 != b->items[i - 1].sk >> 16)
			rs->npsets++;
	}
	if (npairs) {
		pairs = zalloc_array(npairs, sizeof(*pairs));
		rs->psets = zalloc_array(rs->npsets, sizeof(*rs->psets));
		if (!pairs || !rs->psets) {
			ret = -ENOMEM;
			goto out;
		}
		ret = bm_init(&b->l4, rs->n);
		if (!ret)
			ret = bm_init(&b->l7, rs->n);
		if (ret)
			goto out;
	}

	npairs = 0;
	rs->npsets = 0;
	for (a = 0; a < b->nitems; a = e) {
		u64 group = b->items[a].sk >> 16;
		u32 key = (u32)(group >> 8);
		struct pset *ps = &rs->psets[rs->npsets++];

		if (!npairs || pairs[npairs - 1].key != key) {
			pairs[npairs].key = key;
			pairs[npairs].pset = rs->npsets - 1;
			npairs++;
		}
		pairs[npairs - 1].npset++;
		for (e = a + 1; e < b->nitems; e++)
			if (b->items[e].sk >> 16 != group)
				break;
		ps->proto = (u8)group;
		ps->iv = rs->nivs;
		ret = sweep(b, ps, a, e);
		if (ret)
			goto out;
		ps->niv = rs->nivs - ps->iv;
	}

	/* The tables live long: give back the slack of the doublings. */
	ret = -ENOMEM;
	if (rs->nivs != b->ivs_cap) {
		struct interval *p = resize(rs->ivs, rs->nivs, rs->nivs,
					    sizeof(*p));
		if (!p)
			goto out;
		rs->ivs = p;
	}
	if (rs->npool != b->pool_cap) {
		u32 *p = resize(rs->pool, rs->npool, rs->npool, sizeof(*p));

		if (!p)
			goto out;
		rs->pool = p;
	}

	while (size < 2 * npairs)
		size <<= 1;
	rs->slots = zalloc_array(size, sizeof(*rs->slots));
	if (!rs->slots)
		goto out;
	rs->mask = size - 1;
	for (i = 0; i < npairs; i++) {
		u32 h = mix(pairs[i].key) & rs->mask, probe = 0;

		while (rs->slots[h].npset) {
			h = (h + 1) & rs->mask;
			probe++;
		}
		rs->slots[h] = pairs[i];
		if (probe > rs->max_probe)
			rs->max_probe = probe;
	}
	ret = 0;
out:
	sgw_free(pairs);
	return ret;
}

struct sgw_ruleset *sgw_ruleset_build(const struct sgw_rule_spec *rules,
				      size_t n, int *err)
{
	struct sgw_ruleset *rs = NULL;
	struct build b = { };
	size_t i;
	int ret;

	ret = -EINVAL;
	if (n && !rules)
		goto out;
	ret = -E2BIG;
	if (n > SGW_RULES_MAX)
		goto out;
	for (i = 0; i < n; i++) {
		ret = check_rule(&rules[i]);
		if (ret)
			goto out;
	}

	ret = -ENOMEM;
	rs = sgw_zalloc(sizeof(*rs));
	if (!rs)
		goto out;
	b.rs = rs;
	ret = copy_rules(rs, rules, n);
	if (!ret)
		ret = check_ids(rs);
	if (!ret)
		ret = expand(&b);
	if (!ret)
		ret = build_tables(&b);

out:
	sgw_free(b.items);
	sgw_free(b.heap);
	sgw_free(b.srcs);
	sgw_free(b.dsts);
	sgw_free(b.ranges);
	bm_free(&b.l4);
	bm_free(&b.l7);
	if (ret) {
		sgw_ruleset_free(rs);
		rs = NULL;
	}
	*err = ret;
	return rs;
}

void sgw_ruleset_free(struct sgw_ruleset *rs)
{
	if (!rs)
		return;
	sgw_free(rs->slots);
	sgw_free(rs->psets);
	sgw_free(rs->ivs);
	sgw_free(rs->pool);
	sgw_free(rs->rules);
	sgw_free(rs->segs);
	sgw_free(rs->ports);
	sgw_free(rs);
}

size_t sgw_ruleset_count(const struct sgw_ruleset *rs)
{
	return rs->n;
}

const struct sgw_rule_spec *sgw_ruleset_rule(const struct sgw_ruleset *rs,
					     size_t i)
{
	return i < rs->n ? &rs->rules[i] : NULL;
}

/* The probe count is capped by the longest sequence the build made, so
 * the worst case is known when the table is installed.
 */
static const struct slot *find_pair(const struct sgw_ruleset *rs, u32 key)
{
	u32 h = mix(key) & rs->mask, probe;

	for (probe = 0; probe <= rs->max_probe; probe++) {
		const struct slot *s = &rs->slots[h];

		if (!s->npset)
			return NULL;
		if (s->key == key)
			return s;
		h = (h + 1) & rs->mask;
	}
	return NULL;
}

static const struct pset *find_proto(const struct sgw_ruleset *rs,
				     const struct slot *s, u8 proto)
{
	u32 lo = s->pset, hi = s->pset + s->npset;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (rs->psets[mid].proto < proto)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < s->pset + s->npset && rs->psets[lo].proto == proto)
		return &rs->psets[lo];
	return NULL;
}

static const struct interval *find_port(const struct sgw_ruleset *rs,
					const struct pset *ps, u16 port)
{
	const struct interval *iv = &rs->ivs[ps->iv];
	u32 n = ps->niv;

	/* The last interval starting at or before port. Keys are random
	 * as far as the branch predictor is concerned: halve without a
	 * branch on the comparison, so it can become a conditional move.
	 */
	while (n > 1) {
		u32 half = n / 2;

		iv = iv[half].lo <= port ? iv + half : iv;
		n -= half;
	}
	if (iv->lo > port || iv->hi < port)
		return NULL;
	return iv;
}

/* The intervals covering @k: at most SGW_CANDIDATE_LISTS. */
static unsigned int probe(const struct sgw_ruleset *rs,
			  const struct sgw_match_key *k,
			  const struct interval **out)
{
	u16 src = k->src_seg, dst = k->dst_seg;
	unsigned int i, n = 0, nout = 0;
	u32 keys[4];

	/* Each pair once, should the key itself name SGW_SEG_ANY. */
	keys[n++] = pair_key(src, dst);
	if (dst != SGW_SEG_ANY)
		keys[n++] = pair_key(src, SGW_SEG_ANY);
	if (src != SGW_SEG_ANY)
		keys[n++] = pair_key(SGW_SEG_ANY, dst);
	if (src != SGW_SEG_ANY && dst != SGW_SEG_ANY)
		keys[n++] = pair_key(SGW_SEG_ANY, SGW_SEG_ANY);

	for (i = 0; i < n; i++) {
		const struct slot *s = find_pair(rs, keys[i]);
		const struct pset *ps;
		const struct interval *iv;

		if (!s)
			continue;
		if (k->proto != SGW_PROTO_ANY) {
			ps = find_proto(rs, s, k->proto);
			iv = ps ? find_port(rs, ps, k->dport) : NULL;
			if (iv)
				out[nout++] = iv;
		}
		/* SGW_PROTO_ANY is 0: first in the pair's table if there. */
		ps = &rs->psets[s->pset];
		iv = ps->proto == SGW_PROTO_ANY ?
		     find_port(rs, ps, k->dport) : NULL;
		if (iv)
			out[nout++] = iv;
	}
	return nout;
}

void sgw_ruleset_candidates(const struct sgw_ruleset *rs,
			    const struct sgw_match_key *k,
			    struct sgw_candidates *c)
{
	const struct interval *iv[SGW_CANDIDATE_LISTS];
	unsigned int i;

	c->nlists = probe(rs, k, iv);
	for (i = 0; i < c->nlists; i++) {
		c->list[i] = &rs->pool[iv[i]->off];
		c->len[i] = iv[i]->len;
		c->pos[i] = 0;
	}
}

/* A rule in several probed pairs heads several lists at once: all of
 * them advance, so it comes out once.
 */
s32 sgw_candidates_next(struct sgw_candidates *c)
{
	u32 best = NONE;
	unsigned int i;

	for (i = 0; i < c->nlists; i++)
		if (c->pos[i] < c->len[i] && c->list[i][c->pos[i]] < best)
			best = c->list[i][c->pos[i]];
	if (best == NONE)
		return -1;
	for (i = 0; i < c->nlists; i++)
		if (c->pos[i] < c->len[i] && c->list[i][c->pos[i]] == best)
			c->pos[i]++;
	return (s32)best;
}

/*
 * The first candidate without l7 is the smallest of the lists' own L4
 * rules (a list holds l7 rules only, but for its last): no merge needed.
 */
s32 sgw_ruleset_lookup(const struct sgw_ruleset *rs,
		       const struct sgw_match_key *k)
{
	const struct interval *iv[SGW_CANDIDATE_LISTS];
	unsigned int i, n = probe(rs, k, iv);
	u32 best = NONE;

	for (i = 0; i < n; i++)
		if (iv[i]->l4 < best)
			best = iv[i]->l4;
	return best == NONE ? -1 : (s32)best;
}

size_t sgw_ruleset_memory(const struct sgw_ruleset *rs)
{
	return sizeof(*rs) +
	       (rs->mask + 1) * sizeof(*rs->slots) +
	       rs->npsets * sizeof(*rs->psets) +
	       rs->nivs * sizeof(*rs->ivs) +
	       rs->npool * sizeof(*rs->pool) +
	       rs->n * sizeof(*rs->rules) +
	       rs->nsegs * sizeof(*rs->segs) +
	       rs->nports * sizeof(*rs->ports);
}
