// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * SSH identification line classifier: one scan for the end of the line,
 * then the line split at its first '-' and first space.
 */
#include "ssh.h"

static enum sgw_l7_status malformed(struct sgw_l7_ssh *s,
				    enum sgw_l7_reason why)
{
	s->reason = why;
	return SGW_L7_MALFORMED;
}

enum sgw_l7_status sgw_l7_ssh_parse(const u8 *data, size_t len,
				    struct sgw_l7_ssh *s)
{
	static const char magic[4] = "SSH-";
	size_t i, end, eol, sw, sp;

	s->flags = 0;
	s->proto_major = s->proto_minor = 0;
	s->reason = SGW_L7_R_NONE;
	s->line_len = s->software_len = s->comments_len = 0;
	s->software[0] = s->comments[0] = '\0';

	for (i = 0; i < sizeof(magic); i++) {
		if (i == len)
			return SGW_L7_NEED_MORE;
		if (data[i] != (u8)magic[i])
			return SGW_L7_NOT_THIS;
	}

	end = len < SGW_L7_SSH_BANNER_MAX ? len : SGW_L7_SSH_BANNER_MAX;
	for (; i < end && data[i] >= 0x20 && data[i] <= 0x7e; i++)
		;
	/* A terminator after BANNER_MAX bytes would already be too far. */
	if (i == end)
		return end < SGW_L7_SSH_BANNER_MAX ? SGW_L7_NEED_MORE :
		       malformed(s, SGW_L7_R_LIMIT);
	eol = i;
	if (data[i] == '\r') {
		if (i + 2 > SGW_L7_SSH_BANNER_MAX)
			return malformed(s, SGW_L7_R_LIMIT);
		if (i + 1 == len)
			return SGW_L7_NEED_MORE;
		if (data[i + 1] != '\n')
			return malformed(s, SGW_L7_R_SYNTAX);
		s->line_len = i + 2;
	} else if (data[i] == '\n') {
		s->flags |= SGW_L7_SSH_F_BARE_LF;
		s->line_len = i + 1;
	} else {
		return malformed(s, SGW_L7_R_SYNTAX);
	}

	/* protoversion "-" */
	for (sw = 4; sw < eol && data[sw] != '-'; sw++)
		;
	if (sw - 4 == 3 && !memcmp(data + 4, "2.0", 3)) {
		s->proto_major = 2;
	} else if (sw - 4 == 4 && !memcmp(data + 4, "1.99", 4)) {
		s->proto_major = 1;
		s->proto_minor = 99;
	} else {
		return malformed(s, SGW_L7_R_SYNTAX);
	}
	if (sw == eol)
		return malformed(s, SGW_L7_R_SYNTAX);

	/* softwareversion [ SP comments ] */
	for (sp = ++sw; sp < eol && data[sp] != ' '; sp++)
		;
	if (sp == sw)
		return malformed(s, SGW_L7_R_SYNTAX);
	/* Both fit: the line is shorter than SGW_L7_SSH_BANNER_MAX. */
	s->software_len = sp - sw;
	memcpy(s->software, data + sw, s->software_len);
	s->software[s->software_len] = '\0';
	if (sp < eol) {
		s->flags |= SGW_L7_SSH_F_COMMENTS;
		s->comments_len = eol - sp - 1;
		memcpy(s->comments, data + sp + 1, s->comments_len);
		s->comments[s->comments_len] = '\0';
	}
	return SGW_L7_MATCH;
}
