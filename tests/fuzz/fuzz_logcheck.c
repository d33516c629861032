// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer target for sgctl logcheck's line parser and accounting
 * (ctl/logline.c, ctl/logcheck_acct.c): a flow log is a file anyone with
 * write access, or any sender syslog accepts, can fill.
 *
 * The first byte says where the rest is cut in two, so that lines split
 * across reads are fed as logcheck reads them. Every span it reports must
 * hold exactly its events, lost and missing numbers.
 */
#include <stdint.h>
#include <stdlib.h>
#include "logcheck_acct.h"

static void check_spans(const struct logcheck *c)
{
	size_t i;

	for (i = 0; i < c->nstreams; i++) {
		const struct lc_stream *s = &c->streams[i];

		/* Counts saturate: only spans they can hold are checked. */
		if (!s->has_span || s->last - s->first >= UINT32_MAX)
			continue;
		if (s->first > s->last ||
		    s->events + s->lost + s->missing != s->last - s->first + 1)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct logcheck c;
	size_t cut;

	if (!size || logcheck_init(&c))
		return 0;
	cut = data[0] % size;
	data++;
	size--;
	if (cut > size)
		cut = size;
	if (!logcheck_feed(&c, data, cut) &&
	    !logcheck_feed(&c, data + cut, size - cut) &&
	    !logcheck_end_file(&c) && !logcheck_finish(&c))
		check_spans(&c);
	logcheck_free(&c);
	return 0;
}
