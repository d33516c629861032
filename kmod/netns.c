// SPDX-License-Identifier: GPL-2.0
#include <linux/netdevice.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/netfilter/ipv4/nf_defrag_ipv4.h>
#include <net/netfilter/ipv6/nf_defrag_ipv6.h>
#include "event.h"
#include "hooks.h"
#include "netns.h"
#include "policy.h"
#include "txn.h"

static unsigned int sgw_net_id __read_mostly;

struct sgw_net *sgw_net(const struct net *net)
{
	return net_generic(net, sgw_net_id);
}

/*
 * Hooks see fragments only if defrag runs before them; it is enabled with
 * the first policy, not at insmod, so an untouched namespace stays so.
 */
static int defrag_enable(struct sgw_net *sn)
{
	int ret;

	if (sn->defrag)
		return 0;
	ret = nf_defrag_ipv4_enable(sn->net);
	if (ret)
		return ret;
	ret = nf_defrag_ipv6_enable(sn->net);
	if (ret) {
		nf_defrag_ipv4_disable(sn->net);
		return ret;
	}
	sn->defrag = true;
	return 0;
}

static void defrag_disable(struct sgw_net *sn)
{
	if (!sn->defrag)
		return;
	nf_defrag_ipv6_disable(sn->net);
	nf_defrag_ipv4_disable(sn->net);
	sn->defrag = false;
}

int sgw_net_install(struct sgw_net *sn, struct sgw_policy *p,
		    struct netlink_ext_ack *extack)
{
	struct sgw_policy *old = sgw_net_policy(sn);
	int ret;

	lockdep_assert_held(&sn->lock);
	ret = sgw_event_net_init(sn);
	if (ret) {
		NL_SET_ERR_MSG(extack, "cannot allocate the event buffer");
		goto err;
	}
	ret = defrag_enable(sn);
	if (ret) {
		NL_SET_ERR_MSG(extack, "cannot enable IP defragmentation");
		goto err;
	}
	/*
	 * New hook points first: until the swap they see the old policy,
	 * whose hook mask does not name them, and let packets through.
	 */
	ret = sgw_hooks_set(sn, sn->hooks | p->hooks);
	if (ret) {
		NL_SET_ERR_MSG(extack, "cannot register netfilter hooks");
		goto err;
	}
	p->generation = ++sn->generation;
	WRITE_ONCE(sn->flows.max, p->flow_max);
	rcu_assign_pointer(sn->policy, p);
	sgw_hooks_set(sn, p->hooks);
	sgw_policy_free_rcu(old);
	return 0;
err:
	sgw_policy_free(p);
	return ret;
}

void sgw_net_reset(struct sgw_net *sn)
{
	struct sgw_policy *old = sgw_net_policy(sn);

	lockdep_assert_held(&sn->lock);
	sgw_hooks_set(sn, 0);
	RCU_INIT_POINTER(sn->policy, NULL);
	/* No hook runs any more once unregistration has synchronised. */
	synchronize_net();
	sgw_policy_free(old);
	sgw_flow_table_flush(&sn->flows);
	defrag_disable(sn);
}

static int __net_init sgw_net_init(struct net *net)
{
	struct sgw_net *sn = sgw_net(net);
	int ret;

	sn->net = net;
	mutex_init(&sn->lock);
	sn->stats = sgw_stats_alloc();
	if (!sn->stats)
		return -ENOMEM;
	ret = sgw_flow_table_init(&sn->flows, sn, sn->stats);
	if (ret)
		sgw_stats_free(sn->stats);
	return ret;
}

static void __net_exit sgw_net_exit(struct net *net)
{
	struct sgw_net *sn = sgw_net(net);

	mutex_lock(&sn->lock);
	sgw_txn_free(sn->txn);
	sn->txn = NULL;
	sgw_net_reset(sn);
	mutex_unlock(&sn->lock);
	sgw_flow_table_uninit(&sn->flows);
	sgw_event_net_uninit(sn);
	sgw_stats_free(sn->stats);
}

static struct pernet_operations sgw_net_ops = {
	.init	= sgw_net_init,
	.exit	= sgw_net_exit,
	.id	= &sgw_net_id,
	.size	= sizeof(struct sgw_net),
};

int sgw_netns_init(void)
{
	int ret;

	ret = sgw_policy_init();
	if (ret)
		return ret;
	ret = register_pernet_subsys(&sgw_net_ops);
	if (ret)
		sgw_policy_uninit();
	return ret;
}

void sgw_netns_uninit(void)
{
	unregister_pernet_subsys(&sgw_net_ops);
	sgw_policy_uninit();
}
