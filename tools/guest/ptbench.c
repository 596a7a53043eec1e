// SPDX-License-Identifier: GPL-2.0
/*
 * ptbench: what allocating and freeing page tables costs, per table.
 *
 * Each case repeats an operation whose work is dominated by PTE tables
 * being allocated and freed, and reports the CLOCK_MONOTONIC time per
 * table. Booted with QEMU -icount (tools/bench.sh) the guest clock counts
 * instructions, so the figures are deterministic and baseline and fork
 * compare without host noise. Output is TAP; each result is a
 * "# bench <case>: <ns> ns per table" line.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PMD_SIZE	(2UL << 20)

static unsigned long tables = 256;	/* PTE tables per round */
static int rounds = 20;
static int ntest, nfail;

static void result(int ok, const char *what)
{
	printf("%sok %d - %s\n", ok ? "" : "not ", ++ntest, what);
	fflush(stdout);
	if (!ok)
		nfail++;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* one page every 2 MiB: every touch allocates a PTE table */
static void touch(char *p)
{
	for (unsigned long i = 0; i < tables; i++)
		p[i * PMD_SIZE] = (char)i;
}

/*
 * Touches 2 MiB apart land in different PMD entries whatever the
 * alignment, so no aligning is needed: at most the two end tables are
 * shared with a neighbouring mapping.
 */
static char *map_sparse(void)
{
	size_t len = tables * PMD_SIZE;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	/* without THP every range is PTE-mapped and madvise says EINVAL */
	madvise(p, len, MADV_NOHUGEPAGE);
	return p;
}

static void report(const char *name, uint64_t ns, unsigned long n)
{
	char what[128];

	printf("# bench %s: %llu ns per table\n", name,
	       (unsigned long long)(ns / n));
	snprintf(what, sizeof(what), "%s: %lu tables", name, n);
	result(1, what);
}

/* page faults allocate the tables, munmap() frees them (free_pgtables) */
static void bench_fault_unmap(void)
{
	uint64_t t = 0, t0;

	for (int r = 0; r < rounds; r++) {
		char *p = map_sparse();

		if (!p) {
			result(0, "fault+munmap: mmap failed");
			return;
		}
		t0 = now_ns();
		touch(p);
		munmap(p, tables * PMD_SIZE);
		t += now_ns() - t0;
	}
	report("fault+munmap", t, tables * rounds);
}

/* fork() copies the tables (copy_page_range), the child's exit frees them */
static void bench_fork_exit(void)
{
	char *p = map_sparse();
	uint64_t t0, t;
	int ok = 1, status;

	if (!p) {
		result(0, "fork+exit: mmap failed");
		return;
	}
	touch(p);
	t0 = now_ns();
	for (int r = 0; r < rounds; r++) {
		pid_t pid = fork();

		if (pid < 0) {
			ok = 0;
			break;
		}
		if (pid == 0)
			_exit(0);
		waitpid(pid, &status, 0);
	}
	t = now_ns() - t0;
	munmap(p, tables * PMD_SIZE);
	if (!ok) {
		result(0, "fork+exit: fork failed");
		return;
	}
	report("fork+exit", t, tables * rounds);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		tables = strtoul(argv[1], NULL, 0);
	if (argc > 2)
		rounds = atoi(argv[2]);
	printf("TAP version 13\n1..2\n");
	fflush(stdout);
	bench_fault_unmap();
	bench_fork_exit();
	printf("# %d tests, %d failed\n", ntest, nfail);
	return nfail != 0;
}
