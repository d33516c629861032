/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The few kernel facilities the portable core uses, mapped to libc when it
 * is built in user space for unit tests, fuzzing and benchmarks. Nothing
 * else may be used by files under kmod/core/.
 */
#ifndef SGW_CORE_COMPAT_H
#define SGW_CORE_COMPAT_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/sort.h>
#include <linux/overflow.h>
#include <linux/compiler.h>
#include <linux/refcount.h>

/* Objects shared by policy generations, freed by whichever drops last. */
typedef refcount_t sgw_ref_t;
#define sgw_ref_init(r)		refcount_set(r, 1)
#define sgw_ref_get(r)		refcount_inc(r)
#define sgw_ref_put(r)		refcount_dec_and_test(r)

/* Tables are built in process context, under the config mutex. */
static inline void *sgw_zalloc(size_t n)
{
	return kvzalloc(n, GFP_KERNEL);
}

static inline void sgw_free(const void *p)
{
	kvfree(p);
}

#define sgw_sort(base, num, size, cmp) sort(base, num, size, cmp, NULL)

#else /* user space */
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef uint16_t __be16;
typedef uint32_t __be32;

#ifndef likely
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#endif

static inline void *sgw_zalloc(size_t n)
{
	return calloc(1, n ? n : 1);
}

static inline void sgw_free(const void *p)
{
	free((void *)p);
}

#define sgw_sort(base, num, size, cmp) qsort(base, num, size, cmp)

/* User space builds and frees from one thread. */
typedef unsigned int sgw_ref_t;
#define sgw_ref_init(r)		(*(r) = 1)
#define sgw_ref_get(r)		((*(r))++)
#define sgw_ref_put(r)		(--(*(r)) == 0)

#ifndef check_mul_overflow
#define check_mul_overflow(a, b, d) __builtin_mul_overflow(a, b, d)
#define check_add_overflow(a, b, d) __builtin_add_overflow(a, b, d)
#endif
#endif /* __KERNEL__ */

#endif /* SGW_CORE_COMPAT_H */
