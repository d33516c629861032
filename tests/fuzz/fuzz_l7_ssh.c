// SPDX-License-Identifier: GPL-2.0 OR MIT
// libFuzzer target for the SSH identification line classifier.
//
// Build from the top of the tree, then run on the seed corpus:
//   clang -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -Ikmod/core tests/fuzz/fuzz_l7_ssh.c kmod/core/l7/*.c -o fuzz_l7_ssh
//   ./fuzz_l7_ssh tests/fuzz/corpus/l7_ssh
#include <stdlib.h>
#include <string.h>
#include "l7/ssh.h"

#define CHECK(x) do { if (!(x)) __builtin_trap(); } while (0)

int LLVMFuzzerTestOneInput(const u8 *data, size_t len);

int LLVMFuzzerTestOneInput(const u8 *data, size_t len)
{
	static struct sgw_l7_ssh s;
	enum sgw_l7_status st;

	st = sgw_l7_ssh_parse(data, len, &s);
	CHECK(st <= SGW_L7_MALFORMED);
	/* Never undecided past the longest line. */
	if (len >= SGW_L7_SSH_BANNER_MAX)
		CHECK(st != SGW_L7_NEED_MORE);
	if (st != SGW_L7_MATCH)
		return 0;
	CHECK(s.line_len <= len && s.line_len <= SGW_L7_SSH_BANNER_MAX);
	CHECK(s.software_len && strlen(s.software) == s.software_len);
	CHECK(strlen(s.comments) == s.comments_len);
	CHECK(s.proto_major == 2 || (s.proto_major == 1 && s.proto_minor == 99));
	CHECK(data[s.line_len - 1] == '\n');
	/* Before its LF the line waits. */
	st = sgw_l7_ssh_parse(data, s.line_len - 1, &s);
	CHECK(st == SGW_L7_NEED_MORE);
	return 0;
}
