// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * sgctl flows [--json]: the flow table, segments named from a segments
 * dump taken just before.
 */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>

#include "output.h"
#include "subcommands.h"

/* ICMP echo identifiers are in the port fields too: JSON only. */
static bool has_ports(uint8_t proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP;
}

static int print_table(const struct policy *segs, const struct sgw_flow *f,
		       size_t n)
{
	static const char *const heads[] = {
		"PROTO", "SOURCE", "", "DESTINATION", "SEGMENTS", "STATE",
		"RULE", "GEN", "ORIG PKTS/BYTES", "REPLY PKTS/BYTES", "AGE",
		"IDLE",
	};
	static const bool right[] = {
		[7] = true, [8] = true, [9] = true, [10] = true, [11] = true,
	};
	struct table t;
	size_t i;
	int ret;

	if (!n) {
		printf("no flows\n");
		return 0;
	}
	ret = table_init(&t, 12, heads, right);
	for (i = 0; !ret && i < n; i++) {
		char proto[8], src[64], dst[64], segments[80], sb[16], db[16];
		char rule[16], gen[16], orig[48], repl[48];
		char age[32], idle[32];
		bool ports = has_ports(f[i].proto);
		const char *row[] = {
			proto_name(f[i].proto, proto),
			endpoint_str(f[i].family, f[i].src, f[i].sport, ports, src),
			"->",
			endpoint_str(f[i].family, f[i].dst, f[i].dport, ports, dst),
			segments, flow_state_name(f[i].state), rule, gen,
			orig, repl,
			duration_str(f[i].age_ms, age),
			duration_str(f[i].idle_ms, idle),
		};

		snprintf(segments, sizeof(segments), "%s -> %s",
			 segment_label(segs, f[i].src_seg, sb),
			 segment_label(segs, f[i].dst_seg, db));
		snprintf(rule, sizeof(rule), "0x%08x", f[i].rule);
		snprintf(gen, sizeof(gen), "%u", f[i].generation);
		snprintf(orig, sizeof(orig), "%llu/%llu",
			 (unsigned long long)f[i].packets_orig,
			 (unsigned long long)f[i].bytes_orig);
		snprintf(repl, sizeof(repl), "%llu/%llu",
			 (unsigned long long)f[i].packets_reply,
			 (unsigned long long)f[i].bytes_reply);
		ret = table_add(&t, row);
	}
	if (!ret)
		table_print(&t, stdout);
	table_free(&t);
	return ret;
}

static struct json_object *flow_json(const struct policy *segs,
				     const struct sgw_flow *f)
{
	struct json_object *o = json_object_new_object();
	char proto[8], src[64], dst[64], sb[16], db[16];
	int ret;

	if (!o)
		return NULL;
	ret = json_add(o, "proto", json_object_new_string(
				proto_name(f->proto, proto))) ?:
	      json_add(o, "family", json_object_new_string(
				f->family == AF_INET6 ? "ipv6" : "ipv4")) ?:
	      json_add(o, "src", json_object_new_string(
				endpoint_str(f->family, f->src, 0, false, src))) ?:
	      json_add(o, "sport", json_object_new_int(f->sport)) ?:
	      json_add(o, "dst", json_object_new_string(
				endpoint_str(f->family, f->dst, 0, false, dst))) ?:
	      json_add(o, "dport", json_object_new_int(f->dport)) ?:
	      json_add(o, "src_seg", json_object_new_string(
				segment_label(segs, f->src_seg, sb))) ?:
	      json_add(o, "dst_seg", json_object_new_string(
				segment_label(segs, f->dst_seg, db))) ?:
	      json_add(o, "state", json_object_new_string(
				flow_state_name(f->state))) ?:
	      json_add(o, "rule", json_object_new_int64(f->rule)) ?:
	      json_add(o, "generation", json_object_new_int64(f->generation)) ?:
	      json_add(o, "packets_orig", json_object_new_uint64(f->packets_orig)) ?:
	      json_add(o, "bytes_orig", json_object_new_uint64(f->bytes_orig)) ?:
	      json_add(o, "packets_reply", json_object_new_uint64(f->packets_reply)) ?:
	      json_add(o, "bytes_reply", json_object_new_uint64(f->bytes_reply)) ?:
	      json_add(o, "age_ms", json_object_new_uint64(f->age_ms)) ?:
	      json_add(o, "idle_ms", json_object_new_uint64(f->idle_ms));
	if (ret) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static int print_json(const struct policy *segs, const struct sgw_flow *f,
		      size_t n)
{
	struct json_object *a = json_object_new_array();
	int ret = a ? 0 : -1;
	size_t i;

	for (i = 0; !ret && i < n; i++)
		ret = json_push(a, flow_json(segs, &f[i]));
	if (ret) {
		json_object_put(a);
		return ret;
	}
	return json_print(a);
}

int flows_main(int argc, const char *argv[])
{
	struct sgw_flow *flows = NULL;
	struct sgw_dump segs;
	struct sgw_nl *nl;
	size_t n = 0;
	bool json;
	int ret;

	if (wants_help(argc, argv))
		return 0;
	if (parse_json_flag(argc, argv, &json))
		return 1;
	nl = open_module();
	if (!nl)
		return 1;
	ret = sgw_nl_dump_segments(nl, &segs);
	if (ret) {
		complain_nl(nl, ret, "reading the segments");
		sgw_nl_close(nl);
		return 1;
	}
	ret = sgw_nl_dump_flows(nl, &flows, &n);
	if (ret)
		complain_nl(nl, ret, "reading the flows");
	sgw_nl_close(nl);
	if (!ret) {
		ret = json ? print_json(&segs.policy, flows, n)
			   : print_table(&segs.policy, flows, n);
		if (ret)
			complain("cannot write the flows: out of memory");
	}
	free(flows);
	nlmsg_dump_free(&segs);
	return ret ? 1 : 0;
}
