// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Flow events: decoding, records in text and JSON, sequence accounting.
 * Nothing here does I/O or prints; see event.h.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>

#include "event.h"

/* Fixed-size attributes of an event: where they go and their exact size. */
static const struct {
	uint8_t	size;
	size_t	offset;
} fixed[SGW_EV_A_MAX + 1] = {
#define F(attr, field) \
	[attr] = { sizeof(((struct sgw_event *)0)->field), \
		   offsetof(struct sgw_event, field) }
	F(SGW_EV_A_SEQ, seq),
	F(SGW_EV_A_TIME_NS, time_ns),
	F(SGW_EV_A_TYPE, type),
	F(SGW_EV_A_REASON, reason),
	F(SGW_EV_A_FAMILY, family),
	F(SGW_EV_A_PROTO, proto),
	F(SGW_EV_A_SPORT, sport),
	F(SGW_EV_A_DPORT, dport),
	F(SGW_EV_A_SRC_SEG, src_seg),
	F(SGW_EV_A_DST_SEG, dst_seg),
	F(SGW_EV_A_RULE, rule),
	F(SGW_EV_A_LINE, line),
	F(SGW_EV_A_GENERATION, generation),
	F(SGW_EV_A_COUNT, count),
	F(SGW_EV_A_PACKETS_ORIG, packets_orig),
	F(SGW_EV_A_BYTES_ORIG, bytes_orig),
	F(SGW_EV_A_PACKETS_REPLY, packets_reply),
	F(SGW_EV_A_BYTES_REPLY, bytes_reply),
	F(SGW_EV_A_DURATION_MS, duration_ms),
	F(SGW_EV_A_APP, app),
#undef F
};

/* The untrusted strings: attribute, key. */
static const struct {
	int		attr;
	const char	*key;
} strs[EV_NSTR] = {
	[EV_HOST]	= { SGW_EV_A_HOST, "host" },
	[EV_METHOD]	= { SGW_EV_A_METHOD, "method" },
	[EV_PATH]	= { SGW_EV_A_PATH, "path" },
	[EV_SNI]	= { SGW_EV_A_SNI, "sni" },
	[EV_ALPN]	= { SGW_EV_A_ALPN, "alpn" },
	[EV_QNAME]	= { SGW_EV_A_QNAME, "qname" },
};

static int str_index(int attr)
{
	int i;

	for (i = 0; i < EV_NSTR; i++)
		if (strs[i].attr == attr)
			return i;
	return -1;
}

/* What is left after the last attribute mnl's iteration accepted. */
static bool trailing(const void *pos, const void *end)
{
	return (const char *)pos < (const char *)end;
}

static int get_addr(const struct nlattr *a, uint8_t addr[16], size_t *len)
{
	*len = mnl_attr_get_payload_len(a);
	if (*len != 4 && *len != 16)
		return -EBADMSG;
	memcpy(addr, mnl_attr_get_payload(a), *len);
	return 0;
}

int event_parse(const struct nlattr *nest, struct sgw_event *ev)
{
	const struct nlattr *a;
	const char *end;
	size_t src_len = 0, dst_len = 0, want;

	memset(ev, 0, sizeof(*ev));
	if (mnl_attr_validate(nest, MNL_TYPE_NESTED) < 0)
		return -EBADMSG;
	end = (const char *)mnl_attr_get_payload(nest) +
	      mnl_attr_get_payload_len(nest);
	mnl_attr_for_each_nested(a, nest) {
		uint16_t type = mnl_attr_get_type(a);
		size_t len = mnl_attr_get_payload_len(a);
		int s;

		if (type == SGW_EV_A_UNSPEC || type == SGW_EV_A_PAD ||
		    type > SGW_EV_A_MAX)
			continue;
		if (fixed[type].size) {
			if (len != fixed[type].size)
				return -EBADMSG;
			memcpy((char *)ev + fixed[type].offset,
			       mnl_attr_get_payload(a), len);
		} else if (type == SGW_EV_A_SRC) {
			if (get_addr(a, ev->src, &src_len))
				return -EBADMSG;
		} else if (type == SGW_EV_A_DST) {
			if (get_addr(a, ev->dst, &dst_len))
				return -EBADMSG;
		} else if ((s = str_index(type)) >= 0) {
			ev->str[s].data = mnl_attr_get_payload(a);
			ev->str[s].len = len;
		} else {
			continue;
		}
		ev->present |= 1ULL << type;
	}
	if (trailing(a, end))
		return -EBADMSG;
	if (!event_has(ev, SGW_EV_A_SEQ) || !event_has(ev, SGW_EV_A_TYPE))
		return -EBADMSG;
	if (event_has(ev, SGW_EV_A_SRC) || event_has(ev, SGW_EV_A_DST)) {
		if (!event_has(ev, SGW_EV_A_FAMILY))
			return -EBADMSG;
		if (ev->family == AF_INET)
			want = 4;
		else if (ev->family == AF_INET6)
			want = 16;
		else
			return -EBADMSG;
		if ((src_len && src_len != want) || (dst_len && dst_len != want))
			return -EBADMSG;
	}
	return 0;
}

static int genl_cmd(const struct nlmsghdr *nlh, uint8_t *cmd)
{
	const struct genlmsghdr *g;

	if (mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN)
		return -EBADMSG;
	g = mnl_nlmsg_get_payload(nlh);
	*cmd = g->cmd;
	return 0;
}

static const void *msg_end(const struct nlmsghdr *nlh)
{
	return (const char *)nlh + nlh->nlmsg_len;
}

int event_msg_parse(const struct nlmsghdr *nlh, uint16_t family,
		    struct sgw_event_msg *m)
{
	const struct nlattr *a;
	struct sgw_event ev;
	uint8_t cmd;

	memset(m, 0, sizeof(*m));
	if (nlh->nlmsg_type != family)
		return -ENOMSG;
	if (genl_cmd(nlh, &cmd))
		return -EBADMSG;
	if (cmd != SGW_CMD_EVENT)
		return -ENOMSG;
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		switch (mnl_attr_get_type(a)) {
		case SGW_A_EVENT:
			if (event_parse(a, &ev))
				return -EBADMSG;
			m->nevents++;
			break;
		case SGW_A_EVENTS_LOST:
			if (mnl_attr_validate(a, MNL_TYPE_U64) < 0)
				return -EBADMSG;
			m->has_events_lost = true;
			m->events_lost = mnl_attr_get_u64(a);
			break;
		case SGW_A_NETNS:
			if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
				return -EBADMSG;
			m->has_netns = true;
			m->netns = mnl_attr_get_u32(a);
			break;
		}
	}
	if (trailing(a, msg_end(nlh)))
		return -EBADMSG;
	return 0;
}

int event_msg_foreach(const struct nlmsghdr *nlh,
		      int (*cb)(const struct sgw_event *ev, void *data),
		      void *data)
{
	const struct nlattr *a;
	struct sgw_event ev;
	int ret;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) != SGW_A_EVENT)
			continue;
		ret = event_parse(a, &ev) ?: cb(&ev, data);
		if (ret)
			return ret;
	}
	return 0;
}

static int get_name(const struct nlattr *a, char *buf, size_t size)
{
	if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0 ||
	    strlen(mnl_attr_get_str(a)) >= size)
		return -EBADMSG;
	strcpy(buf, mnl_attr_get_str(a));
	return 0;
}

/* CTRL_ATTR_MCAST_GROUPS: a nest of nests, one per group. */
static int find_group(const struct nlattr *groups, const char *group,
		      struct ctrl_family *f)
{
	const struct nlattr *g, *a;

	if (mnl_attr_validate(groups, MNL_TYPE_NESTED) < 0)
		return -EBADMSG;
	mnl_attr_for_each_nested(g, groups) {
		char name[GENL_NAMSIZ] = "";
		bool has_id = false;
		uint32_t id = 0;

		if (mnl_attr_validate(g, MNL_TYPE_NESTED) < 0)
			return -EBADMSG;
		mnl_attr_for_each_nested(a, g) {
			switch (mnl_attr_get_type(a)) {
			case CTRL_ATTR_MCAST_GRP_NAME:
				if (get_name(a, name, sizeof(name)))
					return -EBADMSG;
				break;
			case CTRL_ATTR_MCAST_GRP_ID:
				if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
					return -EBADMSG;
				id = mnl_attr_get_u32(a);
				has_id = true;
				break;
			}
		}
		if (has_id && !strcmp(name, group)) {
			f->has_group = true;
			f->group = id;
		}
	}
	return 0;
}

int ctrl_parse_family(const struct nlmsghdr *nlh, const char *group,
		      struct ctrl_family *f)
{
	const struct nlattr *a;
	bool has_id = false;
	int ret;

	memset(f, 0, sizeof(*f));
	if (nlh->nlmsg_type != GENL_ID_CTRL)
		return -ENOMSG;
	if (genl_cmd(nlh, &f->cmd))
		return -EBADMSG;
	if (f->cmd != CTRL_CMD_NEWFAMILY && f->cmd != CTRL_CMD_DELFAMILY)
		return -ENOMSG;
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		switch (mnl_attr_get_type(a)) {
		case CTRL_ATTR_FAMILY_ID:
			if (mnl_attr_validate(a, MNL_TYPE_U16) < 0)
				return -EBADMSG;
			f->id = mnl_attr_get_u16(a);
			has_id = true;
			break;
		case CTRL_ATTR_FAMILY_NAME:
			ret = get_name(a, f->name, sizeof(f->name));
			if (ret)
				return ret;
			break;
		case CTRL_ATTR_MCAST_GROUPS:
			if (!group)
				break;
			ret = find_group(a, group, f);
			if (ret)
				return ret;
			break;
		}
	}
	if (!has_id || !f->name[0])
		return -EBADMSG;
	return 0;
}

/* Records. */

const char *time_str(uint64_t ns, char buf[32])
{
	time_t s = ns / 1000000000;
	struct tm tm;

	if (!gmtime_r(&s, &tm) ||
	    snprintf(buf, 32, "%04d-%02d-%02dT%02d:%02d:%02d.%06uZ",
		     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		     tm.tm_min, tm.tm_sec,
		     (unsigned int)(ns % 1000000000 / 1000)) >= 32)
		snprintf(buf, 32, "?");
	return buf;
}

static const char *name_of(const char *const *names, size_t n, unsigned int v,
			   char buf[16])
{
	if (v < n && names[v])
		return names[v];
	snprintf(buf, 16, "unknown-%u", v);
	return buf;
}

const char *event_type_name(uint8_t type, char buf[16])
{
	static const char *const names[] = {
		[SGW_EV_ALLOW]	= "allow",
		[SGW_EV_DENY]	= "deny",
		[SGW_EV_END]	= "end",
		[SGW_EV_REVOKE]	= "revoke",
	};

	return name_of(names, sizeof(names) / sizeof(names[0]), type, buf);
}

const char *event_reason_name(uint8_t reason, char buf[16])
{
	static const char *const names[] = {
		[SGW_R_ALLOW]		= "allow",
		[SGW_R_DEFAULT_DENY]	= "default-deny",
		[SGW_R_REVOKED]		= "revoked",
		[SGW_R_L7_MISMATCH]	= "l7-mismatch",
		[SGW_R_UNCLASSIFIED]	= "unclassified",
		[SGW_R_TABLE_FULL]	= "table-full",
		[SGW_R_HOLD_FULL]	= "hold-full",
		[SGW_R_TIMEOUT]		= "timeout",
		[SGW_R_CLOSED]		= "closed",
		[SGW_R_FLUSH]		= "flush",
	};

	return name_of(names, sizeof(names) / sizeof(names[0]), reason, buf);
}

const char *event_app_name(uint8_t app, char buf[16])
{
	static const char *const names[] = {
		[SGW_APP_NONE]		= "none",
		[SGW_APP_HTTP]		= "http",
		[SGW_APP_TLS]		= "tls",
		[SGW_APP_DNS]		= "dns",
		[SGW_APP_SSH]		= "ssh",
		[SGW_APP_UNCLASSIFIED]	= "unclassified",
	};

	return name_of(names, sizeof(names) / sizeof(names[0]), app, buf);
}

void record_proto(struct record *r, uint8_t proto)
{
	switch (proto) {
	case IPPROTO_TCP:	record_str(r, "proto", "tcp"); return;
	case IPPROTO_UDP:	record_str(r, "proto", "udp"); return;
	case IPPROTO_ICMP:	record_str(r, "proto", "icmp"); return;
	case IPPROTO_ICMPV6:	record_str(r, "proto", "icmpv6"); return;
	}
	record_printf(r, "proto", "%u", proto);
}

void record_addr(struct record *r, const char *key, uint8_t family,
		 const uint8_t *addr)
{
	char a[INET6_ADDRSTRLEN];

	if (!inet_ntop(family, addr, a, sizeof(a)))
		snprintf(a, sizeof(a), "?");
	record_printf(r, key, "%s", a);
}

void record_segment(struct record *r, const char *key,
		    const struct policy *segs, uint16_t id)
{
	const char *name = NULL;

	if (id == SGW_SEG_WORLD) {
		name = "world";
	} else if (id == SGW_SEG_ANY) {
		name = "any";
	} else if (segs) {
		name = policy_segment_name(segs, id);
	}
	if (name)
		record_str(r, key, name);
	else
		record_printf(r, key, "#%u", id);
}

void record_begin(struct record *r, uint64_t now_ns, const char *event,
		  int priority)
{
	char t[32];

	record_reset(r, priority);
	if (now_ns)
		record_printf(r, "time", "%s", time_str(now_ns, t));
	record_str(r, "event", event);
}

void event_record(struct record *r, const struct sgw_event *ev,
		  const struct policy *segs)
{
	static const struct {
		int		attr;
		const char	*key;
		size_t		offset;
	} counters[] = {
#define C(attr, key, field) { attr, key, offsetof(struct sgw_event, field) }
		C(SGW_EV_A_PACKETS_ORIG, "pkts_orig", packets_orig),
		C(SGW_EV_A_BYTES_ORIG, "bytes_orig", bytes_orig),
		C(SGW_EV_A_PACKETS_REPLY, "pkts_reply", packets_reply),
		C(SGW_EV_A_BYTES_REPLY, "bytes_reply", bytes_reply),
		C(SGW_EV_A_DURATION_MS, "duration_ms", duration_ms),
#undef C
	};
	char buf[16], t[32];
	size_t i;

	r->n = 0;
	r->used = 0;
	r->priority = ev->type == SGW_EV_DENY || ev->type == SGW_EV_REVOKE ?
		      LOG_NOTICE : LOG_INFO;
	if (event_has(ev, SGW_EV_A_TIME_NS))
		record_printf(r, "time", "%s", time_str(ev->time_ns, t));
	record_printf(r, "event", "%s", event_type_name(ev->type, buf));
	record_u64(r, "seq", ev->seq);
	if (event_has(ev, SGW_EV_A_PROTO))
		record_proto(r, ev->proto);
	if (event_has(ev, SGW_EV_A_SRC))
		record_addr(r, "src", ev->family, ev->src);
	if (event_has(ev, SGW_EV_A_SPORT))
		record_u64(r, "sport", ev->sport);
	if (event_has(ev, SGW_EV_A_DST))
		record_addr(r, "dst", ev->family, ev->dst);
	if (event_has(ev, SGW_EV_A_DPORT))
		record_u64(r, "dport", ev->dport);
	if (event_has(ev, SGW_EV_A_SRC_SEG))
		record_segment(r, "src_seg", segs, ev->src_seg);
	if (event_has(ev, SGW_EV_A_DST_SEG))
		record_segment(r, "dst_seg", segs, ev->dst_seg);
	if (event_has(ev, SGW_EV_A_RULE))
		record_hex32(r, "rule", ev->rule);
	if (event_has(ev, SGW_EV_A_LINE))
		record_u64(r, "line", ev->line);
	if (event_has(ev, SGW_EV_A_GENERATION))
		record_u64(r, "gen", ev->generation);
	if (event_has(ev, SGW_EV_A_REASON))
		record_printf(r, "reason", "%s",
			      event_reason_name(ev->reason, buf));
	if (event_has(ev, SGW_EV_A_APP))
		record_printf(r, "app", "%s", event_app_name(ev->app, buf));
	for (i = 0; i < EV_NSTR; i++)
		if (event_has(ev, strs[i].attr))
			record_bytes(r, strs[i].key, ev->str[i].data,
				     ev->str[i].len);
	if (event_has(ev, SGW_EV_A_COUNT))
		record_u64(r, "count", ev->count);
	for (i = 0; i < sizeof(counters) / sizeof(counters[0]); i++)
		if (event_has(ev, counters[i].attr))
			record_u64(r, counters[i].key, *(const uint64_t *)
				   ((const char *)ev + counters[i].offset));
}

/* Accounting. */

const char *ev_gap_cause_name(enum ev_gap_cause cause)
{
	switch (cause) {
	case EV_GAP_KERNEL:	return "kernel";
	case EV_GAP_SOCKET:	return "socket";
	case EV_GAP_START:	return "start";
	case EV_GAP_EXIT:	return "exit";
	}
	return "unknown";
}

void ev_account_init(struct ev_account *a)
{
	memset(a, 0, sizeof(*a));
}

void ev_account_stream(struct ev_account *a, bool has_generated,
		       uint64_t generated)
{
	a->streams++;
	a->known = has_generated;
	a->next = generated + 1;
	a->has_base = has_generated;
	a->base = generated;
	a->overrun = false;
	a->stream_received = 0;
	a->nholes = 0;
}

void ev_account_overrun(struct ev_account *a)
{
	a->overrun = true;
}

void ev_account_kernel_lost(struct ev_account *a, uint64_t lost)
{
	a->has_kernel_lost = true;
	a->kernel_lost = lost;
}

static void drop_hole(struct ev_account *a, size_t i)
{
	memmove(&a->holes[i], &a->holes[i + 1],
		(a->nholes - i - 1) * sizeof(a->holes[0]));
	a->nholes--;
}

/*
 * Gaps are remembered, oldest first, in case their events arrive late;
 * past EV_HOLES_MAX the oldest is forgotten (its events would then be
 * strays).
 */
static void add_hole(struct ev_account *a, const struct ev_gap *g)
{
	if (a->nholes == EV_HOLES_MAX)
		drop_hole(a, 0);
	a->holes[a->nholes++] = *g;
}

static bool take_hole(struct ev_account *a, uint64_t seq)
{
	struct ev_gap *h;
	size_t i;

	for (i = 0; i < a->nholes; i++) {
		h = &a->holes[i];
		if (seq < h->from || seq > h->to)
			continue;
		if (h->from == h->to) {
			drop_hole(a, i);
		} else if (seq == h->from) {
			h->from++;
		} else if (seq == h->to) {
			h->to--;
		} else {
			struct ev_gap after = *h;

			if (a->nholes == EV_HOLES_MAX) {
				drop_hole(a, i ? 0 : 1);
				i -= !!i;
				h = &a->holes[i];
			}
			after.from = seq + 1;
			h->to = seq - 1;
			memmove(&a->holes[i + 2], &a->holes[i + 1],
				(a->nholes - i - 1) * sizeof(a->holes[0]));
			a->holes[i + 1] = after;
			a->nholes++;
		}
		return true;
	}
	return false;
}

static void counted(struct ev_account *a)
{
	a->received++;
	a->stream_received++;
}

enum ev_verdict ev_account_event(struct ev_account *a, uint64_t seq,
				 struct ev_gap *gap)
{
	if (!a->known) {
		a->known = true;
		a->next = seq + 1;
		counted(a);
		return EV_NEXT;
	}
	if (seq == a->next) {
		a->next++;
		counted(a);
		return EV_NEXT;
	}
	if (seq > a->next) {
		gap->from = a->next;
		gap->to = seq - 1;
		if (a->overrun)
			gap->cause = EV_GAP_SOCKET;
		else if (a->has_base && !a->stream_received)
			gap->cause = EV_GAP_START;
		else
			gap->cause = EV_GAP_KERNEL;
		a->lost += gap->to - gap->from + 1;
		a->overrun = false;
		add_hole(a, gap);
		a->next = seq + 1;
		counted(a);
		return EV_GAP;
	}
	if (take_hole(a, seq)) {
		a->lost--;
		a->late++;
		counted(a);
		return EV_LATE;
	}
	if (a->has_base && seq <= a->base) {
		a->early++;
		return EV_EARLY;
	}
	a->stray++;
	return EV_STRAY;
}

bool ev_account_finish(struct ev_account *a, uint64_t generated,
		       struct ev_gap *gap)
{
	if (!a->known || generated < a->next)
		return false;
	gap->from = a->next;
	gap->to = generated;
	gap->cause = a->overrun ? EV_GAP_SOCKET : EV_GAP_EXIT;
	a->overrun = false;
	a->lost += gap->to - gap->from + 1;
	add_hole(a, gap);
	a->next = generated + 1;
	return true;
}

void gap_record(struct record *r, uint64_t now_ns, const struct ev_gap *g)
{
	record_begin(r, now_ns, "gap", LOG_WARNING);
	record_u64(r, "lost", g->to - g->from + 1);
	record_u64(r, "from_seq", g->from);
	record_u64(r, "to_seq", g->to);
	record_str(r, "cause", ev_gap_cause_name(g->cause));
}

void stream_record(struct record *r, uint64_t now_ns, bool has_from,
		   uint64_t from)
{
	record_begin(r, now_ns, "stream", LOG_INFO);
	if (has_from)
		record_u64(r, "from_seq", from);
}

void late_record(struct record *r, uint64_t now_ns, uint64_t seq)
{
	record_begin(r, now_ns, "late", LOG_WARNING);
	record_u64(r, "seq", seq);
}

void summary_record(struct record *r, uint64_t now_ns,
		    const struct ev_account *a)
{
	record_begin(r, now_ns, "summary", LOG_INFO);
	record_u64(r, "received", a->received);
	record_u64(r, "lost", a->lost);
	record_u64(r, "kernel_lost", a->kernel_lost);
	/* So that a reader of the log can tell numbers lost after its
	 * last line: logcheck.
	 */
	if (a->known && a->next > 1)
		record_u64(r, "last_seq", a->next - 1);
	if (a->late)
		record_u64(r, "late", a->late);
	if (a->early)
		record_u64(r, "early", a->early);
	if (a->stray)
		record_u64(r, "stray", a->stray);
}
