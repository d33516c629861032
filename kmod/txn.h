/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A policy transaction: segments and rules staged from netlink messages,
 * turned into a policy generation on commit, or thrown away. One per
 * namespace, owned by the netlink socket that began it. Every function
 * is called with sn->lock held.
 */
#ifndef SGW_TXN_H
#define SGW_TXN_H

#include <linux/types.h>
#include "core/ruleset.h"

struct sgw_net;
struct netlink_ext_ack;

enum sgw_txn_limit {
	SGW_TXN_MAX_PREFIXES	= 1U << 22,
};

struct sgw_txn_begin {
	u32	portid;
	u32	hooks;
	u32	flow_max;	/* 0: default */
	u32	flags;		/* SGW_POLICY_F_* */
	u32	txn_flags;	/* SGW_TXN_F_* */
	u32	expect_gen;
	bool	has_expect_gen;
};

int sgw_txn_begin(struct sgw_net *sn, const struct sgw_txn_begin *b,
		  struct netlink_ext_ack *extack);
int sgw_txn_add_segment(struct sgw_net *sn, u32 portid, u16 id,
			const char *name, const struct sgw_prefix *prefixes,
			u32 n, struct netlink_ext_ack *extack);
/* @r's arrays are copied; its ->l7 is taken over, even on error. */
int sgw_txn_add_rule(struct sgw_net *sn, u32 portid,
		     const struct sgw_rule_spec *r,
		     struct netlink_ext_ack *extack);
/* Updates only: delete the live rule with stable id @id. */
int sgw_txn_del_rule(struct sgw_net *sn, u32 portid, u32 id,
		     struct netlink_ext_ack *extack);
int sgw_txn_commit(struct sgw_net *sn, u32 portid, u32 *generation,
		   struct netlink_ext_ack *extack);
int sgw_txn_abort(struct sgw_net *sn, u32 portid);

/* Install an empty policy (deny all) on the hooks in force. */
int sgw_txn_flush(struct sgw_net *sn, u32 *generation,
		  struct netlink_ext_ack *extack);

struct sgw_txn;
void sgw_txn_free(struct sgw_txn *txn);

#endif /* SGW_TXN_H */
