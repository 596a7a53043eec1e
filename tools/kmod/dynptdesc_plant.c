// SPDX-License-Identifier: GPL-2.0
/*
 * Planted faults for proving the harness's log checks. Never loaded in a
 * normal run: tools/check.sh must count every fault planted here.
 *
 *   insmod dynptdesc_plant.ko faults=lockdep,warn,leak,kasan
 *
 * lockdep runs first because a KASAN report turns lockdep off.
 */
#include <linux/bug.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

static char *faults = "";
module_param(faults, charp, 0444);
MODULE_PARM_DESC(faults, "comma-separated: lockdep,warn,leak,kasan");

static DEFINE_SPINLOCK(plant_a);
static DEFINE_SPINLOCK(plant_b);

static noinline void plant_lockdep(void)
{
	/* A then B, later B then A: a possible ABBA deadlock, never a real one */
	spin_lock(&plant_a);
	spin_lock(&plant_b);
	spin_unlock(&plant_b);
	spin_unlock(&plant_a);

	spin_lock(&plant_b);
	spin_lock(&plant_a);
	spin_unlock(&plant_a);
	spin_unlock(&plant_b);
}

/*
 * SLUB's per-CPU sheaves (7.x) hand out objects from an array of pointers
 * that keeps a popped object's pointer in its slot until the slot is
 * refilled, and kmemleak scans the sheaf: a leaked object would look
 * referenced. Refill the slots with objects allocated and freed again.
 */
static noinline void plant_churn(size_t size)
{
	void *p[64];
	int i;

	for (i = 0; i < ARRAY_SIZE(p); i++)
		p[i] = kmalloc(size, GFP_KERNEL);
	for (i = 0; i < ARRAY_SIZE(p); i++)
		kfree(p[i]);
}

static noinline void plant_leak(void)
{
	void *p;
	int i;

	/* several objects, so one stale register cannot hide them all */
	for (i = 0; i < 8; i++) {
		p = kmalloc(128 + 64 * i, GFP_KERNEL);
		if (p)
			memset(p, 0x5a, 128 + 64 * i);
		plant_churn(128 + 64 * i);
		pr_info("dynptdesc_plant: leaking object %d\n", i);
	}
}

static noinline void plant_kasan(void)
{
	char *volatile p = kmalloc(64, GFP_KERNEL);

	if (!p)
		return;
	kfree(p);
	pr_info("dynptdesc_plant: reading freed object: %d\n", READ_ONCE(p[8]));
}

static bool planted(const char *what)
{
	const char *s = faults;
	size_t n = strlen(what);

	while ((s = strstr(s, what))) {
		if ((s == faults || s[-1] == ',') && (s[n] == ',' || !s[n]))
			return true;
		s += n;
	}
	return false;
}

static int __init plant_init(void)
{
	pr_info("dynptdesc_plant: planting '%s'\n", faults);
	if (planted("lockdep"))
		plant_lockdep();
	if (planted("warn"))
		WARN(1, "dynptdesc_plant: planted warning\n");
	if (planted("leak"))
		plant_leak();
	if (planted("kasan"))
		plant_kasan();
	return 0;
}
module_init(plant_init);

static void __exit plant_exit(void)
{
}
module_exit(plant_exit);

MODULE_DESCRIPTION("Planted faults for the dynamic ptdesc harness checks");
MODULE_LICENSE("GPL");
