// SPDX-License-Identifier: GPL-2.0
/*
 * A stand-in for sgw.ko, used only by tests/vm/selftest/run: loaded with
 * mode=NAME it makes the kernel print one genuine report, so the harness's
 * detection is tested against what the kernel really prints, not against
 * strings we wrote ourselves. Each report is harmless: the kernel goes on.
 *
 *   ok        nothing; loads and unloads cleanly
 *   warn      WARN_ON: "WARNING: CPU: n PID: n at ...", taints W
 *   atomic    sleeps with preemption off: "BUG: scheduling while atomic"
 *   refcount  decrements a refcount_t to 0: "refcount_t: decrement hit 0"
 *   pin       keeps a reference to itself, so rmmod fails (a "leak")
 */
#include <linux/module.h>
#include <linux/delay.h>
#include <linux/preempt.h>
#include <linux/refcount.h>
#include <linux/string.h>

static char *mode = "ok";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "ok, warn, atomic, refcount or pin");

static int __init fake_init(void)
{
	if (!strcmp(mode, "warn")) {
		WARN_ON(1);
	} else if (!strcmp(mode, "atomic")) {
		preempt_disable();
		msleep(1);
		preempt_enable();
	} else if (!strcmp(mode, "refcount")) {
		refcount_t ref = REFCOUNT_INIT(0);

		refcount_dec(&ref);
	} else if (!strcmp(mode, "pin")) {
		__module_get(THIS_MODULE);
	} else if (strcmp(mode, "ok")) {
		return -EINVAL;
	}
	return 0;
}

static void __exit fake_exit(void)
{
}

module_init(fake_init);
module_exit(fake_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("sgw harness self-test: real kernel reports on request");
