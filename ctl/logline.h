/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * One line of a flow log, as "sgctl logcheck" reads it: who wrote it (the
 * syslog host and tag, "sgw[812]") and the monitor record it holds, as
 * key=value text or JSON. Lines come from files anyone may have written
 * to, so nothing is assumed of them: every field is checked, the line is
 * only read within its length, and whatever does not parse is malformed.
 * No I/O, no allocation that outlives a call.
 */
#ifndef SGCTL_LOGLINE_H
#define SGCTL_LOGLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum logline_kind {
	LL_OTHER,	/* a syslog line of something else: not ours */
	LL_MALFORMED,	/* meant to be a record, but is not one */
	LL_EVENT,	/* allow, deny, end, revoke, or a newer type: @seq */
	LL_GAP,		/* @from .. @to lost, counted by sgctl */
	LL_LATE,	/* @seq, counted in a gap earlier, arrived */
	LL_STREAM,	/* sequence numbers start again (@has_from: at @from) */
	LL_SUMMARY,	/* sgctl's counts at exit */
};

struct logline {
	enum logline_kind kind;
	/* Into the line; both empty for sgctl's own output (no syslog). */
	const char	*host;
	size_t		host_len;
	const char	*tag;
	size_t		tag_len;
	/* The record, into the line. */
	const char	*msg;
	size_t		msg_len;

	uint64_t	seq;
	bool		has_from;
	uint64_t	from;
	uint64_t	to;
	/* LL_SUMMARY */
	uint64_t	received;
	uint64_t	early;
	uint64_t	stray;
	bool		has_syslog_sent;
	uint64_t	syslog_sent;
	bool		has_syslog_failed;
	uint64_t	syslog_failed;
	/* The last number of the run's last stream sgctl accounted for. */
	bool		has_last_seq;
	uint64_t	last_seq;
};

/*
 * Parse @len bytes of @line, without its line end. Accepted: a record as
 * "sgctl monitor" prints it (text or --json), or after a syslog prefix
 * "... HOST TAG: " as rsyslog writes it. Any byte outside printable ASCII
 * makes the line malformed: sgctl writes none, and rsyslog escapes them.
 * Returns the kind, also in @l->kind.
 */
enum logline_kind logline_parse(const char *line, size_t len,
				struct logline *l);

#endif /* SGCTL_LOGLINE_H */
