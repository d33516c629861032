// SPDX-License-Identifier: GPL-2.0 OR MIT
// libFuzzer target for the DNS query classifier, over UDP and TCP framing.
//
// Build from the top of the tree, then run on the seed corpus:
//   clang -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -Ikmod/core tests/fuzz/fuzz_l7_dns.c kmod/core/l7/*.c -o fuzz_l7_dns
//   ./fuzz_l7_dns tests/fuzz/corpus/l7_dns
#include <stdlib.h>
#include <string.h>
#include "l7/dns.h"
#include "l7/match.h"

#define CHECK(x) do { if (!(x)) __builtin_trap(); } while (0)

static const struct sgw_l7_pattern q[] = {
	{ "*.corp.example", 14 }, { "*.debian.org", 12 }, { ".", 1 },
};

int LLVMFuzzerTestOneInput(const u8 *data, size_t len);

static void check(const struct sgw_l7_dns *d)
{
	unsigned int i, j;

	CHECK(d->qdcount <= SGW_L7_DNS_QUESTIONS_MAX);
	for (i = 0; i < d->qdcount; i++) {
		const struct sgw_l7_dns_question *x = &d->q[i];

		CHECK(x->name_len && x->name_len <= SGW_L7_NAME_MAX);
		CHECK(strlen(x->name) == x->name_len);
		/* Unescaped text is lowercase printable ASCII. */
		for (j = 0; j < x->name_len; j++) {
			CHECK(x->name[j] > 0x20 && x->name[j] < 0x7f);
			CHECK(x->name[j] < 'A' || x->name[j] > 'Z');
			if (!(x->flags & SGW_L7_DNS_F_ESCAPED))
				CHECK(x->name[j] != '\\');
		}
	}
	sgw_l7_dns_qname_match(d, q, 3);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t len)
{
	static struct sgw_l7_dns d;
	enum sgw_l7_status st;

	st = sgw_l7_dns_parse(data, len, &d);
	CHECK(st == SGW_L7_MATCH || st == SGW_L7_MALFORMED);
	if (st == SGW_L7_MATCH)
		check(&d);
	else
		CHECK(d.reason != SGW_L7_R_NONE);
	st = sgw_l7_dns_parse_tcp(data, len, &d);
	CHECK(st != SGW_L7_NOT_THIS);
	if (st == SGW_L7_MATCH)
		check(&d);
	return 0;
}
