/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Flow events without a socket: decoding SGW_CMD_EVENT messages (and the
 * nlctrl messages that say where the family and its group are), records of
 * key=value fields rendered as one text line or one JSON object with the
 * same keys and values, and the accounting of sequence numbers that turns
 * every lost event into an explicit gap record. monitor.c does the I/O;
 * the unit tests drive everything here on buffers built with libmnl.
 */
#ifndef SGCTL_EVENT_H
#define SGCTL_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <json-c/json.h>
#include "policy.h"
#include "record.h"

/* The untrusted byte strings of an event, in the order they are shown. */
enum ev_str {
	EV_HOST,
	EV_METHOD,
	EV_PATH,
	EV_SNI,
	EV_ALPN,
	EV_QNAME,
	EV_NSTR
};

struct ev_bytes {
	const uint8_t	*data;	/* into the message: valid while it is */
	size_t		len;
};

/* One SGW_A_EVENT nest. A field is meaningful only if event_has() it. */
struct sgw_event {
	uint64_t	present;	/* bit SGW_EV_A_x: attribute x was sent */
	uint64_t	seq;
	uint64_t	time_ns;
	uint8_t		type;
	uint8_t		reason;
	uint8_t		family;
	uint8_t		proto;
	uint8_t		app;
	uint8_t		src[16];
	uint8_t		dst[16];
	uint16_t	sport;
	uint16_t	dport;
	uint16_t	src_seg;
	uint16_t	dst_seg;
	uint32_t	rule;
	uint32_t	line;
	uint32_t	generation;
	uint32_t	count;
	uint64_t	packets_orig;
	uint64_t	bytes_orig;
	uint64_t	packets_reply;
	uint64_t	bytes_reply;
	uint64_t	duration_ms;
	struct ev_bytes	str[EV_NSTR];
};

static inline bool event_has(const struct sgw_event *ev, int attr)
{
	return ev->present >> attr & 1;
}

/* The attributes of an SGW_CMD_EVENT message around its events. */
struct sgw_event_msg {
	bool		has_events_lost;
	uint64_t	events_lost;	/* the namespace's kernel-side losses */
	bool		has_netns;
	uint32_t	netns;
	size_t		nevents;
};

/*
 * Check that @nlh is an SGW_CMD_EVENT message of family @family whose
 * every event decodes (SEQ and TYPE present, every attribute the size the
 * ABI says, addresses matching the family), and read its other attributes
 * into @m. -ENOMSG if it is another message of the family or another
 * family's, -EBADMSG if it is malformed: then none of its events is used.
 * Attributes newer than this sgctl are skipped.
 */
int event_msg_parse(const struct nlmsghdr *nlh, uint16_t family,
		    struct sgw_event_msg *m);

/*
 * Call @cb on each event of a message event_msg_parse() accepted, in
 * order; stops at the first nonzero return and returns it.
 */
int event_msg_foreach(const struct nlmsghdr *nlh,
		      int (*cb)(const struct sgw_event *ev, void *data),
		      void *data);

/* One SGW_A_EVENT nest: 0 or -EBADMSG. */
int event_parse(const struct nlattr *nest, struct sgw_event *ev);

/* A CTRL_CMD_NEWFAMILY reply or notification, or a DELFAMILY one. */
struct ctrl_family {
	uint8_t		cmd;		/* CTRL_CMD_* */
	uint16_t	id;
	char		name[GENL_NAMSIZ];
	bool		has_group;
	uint32_t	group;		/* id of the multicast group asked for */
};

/*
 * Read a GENL_ID_CTRL message: the family's name and id and, when
 * @group is not NULL and the family has a multicast group of that name,
 * the group's id. -ENOMSG for other controller commands, -EBADMSG when
 * malformed.
 */
int ctrl_parse_family(const struct nlmsghdr *nlh, const char *group,
		      struct ctrl_family *f);

/*
 * Fields in this order, each only when known: time event seq proto src
 * sport dst dport src_seg dst_seg rule line gen reason app host method path
 * sni alpn qname count pkts_orig bytes_orig pkts_reply bytes_reply
 * duration_ms. Segment ids are named from @segs, the policy of the event's
 * generation (NULL when that generation is unknown): "world", "any", the
 * name, or "#ID" when @segs has no such segment.
 */
void event_record(struct record *r, const struct sgw_event *ev,
		  const struct policy *segs);

/* Fields flow events and replay records share. */
/* proto=tcp, udp, icmp, icmpv6, or the number. */
void record_proto(struct record *r, uint8_t proto);
/* @addr (4 or 16 bytes, by @family) in its usual notation. */
void record_addr(struct record *r, const char *key, uint8_t family,
		 const uint8_t *addr);
/* "world", "any", the name in @segs (may be NULL), or "#ID". */
void record_segment(struct record *r, const char *key,
		    const struct policy *segs, uint16_t id);

/* "time=... event=..." with @now_ns the time of the record. */
void record_begin(struct record *r, uint64_t now_ns, const char *event,
		  int priority);
/* 2026-01-05T10:22:03.123456Z */
const char *time_str(uint64_t ns, char buf[32]);
const char *event_type_name(uint8_t type, char buf[16]);
const char *event_reason_name(uint8_t reason, char buf[16]);
const char *event_app_name(uint8_t app, char buf[16]);

/*
 * Sequence accounting. Every event the kernel generates in a namespace
 * gets the next sequence number, whether it is then sent or lost; so each
 * number that never arrives is one lost event, lost in the kernel
 * (SGW_A_EVENTS_LOST counts those) or in our socket (recv() said ENOBUFS).
 *
 * A stream is one run of numbers: one per load of the module. When the
 * count of events generated was read before subscribing (stats "events"),
 * the stream starts right after it and events generated while sgctl
 * subscribed are lost too ("start"); otherwise it starts at the first
 * event received. At the end, events generated (stats again) but never
 * received are lost ("exit"). So over a run, received + lost equals the
 * events the kernel generated, exactly.
 */
enum ev_gap_cause {
	EV_GAP_KERNEL,	/* no socket overrun: the kernel could not queue them */
	EV_GAP_SOCKET,	/* the first gap after our socket overran (ENOBUFS):
			 * some or all of them were dropped there
			 */
	EV_GAP_START,	/* generated while sgctl was subscribing */
	EV_GAP_EXIT,	/* generated before sgctl stopped, never received */
};

const char *ev_gap_cause_name(enum ev_gap_cause cause);

/* Events @from .. @to, inclusive, were lost. */
struct ev_gap {
	uint64_t		from;
	uint64_t		to;
	enum ev_gap_cause	cause;
};

enum ev_verdict {
	EV_NEXT,	/* in sequence: print it */
	EV_GAP,		/* after a gap, in @gap: print the gap, then it */
	EV_LATE,	/* one of a gap reported earlier, arriving late: it is
			 * no longer lost; print a late record, then it
			 */
	EV_EARLY,	/* generated before the stream's start: print, not
			 * counted
			 */
	EV_STRAY,	/* before the next expected, in no known gap (a
			 * duplicate, or reordered past what is remembered):
			 * print, not counted
			 */
};

enum { EV_HOLES_MAX = 64 };

struct ev_account {
	/* The current stream. */
	bool		known;		/* @next is the next expected */
	uint64_t	next;
	bool		has_base;	/* the stream started after @base */
	uint64_t	base;
	bool		overrun;	/* ENOBUFS since the last gap */
	uint64_t	stream_received;
	struct ev_gap	holes[EV_HOLES_MAX];	/* gaps that may yet arrive */
	size_t		nholes;

	/* The whole run, every stream. */
	unsigned int	streams;
	uint64_t	received;	/* counted events: EV_NEXT, GAP, LATE */
	uint64_t	lost;		/* in gaps, less those that came late */
	uint64_t	late;
	uint64_t	early;
	uint64_t	stray;
	bool		has_kernel_lost;
	uint64_t	kernel_lost;	/* the latest SGW_A_EVENTS_LOST */
};

void ev_account_init(struct ev_account *a);
/*
 * A new stream begins (start, or the module loaded again): sequence
 * numbers restart. With @has_generated, @generated events were generated
 * in it before sgctl subscribed.
 */
void ev_account_stream(struct ev_account *a, bool has_generated,
		       uint64_t generated);
/*
 * recv() said ENOBUFS. It says so before the messages queued ahead of the
 * drop are read: the next gap, however many events later, is the socket's.
 */
void ev_account_overrun(struct ev_account *a);
/* A message's SGW_A_EVENTS_LOST. */
void ev_account_kernel_lost(struct ev_account *a, uint64_t lost);
/* An event with sequence number @seq arrived. */
enum ev_verdict ev_account_event(struct ev_account *a, uint64_t seq,
				 struct ev_gap *gap);
/*
 * The run stops with @generated events generated in the current stream:
 * those after the last received are lost. Returns true with them in @gap
 * if there are any.
 */
bool ev_account_finish(struct ev_account *a, uint64_t generated,
		       struct ev_gap *gap);

/* event=gap lost=N from_seq=A to_seq=B cause=C */
void gap_record(struct record *r, uint64_t now_ns, const struct ev_gap *g);
/*
 * event=stream [from_seq=B]: sequence numbers start again (sgctl started
 * following the module, or it was loaded again), at B when known, so
 * that a reader of the log need not guess where a stream begins.
 */
void stream_record(struct record *r, uint64_t now_ns, bool has_from,
		   uint64_t from);
/* event=late seq=S: S was in a gap reported earlier and arrived. */
void late_record(struct record *r, uint64_t now_ns, uint64_t seq);
/*
 * event=summary received=R lost=L kernel_lost=K, then late, early and
 * stray when not zero; the caller may append more.
 */
void summary_record(struct record *r, uint64_t now_ns,
		    const struct ev_account *a);

#endif /* SGCTL_EVENT_H */
