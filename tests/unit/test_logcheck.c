// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * sgctl logcheck's line parser and accounting (ctl/logline.c,
 * ctl/logcheck_acct.c), on flow logs built here as rsyslog and the
 * monitor write them: a complete log, a deleted line and a deleted run
 * of lines reported with their exact numbers, ranges counted lost by gap
 * records not reported missing, module reloads (with and without stream
 * records), two hosts interleaved, repeated lines, hostile and overlong
 * lines fed in pieces, and JSON records alone or inside syslog lines.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "logcheck_acct.h"
#include "logline.h"

static struct logcheck c;
/* The hour of events made: a module loaded again numbers from 1 again,
 * but its events are new lines, not repeats.
 */
static unsigned int hour;

static int setup(void **state)
{
	(void)state;
	hour = 10;
	return logcheck_init(&c);
}

static int teardown(void **state)
{
	(void)state;
	logcheck_free(&c);
	return 0;
}

/* One line, "\n" added, as rsyslog's SgwFlowFile template writes it. */
__attribute__((format(printf, 3, 4)))
static void sys(const char *host, int pid, const char *fmt, ...)
{
	char msg[1024], line[1200];
	va_list ap;
	int n;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	n = snprintf(line, sizeof(line),
		     "2026-12-07T10:00:00.123+00:00 %s sgw[%d]: %s\n", host,
		     pid, msg);
	assert_int_equal(logcheck_feed(&c, line, n), 0);
}

static void ev(const char *host, int pid, uint64_t seq)
{
	sys(host, pid,
	    "time=2026-12-07T%02u:00:%02u.%06uZ event=allow seq=%llu proto=tcp src=10.10.1.5 sport=51514 dst=10.10.2.7 dport=5432 reason=allow",
	    hour, (unsigned int)(seq / 1000000 % 60),
	    (unsigned int)(seq % 1000000),
	    (unsigned long long)seq);
}

static void evs(const char *host, int pid, uint64_t from, uint64_t to)
{
	for (; from <= to; from++)
		ev(host, pid, from);
}

static void raw(const char *s)
{
	assert_int_equal(logcheck_feed(&c, s, strlen(s)), 0);
}

static void finish(void)
{
	assert_int_equal(logcheck_end_file(&c), 0);
	assert_int_equal(logcheck_finish(&c), 0);
}

static const struct lc_stream *stream(size_t i)
{
	assert_true(i < c.nstreams);
	return &c.streams[i];
}

static void assert_span(const struct lc_stream *s, uint64_t first,
			uint64_t last, uint64_t events, uint64_t lost,
			uint64_t missing)
{
	assert_true(s->has_span);
	assert_int_equal(s->first, first);
	assert_int_equal(s->last, last);
	assert_int_equal(s->events, events);
	assert_int_equal(s->lost, lost);
	assert_int_equal(s->missing, missing);
	/* Every number of the span is in exactly one of them. */
	assert_int_equal(events + lost + missing, last - first + 1);
}

static const char *writer_tag(const struct lc_stream *s)
{
	return c.writers[s->writer].tag;
}

static void test_complete(void **state)
{
	(void)state;
	sys("gw1", 812, "time=2026-12-07T10:00:00.000001Z event=stream from_seq=1");
	evs("gw1", 812, 1, 50);
	sys("gw1", 812, "time=2026-12-07T11:00:00.000001Z event=summary received=50 lost=0 kernel_lost=0 generated=50 syslog_sent=52 syslog_failed=0");
	finish();

	assert_int_equal(c.nstreams, 1);
	assert_span(stream(0), 1, 50, 50, 0, 0);
	assert_int_equal(stream(0)->nmissing, 0);
	assert_string_equal(c.writers[0].host, "gw1");
	assert_string_equal(writer_tag(stream(0)), "sgw[812]");
	assert_int_equal(c.nsummaries, 1);
	assert_true(c.summaries[0].ok);
	assert_int_equal(c.summaries[0].found, 50);
	assert_int_equal(c.summaries[0].records, 52);
	assert_int_equal(c.summaries[0].syslog_sent, 52);
	assert_true(c.summaries[0].has_syslog_failed);
	assert_int_equal(c.summaries[0].first_stream, 1);
	assert_int_equal(c.summaries[0].last_stream, 1);
	assert_int_equal(c.lines, 52);
	assert_int_equal(c.malformed + c.duplicates + c.other, 0);
	assert_true(logcheck_complete(&c));
}

static void test_deleted_lines(void **state)
{
	(void)state;
	sys("gw1", 812, "time=2026-12-07T10:00:00.000001Z event=stream from_seq=1");
	evs("gw1", 812, 1, 5);
	evs("gw1", 812, 7, 19);		/* 6 deleted */
	evs("gw1", 812, 23, 30);	/* 20 to 22 deleted */
	sys("gw1", 812, "time=2026-12-07T11:00:00.000001Z event=summary received=30 lost=0 kernel_lost=0 syslog_sent=32");
	finish();

	assert_int_equal(c.nstreams, 1);
	assert_span(stream(0), 1, 30, 26, 0, 4);
	assert_int_equal(stream(0)->nmissing, 2);
	assert_int_equal(stream(0)->shown[0].from, 6);
	assert_int_equal(stream(0)->shown[0].to, 6);
	assert_int_equal(stream(0)->shown[1].from, 20);
	assert_int_equal(stream(0)->shown[1].to, 22);
	/* The summary says 30 were written; 26 are here. */
	assert_false(c.summaries[0].ok);
	assert_int_equal(c.summaries[0].found, 26);
	assert_int_equal(c.summaries[0].expected, 30);
	assert_int_equal(c.summaries[0].records, 28);
	assert_false(logcheck_complete(&c));
}

/* The last lines before the summary: no number tells, the summary does. */
static void test_deleted_tail(void **state)
{
	(void)state;
	evs("gw1", 812, 1, 8);
	sys("gw1", 812, "event=summary received=10 lost=0 kernel_lost=0 syslog_sent=11");
	finish();

	assert_span(stream(0), 1, 8, 8, 0, 0);
	assert_false(c.summaries[0].ok);
	assert_false(logcheck_complete(&c));
}

/* A summary that says where numbers ended numbers the lost tail too. */
static void test_deleted_tail_numbered(void **state)
{
	(void)state;
	sys("gw1", 812, "event=stream from_seq=1");
	evs("gw1", 812, 1, 8);
	sys("gw1", 812, "event=summary received=10 lost=0 kernel_lost=0 last_seq=10 syslog_sent=12");
	finish();

	assert_span(stream(0), 1, 10, 8, 0, 2);
	assert_int_equal(stream(0)->nmissing, 1);
	assert_int_equal(stream(0)->shown[0].from, 9);
	assert_int_equal(stream(0)->shown[0].to, 10);
	assert_false(c.summaries[0].ok);
	assert_false(logcheck_complete(&c));
}

/* Every event of a run lost: the stream record and the summary still
 * give the span, all of it missing.
 */
static void test_all_events_lost(void **state)
{
	(void)state;
	sys("gw1", 812, "event=stream from_seq=41");
	sys("gw1", 812, "event=summary received=5 lost=0 kernel_lost=0 last_seq=45 syslog_sent=7");
	finish();

	assert_span(stream(0), 41, 45, 0, 0, 5);
	assert_false(logcheck_complete(&c));
}

/* A last_seq below the numbers present changes nothing. */
static void test_last_seq_behind(void **state)
{
	(void)state;
	sys("gw1", 812, "event=stream from_seq=1");
	evs("gw1", 812, 1, 8);
	sys("gw1", 812, "event=summary received=8 lost=0 kernel_lost=0 last_seq=3 syslog_sent=10");
	finish();

	assert_span(stream(0), 1, 8, 8, 0, 0);
	assert_true(c.summaries[0].ok);
	assert_true(logcheck_complete(&c));
}

static void test_gap_covered(void **state)
{
	(void)state;
	sys("gw1", 812, "time=t event=stream from_seq=101");
	sys("gw1", 812, "time=t event=gap lost=2 from_seq=101 to_seq=102 cause=start");
	evs("gw1", 812, 103, 110);
	sys("gw1", 812, "time=t event=gap lost=40 from_seq=111 to_seq=150 cause=socket");
	evs("gw1", 812, 151, 152);
	sys("gw1", 812, "time=t event=gap lost=3 from_seq=153 to_seq=155 cause=kernel");
	/* 156 deleted */
	evs("gw1", 812, 157, 160);
	/* One of a gap arrives late. */
	sys("gw1", 812, "time=t event=late seq=120");
	ev("gw1", 812, 120);
	sys("gw1", 812, "time=t event=gap lost=1 from_seq=161 to_seq=161 cause=exit");
	/* The monitor wrote 156 too. */
	sys("gw1", 812, "time=t event=summary received=16 lost=45 kernel_lost=3 late=1");
	finish();

	assert_int_equal(c.nstreams, 1);
	assert_span(stream(0), 101, 161, 15, 45, 1);
	assert_int_equal(stream(0)->shown[0].from, 156);
	assert_int_equal(stream(0)->shown[0].to, 156);
	assert_int_equal(c.summaries[0].found, 15);
	assert_false(c.summaries[0].ok);
	assert_false(logcheck_complete(&c));
}

static void test_restart_without_stream_records(void **state)
{
	(void)state;
	/* A log from before stream records: the numbers tell. */
	evs("gw1", 812, 1, 40);
	hour++;
	evs("gw1", 812, 1, 3);		/* reloaded */
	evs("gw1", 812, 5, 9);		/* 4 deleted */
	finish();

	assert_int_equal(c.nstreams, 2);
	assert_span(stream(0), 1, 40, 40, 0, 0);
	assert_span(stream(1), 1, 9, 8, 0, 1);
	assert_int_equal(stream(1)->shown[0].from, 4);
	assert_int_equal(c.duplicates, 0);
	assert_false(logcheck_complete(&c));
}

static void test_restart_with_stream_records(void **state)
{
	(void)state;
	sys("gw1", 812, "time=t event=stream from_seq=1");
	evs("gw1", 812, 1, 3);
	hour++;
	/* Loaded again with 20 events before sgctl followed: it says so. */
	sys("gw1", 812, "time=t event=stream from_seq=21");
	ev("gw1", 812, 20);		/* before the stream: early */
	evs("gw1", 812, 21, 25);
	sys("gw1", 812, "time=t event=summary received=8 lost=0 kernel_lost=0 early=1 syslog_sent=12");
	/* A new run, same host, new PID: a stream of its own. */
	sys("gw1", 900, "time=t event=stream from_seq=26");
	evs("gw1", 900, 27, 28);	/* 26 deleted */
	finish();

	assert_int_equal(c.nstreams, 3);
	assert_span(stream(0), 1, 3, 3, 0, 0);
	assert_span(stream(1), 21, 25, 5, 0, 0);
	assert_int_equal(stream(1)->early, 1);
	assert_span(stream(2), 26, 28, 2, 0, 1);
	assert_int_equal(stream(2)->shown[0].from, 26);
	assert_string_equal(writer_tag(stream(2)), "sgw[900]");
	assert_int_equal(c.nsummaries, 1);
	assert_true(c.summaries[0].ok);
	assert_int_equal(c.summaries[0].found, 9);
	assert_int_equal(c.summaries[0].first_stream, 1);
	assert_int_equal(c.summaries[0].last_stream, 2);
	assert_false(logcheck_complete(&c));
}

static void test_two_hosts_interleaved(void **state)
{
	uint64_t i;

	(void)state;
	for (i = 1; i <= 100; i++) {
		ev("gw1", 812, i);
		if (i != 77)
			ev("gw2", 812, 1000 + i);	/* same PID, other host */
	}
	sys("gw2", 812, "time=t event=summary received=100 lost=0 kernel_lost=0 syslog_sent=101");
	sys("gw1", 812, "time=t event=summary received=100 lost=0 kernel_lost=0 syslog_sent=101");
	finish();

	assert_int_equal(c.nstreams, 2);
	assert_int_equal(c.nwriters, 2);
	assert_string_equal(c.writers[stream(0)->writer].host, "gw1");
	assert_string_equal(c.writers[stream(1)->writer].host, "gw2");
	assert_span(stream(0), 1, 100, 100, 0, 0);
	assert_span(stream(1), 1001, 1100, 99, 0, 1);
	assert_int_equal(stream(1)->shown[0].from, 1077);
	assert_int_equal(c.nsummaries, 2);
	assert_false(c.summaries[0].ok);	/* gw2's */
	assert_true(c.summaries[1].ok);
	assert_false(logcheck_complete(&c));
}

static void test_duplicates(void **state)
{
	(void)state;
	sys("gw1", 812, "time=t event=stream from_seq=1");
	evs("gw1", 812, 1, 5);
	ev("gw1", 812, 5);		/* the same line again */
	ev("gw1", 812, 3);
	evs("gw1", 812, 6, 8);
	/* Same number, other text, in a stream with a stream record. */
	sys("gw1", 812, "time=x event=deny seq=7 reason=default-deny");
	sys("gw1", 812, "time=t event=gap lost=2 from_seq=9 to_seq=10 cause=kernel");
	sys("gw1", 812, "time=t event=gap lost=2 from_seq=9 to_seq=10 cause=kernel");
	sys("gw1", 812, "time=t event=summary received=8 lost=2 kernel_lost=2 syslog_sent=11");
	finish();

	assert_int_equal(c.nstreams, 1);
	assert_span(stream(0), 1, 10, 8, 2, 0);
	assert_int_equal(stream(0)->duplicates, 4);
	assert_int_equal(c.duplicates, 4);
	assert_true(c.summaries[0].ok);
	assert_true(logcheck_complete(&c));
}

/* A file appended to itself, from a log without stream records. */
static void test_duplicates_unmarked(void **state)
{
	(void)state;
	evs("gw1", 812, 1, 20);
	evs("gw1", 812, 1, 20);
	finish();

	assert_int_equal(c.nstreams, 1);
	assert_span(stream(0), 1, 20, 20, 0, 0);
	assert_int_equal(c.duplicates, 20);
}

static void test_malformed(void **state)
{
	static const char *const bad[] = {
		"garbage\n",
		"2026-12-07T10:00:00.123+00:00 gw1 sgw[812]: event=allow proto=tcp\n",
		"2026-12-07T10:00:00.123+00:00 gw1 sgw[812]: event=allow seq=abc\n",
		"2026-12-07T10:00:00.123+00:00 gw1 sgw[812]: event=allow seq=-3\n",
		"2026-12-07T10:00:00.123+00:00 gw1 sgw[812]: event=allow seq=18446744073709551616\n",
		"2026-12-07T10:00:00.123+00:00 gw1 sgw[812]: event=allow seq=7 seq=8\n",
		"2026-12-07T10:00:00.123+00:00 gw1 sgw[812]: event=allow seq=7 host=\"a b\n",
		"2026-12-07T10:00:00.123+00:00 gw1 sgw[812]: event=allow seq=7  reason=allow\n",
		"2026-12-07T10:00:00.123+00:00 gw1 sgw[812]: event=allow seq=7 \n",
		"2026-12-07T10:00:00.123+00:00 gw1 sgw[812]: event=allow seq=7 host=a=b\n",
		"2026-12-07T10:00:00.123+00:00 gw1 sgw[812]: event=allow seq=7 host=\xff\n",
		"2026-12-07T10:00:00.123+00:00 gw1 sgw[812]: event=allow seq=7\ttab\n",
		"2026-12-07T10:00:00.123+00:00 gw1 sgw[812]: event=gap lost=3 from_seq=1 to_seq=5 cause=kernel\n",
		"2026-12-07T10:00:00.123+00:00 gw1 sgw[812]: event=gap lost=0 from_seq=0 to_seq=18446744073709551615 cause=kernel\n",
		"2026-12-07T10:00:00.123+00:00 gw1 sgw[812]: event=gap lost=1 from_seq=9 to_seq=8 cause=kernel\n",
		"2026-12-07T10:00:00.123+00:00 gw1 sgw[812]: event=summary lost=3\n",
		"2026-12-07T10:00:00.123+00:00 gw1 sgw[812]: event=Allow seq=7\n",
		"2026-12-07T10:00:00.123+00:00 gw1 sgw[812]: {\"event\":\"allow\",\"seq\":7\n",
		"2026-12-07T10:00:00.123+00:00 gw1 sgw[812]: {\"event\":\"allow\",\"seq\":\"7\"}\n",
		"2026-12-07T10:00:00.123+00:00 gw1 sgw[812]: {\"event\":\"allow\",\"seq\":-7}\n",
		"2026-12-07T10:00:00.123+00:00 gw1 sgw[812]: {\"event\":\"allow\",\"seq\":7} x\n",
		"2026-12-07T10:00:00.123+00:00 gw1 sgw[812]: {\"event\":\"allow\",\"seq\":7,\"a\":[[[[[[[[1]]]]]]]]}\n",
		"2026-12-07T10:00:00.123+00:00 gw1 sgw[812]: {\"event\":[\"allow\"],\"seq\":7}\n",
		"2026-12-07T10:00:00.123+00:00 gw1 sgw[812]: {1,2}\n",
		"time=t event=allow\n",
		"{\"event\":\"gap\",\"from_seq\":1}\n",
		"\n",
	};
	size_t i;

	(void)state;
	sys("gw1", 812, "time=t event=stream from_seq=1");
	evs("gw1", 812, 1, 3);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		raw(bad[i]);
	/* A NUL inside a line. */
	assert_int_equal(logcheck_feed(&c, "event=allow seq=\0" "9\n", 19), 0);
	raw("2026-12-07T10:00:00.123+00:00 gw1 systemd[1]: Started sgw-monitor.service.\n");
	evs("gw1", 812, 4, 5);
	finish();

	/* The empty line is not a record; every other is malformed. */
	assert_int_equal(c.malformed, sizeof(bad) / sizeof(bad[0]) - 1 + 1);
	assert_int_equal(c.other, 2);
	/* Those with sgw[812]'s prefix are counted against its stream. */
	assert_int_equal(stream(0)->malformed, 21);
	assert_int_equal(c.nstreams, 1);
	assert_span(stream(0), 1, 5, 5, 0, 0);
	assert_true(logcheck_complete(&c));
}

static void test_overlong(void **state)
{
	size_t size = LC_LINE_MAX + 100, i;
	char *big = malloc(size);

	(void)state;
	assert_non_null(big);
	memset(big, 'a', size);
	memcpy(big, "event=allow seq=2 host=", 23);
	ev("gw1", 812, 1);
	/* Fed in pieces, the next line's start with the last one. */
	for (i = 0; i + 1000 <= size; i += 1000)
		assert_int_equal(logcheck_feed(&c, big + i, 1000), 0);
	assert_int_equal(logcheck_feed(&c, big + i, size - i), 0);
	raw("\n2026-12-07T10:00:00.123+00:00 gw1 sgw[812]: event=allow seq=3\n");
	/* Whole in one piece, with its line end. */
	big[size - 1] = '\n';
	assert_int_equal(logcheck_feed(&c, big, size), 0);
	/* Exactly as long as allowed, then no line end at the end of file. */
	memset(big, ' ', LC_LINE_MAX);
	memcpy(big, "event=allow seq=4 x=", 20);
	memset(big + 20, 'b', LC_LINE_MAX - 20);
	ev("gw1", 812, 5);
	assert_int_equal(logcheck_feed(&c, big, LC_LINE_MAX), 0);
	finish();
	free(big);

	assert_int_equal(c.overlong, 2);
	assert_int_equal(c.malformed, 2);
	assert_int_equal(c.lines, 6);
	/* seq 4's line was within the limit: it counts, in the stream of
	 * sgctl's own output, not gw1's.
	 */
	assert_int_equal(c.nstreams, 2);
	assert_span(stream(0), 1, 5, 3, 0, 2);
	assert_int_equal(stream(0)->shown[0].from, 2);
	assert_int_equal(stream(0)->shown[1].from, 4);
	assert_span(stream(1), 4, 4, 1, 0, 0);
}

static void test_json(void **state)
{
	(void)state;
	/* sgctl monitor --json, as it prints it. */
	raw("{\"time\":\"2026-01-05T10:22:03.123456Z\",\"event\":\"stream\",\"from_seq\":1041}\n");
	raw("{\"time\":\"2026-01-05T10:22:03.123456Z\",\"event\":\"allow\",\"seq\":1041,\"proto\":\"tcp\",\"rule\":1579100816,\"host\":\"intranet\\\\x0d\\\\x0aevent=allow\"}\n");
	raw("{\"time\":\"2026-01-05T10:22:04.123456Z\",\"event\":\"gap\",\"lost\":6,\"from_seq\":1042,\"to_seq\":1047,\"cause\":\"socket\"}\n");
	raw("{\"time\":\"2026-01-05T10:22:05.123456Z\",\"event\":\"deny\",\"seq\":1049,\"count\":37}\n");
	raw("{\"time\":\"2026-01-05T11:22:03.123456Z\",\"event\":\"summary\",\"received\":3,\"lost\":6,\"kernel_lost\":0}\n");
	/* --json --syslog: JSON inside a syslog line, traditional format. */
	raw("Dec  7 10:00:00 gw3 sgw-gw[4711]: {\"event\":\"allow\",\"seq\":7,\"path\":\"/a]: b\"}\n");
	raw("Dec  7 10:00:00 gw3 sgw-gw[4711]: {\"event\":\"end\",\"seq\":8,\"duration_ms\":5}\n");
	finish();

	assert_int_equal(c.malformed, 0);
	assert_int_equal(c.nstreams, 2);
	assert_string_equal(c.writers[stream(0)->writer].tag, "");
	assert_span(stream(0), 1041, 1049, 2, 6, 1);
	assert_int_equal(stream(0)->shown[0].from, 1048);
	assert_int_equal(c.nsummaries, 1);
	assert_false(c.summaries[0].ok);
	assert_string_equal(c.writers[stream(1)->writer].host, "gw3");
	assert_string_equal(writer_tag(stream(1)), "sgw-gw[4711]");
	assert_span(stream(1), 7, 8, 2, 0, 0);
}

static void test_parse_prefix(void **state)
{
	const char *line = "2026-12-07T10:00:00.123+00:00 gw1 sgw[812]: time=t event=deny seq=9 path=\"/x sgw[1]: event=allow seq=1\" reason=l7-mismatch";
	struct logline l;

	(void)state;
	assert_int_equal(logline_parse(line, strlen(line), &l), LL_EVENT);
	assert_int_equal(l.seq, 9);
	assert_int_equal(l.host_len, 3);
	assert_memory_equal(l.host, "gw1", 3);
	assert_int_equal(l.tag_len, 8);
	assert_memory_equal(l.tag, "sgw[812]", 8);
	assert_memory_equal(l.msg, "time=t event=deny", 17);

	line = "sgw[812]: event=summary received=4 lost=0 kernel_lost=0 syslog_sent=9 syslog_failed=2\r";
	assert_int_equal(logline_parse(line, strlen(line), &l), LL_SUMMARY);
	assert_int_equal(l.host_len, 0);
	assert_int_equal(l.received, 4);
	assert_true(l.has_syslog_sent);
	assert_int_equal(l.syslog_sent, 9);
	assert_int_equal(l.syslog_failed, 2);

	line = "time=t event=gap lost=18446744073709551615 from_seq=1 to_seq=18446744073709551615 cause=kernel";
	assert_int_equal(logline_parse(line, strlen(line), &l), LL_GAP);
	assert_int_equal(l.to, UINT64_MAX);

	line = "Dec  7 10:00:00 gw1 kernel: [ 1.0] foo";
	assert_int_equal(logline_parse(line, strlen(line), &l), LL_OTHER);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_complete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deleted_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deleted_tail, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deleted_tail_numbered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_all_events_lost, setup, teardown),
		cmocka_unit_test_setup_teardown(test_last_seq_behind, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gap_covered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restart_without_stream_records, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restart_with_stream_records, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_hosts_interleaved, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicates_unmarked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overlong, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json, setup, teardown),
		cmocka_unit_test(test_parse_prefix),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
