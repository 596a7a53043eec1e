// SPDX-License-Identifier: GPL-2.0
/*
 * ptbench: what allocating and freeing page tables costs, per table.
 *
 * Each case repeats an operation whose work is dominated by PTE tables
 * being allocated and freed, in rounds, and reports the CLOCK_MONOTONIC
 * time per table of the median round. Booted with QEMU -icount
 * (tools/bench.sh) the guest clock counts instructions, so the figures
 * are deterministic and baseline and fork compare without host noise.
 * Output is TAP; each result is a "# bench <case>: <ns> ns per table"
 * line, after a "# rounds <case>: ..." line with the fastest and the
 * slowest round.
 *
 * A table's cost includes its free, which comes after a grace period:
 * the RCU callback that frees a batch of tables runs on the CPU that
 * queued it, a round or so later, inside the timed rounds (tools/bench.sh
 * boots one CPU for that). What a case costs should not depend on what ran
 * before it: ptbench runs on CPU 0 only (its children too, and with them
 * the RCU callbacks that free their tables), every case runs one round
 * untimed first, so that the per-CPU page lists, the slab caches' sheaves
 * and the memcg stock are in the state the case itself leaves them in,
 * and after a case ptbench sleeps a second, for the grace periods of its
 * last tables to end. The cases run in the order they are named. The
 * median round leaves out what a periodic worker adds to a round now and
 * then.
 *
 * First it counts what a table costs in memory where the task runs: in a
 * child memory cgroup, the cgroup's memory.stat ("kernel", what
 * memory.max holds of it, with pagetables and slab_unreclaimable); in the
 * root cgroup, /proc/meminfo (PageTables, SUnreclaim). One
 * "# bytes <cgroup>: <n> bytes per table (...)" line.
 *
 *   ptbench [<tables> [<rounds> [<case>,...]]]   rounds 0: the bytes count
 *                                                 only; the cases: all five
 *                                                 unless named, in the
 *                                                 order named
 *   ptbench --exit                                 exit at once (the exec case's
 *                                                 program)
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "shrink.h"

#define PMD_SIZE	(2UL << 20)
#define PUD_SIZE	(1UL << 30)
/* PTE tables per page: two 2K tables on s390 with dynamic ptdescs */
#define PT_PER_PAGE	2

static unsigned long tables = 256;	/* PTE tables per round */
static int rounds = 20;
static const char *cases;		/* NULL: all */

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

/* the timed rounds of the case that runs, one lap each */
static uint64_t *laps;
static int nlaps;

static void lap(uint64_t ns)
{
	laps[nlaps++] = ns;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The median round, per table (<n> tables a round): a round that met
 * something else running (a periodic worker that preempted ptbench,
 * whose instructions the -icount clock counts too) does not move it.
 */
static void report(const char *name, unsigned long n)
{
	uint64_t med;
	char what[128];

	qsort(laps, nlaps, sizeof(*laps), cmp_u64);
	med = nlaps % 2 ? laps[nlaps / 2] : (laps[nlaps / 2 - 1] + laps[nlaps / 2]) / 2;
	printf("# rounds %s: %d, ns per table min %llu median %llu max %llu\n",
	       name, nlaps, (unsigned long long)(laps[0] / n),
	       (unsigned long long)(med / n),
	       (unsigned long long)(laps[nlaps - 1] / n));
	printf("# bench %s: %llu ns per table\n", name,
	       (unsigned long long)(med / n));
	snprintf(what, sizeof(what), "%s: %d rounds of %lu tables", name, nlaps, n);
	nlaps = 0;
	result(1, what);
}

/* page faults allocate the tables, munmap() frees them (free_pgtables) */
static void bench_fault_unmap(void)
{
	uint64_t t0;

	/* round -1: untimed */
	for (int r = -1; r < rounds; r++) {
		char *p = map_sparse();

		if (!p) {
			result(0, "fault+munmap: mmap failed");
			return;
		}
		t0 = now_ns();
		touch(p);
		munmap(p, tables * PMD_SIZE);
		if (r >= 0)
			lap(now_ns() - t0);
	}
	report("fault+munmap", tables);
}

/*
 * One page every 1 GiB: every touch allocates a PMD table and a PTE table
 * (and, every 512 GiB, a PUD table, which is not counted), and munmap()
 * frees them.
 */
static void bench_sparse(void)
{
	unsigned long n = tables / 2 ? tables / 2 : 1;
	size_t len = n * PUD_SIZE;
	uint64_t t0;

	for (int r = -1; r < rounds; r++) {
		char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

		if (p == MAP_FAILED) {
			result(0, "sparse: mmap failed");
			return;
		}
		/* one 4K page per touch, not a THP */
		madvise(p, len, MADV_NOHUGEPAGE);
		t0 = now_ns();
		for (unsigned long i = 0; i < n; i++)
			p[i * PUD_SIZE] = (char)i;
		munmap(p, len);
		if (r >= 0)
			lap(now_ns() - t0);
	}
	report("sparse", 2 * n);
}

/* fork() copies the tables (copy_page_range), the child's exit frees them */
static void bench_fork_exit(void)
{
	char *p = map_sparse();
	int ok = 1, status;
	uint64_t t0;

	if (!p) {
		result(0, "fork+exit: mmap failed");
		return;
	}
	touch(p);
	for (int r = -1; r < rounds; r++) {
		pid_t pid;

		t0 = now_ns();
		pid = fork();
		if (pid < 0) {
			ok = 0;
			break;
		}
		if (pid == 0)
			_exit(0);
		waitpid(pid, &status, 0);
		if (r >= 0)
			lap(now_ns() - t0);
	}
	munmap(p, tables * PMD_SIZE);
	if (!ok) {
		result(0, "fork+exit: fork failed");
		return;
	}
	report("fork+exit", tables);
}

/* the value of "<key> <n>" (memory.stat) or "<key>: <n> kB" (meminfo), in bytes */
static long long stat_bytes(const char *file, const char *key)
{
	char line[256];
	size_t kl = strlen(key);
	long long v = -1;
	FILE *f = fopen("/proc/sys/vm/stat_refresh", "w");

	/* fold the per-CPU vmstat deltas into what /proc/meminfo reads */
	if (f) {
		fputs("1\n", f);
		fclose(f);
	}
	f = fopen(file, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, kl) || (line[kl] != ' ' && line[kl] != ':'))
			continue;
		v = strtoll(line + kl + 1, NULL, 10);
		if (strstr(line, "kB"))
			v *= 1024;
		break;
	}
	fclose(f);
	return v;
}

/*
 * A memcg's memory.stat is flushed from the per-CPU counters when a read
 * finds enough updates pending, and every 2 seconds: what a read sees
 * can be behind by up to 64 pages a CPU. Waiting for the periodic flush
 * makes it exact (nothing else runs meanwhile). /proc/meminfo is exact
 * after stat_refresh, which stat_bytes() writes.
 */
static void settle(const char *memcg_key)
{
	if (memcg_key)
		sleep(3);
}

/*
 * Bytes per PTE table where this task is charged: hold <tables> x 8 tables,
 * drop the slab caches' per-CPU slabs (so that SUnreclaim moves with the
 * objects), and compare with the counts before. In the root cgroup that
 * is /proc/meminfo's PageTables and SUnreclaim; in a child memcg what
 * memory.max is held to, memory.stat's "kernel" (every byte charged to
 * the group that is not user memory: the tables, and their descriptors
 * whether they are charged as slab objects or with their page), with
 * pagetables and slab_unreclaimable beside it.
 */
static void bytes_per_table(void)
{
	const char *pt_key = "PageTables", *slab_key = "SUnreclaim", *kernel_key = NULL;
	char file[300] = "/proc/meminfo", cg[200] = "/", line[256];
	unsigned long n = tables * 8;
	long long pt0, slab0, pt1, slab1, k0 = 0, k1 = 0, bytes;
	FILE *f = fopen("/proc/self/cgroup", "r");
	char *p, what[256], kernel[64] = "";

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "0::", 3))
			sscanf(line + 3, "%199s", cg);
	if (f)
		fclose(f);
	if (strcmp(cg, "/")) {
		snprintf(file, sizeof(file), "/sys/fs/cgroup%s/memory.stat", cg);
		pt_key = "pagetables";
		slab_key = "slab_unreclaimable";
		kernel_key = "kernel";
	}
	/* empty slabs kept from earlier runs would take the new objects */
	shrink_slabs();
	settle(kernel_key);
	pt0 = stat_bytes(file, pt_key);
	slab0 = stat_bytes(file, slab_key);
	if (kernel_key)
		k0 = stat_bytes(file, kernel_key);
	p = mmap(NULL, n * PMD_SIZE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (pt0 < 0 || slab0 < 0 || k0 < 0 || p == MAP_FAILED) {
		snprintf(what, sizeof(what), "bytes %s: no %s/%s%s%s in %s, or mmap failed",
			 cg, pt_key, slab_key, kernel_key ? "/" : "",
			 kernel_key ? kernel_key : "", file);
		result(0, what);
		return;
	}
	madvise(p, n * PMD_SIZE, MADV_NOHUGEPAGE);
	for (unsigned long i = 0; i < n; i++)
		p[i * PMD_SIZE] = (char)i;
	settle(kernel_key);
	pt1 = stat_bytes(file, pt_key);
	slab1 = stat_bytes(file, slab_key);
	if (kernel_key)
		k1 = stat_bytes(file, kernel_key);
	munmap(p, n * PMD_SIZE);
	if (kernel_key) {
		/*
		 * And all of it uncharged again once the tables are freed,
		 * after the grace period: what stays is at most a page of
		 * byte stock a CPU and 8 bytes a table, well under the 32 of
		 * a descriptor per table left charged (with the default
		 * 2048 tables: 24 KiB allowed, 64 KiB a leak)
		 */
		long long k2;

		settle(kernel_key);
		k2 = stat_bytes(file, kernel_key);
		printf("# bytes %s: %+lld bytes of %s left after the free\n",
		       cg, k2 - k0, kernel_key);
		snprintf(what, sizeof(what), "bytes %s: the %lu tables uncharged (%s)",
			 cg, n, kernel_key);
		result(llabs(k2 - k0) <= (long long)n * 8 + 2 * 4096, what);
	}
	bytes = kernel_key ? k1 - k0 : pt1 - pt0 + slab1 - slab0;
	if (kernel_key)
		snprintf(kernel, sizeof(kernel), "%s %+lld, ", kernel_key, k1 - k0);
	printf("# bytes %s: %lld bytes per table (%s%s %+lld, %s %+lld, %lu tables)\n",
	       cg, bytes / (long long)n, kernel, pt_key, pt1 - pt0,
	       slab_key, slab1 - slab0, n);
	snprintf(what, sizeof(what), "bytes %s: %lu tables counted in %s", cg, n, file);
	/*
	 * at least the pages themselves, or the count did not see them; and
	 * in a memcg, "kernel" holds the pages (less what the byte stock
	 * charged ahead, under a page)
	 */
	result(pt1 - pt0 >= (long long)(n - 2) * 4096 / (PT_PER_PAGE) &&
	       (!kernel_key || k1 - k0 > pt1 - pt0 - 4096), what);
}

/* page-table pages in use, system-wide (/proc/vmstat) */
static long long pt_pages(void)
{
	return stat_bytes("/proc/vmstat", "nr_page_table_pages");
}

/* this mm's page tables, in bytes, as /proc/self/status counts them */
static long long vm_pte(void)
{
	return stat_bytes("/proc/self/status", "VmPTE");
}

/*
 * MADV_DONTNEED over the whole range of each table frees the emptied
 * tables in the zap path (PT_RECLAIM); munmap() then has none to free.
 */
static void bench_reclaim(void)
{
	uint64_t t0;
	long long b0 = 0, b1 = 0, b2 = 0;
	char what[160];

	/* round -1: untimed, and where VmPTE is read */
	for (int r = -1; r < rounds; r++) {
		uint64_t tr;
		char *p = map_sparse();

		if (!p) {
			result(0, "reclaim: mmap failed");
			return;
		}
		if (r < 0)
			b0 = vm_pte();
		t0 = now_ns();
		touch(p);
		tr = now_ns() - t0;
		if (r < 0)
			b1 = vm_pte();
		t0 = now_ns();
		madvise(p, tables * PMD_SIZE, MADV_DONTNEED);
		tr += now_ns() - t0;
		if (r < 0)
			b2 = vm_pte();
		t0 = now_ns();
		munmap(p, tables * PMD_SIZE);
		tr += now_ns() - t0;
		if (r >= 0)
			lap(tr);
	}
	report("reclaim", tables);
	/* the PTE tables are 2K on s390, 4K elsewhere */
	snprintf(what, sizeof(what), "reclaim: MADV_DONTNEED freed %lld of the %lld bytes of tables (VmPTE)",
		 b1 - b2, b1 - b0);
	result(b1 - b0 >= (long long)(tables - 2) * 2048 && (b1 - b2) * 10 >= (b1 - b0) * 9, what);
}

/*
 * vfork() and exec of this static program, which exits at once: what a
 * new mm's tables cost from execve() to exit, as perf bench syscall
 * execve measures it. Printed per page-table page of the new mm (counted
 * once, system-wide, with the program held alive: --hold) with that
 * count beside it; tools/bench.sh reports it per exec, which the count's
 * noise does not touch and which compares kernels whose mms have
 * different numbers of table pages (s390's halves).
 */
static void bench_exec(void)
{
	char *const hold[] = { "ptbench", "--hold", NULL };
	char *const quit[] = { "ptbench", "--exit", NULL };
	int in[2], out[2], status, n = 16 * rounds;
	long long p0, p1;
	uint64_t t0 = 0;
	pid_t pid;
	char c;

	if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC)) {
		result(0, "exec: pipe failed");
		return;
	}
	/* let the grace periods of what ran before end: a system-wide count */
	sleep(1);
	p0 = pt_pages();
	pid = vfork();
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		execv("/proc/self/exe", hold);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	if (pid < 0 || read(out[0], &c, 1) != 1) {
		result(0, "exec: the held program did not start");
		return;
	}
	p1 = pt_pages();
	close(in[1]);
	close(out[0]);
	waitpid(pid, &status, 0);
	if (p1 - p0 <= 0) {
		result(0, "exec: no page-table pages counted");
		return;
	}
	printf("# exec: %lld page-table pages per exec\n", p1 - p0);
	/* rounds of 16, the first untimed */
	for (int i = -16; i < n; i++) {
		if (!(i % 16))
			t0 = now_ns();
		pid = vfork();
		if (pid == 0) {
			execv("/proc/self/exe", quit);
			_exit(127);
		}
		if (pid < 0 || waitpid(pid, &status, 0) != pid || status) {
			result(0, "exec: vfork, exec or exit failed");
			return;
		}
		if (i >= 0 && i % 16 == 15)
			lap(now_ns() - t0);
	}
	report("exec", 16 * (p1 - p0));
}

static const struct {
	const char *name;
	void (*fn)(void);
} all[] = {
	{ "fault+munmap", bench_fault_unmap },
	{ "sparse", bench_sparse },
	{ "fork+exit", bench_fork_exit },
	{ "exec", bench_exec },
	{ "reclaim", bench_reclaim },
};

/* the cases named in <list> ("a,b,..."), in its order */
static void run_cases(const char *list)
{
	size_t n = sizeof(all) / sizeof(all[0]);

	for (const char *c = list; *c; ) {
		size_t l = strcspn(c, ","), i;

		for (i = 0; i < n; i++)
			if (strlen(all[i].name) == l && !strncmp(c, all[i].name, l))
				break;
		if (i < n) {
			nlaps = 0;
			all[i].fn();
			/* the grace periods of its last rounds, not the next case's */
			sleep(1);
		} else if (l) {
			char what[160];

			snprintf(what, sizeof(what), "no case '%.*s'", (int)l, c);
			result(0, what);
		}
		c += l + (c[l] == ',');
	}
}

int main(int argc, char **argv)
{
	cpu_set_t cpu0;

	if (argc > 1 && !strcmp(argv[1], "--exit"))
		return 0;
	if (argc > 1 && !strcmp(argv[1], "--hold")) {
		char c = 0;

		/* started: say so, and live until the pipe closes */
		if (write(1, &c, 1) != 1)
			return 1;
		while (read(0, &c, 1) > 0)
			;
		return 0;
	}
	if (argc > 1 && *argv[1])
		tables = strtoul(argv[1], NULL, 0);
	if (argc > 2 && *argv[2])
		rounds = atoi(argv[2]);
	if (argc > 3 && *argv[3])
		cases = argv[3];
	if (tables < 2 || rounds < 0) {
		fprintf(stderr, "ptbench: at least 2 tables and 0 rounds\n");
		return 2;
	}
	laps = calloc(rounds > 0 ? rounds : 1, sizeof(*laps));
	if (!laps)
		return 1;
	printf("TAP version 13\n");
	fflush(stdout);
	/* the children, and the RCU callbacks that free their tables, too */
	CPU_ZERO(&cpu0);
	CPU_SET(0, &cpu0);
	result(!sched_setaffinity(0, sizeof(cpu0), &cpu0), "runs on CPU 0 only");
	/*
	 * The bytes first, after the grace periods of what ran before have
	 * ended, so that objects freed late by earlier work do not show in
	 * the slab counts.
	 */
	sleep(2);
	bytes_per_table();
	if (rounds)
		run_cases(cases ? cases : "fault+munmap,sparse,fork+exit,exec,reclaim");
	printf("1..%d\n# %d tests, %d failed\n", ntest, ntest, nfail);
	return nfail != 0;
}
