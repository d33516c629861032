// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Character classes of the text protocols, one table lookup per byte.
 */
#include "base.h"

#define T SGW_L7_C_TCHAR
#define V SGW_L7_C_VCHAR
#define H SGW_L7_C_HOST
#define X SGW_L7_C_HEX
#define F SGW_L7_C_FIELD
#define S SGW_L7_C_SCHEME

const u8 sgw_l7_ctype[256] = {
	['\t'] = F,
	[' '] = F,
	['!'] = T | V | F,
	['"'] = V | F,
	['#'] = T | V | F,
	['$'] = T | V | F,
	['%'] = T | V | F,
	['&'] = T | V | F,
	['\''] = T | V | F,
	['('] = V | F,
	[')'] = V | F,
	['*'] = T | V | F,
	['+'] = T | V | F | S,
	[','] = V | F,
	['-'] = T | V | H | F | S,
	['.'] = T | V | H | F | S,
	['/'] = V | F,
	['0' ... '9'] = T | V | H | X | F | S,
	[':' ... '@'] = V | F,
	['A' ... 'F'] = T | V | H | X | F | S,
	['G' ... 'Z'] = T | V | H | F | S,
	['['] = V | F,
	['\\'] = V | F,
	[']'] = V | F,
	['^'] = T | V | F,
	['_'] = T | V | H | F,
	['`'] = T | V | F,
	['a' ... 'f'] = T | V | H | X | F | S,
	['g' ... 'z'] = T | V | H | F | S,
	['{'] = V | F,
	['|'] = T | V | F,
	['}'] = V | F,
	['~'] = T | V | H | F,
	[0x80 ... 0xff] = F,
};
