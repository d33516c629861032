// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The policy parser: text in, struct policy out, no I/O.
 *
 * One pass reads the statements in order and checks every value as it
 * goes, so errors point at the token that caused them. Segment names in
 * rules are resolved once the whole text is read, so a rule may name a
 * segment declared further down; an undeclared name is then reported at
 * its first use. Rule ids are assigned last, from each rule's canonical
 * meaning (policy_id.c). The model's other functions are in policy_model.c.
 *
 * No recursion, and nothing grows faster than the text: each array is
 * bounded by the limits in policy.h.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "policy.h"
#include "policy_hash.h"
#include "policy_id.h"
#include "policy_lex.h"
#include "../kmod/core/l7/rule.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Rule list entries that are not symbols. */
enum {
	SYM_ANY		= UINT32_MAX,
	SYM_WORLD	= UINT32_MAX - 1,
};

/* Words that cannot name a segment; the first two may appear in rules. */
static const char *const reserved[] = {
	"any", "world",
	"hook", "set", "segment", "allow",
	"tcp", "udp", "icmp", "icmpv6",
};

static const char *const statements[] = { "hook", "set", "segment", "allow" };

/* A segment name, declared or only used so far. */
struct sym {
	char		name[SGW_SEG_NAME_MAX];
	uint32_t	seg;		/* segment index + 1, or 0 */
	unsigned int	ref_line;	/* first use in a rule, 0: none */
	unsigned int	ref_col;
	uint32_t	stamp;		/* last rule list naming it */
};

/* A rule's sides before names are resolved. */
struct rule_tmp {
	uint32_t	*srcs;	/* symbol indices, SYM_ANY, SYM_WORLD */
	uint32_t	*dsts;
};

struct port_item {
	struct sgw_port_range	r;
	uint32_t		idx;	/* in the rule's list */
	unsigned int		line;
	unsigned int		col;
};

/* Prefix index values pack the segment index and the prefix index. */
enum { PFX_BITS = 20 };

struct parser {
	struct policy_lexer	lx;
	struct policy_token	tok;	/* the current token */
	struct policy		*p;
	struct policy_error	*err;

	struct sym		*syms;
	size_t			nsyms;
	size_t			syms_cap;
	struct policy_index	symtab;

	size_t			segs_cap;
	size_t			nprefixes;
	struct policy_index	prefixes;

	/* Parallel to p->rules, sharing rules_cap. */
	struct rule_tmp		*tmp;
	struct policy_key	*keys;
	size_t			rules_cap;
	struct policy_index	keytab;

	/* policy_parse_rules(): allow statements only, names undeclared. */
	bool			rules_only;

	unsigned int		hook_line;
	unsigned int		flow_line;
	unsigned int		l7deny_line;
	uint32_t		stamp;

	/* Scratch, reused from rule to rule. */
	struct port_item	*items;
	size_t			items_cap;
	const char		**names;
	size_t			names_cap;
	struct policy_keybuf	key;
};

static bool is_one_of(const struct policy_token *t, const char *const *words,
		      size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (policy_tok_is(t, words[i]))
			return true;
	return false;
}

static int __attribute__((format(printf, 3, 4)))
fail_at(struct parser *ps, const struct policy_token *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	policy_vfail(ps->err, t->line, t->col, fmt, ap);
	va_end(ap);
	return -1;
}

static int oom(struct parser *ps)
{
	return fail_at(ps, &ps->tok, "out of memory");
}

static int advance(struct parser *ps)
{
	return policy_lex_next(&ps->lx, &ps->tok, ps->err);
}

static bool at_line_end(const struct parser *ps)
{
	return ps->tok.type == TOK_NEWLINE || ps->tok.type == TOK_EOF;
}

/*
 * After a ",": move to the next item, which may be on a following line,
 * with blank and comment lines between. A list cannot end in ",": at the
 * end of the text, or before a line starting a new statement, the "," is
 * the error.
 */
static int next_item(struct parser *ps)
{
	struct policy_token comma = ps->tok;
	char q[POLICY_QUOTE_SIZE];

	do {
		if (advance(ps))
			return -1;
	} while (ps->tok.type == TOK_NEWLINE);
	if (ps->tok.type == TOK_EOF)
		return fail_at(ps, &comma,
			       "list ends with \",\" at end of file");
	if (ps->tok.line != comma.line &&
	    is_one_of(&ps->tok, statements, ARRAY_SIZE(statements)))
		return fail_at(ps, &comma,
			       "list ends with \",\" but line %u starts a new %s statement",
			       ps->tok.line,
			       policy_quote(q, ps->tok.s, ps->tok.len));
	return 0;
}

/* [A-Za-z_][A-Za-z0-9_.-]*, shorter than SGW_SEG_NAME_MAX. */
static int check_name(struct parser *ps, const struct policy_token *t)
{
	char q[POLICY_QUOTE_SIZE];
	unsigned char c = (unsigned char)t->s[0];

	/* Words hold only [A-Za-z0-9_.:/-] and "*": what is left to refuse. */
	if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') ||
	    memchr(t->s, ':', t->len) || memchr(t->s, '/', t->len) ||
	    memchr(t->s, '*', t->len))
		return fail_at(ps, t,
			       "invalid segment name %s: a name is a letter or \"_\" followed by letters, digits, \"_\", \".\" or \"-\"",
			       policy_quote(q, t->s, t->len));
	if (t->len >= SGW_SEG_NAME_MAX)
		return fail_at(ps, t, "segment name %s is longer than %d bytes",
			       policy_quote(q, t->s, t->len),
			       SGW_SEG_NAME_MAX - 1);
	return 0;
}

/* Walk the symbol index for the name at @t: the match, or an empty slot. */
static struct policy_slot *sym_slot(const struct parser *ps,
				    const struct policy_token *t,
				    uint32_t hash)
{
	struct policy_slot *s;

	for (s = policy_index_first(&ps->symtab, hash); s->val;
	     s = policy_index_next(&ps->symtab, s)) {
		const struct sym *y = &ps->syms[s->val - 1];

		if (s->hash == hash && t->len < sizeof(y->name) &&
		    !strncmp(y->name, t->s, t->len) && y->name[t->len] == 0)
			return s;
	}
	return s;
}

/* The symbol for the checked name at @t, created if new. */
static int sym_get(struct parser *ps, const struct policy_token *t,
		   uint32_t *idx)
{
	uint32_t h = policy_fnv1a(POLICY_FNV_BASIS, t->s, t->len);
	struct policy_slot *s;
	struct sym *y;

	if (policy_index_reserve(&ps->symtab, ps->nsyms + 1))
		return oom(ps);
	s = sym_slot(ps, t, h);
	if (s->val) {
		*idx = s->val - 1;
		return 0;
	}
	y = policy_grow(ps->syms, &ps->syms_cap, ps->nsyms + 1, sizeof(*y));
	if (!y)
		return oom(ps);
	ps->syms = y;
	y = &ps->syms[ps->nsyms];
	memset(y, 0, sizeof(*y));
	memcpy(y->name, t->s, t->len);
	policy_index_put(&ps->symtab, s, h, (uint32_t)ps->nsyms);
	*idx = (uint32_t)ps->nsyms++;
	return 0;
}

/* hook NAME {, NAME} */
static int parse_hook(struct parser *ps)
{
	const char *after = "after \"hook\"";
	struct policy_token kw = ps->tok;
	const struct policy_word *w;
	char q[POLICY_QUOTE_SIZE];

	if (ps->hook_line)
		return fail_at(ps, &kw, "hook already set at line %u",
			       ps->hook_line);
	ps->hook_line = kw.line;
	if (advance(ps))
		return -1;
	for (;;) {
		if (ps->tok.type != TOK_WORD)
			return fail_at(ps, &ps->tok,
				       "expected a hook (forward, input or output) %s, found %s",
				       after, policy_tok_describe(q, &ps->tok));
		w = policy_word_find(policy_hooks, POLICY_NHOOKS, &ps->tok);
		if (!w)
			return fail_at(ps, &ps->tok,
				       "unknown hook %s (expected forward, input or output)",
				       policy_quote(q, ps->tok.s, ps->tok.len));
		if (ps->p->hooks & w->value)
			return fail_at(ps, &ps->tok, "hook %s is listed twice",
				       policy_quote(q, ps->tok.s, ps->tok.len));
		ps->p->hooks |= w->value;
		if (advance(ps))
			return -1;
		if (ps->tok.type != TOK_COMMA)
			break;
		if (next_item(ps))
			return -1;
		after = "after \",\"";
	}
	if (ps->tok.type == TOK_WORD)
		return fail_at(ps, &ps->tok,
			       "expected \",\" between hooks, found %s",
			       policy_tok_describe(q, &ps->tok));
	return 0;
}

/*
 * Decimal digits only, no sign. Returns 0 with *@v, 1 if not a number, 2
 * if above @max (however many digits: they are quoted as written).
 */
static int parse_uint(const char *s, size_t len, uint32_t max, uint32_t *v)
{
	uint64_t x = 0;
	size_t i;

	if (!len)
		return 1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 1;
		if (x <= max)
			x = x * 10 + (uint64_t)(s[i] - '0');
	}
	if (x > max)
		return 2;
	*v = (uint32_t)x;
	return 0;
}

/* set flow-limit N */
static int parse_flow_limit(struct parser *ps, const struct policy_token *kw)
{
	char q[POLICY_QUOTE_SIZE];
	uint32_t v = 0;
	int r;

	if (ps->flow_line)
		return fail_at(ps, kw, "flow-limit already set at line %u",
			       ps->flow_line);
	ps->flow_line = kw->line;
	if (advance(ps))
		return -1;
	if (ps->tok.type != TOK_WORD)
		return fail_at(ps, &ps->tok,
			       "expected a number after \"flow-limit\", found %s",
			       policy_tok_describe(q, &ps->tok));
	r = parse_uint(ps->tok.s, ps->tok.len, POLICY_FLOW_LIMIT_MAX, &v);
	if (r == 1)
		return fail_at(ps, &ps->tok, "invalid flow-limit %s",
			       policy_quote(q, ps->tok.s, ps->tok.len));
	if (r == 2 || v == 0)
		return fail_at(ps, &ps->tok, "flow-limit %s out of range 1-%u",
			       policy_clip(q, ps->tok.s, ps->tok.len),
			       POLICY_FLOW_LIMIT_MAX);
	ps->p->flow_max = v;
	return advance(ps);
}

/* set l7-deny reset|drop */
static int parse_l7_deny(struct parser *ps, const struct policy_token *kw)
{
	char q[POLICY_QUOTE_SIZE];

	if (ps->l7deny_line)
		return fail_at(ps, kw, "l7-deny already set at line %u",
			       ps->l7deny_line);
	ps->l7deny_line = kw->line;
	if (advance(ps))
		return -1;
	if (ps->tok.type != TOK_WORD)
		return fail_at(ps, &ps->tok,
			       "expected reset or drop after \"l7-deny\", found %s",
			       policy_tok_describe(q, &ps->tok));
	if (policy_tok_is(&ps->tok, "drop"))
		ps->p->flags |= SGW_POLICY_F_L7_DROP;
	else if (!policy_tok_is(&ps->tok, "reset"))
		return fail_at(ps, &ps->tok,
			       "unknown l7-deny %s (expected reset or drop)",
			       policy_quote(q, ps->tok.s, ps->tok.len));
	return advance(ps);
}

/* set SETTING VALUE */
static int parse_set(struct parser *ps)
{
	struct policy_token kw = ps->tok;
	char q[POLICY_QUOTE_SIZE];

	if (advance(ps))
		return -1;
	if (ps->tok.type != TOK_WORD)
		return fail_at(ps, &ps->tok,
			       "expected a setting after \"set\", found %s",
			       policy_tok_describe(q, &ps->tok));
	if (policy_tok_is(&ps->tok, "flow-limit"))
		return parse_flow_limit(ps, &kw);
	if (policy_tok_is(&ps->tok, "l7-deny"))
		return parse_l7_deny(ps, &kw);
	return fail_at(ps, &ps->tok,
		       "unknown setting %s (expected flow-limit or l7-deny)",
		       policy_quote(q, ps->tok.s, ps->tok.len));
}

static const struct sgw_prefix *prefix_at(const struct parser *ps,
					  uint32_t val)
{
	return &ps->p->segments[val >> PFX_BITS]
			.prefixes[val & ((1U << PFX_BITS) - 1)];
}

/* Clear the bits past the length into @net; true if any was set. */
static bool has_host_bits(const struct sgw_prefix *pf, uint8_t *net)
{
	unsigned int i, bytes = pf->family == AF_INET ? 4 : 16;
	bool set = false;

	for (i = 0; i < bytes; i++) {
		unsigned int keep = pf->len >= (i + 1) * 8 ? 8 :
				    pf->len > i * 8 ? pf->len - i * 8 : 0;

		net[i] = pf->addr[i] & (uint8_t)(0xff00 >> keep);
		if (net[i] != pf->addr[i])
			set = true;
	}
	return set;
}

/*
 * ::ffff:0:0/96 holds IPv4 addresses written as IPv6 (RFC 4291 2.5.5.2).
 * They never appear in IPv6 headers on the wire, and sgw sees IPv4 traffic
 * as IPv4, so such a prefix could never match: it is surely meant as the
 * IPv4 prefix, which the error spells out.
 */
static bool is_v4_mapped(const struct sgw_prefix *pf)
{
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };

	return pf->family == AF_INET6 && pf->len >= 96 &&
	       !memcmp(pf->addr, mapped, sizeof(mapped));
}

/* ADDRESS [/LEN] at the current token into @pf. */
static int parse_prefix(struct parser *ps, struct sgw_prefix *pf)
{
	const struct policy_token *t = &ps->tok;
	char q[POLICY_QUOTE_SIZE], buf[INET6_ADDRSTRLEN];
	char net[INET6_ADDRSTRLEN], host[INET6_ADDRSTRLEN];
	const char *slash = memchr(t->s, '/', t->len);
	size_t alen = slash ? (size_t)(slash - t->s) : t->len;
	uint32_t len, max;
	uint8_t masked[16] = { 0 };

	memset(pf, 0, sizeof(*pf));
	pf->family = memchr(t->s, ':', alen) ? AF_INET6 : AF_INET;
	max = pf->family == AF_INET ? 32 : 128;
	/* inet_pton needs a C string: a bounded copy, never the text. */
	if (!alen || alen >= sizeof(buf))
		goto invalid;
	memcpy(buf, t->s, alen);
	buf[alen] = 0;
	if (inet_pton(pf->family, buf, pf->addr) != 1)
		goto invalid;
	len = max;
	if (slash) {
		const char *ls = slash + 1;
		size_t ll = t->len - alen - 1;
		struct policy_token lt = *t;

		switch (parse_uint(ls, ll, max, &len)) {
		case 1:
			goto invalid;
		case 2:
			lt.col += (unsigned int)(alen + 1);
			return fail_at(ps, &lt,
				       "prefix length %s out of range 0-%u",
				       policy_clip(q, ls, ll), max);
		}
	}
	pf->len = (uint8_t)len;

	if (has_host_bits(pf, masked)) {
		inet_ntop(pf->family, masked, net, sizeof(net));
		inet_ntop(pf->family, pf->addr, host, sizeof(host));
		return fail_at(ps, t,
			       "prefix %s has host bits set: write %s/%u for the network, or %s for one host",
			       policy_quote(q, t->s, t->len), net, pf->len,
			       host);
	}
	if (is_v4_mapped(pf)) {
		inet_ntop(AF_INET, pf->addr + 12, net, sizeof(net));
		if (pf->len == 128)
			return fail_at(ps, t,
				       "IPv4-mapped address %s never matches, as sgw sees IPv4 traffic as IPv4: write %s",
				       policy_quote(q, t->s, t->len), net);
		return fail_at(ps, t,
			       "IPv4-mapped prefix %s never matches, as sgw sees IPv4 traffic as IPv4: write %s/%u",
			       policy_quote(q, t->s, t->len), net,
			       pf->len - 96);
	}
	return 0;
invalid:
	return fail_at(ps, t, "invalid address %s",
		       policy_quote(q, t->s, t->len));
}

/* Append the prefix at the current token to segment @segi. */
static int add_prefix(struct parser *ps, size_t segi)
{
	struct policy_segment *seg = &ps->p->segments[segi];
	const struct policy_token *t = &ps->tok;
	char q[POLICY_QUOTE_SIZE], n[POLICY_QUOTE_SIZE];
	struct sgw_prefix pf, *np;
	struct policy_slot *s;
	size_t cap;
	uint32_t h;

	if (parse_prefix(ps, &pf))
		return -1;
	if (policy_index_reserve(&ps->prefixes, ps->nprefixes + 1))
		return oom(ps);
	h = policy_fnv1a(POLICY_FNV_BASIS, &pf, sizeof(pf));
	for (s = policy_index_first(&ps->prefixes, h); s->val;
	     s = policy_index_next(&ps->prefixes, s)) {
		const struct policy_segment *os;

		if (s->hash != h ||
		    memcmp(prefix_at(ps, s->val - 1), &pf, sizeof(pf)))
			continue;
		os = &ps->p->segments[(s->val - 1) >> PFX_BITS];
		policy_quote(n, os->name, strlen(os->name));
		if (os == seg)
			return fail_at(ps, t,
				       "prefix %s is listed twice in segment %s",
				       policy_quote(q, t->s, t->len), n);
		return fail_at(ps, t,
			       "prefix %s is already in segment %s (line %u)",
			       policy_quote(q, t->s, t->len), n, os->line);
	}
	if (ps->nprefixes == POLICY_PREFIXES_MAX)
		return fail_at(ps, t, "more than %u prefixes",
			       POLICY_PREFIXES_MAX);

	cap = policy_cap(seg->nprefixes);
	np = policy_grow(seg->prefixes, &cap, seg->nprefixes + 1, sizeof(*np));
	if (!np)
		return oom(ps);
	seg->prefixes = np;
	seg->prefixes[seg->nprefixes] = pf;
	policy_index_put(&ps->prefixes, s, h,
			 (uint32_t)(segi << PFX_BITS | seg->nprefixes));
	seg->nprefixes++;
	ps->nprefixes++;
	return 0;
}

/* segment NAME PREFIX {, PREFIX} */
static int parse_segment(struct parser *ps)
{
	char q[POLICY_QUOTE_SIZE], f[POLICY_QUOTE_SIZE];
	struct policy_segment *seg;
	struct policy *p = ps->p;
	struct policy_token name;
	size_t segi;
	uint32_t si;

	if (advance(ps))
		return -1;
	name = ps->tok;
	if (name.type != TOK_WORD)
		return fail_at(ps, &name,
			       "expected a segment name after \"segment\", found %s",
			       policy_tok_describe(q, &name));
	if (check_name(ps, &name))
		return -1;
	if (is_one_of(&name, reserved, ARRAY_SIZE(reserved)))
		return fail_at(ps, &name,
			       "%s is reserved and cannot name a segment",
			       policy_quote(q, name.s, name.len));
	if (sym_get(ps, &name, &si))
		return -1;
	if (ps->syms[si].seg)
		return fail_at(ps, &name,
			       "duplicate segment %s, first declared at line %u",
			       policy_quote(q, name.s, name.len),
			       p->segments[ps->syms[si].seg - 1].line);
	if (p->nsegments == SGW_SEG_ID_MAX)
		return fail_at(ps, &name, "more than %d segments",
			       SGW_SEG_ID_MAX);

	seg = policy_grow(p->segments, &ps->segs_cap, p->nsegments + 1,
			  sizeof(*seg));
	if (!seg)
		return oom(ps);
	p->segments = seg;
	segi = p->nsegments++;
	seg = &p->segments[segi];
	memset(seg, 0, sizeof(*seg));
	memcpy(seg->name, name.s, name.len);
	seg->id = (uint16_t)(segi + 1);
	seg->line = name.line;
	ps->syms[si].seg = (uint32_t)segi + 1;

	if (advance(ps))
		return -1;
	if (ps->tok.type != TOK_WORD)
		return fail_at(ps, &ps->tok,
			       "expected an address after segment name %s, found %s",
			       policy_quote(q, name.s, name.len),
			       policy_tok_describe(f, &ps->tok));
	for (;;) {
		if (add_prefix(ps, segi) || advance(ps))
			return -1;
		if (ps->tok.type != TOK_COMMA)
			break;
		if (next_item(ps))
			return -1;
		if (ps->tok.type != TOK_WORD)
			return fail_at(ps, &ps->tok,
				       "expected an address after \",\", found %s",
				       policy_tok_describe(q, &ps->tok));
	}
	if (ps->tok.type == TOK_WORD)
		return fail_at(ps, &ps->tok,
			       "expected \",\" between addresses, found %s",
			       policy_tok_describe(q, &ps->tok));
	return 0;
}

/*
 * One side of a rule: NAME {, NAME}. *@side and *@n are kept current so
 * that an error frees what was built.
 */
static int parse_seglist(struct parser *ps, uint32_t **side, size_t *n,
			 const char *after)
{
	const struct policy_token *t = &ps->tok;
	bool any = false, world = false;
	char q[POLICY_QUOTE_SIZE];
	uint32_t *a, v;
	size_t cap;

	ps->stamp++;
	for (;;) {
		if (t->type != TOK_WORD ||
		    is_one_of(t, reserved + 2, ARRAY_SIZE(reserved) - 2))
			return fail_at(ps, t,
				       "expected a segment name %s, found %s",
				       after, policy_tok_describe(q, t));
		if (check_name(ps, t))
			return -1;
		if (policy_tok_is(t, "any")) {
			if (any)
				goto twice;
			any = true;
			v = SYM_ANY;
		} else if (policy_tok_is(t, "world")) {
			if (world)
				goto twice;
			world = true;
			v = SYM_WORLD;
		} else {
			struct sym *y;

			if (sym_get(ps, t, &v))
				return -1;
			y = &ps->syms[v];
			if (y->stamp == ps->stamp)
				goto twice;
			y->stamp = ps->stamp;
			if (!y->ref_line) {
				y->ref_line = t->line;
				y->ref_col = t->col;
			}
		}
		if (any && *n)
			return fail_at(ps, t,
				       "\"any\" cannot be combined with other segments, found %s",
				       policy_quote(q, t->s, t->len));
		if (*n == POLICY_RULE_SEGS_MAX)
			return fail_at(ps, t,
				       "more than %u segments on one side of a rule",
				       POLICY_RULE_SEGS_MAX);
		cap = policy_cap(*n);
		a = policy_grow(*side, &cap, *n + 1, sizeof(**side));
		if (!a)
			return oom(ps);
		*side = a;
		a[(*n)++] = v;

		if (advance(ps))
			return -1;
		if (t->type != TOK_COMMA)
			return 0;
		if (next_item(ps))
			return -1;
		after = "after \",\"";
	}
twice:
	return fail_at(ps, t, "segment %s is listed twice",
		       policy_quote(q, t->s, t->len));
}

/* PORT [-PORT] at the current token; errors point at the bad number. */
static int parse_port(struct parser *ps, struct sgw_port_range *r)
{
	const struct policy_token *t = &ps->tok;
	const char *dash = memchr(t->s, '-', t->len);
	size_t l1 = dash ? (size_t)(dash - t->s) : t->len;
	size_t l2 = dash ? t->len - l1 - 1 : 0;
	struct policy_token at = *t;
	char q[POLICY_QUOTE_SIZE];
	uint32_t lo = 0, hi = 0;
	int e1, e2 = 0;

	e1 = parse_uint(t->s, l1, 65535, &lo);
	if (dash)
		e2 = parse_uint(dash + 1, l2, 65535, &hi);
	else
		hi = lo;
	if (e1 == 1 || e2 == 1)
		return fail_at(ps, t, "invalid port %s",
			       policy_quote(q, t->s, t->len));
	if (e1 == 2)
		return fail_at(ps, t, "port %s out of range 0-65535",
			       policy_clip(q, t->s, l1));
	if (e2 == 2) {
		at.col += (unsigned int)(l1 + 1);
		return fail_at(ps, &at, "port %s out of range 0-65535",
			       policy_clip(q, dash + 1, l2));
	}
	if (lo > hi)
		return fail_at(ps, t, "port range %s is reversed: write %u-%u",
			       policy_clip(q, t->s, t->len), hi, lo);
	r->lo = (uint16_t)lo;
	r->hi = (uint16_t)hi;
	return 0;
}

static int cmp_items(const void *a, const void *b)
{
	const struct port_item *x = a, *y = b;

	if (x->r.lo != y->r.lo)
		return x->r.lo < y->r.lo ? -1 : 1;
	if (x->r.hi != y->r.hi)
		return x->r.hi < y->r.hi ? -1 : 1;
	return (x->idx > y->idx) - (x->idx < y->idx);
}

static void format_range(char *buf, size_t size, struct sgw_port_range r)
{
	if (r.lo == r.hi)
		snprintf(buf, size, "%u", r.lo);
	else
		snprintf(buf, size, "%u-%u", r.lo, r.hi);
}

/*
 * Ports of one rule must not overlap: "80, 80" or "80-90, 85" is a slip in
 * the list. A sweep over the ranges sorted by start meets every overlap
 * with the range reaching furthest so far; of the pairs it meets, the one
 * whose later member comes first in the text is reported, at that member.
 */
static int check_port_overlap(struct parser *ps, size_t n)
{
	const struct port_item *bad = NULL, *with = NULL, *reach;
	struct port_item *it = ps->items;
	char a[16], b[16];
	size_t i;

	if (n < 2)
		return 0;
	qsort(it, n, sizeof(*it), cmp_items);
	reach = &it[0];
	for (i = 1; i < n; i++) {
		if (it[i].r.lo <= reach->r.hi) {
			const struct port_item *later, *earlier;

			later = it[i].idx > reach->idx ? &it[i] : reach;
			earlier = later == reach ? &it[i] : reach;
			if (!bad || later->idx < bad->idx) {
				bad = later;
				with = earlier;
			}
		}
		if (it[i].r.hi > reach->r.hi)
			reach = &it[i];
	}
	if (!bad)
		return 0;
	format_range(a, sizeof(a), bad->r);
	format_range(b, sizeof(b), with->r);
	if (bad->r.lo == with->r.lo && bad->r.hi == with->r.hi)
		return policy_fail(ps->err, bad->line, bad->col,
				   "port %s is listed twice", a);
	return policy_fail(ps->err, bad->line, bad->col,
			   "port %s overlaps %s", a, b);
}

/* PORTSPEC {, PORTSPEC} */
static int parse_ports(struct parser *ps, struct policy_rule *r)
{
	char q[POLICY_QUOTE_SIZE];
	struct sgw_port_range *a;
	struct port_item *it;
	size_t cap;

	for (;;) {
		if (r->nports == POLICY_RULE_PORTS_MAX)
			return fail_at(ps, &ps->tok,
				       "more than %u port ranges in one rule",
				       POLICY_RULE_PORTS_MAX);
		cap = policy_cap(r->nports);
		a = policy_grow(r->ports, &cap, r->nports + 1, sizeof(*a));
		if (!a)
			return oom(ps);
		r->ports = a;
		it = policy_grow(ps->items, &ps->items_cap, r->nports + 1,
				 sizeof(*it));
		if (!it)
			return oom(ps);
		ps->items = it;
		it += r->nports;
		if (parse_port(ps, &it->r))
			return -1;
		it->idx = (uint32_t)r->nports;
		it->line = ps->tok.line;
		it->col = ps->tok.col;
		a[r->nports++] = it->r;

		if (advance(ps))
			return -1;
		if (ps->tok.type != TOK_COMMA)
			break;
		if (next_item(ps))
			return -1;
		if (ps->tok.type != TOK_WORD)
			return fail_at(ps, &ps->tok,
				       "expected a port after \",\", found %s",
				       policy_tok_describe(q, &ps->tok));
	}
	if (ps->tok.type == TOK_WORD && !policy_tok_is(&ps->tok, "app"))
		return fail_at(ps, &ps->tok,
			       "expected \",\" between ports, found %s",
			       policy_tok_describe(q, &ps->tok));
	return check_port_overlap(ps, r->nports);
}

static bool is_number(const struct policy_token *t)
{
	return t->type == TOK_WORD && t->s[0] >= '0' && t->s[0] <= '9';
}

/*
 * The application clause of a rule:
 *
 *	app APP { FIELD PATTERN {, PATTERN} | FLAG }
 *
 * The rule's struct sgw_l7_rule is built as it is read, by the same code
 * the module runs (kmod/core/l7/rule.c), so a pattern is refused and
 * normalised here exactly as it would be there.
 */

/* Per field, in enum sgw_l7_field order: what one pattern is called. */
static const char *const pattern_kind[POLICY_NL7_FIELDS] = {
	"host pattern", "method", "path pattern", "SNI pattern", "ALPN id",
	"qname pattern",
};

static const char *article(const char *kind)
{
	return strchr("aeiouAEIOS", kind[0]) ? "an" : "a";
}

static const char *app_protos(uint8_t app)
{
	return app == SGW_APP_DNS || app == SGW_APP_UNCLASSIFIED ?
	       "tcp or udp" : "tcp";
}

/* The words an app clause may hold after APP, for messages. */
static const char *app_words(uint8_t app)
{
	switch (app) {
	case SGW_APP_HTTP:
		return "host, method or path";
	case SGW_APP_TLS:
		return "sni, alpn, nosni or ech";
	case SGW_APP_DNS:
		return "qname";
	default:
		return NULL;
	}
}

/* A field that has no place in this app's clause. */
static int not_of_app(struct parser *ps, const struct policy_token *t,
		      uint8_t app)
{
	const char *name = policy_word_name(policy_apps, POLICY_NAPPS, app);
	const char *words = app_words(app);
	char q[POLICY_QUOTE_SIZE];

	policy_quote(q, t->s, t->len);
	if (!words)
		return fail_at(ps, t, "app %s takes no fields, found %s", name,
			       q);
	return fail_at(ps, t, "%s is not a field of app %s (expected %s)", q,
		       name, words);
}

/* Why sgw_l7_rule_add() refused the pattern at @t, in words. */
static int bad_pattern(struct parser *ps, enum sgw_l7_field f,
		       const struct policy_token *t)
{
	const char *kind = pattern_kind[f], *star = memchr(t->s, '*', t->len);
	char q[POLICY_QUOTE_SIZE];

	policy_quote(q, t->s, t->len);
	switch (f) {
	case SGW_L7_FIELD_HOST:
	case SGW_L7_FIELD_SNI:
	case SGW_L7_FIELD_QNAME:
		if (star && (star != t->s || t->len < 2 || t->s[1] != '.' ||
			     memchr(t->s + 1, '*', t->len - 1)))
			return fail_at(ps, t,
				       "\"*\" may only start %s %s, as in \"*.example.com\": found %s",
				       article(kind), kind, q);
		return fail_at(ps, t,
			       "invalid %s %s: a name is labels of letters, digits, \"-\" and \"_\" (63 bytes at most, 253 in all) joined by \".\", optionally after \"*.\"",
			       kind, q);
	case SGW_L7_FIELD_PATH:
		if (t->s[0] != '/')
			return fail_at(ps, t, "path pattern %s must start with \"/\"",
				       q);
		if (memchr(t->s, '?', t->len))
			return fail_at(ps, t,
				       "path pattern %s holds a query: paths are matched without the \"?\" and what follows",
				       q);
		if (star && star != t->s + t->len - 1)
			return fail_at(ps, t,
				       "\"*\" may only end a path pattern, as in \"/api/*\": found %s",
				       q);
		/* What is left: rule.c's path_unmatchable(). */
		return fail_at(ps, t,
			       "path pattern %s can never match: no path with a \".\" or \"..\" segment or an encoded \".\", \"/\", \"\\\" or \"%%\" matches a path rule",
			       q);
	case SGW_L7_FIELD_METHOD:
		if (t->len > SGW_L7_HTTP_METHOD_MAX)
			return fail_at(ps, t, "method %s is longer than %d bytes",
				       q, SGW_L7_HTTP_METHOD_MAX);
		return fail_at(ps, t,
			       "invalid method %s: a method is an HTTP token, such as GET or M-SEARCH",
			       q);
	case SGW_L7_FIELD_ALPN:
		if (t->len > SGW_L7_TLS_ALPN_LEN_MAX)
			return fail_at(ps, t,
				       "ALPN id %s is longer than %d bytes, the most sgw compares",
				       q, SGW_L7_TLS_ALPN_LEN_MAX);
		return fail_at(ps, t, "invalid ALPN id %s", q);
	default:
		return fail_at(ps, t, "invalid pattern %s", q);
	}
}

/* FIELD PATTERN {, PATTERN}: the current token is FIELD. */
static int parse_field(struct parser *ps, struct sgw_l7_rule *l7,
		       enum sgw_l7_field f)
{
	const struct policy_token *t = &ps->tok;
	const char *kind = pattern_kind[f];
	const struct sgw_l7_pattern *set;
	char q[POLICY_QUOTE_SIZE], after[POLICY_QUOTE_SIZE + 8];
	bool first = true;
	unsigned int n, i;
	int ret;

	snprintf(after, sizeof(after), "after %s",
		 policy_quote(q, t->s, t->len));
	ps->lx.path = f == SGW_L7_FIELD_PATH;
	if (advance(ps))
		return -1;
	for (;;) {
		if (t->type != TOK_WORD ||
		    (first && policy_l7_keyword(t->s, t->len)))
			return fail_at(ps, t, "expected %s %s %s, found %s",
				       article(kind), kind, after,
				       policy_tok_describe(q, t));
		if (policy_l7_keyword(t->s, t->len))
			return fail_at(ps, t,
				       "%s is a keyword, not %s %s: remove the \",\" before it",
				       policy_quote(q, t->s, t->len),
				       article(kind), kind);
		if (t->len > POLICY_L7_PATTERN_LEN_MAX)
			return fail_at(ps, t, "%s %s is longer than %d bytes",
				       kind, policy_quote(q, t->s, t->len),
				       POLICY_L7_PATTERN_LEN_MAX);
		ret = sgw_l7_rule_add(l7, f, t->s, t->len);
		if (ret == -EINVAL)
			return bad_pattern(ps, f, t);
		if (ret == -E2BIG)
			return fail_at(ps, t, "more than %d %ss in one rule",
				       POLICY_L7_PATTERNS_MAX, kind);
		if (ret)
			return oom(ps);
		/* Compared in normal form: "A.example" is "a.example.". */
		set = sgw_l7_rule_patterns(l7, f, &n);
		for (i = 0; i + 1 < n; i++)
			if (set[i].len == set[n - 1].len &&
			    !memcmp(set[i].str, set[n - 1].str, set[i].len))
				return fail_at(ps, t, "%s %s is listed twice",
					       kind,
					       policy_quote(q, t->s, t->len));
		if (advance(ps))
			return -1;
		if (t->type != TOK_COMMA)
			break;
		if (next_item(ps))
			return -1;
		first = false;
		snprintf(after, sizeof(after), "after \",\"");
	}
	ps->lx.path = false;
	return 0;
}

/*
 * At the end of a line in an app clause: a line that starts with a field
 * or flag name continues the clause (blank and comment lines may come
 * between), since no statement starts with one. Looks past the line end;
 * if the next line is anything else, the lexer is put back where it was.
 */
static bool clause_continues(struct parser *ps)
{
	struct policy_lexer lx = ps->lx;
	struct policy_token tok = ps->tok;
	struct policy_error err = *ps->err;

	do {
		if (advance(ps))
			goto back;
	} while (ps->tok.type == TOK_NEWLINE);
	if (ps->tok.type == TOK_WORD &&
	    policy_l7_keyword(ps->tok.s, ps->tok.len))
		return true;
back:
	/* A bad byte ahead is reported when its line is read. */
	ps->lx = lx;
	ps->tok = tok;
	*ps->err = err;
	return false;
}

/*
 * app APP ..., the current token is "app"; @proto is the rule's protocol
 * as written, NULL when it has none.
 */
static int parse_app(struct parser *ps, struct policy_rule *r,
		     const char *proto)
{
	const struct policy_token *t = &ps->tok;
	const struct policy_word *w;
	char q[POLICY_QUOTE_SIZE];
	uint32_t flags = 0, fields = 0;
	const char *name;
	uint8_t app;

	if (advance(ps))
		return -1;
	if (t->type != TOK_WORD)
		return fail_at(ps, t,
			       "expected an app (http, tls, dns, ssh or unclassified) after \"app\", found %s",
			       policy_tok_describe(q, t));
	w = policy_word_find(policy_apps, POLICY_NAPPS, t);
	if (!w)
		return fail_at(ps, t,
			       "unknown app %s (expected http, tls, dns, ssh or unclassified)",
			       policy_quote(q, t->s, t->len));
	app = (uint8_t)w->value;
	name = w->name;
	if (!proto)
		return fail_at(ps, t, "app %s needs %s before it",
			       policy_quote(q, t->s, t->len), app_protos(app));
	if (!policy_app_proto_ok(app, r->proto))
		return fail_at(ps, t, "app %s needs %s, not %s",
			       policy_quote(q, t->s, t->len), app_protos(app),
			       proto);
	r->l7 = sgw_l7_rule_alloc(app, 0);
	if (!r->l7)
		return oom(ps);
	if (advance(ps))
		return -1;

	while (t->type == TOK_WORD ||
	       (t->type == TOK_NEWLINE && clause_continues(ps))) {
		w = policy_word_find(policy_l7_fields, POLICY_NL7_FIELDS, t);
		if (w) {
			if (!sgw_l7_field_valid(app, w->value))
				return not_of_app(ps, t, app);
			if (fields & 1U << w->value)
				return fail_at(ps, t,
					       "field %s is given twice: list all its patterns after one %s",
					       policy_quote(q, t->s, t->len),
					       q);
			fields |= 1U << w->value;
			if (parse_field(ps, r->l7, w->value))
				return -1;
			continue;
		}
		w = policy_word_find(policy_l7_flags, POLICY_NL7_FLAGS, t);
		if (w) {
			if (app != SGW_APP_TLS && !app_words(app))
				return not_of_app(ps, t, app);
			if (app != SGW_APP_TLS)
				return fail_at(ps, t,
					       "%s is a flag of app tls, not of app %s",
					       policy_quote(q, t->s, t->len),
					       name);
			if (flags & w->value)
				return fail_at(ps, t, "flag %s is given twice",
					       policy_quote(q, t->s, t->len));
			flags |= w->value;
			if (advance(ps))
				return -1;
			continue;
		}
		if (!app_words(app))
			return not_of_app(ps, t, app);
		return fail_at(ps, t, "unknown field %s for app %s (expected %s)",
			       policy_quote(q, t->s, t->len), name,
			       app_words(app));
	}
	if (sgw_l7_rule_set_flags(r->l7, flags))
		return fail_at(ps, t, "flags not valid for app %s", name);
	return 0;
}

/* [PROTO [PORTS]] [app ...] up to the end of the line. */
static int parse_proto(struct parser *ps, struct policy_rule *r)
{
	const struct policy_token *t = &ps->tok;
	const struct policy_word *w;
	char q[POLICY_QUOTE_SIZE];

	r->proto = SGW_PROTO_ANY;
	if (at_line_end(ps))
		return 0;
	if (is_number(t))
		return fail_at(ps, t,
			       "port %s needs a protocol, tcp or udp, before it",
			       policy_quote(q, t->s, t->len));
	if (t->type != TOK_WORD)
		return fail_at(ps, t,
			       "expected a protocol after destination segments, found %s",
			       policy_tok_describe(q, t));
	w = policy_word_find(policy_protos, POLICY_NPROTOS, t);
	if (!w) {
		uint32_t h = policy_fnv1a(POLICY_FNV_BASIS, t->s, t->len);

		/* A name seen before is a segment whose "," is missing. */
		if (sym_slot(ps, t, h)->val)
			return fail_at(ps, t,
				       "expected \",\" before segment %s",
				       policy_quote(q, t->s, t->len));
		if (policy_tok_is(t, "app"))
			return parse_app(ps, r, NULL);
		return fail_at(ps, t,
			       "unknown protocol %s (expected tcp, udp, icmp, icmpv6 or any)",
			       policy_quote(q, t->s, t->len));
	}
	r->proto = (uint8_t)w->value;
	if (advance(ps))
		return -1;
	if (r->proto == IPPROTO_TCP || r->proto == IPPROTO_UDP) {
		if (t->type == TOK_WORD && !policy_tok_is(t, "app") &&
		    parse_ports(ps, r))
			return -1;
	} else if (is_number(t)) {
		return fail_at(ps, t, "port %s needs tcp or udp, not %s",
			       policy_quote(q, t->s, t->len), w->name);
	}
	if (policy_tok_is(t, "app"))
		return parse_app(ps, r, w->name);
	return 0;
}

static const char *entry_name(const struct parser *ps, uint32_t v)
{
	if (v == SYM_ANY)
		return "any";
	if (v == SYM_WORLD)
		return "world";
	return ps->syms[v].name;
}

/* Fill ps->names with the names of @side, from @at on. */
static int side_names(struct parser *ps, const uint32_t *side, size_t n,
		      size_t at)
{
	const char **names = policy_grow(ps->names, &ps->names_cap, at + n,
					 sizeof(*names));
	size_t i;

	if (!names)
		return -1;
	ps->names = names;
	for (i = 0; i < n; i++)
		names[at + i] = entry_name(ps, side[i]);
	return 0;
}

/* Refuse a rule whose meaning is already in the policy. */
static int check_duplicate(struct parser *ps, size_t ri,
			   const struct policy_token *kw)
{
	struct policy_rule *r = &ps->p->rules[ri];
	struct policy_key *k = &ps->keys[ri];
	struct policy_slot *s;
	uint32_t h;

	if (side_names(ps, ps->tmp[ri].srcs, r->nsrcs, 0) ||
	    side_names(ps, ps->tmp[ri].dsts, r->ndsts, r->nsrcs) ||
	    policy_rule_key(&ps->key, ps->names, r->nsrcs,
			    ps->names + r->nsrcs, r->ndsts, r->proto,
			    r->ports, r->nports, r->l7))
		return oom(ps);
	k->s = malloc(ps->key.len);
	if (!k->s)
		return oom(ps);
	memcpy(k->s, ps->key.buf, ps->key.len);
	k->len = ps->key.len;

	if (policy_index_reserve(&ps->keytab, ri + 1))
		return oom(ps);
	h = policy_fnv1a(POLICY_FNV_BASIS, k->s, k->len);
	for (s = policy_index_first(&ps->keytab, h); s->val;
	     s = policy_index_next(&ps->keytab, s)) {
		const struct policy_key *o = &ps->keys[s->val - 1];

		if (s->hash == h && o->len == k->len &&
		    !memcmp(o->s, k->s, k->len))
			return fail_at(ps, kw, "duplicate rule, first at line %u",
				       ps->p->rules[s->val - 1].line);
	}
	policy_index_put(&ps->keytab, s, h, (uint32_t)ri);
	return 0;
}

/* allow SEGS -> SEGS [PROTO [PORTS]] [app APP ...] */
static int parse_allow(struct parser *ps)
{
	struct policy_token kw = ps->tok;
	struct policy *p = ps->p;
	char q[POLICY_QUOTE_SIZE];
	struct policy_rule *r;
	struct rule_tmp *tmp;
	struct policy_key *k;
	size_t ri, cap;

	if (p->nrules == POLICY_RULES_MAX)
		return fail_at(ps, &kw, "more than %u rules", POLICY_RULES_MAX);
	cap = ps->rules_cap;
	r = policy_grow(p->rules, &cap, p->nrules + 1, sizeof(*r));
	if (r)
		p->rules = r;
	cap = ps->rules_cap;
	k = policy_grow(ps->keys, &cap, p->nrules + 1, sizeof(*k));
	if (k)
		ps->keys = k;
	tmp = policy_grow(ps->tmp, &ps->rules_cap, p->nrules + 1,
			  sizeof(*tmp));
	if (!r || !k || !tmp)
		return oom(ps);
	ps->tmp = tmp;
	ri = p->nrules++;
	r = &p->rules[ri];
	memset(r, 0, sizeof(*r));
	memset(&ps->tmp[ri], 0, sizeof(ps->tmp[ri]));
	memset(&ps->keys[ri], 0, sizeof(ps->keys[ri]));
	r->line = kw.line;
	tmp = &ps->tmp[ri];

	if (advance(ps) ||
	    parse_seglist(ps, &tmp->srcs, &r->nsrcs, "after \"allow\""))
		return -1;
	if (ps->tok.type != TOK_ARROW)
		return fail_at(ps, &ps->tok,
			       "expected \"->\" after source segments, found %s",
			       policy_tok_describe(q, &ps->tok));
	if (advance(ps) ||
	    parse_seglist(ps, &tmp->dsts, &r->ndsts, "after \"->\"") ||
	    parse_proto(ps, r))
		return -1;
	return check_duplicate(ps, ri, &kw);
}

static int parse_statements(struct parser *ps)
{
	char q[POLICY_QUOTE_SIZE];
	const char *what;
	int ret;

	for (;;) {
		if (advance(ps))
			return -1;
		if (ps->tok.type == TOK_EOF)
			return 0;
		if (ps->tok.type == TOK_NEWLINE)
			continue;
		if (policy_tok_is(&ps->tok, "allow")) {
			what = "rule";
			ret = parse_allow(ps);
		} else if (ps->rules_only) {
			return fail_at(ps, &ps->tok,
				       "expected a rule (\"allow ...\"), found %s",
				       policy_tok_describe(q, &ps->tok));
		} else if (policy_tok_is(&ps->tok, "segment")) {
			what = "segment";
			ret = parse_segment(ps);
		} else if (policy_tok_is(&ps->tok, "hook")) {
			what = "hook";
			ret = parse_hook(ps);
		} else if (policy_tok_is(&ps->tok, "set")) {
			what = "set";
			ret = parse_set(ps);
		} else if (ps->tok.type == TOK_WORD) {
			return fail_at(ps, &ps->tok,
				       "unknown statement %s (expected hook, set, segment or allow)",
				       policy_quote(q, ps->tok.s, ps->tok.len));
		} else {
			return fail_at(ps, &ps->tok,
				       "expected a statement (hook, set, segment or allow), found %s",
				       policy_tok_describe(q, &ps->tok));
		}
		if (ret)
			return ret;
		/* Each statement stops at the first token it cannot use. */
		if (!at_line_end(ps))
			return fail_at(ps, &ps->tok,
				       "unexpected %s at the end of a %s statement",
				       policy_tok_describe(q, &ps->tok), what);
		if (ps->tok.type == TOK_EOF)
			return 0;
	}
}

static uint16_t entry_id(const struct parser *ps, uint32_t v)
{
	if (v == SYM_ANY)
		return SGW_SEG_ANY;
	if (v == SYM_WORLD)
		return SGW_SEG_WORLD;
	return (uint16_t)ps->syms[v].seg;	/* index + 1 is the id */
}

/* Rules alone: every name they use becomes a segment, in order of use. */
static int declare_used(struct parser *ps)
{
	struct policy *p = ps->p;
	size_t i;

	p->segments = calloc(ps->nsyms ? ps->nsyms : 1, sizeof(*p->segments));
	if (!p->segments)
		return oom(ps);
	for (i = 0; i < ps->nsyms; i++) {
		struct policy_segment *seg = &p->segments[p->nsegments++];

		memcpy(seg->name, ps->syms[i].name, sizeof(seg->name));
		seg->id = (uint16_t)p->nsegments;
		seg->line = ps->syms[i].ref_line;
		ps->syms[i].seg = (uint32_t)p->nsegments;
	}
	return 0;
}

/*
 * Every name a rule uses must be declared somewhere in the text; the first
 * use of an undeclared one is the error.
 */
static int resolve(struct parser *ps)
{
	struct policy *p = ps->p;
	const struct sym *bad = NULL;
	char q[POLICY_QUOTE_SIZE];
	size_t i, j;

	if (ps->rules_only && declare_used(ps))
		return -1;
	for (i = 0; i < ps->nsyms; i++) {
		const struct sym *y = &ps->syms[i];

		if (y->seg || !y->ref_line)
			continue;
		if (!bad || y->ref_line < bad->ref_line ||
		    (y->ref_line == bad->ref_line && y->ref_col < bad->ref_col))
			bad = y;
	}
	if (bad)
		return policy_fail(ps->err, bad->ref_line, bad->ref_col,
				   "unknown segment %s",
				   policy_quote(q, bad->name,
						strlen(bad->name)));

	for (i = 0; i < p->nrules; i++) {
		struct policy_rule *r = &p->rules[i];

		r->srcs = malloc(r->nsrcs * sizeof(*r->srcs));
		r->dsts = malloc(r->ndsts * sizeof(*r->dsts));
		if (!r->srcs || !r->dsts)
			return oom(ps);
		for (j = 0; j < r->nsrcs; j++)
			r->srcs[j] = entry_id(ps, ps->tmp[i].srcs[j]);
		for (j = 0; j < r->ndsts; j++)
			r->dsts[j] = entry_id(ps, ps->tmp[i].dsts[j]);
	}
	return 0;
}

static void parser_free(struct parser *ps)
{
	size_t i;

	for (i = 0; i < ps->p->nrules; i++) {
		free(ps->tmp[i].srcs);
		free(ps->tmp[i].dsts);
		free(ps->keys[i].s);
	}
	free(ps->tmp);
	free(ps->keys);
	free(ps->syms);
	policy_index_free(&ps->symtab);
	policy_index_free(&ps->prefixes);
	policy_index_free(&ps->keytab);
	free(ps->items);
	free(ps->names);
	free(ps->key.buf);
}

static int parse(const char *text, size_t len, bool rules_only,
		 struct policy *p, struct policy_error *err)
{
	struct policy_error ignored;
	struct parser ps;
	int ret;

	if (!err)
		err = &ignored;
	memset(p, 0, sizeof(*p));
	memset(err, 0, sizeof(*err));
	memset(&ps, 0, sizeof(ps));
	ps.p = p;
	ps.err = err;
	ps.rules_only = rules_only;
	policy_lex_init(&ps.lx, text, len);

	ret = parse_statements(&ps);
	if (!ret)
		ret = resolve(&ps);
	if (!ret && policy_assign_ids(p->rules, ps.keys, p->nrules))
		ret = oom(&ps);
	parser_free(&ps);
	if (ret) {
		policy_free(p);
		return -1;
	}
	if (!p->hooks)
		p->hooks = SGW_HOOK_F_FORWARD;
	return 0;
}

int policy_parse(const char *text, size_t len, struct policy *p,
		 struct policy_error *err)
{
	return parse(text, len, false, p, err);
}

int policy_parse_rules(const char *text, size_t len, struct policy *p,
		       struct policy_error *err)
{
	return parse(text, len, true, p, err);
}
