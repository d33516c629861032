// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The policy lexer: bytes to tokens, with line and column.
 *
 * The text is a bounded buffer, not a C string: every read is checked
 * against lx->len, and NUL is an error rather than an end. Only printable
 * ASCII, spaces, tabs and line ends may appear outside comments; comments
 * run to the end of the line and may hold any byte but NUL, so UTF-8 prose
 * in comments is fine.
 */
#include <limits.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "policy_lex.h"

void policy_lex_init(struct policy_lexer *lx, const char *text, size_t len)
{
	lx->text = text;
	lx->len = text ? len : 0;
	lx->pos = 0;
	lx->line_start = 0;
	lx->line = 1;
	lx->path = false;
}

static int is_word(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-' ||
	       c == ':' || c == '/' || c == '*';
}

static int is_path(unsigned char c)
{
	return is_word(c) || (c && strchr("~!$&'()+;=@%?", c));
}

static int word_byte(const struct policy_lexer *lx, unsigned char c)
{
	return lx->path ? is_path(c) : is_word(c);
}

/* A word stops before "->", so "web->db" is three tokens; not a path. */
static int arrow_at(const struct policy_lexer *lx, size_t pos)
{
	return !lx->path && lx->text[pos] == '-' && pos + 1 < lx->len &&
	       lx->text[pos + 1] == '>';
}

int policy_lex_is_word(const char *s, size_t len, bool path)
{
	struct policy_lexer lx;
	size_t i;

	policy_lex_init(&lx, s, len);
	lx.path = path;
	if (!len)
		return 0;
	for (i = 0; i < len; i++)
		if (!word_byte(&lx, (unsigned char)s[i]) || arrow_at(&lx, i))
			return 0;
	return 1;
}

static unsigned int col_at(const struct policy_lexer *lx, size_t pos)
{
	size_t col = pos - lx->line_start + 1;

	/* Lines are checked against POLICY_LINE_MAX before a column past it
	 * is ever reported, so this only guards the conversion.
	 */
	return col > POLICY_LINE_MAX + 1 ? POLICY_LINE_MAX + 1 :
					   (unsigned int)col;
}

/* Bytes [line_start, end) are all on the current line, line end excluded. */
static int check_length(struct policy_lexer *lx, size_t end,
			struct policy_error *err)
{
	if (end - lx->line_start <= POLICY_LINE_MAX)
		return 0;
	return policy_fail(err, lx->line, POLICY_LINE_MAX + 1,
			   "line is longer than %u bytes", POLICY_LINE_MAX);
}

static int bad_byte(struct policy_lexer *lx, size_t pos,
		    struct policy_error *err)
{
	unsigned char c = (unsigned char)lx->text[pos];
	unsigned int line = lx->line, col = col_at(lx, pos);

	if (c == 0)
		return policy_fail(err, line, col, "NUL byte in policy text");
	if (c == '\r')
		return policy_fail(err, line, col,
				   "carriage return not followed by a line feed");
	if (c >= 0x80)
		return policy_fail(err, line, col,
				   "non-ASCII byte 0x%02x outside a comment", c);
	if (c < 0x20 || c == 0x7f)
		return policy_fail(err, line, col, "control character 0x%02x",
				   c);
	if (c == '"')
		return policy_fail(err, line, col, "unexpected character '\"'");
	return policy_fail(err, line, col, "unexpected character \"%c\"", c);
}

static int skip_comment(struct policy_lexer *lx, struct policy_error *err)
{
	const char *s = lx->text;
	size_t end;

	while (lx->pos < lx->len && s[lx->pos] != '\n') {
		if (s[lx->pos] == 0)
			return bad_byte(lx, lx->pos, err);
		lx->pos++;
	}
	end = lx->pos;
	if (end > lx->line_start && s[end - 1] == '\r')
		end--;	/* CRLF: the CR is part of the line end */
	return check_length(lx, end, err);
}

int policy_lex_next(struct policy_lexer *lx, struct policy_token *t,
		    struct policy_error *err)
{
	const char *s = lx->text;
	size_t n = lx->len;
	unsigned char c;

	while (lx->pos < n && (s[lx->pos] == ' ' || s[lx->pos] == '\t'))
		lx->pos++;
	if (check_length(lx, lx->pos, err))
		return -1;
	if (lx->pos < n && s[lx->pos] == '#' && skip_comment(lx, err))
		return -1;

	t->s = s + lx->pos;
	t->len = 0;
	t->line = lx->line;
	t->col = col_at(lx, lx->pos);
	if (lx->pos == n) {
		t->type = TOK_EOF;
		return 0;
	}

	c = (unsigned char)s[lx->pos];
	if (c == '\r' && (lx->pos + 1 == n || s[lx->pos + 1] == '\n')) {
		lx->pos++;
		if (lx->pos == n) {
			t->type = TOK_NEWLINE;
			t->len = 1;
			return 0;
		}
		c = '\n';
	}
	if (c == '\n') {
		if (lx->line == UINT_MAX)
			return policy_fail(err, t->line, t->col,
					   "more than %u lines", UINT_MAX - 1);
		lx->pos++;
		t->type = TOK_NEWLINE;
		t->len = (size_t)(s + lx->pos - t->s);
		lx->line++;
		lx->line_start = lx->pos;
		return 0;
	}
	if (c == ',') {
		t->type = TOK_COMMA;
		t->len = 1;
		lx->pos++;
		return check_length(lx, lx->pos, err);
	}
	if (c == '-' && lx->pos + 1 < n && s[lx->pos + 1] == '>') {
		t->type = TOK_ARROW;
		t->len = 2;
		lx->pos += 2;
		return check_length(lx, lx->pos, err);
	}
	if (!word_byte(lx, c))
		return bad_byte(lx, lx->pos, err);

	while (lx->pos < n && word_byte(lx, (unsigned char)s[lx->pos]) &&
	       !arrow_at(lx, lx->pos))
		lx->pos++;
	t->type = TOK_WORD;
	t->len = (size_t)(s + lx->pos - t->s);
	return check_length(lx, lx->pos, err);
}

int policy_tok_is(const struct policy_token *t, const char *word)
{
	size_t len = strlen(word);

	return t->type == TOK_WORD && t->len == len &&
	       memcmp(t->s, word, len) == 0;
}

const char *policy_quote(char buf[POLICY_QUOTE_SIZE], const char *s,
			 size_t len)
{
	/* Room for the quotes, "..." and the NUL. */
	size_t max = POLICY_QUOTE_SIZE - 6, i, o = 0;

	buf[o++] = '"';
	for (i = 0; i < len && i < max; i++) {
		unsigned char c = (unsigned char)s[i];

		buf[o++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	}
	if (i < len) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o++] = '"';
	buf[o] = 0;
	return buf;
}

const char *policy_clip(char buf[POLICY_QUOTE_SIZE], const char *s,
			size_t len)
{
	size_t n;

	policy_quote(buf, s, len);
	n = strlen(buf);
	memmove(buf, buf + 1, n - 2);
	buf[n - 2] = 0;
	return buf;
}

const char *policy_tok_describe(char buf[POLICY_QUOTE_SIZE],
				const struct policy_token *t)
{
	switch (t->type) {
	case TOK_EOF:
		return "end of file";
	case TOK_NEWLINE:
		return "end of line";
	case TOK_COMMA:
		return "\",\"";
	case TOK_ARROW:
		return "\"->\"";
	case TOK_WORD:
		break;
	}
	return policy_quote(buf, t->s, t->len);
}

int policy_vfail(struct policy_error *err, unsigned int line,
		 unsigned int col, const char *fmt, va_list ap)
{
	err->line = line;
	err->col = col;
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	return -1;
}

int policy_fail(struct policy_error *err, unsigned int line, unsigned int col,
		const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	policy_vfail(err, line, col, fmt, ap);
	va_end(ap);
	return -1;
}

const struct policy_word policy_protos[POLICY_NPROTOS] = {
	{ "tcp", IPPROTO_TCP },
	{ "udp", IPPROTO_UDP },
	{ "icmp", IPPROTO_ICMP },
	{ "icmpv6", IPPROTO_ICMPV6 },
	{ "any", SGW_PROTO_ANY },
};

const struct policy_word policy_hooks[POLICY_NHOOKS] = {
	{ "forward", SGW_HOOK_F_FORWARD },
	{ "input", SGW_HOOK_F_INPUT },
	{ "output", SGW_HOOK_F_OUTPUT },
};

const struct policy_word policy_apps[POLICY_NAPPS] = {
	{ "http", SGW_APP_HTTP },
	{ "tls", SGW_APP_TLS },
	{ "dns", SGW_APP_DNS },
	{ "ssh", SGW_APP_SSH },
	{ "unclassified", SGW_APP_UNCLASSIFIED },
};

/* Values are enum sgw_l7_field (kmod/core/l7/rule.h), in its order. */
const struct policy_word policy_l7_fields[POLICY_NL7_FIELDS] = {
	{ "host", 0 },
	{ "method", 1 },
	{ "path", 2 },
	{ "sni", 3 },
	{ "alpn", 4 },
	{ "qname", 5 },
};

const struct policy_word policy_l7_flags[POLICY_NL7_FLAGS] = {
	{ "nosni", SGW_L7_F_NO_SNI },
	{ "ech", SGW_L7_F_ECH },
};

const char *policy_word_name(const struct policy_word *words, size_t n,
			     uint32_t value)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (words[i].value == value)
			return words[i].name;
	return NULL;
}

static int word_in(const struct policy_word *words, size_t n, const char *s,
		   size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strlen(words[i].name) == len &&
		    !memcmp(words[i].name, s, len))
			return 1;
	return 0;
}

int policy_app_proto_ok(uint8_t app, uint8_t proto)
{
	if (proto == IPPROTO_TCP)
		return 1;
	return proto == IPPROTO_UDP &&
	       (app == SGW_APP_DNS || app == SGW_APP_UNCLASSIFIED);
}

int policy_l7_keyword(const char *s, size_t len)
{
	return word_in(policy_l7_fields, POLICY_NL7_FIELDS, s, len) ||
	       word_in(policy_l7_flags, POLICY_NL7_FLAGS, s, len);
}

const struct policy_word *policy_word_find(const struct policy_word *words,
					   size_t n,
					   const struct policy_token *t)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (policy_tok_is(t, words[i].name))
			return &words[i];
	return NULL;
}
