/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Tokens of the policy language, and the error helpers the parser shares
 * with the lexer. Internal to ctl/policy*.c.
 */
#ifndef SGCTL_POLICY_LEX_H
#define SGCTL_POLICY_LEX_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "policy.h"

enum policy_tok {
	TOK_EOF,
	TOK_NEWLINE,
	/* A run of [A-Za-z0-9_.:/-] and "*", never containing "->"; in
	 * path mode, of path characters (see struct policy_lexer).
	 */
	TOK_WORD,
	TOK_COMMA,
	TOK_ARROW,	/* "->" */
};

struct policy_token {
	enum policy_tok	type;
	const char	*s;	/* into the text; not NUL-terminated */
	size_t		len;
	unsigned int	line;	/* 1-based */
	unsigned int	col;	/* 1-based, bytes */
};

struct policy_lexer {
	const char	*text;
	size_t		len;
	size_t		pos;
	size_t		line_start;	/* of the current line */
	unsigned int	line;
	/*
	 * Set by the parser while it reads HTTP path patterns: words are
	 * then runs of the characters a URI path may hold unescaped (RFC
	 * 3986 pchar: A-Z a-z 0-9 - . _ ~ ! $ & ' ( ) * + ; = : @ % and /)
	 * and "?", so that "/~user/a+b" is one word and a query is refused
	 * with a message rather than as a stray character; "->" is not
	 * special. "," and "#" still end a word.
	 */
	bool		path;
};

void policy_lex_init(struct policy_lexer *lx, const char *text, size_t len);

/* The next token into @t; 0, or -1 with @err set for bytes that are no
 * token (NUL, control, non-ASCII outside comments, stray punctuation) and
 * for lines longer than POLICY_LINE_MAX.
 */
int policy_lex_next(struct policy_lexer *lx, struct policy_token *t,
		    struct policy_error *err);

/* 1 if @t is the word @word. */
int policy_tok_is(const struct policy_token *t, const char *word);

enum { POLICY_QUOTE_SIZE = 64 };

/*
 * @s (@len bytes) in double quotes for a message, cut short with "..."
 * when long. Returns @buf.
 */
const char *policy_quote(char buf[POLICY_QUOTE_SIZE], const char *s,
			 size_t len);

/* Digits as written, cut short with "..." when long: for numbers. */
const char *policy_clip(char buf[POLICY_QUOTE_SIZE], const char *s,
			size_t len);

/* "\"word\"", "\",\"", "end of line"...: what the user wrote at @t. */
const char *policy_tok_describe(char buf[POLICY_QUOTE_SIZE],
				const struct policy_token *t);

/* Fill @err; returns -1 so callers can "return policy_fail(...)". */
int policy_fail(struct policy_error *err, unsigned int line, unsigned int col,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int policy_vfail(struct policy_error *err, unsigned int line,
		 unsigned int col, const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));

/* Words of the language with a value: protocols and hooks. */
struct policy_word {
	const char	*name;
	uint32_t	value;
};

enum {
	POLICY_NPROTOS = 5, POLICY_NHOOKS = 3, POLICY_NAPPS = 5,
	POLICY_NL7_FIELDS = 6, POLICY_NL7_FLAGS = 2,
};

/* tcp, udp, icmp, icmpv6, any: IPPROTO_* and SGW_PROTO_ANY. */
extern const struct policy_word policy_protos[POLICY_NPROTOS];
/* forward, input, output: SGW_HOOK_F_*, in the order printed. */
extern const struct policy_word policy_hooks[POLICY_NHOOKS];
/* http, tls, dns, ssh, unclassified: SGW_APP_*. */
extern const struct policy_word policy_apps[POLICY_NAPPS];
/*
 * host, method, path, sni, alpn, qname: enum sgw_l7_field, in that order,
 * which is the order printed and hashed.
 */
extern const struct policy_word policy_l7_fields[POLICY_NL7_FIELDS];
/* nosni, ech: SGW_L7_F_*, in the order printed and hashed. */
extern const struct policy_word policy_l7_flags[POLICY_NL7_FLAGS];

/* The name of @value in @words (of @n), or NULL. */
const char *policy_word_name(const struct policy_word *words, size_t n,
			     uint32_t value);

/*
 * 1 if @s (@len bytes) is a word of an app clause (a field or a flag
 * name): such a word cannot be a pattern, so that "sni a.example, nosni"
 * is an error rather than a host named "nosni".
 */
int policy_l7_keyword(const char *s, size_t len);

/* 1 if "app @app" may follow protocol @proto: tcp, or udp for dns and
 * unclassified.
 */
int policy_app_proto_ok(uint8_t app, uint8_t proto);

/*
 * 1 if the lexer reads @s (@len bytes) back as one word: in path mode if
 * @path. For the printer, which may be handed patterns from the kernel.
 */
int policy_lex_is_word(const char *s, size_t len, bool path);

/* The word in @words (of @n) that @t is, or NULL. */
const struct policy_word *policy_word_find(const struct policy_word *words,
					   size_t n,
					   const struct policy_token *t);

#endif /* SGCTL_POLICY_LEX_H */
