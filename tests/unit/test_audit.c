// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * "sgctl audit" without a module (ctl/policy_audit.c): policies from the
 * parser, counters and flows built by hand, and the exact findings for
 * each rule: never hit, not hit for days, broad, fewer ports used than
 * allowed, administrative ports. Also each rule's one-line text, which
 * must parse back to the same rule.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <cmocka.h>

#include "policy.h"
#include "policy_audit.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

enum { NOW = 1767608523, DAY = AUDIT_SECONDS_PER_DAY };

static const char segments[] =
	"segment web 10.10.1.0/24, fd00:1::/64\n"
	"segment db  10.10.2.0/24\n"
	"segment ops 10.10.9.5\n";

/* @rules after the three segments above: rule i is on line 4 + i. */
static void parse_rules(const char *rules, struct policy *p)
{
	struct policy_error err;
	size_t len = strlen(segments) + strlen(rules);
	char *text = malloc(len + 1);

	assert_non_null(text);
	snprintf(text, len + 1, "%s%s", segments, rules);
	if (policy_parse(text, len, p, &err))
		fail_msg("%u:%u: %s\nin:\n%s", err.line, err.col, err.msg,
			 text);
	free(text);
}

/* Counters of a rule hit @flows times, last at @last (0: no hit times). */
static struct sgw_counters hit(uint64_t flows, uint64_t last)
{
	return (struct sgw_counters){
		.present = true, .flows = flows, .packets = 10 * flows,
		.bytes = 1000 * flows, .first_hit = last ? last - DAY : 0,
		.last_hit = last,
	};
}

static struct sgw_flow flow(uint32_t rule, uint8_t proto, uint16_t dport,
			    uint8_t state)
{
	return (struct sgw_flow){
		.family = AF_INET, .proto = proto, .state = state,
		.sport = 40000, .dport = dport, .rule = rule,
	};
}

/*
 * The findings of rule @i, "kind: text" each, joined by "\n"; "" when
 * none. Also checks that the report runs by rule, then by kind.
 */
static char *findings_of(const struct audit_report *rep, size_t i)
{
	char *s = NULL;
	size_t len = 0, j;
	FILE *f = open_memstream(&s, &len);

	assert_non_null(f);
	for (j = 0; j < rep->n; j++) {
		const struct audit_finding *fd = &rep->findings[j];

		if (j) {
			const struct audit_finding *prev = &rep->findings[j - 1];

			assert_true(prev->rule < fd->rule ||
				    (prev->rule == fd->rule &&
				     prev->kind < fd->kind));
		}
		if (fd->rule != i)
			continue;
		fprintf(f, "%s%s: %s", ftell(f) ? "\n" : "",
			audit_kind_name(fd->kind), fd->text);
	}
	fclose(f);
	return s;
}

static void expect(const struct audit_report *rep, size_t i,
		   const char *want)
{
	char *got = findings_of(rep, i);

	if (strcmp(got, want))
		fail_msg("rule %zu:\ngot:\n%s\nexpected:\n%s", i, got, want);
	free(got);
}

/* Audit @p with @c (one per rule) and no flows, at NOW. */
static void audit(const struct policy *p, const struct sgw_counters *c,
		  const struct sgw_flow *flows, size_t nflows,
		  unsigned int days, struct audit_report *rep)
{
	struct audit_options opt = { .now = NOW, .days = days };

	assert_int_equal(audit_policy(p, c, flows, nflows, &opt, rep), 0);
}

static void test_never_hit(void **state)
{
	struct sgw_counters c[3];
	struct audit_report rep;
	struct policy p;

	(void)state;
	parse_rules("allow web -> db tcp 5432\n"
		    "allow web -> db tcp 5433\n"
		    "allow web -> db tcp 5434\n", &p);
	c[0] = hit(0, 0);
	c[1] = hit(3, NOW - 60);
	c[2] = (struct sgw_counters){ .present = false };
	audit(&p, c, NULL, 0, 0, &rep);
	expect(&rep, 0, "never-hit: never hit since it was loaded");
	expect(&rep, 1, "");
	/* No counters from the module: nothing known of its use. */
	expect(&rep, 2, "");
	assert_int_equal(rep.n, 1);
	assert_int_equal(rep.findings[0].rule, 0);
	audit_report_free(&rep);

	/* No counters at all. */
	audit(&p, NULL, NULL, 0, 30, &rep);
	assert_int_equal(rep.n, 0);
	assert_null(rep.findings);
	audit_report_free(&rep);
	policy_free(&p);
}

static void test_stale(void **state)
{
	struct sgw_counters c[6];
	struct sgw_flow f[2];
	struct audit_report rep;
	struct policy p;

	(void)state;
	parse_rules("allow web -> db tcp 5432\n"
		    "allow web -> db tcp 5433\n"
		    "allow web -> db tcp 5434\n"
		    "allow web -> db tcp 5435\n"
		    "allow web -> db tcp 5436\n"
		    "allow web -> db tcp 5437\n", &p);
	c[0] = hit(5, NOW - 31 * DAY - 5);
	c[1] = hit(5, NOW - 29 * DAY);
	/* Exactly 30 days is not older than 30 days. */
	c[2] = hit(5, NOW - 30 * DAY);
	/* Old, but a flow of it is in the table: a long connection. */
	c[3] = hit(1, NOW - 400 * DAY);
	/* In the future (the clock was set back): not stale. */
	c[4] = hit(1, NOW + 100);
	/* Flows but no hit times (an older module): not judged. */
	c[5] = hit(2, 0);
	f[0] = flow(p.rules[3].id, IPPROTO_TCP, 5435, SGW_FLOW_S_ESTABLISHED);
	/* A pending flow of rule 0 is no use of it yet. */
	f[1] = flow(p.rules[0].id, IPPROTO_TCP, 5432, SGW_FLOW_S_PENDING);

	audit(&p, c, f, 2, 30, &rep);
	expect(&rep, 0,
	       "stale: not hit for 31 days (last hit 2025-12-05T10:21:58Z)");
	expect(&rep, 1, "");
	expect(&rep, 2, "");
	expect(&rep, 3, "");
	expect(&rep, 4, "");
	expect(&rep, 5, "");
	assert_int_equal(rep.n, 1);
	audit_report_free(&rep);

	/* Without --days, no rule is stale. */
	audit(&p, c, f, 2, 0, &rep);
	assert_int_equal(rep.n, 0);
	audit_report_free(&rep);

	/* --days 1: rules 1 and 2 too, and rule 3 once its flow is gone. */
	audit(&p, c, NULL, 0, 1, &rep);
	expect(&rep, 1,
	       "stale: not hit for 29 days (last hit 2025-12-07T10:22:03Z)");
	expect(&rep, 2,
	       "stale: not hit for 30 days (last hit 2025-12-06T10:22:03Z)");
	expect(&rep, 3,
	       "stale: not hit for 400 days (last hit 2024-12-01T10:22:03Z)");
	assert_int_equal(rep.n, 4);
	audit_report_free(&rep);
	policy_free(&p);
}

static void test_broad(void **state)
{
	static const char *const want[] = {
		"broad: allows any source on every tcp port",
		"broad: allows any destination on every udp port",
		"broad: allows any source to any destination on every protocol",
		"broad: allows world to internal segments db, web on every protocol",
		"broad: allows world to internal segment web on every udp port",
		/* Ports, a protocol without ports, or an app clause narrow
		 * the rule; world to world or to nothing internal is not
		 * inbound.
		 */
		"", "", "", "", "", "", "",
		/* tcp 0-65535 is every port. */
		"broad: allows any source on every tcp port",
	};
	struct sgw_counters c[ARRAY_SIZE(want)];
	struct audit_report rep;
	struct policy p;
	size_t i;

	(void)state;
	parse_rules("allow any -> db tcp\n"
		    "allow web -> any udp\n"
		    "allow any -> any\n"
		    "allow world -> db, web, world\n"
		    "allow world, ops -> web udp\n"
		    "allow any -> web tcp 80, 443\n"
		    "allow ops -> any icmp\n"
		    "allow any -> web tcp app http host shop.example.com\n"
		    "allow web -> world udp\n"
		    "allow web, db -> world\n"
		    "allow world -> web tcp 443\n"
		    "allow any -> web icmpv6\n"
		    "allow any -> ops tcp 0-65535\n", &p);
	assert_int_equal(p.nrules, ARRAY_SIZE(want));
	for (i = 0; i < ARRAY_SIZE(c); i++)
		c[i] = hit(1, NOW);
	audit(&p, c, NULL, 0, 0, &rep);
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		char *got = findings_of(&rep, i);
		char *line = strstr(got, "broad: ");
		char *end;

		if (line && (end = strchr(line, '\n')))
			*end = '\0';
		if (strcmp(line ? line : "", want[i]))
			fail_msg("rule %zu: got \"%s\", expected \"%s\"", i,
				 line ? line : "", want[i]);
		free(got);
	}
	audit_report_free(&rep);
	policy_free(&p);
}

static void test_unused_ports(void **state)
{
	struct sgw_counters c[7];
	struct sgw_flow f[64];
	struct audit_report rep;
	struct policy p;
	size_t n = 0, i;

	(void)state;
	parse_rules("allow web -> db tcp 5000-6000\n"
		    "allow web -> db tcp 80, 443\n"
		    "allow web -> db tcp 8080\n"
		    "allow ops -> db tcp\n"
		    "allow web -> db udp 7000-7100\n"
		    "allow ops -> web tcp 9000-9100\n"
		    "allow ops -> web icmp\n", &p);
	for (i = 0; i < ARRAY_SIZE(c); i++)
		c[i] = hit(1, NOW);
	/* Rule 0: 5432 twice and 5433, IPv4 and IPv6; a pending and a
	 * denied flow on other ports do not count, a closing and a
	 * revoked one do.
	 */
	f[n++] = flow(p.rules[0].id, IPPROTO_TCP, 5432, SGW_FLOW_S_ESTABLISHED);
	f[n] = flow(p.rules[0].id, IPPROTO_TCP, 5432, SGW_FLOW_S_CLOSING);
	f[n++].family = AF_INET6;
	f[n++] = flow(p.rules[0].id, IPPROTO_TCP, 5433, SGW_FLOW_S_REVOKED);
	f[n++] = flow(p.rules[0].id, IPPROTO_TCP, 5500, SGW_FLOW_S_PENDING);
	f[n++] = flow(p.rules[0].id, IPPROTO_TCP, 5501, SGW_FLOW_S_DENIED);
	/* Rule 1: 443 only. */
	f[n++] = flow(p.rules[1].id, IPPROTO_TCP, 443, SGW_FLOW_S_OPEN);
	/* Rule 2: one port, used: nothing to narrow. */
	f[n++] = flow(p.rules[2].id, IPPROTO_TCP, 8080, SGW_FLOW_S_OPEN);
	/* Rule 3: every port, used on 22. */
	f[n++] = flow(p.rules[3].id, IPPROTO_TCP, 22, SGW_FLOW_S_ESTABLISHED);
	/* Rule 4: AUDIT_FEW_PORTS + 1 ports in use: spread, not reported. */
	for (i = 0; i <= AUDIT_FEW_PORTS; i++)
		f[n++] = flow(p.rules[4].id, IPPROTO_UDP, 7000 + 2 * i,
			      SGW_FLOW_S_OPEN);
	/* Rule 5: exactly AUDIT_FEW_PORTS ports in use, in any order. */
	for (i = 0; i < AUDIT_FEW_PORTS; i++)
		f[n++] = flow(p.rules[5].id, IPPROTO_TCP,
			      9000 + (AUDIT_FEW_PORTS - 1 - i),
			      SGW_FLOW_S_OPEN);
	/* Rule 6: ICMP has no ports. A flow of a rule not in the policy. */
	f[n++] = flow(p.rules[6].id, IPPROTO_ICMP, 0, SGW_FLOW_S_OPEN);
	f[n++] = flow(0x12345678, IPPROTO_TCP, 1, SGW_FLOW_S_OPEN);
	assert_true(n <= ARRAY_SIZE(f));

	audit(&p, c, f, n, 0, &rep);
	expect(&rep, 0,
	       "unused-ports: carried traffic on ports 5432, 5433 only, allows 5000-6000 (3 flows in the flow table)\n"
	       "admin-port: allows administrative port 5900; grants without expiry are permanent");
	expect(&rep, 1,
	       "unused-ports: carried traffic on ports 443 only, allows 80, 443 (1 flow in the flow table)");
	expect(&rep, 2, "");
	expect(&rep, 3,
	       "unused-ports: carried traffic on ports 22 only, allows every port (1 flow in the flow table)\n"
	       "admin-port: allows administrative ports 22, 23, 2375, 3389, 5900, 6443, 10250; grants without expiry are permanent");
	expect(&rep, 4, "");
	expect(&rep, 5,
	       "unused-ports: carried traffic on ports 9000, 9001, 9002, 9003, 9004, 9005, 9006, 9007, 9008, 9009, 9010, 9011, 9012, 9013, 9014, 9015 only, allows 9000-9100 (16 flows in the flow table)");
	expect(&rep, 6, "");
	audit_report_free(&rep);
	policy_free(&p);
}

static void test_admin_ports(void **state)
{
	struct sgw_counters c[8];
	struct audit_report rep;
	struct policy p;
	size_t i;

	(void)state;
	parse_rules("allow ops -> web, db tcp 22\n"
		    "allow ops -> web tcp 20-25, 3389\n"
		    "allow ops -> web udp 22, 3389\n"
		    "allow ops -> web tcp 80, 443\n"
		    "allow ops -> web icmp\n"
		    "allow ops -> db tcp 10250 app unclassified\n"
		    "allow ops -> db tcp 6000-7000, 5900\n"
		    "allow ops -> db tcp 22 app ssh\n", &p);
	for (i = 0; i < ARRAY_SIZE(c); i++)
		c[i] = hit(1, NOW);
	audit(&p, c, NULL, 0, 0, &rep);
	expect(&rep, 0,
	       "admin-port: allows administrative port 22; grants without expiry are permanent");
	expect(&rep, 1,
	       "admin-port: allows administrative ports 22, 23, 3389; grants without expiry are permanent");
	expect(&rep, 2, "");
	expect(&rep, 3, "");
	expect(&rep, 4, "");
	expect(&rep, 5,
	       "admin-port: allows administrative port 10250; grants without expiry are permanent");
	expect(&rep, 6,
	       "admin-port: allows administrative ports 5900, 6443; grants without expiry are permanent");
	/* An app clause narrows what may pass, not that the port is open. */
	expect(&rep, 7,
	       "admin-port: allows administrative port 22; grants without expiry are permanent");
	assert_int_equal(rep.n, 5);
	audit_report_free(&rep);
	policy_free(&p);
}

/* Every kind for one rule, in order, and the rule index of each. */
static void test_order(void **state)
{
	struct sgw_counters c[2];
	struct audit_report rep;
	struct policy p;

	(void)state;
	parse_rules("allow web -> db tcp 443\n"
		    "allow any -> db tcp\n", &p);
	c[0] = hit(1, NOW);
	c[1] = hit(0, 0);
	audit(&p, c, NULL, 0, 7, &rep);
	assert_int_equal(rep.n, 3);
	assert_int_equal(rep.findings[0].rule, 1);
	assert_int_equal(rep.findings[0].kind, AUDIT_NEVER_HIT);
	assert_int_equal(rep.findings[1].kind, AUDIT_BROAD);
	assert_int_equal(rep.findings[2].kind, AUDIT_ADMIN_PORT);
	assert_string_equal(audit_kind_name(AUDIT_STALE), "stale");
	assert_string_equal(audit_kind_name(AUDIT_UNUSED_PORTS),
			    "unused-ports");
	assert_string_equal(audit_kind_name(__AUDIT_KIND_MAX), "?");
	audit_report_free(&rep);
	policy_free(&p);
}

static void test_rule_text(void **state)
{
	static const char *const rules[] = {
		"allow web -> db tcp 5432",
		"allow ops -> web, db tcp 22",
		"allow any -> web tcp 80, 443, 8000-8080",
		"allow ops -> any icmp",
		"allow web -> world udp 53",
		"allow world, ops -> web, db",
		"allow any -> web icmpv6",
		"allow any -> web tcp 80 app http host shop.example.com, *.shop.example.com method GET, POST path /api/*",
		"allow any -> web tcp 443 app tls sni shop.example.com alpn h2, http/1.1 nosni ech",
		"allow web -> world udp 53 app dns qname nosni., *.corp.example",
		"allow ops -> db tcp 22 app ssh",
		"allow ops -> db udp 3306 app unclassified",
	};
	struct policy p, back;
	char *text;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rules); i++) {
		parse_rules(rules[i], &p);
		text = policy_rule_text(&p, &p.rules[0]);
		assert_non_null(text);
		assert_string_equal(text, rules[i]);
		/* And it means the same rule. */
		parse_rules(text, &back);
		assert_int_equal(back.rules[0].id, p.rules[0].id);
		assert_true(policy_equal(&p, &back));
		free(text);
		policy_free(&back);
		policy_free(&p);
	}

	/* A segment the dump did not name. */
	parse_rules("allow web -> db tcp 5432\n", &p);
	p.rules[0].dsts[0] = 77;
	text = policy_rule_text(&p, &p.rules[0]);
	assert_string_equal(text, "allow web -> #77 tcp 5432");
	free(text);
	policy_free(&p);
}

static void test_hit_time_str(void **state)
{
	char buf[32];

	(void)state;
	assert_string_equal(hit_time_str(0, buf), "1970-01-01T00:00:00Z");
	assert_string_equal(hit_time_str(NOW, buf), "2026-01-05T10:22:03Z");
	assert_string_equal(hit_time_str(951782400, buf),
			    "2000-02-29T00:00:00Z");
	/* Past what the calendar holds: no garbage. */
	assert_string_equal(hit_time_str(UINT64_MAX, buf), "?");
	assert_string_equal(hit_time_str(1ULL << 62, buf), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_never_hit),
		cmocka_unit_test(test_stale),
		cmocka_unit_test(test_broad),
		cmocka_unit_test(test_unused_ports),
		cmocka_unit_test(test_admin_ports),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_rule_text),
		cmocka_unit_test(test_hit_time_str),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
