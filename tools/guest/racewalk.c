// SPDX-License-Identifier: GPL-2.0
/*
 * racewalk: page-table teardown racing page-table walkers, on every CPU.
 *
 * Each case maps a region that spans REGION_TABLES PTE tables (one page
 * touched per 2 MiB), then, for a fixed number of rounds, tears its tables
 * down while walker threads and a walker process walk the same region:
 *   walkers:  GUP-fast (vmsplice of the region into a pipe), reads of
 *             /proc/PID/pagemap and /proc/PID/smaps, and process_vm_readv
 *             from another process (remote GUP; where the kernel has no
 *             CROSS_MEMORY_ATTACH, reads of /proc/PID/mem, which take the
 *             same remote path);
 *   teardown: munmap, MADV_DONTNEED, mremap away and back, MADV_COLLAPSE
 *             (where THP is on), and fork() in the middle of a teardown
 *             with the child touching the region and exiting.
 * Another case has child processes that share the region (MAP_SHARED) and
 * exit while it is walked.
 *
 * Walks that meet an unmapped region fail with EFAULT or read holes: that
 * is expected. What is checked here is that every walker made progress
 * and that the data written survives; the kernel's checkers (KASAN,
 * lockdep, kmemleak, WARN) judge the rest from the log. Output is TAP.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif

#define PMD_SIZE	(2UL << 20)
#define PAGE		4096UL
#define REGION_TABLES	16
#define REGION		(REGION_TABLES * PMD_SIZE)

static int rounds = 200;
static char *region;		/* fixed address of the region */
static atomic_int stop;
static atomic_long walks[4];	/* per walker: successful walks */
static pid_t self;
static int thp;			/* the kernel has THP */
static atomic_int remote_via_mem;	/* process_vm_readv is ENOSYS */
static atomic_long collapses;

enum { W_VMSPLICE, W_PAGEMAP, W_SMAPS, W_VMREADV };
static const char *const walker_name[] = { "vmsplice", "pagemap", "smaps", "remote read" };

static void die(const char *what)
{
	printf("Bail out! %s: %s\n", what, strerror(errno));
	exit(1);
}

/* Map the region at its fixed address and touch one page per PTE table. */
static void populate(int shared)
{
	char *p = mmap(region, REGION, PROT_READ | PROT_WRITE,
		       MAP_FIXED | MAP_ANONYMOUS | (shared ? MAP_SHARED : MAP_PRIVATE), -1, 0);
	unsigned long i;

	if (p != region)
		die("mmap");
	madvise(p, REGION, MADV_NOHUGEPAGE);
	for (i = 0; i < REGION; i += PMD_SIZE)
		p[i + (i / PMD_SIZE % 512) * PAGE] = (char)(i / PMD_SIZE + 1);
}

static int check(void)
{
	unsigned long i;

	for (i = 0; i < REGION; i += PMD_SIZE)
		if (region[i + (i / PMD_SIZE % 512) * PAGE] != (char)(i / PMD_SIZE + 1))
			return 0;
	return 1;
}

/* GUP-fast: vmsplice() pins the region's pages without mmap_lock. */
static void *walk_vmsplice(void *arg)
{
	int fd[2];
	char buf[PAGE];

	(void)arg;
	if (pipe(fd))
		die("pipe");
	fcntl(fd[0], F_SETFL, O_NONBLOCK);
	while (!atomic_load(&stop)) {
		unsigned long t = random() % REGION_TABLES;
		struct iovec iov = {
			.iov_base = region + t * PMD_SIZE + (t % 512) * PAGE,
			.iov_len = PAGE,
		};

		if (vmsplice(fd[1], &iov, 1, 0) > 0) {
			atomic_fetch_add(&walks[W_VMSPLICE], 1);
			while (read(fd[0], buf, sizeof(buf)) > 0)
				;
		}
	}
	close(fd[0]);
	close(fd[1]);
	return NULL;
}

/* pagemap and smaps walk the page tables under the mmap read lock. */
static void *walk_proc(void *arg)
{
	long w = (long)arg;
	char path[64], buf[16384];
	uint64_t ent[REGION_TABLES];

	snprintf(path, sizeof(path), "/proc/%d/%s", self, w == W_PAGEMAP ? "pagemap" : "smaps");
	while (!atomic_load(&stop)) {
		int fd = open(path, O_RDONLY);
		ssize_t n;

		if (fd < 0)
			die(path);
		if (w == W_PAGEMAP) {
			unsigned long t;

			for (t = 0; t < REGION_TABLES; t++) {
				off_t off = ((uintptr_t)region + t * PMD_SIZE) / PAGE * 8;

				if (pread(fd, &ent[t], 8, off) != 8)
					break;
			}
			n = t == REGION_TABLES;
		} else {
			while ((n = read(fd, buf, sizeof(buf))) > 0)
				;
			n = n == 0;
		}
		if (n)
			atomic_fetch_add(&walks[w], 1);
		close(fd);
	}
	return NULL;
}

/* A process reading our region: remote GUP, from another mm. */
struct reader {
	pid_t pid;
	int fd;		/* a byte arrives once it has read the region */
};

static struct reader start_reader(void)
{
	int fd[2];
	pid_t pid;

	if (pipe(fd))
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		char buf[PAGE], path[32];
		long ok = 0;
		int mem = -1;

		close(fd[0]);
		snprintf(path, sizeof(path), "/proc/%d/mem", self);
		while (getppid() == self) {
			unsigned long t = random() % REGION_TABLES;
			char *addr = region + t * PMD_SIZE + (t % 512) * PAGE;
			struct iovec local = { buf, PAGE };
			struct iovec remote = { addr, PAGE };
			ssize_t n;

			if (mem < 0) {
				n = process_vm_readv(self, &local, 1, &remote, 1, 0);
				if (n < 0 && errno == ENOSYS && (mem = open(path, O_RDONLY)) < 0)
					_exit(1);
			}
			if (mem >= 0)
				n = pread(mem, buf, PAGE, (off_t)(uintptr_t)addr);
			if (n == PAGE && ++ok == 1)
				write(fd[1], mem < 0 ? "v" : "m", 1);	/* read once */
		}
		_exit(0);
	}
	close(fd[1]);
	return (struct reader){ pid, fd[0] };
}

/* Stop the reader; it counts as a walker that made progress if it read. */
static void stop_reader(struct reader r)
{
	char c;

	kill(r.pid, SIGKILL);
	waitpid(r.pid, NULL, 0);
	if (read(r.fd, &c, 1) == 1) {
		atomic_fetch_add(&walks[W_VMREADV], 1);
		atomic_store(&remote_via_mem, c == 'm');
	}
	close(r.fd);
}

enum teardown { T_MUNMAP, T_DONTNEED, T_MREMAP, T_COLLAPSE, T_FORK, T_NR };
static const char *const teardown_name[] = {
	"munmap", "MADV_DONTNEED", "mremap away and back", "MADV_COLLAPSE",
	"fork during MADV_DONTNEED",
};

/* One teardown of the whole region; returns 0 when the case cannot run. */
static int teardown(enum teardown t)
{
	char *away = region + 2 * REGION;
	pid_t pid;

	switch (t) {
	case T_MUNMAP:
		munmap(region, REGION);
		break;
	case T_DONTNEED:
		madvise(region, REGION, MADV_DONTNEED);
		break;
	case T_MREMAP:
		if (mremap(region, REGION, REGION, MREMAP_MAYMOVE | MREMAP_FIXED, away) != away ||
		    mremap(away, REGION, REGION, MREMAP_MAYMOVE | MREMAP_FIXED, region) != region)
			die("mremap");
		if (!check()) {
			diag("data lost across mremap");
			return -1;
		}
		break;
	case T_COLLAPSE:
		if (!thp)
			return 0;
		/* may fail now and then (a page in a per-CPU LRU batch, pinned) */
		madvise(region, REGION, MADV_HUGEPAGE);
		if (!madvise(region, PMD_SIZE, MADV_COLLAPSE))
			atomic_fetch_add(&collapses, 1);
		break;
	case T_FORK:
		pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0) {
			/* the child's copy of the tables: touched, then torn down by exit */
			region[PAGE] = 1;
			_exit(check() ? 0 : 1);
		}
		madvise(region, REGION, MADV_DONTNEED);
		waitpid(pid, NULL, 0);
		break;
	default:
		break;
	}
	return 1;
}

static void run_case(enum teardown t)
{
	pthread_t th[3];
	long w, before[4];
	int i, ran = 1, bad = 0;
	struct reader reader;
	char extra[64];

	for (w = 0; w < 4; w++)
		before[w] = atomic_load(&walks[w]);
	populate(0);
	atomic_store(&stop, 0);
	reader = start_reader();
	if (pthread_create(&th[0], NULL, walk_vmsplice, NULL) ||
	    pthread_create(&th[1], NULL, walk_proc, (void *)W_PAGEMAP) ||
	    pthread_create(&th[2], NULL, walk_proc, (void *)W_SMAPS))
		die("pthread_create");
	for (i = 0; i < rounds && ran > 0; i++) {
		ran = teardown(t);
		if (ran < 0)
			bad = 1;
		populate(0);
		if (!check())
			bad = 1;
		sched_yield();
	}
	atomic_store(&stop, 1);
	for (w = 0; w < 3; w++)
		pthread_join(th[w], NULL);
	stop_reader(reader);
	if (ran == 0) {
		skip(teardown_name[t], "no THP");
		return;
	}
	for (w = 0; w < 4; w++)
		if (atomic_load(&walks[w]) == before[w]) {
			diag("walker %s made no progress", walker_name[w]);
			bad = 1;
		}
	if (t == T_COLLAPSE && !atomic_load(&collapses)) {
		diag("no MADV_COLLAPSE succeeded");
		bad = 1;
	}
	snprintf(extra, sizeof(extra), ", %ld of %d MADV_COLLAPSE calls collapsed",
		 atomic_load(&collapses), i);
	result(!bad, "%s raced by GUP-fast, pagemap, smaps, %s: %d rounds, %ld vmsplice, %ld pagemap walks%s",
	       teardown_name[t], atomic_load(&remote_via_mem) ? "/proc/PID/mem" : "process_vm_readv",
	       i, atomic_load(&walks[W_VMSPLICE]) - before[W_VMSPLICE],
	       atomic_load(&walks[W_PAGEMAP]) - before[W_PAGEMAP],
	       t == T_COLLAPSE ? extra : "");
}

/* Processes sharing the region exit while it is walked. */
static void run_shared_exit(void)
{
	pthread_t th;
	int i, bad = 0;
	long before = atomic_load(&walks[W_VMSPLICE]);

	populate(1);
	atomic_store(&stop, 0);
	if (pthread_create(&th, NULL, walk_vmsplice, NULL))
		die("pthread_create");
	for (i = 0; i < rounds / 4; i++) {
		int st;
		pid_t pid = fork();

		if (pid < 0)
			die("fork");
		if (pid == 0) {
			unsigned long j;

			for (j = 0; j < REGION; j += PMD_SIZE)
				region[j + PAGE * 3 + 1]++;	/* its own tables */
			_exit(0);
		}
		if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
			bad = 1;
	}
	atomic_store(&stop, 1);
	pthread_join(th, NULL);
	if (region[PAGE * 3 + 1] != (char)(rounds / 4) || !check())
		bad = 1;
	result(!bad, "exit of %d processes sharing the walked region, GUP-fast alongside: %ld vmsplice",
	       rounds / 4, atomic_load(&walks[W_VMSPLICE]) - before);
	munmap(region, REGION);
}

int main(int argc, char **argv)
{
	enum teardown t;

	if (argc > 1)
		rounds = atoi(argv[1]);
	self = getpid();
	thp = !access("/sys/kernel/mm/transparent_hugepage/enabled", F_OK);
	srandom(1);
	/* a 2 MiB-aligned address with room for the mremap target */
	region = mmap(NULL, 4 * REGION, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (region == MAP_FAILED)
		die("mmap");
	region = (char *)(((uintptr_t)region + PMD_SIZE - 1) & ~(PMD_SIZE - 1));
	printf("TAP version 13\n1..%d\n", T_NR + 1);
	printf("# %ld CPUs online, %d rounds per case, %d PTE tables per round\n",
	       sysconf(_SC_NPROCESSORS_ONLN), rounds, REGION_TABLES);
	for (t = 0; t < T_NR; t++)
		run_case(t);
	run_shared_exit();
	return nfail ? 1 : 0;
}
