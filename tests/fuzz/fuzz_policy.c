// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer target for the policy parser and printer.
 *
 * Build and run from the top of the tree:
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -Ictl \
 *	ctl/policy*.c tests/fuzz/fuzz_policy.c -o fuzz_policy
 *   ./fuzz_policy -max_total_time=60 tests/fuzz/corpus/policy
 *
 * The input is the policy text as is: not NUL-terminated, so ASan catches
 * any read past its end. A policy that parses is printed, and the printed
 * text must parse back to an equal policy. The same input is also read
 * as "sgctl rule" reads its argument (rules alone), and every rule that
 * parses must mean the same as itself.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "policy.h"

static void rules_alone(const uint8_t *data, size_t size)
{
	struct policy r;
	size_t i;

	if (policy_parse_rules((const char *)data, size, &r, NULL))
		return;
	for (i = 0; i < r.nrules; i++)
		if (policy_rule_same(&r, &r.rules[i], &r, &r.rules[i]) != 1)
			abort();
	policy_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct policy_error err;
	struct policy p, q;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	rules_alone(data, size);
	if (policy_parse((const char *)data, size, &p, &err))
		return 0;
	f = open_memstream(&text, &len);
	if (!f || policy_print(f, &p))
		abort();
	fclose(f);
	if (policy_parse(text, len, &q, &err)) {
		fprintf(stderr, "reparse: %u:%u: %s\n%s", err.line, err.col,
			err.msg, text);
		abort();
	}
	if (!policy_equal(&p, &q)) {
		fprintf(stderr, "printed policy differs:\n%s", text);
		abort();
	}
	free(text);
	policy_free(&p);
	policy_free(&q);
	return 0;
}
