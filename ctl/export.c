// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * sgctl export --nft [--linear] [--table NAME] FILE: the policy in FILE as
 * an nftables ruleset on standard output, for "nft -f". It is what one
 * would run instead of sgw, and what the benchmark (bench/) compares sgw
 * with.
 *
 * Both forms keep sgw's meaning: a segment owns the addresses whose
 * longest matching prefix is its own, so prefixes are first flattened into
 * disjoint address ranges, each owned by one segment (nftables sets have
 * no longest-prefix match). Flows are tracked by conntrack: "ct state
 * established,related accept" comes first, which also passes the ICMP
 * errors sgw passes for live flows.
 *
 * The default, expert form decides a new flow with a constant number of
 * lookups whatever the policy size: two interval maps give the source and
 * destination segments (into meta mark and ct mark), then at most four
 * interval sets keyed by segment pair, protocol and port answer
 * (s,d) (s,any) (any,d) (any,any), as sgw's allow tables do.
 *
 * The linear form is a rule list in policy order, one nftables rule per
 * policy rule, family and pair of segments, each naming its segments'
 * sets: how a policy is usually translated by hand. A new flow walks the
 * list until a rule accepts it.
 *
 * Not exported: application clauses ("app ..."), which nftables cannot
 * decide; such rules are left out with a warning, so the export never
 * allows more than the policy.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "output.h"
#include "subcommands.h"

typedef unsigned __int128 u128;

/* A disjoint address range owned by one segment. */
struct range {
	u128		lo, hi;
	uint16_t	seg;
};

struct ranges {
	struct range	*v;
	size_t		n, cap;
};

/* A prefix as the sweep sees it: its range, its length and its segment. */
struct span {
	u128		lo, hi;
	uint8_t		len;
	uint16_t	seg;
};

static int push_range(struct ranges *r, u128 lo, u128 hi, uint16_t seg)
{
	struct range *v;

	if (r->n && r->v[r->n - 1].seg == seg && r->v[r->n - 1].hi + 1 == lo) {
		r->v[r->n - 1].hi = hi;
		return 0;
	}
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 64;
		v = realloc(r->v, r->cap * sizeof(*v));
		if (!v)
			return -1;
		r->v = v;
	}
	r->v[r->n++] = (struct range){ lo, hi, seg };
	return 0;
}

static int by_start(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return x->len < y->len ? -1 : x->len > y->len;
}

/*
 * Flatten the prefixes of family @af into disjoint ranges. Prefixes are
 * nested or disjoint, never partly overlapping, so a sweep in order of
 * start (wider first) with a stack of the open prefixes gives each address
 * to the innermost, i.e. longest, prefix containing it.
 */
static int flatten(const struct policy *p, int af, struct ranges *out)
{
	unsigned int bits = af == AF_INET ? 32 : 128;
	struct span *s, **stack = NULL;
	size_t n = 0, i, j, k, top = 0;
	u128 cur = 0;
	int ret = -1;

	for (i = 0; i < p->nsegments; i++)
		for (j = 0; j < p->segments[i].nprefixes; j++)
			n += p->segments[i].prefixes[j].family == af;
	s = calloc(n ? n : 1, sizeof(*s));
	stack = calloc(n ? n : 1, sizeof(*stack));
	if (!s || !stack)
		goto out;
	n = 0;
	for (i = 0; i < p->nsegments; i++) {
		for (j = 0; j < p->segments[i].nprefixes; j++) {
			const struct sgw_prefix *pf = &p->segments[i].prefixes[j];
			u128 a = 0, host;

			if (pf->family != af)
				continue;
			for (k = 0; k < bits / 8; k++)
				a = a << 8 | pf->addr[k];
			host = pf->len >= bits ? 0 :
			       ((u128)1 << (bits - pf->len)) - 1;
			if (bits == 128 && pf->len == 0)
				host = ~(u128)0;
			s[n++] = (struct span){ a & ~host, (a & ~host) | host,
						pf->len, p->segments[i].id };
		}
	}
	qsort(s, n, sizeof(*s), by_start);
	for (i = 0; i < n; i++) {
		while (top && stack[top - 1]->hi < s[i].lo) {
			struct span *t = stack[--top];

			if (cur <= t->hi && push_range(out, cur, t->hi, t->seg))
				goto out;
			cur = t->hi + 1;
		}
		if (top && cur < s[i].lo &&
		    push_range(out, cur, s[i].lo - 1, stack[top - 1]->seg))
			goto out;
		stack[top++] = &s[i];
		cur = s[i].lo;
	}
	/* The outermost prefix is popped last: a wrap of cur past ::/0 or
	 * 255.255.255.255 can only happen then, with nothing left to emit.
	 */
	while (top) {
		struct span *t = stack[--top];

		if (cur <= t->hi && push_range(out, cur, t->hi, t->seg))
			goto out;
		cur = t->hi + 1;
	}
	ret = 0;
out:
	free(s);
	free(stack);
	return ret;
}

static void print_addr(FILE *f, int af, u128 a)
{
	unsigned char b[16];
	char buf[INET6_ADDRSTRLEN];
	int k, len = af == AF_INET ? 4 : 16;

	for (k = len - 1; k >= 0; k--, a >>= 8)
		b[k] = (unsigned char)a;
	fputs(inet_ntop(af, b, buf, sizeof(buf)), f);
}

static void print_range(FILE *f, int af, const struct range *r)
{
	print_addr(f, af, r->lo);
	if (r->hi != r->lo) {
		fputc('-', f);
		print_addr(f, af, r->hi);
	}
}

/* A set's elements, one per line, as nft wants them. */
static void elements_open(FILE *f, bool *first)
{
	*first = true;
	fputs("\t\telements = {", f);
}

static void element_sep(FILE *f, bool *first)
{
	fputs(*first ? "\n\t\t\t" : ",\n\t\t\t", f);
	*first = false;
}

static void elements_close(FILE *f)
{
	fputs("\n\t\t}\n", f);
}

/* (kind, source, destination, protocol, ports) of the expert form's sets. */
enum pair_kind { PK_PAIR, PK_SRC_ANY, PK_ANY_DST, PK_ANY_ANY, PK_NUM };

struct item {
	uint8_t		kind;
	uint16_t	src, dst;
	uint16_t	proto;		/* 256: every protocol */
	uint16_t	lo, hi;
};

struct items {
	struct item	*v;
	size_t		n, cap;
};

static int push_item(struct items *it, struct item x)
{
	struct item *v;

	if (it->n == it->cap) {
		it->cap = it->cap ? 2 * it->cap : 256;
		v = realloc(it->v, it->cap * sizeof(*v));
		if (!v)
			return -1;
		it->v = v;
	}
	it->v[it->n++] = x;
	return 0;
}

static int item_cmp(const void *a, const void *b)
{
	const struct item *x = a, *y = b;

	if (x->kind != y->kind)
		return x->kind - y->kind;
	if (x->src != y->src)
		return x->src - y->src;
	if (x->dst != y->dst)
		return x->dst - y->dst;
	if (x->proto != y->proto)
		return x->proto - y->proto;
	return x->lo - y->lo;
}

static bool same_group(const struct item *a, const struct item *b)
{
	return a->kind == b->kind && a->src == b->src && a->dst == b->dst;
}

static bool has_ports(uint8_t proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP;
}

static int collect_items(const struct policy *p, struct items *it)
{
	size_t i, a, b, k;

	for (i = 0; i < p->nrules; i++) {
		const struct policy_rule *r = &p->rules[i];

		if (r->l7)
			continue;
		for (a = 0; a < r->nsrcs; a++) {
			for (b = 0; b < r->ndsts; b++) {
				bool sany = r->srcs[a] == SGW_SEG_ANY;
				bool dany = r->dsts[b] == SGW_SEG_ANY;
				struct item x = {
					.kind = sany ? (dany ? PK_ANY_ANY : PK_ANY_DST) :
						       (dany ? PK_SRC_ANY : PK_PAIR),
					.src = sany ? 0 : r->srcs[a],
					.dst = dany ? 0 : r->dsts[b],
					.proto = r->proto == SGW_PROTO_ANY ? 256 : r->proto,
					.lo = 0, .hi = 65535,
				};

				if (!has_ports(r->proto) || !r->nports) {
					if (push_item(it, x))
						return -1;
					continue;
				}
				for (k = 0; k < r->nports; k++) {
					x.lo = r->ports[k].lo;
					x.hi = r->ports[k].hi;
					if (push_item(it, x))
						return -1;
				}
			}
		}
	}
	return 0;
}

static const char *const kind_set[PK_NUM] = {
	"pair", "src_any", "any_dst", "any_any"
};
static const char *const kind_type[PK_NUM] = {
	"mark . mark . inet_proto . inet_service",
	"mark . inet_proto . inet_service",
	"mark . inet_proto . inet_service",
	"inet_proto . inet_service",
};
static const char *const kind_key[PK_NUM] = {
	"meta mark . ct mark . meta l4proto . th dport",
	"meta mark . meta l4proto . th dport",
	"ct mark . meta l4proto . th dport",
	"meta l4proto . th dport",
};

/*
 * The four sets of the expert form. Within a group (kind, src, dst) the
 * elements must not overlap (nftables refuses overlapping intervals), so a
 * protocol's port ranges are merged, and a group that allows every
 * protocol is that one element.
 */
static bool print_item_sets(FILE *f, struct items *it, bool used[PK_NUM])
{
	size_t i = 0, j, g;
	bool first = true, any = false;
	int kind = -1;

	qsort(it->v, it->n, sizeof(*it->v), item_cmp);
	while (i < it->n) {
		const struct item *x = &it->v[i];

		for (g = i; g < it->n && same_group(&it->v[g], x); g++)
			;
		if (x->kind != kind) {
			if (kind >= 0)
				elements_close(f), fputs("\t}\n\n", f);
			kind = x->kind;
			used[kind] = any = true;
			fprintf(f, "\tset %s {\n\t\ttype %s\n\t\tflags interval\n",
				kind_set[kind], kind_type[kind]);
			elements_open(f, &first);
		}
		/* Protocol 256 sorts last: if present, it is the group. */
		if (it->v[g - 1].proto == 256)
			i = g - 1;
		while (i < g) {
			struct item m = it->v[i];

			for (j = i + 1; j < g && it->v[j].proto == m.proto &&
			     it->v[j].lo <= (unsigned int)m.hi + 1; j++)
				if (it->v[j].hi > m.hi)
					m.hi = it->v[j].hi;
			element_sep(f, &first);
			if (m.kind == PK_PAIR || m.kind == PK_SRC_ANY)
				fprintf(f, "%u . ", m.src);
			if (m.kind == PK_PAIR || m.kind == PK_ANY_DST)
				fprintf(f, "%u . ", m.dst);
			if (m.proto == 256)
				fputs("0-255 . ", f);
			else
				fprintf(f, "%u . ", m.proto);
			if (m.lo == m.hi)
				fprintf(f, "%u", m.lo);
			else
				fprintf(f, "%u-%u", m.lo, m.hi);
			i = j;
		}
	}
	if (kind >= 0)
		elements_close(f), fputs("\t}\n\n", f);
	return any;
}

struct export {
	const struct policy	*p;
	struct ranges		r4, r6;
	bool			linear;
	bool			used[PK_NUM];
	/* Linear form: per segment id, has it ranges of each family. */
	bool			*has4, *has6;
};

static void print_seg_maps(FILE *f, struct export *x)
{
	const struct ranges *rs[2] = { &x->r4, &x->r6 };
	static const char *const name[2] = { "seg4", "seg6" };
	static const char *const type[2] = { "ipv4_addr", "ipv6_addr" };
	static const int af[2] = { AF_INET, AF_INET6 };
	bool first;
	size_t i;
	int k;

	for (k = 0; k < 2; k++) {
		if (!rs[k]->n)
			continue;
		fprintf(f, "\t# Address ranges and the segment that owns them\n"
			"\t# (longest prefix), as sgw's LPM tables map them.\n"
			"\tmap %s {\n\t\ttype %s : mark\n\t\tflags interval\n",
			name[k], type[k]);
		elements_open(f, &first);
		for (i = 0; i < rs[k]->n; i++) {
			element_sep(f, &first);
			print_range(f, af[k], &rs[k]->v[i]);
			fprintf(f, " : %u", rs[k]->v[i].seg);
		}
		elements_close(f);
		fputs("\t}\n\n", f);
	}
}

/* Linear form: one interval set per segment and family, and "all". */
static void print_seg_sets(FILE *f, struct export *x)
{
	const struct ranges *rs[2] = { &x->r4, &x->r6 };
	static const char *const type[2] = { "ipv4_addr", "ipv6_addr" };
	static const int af[2] = { AF_INET, AF_INET6 };
	bool first, *has;
	size_t i, s;
	int k;

	for (k = 0; k < 2; k++) {
		has = k ? x->has6 : x->has4;
		for (i = 0; i < rs[k]->n; i++)
			has[rs[k]->v[i].seg] = true;
		for (s = 0; s < x->p->nsegments; s++) {
			uint16_t id = x->p->segments[s].id;

			if (!has[id])
				continue;
			fprintf(f, "\tset s%u_v%d {\t# %s\n\t\ttype %s\n\t\tflags interval\n",
				id, k ? 6 : 4, x->p->segments[s].name, type[k]);
			elements_open(f, &first);
			for (i = 0; i < rs[k]->n; i++) {
				if (rs[k]->v[i].seg != id)
					continue;
				element_sep(f, &first);
				print_range(f, af[k], &rs[k]->v[i]);
			}
			elements_close(f);
			fputs("\t}\n\n", f);
		}
		if (!rs[k]->n)
			continue;
		/* Every address in a segment: "world" is what is not. */
		fprintf(f, "\tset all_v%d {\n\t\ttype %s\n\t\tflags interval\n",
			k ? 6 : 4, type[k]);
		elements_open(f, &first);
		for (i = 0; i < rs[k]->n; i++) {
			struct range r = rs[k]->v[i];

			while (i + 1 < rs[k]->n && rs[k]->v[i + 1].lo == r.hi + 1)
				r.hi = rs[k]->v[++i].hi;
			element_sep(f, &first);
			print_range(f, af[k], &r);
		}
		elements_close(f);
		fputs("\t}\n\n", f);
	}
}

static void print_expert_rules(FILE *f, struct export *x)
{
	int k;

	if (x->r4.n) {
		fputs("\t\tmeta nfproto ipv4 meta mark set ip saddr map @seg4\n", f);
		fputs("\t\tmeta nfproto ipv4 ct mark set ip daddr map @seg4\n", f);
	}
	if (x->r6.n) {
		fputs("\t\tmeta nfproto ipv6 meta mark set ip6 saddr map @seg6\n", f);
		fputs("\t\tmeta nfproto ipv6 ct mark set ip6 daddr map @seg6\n", f);
	}
	for (k = 0; k < PK_NUM; k++)
		if (x->used[k])
			fprintf(f, "\t\t%s @%s accept\n", kind_key[k], kind_set[k]);
}

/*
 * An address match for segment @id of family @v (4 or 6) into @buf; "" for
 * a side that needs none (any, or world when no segment has an address of
 * that family). False if the segment has no address of that family, so no
 * rule is needed.
 */
static bool addr_match(struct export *x, int v, const char *dir, uint16_t id,
		       char *buf, size_t len)
{
	const char *fam = v == 4 ? "ip" : "ip6";
	bool *has = v == 4 ? x->has4 : x->has6;
	bool ranges = v == 4 ? x->r4.n : x->r6.n;

	buf[0] = 0;
	if (id == SGW_SEG_ANY || (id == SGW_SEG_WORLD && !ranges))
		return true;
	if (id == SGW_SEG_WORLD)
		snprintf(buf, len, "%s %s != @all_v%d ", fam, dir, v);
	else if (!has[id])
		return false;
	else
		snprintf(buf, len, "%s %s @s%u_v%d ", fam, dir, id, v);
	return true;
}

static void print_proto(FILE *f, const struct policy_rule *r)
{
	size_t k;

	if (r->proto == SGW_PROTO_ANY)
		return;
	if (!has_ports(r->proto) || !r->nports) {
		fprintf(f, "meta l4proto %u ", r->proto);
		return;
	}
	fprintf(f, "%s dport { ", r->proto == IPPROTO_TCP ? "tcp" : "udp");
	for (k = 0; k < r->nports; k++) {
		fprintf(f, k ? ", %u" : "%u", r->ports[k].lo);
		if (r->ports[k].hi != r->ports[k].lo)
			fprintf(f, "-%u", r->ports[k].hi);
	}
	fputs(" } ", f);
}

static void print_linear_rules(FILE *f, struct export *x)
{
	const struct policy *p = x->p;
	char sm[64], dm[64];
	size_t i, a, b;
	int v;

	for (i = 0; i < p->nrules; i++) {
		const struct policy_rule *r = &p->rules[i];

		if (r->l7)
			continue;
		for (v = 4; v <= 6; v += 2)
			for (a = 0; a < r->nsrcs; a++)
				for (b = 0; b < r->ndsts; b++) {
					if (!addr_match(x, v, "saddr", r->srcs[a], sm, sizeof(sm)) ||
					    !addr_match(x, v, "daddr", r->dsts[b], dm, sizeof(dm)))
						continue;
					/* An address match implies its family. */
					fputs("\t\t", f);
					if (!sm[0] && !dm[0])
						fprintf(f, "meta nfproto ipv%d ", v);
					fprintf(f, "%s%s", sm, dm);
					print_proto(f, r);
					fprintf(f, "accept\t# line %u\n", r->line);
				}
	}
}

static const char *const hook_names[] = { "forward", "input", "output" };

static void print_chains(FILE *f, struct export *x)
{
	int h;

	for (h = 0; h < 3; h++) {
		if (!(x->p->hooks & (1U << h)))
			continue;
		fprintf(f, "\tchain %s {\n\t\ttype filter hook %s priority filter; policy drop;\n"
			"\t\tct state established,related accept\n",
			hook_names[h], hook_names[h]);
		/* What sgw passes unchecked on input and output. */
		if (h) {
			fprintf(f, "\t\t%s lo accept\n", h == 1 ? "iif" : "oif");
			fputs("\t\ticmpv6 type { nd-router-solicit, nd-router-advert, "
			      "nd-neighbor-solicit, nd-neighbor-advert, nd-redirect, "
			      "mld-listener-query, mld-listener-report, "
			      "mld-listener-done, mld2-listener-report } accept\n", f);
		}
		if (x->linear)
			print_linear_rules(f, x);
		else
			print_expert_rules(f, x);
		fputs("\t}\n", f);
	}
}

static int export_nft(FILE *f, const struct policy *p, const char *path,
		      const char *table, bool linear)
{
	struct export x = { .p = p, .linear = linear };
	struct items it = { 0 };
	size_t i, skipped = 0;
	int ret = -1;

	for (i = 0; i < p->nrules; i++) {
		if (!p->rules[i].l7)
			continue;
		skipped++;
		complain("%s:%u: rule with an application clause left out: nftables cannot decide it",
			 policy_path_name(path), p->rules[i].line);
	}
	x.has4 = calloc(SGW_SEG_ID_MAX + 1, sizeof(bool));
	x.has6 = calloc(SGW_SEG_ID_MAX + 1, sizeof(bool));
	if (!x.has4 || !x.has6 || flatten(p, AF_INET, &x.r4) ||
	    flatten(p, AF_INET6, &x.r6) || (!linear && collect_items(p, &it))) {
		complain("out of memory");
		goto out;
	}

	fprintf(f, "#!/usr/sbin/nft -f\n"
		"# Generated by \"sgctl export --nft%s\" from %s: %zu segments, %zu rules",
		linear ? " --linear" : "", policy_path_name(path), p->nsegments,
		p->nrules);
	if (skipped)
		fprintf(f, " (%zu with an application clause left out)", skipped);
	fprintf(f, ".\n# %s\n\n",
		linear ? "Linear form: one rule per policy rule, family and segment pair."
		       : "Expert form: conntrack first, segment maps, pair/port interval sets.");
	/* Loads again as is: create the table if absent, then replace it. */
	fprintf(f, "table inet %s\ndelete table inet %s\n\ntable inet %s {\n",
		table, table, table);
	if (linear) {
		print_seg_sets(f, &x);
	} else {
		print_seg_maps(f, &x);
		print_item_sets(f, &it, x.used);
	}
	print_chains(f, &x);
	fputs("}\n", f);
	if (fflush(f) || ferror(f)) {
		complain("writing the ruleset: %s", strerror(errno));
		goto out;
	}
	ret = 0;
out:
	free(x.r4.v);
	free(x.r6.v);
	free(it.v);
	free(x.has4);
	free(x.has6);
	return ret;
}

int export_main(int argc, const char *argv[])
{
	const char *table = "sgw", *path = NULL;
	bool nft = false, linear = false;
	struct policy p;
	int i, ret;

	if (wants_help(argc, argv))
		return 0;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--nft"))
			nft = true;
		else if (!strcmp(argv[i], "--linear"))
			linear = true;
		else if (!strcmp(argv[i], "--table") && i + 1 < argc)
			table = argv[++i];
		else if (!path && (argv[i][0] != '-' || !strcmp(argv[i], "-")))
			path = argv[i];
		else {
			complain("unexpected argument \"%s\"", argv[i]);
			show_usage(argv[0]);
			return 1;
		}
	}
	if (!nft || !path) {
		show_usage(argv[0]);
		return 1;
	}
	for (i = 0; table[i]; i++)
		if (!(table[i] == '_' || (table[i] >= 'a' && table[i] <= 'z') ||
		      (table[i] >= 'A' && table[i] <= 'Z') ||
		      (i && table[i] >= '0' && table[i] <= '9'))) {
			complain("invalid table name \"%s\"", table);
			return 1;
		}
	if (read_policy(path, &p))
		return 1;
	ret = export_nft(stdout, &p, path, table, linear);
	policy_free(&p);
	return ret ? 1 : 0;
}
