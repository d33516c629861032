// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * SSH identification line: the OpenSSH client's banner, its prefixes, and
 * the lines RFC 4253 4.2 refuses.
 */
#include "l7_test_util.h"
#include "l7_samples.h"

static struct sgw_l7_ssh s;

static enum sgw_l7_status parse_n(const void *p, size_t n)
{
	u8 *d = dup_exact(p, n);
	enum sgw_l7_status st = sgw_l7_ssh_parse(d, n, &s);

	free(d);
	return st;
}

static enum sgw_l7_status parse(const char *p)
{
	return parse_n(p, strlen(p));
}

static void test_openssh(void **state)
{
	size_t i, n = sizeof(sample_ssh_openssh);

	(void)state;
	for (i = 0; i < n; i++)
		assert_int_equal(parse_n(sample_ssh_openssh, i),
				 SGW_L7_NEED_MORE);
	assert_int_equal(parse_n(sample_ssh_openssh, n), SGW_L7_MATCH);
	assert_int_equal(s.proto_major, 2);
	assert_int_equal(s.proto_minor, 0);
	assert_string_equal(s.software, "OpenSSH_9.2p1");
	assert_int_equal(s.software_len, 13);
	assert_string_equal(s.comments, "Debian-2+deb12u10");
	assert_int_equal(s.comments_len, 17);
	assert_int_equal(s.line_len, n);
	assert_int_equal(s.flags, SGW_L7_SSH_F_COMMENTS);
}

static void test_accepted(void **state)
{
	(void)state;
	assert_int_equal(parse("SSH-1.99-Old\r\n"), SGW_L7_MATCH);
	assert_int_equal(s.proto_major, 1);
	assert_int_equal(s.proto_minor, 99);
	assert_string_equal(s.software, "Old");
	assert_int_equal(s.comments_len, 0);
	assert_int_equal(parse("SSH-2.0-JSCH-0.1.54\r\n"), SGW_L7_MATCH);
	assert_string_equal(s.software, "JSCH-0.1.54");
	assert_int_equal(parse("SSH-2.0-x\n"), SGW_L7_MATCH);
	assert_int_equal(s.flags, SGW_L7_SSH_F_BARE_LF);
	assert_int_equal(s.line_len, 10);
	assert_int_equal(parse("SSH-2.0-x \r\n"), SGW_L7_MATCH);
	assert_true(s.flags & SGW_L7_SSH_F_COMMENTS);
	assert_int_equal(s.comments_len, 0);
	/* Whatever follows the line (KEXINIT) is not looked at. */
	assert_int_equal(parse_n("SSH-2.0-x\r\n\x00\x00\x05\xdc\x0a\x14", 17),
			 SGW_L7_MATCH);
	assert_int_equal(s.line_len, 11);
}

static void test_refused(void **state)
{
	static const struct {
		const char	*line;
		size_t		len;
		int		status;
	} cases[] = {
		{ "SSH-1.5-x\r\n", 0, SGW_L7_MALFORMED },
		{ "SSH-2.1-x\r\n", 0, SGW_L7_MALFORMED },
		{ "SSH-2.0\r\n", 0, SGW_L7_MALFORMED },
		{ "SSH-2.0-\r\n", 0, SGW_L7_MALFORMED },
		{ "SSH-2.0- x\r\n", 0, SGW_L7_MALFORMED },
		{ "SSH-\r\n", 0, SGW_L7_MALFORMED },
		{ "SSH-2.0-x\ry", 0, SGW_L7_MALFORMED },
		{ "SSH-2.0-x\0\r\n", 12, SGW_L7_MALFORMED },
		{ "SSH-2.0-x\ty\r\n", 0, SGW_L7_MALFORMED },
		{ "SSH-2.0-caf\xc3\xa9\r\n", 0, SGW_L7_MALFORMED },
		{ "ssh-2.0-x\r\n", 0, SGW_L7_NOT_THIS },
		{ "SSX", 0, SGW_L7_NOT_THIS },
		{ "GET / HTTP/1.1\r\n", 0, SGW_L7_NOT_THIS },
		{ "\r\nSSH-2.0-x\r\n", 0, SGW_L7_NOT_THIS },
		{ "SSH-2.0-x\r", 0, SGW_L7_NEED_MORE },
		{ "SSH-2.0-x y z", 0, SGW_L7_NEED_MORE },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n = cases[i].len ? cases[i].len : strlen(cases[i].line);

		if ((int)parse_n(cases[i].line, n) != cases[i].status)
			fail_msg("case %zu: got %d", i,
				 parse_n(cases[i].line, n));
	}
}

static void test_length(void **state)
{
	char line[400];

	(void)state;
	/* 255 bytes with CR LF: the longest allowed. */
	memset(line, 'a', sizeof(line));
	memcpy(line, "SSH-2.0-", 8);
	memcpy(line + 253, "\r\n", 2);
	assert_int_equal(parse_n(line, 255), SGW_L7_MATCH);
	assert_int_equal(s.line_len, 255);
	assert_int_equal(s.software_len, 245);
	assert_int_equal(strlen(s.software), 245);
	memcpy(line + 253, "a\n", 2);
	assert_int_equal(parse_n(line, 255), SGW_L7_MATCH);
	/* 256. */
	memcpy(line + 253, "a\r\n", 3);
	assert_int_equal(parse_n(line, 255), SGW_L7_MALFORMED);
	assert_int_equal(s.reason, SGW_L7_R_LIMIT);
	assert_int_equal(parse_n(line, 256), SGW_L7_MALFORMED);
	/* No end of line at all. */
	memset(line + 8, 'a', sizeof(line) - 8);
	assert_int_equal(parse_n(line, 254), SGW_L7_NEED_MORE);
	assert_int_equal(parse_n(line, 255), SGW_L7_MALFORMED);
	assert_int_equal(parse_n(line, sizeof(line)), SGW_L7_MALFORMED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_openssh),
		cmocka_unit_test(test_accepted),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_length),
	};

	return cmocka_run_group_tests_name("l7_ssh", tests, NULL, NULL);
}
