/* SPDX-License-Identifier: GPL-2.0 */
/*
 * shrink_slabs(): shrink every slab cache, as "slabinfo -s" does. That
 * folds per-CPU slabs into the counts, frees empty slabs and drains
 * KASAN's quarantine, so that /proc/slabinfo's active objects are the
 * objects in use and SUnreclaim moves with the slabs a workload needs.
 * Returns how many caches could not be shrunk.
 */
#ifndef DYNPTDESC_SHRINK_H
#define DYNPTDESC_SHRINK_H

#include <fcntl.h>
#include <glob.h>
#include <unistd.h>

static inline int shrink_slabs(void)
{
	int failed = 0;
	glob_t g;

	if (glob("/sys/kernel/slab/*/shrink", 0, NULL, &g))
		return 0;
	for (size_t i = 0; i < g.gl_pathc; i++) {
		int fd = open(g.gl_pathv[i], O_WRONLY);

		if (fd < 0)
			continue;
		if (write(fd, "1", 1) != 1)
			failed++;
		close(fd);
	}
	globfree(&g);
	return failed;
}

#endif
