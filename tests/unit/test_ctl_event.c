// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * sgctl's flow events (ctl/event.c, ctl/escape.c), without a socket:
 * SGW_CMD_EVENT messages built with libmnl as the module sends them are
 * decoded, malformed ones refused; records are checked field by field in
 * text (parsed back as key=value) and in JSON (parsed back with json-c),
 * with hostile L7 bytes that try to forge lines and fields; the sequence
 * accounting is driven through gaps, overruns, late arrivals, restarts and
 * a simulated lossy run whose totals must match what the "kernel" made.
 *
 * Links ctl/event.c, ctl/escape.c, ctl/policy*.c (policy_segment_name),
 * libmnl and json-c.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>
#include <json-c/json.h>
#include <cmocka.h>

#include "escape.h"
#include "event.h"

enum { FAMILY = 0x1e, BUF = 1 << 16 };

static char buf[BUF];

static struct nlmsghdr *msg_begin(uint16_t type, uint8_t cmd)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = SGW_GENL_VERSION;
	return nlh;
}

/* The smallest valid event: a sequence number and a type. */
static void put_min_event(struct nlmsghdr *nlh, uint64_t seq, uint8_t type)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, SGW_A_EVENT);

	mnl_attr_put_u64(nlh, SGW_EV_A_SEQ, seq);
	mnl_attr_put_u8(nlh, SGW_EV_A_TYPE, type);
	mnl_attr_nest_end(nlh, nest);
}

static const uint64_t T0 = 1700000000123456789ULL;	/* 2023-11-14T22:13:20.123456789Z */

/* Every attribute an event can carry. */
static void put_full_event(struct nlmsghdr *nlh, uint64_t seq)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, SGW_A_EVENT);
	uint8_t src[4] = { 10, 10, 1, 5 }, dst[4] = { 10, 10, 2, 7 };

	mnl_attr_put_u64(nlh, SGW_EV_A_SEQ, seq);
	mnl_attr_put_u64(nlh, SGW_EV_A_TIME_NS, T0);
	mnl_attr_put_u8(nlh, SGW_EV_A_TYPE, SGW_EV_ALLOW);
	mnl_attr_put_u8(nlh, SGW_EV_A_REASON, SGW_R_ALLOW);
	mnl_attr_put_u8(nlh, SGW_EV_A_FAMILY, AF_INET);
	mnl_attr_put_u8(nlh, SGW_EV_A_PROTO, IPPROTO_TCP);
	mnl_attr_put(nlh, SGW_EV_A_SRC, 4, src);
	mnl_attr_put(nlh, SGW_EV_A_DST, 4, dst);
	mnl_attr_put_u16(nlh, SGW_EV_A_SPORT, 51514);
	mnl_attr_put_u16(nlh, SGW_EV_A_DPORT, 5432);
	mnl_attr_put_u16(nlh, SGW_EV_A_SRC_SEG, 1);
	mnl_attr_put_u16(nlh, SGW_EV_A_DST_SEG, 2);
	mnl_attr_put_u32(nlh, SGW_EV_A_RULE, 0x1a2b3c4d);
	mnl_attr_put_u32(nlh, SGW_EV_A_LINE, 7);
	mnl_attr_put_u32(nlh, SGW_EV_A_GENERATION, 3);
	mnl_attr_put_u32(nlh, SGW_EV_A_COUNT, 1);
	mnl_attr_put_u64(nlh, SGW_EV_A_PACKETS_ORIG, 10);
	mnl_attr_put_u64(nlh, SGW_EV_A_BYTES_ORIG, 1000);
	mnl_attr_put_u64(nlh, SGW_EV_A_PACKETS_REPLY, 9);
	mnl_attr_put_u64(nlh, SGW_EV_A_BYTES_REPLY, 9000);
	mnl_attr_put_u64(nlh, SGW_EV_A_DURATION_MS, 1234);
	mnl_attr_put_u8(nlh, SGW_EV_A_APP, SGW_APP_HTTP);
	mnl_attr_put(nlh, SGW_EV_A_HOST, 10, "db.example");
	mnl_attr_put(nlh, SGW_EV_A_METHOD, 3, "GET");
	mnl_attr_put(nlh, SGW_EV_A_PATH, 2, "/x");
	mnl_attr_put(nlh, SGW_EV_A_SNI, 10, "db.example");
	mnl_attr_put(nlh, SGW_EV_A_ALPN, 2, "h2");
	mnl_attr_put(nlh, SGW_EV_A_QNAME, 10, "db.example");
	mnl_attr_nest_end(nlh, nest);
}

struct collected {
	struct sgw_event	ev[8];
	size_t			n;
};

static int collect(const struct sgw_event *ev, void *data)
{
	struct collected *c = data;

	assert_true(c->n < 8);
	c->ev[c->n++] = *ev;
	return 0;
}

/* A policy with segments web (1) and db (2), for names. */
static struct policy *two_segments(void)
{
	static struct policy_segment segs[2] = {
		{ .name = "web", .id = 1 },
		{ .name = "db", .id = 2 },
	};
	static struct policy p = { .segments = segs, .nsegments = 2 };

	return &p;
}

/*
 * A key=value line parsed back as a reader would: single spaces between
 * fields, values bare (no space, quote or '=') or quoted with no quote
 * inside. Any other shape fails the test.
 */
struct kv {
	char	key[32];
	char	value[2048];
	bool	quoted;
};

static size_t parse_line(const char *line, struct kv *out, size_t max)
{
	const char *p = line;
	size_t n = 0;

	assert_null(strchr(line, '\n'));
	assert_null(strchr(line, '\r'));
	while (*p) {
		const char *eq = strchr(p, '='), *end;
		struct kv *kv = &out[n];

		assert_true(n < max);
		assert_non_null(eq);
		assert_true(eq > p && (size_t)(eq - p) < sizeof(kv->key));
		memcpy(kv->key, p, eq - p);
		kv->key[eq - p] = '\0';
		assert_null(strpbrk(kv->key, " \""));
		p = eq + 1;
		if (*p == '"') {
			end = strchr(p + 1, '"');
			assert_non_null(end);
			kv->quoted = true;
			assert_true((size_t)(end - p - 1) < sizeof(kv->value));
			memcpy(kv->value, p + 1, end - p - 1);
			kv->value[end - p - 1] = '\0';
			p = end + 1;
		} else {
			end = p + strcspn(p, " ");
			kv->quoted = false;
			assert_true((size_t)(end - p) < sizeof(kv->value));
			memcpy(kv->value, p, end - p);
			kv->value[end - p] = '\0';
			assert_null(strpbrk(kv->value, "\"="));
			p = end;
		}
		n++;
		if (*p) {
			assert_int_equal(*p, ' ');
			p++;
			assert_true(*p && *p != ' ');
		}
	}
	return n;
}

static void test_escape_bytes(void **state)
{
	unsigned int c;

	(void)state;
	for (c = 0; c < 256; c++) {
		uint8_t b = c, back[4];
		char out[8];
		bool keep = c >= 0x20 && c <= 0x7e && c != '"' && c != '\\';
		size_t n = escape(out, &b, 1);

		assert_int_equal(n, escape_len(&b, 1));
		if (keep) {
			assert_int_equal(n, 1);
			assert_int_equal((uint8_t)out[0], c);
		} else {
			char want[8];

			snprintf(want, sizeof(want), "\\x%02x", c);
			assert_string_equal(out, want);
		}
		assert_int_equal(escape_decode(back, out, n), 1);
		assert_int_equal(back[0], c);
	}
}

static void test_escape_round_trip(void **state)
{
	uint8_t raw[1024], back[4096];
	char esc[4 * 1024 + 1];
	unsigned int seed = 1;
	int round;

	(void)state;
	for (round = 0; round < 200; round++) {
		size_t len = rand_r(&seed) % sizeof(raw), i, n;

		for (i = 0; i < len; i++)
			raw[i] = rand_r(&seed);
		n = escape(esc, raw, len);
		assert_int_equal(n, strlen(esc));
		assert_int_equal(escape_decode(back, esc, n), len);
		assert_memory_equal(back, raw, len);
		for (i = 0; i < n; i++)
			assert_true(esc[i] >= 0x20 && esc[i] <= 0x7e &&
				    esc[i] != '"');
	}
}

static void test_escape_quotes_and_decode_errors(void **state)
{
	uint8_t out[16];

	(void)state;
	assert_true(escape_needs_quotes("", 0));
	assert_true(escape_needs_quotes("a b", 3));
	assert_true(escape_needs_quotes("a=b", 3));
	assert_false(escape_needs_quotes("a\\x22b", 6));
	assert_false(escape_needs_quotes("/index.html", 11));

	/* Only what escape() writes decodes: one spelling per byte. */
	assert_int_equal(escape_decode(out, "\\x4", 3), -1);
	assert_int_equal(escape_decode(out, "\\x41", 4), -1);	/* 'A' */
	assert_int_equal(escape_decode(out, "\\x0A", 4), -1);	/* upper */
	assert_int_equal(escape_decode(out, "\\n", 2), -1);
	assert_int_equal(escape_decode(out, "\"", 1), -1);
	assert_int_equal(escape_decode(out, "a\nb", 3), -1);
	assert_int_equal(escape_decode(out, "\\x00\\x5c", 8), 2);
	assert_int_equal(out[0], 0);
	assert_int_equal(out[1], '\\');
}

static void test_decode_full(void **state)
{
	struct nlmsghdr *nlh = msg_begin(FAMILY, SGW_CMD_EVENT);
	struct sgw_event_msg m;
	struct collected c = { .n = 0 };
	const struct sgw_event *ev;

	(void)state;
	put_full_event(nlh, 42);
	put_min_event(nlh, 43, SGW_EV_DENY);
	mnl_attr_put_u64(nlh, SGW_A_EVENTS_LOST, 17);
	mnl_attr_put_u32(nlh, SGW_A_NETNS, 4026531840U);

	assert_int_equal(event_msg_parse(nlh, FAMILY, &m), 0);
	assert_int_equal(m.nevents, 2);
	assert_true(m.has_events_lost);
	assert_int_equal(m.events_lost, 17);
	assert_true(m.has_netns);
	assert_int_equal(m.netns, 4026531840U);
	assert_int_equal(event_msg_foreach(nlh, collect, &c), 0);
	assert_int_equal(c.n, 2);

	ev = &c.ev[0];
	assert_int_equal(ev->seq, 42);
	assert_int_equal(ev->time_ns, T0);
	assert_int_equal(ev->type, SGW_EV_ALLOW);
	assert_int_equal(ev->family, AF_INET);
	assert_int_equal(ev->proto, IPPROTO_TCP);
	assert_int_equal(ev->sport, 51514);
	assert_int_equal(ev->dport, 5432);
	assert_int_equal(ev->src_seg, 1);
	assert_int_equal(ev->dst_seg, 2);
	assert_int_equal(ev->rule, 0x1a2b3c4d);
	assert_int_equal(ev->line, 7);
	assert_int_equal(ev->generation, 3);
	assert_int_equal(ev->count, 1);
	assert_int_equal(ev->packets_orig, 10);
	assert_int_equal(ev->bytes_orig, 1000);
	assert_int_equal(ev->packets_reply, 9);
	assert_int_equal(ev->bytes_reply, 9000);
	assert_int_equal(ev->duration_ms, 1234);
	assert_int_equal(ev->app, SGW_APP_HTTP);
	assert_int_equal(ev->str[EV_HOST].len, 10);
	assert_memory_equal(ev->str[EV_HOST].data, "db.example", 10);
	assert_int_equal(ev->str[EV_ALPN].len, 2);
	assert_true(event_has(ev, SGW_EV_A_QNAME));

	ev = &c.ev[1];
	assert_int_equal(ev->seq, 43);
	assert_int_equal(ev->type, SGW_EV_DENY);
	assert_int_equal(ev->present, (1ULL << SGW_EV_A_SEQ) |
				      (1ULL << SGW_EV_A_TYPE));
}

static void test_decode_ipv6_and_unknown_attrs(void **state)
{
	struct nlmsghdr *nlh = msg_begin(FAMILY, SGW_CMD_EVENT);
	struct nlattr *nest;
	struct collected c = { .n = 0 };
	struct sgw_event_msg m;
	uint8_t a6[16] = { 0xfd, 0, 0, 1, [15] = 5 };

	(void)state;
	nest = mnl_attr_nest_start(nlh, SGW_A_EVENT);
	mnl_attr_put_u64(nlh, SGW_EV_A_SEQ, 1);
	mnl_attr_put_u8(nlh, SGW_EV_A_TYPE, SGW_EV_END);
	mnl_attr_put_u8(nlh, SGW_EV_A_FAMILY, AF_INET6);
	mnl_attr_put(nlh, SGW_EV_A_SRC, 16, a6);
	/* From a newer module: skipped, not refused. */
	mnl_attr_put_u32(nlh, SGW_EV_A_MAX + 1, 99);
	mnl_attr_nest_end(nlh, nest);
	mnl_attr_put_u32(nlh, SGW_A_MAX + 1, 99);

	assert_int_equal(event_msg_parse(nlh, FAMILY, &m), 0);
	assert_false(m.has_events_lost);
	assert_int_equal(event_msg_foreach(nlh, collect, &c), 0);
	assert_int_equal(c.n, 1);
	assert_memory_equal(c.ev[0].src, a6, 16);
	assert_false(event_has(&c.ev[0], SGW_EV_A_DST));
}

/* Each builder makes one bad event; the whole message must be refused. */
static void bad_no_seq(struct nlmsghdr *nlh)
{
	mnl_attr_put_u8(nlh, SGW_EV_A_TYPE, SGW_EV_ALLOW);
}

static void bad_no_type(struct nlmsghdr *nlh)
{
	mnl_attr_put_u64(nlh, SGW_EV_A_SEQ, 1);
}

static void base(struct nlmsghdr *nlh)
{
	mnl_attr_put_u64(nlh, SGW_EV_A_SEQ, 1);
	mnl_attr_put_u8(nlh, SGW_EV_A_TYPE, SGW_EV_ALLOW);
}

static void bad_short_seq(struct nlmsghdr *nlh)
{
	mnl_attr_put_u32(nlh, SGW_EV_A_SEQ, 1);
	mnl_attr_put_u8(nlh, SGW_EV_A_TYPE, SGW_EV_ALLOW);
}

static void bad_port_size(struct nlmsghdr *nlh)
{
	base(nlh);
	mnl_attr_put_u32(nlh, SGW_EV_A_SPORT, 80);
}

static void bad_addr_len(struct nlmsghdr *nlh)
{
	base(nlh);
	mnl_attr_put_u8(nlh, SGW_EV_A_FAMILY, AF_INET);
	mnl_attr_put(nlh, SGW_EV_A_SRC, 5, "\1\2\3\4\5");
}

static void bad_addr_no_family(struct nlmsghdr *nlh)
{
	base(nlh);
	mnl_attr_put(nlh, SGW_EV_A_DST, 4, "\1\2\3\4");
}

static void bad_addr_family_mismatch(struct nlmsghdr *nlh)
{
	uint8_t a6[16] = { 0xfd };

	base(nlh);
	mnl_attr_put_u8(nlh, SGW_EV_A_FAMILY, AF_INET);
	mnl_attr_put(nlh, SGW_EV_A_SRC, 16, a6);
}

static void bad_family(struct nlmsghdr *nlh)
{
	base(nlh);
	mnl_attr_put_u8(nlh, SGW_EV_A_FAMILY, 99);
	mnl_attr_put(nlh, SGW_EV_A_SRC, 4, "\1\2\3\4");
}

static void test_decode_malformed(void **state)
{
	static void (*const bad[])(struct nlmsghdr *) = {
		bad_no_seq, bad_no_type, bad_short_seq, bad_port_size,
		bad_addr_len, bad_addr_no_family, bad_addr_family_mismatch,
		bad_family,
	};
	struct sgw_event_msg m;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct nlmsghdr *nlh = msg_begin(FAMILY, SGW_CMD_EVENT);
		struct nlattr *nest;

		put_min_event(nlh, 1, SGW_EV_ALLOW);	/* a good one first */
		nest = mnl_attr_nest_start(nlh, SGW_A_EVENT);
		bad[i](nlh);
		mnl_attr_nest_end(nlh, nest);
		assert_int_equal(event_msg_parse(nlh, FAMILY, &m), -EBADMSG);
	}
}

static void test_decode_framing(void **state)
{
	struct sgw_event_msg m;
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	(void)state;
	/* Not ours: another family, another command. */
	nlh = msg_begin(FAMILY + 1, SGW_CMD_EVENT);
	put_min_event(nlh, 1, SGW_EV_ALLOW);
	assert_int_equal(event_msg_parse(nlh, FAMILY, &m), -ENOMSG);
	nlh = msg_begin(FAMILY, SGW_CMD_GET_STATUS);
	assert_int_equal(event_msg_parse(nlh, FAMILY, &m), -ENOMSG);

	/* No room for the genl header. */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = FAMILY;
	assert_int_equal(event_msg_parse(nlh, FAMILY, &m), -EBADMSG);

	/* An attribute running past the end of its nest. */
	nlh = msg_begin(FAMILY, SGW_CMD_EVENT);
	nest = mnl_attr_nest_start(nlh, SGW_A_EVENT);
	base(nlh);
	mnl_attr_nest_end(nlh, nest);
	((struct nlattr *)((char *)mnl_attr_get_payload(nest)))->nla_len = 200;
	assert_int_equal(event_msg_parse(nlh, FAMILY, &m), -EBADMSG);

	/* A SGW_A_EVENT that is not a nest. */
	nlh = msg_begin(FAMILY, SGW_CMD_EVENT);
	mnl_attr_put_u16(nlh, SGW_A_EVENT, 1);
	assert_int_equal(event_msg_parse(nlh, FAMILY, &m), -EBADMSG);

	/* EVENTS_LOST of the wrong size. */
	nlh = msg_begin(FAMILY, SGW_CMD_EVENT);
	mnl_attr_put_u32(nlh, SGW_A_EVENTS_LOST, 1);
	assert_int_equal(event_msg_parse(nlh, FAMILY, &m), -EBADMSG);

	/* Only a loss count, no event: fine. */
	nlh = msg_begin(FAMILY, SGW_CMD_EVENT);
	mnl_attr_put_u64(nlh, SGW_A_EVENTS_LOST, 3);
	assert_int_equal(event_msg_parse(nlh, FAMILY, &m), 0);
	assert_int_equal(m.nevents, 0);
	assert_int_equal(m.events_lost, 3);
}

static char *text_of(const struct sgw_event *ev, const struct policy *p)
{
	struct record r;
	char *text;

	event_record(&r, ev, p);
	text = record_text(&r);
	assert_non_null(text);
	return text;
}

static struct sgw_event decode_one(struct nlmsghdr *nlh)
{
	struct collected c = { .n = 0 };
	struct sgw_event_msg m;

	assert_int_equal(event_msg_parse(nlh, FAMILY, &m), 0);
	assert_int_equal(event_msg_foreach(nlh, collect, &c), 0);
	assert_int_equal(c.n, 1);
	return c.ev[0];
}

static void test_text_full(void **state)
{
	struct nlmsghdr *nlh = msg_begin(FAMILY, SGW_CMD_EVENT);
	struct sgw_event ev;
	struct record r;
	char *text;

	(void)state;
	put_full_event(nlh, 42);
	ev = decode_one(nlh);
	text = text_of(&ev, two_segments());
	assert_string_equal(text,
		"time=2023-11-14T22:13:20.123456Z event=allow seq=42 proto=tcp "
		"src=10.10.1.5 sport=51514 dst=10.10.2.7 dport=5432 "
		"src_seg=web dst_seg=db rule=0x1a2b3c4d line=7 gen=3 "
		"reason=allow app=http host=db.example method=GET path=/x "
		"sni=db.example alpn=h2 qname=db.example count=1 pkts_orig=10 "
		"bytes_orig=1000 pkts_reply=9 bytes_reply=9000 duration_ms=1234");
	free(text);
	event_record(&r, &ev, two_segments());
	assert_int_equal(r.priority, LOG_INFO);
}

static void test_text_minimal_and_names(void **state)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	struct sgw_event ev;
	struct record r;
	char *text;

	(void)state;
	nlh = msg_begin(FAMILY, SGW_CMD_EVENT);
	put_min_event(nlh, 5, SGW_EV_DENY);
	ev = decode_one(nlh);
	text = text_of(&ev, NULL);
	assert_string_equal(text, "event=deny seq=5");
	free(text);
	event_record(&r, &ev, NULL);
	assert_int_equal(r.priority, LOG_NOTICE);

	/* An aggregated deny from world to a segment unknown to us, on
	 * IPv6, with a protocol and a reason without names.
	 */
	nlh = msg_begin(FAMILY, SGW_CMD_EVENT);
	nest = mnl_attr_nest_start(nlh, SGW_A_EVENT);
	mnl_attr_put_u64(nlh, SGW_EV_A_SEQ, 6);
	mnl_attr_put_u8(nlh, SGW_EV_A_TYPE, SGW_EV_DENY);
	mnl_attr_put_u8(nlh, SGW_EV_A_REASON, SGW_R_DEFAULT_DENY);
	mnl_attr_put_u8(nlh, SGW_EV_A_FAMILY, AF_INET6);
	mnl_attr_put_u8(nlh, SGW_EV_A_PROTO, 47);
	mnl_attr_put(nlh, SGW_EV_A_SRC, 16,
		     "\xfd\0\0\1\0\0\0\0\0\0\0\0\0\0\0\5");
	mnl_attr_put(nlh, SGW_EV_A_DST, 16,
		     "\xfd\0\0\2\0\0\0\0\0\0\0\0\0\0\0\7");
	mnl_attr_put_u16(nlh, SGW_EV_A_SRC_SEG, SGW_SEG_WORLD);
	mnl_attr_put_u16(nlh, SGW_EV_A_DST_SEG, 9);
	mnl_attr_put_u32(nlh, SGW_EV_A_COUNT, 250);
	mnl_attr_nest_end(nlh, nest);
	ev = decode_one(nlh);
	text = text_of(&ev, two_segments());
	assert_string_equal(text,
		"event=deny seq=6 proto=47 src=fd00:1::5 dst=fd00:2::7 "
		"src_seg=world dst_seg=#9 reason=default-deny count=250");
	free(text);

	/* Without the generation's policy, even known ids stay ids. */
	ev.dst_seg = 1;
	text = text_of(&ev, NULL);
	assert_non_null(strstr(text, " src_seg=world dst_seg=#1 "));
	free(text);

	/* Names of every type, reason and app; unknown values as numbers. */
	{
		char b[16];

		assert_string_equal(event_type_name(SGW_EV_REVOKE, b), "revoke");
		assert_string_equal(event_type_name(9, b), "unknown-9");
		assert_string_equal(event_reason_name(SGW_R_HOLD_FULL, b),
				    "hold-full");
		assert_string_equal(event_reason_name(SGW_R_FLUSH, b), "flush");
		assert_string_equal(event_reason_name(SGW_R_L7_MISMATCH, b),
				    "l7-mismatch");
		assert_string_equal(event_reason_name(200, b), "unknown-200");
		assert_string_equal(event_app_name(SGW_APP_UNCLASSIFIED, b),
				    "unclassified");
		assert_string_equal(event_app_name(SGW_APP_TLS, b), "tls");
		assert_string_equal(event_app_name(77, b), "unknown-77");
	}
}

/* An event whose L7 fields are the given raw bytes. */
static struct sgw_event hostile_event(const void *host, size_t host_len,
				      const void *path, size_t path_len,
				      const void *sni, size_t sni_len)
{
	struct nlmsghdr *nlh = msg_begin(FAMILY, SGW_CMD_EVENT);
	struct nlattr *nest = mnl_attr_nest_start(nlh, SGW_A_EVENT);

	mnl_attr_put_u64(nlh, SGW_EV_A_SEQ, 77);
	mnl_attr_put_u8(nlh, SGW_EV_A_TYPE, SGW_EV_DENY);
	mnl_attr_put_u8(nlh, SGW_EV_A_REASON, SGW_R_L7_MISMATCH);
	mnl_attr_put(nlh, SGW_EV_A_HOST, host_len, host);
	mnl_attr_put(nlh, SGW_EV_A_PATH, path_len, path);
	mnl_attr_put(nlh, SGW_EV_A_SNI, sni_len, sni);
	mnl_attr_put_u32(nlh, SGW_EV_A_COUNT, 1);
	mnl_attr_nest_end(nlh, nest);
	return decode_one(nlh);
}

static void check_value(const struct kv *kv, const char *key,
			const void *raw, size_t len)
{
	uint8_t back[2048];

	assert_string_equal(kv->key, key);
	assert_int_equal(escape_decode(back, kv->value, strlen(kv->value)),
			 len);
	assert_memory_equal(back, raw, len);
}

static void test_text_hostile(void **state)
{
	static const char host[] = "evil.example\nevent=allow seq=1 src=10.0.0.1";
	static const char path[] = "/a\" reason=allow rule=0x00000001 x=\"";
	static const char sni[] = "a\0b\r\x1b[2J\xc3\xa9\xff\\";
	struct kv kv[32];
	struct sgw_event ev;
	char *text;
	size_t n;

	(void)state;
	ev = hostile_event(host, sizeof(host) - 1, path, sizeof(path) - 1,
			   sni, sizeof(sni) - 1);
	text = text_of(&ev, NULL);
	/* One line, ASCII only, and exactly the fields of the event. */
	assert_null(strchr(text, '\n'));
	for (n = 0; text[n]; n++)
		assert_true(text[n] >= 0x20 && text[n] <= 0x7e);
	n = parse_line(text, kv, 32);
	assert_int_equal(n, 7);
	assert_string_equal(kv[0].key, "event");
	assert_string_equal(kv[0].value, "deny");
	assert_string_equal(kv[1].key, "seq");
	assert_string_equal(kv[1].value, "77");
	assert_string_equal(kv[2].key, "reason");
	assert_string_equal(kv[2].value, "l7-mismatch");
	check_value(&kv[3], "host", host, sizeof(host) - 1);
	assert_true(kv[3].quoted);	/* it has spaces */
	check_value(&kv[4], "path", path, sizeof(path) - 1);
	assert_true(kv[4].quoted);
	check_value(&kv[5], "sni", sni, sizeof(sni) - 1);
	assert_false(kv[5].quoted);
	assert_string_equal(kv[5].value,
			    "a\\x00b\\x0d\\x1b[2J\\xc3\\xa9\\xff\\x5c");
	assert_string_equal(kv[6].key, "count");
	assert_string_equal(
		strstr(text, "host="),
		"host=\"evil.example\\x0aevent=allow seq=1 src=10.0.0.1\" "
		"path=\"/a\\x22 reason=allow rule=0x00000001 x=\\x22\" "
		"sni=a\\x00b\\x0d\\x1b[2J\\xc3\\xa9\\xff\\x5c count=1");
	free(text);
}

static void test_text_empty_and_long(void **state)
{
	uint8_t all[255], worst[255];
	struct kv kv[32];
	struct sgw_event ev;
	char *text;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(all); i++)
		all[i] = i + 1;		/* 1 .. 255 */
	memset(worst, 0xff, sizeof(worst));

	/* Empty values are quoted, so "host= path=" never happens. */
	ev = hostile_event("", 0, all, sizeof(all), worst, sizeof(worst));
	text = text_of(&ev, NULL);
	assert_int_equal(parse_line(text, kv, 32), 7);
	assert_string_equal(kv[3].key, "host");
	assert_true(kv[3].quoted);
	assert_string_equal(kv[3].value, "");
	check_value(&kv[4], "path", all, sizeof(all));
	check_value(&kv[5], "sni", worst, sizeof(worst));
	assert_int_equal(strlen(kv[5].value), 4 * 255);
	free(text);
}

/* The JSON of a record parses back with json-c to the text's values. */
static void check_json_matches_text(const struct record *r)
{
	struct json_object *o = record_json(r), *back;
	struct json_object_iterator it, end;
	struct kv kv[REC_FIELDS_MAX];
	const char *json;
	char *text = record_text(r);
	size_t n, i = 0;

	assert_non_null(o);
	assert_non_null(text);
	json = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
	assert_null(strchr(json, '\n'));
	back = json_tokener_parse(json);
	assert_non_null(back);
	n = parse_line(text, kv, REC_FIELDS_MAX);
	assert_int_equal(json_object_object_length(back), n);

	it = json_object_iter_begin(back);
	end = json_object_iter_end(back);
	for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it)) {
		struct json_object *v = json_object_iter_peek_value(&it);
		const struct rec_field *f = &r->f[i];

		assert_true(i < n);
		/* Same keys, same order. */
		assert_string_equal(json_object_iter_peek_name(&it), kv[i].key);
		if (f->kind == REC_STR) {
			assert_true(json_object_is_type(v, json_type_string));
			assert_string_equal(json_object_get_string(v),
					    kv[i].value);
		} else {
			assert_true(json_object_is_type(v, json_type_int));
			assert_int_equal(json_object_get_uint64(v), f->u);
			if (f->kind == REC_U64) {
				char num[24];

				snprintf(num, sizeof(num), "%llu",
					 (unsigned long long)f->u);
				assert_string_equal(kv[i].value, num);
			} else {
				assert_int_equal(strtoull(kv[i].value, NULL, 16),
						 f->u);
			}
		}
		i++;
	}
	assert_int_equal(i, n);
	json_object_put(back);
	json_object_put(o);
	free(text);
}

static void test_json(void **state)
{
	static const char host[] = "x\ny\"z\\ \xff";
	struct nlmsghdr *nlh = msg_begin(FAMILY, SGW_CMD_EVENT);
	struct json_object *o, *v;
	struct sgw_event ev;
	struct record r;
	struct ev_gap g = { 10, 14, EV_GAP_SOCKET };
	struct ev_account a;

	(void)state;
	put_full_event(nlh, 42);
	ev = decode_one(nlh);
	event_record(&r, &ev, two_segments());
	check_json_matches_text(&r);

	o = record_json(&r);
	assert_true(json_object_object_get_ex(o, "rule", &v));
	assert_int_equal(json_object_get_int64(v), 0x1a2b3c4d);
	assert_true(json_object_object_get_ex(o, "bytes_reply", &v));
	assert_int_equal(json_object_get_uint64(v), 9000);
	assert_true(json_object_object_get_ex(o, "src_seg", &v));
	assert_string_equal(json_object_get_string(v), "web");
	json_object_put(o);

	ev = hostile_event(host, sizeof(host) - 1, "", 0, "\0", 1);
	event_record(&r, &ev, NULL);
	check_json_matches_text(&r);
	o = record_json(&r);
	assert_true(json_object_object_get_ex(o, "host", &v));
	assert_string_equal(json_object_get_string(v),
			    "x\\x0ay\\x22z\\x5c \\xff");
	json_object_put(o);

	gap_record(&r, T0, &g);
	check_json_matches_text(&r);
	ev_account_init(&a);
	a.received = UINT64_MAX;	/* numbers past 2^63 stay exact */
	summary_record(&r, T0, &a);
	check_json_matches_text(&r);
}

static void test_records(void **state)
{
	struct ev_gap g = { 101, 103, EV_GAP_KERNEL };
	struct ev_account a;
	struct record r;
	char *text, t[32];

	(void)state;
	assert_string_equal(time_str(0, t), "1970-01-01T00:00:00.000000Z");
	assert_string_equal(time_str(T0, t), "2023-11-14T22:13:20.123456Z");

	gap_record(&r, T0, &g);
	assert_int_equal(r.priority, LOG_WARNING);
	text = record_text(&r);
	assert_string_equal(text, "time=2023-11-14T22:13:20.123456Z event=gap "
			    "lost=3 from_seq=101 to_seq=103 cause=kernel");
	free(text);

	late_record(&r, 0, 102);
	text = record_text(&r);
	assert_string_equal(text, "event=late seq=102");
	free(text);

	ev_account_init(&a);
	a.received = 1000;
	a.lost = 3;
	a.kernel_lost = 2;
	summary_record(&r, 0, &a);
	record_u64(&r, "syslog_sent", 1004);
	text = record_text(&r);
	assert_string_equal(text, "event=summary received=1000 lost=3 "
			    "kernel_lost=2 syslog_sent=1004");
	free(text);
	a.late = 1;
	a.stray = 2;
	summary_record(&r, 0, &a);
	text = record_text(&r);
	assert_string_equal(text, "event=summary received=1000 lost=3 "
			    "kernel_lost=2 late=1 stray=2");
	free(text);

	/* After events: the last number accounted for, received or lost. */
	ev_account_init(&a);
	ev_account_stream(&a, true, 40);
	assert_int_equal(ev_account_event(&a, 41, &g), EV_NEXT);
	assert_int_equal(ev_account_event(&a, 45, &g), EV_GAP);
	summary_record(&r, 0, &a);
	text = record_text(&r);
	assert_string_equal(text, "event=summary received=2 lost=3 "
			    "kernel_lost=0 last_seq=45");
	free(text);
}

static void test_ctrl_family(void **state)
{
	struct nlmsghdr *nlh;
	struct nlattr *groups, *g;
	struct ctrl_family f;
	static const char *const names[] = { "config", "events", "other" };
	size_t i;

	(void)state;
	nlh = msg_begin(GENL_ID_CTRL, CTRL_CMD_NEWFAMILY);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, SGW_GENL_NAME);
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, FAMILY);
	groups = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
	for (i = 0; i < 3; i++) {
		g = mnl_attr_nest_start(nlh, i + 1);
		mnl_attr_put_u32(nlh, CTRL_ATTR_MCAST_GRP_ID, 30 + i);
		mnl_attr_put_strz(nlh, CTRL_ATTR_MCAST_GRP_NAME, names[i]);
		mnl_attr_nest_end(nlh, g);
	}
	mnl_attr_nest_end(nlh, groups);

	assert_int_equal(ctrl_parse_family(nlh, SGW_MCGRP_EVENTS, &f), 0);
	assert_int_equal(f.cmd, CTRL_CMD_NEWFAMILY);
	assert_string_equal(f.name, "sgw");
	assert_int_equal(f.id, FAMILY);
	assert_true(f.has_group);
	assert_int_equal(f.group, 31);
	assert_int_equal(ctrl_parse_family(nlh, "nope", &f), 0);
	assert_false(f.has_group);
	assert_int_equal(ctrl_parse_family(nlh, NULL, &f), 0);
	assert_false(f.has_group);

	/* The notification when the module goes. */
	nlh = msg_begin(GENL_ID_CTRL, CTRL_CMD_DELFAMILY);
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, FAMILY);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, SGW_GENL_NAME);
	assert_int_equal(ctrl_parse_family(nlh, NULL, &f), 0);
	assert_int_equal(f.cmd, CTRL_CMD_DELFAMILY);

	/* Other controller news, and broken messages. */
	nlh = msg_begin(GENL_ID_CTRL, CTRL_CMD_NEWMCAST_GRP);
	assert_int_equal(ctrl_parse_family(nlh, NULL, &f), -ENOMSG);
	nlh = msg_begin(FAMILY, CTRL_CMD_NEWFAMILY);
	assert_int_equal(ctrl_parse_family(nlh, NULL, &f), -ENOMSG);
	nlh = msg_begin(GENL_ID_CTRL, CTRL_CMD_NEWFAMILY);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, SGW_GENL_NAME);
	assert_int_equal(ctrl_parse_family(nlh, NULL, &f), -EBADMSG);
	nlh = msg_begin(GENL_ID_CTRL, CTRL_CMD_NEWFAMILY);
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, FAMILY);
	mnl_attr_put(nlh, CTRL_ATTR_FAMILY_NAME, 3, "sgw");	/* no NUL */
	assert_int_equal(ctrl_parse_family(nlh, NULL, &f), -EBADMSG);
}

/* Accounting. */

static enum ev_verdict feed(struct ev_account *a, uint64_t seq,
			    struct ev_gap *g)
{
	memset(g, 0, sizeof(*g));
	return ev_account_event(a, seq, g);
}

static void test_account_in_order_and_gaps(void **state)
{
	struct ev_account a;
	struct ev_gap g;

	(void)state;
	ev_account_init(&a);
	ev_account_stream(&a, false, 0);
	/* No count read: the stream starts at the first event. */
	assert_int_equal(feed(&a, 500, &g), EV_NEXT);
	assert_int_equal(feed(&a, 501, &g), EV_NEXT);
	assert_int_equal(feed(&a, 505, &g), EV_GAP);
	assert_int_equal(g.from, 502);
	assert_int_equal(g.to, 504);
	assert_int_equal(g.cause, EV_GAP_KERNEL);
	assert_int_equal(a.lost, 3);

	/* A socket overrun: the gap the next event shows is counted once,
	 * however many ENOBUFS were reported.
	 */
	ev_account_overrun(&a);
	ev_account_overrun(&a);
	assert_int_equal(feed(&a, 510, &g), EV_GAP);
	assert_int_equal(g.from, 506);
	assert_int_equal(g.to, 509);
	assert_int_equal(g.cause, EV_GAP_SOCKET);
	assert_int_equal(a.lost, 7);
	assert_int_equal(feed(&a, 512, &g), EV_GAP);
	assert_int_equal(g.cause, EV_GAP_KERNEL);
	/* ENOBUFS comes before the messages queued ahead of the drop: the
	 * gap shows only after them, and is still the socket's.
	 */
	ev_account_overrun(&a);
	assert_int_equal(feed(&a, 513, &g), EV_NEXT);
	assert_int_equal(feed(&a, 514, &g), EV_NEXT);
	assert_int_equal(feed(&a, 520, &g), EV_GAP);
	assert_int_equal(g.cause, EV_GAP_SOCKET);
	assert_int_equal(feed(&a, 522, &g), EV_GAP);
	assert_int_equal(g.cause, EV_GAP_KERNEL);
	assert_int_equal(a.received, 9);
	assert_int_equal(a.lost, 14);

	ev_account_kernel_lost(&a, 5);
	ev_account_kernel_lost(&a, 4);	/* the latest, not the largest */
	assert_int_equal(a.kernel_lost, 4);
}

static void test_account_start_and_finish(void **state)
{
	struct ev_account a;
	struct ev_gap g;

	(void)state;
	ev_account_init(&a);
	/* 100 events generated before subscribing; 3 more while it did. */
	ev_account_stream(&a, true, 100);
	assert_int_equal(feed(&a, 104, &g), EV_GAP);
	assert_int_equal(g.from, 101);
	assert_int_equal(g.to, 103);
	assert_int_equal(g.cause, EV_GAP_START);
	assert_int_equal(feed(&a, 105, &g), EV_NEXT);
	/* Later gaps are the kernel's. */
	assert_int_equal(feed(&a, 107, &g), EV_GAP);
	assert_int_equal(g.cause, EV_GAP_KERNEL);
	/* Generated before the count was read, sent late: not ours. */
	assert_int_equal(feed(&a, 99, &g), EV_EARLY);
	assert_int_equal(a.early, 1);

	/* At exit the module says 110 were generated: 108..110 lost. */
	assert_true(ev_account_finish(&a, 110, &g));
	assert_int_equal(g.from, 108);
	assert_int_equal(g.to, 110);
	assert_int_equal(g.cause, EV_GAP_EXIT);
	assert_int_equal(a.received + a.lost, 110 - 100);
	assert_false(ev_account_finish(&a, 110, &g));

	/* Nothing received and no count: nothing can be said. */
	ev_account_init(&a);
	ev_account_stream(&a, false, 0);
	assert_false(ev_account_finish(&a, 50, &g));
	/* With a count and nothing received: all of them lost. */
	ev_account_stream(&a, true, 50);
	assert_true(ev_account_finish(&a, 52, &g));
	assert_int_equal(g.from, 51);
	assert_int_equal(g.to, 52);
	assert_int_equal(a.lost, 2);
}

static void test_account_restart(void **state)
{
	struct ev_account a;
	struct ev_gap g;

	(void)state;
	ev_account_init(&a);
	ev_account_stream(&a, true, 0);
	assert_int_equal(feed(&a, 1, &g), EV_NEXT);
	assert_int_equal(feed(&a, 2, &g), EV_NEXT);
	assert_int_equal(feed(&a, 3, &g), EV_NEXT);
	/* The module was unloaded and loaded again: numbers restart. */
	ev_account_stream(&a, true, 0);
	assert_int_equal(feed(&a, 1, &g), EV_NEXT);
	assert_int_equal(feed(&a, 2, &g), EV_NEXT);
	assert_int_equal(a.received, 5);
	assert_int_equal(a.lost, 0);
	assert_int_equal(a.streams, 2);
	/* Loaded again and busy before we subscribed: a start gap. */
	ev_account_stream(&a, true, 0);
	assert_int_equal(feed(&a, 4, &g), EV_GAP);
	assert_int_equal(g.cause, EV_GAP_START);
	assert_int_equal(a.lost, 3);
	/* Without a count read, the first event starts the stream. */
	ev_account_stream(&a, false, 0);
	assert_int_equal(feed(&a, 9, &g), EV_NEXT);
	assert_int_equal(a.lost, 3);
	/* A duplicate is neither counted nor a restart. */
	assert_int_equal(feed(&a, 9, &g), EV_STRAY);
	assert_int_equal(feed(&a, 10, &g), EV_NEXT);
	assert_int_equal(a.received, 8);
	assert_int_equal(a.stray, 1);
}

static void test_account_late(void **state)
{
	struct ev_account a;
	struct ev_gap g;

	(void)state;
	ev_account_init(&a);
	ev_account_stream(&a, true, 0);
	assert_int_equal(feed(&a, 1, &g), EV_NEXT);
	assert_int_equal(feed(&a, 10, &g), EV_GAP);	/* 2..9 */
	assert_int_equal(a.lost, 8);
	/* Arrivals inside the gap, in every position: middle splits it. */
	assert_int_equal(feed(&a, 5, &g), EV_LATE);
	assert_int_equal(feed(&a, 2, &g), EV_LATE);
	assert_int_equal(feed(&a, 9, &g), EV_LATE);
	assert_int_equal(feed(&a, 7, &g), EV_LATE);
	assert_int_equal(feed(&a, 7, &g), EV_STRAY);	/* twice */
	assert_int_equal(a.lost, 4);			/* 3, 4, 6, 8 */
	assert_int_equal(a.late, 4);
	assert_int_equal(a.received, 6);
	assert_int_equal(feed(&a, 3, &g), EV_LATE);
	assert_int_equal(feed(&a, 4, &g), EV_LATE);
	assert_int_equal(feed(&a, 6, &g), EV_LATE);
	assert_int_equal(feed(&a, 8, &g), EV_LATE);
	assert_int_equal(a.lost, 0);
	assert_int_equal(a.nholes, 0);
	assert_int_equal(a.received, 10);

	/* Remembered gaps are bounded; the oldest are forgotten. */
	ev_account_stream(&a, true, 0);
	{
		uint64_t seq;

		for (seq = 2; seq < 2 + 2 * (EV_HOLES_MAX + 5); seq += 2)
			assert_int_equal(feed(&a, seq, &g), EV_GAP);
		assert_int_equal(a.nholes, EV_HOLES_MAX);
		assert_int_equal(feed(&a, 1, &g), EV_STRAY);
		assert_int_equal(feed(&a, seq - 3, &g), EV_LATE);
		/* Splitting a gap when the list is full. */
		assert_int_equal(feed(&a, 2 * (EV_HOLES_MAX + 5) + 50, &g),
				 EV_GAP);
		assert_int_equal(feed(&a, 2 * (EV_HOLES_MAX + 5) + 20, &g),
				 EV_LATE);
		assert_true(a.nholes <= EV_HOLES_MAX);
	}
}

/*
 * A lossy run, modelled on the real path: the "kernel" numbers every event
 * and drops some itself (kernel_lost); the others go into a bounded socket
 * queue, which drops when full and then reports ENOBUFS to the reader's
 * next recv(), before the messages still queued ahead of the drop. The
 * reader drains the queue at random times. Now and then an event is held
 * back and sent after the next one (arrives late). Whatever happens: each
 * gap is exactly numbers never received, the first gap after an ENOBUFS
 * says "socket", and at the end received + lost = generated.
 */
struct sim {
	struct ev_account	a;
	uint64_t		base;
	uint64_t		queue[16];
	size_t			head, len;
	bool			enobufs;	/* pending for the next recv */
	bool			overrun;	/* reported, no gap since */
	uint64_t		got, gap_sum;
	uint8_t			*seen;		/* by seq - base */
};

static void sim_read(struct sim *s, unsigned int *seed)
{
	size_t n = rand_r(seed) % (s->len + 1);
	struct ev_gap g;

	if (s->enobufs) {
		ev_account_overrun(&s->a);
		s->enobufs = false;
		s->overrun = true;
	}
	while (n--) {
		uint64_t seq = s->queue[s->head];
		enum ev_verdict v;

		s->head = (s->head + 1) % 16;
		s->len--;
		v = feed(&s->a, seq, &g);
		if (v == EV_GAP) {
			uint64_t i;

			for (i = g.from; i <= g.to; i++)
				assert_false(s->seen[i - s->base]);
			assert_int_equal(g.to, seq - 1);
			assert_int_equal(g.cause,
					 s->overrun ? EV_GAP_SOCKET :
					 s->a.stream_received == 1 ?
					 EV_GAP_START : EV_GAP_KERNEL);
			s->overrun = false;
			s->gap_sum += g.to - g.from + 1;
		} else if (v == EV_LATE) {
			s->gap_sum--;
		} else {
			assert_int_equal(v, EV_NEXT);
		}
		assert_false(s->seen[seq - s->base]);
		s->seen[seq - s->base] = 1;
		s->got++;
	}
}

static void sim_send(struct sim *s, uint64_t seq)
{
	if (s->len == 16) {		/* the socket overruns */
		s->enobufs = true;
		return;
	}
	s->queue[(s->head + s->len++) % 16] = seq;
}

static void test_account_simulated_run(void **state)
{
	enum { N = 50000 };
	unsigned int seed = 7;
	int round;

	(void)state;
	for (round = 0; round < 20; round++) {
		struct sim s = { .base = rand_r(&seed) % 1000 };
		uint64_t seq, kernel = 0, held = 0;
		struct ev_gap g;

		s.seen = calloc(N + 1, 1);
		assert_non_null(s.seen);
		ev_account_init(&s.a);
		ev_account_stream(&s.a, true, s.base);
		for (seq = s.base + 1; seq <= s.base + N; seq++) {
			unsigned int r = rand_r(&seed) % 1000;

			if (r < 10) {		/* the kernel could not queue it */
				ev_account_kernel_lost(&s.a, ++kernel);
			} else if (r < 15 && !held) {
				held = seq;	/* sent after the next one */
			} else {
				sim_send(&s, seq);
				if (held) {
					sim_send(&s, held);
					held = 0;
				}
			}
			if (r % 3 == 0)
				sim_read(&s, &seed);
		}
		if (held)
			sim_send(&s, held);
		while (s.len || s.enobufs)
			sim_read(&s, &seed);
		if (ev_account_finish(&s.a, s.base + N, &g))
			s.gap_sum += g.to - g.from + 1;
		assert_int_equal(s.a.received, s.got);
		assert_int_equal(s.a.lost, s.gap_sum);
		assert_int_equal(s.a.received + s.a.lost, N);
		assert_int_equal(s.a.kernel_lost, kernel);
		assert_true(s.a.lost >= kernel);
		assert_int_equal(s.a.stray, 0);
		assert_int_equal(s.a.early, 0);
		free(s.seen);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_bytes),
		cmocka_unit_test(test_escape_round_trip),
		cmocka_unit_test(test_escape_quotes_and_decode_errors),
		cmocka_unit_test(test_decode_full),
		cmocka_unit_test(test_decode_ipv6_and_unknown_attrs),
		cmocka_unit_test(test_decode_malformed),
		cmocka_unit_test(test_decode_framing),
		cmocka_unit_test(test_text_full),
		cmocka_unit_test(test_text_minimal_and_names),
		cmocka_unit_test(test_text_hostile),
		cmocka_unit_test(test_text_empty_and_long),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_records),
		cmocka_unit_test(test_ctrl_family),
		cmocka_unit_test(test_account_in_order_and_gaps),
		cmocka_unit_test(test_account_start_and_finish),
		cmocka_unit_test(test_account_restart),
		cmocka_unit_test(test_account_late),
		cmocka_unit_test(test_account_simulated_run),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
