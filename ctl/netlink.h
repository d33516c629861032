/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Talking to the sgw module: every function returns 0 or -errno, and the
 * last extack message the kernel sent is kept for the error report. Message
 * building and parsing live in nlmsg.c; only socket I/O is here.
 */
#ifndef SGCTL_NETLINK_H
#define SGCTL_NETLINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "nlmsg.h"
#include "policy.h"

struct sgw_nl;

/*
 * Open a generic netlink socket and resolve the "sgw" family: -ENOENT when
 * the family does not exist (the module is not loaded).
 */
int sgw_nl_open(struct sgw_nl **nl);
/* Closing also aborts a transaction left open. */
void sgw_nl_close(struct sgw_nl *nl);

/* The extack message of the last request the kernel refused, or "". */
const char *sgw_nl_extack(const struct sgw_nl *nl);

int sgw_nl_status(struct sgw_nl *nl, struct sgw_status *st);

/* Why a load failed. */
struct sgw_load_error {
	int			err;
	char			msg[NLMSG_EXTACK_MAX];	/* extack, or "" */
	bool			at_origin;	/* refused one message: */
	struct nlmsg_origin	origin;		/* this one */
	bool			commit;		/* refused the commit */
};

/*
 * Load @p as one transaction: begin, segments, rules, commit; on any error
 * abort, fill @why and return -errno. On success @generation is the new
 * policy's.
 */
int sgw_nl_load(struct sgw_nl *nl, const struct policy *p,
		uint32_t *generation, struct sgw_load_error *why);

/*
 * Update the live policy, which must still be generation @gen: delete the
 * rules with the @ndels ids @dels, then add the rules of @adds (segment ids
 * the live policy's) after the rules kept. As sgw_nl_load otherwise.
 */
int sgw_nl_update(struct sgw_nl *nl, uint32_t gen, const uint32_t *dels,
		  size_t ndels, const struct policy *adds,
		  uint32_t *generation, struct sgw_load_error *why);

/*
 * Status, segments and rules of the live policy, consistent with each
 * other: dumps interrupted by a commit are retried. -EAGAIN if the policy
 * kept changing. Free @d with nlmsg_dump_free().
 */
int sgw_nl_dump_policy(struct sgw_nl *nl, struct sgw_dump *d);
/* Only the segments (and status), to name them. */
int sgw_nl_dump_segments(struct sgw_nl *nl, struct sgw_dump *d);
/*
 * Segment names and ids without their prefixes (cheap on a policy of many
 * prefixes), and the rules if @rules.
 */
int sgw_nl_dump_names(struct sgw_nl *nl, struct sgw_dump *d, bool rules);

/* Every flow; free(*flows). */
int sgw_nl_dump_flows(struct sgw_nl *nl, struct sgw_flow **flows, size_t *n);

int sgw_nl_stats(struct sgw_nl *nl, struct sgw_stats *st);
int sgw_nl_flush(struct sgw_nl *nl);
int sgw_nl_reset(struct sgw_nl *nl);

#endif /* SGCTL_NETLINK_H */
