// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * sgctl monitor: the flow log. Follows the module's "events" multicast
 * group and writes every event as a key=value line, a JSON line or a
 * syslog record; every event lost on the way is reported as a gap, and the
 * module may be unloaded and loaded again underneath.
 *
 * Two netlink sockets of our own besides sgctl's usual one: "mc" only
 * receives (the event group and nlctrl's "notify" group, which says when
 * the family comes and goes), so that nothing but multicast is ever queued
 * on it; "ctl" asks nlctrl where the family and its group are. Counters
 * and segment dumps go through sgw_nl (netlink.h) like the other commands.
 */
#define _GNU_SOURCE	/* ppoll() */
#include <errno.h>
#include <limits.h>
#include <paths.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>

#include "event.h"
#include "output.h"
#include "subcommands.h"
#include "syslog_out.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

enum {
	RCVBUF_DEFAULT	= 8 << 20,
	RCVBUF_MIN	= 64 << 10,
	RCVBUF_MAX	= 1 << 30,
	/* How often to look for the family while it is gone. */
	WAIT_MS		= 1000,
	/* At exit, how long to wait for events generated before the stop. */
	DRAIN_MS	= 1000,
	/* Datagrams read between two looks at the signals. */
	RECV_BATCH	= 64,
	RECV_MAX	= 16 << 20,
	/* Policy generations whose segment names are kept. */
	NAMES_KEPT	= 4,
	CTL_BUF		= 64 << 10,
};

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

/* Segment names of the last few policy generations dumped. */
struct names {
	struct sgw_dump	dump[NAMES_KEPT];
	bool		valid[NAMES_KEPT];
	size_t		slot;		/* where the next dump goes */
	bool		has_newest;
	uint32_t	newest;		/* newest generation dumped */
	bool		has_tried;
	uint32_t	tried;		/* last generation a dump was for */
	bool		complained;
};

struct monitor {
	/* Options. */
	bool			json;
	bool			use_syslog;
	bool			wait;
	uint64_t		count;		/* events to print, 0: no end */
	int			rcvbuf;

	struct mnl_socket	*mc;
	struct mnl_socket	*ctl;
	uint32_t		ctl_seq;
	char			*ctl_buf;
	uint32_t		notify_group;

	bool			following;
	bool			followed;	/* at some point in the run */
	uint16_t		family;
	uint32_t		group;
	struct sgw_nl		*nl;		/* counters and dumps */
	struct names		names;

	struct ev_account	acct;
	bool			has_run_base;	/* the first stream's start */
	uint64_t		run_base;
	bool			draining;
	uint64_t		drain_end;	/* events after it are not ours */
	bool			done;		/* --count reached */
	bool			failed;		/* output failed: stop */
	int			write_errno;
	bool			stats_complained;
	uint64_t		last_try;	/* mono_ms() of the last look */
	uint64_t		printed;
	uint64_t		malformed;
	struct syslog_out	syslog;

	char			*buf;
	size_t			bufsize;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ULL + ts.tv_nsec / 1000000;
}

/* Output. */

/* A record syslog did not take is counted; the first is said at once. */
static void send_syslog(struct monitor *m, int priority, const char *s)
{
	int ret = syslog_out_send(&m->syslog, priority, s);

	if (ret && m->syslog.failed == 1)
		complain("cannot send a record to syslog (%s): %s; records not sent are counted (syslog_failed in the summary)",
			 m->syslog.path, strerror(-ret));
}

static void emit(struct monitor *m, const struct record *r)
{
	struct json_object *o = NULL;
	const char *s;
	char *text = NULL;

	if (m->failed)
		return;
	if (m->json) {
		o = record_json(r);
		s = o ? json_object_to_json_string_ext(o,
				JSON_C_TO_STRING_PLAIN |
				JSON_C_TO_STRING_NOSLASHESCAPE) : NULL;
	} else {
		s = text = record_text(r);
	}
	if (!s) {
		complain("cannot format a record: out of memory");
		m->failed = true;
	} else if (m->use_syslog) {
		send_syslog(m, r->priority, s);
	} else if (puts(s) == EOF && !m->write_errno) {
		m->write_errno = errno;	/* reported by flush_output() */
	}
	json_object_put(o);
	free(text);
}

static int flush_output(struct monitor *m)
{
	if (m->failed)
		return -1;
	if (m->use_syslog)
		return 0;
	if (fflush(stdout) == EOF && !m->write_errno)
		m->write_errno = errno;
	if (!ferror(stdout))
		return 0;
	complain("cannot write the flow log: %s",
		 strerror(m->write_errno ?: EIO));
	m->failed = true;
	return -1;
}

/* Segment names. */

static void names_free(struct names *n)
{
	size_t i;

	for (i = 0; i < NAMES_KEPT; i++)
		if (n->valid[i])
			nlmsg_dump_free(&n->dump[i]);
	memset(n, 0, sizeof(*n));
}

static bool gen_newer(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) > 0;
}

static void names_refresh(struct monitor *m)
{
	struct names *n = &m->names;
	struct sgw_dump d;
	size_t i;
	int ret;

	if (!m->nl)
		return;
	ret = sgw_nl_dump_segments(m->nl, &d);
	if (ret) {
		if (!n->complained)
			complain_nl(m->nl, ret,
				    "reading the segments (ids are shown as #ID)");
		n->complained = true;
		return;
	}
	for (i = 0; i < NAMES_KEPT; i++) {
		if (n->valid[i] &&
		    n->dump[i].status.generation == d.status.generation) {
			nlmsg_dump_free(&d);
			return;
		}
	}
	if (n->valid[n->slot])
		nlmsg_dump_free(&n->dump[n->slot]);
	n->dump[n->slot] = d;
	n->valid[n->slot] = true;
	n->slot = (n->slot + 1) % NAMES_KEPT;
	if (!n->has_newest || gen_newer(d.status.generation, n->newest)) {
		n->has_newest = true;
		n->newest = d.status.generation;
	}
}

/*
 * The segments of the generation @ev was decided under. Segment ids are
 * numbered per policy, so names from another generation could be wrong:
 * without the right one, ids are shown as #ID.
 */
static const struct policy *names_for(struct monitor *m,
				      const struct sgw_event *ev)
{
	struct names *n = &m->names;
	size_t i;

	if (!event_has(ev, SGW_EV_A_GENERATION))
		return NULL;
	if ((!n->has_newest || gen_newer(ev->generation, n->newest)) &&
	    !(n->has_tried && n->tried == ev->generation)) {
		n->has_tried = true;
		n->tried = ev->generation;
		names_refresh(m);
	}
	for (i = 0; i < NAMES_KEPT; i++)
		if (n->valid[i] &&
		    n->dump[i].status.generation == ev->generation)
			return &n->dump[i].policy;
	return NULL;
}

/* Finding the family. */

struct resolve_result {
	const char		*name;
	const char		*group;
	struct ctrl_family	f;
	bool			found;
};

static int resolve_cb(const struct nlmsghdr *nlh, void *data)
{
	struct resolve_result *r = data;
	struct ctrl_family f;

	if (ctrl_parse_family(nlh, r->group, &f))
		return MNL_CB_ERROR;
	if (!strcmp(f.name, r->name)) {
		r->f = f;
		r->found = true;
	}
	return MNL_CB_OK;
}

/*
 * Family @name's id and the id of its multicast group @group: -ENOENT when
 * the family does not exist, -ESRCH when it has no such group.
 */
static int resolve(struct monitor *m, const char *name, const char *group,
		   uint16_t *id, uint32_t *group_id)
{
	struct resolve_result r = { .name = name, .group = group };
	struct genlmsghdr *g;
	struct nlmsghdr *nlh;
	uint32_t seq = ++m->ctl_seq;
	ssize_t n;
	int ret;

	nlh = mnl_nlmsg_put_header(m->ctl_buf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, name);
	if (mnl_socket_sendto(m->ctl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		n = mnl_socket_recvfrom(m->ctl, m->ctl_buf, CTL_BUF);
		if (n < 0)
			return errno == EINTR ? -EAGAIN : -errno;
		ret = mnl_cb_run(m->ctl_buf, n, seq,
				 mnl_socket_get_portid(m->ctl), resolve_cb, &r);
	} while (ret == MNL_CB_OK);
	if (ret < 0)
		return errno ? -errno : -EBADMSG;
	if (!r.found)
		return -EBADMSG;
	if (!r.f.has_group)
		return -ESRCH;
	*id = r.f.id;
	*group_id = r.f.group;
	return 0;
}

/*
 * Whether the socket is still in @group: the kernel drops every member of
 * a family's groups when the family goes. Group N is bit N - 1.
 */
static bool member_of(struct monitor *m, uint32_t group)
{
	uint32_t groups[64] = { 0 };
	socklen_t len = sizeof(groups);
	uint32_t bit = group - 1;

	if (!group || getsockopt(mnl_socket_get_fd(m->mc), SOL_NETLINK,
				 NETLINK_LIST_MEMBERSHIPS, groups, &len) < 0)
		return true;	/* cannot tell: assume so */
	if (bit / 32 >= len / sizeof(groups[0]))
		return true;
	return groups[bit / 32] >> (bit % 32) & 1;
}

static void unfollow(struct monitor *m)
{
	if (!m->following)
		return;
	mnl_socket_setsockopt(m->mc, NETLINK_DROP_MEMBERSHIP, &m->group,
			      sizeof(m->group));
	sgw_nl_close(m->nl);
	m->nl = NULL;
	names_free(&m->names);
	m->following = false;
	m->last_try = mono_ms();	/* the next look in WAIT_MS */
	complain("sgw module unloaded, waiting...");
}

/*
 * Subscribe to the events of the loaded module: a new stream of sequence
 * numbers. The count of events generated is read before subscribing, so
 * that every event after it is either received or reported lost.
 */
static int follow(struct monitor *m)
{
	struct sgw_stats st;
	struct record r;
	uint16_t family;
	uint32_t group;
	bool has_base;
	int ret;

	ret = resolve(m, SGW_GENL_NAME, SGW_MCGRP_EVENTS, &family, &group);
	if (ret)
		return ret;
	ret = sgw_nl_open(&m->nl);
	if (ret)
		return ret;
	ret = sgw_nl_stats(m->nl, &st);
	has_base = !ret && st.present[SGW_STAT_A_EVENTS];
	if (ret && !m->stats_complained) {
		complain_nl(m->nl, ret, "reading the event counters");
		complain("events lost before the first one received, and at exit, will not be counted");
		m->stats_complained = true;
	}
	if (mnl_socket_setsockopt(m->mc, NETLINK_ADD_MEMBERSHIP, &group,
				  sizeof(group)) < 0) {
		ret = -errno;
		sgw_nl_close(m->nl);
		m->nl = NULL;
		return ret;
	}
	ev_account_stream(&m->acct, has_base, st.value[SGW_STAT_A_EVENTS]);
	stream_record(&r, now_ns(), has_base, st.value[SGW_STAT_A_EVENTS] + 1);
	emit(m, &r);
	if (m->acct.streams == 1 && has_base) {
		m->has_run_base = true;
		m->run_base = st.value[SGW_STAT_A_EVENTS];
	}
	if (has_base && st.present[SGW_STAT_A_EVENTS_LOST])
		ev_account_kernel_lost(&m->acct,
				       st.value[SGW_STAT_A_EVENTS_LOST]);
	m->family = family;
	m->group = group;
	m->following = true;
	names_refresh(m);
	return 0;
}

/* Follow if the module is there; say what happened. 0, or -errno fatal. */
static int try_follow(struct monitor *m)
{
	bool again = m->followed;
	int ret = follow(m);

	if (ret == -ENOENT || ret == -EAGAIN)
		return 0;	/* still not there (or a signal: try later) */
	if (ret == -ESRCH) {
		complain("the loaded sgw module has no \"%s\" multicast group: is it older than sgctl?",
			 SGW_MCGRP_EVENTS);
		return ret;
	}
	if (ret) {
		complain_nl(m->nl, ret, "subscribing to the flow events");
		return ret;
	}
	m->followed = true;
	complain(again ? "sgw module loaded again, following events"
		       : "sgw module loaded, following events");
	return 0;
}

/* Receiving. */

static int on_event(const struct sgw_event *ev, void *data)
{
	struct monitor *m = data;
	const struct policy *segs;
	struct record r;
	struct ev_gap gap;

	/* Generated after the stop was asked for: the next run's. */
	if (m->draining && ev->seq > m->drain_end)
		return 0;
	segs = names_for(m, ev);
	switch (ev_account_event(&m->acct, ev->seq, &gap)) {
	case EV_GAP:
		gap_record(&r, now_ns(), &gap);
		emit(m, &r);
		break;
	case EV_LATE:
		late_record(&r, now_ns(), ev->seq);
		emit(m, &r);
		break;
	case EV_NEXT:
	case EV_EARLY:
	case EV_STRAY:
		break;
	}
	event_record(&r, ev, segs);
	emit(m, &r);
	m->printed++;
	if (m->count && m->printed >= m->count) {
		m->done = true;
		return 1;
	}
	return m->failed ? -EIO : 0;
}

static void handle_events(struct monitor *m, const struct nlmsghdr *nlh)
{
	struct sgw_event_msg msg;
	int ret;

	ret = event_msg_parse(nlh, m->family, &msg);
	if (ret == -ENOMSG)
		return;
	if (ret) {
		/* Its events never count as received: they show as a gap. */
		if (!m->malformed++)
			complain("skipped an event message sgctl cannot read (are the module and sgctl the same version?)");
		return;
	}
	if (msg.has_events_lost)
		ev_account_kernel_lost(&m->acct, msg.events_lost);
	event_msg_foreach(nlh, on_event, m);
}

static int handle_ctrl(struct monitor *m, const struct nlmsghdr *nlh)
{
	struct ctrl_family f;

	if (ctrl_parse_family(nlh, NULL, &f) || strcmp(f.name, SGW_GENL_NAME))
		return 0;
	if (f.cmd == CTRL_CMD_DELFAMILY && m->following && f.id == m->family)
		unfollow(m);
	else if (f.cmd == CTRL_CMD_NEWFAMILY && !m->following && !m->draining)
		return try_follow(m);
	return 0;
}

/*
 * An overrun may have dropped nlctrl's notifications too: if we are no
 * longer in the event group, the module went away, and may be back.
 */
static int check_family(struct monitor *m)
{
	uint16_t family;
	uint32_t group;
	int ret;

	if (!m->following)
		return 0;
	ret = resolve(m, SGW_GENL_NAME, SGW_MCGRP_EVENTS, &family, &group);
	if (!ret && family == m->family && group == m->group &&
	    member_of(m, group))
		return 0;
	unfollow(m);
	return m->draining ? 0 : try_follow(m);
}

static int handle_datagram(struct monitor *m, size_t len)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)m->buf;
	int n = len, ret = 0;

	for (; !ret && mnl_nlmsg_ok(nlh, n); nlh = mnl_nlmsg_next(nlh, &n)) {
		if (nlh->nlmsg_type == GENL_ID_CTRL)
			ret = handle_ctrl(m, nlh);
		else if (m->following && nlh->nlmsg_type == m->family)
			handle_events(m, nlh);
		if (m->done || m->failed)
			break;
	}
	return ret;
}

/* Read what is queued, at most RECV_BATCH datagrams. 0 or -errno fatal. */
static int receive(struct monitor *m)
{
	int fd = mnl_socket_get_fd(m->mc), i, ret;

	for (i = 0; i < RECV_BATCH && !m->done && !m->failed; i++) {
		struct sockaddr_nl addr;
		socklen_t alen = sizeof(addr);
		ssize_t n;

		n = recv(fd, NULL, 0, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT);
		if (n >= 0 && (size_t)n > m->bufsize) {
			size_t size = (size_t)n;
			char *grown = size <= RECV_MAX ? realloc(m->buf, size)
						       : NULL;

			if (grown) {
				m->buf = grown;
				m->bufsize = size;
			}
		}
		/* MSG_TRUNC: the datagram's length, even past the buffer. */
		if (n >= 0)
			n = recvfrom(fd, m->buf, m->bufsize,
				     MSG_DONTWAIT | MSG_TRUNC,
				     (struct sockaddr *)&addr, &alen);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			if (errno == ENOBUFS) {
				ev_account_overrun(&m->acct);
				ret = check_family(m);
				if (ret)
					return ret;
				continue;
			}
			return -errno;
		}
		if ((size_t)n > m->bufsize) {
			/* Out of memory for it: its events show as a gap. */
			complain("skipped a %zd-byte message: too big", n);
			continue;
		}
		if (addr.nl_pid != 0)	/* only the kernel talks here */
			continue;
		ret = handle_datagram(m, n);
		if (ret)
			return ret;
	}
	return 0;
}

/* Wait for the socket or a signal, at most @timeout_ms (-1: forever). */
static int wait_readable(struct monitor *m, int timeout_ms,
			 const sigset_t *unblocked)
{
	struct pollfd pfd = { .fd = mnl_socket_get_fd(m->mc), .events = POLLIN };
	struct timespec ts, *tsp = NULL;
	int n;

	if (timeout_ms >= 0) {
		ts.tv_sec = timeout_ms / 1000;
		ts.tv_nsec = timeout_ms % 1000 * 1000000L;
		tsp = &ts;
	}
	n = ppoll(&pfd, 1, tsp, unblocked);
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	return n;
}

/*
 * At a stop asked for by a signal: every event generated before it
 * (counted by the module) is either still on its way, received, or lost.
 * Wait a little for those on their way, then count the others lost.
 */
static void drain(struct monitor *m, bool *has_generated, uint64_t *generated)
{
	struct sgw_stats st;
	struct ev_gap gap;
	struct record r;
	uint64_t deadline;
	int ret;

	*has_generated = false;
	if (!m->following || !m->nl)
		return;
	ret = sgw_nl_stats(m->nl, &st);
	if (ret || !st.present[SGW_STAT_A_EVENTS])
		return;
	if (st.present[SGW_STAT_A_EVENTS_LOST])
		ev_account_kernel_lost(&m->acct,
				       st.value[SGW_STAT_A_EVENTS_LOST]);
	if (!m->acct.known)
		return;
	m->draining = true;
	m->drain_end = st.value[SGW_STAT_A_EVENTS];
	deadline = mono_ms() + DRAIN_MS;
	while (m->following && !m->failed && m->acct.next <= m->drain_end) {
		uint64_t now = mono_ms();

		if (now >= deadline)
			break;
		ret = wait_readable(m, deadline - now, NULL);
		if (ret < 0)
			break;
		if (ret > 0 && receive(m))
			break;
	}
	if (!m->following)	/* unloaded meanwhile: its count is gone */
		return;
	if (ev_account_finish(&m->acct, m->drain_end, &gap)) {
		gap_record(&r, now_ns(), &gap);
		emit(m, &r);
	}
	if (m->has_run_base && m->acct.streams == 1) {
		*has_generated = true;
		*generated = m->drain_end - m->run_base;
	}
}

/* @sending: the record is for syslog, and counts itself as sent. */
static void summary_fill(struct monitor *m, struct record *r, bool sending,
			 bool has_generated, uint64_t generated)
{
	summary_record(r, now_ns(), &m->acct);
	if (has_generated)
		record_u64(r, "generated", generated);
	if (m->malformed)
		record_u64(r, "malformed", m->malformed);
	if (m->use_syslog) {
		record_u64(r, "syslog_sent", m->syslog.sent + sending);
		record_u64(r, "syslog_failed", m->syslog.failed);
	}
}

static void summary(struct monitor *m, bool has_generated, uint64_t generated)
{
	struct record r;
	char *text;

	summary_fill(m, &r, m->use_syslog, has_generated, generated);
	emit(m, &r);
	if (!m->use_syslog)
		return;
	/*
	 * Syslog may drop records, this one too: say it here as well, with
	 * the counts as they are now that it was sent, or not.
	 */
	summary_fill(m, &r, false, has_generated, generated);
	text = record_text(&r);
	if (text)
		fprintf(stderr, "%s: %s\n", PROG_NAME, text);
	free(text);
}

/* Options. */

static const struct {
	const char	*name;
	int		facility;
} facilities[] = {
	{ "auth", LOG_AUTH }, { "authpriv", LOG_AUTHPRIV },
	{ "cron", LOG_CRON }, { "daemon", LOG_DAEMON }, { "ftp", LOG_FTP },
	{ "kern", LOG_KERN }, { "lpr", LOG_LPR }, { "mail", LOG_MAIL },
	{ "news", LOG_NEWS }, { "syslog", LOG_SYSLOG }, { "user", LOG_USER },
	{ "uucp", LOG_UUCP },
	{ "local0", LOG_LOCAL0 }, { "local1", LOG_LOCAL1 },
	{ "local2", LOG_LOCAL2 }, { "local3", LOG_LOCAL3 },
	{ "local4", LOG_LOCAL4 }, { "local5", LOG_LOCAL5 },
	{ "local6", LOG_LOCAL6 }, { "local7", LOG_LOCAL7 },
};

static int parse_facility(const char *s, int *facility)
{
	size_t i;

	for (i = 0; i < sizeof(facilities) / sizeof(facilities[0]); i++) {
		if (!strcmp(s, facilities[i].name)) {
			*facility = facilities[i].facility;
			return 0;
		}
	}
	return -1;
}

/* Decimal, with an optional K, M or G (powers of 1024) when @units. */
static int parse_u64(const char *s, bool units, uint64_t *v)
{
	uint64_t n = 0, mul = 1;

	if (*s < '0' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (n > (UINT64_MAX - 9) / 10)
			return -1;
		n = n * 10 + (*s - '0');
	}
	if (units && *s) {
		switch (*s++) {
		case 'K': case 'k': mul = 1ULL << 10; break;
		case 'M': case 'm': mul = 1ULL << 20; break;
		case 'G': case 'g': mul = 1ULL << 30; break;
		default: return -1;
		}
	}
	if (*s || (n && mul > UINT64_MAX / n))
		return -1;
	*v = n * mul;
	return 0;
}

struct options {
	bool		json;
	bool		use_syslog;
	bool		wait;
	int		facility;
	const char	*ident;
	uint64_t	count;
	int		rcvbuf;
};

static int parse_options(int argc, const char *argv[], struct options *o)
{
	bool syslog_only = false;
	uint64_t v;
	int i;

	*o = (struct options){
		.wait = true, .facility = LOG_DAEMON, .ident = "sgw",
		.rcvbuf = RCVBUF_DEFAULT,
	};
	for (i = 1; i < argc; i++) {
		const char *opt = argv[i], *arg = i + 1 < argc ? argv[i + 1] : NULL;
		bool takes = !strcmp(opt, "--facility") || !strcmp(opt, "--ident") ||
			     !strcmp(opt, "--rcvbuf") || !strcmp(opt, "--count");

		if (takes && !arg) {
			complain("option \"%s\" needs a value", opt);
			goto usage;
		}
		if (!strcmp(opt, "--json")) {
			o->json = true;
		} else if (!strcmp(opt, "--syslog")) {
			o->use_syslog = true;
		} else if (!strcmp(opt, "--no-wait")) {
			o->wait = false;
		} else if (!strcmp(opt, "--facility")) {
			if (parse_facility(arg, &o->facility)) {
				complain("unknown syslog facility \"%s\" (daemon, user, local0 ... local7, ...)",
					 arg);
				goto usage;
			}
			syslog_only = true;
		} else if (!strcmp(opt, "--ident")) {
			if (!arg[0]) {
				complain("the syslog ident cannot be empty");
				goto usage;
			}
			o->ident = arg;
			syslog_only = true;
		} else if (!strcmp(opt, "--rcvbuf")) {
			if (parse_u64(arg, true, &v) || v < RCVBUF_MIN ||
			    v > RCVBUF_MAX) {
				complain("invalid receive buffer size \"%s\": bytes from 64K to 1G",
					 arg);
				goto usage;
			}
			o->rcvbuf = v;
		} else if (!strcmp(opt, "--count")) {
			if (parse_u64(arg, false, &v) || !v) {
				complain("invalid count \"%s\": a number of events, at least 1",
					 arg);
				goto usage;
			}
			o->count = v;
		} else {
			if (opt[0] == '-')
				complain("unknown option \"%s\"", opt);
			else
				complain("unexpected argument \"%s\"", opt);
			goto usage;
		}
		i += takes;
	}
	if (syslog_only && !o->use_syslog) {
		complain("--facility and --ident are for --syslog");
		goto usage;
	}
	return 0;
usage:
	show_usage(argv[0]);
	return -1;
}

/* Sockets. */

static int set_rcvbuf(struct monitor *m)
{
	int fd = mnl_socket_get_fd(m->mc), got = 0;
	socklen_t len = sizeof(got);

	/* Past net.core.rmem_max only with CAP_NET_ADMIN. */
	if (!setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &m->rcvbuf,
			sizeof(m->rcvbuf)))
		return 0;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &m->rcvbuf,
		       sizeof(m->rcvbuf)) < 0)
		return -errno;
	/* The kernel reports twice what it grants (bookkeeping overhead). */
	if (!getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &got, &len) &&
	    got / 2 < m->rcvbuf)
		complain("receive buffer limited to %d bytes of the %d asked for (net.core.rmem_max; CAP_NET_ADMIN lifts it)",
			 got / 2, m->rcvbuf);
	return 0;
}

static int open_sockets(struct monitor *m)
{
	uint16_t ctrl_id;
	int ret;

	m->ctl_buf = malloc(CTL_BUF);
	m->bufsize = 64 << 10;
	m->buf = malloc(m->bufsize);
	m->mc = mnl_socket_open(NETLINK_GENERIC);
	m->ctl = mnl_socket_open(NETLINK_GENERIC);
	if (!m->ctl_buf || !m->buf)
		return -ENOMEM;
	if (!m->mc || !m->ctl)
		return -errno;
	if (mnl_socket_bind(m->mc, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    mnl_socket_bind(m->ctl, 0, MNL_SOCKET_AUTOPID) < 0)
		return -errno;
	m->ctl_seq = time(NULL);
	ret = set_rcvbuf(m);
	if (ret)
		return ret;
	ret = resolve(m, "nlctrl", "notify", &ctrl_id, &m->notify_group);
	if (ret)
		return ret;
	if (mnl_socket_setsockopt(m->mc, NETLINK_ADD_MEMBERSHIP,
				  &m->notify_group,
				  sizeof(m->notify_group)) < 0)
		return -errno;
	return 0;
}

static void close_sockets(struct monitor *m)
{
	if (m->mc)
		mnl_socket_close(m->mc);
	if (m->ctl)
		mnl_socket_close(m->ctl);
	sgw_nl_close(m->nl);
	names_free(&m->names);
	free(m->ctl_buf);
	free(m->buf);
}

static int run(struct monitor *m, const sigset_t *unblocked)
{
	int ret = follow(m);

	m->last_try = mono_ms();
	if (ret == -ENOENT && !m->wait) {
		complain("the sgw module is not loaded (generic netlink family \"%s\" not found); without --no-wait, monitor waits for it",
			 SGW_GENL_NAME);
		return ret;
	}
	if (ret == -ENOENT) {
		complain("sgw module not loaded, waiting...");
	} else if (ret == -ESRCH) {
		complain("the loaded sgw module has no \"%s\" multicast group: is it older than sgctl?",
			 SGW_MCGRP_EVENTS);
		return ret;
	} else if (ret) {
		complain_nl(m->nl, ret, "subscribing to the flow events");
		return ret;
	} else {
		m->followed = true;
	}

	while (!stop_signal && !m->done) {
		if (flush_output(m))
			return -EIO;
		ret = wait_readable(m, m->following ? -1 : WAIT_MS, unblocked);
		if (ret < 0)
			return ret;
		if (stop_signal)
			break;
		ret = ret > 0 ? receive(m) : 0;
		if (!ret && !m->following &&
		    mono_ms() - m->last_try >= WAIT_MS) {
			m->last_try = mono_ms();
			ret = try_follow(m);
		}
		if (ret < 0) {
			if (ret != -EIO)
				complain("receiving flow events: %s",
					 strerror(-ret));
			return ret;
		}
	}
	return 0;
}

int monitor_main(int argc, const char *argv[])
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct monitor m = { 0 };
	struct options o;
	sigset_t block, unblocked;
	bool has_generated = false;
	uint64_t generated = 0;
	struct record r;
	char *text;
	int ret;

	if (wants_help(argc, argv))
		return 0;
	if (parse_options(argc, argv, &o))
		return 1;
	m.json = o.json;
	m.use_syslog = o.use_syslog;
	m.wait = o.wait;
	m.count = o.count;
	m.rcvbuf = o.rcvbuf;
	ev_account_init(&m.acct);

	/*
	 * SIGINT and SIGTERM are blocked but inside ppoll(), so that a stop
	 * is never missed between a look at the flag and a wait, and no
	 * request to the module is cut short by EINTR.
	 */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &unblocked);
	sigdelset(&unblocked, SIGINT);
	sigdelset(&unblocked, SIGTERM);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	ret = open_sockets(&m);
	if (ret) {
		complain_nl(NULL, ret, "opening a generic netlink socket");
		close_sockets(&m);
		return 1;
	}
	/* No daemon yet is no error: each record tries again. */
	if (m.use_syslog)
		syslog_out_open(&m.syslog, _PATH_LOG, o.ident, o.facility);
	m.syslog.stopping = &stop_signal;

	ret = run(&m, &unblocked);
	if (ret && !m.followed) {
		/* Never followed anything: no summary to give. */
		close_sockets(&m);
		return 1;
	}
	if (stop_signal && !m.failed)
		drain(&m, &has_generated, &generated);
	summary(&m, has_generated, generated);
	flush_output(&m);
	if (m.failed && !m.use_syslog) {
		/* The summary could not go where the records went. */
		summary_record(&r, now_ns(), &m.acct);
		text = record_text(&r);
		if (text)
			fprintf(stderr, "%s: %s\n", PROG_NAME, text);
		free(text);
	}
	if (m.use_syslog)
		syslog_out_close(&m.syslog);
	close_sockets(&m);
	return ret || m.failed ? 1 : 0;
}
