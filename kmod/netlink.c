// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink family "sgw": the only way in. Every attribute is
 * checked against a strict policy table before a handler sees it; every
 * refusal carries an extack message for the user.
 */
#include <linux/netlink.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>
#include "core/l7/rule.h"
#include "event.h"
#include "flow.h"
#include "netlink.h"
#include "netns.h"
#include "policy.h"
#include "txn.h"
#include "version.h"

static struct genl_family sgw_family;

static struct netlink_range_validation seg_id_range = {
	.min = 1,
	.max = SGW_SEG_ID_MAX,
};

static struct netlink_range_validation flow_max_range = {
	.min = 1,
	.max = SGW_FLOW_MAX_LIMIT,
};

static const struct nla_policy seg_policy[SGW_SEG_A_MAX + 1] = {
	[SGW_SEG_A_ID]		= NLA_POLICY_FULL_RANGE(NLA_U16, &seg_id_range),
	[SGW_SEG_A_NAME]	= { .type = NLA_NUL_STRING,
				    .len = SGW_SEG_NAME_MAX - 1 },
	[SGW_SEG_A_PREFIXES]	= { .type = NLA_NESTED },
	[SGW_SEG_A_PREFIX]	= { .type = NLA_REJECT },
};

static struct netlink_range_validation app_range = {
	.min = SGW_APP_HTTP,
	.max = SGW_APP_UNCLASSIFIED,
};

static const struct nla_policy l7_policy[SGW_L7_A_MAX + 1] = {
	[SGW_L7_A_APP]		= NLA_POLICY_FULL_RANGE(NLA_U8, &app_range),
	[SGW_L7_A_FLAGS]	= { .type = NLA_U32 },
	[SGW_L7_A_HOST]		= { .type = NLA_NUL_STRING,
				    .len = SGW_L7_PATTERN_MAX - 1 },
	[SGW_L7_A_METHOD]	= { .type = NLA_NUL_STRING,
				    .len = SGW_L7_PATTERN_MAX - 1 },
	[SGW_L7_A_PATH]		= { .type = NLA_NUL_STRING,
				    .len = SGW_L7_PATTERN_MAX - 1 },
	[SGW_L7_A_SNI]		= { .type = NLA_NUL_STRING,
				    .len = SGW_L7_PATTERN_MAX - 1 },
	[SGW_L7_A_ALPN]		= { .type = NLA_NUL_STRING,
				    .len = SGW_L7_PATTERN_MAX - 1 },
	[SGW_L7_A_QNAME]	= { .type = NLA_NUL_STRING,
				    .len = SGW_L7_PATTERN_MAX - 1 },
};

static const struct nla_policy rule_policy[SGW_RULE_A_MAX + 1] = {
	[SGW_RULE_A_ID]		= NLA_POLICY_MIN(NLA_U32, 1),
	[SGW_RULE_A_LINE]	= { .type = NLA_U32 },
	[SGW_RULE_A_SRCS]	= { .type = NLA_BINARY,
				    .len = SGW_RULE_SEGS_MAX * sizeof(u16) },
	[SGW_RULE_A_DSTS]	= { .type = NLA_BINARY,
				    .len = SGW_RULE_SEGS_MAX * sizeof(u16) },
	[SGW_RULE_A_PROTO]	= { .type = NLA_U8 },
	[SGW_RULE_A_PORTS]	= { .type = NLA_BINARY,
				    .len = SGW_RULE_PORTS_MAX *
					   sizeof(struct sgw_port_range) },
	[SGW_RULE_A_FLAGS]	= { .type = NLA_U32 },
	[SGW_RULE_A_COUNTERS]	= { .type = NLA_REJECT },
	[SGW_RULE_A_L7]		= NLA_POLICY_NESTED(l7_policy),
};

static const struct nla_policy sgw_policy[SGW_A_MAX + 1] = {
	[SGW_A_VERSION]		= { .type = NLA_REJECT },
	[SGW_A_GENERATION]	= { .type = NLA_U32 },
	[SGW_A_HOOKS]		= { .type = NLA_U32 },
	[SGW_A_TXN_FLAGS]	= { .type = NLA_U32 },
	[SGW_A_FLOW_MAX]	= NLA_POLICY_FULL_RANGE(NLA_U32, &flow_max_range),
	[SGW_A_SEGMENT]		= NLA_POLICY_NESTED(seg_policy),
	[SGW_A_RULE]		= NLA_POLICY_NESTED(rule_policy),
	[SGW_A_FLOW]		= { .type = NLA_REJECT },
	[SGW_A_STATS]		= { .type = NLA_REJECT },
	[SGW_A_LOADED]		= { .type = NLA_REJECT },
	[SGW_A_POLICY_FLAGS]	= { .type = NLA_U32 },
	[SGW_A_EVENT]		= { .type = NLA_REJECT },
	[SGW_A_EVENTS_LOST]	= { .type = NLA_REJECT },
	[SGW_A_NETNS]		= { .type = NLA_REJECT },
	[SGW_A_DUMP_FLAGS]	= { .type = NLA_U32 },
};

static struct sgw_net *info_net(struct genl_info *info)
{
	return sgw_net(genl_info_net(info));
}

/* Bits of flag attribute @a, if present, outside @all are refused. */
static int check_flags(const struct nlattr *a, u32 all,
		       struct netlink_ext_ack *extack)
{
	if (a && (nla_get_u32(a) & ~all)) {
		NL_SET_ERR_MSG_ATTR(extack, a, "unknown flag bits");
		return -EOPNOTSUPP;
	}
	return 0;
}

/* Reply with a generation number, or with nothing but the ack. */
static int reply_generation(struct genl_info *info, u8 cmd, u32 gen)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(nla_total_size(sizeof(u32)), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &sgw_family, 0, cmd);
	if (!hdr || nla_put_u32(msg, SGW_A_GENERATION, gen)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int get_status(struct sk_buff *skb, struct genl_info *info)
{
	struct sgw_net *sn = info_net(info);
	const struct sgw_policy *p;
	struct sk_buff *msg;
	void *hdr;
	int ret = -EMSGSIZE;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &sgw_family, 0, SGW_CMD_GET_STATUS);
	if (!hdr)
		goto err;
	mutex_lock(&sn->lock);
	p = sgw_net_policy(sn);
	if (nla_put_string(msg, SGW_A_VERSION, SGW_VERSION) ||
	    nla_put_u32(msg, SGW_A_GENERATION, sn->generation) ||
	    nla_put_u32(msg, SGW_A_HOOKS, p ? p->hooks : 0) ||
	    nla_put_u32(msg, SGW_A_POLICY_FLAGS, p ? p->flags : 0) ||
	    nla_put_u32(msg, SGW_A_FLOW_MAX, READ_ONCE(sn->flows.max)) ||
	    nla_put_u8(msg, SGW_A_LOADED, !!p)) {
		mutex_unlock(&sn->lock);
		goto err;
	}
	mutex_unlock(&sn->lock);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
err:
	nlmsg_free(msg);
	return ret;
}

static int get_stats(struct sk_buff *skb, struct genl_info *info)
{
	struct sgw_net *sn = info_net(info);
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &sgw_family, 0, SGW_CMD_GET_STATS);
	struct sgw_stats_extra x = {
		.flows_active = atomic_read(&sn->flows.count),
		.flow_max = READ_ONCE(sn->flows.max),
		.held_now = atomic_read(&sn->held_bytes),
	};
	struct sgw_event_counts ec;

	sgw_event_counts(sn, &ec);
	x.events = ec.generated;
	x.events_lost = ec.lost;
	x.events_sent = ec.sent;
	x.event_msgs = ec.msgs;
	if (!hdr || sgw_stats_fill(msg, sn->stats, &x)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int txn_begin(struct sk_buff *skb, struct genl_info *info)
{
	struct sgw_net *sn = info_net(info);
	struct sgw_txn_begin b = { .portid = info->snd_portid };
	int ret;

	ret = check_flags(info->attrs[SGW_A_HOOKS], __SGW_HOOK_F_ALL,
			  info->extack) ?:
	      check_flags(info->attrs[SGW_A_TXN_FLAGS], __SGW_TXN_F_ALL,
			  info->extack) ?:
	      check_flags(info->attrs[SGW_A_POLICY_FLAGS], __SGW_POLICY_F_ALL,
			  info->extack);
	if (ret)
		return ret;
	if (info->attrs[SGW_A_TXN_FLAGS])
		b.txn_flags = nla_get_u32(info->attrs[SGW_A_TXN_FLAGS]);
	if ((b.txn_flags & SGW_TXN_F_UPDATE) &&
	    (info->attrs[SGW_A_HOOKS] || info->attrs[SGW_A_FLOW_MAX] ||
	     info->attrs[SGW_A_POLICY_FLAGS])) {
		NL_SET_ERR_MSG(info->extack,
			       "an update keeps the live hooks and settings: load the whole policy to change them");
		return -EINVAL;
	}
	if (info->attrs[SGW_A_HOOKS])
		b.hooks = nla_get_u32(info->attrs[SGW_A_HOOKS]);
	if (info->attrs[SGW_A_FLOW_MAX])
		b.flow_max = nla_get_u32(info->attrs[SGW_A_FLOW_MAX]);
	if (info->attrs[SGW_A_POLICY_FLAGS])
		b.flags = nla_get_u32(info->attrs[SGW_A_POLICY_FLAGS]);
	if (info->attrs[SGW_A_GENERATION]) {
		b.expect_gen = nla_get_u32(info->attrs[SGW_A_GENERATION]);
		b.has_expect_gen = true;
	}
	mutex_lock(&sn->lock);
	ret = sgw_txn_begin(sn, &b, info->extack);
	mutex_unlock(&sn->lock);
	return ret;
}

/* Prefixes come as repeated SGW_SEG_A_PREFIX inside SGW_SEG_A_PREFIXES. */
static int copy_prefixes(const struct nlattr *nest, struct sgw_prefix **out,
			 u32 *n, struct netlink_ext_ack *extack)
{
	const struct nlattr *a;
	u32 count = 0, i = 0;
	int rem;

	*out = NULL;
	*n = 0;
	if (!nest)
		return 0;
	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) != SGW_SEG_A_PREFIX ||
		    nla_len(a) != sizeof(struct sgw_prefix)) {
			NL_SET_ERR_MSG_ATTR(extack, a, "bad prefix attribute");
			return -EINVAL;
		}
		count++;
	}
	if (!count)
		return 0;
	*out = kvmalloc_array(count, sizeof(**out), GFP_KERNEL);
	if (!*out)
		return -ENOMEM;
	nla_for_each_nested(a, nest, rem)
		memcpy(&(*out)[i++], nla_data(a), sizeof(**out));
	*n = count;
	return 0;
}

/* The request's nest @attr, required, parsed into @tb by @policy. */
static int parse_nest(struct genl_info *info, int attr, struct nlattr **tb,
		      int max, const struct nla_policy *policy)
{
	if (GENL_REQ_ATTR_CHECK(info, attr))
		return -EINVAL;
	return nla_parse_nested(tb, max, info->attrs[attr], policy,
				info->extack);
}

static int txn_add_segment(struct sk_buff *skb, struct genl_info *info)
{
	struct sgw_net *sn = info_net(info);
	struct nlattr *tb[SGW_SEG_A_MAX + 1];
	struct sgw_prefix *prefixes;
	u32 n;
	int ret;

	ret = parse_nest(info, SGW_A_SEGMENT, tb, SGW_SEG_A_MAX, seg_policy);
	if (ret)
		return ret;
	if (!tb[SGW_SEG_A_ID]) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[SGW_A_SEGMENT],
				    "segment without an id");
		return -EINVAL;
	}
	ret = copy_prefixes(tb[SGW_SEG_A_PREFIXES], &prefixes, &n,
			    info->extack);
	if (ret)
		return ret;
	mutex_lock(&sn->lock);
	ret = sgw_txn_add_segment(sn, info->snd_portid,
				  nla_get_u16(tb[SGW_SEG_A_ID]),
				  tb[SGW_SEG_A_NAME] ?
				  nla_data(tb[SGW_SEG_A_NAME]) : NULL,
				  prefixes, n, info->extack);
	mutex_unlock(&sn->lock);
	kvfree(prefixes);
	return ret;
}

static int get_u16_array(struct nlattr *a, const u16 **arr, u32 *n,
			 struct netlink_ext_ack *extack)
{
	if (!a || !nla_len(a) || nla_len(a) % sizeof(u16)) {
		NL_SET_ERR_MSG(extack,
			       "a rule needs source and destination segments");
		return -EINVAL;
	}
	*arr = nla_data(a);
	*n = nla_len(a) / sizeof(u16);
	return 0;
}

/*
 * The application part: patterns repeat, so the nest (already checked
 * against l7_policy attribute by attribute) is walked, not parsed.
 */
static int parse_l7(const struct nlattr *nest, struct sgw_l7_rule **out,
		    struct netlink_ext_ack *extack)
{
	struct nlattr *tb[SGW_L7_A_MAX + 1];
	const struct nlattr *a;
	struct sgw_l7_rule *r;
	u32 flags = 0;
	int rem, ret;
	u8 app;

	ret = nla_parse_nested(tb, SGW_L7_A_MAX, nest, l7_policy, extack);
	if (ret)
		return ret;
	if (!tb[SGW_L7_A_APP]) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "application rule without an app");
		return -EINVAL;
	}
	app = nla_get_u8(tb[SGW_L7_A_APP]);
	if (tb[SGW_L7_A_FLAGS])
		flags = nla_get_u32(tb[SGW_L7_A_FLAGS]);
	ret = sgw_l7_rule_check(app, flags);
	if (ret) {
		NL_SET_ERR_MSG_ATTR(extack, tb[SGW_L7_A_FLAGS] ?: tb[SGW_L7_A_APP],
				    "bad app or flags for an application rule");
		return ret;
	}
	r = sgw_l7_rule_alloc(app, flags);
	if (!r)
		return -ENOMEM;
	nla_for_each_nested(a, nest, rem) {
		int field = sgw_l7_field_of_attr(nla_type(a));

		if (field < 0)
			continue;
		ret = sgw_l7_rule_add(r, field, nla_data(a),
				      strnlen(nla_data(a), nla_len(a)));
		if (ret == -E2BIG)
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "too many patterns in one field");
		else if (ret)
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "bad pattern, or a field the app does not have");
		if (ret) {
			sgw_l7_rule_free(r);
			return ret;
		}
	}
	*out = r;
	return 0;
}

static int parse_rule(struct nlattr **tb, struct sgw_rule_spec *r,
		      struct netlink_ext_ack *extack)
{
	int ret;

	memset(r, 0, sizeof(*r));
	if (!tb[SGW_RULE_A_ID]) {
		NL_SET_ERR_MSG(extack, "rule without an id");
		return -EINVAL;
	}
	if (tb[SGW_RULE_A_FLAGS] &&
	    (nla_get_u32(tb[SGW_RULE_A_FLAGS]) & ~__SGW_RULE_F_ALL)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[SGW_RULE_A_FLAGS],
				    "unknown rule flag bits");
		return -EOPNOTSUPP;
	}
	r->id = nla_get_u32(tb[SGW_RULE_A_ID]);
	r->line = tb[SGW_RULE_A_LINE] ? nla_get_u32(tb[SGW_RULE_A_LINE]) : 0;
	r->proto = tb[SGW_RULE_A_PROTO] ? nla_get_u8(tb[SGW_RULE_A_PROTO]) :
					   SGW_PROTO_ANY;
	ret = get_u16_array(tb[SGW_RULE_A_SRCS], &r->srcs, &r->nsrcs, extack) ?:
	      get_u16_array(tb[SGW_RULE_A_DSTS], &r->dsts, &r->ndsts, extack);
	if (ret)
		return ret;
	if (tb[SGW_RULE_A_PORTS]) {
		u32 len = nla_len(tb[SGW_RULE_A_PORTS]);

		if (r->proto != IPPROTO_TCP && r->proto != IPPROTO_UDP) {
			NL_SET_ERR_MSG_ATTR(extack, tb[SGW_RULE_A_PORTS],
					    "ports need protocol tcp or udp");
			return -EINVAL;
		}
		if (!len || len % sizeof(struct sgw_port_range)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[SGW_RULE_A_PORTS],
					    "bad port range array");
			return -EINVAL;
		}
		r->ports = nla_data(tb[SGW_RULE_A_PORTS]);
		r->nports = len / sizeof(struct sgw_port_range);
	}
	if (tb[SGW_RULE_A_L7])
		return parse_l7(tb[SGW_RULE_A_L7],
				(struct sgw_l7_rule **)&r->l7, extack);
	return 0;
}

static int txn_add_rule(struct sk_buff *skb, struct genl_info *info)
{
	struct sgw_net *sn = info_net(info);
	struct nlattr *tb[SGW_RULE_A_MAX + 1];
	struct sgw_rule_spec r;
	int ret;

	ret = parse_nest(info, SGW_A_RULE, tb, SGW_RULE_A_MAX, rule_policy);
	if (ret)
		return ret;
	ret = parse_rule(tb, &r, info->extack);
	if (ret)
		return ret;
	mutex_lock(&sn->lock);
	ret = sgw_txn_add_rule(sn, info->snd_portid, &r, info->extack);
	mutex_unlock(&sn->lock);
	return ret;
}

static int txn_del_rule(struct sk_buff *skb, struct genl_info *info)
{
	struct sgw_net *sn = info_net(info);
	struct nlattr *tb[SGW_RULE_A_MAX + 1];
	int ret;

	ret = parse_nest(info, SGW_A_RULE, tb, SGW_RULE_A_MAX, rule_policy);
	if (ret)
		return ret;
	if (!tb[SGW_RULE_A_ID]) {
		NL_SET_ERR_MSG(info->extack, "rule without an id");
		return -EINVAL;
	}
	mutex_lock(&sn->lock);
	ret = sgw_txn_del_rule(sn, info->snd_portid,
			       nla_get_u32(tb[SGW_RULE_A_ID]), info->extack);
	mutex_unlock(&sn->lock);
	return ret;
}

static int txn_commit(struct sk_buff *skb, struct genl_info *info)
{
	struct sgw_net *sn = info_net(info);
	u32 gen = 0;
	int ret;

	mutex_lock(&sn->lock);
	ret = sgw_txn_commit(sn, info->snd_portid, &gen, info->extack);
	mutex_unlock(&sn->lock);
	return ret ?: reply_generation(info, SGW_CMD_TXN_COMMIT, gen);
}

static int txn_abort(struct sk_buff *skb, struct genl_info *info)
{
	struct sgw_net *sn = info_net(info);
	int ret;

	mutex_lock(&sn->lock);
	ret = sgw_txn_abort(sn, info->snd_portid);
	mutex_unlock(&sn->lock);
	if (ret)
		NL_SET_ERR_MSG(info->extack, "no transaction open on this socket");
	return ret;
}

static int flush(struct sk_buff *skb, struct genl_info *info)
{
	struct sgw_net *sn = info_net(info);
	u32 gen = 0;
	int ret;

	mutex_lock(&sn->lock);
	ret = sgw_txn_flush(sn, &gen, info->extack);
	mutex_unlock(&sn->lock);
	return ret ?: reply_generation(info, SGW_CMD_FLUSH, gen);
}

static int reset(struct sk_buff *skb, struct genl_info *info)
{
	struct sgw_net *sn = info_net(info);

	mutex_lock(&sn->lock);
	sgw_net_reset(sn);
	mutex_unlock(&sn->lock);
	return 0;
}

/*
 * Policy dumps run under the config mutex, one generation at a time;
 * nlmsg_seq carries the generation so that a dump spanning a commit is
 * flagged NLM_F_DUMP_INTR and the client retries.
 */
static void *dump_header(struct sk_buff *skb, struct netlink_callback *cb,
			 u8 cmd)
{
	void *hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				cb->nlh->nlmsg_seq, &sgw_family, NLM_F_MULTI,
				cmd);

	if (hdr)
		genl_dump_check_consistent(cb, hdr);
	return hdr;
}

static int fill_prefixes(struct sk_buff *skb, const struct sgw_segment *s,
			 u32 *next)
{
	struct nlattr *list = nla_nest_start(skb, SGW_SEG_A_PREFIXES);
	u32 start = *next;

	if (!list)
		return -EMSGSIZE;
	for (; *next < s->nprefixes; (*next)++)
		if (nla_put(skb, SGW_SEG_A_PREFIX, sizeof(struct sgw_prefix),
			    &s->prefixes[*next]))
			break;
	/* A segment too large for one message continues in the next. */
	if (*next == start && s->nprefixes) {
		nla_nest_cancel(skb, list);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, list);
	return 0;
}

static int fill_segment(struct sk_buff *skb, const struct sgw_segment *s,
			bool names_only, u32 *next)
{
	struct nlattr *seg;
	u32 start = *next;

	seg = nla_nest_start(skb, SGW_A_SEGMENT);
	if (!seg)
		return -EMSGSIZE;
	if (nla_put_u16(skb, SGW_SEG_A_ID, s->id) ||
	    nla_put_string(skb, SGW_SEG_A_NAME, s->name) ||
	    (!names_only && fill_prefixes(skb, s, next)))
		goto cancel;
	nla_nest_end(skb, seg);
	return 0;
cancel:
	nla_nest_cancel(skb, seg);
	*next = start;
	return -EMSGSIZE;
}

/* SGW_A_DUMP_FLAGS of the request, kept for the whole dump. */
static int segments_start(struct netlink_callback *cb)
{
	struct nlattr *tb[SGW_A_MAX + 1];
	int ret;

	ret = nlmsg_parse(cb->nlh, GENL_HDRLEN, tb, SGW_A_MAX, sgw_policy,
			  cb->extack) ?:
	      check_flags(tb[SGW_A_DUMP_FLAGS], __SGW_DUMP_F_ALL, cb->extack);
	if (ret)
		return ret;
	if (tb[SGW_A_DUMP_FLAGS])
		cb->args[2] = nla_get_u32(tb[SGW_A_DUMP_FLAGS]) &
			      SGW_DUMP_F_NO_PREFIXES;
	return 0;
}

static int dump_segments(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct sgw_net *sn = sgw_net(sock_net(skb->sk));
	const struct sgw_segtab *t = NULL;
	const struct sgw_policy *p;
	u32 i = cb->args[0], next = cb->args[1];
	bool names_only = cb->args[2];
	void *hdr;

	mutex_lock(&sn->lock);
	p = sgw_net_policy(sn);
	if (p)
		t = p->segs;
	cb->seq = sn->generation;
	while (t && i < t->nsegments) {
		const struct sgw_segment *s = &t->segments[i];

		hdr = dump_header(skb, cb, SGW_CMD_GET_SEGMENTS);
		if (!hdr)
			break;
		if (fill_segment(skb, s, names_only, &next)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		if (names_only || next >= s->nprefixes) {
			i++;
			next = 0;
		}
	}
	mutex_unlock(&sn->lock);
	cb->args[0] = i;
	cb->args[1] = next;
	return skb->len;
}

static int fill_l7(struct sk_buff *skb, const struct sgw_l7_rule *r)
{
	const struct sgw_l7_pattern *pat;
	struct nlattr *nest;
	unsigned int f, i, n;

	nest = nla_nest_start(skb, SGW_RULE_A_L7);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u8(skb, SGW_L7_A_APP, sgw_l7_rule_app(r)) ||
	    nla_put_u32(skb, SGW_L7_A_FLAGS, sgw_l7_rule_flags(r)))
		goto cancel;
	for (f = 0; f < __SGW_L7_FIELD_MAX; f++) {
		pat = sgw_l7_rule_patterns(r, f, &n);
		for (i = 0; i < n; i++)
			if (nla_put_string(skb, sgw_l7_attr_of_field(f),
					   pat[i].str))
				goto cancel;
	}
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

struct live_counts {
	u32	generation;
	u32	n;
	u64	c[][2];		/* packets, bytes by rule index */
};

/*
 * A rule's counters hold its ended flows; a dump adds its live ones,
 * summed once when the dump starts.
 */
static int rules_start(struct netlink_callback *cb)
{
	struct sgw_net *sn = sgw_net(sock_net(cb->skb->sk));
	const struct sgw_policy *p;
	struct rhashtable_iter iter;
	struct live_counts *live;
	struct sgw_flow *f;
	u32 n;

	mutex_lock(&sn->lock);
	p = sgw_net_policy(sn);
	n = p ? p->counters.n : 0;
	live = kvzalloc(struct_size(live, c, n), GFP_KERNEL);
	if (!live) {
		mutex_unlock(&sn->lock);
		return -ENOMEM;
	}
	live->generation = sn->generation;
	live->n = n;
	rhashtable_walk_enter(&sn->flows.ht, &iter);
	rhashtable_walk_start(&iter);
	while (n && (f = rhashtable_walk_next(&iter))) {
		s32 i;

		if (IS_ERR(f))
			continue;
		i = sgw_counters_index(&p->counters, READ_ONCE(f->rule_id));
		if (i < 0)
			continue;
		live->c[i][0] += atomic64_read(&f->packets[0]) +
				 atomic64_read(&f->packets[1]);
		live->c[i][1] += atomic64_read(&f->bytes[0]) +
				 atomic64_read(&f->bytes[1]);
	}
	rhashtable_walk_stop(&iter);
	rhashtable_walk_exit(&iter);
	mutex_unlock(&sn->lock);
	cb->args[1] = (long)live;
	return 0;
}

static int rules_done(struct netlink_callback *cb)
{
	kvfree((void *)cb->args[1]);
	return 0;
}

static int fill_rule(struct sk_buff *skb, const struct sgw_rule_spec *r,
		     const struct sgw_counters *c, s32 i,
		     const struct live_counts *live)
{
	struct nlattr *nest = nla_nest_start(skb, SGW_A_RULE);
	u64 lp = 0, lb = 0;

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, SGW_RULE_A_ID, r->id) ||
	    nla_put_u32(skb, SGW_RULE_A_LINE, r->line) ||
	    nla_put(skb, SGW_RULE_A_SRCS, r->nsrcs * sizeof(u16), r->srcs) ||
	    nla_put(skb, SGW_RULE_A_DSTS, r->ndsts * sizeof(u16), r->dsts) ||
	    nla_put_u8(skb, SGW_RULE_A_PROTO, r->proto) ||
	    nla_put_u32(skb, SGW_RULE_A_FLAGS, r->flags) ||
	    (r->nports && nla_put(skb, SGW_RULE_A_PORTS,
				  r->nports * sizeof(*r->ports), r->ports)) ||
	    (r->l7 && fill_l7(skb, r->l7)))
		goto cancel;
	if (live && i < live->n) {
		lp = live->c[i][0];
		lb = live->c[i][1];
	}
	if (sgw_counters_fill(skb, c, i, lp, lb))
		goto cancel;
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

static int dump_rules(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct sgw_net *sn = sgw_net(sock_net(skb->sk));
	const struct live_counts *live = (void *)cb->args[1];
	const struct sgw_policy *p;
	size_t i = cb->args[0], n;
	void *hdr;

	mutex_lock(&sn->lock);
	p = sgw_net_policy(sn);
	cb->seq = sn->generation;
	n = p && p->rules ? sgw_ruleset_count(p->rules) : 0;
	for (; i < n; i++) {
		hdr = dump_header(skb, cb, SGW_CMD_GET_RULES);
		if (!hdr)
			break;
		if (fill_rule(skb, sgw_ruleset_rule(p->rules, i), &p->counters,
			      i, live->generation == sn->generation ?
			      live : NULL)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	mutex_unlock(&sn->lock);
	cb->args[0] = i;
	return skb->len;
}

/* Flow dumps walk the live table; the iterator lives across calls. */
static int flows_start(struct netlink_callback *cb)
{
	struct sgw_net *sn = sgw_net(sock_net(cb->skb->sk));
	struct rhashtable_iter *iter;

	iter = kmalloc(sizeof(*iter), GFP_KERNEL);
	if (!iter)
		return -ENOMEM;
	rhashtable_walk_enter(&sn->flows.ht, iter);
	cb->args[0] = (long)iter;
	return 0;
}

static int flows_done(struct netlink_callback *cb)
{
	struct rhashtable_iter *iter = (void *)cb->args[0];

	if (iter) {
		rhashtable_walk_exit(iter);
		kfree(iter);
	}
	return 0;
}

static int dump_flows(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct rhashtable_iter *iter = (void *)cb->args[0];
	struct sgw_flow *f;
	void *hdr;

	rhashtable_walk_start(iter);
	while ((f = rhashtable_walk_peek(iter))) {
		if (IS_ERR(f)) {
			/* The table was resized: entries may repeat. */
			if (PTR_ERR(f) == -EAGAIN) {
				cb->seq++;
				rhashtable_walk_next(iter);
				continue;
			}
			break;
		}
		hdr = dump_header(skb, cb, SGW_CMD_GET_FLOWS);
		if (!hdr)
			break;
		if (sgw_flow_fill(skb, f)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		rhashtable_walk_next(iter);
	}
	rhashtable_walk_stop(iter);
	return skb->len;
}

static const struct genl_ops sgw_ops[] = {
	{
		.cmd	= SGW_CMD_GET_STATUS,
		.doit	= get_status,
		.flags	= GENL_UNS_ADMIN_PERM,
	}, {
		.cmd	= SGW_CMD_TXN_BEGIN,
		.doit	= txn_begin,
		.flags	= GENL_UNS_ADMIN_PERM,
	}, {
		.cmd	= SGW_CMD_TXN_ADD_SEGMENT,
		.doit	= txn_add_segment,
		.flags	= GENL_UNS_ADMIN_PERM,
	}, {
		.cmd	= SGW_CMD_TXN_ADD_RULE,
		.doit	= txn_add_rule,
		.flags	= GENL_UNS_ADMIN_PERM,
	}, {
		.cmd	= SGW_CMD_TXN_DEL_RULE,
		.doit	= txn_del_rule,
		.flags	= GENL_UNS_ADMIN_PERM,
	}, {
		.cmd	= SGW_CMD_TXN_COMMIT,
		.doit	= txn_commit,
		.flags	= GENL_UNS_ADMIN_PERM,
	}, {
		.cmd	= SGW_CMD_TXN_ABORT,
		.doit	= txn_abort,
		.flags	= GENL_UNS_ADMIN_PERM,
	}, {
		.cmd	= SGW_CMD_GET_SEGMENTS,
		.start	= segments_start,
		.dumpit	= dump_segments,
		.flags	= GENL_UNS_ADMIN_PERM,
	}, {
		.cmd	= SGW_CMD_GET_RULES,
		.start	= rules_start,
		.dumpit	= dump_rules,
		.done	= rules_done,
		.flags	= GENL_UNS_ADMIN_PERM,
	}, {
		.cmd	= SGW_CMD_GET_FLOWS,
		.start	= flows_start,
		.dumpit	= dump_flows,
		.done	= flows_done,
		.flags	= GENL_UNS_ADMIN_PERM,
	}, {
		.cmd	= SGW_CMD_GET_STATS,
		.doit	= get_stats,
		.flags	= GENL_UNS_ADMIN_PERM,
	}, {
		.cmd	= SGW_CMD_FLUSH,
		.doit	= flush,
		.flags	= GENL_UNS_ADMIN_PERM,
	}, {
		.cmd	= SGW_CMD_RESET,
		.doit	= reset,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
};

static const struct genl_multicast_group sgw_mcgrps[] = {
	[SGW_MCGRP_EVENTS_ID] = { .name = SGW_MCGRP_EVENTS,
				  .flags = GENL_UNS_ADMIN_PERM },
};

static struct genl_family sgw_family __ro_after_init = {
	.name		= SGW_GENL_NAME,
	.version	= SGW_GENL_VERSION,
	.maxattr	= SGW_A_MAX,
	.policy		= sgw_policy,
	.netnsok	= true,
	.module		= THIS_MODULE,
	.ops		= sgw_ops,
	.n_ops		= ARRAY_SIZE(sgw_ops),
	.resv_start_op	= SGW_CMD_MAX + 1,
	.mcgrps		= sgw_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(sgw_mcgrps),
};

void *sgw_netlink_event_put(struct sk_buff *skb)
{
	return genlmsg_put(skb, 0, 0, &sgw_family, 0, SGW_CMD_EVENT);
}

bool sgw_netlink_event_listeners(struct net *net)
{
	return genl_has_listeners(&sgw_family, net, SGW_MCGRP_EVENTS_ID);
}

int sgw_netlink_event_send(struct net *net, struct sk_buff *skb)
{
	return genlmsg_multicast_netns(&sgw_family, net, skb, 0,
				       SGW_MCGRP_EVENTS_ID, GFP_ATOMIC);
}

/* A socket that goes away takes its open transaction with it. */
static int release_notify(struct notifier_block *nb, unsigned long event,
			  void *ptr)
{
	struct netlink_notify *n = ptr;
	struct sgw_net *sn;

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC)
		return NOTIFY_DONE;
	sn = sgw_net(n->net);
	mutex_lock(&sn->lock);
	sgw_txn_abort(sn, n->portid);
	mutex_unlock(&sn->lock);
	return NOTIFY_DONE;
}

static struct notifier_block release_nb = {
	.notifier_call = release_notify,
};

int sgw_netlink_init(void)
{
	int ret;

	ret = netlink_register_notifier(&release_nb);
	if (ret)
		return ret;
	ret = genl_register_family(&sgw_family);
	if (ret)
		netlink_unregister_notifier(&release_nb);
	return ret;
}

void sgw_netlink_uninit(void)
{
	genl_unregister_family(&sgw_family);
	netlink_unregister_notifier(&release_nb);
}
