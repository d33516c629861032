// SPDX-License-Identifier: GPL-2.0 OR MIT
// libFuzzer target for the TLS ClientHello classifier.
//
// Build from the top of the tree, then run on the seed corpus:
//   clang -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -Ikmod/core tests/fuzz/fuzz_l7_tls.c kmod/core/l7/*.c -o fuzz_l7_tls
//   ./fuzz_l7_tls tests/fuzz/corpus/l7_tls
#include <stdlib.h>
#include <string.h>
#include "l7/tls.h"
#include "l7/match.h"

#define CHECK(x) do { if (!(x)) __builtin_trap(); } while (0)

static const struct sgw_l7_pattern sni[] = {
	{ "shop.example.com", 16 }, { "*.example.com", 13 },
};
static const struct sgw_l7_pattern alpn[] = { { "h2", 2 }, { "http/1.1", 8 } };

int LLVMFuzzerTestOneInput(const u8 *data, size_t len);

int LLVMFuzzerTestOneInput(const u8 *data, size_t len)
{
	static struct sgw_l7_tls t;
	enum sgw_l7_status st;
	unsigned int i;

	st = sgw_l7_tls_parse(data, len, &t);
	CHECK(st <= SGW_L7_MALFORMED);
	if (st == SGW_L7_MALFORMED)
		CHECK(t.reason != SGW_L7_R_NONE);
	if (st != SGW_L7_MATCH)
		return 0;
	CHECK(t.sni_len <= SGW_L7_NAME_MAX && strlen(t.sni) == t.sni_len);
	CHECK(!!(t.flags & SGW_L7_TLS_F_SNI) || !t.sni_len);
	CHECK(!(t.flags & SGW_L7_TLS_F_SNI) || t.sni_len);
	for (i = 0; i < t.alpn_count && i < SGW_L7_TLS_ALPN_MAX; i++)
		CHECK(t.alpn_len[i] > 0);
	CHECK(t.alpn_count <= SGW_L7_TLS_ALPN_MAX ||
	      (t.flags & SGW_L7_TLS_F_ALPN_TRUNC));
	sgw_l7_tls_sni_match(&t, sni, 2);
	sgw_l7_tls_alpn_match(&t, alpn, 2);
	/* A prefix of a complete hello is complete or waits. */
	if (len) {
		st = sgw_l7_tls_parse(data, len - 1, &t);
		CHECK(st == SGW_L7_NEED_MORE || st == SGW_L7_MATCH);
	}
	return 0;
}
