// SPDX-License-Identifier: GPL-2.0 OR MIT
// libFuzzer target for the HTTP/1.x request head classifier.
//
// Build from the top of the tree, then run on the seed corpus:
//   clang -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -Ikmod/core tests/fuzz/fuzz_l7_http.c kmod/core/l7/*.c -o fuzz_l7_http
//   ./fuzz_l7_http tests/fuzz/corpus/l7_http
#include <stdlib.h>
#include <string.h>
#include "l7/http.h"
#include "l7/match.h"

#define CHECK(x) do { if (!(x)) __builtin_trap(); } while (0)

static const struct sgw_l7_pattern hosts[] = {
	{ "shop.example.com", 16 }, { "*.shop.example.com", 18 },
};
static const struct sgw_l7_pattern paths[] = { { "/api/*", 6 }, { "/", 1 } };
static const struct sgw_l7_pattern methods[] = { { "GET", 3 }, { "POST", 4 } };

int LLVMFuzzerTestOneInput(const u8 *data, size_t len);

int LLVMFuzzerTestOneInput(const u8 *data, size_t len)
{
	static struct sgw_l7_http h;
	enum sgw_l7_status st;

	st = sgw_l7_http_parse(data, len, &h);
	CHECK(st <= SGW_L7_MALFORMED);
	if (st == SGW_L7_MALFORMED)
		CHECK(h.reason != SGW_L7_R_NONE);
	if (st != SGW_L7_MATCH)
		return 0;
	CHECK(h.method_len && h.method_len <= SGW_L7_HTTP_METHOD_MAX);
	CHECK(strlen(h.method) == h.method_len);
	CHECK(h.host_len <= SGW_L7_NAME_MAX && strlen(h.host) == h.host_len);
	CHECK(h.path_len <= SGW_L7_HTTP_PATH_MAX &&
	      strlen(h.path) == h.path_len);
	CHECK(h.version == 20 || (h.version >= 10 && h.version <= 19));
	sgw_l7_http_host_match(&h, hosts, 2);
	sgw_l7_http_path_match(&h, paths, 2);
	sgw_l7_http_method_match(&h, methods, 2);
	/* A prefix of a complete head is complete or waits. */
	if (len) {
		st = sgw_l7_http_parse(data, len - 1, &h);
		CHECK(st == SGW_L7_NEED_MORE || st == SGW_L7_MATCH);
	}
	return 0;
}
