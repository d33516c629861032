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
 *   SGW_CMD_TXN_DEL_RULE    SGW_A_RULE with SGW_RULE_A_ID only (updates)
 *   SGW_CMD_TXN_COMMIT      replies with SGW_A_GENERATION of the new policy
 *   SGW_CMD_TXN_ABORT
 *
 * An update (SGW_TXN_F_UPDATE) starts from the live policy instead of from
 * nothing (-ENOENT when none is loaded): it keeps the live hooks, flow limit, policy flags and segments
 * (SGW_A_HOOKS, SGW_A_FLOW_MAX, SGW_A_POLICY_FLAGS and TXN_ADD_SEGMENT are
 * refused with -EINVAL), deletes the rules named by TXN_DEL_RULE (-ENOENT
 * at commit for an id not loaded) and adds the rules of TXN_ADD_RULE after
 * every rule kept, in the order sent (-EEXIST at commit for an id still
 * loaded; delete it in the same update to replace it). The commit checks
 * that the live generation is still the one the update began on (-ESTALE
 * otherwise), shares the segment tables with it and rebuilds only the
 * allow tables, so its cost follows the number of rules, not of prefixes.
 *
 * Only one transaction is open per namespace: a second TXN_BEGIN from
 * another socket gets -EBUSY. Closing the socket aborts its transaction.
 * A failed commit leaves the live policy untouched.
 *
 *   SGW_CMD_GET_STATUS      reply: SGW_A_VERSION, SGW_A_GENERATION,
 *                           SGW_A_POLICY_FLAGS,
 *                           SGW_A_HOOKS, SGW_A_FLOW_MAX, SGW_A_LOADED
 *   SGW_CMD_GET_SEGMENTS    dump: one SGW_A_SEGMENT per message (a large
 *                           segment is split over several messages)
 *                           [SGW_A_DUMP_FLAGS] SGW_DUMP_F_*
 *   SGW_CMD_GET_RULES       dump: one SGW_A_RULE per message
 *   SGW_CMD_GET_FLOWS       dump: one SGW_A_FLOW per message
 *   SGW_CMD_GET_STATS       reply: SGW_A_STATS
 *   SGW_CMD_FLUSH           replace the policy with an empty one (deny all
 *                           on the hooks in force)
 *   SGW_CMD_RESET           remove policy, hooks and flows: the namespace is
 *                           untouched again
 *
 * Flow events are multicast on group SGW_MCGRP_EVENTS of the namespace
 * they happened in, as SGW_CMD_EVENT messages each carrying one or more
 * SGW_A_EVENT nests, batched under load. Every event has a sequence
 * number (SGW_EV_A_SEQ), consecutive per namespace from 1; each message
 * carries SGW_A_EVENTS_LOST, the namespace's count of events generated but
 * never handed to netlink (buffer full). A listener sees a gap in the
 * sequence for every event lost, whether in the kernel or in its own
 * socket buffer (ENOBUFS), so delivered + lost = generated, exactly.
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
	SGW_CMD_EVENT,		/* multicast only: flow events */
	SGW_CMD_TXN_DEL_RULE,
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
	/* Start from the live policy instead of from empty: rules are
	 * deleted and added one by one (see above).
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
	SGW_A_POLICY_FLAGS,	/* u32: SGW_POLICY_F_*, in TXN_BEGIN */
	SGW_A_EVENT,		/* nest: SGW_EV_A_*, in SGW_CMD_EVENT */
	SGW_A_EVENTS_LOST,	/* u64: events the kernel could not queue */
	SGW_A_NETNS,		/* u32: inode number of the namespace */
	SGW_A_DUMP_FLAGS,	/* u32: SGW_DUMP_F_*, in dump requests */
	__SGW_A_MAX
};
#define SGW_A_MAX (__SGW_A_MAX - 1)

/* SGW_A_DUMP_FLAGS. */
enum sgw_dump_flag {
	/* Segments without their prefixes: names and ids only. */
	SGW_DUMP_F_NO_PREFIXES	= 1U << 0,
	__SGW_DUMP_F_ALL	= SGW_DUMP_F_NO_PREFIXES,
};

/* SGW_A_POLICY_FLAGS. */
enum sgw_policy_flag {
	/* A flow denied on its application data is dropped silently; by
	 * default the gateway resets a TCP flow to both ends.
	 */
	SGW_POLICY_F_L7_DROP	= 1U << 0,
	__SGW_POLICY_F_ALL	= SGW_POLICY_F_L7_DROP,
};

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
	SGW_RULE_A_L7,		/* nest: SGW_L7_A_*; absent: L4 only */
	__SGW_RULE_A_MAX
};
#define SGW_RULE_A_MAX (__SGW_RULE_A_MAX - 1)

/*
 * Applications a rule can require (SGW_L7_A_APP). A rule with an app
 * decides a flow only once its first client bytes were classified; the
 * flow's payload is held until then.
 */
enum sgw_app {
	SGW_APP_NONE,
	SGW_APP_HTTP,
	SGW_APP_TLS,
	SGW_APP_DNS,
	SGW_APP_SSH,
	/* Nothing recognised within the classification limits. */
	SGW_APP_UNCLASSIFIED	= 255,
};

/* SGW_L7_A_FLAGS: TLS ClientHellos a tls rule also accepts. */
enum sgw_l7_flag {
	SGW_L7_F_NO_SNI		= 1U << 0,	/* ClientHello without SNI */
	SGW_L7_F_ECH		= 1U << 1,	/* Encrypted Client Hello */
	__SGW_L7_F_ALL		= SGW_L7_F_NO_SNI | SGW_L7_F_ECH,
};

/*
 * The application part of a rule. Each pattern attribute may repeat; a
 * field with patterns matches if any pattern does, and every field given
 * must match. Names (host, sni, qname) match case-insensitively, "*."
 * prefixes match any depth of subdomain; a path ending in "*" is a prefix.
 * Strings are NUL-terminated, at most SGW_L7_PATTERN_MAX bytes with NUL.
 */
#define SGW_L7_PATTERN_MAX	256
#define SGW_L7_PATTERNS_MAX	256	/* per field */

enum sgw_l7_attr {
	SGW_L7_A_UNSPEC,
	SGW_L7_A_APP,		/* u8: SGW_APP_* */
	SGW_L7_A_FLAGS,		/* u32: SGW_L7_F_* */
	SGW_L7_A_HOST,		/* string: HTTP Host */
	SGW_L7_A_METHOD,	/* string: HTTP method, exact */
	SGW_L7_A_PATH,		/* string: HTTP path */
	SGW_L7_A_SNI,		/* string: TLS server name */
	SGW_L7_A_ALPN,		/* string: TLS ALPN protocol id, exact */
	SGW_L7_A_QNAME,		/* string: DNS query name */
	__SGW_L7_A_MAX
};
#define SGW_L7_A_MAX (__SGW_L7_A_MAX - 1)

/* Rule counters, in rule dumps. */
enum sgw_cnt_attr {
	SGW_CNT_A_UNSPEC,
	SGW_CNT_A_PAD,
	SGW_CNT_A_PACKETS,	/* u64 */
	SGW_CNT_A_BYTES,	/* u64 */
	SGW_CNT_A_FLOWS,	/* u64: flows this rule allowed */
	SGW_CNT_A_FIRST_HIT,	/* u64: unix seconds; absent if never hit */
	SGW_CNT_A_LAST_HIT,	/* u64: unix seconds */
	__SGW_CNT_A_MAX
};
#define SGW_CNT_A_MAX (__SGW_CNT_A_MAX - 1)

/* Flow state, SGW_FLOW_A_STATE. */
enum sgw_flow_state {
	SGW_FLOW_S_OPEN,	/* allowed, traffic seen one way so far */
	SGW_FLOW_S_ESTABLISHED,	/* allowed, traffic seen both ways */
	SGW_FLOW_S_CLOSING,	/* TCP FIN or RST seen */
	SGW_FLOW_S_REVOKED,	/* cut by a policy change */
	SGW_FLOW_S_PENDING,	/* waiting for application data; held */
	SGW_FLOW_S_DENIED,	/* denied on its application data */
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
	SGW_STAT_A_DROP_L7,		/* u64: denied on application data */
	SGW_STAT_A_DROP_UNCLASSIFIED,	/* u64: application not recognised */
	SGW_STAT_A_DROP_HOLD_FULL,	/* u64: hold limits reached */
	SGW_STAT_A_HELD_PACKETS,	/* u64: packets held, ever */
	SGW_STAT_A_HELD_NOW,		/* u64: bytes held right now */
	SGW_STAT_A_L7_CLASSIFIED,	/* u64: flows classified */
	SGW_STAT_A_EVENTS,		/* u64: events generated */
	SGW_STAT_A_EVENTS_LOST,		/* u64: events not queued */
	SGW_STAT_A_EVENTS_SENT,		/* u64: events put in messages */
	SGW_STAT_A_EVENT_MSGS,		/* u64: event messages multicast;
					 * SENT / MSGS is the batching
					 */
	__SGW_STAT_A_MAX
};
#define SGW_STAT_A_MAX (__SGW_STAT_A_MAX - 1)

/* SGW_EV_A_TYPE. */
enum sgw_event_type {
	SGW_EV_ALLOW,		/* a flow started */
	SGW_EV_DENY,		/* a flow was refused (maybe aggregated) */
	SGW_EV_END,		/* a flow ended: counters and duration */
	SGW_EV_REVOKE,		/* a flow was cut by a policy change */
	__SGW_EV_MAX
};

/* SGW_EV_A_REASON: why the event's verdict was reached. */
enum sgw_event_reason {
	SGW_R_ALLOW,		/* a rule allowed it */
	SGW_R_DEFAULT_DENY,	/* no rule allows it */
	SGW_R_REVOKED,		/* the policy changed and no longer allows it */
	SGW_R_L7_MISMATCH,	/* application data matched no rule */
	SGW_R_UNCLASSIFIED,	/* application not recognised in time */
	SGW_R_TABLE_FULL,	/* flow table full */
	SGW_R_HOLD_FULL,	/* hold limits reached */
	SGW_R_TIMEOUT,		/* end: idle timeout */
	SGW_R_CLOSED,		/* end: FIN both ways or RST */
	SGW_R_FLUSH,		/* end: reset or flush of the namespace */
	__SGW_R_MAX
};

/*
 * One event. Addresses and ports are as the flow's opener sent them.
 * L7 fields are present when known; their bytes come from the network
 * and are untrusted: print them escaped.
 */
enum sgw_event_attr {
	SGW_EV_A_UNSPEC,
	SGW_EV_A_PAD,
	SGW_EV_A_SEQ,		/* u64 */
	SGW_EV_A_TIME_NS,	/* u64: CLOCK_REALTIME */
	SGW_EV_A_TYPE,		/* u8: SGW_EV_* */
	SGW_EV_A_REASON,	/* u8: SGW_R_* */
	SGW_EV_A_FAMILY,	/* u8 */
	SGW_EV_A_PROTO,		/* u8 */
	SGW_EV_A_SRC,		/* binary: 4 or 16 bytes */
	SGW_EV_A_DST,		/* binary: 4 or 16 bytes */
	SGW_EV_A_SPORT,		/* u16 */
	SGW_EV_A_DPORT,		/* u16 */
	SGW_EV_A_SRC_SEG,	/* u16 */
	SGW_EV_A_DST_SEG,	/* u16 */
	SGW_EV_A_RULE,		/* u32: stable id; absent when no rule */
	SGW_EV_A_LINE,		/* u32: the rule's policy line */
	SGW_EV_A_GENERATION,	/* u32 */
	SGW_EV_A_COUNT,		/* u32: denies aggregated into this event */
	SGW_EV_A_PACKETS_ORIG,	/* u64, end and revoke */
	SGW_EV_A_BYTES_ORIG,	/* u64 */
	SGW_EV_A_PACKETS_REPLY,	/* u64 */
	SGW_EV_A_BYTES_REPLY,	/* u64 */
	SGW_EV_A_DURATION_MS,	/* u64 */
	SGW_EV_A_APP,		/* u8: SGW_APP_* */
	SGW_EV_A_HOST,		/* binary: HTTP Host, untrusted */
	SGW_EV_A_METHOD,	/* binary */
	SGW_EV_A_PATH,		/* binary */
	SGW_EV_A_SNI,		/* binary */
	SGW_EV_A_ALPN,		/* binary: the first ALPN id offered */
	SGW_EV_A_QNAME,		/* binary */
	__SGW_EV_A_MAX
};
#define SGW_EV_A_MAX (__SGW_EV_A_MAX - 1)

#endif /* _UAPI_LINUX_SGW_H */
