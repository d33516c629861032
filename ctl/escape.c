// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Escaping untrusted bytes for log lines: see escape.h for the form and
 * why a line built from escaped values cannot be forged.
 */
#include <stdint.h>

#include "escape.h"

static const char hex[] = "0123456789abcdef";

static bool kept(uint8_t c)
{
	return c >= 0x20 && c <= 0x7e && c != '"' && c != '\\';
}

size_t escape_len(const void *src, size_t len)
{
	const uint8_t *s = src;
	size_t n = 0, i;

	for (i = 0; i < len; i++)
		n += kept(s[i]) ? 1 : 4;
	return n;
}

size_t escape(char *dst, const void *src, size_t len)
{
	const uint8_t *s = src;
	char *d = dst;
	size_t i;

	for (i = 0; i < len; i++) {
		if (kept(s[i])) {
			*d++ = s[i];
			continue;
		}
		*d++ = '\\';
		*d++ = 'x';
		*d++ = hex[s[i] >> 4];
		*d++ = hex[s[i] & 0xf];
	}
	*d = '\0';
	return d - dst;
}

bool escape_needs_quotes(const char *esc, size_t len)
{
	size_t i;

	if (!len)
		return true;
	for (i = 0; i < len; i++)
		if (esc[i] == ' ' || esc[i] == '=')
			return true;
	return false;
}

static int nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

ssize_t escape_decode(void *dst, const char *src, size_t len)
{
	uint8_t *d = dst;
	size_t i = 0;

	while (i < len) {
		int hi, lo;

		if (src[i] != '\\') {
			if (!kept(src[i]))
				return -1;
			*d++ = src[i++];
			continue;
		}
		if (len - i < 4 || src[i + 1] != 'x')
			return -1;
		hi = nibble(src[i + 2]);
		lo = nibble(src[i + 3]);
		if (hi < 0 || lo < 0 || kept(hi << 4 | lo))
			return -1;
		*d++ = hi << 4 | lo;
		i += 4;
	}
	return d - (uint8_t *)dst;
}
