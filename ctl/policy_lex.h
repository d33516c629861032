/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Tokens of the policy language, and the error helpers the parser shares
 * with the lexer. Internal to ctl/policy*.c.
 */
#ifndef SGCTL_POLICY_LEX_H
#define SGCTL_POLICY_LEX_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include "policy.h"

enum policy_tok {
	TOK_EOF,
	TOK_NEWLINE,
	TOK_WORD,	/* a run of [A-Za-z0-9_.:/-], never containing "->" */
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

enum { POLICY_NPROTOS = 5, POLICY_NHOOKS = 3 };

/* tcp, udp, icmp, icmpv6, any: IPPROTO_* and SGW_PROTO_ANY. */
extern const struct policy_word policy_protos[POLICY_NPROTOS];
/* forward, input, output: SGW_HOOK_F_*, in the order printed. */
extern const struct policy_word policy_hooks[POLICY_NHOOKS];

/* The word in @words (of @n) that @t is, or NULL. */
const struct policy_word *policy_word_find(const struct policy_word *words,
					   size_t n,
					   const struct policy_token *t);

#endif /* SGCTL_POLICY_LEX_H */
