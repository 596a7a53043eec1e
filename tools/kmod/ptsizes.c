// SPDX-License-Identifier: GPL-2.0
/*
 * Sizes taken from a built kernel's own headers and config, the way
 * asm-offsets does it: compiled to assembly, the "->" markers read back
 * by tools/sizes.sh.
 */
#include <linux/kbuild.h>
#include <linux/mm.h>
#include <linux/mm_types.h>

void ptsizes(void);
void ptsizes(void)
{
	DEFINE(SIZEOF_STRUCT_PAGE, sizeof(struct page));
	DEFINE(SIZEOF_STRUCT_PTDESC, sizeof(struct ptdesc));
	DEFINE(SIZEOF_SPINLOCK_T, sizeof(spinlock_t));
	DEFINE(ALLOC_SPLIT_PTLOCKS, ALLOC_SPLIT_PTLOCKS);
	DEFINE(PAGE_SIZE, PAGE_SIZE);
}
