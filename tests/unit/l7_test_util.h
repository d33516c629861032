/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Helpers for the L7 classifier tests: exact-size copies (so that any read
 * past the length handed to a parser is a heap overflow ASan reports) and a
 * small builder for wire formats with nested length prefixes.
 */
#ifndef SGW_TEST_L7_UTIL_H
#define SGW_TEST_L7_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "l7/l7.h"

/* A heap copy of exactly @n bytes; free() it. */
static inline u8 *dup_exact(const void *p, size_t n)
{
	u8 *d = malloc(n ? n : 1);

	assert_non_null(d);
	if (n)
		memcpy(d, p, n);
	return d;
}

enum { BUILD_MAX = 40000, BUILD_DEPTH = 8 };

struct build {
	u8	d[BUILD_MAX];
	size_t	n;
	size_t	open_at[BUILD_DEPTH];	/* where each open length sits */
	u8	open_width[BUILD_DEPTH];
	int	depth;
};

static inline void b_init(struct build *b)
{
	b->n = 0;
	b->depth = 0;
}

static inline void b_bytes(struct build *b, const void *p, size_t n)
{
	assert_true(b->n + n <= BUILD_MAX);
	memcpy(b->d + b->n, p, n);
	b->n += n;
}

static inline void b_str(struct build *b, const char *s)
{
	b_bytes(b, s, strlen(s));
}

static inline void b_fill(struct build *b, u8 c, size_t n)
{
	assert_true(b->n + n <= BUILD_MAX);
	memset(b->d + b->n, c, n);
	b->n += n;
}

static inline void b_u8(struct build *b, unsigned int v)
{
	u8 x = v;

	b_bytes(b, &x, 1);
}

static inline void b_u16(struct build *b, unsigned int v)
{
	b_u8(b, v >> 8);
	b_u8(b, v);
}

static inline void b_u24(struct build *b, unsigned int v)
{
	b_u8(b, v >> 16);
	b_u16(b, v);
}

/* Start a vector with a @width-byte length prefix, patched by b_close. */
static inline void b_open(struct build *b, int width)
{
	assert_true(b->depth < BUILD_DEPTH);
	b->open_at[b->depth] = b->n;
	b->open_width[b->depth] = width;
	b->depth++;
	b_fill(b, 0, width);
}

static inline void b_close(struct build *b)
{
	size_t at, len;
	int w;

	assert_true(b->depth > 0);
	b->depth--;
	at = b->open_at[b->depth];
	w = b->open_width[b->depth];
	len = b->n - at - w;
	assert_true(len < (1UL << (8 * w)));
	while (w--) {
		b->d[at + w] = len & 0xff;
		len >>= 8;
	}
}

#endif /* SGW_TEST_L7_UTIL_H */
