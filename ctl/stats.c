// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * sgctl stats [--json]: the namespace counters and flow table use.
 */
#include <stdio.h>

#include "output.h"
#include "subcommands.h"

/* Every counter, in the order shown: JSON key and words for humans. */
static const struct {
	int		attr;
	const char	*key;
	const char	*text;
} counters[] = {
	{ SGW_STAT_A_PACKETS,		"packets",	"packets seen" },
	{ SGW_STAT_A_PASSED,		"passed",	"passed" },
	{ SGW_STAT_A_PASSED_LOCAL,	"passed_local",
	  "passed unevaluated (local)" },
	{ SGW_STAT_A_DROP_DEFAULT,	"drop_default",
	  "dropped: no rule allows" },
	{ SGW_STAT_A_DROP_REVOKED,	"drop_revoked",
	  "dropped: flow revoked by a policy change" },
	{ SGW_STAT_A_DROP_TABLE_FULL,	"drop_table_full",
	  "dropped: flow table full" },
	{ SGW_STAT_A_DROP_MALFORMED,	"drop_malformed",
	  "dropped: malformed headers" },
	{ SGW_STAT_A_DROP_FRAGMENT,	"drop_fragment",
	  "dropped: fragment not reassembled" },
	{ SGW_STAT_A_DROP_NOMEM,	"drop_nomem",
	  "dropped: out of memory for a flow" },
	{ SGW_STAT_A_RESETS_SENT,	"resets_sent",	"TCP resets sent" },
	{ SGW_STAT_A_DROP_L7,		"drop_l7",
	  "dropped: application data matched no rule" },
	{ SGW_STAT_A_DROP_UNCLASSIFIED,	"drop_unclassified",
	  "dropped: application not recognised" },
	{ SGW_STAT_A_DROP_HOLD_FULL,	"drop_hold_full",
	  "dropped: hold limits reached" },
	{ SGW_STAT_A_HELD_PACKETS,	"held_packets",
	  "packets held for classification" },
	{ SGW_STAT_A_HELD_NOW,		"held_bytes_now",
	  "bytes held right now" },
	{ SGW_STAT_A_L7_CLASSIFIED,	"l7_classified", "flows classified" },
	{ SGW_STAT_A_EVENTS,		"events",	"events generated" },
	{ SGW_STAT_A_EVENTS_LOST,	"events_lost",
	  "events lost in the kernel" },
	{ SGW_STAT_A_EVENTS_SENT,	"events_sent",
	  "events multicast to listeners" },
	{ SGW_STAT_A_EVENT_MSGS,	"event_msgs",
	  "event messages multicast" },
	{ SGW_STAT_A_FLOWS_CREATED,	"flows_created", "flows created" },
	{ SGW_STAT_A_FLOWS_ENDED,	"flows_ended",	"flows ended" },
	{ SGW_STAT_A_FLOWS_REVOKED,	"flows_revoked", "flows revoked" },
	{ SGW_STAT_A_FLOWS_ACTIVE,	"flows_active",	"flows active" },
	{ SGW_STAT_A_FLOW_MAX,		"flow_max",	"flow table size" },
};

#define NCOUNTERS (sizeof(counters) / sizeof(counters[0]))

static int print_table(const struct sgw_stats *st)
{
	static const bool right[] = { false, true };
	struct table t;
	size_t i;
	int ret;

	ret = table_init(&t, 2, NULL, right);
	for (i = 0; !ret && i < NCOUNTERS; i++) {
		char value[24];
		const char *row[] = { counters[i].text, value };

		if (!st->present[counters[i].attr])
			continue;
		snprintf(value, sizeof(value), "%llu",
			 (unsigned long long)st->value[counters[i].attr]);
		ret = table_add(&t, row);
	}
	if (!ret && st->present[SGW_STAT_A_FLOW_MAX] &&
	    st->value[SGW_STAT_A_FLOW_MAX]) {
		uint64_t active = st->value[SGW_STAT_A_FLOWS_ACTIVE];
		uint64_t max = st->value[SGW_STAT_A_FLOW_MAX];
		char use[64];
		const char *row[] = { "flow table use", use };

		snprintf(use, sizeof(use), "%llu/%llu (%.1f%%)",
			 (unsigned long long)active, (unsigned long long)max,
			 100.0 * active / max);
		ret = table_add(&t, row);
	}
	if (!ret)
		table_print(&t, stdout);
	table_free(&t);
	return ret;
}

static int print_json(const struct sgw_stats *st)
{
	struct json_object *o = json_object_new_object();
	int ret = o ? 0 : -1;
	size_t i;

	for (i = 0; !ret && i < NCOUNTERS; i++)
		if (st->present[counters[i].attr])
			ret = json_add(o, counters[i].key, json_object_new_uint64(
					st->value[counters[i].attr]));
	if (ret) {
		json_object_put(o);
		return ret;
	}
	return json_print(o);
}

int stats_main(int argc, const char *argv[])
{
	struct sgw_stats st;
	struct sgw_nl *nl;
	bool json;
	int ret;

	if (wants_help(argc, argv))
		return 0;
	if (parse_json_flag(argc, argv, &json))
		return 1;
	nl = open_module();
	if (!nl)
		return 1;
	ret = sgw_nl_stats(nl, &st);
	if (ret)
		complain_nl(nl, ret, "reading the counters");
	sgw_nl_close(nl);
	if (!ret && (json ? print_json(&st) : print_table(&st))) {
		complain("cannot write the counters: out of memory");
		ret = -1;
	}
	return ret ? 1 : 0;
}
