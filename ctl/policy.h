/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The policy model: what a policy file says, parsed and resolved, ready to
 * be sent to the kernel or printed back. The parser does no I/O, so unit
 * tests and fuzzers drive it on buffers.
 */
#ifndef SGCTL_POLICY_H
#define SGCTL_POLICY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "../include/uapi/linux/sgw.h"

/*
 * Limits of one policy; the parser refuses text past them, so memory grows
 * at most linearly with the text. The per-rule limits match the module's
 * (SGW_RULE_SEGS_MAX, SGW_RULE_PORTS_MAX in kmod/core/ruleset.h).
 * Segments are limited to SGW_SEG_ID_MAX.
 */
enum policy_limit {
	POLICY_LINE_MAX		= 65536,	/* bytes in one line, line end
						 * excluded
						 */
	POLICY_PREFIXES_MAX	= 1U << 20,	/* in all segments together */
	POLICY_RULES_MAX	= 1U << 20,
	POLICY_RULE_SEGS_MAX	= 4096,		/* on one side of a rule */
	POLICY_RULE_PORTS_MAX	= 4096,		/* port ranges in one rule */
	POLICY_FLOW_LIMIT_MAX	= 1U << 24,	/* "set flow-limit" */
	/* Patterns in one field of an app clause, and bytes in one
	 * pattern: the module's (uapi/linux/sgw.h).
	 */
	POLICY_L7_PATTERNS_MAX	= SGW_L7_PATTERNS_MAX,
	POLICY_L7_PATTERN_LEN_MAX = SGW_L7_PATTERN_MAX - 1,
};

/* The application part of a rule: kmod/core/l7/rule.h. */
struct sgw_l7_rule;

struct policy_segment {
	char			name[SGW_SEG_NAME_MAX];
	uint16_t		id;		/* 1 .. SGW_SEG_ID_MAX, file order */
	unsigned int		line;		/* where it was declared */
	struct sgw_prefix	*prefixes;
	size_t			nprefixes;
};

struct policy_rule {
	uint32_t		id;	/* stable: hash of the rule's meaning,
					 * nonzero, unique in the policy
					 */
	unsigned int		line;
	uint16_t		*srcs;	/* segment ids, SGW_SEG_WORLD, SGW_SEG_ANY */
	size_t			nsrcs;
	uint16_t		*dsts;
	size_t			ndsts;
	uint8_t			proto;	/* IPPROTO_TCP, UDP, ICMP, ICMPV6, or
					 * SGW_PROTO_ANY
					 */
	struct sgw_port_range	*ports;	/* NULL: every port */
	size_t			nports;
	/* "app ...": the flow must also be this application, with these
	 * fields; NULL: decided on L4 alone. Owned by the rule.
	 */
	struct sgw_l7_rule	*l7;
};

struct policy {
	uint32_t		hooks;		/* SGW_HOOK_F_*, default FORWARD */
	uint32_t		flow_max;	/* 0: the module's default */
	uint32_t		flags;		/* SGW_POLICY_F_*: "set l7-deny" */
	struct policy_segment	*segments;
	size_t			nsegments;
	struct policy_rule	*rules;
	size_t			nrules;
};

struct policy_error {
	unsigned int	line;	/* 1-based */
	unsigned int	col;	/* 1-based, in bytes */
	char		msg[256];
};

/*
 * Parse @len bytes of policy text into @p. Returns 0, or -1 with @err
 * describing the first error (and @p left empty). Never reads past @len;
 * the text need not be NUL-terminated.
 */
int policy_parse(const char *text, size_t len, struct policy *p,
		 struct policy_error *err);
void policy_free(struct policy *p);

/*
 * Parse text holding allow statements only, which name segments it does not
 * declare: rules given on the command line, for a policy already loaded.
 * Each name used becomes a segment of @p without prefixes, ids 1 .. n in
 * order of first use (its line that of the first use), for the caller to
 * map to the loaded policy's segments. Rule ids are assigned as
 * policy_parse() does. Errors as policy_parse().
 */
int policy_parse_rules(const char *text, size_t len, struct policy *p,
		       struct policy_error *err);

/*
 * 1 if rule @a of policy @pa means the same as rule @b of @pb: the same
 * segment names on each side, protocol, ports and app clause, whatever
 * their order and the segment ids. 0 if not, -1 out of memory.
 */
int policy_rule_same(const struct policy *pa, const struct policy_rule *a,
		     const struct policy *pb, const struct policy_rule *b);

/*
 * The id rule @r of @p gets when the ids @taken (@ntaken of them) are used
 * by other rules: its key's hash, or the first free of the hashes with
 * "#1", "#2"... appended (policy_assign_ids()). 0 out of memory.
 */
uint32_t policy_rule_free_id(const struct policy *p,
			     const struct policy_rule *r,
			     const uint32_t *taken, size_t ntaken);

/*
 * Name of segment @id in @p: "world", "any" or the segment's name; NULL if
 * @p has no segment @id.
 */
const char *policy_segment_name(const struct policy *p, uint16_t id);

/*
 * Print @p as policy text that parses back to the same policy (see
 * policy_equal). Returns 0, or -1 with errno set: EINVAL if @p holds
 * something the language cannot say, or the error of a failed write.
 */
int policy_print(FILE *f, const struct policy *p);

/*
 * 1 if @a and @b are the same policy: hooks, flow limit, flags, segments
 * (names, ids, prefixes, in order) and rules (ids, sources, destinations,
 * protocol, ports, app, its flags and patterns, in order); line numbers
 * are ignored. 0 otherwise.
 */
int policy_equal(const struct policy *a, const struct policy *b);

#endif /* SGCTL_POLICY_H */
