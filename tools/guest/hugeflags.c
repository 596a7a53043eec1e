// SPDX-License-Identifier: GPL-2.0
/*
 * hugeflags: the struct pages of the HugeTLB folios of a given size, as
 * /proc/kpageflags reports them.
 *
 *   hugeflags <pages per folio>
 *
 * Prints one line per HugeTLB folio of that many pages:
 *
 *   folio <head pfn> <pages> bad <n>
 *
 * where <n> counts the pages after the head that /proc/kpageflags does
 * not report as plain tail pages (KPF_COMPOUND_TAIL without
 * KPF_COMPOUND_HEAD, and KPF_HUGE). A struct page restored from the wrong
 * source (a copy of the head's, say) reads as a head of its own there,
 * as long as no HVO-optimized folio turns on the kernel's fake-head
 * fixup. Exit status: 0, or 1 if /proc/kpageflags cannot be read.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define KPF_COMPOUND_HEAD	15
#define KPF_COMPOUND_TAIL	16
#define KPF_HUGE		17

#define CHUNK	4096

int main(int argc, char **argv)
{
	static uint64_t buf[CHUNK];
	unsigned long want, pfn = 0, head = 0, pages = 0, bad = 0;
	int in = 0, fd;
	ssize_t r;

	if (argc != 2 || !(want = strtoul(argv[1], NULL, 0))) {
		fprintf(stderr, "usage: hugeflags <pages per folio>\n");
		return 1;
	}
	fd = open("/proc/kpageflags", O_RDONLY);
	if (fd < 0) {
		perror("hugeflags: /proc/kpageflags");
		return 1;
	}
	while ((r = read(fd, buf, sizeof(buf))) > 0) {
		for (size_t i = 0; i < r / sizeof(buf[0]); i++, pfn++) {
			uint64_t f = buf[i];
			int huge = f & (1ULL << KPF_HUGE);
			int is_head = f & (1ULL << KPF_COMPOUND_HEAD);
			int is_tail = f & (1ULL << KPF_COMPOUND_TAIL);

			if (in && pages < want) {
				/* inside a folio being walked */
				if (!huge || is_head || !is_tail)
					bad++;
				pages++;
				if (pages == want) {
					printf("folio %lu %lu bad %lu\n", head, pages, bad);
					in = 0;
				}
				continue;
			}
			if (huge && is_head && !is_tail && !(pfn % want)) {
				in = 1;
				head = pfn;
				pages = 1;
				bad = 0;
			}
		}
	}
	if (r < 0) {
		perror("hugeflags: read");
		return 1;
	}
	if (in)
		printf("folio %lu %lu bad %lu (truncated)\n", head, pages, bad);
	return 0;
}
