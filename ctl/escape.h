/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Escaping bytes that came from the network (HTTP Host, TLS SNI, DNS
 * names...) before they go into a log line.
 *
 * The escaped form is ASCII only: the printable characters 0x20..0x7e are
 * kept, except '"' and '\\', and every other byte, those two included,
 * becomes "\xHH" (lower-case hex). So an escaped value never holds a line
 * end, a NUL, a quote or a byte >= 0x80, and the raw bytes can always be
 * recovered (escape_decode()).
 *
 * In a key=value line a value is quoted when it is empty or holds a space
 * or '=': an attacker's "a b=c" becomes host="a b=c", never a field b.
 * Since '"' is always escaped, a quoted value ends at the next '"'.
 */
#ifndef SGCTL_ESCAPE_H
#define SGCTL_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Bytes escape() writes for @len bytes of @src, the NUL not counted. */
size_t escape_len(const void *src, size_t len);

/*
 * Write @len bytes of @src escaped, then a NUL, into @dst, which holds at
 * least escape_len(@src, @len) + 1 bytes. Returns the length written.
 */
size_t escape(char *dst, const void *src, size_t len);

/* Whether escaped text @esc must be quoted as a key=value value. */
bool escape_needs_quotes(const char *esc, size_t len);

/*
 * The raw bytes back from @len bytes of escaped text: @dst holds at least
 * @len bytes. Returns the number of bytes, or -1 if @src is not something
 * escape() writes.
 */
ssize_t escape_decode(void *dst, const char *src, size_t len);

#endif /* SGCTL_ESCAPE_H */
