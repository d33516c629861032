/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * sgw netlink messages without a socket: building requests (a whole policy
 * packed into a buffer of messages, each tagged with the policy line it came
 * from), reading replies into plain structs, and following an exchange of
 * replies and acks. netlink.c does the I/O; everything here runs on buffers,
 * so the unit tests drive it directly.
 */
#ifndef SGCTL_NLMSG_H
#define SGCTL_NLMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>
#include "policy.h"

enum {
	/* A request message stays within this many bytes where it can be
	 * split: segments are. A rule cannot be split and may exceed it, up
	 * to what one netlink attribute holds.
	 */
	NLMSG_SGW_MAX		= 32 * 1024,
	/* Bytes of messages handed to one sendmsg(). */
	NLMSG_BATCH_MAX		= 64 * 1024,
	NLMSG_EXTACK_MAX	= 256,
	NLMSG_VERSION_MAX	= 64,
};

/* A growable buffer of netlink messages, back to back. */
struct nlmsg_buf {
	char	*data;
	size_t	len;
	size_t	cap;
};

void nlmsg_buf_free(struct nlmsg_buf *b);

/*
 * Append an empty request for @cmd of family @family with genl header,
 * sequence number @seq and @flags (NLM_F_REQUEST is always set). Returns the
 * header, valid until the next append, or NULL when out of memory. @room is
 * the most payload the caller will add.
 */
struct nlmsghdr *nlmsg_put_request(struct nlmsg_buf *b, uint16_t family,
				   uint8_t cmd, uint16_t flags, uint32_t seq,
				   size_t room);

/* Where a message of a packed policy came from. */
enum nlmsg_origin_kind {
	NLMSG_ORIGIN_BEGIN,
	NLMSG_ORIGIN_SEGMENT,
	NLMSG_ORIGIN_RULE,
	NLMSG_ORIGIN_DELETE,	/* a rule deleted by an update */
};

struct nlmsg_origin {
	uint32_t		seq;
	enum nlmsg_origin_kind	kind;
	size_t			index;	/* into policy segments or rules, or
					 * into the ids deleted
					 */
	unsigned int		line;	/* policy line, 0 for BEGIN */
	size_t			offset;	/* of the message in the buffer */
};

/* A policy packed as one transaction, every message but COMMIT. */
struct nlmsg_txn {
	struct nlmsg_buf	buf;
	struct nlmsg_origin	*origins;	/* one per message, in order */
	size_t			norigins;
};

/*
 * Pack @p into @txn: TXN_BEGIN (hooks, flow limit and policy flags), then
 * TXN_ADD_SEGMENT for each segment (prefixes split over as many messages
 * as it takes to keep each within @msg_max bytes), then TXN_ADD_RULE for
 * each rule, its app clause as an SGW_RULE_A_L7 nest. Sequence numbers run
 * up from @seq. No message asks for an ack: the sender decides. Returns 0,
 * -ENOMEM, or -E2BIG when a rule does not fit in one message (its
 * attributes, segments, ports and patterns together, exceed the 64 KiB a
 * netlink attribute holds), with its index in @*bad_rule. On error @txn is
 * left empty.
 */
int nlmsg_pack_policy(struct nlmsg_txn *txn, uint16_t family, uint32_t seq,
		      const struct policy *p, size_t msg_max, size_t *bad_rule);
void nlmsg_txn_free(struct nlmsg_txn *txn);

/*
 * Pack an update of live generation @gen (SGW_TXN_F_UPDATE): TXN_BEGIN,
 * TXN_DEL_RULE for each of the @ndels ids @dels, then TXN_ADD_RULE for each
 * rule of @adds, whose segment ids must be the live policy's (@adds's
 * segments are not sent). Otherwise as nlmsg_pack_policy().
 */
int nlmsg_pack_update(struct nlmsg_txn *txn, uint16_t family, uint32_t seq,
		      uint32_t gen, const uint32_t *dels, size_t ndels,
		      const struct policy *adds, size_t *bad_rule);

/* The origin of the message with sequence number @seq, or NULL. */
const struct nlmsg_origin *nlmsg_txn_origin(const struct nlmsg_txn *txn,
					    uint32_t seq);

/*
 * Messages of @txn from @first on that fit together in @max bytes (at least
 * one): returns the index one past the last.
 */
size_t nlmsg_txn_chunk(const struct nlmsg_txn *txn, size_t first, size_t max);

/* What the kernel reported in one NLMSG_ERROR (or NLMSG_DONE). */
struct nlmsg_error {
	int		err;		/* 0 or -errno */
	uint32_t	seq;
	char		msg[NLMSG_EXTACK_MAX];	/* extack text, or "" */
};

/*
 * Follows one exchange: the replies to requests with sequence numbers
 * @seq_first .. @seq_last, ending at the ack of @seq_last (or at
 * NLMSG_DONE when @dump). Feed it whatever recv() returned until @done.
 * Replies that are neither errors nor acks go to @cb. Messages for other
 * sequence numbers (left over from an earlier exchange) are skipped.
 */
struct nlmsg_exchange {
	uint32_t		portid;
	uint32_t		seq_first;
	uint32_t		seq_last;
	bool			dump;
	int			(*cb)(const struct nlmsghdr *nlh, void *data);
	void			*data;

	bool			done;
	bool			intr;	/* a dump was interrupted: retry */
	int			cb_err;	/* first error @cb returned */
	struct nlmsg_error	error;	/* first error the kernel reported */
};

void nlmsg_exchange_init(struct nlmsg_exchange *x, uint32_t portid,
			 uint32_t seq_first, uint32_t seq_last, bool dump,
			 int (*cb)(const struct nlmsghdr *, void *),
			 void *data);
/* Returns 0, or -EBADMSG if the buffer is not a run of netlink messages. */
int nlmsg_exchange_feed(struct nlmsg_exchange *x, const void *buf,
			size_t len);

/* Reads an NLMSG_ERROR or NLMSG_DONE message, extack included. */
int nlmsg_parse_error(const struct nlmsghdr *nlh, struct nlmsg_error *e);

/* The family id in a CTRL_CMD_GETFAMILY reply. */
int nlmsg_parse_family(const struct nlmsghdr *nlh, uint16_t *family);

struct sgw_status {
	char		version[NLMSG_VERSION_MAX];
	uint32_t	generation;
	uint32_t	hooks;
	uint32_t	flow_max;
	bool		loaded;
	/* SGW_A_POLICY_FLAGS, when the module reports them. */
	bool		has_policy_flags;
	uint32_t	policy_flags;
};

int nlmsg_parse_status(const struct nlmsghdr *nlh, struct sgw_status *st);

/* SGW_A_GENERATION of a reply (TXN_COMMIT's). */
int nlmsg_parse_generation(const struct nlmsghdr *nlh, uint32_t *gen);

struct sgw_counters {
	bool		present;
	uint64_t	packets;
	uint64_t	bytes;
	uint64_t	flows;
	/* Unix seconds of the first and the last flow the rule allowed or
	 * saw end; 0 when the module sent none (never hit).
	 */
	uint64_t	first_hit;
	uint64_t	last_hit;
};

/*
 * The live policy as dumped: segments and rules in a struct policy built
 * here (free it with nlmsg_dump_free, not policy_free), and the counters of
 * rule i in counters[i].
 */
struct sgw_dump {
	struct sgw_status	status;
	struct policy		policy;
	struct sgw_counters	*counters;
};

void nlmsg_dump_free(struct sgw_dump *d);

/*
 * One message of a GET_SEGMENTS dump: adds the segment to @d, or appends
 * its prefixes when it continues the segment of the same id.
 */
int nlmsg_parse_segment(const struct nlmsghdr *nlh, struct sgw_dump *d);
/*
 * One message of a GET_RULES dump: adds the rule, its app clause and its
 * counters. An app clause sgctl cannot represent whole (an unknown app,
 * flag or attribute, a pattern the module should not have taken) is
 * -EBADMSG: printed without it, the rule would allow more than it does.
 */
int nlmsg_parse_rule(const struct nlmsghdr *nlh, struct sgw_dump *d);

struct sgw_flow {
	uint8_t		family;
	uint8_t		proto;
	uint8_t		state;
	uint8_t		src[16];
	uint8_t		dst[16];
	uint16_t	sport;
	uint16_t	dport;
	uint16_t	src_seg;
	uint16_t	dst_seg;
	uint32_t	rule;
	uint32_t	generation;
	uint64_t	age_ms;
	uint64_t	idle_ms;
	uint64_t	packets_orig;
	uint64_t	bytes_orig;
	uint64_t	packets_reply;
	uint64_t	bytes_reply;
};

int nlmsg_parse_flow(const struct nlmsghdr *nlh, struct sgw_flow *f);

struct sgw_stats {
	uint64_t	value[SGW_STAT_A_MAX + 1];
	bool		present[SGW_STAT_A_MAX + 1];
};

int nlmsg_parse_stats(const struct nlmsghdr *nlh, struct sgw_stats *st);

#endif /* SGCTL_NLMSG_H */
