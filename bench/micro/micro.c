// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Code-level costs of the shared core (kmod/core), built for user space and
 * run under callgrind with cache simulation (bench/micro-run drives it):
 *
 *   micro lpm 4|6 PREFIXES LOOKUPS   LPM lookups of addresses inside the
 *                                    prefixes, in random order
 *   micro rules RULES DECISIONS      allow-table decisions (L4)
 *   micro l7 ROUNDS                  classification of the sample client
 *                                    bytes of tests/unit/l7_samples.h, by
 *                                    sgw_l7_classify() and by nDPI
 *
 * Each measured group is dumped by name (CALLGRIND_DUMP_STATS_AT); for the
 * table lookups a baseline group runs the same loop around an empty
 * function, so the loop's own cost can be subtracted. Run natively, the
 * client requests do nothing and the program only checks its results.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <valgrind/callgrind.h>
#include <ndpi/ndpi_api.h>

#include "lpm.h"
#include "ruleset.h"
#include "l7/l7.h"
#include "l7_samples.h"

static u64 rng_state = 0x9e3779b97f4a7c15ULL;

static u64 rnd(void)
{
	/* xorshift64*: fixed seed, same tables every run. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);

	if (!p) {
		fprintf(stderr, "micro: out of memory\n");
		exit(1);
	}
	return p;
}

/*
 * Prefixes as bench/gen-policy draws them: IPv4 mostly /24 and /32 hosts,
 * some /16-/23; IPv6 /48-/64 and hosts. Duplicates are dropped by the
 * caller's hash.
 */
static void random_prefix(int v6, struct sgw_lpm_prefix *p)
{
	unsigned int r = rnd() % 100, bits = v6 ? 128 : 32, i;

	memset(p, 0, sizeof(*p));
	if (!v6) {
		u32 a = 11U << 24 | (u32)(rnd() % (116U << 24));

		p->len = r < 65 ? 24 : r < 88 ? 32 : 16 + rnd() % 8;
		a &= p->len == 32 ? ~0U : ~((1U << (32 - p->len)) - 1);
		p->addr[0] = a >> 24;
		p->addr[1] = a >> 16;
		p->addr[2] = a >> 8;
		p->addr[3] = a;
	} else {
		static const u8 lens[] = { 48, 56, 64, 64, 128 };

		p->len = lens[r % 5];
		p->addr[0] = 0xfc | (rnd() & 1);
		for (i = 1; i < 16; i++)
			p->addr[i] = rnd();
		for (i = p->len; i < bits; i++)
			p->addr[i / 8] &= ~(0x80 >> (i % 8));
	}
	p->value = 1 + rnd() % 60000;
}

static u64 prefix_hash(const struct sgw_lpm_prefix *p)
{
	u64 h = 1469598103934665603ULL;
	unsigned int i;

	for (i = 0; i < 16; i++)
		h = (h ^ p->addr[i]) * 1099511628211ULL;
	return (h ^ p->len) * 1099511628211ULL;
}

/* @n distinct prefixes. */
static struct sgw_lpm_prefix *make_prefixes(int v6, size_t n)
{
	struct sgw_lpm_prefix *v = xcalloc(n, sizeof(*v));
	size_t cap = 4 * n + 16, got = 0;
	u64 *seen = xcalloc(cap, sizeof(*seen));

	while (got < n) {
		u64 h, i;

		random_prefix(v6, &v[got]);
		h = prefix_hash(&v[got]) | 1;
		for (i = h % cap; seen[i] && seen[i] != h; i = (i + 1) % cap)
			;
		if (seen[i])
			continue;
		seen[i] = h;
		got++;
	}
	free(seen);
	return v;
}

static __attribute__((noinline)) u16 empty_lookup(const struct sgw_lpm *t,
						  const u8 *addr)
{
	__asm__ volatile("" : : "r"(t), "r"(addr) : "memory");
	return addr[0];
}

static int bench_lpm(int v6, size_t nprefixes, size_t nlookups)
{
	unsigned int ab = v6 ? 16 : 4, i;
	struct sgw_lpm_prefix *pf = make_prefixes(v6, nprefixes);
	u8 *addrs = xcalloc(nlookups, ab);
	struct sgw_lpm *t;
	char name[64];
	size_t k;
	u64 sum = 0, miss = 0;
	int err = 0;

	t = sgw_lpm_build(ab, pf, nprefixes, &err);
	if (!t) {
		fprintf(stderr, "micro: sgw_lpm_build: %d\n", err);
		return 1;
	}
	/* Addresses inside random prefixes: what a gateway sees is mostly
	 * traffic of its segments.
	 */
	for (k = 0; k < nlookups; k++) {
		const struct sgw_lpm_prefix *p = &pf[rnd() % nprefixes];
		u8 *a = addrs + k * ab;

		memcpy(a, p->addr, ab);
		for (i = p->len; i < ab * 8; i++)
			if (rnd() & 1)
				a[i / 8] |= 0x80 >> (i % 8);
	}
	CALLGRIND_START_INSTRUMENTATION;
	CALLGRIND_TOGGLE_COLLECT;
	for (k = 0; k < nlookups; k++)
		sum += sgw_lpm_lookup(t, addrs + k * ab);
	CALLGRIND_ZERO_STATS;
	for (k = 0; k < nlookups; k++)
		miss += !sgw_lpm_lookup(t, addrs + k * ab);
	snprintf(name, sizeof(name), "lpm%d-%zu", v6 ? 6 : 4, nprefixes);
	CALLGRIND_DUMP_STATS_AT(name);
	for (k = 0; k < nlookups; k++)
		miss += !empty_lookup(t, addrs + k * ab) && 0;
	snprintf(name, sizeof(name), "base-lpm%d-%zu", v6 ? 6 : 4, nprefixes);
	CALLGRIND_DUMP_STATS_AT(name);
	CALLGRIND_TOGGLE_COLLECT;
	printf("lpm%d %zu prefixes: %zu lookups, %llu unmatched, %zu bytes\n",
	       v6 ? 6 : 4, nprefixes, nlookups, (unsigned long long)miss,
	       sgw_lpm_memory(t));
	sgw_lpm_free(t);
	free(pf);
	free(addrs);
	return sum == 0;
}

static __attribute__((noinline)) s32 empty_decide(const struct sgw_ruleset *rs,
						 const struct sgw_match_key *k)
{
	__asm__ volatile("" : : "r"(rs), "r"(k) : "memory");
	return k->dport;
}

/*
 * Rules as bench/gen-policy writes them: rule k allows segment k % S to
 * (7k + 1 + k / S) % S, one TCP port each; decisions are for keys that one
 * of the rules allows.
 */
static int bench_rules(size_t nrules, size_t ndecisions)
{
	struct sgw_rule_spec *specs = xcalloc(nrules, sizeof(*specs));
	struct sgw_port_range *ports = xcalloc(nrules, sizeof(*ports));
	u16 *segs = xcalloc(2 * nrules, sizeof(*segs));
	struct sgw_match_key *keys = xcalloc(ndecisions, sizeof(*keys));
	size_t nseg = nrules < 2 ? 2 : nrules > 60000 ? 60000 : nrules, k;
	struct sgw_ruleset *rs;
	s32 found = 0;
	char name[64];
	int err = 0;

	for (k = 0; k < nrules; k++) {
		segs[2 * k] = 1 + k % nseg;
		segs[2 * k + 1] = 1 + (k * 7 + 1 + k / nseg) % nseg;
		ports[k].lo = ports[k].hi = 1024 + k % 60000;
		specs[k] = (struct sgw_rule_spec){
			.id = k + 1, .line = k + 1,
			.srcs = &segs[2 * k], .nsrcs = 1,
			.dsts = &segs[2 * k + 1], .ndsts = 1,
			.proto = (k / 60000) % 2 ? IPPROTO_UDP : IPPROTO_TCP,
			.ports = &ports[k], .nports = 1,
		};
	}
	rs = sgw_ruleset_build(specs, nrules, &err);
	if (!rs) {
		fprintf(stderr, "micro: sgw_ruleset_build: %d\n", err);
		return 1;
	}
	for (k = 0; k < ndecisions; k++) {
		const struct sgw_rule_spec *r = &specs[rnd() % nrules];

		keys[k] = (struct sgw_match_key){ r->srcs[0], r->dsts[0],
						  r->proto, r->ports[0].lo };
	}
	CALLGRIND_START_INSTRUMENTATION;
	CALLGRIND_TOGGLE_COLLECT;
	for (k = 0; k < ndecisions; k++)
		found += sgw_ruleset_lookup(rs, &keys[k]) >= 0;
	CALLGRIND_ZERO_STATS;
	for (k = 0; k < ndecisions; k++)
		found += sgw_ruleset_lookup(rs, &keys[k]) >= 0;
	snprintf(name, sizeof(name), "rules-%zu", nrules);
	CALLGRIND_DUMP_STATS_AT(name);
	for (k = 0; k < ndecisions; k++)
		found += empty_decide(rs, &keys[k]) < 0;
	snprintf(name, sizeof(name), "base-rules-%zu", nrules);
	CALLGRIND_DUMP_STATS_AT(name);
	CALLGRIND_TOGGLE_COLLECT;
	printf("rules %zu: %zu decisions, %d allowed, %zu bytes\n", nrules,
	       2 * ndecisions, found, sgw_ruleset_memory(rs));
	sgw_ruleset_free(rs);
	free(specs);
	free(ports);
	free(segs);
	free(keys);
	return found != (s32)(2 * ndecisions);
}

struct sample {
	const char		*app;
	const unsigned char	*data;
	size_t			len;
	u8			l4;
	u16			dport;
	u16			ndpi_proto;
};

#define S(app, v, l4, port, id) { app, v, sizeof(v), l4, port, id }
static const struct sample samples[] = {
	S("http", sample_http_curl_get, SGW_L7_TCP, 80, NDPI_PROTOCOL_HTTP),
	S("http", sample_http_curl_post, SGW_L7_TCP, 80, NDPI_PROTOCOL_HTTP),
	S("http", sample_http_curl_proxy, SGW_L7_TCP, 80, NDPI_PROTOCOL_HTTP),
	S("tls", sample_tls_openssl_sni_alpn, SGW_L7_TCP, 443, NDPI_PROTOCOL_TLS),
	S("tls", sample_tls_curl, SGW_L7_TCP, 443, NDPI_PROTOCOL_TLS),
	S("tls", sample_tls_openssl_nosni, SGW_L7_TCP, 443, NDPI_PROTOCOL_TLS),
	S("dns", sample_dns_dig_a, SGW_L7_UDP, 53, NDPI_PROTOCOL_DNS),
	S("dns", sample_dns_dig_noedns, SGW_L7_UDP, 53, NDPI_PROTOCOL_DNS),
	S("dns", sample_dns_dig_srv, SGW_L7_UDP, 53, NDPI_PROTOCOL_DNS),
	S("ssh", sample_ssh_openssh, SGW_L7_TCP, 22, NDPI_PROTOCOL_SSH),
};
#define NSAMPLES (sizeof(samples) / sizeof(samples[0]))

/* An IPv4 packet carrying @s's bytes from the client, as nDPI wants it. */
static size_t make_packet(const struct sample *s, u8 *buf, u8 tcp_flags,
			  u32 seq, u32 ack, int with_payload)
{
	struct iphdr *ip = (struct iphdr *)buf;
	size_t l4len = s->l4 == SGW_L7_TCP ? sizeof(struct tcphdr) : sizeof(struct udphdr);
	size_t plen = with_payload ? s->len : 0;
	int reply = tcp_flags == (TH_SYN | TH_ACK);

	memset(buf, 0, sizeof(*ip) + l4len);
	ip->version = 4;
	ip->ihl = 5;
	ip->ttl = 64;
	ip->protocol = s->l4;
	ip->tot_len = htons(sizeof(*ip) + l4len + plen);
	ip->saddr = htonl(reply ? 0x0a020002 : 0x0a010002);
	ip->daddr = htonl(reply ? 0x0a010002 : 0x0a020002);
	if (s->l4 == SGW_L7_TCP) {
		struct tcphdr *th = (struct tcphdr *)(ip + 1);

		th->source = htons(reply ? s->dport : 40000);
		th->dest = htons(reply ? 40000 : s->dport);
		th->seq = htonl(seq);
		th->ack_seq = htonl(ack);
		th->doff = 5;
		th->th_flags = tcp_flags;
		th->window = htons(65535);
	} else {
		struct udphdr *uh = (struct udphdr *)(ip + 1);

		uh->source = htons(40000);
		uh->dest = htons(s->dport);
		uh->len = htons(sizeof(*uh) + plen);
	}
	memcpy(buf + sizeof(*ip) + l4len, s->data, plen);
	return sizeof(*ip) + l4len + plen;
}

static int bench_l7(unsigned int rounds)
{
	static const char *const apps[] = { "http", "tls", "dns", "ssh" };
	struct ndpi_detection_module_struct *ndpi;
	NDPI_PROTOCOL_BITMASK all;
	struct ndpi_flow_struct *flow;
	u8 pkt[2048], hs[3][64];
	size_t hslen[3], len, i;
	unsigned int a, r, wrong = 0;
	char name[64];

	ndpi = ndpi_init_detection_module(ndpi_no_prefs);
	if (!ndpi)
		return 1;
	NDPI_BITMASK_SET_ALL(all);
	ndpi_set_protocol_detection_bitmask2(ndpi, &all);
	ndpi_finalize_initialization(ndpi);
	flow = xcalloc(1, ndpi_detection_get_sizeof_ndpi_flow_struct());
	CALLGRIND_START_INSTRUMENTATION;

	for (a = 0; a < 4; a++) {
		unsigned int n = 0;

		/* sgw: one call on the client's first bytes. */
		CALLGRIND_ZERO_STATS;
		for (r = 0; r < rounds; r++) {
			for (i = 0; i < NSAMPLES; i++) {
				const struct sample *s = &samples[i];
				struct sgw_l7_result res;
				enum sgw_l7_status st;

				if (strcmp(s->app, apps[a]))
					continue;
				CALLGRIND_TOGGLE_COLLECT;
				st = sgw_l7_classify(s->data, s->len, s->l4, s->dport, &res);
				CALLGRIND_TOGGLE_COLLECT;
				n++;
				if (st != SGW_L7_MATCH || strcmp(sgw_l7_app_name(res.app), s->app))
					wrong++;
			}
		}
		snprintf(name, sizeof(name), "l7-sgw-%s-%u", apps[a], n);
		CALLGRIND_DUMP_STATS_AT(name);

		/* nDPI: a fresh flow, the TCP handshake (not counted), then
		 * the same bytes; counted is the processing of that packet.
		 */
		n = 0;
		CALLGRIND_ZERO_STATS;
		for (r = 0; r < rounds; r++) {
			for (i = 0; i < NSAMPLES; i++) {
				const struct sample *s = &samples[i];
				ndpi_protocol p;
				u64 ts = 1000000 + r * 10;

				if (strcmp(s->app, apps[a]))
					continue;
				ndpi_free_flow_data(flow);
				memset(flow, 0, ndpi_detection_get_sizeof_ndpi_flow_struct());
				if (s->l4 == SGW_L7_TCP) {
					hslen[0] = make_packet(s, hs[0], TH_SYN, 1000, 0, 0);
					hslen[1] = make_packet(s, hs[1], TH_SYN | TH_ACK, 5000, 1001, 0);
					hslen[2] = make_packet(s, hs[2], TH_ACK, 1001, 5001, 0);
					for (len = 0; len < 3; len++)
						ndpi_detection_process_packet(ndpi, flow, hs[len], hslen[len], ts);
				}
				len = make_packet(s, pkt, TH_ACK | TH_PUSH, 1001, 5001, 1);
				CALLGRIND_TOGGLE_COLLECT;
				p = ndpi_detection_process_packet(ndpi, flow, pkt, len, ts + 1);
				CALLGRIND_TOGGLE_COLLECT;
				n++;
				if (p.app_protocol != s->ndpi_proto && p.master_protocol != s->ndpi_proto) {
					wrong++;
					if (!r)
						fprintf(stderr, "micro: nDPI: %s sample %zu: got %u/%u\n",
							s->app, i, p.master_protocol, p.app_protocol);
				}
			}
		}
		snprintf(name, sizeof(name), "l7-ndpi-%s-%u", apps[a], n);
		CALLGRIND_DUMP_STATS_AT(name);
	}
	ndpi_free_flow_data(flow);
	free(flow);
	ndpi_exit_detection_module(ndpi);
	printf("l7: %u samples x %u rounds, %u not classified as expected\n",
	       (unsigned int)NSAMPLES, rounds, wrong);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "lpm"))
		return bench_lpm(!strcmp(argv[2], "6"), strtoul(argv[3], NULL, 0),
				 strtoul(argv[4], NULL, 0));
	if (argc == 4 && !strcmp(argv[1], "rules"))
		return bench_rules(strtoul(argv[2], NULL, 0), strtoul(argv[3], NULL, 0));
	if (argc == 3 && !strcmp(argv[1], "l7"))
		return bench_l7(strtoul(argv[2], NULL, 0));
	fprintf(stderr, "Usage: micro lpm 4|6 PREFIXES LOOKUPS | micro rules RULES DECISIONS | micro l7 ROUNDS\n");
	return 1;
}
