/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Auditing a live policy: from the rules, their counters and the flows in
 * the flow table, the rules worth a second look. No I/O and no clock: the
 * caller reads the module and passes the time, so the unit tests drive it
 * on plain structs. "sgctl audit" (audit.c) prints the findings.
 */
#ifndef SGCTL_POLICY_AUDIT_H
#define SGCTL_POLICY_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "nlmsg.h"
#include "policy.h"

enum audit_kind {
	/* No flow since the rule was loaded: its counters start at 0 and
	 * are carried across reloads that keep the rule unchanged.
	 */
	AUDIT_NEVER_HIT,
	/* Hit, but not in the last --days days, and no flow of it in the
	 * flow table now.
	 */
	AUDIT_STALE,
	/* "any" as source or destination, or "world" to a named segment,
	 * with every protocol or every port.
	 */
	AUDIT_BROAD,
	/* Its flows in the flow table use fewer ports than it allows. */
	AUDIT_UNUSED_PORTS,
	/* Allows an administrative port, with no end date. */
	AUDIT_ADMIN_PORT,
	__AUDIT_KIND_MAX
};

enum {
	/* Seen ports in an AUDIT_UNUSED_PORTS finding: past this many the
	 * rule's traffic is spread over its ports and is not reported.
	 */
	AUDIT_FEW_PORTS		= 16,
	AUDIT_DAYS_MAX		= 36500,
	AUDIT_SECONDS_PER_DAY	= 86400,
};

struct audit_options {
	uint64_t	now;	/* unix seconds */
	unsigned int	days;	/* 0: no AUDIT_STALE findings */
};

struct audit_finding {
	size_t		rule;	/* index into the policy's rules */
	enum audit_kind	kind;
	char		*text;	/* "never hit since it was loaded" */
};

struct audit_report {
	struct audit_finding	*findings;	/* by rule, then kind */
	size_t			n;
};

/*
 * Audit the rules of @p: @counters has one entry per rule (as a policy
 * dump gives them; NULL when there are none), @flows the flow table
 * (rules are matched by id, flows of rules not in @p are ignored). Returns
 * 0 with @report filled (free it with audit_report_free), or -ENOMEM.
 */
int audit_policy(const struct policy *p, const struct sgw_counters *counters,
		 const struct sgw_flow *flows, size_t nflows,
		 const struct audit_options *opt, struct audit_report *report);
void audit_report_free(struct audit_report *report);

/* "never-hit", "stale", "broad", "unused-ports", "admin-port". */
const char *audit_kind_name(enum audit_kind kind);

/*
 * Rule @r of @p as one line of policy text, without the newline: lists are
 * not wrapped. Segments unknown to @p are "#ID". Returns a string to
 * free(), or NULL when out of memory.
 */
char *policy_rule_text(const struct policy *p, const struct policy_rule *r);

/* Unix seconds as ISO 8601 in UTC: "2026-01-05T10:22:03Z". */
const char *hit_time_str(uint64_t secs, char buf[32]);

#endif /* SGCTL_POLICY_AUDIT_H */
