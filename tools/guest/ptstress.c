// SPDX-License-Identifier: GPL-2.0
/*
 * ptstress: a page-table workload for the dynamic ptdesc harness.
 *
 * Each phase allocates and frees page-table pages through a different
 * kernel path and checks the data it wrote survives. Output is TAP; at the
 * peak (all phases' tables alive) the program copies /proc/meminfo,
 * /proc/slabinfo and /proc/vmstat to stdout as "--- BEGIN <name> ---"
 * sections, which tools/measure.sh reads.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "shrink.h"
#include "tap.h"

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif

#define PMD_SIZE	(2UL << 20)
#define PUD_SIZE	(1UL << 30)
#define PAGE		4096UL

static int thp;		/* the kernel has THP (6.12 offers none with PREEMPT_RT) */
static unsigned long sparse_tables = 2048;	/* one PTE table each */
static int fork_children = 64;

static void copy_section(const char *name, const char *path)
{
	char buf[4096];
	size_t n;
	FILE *f = fopen(path, "r");

	printf("--- BEGIN %s ---\n", name);
	if (f) {
		while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
			fwrite(buf, 1, n, stdout);
		fclose(f);
	}
	printf("--- END %s ---\n", name);
	fflush(stdout);
}

static void snapshot(const char *when)
{
	char name[64];

	if (shrink_slabs())
		diag("some slab caches could not be shrunk");

	snprintf(name, sizeof(name), "meminfo-%s", when);
	copy_section(name, "/proc/meminfo");
	snprintf(name, sizeof(name), "slabinfo-%s", when);
	copy_section(name, "/proc/slabinfo");
	snprintf(name, sizeof(name), "vmstat-%s", when);
	copy_section(name, "/proc/vmstat");
}

/* Keep a range PTE-mapped; without THP it always is (and madvise says EINVAL) */
static int no_thp(void *p, size_t len)
{
	return thp ? madvise(p, len, MADV_NOHUGEPAGE) : 0;
}

/* Map len bytes whose start is aligned to align. */
static char *map_aligned(size_t len, size_t align, int prot, int flags, int fd)
{
	char *p = mmap(NULL, len + align, prot, flags, fd, 0);
	uintptr_t a;

	if (p == MAP_FAILED)
		return NULL;
	a = ((uintptr_t)p + align - 1) & ~(align - 1);
	if (a > (uintptr_t)p)
		munmap(p, a - (uintptr_t)p);
	munmap((char *)a + len, (uintptr_t)p + align - a);
	return (char *)a;
}

static void fill(char *p, size_t len, size_t step, unsigned long seed)
{
	for (size_t off = 0; off < len; off += step)
		*(unsigned long *)(p + off) = seed ^ off;
}

/* check what fill(p, ...) wrote in [start, end) */
static int verify_range(const char *p, size_t start, size_t end, size_t step,
			unsigned long seed)
{
	for (size_t off = start; off < end; off += step)
		if (*(const unsigned long *)(p + off) != (seed ^ off))
			return 0;
	return 1;
}

static int verify(const char *p, size_t len, size_t step, unsigned long seed)
{
	return verify_range(p, 0, len, step, seed);
}

static int wait_all(int n)
{
	int ok = 1, status;

	while (n-- > 0) {
		if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
			ok = 0;
	}
	return ok;
}

/* fork storm: every child copies the parent's page tables and dirties them */
static void test_fork_storm(void)
{
	size_t len = 64 * PMD_SIZE;
	char *p = map_aligned(len, PMD_SIZE, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1);
	int round, ok = 1;

	if (!p || no_thp(p, len)) {
		result(0, "fork storm: mmap/madvise: %s", strerror(errno));
		return;
	}
	fill(p, len, PMD_SIZE / 4, 0xf0f0);
	for (round = 0; round < 4 && ok; round++) {
		for (int i = 0; i < fork_children / 4; i++) {
			pid_t pid = fork();

			if (pid < 0) {
				ok = 0;
				break;
			}
			if (pid == 0) {
				int good = verify(p, len, PMD_SIZE / 4, 0xf0f0);

				fill(p, len, PMD_SIZE / 2, 0x0f0f + i);
				good &= verify(p, len, PMD_SIZE / 2, 0x0f0f + i);
				_exit(!good);
			}
		}
		ok &= wait_all(fork_children / 4);
	}
	ok &= verify(p, len, PMD_SIZE / 4, 0xf0f0);
	munmap(p, len);
	result(ok, "fork storm: %d children copied and dirtied 64 PTE tables each",
	       fork_children);
}

/*
 * MADV_COLLAPSE fails with EAGAIN on transient conditions (a page still in
 * a per-CPU LRU batch, or locked); madvise(2) says to retry.
 */
static int collapse(void *p, size_t len)
{
	int i;

	for (i = 0; i < 10; i++) {
		if (!madvise(p, len, MADV_COLLAPSE))
			return 0;
		if (errno != EAGAIN)
			break;
		diag("MADV_COLLAPSE: EAGAIN, retrying");
		usleep(100000);
	}
	return -1;
}

/* MADV_COLLAPSE of anon memory: the PTE table is deposited with the THP. */
static int collapse_anon(char **out)
{
	char *p = map_aligned(PMD_SIZE, PMD_SIZE, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1);

	*out = p;
	if (!p || no_thp(p, PMD_SIZE))
		return -1;
	fill(p, PMD_SIZE, PAGE, 0xa11a);
	madvise(p, PMD_SIZE, MADV_HUGEPAGE);
	if (collapse(p, PMD_SIZE))
		return -1;
	return verify(p, PMD_SIZE, PAGE, 0xa11a) ? 0 : -2;
}

/*
 * MADV_COLLAPSE of shmem: the caller's PTE table is freed through
 * pte_free_defer(), and a second mm mapping the same file gets its table
 * retracted.
 */
static int collapse_shmem(char **out, pid_t *sharer)
{
	int fd = memfd_create("ptstress", 0);
	char *p;
	int pfd[2];
	char c;

	*out = NULL;
	*sharer = -1;
	if (fd < 0 || ftruncate(fd, PMD_SIZE))
		return -1;
	p = map_aligned(PMD_SIZE, PMD_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd);
	if (!p)
		return -1;
	*out = p;
	fill(p, PMD_SIZE, PAGE, 0x5aa5);
	if (pipe(pfd))
		return -1;
	*sharer = fork();
	if (*sharer == 0) {
		/* keep our own PTE-mapped view until the parent tells us */
		int good = verify(p, PMD_SIZE, PAGE, 0x5aa5);

		close(pfd[1]);
		if (read(pfd[0], &c, 1) != 1)
			good = 0;
		good &= verify(p, PMD_SIZE, PAGE, 0x5aa5);
		_exit(!good);
	}
	if (*sharer < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return -1;
	}
	close(pfd[0]);
	madvise(p, PMD_SIZE, MADV_HUGEPAGE);
	if (collapse(p, PMD_SIZE)) {
		diag("shmem MADV_COLLAPSE: %s", strerror(errno));
		write(pfd[1], "x", 1);
		close(pfd[1]);
		return -1;
	}
	write(pfd[1], "x", 1);
	close(pfd[1]);
	close(fd);
	return verify(p, PMD_SIZE, PAGE, 0x5aa5) ? 0 : -2;
}

static long meminfo(const char *key)
{
	char line[128];
	long val = -1;
	size_t n = strlen(key);
	FILE *f = fopen("/proc/meminfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ':')
			val = strtol(line + n + 1, NULL, 10);
	if (f)
		fclose(f);
	return val;
}

/* hugetlb shared mapping spanning an aligned PUD: PMD tables get shared */
static char *hugetlb_share(pid_t *kids, int nkids)
{
	char *p;

	if (meminfo("HugePages_Free") < 4 || meminfo("Hugepagesize") != 2048)
		return NULL;
	p = map_aligned(PUD_SIZE, PUD_SIZE, PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS | MAP_HUGETLB | MAP_NORESERVE, -1);
	if (!p)
		return NULL;
	fill(p, 4 * PMD_SIZE, PMD_SIZE, 0x4242);
	for (int i = 0; i < nkids; i++) {
		kids[i] = fork();
		if (kids[i] == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (!verify(p, 4 * PMD_SIZE, PMD_SIZE, 0x4242))
				_exit(1);
			pause();
			_exit(0);
		}
	}
	return p;
}

/* PageTables from /proc/meminfo, in kB; -1 if it cannot be read */
static long pagetables_kb(void)
{
	char line[128];
	long kb = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "PageTables: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/*
 * PageTables once the frees in flight (after an RCU grace period, which
 * under TCG and KASAN can take a while) are done: read every 200 ms until
 * the value has not changed for a second, for 20 s at most.
 */
static long pagetables_settled_kb(void)
{
	long prev = pagetables_kb(), kb;
	int same = 0;

	for (int i = 0; i < 100 && same < 5; i++) {
		usleep(200000);
		kb = pagetables_kb();
		same = kb == prev ? same + 1 : 0;
		prev = kb;
	}
	return prev;
}

/*
 * MADV_DONTNEED over whole PTE-table ranges: the tables are left empty, and
 * a kernel with CONFIG_PT_RECLAIM frees them from the zap path. The
 * PageTables readings go to a "reclaim" section, from which
 * tools/measure.sh computes the share of the emptied tables freed; the
 * check here is MADV_DONTNEED's own (the pages read back as zero).
 */
static void test_reclaim(const char *peak)
{
	const char *sfx = strcmp(peak, "peak") ? peak : NULL;
	/* twice the sparse tables: other processes' tables are noise here */
	unsigned long tables = 2 * sparse_tables;
	size_t len = tables * PMD_SIZE;
	char *p = map_aligned(len, PMD_SIZE, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1);
	long before, touched, after;
	int ok = p && !no_thp(p, len);

	before = pagetables_settled_kb();
	if (ok)
		fill(p, len, PMD_SIZE, 0x7ec1);
	touched = pagetables_kb();
	ok = ok && !madvise(p, len, MADV_DONTNEED);
	for (size_t off = 0; ok && off < len; off += PMD_SIZE)
		if (*(volatile unsigned long *)(p + off))
			ok = 0;
	/* the reads above faulted in the zero page: zap those tables again */
	ok = ok && !madvise(p, len, MADV_DONTNEED);
	after = pagetables_settled_kb();
	/* one section per run: "reclaim", or "reclaim-<peak>" for another */
	printf("--- BEGIN reclaim%s%s ---\ntables %lu\nbefore_kb %ld\ntouched_kb %ld\nafter_kb %ld\n--- END reclaim%s%s ---\n",
	       sfx ? "-" : "", sfx ? sfx : "", tables, before, touched,
	       after, sfx ? "-" : "", sfx ? sfx : "");
	result(ok && before >= 0, "reclaim: MADV_DONTNEED over %lu whole PTE-table ranges, PageTables %ld -> %ld -> %ld kB",
	       tables, before, touched, after);
	if (p)
		munmap(p, len);
}

int main(int argc, char **argv)
{
	char *sparse, *moved, *anon, *shm, *huge;
	size_t slen;
	pid_t holders[4], hkids[2], sharer;
	int ok, r, nhold = 4, nh = 2;
	const char *peak = "peak";

	/* a child that could not be forked leaves pipes without a reader */
	signal(SIGPIPE, SIG_IGN);
	thp = !access("/sys/kernel/mm/transparent_hugepage/enabled", F_OK);
	if (argc > 1 && *argv[1])
		sparse_tables = strtoul(argv[1], NULL, 0);
	/* the peak snapshot's name: "peak", or another run's */
	if (argc > 2)
		peak = argv[2];
	slen = sparse_tables * PMD_SIZE;
	printf("TAP version 13\n1..9\n");
	fflush(stdout);

	test_fork_storm();

	/* sparse: one page every 2 MiB, so every touch costs a PTE table */
	sparse = map_aligned(slen, PUD_SIZE, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1);
	ok = sparse && !no_thp(sparse, slen);
	if (ok)
		fill(sparse, slen, PMD_SIZE, 0x5eed);
	result(ok, "sparse: touched %lu pages 2 MiB apart", sparse_tables);
	if (!ok)
		return 1;

	/* hold copies of the sparse tables in children until the peak */
	for (int i = 0; i < nhold; i++) {
		holders[i] = fork();
		if (holders[i] == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (!verify(sparse, slen, PMD_SIZE, 0x5eed))
				_exit(1);
			pause();
			_exit(0);
		}
	}

	anon = shm = NULL;
	sharer = -1;
	if (thp) {
		r = collapse_anon(&anon);
		result(r == 0, "MADV_COLLAPSE anon (table deposited with the THP)%s",
		       r == -1 ? ": madvise failed" : r == -2 ? ": data lost" : "");
		r = collapse_shmem(&shm, &sharer);
		result(r == 0, "MADV_COLLAPSE shmem (pte_free_defer, retract_page_tables)%s",
		       r == -1 ? ": madvise failed" : r == -2 ? ": data lost" : "");
	} else {
		skip("MADV_COLLAPSE anon", "no THP in this kernel");
		skip("MADV_COLLAPSE shmem", "no THP in this kernel");
	}

	huge = hugetlb_share(hkids, nh);
	if (!huge)
		nh = 0;

	/* give the holders time to finish verifying before the peak */
	sleep(1);
	snapshot(peak);

	ok = 1;
	for (int i = 0; i < nhold; i++) {
		int status;

		/* a fork that failed (the failslab phase) left -1: never kill(-1) */
		if (holders[i] <= 0) {
			ok = 0;
			continue;
		}
		kill(holders[i], SIGTERM);
		waitpid(holders[i], &status, 0);
		ok &= WIFSIGNALED(status);
	}
	if (sharer > 0)
		ok &= wait_all(1);

	if (huge) {
		for (int i = 0; i < nh; i++) {
			int status;

			if (hkids[i] <= 0)
				continue;
			kill(hkids[i], SIGTERM);
			waitpid(hkids[i], &status, 0);
		}
		ok = verify(huge, 4 * PMD_SIZE, PMD_SIZE, 0x4242);
		munmap(huge, PUD_SIZE);
		result(ok, "hugetlb: PMD table shared by %d processes", nh + 1);
	} else {
		skip("hugetlb: PMD table sharing", "fewer than 4 free 2 MiB hugetlb pages");
	}

	/* mremap: move whole PMDs (tables move, not copied) */
	moved = map_aligned(slen, PUD_SIZE, PROT_NONE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1);
	ok = moved && mremap(sparse, slen, slen, MREMAP_MAYMOVE | MREMAP_FIXED,
			     moved) == moved;
	ok = ok && verify(moved, slen, PMD_SIZE, 0x5eed);
	result(ok, "mremap: moved %lu sparse PTE tables", sparse_tables);

	/* munmap half, then the rest: free_pgtables() */
	ok = moved && !munmap(moved, slen / 2) &&
	     verify_range(moved, slen / 2, slen, PMD_SIZE, 0x5eed) &&
	     !munmap(moved + slen / 2, slen / 2);
	result(ok, "munmap: freed the sparse tables in two steps");

	if (thp) {
		ok = anon && !munmap(anon, PMD_SIZE) && shm && !munmap(shm, PMD_SIZE);
		result(ok, "munmap: collapsed anon and shmem THPs (withdraw, free)");
	} else {
		skip("munmap: collapsed THPs", "no THP in this kernel");
	}

	test_reclaim(peak);

	printf("# %d tests, %d failed\n", ntest, nfail);
	return nfail != 0;
}
