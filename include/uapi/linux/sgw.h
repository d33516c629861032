/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * sgw: zero-trust segmentation gateway, generic netlink ABI.
 *
 * This is the only copy of the ABI: the module (kmod/) and sgctl (ctl/)
 * both include it. Values are never renumbered or reused; new ones are
 * appended before the __SGW_*_MAX sentinels.
 *
 * Family name "sgw", version SGW_GENL_VERSION. Every command needs
 * CAP_NET_ADMIN in the user namespace owning the network namespace of the
 * requesting socket, and acts on that namespace only.
 *
 * Loading a policy is a transaction bound to the netlink socket that began
 * it (nftables-style: all or nothing):
 *
 *   SGW_CMD_TXN_BEGIN       [SGW_A_GENERATION]  expected live generation;
 *                                                -ESTALE if it moved on
 *                           [SGW_A_TXN_FLAGS]   SGW_TXN_F_*
 *                           [SGW_A_HOOKS]       SGW_HOOK_F_* (default FORWARD)
 *                           [SGW_A_FLOW_MAX]    flow table limit (entries)
 *   SGW_CMD_TXN_ADD_SEGMENT SGW_A_SEGMENT        may repeat for one segment id:
 *                                                prefixes are appended
 *   SGW_CMD_TXN_ADD_RULE    SGW_A_RULE
 *   SGW_CMD_TXN_COMMIT      replies with SGW_A_GENERATION of the new policy
 *   SGW_CMD_TXN_ABORT
 *
 * Only one transaction is open per namespace: a second TXN_BEGIN from
 * another socket gets -EBUSY. Closing the socket aborts its transaction.
 * A failed commit leaves the live policy untouched.
 *
 *   SGW_CMD_GET_STATUS      reply: SGW_A_VERSION, SGW_A_GENERATION,
 *                           SGW_A_HOOKS, SGW_A_FLOW_MAX, SGW_A_LOADED
 *   SGW_CMD_GET_SEGMENTS    dump: one SGW_A_SEGMENT per message (a large
 *                           segment is split over several messages)
 *   SGW_CMD_GET_RULES       dump: one SGW_A_RULE per message
 *   SGW_CMD_GET_FLOWS       dump: one SGW_A_FLOW per message
 *   SGW_CMD_GET_STATS       reply: SGW_A_STATS
 *   SGW_CMD_FLUSH           replace the policy with an empty one (deny all
 *                           on the hooks in force)
 *   SGW_CMD_RESET           remove policy, hooks and flows: the namespace is
 *                           untouched again
 *
 * Policy dumps carry the generation in nlmsg_seq consistency checking: a
 * dump that raced with a commit is flagged NLM_F_DUMP_INTR and should be
 * retried.
 */
#ifndef _UAPI_LINUX_SGW_H
#define _UAPI_LINUX_SGW_H

#include <linux/types.h>

#define SGW_GENL_NAME		"sgw"
#define SGW_GENL_VERSION	1
#define SGW_MCGRP_EVENTS	"events"

enum sgw_cmd {
	SGW_CMD_UNSPEC,
	SGW_CMD_GET_STATUS,
	SGW_CMD_TXN_BEGIN,
	SGW_CMD_TXN_ADD_SEGMENT,
	SGW_CMD_TXN_ADD_RULE,
	SGW_CMD_TXN_COMMIT,
	SGW_CMD_TXN_ABORT,
	SGW_CMD_GET_SEGMENTS,
	SGW_CMD_GET_RULES,
	SGW_CMD_GET_FLOWS,
	SGW_CMD_GET_STATS,
	SGW_CMD_FLUSH,
	SGW_CMD_RESET,
	__SGW_CMD_MAX
};
#define SGW_CMD_MAX (__SGW_CMD_MAX - 1)

/* Hook points, as a mask in SGW_A_HOOKS. */
enum sgw_hook_flag {
	SGW_HOOK_F_FORWARD	= 1U << 0,
	SGW_HOOK_F_INPUT	= 1U << 1,
	SGW_HOOK_F_OUTPUT	= 1U << 2,
	__SGW_HOOK_F_ALL	= SGW_HOOK_F_FORWARD | SGW_HOOK_F_INPUT |
				  SGW_HOOK_F_OUTPUT,
};

/* SGW_A_TXN_FLAGS. */
enum sgw_txn_flag {
	/* Start from the live policy instead of from empty: segments and
	 * rules sent replace those with the same id (reserved, not yet
	 * accepted: -EOPNOTSUPP).
	 */
	SGW_TXN_F_UPDATE	= 1U << 0,
	__SGW_TXN_F_ALL		= SGW_TXN_F_UPDATE,
};

enum sgw_attr {
	SGW_A_UNSPEC,
	SGW_A_VERSION,		/* string: module version */
	SGW_A_GENERATION,	/* u32 */
	SGW_A_HOOKS,		/* u32: SGW_HOOK_F_* */
	SGW_A_TXN_FLAGS,	/* u32: SGW_TXN_F_* */
	SGW_A_FLOW_MAX,		/* u32: flow table limit, entries */
	SGW_A_SEGMENT,		/* nest: SGW_SEG_A_* */
	SGW_A_RULE,		/* nest: SGW_RULE_A_* */
	SGW_A_FLOW,		/* nest: SGW_FLOW_A_* */
	SGW_A_STATS,		/* nest: SGW_STAT_A_* */
	SGW_A_LOADED,		/* u8: 1 if a policy is loaded */
	SGW_A_PAD,
	__SGW_A_MAX
};
#define SGW_A_MAX (__SGW_A_MAX - 1)

/*
 * Segment ids: 1 .. SGW_SEG_ID_MAX are named segments. SGW_SEG_WORLD (0)
 * is every address in no segment; SGW_SEG_ANY matches every segment,
 * world included, and is valid only in rules.
 */
#define SGW_SEG_WORLD		0
#define SGW_SEG_ANY		0xffff
#define SGW_SEG_ID_MAX		0xfffe
#define SGW_SEG_NAME_MAX	32	/* bytes, NUL included */

/* One prefix: SGW_SEG_A_PREFIX carries exactly this struct. */
struct sgw_prefix {
	__u8	family;		/* AF_INET or AF_INET6 */
	__u8	len;		/* 0..32 or 0..128 */
	__u8	pad[2];		/* must be zero */
	__u8	addr[16];	/* network byte order; IPv4 in addr[0..3] */
};

enum sgw_seg_attr {
	SGW_SEG_A_UNSPEC,
	SGW_SEG_A_ID,		/* u16: 1 .. SGW_SEG_ID_MAX */
	SGW_SEG_A_NAME,		/* string, < SGW_SEG_NAME_MAX */
	SGW_SEG_A_PREFIXES,	/* nest: SGW_SEG_A_PREFIX ... */
	SGW_SEG_A_PREFIX,	/* binary: struct sgw_prefix */
	__SGW_SEG_A_MAX
};
#define SGW_SEG_A_MAX (__SGW_SEG_A_MAX - 1)

/* L4 protocol of a rule: IANA numbers, 0 is any. */
#define SGW_PROTO_ANY		0

/* One destination port range, inclusive, host byte order. */
struct sgw_port_range {
	__u16	lo;
	__u16	hi;
};

/* SGW_RULE_A_FLAGS. Unknown bits are refused with -EOPNOTSUPP. */
enum sgw_rule_flag {
	__SGW_RULE_F_ALL	= 0,
};

enum sgw_rule_attr {
	SGW_RULE_A_UNSPEC,
	SGW_RULE_A_ID,		/* u32: stable id, nonzero, unique per policy */
	SGW_RULE_A_LINE,	/* u32: line in the policy file, for humans */
	SGW_RULE_A_SRCS,	/* binary: __u16 segment ids (or SGW_SEG_ANY) */
	SGW_RULE_A_DSTS,	/* binary: __u16 segment ids (or SGW_SEG_ANY) */
	SGW_RULE_A_PROTO,	/* u8: IPPROTO_* or SGW_PROTO_ANY */
	SGW_RULE_A_PORTS,	/* binary: struct sgw_port_range []; absent
				 * means every port. Only with tcp/udp.
				 */
	SGW_RULE_A_FLAGS,	/* u32: SGW_RULE_F_* */
	SGW_RULE_A_COUNTERS,	/* nest, dumps only: SGW_CNT_A_* */
	__SGW_RULE_A_MAX
};
#define SGW_RULE_A_MAX (__SGW_RULE_A_MAX - 1)

/* Rule counters, in rule dumps. */
enum sgw_cnt_attr {
	SGW_CNT_A_UNSPEC,
	SGW_CNT_A_PAD,
	SGW_CNT_A_PACKETS,	/* u64 */
	SGW_CNT_A_BYTES,	/* u64 */
	SGW_CNT_A_FLOWS,	/* u64: flows this rule allowed */
	__SGW_CNT_A_MAX
};
#define SGW_CNT_A_MAX (__SGW_CNT_A_MAX - 1)

/* Flow state, SGW_FLOW_A_STATE. */
enum sgw_flow_state {
	SGW_FLOW_S_OPEN,	/* allowed, traffic seen one way so far */
	SGW_FLOW_S_ESTABLISHED,	/* allowed, traffic seen both ways */
	SGW_FLOW_S_CLOSING,	/* TCP FIN or RST seen */
	SGW_FLOW_S_REVOKED,	/* cut by a policy change */
	__SGW_FLOW_S_MAX
};

/*
 * A flow, oriented as its first packet: "src" is the side that opened it.
 * Ports are zero for protocols without ports; for ICMP echo the
 * identifier is in both.
 */
enum sgw_flow_attr {
	SGW_FLOW_A_UNSPEC,
	SGW_FLOW_A_PAD,
	SGW_FLOW_A_FAMILY,	/* u8: AF_INET, AF_INET6 */
	SGW_FLOW_A_PROTO,	/* u8 */
	SGW_FLOW_A_SRC,		/* binary: 4 or 16 bytes */
	SGW_FLOW_A_DST,		/* binary: 4 or 16 bytes */
	SGW_FLOW_A_SPORT,	/* u16, host byte order */
	SGW_FLOW_A_DPORT,	/* u16, host byte order */
	SGW_FLOW_A_SRC_SEG,	/* u16 */
	SGW_FLOW_A_DST_SEG,	/* u16 */
	SGW_FLOW_A_RULE,	/* u32: stable id of the allowing rule */
	SGW_FLOW_A_GENERATION,	/* u32: policy generation of the verdict */
	SGW_FLOW_A_STATE,	/* u8: SGW_FLOW_S_* */
	SGW_FLOW_A_AGE_MS,	/* u64 */
	SGW_FLOW_A_IDLE_MS,	/* u64 */
	SGW_FLOW_A_PACKETS_ORIG,	/* u64 */
	SGW_FLOW_A_BYTES_ORIG,		/* u64 */
	SGW_FLOW_A_PACKETS_REPLY,	/* u64 */
	SGW_FLOW_A_BYTES_REPLY,		/* u64 */
	__SGW_FLOW_A_MAX
};
#define SGW_FLOW_A_MAX (__SGW_FLOW_A_MAX - 1)

/*
 * Namespace counters, SGW_A_STATS. Every packet the hooks see is counted
 * exactly once as passed or as dropped with its reason.
 */
enum sgw_stat_attr {
	SGW_STAT_A_UNSPEC,
	SGW_STAT_A_PAD,
	SGW_STAT_A_PACKETS,		/* u64: packets seen by the hooks */
	SGW_STAT_A_PASSED,		/* u64 */
	SGW_STAT_A_DROP_DEFAULT,	/* u64: no rule allows */
	SGW_STAT_A_DROP_REVOKED,	/* u64: flow cut by a policy change */
	SGW_STAT_A_DROP_TABLE_FULL,	/* u64: new flow, flow table full */
	SGW_STAT_A_DROP_MALFORMED,	/* u64: truncated or bad headers */
	SGW_STAT_A_DROP_FRAGMENT,	/* u64: fragment not reassembled */
	SGW_STAT_A_DROP_NOMEM,		/* u64: flow entry allocation failed */
	SGW_STAT_A_FLOWS_CREATED,	/* u64 */
	SGW_STAT_A_FLOWS_ENDED,		/* u64 */
	SGW_STAT_A_FLOWS_REVOKED,	/* u64 */
	SGW_STAT_A_FLOWS_ACTIVE,	/* u64: entries in the table now */
	SGW_STAT_A_FLOW_MAX,		/* u64: table limit */
	SGW_STAT_A_PASSED_LOCAL,	/* u64: loopback and neighbour
					 * discovery passed unevaluated
					 */
	SGW_STAT_A_RESETS_SENT,		/* u64: TCP resets sent */
	__SGW_STAT_A_MAX
};
#define SGW_STAT_A_MAX (__SGW_STAT_A_MAX - 1)

#endif /* _UAPI_LINUX_SGW_H */
