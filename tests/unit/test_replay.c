// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * sgctl replay without the command line: captures read into flows
 * (ctl/pcapflow.c) and decided with the module's tables and classifiers
 * (ctl/decide.c).
 *
 *  - the captures of tests/captures/replay (real clients on loopback, see
 *    make-captures there) decided by a test policy: allowed and denied by
 *    HTTP host, TLS SNI, DNS qname (each query of a socket on its own),
 *    SSH against HTTP and unrecognised bytes on the SSH port, plain L4
 *    rules, Ethernet, Linux cooked v1 and v2 and raw IP link types;
 *  - the module's decision order: L4 rules first, then the application
 *    rules in policy order; "app unclassified"; the hold limits;
 *  - stream reassembly on captures built here: a ClientHello split over
 *    two segments, in order, reordered, retransmitted, with a hole, with
 *    no SYN in the capture;
 *  - flow keying: both directions, the SYN's side opens, idle timeouts,
 *    ports reused after a close;
 *  - malformed captures: unknown link type, a file cut inside a record,
 *    not a capture, packets cut by the snapshot length in their headers or
 *    payload, malformed IP, fragments, ICMP errors, neighbour discovery;
 *  - records: hostile ALPN ids and SSH comments cannot forge a line or a
 *    field, in text or JSON.
 *
 * Links ctl/pcapflow.c, ctl/decide.c, ctl/event.c, ctl/escape.c,
 * ctl/policy*.c, the .c files of kmod/core and kmod/core/l7; libpcap,
 * json-c.
 * The captures are read from ../captures/replay (the test runs in
 * tests/unit), or from $SGW_REPLAY_CAPTURES.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <json-c/json.h>
#include <cmocka.h>

#include "decide.h"
#include "escape.h"
#include "pcapflow.h"
#include "policy.h"
#include "l7_samples.h"

/* The addresses of make-captures; line numbers matter below. */
static const char TEST_POLICY[] =
	"segment web  10.10.1.0/24, fd00:1::/64\n"			/* 1 */
	"segment ops  10.10.9.5\n"					/* 2 */
	"segment www  10.10.3.10, fd00:3::10\n"				/* 3 */
	"segment db   10.10.2.7\n"					/* 4 */
	"segment dns  10.10.4.53\n"					/* 5 */
	"allow web -> www tcp 80 app http host shop.example.com\n"	/* 6 */
	"allow web -> www tcp 443 app tls sni shop.example.com\n"	/* 7 */
	"allow web -> dns udp 53 app dns qname *.corp.example\n"	/* 8 */
	"allow web -> dns tcp 53 app dns qname *.corp.example\n"	/* 9 */
	"allow ops -> db tcp 22 app ssh\n"				/* 10 */
	"allow ops -> www icmp\n";					/* 11 */

/* A capture, a policy and every flow's verdict. */
struct run {
	struct pf_capture	c;
	struct policy		p;
	struct decider		*d;
	struct flow_verdict	*v;
};

static void run_decide(struct run *r, const char *policy)
{
	struct policy_error err;
	size_t i;

	r->d = NULL;
	memset(&r->p, 0, sizeof(r->p));
	if (policy) {
		if (policy_parse(policy, strlen(policy), &r->p, &err))
			fail_msg("policy:%u:%u: %s", err.line, err.col,
				 err.msg);
		assert_int_equal(decider_build(&r->p, &r->d), 0);
	}
	r->v = calloc(r->c.nflows + 1, sizeof(*r->v));
	assert_non_null(r->v);
	for (i = 0; i < r->c.nflows; i++)
		decide_flow(r->d, r->c.flows[i], &r->v[i]);
}

static void run_capture(struct run *r, const char *name, const char *policy)
{
	const char *dir = getenv("SGW_REPLAY_CAPTURES");
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "../captures/replay",
		 name);
	if (pcapflow_read_file(path, &r->c))
		fail_msg("%s: %s", path, r->c.error);
	assert_false(r->c.incomplete);
	run_decide(r, policy);
}

static void run_free(struct run *r)
{
	free(r->v);
	pcapflow_free(&r->c);
	decider_free(r->d);
	policy_free(&r->p);
}

/* The policy line of rule @line, checked to be that rule's id too. */
static void assert_allowed(const struct run *r, const struct replay_decision *d,
			   unsigned int line)
{
	size_t i;

	assert_true(d->rule >= 0);
	assert_int_equal(d->reason, SGW_R_ALLOW);
	assert_int_equal(d->line, line);
	for (i = 0; i < r->p.nrules; i++)
		if (r->p.rules[i].line == line)
			break;
	assert_true(i < r->p.nrules);
	assert_int_equal(d->rule, (int32_t)i);
	assert_int_equal(d->rule_id, r->p.rules[i].id);
}

static void assert_denied(const struct replay_decision *d, uint8_t reason)
{
	assert_int_equal(d->rule, -1);
	assert_int_equal(d->rule_id, 0);
	assert_int_equal(d->reason, reason);
}

/* The flow whose classification names @name (host, SNI, first qname,
 * SSH software), of @family (0: any).
 */
static size_t find(const struct run *r, const char *name, uint8_t family)
{
	size_t i, found = SIZE_MAX;

	for (i = 0; i < r->c.nflows; i++) {
		const struct sgw_l7_result *res = &r->v[i].res;
		const char *s = NULL;

		if (family && r->c.flows[i]->family != family)
			continue;
		if (res->status != SGW_L7_MATCH)
			continue;
		switch (res->app) {
		case SGW_APP_HTTP: s = res->http.host; break;
		case SGW_APP_TLS: s = res->tls.sni; break;
		case SGW_APP_DNS: s = res->dns.q[0].name; break;
		case SGW_APP_SSH: s = res->ssh.software; break;
		}
		if (s && !strcmp(s, name)) {
			assert_int_equal(found, SIZE_MAX);	/* one only */
			found = i;
		}
	}
	if (found == SIZE_MAX)
		fail_msg("no flow for %s", name);
	return found;
}

/* The policy file beside the captures is the one tested here. */
static void test_policy_file(void **state)
{
	const char *dir = getenv("SGW_REPLAY_CAPTURES");
	char path[512], text[sizeof(TEST_POLICY) + 1];
	size_t n;
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/policy.conf",
		 dir ? dir : "../captures/replay");
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(text, 1, sizeof(text), f);
	fclose(f);
	assert_int_equal(n, strlen(TEST_POLICY));
	assert_memory_equal(text, TEST_POLICY, n);
}

static void test_capture_http(void **state)
{
	const struct pf_flow *f;
	struct run r;
	size_t i;

	(void)state;
	run_capture(&r, "http.pcap", TEST_POLICY);
	assert_int_equal(r.c.nflows, 4);
	assert_int_equal(r.c.linktype, 1);
	for (i = 0; i < __PF_SKIP_MAX; i++)
		assert_int_equal(r.c.skipped[i], 0);
	for (i = 0; i < r.c.nflows; i++) {
		f = r.c.flows[i];
		assert_int_equal(f->proto, IPPROTO_TCP);
		assert_int_equal(f->port[1], 80);
		assert_int_equal(r.v[i].res.app, SGW_APP_HTTP);
		assert_true(r.v[i].by_l7);
		assert_int_equal(r.v[i].d.src_seg, 1);
		assert_int_equal(r.v[i].d.dst_seg, 3);
	}

	/* Allowed by its Host, over IPv4 and IPv6; a POST too. */
	i = find(&r, "admin.example.com", AF_INET);
	assert_denied(&r.v[i].d, SGW_R_L7_MISMATCH);
	i = find(&r, "shop.example.com", AF_INET6);
	assert_allowed(&r, &r.v[i].d, 6);
	for (i = 0; i < r.c.nflows; i++) {
		const struct sgw_l7_http *h = &r.v[i].res.http;

		if (strcmp(h->host, "shop.example.com"))
			continue;
		assert_allowed(&r, &r.v[i].d, 6);
		assert_true(!strcmp(h->method, "GET") ||
			    (!strcmp(h->method, "POST") &&
			     !strcmp(h->path, "/api/items")));
	}
	/* The whole request head came in one segment. */
	f = r.c.flows[0];
	assert_int_equal(r.v[0].l7_packets, 1);
	assert_int_equal(r.v[0].l7_bytes, f->prefix_len);
	assert_memory_equal(f->prefix, "GET /index.html HTTP/1.1\r\n", 26);
	assert_true(f->packets[0] >= 5 && f->packets[1] >= 4);
	run_free(&r);
}

static void test_capture_tls(void **state)
{
	struct run r;
	size_t i, nosni = SIZE_MAX;

	(void)state;
	run_capture(&r, "tls.pcap", TEST_POLICY);
	assert_int_equal(r.c.nflows, 4);
	assert_allowed(&r, &r.v[find(&r, "shop.example.com", AF_INET)].d, 7);
	assert_allowed(&r, &r.v[find(&r, "shop.example.com", AF_INET6)].d, 7);
	i = find(&r, "evil.example.net", 0);
	assert_denied(&r.v[i].d, SGW_R_L7_MISMATCH);
	/* curl to an address sends no SNI: a plain "tls sni" rule wants one */
	for (i = 0; i < r.c.nflows; i++)
		if (r.v[i].res.app == SGW_APP_TLS &&
		    !(r.v[i].res.tls.flags & SGW_L7_TLS_F_SNI))
			nosni = i;
	assert_int_not_equal(nosni, SIZE_MAX);
	assert_int_equal(r.v[nosni].res.status, SGW_L7_MATCH);
	assert_denied(&r.v[nosni].d, SGW_R_L7_MISMATCH);
	/* The server's certificate does not count as client bytes. */
	for (i = 0; i < r.c.nflows; i++) {
		assert_int_equal(r.v[i].l7_packets, 1);
		assert_true(r.c.flows[i]->bytes[1] > r.c.flows[i]->bytes[0]);
	}
	run_free(&r);
}

static void test_capture_dns(void **state)
{
	struct dgram_verdict dv;
	struct run r;
	size_t i;

	(void)state;
	run_capture(&r, "dns.pcap", TEST_POLICY);
	assert_int_equal(r.c.nflows, 4);

	i = find(&r, "www.corp.example", 0);
	assert_int_equal(r.c.flows[i]->proto, IPPROTO_UDP);
	assert_allowed(&r, &r.v[i].d, 8);
	assert_int_equal(r.v[i].dgrams_denied, 0);

	i = find(&r, "ads.tracker.example", 0);
	assert_denied(&r.v[i].d, SGW_R_L7_MISMATCH);
	assert_int_equal(r.v[i].dgrams_denied, 1);

	/* One socket asks an allowed name, then a denied one: the flow is
	 * allowed by its first query, and the second query is denied alone.
	 */
	i = find(&r, "mail.corp.example", 0);
	assert_int_equal(r.c.flows[i]->ndgrams, 2);
	assert_allowed(&r, &r.v[i].d, 8);
	assert_int_equal(r.v[i].dgrams_listed, 1);
	assert_int_equal(r.v[i].dgrams_denied, 1);
	assert_true(decide_datagram(r.d, r.c.flows[i], &r.v[i], 1, &dv));
	assert_int_equal(dv.index, 2);
	assert_true(dv.decided);
	assert_string_equal(dv.res.dns.q[0].name, "x.tracker.example");
	assert_denied(&dv.d, SGW_R_L7_MISMATCH);
	assert_false(decide_datagram(r.d, r.c.flows[i], &r.v[i], 2, &dv));

	/* DNS over TCP, port 53: the rule for tcp. */
	i = find(&r, "db.corp.example", 0);
	assert_int_equal(r.c.flows[i]->proto, IPPROTO_TCP);
	assert_allowed(&r, &r.v[i].d, 9);
	run_free(&r);
}

static void test_capture_ssh(void **state)
{
	struct run r;
	size_t i, n_http = 0, n_other = 0;

	(void)state;
	run_capture(&r, "ssh.pcap", TEST_POLICY);
	assert_int_equal(r.c.nflows, 3);
	for (i = 0; i < r.c.nflows; i++) {
		const struct flow_verdict *v = &r.v[i];

		assert_int_equal(r.c.flows[i]->port[1], 22);
		assert_int_equal(v->d.src_seg, 2);
		assert_int_equal(v->d.dst_seg, 4);
		if (v->res.status == SGW_L7_MATCH &&
		    v->res.app == SGW_APP_SSH) {
			assert_allowed(&r, &v->d, 10);
			assert_memory_equal(v->res.ssh.software, "OpenSSH_", 8);
		} else if (v->res.status == SGW_L7_MATCH) {
			/* curl to port 22: HTTP, not SSH */
			assert_int_equal(v->res.app, SGW_APP_HTTP);
			assert_denied(&v->d, SGW_R_L7_MISMATCH);
			n_http++;
		} else {
			/* "hello": not recognised */
			assert_int_equal(v->res.status, SGW_L7_NOT_THIS);
			assert_denied(&v->d, SGW_R_UNCLASSIFIED);
			n_other++;
		}
	}
	assert_int_equal(n_http, 1);
	assert_int_equal(n_other, 1);
	run_free(&r);
}

/* Linux cooked v1 and v2, raw IP: the same flows as on Ethernet. */
static void test_capture_linktypes(void **state)
{
	static const char *const cooked[] = { "sll.pcap", "sll2.pcap" };
	struct run r;
	size_t k, i;

	(void)state;
	for (k = 0; k < 2; k++) {
		run_capture(&r, cooked[k], TEST_POLICY);
		assert_int_equal(r.c.linktype, k ? 276 : 113);
		assert_int_equal(r.c.nflows, 2);
		for (i = 0; i < 2; i++) {
			const struct pf_flow *f = r.c.flows[i];

			if (f->proto == IPPROTO_ICMP) {
				/* echo: the identifier in both ports */
				assert_int_equal(f->port[0], f->port[1]);
				assert_int_equal(f->packets[0], 1);
				assert_int_equal(f->packets[1], 1);
				assert_allowed(&r, &r.v[i].d, 11);
				assert_false(r.v[i].by_l7);
				assert_false(r.v[i].classified);
			} else {
				/* ops -> www port 80: no rule, no app rule */
				assert_int_equal(f->proto, IPPROTO_TCP);
				assert_string_equal(r.v[i].res.http.host,
						    "shop.example.com");
				assert_denied(&r.v[i].d, SGW_R_DEFAULT_DENY);
				assert_false(r.v[i].by_l7);
				assert_false(r.v[i].d.need_l7);
			}
		}
		run_free(&r);
	}
	run_capture(&r, "raw.pcap", TEST_POLICY);
	assert_int_equal(r.c.nflows, 4);
	assert_denied(&r.v[find(&r, "admin.example.com", 0)].d,
		      SGW_R_L7_MISMATCH);
	assert_allowed(&r, &r.v[find(&r, "shop.example.com", AF_INET6)].d, 6);
	run_free(&r);
}

/* A ClientHello written in two segments 100 ms apart, then reordered. */
static void test_capture_split(void **state)
{
	static const char *const names[] = { "split.pcap",
					     "split-reorder.pcap" };
	struct run r;
	size_t k;

	(void)state;
	for (k = 0; k < 2; k++) {
		const struct pf_flow *f;

		run_capture(&r, names[k], TEST_POLICY);
		assert_int_equal(r.c.nflows, 1);
		f = r.c.flows[0];
		assert_int_equal(f->npieces, 2);
		assert_int_equal(f->piece_end[0], 60);
		assert_int_equal(f->prefix_len, f->piece_end[1]);
		assert_false(f->gap);
		/* 60 bytes are not a ClientHello yet; both are */
		assert_int_equal(r.v[0].l7_packets, 2);
		assert_int_equal(r.v[0].l7_bytes, f->prefix_len);
		assert_int_equal(r.v[0].res.status, SGW_L7_MATCH);
		assert_string_equal(r.v[0].res.tls.sni, "shop.example.com");
		assert_allowed(&r, &r.v[0].d, 7);
		/* the retransmission counts as sent, not as stream */
		assert_int_equal(f->client_payload,
				 f->prefix_len + (k ? 60 : 0));
		run_free(&r);
	}
}

/* Cut by the snapshot length: the request's bytes past 80 are a hole. */
static void test_capture_snaplen(void **state)
{
	struct run r;

	(void)state;
	run_capture(&r, "snaplen.pcap", TEST_POLICY);
	assert_int_equal(r.c.nflows, 1);
	assert_true(r.c.flows[0]->pkts_cut >= 1);
	assert_true(r.c.flows[0]->prefix_len < r.c.flows[0]->client_payload);
	assert_int_equal(r.v[0].res.status, SGW_L7_NEED_MORE);
	assert_denied(&r.v[0].d, SGW_R_UNCLASSIFIED);
	run_free(&r);
}

/*
 * The module decides on L4 first: a plain rule that allows the flow wins
 * over an application rule above it, and nothing is classified.
 */
static void test_order_l4_first(void **state)
{
	struct run r;
	size_t i;

	(void)state;
	run_capture(&r, "tls.pcap",
		    "segment web 10.10.1.0/24, fd00:1::/64\n"
		    "segment www 10.10.3.10, fd00:3::10\n"
		    "allow web -> www tcp 443 app tls sni shop.example.com\n"
		    "allow web -> www tcp 443\n");
	for (i = 0; i < r.c.nflows; i++) {
		assert_allowed(&r, &r.v[i].d, 4);
		assert_false(r.v[i].by_l7);
	}
	run_free(&r);
}

/* Application rules: the first that matches, in policy order. */
static void test_order_candidates(void **state)
{
	static const char *const policies[] = {
		"segment web 10.10.1.0/24, fd00:1::/64\n"
		"segment www 10.10.3.10, fd00:3::10\n"
		"allow web -> www tcp 443 app tls sni *.example.net\n"
		"allow any -> www tcp 443 app tls sni shop.example.com\n"
		"allow web -> any tcp 400-500 app tls\n",
		"segment web 10.10.1.0/24, fd00:1::/64\n"
		"segment www 10.10.3.10, fd00:3::10\n"
		"allow web -> any tcp 400-500 app tls\n"
		"allow any -> www tcp 443 app tls sni shop.example.com\n"
		"allow web -> www tcp 443 app tls sni *.example.net\n",
	};
	struct run r;
	size_t i;

	(void)state;
	run_capture(&r, "tls.pcap", policies[0]);
	assert_allowed(&r, &r.v[find(&r, "evil.example.net", 0)].d, 3);
	assert_allowed(&r, &r.v[find(&r, "shop.example.com", AF_INET)].d, 4);
	assert_allowed(&r, &r.v[find(&r, "shop.example.com", AF_INET6)].d,
		       4);
	/* no SNI: "app tls" alone wants one too (no nosni flag) */
	for (i = 0; i < r.c.nflows; i++)
		if (!(r.v[i].res.tls.flags & SGW_L7_TLS_F_SNI))
			assert_denied(&r.v[i].d, SGW_R_L7_MISMATCH);
	run_free(&r);

	run_capture(&r, "tls.pcap", policies[1]);
	assert_allowed(&r, &r.v[find(&r, "evil.example.net", 0)].d, 3);
	assert_allowed(&r, &r.v[find(&r, "shop.example.com", AF_INET)].d, 3);
	run_free(&r);
}

/* "app unclassified": what no classifier recognised, nothing else. */
static void test_unclassified_rule(void **state)
{
	static const char policy[] =
		"segment ops  10.10.9.5\n"
		"segment db   10.10.2.7\n"
		"segment web  10.10.1.0/24\n"
		"segment www  10.10.3.10\n"
		"allow ops -> db tcp 22 app ssh\n"
		"allow ops -> db tcp 22 app unclassified\n"
		"allow web -> www tcp 80 app unclassified\n";
	struct run r;
	size_t i;

	(void)state;
	run_capture(&r, "ssh.pcap", policy);
	for (i = 0; i < r.c.nflows; i++) {
		const struct flow_verdict *v = &r.v[i];

		if (v->res.status != SGW_L7_MATCH)
			assert_allowed(&r, &v->d, 6);
		else if (v->res.app == SGW_APP_SSH)
			assert_allowed(&r, &v->d, 5);
		else
			assert_denied(&v->d, SGW_R_L7_MISMATCH);
	}
	run_free(&r);
	/* Never recognised in time counts as unclassified too. */
	run_capture(&r, "snaplen.pcap", policy);
	assert_allowed(&r, &r.v[0].d, 7);
	run_free(&r);
}

/* Without a policy: classification only. */
static void test_no_policy(void **state)
{
	struct dgram_verdict dv;
	struct record rec;
	struct run r;
	char *text;
	size_t i;

	(void)state;
	run_capture(&r, "dns.pcap", NULL);
	assert_false(r.v[0].decided);
	assert_false(r.v[0].by_l7);
	assert_true(r.v[0].classified);
	assert_int_equal(r.v[0].res.app, SGW_APP_DNS);
	/* the second query of the two-query socket is listed, undecided */
	i = find(&r, "mail.corp.example", 0);
	assert_int_equal(r.v[i].dgrams_listed, 1);
	assert_true(decide_datagram(NULL, r.c.flows[i], &r.v[i], 1, &dv));
	assert_false(dv.decided);
	assert_string_equal(dv.res.dns.q[0].name, "x.tracker.example");
	flow_record(&rec, r.c.flows[0], &r.v[0], NULL);
	text = record_text(&rec);
	assert_non_null(text);
	assert_null(strstr(text, "verdict="));
	assert_non_null(strstr(text, " app=dns l7=match qname=www.corp.example "));
	free(text);
	run_free(&r);
}

/* Captures built here. */

struct pcapw {
	uint8_t		*buf;
	size_t		n;
	size_t		cap;
	uint64_t	t;	/* ns of the next record */
};

static void pw_put(struct pcapw *w, const void *p, size_t n)
{
	if (w->n + n > w->cap) {
		w->cap = (w->n + n) * 2;
		w->buf = realloc(w->buf, w->cap);
		assert_non_null(w->buf);
	}
	memcpy(w->buf + w->n, p, n);
	w->n += n;
}

static void pw_u32(struct pcapw *w, uint32_t v)
{
	pw_put(w, &v, 4);	/* the file's byte order: ours */
}

/* A pcap with nanosecond timestamps. */
static void pw_begin(struct pcapw *w, uint32_t linktype)
{
	uint16_t v[2] = { 2, 4 };

	memset(w, 0, sizeof(*w));
	w->t = 1700000000ULL * 1000000000ULL;
	pw_u32(w, 0xa1b23c4d);
	pw_put(w, v, 4);
	pw_u32(w, 0);
	pw_u32(w, 0);
	pw_u32(w, 262144);
	pw_u32(w, linktype);
}

static void pw_record(struct pcapw *w, const void *frame, size_t caplen,
		      size_t len)
{
	pw_u32(w, w->t / 1000000000ULL);
	pw_u32(w, w->t % 1000000000ULL);
	pw_u32(w, caplen);
	pw_u32(w, len);
	pw_put(w, frame, caplen);
	w->t += 1000000;	/* 1 ms */
}

static int pw_read(struct pcapw *w, struct pf_capture *c)
{
	FILE *f = fmemopen(w->buf, w->n, "rb");
	int ret;

	assert_non_null(f);
	ret = pcapflow_read_stream(f, c);
	free(w->buf);
	w->buf = NULL;
	return ret;
}

enum { FRAME_MAX = 70000 };

struct endpoint {
	uint8_t		family;
	uint8_t		addr[16];
	uint16_t	port;
};

static const struct endpoint CLIENT = { AF_INET, { 10, 10, 1, 5 }, 40000 };
static const struct endpoint SERVER = { AF_INET, { 10, 10, 3, 10 }, 443 };
static const struct endpoint CLIENT6 = { AF_INET6,
	{ 0xfd, 0, 0, 1, [15] = 5 }, 40000 };
static const struct endpoint SERVER6 = { AF_INET6,
	{ 0xfd, 0, 0, 3, [15] = 0x10 }, 53 };

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

/*
 * An Ethernet frame with an IP packet from @s to @d of protocol @proto,
 * whose transport header and payload are @l4 (@n bytes). Returns its
 * length.
 */
static size_t frame(uint8_t *fr, const struct endpoint *s,
		    const struct endpoint *d, uint8_t proto,
		    const uint8_t *l4, size_t n)
{
	size_t ip = 14;

	memset(fr, 0, 14);
	if (s->family == AF_INET) {
		put16(fr + 12, 0x0800);
		memset(fr + ip, 0, 20);
		fr[ip] = 0x45;
		put16(fr + ip + 2, 20 + n);
		fr[ip + 8] = 64;
		fr[ip + 9] = proto;
		memcpy(fr + ip + 12, s->addr, 4);
		memcpy(fr + ip + 16, d->addr, 4);
		memcpy(fr + ip + 20, l4, n);
		return ip + 20 + n;
	}
	put16(fr + 12, 0x86dd);
	memset(fr + ip, 0, 40);
	fr[ip] = 0x60;
	put16(fr + ip + 4, n);
	fr[ip + 6] = proto;
	fr[ip + 7] = 64;
	memcpy(fr + ip + 8, s->addr, 16);
	memcpy(fr + ip + 24, d->addr, 16);
	memcpy(fr + ip + 40, l4, n);
	return ip + 40 + n;
}

enum { FIN = 1, SYN = 2, RST = 4, PSH = 8, ACK = 16 };

static void tcp(struct pcapw *w, const struct endpoint *s,
		const struct endpoint *d, uint8_t flags, uint32_t seq,
		const void *payload, size_t n)
{
	static uint8_t l4[FRAME_MAX], fr[FRAME_MAX];
	size_t len;

	memset(l4, 0, 20);
	put16(l4, s->port);
	put16(l4 + 2, d->port);
	put32(l4 + 4, seq);
	l4[12] = 5 << 4;
	l4[13] = flags;
	put16(l4 + 14, 65535);
	if (n)
		memcpy(l4 + 20, payload, n);
	len = frame(fr, s, d, IPPROTO_TCP, l4, 20 + n);
	pw_record(w, fr, len, len);
}

static void udp(struct pcapw *w, const struct endpoint *s,
		const struct endpoint *d, const void *payload, size_t n)
{
	static uint8_t l4[FRAME_MAX], fr[FRAME_MAX];
	size_t len;

	put16(l4, s->port);
	put16(l4 + 2, d->port);
	put16(l4 + 4, 8 + n);
	put16(l4 + 6, 0);
	memcpy(l4 + 8, payload, n);
	len = frame(fr, s, d, IPPROTO_UDP, l4, 8 + n);
	pw_record(w, fr, len, len);
}

enum { ISN = 0xfffffff0 };	/* the stream's sequence numbers wrap */

/* A handshake from CLIENT to @server: the stream starts at ISN + 1. */
static void handshake(struct pcapw *w, const struct endpoint *server)
{
	tcp(w, &CLIENT, server, SYN, ISN, NULL, 0);
	tcp(w, server, &CLIENT, SYN | ACK, 7000, NULL, 0);
	tcp(w, &CLIENT, server, ACK, ISN + 1, NULL, 0);
}

/* Read @w, decide its one flow by the TLS policy of TEST_POLICY. */
static void run_built(struct run *r, struct pcapw *w, const char *policy)
{
	assert_int_equal(pw_read(w, &r->c), 0);
	run_decide(r, policy);
}

static void assert_hello(const struct run *r, size_t i, uint32_t pieces)
{
	const struct pf_flow *f = r->c.flows[i];

	assert_int_equal(f->prefix_len, sizeof(sample_tls_curl));
	assert_memory_equal(f->prefix, sample_tls_curl,
			    sizeof(sample_tls_curl));
	assert_int_equal(f->npieces, pieces);
	assert_int_equal(r->v[i].res.status, SGW_L7_MATCH);
	assert_string_equal(r->v[i].res.tls.sni, "shop.example.com");
	assert_allowed(r, &r->v[i].d, 7);
	assert_int_equal(r->v[i].l7_packets, pieces);
}

static void test_split_in_order(void **state)
{
	const uint8_t *h = sample_tls_curl;
	struct pcapw w;
	struct run r;

	(void)state;
	pw_begin(&w, 1);
	handshake(&w, &SERVER);
	tcp(&w, &CLIENT, &SERVER, PSH | ACK, ISN + 1, h, 100);
	tcp(&w, &SERVER, &CLIENT, ACK, 7001, NULL, 0);
	tcp(&w, &CLIENT, &SERVER, PSH | ACK, ISN + 101, h + 100,
	    sizeof(sample_tls_curl) - 100);
	run_built(&r, &w, TEST_POLICY);
	assert_int_equal(r.c.nflows, 1);
	assert_hello(&r, 0, 2);
	assert_int_equal(r.c.flows[0]->piece_end[0], 100);
	assert_int_equal(r.c.flows[0]->packets[0], 4);
	assert_int_equal(r.c.flows[0]->packets[1], 2);
	run_free(&r);
}

/* Out of order, retransmitted whole and in part: placed by sequence. */
static void test_split_reordered(void **state)
{
	const uint8_t *h = sample_tls_curl;
	size_t n = sizeof(sample_tls_curl);
	uint8_t wrong[517];
	struct pcapw w;
	struct run r;

	(void)state;
	memset(wrong, 'x', sizeof(wrong));
	pw_begin(&w, 1);
	handshake(&w, &SERVER);
	tcp(&w, &CLIENT, &SERVER, PSH | ACK, ISN + 201, h + 200, n - 200);
	tcp(&w, &CLIENT, &SERVER, PSH | ACK, ISN + 1, h, 100);
	tcp(&w, &CLIENT, &SERVER, PSH | ACK, ISN + 1, h, 100);
	/* overlaps both: its bytes 100..200 fill the hole */
	tcp(&w, &CLIENT, &SERVER, PSH | ACK, ISN + 51, h + 50, 250);
	/* later copies of bytes already seen do not replace them */
	tcp(&w, &CLIENT, &SERVER, PSH | ACK, ISN + 11, wrong, 240);
	run_built(&r, &w, TEST_POLICY);
	/* pieces in sequence order: 0-100, 10-250, 50-300, 200-517 */
	assert_hello(&r, 0, 4);
	assert_int_equal(r.c.flows[0]->piece_end[0], 100);
	assert_int_equal(r.c.flows[0]->piece_end[1], 250);
	assert_int_equal(r.c.flows[0]->piece_end[2], 300);
	assert_int_equal(r.c.flows[0]->client_payload,
			 (n - 200) + 100 + 100 + 250 + 240);
	run_free(&r);
}

/* A segment never captured: the stream stops before it. */
static void test_split_hole(void **state)
{
	const uint8_t *h = sample_tls_curl;
	struct pcapw w;
	struct run r;

	(void)state;
	pw_begin(&w, 1);
	handshake(&w, &SERVER);
	tcp(&w, &CLIENT, &SERVER, PSH | ACK, ISN + 101, h + 100,
	    sizeof(sample_tls_curl) - 100);
	run_built(&r, &w, TEST_POLICY);
	assert_true(r.c.flows[0]->gap);
	assert_int_equal(r.c.flows[0]->prefix_len, 0);
	assert_int_equal(r.v[0].res.status, SGW_L7_NEED_MORE);
	assert_denied(&r.v[0].d, SGW_R_UNCLASSIFIED);
	run_free(&r);
}

/* No SYN in the capture: the stream starts at the lowest sequence. */
static void test_split_no_syn(void **state)
{
	const uint8_t *h = sample_tls_curl;
	struct pcapw w;
	struct run r;

	(void)state;
	pw_begin(&w, 1);
	tcp(&w, &CLIENT, &SERVER, PSH | ACK, 1000 + 300, h + 300,
	    sizeof(sample_tls_curl) - 300);
	tcp(&w, &CLIENT, &SERVER, PSH | ACK, 1000, h, 300);
	run_built(&r, &w, TEST_POLICY);
	assert_hello(&r, 0, 2);
	run_free(&r);
}

/*
 * Data in the SYN (TCP Fast Open) is the stream's first bytes: the SYN
 * itself takes one sequence number before them.
 */
static void test_split_syn_data(void **state)
{
	const uint8_t *h = sample_tls_curl;
	struct pcapw w;
	struct run r;

	(void)state;
	pw_begin(&w, 1);
	tcp(&w, &CLIENT, &SERVER, SYN, ISN, h, 100);
	tcp(&w, &SERVER, &CLIENT, SYN | ACK, 7000, NULL, 0);
	tcp(&w, &CLIENT, &SERVER, PSH | ACK, ISN + 101, h + 100,
	    sizeof(sample_tls_curl) - 100);
	run_built(&r, &w, TEST_POLICY);
	assert_hello(&r, 0, 2);
	run_free(&r);
}

/*
 * The hold's limits: 32 segments, 16 KiB. A request sent a byte at a
 * time is not recognised in time; a head longer than 16 KiB is decided
 * at 16 KiB.
 */
static void test_hold_limits(void **state)
{
	static const char req[] = "GET / HTTP/1.1\r\nHost: shop.example.com\r\n"
				  "\r\n";
	static const struct endpoint web = { AF_INET, { 10, 10, 3, 10 }, 80 };
	static uint8_t big[20000];
	struct pcapw w;
	struct run r;
	size_t i;

	(void)state;
	pw_begin(&w, 1);
	handshake(&w, &web);
	for (i = 0; i < sizeof(req) - 1; i++)
		tcp(&w, &CLIENT, &web, PSH | ACK, ISN + 1 + i, req + i, 1);
	run_built(&r, &w, TEST_POLICY);
	assert_int_equal(r.c.flows[0]->npieces, sizeof(req) - 1);
	assert_int_equal(r.v[0].l7_packets, DECIDE_HOLD_PACKETS);
	assert_int_equal(r.v[0].l7_bytes, DECIDE_HOLD_PACKETS);
	assert_int_equal(r.v[0].res.status, SGW_L7_NEED_MORE);
	assert_denied(&r.v[0].d, SGW_R_UNCLASSIFIED);
	run_free(&r);

	memcpy(big, "GET / HTTP/1.1\r\nX-Long: ", 24);
	memset(big + 24, 'a', sizeof(big) - 24);
	pw_begin(&w, 1);
	handshake(&w, &web);
	tcp(&w, &CLIENT, &web, PSH | ACK, ISN + 1, big, 1000);
	tcp(&w, &CLIENT, &web, PSH | ACK, ISN + 1001, big + 1000,
	    sizeof(big) - 1000);
	run_built(&r, &w, TEST_POLICY);
	assert_int_equal(r.c.flows[0]->prefix_len, PF_PREFIX_MAX);
	assert_int_equal(r.c.flows[0]->client_payload, sizeof(big));
	assert_int_equal(r.v[0].l7_packets, 2);
	assert_int_equal(r.v[0].l7_bytes, PF_PREFIX_MAX);
	assert_int_not_equal(r.v[0].res.status, SGW_L7_NEED_MORE);
	assert_denied(&r.v[0].d, SGW_R_UNCLASSIFIED);
	run_free(&r);
}

/* Both directions are one flow, opened by the SYN's sender. */
static void test_keying(void **state)
{
	struct pcapw w;
	struct run r;

	(void)state;
	/* The capture starts at the SYN-ACK: its receiver is the client. */
	pw_begin(&w, 1);
	tcp(&w, &SERVER, &CLIENT, SYN | ACK, 7000, NULL, 0);
	tcp(&w, &CLIENT, &SERVER, ACK, ISN + 1, NULL, 0);
	tcp(&w, &CLIENT, &SERVER, PSH | ACK, ISN + 1, sample_tls_curl,
	    sizeof(sample_tls_curl));
	run_built(&r, &w, TEST_POLICY);
	assert_int_equal(r.c.nflows, 1);
	assert_memory_equal(r.c.flows[0]->addr[0], CLIENT.addr, 4);
	assert_int_equal(r.c.flows[0]->port[1], 443);
	assert_int_equal(r.c.flows[0]->packets[0], 2);
	assert_int_equal(r.c.flows[0]->packets[1], 1);
	assert_hello(&r, 0, 1);
	run_free(&r);

	/*
	 * A stray packet of the server first (its connection's end), then
	 * the client's SYN and data, no SYN-ACK: the SYN's sender is the
	 * client.
	 */
	pw_begin(&w, 1);
	tcp(&w, &SERVER, &CLIENT, ACK, 7000, NULL, 0);
	tcp(&w, &CLIENT, &SERVER, SYN, ISN, NULL, 0);
	tcp(&w, &CLIENT, &SERVER, PSH | ACK, ISN + 1, sample_tls_curl,
	    sizeof(sample_tls_curl));
	run_built(&r, &w, TEST_POLICY);
	assert_int_equal(r.c.nflows, 1);
	assert_memory_equal(r.c.flows[0]->addr[0], CLIENT.addr, 4);
	assert_int_equal(r.c.flows[0]->port[0], CLIENT.port);
	assert_int_equal(r.c.flows[0]->packets[1], 1);
	assert_hello(&r, 0, 1);
	run_free(&r);

	/* A closed connection's ports reused, after FIN and after RST. */
	pw_begin(&w, 1);
	handshake(&w, &SERVER);
	tcp(&w, &CLIENT, &SERVER, FIN | ACK, ISN + 1, NULL, 0);
	tcp(&w, &SERVER, &CLIENT, ACK, 7001, NULL, 0);	/* not closed yet */
	tcp(&w, &SERVER, &CLIENT, FIN | ACK, 7001, NULL, 0);
	tcp(&w, &CLIENT, &SERVER, SYN, 5000, NULL, 0);
	tcp(&w, &CLIENT, &SERVER, RST, 5001, NULL, 0);
	tcp(&w, &CLIENT, &SERVER, SYN, 9000, NULL, 0);
	tcp(&w, &CLIENT, &SERVER, PSH | ACK, 9001, sample_tls_curl,
	    sizeof(sample_tls_curl));
	run_built(&r, &w, TEST_POLICY);
	assert_int_equal(r.c.nflows, 3);
	assert_int_equal(r.c.flows[0]->packets[0], 3);
	assert_int_equal(r.c.flows[0]->packets[1], 3);
	assert_int_equal(r.c.flows[1]->packets[0], 2);
	assert_hello(&r, 2, 1);
	run_free(&r);
}

/* Idle timeouts of the module: 30 s one-way UDP, 120 s with replies. */
static void test_timeouts(void **state)
{
	const uint8_t q[] = { 0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0,
			      3, 'w', 'w', 'w', 4, 'c', 'o', 'r', 'p', 7,
			      'e', 'x', 'a', 'm', 'p', 'l', 'e', 0, 0, 1,
			      0, 1 };
	const uint64_t s = 1000000000ULL;
	struct pcapw w;
	struct run r;

	(void)state;
	pw_begin(&w, 1);
	udp(&w, &CLIENT6, &SERVER6, q, sizeof(q));
	w.t += 29 * s;
	udp(&w, &CLIENT6, &SERVER6, q, sizeof(q));	/* same flow */
	w.t += 31 * s;
	udp(&w, &CLIENT6, &SERVER6, q, sizeof(q));	/* a new one */
	udp(&w, &SERVER6, &CLIENT6, q, sizeof(q));	/* answered */
	w.t += 119 * s;
	udp(&w, &CLIENT6, &SERVER6, q, sizeof(q));	/* same */
	w.t += 121 * s;
	udp(&w, &SERVER6, &CLIENT6, q, sizeof(q));	/* new, server's */
	run_built(&r, &w, NULL);
	assert_int_equal(r.c.nflows, 3);
	assert_int_equal(r.c.flows[0]->ndgrams, 2);
	assert_int_equal(r.c.flows[1]->ndgrams, 2);
	assert_int_equal(r.c.flows[1]->packets[1], 1);
	/* opened by its first packet: the server's side */
	assert_int_equal(r.c.flows[2]->port[0], 53);
	assert_int_equal(r.c.flows[2]->family, AF_INET6);
	assert_int_equal(r.v[0].res.app, SGW_APP_DNS);
	assert_string_equal(r.v[0].res.dns.q[0].name, "www.corp.example");
	run_free(&r);
}

/* Malformed captures and packets. */

static void test_bad_files(void **state)
{
	struct pf_capture c;
	struct pcapw w;
	FILE *f;

	(void)state;
	/* USER0: not a link type with IP in it */
	pw_begin(&w, 147);
	tcp(&w, &CLIENT, &SERVER, SYN, 1, NULL, 0);
	assert_int_equal(pw_read(&w, &c), -1);
	assert_non_null(strstr(c.error, "link type"));
	assert_int_equal(c.nflows, 0);
	pcapflow_free(&c);

	/* Not a capture at all. */
	f = fmemopen((char[]){ "GET / HTTP/1.1\r\n\r\n" }, 18, "rb");
	assert_int_equal(pcapflow_read_stream(f, &c), -1);
	assert_true(c.error[0]);
	pcapflow_free(&c);

	/* Cut inside the third record: the first two are read. */
	pw_begin(&w, 1);
	handshake(&w, &SERVER);
	w.n -= 10;
	assert_int_equal(pw_read(&w, &c), 0);
	assert_true(c.incomplete);
	assert_true(c.error[0]);
	assert_int_equal(c.packets, 2);
	assert_int_equal(c.nflows, 1);
	assert_int_equal(c.flows[0]->packets[0] + c.flows[0]->packets[1], 2);
	pcapflow_free(&c);

	assert_int_equal(pcapflow_read_file("/nonexistent/x.pcap", &c), -1);
	assert_non_null(strstr(c.error, "No such file"));
	pcapflow_free(&c);
}

static void test_bad_packets(void **state)
{
	static uint8_t fr[2000], l4[1500];
	struct pf_capture c;
	struct pcapw w;
	size_t n;

	(void)state;
	memset(l4, 0, sizeof(l4));
	pw_begin(&w, 1);

	/* Headers cut by the snapshot length: truncated. */
	put16(l4, 40000);
	put16(l4 + 2, 443);
	l4[12] = 5 << 4;
	n = frame(fr, &CLIENT, &SERVER, IPPROTO_TCP, l4, 20 + 100);
	pw_record(&w, fr, 14 + 20 + 10, n);
	/* The payload cut: in its flow, with what was kept. */
	l4[13] = SYN;
	n = frame(fr, &CLIENT, &SERVER, IPPROTO_TCP, l4, 20);
	pw_record(&w, fr, n, n);
	l4[13] = ACK;
	put32(l4 + 4, 1);
	memcpy(l4 + 20, sample_tls_curl, sizeof(sample_tls_curl));
	n = frame(fr, &CLIENT, &SERVER, IPPROTO_TCP, l4, 20 + 517);
	pw_record(&w, fr, n - 17, n);
	/* A frame shorter than its IP header says: malformed. */
	n = frame(fr, &CLIENT, &SERVER, IPPROTO_TCP, l4, 20 + 100);
	pw_record(&w, fr, n - 50, n - 50);
	/* IHL 4: malformed. */
	n = frame(fr, &CLIENT, &SERVER, IPPROTO_TCP, l4, 20);
	fr[14] = 0x44;
	pw_record(&w, fr, n, n);
	/* TCP data offset 4: malformed. */
	n = frame(fr, &CLIENT, &SERVER, IPPROTO_TCP, l4, 20);
	fr[14 + 20 + 12] = 4 << 4;
	pw_record(&w, fr, n, n);
	/* An IPv4 fragment (more fragments): fragment. */
	n = frame(fr, &CLIENT, &SERVER, IPPROTO_UDP, l4, 100);
	fr[14 + 6] = 0x20;
	pw_record(&w, fr, n, n);
	/* ARP: not IP. */
	memset(fr, 0, 60);
	put16(fr + 12, 0x0806);
	pw_record(&w, fr, 60, 60);
	/* An ICMP error quoting a UDP header: no flow of its own. */
	memset(l4, 0, 64);
	l4[0] = 3;
	l4[1] = 3;
	frame(fr, &SERVER, &CLIENT, IPPROTO_UDP, (uint8_t[8]){ 0 }, 8);
	memcpy(l4 + 8, fr + 14, 28);
	n = frame(fr, &CLIENT, &SERVER, IPPROTO_ICMP, l4, 8 + 28);
	pw_record(&w, fr, n, n);
	/* An ICMP error quoting less than an IP header: malformed. */
	n = frame(fr, &CLIENT, &SERVER, IPPROTO_ICMP, l4, 8 + 10);
	pw_record(&w, fr, n, n);
	/* IPv6 neighbour solicitation: local control. */
	memset(l4, 0, 32);
	l4[0] = 135;
	n = frame(fr, &CLIENT6, &SERVER6, IPPROTO_ICMPV6, l4, 24);
	pw_record(&w, fr, n, n);
	/* IPv6 first fragment (M set): fragment. */
	memset(l4, 0, 16);
	l4[0] = IPPROTO_UDP;
	l4[3] = 1;
	n = frame(fr, &CLIENT6, &SERVER6, 44, l4, 16);
	pw_record(&w, fr, n, n);
	/* IPv6 "no next header": malformed. */
	n = frame(fr, &CLIENT6, &SERVER6, 59, l4, 0);
	pw_record(&w, fr, n, n);
	/* IPv6 hop-by-hop options, then UDP: a flow. */
	memset(l4, 0, 16);
	l4[0] = IPPROTO_UDP;
	put16(l4 + 8, 40000);
	put16(l4 + 10, 53);
	put16(l4 + 12, 8);
	n = frame(fr, &CLIENT6, &SERVER6, 0, l4, 16);
	pw_record(&w, fr, n, n);
	/* A VLAN-tagged IPv4 ICMP echo: a flow keyed by its identifier. */
	memset(l4, 0, 8);
	l4[0] = 8;
	put16(l4 + 4, 0x4242);
	n = frame(fr + 4, &CLIENT, &SERVER, IPPROTO_ICMP, l4, 8);
	memset(fr, 0, 12);
	put16(fr + 12, 0x8100);
	put16(fr + 14, 7);
	put16(fr + 16, 0x0800);
	pw_record(&w, fr, n + 4, n + 4);

	assert_int_equal(pw_read(&w, &c), 0);
	assert_false(c.incomplete);
	assert_int_equal(c.packets, 15);
	assert_int_equal(c.skipped[PF_SKIP_TRUNCATED], 1);
	assert_int_equal(c.skipped[PF_SKIP_MALFORMED], 5);
	assert_int_equal(c.skipped[PF_SKIP_FRAGMENT], 2);
	assert_int_equal(c.skipped[PF_SKIP_NOT_IP], 1);
	assert_int_equal(c.skipped[PF_SKIP_ICMP_ERROR], 1);
	assert_int_equal(c.skipped[PF_SKIP_LOCAL_CONTROL], 1);
	assert_int_equal(c.nflows, 3);
	/* the cut ClientHello: 500 of its 517 bytes, a hole after */
	assert_int_equal(c.flows[0]->proto, IPPROTO_TCP);
	assert_int_equal(c.flows[0]->pkts_cut, 1);
	assert_int_equal(c.flows[0]->prefix_len, 500);
	assert_int_equal(c.flows[0]->client_payload, 517);
	assert_int_equal(c.flows[0]->bytes[0], 40 + 40 + 517);
	assert_int_equal(c.flows[1]->proto, IPPROTO_UDP);
	assert_int_equal(c.flows[1]->port[1], 53);
	assert_int_equal(c.flows[2]->proto, IPPROTO_ICMP);
	assert_int_equal(c.flows[2]->port[0], 0x4242);
	assert_int_equal(c.flows[2]->port[1], 0x4242);
	pcapflow_free(&c);
}

/* Records: attacker bytes stay inside their value. */

/* A ClientHello with SNI @sni and ALPN ids @alpn (NULL-terminated). */
static size_t client_hello(uint8_t *out, const char *sni,
			   const char *const *alpn)
{
	uint8_t ext[1024], body[2048];
	size_t e = 0, b = 0, i, n, at;

	/* server_name */
	n = strlen(sni);
	put16(ext + e, 0);
	put16(ext + e + 2, n + 5);
	put16(ext + e + 4, n + 3);
	ext[e + 6] = 0;
	put16(ext + e + 7, n);
	memcpy(ext + e + 9, sni, n);
	e += 9 + n;
	/* application_layer_protocol_negotiation */
	at = e;
	e += 6;
	for (i = 0; alpn[i]; i++) {
		n = strlen(alpn[i]);
		ext[e] = n;
		memcpy(ext + e + 1, alpn[i], n);
		e += 1 + n;
	}
	put16(ext + at, 16);
	put16(ext + at + 2, e - at - 4);
	put16(ext + at + 4, e - at - 6);

	put16(body, 0x0303);
	memset(body + 2, 0x11, 32);
	b = 34;
	body[b++] = 0;			/* session id */
	put16(body + b, 2);
	put16(body + b + 2, 0x1301);
	b += 4;
	body[b++] = 1;			/* compression: null */
	body[b++] = 0;
	put16(body + b, e);
	memcpy(body + b + 2, ext, e);
	b += 2 + e;

	out[0] = 22;
	put16(out + 1, 0x0301);
	put16(out + 3, b + 4);
	out[5] = 1;
	out[6] = 0;
	put16(out + 7, b);
	memcpy(out + 9, body, b);
	return 9 + b;
}

/* Split a record line into keys and values, undoing the quoting. */
static size_t parse_line(char *line, char **keys, char **vals, size_t max)
{
	size_t n = 0;
	char *p = line;

	while (*p) {
		char *eq = strchr(p, '=');

		assert_non_null(eq);
		assert_true(n < max);
		*eq = '\0';
		keys[n] = p;
		p = eq + 1;
		if (*p == '"') {
			vals[n] = ++p;
			p = strchr(p, '"');
			assert_non_null(p);
			*p++ = '\0';
		} else {
			vals[n] = p;
			p += strcspn(p, " ");
		}
		if (*p == ' ')
			*p++ = '\0';
		else
			assert_int_equal(*p, '\0');
		n++;
	}
	return n;
}

static void assert_decodes(const char *esc, const char *raw)
{
	char buf[512];
	ssize_t n = escape_decode(buf, esc, strlen(esc));

	assert_int_equal(n, (ssize_t)strlen(raw));
	assert_memory_equal(buf, raw, n);
}

static void test_records_hostile(void **state)
{
	static const char *const alpn[] = {
		"h2\nrecord=flow verdict=allow", "a\"b c=d", "\\x41", NULL,
	};
	static const char ssh[] =
		"SSH-2.0-Open=SSH\" verdict=allow \"x=y\r\n";
	static const struct endpoint sshd = { AF_INET, { 10, 10, 2, 7 }, 22 };
	const struct endpoint ops = { AF_INET, { 10, 10, 9, 5 }, 40001 };
	uint8_t hello[1024];
	char *keys[64], *vals[64], *text;
	struct json_object *o, *a, *e;
	size_t n, i, nalpn = 0;
	struct pcapw w;
	struct record rec;
	struct run r;

	(void)state;
	pw_begin(&w, 1);
	handshake(&w, &SERVER);
	n = client_hello(hello, "shop.example.com", alpn);
	tcp(&w, &CLIENT, &SERVER, PSH | ACK, ISN + 1, hello, n);
	tcp(&w, &ops, &sshd, SYN, 1, NULL, 0);
	tcp(&w, &ops, &sshd, PSH | ACK, 2, ssh, sizeof(ssh) - 1);
	run_built(&r, &w, TEST_POLICY);
	assert_int_equal(r.c.nflows, 2);
	assert_int_equal(r.v[0].res.status, SGW_L7_MATCH);
	assert_int_equal(r.v[0].res.tls.alpn_count, 3);
	assert_allowed(&r, &r.v[0].d, 7);
	assert_int_equal(r.v[1].res.app, SGW_APP_SSH);
	assert_allowed(&r, &r.v[1].d, 10);

	/* TLS: three alpn fields, one line, values as sent. */
	flow_record(&rec, r.c.flows[0], &r.v[0], &r.p);
	text = record_text(&rec);
	assert_non_null(text);
	assert_null(strchr(text, '\n'));
	assert_null(strchr(text, '\r'));
	n = parse_line(text, keys, vals, 64);
	assert_string_equal(keys[0], "record");
	assert_string_equal(vals[0], "flow");
	for (i = 0; i < n; i++) {
		if (!strcmp(keys[i], "alpn"))
			assert_decodes(vals[i], alpn[nalpn++]);
		else if (!strcmp(keys[i], "verdict"))
			assert_string_equal(vals[i], "allow");
		else if (!strcmp(keys[i], "sni"))
			assert_string_equal(vals[i], "shop.example.com");
		else if (!strcmp(keys[i], "record"))
			assert_int_equal(i, 0);
	}
	assert_int_equal(nalpn, 3);
	free(text);

	/* The same in JSON: alpn is one array. */
	o = record_json(&rec);
	assert_non_null(o);
	assert_true(json_object_object_get_ex(o, "alpn", &a));
	assert_true(json_object_is_type(a, json_type_array));
	assert_int_equal(json_object_array_length(a), 3);
	for (i = 0; i < 3; i++) {
		e = json_object_array_get_idx(a, i);
		assert_decodes(json_object_get_string(e), alpn[i]);
	}
	assert_true(json_object_object_get_ex(o, "rule", &e));
	assert_int_equal(json_object_get_int64(e), r.p.rules[1].id);
	text = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
	assert_null(strchr(text, '\n'));
	o = json_tokener_parse(text);
	assert_non_null(o);
	json_object_put(o);
	free(text);

	/* SSH: the software and the comments hold '=', '"' and spaces. */
	flow_record(&rec, r.c.flows[1], &r.v[1], &r.p);
	text = record_text(&rec);
	assert_non_null(strstr(text, " software=\"Open=SSH\\x22\" "));
	n = parse_line(text, keys, vals, 64);
	for (i = 0; i < n; i++) {
		if (!strcmp(keys[i], "software"))
			assert_decodes(vals[i], "Open=SSH\"");
		if (!strcmp(keys[i], "comments"))
			assert_decodes(vals[i], "verdict=allow \"x=y");
		if (!strcmp(keys[i], "verdict"))
			assert_string_equal(vals[i], "allow");
	}
	free(text);
	run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy_file),
		cmocka_unit_test(test_capture_http),
		cmocka_unit_test(test_capture_tls),
		cmocka_unit_test(test_capture_dns),
		cmocka_unit_test(test_capture_ssh),
		cmocka_unit_test(test_capture_linktypes),
		cmocka_unit_test(test_capture_split),
		cmocka_unit_test(test_capture_snaplen),
		cmocka_unit_test(test_order_l4_first),
		cmocka_unit_test(test_order_candidates),
		cmocka_unit_test(test_unclassified_rule),
		cmocka_unit_test(test_no_policy),
		cmocka_unit_test(test_split_in_order),
		cmocka_unit_test(test_split_reordered),
		cmocka_unit_test(test_split_hole),
		cmocka_unit_test(test_split_no_syn),
		cmocka_unit_test(test_split_syn_data),
		cmocka_unit_test(test_hold_limits),
		cmocka_unit_test(test_keying),
		cmocka_unit_test(test_timeouts),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_bad_packets),
		cmocka_unit_test(test_records_hostile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
