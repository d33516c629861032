/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * SSH client identification line (RFC 4253 4.2):
 *
 *   SSH-protoversion-softwareversion [SP comments] CR LF
 *
 * Only the server may send other lines before it, so the client's first
 * bytes must be "SSH-": else NOT_THIS. protoversion must be 2.0 or 1.99
 * (a 1.x client: MALFORMED). softwareversion is one or more visible ASCII
 * bytes (RFC 4253 forbids '-' in it, yet some clients send one: accepted),
 * comments are printable ASCII. A bare LF ends the line too (RFC 4253
 * allows it for old clients) and is flagged. NEED_MORE until the line
 * ends; a line longer than SGW_L7_SSH_BANNER_MAX, or any other control or
 * non-ASCII byte, is MALFORMED.
 */
#ifndef SGW_CORE_L7_SSH_H
#define SGW_CORE_L7_SSH_H

#include "base.h"

enum sgw_l7_ssh_flag {
	SGW_L7_SSH_F_BARE_LF	= 1 << 0,
	SGW_L7_SSH_F_COMMENTS	= 1 << 1,
};

/* Filled on MATCH; on other results the fields are unspecified. */
struct sgw_l7_ssh {
	u8	flags;		/* SGW_L7_SSH_F_* */
	u8	proto_major;	/* 2 for "2.0", 1 for "1.99" */
	u8	proto_minor;	/* 0 or 99 */
	u8	reason;		/* enum sgw_l7_reason, on MALFORMED */
	u8	line_len;	/* the whole line, terminator included */
	u8	software_len;
	u8	comments_len;
	char	software[SGW_L7_SSH_BANNER_MAX + 1];	/* NUL-terminated */
	char	comments[SGW_L7_SSH_BANNER_MAX + 1];
};

enum sgw_l7_status sgw_l7_ssh_parse(const u8 *data, size_t len,
				    struct sgw_l7_ssh *s);

#endif /* SGW_CORE_L7_SSH_H */
