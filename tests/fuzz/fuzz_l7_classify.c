// SPDX-License-Identifier: GPL-2.0 OR MIT
// libFuzzer target for the dispatcher: the first input byte picks the
// transport and port hint, the rest is the payload.
//
// Build from the top of the tree, then run on the seed corpus:
//   clang -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -Ikmod/core tests/fuzz/fuzz_l7_classify.c kmod/core/l7/*.c -o fuzz_l7_classify
//   ./fuzz_l7_classify tests/fuzz/corpus/l7_classify
#include <stdlib.h>
#include <string.h>
#include "l7/l7.h"

#define CHECK(x) do { if (!(x)) __builtin_trap(); } while (0)

int LLVMFuzzerTestOneInput(const u8 *data, size_t len);

int LLVMFuzzerTestOneInput(const u8 *data, size_t len)
{
	static const u16 ports[] = { 80, 443, 53, 22, 8080, 5353, 3128, 0 };
	static struct sgw_l7_result r;
	enum sgw_l7_status st;
	u8 l4;
	u16 port;

	if (len < 1)
		return 0;
	l4 = data[0] & 0x80 ? SGW_L7_UDP : SGW_L7_TCP;
	port = ports[data[0] & 7];
	st = sgw_l7_classify(data + 1, len - 1, l4, port, &r);
	CHECK(st == r.status && st <= SGW_L7_MALFORMED);
	CHECK((st == SGW_L7_MATCH || st == SGW_L7_MALFORMED) ==
	      (r.app != SGW_APP_NONE));
	CHECK(r.app <= SGW_APP_SSH);
	if (len - 1 >= SGW_L7_PREFIX_MAX)
		CHECK(st != SGW_L7_NEED_MORE);
	return 0;
}
